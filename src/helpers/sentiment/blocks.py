"""Long tables a block of documents at a time: :func:`document_blocks` cuts a table into row
ranges at document ends, :func:`concat_blocks` joins the blocks' tables, :class:`CsvPieces` writes blocks of rows as one CSV, byte for byte
the ``to_csv(index=False)`` of all of them together. Notebook 20 maps its 4.5 M sentences (at
100k articles) this way, so no step holds every result row of every document at once.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def document_blocks(table: pd.DataFrame, rows: int, by: str = "doc_id") -> list[tuple[int, int]]:
    """``[lo, hi)`` row ranges of ``table`` that cover it in order, each ending at a document's end
    and holding at most ``rows`` rows (a longer document gets a range of its own), for steps that
    map a long table a block of documents at a time instead of materialising every result at
    once. ``table``'s rows of one document must be together (as ``map_documents`` needs).

    >>> document_blocks(pd.DataFrame({"doc_id": list("aabbbc")}), 3)
    [(0, 2), (2, 5), (5, 6)]
    """
    ids = table[by].array
    if not len(ids):
        return []
    change = np.asarray(ids[1:] != ids[:-1], dtype=bool)  # compared as Arrow strings, no Python objects
    starts = np.flatnonzero(np.concatenate([[True], change]))
    out: list[tuple[int, int]] = []
    for lo, hi in zip(starts.tolist(), [*starts[1:].tolist(), len(ids)], strict=True):
        if out and hi - out[-1][0] <= rows:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out



def concat_blocks(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """The tables of consecutive blocks as one table (index 0..n-1), as one step over all their
    documents gives it: the non-empty ones concatenated (a block without rows may carry other
    dtypes, e.g. ``object`` for text, which would change the joined columns'), else the first.

    >>> concat_blocks([pd.DataFrame({"a": ["x"]}), pd.DataFrame({"a": []}), pd.DataFrame({"a": ["y"]})])["a"].tolist()
    ['x', 'y']
    """
    rows = [t for t in tables if len(t)]
    if len(rows) > 1:
        return pd.concat(rows, ignore_index=True)
    return (rows or tables)[0].reset_index(drop=True)


class CsvPieces:
    """One CSV written in blocks of rows: ``add(frame)`` per block, in order; the file holds the
    bytes of ``pd.concat(blocks).to_csv(path, index=False)`` (:func:`helpers.compute.write_csv`
    formats each block; the header is written once, from the first block, whose columns every
    block must share).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> with CsvPieces(p) as csv:
    ...     csv.add(pd.DataFrame({"a": [1], "b": ["x,y"]}))
    ...     csv.add(pd.DataFrame({"a": [2], "b": ["z"]}))
    >>> p.read_text()
    'a,b\\n1,"x,y"\\n2,z\\n'
    """

    def __init__(self, path):
        self.path = Path(path)
        self.columns: list | None = None
        self._out = None

    def __enter__(self) -> CsvPieces:
        self._out = open(self.path, "wb")  # noqa: SIM115 (closed by __exit__)
        return self

    def __exit__(self, *exc) -> None:
        self._out.close()

    def add(self, frame: pd.DataFrame) -> None:
        from ..compute import write_csv

        first = self.columns is None
        if first:
            self.columns = list(frame.columns)
        elif list(frame.columns) != self.columns:
            raise ValueError(f"CsvPieces: columns {list(frame.columns)} differ from the first block's {self.columns}")
        write_csv(frame, self._out, header=first)  # into the open file, after the earlier blocks
