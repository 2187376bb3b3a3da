"""Which format a file is in, decided from its content; the suffix only breaks ties.

Checked in this order, most specific first: Parquet and Word files (magic bytes), e-mail
(ProQuest or other), feeds, Factiva and ProQuest HTML, other HTML, JSON (GDELT DOC API article
lists, else tables), LexisNexis text downloads, GDELT event/mention exports, Media Cloud story
lists, other tables, the aggregator layout, Markdown and plain text.
"""

from __future__ import annotations

import json
from pathlib import Path

from .aggregator import looks_like_aggregator
from .factiva import looks_like_factiva
from .feeds import looks_like_feed
from .gdelt import export_kind, is_doc_articles
from .lexisnexis import looks_like_lexisnexis
from .mediacloud import looks_like_mediacloud
from .mime import looks_like_email
from .nexisuni import is_docx, looks_like_nexis_uni
from .proquest import looks_like_proquest

TABLE_FORMATS = {"csv", "tsv", "jsonl", "json", "parquet"}
#: Formats whose rows are metadata only (text to be collected from the URL); feeds may be too.
METADATA_FORMATS = {"mediacloud", "gdelt-doc", "gdelt-events", "gdelt-mentions"}
#: Formats read from the raw bytes rather than decoded text.
BINARY_FORMATS = {"parquet", "docx", "nexis-uni"}
#: Formats recognised but not read, with what to do instead (the file is reported as skipped).
UNSUPPORTED = {"rtf": "RTF file: no reader; save the download as DOCX (Nexis Uni) or HTML (Factiva), or as plain text"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".csv", ".tsv", ".tab",
                 ".jsonl", ".ndjson", ".json", ".parquet", ".pq", ".eml", ".xml", ".rss", ".atom", ".docx", ""}


def _json_format(stripped: str, suffix: str) -> str:
    first = stripped.split("\n", 1)[0].strip()
    try:
        obj = json.loads(first)
    except json.JSONDecodeError:
        try:
            obj = json.loads(stripped) if len(stripped) < 50_000_000 else None
        except json.JSONDecodeError:
            return "json"
        return "gdelt-doc" if is_doc_articles(obj) else "json"
    lines = first.startswith("{") and (("\n{" in stripped[:200000]) or (stripped.count("\n") >= 1 and suffix != ".json"))
    if is_doc_articles(obj):
        return "gdelt-doc-lines" if lines else "gdelt-doc"
    return "jsonl" if lines else "json"


def _html_format(text: str, low: str) -> str | None:
    is_html = low.startswith(("<!doctype html", "<html", "<?xml")) or any(t in low for t in ("<html", "<body", "<article"))
    if looks_like_factiva(text):
        return "factiva"
    if (is_html or "<div" in low or "<p" in low) and looks_like_proquest(text):
        return "proquest"
    return "html" if is_html else None


def _table_format(text: str, suffix: str) -> str | None:
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    if kind := export_kind(first_line):
        return kind
    if looks_like_mediacloud(first_line):
        return "mediacloud"
    if suffix in (".csv", ".tsv", ".tab"):
        return "tsv" if suffix != ".csv" else "csv"
    return None


def detect_format(path: Path, head: bytes, text: str | None, data: bytes | None = None) -> str:
    """Decide a file's format from its content, using the suffix only to break ties.

    ``head`` is the first bytes of the file, ``text`` the decoded start (None when binary),
    ``data`` all the bytes when at hand (needed to look inside Word files). Returns one of
    aggregator, text, markdown, html, csv, tsv, jsonl, json, parquet, docx, nexis-uni,
    lexisnexis, factiva, proquest, email, feed, mediacloud, gdelt-doc, gdelt-doc-lines,
    gdelt-events, gdelt-mentions, rtf (not read, see :data:`UNSUPPORTED`), binary.
    """
    suffix = path.suffix.lower()
    if head.startswith(b"PAR1"):
        return "parquet"
    if is_docx(head, data):
        return "nexis-uni" if looks_like_nexis_uni(data) else "docx"
    if text is None:
        return "binary"
    stripped = text.lstrip("\ufeff \t\r\n")
    low = stripped[:2000].lower()
    if stripped.startswith("{\\rtf"):
        return "rtf"
    if looks_like_email(text):
        return "proquest" if looks_like_proquest(text.replace("=\n", "").replace("=3D", "=")) else "email"
    if looks_like_feed(stripped):
        return "feed"
    if html := _html_format(text, low):
        return html
    if stripped.startswith(("{", "[")):
        return _json_format(stripped, suffix)
    if looks_like_lexisnexis(text):
        return "lexisnexis"
    if table := _table_format(text, suffix):
        return table
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
