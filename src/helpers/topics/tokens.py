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
  step of one fit saw (the material of its ``report_``).

Used when the vectorizer has no custom tokenizer, no collocations and no lemmatising (the
default): then a document's terms are exactly its non-stop tokens. The texts are split at ASCII
white space and the pieces told apart by pyarrow; each distinct piece is lower-cased and
tokenised once (remembered across chunks), so no Python work is done per token. Memory stays at
the sparse counts plus one chunk's pieces.
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
    tokens), ``stop_counts`` (int per type: occurrences of stop types), ``n_raw`` (all tokens).
    """

    types: list[str]
    stop: np.ndarray
    doc_term: sparse.csr_matrix
    stop_counts: np.ndarray
    n_raw: int


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


def count_tokens(docs: list[str], pattern, is_stop, chunk_docs: int | None = None) -> TokenCounts:
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


def select_columns(tc: TokenCounts, vocabulary: dict[str, int]) -> sparse.csr_matrix:
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

def emptied_counter(tc: TokenCounts):
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


def as_texts(texts) -> list[str]:
    """Documents as strings (missing ones as ""); a single string is refused."""
    if isinstance(texts, str):
        raise TypeError("Pass a list or Series of documents, not a single string")
    if isinstance(texts, pd.Series):  # the same values as iterating it, at once (not one by one)
        texts = texts.tolist()
    return [
        "" if (t is None or (isinstance(t, float) and math.isnan(t))) else str(t) for t in texts
    ]


@dataclass
class FitTrace:
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
