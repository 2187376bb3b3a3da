"""Content keys and chunks of ``map_documents`` with less memory, same values.

- ``_row_hashes`` hashes ``ROW_HASH_BLOCK`` rows at a time: the same array as the one call
  before (kept verbatim below), also when one block holds odd values (then every row is hashed
  as text, as before), and so the same ``document_keys``.
- ``_chunks`` skips the copy of the table when every row is wanted: the same chunks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.compute import docmap, keys


def _reference_row_hashes(table: pd.DataFrame) -> np.ndarray:
    frame = table.reset_index(drop=True)
    try:
        rows = pd.util.hash_pandas_object(frame, index=False, categorize=False).to_numpy()
    except TypeError:  # lists, dicts or mixed objects in a column: hash their text instead
        frame = frame.apply(lambda col: col.map(repr) if col.dtype == object else col)
        rows = pd.util.hash_pandas_object(frame, index=False, categorize=False).to_numpy()
    names = pd.util.hash_array(np.array([str(c) for c in frame.columns], dtype=object))
    salt = np.bitwise_xor.reduce(names) if len(names) else np.uint64(0)
    return rows ^ salt


def _reference_chunks(table, doc_ids, by, chunk_docs):
    if not doc_ids:
        return []
    wanted = pd.Series(range(len(doc_ids)), index=pd.Index(doc_ids, dtype=object))
    rank = table[by].map(wanted)
    rows = table[rank.notna().to_numpy()]
    chunk_of = (rank[rank.notna()].astype(int) // chunk_docs).to_numpy()
    return [part for _, part in rows.groupby(chunk_of, sort=True)]


def _table(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    words = np.array(["a", "bé", "c d", "", "x\ny", "ünï"], dtype=object)
    return pd.DataFrame({
        "doc_id": [f"d{i // 3}" for i in range(n)],
        "text": words[rng.integers(0, len(words), n)],
        "position": rng.integers(0, 50, n),
        "score": rng.normal(size=n),
        "flag": rng.integers(0, 2, n).astype(bool),
    }, index=pd.RangeIndex(100, 100 + n))


@pytest.mark.parametrize("block", [1, 7, 64, 10_000])
def test_row_hashes_in_blocks_equal_one_call(monkeypatch, block):
    monkeypatch.setattr(keys, "ROW_HASH_BLOCK", block)
    table = _table(200)
    assert np.array_equal(keys._row_hashes(table), _reference_row_hashes(table))
    texts = list(table["text"])
    texts[150] = {"a": 1}  # a mixed column: pandas hashes it as text itself
    mixed = table.assign(text=pd.Series(texts, index=table.index, dtype=object))
    assert np.array_equal(keys._row_hashes(mixed), _reference_row_hashes(mixed))
    # a value pandas refuses (TypeError) in one late block: every row hashed as its repr, as before
    real = pd.util.hash_pandas_object

    def refusing(frame, **kw):
        if any((frame[c] == "REFUSED").any() for c in frame.columns if frame[c].dtype == object):
            raise TypeError("not hashable here")
        return real(frame, **kw)

    monkeypatch.setattr(pd.util, "hash_pandas_object", refusing)
    texts[150] = "REFUSED"
    odd = table.assign(text=pd.Series(texts, index=table.index, dtype=object))
    assert np.array_equal(keys._row_hashes(odd), _reference_row_hashes(odd))
    assert not np.array_equal(keys._row_hashes(odd)[:100], keys._row_hashes(table)[:100])  # all as text
    assert np.array_equal(keys._row_hashes(table.iloc[:0]), _reference_row_hashes(table.iloc[:0]))


def test_document_keys_unchanged_by_the_block_size(monkeypatch):
    table = _table(500, seed=3)
    whole = keys.document_keys(table)
    monkeypatch.setattr(keys, "ROW_HASH_BLOCK", 13)
    pd.testing.assert_series_equal(keys.document_keys(table), whole)


@pytest.mark.parametrize("subset", ["all", "some", "reordered"])
def test_chunks_equal_the_earlier_chunks(subset):
    table = _table(90, seed=1)
    ids = list(pd.unique(table["doc_id"]))
    doc_ids = {"all": ids, "some": ids[::2], "reordered": ids[::-1]}[subset]
    got = docmap._chunks(table, doc_ids, "doc_id", 4)
    want = _reference_chunks(table, doc_ids, "doc_id", 4)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        pd.testing.assert_frame_equal(g, w)
