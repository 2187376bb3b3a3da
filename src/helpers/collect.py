"""Fetch article pages from the web into a corpus folder: the one step that uses the network.

Analysis never calls this; a researcher runs ``python -m helpers collect URL ... --out
data/raw/collected`` explicitly, then reruns the report. Pages are saved as fetched (raw HTML,
never edited) with a line in the hidden log ``.collect-log.csv`` (url, file, fetched_at, status).
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd


def _fetch(url: str) -> str | None:
    import trafilatura

    return trafilatura.fetch_url(url)


def filename_for(url: str) -> str:
    """A stable, filesystem-safe name: host, last path part and a short hash of the URL."""
    parts = urlparse(url)
    tail = re.sub(r"[^A-Za-z0-9]+", "-", Path(parts.path).stem or "index").strip("-")[:60] or "index"
    host = re.sub(r"[^A-Za-z0-9]+", "-", parts.netloc).strip("-")
    return f"{host}--{tail}--{hashlib.sha1(url.encode()).hexdigest()[:8]}.html"


def collect(urls: list[str], out: str | Path, fetch=_fetch) -> pd.DataFrame:
    """Download each URL into ``out``; returns one row per URL: url, file, status, reason."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for url in urls:
        if urlparse(url).scheme not in ("http", "https"):
            rows.append({"url": url, "file": "", "status": "failed", "reason": "not an http(s) address"})
            continue
        name = filename_for(url)
        try:
            page = fetch(url)
        except Exception as err:  # network errors are reported per URL
            page, reason = None, f"{type(err).__name__}: {err}"
        else:
            reason = "" if page else "nothing fetched (blocked, offline or empty page)"
        if not page:
            rows.append({"url": url, "file": "", "status": "failed", "reason": reason})
            continue
        (folder / name).write_text(page, encoding="utf-8")
        rows.append({"url": url, "file": name, "status": "saved", "reason": ""})
    table = pd.DataFrame(rows, columns=["url", "file", "status", "reason"])
    table["fetched_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    log = folder / ".collect-log.csv"  # hidden: the corpus loader lists it as skipped, not as an article table
    table.to_csv(log, mode="a", header=not log.exists(), index=False)
    return table
