"""topics.tokens.count_tokens with each distinct piece (text between ASCII white space, split and
told apart by pyarrow) lower-cased and tokenised once equals the code before (verbatim below as
``_reference_*``: every text lower-cased and tokenised whole, its tokens factorized).

Compared: the types (and their order of first appearance), stop flags and counts, the number of
tokens and the document-term arrays; texts: the seed article, its paragraphs, recombined words,
adversarial texts (the lower-case exceptions İ and Σ at piece edges, a lone surrogate, non-ASCII
and ASCII-control white space, digits and underscores beside letters, non-word Unicode), tiny
chunks and memos, other token patterns and stop words; and the whole vectorizer (counts,
vocabulary, report) on the seed and corpus-2k where it is there (git-ignored).
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Sequence
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from helpers.text import units
from helpers.topics import TopicVectorizer, preprocess
from helpers.topics import tokens as ttokens
from helpers.topics.tokens import TokenCounts, _chunk_bounds, as_texts, find_tokens

ROOT = Path(__file__).resolve().parents[1]
CORPUS_2K = ROOT / "benchmarks" / "results" / "scale" / "corpus-2k.jsonl"
ODD = ["", "  ", "NATO's plan. It's Jones' and the boss's.", "İstanbul’s İZMİR'S mayor. ΟΔΟΣ'S ΣΟΦΙΑ Σ'S ΟΔΟΣ\tΟΔΟΣ",
       "Σ. Σ's ς σ ΑΣ ΣΑ Σ\nΑΣ\x0bΑΣ\u00a0ΑΣ\u2028ΑΣ", "a\u00a0b\u3000c d\x1ce\x1df\u2028g\u0085h\u200bi\tj\x0bk\x0cl\rm",
       "Straße ǅemal Ǉ ﬁne ŉ ǰ. Crème brûlée’s café. ΑΒΓΔ", "abc123 123abc abc_def _abc déjà-vu 3rd the word\nword",
       "ÀÉÎ Ωμέγα NATO’S. Ⅻ ⅻ ǈ ＡＢＣ ｄｅｆ", "“Quoted” words — don’t stop «here» said\r\nsaid\r\n\r\nZzyzx",
       "tab\tseparated\x0cform\x0bfeed\x1c\x1d\x1e\x1fseparators \x85next\u2029para", "ΣΣΣ σΣσ Σ̈Σ Σ\u0301 ΑΣ\u0301"]
SURROGATE = "lone \ud800 surrogate's here. Words after it."


def _reference_chunk_codes(docs: list[str], pattern, index: dict, types: list, stop: list, is_stop):
    """Token type ids of one chunk (numbering new types as they appear) and each token's row."""
    find = find_tokens(pattern)
    toks = [find(d.lower()) for d in docs]
    lens = np.fromiter(map(len, toks), dtype=np.int64, count=len(toks))
    flat = np.fromiter(chain.from_iterable(toks), dtype=object, count=int(lens.sum()))
    codes, uniques = pd.factorize(flat)
    gid = np.empty(len(uniques), dtype=np.int64)
    for i, u in enumerate(uniques):
        g = index.get(u)
        if g is None:
            g = index[u] = len(types)
            types.append(u)
            stop.append(bool(is_stop(u)))
        gid[i] = g
    return np.repeat(np.arange(len(docs)), lens), gid[codes] if len(codes) else codes.astype(np.int64)



def _reference_count_tokens(docs: list[str], pattern, is_stop, chunk_docs: int | None = None) -> TokenCounts:
    """Tokenise ``docs`` (lower-cased, ``pattern.findall``) and count non-stop and stop tokens.

    In: texts, a compiled token pattern, a ``is_stop(token) -> bool`` function. Out: a
    :class:`TokenCounts`; type numbers follow the first appearance of each token in document
    order, so orderings that depend on it (ties in the stop-word examples) are those of a
    sequential pass. Documents are tokenised a chunk at a time: ``chunk_docs`` documents, or by
    default about :data:`CHUNK_CHARS` characters. The chunking changes no output (types are
    numbered across chunks in document order, rows and counts are per document).
    """
    index: dict[str, int] = {}
    types: list[str] = []
    stop: list[bool] = []
    parts, stop_counts, n_raw = [], np.zeros(0, dtype=np.int64), 0
    for a, b in _chunk_bounds(docs, chunk_docs):
        rows, codes = _reference_chunk_codes(docs[a:b], pattern, index, types, stop, is_stop)
        n_raw += len(codes)
        is_s = np.asarray(stop, dtype=bool)
        mask = is_s[codes] if len(codes) else np.zeros(0, dtype=bool)
        sc = np.bincount(codes[mask], minlength=len(types))
        stop_counts = np.concatenate([stop_counts, np.zeros(len(types) - len(stop_counts), np.int64)])
        stop_counts += sc
        keep = ~mask
        m = sparse.csr_matrix(
            (np.ones(int(keep.sum())), (rows[keep], codes[keep])), shape=(b - a, len(types))
        )
        m.sum_duplicates()
        parts.append(m)
    n = len(types)
    for m in parts:
        m.resize((m.shape[0], n))
    doc_term = sparse.vstack(parts, format="csr") if parts else sparse.csr_matrix((0, n))
    return TokenCounts(types, np.asarray(stop, dtype=bool), doc_term, stop_counts, n_raw)



def _same(a: TokenCounts, b: TokenCounts):
    assert a.types == b.types and a.n_raw == b.n_raw
    np.testing.assert_array_equal(a.stop, b.stop)
    np.testing.assert_array_equal(a.stop_counts, b.stop_counts)
    assert a.doc_term.shape == b.doc_term.shape and a.doc_term.dtype == b.doc_term.dtype
    assert a.doc_term.has_sorted_indices == b.doc_term.has_sorted_indices
    for name in ("indptr", "indices", "data"):
        x, y = getattr(a.doc_term, name), getattr(b.doc_term, name)
        assert x.dtype == y.dtype
        np.testing.assert_array_equal(x, y)


def _stop_fn(words):
    words = frozenset(words)
    return lambda t: t in words or t.startswith(("zz", "σ"))


@pytest.fixture(scope="module")
def texts(seed_corpus) -> dict[str, list[str]]:
    seed = seed_corpus["text"].tolist()
    paras = units(seed_corpus, "paragraph")["text"].tolist()
    rng = random.Random(5)
    words = list(chain.from_iterable(re.split(r"([ \n\t\u00a0])", t) for t in seed + ODD))
    made = ["".join(rng.choice(words) for _ in range(rng.randint(0, 80))) for _ in range(300)]
    return {"seed": seed, "paragraphs": paras, "odd": ODD, "made": made + ODD, "empty": [],
            "blank": ["", " ", "\n\n"], "surrogate": [*made[:20], SURROGATE, *ODD]}


PATTERNS = [ttokens.DEFAULT_TOKEN_PATTERN, r"(?u)\b\w\w+\b", r"[a-z]+", r"(?u)\b[^\W\d_]{3,}\b|\d+"]


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("chunk_docs", [None, 1, 7])
def test_count_tokens_equals_reference(texts, pattern, chunk_docs):
    rx = re.compile(pattern)
    for stop in (_stop_fn(["the", "and", "said", "nato", "σοφια"]), lambda t: False):
        for docs in texts.values():
            got = ttokens.count_tokens(docs, rx, stop, chunk_docs=chunk_docs)
            ref = _reference_count_tokens(docs, rx, stop, chunk_docs=chunk_docs)
            _same(got, ref)


@pytest.mark.parametrize("memo", [0, 1, 50])
@pytest.mark.parametrize("chars", [1, 300, 5_000])
def test_small_chunks_and_memos_equal_reference(texts, monkeypatch, memo, chars):
    """Pieces remembered across chunks (or forgotten at every chunk) number types as one pass does."""
    monkeypatch.setattr(ttokens, "PIECES_MEMO", memo)
    monkeypatch.setattr(ttokens, "CHUNK_CHARS", chars)
    rx = re.compile(ttokens.DEFAULT_TOKEN_PATTERN)
    stop = _stop_fn(["the", "and"])
    for docs in (texts["made"], texts["paragraphs"], texts["surrogate"]):
        _same(ttokens.count_tokens(docs, rx, stop), _reference_count_tokens(docs, rx, stop))


def test_chunk_codes_rows_and_codes_equal_reference(texts):
    rx = re.compile(ttokens.DEFAULT_TOKEN_PATTERN)
    for docs in (texts["made"], texts["seed"], texts["surrogate"]):
        a_state, b_state = ({}, [], []), ({}, [], [])
        rows, codes = ttokens._chunk_codes(docs, rx, *a_state, bool, {})
        r_rows, r_codes = _reference_chunk_codes(docs, rx, *b_state, bool)
        np.testing.assert_array_equal(rows, r_rows)
        np.testing.assert_array_equal(codes, r_codes)
        assert a_state == b_state


def _vectorizer_both(monkeypatch, docs, **kw):
    got = TopicVectorizer(**kw)
    X = got.fit_transform(docs)
    with monkeypatch.context() as m:
        m.setattr(preprocess, "count_tokens", _reference_count_tokens)
        ref = TopicVectorizer(**kw)
        R = ref.fit_transform(docs)
    assert got.vocabulary_ == ref.vocabulary_ and got.notes_ == ref.notes_
    pd.testing.assert_frame_equal(got.report_, ref.report_)
    for name in ("indptr", "indices", "data"):
        np.testing.assert_array_equal(getattr(X, name), getattr(R, name))
    return got, ref


@pytest.mark.parametrize("kw", [{}, {"min_df": 1, "max_df": 1.0, "outlets": ["Global Times"]}])
def test_vectorizer_equals_reference(texts, monkeypatch, kw):
    for docs in (texts["seed"], texts["paragraphs"], texts["made"]):
        _vectorizer_both(monkeypatch, docs, **kw)


@pytest.mark.skipif(not CORPUS_2K.exists(), reason="corpus-2k not generated (benchmarks/results/scale)")
def test_vectorizer_equals_reference_corpus_2k(monkeypatch):
    docs = pd.read_json(CORPUS_2K, lines=True)["text"].tolist()
    got, ref = _vectorizer_both(monkeypatch, docs, outlets=["Global Times"])
    paras = units(pd.DataFrame({"doc_id": range(len(docs)), "text": docs}), "paragraph")["text"].tolist()
    rx = re.compile(ttokens.DEFAULT_TOKEN_PATTERN)
    _same(ttokens.count_tokens(paras, rx, got._is_stop), _reference_count_tokens(paras, rx, got._is_stop))


def _reference_as_texts(texts) -> list[str]:
    """Documents as strings (missing ones as ""); a single string is refused."""
    if isinstance(texts, str):
        raise TypeError("Pass a list or Series of documents, not a single string")
    return [
        "" if (t is None or (isinstance(t, float) and math.isnan(t))) else str(t) for t in texts
    ]


@pytest.mark.parametrize("dtype", ["str", "string[pyarrow]", "string[python]", object, "category"])
def test_as_texts_equals_reference(dtype):
    values = ["NATO", None, "", "  ", "Σ", np.nan, "İZMİR", "x"]
    series = pd.Series(values, dtype=dtype)
    for texts in (series, series.iloc[2:], series[series.notna()], pd.Series([], dtype=dtype),
                  pd.Series([1, 2.5, np.nan]), pd.Series([1, 2]), values):
        assert ttokens.as_texts(texts) == _reference_as_texts(texts)



# ---------------------------------------------------------------- oov_report from one array pass
def _reference_oov_report(self, texts, ids: Sequence | None = None) -> pd.DataFrame:
    """Out-of-vocabulary rates of new texts against the frozen vocabulary.

    Terms are counted after stop words/lemmatising (content terms). A term is
    *unseen* if it never occurred in the training texts (new names, new subjects) and
    *trimmed* if it occurred but was dropped by min_df/max_df/max_features (a choice,
    not a gap); the model reads neither.

    Returns:
        DataFrame with ``doc_id``, ``n_terms`` (content terms), ``n_in_vocab``,
        ``oov_rate`` (unseen / n_terms; NaN when the text has no content term),
        ``trimmed_rate`` (trimmed / n_terms), ``top_oov`` (most frequent unseen terms).
    """
    self._check_fitted()
    docs = as_texts(texts)
    ids = list(ids) if ids is not None else list(range(len(docs)))
    seen = getattr(self, "seen_terms_", frozenset(self.vocabulary_))
    rows = []
    for i, d in zip(ids, docs, strict=True):
        terms = self.analyze(d)
        unseen = Counter(t for t in terms if t not in seen)
        n = len(terms)
        n_in = sum(1 for t in terms if t in self.vocabulary_)
        n_unseen = sum(unseen.values())
        rows.append(
            {
                "doc_id": i,
                "n_terms": n,
                "n_in_vocab": n_in,
                "oov_rate": n_unseen / n if n else np.nan,
                "trimmed_rate": (n - n_in - n_unseen) / n if n else np.nan,
                "top_oov": ", ".join(t for t, _ in unseen.most_common(5)),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["doc_id", "n_terms", "n_in_vocab", "oov_rate", "trimmed_rate", "top_oov"],
    )



def _fitted(docs, **kw):
    return TopicVectorizer(min_df=2, max_df=0.9, outlets=["Global Times"], **kw).fit(docs)


@pytest.mark.parametrize("chars", [None, 300])
def test_oov_report_equals_reference(texts, monkeypatch, chars):
    if chars:
        monkeypatch.setattr(ttokens, "CHUNK_CHARS", chars)
    half = len(texts["made"]) // 2
    vec = _fitted(texts["made"][:half])
    new = texts["made"][half:] + texts["odd"] + texts["seed"] + texts["paragraphs"][:40] + ["said said NATO", ""]
    for docs, ids in ((new, None), (new, [f"u{i}" for i in range(len(new))]), (["x"], None),
                      (pd.Series(new), list(range(100, 100 + len(new))))):
        pd.testing.assert_frame_equal(vec.oov_report(docs, ids), _reference_oov_report(vec, docs, ids))
    pd.testing.assert_frame_equal(vec.oov_report([]), _reference_oov_report(vec, []))
    slow = _fitted(texts["made"][:half], lemmatize=True)  # not the array path: unchanged
    pd.testing.assert_frame_equal(slow.oov_report(new), _reference_oov_report(slow, new))


def test_oov_report_ties_in_order_of_appearance():
    vec = TopicVectorizer(min_df=1, max_df=1.0).fit(["alpha beta gamma"])
    got = vec.oov_report(["zeta eta theta zeta iota kappa lambda eta mu", "nuu xii nuu"])
    assert got["top_oov"].tolist() == ["zeta, eta, theta, iota, kappa", "nuu, xii"]
