"""Plain ``.txt`` / ``.md`` articles, with optional YAML front matter for metadata.

A file may start with front matter that names its metadata (useful when a researcher saves
an article by hand)::

    ---
    title: Japan to seek NATO support against China
    outlet: Global Times
    date: 2013-01-14
    author: Liu Sha
    url: https://...
    ---
    Body ...

Without front matter, a short first line (at most 25 words, not ending like a sentence, followed
by more text) is taken as the title; everything else is the body.
"""

from __future__ import annotations

import re

import pandas as pd
import yaml

from .aggregator import _LINK

_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
FIELDS = ("title", "outlet", "author", "url", "original_outlet", "original_author", "region", "theme", "lang")


def parse_plaintext(text: str, markdown: bool = False) -> tuple[dict, list[str]]:
    """Return ``(record, notes)`` for one plain-text or Markdown article."""
    notes: list[str] = []
    rec: dict = {k: "" for k in FIELDS}
    rec["date"] = pd.NaT
    m = _FRONT.match(text)
    if m:
        try:
            meta = yaml.safe_load(m.group(1)) or {}
        except yaml.YAMLError as err:
            meta = {}
            notes.append(f"front matter is not valid YAML, ignored ({str(err).splitlines()[0]})")
        if isinstance(meta, dict):
            for key, value in meta.items():
                k = str(key).lower()
                k = {"source": "outlet", "publisher": "outlet", "byline": "author", "headline": "title",
                     "published": "date", "link": "url"}.get(k, k)
                if k == "date":
                    rec["date"] = pd.to_datetime(str(value), errors="coerce")
                    if pd.isna(rec["date"]):
                        notes.append(f"front-matter date {value!r} not understood")
                elif k in FIELDS:
                    rec[k] = str(value)
                else:
                    rec[k] = value
        text = text[m.end():]
    lines = text.strip("\n").split("\n")
    if markdown:
        lines = [_LINK.sub(r"\1", ln) for ln in lines]
    first = lines[0].strip() if lines else ""
    heading = first.lstrip("#").strip() if markdown else first
    rest = "\n".join(lines[1:]).strip()
    if not rec["title"] and first and rest and len(heading.split()) <= 25 and not re.search(r"[.!?,;:]\"?$", heading):
        rec["title"] = heading
        body = rest
    else:
        body = "\n".join(lines).strip()
    if markdown:
        body = re.sub(r"^#{1,6}\s+", "", body, flags=re.M)
    rec["text"] = body
    return rec, notes
