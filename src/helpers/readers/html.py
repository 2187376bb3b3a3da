"""HTML article pages: main text and metadata with trafilatura (no network access).

trafilatura removes navigation, adverts and comment sections; when it finds no main text
(truncated or script-only pages) the page is reported, not silently turned into an empty
document.
"""

from __future__ import annotations

import pandas as pd
import trafilatura


def parse_html(html: str) -> tuple[dict, list[str]]:
    """Return ``(record, notes)``; ``record["text"]`` is "" when no article text was found."""
    notes: list[str] = []
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False,
                                      favor_precision=False, deduplicate=False)
    if doc is None:
        return {"text": "", "title": "", "date": pd.NaT}, ["no main text found by trafilatura"]
    get = (lambda k: getattr(doc, k, None)) if not isinstance(doc, dict) else doc.get
    text = get("text") or ""
    date = pd.to_datetime(get("date"), errors="coerce") if get("date") else pd.NaT
    rec = {
        "title": get("title") or "",
        "author": get("author") or "",
        "outlet": get("sitename") or "",
        "url": get("url") or "",
        "date": date,
        "lang": get("language") or "",
        "text": text,
    }
    if not text:
        notes.append("no main text found by trafilatura")
    return rec, notes
