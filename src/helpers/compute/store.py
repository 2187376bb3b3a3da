"""The Parquet store behind every cache, keyed by content (see :mod:`.keys`).

Layout under :func:`cache_root` (default ``.cache/coverage-lab`` in the project; env
``COVERAGE_LAB_CACHE`` names another folder, ``off`` turns caching off)::

    measures/<name>/<key>/part-<hash of its documents>.parquet   rows of a measure, per chunk
    tables/<kind>/<key>/<table>/part-00000.parquet ...           a whole table (the corpus), partitioned
    files/<code key>/<file key>.parquet                          one input file's parsed rows
    pages/<notebook>/<key>/                                      a rendered notebook page and its outputs

Each measure part records in its Parquet metadata the content keys of the documents it covers
(also those that gave no rows), so a rerun knows which documents are done. Files are written to
a temporary name and renamed, so two kernels writing at once never leave a half file; a part
that cannot be read is ignored (and recomputed), never trusted.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..config import PROJECT_ROOT

DOC_KEYS_META = b"coverage_lab.doc_keys"
DOC_KEY_COLUMN = "_doc_key"
#: Documents per part when a whole table is written (a Dask worker reads one part at a time).
TABLE_PART_ROWS = 5000


def cache_root() -> Path | None:
    """The cache folder, or ``None`` when ``COVERAGE_LAB_CACHE`` is ``off``/``0``/``none``."""
    env = os.environ.get("COVERAGE_LAB_CACHE", "").strip()
    if env.lower() in ("off", "0", "none", "false", "no"):
        return None
    return Path(env).expanduser() if env else PROJECT_ROOT / ".cache" / "coverage-lab"


def warn_unwritable(err: OSError, what: str) -> None:
    """A cache that cannot be written (read-only folder, full disk) is a warning, never an error:
    the results are computed and used all the same, only not kept."""
    warnings.warn(f"cache not written ({what}: {err.strerror or err}); working without it - set "
                  "COVERAGE_LAB_CACHE to a writable folder, or to 'off'", RuntimeWarning, stacklevel=3)


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name)


def measure_dir(root: Path, name: str, key: str) -> Path:
    """Folder of one measure's parts for one parameter/code key."""
    return root / "measures" / _safe(name) / key


def string_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with object columns that hold only text (or missing values) as the ``str`` dtype.

    That is how Parquet gives them back, so a table is the same whether it was just computed or
    read from the cache.
    """
    cols = [c for c in frame.columns if frame[c].dtype == object
            and pd.api.types.infer_dtype(frame[c], skipna=True) in ("string", "empty")]
    return frame.astype(dict.fromkeys(cols, "str")) if cols else frame


def filter_rows(frame: pd.DataFrame, mask) -> pd.DataFrame:
    """``frame.loc[mask]`` for a boolean ``mask`` (same rows, index, columns and dtypes), without
    its memory spike on long text columns.

    pandas turns a boolean row selection of a whole table into a ``take``, and Arrow's take on a
    text column first joins the column's chunks, then grows its output by doubling: at 100,000
    articles, 0.6 GB of text cost 1.8 GB of peak memory to filter, held afterwards by the
    allocator. Filtering column by column uses Arrow's ``filter``, which sizes its output
    exactly (0.65 GB). A ``mask`` that is a Series must share the frame's index (else ``.loc``).
    """
    if isinstance(mask, pd.Series) and not mask.index.equals(frame.index):
        return frame.loc[mask]
    keep = np.asarray(mask, dtype=bool)
    if keep.shape != (len(frame),):
        raise ValueError(f"mask has shape {keep.shape}, the table {len(frame)} rows")
    if not frame.shape[1]:
        return frame.loc[keep]
    out = pd.concat([frame.iloc[:, j][keep] for j in range(frame.shape[1])], axis=1)  # each its own dtype
    out.columns = frame.columns
    return out


def roundtrip(frame: pd.DataFrame) -> pd.DataFrame | None:
    """``frame`` as it comes back from Parquet, or ``None`` when it would not come back equal.

    Measures whose rows hold lists or mixed objects are then simply not cached (their results
    are used as computed), so a cache hit can never differ from a cold run.
    """
    try:
        back = pa.Table.from_pandas(frame, preserve_index=False).to_pandas()
    except (pa.ArrowException, TypeError, ValueError):
        return None
    back.index = frame.index
    return back if back.equals(frame) and list(back.dtypes) == list(frame.dtypes) else None


def _atomic_write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def write_part(folder: Path, rows: pd.DataFrame, doc_keys: list[str], part_name: str) -> None:
    """Write one measure part: ``rows`` (with ``_doc_key``) and the keys of every document covered."""
    table = pa.Table.from_pandas(rows, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[DOC_KEYS_META] = json.dumps(doc_keys).encode("utf-8")
    _atomic_write(table.replace_schema_metadata(meta), folder / f"part-{part_name}.parquet")


def read_parts(folder: Path, wanted: set[str]) -> tuple[list[pd.DataFrame], set[str]]:
    """Cached rows of the ``wanted`` document keys, and which of them were found.

    In: a measure folder and document keys. Out: a list of row frames (each with ``_doc_key``)
    and the set of keys covered. Unreadable parts are skipped.
    """
    frames, found = [], set()
    if not folder.is_dir():
        return frames, found
    for path in sorted(folder.glob("part-*.parquet")):
        try:
            meta = pq.read_schema(path).metadata or {}
            keys = set(json.loads(meta.get(DOC_KEYS_META, b"[]"))) & wanted
            if not keys - found:
                continue
            new = keys - found
            table = pq.read_table(path)
            frame = table.to_pandas()
        except (OSError, ValueError, pa.ArrowException):
            continue
        frames.append(frame[frame[DOC_KEY_COLUMN].isin(new)])
        found |= new
    return frames, found


def table_dir(root: Path, kind: str, key: str) -> Path:
    """Folder of one whole table (e.g. ``kind="corpus"``) for one content key."""
    return root / "tables" / _safe(kind) / key


def write_table(folder: Path, frames: dict[str, pd.DataFrame], part_rows: int = TABLE_PART_ROWS) -> bool:
    """Write named tables into ``folder`` (``<name>/part-NNNNN.parquet``) if they round-trip.

    Returns ``False`` (and writes nothing) when a table would not come back from Parquet equal
    (e.g. mixed objects in an extra column); the caller then simply works uncached.
    """
    if any(roundtrip(f) is None for f in frames.values()):
        return False
    tmp = folder.with_name(f".{folder.name}.{uuid.uuid4().hex}.tmp")
    try:
        for name, frame in frames.items():
            (tmp / name).mkdir(parents=True, exist_ok=True)
            for i, start in enumerate(range(0, max(len(frame), 1), part_rows)):
                chunk = pa.Table.from_pandas(frame.iloc[start:start + part_rows], preserve_index=False)
                pq.write_table(chunk, tmp / name / f"part-{i:05d}.parquet")
        if not folder.exists():  # else another process stored the same table first: keep theirs
            os.replace(tmp, folder)
    except OSError as err:
        warn_unwritable(err, str(folder))
        return False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return True


def read_table(folder: Path, names: tuple[str, ...]) -> dict[str, pd.DataFrame] | None:
    """The named tables written by :func:`write_table`, or ``None`` if any is missing or unreadable."""
    out = {}
    for name in names:
        parts = sorted((folder / name).glob("part-*.parquet"))
        if not parts:
            return None
        try:
            frames = [pq.read_table(p).to_pandas() for p in parts]
        except (OSError, ValueError, pa.ArrowException):
            return None
        out[name] = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    return out


def cache_summary(root: Path | None = None) -> pd.DataFrame:
    """What the cache holds: one row per measure, table, notebook page or file set, with its keys,
    files and megabytes."""
    root = root or cache_root()
    rows = []
    if root is not None and root.is_dir():
        for group in ("measures", "tables", "pages", "files"):
            for item in sorted((root / group).glob("*")):
                files = [p for p in item.rglob("*") if p.is_file()]
                rows.append({"kind": group, "name": item.name, "keys": len(list(item.glob("*"))),
                             "files": len(files), "mb": round(sum(p.stat().st_size for p in files) / 1e6, 2)})
    return pd.DataFrame(rows, columns=["kind", "name", "keys", "files", "mb"])


def clear_cache(root: Path | None = None) -> int:
    """Delete the cache folder; returns the number of files removed."""
    root = root or cache_root()
    if root is None or not root.is_dir():
        return 0
    n = sum(1 for p in root.rglob("*") if p.is_file())
    shutil.rmtree(root)
    return n
