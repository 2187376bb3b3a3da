"""Long tables to CSV fast: :func:`write_csv` writes exactly the bytes of
``DataFrame.to_csv(path, index=False)``, formatting columns with pyarrow instead of a Python
value per cell (the notebooks' sentence-level tables run to millions of rows at 100k articles).
"""

from __future__ import annotations

from contextlib import nullcontext

import numpy as np
import pandas as pd

#: Rows formatted and written at a time by :func:`write_csv` (bounds the memory of their text).
_CSV_BLOCK = 100_000


def _csv_kind(dtype) -> str | None:
    """How :func:`_csv_field` formats a column of ``dtype``: "f", "i", "s" or None (not here)."""
    if isinstance(dtype, np.dtype):
        return "f" if dtype.kind == "f" else "i" if dtype.kind in "iu" else None
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return "s"
    return None


def _csv_field(col: pd.Series, kind: str):
    """The column as the text ``DataFrame.to_csv`` writes for it, a pyarrow string array: floats
    as numpy's ``astype(str)`` (pandas' own call: the shortest repr), a missing value empty;
    integers in decimal; strings as they are, missing ones empty, quoted (``"`` doubled) when
    they hold a comma, a quote or a newline, the only characters Python's csv writer quotes a
    field for (``QUOTE_MINIMAL``, ``lineterminator="\\n"``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if kind == "f":
        values = col.to_numpy()
        text = values.astype(str)
        text[np.isnan(values)] = ""
        return pa.array(text, type=pa.string())
    if kind == "i":
        return pc.cast(pa.array(col.to_numpy()), pa.string())
    arr = pa.chunked_array(col.array._pa_array).cast(pa.string()).combine_chunks()
    arr = pc.fill_null(arr, "")
    quote = pc.match_substring_regex(arr, '[,"\\n]')
    if not pc.any(quote).as_py():
        return arr
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(arr, '"', '""'), '"', "")
    return pc.if_else(quote, quoted, arr)


def write_csv(frame: pd.DataFrame, path, header: bool = True) -> None:
    """``frame.to_csv(path, index=False, header=header)``, byte for byte, faster on long tables of
    numbers and text: each column is formatted by pyarrow (floats by numpy, pandas' own call) and
    the rows joined by pyarrow, a block of rows at a time, instead of a Python value per cell
    through the csv writer. Other dtypes (objects, dates, categories...), fewer than two columns
    or column names needing quotes go to ``to_csv`` itself. ``path`` may be a binary file open for
    writing: the bytes go there, after what it holds (a long table written in pieces).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> write_csv(pd.DataFrame({"a": [1, 2], "b": ["x,y", None], "c": [0.5, float("nan")]}), p)
    >>> p.read_text()
    'a,b,c\\n1,"x,y",0.5\\n2,,\\n'
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    kinds = [_csv_kind(frame.iloc[:, j].dtype) for j in range(frame.shape[1])]
    plain = all(isinstance(c, str) and not any(ch in c for ch in ',"\n') for c in frame.columns)
    if frame.shape[1] < 2 or not plain or None in kinds or frame.columns.has_duplicates:
        frame.to_csv(path, index=False, header=header)
        return
    with open(path, "wb") if not hasattr(path, "write") else nullcontext(path) as out:
        if header:
            out.write((",".join(frame.columns) + "\n").encode("utf-8"))
        for lo in range(0, len(frame), _CSV_BLOCK):
            part = frame.iloc[lo : lo + _CSV_BLOCK]
            fields = [_csv_field(part.iloc[:, j], k) for j, k in enumerate(kinds)]
            lines = pc.binary_join_element_wise(pc.binary_join_element_wise(*fields, ","), "\n", "")
            lines = lines.cast(pa.large_string())  # 64-bit offsets, whatever the block's size
            offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset : lines.offset + len(lines) + 1]
            out.write(memoryview(lines.buffers()[2])[int(offsets[0]) : int(offsets[-1])])
