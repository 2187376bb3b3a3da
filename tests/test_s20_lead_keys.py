"""``_row_hashes`` also cuts its blocks every ``ROW_HASH_CHARS`` characters of text: the same
array as one call (kept verbatim below), so the same ``document_keys``; a corpus of long texts
is no longer one block (92,000 articles: +0.9-1.1 GB per ``map_documents`` over their text)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.compute import keys


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


def _table(n, dtype, seed=0):
    rng = np.random.default_rng(seed)
    words = np.array(["", "a", "bé ünï", "x" * 40, "line\nbreak", None], dtype=object)
    text = words[rng.integers(0, len(words), n)]
    return pd.DataFrame({
        "doc_id": pd.array([f"d{i // 3}" for i in range(n)], dtype=dtype),
        "text": pd.array(text, dtype=dtype),
        "title": pd.array(words[rng.integers(0, len(words), n)], dtype=dtype),
        "position": rng.integers(0, 9, n),
    }, index=pd.RangeIndex(10, 10 + n))


@pytest.mark.parametrize("dtype", ["str", "string[pyarrow]", "string[python]", object])
@pytest.mark.parametrize("chars", [1, 7, 100, 10**9])
@pytest.mark.parametrize("rows", [3, 1000])
def test_blocks_by_characters_give_the_same_hashes(monkeypatch, dtype, chars, rows):
    monkeypatch.setattr(keys, "ROW_HASH_CHARS", chars)
    monkeypatch.setattr(keys, "ROW_HASH_BLOCK", rows)
    table = _table(300, dtype, seed=chars)
    assert np.array_equal(keys._row_hashes(table), _reference_row_hashes(table))
    assert np.array_equal(keys._row_hashes(table.iloc[:0]), _reference_row_hashes(table.iloc[:0]))
    assert np.array_equal(keys._row_hashes(table.iloc[5:6]), _reference_row_hashes(table.iloc[5:6]))


def test_block_bounds_follow_the_text():
    t = pd.DataFrame({"doc_id": pd.array(["a", "b", "c", "d"], dtype="str"),
                      "text": pd.array(["x" * 10, "x" * 10, None, "x" * 25], dtype="str")})
    old = keys.ROW_HASH_CHARS
    try:
        keys.ROW_HASH_CHARS = 20
        assert keys._block_bounds(t) == [0, 1, 3, 4]  # characters per row 11, 11, 1, 26: cut where 20, 40 are passed
    finally:
        keys.ROW_HASH_CHARS = old
    assert keys._block_bounds(t) == [0, 4]
