"""One file per article in a folder ``load_corpus`` reads, and a manifest of every address.

Each collected article becomes ``<host>--<slug>--<hash>.md``: YAML front matter (title, outlet,
author, date, url, lang, original outlet/author when known) and the article's main text, one
blank line between paragraphs. The text is what the loader's own HTML reader
(:func:`helpers.readers.parse_html`, trafilatura) extracts from the page, so a collected folder
loads exactly like a folder of saved pages would, but keeps the metadata of the listing it came
from (GDELT, Media Cloud, a feed), which the page itself often lacks.

Resumable: an address whose file already exists is not requested again (status ``exists``).
Files are written whole or not at all (written to a temporary name, then renamed), so an
interrupted run leaves nothing half-written behind.

The manifest ``.collect-manifest.csv`` (hidden, so the loader lists it as skipped rather than
reading it as a table of articles) gets one row per address per run: ``url``, ``file``,
``status`` (saved, exists, refused, failed, skipped), ``reason``, ``source`` (where the address
came from) and ``fetched_at`` (UTC). ``fetched_at`` makes the manifest differ between runs: it is a
collection log, not an analysis input.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import yaml

from ..readers import normalise_language, parse_html
from .client import FetchError, PoliteClient, RobotsRefusal

MANIFEST_NAME = ".collect-manifest.csv"
MANIFEST_COLUMNS = ["url", "file", "status", "reason", "source", "fetched_at"]
#: Metadata fields written to the front matter, in this order (the loader reads each back).
FRONT_FIELDS = ("title", "outlet", "author", "date", "url", "lang", "original_outlet", "original_author")
_HTML_TYPES = {"text/html", "application/xhtml+xml", ""}


def filename_for(url: str, suffix: str = ".md") -> str:
    """A stable, filesystem-safe name: host, last path part and a short hash of the URL.

    >>> filename_for("https://www.example.org/news/japan-nato.html")
    'www-example-org--japan-nato--bf90f62f.md'
    """
    parts = urlparse(url)
    tail = re.sub(r"[^A-Za-z0-9]+", "-", Path(parts.path).stem or "index").strip("-")[:60] or "index"
    host = re.sub(r"[^A-Za-z0-9]+", "-", parts.netloc).strip("-")
    return f"{host}--{tail}--{hashlib.sha1(url.encode()).hexdigest()[:8]}{suffix}"


def _front_value(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp | datetime):
        ts = pd.Timestamp(value)
        return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.isoformat()
    return " ".join(str(value).split())  # one line: no value can close the front matter early


def article_markdown(meta: dict, text: str) -> str:
    """The file for one article: front matter from ``meta`` (fields in :data:`FRONT_FIELDS`,
    empty ones left out; the title falls back to the URL so the body's first line is never
    taken for a title) and ``text`` with paragraphs separated by one blank line.

    >>> print(article_markdown({"title": "T: a", "url": "http://x/a"}, "One.\\nTwo."))
    ---
    title: 'T: a'
    url: http://x/a
    ---
    One.
    <BLANKLINE>
    Two.
    <BLANKLINE>
    """
    front = {k: _front_value(meta.get(k)) for k in FRONT_FIELDS}
    front["title"] = front["title"] or front["url"] or "untitled"
    front["lang"] = normalise_language(front["lang"]) if front["lang"] else ""
    front = {k: v for k, v in front.items() if v}
    body = "\n\n".join(p.strip() for p in re.split(r"\n+", text.strip()) if p.strip())
    dumped = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, default_flow_style=False, width=10_000)
    return f"---\n{dumped}---\n{body}\n"


def page_article(meta: dict, resp) -> tuple[str | None, str]:
    """``(markdown, reason)`` for a fetched page: main text by the loader's HTML reader; the
    listing's metadata win, the page's fill the gaps. ``markdown`` is None when there is no text."""
    ctype = resp.content_type
    if ctype == "text/plain":
        page = {"text": resp.text()}
        notes: list[str] = []
    elif ctype in _HTML_TYPES:
        page, notes = parse_html(resp.text())
    else:
        return None, f"content type {ctype} is not an HTML page"
    text = _drop_headline(page.get("text") or "", (page.get("title"), meta.get("title")))
    if not text.strip():
        return None, "; ".join(notes) or "no article text found on the page"
    merged = {k: meta.get(k) if _front_value(meta.get(k)) else page.get(k) for k in FRONT_FIELDS}
    merged["url"] = meta.get("url") or resp.url
    return article_markdown(merged, text), ""


def _drop_headline(text: str, titles) -> str:
    """The text without a first line that repeats the headline (trafilatura keeps the <h1>)."""
    first, _, rest = text.strip().partition("\n")
    key = " ".join(first.split()).casefold()
    if rest.strip() and key and key in {" ".join(str(t).split()).casefold() for t in titles if t}:
        return rest
    return text


def _write(path: Path, content: str) -> None:
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text(content, encoding="utf-8")
    tmp.replace(path)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _one(item: dict, folder: Path, client: PoliteClient, seen: set[str]) -> dict:
    """Collect one address; returns its manifest row (without ``source``/``fetched_at``)."""
    url = str(item.get("url") or "").strip()
    row = {"url": url, "file": "", "status": "failed", "reason": ""}
    if not url:
        return {**row, "status": "skipped", "reason": "no URL to collect the text from"}
    if urlparse(url).scheme not in ("http", "https"):
        return {**row, "reason": "not an http(s) address"}
    if url in seen:
        return {**row, "status": "skipped", "reason": "listed more than once: collected once"}
    seen.add(url)
    name = filename_for(url)
    row["file"] = name
    if (folder / name).exists():
        return {**row, "status": "exists", "reason": "already collected (file exists): not requested again"}
    if str(item.get("text") or "").strip():  # the listing carried the full text (e.g. a feed)
        _write(folder / name, article_markdown(item, item["text"]))
        return {**row, "status": "saved", "reason": "text from the listing (no page request)"}
    try:
        resp = client.get(url)
    except RobotsRefusal as err:
        return {**row, "file": "", "status": "refused", "reason": err.reason}
    except FetchError as err:
        return {**row, "file": "", "reason": err.reason}
    content, reason = page_article(item, resp)
    if content is None:
        return {**row, "file": "", "reason": reason}
    _write(folder / name, content)
    return {**row, "status": "saved"}


def save_articles(items: list[dict], out: str | Path, client: PoliteClient, source: str = "") -> pd.DataFrame:
    """Collect every item (a dict with ``url`` and any of :data:`FRONT_FIELDS`, optionally
    ``text`` and ``source``) into ``out``; returns this run's manifest rows and appends them to
    the folder's manifest."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    rows = []
    for item in items:
        row = _one(item, folder, client, seen)
        rows.append({**row, "source": item.get("source") or source, "fetched_at": _now()})
    table = pd.DataFrame(rows, columns=MANIFEST_COLUMNS)
    log = folder / MANIFEST_NAME
    table.to_csv(log, mode="a", header=not log.exists(), index=False)
    return table
