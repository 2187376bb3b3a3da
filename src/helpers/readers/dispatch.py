"""From a detected format to the reader that turns a file's content into documents.

Every reader returns ``(records, notes)``: a list of dicts with corpus fields (and extra
fields of the format) and plain-language notes for the load report.
"""

from __future__ import annotations

from . import factiva, feeds, gdelt, lexisnexis, mediacloud, mime, nexisuni, proquest
from .aggregator import parse_aggregator
from .html import parse_html
from .plaintext import parse_plaintext


def _email(text: str) -> tuple[list[dict], list[str]]:
    body, sub, notes = mime.message_body(text)
    if sub == "html":
        rec, more = parse_html(body)
    elif sub == "plain":
        rec, more = parse_plaintext(body)
    else:
        return [], notes
    return [rec], notes + more


def _proquest(text: str) -> tuple[list[dict], list[str]]:
    notes: list[str] = []
    if mime.looks_like_email(text):
        text, _, notes = mime.message_body(text)
    records, more = proquest.parse_proquest(text)
    return records, notes + more


def read_documents(fmt: str, text: str | None, data: bytes | None) -> tuple[list[dict], list[str]]:
    """The documents of one file in format ``fmt`` (from :func:`detect_format`), with notes.

    ``text`` is the decoded file, ``data`` its bytes (used by the Word readers). Table formats
    are read by :func:`helpers.readers.read_table` instead. Raises ``ValueError`` for a format
    without a reader.
    """
    single = {"aggregator": parse_aggregator, "html": parse_html,
              "text": parse_plaintext, "markdown": lambda t: parse_plaintext(t, markdown=True)}
    if fmt in single:
        rec, notes = single[fmt](text)
        return [rec], notes
    many = {"lexisnexis": lexisnexis.parse_lexisnexis, "factiva": factiva.parse_factiva, "proquest": _proquest,
            "email": _email, "feed": feeds.parse_feed, "mediacloud": mediacloud.parse_mediacloud,
            "gdelt-doc": lambda t: gdelt.parse_doc_articles(t, lines=False),
            "gdelt-doc-lines": lambda t: gdelt.parse_doc_articles(t, lines=True),
            "gdelt-events": gdelt.parse_events, "gdelt-mentions": gdelt.parse_mentions}
    if fmt in many:
        return many[fmt](text)
    if fmt == "nexis-uni":
        return nexisuni.parse_nexis_uni(data)
    if fmt == "docx":
        return nexisuni.parse_docx(data)
    raise ValueError(f"no reader for format {fmt!r}")
