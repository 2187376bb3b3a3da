"""Notebook 10's scoring cell, style cues by blocks (issue 12, session 19): the same rows as before.

``style.style_row`` with the matcher's tokens of a plain text now sums the counts of its blocks
(the pieces between blank lines) when every block has been seen before, each block's counts
remembered the second time it is seen; a text with a block seen for the first time is counted
whole, as before. The earlier ``style_row`` is kept below verbatim but for the ``_reference_``
name and compared on the seed, texts whose cues sit at block edges (a currency sign, number, '%',
money word or pronoun beside a blank line, several blank lines, line breaks), repeated and
recombined blocks (first, second and later sightings), curly apostrophes, possessive emotive
words, non-ASCII and empty texts; and the packed scores and their unpacked tables of
``frame_scores_by_level`` with the reference's rows.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from helpers.framing import scores, style
from helpers.framing.dictionaries import as_dictionary
from helpers.framing.style import (
    _NOT_PLAIN_RE,
    _count_row,
    _emotive_kinds,
    _emotive_kinds_possessive,
    _plain_tokens,
)

ROOT = Path(__file__).resolve().parents[1]
SCHEMES = ["generic", "policy", "territorial"]

# ---- old helpers/framing/style.py style_row (verbatim but for the _reference_ name) ----


def _reference_style_row(text: str, toks: list[str] | None = None) -> list[float]:
    """One text's :func:`style_features` row (the values in the order of ``_STYLE_COLUMNS``).

    ``toks``: the text's tokens as :class:`~helpers.framing.matcher.Matcher` makes them
    (lower-cased, ’ as '; the scoring pass has them), used when the text is plain (ASCII and
    :data:`helpers.text._PLAIN_EXTRA` only; else :func:`helpers.text._plain_tokens` is called).
    They are ``tokenize(text)``'s tokens but for the possessive: a plain text's ``tokenize``
    drops a token's final 's (one ending in it is followed by no letter, nor by a joiner and a
    letter: the token pattern would take those), which the matcher keeps. So the number is the
    same, and a word's emotive kind is looked up under it and under it plus 's
    (:func:`_emotive_kinds_possessive`): the emotive words are letters only, so a token with
    any other apostrophe or joiner is in neither table."""
    if toks is None or _NOT_PLAIN_RE.search(text):
        toks, kinds = _plain_tokens(text), _emotive_kinds()  # tokenize(text)'s tokens
    else:
        kinds = _emotive_kinds_possessive()
    n = max(len(toks), 1)
    # the tokens in any of the word sets, as their sets' bits (one C-level map), then per set
    hits = Counter(filter(None, map(kinds.get, toks)))
    strong = negative = positive = 0
    for bits, c in hits.items():
        strong += c if bits & 1 else 0
        negative += c if bits & 2 else 0
        positive += c if bits & 4 else 0
    return [1000 * c / n for c in (*_count_row(text), strong, negative, positive)]


# ---- texts ----

EDGES = [  # cues beside blank lines and line breaks
    "It cost $\n\n5 million.", "It cost $\n5 million.", "Up 5\n\n% on the year.", "Up 5\n%.",
    "Paid 5\n\ndollars, 7\ndollars and 9 dollars.", "5.\n\nEuros fell. 3,5\n\npounds", "Aged\n\n7 and aged 7.",
    "I\n\nme\n\nmy we\n\nWe you\n\nYOU yours", "per\n\ncent, per cent, percent", "¥\n\n3 and € 4",
    "a 52-year-old\n\n-year-old 52\n\n-year-old", "\n\n\n\n", "\n\n", "", "   ", "\n\n\n5\n\n\n%\n\n\n$\n\n\n6",
    "“Quote”\n\n\"quote\"?!\n\n?", "The crisis’s toll\n\nthe crisis's toll; a disaster's end.\n\nGood, great, awful.",
    "Terrible\r\n\r\nwonderful\r\n\r\n$ 5", "Ünïcödé crisis\n\nmoney $5",
]


def _seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]


def _recombined(texts: list[str], n: int, seed: int) -> list[str]:
    """Texts made of the given texts' blocks, so blocks repeat (first, second and later sightings)."""
    blocks = [b for t in texts for b in t.split("\n\n")]
    rng = random.Random(seed)
    return ["\n\n".join(rng.choice(blocks) for _ in range(rng.randint(1, 6))) for _ in range(n)]


@pytest.fixture(autouse=True)
def _fresh_blocks(monkeypatch):
    """Each test starts with no block remembered (and small bounds, so emptying is exercised)."""
    monkeypatch.setattr(style, "_BLOCKS", {})
    monkeypatch.setattr(style, "_SEEN", set())
    monkeypatch.setattr(style, "_BLOCKS_SIZE", 40)
    monkeypatch.setattr(style, "_SEEN_SIZE", 60)
    monkeypatch.setattr(style, "_SUMS", [0, 0, 0])


def test_rows_equal_the_reference_when_blocks_rarely_repeat(monkeypatch):
    """Texts counted whole (blocks rarely repeat) and every 8th by blocks: the same rows."""
    monkeypatch.setattr(style, "_SUMS", [500, 0, 0])
    texts = _recombined(_seed_texts() + EDGES, 100, 5)
    _assert_rows(texts + texts)
    assert style._SUMS[2] > 100 and 500 < style._SUMS[0] < 500 + style._SUMS[2] // 2  # some counted whole, some by blocks


def _matcher_tokens(text: str) -> list[str]:
    m = scores._pass_matcher([as_dictionary(s) for s in SCHEMES], True, True)[0]
    return m._tokens(text)[1]


def _assert_rows(texts: list[str]) -> None:
    for text in texts:
        toks = _matcher_tokens(text)
        assert style.style_row(text, toks) == _reference_style_row(text, toks), repr(text[:80])
        assert style.style_row(text) == _reference_style_row(text), repr(text[:80])


def test_rows_equal_the_reference_on_edges_and_seed():
    seed = _seed_texts()
    for _ in range(3):  # first, second and third sightings of every block
        _assert_rows(EDGES + seed)


def test_rows_equal_the_reference_on_recombined_blocks():
    seed = _seed_texts()
    texts = _recombined(seed + EDGES, 300, 7)
    _assert_rows(texts)
    assert style._BLOCKS, "no block was remembered: the sums were never tried"
    rng = random.Random(3)
    edge_mix = ["\n\n".join(rng.choice(EDGES) for _ in range(4)) for _ in range(200)]
    _assert_rows(edge_mix + edge_mix)


def _corpus(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))],
                         "title": ["Crisis talks" if i % 3 else None for i in range(len(texts))], "text": texts})


def test_packed_scores_and_unpacked_tables_equal_the_reference(monkeypatch):
    seed = _seed_texts()
    corpus = _corpus(_recombined(seed + EDGES, 120, 11) + seed + EDGES + [None])
    kw = {"scheme": SCHEMES, "levels": ("document", "section"), "answers": True, "peaks": True,
          "packed": True, "style": True}
    cols = {"section": ["unit_id", "scheme", "label", "n_matches", "per_1000"]}
    got = [scores.frame_scores_by_level(corpus, **kw) for _ in range(3)]  # blocks remembered on later calls
    monkeypatch.setattr(scores, "style_row", _reference_style_row)
    want = scores.frame_scores_by_level(corpus, **kw)
    w_levels, w_answers, w_peaks = scores.unpack_scores(want, SCHEMES, answers=True, peaks=True, columns=cols)
    for g in got:
        pd.testing.assert_frame_equal(g, want, check_exact=True)
        levels, answers, peaks = scores.unpack_scores(g, SCHEMES, answers=True, peaks=True, columns=cols)
        for lev in w_levels:
            pd.testing.assert_frame_equal(levels[lev], w_levels[lev], check_exact=True)
        pd.testing.assert_frame_equal(answers, w_answers, check_exact=True)
        pd.testing.assert_frame_equal(peaks, w_peaks, check_exact=True)
