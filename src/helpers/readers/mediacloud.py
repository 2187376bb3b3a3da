"""Media Cloud story lists (CSV): one metadata row per story, usually without text.

Media Cloud exports list stories, not their text::

    stories_id,publish_date,title,url,language,ap_syndicated,themes,media_id,media_name,media_url
    1512345678,2020-01-15 13:45:00,Climate talks stall,https://example.com/a,en,False,,1,Example Times,https://example.com

(the current search tool writes ``id,indexed_date,language,media_name,media_url,publish_date,
title,url``). Each story becomes a corpus row with ``text`` empty and a load-report status
saying its text must be collected from ``url``; a ``text`` column, when present, is used.
"""

from __future__ import annotations

import io

import pandas as pd

_MARK = {"media_name", "url", "publish_date"}
COLUMNS = {"stories_id": "source_id", "id": "source_id", "publish_date": "date", "title": "title", "url": "url",
           "media_name": "outlet", "language": "lang", "text": "text", "story_text": "text", "author": "author"}


def looks_like_mediacloud(first_line: str) -> bool:
    """Content test on the header line: Media Cloud's column names."""
    cols = {c.strip().strip('"').lower() for c in first_line.split(",")}
    return "stories_id" in cols or _MARK <= cols


def parse_mediacloud(text: str) -> tuple[list[dict], list[str]]:
    """Every story of a Media Cloud CSV; returns ``(records, notes)``.

    Records carry source_id (stories_id), date (publish_date), title, url, outlet (media_name),
    lang, media_url and the other columns as given, text ("" unless the export has it).
    """
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as err:
        raise ValueError(f"malformed Media Cloud CSV: {err}") from err
    rename = {}
    for col in table.columns:
        target = COLUMNS.get(str(col).strip().lower())
        if target and target not in rename.values():
            rename[col] = target
    table = table.rename(columns=rename)
    if "text" not in table.columns:
        table["text"] = ""
    records = []
    for n, rec in enumerate(table.to_dict("records"), 1):
        rec["text"] = str(rec.get("text") or "").strip()
        if not rec["text"]:
            rec["_metadata_only"] = True
        rec["doc_number"] = n
        records.append(rec)
    notes = [] if records else ["Media Cloud CSV has no rows"]
    no_url = sum(1 for r in records if r.get("_metadata_only") and not str(r.get("url", "")).strip())
    if no_url:
        notes.append(f"{no_url} row(s) have neither text nor URL: their text cannot be collected")
    return records, notes
