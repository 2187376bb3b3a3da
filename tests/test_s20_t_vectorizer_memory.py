"""The topic vectorizer's default path with less memory at once (issue 12, session 20, helper T):
``count_tokens`` makes a Series' strings a chunk at a time (``text_chunks``) and appends each
chunk's counts in place (no parts + ``sparse.vstack``); ``select_columns`` takes the kept entries
block by block (no product and float copies) and, ``consume=True`` (``fit_transform``), writes
them over the counts' own arrays; ``emptied_counter`` keeps no matrix of ones; the trace keeps the
number of documents and of blank ones, not the texts; document frequencies come from a blockwise
``np.bincount`` of the column indices (no CSC copy). At 100k articles the notebook's
``fit_transform`` peaked +3.64 GB before, +0.81 GB after (/tmp/s20/T/measure.py).

Identity: the code before is kept verbatim below (``_reference_*``, HEAD 2e71a64; only the names
of the functions it calls are the reference ones) and compared on varied inputs: Series of Arrow
strings (pandas' default ``str``), ``string[pyarrow]`` with <NA>, object with None/NaN, category,
lists, tuples, generators; empty, one row, blank texts, a lone surrogate; tiny chunks and blocks;
non-canonical matrices (duplicates, explicit zeros, unsorted) for ``select_columns`` and
``emptied_counter``.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from helpers.text import units
from helpers.topics import TopicVectorizer, document_counts
from helpers.topics import tokens as ttokens
from helpers.topics.preprocess import REPORT_COLUMNS
from helpers.topics.tokens import (
    PIECES_MEMO,
    TokenCounts,
    _chunk_bounds,
    _chunk_codes,
    as_texts,
)

ODD = ["", "  ", "\n\x1c\u00a0\u2028", "NATO's plan. It's Jones' and the boss's.", "İstanbul’s İZMİR'S mayor. ΟΔΟΣ'S",
       "a\u00a0b\u3000c d\x1ce\x1df\u2028g\u0085h\u200bi\tj\x0bk\x0cl\rm", "said said said", "the and of",
       "Straße ǅemal ﬁne. Crème brûlée’s café. ΑΒΓΔ", "abc123 123abc abc_def _abc déjà-vu 3rd the word\nword"]
SURROGATE = "lone \ud800 surrogate's here. Words after it."


# ---------------------------------------------------------------- verbatim references (old code)
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
    memo: dict[str, tuple] = {}  # piece -> its type ids (see _chunk_codes)
    for a, b in _chunk_bounds(docs, chunk_docs):
        if len(memo) > PIECES_MEMO:
            memo.clear()
        rows, codes = _chunk_codes(docs[a:b], pattern, index, types, stop, is_stop, memo)
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


def _reference_select_columns(tc: TokenCounts, vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """Documents x vocabulary counts (tokens outside the vocabulary ignored).

    Out: CSR, float64, int32 indices, sorted and summed (the layout of
    ``TopicVectorizer._count_matrix``), columns numbered by ``vocabulary``.
    """
    cols = np.fromiter((vocabulary.get(t, -1) for t in tc.types), dtype=np.int64, count=len(tc.types))
    have = np.flatnonzero(cols >= 0)
    P = sparse.csr_matrix(
        (np.ones(len(have)), (have, cols[have])), shape=(len(tc.types), len(vocabulary))
    )
    X = (tc.doc_term @ P).tocsr()
    X.sum_duplicates()
    X.sort_indices()
    X.eliminate_zeros()
    return sparse.csr_matrix(
        (X.data.astype(np.float64), X.indices.astype(np.int32), X.indptr.astype(np.int32)),
        shape=(tc.doc_term.shape[0], len(vocabulary)),
    )


def _reference_emptied_counter(tc: TokenCounts):
    """``emptied(before, removed)``: how many documents have a term in ``before`` and none left
    once ``removed`` is dropped (the preprocessing report), from each document's distinct terms."""
    B = tc.doc_term.copy()
    B.data = np.ones_like(B.data)
    index = {t: i for i, t in enumerate(tc.types)}

    def indicator(terms: set[str]) -> np.ndarray:
        v = np.zeros(len(tc.types))
        v[[index[t] for t in terms]] = 1.0
        return v

    def emptied(before: set[str], removed: set[str]) -> int:
        n_before = B @ indicator(before)
        n_removed = B @ indicator(before & removed)
        return int(((n_before > 0) & (n_before == n_removed)).sum())

    return emptied


@dataclass
class _ReferenceFitTrace:
    """What each step of one ``TopicVectorizer.fit`` saw and removed: the material of ``report_``."""

    docs: list[str]
    all_segs: list[list[list[str]]] = field(default_factory=list)
    n_raw: int = 0
    n_stop: int = 0
    stop_examples: Counter = field(default_factory=Counter)
    raw_types: set[str] = field(default_factory=set)
    term_docs: list[list[str]] = field(default_factory=list)
    n_joined: int = 0
    n_lemma_stop: int = 0
    counts: Counter = field(default_factory=Counter)
    dfreq: Counter = field(default_factory=Counter)
    min_df: int = 0
    max_df: int = 0
    too_rare: set[str] = field(default_factory=set)
    too_common: set[str] = field(default_factory=set)
    capped: list[str] = field(default_factory=list)
    n_raw_types: int = 0
    n_stop_emptied: int = 0
    #: emptied(before, removed): documents with a term in ``before`` and none left without ``removed``
    emptied: object = None


def _reference_fit_transform(self, texts, y=None, tokens=None):
    """Fit on ``texts`` and return their counts. ``tokens``: their :class:`TokenCounts`
    made already (:meth:`token_counts`, or :func:`~helpers.topics.tokens.document_counts`
    from their paragraphs'), so they are not tokenised again (default path only)."""
    docs = as_texts(texts)
    self._prepare()
    self.notes_: list[str] = []
    if tokens is not None and not self._fast():
        raise ValueError("tokens= needs the default tokenising (no tokenizer, collocations or lemmas)")
    if self._fast():
        self.collocations_ = set()
        trace, tc = self._count_corpus(docs, tokens)
        self._fit_vocabulary(trace)
        X = _reference_select_columns(tc, self.vocabulary_)
    else:
        trace = self._tokenize_corpus(docs)
        self.collocations_ = self._find_collocations(trace.all_segs) if self.collocations else set()
        self._finish_corpus(trace)
        self._fit_vocabulary(trace)
        X = self._count_matrix(trace.term_docs)
    empty_final = int((np.asarray(X.sum(axis=1)).ravel() == 0).sum())
    rows = self._token_step_rows(trace) + self._trim_step_rows(trace)
    rows.append(("final", 0, 0, empty_final, len(self.vocabulary_), int(X.sum()), ""))
    self.report_ = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    if empty_final:
        self.notes_.append(
            f"{empty_final} of {self.n_docs_} documents have no term left after preprocessing; "
            "they get no topic (dominant_topic -1)"
        )
    if not self.vocabulary_:
        self.notes_.append("No term survived preprocessing: check stop words and min_df/max_df")
    return X


def _reference__count_corpus(self, docs: list[str], tc: TokenCounts | None = None):
    """The fast path's trace (same fields, same report) and its token counts (``tc``: made
    already)."""
    if tc is None:
        tc = _reference_count_tokens(docs, self._pattern, self._is_stop)
    elif tc.doc_term.shape[0] != len(docs):
        raise ValueError(f"tokens of {tc.doc_term.shape[0]} texts given for {len(docs)} texts")
    trace = _ReferenceFitTrace(docs)
    trace.n_raw, trace.n_raw_types = tc.n_raw, len(tc.types)
    trace.n_stop = int(tc.stop_counts.sum())
    # Counter order = first appearance, as a sequential pass would insert them
    trace.stop_examples = Counter({tc.types[i]: int(tc.stop_counts[i])
                                   for i in np.flatnonzero(tc.stop_counts)})
    tf = np.asarray(tc.doc_term.sum(axis=0)).ravel()
    df = np.diff(tc.doc_term.tocsc().indptr)
    used = np.flatnonzero(df)
    trace.counts = Counter({tc.types[i]: int(tf[i]) for i in used})
    trace.dfreq = Counter({tc.types[i]: int(df[i]) for i in used})
    has_terms = np.diff(tc.doc_term.indptr) > 0
    trace.n_stop_emptied = sum(1 for d, h in zip(docs, has_terms, strict=True) if d.strip() and not h)
    trace.emptied = _reference_emptied_counter(tc)
    return trace, tc


def _reference__tokenize_corpus(self, docs: list[str]) -> _ReferenceFitTrace:
    """Tokenise every document and drop stop words, counting what was removed."""
    trace = _ReferenceFitTrace(docs)
    for d in docs:
        segs, r, s = self._segments(d, trace.raw_types, trace.stop_examples)
        trace.all_segs.append(segs)
        trace.n_raw += r
        trace.n_stop += s
    trace.n_raw_types = len(trace.raw_types)
    trace.n_stop_emptied = sum(
        1 for d, segs in zip(docs, trace.all_segs, strict=True) if d.strip() and not segs
    )
    return trace


def _reference__fit_vocabulary(self, trace: _ReferenceFitTrace) -> None:
    """Trim terms by document frequency and ``max_features``; set the vocabulary."""
    counts, dfreq = trace.counts, trace.dfreq
    n_docs = len(trace.docs)
    self.n_docs_ = n_docs
    min_df, max_df = self._effective_df(n_docs)
    too_rare = {t for t, d in dfreq.items() if d < min_df}
    too_common = {t for t, d in dfreq.items() if d > max_df and t not in too_rare}
    kept = [t for t in counts if t not in too_rare and t not in too_common]
    capped = []
    if self.max_features is not None and len(kept) > self.max_features:
        kept.sort(key=lambda t: (-counts[t], t))
        capped = kept[self.max_features :]
        kept = kept[: self.max_features]
    kept = sorted(kept)
    trace.min_df, trace.max_df = min_df, max_df
    trace.too_rare, trace.too_common, trace.capped = too_rare, too_common, capped
    self.vocabulary_ = {t: i for i, t in enumerate(kept)}
    # every term seen in training, kept or trimmed: "unknown" in new data means not in here
    self.seen_terms_ = frozenset(counts)
    self.term_frequency_ = np.array([counts[t] for t in kept], dtype=np.int64)
    self.document_frequency_ = np.array([dfreq[t] for t in kept], dtype=np.int64)


def _reference__token_step_rows(self, trace: _ReferenceFitTrace) -> list[tuple]:
    """Report rows of the token steps: documents, stop words, collocations, lemmas."""
    docs, all_segs, counts = trace.docs, trace.all_segs, trace.counts
    n_raw, n_stop, n_joined = trace.n_raw, trace.n_stop, trace.n_joined
    stop_types = set(trace.stop_examples)
    rows = [
        (
            "documents",
            0,
            0,
            sum(1 for d in docs if not d.strip()),
            trace.n_raw_types,
            n_raw,
            "",
        ),
        (
            "stop words",
            len(stop_types),
            n_stop,
            trace.n_stop_emptied,
            trace.n_raw_types - len(stop_types),
            n_raw - n_stop,
            ", ".join(w for w, _ in trace.stop_examples.most_common(8)),
        ),
    ]
    if self.collocations:
        rows.append(
            (
                "collocations joined",
                0,
                n_joined,  # each join turns two tokens into one term
                0,
                np.nan,
                n_raw - n_stop - n_joined,
                ", ".join(sorted(f"{a}_{b}" for a, b in self.collocations_)[:8]),
            )
        )
    if self.lemmatize:
        rows.append(
            (
                "lemmatised",
                0,
                trace.n_lemma_stop,
                sum(
                    1
                    for t, segs in zip(trace.term_docs, all_segs, strict=True)
                    if segs and not t
                ),
                len(counts),
                sum(counts.values()),
                "lemmas that are stop words dropped",
            )
        )
    return rows


def _reference__token_counts(self, texts):
    """Token counts of new texts with the fitted stop words (fast path)."""
    if not hasattr(self, "_pattern"):
        self._prepare()
    return _reference_count_tokens(as_texts(texts), self._pattern, self._is_stop)


def _reference_token_counts(self, texts) -> TokenCounts:
    """The :class:`~helpers.topics.tokens.TokenCounts` of ``texts`` with this vectorizer's
    token pattern and stop words (its settings, fitted or not; default path only), for
    ``fit_transform(..., tokens=)`` and ``transform_with_lengths(..., tokens=)``."""
    if not self._fast():
        raise ValueError("token_counts needs the default tokenising (no tokenizer, collocations or lemmas)")
    self._prepare()
    return _reference_count_tokens(as_texts(texts), self._pattern, self._is_stop)


class _ReferenceVectorizer(TopicVectorizer):
    """TopicVectorizer with the methods before the change (all others are unchanged)."""

    fit_transform = _reference_fit_transform
    _count_corpus = _reference__count_corpus
    _tokenize_corpus = _reference__tokenize_corpus
    _fit_vocabulary = _reference__fit_vocabulary
    _token_step_rows = _reference__token_step_rows
    _token_counts = _reference__token_counts
    token_counts = _reference_token_counts


# ---------------------------------------------------------------- comparisons
def _same_matrix(A, B):
    assert type(A) is type(B) and A.shape == B.shape and A.format == B.format == "csr"
    for name in ("indptr", "indices", "data"):
        x, y = getattr(A, name), getattr(B, name)
        assert x.dtype == y.dtype, name
        np.testing.assert_array_equal(x, y)


def _same_counts(a: TokenCounts, b: TokenCounts):
    assert a.types == b.types and a.n_raw == b.n_raw
    np.testing.assert_array_equal(a.stop, b.stop)
    np.testing.assert_array_equal(a.stop_counts, b.stop_counts)
    assert a.stop_counts.dtype == b.stop_counts.dtype and a.stop.dtype == b.stop.dtype
    assert a.doc_term.has_sorted_indices == b.doc_term.has_sorted_indices
    _same_matrix(a.doc_term, b.doc_term)


def _same_fit(got, ref, X, R):
    _same_matrix(X, R)
    pd.testing.assert_frame_equal(got.report_, ref.report_)
    assert got.notes_ == ref.notes_ and got.vocabulary_ == ref.vocabulary_
    assert list(got.vocabulary_) == list(ref.vocabulary_)
    assert got.seen_terms_ == ref.seen_terms_ and got.n_docs_ == ref.n_docs_
    assert got.collocations_ == ref.collocations_
    for name in ("term_frequency_", "document_frequency_"):
        x, y = getattr(got, name), getattr(ref, name)
        assert x.dtype == y.dtype
        np.testing.assert_array_equal(x, y)


@pytest.fixture(scope="module")
def texts(seed_corpus) -> list[str]:
    seed = seed_corpus["text"].tolist()
    paras = units(seed_corpus, "paragraph")["text"].tolist()
    rng = random.Random(20)
    words = list(chain.from_iterable(re.split(r"([ \n\t\u00a0])", t) for t in seed + ODD))
    made = ["".join(rng.choice(words) for _ in range(rng.randint(0, 120))) for _ in range(240)]
    return seed + paras + made + ODD


def _inputs(texts):
    """The same documents in the forms the notebooks and tests pass them."""
    with_missing = [*texts[:30], None, np.nan, "", *texts[30:60], None]
    return {
        "str": pd.Series(texts, dtype="str"),  # pandas' default: Arrow-backed, NaN for missing
        "str-missing": pd.Series(with_missing, dtype="str"),
        "string[pyarrow]": pd.Series(with_missing, dtype="string[pyarrow]"),  # <NA> -> "<NA>"
        "object": pd.Series(with_missing, dtype=object),
        "object-index": pd.Series(texts, dtype=object, index=np.arange(len(texts))[::-1] * 3),
        "category": pd.Series(with_missing, dtype="category"),
        "slice": pd.Series(texts, dtype="str").iloc[7:90],
        "list": list(texts),
        "tuple": tuple(with_missing),
        "array": np.array(with_missing, dtype=object),
        "numbers": pd.Series([1, 2.5, np.nan, "one two three", None]),
        "one": pd.Series(texts[:1], dtype="str"),
        "blank": ["", " ", "\n\n", None],
        "empty": pd.Series([], dtype="str"),
        "surrogate": [*texts[:20], SURROGATE, *ODD],
    }


# ---------------------------------------------------------------- text_chunks
@pytest.mark.parametrize("chars", [-1, 0, 1, 7, 300, 5_000, ttokens.CHUNK_CHARS])
@pytest.mark.parametrize("block", [1, 3, 64, ttokens.TEXT_BLOCK])
def test_text_chunks_are_chunk_bounds(texts, monkeypatch, chars, block):
    monkeypatch.setattr(ttokens, "CHUNK_CHARS", chars)
    monkeypatch.setattr(ttokens, "TEXT_BLOCK", block)
    for name, given in _inputs(texts).items():
        docs = as_texts(given)
        for chunk_docs in (None, 1, 7):
            got = list(ttokens.text_chunks(ttokens.text_source(given), chunk_docs))
            want = [(a, docs[a:b]) for a, b in _chunk_bounds(docs, chunk_docs)]
            assert got == want, (name, chunk_docs)


def test_text_source():
    with pytest.raises(TypeError, match="single string"):
        ttokens.text_source("one text")
    assert ttokens.text_source(t for t in ["a", None]) == ["a", None]
    s = pd.Series(["a"])
    assert ttokens.text_source(s) is s


def test_appended_grows_in_place():
    a = ttokens._Appended(np.int32)
    parts = [np.arange(n, dtype=np.int32) for n in (0, 3, 1, 0, 5_000_000, 2)]
    for p in parts:
        a.extend(p)
    got = a.array()
    assert got.dtype == np.int32 and got.flags.owndata and got.flags.c_contiguous
    np.testing.assert_array_equal(got, np.concatenate(parts))
    assert len(ttokens._Appended(np.float64).array()) == 0


# ---------------------------------------------------------------- count_tokens
def _stop_fn(words=("the", "and", "said", "of")):
    words = frozenset(words)
    return lambda t: t in words or t.startswith(("zz", "σ"))


@pytest.mark.parametrize("pattern", [ttokens.DEFAULT_TOKEN_PATTERN, r"(?u)\b\w\w+\b"])
def test_count_tokens_equals_reference(texts, pattern):
    rx = re.compile(pattern)
    for name, given in _inputs(texts).items():
        for chunk_docs in (None, 1, 7):
            got = ttokens.count_tokens(given, rx, _stop_fn(), chunk_docs=chunk_docs)
            ref = _reference_count_tokens(as_texts(given), rx, _stop_fn(), chunk_docs=chunk_docs)
            _same_counts(got, ref)
            np.testing.assert_array_equal(got.blank, [not d.strip() for d in as_texts(given)], err_msg=name)
            assert got.blank.dtype == bool


@pytest.mark.parametrize("chars", [1, 200, 5_000])
def test_count_tokens_small_chunks_and_blocks(texts, monkeypatch, chars):
    rx = re.compile(ttokens.DEFAULT_TOKEN_PATTERN)
    monkeypatch.setattr(ttokens, "CHUNK_CHARS", chars)
    monkeypatch.setattr(ttokens, "TEXT_BLOCK", 5)
    for given in (pd.Series(texts, dtype="str"), texts[:50]):
        _same_counts(ttokens.count_tokens(given, rx, _stop_fn()), _reference_count_tokens(as_texts(given), rx, _stop_fn()))


# ---------------------------------------------------------------- select_columns, emptied_counter
def _odd_matrices(rng):
    """Counts matrices count_tokens never makes: duplicates, explicit zeros, unsorted, ints, CSC."""
    n_rows, n_cols = 40, 12
    rows = rng.integers(0, n_rows, 300)
    cols = rng.integers(0, n_cols, 300)
    vals = rng.integers(0, 4, 300).astype(np.float64)
    coo = sparse.coo_matrix((vals, (rows, cols)), shape=(n_rows, n_cols))
    dup = sparse.csr_matrix((coo.data, (coo.row, coo.col)), shape=coo.shape)  # summed on tocsr
    raw = coo.tocsr()
    raw.has_canonical_format = False
    unsorted = sparse.csr_matrix((vals[:60], np.tile(np.arange(12)[::-1], 5), np.arange(0, 61, 12).tolist() + [60] * 35),
                                 shape=(n_rows, n_cols))
    ints = sparse.csr_matrix(dup.astype(np.int64))
    zeros = dup.copy()
    zeros.data[::3] = 0.0  # explicit zeros, still canonical
    return [dup, raw, unsorted, ints, zeros, dup.tocsc(), sparse.csr_array(dup), sparse.csr_matrix((n_rows, n_cols)),
            sparse.csr_matrix((0, n_cols))]


def _vocabularies(types, rng):
    yield {}
    yield {t: i for i, t in enumerate(sorted(types))}
    for _ in range(4):
        kept = sorted(t for t in types if rng.random() < 0.5)
        yield {t: i for i, t in enumerate(kept)}


@pytest.mark.parametrize("block", [1, 5, 64, ttokens.SELECT_BLOCK])
def test_select_columns_equals_reference(texts, monkeypatch, block):
    monkeypatch.setattr(ttokens, "SELECT_BLOCK", block)
    rng = np.random.default_rng(20)
    rx = re.compile(ttokens.DEFAULT_TOKEN_PATTERN)
    made = [ttokens.count_tokens(texts, rx, _stop_fn()), ttokens.count_tokens([], rx, _stop_fn()),
            ttokens.count_tokens(["", " "], rx, _stop_fn()), ttokens.count_tokens(texts[:1], rx, _stop_fn())]
    paras = units(pd.DataFrame({"doc_id": range(60), "text": texts[:60]}), "paragraph")
    made.append(document_counts(ttokens.count_tokens(paras["text"], rx, _stop_fn()), paras, texts[:60]))
    types = [f"t{i}" for i in range(12)]
    made += [TokenCounts(types, np.zeros(12, bool), m, np.zeros(12, np.int64), 0) for m in _odd_matrices(rng)]
    for tc in made:
        for voc in _vocabularies(tc.types, rng):
            got, ref = ttokens.select_columns(tc, voc), _reference_select_columns(tc, voc)
            _same_matrix(got, ref)
            assert got.has_sorted_indices and got.has_canonical_format


def test_emptied_counter_equals_reference(texts):
    rng = np.random.default_rng(21)
    rx = re.compile(ttokens.DEFAULT_TOKEN_PATTERN)
    types = [f"t{i}" for i in range(12)]
    made = [ttokens.count_tokens(texts, rx, _stop_fn()), ttokens.count_tokens(["", "x"], rx, _stop_fn())]
    made += [TokenCounts(types, np.zeros(12, bool), m, np.zeros(12, np.int64), 0)
             for m in _odd_matrices(rng) if m.format == "csr"]
    for tc in made:
        got, ref = ttokens.emptied_counter(tc), _reference_emptied_counter(tc)
        for _ in range(8):
            before = {t for t in tc.types if rng.random() < 0.6}
            removed = {t for t in tc.types if rng.random() < 0.3}
            assert got(before, removed) == ref(before, removed)
        assert got(set(), set()) == ref(set(), set()) and got(set(tc.types), set(tc.types)) == ref(set(tc.types), set(tc.types))


# ---------------------------------------------------------------- the whole vectorizer
KWARGS = [{}, {"min_df": 1, "max_df": 1.0, "outlets": ["Global Times"]}, {"min_df": 2, "max_df": 0.3, "max_features": 40},
          {"min_df": 1, "max_df": 1.0, "lemmatize": True}, {"min_df": 1, "max_df": 1.0, "collocations": True,
                                                           "collocation_min_count": 2}]


@pytest.mark.parametrize("kw", KWARGS)
def test_fit_transform_equals_reference(texts, kw):
    for name, given in _inputs(texts).items():
        if kw.get("lemmatize") and name in ("str", "list", "object-index", "slice"):
            continue  # the slow path is per token in Python: the other forms cover it
        got, ref = TopicVectorizer(**kw), _ReferenceVectorizer(**kw)
        X, R = got.fit_transform(given), ref.fit_transform(given)
        _same_fit(got, ref, X, R)
        if name == "surrogate" or not got.vocabulary_:
            continue
        new = _inputs(texts[::-1])["str-missing"]
        _same_matrix(got.transform(new), ref.transform(new))
        (A, a), (B, b) = got.transform_with_lengths(new), ref.transform_with_lengths(new)
        _same_matrix(A, B)
        np.testing.assert_array_equal(a, b)
        pd.testing.assert_frame_equal(got.oov_report(new), ref.oov_report(new))
        if got._fast():
            _same_counts(got.token_counts(new), ref.token_counts(new))


def test_fit_transform_generator_and_string(texts):
    got, ref = TopicVectorizer(min_df=1), _ReferenceVectorizer(min_df=1)
    _same_fit(got, ref, got.fit_transform(t for t in texts[:50]), ref.fit_transform(t for t in texts[:50]))
    for vec in (got, ref):
        with pytest.raises(TypeError, match="single string"):
            vec.fit_transform("one text")


def test_fit_transform_with_paragraph_tokens_equals_reference(texts):
    """The notebook's path below the large-corpus size: counts from the paragraphs' (no blank flags)."""
    docs = pd.Series([*texts[:80], "", None, "  "], dtype="str")
    paras = units(pd.DataFrame({"doc_id": range(len(docs)), "text": docs}), "paragraph")
    got, ref = TopicVectorizer(min_df=1), _ReferenceVectorizer(min_df=1)
    tc_got = document_counts(got.token_counts(paras["text"]), paras, docs)
    tc_ref = document_counts(ref.token_counts(paras["text"]), paras, docs)
    assert tc_got.blank is None
    _same_fit(got, ref, got.fit_transform(docs, tokens=tc_got), ref.fit_transform(docs, tokens=tc_ref))
    with pytest.raises(ValueError, match="tokens of"):
        got.fit_transform(docs[:5], tokens=tc_got)


# ---------------------------------------------------------------- row blocks, column counts, in place
@pytest.mark.parametrize("block", [1, 2, 7, ttokens.SELECT_BLOCK])
def test_row_blocks_and_stored_per_column(texts, monkeypatch, block):
    monkeypatch.setattr(ttokens, "SELECT_BLOCK", block)
    rx = re.compile(ttokens.DEFAULT_TOKEN_PATTERN)
    rng = np.random.default_rng(22)
    mats = [ttokens.count_tokens(texts, rx, _stop_fn()).doc_term] + [m for m in _odd_matrices(rng) if m.format == "csr"]
    for m in mats:
        blocks = list(ttokens.row_blocks(m.indptr))
        assert [r0 for r0, *_ in blocks] == [0, *[r1 for _, r1, *_ in blocks[:-1]]][: len(blocks)]
        assert (blocks[-1][1] if blocks else 0) == m.shape[0]
        assert all(p0 == m.indptr[r0] and p1 == m.indptr[r1] for r0, r1, p0, p1 in blocks)
        got = ttokens.stored_per_column(m)
        np.testing.assert_array_equal(got, np.diff(m.tocsc().indptr))
        assert got.dtype == np.int64


@pytest.mark.parametrize("block", [1, 5, ttokens.SELECT_BLOCK])
def test_emptied_counter_in_blocks(texts, monkeypatch, block):
    monkeypatch.setattr(ttokens, "SELECT_BLOCK", block)
    test_emptied_counter_equals_reference(texts)


def test_select_columns_consume_moves_the_counts(texts, monkeypatch):
    """consume=True: the result is written into the counts' own arrays (no allocation the size
    of the result, seen by tracemalloc, which numpy reports to) and the counts are used up."""
    monkeypatch.setattr(ttokens, "SELECT_BLOCK", 4096)  # block temporaries well below the result
    import tracemalloc

    rx = re.compile(ttokens.DEFAULT_TOKEN_PATTERN)
    rng = random.Random(23)
    words = [f"w{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)}" for i in range(800)]
    many = [" ".join(rng.choice(words) for _ in range(150)) for _ in range(3000)]
    voc = {t: i for i, t in enumerate(sorted(words[::3]))}
    ref = _reference_select_columns(ttokens.count_tokens(many, rx, _stop_fn()), voc)
    peaks = {}
    for consume in (False, True):
        tracemalloc.start()  # from the counts on: a realloc of their arrays is no new block
        tc = ttokens.count_tokens(many, rx, _stop_fn())
        held = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        got = ttokens.select_columns(tc, voc, consume=consume)
        peaks[consume] = tracemalloc.get_traced_memory()[1] - held
        tracemalloc.stop()
        _same_matrix(got, ref)
    assert tc.doc_term is None
    size = got.data.nbytes + got.indices.nbytes
    assert peaks[True] < 0.2 * size < 0.9 * size < peaks[False], (peaks, size)
    # counts whose arrays are views of others' (not owned whole): copied, left intact
    tc = ttokens.count_tokens(many, rx, _stop_fn())
    dt = tc.doc_term
    tc.doc_term = sparse.csr_matrix((np.concatenate([dt.data, [9.0]])[:-1], dt.indices, dt.indptr), shape=dt.shape)
    _same_matrix(ttokens.select_columns(tc, voc, consume=True), ref)
    assert tc.doc_term is None  # used up all the same: the rule is simple for callers
    for given in (texts[:0], ["", " "]):
        tc = ttokens.count_tokens(given, rx, _stop_fn())
        _same_matrix(ttokens.select_columns(tc, voc, consume=True),
                     _reference_select_columns(ttokens.count_tokens(given, rx, _stop_fn()), voc))


def test_blank_texts(texts):
    for name, given in _inputs(texts).items():
        want = np.array([not d.strip() for d in as_texts(given)], dtype=bool)
        np.testing.assert_array_equal(ttokens.blank_texts(ttokens.text_source(given)), want, err_msg=name)
