"""Where the addresses come from: a file of URLs, an RSS/Atom feed, a GDELT DOC 2.0 query, a
Media Cloud search. Each returns a list of items (dicts with ``url`` and whatever metadata the
listing gives: title, outlet, date, author, lang; ``text`` when a feed carries the article).

Listings are parsed by the same readers the loader uses for saved listings
(:func:`helpers.readers.read_documents` with ``feed`` and ``gdelt-doc``), so an item and the
metadata-only row of a saved listing carry the same fields.

The services' addresses can be changed (``base`` arguments, or the environment variables
``GDELT_DOC_API`` and ``MEDIACLOUD_API_URL``) so tests can point them at a local server.
"""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from ..readers import read_documents
from .client import FetchError, PoliteClient

GDELT_DOC_API = "https://api.gdeltproject.org/api/v2/doc/doc"
MEDIACLOUD_API_URL = "https://search.mediacloud.org/api/"
MEDIACLOUD_KEY_ENV = "MEDIACLOUD_API_KEY"
#: GDELT returns at most this many articles per query.
GDELT_MAX_RECORDS = 250


class SourceError(Exception):
    """A listing could not be obtained or read; the message says why and what to do."""


def read_url_file(path: str | Path) -> list[str]:
    """Addresses from a text file: one per line; blank lines and lines starting with ``#`` ignored."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise SourceError(f"cannot read the URL file {path}: {err.strerror}") from None
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def url_items(urls: list[str], source: str = "url") -> list[dict]:
    return [{"url": u, "source": source} for u in urls]


def _clean(records: list[dict], source: str) -> list[dict]:
    keep = ("url", "title", "outlet", "author", "date", "lang", "text", "original_outlet", "original_author")
    return [{**{k: r.get(k, "") for k in keep}, "source": source} for r in records]


def feed_items(client: PoliteClient, feed_url: str) -> list[dict]:
    """The items of an RSS/Atom feed (fetched with robots.txt honoured)."""
    try:
        resp = client.get(feed_url)
    except FetchError as err:
        raise SourceError(f"feed {feed_url}: {err.reason}") from None
    records, notes = read_documents("feed", resp.text(), resp.body)
    if not records:
        raise SourceError(f"feed {feed_url}: no items ({'; '.join(notes) or 'not an RSS or Atom feed'})")
    return _clean(records, f"feed {feed_url}")


def gdelt_items(client: PoliteClient, query: str, timespan: str | None = None, start: str | None = None,
                end: str | None = None, max_records: int = GDELT_MAX_RECORDS, base: str | None = None) -> list[dict]:
    """Articles matching ``query`` from the GDELT DOC 2.0 API (``mode=ArtList``, JSON).

    ``timespan`` like ``1w``, ``3d``, ``6months`` (the API's default is the last three months),
    or ``start``/``end`` as ``YYYYMMDDHHMMSS``. GDELT gives title, date seen, domain and
    language, never the text: :func:`helpers.collect.store.save_articles` fetches each page.
    """
    params = {"query": query, "mode": "ArtList", "format": "json", "sort": "DateDesc",
              "maxrecords": str(max(1, min(int(max_records), GDELT_MAX_RECORDS)))}
    if timespan:
        params["timespan"] = timespan
    if start:
        params["startdatetime"] = start
    if end:
        params["enddatetime"] = end
    url = (base or os.environ.get("GDELT_DOC_API") or GDELT_DOC_API) + "?" + urlencode(params)
    try:
        resp = client.get(url, robots=False)
    except FetchError as err:
        raise SourceError(f"GDELT query failed: {err.reason}") from None
    body = resp.text().strip()
    if not body or body == "{}":
        return []
    try:
        json.loads(body)
    except json.JSONDecodeError:
        # GDELT explains a bad query in plain text with status 200
        raise SourceError(f"GDELT did not return JSON; it said: {body[:300]!r}") from None
    records, notes = read_documents("gdelt-doc", body, resp.body)
    return _clean(records, f"gdelt {query}")


def mediacloud_items(client: PoliteClient, query: str, start: str | None = None, end: str | None = None,
                     collections: list[str] | None = None, sources: list[str] | None = None,
                     platform: str = "onlinenews-mediacloud", max_stories: int = 1000, page_size: int = 100,
                     base: str | None = None, api_key: str | None = None) -> list[dict]:
    """Stories matching ``query`` from Media Cloud's search API (``search/story-list``), following
    its pagination token up to ``max_stories``. The key comes from ``api_key`` or the environment
    variable ``MEDIACLOUD_API_KEY``; without one this raises :class:`SourceError` saying so.
    Dates are ``YYYY-MM-DD`` (default: the 30 days up to today)."""
    key = api_key or os.environ.get(MEDIACLOUD_KEY_ENV, "")
    if not key:
        raise SourceError(f"Media Cloud needs an API key: set the environment variable {MEDIACLOUD_KEY_ENV} "
                          "(your key is on your profile page at https://search.mediacloud.org)")
    end = end or date.today().isoformat()
    start = start or (date.fromisoformat(end) - timedelta(days=30)).isoformat()
    root = (base or os.environ.get("MEDIACLOUD_API_URL") or MEDIACLOUD_API_URL).rstrip("/") + "/"
    params = {"q": query, "start": start, "end": end, "platform": platform, "page_size": str(page_size)}
    if collections:
        params["cs"] = ",".join(collections)
    if sources:
        params["ss"] = ",".join(sources)
    headers = {"Authorization": f"Token {key}", "Accept": "application/json"}
    items: list[dict] = []
    token = None
    while len(items) < max_stories:
        page = dict(params, **({"pagination_token": token} if token else {}))
        data = _mediacloud_page(client, root + "search/story-list?" + urlencode(page), headers)
        items += [_story(s, query) for s in data.get("stories") or [] if isinstance(s, dict)]
        token = data.get("pagination_token")
        if not token or not data.get("stories"):
            break
    return items[:max_stories]


def _mediacloud_page(client: PoliteClient, url: str, headers: dict) -> dict:
    try:
        resp = client.get(url, headers=headers, robots=False)
    except FetchError as err:
        hint = f" (check {MEDIACLOUD_KEY_ENV})" if err.status in (401, 403) else ""
        raise SourceError(f"Media Cloud search failed: {err.reason}{hint}") from None
    try:
        data = json.loads(resp.text())
    except json.JSONDecodeError:
        raise SourceError(f"Media Cloud did not return JSON: {resp.text()[:300]!r}") from None
    if not isinstance(data, dict):
        raise SourceError("Media Cloud returned an unexpected answer (not a JSON object)")
    return data


def _story(story: dict, query: str) -> dict:
    return {"url": str(story.get("url") or ""), "title": str(story.get("title") or ""),
            "outlet": str(story.get("media_name") or ""), "date": str(story.get("publish_date") or ""),
            "lang": str(story.get("language") or ""), "author": "", "text": "", "source": f"mediacloud {query}"}
