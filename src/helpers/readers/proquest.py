"""ProQuest exports: the e-mail (MIME, HTML body) and the saved HTML page of results.

Each document, as ProQuest writes it (e-mails and HTML saves alike)::

    <a name="DocID_MSTAR_251439970"></a>
    <p style="...font-weight:bold;">Title</p>
    <p><strong>Author:  </strong>Olivarez-Giles, Nathan</p>
    <p><strong>Publication info:  </strong>Los Angeles Times ; ... 08 May 2010: AA.2.</p>
    <p><a href="https://www.proquest.com/docview/251439970">ProQuest document link</a></p>
    <p><strong>Abstract:  </strong>...</p>
    <p><strong>Full text: </strong><Text WordCount="239"><html>...<body><p>...</p></body></html></Text></p>
    <p><strong>Subject: </strong>...</p>
    <p><strong>Publication title: </strong>Los Angeles Times; Los Angeles, Calif.</p>
    <p><strong>Publication date: </strong>May 8, 2010</p>
    <p><strong>Section: </strong>...</p> ... <strong>Language of publication: </strong>English ...
    <p><strong>Document URL: </strong><a href="...">...</a></p> ... <strong>Copyright: </strong>...

The full text is a whole HTML document nested inside the page, which no HTML parser keeps
intact, so documents are cut at their ``DocID`` anchors and the ``<Text>`` element is taken out
by position before the labelled fields are read. Damage found on the way (a broken tag, a full
text without its end, a document without full text) is repaired where possible and reported.
"""

from __future__ import annotations

import html as htmllib
import re

import pandas as pd

from .dates import parse_date_text
from .markup import clean_text, paragraphs

_ANCHOR = re.compile(r'<a\s+name="DocID_[^"]*"\s*>\s*</a>|<a\s+name="DocID_[^"]*"\s*/>', re.I)
_DOC_ID = re.compile(r'name="DocID_(?:[A-Z]+_)?([^"]+)"', re.I)
_FULLTEXT = re.compile(r"<strong>\s*Full\s*text:?\s*</strong>", re.I)
_TEXT_OPEN = re.compile(r"<Text\b([^>]*)>", re.I)
_TEXT_CLOSE = re.compile(r"</Text\s*>", re.I)
_FIELD = re.compile(r"<strong>\s*([^<:]{2,60}?):[\s\u00a0]*</strong>(.*?)(?=</p>|<p[\s>]|</div>|$)", re.I | re.S)
_NEXT_FIELD = re.compile(r"<p[^>]*>\s*<strong>\s*[A-Z][^<:]{1,60}:\s*</strong>", re.I)
FIELD_MAP = {"author": "author", "publication title": "outlet", "publication date": "date", "section": "section",
             "document url": "url", "language of publication": "lang", "copyright": "copyright",
             "proquest document id": "source_id", "document type": "document_type", "source type": "source_type",
             "publisher": "publisher", "subject": "subject", "location": "location", "people": "people",
             "company / organization": "organization", "pages": "page", "publication info": "publication_info",
             "place of publication": "place_of_publication", "country of publication": "country_of_publication",
             "issn": "issn", "last updated": "last_updated", "database": "database", "abstract": "abstract",
             "publication year": "publication_year", "dateline": "dateline", "credit": "credit"}
_SKIP_FIELDS = {"full text", "links", "publication subject"}


def looks_like_proquest(text: str) -> bool:
    """Content test: DocID anchors, or ProQuest's labelled fields."""
    head = text[:400000]
    return ("DocID_" in head and "<strong>" in head) or (
        "ProQuest" in head and re.search(r"<strong>\s*(Publication title|Full text):", head, re.I) is not None)


def _strip(fragment: str) -> str:
    return clean_text(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def _name(value: str) -> str:
    """'Olivarez-Giles, Nathan; Hsu, Tiffany' -> 'Nathan Olivarez-Giles; Tiffany Hsu'."""
    names = []
    for part in (p.strip() for p in value.split(";") if p.strip()):
        bits = [b.strip() for b in part.split(",")]
        names.append(f"{bits[1]} {bits[0]}" if len(bits) == 2 and bits[1] and " " not in bits[0] else part)
    return "; ".join(names)


def _full_text(chunk: str, notes: list[str]) -> tuple[str, int | None, tuple[int, int] | None]:
    """(body text, WordCount attribute, span of the full-text block in ``chunk``)."""
    m = _FULLTEXT.search(chunk)
    if not m:
        return "", None, None
    opened = _TEXT_OPEN.search(chunk, m.end())
    start = opened.end() if opened and opened.start() - m.end() < 200 else m.end()
    closed = _TEXT_CLOSE.search(chunk, start)
    if closed:
        end, stop = closed.start(), closed.end()
    else:
        nxt = _NEXT_FIELD.search(chunk, start)
        end = stop = nxt.start() if nxt else len(chunk)
        notes.append("full text has no closing </Text>: kept up to " + ("the next field" if nxt else
                     "the end of the file; the fields after it (publication, date, URL ...) are missing"))
    inner = chunk[start:end]
    if re.match(r"\s*html&gt;", inner):
        notes.append("broken <html> tag at the start of the full text repaired")
        inner = re.sub(r"^\s*html&gt;", "<html>", inner)
    words = re.search(r'WordCount="(\d+)"', opened.group(1), re.I) if opened else None
    paras = [p for p in paragraphs(inner) if p]
    if not paras and _strip(inner):
        notes.append("full text has no paragraph markup: taken as one block")
        paras = [_strip(inner)]
    return "\n\n".join(paras), int(words.group(1)) if words else None, (m.start(), stop)


def _fields(chunk: str, rec: dict) -> None:
    for m in _FIELD.finditer(chunk):
        label = clean_text(m.group(1)).lower()
        if label in _SKIP_FIELDS:
            continue
        value = _strip(m.group(2))
        if label == "document url":
            href = re.search(r'href="([^"]+)"', m.group(2))
            value = htmllib.unescape(href.group(1)) if href else value
        field = FIELD_MAP.get(label, re.sub(r"\W+", "_", label).strip("_"))
        if value and not rec.get(field):
            rec[field] = value


def parse_document(chunk: str) -> tuple[dict, list[str]]:
    """One document (from its DocID anchor to the next) to a record and notes."""
    notes: list[str] = []
    rec: dict = {"title": "", "outlet": "", "author": "", "url": ""}
    if m := _DOC_ID.search(chunk[:300]):
        rec["source_id"] = m.group(1)
    title = re.search(r"<p[^>]*font-weight:\s*bold[^>]*>(.*?)</p>", chunk, re.I | re.S)
    rec["title"] = _strip(title.group(1)) if title else ""
    text, words, span = _full_text(chunk, notes)
    rest = chunk if span is None else chunk[: span[0]] + chunk[span[1]:]
    _fields(rest, rec)
    if not rec.get("abstract"):
        ab = re.search(r"<strong>\s*Abstract:?[\s\u00a0]*</strong>\s*(?:<body>)?\s*</p>\s*<p[^>]*>(.*?)</p>", rest, re.I | re.S)
        if ab and _strip(ab.group(1)):
            rec["abstract"] = _strip(ab.group(1))
    if rec.get("abstract", "").lower().startswith("none available"):
        rec["abstract"] = ""
    rec["outlet"] = rec["outlet"].split(";")[0].strip()
    rec["author"] = _name(rec.get("author", ""))
    if not rec["url"] and (link := re.search(r'<a[^>]+href="([^"]+)"[^>]*>\s*ProQuest document link', rest, re.I)):
        rec["url"] = htmllib.unescape(link.group(1))
    date = parse_date_text(rec.get("date", ""))
    if pd.isna(date) and rec.get("publication_info"):
        date = parse_date_text(rec["publication_info"].split("]")[-1])
    rec["date"] = date
    rec["word_count"] = words
    rec["text"] = text
    if span is None:
        notes.append("no full text (citation or abstract only), not loaded")
    return rec, notes


def parse_proquest(html: str) -> tuple[list[dict], list[str]]:
    """Every document of a ProQuest e-mail body or HTML save; returns ``(records, notes)``.

    Records carry title, author, outlet (publication title), date, section, url (document URL),
    lang, copyright, source_id (ProQuest document ID), word_count, abstract, subject, publisher,
    document_type, source_type, page and the other labelled fields, and ``doc_number``.
    """
    starts = [m.start() for m in _ANCHOR.finditer(html)]
    notes: list[str] = []
    if not starts:
        starts = [m.start() for m in re.finditer(r"<p[^>]*font-weight:\s*bold", html, re.I)]
        if starts:
            notes.append("no DocID anchors: documents split at their bold titles")
    records = []
    for n, s in enumerate(starts, 1):
        chunk = html[s: starts[n] if n < len(starts) else len(html)]
        rec, doc_notes = parse_document(chunk)
        rec["doc_number"] = n
        label = f"document {n} ({rec['title'][:60] or 'untitled'})"
        notes += [f"{label}: {x}" for x in doc_notes]
        records.append(rec)
    if not records:
        notes.append("no ProQuest documents found")
    return records, notes
