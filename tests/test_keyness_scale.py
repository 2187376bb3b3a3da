"""keyness counts each token once (stop and short words dropped from the counts afterwards) and
tokenizes once for keyness_vs_english: the same counts, order and tables as the previous code."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from helpers import keyness, text

TEXTS = ["", "The NATO's plan: NATO, Nato and nato. A b c.", "İZMİR ΟΔΟΣ'S x y", None,
         "Japan seeks NATO support against China's rising maritime power; the islands, 2,000 men."]


def _reference_term_counts(texts, stop_words=text.STOP_WORDS, min_length=2):
    c = Counter()
    for t in texts:
        c.update(w for w in text.tokenize(t if isinstance(t, str) else "", stop_words=stop_words) if len(w) >= min_length)
    return c


@pytest.fixture(scope="module")
def texts(seed_corpus):
    seed = seed_corpus["text"].iloc[0]
    return TEXTS + [seed] + [p for p in seed.split("\n\n")]


@pytest.mark.parametrize("kwargs", [{}, {"stop_words": None}, {"min_length": 4}, {"stop_words": ["nato", "the"]},
                                    {"stop_words": None, "min_length": 1}])
def test_term_counts_match_reference(texts, kwargs):
    got, ref = keyness.term_counts(texts, **kwargs), _reference_term_counts(texts, **kwargs)
    assert got == ref and list(got) == list(ref)


def test_keyness_vs_english_counts_tokens_once(texts, monkeypatch):
    got = keyness.keyness_vs_english(texts, min_count=1)
    monkeypatch.setattr(keyness, "_counts_and_tokens", lambda ts, stop, m: (
        _reference_term_counts(ts, stop), sum(len(text.tokenize(t)) for t in ts)))
    pd.testing.assert_frame_equal(got, keyness.keyness_vs_english(texts, min_count=1))
    assert got["n_tokens"].iloc[0] == sum(len(text.tokenize(t if isinstance(t, str) else "")) for t in texts)
