"""Finding input files and turning one file into records plus its load-report row.

A file never raises here for bad content: it is loaded, skipped or failed, with the reason in
its report row (size limits, hidden names, undecodable bytes, unsupported formats, reader
errors). Compressed files (gzip, one-file zip) are opened first and the format is detected from
what is inside. Rows that carry metadata but no text (Media Cloud, GDELT, feeds with summaries
only) are kept with empty ``text`` and the report says their text must be collected.
The file list itself (:func:`iter_files`) and the input's keys live in :mod:`.inputs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import readers

#: Larger single-article files are skipped (a news article is kilobytes; 25 MB of text is a
#: dump or a mistake). Tables may be much larger: they hold many articles.
MAX_ARTICLE_MB = 25
MAX_TABLE_MB = 2048
_MB = 1024 * 1024
#: Files that Dask, Spark and pyarrow write beside the parts of a partitioned Parquet dataset.
DATASET_SIDECARS = frozenset({"_metadata", "_common_metadata", "_SUCCESS"})
#: Report status of a file whose documents all lack text (to be collected from their URLs).
METADATA_ONLY = "metadata only"
#: What the load report tells the researcher to run for metadata-only rows.
COLLECT_HINT = "python -m helpers collect --fill {folder}"
#: The dtype pandas infers for a column of Python strings (with missing values as NaN).
_STR = pd.Series(["x"]).dtype


class _Skip(Exception):
    """A file that yields no records: ``status`` (skipped/failed) and the reason for the report."""

    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass
class _Content:
    """One file read: its detected format, decoded text (None for binary formats), bytes, repairs."""

    fmt: str = ""
    text: str | None = None
    data: bytes | None = None
    name: str = ""
    repairs: list[str] = field(default_factory=list)
    packed: bool = False  # unpacked from a gzip or zip archive

    def take_text(self) -> str | None:
        """The decoded text, no longer kept here (so it is freed as soon as its reader is done)."""
        text, self.text = self.text, None
        return text


def records_from_file(path: Path, rel: str, root: Path | None = None, pool=None,
                      parts: int = 1) -> tuple[pd.DataFrame, dict]:
    """Parse one file: (its documents, one row each, as a table; report row). Never raises for bad content.

    The table has the reader's fields plus ``source_path`` and ``format`` (and ``_row``, the
    row number among a table file's rows with text); it has no columns when the file yields no
    documents. ``root`` (the folder being loaded) names the folder in the collect hint for
    metadata-only rows. ``pool`` (an executor of ``parts - 1`` workers, or ``None``): a large JSON
    Lines file is parsed in ``parts`` pieces (:func:`helpers.readers.read_jsonl_parts`; same table).
    """
    row = {"source_path": rel, "format": "", "status": "loaded", "reason": "", "n_docs": 0, "repairs": ""}
    try:
        size = _check_file(path, rel)
        content = _read(path, size, row)
        row["repairs"] = "; ".join(content.repairs)
        if content.text is not None and (not content.text or content.text.isspace()):  # no stripped copy
            raise _Skip("skipped", "file holds only whitespace")
        frame, notes, n_meta = _parse_records(path, content, rel, pool if parts > 1 else None, parts)
    except _Skip as skip:
        row.update(status=skip.status, reason=skip.reason)
        return pd.DataFrame(), row
    if n_meta:
        folder = root if root is not None and root.is_dir() else path.parent
        notes.append(f"metadata only: {n_meta} row(s) need their text collected from their URLs - run "
                     f"`{COLLECT_HINT.format(folder=folder)}`")
        if n_meta == len(frame):
            row["status"] = METADATA_ONLY
    row["n_docs"] = len(frame)
    row["reason"] = "; ".join(notes)
    return frame, row


def _check_file(path: Path, rel: str) -> int:
    """The file's size, after the checks that need no reading (hidden, unreadable, empty, huge)."""
    if any(part.startswith(".") for part in Path(rel).parts):
        raise _Skip("skipped", "hidden file (name starts with '.')")
    if path.name in DATASET_SIDECARS:
        raise _Skip("skipped", "metadata of a partitioned dataset (its part files are loaded)")
    try:
        size = path.stat().st_size
    except OSError as err:
        raise _Skip("failed", f"cannot read file: {err.strerror}") from None
    if size == 0:
        raise _Skip("skipped", "empty file (0 bytes)")
    limit = max(MAX_TABLE_MB, MAX_ARTICLE_MB)
    if size > limit * _MB:
        raise _Skip("skipped", f"file is {size / _MB:.1f} MB, over the {limit} MB limit for any input")
    return size


def _read(path: Path, size: int, row: dict) -> _Content:
    """Read, unpack, decode and detect one file; sets ``row["format"]``."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
            archive = head.startswith((readers.GZIP_MAGIC, readers.ZIP_MAGIC))
            data = head + fh.read() if size <= MAX_ARTICLE_MB * _MB or archive else None
    except OSError as err:
        raise _Skip("failed", f"cannot read file: {err.strerror}") from None
    c = _Content(data=data, name=path.name, packed=archive)
    if data is not None and archive:
        try:
            c.data, c.name, c.repairs = readers.unpack(path.name, data, MAX_TABLE_MB * _MB)
        except readers.UnreadableFile as err:
            row["format"] = "archive"
            raise _Skip("failed", str(err)) from None
        head = c.data[:65536]
    inner = Path(c.name)
    binary = head.startswith(b"PAR1") or readers.is_docx(head, c.data)
    if not binary and c.data is not None:
        try:
            c.text, repairs = readers.decode_bytes(c.data)
            c.repairs += repairs
        except readers.UnreadableFile as err:
            if not readers.looks_binary(head):
                row["format"] = readers.detect_format(inner, head, head.decode("utf-8", "replace"))
                raise _Skip("failed", str(err)) from None
    probe = c.text if c.text is not None else (None if binary or readers.looks_binary(head)
                                               else head.decode("utf-8", errors="replace"))
    c.fmt = row["format"] = readers.detect_format(inner, head, probe, c.data)
    if c.fmt in readers.UNSUPPORTED:
        raise _Skip("skipped", readers.UNSUPPORTED[c.fmt])
    if c.fmt == "binary":
        raise _Skip("skipped", f"binary file ({path.suffix or 'no suffix'}), not a supported text, HTML, Word or "
                               "table format")
    big = size if c.data is None else len(c.data)
    if big > MAX_ARTICLE_MB * _MB and c.fmt not in readers.TABLE_FORMATS | readers.METADATA_FORMATS:
        raise _Skip("skipped", f"file is {big / _MB:.1f} MB, over the {MAX_ARTICLE_MB} MB limit for a "
                               f"single article; split it or raise helpers.corpus.files.MAX_ARTICLE_MB")
    if c.text is None and c.fmt not in readers.BINARY_FORMATS:  # a large table: read it whole now
        try:
            c.text, c.repairs = readers.decode_bytes(path.read_bytes())
        except (OSError, readers.UnreadableFile) as err:
            raise _Skip("failed", str(err)) from None
    if c.text is not None and c.fmt in readers.TABLE_FORMATS:
        c.data = None  # decoded: the bytes are not needed again
    return c


def _parse_records(path: Path, c: _Content, rel: str, pool=None, parts: int = 1
                   ) -> tuple[pd.DataFrame, list[str], int]:
    """The documents in one file (a table, ``source_path`` and ``format`` filled in), the reader's
    notes and how many rows are metadata only; reader errors become a failed row."""
    try:
        if c.fmt in readers.TABLE_FORMATS:
            frame, notes = _table_frame(path, c, pool, parts)
        else:
            records, notes = readers.read_documents(c.fmt, c.text, c.data)
    except (readers.TableError, ValueError) as err:
        raise _Skip("failed", f"{err}") from None
    except _Skip:
        raise
    except Exception as err:  # a reader bug must not stop the other files
        raise _Skip("failed", f"{type(err).__name__} while parsing as {c.fmt}: {err}") from None
    if c.fmt in readers.TABLE_FORMATS:  # every row has text: rows without were dropped
        if not len(frame):
            raise _Skip("skipped", "; ".join(notes) or "no article text found")
        frame = frame.drop(columns=[col for col in ("_metadata_only",) if col in frame.columns])
        frame["source_path"] = rel
        frame["format"] = c.fmt
        return frame, notes, 0
    records = [r for r in records if (isinstance(r.get("text"), str) and r["text"].strip())
               or r.get("_metadata_only")]
    if not records:
        raise _Skip("skipped", "; ".join(notes) or "no article text found")
    n_meta = 0
    for r in records:
        r["source_path"] = rel
        r["format"] = c.fmt
        if r.pop("_metadata_only", False) and not str(r.get("text") or "").strip():
            n_meta += 1
    return pd.DataFrame(records), notes, n_meta


def _table_frame(path: Path, c: _Content, pool=None, parts: int = 1) -> tuple[pd.DataFrame, list[str]]:
    """The rows of a table file that have text (``_row`` numbers them); rows with empty text are
    counted in a note. The decoded text is let go once the table is read. A JSON Lines file read
    as UTF-8 with no repair (its lines are the file's lines) is parsed in parts with ``pool``."""
    source = path if c.data is None or c.name == path.name else c.data
    c.data = None
    if pool is not None and c.fmt == "jsonl" and not c.packed and not c.repairs and c.text is not None:
        table = readers.read_jsonl_parts(path, c.take_text(), pool, parts)
    else:
        table = readers.read_table(source, c.fmt, c.take_text())  # the reader holds the only reference
    del source
    if table.empty:
        raise _Skip("skipped", "table has no rows")
    table, _ = readers.map_columns(table)
    table["text"] = table["text"].fillna("").astype(str).str.strip()
    empty = table.index[table["text"] == ""]
    notes = []
    if len(empty):
        shown = ", ".join(str(i + 1) for i in empty[:10]) + (" …" if len(empty) > 10 else "")
        notes.append(f"{len(empty)} row(s) with empty text skipped (data rows {shown})")
    frame = _as_from_records(table.drop(index=empty) if len(empty) else table)
    if len(frame):
        frame["_row"] = np.arange(len(frame), dtype=np.int64)
    return frame, notes


def _as_from_records(table: pd.DataFrame) -> pd.DataFrame:
    """``pd.DataFrame(table.to_dict("records"))`` without a dict per row: string columns (the
    texts) are kept as they are, which is what that round trip gives them back as; only the
    other columns (numbers, mixed values, all missing) go through it, for its type inference."""
    if not len(table):
        return pd.DataFrame()
    if not table.columns.is_unique:
        return pd.DataFrame(table.to_dict("records"))
    keep = [col for col in table.columns if table[col].dtype == _STR and table[col].notna().any()]
    rest = [col for col in table.columns if col not in set(keep)]
    kept = table[keep].reset_index(drop=True)
    if not rest:
        return kept
    rebuilt = pd.DataFrame(table[rest].to_dict("records"))
    return pd.concat([kept, rebuilt], axis=1)[list(table.columns)]
