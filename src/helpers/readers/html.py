"""HTML article pages: main text and metadata with trafilatura (no network access).

trafilatura removes navigation, adverts and comment sections; when it finds no main text
(truncated or script-only pages) the page is reported, not silently turned into an empty
document.
"""

from __future__ import annotations

import pandas as pd
import trafilatura

#: Fewer words of main text than this is a navigation page, an error page or a cut-off
#: download, not an article.
MIN_HTML_WORDS = 20


def parse_html(html: str) -> tuple[dict, list[str]]:
    """Return ``(record, notes)``; ``record["text"]`` is "" when no article text was found.

    A page without closing ``</body>``/``</html>`` tags is noted as truncated; a page with
    fewer than :data:`MIN_HTML_WORDS` words of main text is returned empty with the reason.
    """
    notes: list[str] = []
    tail = html[-2000:].lower()
    truncated = "</html" not in tail and "</body" not in tail
    if truncated:
        notes.append("truncated HTML (no closing </body> or </html>): text may be incomplete")
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
    n_words = len(text.split())
    if not text:
        notes.append("no main text found by trafilatura")
    elif n_words < MIN_HTML_WORDS:
        notes.append(f"only {n_words} word(s) of main text found, fewer than {MIN_HTML_WORDS}: not loaded as an article")
        rec["text"] = ""
    return rec, notes
