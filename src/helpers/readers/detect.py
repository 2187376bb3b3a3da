"""Which format a file is in, decided from its content; the suffix only breaks ties."""

from __future__ import annotations

import json
from pathlib import Path

from .aggregator import looks_like_aggregator

TABLE_FORMATS = {"csv", "tsv", "jsonl", "json", "parquet"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".csv", ".tsv", ".tab",
                 ".jsonl", ".ndjson", ".json", ".parquet", ".pq", ""}


def detect_format(path: Path, head: bytes, text: str | None) -> str:
    """Decide a file's format from its content, using the suffix only to break ties.

    ``head`` is the first bytes of the file, ``text`` the decoded start (None when binary).
    Returns one of aggregator, text, markdown, html, csv, tsv, jsonl, json, parquet, binary.
    """
    suffix = path.suffix.lower()
    if head.startswith(b"PAR1"):
        return "parquet"
    if text is None:
        return "binary"
    stripped = text.lstrip()
    low = stripped[:2000].lower()
    if low.startswith(("<!doctype html", "<html", "<?xml")) or any(t in low for t in ("<html", "<body", "<article")):
        return "html"
    if stripped.startswith(("{", "[")):
        first = stripped.split("\n", 1)[0].strip()
        try:
            json.loads(first)
            if first.startswith("{") and stripped.count("\n") >= 1 and suffix != ".json":
                return "jsonl"
            if first.startswith("{") and "\n{" in stripped[:200000]:
                return "jsonl"
        except json.JSONDecodeError:
            pass
        return "json"
    if suffix in (".csv", ".tsv", ".tab"):
        return "tsv" if suffix != ".csv" else "csv"
    if looks_like_aggregator(text):
        return "aggregator"
    first_line = stripped.split("\n", 1)[0]
    if first_line.count("\t") >= 2 and any(k in first_line.lower() for k in ("text", "body", "content")):
        return "tsv"
    if suffix in (".md", ".markdown"):
        return "markdown"
    if suffix in (".html", ".htm", ".xhtml") and "<" in low:
        return "html"
    return "text"
