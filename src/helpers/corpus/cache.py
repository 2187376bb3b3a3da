"""The loaded corpus, cached by content: parse a folder once, read Parquet afterwards.

Two levels, both keyed by content and :func:`helpers.compute.code_fingerprint`, never by time:

- the whole result of :func:`helpers.corpus.load_corpus` (corpus and load report), keyed by
  every input file's relative path and SHA-256: each notebook kernel of a report reads this
  Parquet table instead of parsing, repairing and deduplicating the folder again;
- each file's parsed rows (of a folder), keyed by its bytes: after files are added only the new
  ones are parsed (corpus-wide steps — outlet merging, ids, duplicates — then run on all rows).
  A single file's rows are kept only as the whole load (the same bytes and code key both).

Set ``COVERAGE_LAB_CACHE=off`` to load without any cache (``load_corpus(..., cache=False)``).
"""

from __future__ import annotations

import contextlib
import json
import uuid
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..compute import (
    code_fingerprint,
    read_table,
    roundtrip,
    stable_key,
    table_dir,
    warn_unwritable,
    write_table,
)
from ..text import SPAN_TABLES, SentenceSpans, read_sentence_spans

TABLES = ("corpus", "report")
_REPORT_META = b"coverage_lab.report_row"


def read_loaded(store: Path, key: str) -> tuple[pd.DataFrame, pd.DataFrame, SentenceSpans | None] | None:
    """The cached (corpus, report, sentence spans) for ``key``, or ``None`` (spans: ``None`` when
    the entry has none: they are a speed-up, never needed)."""
    folder = table_dir(store, "corpus", key)
    hit = read_table(folder, TABLES)
    return (hit["corpus"], hit["report"], read_sentence_spans(folder)) if hit else None


def loaded_folder(store: Path, key: str) -> Path:
    """Where the load with ``key`` is cached (its sentence spans too)."""
    return table_dir(store, "corpus", key)


def write_loaded(store: Path, key: str, corpus: pd.DataFrame, report: pd.DataFrame,
                 spans: SentenceSpans | None = None) -> bool:
    """Store a load's result (and its sentence spans); ``False`` when it would not round-trip
    (then nothing is stored)."""
    frames = {"corpus": corpus, "report": report}
    if spans is not None:
        frames.update(zip(SPAN_TABLES, spans.frame(), strict=True))
    return write_table(table_dir(store, "corpus", key), frames)


def _file_path(store: Path, sha: str, rel: str, root: Path) -> Path:
    return store / "files" / code_fingerprint() / f"{stable_key(sha, rel, str(root))}.parquet"


def read_file_rows(store: Path, sha: str, rel: str, root: Path) -> tuple[pd.DataFrame, dict] | None:
    """One file's cached rows and load-report row (file ``rel`` of folder ``root``), or ``None``."""
    path = _file_path(store, sha, rel, root)
    if not path.is_file():
        return None
    try:
        table = pq.read_table(path)
        row = json.loads((table.schema.metadata or {})[_REPORT_META])
        return table.to_pandas(), row
    except (OSError, KeyError, ValueError, pa.ArrowException):
        return None


def write_file_rows(store: Path, sha: str, rel: str, root: Path, rows: pd.DataFrame,
                    report_row: dict) -> pd.DataFrame:
    """Store one file's rows; returns them as they read back (so cold and cached loads agree)."""
    back = roundtrip(rows)
    if back is None:
        return rows
    table = pa.Table.from_pandas(rows, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[_REPORT_META] = json.dumps(report_row, default=str).encode("utf-8")
    path = _file_path(store, sha, rel, root)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table.replace_schema_metadata(meta), tmp)
        tmp.replace(path)
    except OSError as err:
        warn_unwritable(err, str(path.parent))
        with contextlib.suppress(OSError):
            tmp.unlink()
    return back
