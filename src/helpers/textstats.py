"""Term frequencies and collocations of a corpus from one pass over its sentence units.

:func:`frequencies_and_collocations` gives the tables of :func:`helpers.text.term_frequencies`
(of the corpus) and :func:`helpers.text.collocations` (of its sentences) while tokenizing each
sentence once, not twice: the sentences' tokens are counted with integer arrays (word counts,
documents per word, bigrams of non-stop words within sentences, Dunning's G²). The stream comes
in blocks of ``(words, separator)``, every sentence's tokens followed by the separator
(``helpers.text._sentence_blocks``); words get ids in order of first appearance and about
``helpers.text._COUNT_TOKENS`` tokens are counted at a time, so memory holds one batch of token
strings and the distinct pairs at any corpus size.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd

from . import text
from .text import (
    STOP_WORDS,
    _batched,
    _g2_2x2,
    _is_sentence_table,
    _merge_counts,
    _sentence_blocks,
    _sentences_of,
)


def frequencies_and_collocations(sentences: pd.DataFrame, min_count: int = 2,
                                 stop_words: Iterable[str] | None = STOP_WORDS,
                                 top: int = 30) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(term_frequencies(corpus, stop_words=...), collocations(sentences, min_count, ..., top))``
    from one pass over the sentences (each tokenized once for both tables).

    In: the corpus's sentence units (``helpers.text.units(corpus, "sentence")``; ``doc_id`` unique
    per document). A document's tokens are its sentences' tokens (the text between sentences is
    white space), so the counts and documents per term equal those of the corpus (tests compare).
    """
    if len(sentences) and not _is_sentence_table(sentences):
        raise ValueError("frequencies_and_collocations needs sentence units: units(corpus, 'sentence')")
    stop = None if stop_words is None else frozenset(stop_words)
    doc_ids = sentences["doc_id"]
    sentence_doc = (doc_ids != doc_ids.shift()).cumsum().to_numpy(dtype=np.int64) - 1
    counts = count_stream(_sentence_blocks(_sentences_of(sentences), None), stop, sentence_doc)
    return term_table(counts), collocation_table(counts, min_count, top)


class StreamCounts(NamedTuple):
    """What :func:`count_stream` found. Per word id: ``words`` (the word), ``counts`` (all its
    tokens), ``docs`` (documents holding it; ``None`` when no documents were given) and
    ``stop`` (a stop word). ``n``: tokens that are no stop word. ``pairs``/``pair_counts``: sorted
    ``first << 32 | second`` keys of the bigrams of non-stop tokens within sentences (stop words
    removed first, so a pair may bridge one) and how often each occurs."""

    words: list[str]
    counts: np.ndarray
    docs: np.ndarray | None
    stop: np.ndarray
    n: int
    pairs: np.ndarray
    pair_counts: np.ndarray


def count_stream(blocks, stop: frozenset | None, sentence_doc: np.ndarray | None = None) -> StreamCounts:
    """In: blocks of sentence tokens with stop words kept, ``stop`` (or ``None``), and optionally
    the document number of each sentence (non-decreasing: a document's sentences are
    consecutive). Out: :class:`StreamCounts`."""
    vocab: dict[str, int] = {}
    counts = docs = np.zeros(0, dtype=np.int64)
    is_stop = np.zeros(0, dtype=bool)
    keys = key_counts = np.zeros(0, dtype=np.int64)
    pending: list[tuple[np.ndarray, np.ndarray]] = []
    carry = np.zeros(0, dtype=np.int64)  # (document << 32 | word) of the document a batch ended in
    n = sentences_seen = 0
    for words, separator in _batched(blocks, text._COUNT_TOKENS):
        local, uniques = pd.factorize(np.array(words, dtype=object))  # None (a separator) -> -1
        known = len(vocab)
        ids = np.array([-1 if w == separator else vocab.setdefault(w, len(vocab)) for w in uniques],
                       dtype=np.int64)
        codes = np.where(local >= 0, ids[np.maximum(local, 0)], -1) if len(ids) else local.astype(np.int64)
        new = list(vocab)[known:]
        is_stop = np.concatenate([is_stop, np.array([w in stop for w in new] if stop else [False] * len(new),
                                                    dtype=bool)])
        grow = np.zeros(len(vocab) - known, dtype=np.int64)
        counts, docs = np.concatenate([counts, grow]), np.concatenate([docs, grow])
        sep = codes < 0
        real = ~sep
        counts += np.bincount(codes[real], minlength=len(vocab))
        if sentence_doc is not None:
            sentence = sentences_seen + np.cumsum(sep) - sep  # separators before each token
            sentences_seen += int(sep.sum())
            doc = sentence_doc[sentence[real]].astype(np.int64)
            if len(doc):  # the last document may go on in the next batch: its pairs wait
                pairs = _distinct(np.concatenate([carry, (doc << 32) | codes[real]]))
                done = (pairs >> 32) < doc[-1]
                docs += np.bincount(pairs[done] & 0xFFFFFFFF, minlength=len(vocab))
                carry = pairs[~done]
        kept = codes[sep | ~is_stop[np.maximum(codes, 0)]]  # stop words out, separators in
        inside = (kept[:-1] >= 0) & (kept[1:] >= 0)  # a pair (i, i + 1) within one sentence
        n += int((kept >= 0).sum())
        pending.append(np.unique((kept[:-1][inside] << 32) | kept[1:][inside], return_counts=True))
        if sum(len(k) for k, _ in pending) > text._MERGE_AT:
            keys, key_counts = _merge_counts([(keys, key_counts), *pending])
            pending = []
    keys, key_counts = _merge_counts([(keys, key_counts), *pending])
    if sentence_doc is not None:
        docs += np.bincount(carry & 0xFFFFFFFF, minlength=len(vocab))
    return StreamCounts(list(vocab), counts, docs if sentence_doc is not None else None, is_stop, n, keys,
                        key_counts)


def term_table(sc: StreamCounts, min_count: int = 1) -> pd.DataFrame:
    """``term``, ``count``, ``docs``, ``per_1000`` of the non-stop words seen ``min_count`` times or
    more, by count (descending) then term: the table of :func:`helpers.text.term_frequencies`."""
    keep = np.flatnonzero(~sc.stop & (sc.counts >= min_count))
    c = sc.counts[keep]
    frame = pd.DataFrame({"term": [sc.words[i] for i in keep.tolist()], "count": c, "docs": sc.docs[keep],
                          "per_1000": 1000 * c / max(sc.n, 1)})
    out = pd.concat([frame], ignore_index=True)[["term", "count", "docs", "per_1000"]]
    return out.sort_values(["count", "term"], ascending=[False, True]).reset_index(drop=True)


def collocation_table(sc: StreamCounts, min_count: int, top: int) -> pd.DataFrame:
    """``bigram``, ``count``, ``g2``, ``pmi`` of the ``top`` bigrams seen ``min_count`` times or more,
    by G² (descending) then bigram. G² and PMI are computed for every such bigram; the strings
    only for those at or above the ``top``-th largest G² (ties kept), which hold the answer."""
    keep = sc.pair_counts >= min_count
    if not keep.any():
        return pd.DataFrame(columns=["bigram", "count", "g2", "pmi"])
    c, keys, n = sc.pair_counts[keep], sc.pairs[keep], sc.n
    first, second = keys >> 32, keys & 0xFFFFFFFF
    c1, c2 = sc.counts[first], sc.counts[second]
    g2, pmi = _g2_2x2(c, c1, c2, n), np.log2(c * n / (c1 * c2))
    cand = np.arange(len(c))
    if 0 <= top < len(c):
        cand = np.flatnonzero(g2 >= np.partition(g2, len(g2) - max(top, 1))[len(g2) - max(top, 1)])
    words = sc.words
    bigrams = [f"{words[i]} {words[j]}" for i, j in zip(first[cand].tolist(), second[cand].tolist(), strict=True)]
    out = pd.DataFrame({"bigram": bigrams, "count": c[cand], "g2": g2[cand], "pmi": pmi[cand]})
    return out.sort_values(["g2", "bigram"], ascending=[False, True]).head(top).reset_index(drop=True)


def _distinct(keys: np.ndarray) -> np.ndarray:
    """``np.unique(keys)`` by one sort (numpy 2's hash-based ``unique`` is ~20x slower on these)."""
    keys = np.sort(keys)
    return keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys
