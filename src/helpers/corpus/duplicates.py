"""Exact and near-duplicate copies: MinHash/LSH candidates, exact word-shingle Jaccard, grouped to
the earliest copy.

Copies are flagged, never dropped: ``duplicate_of`` names the earliest copy's ``doc_id``.
Candidate pairs come from MinHash signatures cut into LSH bands (:mod:`.minhash`), which keeps
the work linear in the number of documents even when every document carries the same footer;
each candidate is then checked with the exact Jaccard of the two shingle sets, so a pair is
linked only when its true similarity reaches the threshold. The threshold and its validation
on labelled pairs are in ``docs/provenance.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..compute import filter_rows
from .identity import normalise_for_hash
from .minhash import (
    NUM_PERM,
    Shingles,
    band_layout,
    candidate_buckets,
    exact_jaccard,
    shingle_sets,
    signatures,
)

#: Word 5-gram shingle Jaccard at or above which two documents count as near-duplicates
#: (validated on labelled pairs: docs/provenance.md).
NEAR_DUPLICATE_JACCARD = 0.7
#: A candidate is checked exactly only if its signatures agree on at least (threshold - margin)
#: of their values; a pair truly at the threshold falls below that with probability < 1e-8.
SIGNATURE_MARGIN = 0.2
#: Pairs checked at once (bounds memory: pairs x NUM_PERM x 4 bytes x 2).
_PAIR_BLOCK = 1 << 15
#: Buckets up to this size have all their pairs listed at once; larger ones are walked in blocks.
_SMALL_BUCKET = 64
#: A bucket holding more documents than this gets only the first-member pass: such buckets come
#: from boilerplate every document carries, and walking all their pairs would be quadratic. A
#: true copy pair in one still meets in the other bands (see docs/provenance.md).
MAX_BUCKET_PAIRS_WALKED = 1000


def flag_duplicates(corpus: pd.DataFrame, threshold: float = NEAR_DUPLICATE_JACCARD,
                    normalised: list[str] | Shingles | None = None) -> pd.Series:
    """``duplicate_of`` for each document: the doc_id of the earliest copy, or "".

    Two documents are copies when the Jaccard similarity of their word 5-gram shingles is at
    least ``threshold`` (exact copies score 1). Copies are grouped transitively; the earliest
    (by date, unknown dates last, then by source path) is the original and gets "".
    Documents without words are never copies. ``normalised``: the texts normalised
    (:func:`.identity.normalise_for_hash`) or their :func:`.minhash.shingle_sets`, if at hand.

    >>> c = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["one two three four five six"] * 2 + ["other"],
    ...                   "date": pd.to_datetime(["2013-02-01", "2013-01-01", None]), "source_path": ["x", "y", "z"]})
    >>> flag_duplicates(c).tolist()
    ['b', '', '']
    """
    n = len(corpus)
    out = pd.Series([""] * n, index=corpus.index, dtype=object)
    if n < 2:
        return out
    norm = normalised if normalised is not None else [normalise_for_hash(t) for t in corpus["text"]]
    roots = near_duplicate_groups(norm, threshold)
    rank = (corpus[["date", "source_path"]].reset_index(drop=True)
            .sort_values(["date", "source_path"], kind="stable", na_position="last").index.tolist())
    first: dict[int, int] = {}
    for pos in rank:
        root = int(roots[pos])
        if root in first:
            out.iloc[pos] = corpus["doc_id"].iloc[first[root]]
        else:
            first[root] = pos
    return out


def near_duplicate_groups(normalised: list[str] | Shingles, threshold: float = NEAR_DUPLICATE_JACCARD,
                          num_perm: int = NUM_PERM) -> np.ndarray:
    """A group label per text (the smallest index in its group): texts linked by a chain of pairs
    with exact shingle Jaccard >= ``threshold`` among the LSH candidates share a label.

    Per LSH band, each bucket's first document is checked against the others (one pass links a
    cluster of copies), then the remaining pairs of the bucket whose groups still differ, so
    every candidate pair at or above the threshold ends up linked; buckets larger than
    :data:`MAX_BUCKET_PAIRS_WALKED` (boilerplate shared by a large part of the corpus) get the
    first pass only, which keeps the work linear in the number of documents. ``normalised`` may
    be the texts' shingle sets already.

    >>> near_duplicate_groups(["a b c d e f g", "a b c d e f g", "x y z"]).tolist()
    [0, 0, 2]
    """
    sh = normalised if isinstance(normalised, Shingles) else shingle_sets(normalised)
    parent = np.arange(len(sh.offsets) - 1)
    nonempty = np.flatnonzero(sh.sizes() > 0)
    if len(nonempty) < 2:
        return parent
    sig = signatures(sh, num_perm)
    bands, rows = band_layout(threshold, num_perm)
    min_agree = max(0.0, threshold - SIGNATURE_MARGIN)
    for members, starts, sizes in candidate_buckets(sig, bands, rows, nonempty):
        first = np.cumsum(sizes) - sizes  # where each bucket starts in the flat list below
        pos = np.repeat(starts - first, sizes) + np.arange(int(sizes.sum()))
        star = pos != np.repeat(starts, sizes)
        _link(parent, sh, sig, members[np.repeat(starts, sizes)][star], members[pos[star]], threshold, min_agree)
        roots = _roots(parent)[members[pos]]
        split = np.minimum.reduceat(roots, first) != np.maximum.reduceat(roots, first)
        small = split & (sizes <= _SMALL_BUCKET)
        _link(parent, sh, sig, *_bucket_pairs(members, starts[small], sizes[small]), threshold, min_agree)
        walk = split & ~small & (sizes <= MAX_BUCKET_PAIRS_WALKED)
        for s, z in zip(starts[walk].tolist(), sizes[walk].tolist(), strict=True):
            _link_bucket(parent, sh, sig, members[s:s + z], threshold, min_agree)
    return _roots(parent)


def _roots(parent: np.ndarray) -> np.ndarray:
    """Point every entry at its group's root (path halving until stable), in place; returns parent."""
    while True:
        up = parent[parent]
        if np.array_equal(up, parent):
            return parent
        parent[:] = up


def _bucket_pairs(members: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair within each bucket (``members[start:start + size]``), all buckets at once."""
    out_i, out_j = [np.zeros(0, dtype=members.dtype)], [np.zeros(0, dtype=members.dtype)]
    for z in np.unique(sizes).tolist():
        s = starts[sizes == z][:, None]
        a, b = np.triu_indices(z, 1)
        out_i.append(members[(s + a).ravel()])
        out_j.append(members[(s + b).ravel()])
    return np.concatenate(out_i), np.concatenate(out_j)


def _link_bucket(parent, sh, sig, docs: np.ndarray, threshold: float, min_agree: float,
                 block: int = 256) -> None:
    """Check every pair of one bucket whose groups still differ, ``block`` rows at a time."""
    k = len(docs)
    for lo in range(0, k - 1, block):
        rows = np.arange(lo, min(lo + block, k - 1))
        i, j = np.repeat(rows, k), np.tile(np.arange(k), len(rows))
        roots = _roots(parent)[docs]
        keep = (j > i) & (roots[i] != roots[j])
        _link(parent, sh, sig, docs[i[keep]], docs[j[keep]], threshold, min_agree)


def _link(parent, sh, sig, i: np.ndarray, j: np.ndarray, threshold: float, min_agree: float) -> None:
    """Union the pairs (i, j) whose groups differ, whose signatures agree on >= min_agree of their
    values and whose exact Jaccard reaches the threshold."""
    roots = _roots(parent)
    keep = roots[i] != roots[j]
    i, j = i[keep], j[keep]
    for lo in range(0, len(i), _PAIR_BLOCK):
        a, b = i[lo:lo + _PAIR_BLOCK], j[lo:lo + _PAIR_BLOCK]
        agree = (sig[a] == sig[b]).mean(axis=1) >= min_agree
        a, b = a[agree], b[agree]
        ok = exact_jaccard(sh, a, b) >= threshold
        for x, y in zip(a[ok].tolist(), b[ok].tolist(), strict=True):
            rx, ry = _find(parent, x), _find(parent, y)
            if rx != ry:
                parent[max(rx, ry)] = min(rx, ry)


def _find(parent: np.ndarray, x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = int(parent[x])
    return x


def duplicate_groups(corpus: pd.DataFrame) -> pd.DataFrame:
    """One row per copy: ``original`` (doc_id), ``duplicate`` (doc_id), both sources and titles."""
    dups = corpus.loc[corpus["duplicate_of"] != "", ["doc_id", "duplicate_of", "source_path", "title", "outlet"]]
    orig = corpus[["doc_id", "source_path", "title", "outlet"]].rename(
        columns={"doc_id": "duplicate_of", "source_path": "source_path_original", "title": "title_original",
                 "outlet": "outlet_original"})
    out = dups.merge(orig, on="duplicate_of", how="left")
    return out.rename(columns={"doc_id": "duplicate", "duplicate_of": "original"}).reset_index(drop=True)


CLUSTER_COLUMNS = ["story", "size", "canonical_outlet", "canonical_date", "canonical_title", "n_outlets", "outlets",
                   "first_date", "last_date", "days_spread"]


def duplicate_clusters(corpus: pd.DataFrame) -> pd.DataFrame:
    """One row per story that has copies: the earliest copy (canonical) and who else ran it.

    Columns: ``story`` (the canonical copy's doc_id), ``size`` (copies including the canonical
    one), ``canonical_outlet``, ``canonical_date``, ``canonical_title``, ``n_outlets``,
    ``outlets`` (distinct outlets, earliest first, "; "-separated), ``first_date``,
    ``last_date``, ``days_spread``. Largest clusters first.

    >>> c = pd.DataFrame({"doc_id": ["a", "b", "c"], "duplicate_of": ["", "a", ""], "outlet": ["X", "Y", "Z"],
    ...                   "title": ["t", "t", "u"], "date": pd.to_datetime(["2013-01-01", "2013-01-03", None])})
    >>> duplicate_clusters(c)[["story", "size", "outlets", "days_spread"]].to_dict("records")
    [{'story': 'a', 'size': 2, 'outlets': 'X; Y', 'days_spread': 2.0}]
    """
    if corpus.empty or "duplicate_of" not in corpus.columns or not (corpus["duplicate_of"] != "").any():
        return pd.DataFrame(columns=CLUSTER_COLUMNS)
    c = corpus.assign(story=corpus["duplicate_of"].where(corpus["duplicate_of"] != "", corpus["doc_id"]))
    c = c[c["story"].isin(set(corpus.loc[corpus["duplicate_of"] != "", "duplicate_of"]))]
    c = c.sort_values(["date", "doc_id"], na_position="last", kind="stable")
    canon = corpus.set_index("doc_id")
    rows = []
    for story, g in c.groupby("story", sort=False):
        outlets = [o for o in dict.fromkeys(g["outlet"].fillna("")) if o]
        first, last = g["date"].min(), g["date"].max()
        rows.append({"story": story, "size": len(g), "canonical_outlet": canon.at[story, "outlet"],
                     "canonical_date": canon.at[story, "date"], "canonical_title": canon.at[story, "title"],
                     "n_outlets": len(outlets), "outlets": "; ".join(outlets), "first_date": first, "last_date": last,
                     "days_spread": (last - first).total_seconds() / 86400 if pd.notna(first) else float("nan")})
    out = pd.DataFrame(rows, columns=CLUSTER_COLUMNS)
    return out.sort_values(["size", "first_date"], ascending=[False, True], kind="stable").reset_index(drop=True)


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
    # column by column (filter_rows): at 100,000 articles a whole-table .loc peaked 1.2 GB higher
    return filter_rows(corpus, (corpus["duplicate_of"].fillna("") == "").to_numpy()).reset_index(drop=True)
