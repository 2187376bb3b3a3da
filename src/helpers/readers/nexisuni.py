"""Word documents: Nexis Uni DOCX downloads (one or many documents per file) and plain DOCX.

A Nexis Uni download, paragraph by paragraph (python-docx)::

    [cover page: User Name / Date and Time / Job Number / Documents (3) / 1. Title ... /
     Search Terms / Search Type / Narrowed by ...]        <- only in multi-document downloads
    Title
    Outlet
    January 11, 2010 Monday 12:00 AM GMT                  <- date line (other languages too)
    Copyright 2010 Guardian Newspapers Limited            <- optional
    Section: NEWS; Pg. 3
    Length: 453 words
    Byline: Tom Coghlan
    Dateline: ...                                         <- optional
    Body
    body paragraphs ...
    Graphic / Notes / Classification                       <- optional trailing blocks
    Language: ENGLISH
    Publication-Type: Newspaper
    Subject: ...
    Load-Date: January 12, 2010
    End of Document

Documents are split at "End of Document"; in each, the labelled header is found first and the
three lines above it (title, outlet, date) are read backwards from it, so a cover page is never
mistaken for a document. A DOCX that is not a Nexis download is one document.
"""

from __future__ import annotations

import io
import re
import zipfile

import pandas as pd

from .dates import parse_date_text

_END = re.compile(r"^end of document$", re.I)
_LABEL = re.compile(r"^([A-Z][A-Za-z]*(?:[- ][A-Za-z]+){0,2}):\s*(.*)$")
HEADER_LABELS = {"section", "length", "byline", "dateline", "highlight", "edition", "correction-date", "type",
                 "journal-code", "acc-no", "copyright"}
TRAILING_LABELS = {"language", "publication-type", "subject", "industry", "geographic", "person", "organization",
                   "company", "load-date", "notes", "graphic", "ticker", "journal-code", "document-type",
                   "country", "state", "city", "url"}
_STOP_BODY = {"classification", "graphic", "notes", "link to pdf", "link to image"}
FIELD_MAP = {"byline": "author", "language": "lang", "length": "word_count", "load-date": "load_date", "url": "url",
             "publication-type": "publication_type", "copyright": "copyright"}


def is_docx(head: bytes, data: bytes | None) -> bool:
    """A Word file: a zip archive holding ``word/document.xml``."""
    if not head.startswith(b"PK\x03\x04") or data is None:
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def looks_like_nexis_uni(data: bytes) -> bool:
    """Content test on the document XML: "End of Document" and the Length/Body layout."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = z.read("word/document.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError):
        return False
    plain = re.sub(r"<[^>]+>", "", xml)
    return "End of Document" in plain and ("Length:" in plain or "Load-Date:" in plain)


def docx_paragraphs(data: bytes) -> list[str]:
    """Paragraph texts of a DOCX (hyperlinked text included), stripped, empty ones dropped."""
    import docx

    document = docx.Document(io.BytesIO(data))
    return [p.text.strip() for p in document.paragraphs if p.text and p.text.strip()]


def _apply(rec: dict, label: str, value: str) -> None:
    key = label.lower()
    field = FIELD_MAP.get(key, key.replace("-", "_").replace(" ", "_"))
    if field == "word_count":
        digits = re.sub(r"\D", "", value.split(" ")[0] if value else "")
        rec[field] = int(digits) if digits else None
    elif field == "load_date":
        stamp = parse_date_text(value)
        rec[field] = stamp.date().isoformat() if not pd.isna(stamp) else value
    else:
        rec[field] = f"{rec[field]}; {value}" if rec.get(field) else value


def _label(line: str, allowed: set[str]) -> tuple[str, str] | None:
    m = _LABEL.match(line)
    if m and m.group(1).lower() in allowed:
        return m.group(1), m.group(2).strip()
    return None


def parse_nexis_document(lines: list[str]) -> tuple[dict | None, list[str]]:
    """One document's paragraphs (cover page lines may precede it) to a record; None if no document."""
    first = next((k for k, ln in enumerate(lines) if _label(ln, HEADER_LABELS) or ln.lower() == "body"), None)
    if first is None:
        return None, []
    rec: dict = {"title": "", "outlet": "", "date": pd.NaT}
    above = lines[:first]
    if above and re.match(r"^(copyright|©)", above[-1], re.I):
        rec["copyright"] = above.pop()
    date_at = next((k for k in range(len(above) - 1, max(len(above) - 4, -1), -1)
                    if not pd.isna(parse_date_text(above[k])) and len(above[k].split()) <= 12), None)
    if date_at is not None:
        rec["date"] = parse_date_text(above[date_at])
        rec["outlet"] = above[date_at - 1] if date_at >= 1 else ""
        rec["title"] = above[date_at - 2] if date_at >= 2 else ""
    elif above:
        rec["title"] = above[-1]
    notes = [] if date_at is not None else ["no date line above the header"]
    i = first
    while i < len(lines) and lines[i].lower() != "body":
        if lab := _label(lines[i], HEADER_LABELS | TRAILING_LABELS):
            _apply(rec, *lab)
        i += 1
    body: list[str] = []
    i += 1
    while i < len(lines) and lines[i].lower() not in _STOP_BODY and not _label(lines[i], TRAILING_LABELS):
        body.append(lines[i])
        i += 1
    for ln in lines[i:]:
        if lab := _label(ln, TRAILING_LABELS | HEADER_LABELS):
            _apply(rec, *lab)
    rec["text"] = "\n\n".join(body)
    return rec, notes


def parse_nexis_uni(data: bytes) -> tuple[list[dict], list[str]]:
    """Every document of a Nexis Uni DOCX download; returns ``(records, notes)``.

    Records carry title, outlet, date, author (Byline), section, word_count (Length), lang
    (Language), publication_type, load_date, copyright, subject and other labelled fields, and
    ``doc_number`` (position in the file).
    """
    lines = docx_paragraphs(data)
    chunks: list[list[str]] = [[]]
    for ln in lines:
        if _END.match(ln):
            chunks.append([])
        else:
            chunks[-1].append(ln)
    records, notes = [], []
    for chunk in chunks:
        if not chunk:
            continue
        rec, doc_notes = parse_nexis_document(chunk)
        if rec is None:
            if len(records) or len(chunk) > 3:
                notes.append(f"{len(chunk)} paragraph(s) with no document header (cover page or trailing text) ignored")
            continue
        n = len(records) + 1
        rec["doc_number"] = n
        notes += [f"document {n}: {x}" for x in doc_notes]
        if not rec["text"].strip():
            notes.append(f"document {n} ({rec['title'] or 'untitled'}): no body text, not loaded")
        records.append(rec)
    return records, notes


def parse_docx(data: bytes) -> tuple[list[dict], list[str]]:
    """A Word file that is not a Nexis download: one document, a short first paragraph as title."""
    lines = docx_paragraphs(data)
    if not lines:
        return [], ["Word document without text"]
    title = lines[0] if len(lines) > 1 and len(lines[0].split()) <= 25 and not re.search(r"[.!?]$", lines[0]) else ""
    body = lines[1:] if title else lines
    return [{"title": title, "text": "\n\n".join(body), "date": pd.NaT}], []
