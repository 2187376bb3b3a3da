"""Notebook 10's style cues from the scoring pass (seventh session, G3): the same features.

The generic model's style columns (:func:`helpers.framing.style_features`: money, percentages,
pronouns, ages, emotive words per 1,000 tokens) were computed in the model cell from a second
tokenisation of every document (``_plain_tokens``). The scoring pass has just tokenised each
document (the matcher's tokens), so ``frame_scores_by_level(packed=True, style=True)`` now makes
each document's row there (:func:`helpers.framing.style.style_row`: the matcher's tokens keep a
final 's that ``tokenize`` drops, so the emotive words are looked up under their possessives
too), ``unpack_scores`` puts the ``style:`` columns beside the peaks, and ``lexicon_features``
takes them as known instead of tokenising again. The same rows carry each document's
sentences with text (``n_sentences``, :func:`helpers.framing.sentence_counts`' numbers from the
sentence spans the peaks were counted on), so the notebook no longer maps ``sentence_counts``
over the corpus. The old ``sentence_counts`` and the old ``style_features`` is kept below
verbatim but for the ``_reference_`` name (and ``style.`` before the helpers it shares) and run
beside the new on random texts built from emotive words, possessives in every spelling, joiners,
digits and non-ASCII characters. Needs no benchmark corpus and no evaluation data.
"""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from helpers import framing
from helpers.framing import features, scores, style
from helpers.framing.matcher import Matcher
from helpers.text import _plain_tokens, sentence_spans_each

# ---- old helpers/framing/features.py style_features (HEAD 8653091; verbatim but for the names) ----


def _reference_style_features(texts) -> pd.DataFrame:
    """Surface cues per 1,000 tokens that dictionaries of words miss: money amounts, percentages,
    quotation marks, first/second-person pronouns, ages, question and exclamation marks, digits,
    and emotional wording (VADER lexicon: words with |valence| >= 2, and negative/positive ones).
    """
    kinds = style._emotive_kinds()
    rows = []
    for t in texts:
        t = t if isinstance(t, str) else ""
        toks = _plain_tokens(t)  # tokenize(t)'s tokens
        n = max(len(toks), 1)
        # the tokens in any of the word sets, as their sets' bits (one C-level map), then per set
        hits = Counter(filter(None, map(kinds.get, toks)))
        strong = negative = positive = 0
        for bits, c in hits.items():
            strong += c if bits & 1 else 0
            negative += c if bits & 2 else 0
            positive += c if bits & 4 else 0
        rows.append([1000 * c / n for c in (*style._count_row(t), strong, negative, positive)])
    if not rows:
        return pd.DataFrame(rows)
    return pd.DataFrame(np.array(rows, dtype=float), columns=style._STYLE_COLUMNS)


# ---- old helpers/framing/units.py sentence_counts (HEAD 8653091; verbatim but for the name) ----


def _reference_sentence_counts(corpus: pd.DataFrame) -> pd.DataFrame:
    """Per document, its sentences with text: the rows of ``units(corpus, "sentence")`` whose text
    is not blank. Out: ``doc_id``, ``n_sentences`` (one row per document, in order, 0 included).
    Document-separable; :func:`sample_sentences` draws from it."""
    texts = [text if isinstance(text, str) else "" for text in corpus["text"]]
    ns = [
        sum(1 for s, e in spans if text[s:e].strip())
        for text, spans in zip(texts, sentence_spans_each(texts), strict=True)  # looked up together
    ]
    return pd.DataFrame({"doc_id": corpus["doc_id"].to_numpy(), "n_sentences": ns})


# ---- the tests ----

_WORDS = ["hate", "love", "terrible", "great", "war", "dispute", "China", "tax", "we", "you", "I",
          "money", "cost", "kill", "win", "bad", "good", "HATE", "Love", "peace", "A", "s", "S"]
_JOIN = ["'s", "’s", "'S", "’S", "'", "’", "-", "'s-", "'sx", "'s'", "'s2", "'s's", "-year-old", "n't", ""]
_GAPS = [" ", " ", " ", ", ", ". ", "\n\n", " $", " 12% ", " per cent ", "? ", "! ", " “", "” ", " aged 7 ",
         " 5 dollars ", "é", " Σ ", "İ", "ß", "—", " 3,000 ", "\u00a0", "_", "1"]


def _texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(0, 40)):
            parts += [rng.choice(_WORDS), rng.choice(_JOIN) if rng.random() < 0.4 else "", rng.choice(_GAPS)]
        out.append("".join(parts))
    return out + ["", "   ", "hate's", "HATE’S love's's", "boss's-hate's war'S.", "x's2 love’s"]


def _matcher_tokens(text: str) -> list[str]:
    return Matcher({"k": ["zzz"]})._tokens(text)[1]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_style_row_from_the_matcher_tokens_is_the_old_row(seed):
    texts = _texts(300, seed)
    old = _reference_style_features(texts).to_numpy()
    new = np.array([style.style_row(t, _matcher_tokens(t)) for t in texts])
    alone = np.array([style.style_row(t) for t in texts])
    assert (new == old).all() and (alone == old).all()
    assert (style.style_features(texts).to_numpy() == old).all()
    assert style.style_features([]).shape == _reference_style_features([]).shape


def _corpus(seed: int) -> pd.DataFrame:
    texts = _texts(40, seed) + ["One. Two!\n\n  \n\nThree? .", "  .  \n\n x", "Mr. Abe said so. Then?"]
    ids = [f"d{i}" for i in range(len(texts))]
    titles = [t[:30] for t in texts]
    return pd.DataFrame({"doc_id": ids, "title": titles, "text": texts})


SCHEMES = ["generic", "policy", "territorial"]


@pytest.mark.parametrize("repeat", [False, True])
def test_scoring_pass_gives_the_style_columns_beside_unchanged_peaks(repeat):
    c = _corpus(3)
    if repeat:  # a repeated id and a missing text: those documents are scanned on their own
        c.loc[3, "doc_id"] = c.loc[2, "doc_id"]
        c.loc[5, "text"] = None
    kw = dict(scheme=SCHEMES, levels=("document", "section"), answers=True, peaks=True)
    before = scores.unpack_scores(framing.frame_scores_by_level(c, packed=True, **kw), **kw)
    packed = framing.frame_scores_by_level(c, packed=True, style=True, **kw)
    after = scores.unpack_scores(packed, **kw)
    for lev in before[0]:
        pd.testing.assert_frame_equal(before[0][lev], after[0][lev], check_exact=True)
    pd.testing.assert_frame_equal(before[1], after[1], check_exact=True)
    wide = after[2]
    pd.testing.assert_frame_equal(wide[before[2].columns], before[2], check_exact=True)
    ref = _reference_style_features(c["text"].tolist()).set_index(pd.Index(c["doc_id"], name="doc_id"))
    got = wide[style._STYLE_COLUMNS]
    assert list(got.index) == list(ref.index)
    assert (got.to_numpy() == ref.to_numpy()).all()
    counts = _reference_sentence_counts(c)
    assert wide["n_sentences"].dtype == np.int64 and wide["n_sentences"].tolist() == counts["n_sentences"].tolist()
    pd.testing.assert_frame_equal(framing.sentence_counts(c), counts, check_exact=True)
    pd.testing.assert_frame_equal(  # as notebook 10 builds the counts from it
        pd.DataFrame({"doc_id": c["doc_id"].to_numpy(), "n_sentences": wide["n_sentences"].to_numpy()}), counts)
    # document-separable: the chunks' tables concatenated unpack to the same
    halves = pd.concat([framing.frame_scores_by_level(c.iloc[a:b], packed=True, style=True, **kw)
                        for a, b in ((0, 17), (17, len(c)))], ignore_index=True)
    pd.testing.assert_frame_equal(scores.unpack_scores(halves, **kw)[2], wide, check_exact=True)


def test_style_needs_packed():
    with pytest.raises(ValueError):
        framing.frame_scores_by_level(_corpus(0), style=True)


def test_model_features_from_the_known_style_columns_are_the_computed_ones(monkeypatch):
    c = _corpus(4)
    kw = dict(scheme=SCHEMES, levels=("document",), answers=True, peaks=True)
    levels, answers, wide = scores.unpack_scores(framing.frame_scores_by_level(c, packed=True, style=True, **kw), **kw)
    wide = wide.drop(columns="n_sentences")  # as notebook 10 takes it out
    known = features.lexicon_columns(levels["document"], answers, SCHEMES, wide)
    known = c[["doc_id"]].merge(known.reset_index(), on="doc_id", how="left").drop(columns="doc_id")
    features._LEX_CACHE.clear()
    computed = features.lexicon_features(c["text"].tolist())
    features._LEX_CACHE.clear()
    monkeypatch.setattr(features, "style_features", None)  # would fail if called
    monkeypatch.setattr(features, "sentence_peak_features", None)
    given = features.lexicon_features(c["text"].tolist(), known=known)
    features._LEX_CACHE.clear()
    pd.testing.assert_frame_equal(given, computed, check_exact=True)
