"""LexisNexis Academic plain-text downloads: many documents per file.

The layout (LexisNexis Academic "Text" download)::

    Download Request: Selected Items: 1-10          <- download header (optional)
    Time Of Request: Friday, March 20, 2018  16:51:31
    Terms: (climate change) and ...
    Source: The Guardian (London)
                                   1 of 10 DOCUMENTS      <- centred separator
                                  The Guardian (London)   <- outlet, centred
                            January 11, 2010 Monday       <- date line, centred
                                 Final Edition            <- edition lines (optional)
    Headline, possibly over two lines
    BYLINE: Julian Borger
    SECTION: GUARDIAN INTERNATIONAL PAGES; Pg. 16
    LENGTH: 355 words
    Body paragraphs, hard-wrapped at about 78 characters ...
    LOAD-DATE: January 11, 2010
    LANGUAGE: ENGLISH
    PUBLICATION-TYPE: Newspaper
                           Copyright 2010 Guardian Newspapers Limited   <- or "COPYRIGHT: ..."
                                  All Rights Reserved

Labelled blocks before the body are metadata; from the end backwards, labelled blocks and the
copyright lines are metadata too, so a body paragraph that starts with ``WORD:`` stays body.
Wrapped lines inside a paragraph are joined with spaces.
"""

from __future__ import annotations

import re

import pandas as pd

from .dates import parse_date_text

_SEPARATOR = re.compile(r"^[ \t]*(\d+)[ \t]+of[ \t]+(\d+)[ \t]+DOCUMENTS?[ \t]*$", re.M | re.I)
_LABEL = re.compile(r"^([A-Z][A-Z0-9]*(?:[-/ ][A-Z0-9]+){0,3}):[ \t]*(.*)$")
_COPYRIGHT = re.compile(r"^\s*(copyright\b|©|\(c\)\s*\d{4}|all rights reserved)", re.I)
#: Labels whose values go to corpus columns; other labels become lower_snake extra columns.
FIELD_MAP = {"BYLINE": "author", "LANGUAGE": "lang", "URL": "url", "LENGTH": "word_count", "COPYRIGHT": "copyright"}


def looks_like_lexisnexis(text: str) -> bool:
    """Content test: an ``N of M DOCUMENTS`` separator line in the first 64 kB."""
    return _SEPARATOR.search(text[:65536]) is not None


def _blocks(lines: list[str]) -> list[list[str]]:
    """Lines grouped into blank-line separated blocks (leading whitespace kept)."""
    blocks: list[list[str]] = [[]]
    for ln in lines:
        if ln.strip():
            blocks[-1].append(ln.rstrip())
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _is_centred(line: str) -> bool:
    return len(line) - len(line.lstrip()) >= 6


def _header(blocks: list[list[str]]) -> tuple[dict, int]:
    """Outlet, date, edition and headline from the blocks before the first label; (fields, blocks used)."""
    rec: dict = {"outlet": "", "date": pd.NaT, "edition": "", "title": ""}
    i = 0
    head: list[str] = []
    while i < len(blocks) and not _LABEL.match(blocks[i][0].strip()):
        head.extend(blocks[i])
        head.append("")  # keep block boundaries
        i += 1
    lines = head
    date_at = next((k for k, ln in enumerate(lines) if ln.strip() and not pd.isna(parse_date_text(ln))
                    and len(ln.split()) <= 12), None)
    if date_at is None:
        rec["title"] = " ".join(ln.strip() for ln in lines if ln.strip())
        return rec, i
    rec["date"] = parse_date_text(lines[date_at])
    rec["outlet"] = " ".join(ln.strip() for ln in lines[:date_at] if ln.strip())
    after = lines[date_at + 1:]
    edition = [ln.strip() for ln in after if ln.strip() and _is_centred(ln)]
    title = [ln.strip() for ln in after if ln.strip() and not _is_centred(ln)]
    if not title and edition:  # nothing indented differently: the last line is the headline
        title = [edition.pop()]
    rec["edition"] = " ".join(edition)
    rec["title"] = " ".join(title)
    return rec, i


def _label_block(block: list[str]) -> tuple[str, str] | None:
    m = _LABEL.match(block[0].strip())
    if not m:
        return None
    return m.group(1), " ".join([m.group(2).strip()] + [ln.strip() for ln in block[1:]]).strip()


def _apply_label(rec: dict, label: str, value: str) -> None:
    field = FIELD_MAP.get(label, label.lower().replace("-", "_").replace(" ", "_").replace("/", "_"))
    if field == "word_count":
        m = re.search(r"[\d,.]+", value)
        rec[field] = int(re.sub(r"\D", "", m.group())) if m and re.sub(r"\D", "", m.group()) else None
    elif field == "load_date":
        stamp = parse_date_text(value)
        rec[field] = stamp.date().isoformat() if not pd.isna(stamp) else value
    else:
        rec[field] = f"{rec[field]}; {value}" if rec.get(field) else value


def parse_document(chunk: str) -> tuple[dict, list[str]]:
    """One document (the text between two separators) to a record and notes."""
    blocks = _blocks(chunk.split("\n"))
    rec, i = _header(blocks)
    notes: list[str] = []
    # leading labelled blocks
    while i < len(blocks) and (lab := _label_block(blocks[i])):
        _apply_label(rec, *lab)
        i += 1
    end = len(blocks)
    copyright_lines: list[str] = []
    while end > i:
        block = blocks[end - 1]
        if lab := _label_block(block):
            _apply_label(rec, *lab)
        elif _COPYRIGHT.match(block[0]) and all(_COPYRIGHT.match(ln) or _is_centred(ln) for ln in block):
            copyright_lines = [ln.strip() for ln in block] + copyright_lines
        else:
            break
        end -= 1
    if copyright_lines and not rec.get("copyright"):
        rec["copyright"] = " ".join(copyright_lines)
    rec["text"] = "\n\n".join(" ".join(ln.strip() for ln in b) for b in blocks[i:end])
    if pd.isna(rec["date"]):
        notes.append("no date line")
    return rec, notes


def _download_header(text: str) -> dict:
    """Search terms and sources from the download header (before the first separator)."""
    out = {}
    for key, field in (("Terms", "query"), ("Source", "query_sources")):
        m = re.search(rf"^{key}:\s*(.+(?:\n(?![\w ]+:)\S.*)*)", text, re.M)
        if m:
            out[field] = re.sub(r"\s+", " ", m.group(1)).strip()
    return out


def parse_lexisnexis(text: str) -> tuple[list[dict], list[str]]:
    """Every document of a LexisNexis Academic text download; returns ``(records, notes)``.

    Records carry title, outlet, date, author (BYLINE), section, word_count (LENGTH), load_date,
    lang (LANGUAGE), publication_type, copyright, edition, any other labelled field as a
    lower_snake column, ``query`` (the download's search terms) and ``doc_number`` (N of M).
    """
    seps = list(_SEPARATOR.finditer(text))
    notes: list[str] = []
    if not seps:
        return [], ["no 'N of M DOCUMENTS' separator found"]
    header = _download_header(text[: seps[0].start()])
    records = []
    declared = {int(m.group(2)) for m in seps}
    for k, m in enumerate(seps):
        chunk = text[m.end(): seps[k + 1].start() if k + 1 < len(seps) else len(text)]
        rec, doc_notes = parse_document(chunk)
        rec.update(header)
        rec["doc_number"] = int(m.group(1))
        notes += [f"document {m.group(1)}: {n}" for n in doc_notes]
        if not rec["text"].strip():
            notes.append(f"document {m.group(1)} ({rec.get('title') or 'untitled'}): no body text, not loaded")
        records.append(rec)
    if len(declared) == 1 and (total := declared.pop()) != len(seps):
        notes.append(f"the download says {total} documents but holds {len(seps)} (cut off or a partial download?)")
    return records, notes
