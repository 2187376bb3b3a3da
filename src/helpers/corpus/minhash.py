"""Word-shingle sets, MinHash signatures and LSH banding: near-duplicate candidates in linear time.

The near-duplicate test is the Jaccard similarity of two documents' word 5-gram shingle sets.
Comparing every pair is quadratic, and shared boilerplate (a footer every repost carries) makes
nearly every pair share a shingle, so a sparse "shingles x shingles-transposed" product is
quadratic too. Instead:

1. each document's shingles are hashed from its words (content hashes: a document's shingles
   do not depend on which other documents are in the corpus);
2. :func:`signatures` gives each document ``NUM_PERM`` MinHash values by one-permutation
   hashing with optimal densification (Li, Owen & Zhang 2012; Shrivastava 2017): the shingle
   hashes are split into ``NUM_PERM`` bins by their top bits and each bin keeps the document's
   smallest hash; an empty bin borrows the value of a non-empty bin picked by a fixed hash
   sequence. Two documents agree on each value with probability equal to their Jaccard, as with
   ``NUM_PERM`` independent permutations, but each shingle is hashed once, not ``NUM_PERM``
   times;
3. :func:`candidate_buckets` cuts signatures into ``bands`` of ``rows`` values; documents
   that agree on a whole band share a bucket and become candidates. :func:`band_layout`
   picks the layout so that a pair exactly at the threshold becomes a candidate with
   probability at least :data:`CANDIDATE_RECALL_TARGET`.

Candidates are then verified with the exact Jaccard (:func:`exact_jaccard`) in
:mod:`.duplicates`, so no pair is linked on an estimate. All hashing is seeded
(:data:`helpers.config.SEED`): the same texts give the same signatures on every run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..config import SEED

#: Shingle length in words.
SHINGLE_WORDS = 5
#: MinHash values per document (a power of two: the bins are the hash's top bits).
NUM_PERM = 256
#: Probability that a pair exactly at the threshold shares at least one LSH bucket.
CANDIDATE_RECALL_TARGET = 0.9999
_MIX = np.uint64(0x9E3779B97F4A7C15)
_PAD = np.uint64(0x5BD1E9955BD1E995)
_VALUE_BITS = 32
#: Documents hashed at once by :func:`shingle_sets` and :func:`signatures` (bounds their memory).
BATCH_DOCS = 4096


class Shingles(NamedTuple):
    """Per-document shingle hash sets: ``hashes[offsets[i]:offsets[i+1]]`` is document i's set
    (uint64 below ``2**bits``, sorted, unique). Documents without words have an empty set."""

    hashes: np.ndarray
    offsets: np.ndarray
    bits: int

    def of(self, i: int) -> np.ndarray:
        return self.hashes[self.offsets[i]:self.offsets[i + 1]]

    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)


def _word_hashes(words: list[str]) -> np.ndarray:
    """A stable 64-bit hash per distinct word (BLAKE2b), then per token."""
    codes, uniques = pd.factorize(pd.Series(words, dtype=object))
    return _hash_table(uniques)[codes] if len(codes) else np.zeros(0, dtype=np.uint64)


def _hash_table(uniques) -> np.ndarray:
    """BLAKE2b (8 bytes, little-endian) of each distinct word."""
    return np.fromiter((int.from_bytes(hashlib.blake2b(w.encode("utf-8"), digest_size=8).digest(), "little")
                        for w in uniques), dtype=np.uint64, count=len(uniques))


#: Every character other than " " that Python counts as whitespace (``str.isspace``), listed: deriving
#: it walks every code point (~0.3 s per process); a test checks the list against that derivation.
_OTHER_SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


@cache
def _irregular_spacing() -> str:
    """RE2 pattern for text where ``split(" ")`` and ``str.split()`` differ: a space at either end,
    two spaces in a row, or any other character Python counts as whitespace."""
    other = "".join(f"\\x{{{ord(c):x}}}" for c in _OTHER_SPACE)
    return f"^ | $|  |[{other}]"


def _token_hashes(normalised: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(words per text, hash per word)`` for texts of words separated by single spaces, as
    ``str.split()`` and :func:`_word_hashes` give them, without a Python string per word: Arrow
    splits and dictionary-encodes the words, only distinct words are hashed in Python. Texts with
    other spacing take the ``str.split()`` path."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array([t or None for t in normalised], type=pa.large_string())
    if pc.any(pc.match_substring_regex(arr, _irregular_spacing())).as_py():
        split = [t.split() for t in normalised]
        lengths = np.fromiter((len(w) for w in split), dtype=np.int64, count=len(split))
        return lengths, _word_hashes([w for ws in split for w in ws])
    lists = pc.split_pattern(arr, " ")
    lengths = np.diff(lists.offsets.to_numpy()).astype(np.int64)
    words = pc.dictionary_encode(lists.flatten())
    if not len(words):
        return lengths, np.zeros(0, dtype=np.uint64)
    return lengths, _hash_table(words.dictionary.to_pylist())[words.indices.to_numpy()]


def _finalise(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads every input bit over the output (uint64 wrap-around intended)."""
    with np.errstate(over="ignore"):
        h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return h ^ (h >> np.uint64(31))


def shingle_sets(normalised: list[str], k: int = SHINGLE_WORDS, batch: int = BATCH_DOCS) -> Shingles:
    """Word k-gram shingle hashes of each normalised text (words separated by single spaces).

    A text shorter than ``k`` words is one shingle (padded), so short texts can still match.
    Hashes keep ``64 - log2(documents)`` bits (at least 40): the document number fills the
    rest of one sort key, so one sort groups and orders every document's shingles. Documents
    are hashed ``batch`` at a time (bounds memory; the bits come from the whole count, so the
    hashes do not depend on the batch size).

    >>> s = shingle_sets(["a b c d e f", "a b c d e f", "x y", ""])
    >>> s.sizes().tolist(), bool((s.of(0) == s.of(1)).all())
    ([2, 2, 1, 0], True)
    """
    n = len(normalised)
    return shingles_from_batches((normalised[lo:lo + max(1, batch)] for lo in range(0, n, max(1, batch))), n, k)


def shingles_from_batches(batches: Iterable[list[str]], n: int, k: int = SHINGLE_WORDS) -> Shingles:
    """:func:`shingle_sets` of ``n`` normalised texts given in consecutive lists (``batches``), so
    the caller never holds every normalised text at once. Same result for any split.

    >>> shingles_from_batches([["a b c d e f"], ["a b c d e f", "x y"], [""]], 4).sizes().tolist()
    [2, 2, 1, 0]
    """
    bits = shingle_bits(n)
    return shingles_from_parts([_shingle_batch(b, k, bits) for b in batches], n, bits)


def shingle_bits(n: int) -> int:
    """Bits kept of each shingle hash for ``n`` documents (``64 - log2(n)``; raises below 40)."""
    bits = 64 - max(1, (n - 1).bit_length())
    if bits < 40:
        raise ValueError(f"{n} documents are too many for one near-duplicate pass (at most 2**24)")
    return bits


def shingle_part(normalised: list[str], bits: int, k: int = SHINGLE_WORDS) -> tuple[np.ndarray, np.ndarray]:
    """In: consecutive normalised texts, :func:`shingle_bits` of the whole count. Out: their
    ``(hashes, counts)``, a part for :func:`shingles_from_parts` (computed anywhere: a worker
    process gives the same arrays)."""
    return _shingle_batch(normalised, k, bits)


def shingles_from_parts(parts: list[tuple[np.ndarray, np.ndarray]], n: int, bits: int) -> Shingles:
    """The :class:`Shingles` of ``n`` documents from their :func:`shingle_part` results, in order."""
    hashes = np.concatenate([h for h, _ in parts]) if parts else np.zeros(0, dtype=np.uint64)
    counts = np.concatenate([c for _, c in parts]) if parts else np.zeros(0, dtype=np.int64)
    if len(counts) != n:
        raise ValueError(f"the batches hold {len(counts)} texts, not {n}")
    return Shingles(hashes, np.concatenate([[0], np.cumsum(counts)]).astype(np.int64), bits)


def _shingle_batch(normalised: list[str], k: int, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """``(hashes, counts)`` of some documents: each one's sorted unique shingle hashes (below
    ``2**bits``), concatenated, and how many each has."""
    n, doc_bits = len(normalised), 64 - bits
    lengths, tokens = _token_hashes(normalised)
    padded = np.where(lengths > 0, np.maximum(lengths, k), 0)
    src_start = np.cumsum(lengths) - lengths
    dst_start = np.cumsum(padded) - padded
    buf = np.full(int(padded.sum()), _PAD, dtype=np.uint64)
    buf[np.repeat(dst_start - src_start, lengths) + np.arange(len(tokens))] = tokens
    del tokens
    windows = np.where(padded > 0, padded - k + 1, 0)
    first = np.repeat(dst_start - (np.cumsum(windows) - windows), windows) + np.arange(int(windows.sum()))
    # the window hash at every position of the buffer by whole slices (no gather per word), then
    # the windows that start inside a document: the same numbers as a gather per word
    span = len(buf) - k + 1
    h = buf[:max(span, 0)].copy()
    with np.errstate(over="ignore"):
        for j in range(1, k):
            h *= _MIX
            h += buf[j:j + span]
    h = h[first]
    del buf, first
    key = (np.repeat(np.arange(n, dtype=np.uint64), windows) << np.uint64(bits)) | (_finalise(h ^ np.uint64(SEED)) >> np.uint64(doc_bits))
    del h
    key.sort()  # by document, then by hash
    key = key[np.concatenate([[True], key[1:] != key[:-1]])] if len(key) else key  # repeats in a document
    counts = np.bincount((key >> np.uint64(bits)).astype(np.int64), minlength=n)
    key &= np.uint64((1 << bits) - 1)
    return key, counts


def signatures(shingles: Shingles, num_perm: int = NUM_PERM, seed: int = SEED, batch: int = BATCH_DOCS) -> np.ndarray:
    """MinHash signatures, shape (documents, num_perm), uint32 (one-permutation hashing, densified).

    Bin b of document d holds the smallest value (the 32 bits below the bin bits) among d's
    shingle hashes whose top bits are b. An empty bin takes the value of the first non-empty
    bin in the sequence ``g(b, 1), g(b, 2), ...`` (g a seeded hash, the same for every
    document), so for any two documents each bin agrees with probability equal to their
    Jaccard. Documents without shingles keep all bins at 0xFFFFFFFF. Computed ``batch``
    documents at a time (each row depends on its own document only).

    >>> s = signatures(shingle_sets(["a b c d e f g h", "a b c d e f g h", "z"]))
    >>> s.shape, bool((s[0] == s[1]).all()), bool((s[0] == s[2]).any())
    ((3, 256), True, False)
    """
    if num_perm & (num_perm - 1) or not 2 <= num_perm <= 1024:
        raise ValueError(f"num_perm must be a power of two between 2 and 1024, not {num_perm}")
    n = len(shingles.offsets) - 1
    sig = np.full((n, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    for lo in range(0, n, max(1, batch)):
        hi = min(n, lo + max(1, batch))
        _signature_rows(sig[lo:hi].reshape(-1), shingles, lo, hi, num_perm, seed)
    return sig


def _signature_rows(out: np.ndarray, shingles: Shingles, lo: int, hi: int, num_perm: int, seed: int) -> None:
    """Fill ``out`` (the flat signature rows of documents lo..hi-1, all 0xFFFFFFFF) in place."""
    bin_bits = num_perm.bit_length() - 1
    shift = max(0, shingles.bits - bin_bits - _VALUE_BITS)
    sizes = shingles.sizes()[lo:hi]
    h = shingles.hashes[shingles.offsets[lo]:shingles.offsets[hi]]
    filled = np.zeros(len(out), dtype=bool)
    doc = np.repeat(np.arange(hi - lo, dtype=np.int64), sizes)
    # hashes are sorted within each document, so slots (document, top bits) come in order and
    # the first shingle of each slot is its minimum
    slot = doc * num_perm + (h >> np.uint64(shingles.bits - bin_bits)).astype(np.int64)
    del doc
    head = np.ones(len(slot), dtype=bool)
    head[1:] = slot[1:] != slot[:-1]
    out[slot[head]] = ((h[head] >> np.uint64(shift)) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    filled[slot[head]] = True
    _densify(out, filled, sizes > 0, num_perm, seed)


def _densify(sig: np.ndarray, filled: np.ndarray, nonempty: np.ndarray, num_perm: int, seed: int) -> None:
    """Fill each empty bin of a non-empty document from the original bins, in place."""
    todo = np.flatnonzero(~filled & np.repeat(nonempty, num_perm))
    original = sig.copy()
    attempt = 0
    while len(todo):
        attempt += 1
        doc, b = np.divmod(todo, num_perm)
        with np.errstate(over="ignore"):
            g = _finalise(b.astype(np.uint64) * _MIX + np.uint64(attempt) * np.uint64(0xD6E8FEB86659FD93)
                          + np.uint64(seed))
        src = doc * num_perm + (g % np.uint64(num_perm)).astype(np.int64)
        hit = filled[src]
        sig[todo[hit]] = original[src[hit]]
        todo = todo[~hit]


def band_layout(threshold: float, num_perm: int = NUM_PERM,
                target: float = CANDIDATE_RECALL_TARGET) -> tuple[int, int]:
    """``(bands, rows)`` with bands x rows <= num_perm: the most rows per band (fewest chance
    candidates) for which a pair at Jaccard ``threshold`` is a candidate with probability >= target.

    >>> band_layout(0.7), band_layout(0.8)
    ((51, 5), (42, 6))
    """
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if 1 - (1 - threshold ** rows) ** bands >= target:
            best = (bands, rows)
    return best


def candidate_probability(jaccard: float, bands: int, rows: int) -> float:
    """Chance that a pair with this Jaccard shares at least one bucket: 1 - (1 - J^rows)^bands."""
    return 1 - (1 - jaccard ** rows) ** bands


def candidate_buckets(sig: np.ndarray, bands: int, rows: int, docs: np.ndarray | None = None):
    """Yield, per band, ``(members, starts, sizes)``: document indices sorted by bucket, and the
    start and size of each bucket holding two or more documents. ``docs`` restricts the
    documents considered (default: all)."""
    docs = np.arange(len(sig)) if docs is None else np.asarray(docs)
    if len(docs) < 2:
        return
    with np.errstate(over="ignore"):
        for band in range(bands):
            block = sig[docs, band * rows:(band + 1) * rows].astype(np.uint64)
            key = np.zeros(len(docs), dtype=np.uint64)
            for c in range(rows):
                key = _finalise(key * _MIX + block[:, c])
            order = np.argsort(key, kind="stable")
            sk = key[order]
            edges = np.flatnonzero(np.concatenate([[True], sk[1:] != sk[:-1], [True]]))
            starts, sizes = edges[:-1], np.diff(edges)
            multi = sizes > 1
            if multi.any():
                yield docs[order], starts[multi], sizes[multi]


#: Shingle hashes gathered at once by :func:`exact_jaccard` (bounds its memory: ~16 bytes each).
JACCARD_BLOCK_HASHES = 1 << 22


def exact_jaccard(shingles: Shingles, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Exact Jaccard similarity of the shingle sets of documents ``i[p]`` and ``j[p]`` (0 when both
    are empty).

    All pairs at once, in blocks: each pair's two sets are gathered with the pair number in the
    bits above the hashes (hashes are below ``2**bits``, so ``64 - bits`` bits are free), which
    keeps each side's keys sorted over the whole block; one search of one side's keys in the
    other's counts every pair's shared shingles.
    """
    i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    out = np.zeros(len(i), dtype=float)
    sizes = shingles.sizes()
    la, lb = sizes[i], sizes[j]
    both = np.flatnonzero((la > 0) & (lb > 0))
    if not len(both):
        return out
    max_pairs = 1 << min(62, 64 - shingles.bits)
    work = np.cumsum(la[both] + lb[both])
    lo = 0
    while lo < len(both):
        hi = int(np.searchsorted(work, (work[lo - 1] if lo else 0) + JACCARD_BLOCK_HASHES, side="right"))
        hi = min(max(hi, lo + 1), lo + max_pairs, len(both))
        p = both[lo:hi]
        inter = _shared_counts(shingles, i[p], j[p])
        out[p] = inter / (la[p] + lb[p] - inter)
        lo = hi
    return out


def _gather_keys(shingles: Shingles, docs: np.ndarray) -> np.ndarray:
    """The shingle hashes of ``docs`` (non-empty), concatenated, each with its position in ``docs``
    in the bits above :attr:`Shingles.bits`: sorted, as each document's hashes are."""
    starts, counts = shingles.offsets[docs], shingles.offsets[docs + 1] - shingles.offsets[docs]
    first = np.cumsum(counts) - counts
    idx = np.repeat(starts - first, counts) + np.arange(int(counts.sum()))
    owner = np.repeat(np.arange(len(docs), dtype=np.uint64), counts)
    return (owner << np.uint64(shingles.bits)) | shingles.hashes[idx]


def _shared_counts(shingles: Shingles, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How many shingles documents ``a[p]`` and ``b[p]`` share (both sets non-empty; fewer pairs
    than ``2**(64 - bits)``)."""
    ka, kb = _gather_keys(shingles, a), _gather_keys(shingles, b)
    pos = np.searchsorted(kb, ka)
    pos[pos == len(kb)] = 0
    hit = kb[pos] == ka
    return np.bincount((ka[hit] >> np.uint64(shingles.bits)).astype(np.int64), minlength=len(a))
