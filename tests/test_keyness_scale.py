"""keyness counts each token once (stop and short words dropped from the counts afterwards),
tokenizes plain texts with ASCII classes, and keyness_vs_english reads the counts compare_groups
made of the same corpus: the same counts, order and tables as the previous code."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom

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


# ---- the earlier keyness_vs_english and compare_groups (HEAD before the shared corpus counts),
# verbatim but for the _reference_ names; they tokenize with text.tokenize ----


def _reference_counts_and_tokens(texts, stop_words, min_length):
    c = Counter()
    n = 0
    for t in texts:
        toks = text.tokenize(t if isinstance(t, str) else "")
        n += len(toks)
        c.update(toks)
    stop = frozenset(stop_words) if stop_words is not None else frozenset()
    for w in [w for w in c if w in stop or len(w) < min_length]:
        del c[w]
    return c, n


def _reference_compare_groups(corpus, by, target, reference=None, min_count=3, stop_words=text.STOP_WORDS,
                              top=None, alpha=0.05, min_log_ratio=1.0):
    col = corpus[by]

    def mask(sel):
        if callable(sel):
            return np.asarray(sel(col), dtype=bool)
        if isinstance(sel, (list, tuple, set)):
            return col.isin(list(sel)).to_numpy()
        return (col == sel).to_numpy()

    m_t = mask(target)
    m_r = ~m_t if reference is None else mask(reference)
    k = keyness.keyness(
        _reference_counts_and_tokens(corpus.loc[m_t, "text"], stop_words, 2)[0],
        _reference_counts_and_tokens(corpus.loc[m_r, "text"], stop_words, 2)[0],
        min_count=min_count,
        top=top,
        alpha=alpha,
        min_log_ratio=min_log_ratio,
    )
    k["target"] = f"{by}={target if not callable(target) else 'selection'}"
    k["reference"] = (
        "rest"
        if reference is None
        else f"{by}={reference if not callable(reference) else 'selection'}"
    )
    return k


def _reference_keyness_vs_english(texts, min_count=2, stop_words=text.STOP_WORDS, lang="en", top=None,
                                   alpha=0.05, min_log_ratio=1.0, floor=keyness.WORDFREQ_FLOOR):
    from wordfreq import word_frequency

    if isinstance(texts, pd.DataFrame):
        texts = texts["text"]
    texts = ["" if not isinstance(t, str) else t for t in texts]
    all_counts, n = _reference_counts_and_tokens(texts, stop_words, 2)
    counts = {w: c for w, c in all_counts.items() if c >= min_count}
    cols = ["term", "count", "n_tokens", "expected", "per_million", "per_million_english", "in_wordfreq",
            "log_ratio", "p_value", "q_value", "key_for", "key"]
    if n == 0 or not counts:
        return pd.DataFrame(columns=cols)
    terms = sorted(counts)
    k = np.array([counts[w] for w in terms], dtype=float)
    raw = np.array([word_frequency(w.replace("’", "'"), lang) for w in terms], dtype=float)
    p = np.maximum(raw, floor)
    out = pd.DataFrame(
        {
            "term": terms,
            "count": k.astype(int),
            "n_tokens": n,
            "expected": n * p,
            "per_million": 1e6 * k / n,
            "per_million_english": 1e6 * p,
            "in_wordfreq": raw > 0,
            "log_ratio": np.log2((k / n) / p),
            "p_value": binom.sf(k - 1, n, p),
        }
    )
    out["q_value"] = keyness.bh_qvalues(out["p_value"])
    out["key_for"] = np.where(out["log_ratio"] > 0, "target", "english")
    out["key"] = (out["q_value"] < alpha) & (out["log_ratio"] >= min_log_ratio)
    out = out.sort_values(
        ["key", "q_value", "log_ratio", "term"], ascending=[False, True, False, True]
    )
    out = out.reset_index(drop=True)[cols]
    return out.head(top) if top else out


CORPUS_2K = Path(__file__).parents[1] / "benchmarks" / "results" / "scale" / "corpus-2k.jsonl"


def _grouped(texts, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts,
                         "outlet": rng.choice(["a", "b", "c"], len(texts))})


@pytest.fixture(scope="module")
def grouped(texts):
    more = list(texts)
    if CORPUS_2K.is_file():
        with CORPUS_2K.open(encoding="utf-8") as fh:
            more += [json.loads(line)["text"] for _, line in zip(range(300), fh, strict=False)]
    return _grouped(more)


def _assert_pair(corpus, **kw):
    """compare_groups then keyness_vs_english (the notebook's order) equal the references."""
    pd.testing.assert_frame_equal(keyness.compare_groups(corpus, "outlet", "a", **kw),
                                  _reference_compare_groups(corpus, "outlet", "a", **kw))
    pd.testing.assert_frame_equal(keyness.keyness_vs_english(corpus), _reference_keyness_vs_english(corpus))


def test_compare_groups_then_english_equal_the_references(grouped):
    keyness._LAST_CORPUS.clear()
    _assert_pair(grouped)
    assert len(keyness._LAST_CORPUS) == 1  # the corpus's counts were kept and read
    _assert_pair(grouped, stop_words=None, min_count=1)
    for kw in ({"min_count": 1}, {"stop_words": ["nato"], "min_count": 5}):
        pd.testing.assert_frame_equal(keyness.keyness_vs_english(grouped, **kw),
                                      _reference_keyness_vs_english(grouped, **kw))


def test_kept_counts_serve_only_the_same_texts(grouped):
    _assert_pair(grouped)
    # other texts, the same texts in another order, a text changed, a side given explicitly
    other = grouped.iloc[::-1].reset_index(drop=True)
    changed = grouped.assign(text=[*grouped["text"][:-1], "Diaoyu Diaoyu"])
    for corpus in (grouped.iloc[:10], other, changed):
        pd.testing.assert_frame_equal(keyness.keyness_vs_english(corpus), _reference_keyness_vs_english(corpus))
    keyness._LAST_CORPUS.clear()
    pd.testing.assert_frame_equal(keyness.compare_groups(grouped, "outlet", "a", reference="b"),
                                  _reference_compare_groups(grouped, "outlet", "a", reference="b"))
    assert not keyness._LAST_CORPUS  # a comparison of two groups leaves some documents out
    _assert_pair(pd.DataFrame({"text": ["", None, "x x x", float("nan")], "outlet": ["a", "b", "a", "b"]}))
    # texts that join to the same characters are other texts
    _assert_pair(pd.DataFrame({"text": ["nato japan", "china"], "outlet": ["a", "b"]}))
    texts = ["nato ", "japanchina"]
    pd.testing.assert_frame_equal(keyness.keyness_vs_english(texts, min_count=1),
                                  _reference_keyness_vs_english(texts, min_count=1))
