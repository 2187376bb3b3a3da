"""Counting tokens of many documents with array operations (the fast path of TopicVectorizer).

* :func:`count_tokens` — tokenise documents chunk by chunk, number the distinct tokens in
  order of first appearance, and return a :class:`TokenCounts`: per document the counts of its
  non-stop tokens (a sparse matrix), the stop-word counts and the token types.
* :func:`document_counts` — the counts of documents from those of their paragraphs (a
  document's tokens are its paragraphs' tokens in order), so texts split into paragraphs for
  reading are tokenised once for both.
* :func:`select_columns` — the document-term matrix over a fixed vocabulary, in the layout
  :class:`~helpers.topics.TopicVectorizer` has always returned (CSR, float64, sorted indices).
* :func:`as_texts` and :class:`FitTrace` — the vectorizer's input as strings, and what each
  step of one fit saw (the material of its ``report_``); :func:`text_chunks` — a Series' strings
  made a chunk at a time, so a whole column of Python strings is never held.

Used when the vectorizer has no custom tokenizer, no collocations and no lemmatising (the
default): then a document's terms are exactly its non-stop tokens. The texts are split at ASCII
white space and the pieces told apart by pyarrow; each distinct piece is lower-cased and
tokenised once (remembered across chunks), so no Python work is done per token. Memory stays at
the sparse counts plus one chunk's strings and pieces (the counts grown in place, the selected
columns written over them).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy import sparse

from .stopwords import DEFAULT_TOKEN_PATTERN

__all__ = [
    "CHUNK_CHARS",
    "TokenCounts",
    "count_tokens",
    "document_counts",
    "emptied_counter",
    "find_tokens",
    "select_columns",
]

#: Documents tokenised at once when ``chunk_docs`` is given (tests; the previous default).
CHUNK_DOCS = 2_000
#: Default chunk: documents tokenised at once until they hold this many characters (about 2,000
#: news articles, as before). Short texts (paragraphs) then share a chunk in the tens of
#: thousands, so each distinct token costs one dictionary look-up per chunk, not one per 2,000
#: paragraphs, and the per-chunk work over all types is done ~10 times, not ~60.
CHUNK_CHARS = 12_000_000

#: Distinct pieces (text between white space) whose type ids :func:`count_tokens` remembers
#: across chunks (cleared beyond).
PIECES_MEMO = 1_000_000

_DEFAULT = re.compile(DEFAULT_TOKEN_PATTERN)
#: The default pattern with ASCII classes: in a lower-cased text whose non-ASCII characters are
#: all non-word characters (curly quotes, dashes), the same tokens, about 1.5x faster.
_ASCII_TOKENS = re.compile(r"\b[a-z]{3,}\b", re.ASCII)
_ASCII = frozenset(map(chr, range(128)))
_WORD = re.compile(r"\w")
_NON_WORD: dict[str, bool] = {}  # non-ASCII character -> not a word character (regex \w)


def _plain(text: str) -> bool:
    """True when every non-ASCII character of ``text`` is a non-word character."""
    if text.isascii():
        return True
    for ch in set(text).difference(_ASCII):
        r = _NON_WORD.get(ch)
        if r is None:
            r = _NON_WORD[ch] = _WORD.match(ch) is None
        if not r:
            return False
    return True


def find_tokens(pattern):
    """``tokens(lowered_text) -> list``: ``pattern.findall``, through the ASCII form of the
    default pattern when a text allows it (identical tokens; tests/test_topics_scale.py)."""
    if pattern.pattern != _DEFAULT.pattern or pattern.flags != _DEFAULT.flags:
        return pattern.findall
    full, fast = pattern.findall, _ASCII_TOKENS.findall

    def tokens(text: str) -> list[str]:
        return fast(text) if _plain(text) else full(text)

    return tokens


@dataclass
class TokenCounts:
    """Token counts of a list of documents.

    ``types`` (distinct tokens, numbered in order of first appearance in the corpus),
    ``stop`` (bool per type), ``doc_term`` (documents x types, CSR float64: counts of non-stop
    tokens), ``stop_counts`` (int per type: occurrences of stop types), ``n_raw`` (all tokens),
    ``blank`` (bool per document: nothing but white space, ``not text.strip()``; None when not
    known), so the vectorizer's report needs no second pass over the texts.
    """

    types: list[str]
    stop: np.ndarray
    doc_term: sparse.csr_matrix
    stop_counts: np.ndarray
    n_raw: int
    blank: np.ndarray | None = None


def _chunk_codes(docs: list[str], pattern, index: dict, types: list, stop: list, is_stop,
                 memo: dict | None = None):
    """Token type ids of one chunk (numbering new types as they appear) and each token's row.

    A text's tokens are its pieces' tokens, the pieces being its text between ASCII white space
    (a white space character is no word character, so no token or word border reaches over
    it, and lower-casing a text lower-cases each piece: only capital sigma looks at its
    neighbours, and white space is neither a letter nor skipped by that rule). The pieces are
    split and told apart by pyarrow, and each distinct one is lower-cased and tokenised once
    (``memo``: piece -> its type ids, kept across chunks). Types are numbered in order of first
    appearance as a pass over the tokens would number them: the distinct pieces come in order
    of first appearance. Texts pyarrow cannot take (a lone surrogate) are tokenised whole.
    """
    if memo is None:
        memo = {}
    try:
        texts = pa.array(docs, pa.large_string())
    except UnicodeEncodeError:
        return _chunk_codes_whole(docs, pattern, index, types, stop, is_stop)
    lists = pc.ascii_split_whitespace(texts)
    parent = pc.list_parent_indices(lists).to_numpy()
    coded = pc.dictionary_encode(pc.list_flatten(lists))
    pieces = coded.dictionary.to_pylist()
    found = [memo.get(p) for p in pieces]
    missing = [k for k, f in enumerate(found) if f is None]
    if missing:
        for k, ids in zip(missing, _piece_ids([pieces[k] for k in missing], pattern, index, types,
                                              stop, is_stop), strict=True):
            found[k] = memo[pieces[k]] = ids
    per_piece = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
    flat = np.fromiter(chain.from_iterable(found), dtype=np.int64, count=int(per_piece.sum()))
    at = coded.indices.to_numpy()
    n = per_piece[at]  # tokens of each piece of the texts
    first = (np.cumsum(per_piece) - per_piece)[at]
    codes = flat[np.repeat(first - (np.cumsum(n) - n), n) + np.arange(int(n.sum()))]
    return np.repeat(parent, n), codes


def _piece_ids(pieces: list[str], pattern, index: dict, types: list, stop: list, is_stop) -> list[tuple]:
    """The type ids of each piece's tokens (lower-cased; new types numbered as they come)."""
    if not pieces:
        return []
    joined = "\n".join(pieces).lower()  # no piece holds a line break
    find = find_tokens(pattern)
    if pattern.pattern == _DEFAULT.pattern and pattern.flags == _DEFAULT.flags and _plain(joined):
        find = _ASCII_TOKENS.findall  # what find_tokens takes for each plain piece
    out = []
    for p in joined.split("\n"):
        ids = []
        for w in find(p):
            g = index.get(w)
            if g is None:
                g = index[w] = len(types)
                types.append(w)
                stop.append(bool(is_stop(w)))
            ids.append(g)
        out.append(tuple(ids))
    return out


def _chunk_codes_whole(docs: list[str], pattern, index: dict, types: list, stop: list, is_stop):
    """:func:`_chunk_codes` tokenising each text whole (the code before the pieces)."""
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


def _chunk_bounds(docs: list[str], chunk_docs: int | None) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive chunks: ``chunk_docs`` documents each, or (default)
    documents until they hold :data:`CHUNK_CHARS` characters (at least one per chunk)."""
    n = len(docs)
    if chunk_docs:
        return [(a, min(a + chunk_docs, n)) for a in range(0, n, chunk_docs)]
    ends = np.cumsum(np.fromiter(map(len, docs), dtype=np.int64, count=n))
    bounds, a = [], 0
    while a < n:
        base = ends[a - 1] if a else 0
        b = max(a + 1, int(np.searchsorted(ends, base + CHUNK_CHARS, side="left")) + 1)
        b = min(b, n)
        bounds.append((a, b))
        a = b
    return bounds


class _Appended:
    """A 1-d array grown in place as parts are appended. ``ndarray.resize`` reallocates (C
    ``realloc``: a large block is remapped by the system, not copied), so what is appended is held
    once, not once in the parts and again in their concatenation."""

    def __init__(self, dtype):
        self.a, self.n = np.empty(0, dtype=dtype), 0

    def extend(self, values: np.ndarray) -> None:
        end = self.n + len(values)
        if end > len(self.a):  # small arrays doubled (few copies), large ones grown to fit
            small = end * self.a.itemsize < 32 << 20
            self.a.resize(max(end, 2 * len(self.a)) if small else end, refcheck=False)
        self.a[self.n : end] = values
        self.n = end

    def array(self) -> np.ndarray:
        """The values appended (the array itself, cut to their length)."""
        self.a.resize(self.n, refcheck=False)
        return self.a


#: Texts of a Series (or list) made into strings at once while it is cut into chunks: the whole
#: column as Python strings is never held (100k articles: ~0.7 GB more).
TEXT_BLOCK = 4_096


def text_source(texts):
    """``texts`` with a length and slices, its strings not made yet: a Series, list, tuple, array
    or Index as it is, another iterable as a list; a single string is refused (as :func:`as_texts`)."""
    if isinstance(texts, str):
        raise TypeError("Pass a list or Series of documents, not a single string")
    if isinstance(texts, (pd.Series, list, tuple, np.ndarray, pd.Index)):
        return texts
    return list(texts)


def _texts_at(texts, a: int, b: int) -> list[str]:
    """``as_texts(texts)[a:b]``, only these strings made."""
    return as_texts(texts.iloc[a:b] if isinstance(texts, pd.Series) else texts[a:b])


def text_chunks(texts, chunk_docs: int | None = None):
    """``(start, strings)`` of each chunk of :func:`_chunk_bounds` over ``as_texts(texts)``
    (``texts``: :func:`text_source`), the strings made :data:`TEXT_BLOCK` texts at a time: a
    chunk ends at its first text that brings it to :data:`CHUNK_CHARS` characters."""
    n = len(texts)
    if chunk_docs:
        for a in range(0, n, chunk_docs):
            yield a, _texts_at(texts, a, a + chunk_docs)
        return
    pending: list[str] = []
    start = carry = 0  # first text of the pending chunk, its characters so far
    for lo in range(0, n, TEXT_BLOCK):
        part = _texts_at(texts, lo, lo + TEXT_BLOCK)
        cum = np.cumsum(np.fromiter(map(len, part), dtype=np.int64, count=len(part)))
        pos = offset = 0  # first text of part not yet in a chunk, characters of part before it
        while pos < len(part):
            i = max(pos, int(np.searchsorted(cum, CHUNK_CHARS - carry + offset, side="left")))
            if i >= len(part):
                pending.extend(part[pos:])
                carry += int(cum[-1]) - offset
                break
            pending.extend(part[pos : i + 1])
            yield start, pending
            start, pending, carry = start + len(pending), [], 0
            pos, offset = i + 1, int(cum[i])
    if pending:
        yield start, pending


def count_tokens(docs, pattern, is_stop, chunk_docs: int | None = None) -> TokenCounts:
    """Tokenise ``docs`` (lower-cased, ``pattern.findall``) and count non-stop and stop tokens.

    In: texts (a list or Series: :func:`text_source`; each text as :func:`as_texts` gives it), a
    compiled token pattern, a ``is_stop(token) -> bool`` function. Out: a :class:`TokenCounts`;
    type numbers follow the first appearance of each token in document order, so orderings that
    depend on it (ties in the stop-word examples) are those of a sequential pass. Documents are
    tokenised a chunk at a time (:func:`text_chunks`): ``chunk_docs`` documents, or by default
    about :data:`CHUNK_CHARS` characters. The chunking changes no output (types are numbered
    across chunks in document order, rows and counts are per document).

    Memory: the texts become Python strings a chunk at a time, and each chunk's counts are
    appended to the matrix's arrays in place (:class:`_Appended`), not kept as parts and stacked
    (parts and stack were both alive). At 100k articles (corpus-100k-distinct, 92,052 English
    stories, 35.5 M stored counts) the topic notebook's ``fit_transform`` peaked +3.64 GB above
    its start before, +0.81 GB after, with :func:`select_columns` ``consume``, the blockwise
    ``emptied_counter`` and :func:`stored_per_column`; CPU 20.9 -> 15.7 s, same arrays and report
    (a fresh process each: ``python /tmp/s20/T/measure.py old|new``, session 20).
    """
    texts = text_source(docs)
    index: dict[str, int] = {}
    types: list[str] = []
    stop: list[bool] = []
    stop_counts, n_raw = np.zeros(0, dtype=np.int64), 0
    blank = np.zeros(len(texts), dtype=bool)
    data, indices = _Appended(np.float64), _Appended(np.int32)
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    memo: dict[str, tuple] = {}  # piece -> its type ids (see _chunk_codes)
    for a, chunk in text_chunks(texts, chunk_docs):
        b = a + len(chunk)
        blank[a:b] = [not d.strip() for d in chunk]
        if len(memo) > PIECES_MEMO:
            memo.clear()
        rows, codes = _chunk_codes(chunk, pattern, index, types, stop, is_stop, memo)
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
        indptr[a + 1 : b + 1] = m.indptr[1:]
        indptr[a + 1 : b + 1] += data.n
        data.extend(m.data)
        indices.extend(m.indices)
    n = len(types)
    if len(texts):  # the arrays sparse.vstack of the chunks' matrices made
        doc_term = sparse.csr_matrix((data.array(), indices.array(), indptr), shape=(len(texts), n))
    else:
        doc_term = sparse.csr_matrix((0, n))
    return TokenCounts(types, np.asarray(stop, dtype=bool), doc_term, stop_counts, n_raw, blank)


def document_counts(unit_counts: TokenCounts, units_table: pd.DataFrame, texts) -> TokenCounts:
    """The :class:`TokenCounts` of ``texts`` from those of their paragraphs.

    In: ``unit_counts`` (:func:`count_tokens` of ``units_table["text"]``, in order), the table
    ``helpers.text.units(corpus, "paragraph")`` made from a corpus whose ``text`` is ``texts``
    (strings; None/NaN for none). Out: what ``count_tokens(texts, ...)`` with the same pattern
    and stop words gives, without tokenising the texts again. Why it is the same: paragraphs
    are a document's text between runs of whitespace, so its tokens (lower-cased, bounded by
    non-word characters) are its paragraphs' tokens in order; types are numbered in the same
    order of first appearance, and a document's counts are its paragraphs' summed (exact
    integers). Empty documents have no paragraph and no token.
    """
    if len(units_table) and set(units_table["level"]) != {"paragraph"}:
        raise ValueError("document_counts needs the paragraph units of helpers.text.units")
    if unit_counts.doc_term.shape[0] != len(units_table):
        raise ValueError(f"{unit_counts.doc_term.shape[0]} rows of counts for {len(units_table)} units")
    has_units = []
    for t in texts:
        if t is None or (isinstance(t, float) and t != t):
            has_units.append(False)
        elif isinstance(t, str):
            has_units.append(bool(t.strip()))
        else:  # units() reads it as no text, the vectorizer as str(t): not the same tokens
            raise TypeError(f"document_counts needs texts as strings, not {type(t).__name__}")
    rows = np.flatnonzero(has_units)
    first = units_table["position"].to_numpy() == 0
    if int(first.sum()) != len(rows):
        raise ValueError(f"{int(first.sum())} documents in the units for {len(rows)} non-empty texts")
    unit_doc = rows[np.cumsum(first) - 1] if len(rows) else np.zeros(0, dtype=np.int64)
    group = sparse.csr_matrix(
        (np.ones(len(unit_doc)), (unit_doc, np.arange(len(unit_doc)))),
        shape=(len(has_units), len(unit_doc)),
    )
    doc_term = (group @ unit_counts.doc_term).tocsr()
    doc_term.sum_duplicates()
    doc_term.sort_indices()
    return TokenCounts(unit_counts.types, unit_counts.stop, doc_term, unit_counts.stop_counts,
                       unit_counts.n_raw)


#: Stored entries of a document-term matrix read at once (:func:`row_blocks`): what is made per
#: entry (numpy casts int32 indices to int64 for ``bincount`` and ``reduceat``) is made per block.
SELECT_BLOCK = 1 << 20


def row_blocks(indptr: np.ndarray, step: int | None = None):
    """``(r0, r1, p0, p1)``: consecutive rows ``r0:r1`` of a CSR matrix and their stored entries
    ``p0:p1``, about ``step`` (:data:`SELECT_BLOCK`) entries a block, at least one row."""
    step = SELECT_BLOCK if step is None else step
    n_rows, r0 = len(indptr) - 1, 0
    while r0 < n_rows:
        r1 = int(np.searchsorted(indptr, int(indptr[r0]) + step, side="right")) - 1
        r1 = min(max(r1, r0 + 1), n_rows)
        yield r0, r1, int(indptr[r0]), int(indptr[r1])
        r0 = r1


def stored_per_column(m: sparse.csr_matrix) -> np.ndarray:
    """Stored entries of each column of a CSR matrix (``np.diff(m.tocsc().indptr)`` without the
    CSC copy; the documents of each type when duplicates are summed), int64."""
    out = np.zeros(m.shape[1], dtype=np.int64)
    for _, _, p0, p1 in row_blocks(m.indptr):
        out += np.bincount(m.indices[p0:p1], minlength=m.shape[1])
    return out


def select_columns(tc: TokenCounts, vocabulary: dict[str, int], consume: bool = False) -> sparse.csr_matrix:
    """Documents x vocabulary counts (tokens outside the vocabulary ignored).

    Out: CSR, float64, int32 indices, sorted and summed (the layout of
    ``TopicVectorizer._count_matrix``), columns numbered by ``vocabulary``. A CSR float64 matrix
    with summed duplicates (what :func:`count_tokens` and :func:`document_counts` give) has its
    kept entries taken block by block of rows and renumbered; others go through the product with
    a selection matrix, as before (the same arrays: each kept column receives one count, and
    ``count * 1.0`` is the count). The product held its result twice (float copies at the end).
    ``consume``: the kept entries are moved to the front of ``tc.doc_term``'s own arrays, which
    become the result's, so the counts and the result are not held at once; ``tc.doc_term`` is
    then None (``TopicVectorizer.fit_transform`` of counts it made itself).
    """
    cols = np.fromiter((vocabulary.get(t, -1) for t in tc.types), dtype=np.int64, count=len(tc.types))
    dt = tc.doc_term
    if sparse.issparse(dt) and dt.format == "csr" and dt.dtype == np.float64 and dt.has_canonical_format:
        if consume:
            tc.doc_term = None
        return _select_rows(dt, cols.astype(np.int32), len(vocabulary), consume)
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

def _owner(a: np.ndarray, dtype) -> np.ndarray | None:
    """The array owning ``a``'s memory when it is all of it (C order, ``dtype``), else None."""
    o = a if a.flags.owndata else a.base
    ok = isinstance(o, np.ndarray) and o.flags.owndata and o.flags.c_contiguous and o.shape == a.shape
    return o if ok and o.dtype == a.dtype == dtype and a.flags.c_contiguous else None


def _select_rows(dt: sparse.csr_matrix, cols: np.ndarray, n_cols: int, consume: bool) -> sparse.csr_matrix:
    """:func:`select_columns` of a canonical CSR float64 matrix: its non-zero entries whose
    column has a number in ``cols`` (-1: none), renumbered and sorted within each row. Written to
    new arrays (:class:`_Appended`) or, ``consume``, to the front of ``dt``'s own (each block's
    kept entries are copied out before they are written at or before the block's start), which
    are then cut to them; ``dt`` is left without data and indices."""
    n_rows, q = dt.shape[0], 0
    data, indices = (_owner(dt.data, np.float64), _owner(dt.indices, np.int32)) if consume else (None, None)
    in_place = data is not None and indices is not None
    if in_place:
        src_data, src_indices, dt.data, dt.indices = data, indices, None, None
    else:
        src_data, src_indices = dt.data, dt.indices
        data, indices = _Appended(np.float64), _Appended(np.int32)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    for r0, r1, p0, p1 in row_blocks(dt.indptr):
        c, d = cols[src_indices[p0:p1]], src_data[p0:p1]
        kept = np.flatnonzero((c >= 0) & (d != 0))
        indptr[r0 + 1 : r1 + 1] = q + np.searchsorted(kept, dt.indptr[r0 + 1 : r1 + 1] - p0)
        d, c = d[kept], c[kept]
        if in_place:
            data[q : q + len(kept)], indices[q : q + len(kept)] = d, c
        else:
            data.extend(d)
            indices.extend(c)
        q += len(kept)
    del src_data, src_indices
    if in_place:  # cut to the kept entries, the rest given back (realloc) unless numpy sees a reference
        try:
            data.resize(q)
            indices.resize(q)
        except ValueError:
            data, indices = data[:q].copy(), indices[:q].copy()
    else:
        data, indices = data.array(), indices.array()
    X = sparse.csr_matrix((data, indices, indptr.astype(np.int32)), shape=(n_rows, n_cols))
    X.sort_indices()  # in place, in these arrays
    return sparse.csr_matrix((X.data, X.indices, X.indptr), shape=X.shape)


def emptied_counter(tc: TokenCounts):
    """``emptied(before, removed)``: how many documents have a term in ``before`` and none left
    once ``removed`` is dropped (the preprocessing report), from each document's distinct terms:
    per row, its stored entries whose column is in a set, summed a block of rows at a time (no
    copy of the matrix with ones, which lived as long as the report's steps did)."""
    dt = tc.doc_term
    index = {t: i for i, t in enumerate(tc.types)}

    def per_row(terms: set[str]) -> np.ndarray:
        v = np.zeros(len(tc.types), dtype=bool)
        v[[index[t] for t in terms]] = True
        out = np.zeros(dt.shape[0], dtype=np.int64)
        for r0, r1, p0, _ in row_blocks(dt.indptr):
            starts = dt.indptr[r0:r1] - p0
            rows = np.flatnonzero(starts < dt.indptr[r0 + 1 : r1 + 1] - p0)  # with a stored entry
            if len(rows):
                w = v[dt.indices[p0 : int(dt.indptr[r1])]]
                out[r0 + rows] = np.add.reduceat(w, starts[rows], dtype=np.int64)
        return out

    def emptied(before: set[str], removed: set[str]) -> int:
        n_before = per_row(before)
        n_removed = per_row(before & removed)
        return int(((n_before > 0) & (n_before == n_removed)).sum())

    return emptied


def blank_texts(texts) -> np.ndarray:
    """Per text (:func:`text_source`), whether it holds nothing but white space (``not
    text.strip()`` of :func:`as_texts`' string), the strings made a chunk at a time."""
    return np.array([not d.strip() for _, chunk in text_chunks(texts) for d in chunk], dtype=bool)


def as_texts(texts) -> list[str]:
    """Documents as strings (missing ones as ""); a single string is refused (:func:`text_source`)."""
    texts = text_source(texts)
    if isinstance(texts, pd.Series):  # the same values as iterating it, at once (not one by one)
        texts = texts.tolist()
    return [
        "" if (t is None or (isinstance(t, float) and math.isnan(t))) else str(t) for t in texts
    ]


@dataclass
class FitTrace:
    """What each step of one ``TopicVectorizer.fit`` saw and removed: the material of ``report_``."""

    n_docs: int
    n_blank: int  # documents with nothing but white space
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


OOV_COLUMNS = ["doc_id", "n_terms", "n_in_vocab", "oov_rate", "trimmed_rate", "top_oov"]


def oov_table(docs: list[str], ids: list, pattern, is_stop, seen, vocabulary) -> pd.DataFrame:
    """``TopicVectorizer.oov_report`` of the default tokenising from one array pass: per text the
    non-stop tokens (``n_terms``), those in ``vocabulary``, those never ``seen`` and the five most
    frequent of these (ties in order of first appearance in the text, as ``Counter.most_common``)."""
    index: dict[str, int] = {}
    types: list[str] = []
    stop: list[bool] = []
    memo: dict[str, tuple] = {}
    rows, codes = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for a, b in _chunk_bounds(docs, None):
        if len(memo) > PIECES_MEMO:
            memo.clear()
        r, c = _chunk_codes(docs[a:b], pattern, index, types, stop, is_stop, memo)
        rows.append(r + a)
        codes.append(c)
    row, code = np.concatenate(rows), np.concatenate(codes)
    keep = ~np.asarray(stop, dtype=bool)[code] if len(code) else np.zeros(0, dtype=bool)
    row, code = row[keep], code[keep]
    unseen = np.array([t not in seen for t in types], dtype=bool)[code] if len(code) else keep
    known = np.array([t in vocabulary for t in types], dtype=bool)[code] if len(code) else keep
    n = len(docs)
    n_terms, n_in = np.bincount(row, minlength=n), np.bincount(row[known], minlength=n)
    n_unseen = np.bincount(row[unseen], minlength=n)
    key = row[unseen] * max(len(types), 1) + code[unseen]
    pairs, first, counts = np.unique(key, return_index=True, return_counts=True)
    order = np.lexsort((first, -counts, pairs // max(len(types), 1)))
    pair_row, pair_code = pairs[order] // max(len(types), 1), pairs[order] % max(len(types), 1)
    rank = np.arange(len(order)) - np.searchsorted(pair_row, pair_row)
    top: list[list[str]] = [[] for _ in range(n)]
    for r, c in zip(pair_row[rank < 5].tolist(), pair_code[rank < 5].tolist(), strict=True):
        top[r].append(types[c])
    with np.errstate(invalid="ignore", divide="ignore"):
        oov = np.where(n_terms > 0, n_unseen / np.maximum(n_terms, 1), np.nan)
        trimmed = np.where(n_terms > 0, (n_terms - n_in - n_unseen) / np.maximum(n_terms, 1), np.nan)
    return pd.DataFrame({"doc_id": ids, "n_terms": n_terms, "n_in_vocab": n_in, "oov_rate": oov,
                         "trimmed_rate": trimmed, "top_oov": [", ".join(t) for t in top]}, columns=OOV_COLUMNS)
