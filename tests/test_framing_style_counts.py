"""Style cues matched only where they can start: the same counts as ``findall`` over the text.

``helpers.framing.features._counts`` no longer runs the money, percent, ages and pronoun
patterns (which open with ``\\b`` or a class under ``re.I``, so ``re`` tries them at every
character) over the whole text: fast scans (a literal or a plain class first) list the places
a match can start, a superset, and the pattern is matched there only, left to right from the
end of the last match; the digit runs are counted from one ``\\d\\d*`` scan; the emotive words
are counted among the tokens in any of the three word sets. The earlier code is kept below
verbatim but for the ``_reference_`` names and run beside the new on the seed, corpus-2k and
corpus-10k-distinct (their first 800 and 500 texts; when built), random strings, and odd
characters (every digit and white-space character, every one ``re.I`` lets match an ASCII
character, Latin-1, cased letters below U+2000) in each place that decides a start. The
premises of the superset (which characters ``re.I`` lets the letters match, which characters
make ``\\b``) are checked over every code point.
"""

from __future__ import annotations

import json
import random
import re
from functools import lru_cache
from itertools import islice
from pathlib import Path

import pandas as pd
import pytest

from helpers.framing import features
from helpers.framing.features import _STYLE_PATTERNS
from helpers.text import _plain_tokens

SCALE = Path(__file__).parents[1] / "benchmarks" / "results" / "scale"

# ---- old helpers/framing/features.py (verbatim but for the names) ----

_reference_CHAR_COUNTS = {"quote_marks": ('"', "“", "”"), "question_marks": ("?",), "exclamations": ("!",)}
_reference_PRONOUNS = ("first_singular", "first_plural", "second_person")
_reference_PRONOUN_RE = re.compile(
    r"\b(?:(?P<first_singular>I|me|my|mine|I'm|I’m|I've|I’ve)"
    r"|(?i:(?P<first_plural>we|our|us|ours)|(?P<second_person>you|your|yours)))\b"
)
_reference_STYLE_PATTERNS = {
    # money amounts and percentages: economic consequences are told in numbers
    "money": re.compile(r"[$£€¥]\s?\d|\b\d[\d,.]*\s?(?:dollars|euros|pounds|yuan|yen)\b", re.I),
    "percent": re.compile(r"\d\s?%|\bper ?cent\b", re.I),
    "quote_marks": re.compile(r"[\"“”]"),
    # first/second person: personal voices and prescriptions ("we must", "you should")
    "first_singular": re.compile(r"\b(?:I|me|my|mine|I'm|I’m|I've|I’ve)\b"),
    "first_plural": re.compile(r"\b(?:we|our|us|ours)\b", re.I),
    "second_person": re.compile(r"\b(?:you|your|yours)\b", re.I),
    # a human face: "a 52-year-old farmer", "aged 7"
    "ages": re.compile(r"\b\d{1,3}-year-old|\baged? \d{1,3}\b", re.I),
    "question_marks": re.compile(r"\?"),
    "exclamations": re.compile(r"!"),
    "digits": re.compile(r"\d+"),
}


def _reference_count(name: str, rx: re.Pattern, text: str) -> int:
    """How often a style cue occurs in ``text`` (``len(rx.findall(text))``)."""
    chars = _reference_CHAR_COUNTS.get(name)
    return sum(map(text.count, chars)) if chars else len(rx.findall(text))


def _reference_counts(text: str) -> dict[str, int]:
    """Every style cue's :func:`_count` in ``text`` (the pronouns from one scan)."""
    found = dict.fromkeys(_reference_PRONOUNS, 0)
    for m in _reference_PRONOUN_RE.finditer(text):
        found[m.lastgroup] += 1
    return {k: found[k] if k in found else _reference_count(k, rx, text) for k, rx in _reference_STYLE_PATTERNS.items()}


def _reference_style_features(texts) -> pd.DataFrame:
    strong, negative, positive = features._emotive_words()[:3]
    rows = []
    for t in texts:
        t = t if isinstance(t, str) else ""
        toks = _plain_tokens(t)  # tokenize(t)'s tokens
        n = max(len(toks), 1)
        f = {f"style:{k}": 1000 * c / n for k, c in _reference_counts(t).items()}
        # each token in a word set (C-level map): the counts of the lexicon's values per token
        f["style:emotive_strong"] = 1000 * sum(map(strong.__contains__, toks)) / n
        f["style:emotive_negative"] = 1000 * sum(map(negative.__contains__, toks)) / n
        f["style:emotive_positive"] = 1000 * sum(map(positive.__contains__, toks)) / n
        rows.append(f)
    return pd.DataFrame(rows)


# ---- end of the old code ----

ALL_CHARS = "".join(map(chr, range(0x110000)))


def _findall_counts(text: str) -> dict[str, int]:
    """Each pattern's own findall (the pronouns too, one pattern each)."""
    return {k: len(rx.findall(text)) for k, rx in _reference_STYLE_PATTERNS.items()}


def _lines(name: str, n: int) -> list[str]:
    path = SCALE / name
    if not path.exists():
        pytest.skip(f"benchmarks/results/scale/{name} not built")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in islice(fh, n)]


def test_the_patterns_are_the_earlier_ones():
    assert {k: (rx.pattern, rx.flags) for k, rx in _STYLE_PATTERNS.items()} == {
        k: (rx.pattern, rx.flags) for k, rx in _reference_STYLE_PATTERNS.items()}


def test_counts_on_the_seed(seed_corpus):
    for t in [*seed_corpus["text"], ""]:
        assert features._counts(t) == _reference_counts(t) == _findall_counts(t)


@pytest.mark.parametrize("name,n", [("corpus-2k.jsonl", 800), ("corpus-10k-distinct.jsonl", 500)])
def test_style_features_on_the_scale_corpora(name, n):
    texts = _lines(name, n)
    got = features.style_features(texts)
    pd.testing.assert_frame_equal(got, _reference_style_features(texts))
    assert got["style:money"].sum() > 0 and got["style:ages"].sum() > 0 and got["style:percent"].sum() > 0


def test_style_features_on_edge_texts(seed_corpus):
    texts = ["", None, "$", "%", "5%", "5 %", " 5\t%", "per cent", "aged 5", "I", "us", "uſ", "ſ",
             "Imine myself, Iyou, our-us-we, 'I' “me” (you) I\nme\tYOURS; ussr Uses yourself",
             "We’re 52-year-old $5 £ 3 ¥7 €1,2.5 dollars 7 pounds 100 per cent 4percent aged 123 aged 1234",
             "٣٤ ١٢% \u0663\u0664-year-old €٣ $\u00a05 AGED 9 Aged 10", *seed_corpus["text"][:20]]
    pd.testing.assert_frame_equal(features.style_features(texts), _reference_style_features(texts))


_ALPHABET = ("0123456789$£€¥% \n\t\u00a0,.-_'’IimMeEyYwWoOuUrRsSſcCnNtTpPaAgGdDlL?!\"“”é٣²K"
             "ıİ")
_WORDS = ["per cent", "percent", "aged ", "age ", "-year-old", "dollars", "euros", "yen", "yuan", "pounds",
          "I'm", "I’ve", "mine", "my", "me", "we", "our", "ours", "us", "you", "your", "yours"]


def test_counts_on_random_strings():
    rng = random.Random(7)
    for _ in range(20_000):
        parts = [rng.choice(_WORDS) if rng.random() < 0.3 else rng.choice(_ALPHABET)
                 for _ in range(rng.randrange(0, 25))]
        t = "".join(parts)
        assert features._counts(t) == _reference_counts(t), t


@lru_cache(maxsize=1)
def _odd_chars() -> str:
    """ASCII, Latin-1 and every character that is a digit or whitespace for re, that re.I lets
    match an ASCII character, or whose case differs (the rest behave as ASCII punctuation does
    here, checked by the tests over every code point below)."""
    digits = set(re.findall(r"\d", ALL_CHARS)) | set(re.findall(r"\s", ALL_CHARS))
    folds = {c for c in ALL_CHARS if c.lower() != c or c.upper() != c}
    ascii_i = {c for c in re.findall(r"[\x00-\x7f]", ALL_CHARS, re.I) if ord(c) > 0x7f}
    return "".join(sorted(set(map(chr, range(0x100))) | digits | ascii_i | set("“”’‘—–…％＄") | {
        c for c in folds if ord(c) < 0x2000 or c in "\u212a\u212b"}))


# each template's "{}" is filled with every character of _odd_chars, one copy per character
_TEMPLATES = ["{}5 ", "{}5% ", "5{}% ", "5 {} ", "{}ged 5 ", "a{}ed 5 ", "ag{}d 5 ", "age{} 5 ", "aged{}5 ",
              "aged {} ", "{}er cent ", "p{}r cent ", "pe{} cent ", "per{}cent ", "per {}ent ", "per c{}nt ",
              "per ce{}t ", "per cen{} ", "{}I ", "{}me ", "{}my ", "{}mine ", "{}we ", "{}us ", "{}our ",
              "{}you ", " {}e ", " w{} ", " {}s ", " u{} ", " {}ur ", " o{}r ", " ou{} ", " {}ou ", " y{}u ",
              " yo{} ", " m{} ", " I{}m ", "{}5,5 dollars ", "{} 5 yen ", "5{}-year-old "]


@pytest.mark.parametrize("template", _TEMPLATES)
def test_counts_with_every_odd_character_in_a_deciding_place(template):
    t = "".join(template.replace("{}", c) for c in _odd_chars())
    assert features._counts(t) == _reference_counts(t)


def test_re_i_lets_the_letters_match_only_their_ascii_cases():
    """The superset's premise: the start scans spell the letters as their two ASCII cases
    ('s' also U+017F); re.I lets nothing else match them (nor the currency signs, '%')."""
    for c in "pecrntagdwouys":
        extra = {"s": {"\u017f"}}.get(c, set())
        assert set(re.findall(re.escape(c), ALL_CHARS, re.I)) == {c, c.upper()} | extra, c
    for c in "$£€¥%":
        assert re.findall(re.escape(c), ALL_CHARS, re.I) == [c]
    assert re.findall(r"[$£€¥]", ALL_CHARS, re.I) == list("$£¥€")


def test_every_word_boundary_before_a_letter_is_found_by_the_pronoun_scans():
    """\\b before a word character is a character \\W matches before it; the two pronoun scans'
    first characters (a space, the class) cover every such character."""
    boundary = set(re.findall(r".(?=\bI)", "I".join(ALL_CHARS) + "I", re.S))
    nonword = set(re.findall(r"\W", ALL_CHARS))
    assert boundary == nonword
    first = re.compile(features._PRONOUN_STARTS[1].pattern.removesuffix(features._PRONOUN_BEGINS))
    assert nonword - {" "} <= set(first.findall(ALL_CHARS))
    assert features._PRONOUN_STARTS[0].pattern == " " + features._PRONOUN_BEGINS


def test_digit_runs_are_the_runs_of_d_plus():
    t = "".join(_odd_chars()) + "12 3,4 ٣٤5"
    assert [m.span() for m in features._DIGIT_RUNS.finditer(t)] == [m.span() for m in re.finditer(r"\d+", t)]


def _reference_rows(texts, key: str, names: list[str]) -> pd.DataFrame:
    """The earlier last line of ``lexicon_features``: a row list read by pandas."""
    import hashlib

    texts = ["" if not isinstance(t, str) else t for t in texts]
    hashes = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    return pd.DataFrame([features._LEX_CACHE[(key, h)] for h in hashes], columns=names)


@pytest.mark.parametrize("schemes,indicators", [(("generic",), False), (("generic", "policy"), True)])
def test_lexicon_features_stack_the_cached_rows_as_before(seed_corpus, schemes, indicators):
    texts = [*seed_corpus["text"], "", None, "The war and the conflict cost the economy $5 billion.",
             "Blame the government: it is responsible, we say.", seed_corpus["text"].iloc[0],
             "Families grieve; a 52-year-old mother asks why.", "Jobs, taxes and the budget."]
    for batch in (texts, texts[:1], []):
        got = features.lexicon_features(batch, schemes, indicators)
        key = "|".join(schemes) + (":ind" if indicators else "")
        pd.testing.assert_frame_equal(got, _reference_rows(batch, key, features._LEX_NAMES[key]))
        assert len(got) == len(batch)
