"""Exact and near-duplicate copies: word-shingle Jaccard, grouped to the earliest copy.

Copies are flagged, never dropped: ``duplicate_of`` names the earliest copy's ``doc_id``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

from .identity import normalise_for_hash

#: Word 5-gram shingle Jaccard at or above which two documents count as near-duplicates.
NEAR_DUPLICATE_JACCARD = 0.8


def flag_duplicates(corpus: pd.DataFrame, threshold: float = NEAR_DUPLICATE_JACCARD,
                    normalised: list[str] | None = None) -> pd.Series:
    """``duplicate_of`` for each document: the doc_id of the earliest copy, or "".

    Two documents are copies when the Jaccard similarity of their word 5-gram shingles is at
    least ``threshold`` (exact copies score 1). Copies are grouped transitively; the earliest
    (by date, unknown dates last, then by source path) is the original and gets "".
    """
    n = len(corpus)
    out = pd.Series([""] * n, index=corpus.index, dtype=object)
    if n < 2:
        return out
    norm = normalised if normalised is not None else [normalise_for_hash(t) for t in corpus["text"]]
    x = _shingle_matrix(norm)
    sizes = np.asarray(x.sum(axis=1)).ravel()
    inter = (x @ x.T).tocoo()
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, v in zip(inter.row, inter.col, inter.data, strict=True):
        if i < j:
            union = sizes[i] + sizes[j] - v
            if union > 0 and v / union >= threshold:
                parent[find(i)] = find(j)
    order = corpus.assign(_d=corpus["date"].fillna(pd.Timestamp.max)).reset_index(drop=True)
    rank = order.sort_values(["_d", "source_path"], kind="stable").index.tolist()
    first: dict[int, int] = {}
    for pos in rank:
        root = find(pos)
        if root in first:
            out.iloc[pos] = corpus["doc_id"].iloc[first[root]]
        else:
            first[root] = pos
    return out


def _shingle_matrix(normalised: list[str], k: int = 5) -> csr_matrix:
    """Binary documents x word-k-gram-shingles matrix (texts shorter than k: one shingle)."""
    split = [s.split() for s in normalised]
    lengths = np.fromiter((len(w) for w in split), dtype=np.int64, count=len(split))
    codes = pd.factorize(pd.Series([w for ws in split for w in ws], dtype=object))[0].astype(np.uint64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    rows, cols = [], []
    for i in range(len(normalised)):
        ids = codes[offsets[i]:offsets[i + 1]]
        if len(ids) == 0:
            continue
        if len(ids) < k:
            ids = np.concatenate([ids, np.full(k - len(ids), np.uint64(2**63 - 1), dtype=np.uint64)])
        # polynomial hash of each window of k word ids; uint64 wrap-around is intended
        h = np.zeros(len(ids) - k + 1, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for j in range(k):
                h = h * np.uint64(1_000_003) + ids[j:len(ids) - k + 1 + j]
        h = np.unique(h)
        rows.append(np.full(len(h), i))
        cols.append(h)
    if not rows:
        return csr_matrix((len(normalised), 1), dtype=np.float32)
    all_cols = np.concatenate(cols)
    uniq, inv = np.unique(all_cols, return_inverse=True)
    return csr_matrix((np.ones(len(all_cols), dtype=np.float32), (np.concatenate(rows), inv)),
                      shape=(len(normalised), len(uniq)))


def duplicate_groups(corpus: pd.DataFrame) -> pd.DataFrame:
    """One row per copy: ``original`` (doc_id), ``duplicate`` (doc_id), both sources and titles."""
    dups = corpus.loc[corpus["duplicate_of"] != "", ["doc_id", "duplicate_of", "source_path", "title", "outlet"]]
    orig = corpus[["doc_id", "source_path", "title", "outlet"]].rename(
        columns={"doc_id": "duplicate_of", "source_path": "source_path_original", "title": "title_original",
                 "outlet": "outlet_original"})
    out = dups.merge(orig, on="duplicate_of", how="left")
    return out.rename(columns={"doc_id": "duplicate", "duplicate_of": "original"}).reset_index(drop=True)


def one_per_story(corpus: pd.DataFrame) -> pd.DataFrame:
    """The corpus with every flagged copy left out: each story counted once, as its earliest copy.

    Measures that count stories (tone per document, frame shares, topic prevalence) use this by
    default, so a wire story reposted by ten outlets does not weigh ten times; pass the full
    corpus to study syndication itself.

    >>> c = pd.DataFrame({"doc_id": ["a", "b", "c"], "duplicate_of": ["", "a", ""]})
    >>> one_per_story(c)["doc_id"].tolist()
    ['a', 'c']
    """
    if "duplicate_of" not in corpus.columns:
        return corpus
    return corpus.loc[corpus["duplicate_of"].fillna("") == ""].reset_index(drop=True)
