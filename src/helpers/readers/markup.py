"""Small lxml helpers shared by the readers of HTML and XML exports (Factiva, ProQuest, feeds).

Export pages are parsed leniently (lxml's HTML parser repairs unclosed tags); text is taken
per block element so paragraphs stay separated by blank lines, as the corpus expects.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")


def parse_page(html: str) -> lxml.html.HtmlElement:
    """The page as an lxml tree (never raises for bad markup; an empty page gives ``<html/>``)."""
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)  # lxml refuses str input with an encoding declaration
    try:
        return lxml.html.document_fromstring(html or "<html></html>")
    except (lxml.etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html></html>")


def clean_text(text: str) -> str:
    """Runs of spaces (incl. no-break spaces) to one space, stripped."""
    return _SPACE.sub(" ", text or "").strip()


def element_text(el) -> str:
    """All text inside ``el`` on one line (scripts and styles left out)."""
    if el is None:
        return ""
    parts = [t for t in el.itertext(tag=lxml.etree.Element) if t]
    return clean_text(" ".join(p.strip() for p in parts if p.strip()))


def paragraphs(fragment: str) -> list[str]:
    """Paragraph texts of an HTML fragment: one per block element, empty ones dropped."""
    if not fragment or not fragment.strip():
        return []
    root = parse_page(f"<html><body>{fragment}</body></html>")
    for bad in root.xpath("//script|//style|//head"):
        bad.drop_tree()
    for br in root.xpath("//br"):
        br.tail = "\n" + (br.tail or "")
    body = root.find("body") if root.find("body") is not None else root
    out: list[str] = []
    blocks = body.xpath(".//*[self::p or self::li or self::h1 or self::h2 or self::h3 or self::h4 or self::blockquote]")
    if not blocks:
        text = "\n".join(t for t in body.itertext())
        return [clean_text(p) for p in re.split(r"\n\s*\n", text) if clean_text(p)]
    taken: set = set()
    for el in blocks:
        if any(a in taken for a in el.iterancestors()):
            continue  # nested block: its text is in the ancestor's
        taken.add(el)
        text = clean_text(" ".join(t.strip() for t in el.itertext() if t.strip()))
        if text:
            out.append(text)
    return out
