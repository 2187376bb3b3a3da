"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds saved to disk: one document per item or entry.

An item carries a title, a link, a date, an author, categories, a summary (``description`` /
``summary``) and sometimes the full article (``content:encoded`` / Atom ``content``). Only the
full article becomes ``text``; an item with a summary alone is kept as a metadata-only row
(``text`` empty, ``summary`` filled) whose text must be collected from its link, because a
two-sentence teaser measured as if it were the article would bias every measure.

The XML is parsed with entity expansion and network access off; a feed that is not well-formed
is recovered as far as lxml can and the damage noted.
"""

from __future__ import annotations

import re

import lxml.etree

from .dates import parse_date_text
from .markup import clean_text, paragraphs

_ROOT = re.compile(r"<(rss|feed|rdf:RDF)\b", re.I)
#: Fewer words than this in content:encoded is a teaser, not the article.
MIN_CONTENT_WORDS = 40


def looks_like_feed(text: str) -> bool:
    """Content test: an ``<rss>``, Atom ``<feed>`` or RSS 1.0 ``<rdf:RDF>`` root near the start."""
    head = re.sub(r"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>]*>", "", text[:4000], flags=re.S).lstrip()
    m = _ROOT.match(head)
    if not m:
        return False
    return m.group(1).lower() != "feed" or "2005/Atom" in text[:4000] or "<entry" in text[:20000]


def _children(el, *names: str) -> list:
    return [c for c in el if isinstance(c.tag, str) and lxml.etree.QName(c).localname in names]


def _first_text(el, *names: str) -> str:
    for c in _children(el, *names):
        text = "".join(c.itertext()).strip()
        if text:
            return text
    return ""


def _link(item) -> str:
    for c in _children(item, "link"):
        href = c.get("href")
        if href and c.get("rel", "alternate") == "alternate":
            return href.strip()
        if not href and (c.text or "").strip():
            return c.text.strip()
    for c in _children(item, "guid"):
        if (c.text or "").startswith("http") and c.get("isPermaLink", "true") != "false":
            return c.text.strip()
    return ""


def _author(item) -> str:
    names = []
    for c in _children(item, "author", "creator"):
        name = _first_text(c, "name") or "".join(c.itertext()).strip()
        if m := re.match(r"^\S+@\S+\s+\((.+)\)$", name):  # RSS: "editor@example.com (Jane Roe)"
            name = m.group(1)
        if name:
            names.append(clean_text(name))
    return "; ".join(names)


def _item(item, channel: dict) -> dict:
    content = _first_text(item, "encoded", "content")
    summary = _first_text(item, "description", "summary")
    body = paragraphs(content) if content else []
    text = "\n\n".join(body)
    rec = {
        "title": clean_text(" ".join(paragraphs(_first_text(item, "title"))) or _first_text(item, "title")),
        "url": _link(item),
        "date": parse_date_text(_first_text(item, "pubDate", "published", "updated", "date", "issued", "modified")),
        "author": _author(item),
        "outlet": channel["outlet"],
        "lang": _first_text(item, "language") or item.get("{http://www.w3.org/XML/1998/namespace}lang")
        or channel["lang"],
        "summary": "\n\n".join(paragraphs(summary)) if summary else "",
        "categories": "; ".join(c.get("term") or "".join(c.itertext()).strip() for c in _children(item, "category", "subject")),
        "source_id": _first_text(item, "guid", "id"),
        "feed_url": channel["feed_url"],
    }
    if len(text.split()) >= MIN_CONTENT_WORDS:
        rec["text"] = text
    else:
        rec["text"] = ""
        rec["_metadata_only"] = True
    return rec


def parse_feed(text: str) -> tuple[list[dict], list[str]]:
    """Every item/entry of a saved RSS or Atom feed; returns ``(records, notes)``.

    Records carry title, url, date, author, outlet (the feed's title), lang, summary,
    categories, source_id (guid / id), feed_url, text (full content only) and ``doc_number``.
    """
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    data = re.sub(r"^\s*<\?xml[^>]*\?>", "", text).encode("utf-8")
    root = lxml.etree.fromstring(data, parser) if data.strip() else None
    notes = []
    if parser.error_log:
        first = parser.error_log[0]
        notes.append(f"feed is not well-formed XML (line {first.line}: {first.message}); recovered what lxml could")
    if root is None:
        return [], notes + ["no feed elements could be read"]
    chan = next(iter(_children(root, "channel")), root)
    channel = {"outlet": clean_text(_first_text(chan, "title")),
               "lang": _first_text(chan, "language") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or "",
               "feed_url": _link(chan)}
    items = [el for el in root.iter() if isinstance(el.tag, str) and lxml.etree.QName(el).localname in ("item", "entry")]
    records = []
    for n, item in enumerate(items, 1):
        rec = _item(item, channel)
        rec["doc_number"] = n
        records.append(rec)
    if not items:
        notes.append("feed has no items or entries")
    return records, notes
