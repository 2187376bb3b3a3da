"""Tables with one article per row: CSV/TSV, JSON Lines, JSON and Parquet.

Column names are matched case-insensitively to the corpus schema; columns that match nothing
are kept under their own names so labels (frames, sections) travel with the articles.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd

#: corpus field -> accepted column names (lower-case), first match wins.
COLUMN_ALIASES = {
    "text": ["text", "body", "content", "article", "article_text", "full_text", "maintext", "story"],
    "title": ["title", "headline", "heading"],
    "date": ["date", "published", "published_at", "publish_date", "pub_date", "datetime", "timestamp"],
    "outlet": ["outlet", "source", "media", "publication", "publisher", "site", "sitename", "newspaper"],
    "url": ["url", "link", "href"],
    "author": ["author", "byline", "authors", "by"],
    "lang": ["lang", "language"],
}
#: Source columns that would collide with the corpus' own ``doc_id``.
ID_COLUMNS = ["doc_id", "id"]


class TableError(ValueError):
    """A table cannot be used as a corpus (no text column, malformed rows)."""


def read_table(path: Path | bytes, fmt: str, text: str | None) -> pd.DataFrame:
    """Read the raw table; ``text`` is the decoded file for text formats (None for Parquet).

    ``path`` may be the bytes of an unpacked Parquet file (from a .gz or .zip). JSON text is let
    go once parsed, before the table is built (freed if the caller kept no reference to it).
    """
    if fmt == "parquet":
        return pd.read_parquet(io.BytesIO(path) if isinstance(path, bytes) else path)
    if fmt == "jsonl":
        rows = jsonl_rows(text)
        del text  # when the caller passed the only reference: freed before the table is built
        return pd.DataFrame(rows)
    if fmt == "json":
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as err:
            raise TableError(f"not valid JSON at line {err.lineno}, column {err.colno} ({err.msg})") from err
        del text
        if isinstance(obj, dict):
            lists = [v for v in obj.values() if isinstance(v, list)]
            if "text" in {k.lower() for k in obj} or not lists:
                obj = [obj]
            else:
                obj = lists[0]  # {"articles": [...]} style wrappers
        if not isinstance(obj, list) or not all(isinstance(o, dict) for o in obj):
            raise TableError("expected a list of article objects (or one object with a list of them)")
        return pd.DataFrame(obj)
    # csv / tsv: sniff the delimiter from the first lines rather than trusting the suffix.
    sample = text[:20000]
    try:
        delim = csv.Sniffer().sniff(sample.split("\n", 1)[0] + "\n", delimiters=",\t;|").delimiter
    except csv.Error:
        delim = "\t" if fmt == "tsv" else ","
    try:
        return pd.read_csv(io.StringIO(text), sep=delim, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, csv.Error) as err:
        raise TableError(f"malformed {'TSV' if delim == chr(9) else 'CSV'}: {err}") from err


def jsonl_rows(text: str, start: int = 0, stop: int | None = None, first_line: int = 1) -> list[dict]:
    """The objects of JSON Lines ``text[start:stop]`` (blank lines skipped), its first line numbered
    ``first_line`` in the messages; raises :class:`TableError` at the first line that is not a
    JSON object."""
    rows = []
    for n, line in enumerate(_lines(text, start, len(text) if stop is None else stop), first_line):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise TableError(f"line {n} is not valid JSON ({err.msg}); fix or remove that line") from err
        if not isinstance(obj, dict):
            raise TableError(f"line {n} is a JSON {type(obj).__name__}, expected an object per line")
        rows.append(obj)
    return rows


def _lines(text: str, start: int = 0, stop: int | None = None):
    """The lines of ``text[start:stop]`` as ``split("\\n")`` gives them, one at a time (no list of every
    line, no copy of the slice)."""
    stop = len(text) if stop is None else stop
    while (end := text.find("\n", start, stop)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:stop]


def map_columns(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rename columns to corpus fields; returns the table and ``{field: original column}``.

    Raises :class:`TableError` when no text column exists.
    """
    lower = {}
    for c in df.columns:
        lower.setdefault(str(c).strip().lower(), c)
    mapping: dict[str, str] = {}
    for field, names in COLUMN_ALIASES.items():
        for name in names:
            if name in lower and lower[name] not in mapping.values():
                mapping[field] = lower[name]
                break
    if "text" not in mapping:
        raise TableError(
            f"no text column: looked for {', '.join(COLUMN_ALIASES['text'])} (any case); "
            f"columns found: {', '.join(map(str, df.columns))}. Rename the column holding the article text.")
    rename = {orig: field for field, orig in mapping.items()}
    for name in ID_COLUMNS:
        if name in lower and lower[name] not in rename:
            rename[lower[name]] = "source_id"
            break
    return df.rename(columns=rename), mapping
