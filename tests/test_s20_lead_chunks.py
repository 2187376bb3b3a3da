"""``map_documents`` makes each chunk when it is read (``docmap._Chunks``), not all at once.

The chunks are the frames the earlier groupby made (kept verbatim below as
``_reference_chunks``): same rows, order, index, dtypes, whether the wanted documents are all,
some or reordered, whether a document's rows are together or not, with object, Python-str and
Arrow text. A run of consecutive rows comes back as a slice (no copy of its columns).
"""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from helpers.compute import docmap, map_documents


def _reference_chunks(table: pd.DataFrame, doc_ids: list, by: str, chunk_docs: int) -> list[pd.DataFrame]:
    """The rows of ``doc_ids`` in ``chunk_docs``-document chunks (row order kept within each)."""
    if not doc_ids:
        return []
    wanted = pd.Series(range(len(doc_ids)), index=pd.Index(doc_ids, dtype=object))
    rank = table[by].map(wanted)
    kept = rank.notna().to_numpy()
    rows = table if kept.all() else table[kept]  # every row wanted (a cold run): no copy of the table first
    chunk_of = (rank[kept].astype(int) // chunk_docs).to_numpy()
    return [part for _, part in rows.groupby(chunk_of, sort=True)]


def _table(n: int, text_dtype, seed: int = 0, interleaved: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    words = np.array(["a", "bé", "c d", "", "x\ny", "ünï"], dtype=object)
    docs = [f"d{i // 3}" for i in range(n)]
    if interleaved:  # a document's rows apart (map_documents asks for them together; still the same chunks)
        docs = [f"d{i % 7}" for i in range(n)]
    text = pd.Series(words[rng.integers(0, len(words), n)], dtype=text_dtype)
    return pd.DataFrame({
        "doc_id": pd.array(docs, dtype=text_dtype) if text_dtype is not object else np.array(docs, dtype=object),
        "text": text.to_numpy() if text_dtype is object else text.array,
        "position": rng.integers(0, 50, n),
        "score": rng.normal(size=n),
    }, index=pd.RangeIndex(100, 100 + n))


DTYPES = [object, "str", "string[pyarrow]"]


@pytest.mark.parametrize("text_dtype", DTYPES)
@pytest.mark.parametrize("subset", ["all", "some", "reordered", "one", "none"])
@pytest.mark.parametrize("interleaved", [False, True])
@pytest.mark.parametrize("chunk_docs", [1, 4, 1000])
def test_chunks_are_the_groupby_chunks(text_dtype, subset, interleaved, chunk_docs):
    table = _table(90, text_dtype, seed=1, interleaved=interleaved)
    ids = list(pd.unique(table["doc_id"]))
    doc_ids = {"all": ids, "some": ids[::2], "reordered": ids[::-1], "one": ids[3:4], "none": []}[subset]
    got = docmap._chunks(table, doc_ids, "doc_id", chunk_docs)
    want = _reference_chunks(table, doc_ids, "doc_id", chunk_docs)
    assert len(got) == len(want)
    for i, w in enumerate(want):
        pd.testing.assert_frame_equal(got[i], w)
        assert list(got.documents(i, "doc_id")) == list(pd.unique(w["doc_id"]))
    for g, w in zip(got[1:], want[1:], strict=True):  # a slice of the chunks: the later ones
        pd.testing.assert_frame_equal(g, w)
    assert [len(c) for c in list(got)] == [len(w) for w in want]


def test_a_run_of_rows_is_a_slice_and_pickles_alone():
    table = _table(3000, "str")
    chunks = docmap._chunks(table, list(pd.unique(table["doc_id"])), "doc_id", 10)
    first = chunks[0]
    assert len(first) == 30
    assert np.shares_memory(first["score"].to_numpy(), table["score"].to_numpy())  # a view, not a copy
    assert len(pickle.dumps(first)) < len(pickle.dumps(table)) / 20


def _lengths(part: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": part["doc_id"].to_numpy(), "chars": part["text"].str.len().to_numpy()})


@pytest.mark.parametrize("text_dtype", DTYPES)
def test_map_documents_unchanged(text_dtype, tmp_path, monkeypatch):
    monkeypatch.setenv("COVERAGE_LAB_CACHE", str(tmp_path))
    table = _table(400, text_dtype, seed=5)
    want = _lengths(table).reset_index(drop=True)
    cold = map_documents(_lengths, table, name="test.s20.lengths", chunk_docs=7, workers=1)
    pd.testing.assert_frame_equal(cold, want)
    # the cache holds the chunks' parts under their documents' keys: a second run reads them all
    warm = map_documents(_lengths, table, name="test.s20.lengths", chunk_docs=7, workers=1)
    pd.testing.assert_frame_equal(warm, want)
    # half the documents changed: their rows computed again (a take of non-consecutive rows) and in place
    changed = table.assign(text=table["text"].where(table["doc_id"].isin([f"d{i}" for i in range(0, 140, 2)]),
                                                    "zz"))
    pd.testing.assert_frame_equal(
        map_documents(_lengths, changed, name="test.s20.lengths", chunk_docs=7, workers=1),
        _lengths(changed).reset_index(drop=True))
