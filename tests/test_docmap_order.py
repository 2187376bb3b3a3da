"""map_documents puts cached parts in document order before joining them: no reordering copy."""

import pandas as pd
import pytest

from helpers.compute import map_documents


def _units(part: pd.DataFrame) -> pd.DataFrame:
    """Two rows per document, text kept (an Arrow text column in the result)."""
    rows = [(d, f"{t} {k}") for d, t in zip(part["doc_id"], part["text"], strict=True) for k in (0, 1)]
    return pd.DataFrame(rows, columns=["doc_id", "text"]).astype({"text": "str"})


def _corpus(n):
    return pd.DataFrame({"doc_id": [f"d{i:03d}" for i in range(n)], "text": [f"text {i}" for i in range(n)]})


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COVERAGE_LAB_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_rows_in_document_order_are_not_reordered(cache_dir, monkeypatch):
    corpus = _corpus(40)
    expected = _units(corpus)
    text_array = type(expected["text"].array)

    take = text_array.take

    def no_take(self, *args, **kwargs):  # labels (the column names) may be taken, rows not
        if len(self) >= len(expected):
            raise AssertionError("reordered")
        return take(self, *args, **kwargs)

    monkeypatch.setattr(text_array, "take", no_take)
    got = map_documents(_units, corpus, name="t.order", workers=1, chunk_docs=7)  # cold: chunks in order
    pd.testing.assert_frame_equal(got, expected)
    got = map_documents(_units, corpus, name="t.order", workers=1, chunk_docs=7)  # all cached, in order
    pd.testing.assert_frame_equal(got, expected)
    monkeypatch.undo()
    # new documents between cached ones: parts out of order, reordered as before
    monkeypatch.setenv("COVERAGE_LAB_CACHE", str(cache_dir))
    grown = pd.concat([corpus.iloc[:20], _corpus(45).iloc[40:], corpus.iloc[20:]], ignore_index=True)
    pd.testing.assert_frame_equal(map_documents(_units, grown, name="t.order", workers=1, chunk_docs=7),
                                  _units(grown))
