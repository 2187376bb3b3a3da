"""Finding input files and turning one file into records plus its load-report row.

A file never raises here for bad content: it is loaded, skipped or failed, with the reason in
its report row (size limits, hidden names, undecodable bytes, unsupported formats, reader
errors). :func:`corpus_fingerprint` hashes the same file list for the run manifest.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .. import readers

#: Larger single-article files are skipped (a news article is kilobytes; 25 MB of text is a
#: dump or a mistake). Tables may be much larger: they hold many articles.
MAX_ARTICLE_MB = 25
MAX_TABLE_MB = 2048
_MB = 1024 * 1024


class _Skip(Exception):
    """A file that yields no records: ``status`` (skipped/failed) and the reason for the report."""

    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def iter_files(root: Path) -> list[Path]:
    """Every file under ``root`` (or ``root`` itself), sorted by relative path."""
    if root.is_file():
        return [root]
    return sorted((p for p in root.rglob("*") if p.is_file()), key=lambda p: p.relative_to(root).as_posix())


def records_from_file(path: Path, rel: str) -> tuple[list[dict], dict]:
    """Parse one file: (records, report row). Never raises for bad content."""
    row = {"source_path": rel, "format": "", "status": "loaded", "reason": "", "n_docs": 0, "repairs": ""}
    try:
        size = _check_file(path, rel)
        text, repairs, fmt = _read_text(path, size, row)
        row["repairs"] = "; ".join(repairs)
        if text is not None and not text.strip():
            raise _Skip("skipped", "file holds only whitespace")
        records, notes = _parse_records(path, fmt, text)
    except _Skip as skip:
        row.update(status=skip.status, reason=skip.reason)
        return [], row
    for r in records:
        r["source_path"] = rel
        r["format"] = fmt
    row["n_docs"] = len(records)
    row["reason"] = "; ".join(notes)
    return records, row


def _check_file(path: Path, rel: str) -> int:
    """The file's size, after the checks that need no reading (hidden, unreadable, empty, huge)."""
    if any(part.startswith(".") for part in Path(rel).parts):
        raise _Skip("skipped", "hidden file (name starts with '.')")
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


def _read_text(path: Path, size: int, row: dict) -> tuple[str | None, list[str], str]:
    """(decoded text or None for Parquet, encoding repairs, detected format); sets ``row["format"]``."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
            data = None if size > MAX_ARTICLE_MB * _MB else head + fh.read()
    except OSError as err:
        raise _Skip("failed", f"cannot read file: {err.strerror}") from None
    text, repairs, head_text = None, [], None
    if head.startswith(b"PAR1"):
        pass
    elif data is not None:
        try:
            text, repairs = readers.decode_bytes(data)
            head_text = text[:65536]
        except readers.UnreadableFile as err:
            if not readers.looks_binary(head):
                row["format"] = readers.detect_format(path, head, head.decode("utf-8", "replace"))
                raise _Skip("failed", str(err)) from None
    elif not readers.looks_binary(head):
        head_text = head.decode("utf-8", errors="replace")
    fmt = readers.detect_format(path, head, head_text)
    row["format"] = fmt
    if fmt == "binary":
        raise _Skip("skipped", f"binary file ({path.suffix or 'no suffix'}), not a supported text, HTML or table format")
    if size > MAX_ARTICLE_MB * _MB and fmt not in readers.TABLE_FORMATS:
        raise _Skip("skipped", f"file is {size / _MB:.1f} MB, over the {MAX_ARTICLE_MB} MB limit for a "
                               f"single article; split it or raise helpers.corpus.files.MAX_ARTICLE_MB")
    if fmt != "parquet" and text is None:  # a large table: read it whole now
        try:
            text, repairs = readers.decode_bytes(path.read_bytes())
        except (OSError, readers.UnreadableFile) as err:
            raise _Skip("failed", str(err)) from None
    return text, repairs, fmt


def _parse_records(path: Path, fmt: str, text: str | None) -> tuple[list[dict], list[str]]:
    """The documents in one decoded file and the reader's notes; reader errors become a failed row."""
    try:
        if fmt in readers.TABLE_FORMATS:
            records, notes = _table_records(path, fmt, text)
        elif fmt == "aggregator":
            rec, notes = readers.parse_aggregator(text)
            records = [rec]
        elif fmt == "html":
            rec, notes = readers.parse_html(text)
            records = [rec]
        else:
            rec, notes = readers.parse_plaintext(text, markdown=fmt == "markdown")
            records = [rec]
    except readers.TableError as err:
        raise _Skip("failed", str(err)) from None
    except _Skip:
        raise
    except Exception as err:  # a reader bug must not stop the other files
        raise _Skip("failed", f"{type(err).__name__} while parsing as {fmt}: {err}") from None
    records = [r for r in records if isinstance(r.get("text"), str) and r["text"].strip()]
    if not records:
        raise _Skip("skipped", "; ".join(notes) or "no article text found")
    return records, notes


def _table_records(path: Path, fmt: str, text: str | None) -> tuple[list[dict], list[str]]:
    """One record per table row with text; rows with empty text are counted in a note."""
    table = readers.read_table(path, fmt, text)
    if table.empty:
        raise _Skip("skipped", "table has no rows")
    table, _ = readers.map_columns(table)
    table["text"] = table["text"].fillna("").astype(str).str.strip()
    empty = table.index[table["text"] == ""]
    notes = []
    if len(empty):
        shown = ", ".join(str(i + 1) for i in empty[:10]) + (" …" if len(empty) > 10 else "")
        notes.append(f"{len(empty)} row(s) with empty text skipped (data rows {shown})")
    records = []
    for i, rec in enumerate(table.drop(index=empty).to_dict("records")):
        rec["_row"] = i
        records.append(rec)
    return records, notes


def corpus_fingerprint(path: str | os.PathLike) -> str:
    """SHA-256 over every file's relative path and bytes: identical inputs, identical hash."""
    root = Path(path)
    h = hashlib.sha256()
    for f in iter_files(root):
        rel = f.name if root.is_file() else f.relative_to(root).as_posix()
        h.update(rel.encode() + b"\x00")
        with open(f, "rb") as fh:
            for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\x00")
    return h.hexdigest()
