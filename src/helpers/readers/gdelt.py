"""GDELT article lists and event/mention exports: metadata rows linked to articles by URL.

Three shapes, none with article text:

- DOC 2.0 API article lists (``mode=ArtList``, JSON or JSON lines, often gzipped)::

    {"articles": [{"url": "https://...", "url_mobile": "", "title": "...", "seendate": "20240115T123000Z",
                   "socialimage": "", "domain": "example.com", "language": "English", "sourcecountry": "Germany"}]}

- GDELT 2.0 event exports (``*.export.CSV``): tab-separated, no header, 61 columns, the last
  ``SOURCEURL``; or a CSV with the column names as a header (e.g. from BigQuery).
- GDELT 2.0 mention exports (``*.mentions.CSV``): tab-separated, no header, 16 columns
  (``MentionIdentifier`` is the URL), or with a header.

Events and mentions are grouped by URL: one corpus row per article, with the GDELT ids that
cite it. Every row has ``text`` empty and is reported as needing its text collected.
"""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import urlparse

import pandas as pd

from .dates import parse_date_text
from .language import normalise_language

EVENT_COLUMNS = (
    ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    + [f"Actor{a}{f}" for a in (1, 2) for f in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
                                                  "Religion1Code", "Religion2Code", "Type1Code", "Type2Code",
                                                  "Type3Code")]
    + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
       "NumSources", "NumArticles", "AvgTone"]
    + [f"{g}_{f}" for g in ("Actor1Geo", "Actor2Geo", "ActionGeo") for f in ("Type", "FullName", "CountryCode",
                                                                             "ADM1Code", "ADM2Code", "Lat", "Long",
                                                                             "FeatureID")]
    + ["DATEADDED", "SOURCEURL"])
MENTION_COLUMNS = ["GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
                   "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
                   "InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras"]
_DOC_KEYS = {"url", "seendate"}


def export_kind(first_line: str) -> str | None:
    """"gdelt-events" / "gdelt-mentions" from the first line of a GDELT export, else None."""
    low = first_line.lower()
    if "globaleventid" in low:
        if "sourceurl" in low:
            return "gdelt-events"
        if "mentionidentifier" in low:
            return "gdelt-mentions"
    fields = first_line.rstrip("\r\n").split("\t")
    if fields and fields[0].isdigit():
        if len(fields) == len(EVENT_COLUMNS) and re.fullmatch(r"\d{8}", fields[1]):
            return "gdelt-events"
        if len(fields) == len(MENTION_COLUMNS) and re.fullmatch(r"\d{14}", fields[1]):
            return "gdelt-mentions"
    return None


def is_doc_articles(obj: object) -> bool:
    """A parsed JSON value (or first JSON line) in the DOC API's article-list shape."""
    if isinstance(obj, dict) and isinstance(obj.get("articles"), list):
        obj = obj["articles"][0] if obj["articles"] else {"url": "", "seendate": ""}
    if isinstance(obj, list) and obj:
        obj = obj[0]
    return isinstance(obj, dict) and _DOC_KEYS <= {str(k).lower() for k in obj}


def _domain(url: str) -> str:
    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def parse_doc_articles(text: str, lines: bool) -> tuple[list[dict], list[str]]:
    """A DOC API article list (JSON, or JSON lines when ``lines``); returns ``(records, notes)``."""
    notes: list[str] = []
    if lines:
        items = []
        for n, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as err:
                notes.append(f"line {n} is not valid JSON ({err.msg}), skipped")
    else:
        obj = json.loads(text)
        items = obj.get("articles", []) if isinstance(obj, dict) else obj
    records = []
    for n, art in enumerate((a for a in items if isinstance(a, dict)), 1):
        get = {str(k).lower(): v for k, v in art.items()}.get
        url = str(get("url") or "")
        rec = {"url": url, "title": str(get("title") or ""), "date": parse_date_text(get("seendate")),
               "outlet": str(get("domain") or _domain(url)), "lang": str(get("language") or ""),
               "source_country": str(get("sourcecountry") or ""), "url_mobile": str(get("url_mobile") or ""),
               "social_image": str(get("socialimage") or ""), "text": "", "_metadata_only": True, "doc_number": n}
        records.append(rec)
    return records, notes


def _read_export(text: str, columns: list[str]) -> pd.DataFrame:
    first = text.split("\n", 1)[0]
    if "globaleventid" in first.lower():
        delim = "\t" if first.count("\t") >= first.count(",") else ","
        table = pd.read_csv(io.StringIO(text), sep=delim, dtype=str, keep_default_na=False, quoting=csv.QUOTE_MINIMAL)
        lower = {c.lower(): c for c in table.columns}
        return table.rename(columns={lower[c.lower()]: c for c in columns if c.lower() in lower})
    return pd.read_csv(io.StringIO(text), sep="\t", header=None, names=columns, dtype=str, keep_default_na=False,
                       quoting=csv.QUOTE_NONE, on_bad_lines="warn")


def _join(values) -> str:
    return "; ".join(dict.fromkeys(str(v) for v in values if str(v).strip()))


def parse_events(text: str) -> tuple[list[dict], list[str]]:
    """A GDELT 2.0 event export: one record per SOURCEURL with the events that cite it."""
    table = _read_export(text, EVENT_COLUMNS)
    if "SOURCEURL" not in table.columns:
        raise ValueError("GDELT event export without a SOURCEURL column")
    notes = []
    no_url = table["SOURCEURL"].str.strip() == ""
    if no_url.any():
        notes.append(f"{int(no_url.sum())} event(s) without SOURCEURL skipped")
    records = []
    for n, (url, rows) in enumerate(table.loc[~no_url].groupby("SOURCEURL", sort=False), 1):
        added = rows["DATEADDED"].min() if "DATEADDED" in rows else ""
        records.append({"url": url, "outlet": _domain(url), "date": parse_date_text(added or rows["SQLDATE"].min()),
                        "title": "", "text": "", "_metadata_only": True, "doc_number": n,
                        "gdelt_event_ids": _join(rows["GLOBALEVENTID"]), "n_events": len(rows),
                        "event_codes": _join(rows.get("EventCode", [])),
                        "action_geo": _join(rows.get("ActionGeo_FullName", []))})
    notes.insert(0, f"{len(table)} event row(s) grouped into {len(records)} article URL(s)")
    return records, notes


def parse_mentions(text: str) -> tuple[list[dict], list[str]]:
    """A GDELT 2.0 mention export: one record per mentioning web article (MentionType 1)."""
    table = _read_export(text, MENTION_COLUMNS)
    if "MentionIdentifier" not in table.columns:
        raise ValueError("GDELT mention export without a MentionIdentifier column")
    web = table["MentionIdentifier"].str.match(r"https?://")
    notes = [f"{len(table)} mention row(s)"]
    if (~web).any():
        notes.append(f"{int((~web).sum())} mention(s) of non-web sources (no URL, e.g. MentionType 2-6) skipped")
    records = []
    for n, (url, rows) in enumerate(table.loc[web].groupby("MentionIdentifier", sort=False), 1):
        info = str(rows["MentionDocTranslationInfo"].iloc[0]) if "MentionDocTranslationInfo" in rows else ""
        src = re.search(r"srclc:(\w+)", info)  # GDELT leaves this blank for documents in English
        records.append({"url": url, "outlet": str(rows["MentionSourceName"].iloc[0]) or _domain(url),
                        "date": parse_date_text(rows["MentionTimeDate"].min()), "title": "", "text": "", "_metadata_only": True,
                        "doc_number": n, "lang": normalise_language(src.group(1)) if src else ("" if info.strip() else "en"),
                        "gdelt_event_ids": _join(rows["GLOBALEVENTID"]), "n_mentions": len(rows),
                        "mention_doc_tone": str(rows["MentionDocTone"].iloc[0]) if "MentionDocTone" in rows else "",
                        "mention_doc_len": str(rows["MentionDocLen"].iloc[0]) if "MentionDocLen" in rows else ""})
    notes[0] += f" grouped into {len(records)} article URL(s)"
    return records, notes
