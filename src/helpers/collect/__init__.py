"""Collecting articles from the web: the one networked step, run explicitly, never at analysis time.

``python -m helpers collect ...`` (see :mod:`helpers.cli.collect`) or, from Python::

    from helpers.collect import PoliteClient, gdelt_items, save_articles
    client = PoliteClient(rate=1.0, retries=3)
    table = save_articles(gdelt_items(client, '"Diaoyu Islands" NATO', timespan="1w"), "data/raw/gdelt", client)

Modules, one idea each:

- ``client``: :class:`PoliteClient` - pause between requests to one host, retries with
  exponential backoff on 429/5xx/timeouts (``Retry-After`` honoured), robots.txt honoured, a
  User-Agent naming the project, timeouts, a size limit, http(s) only.
- ``sources``: where addresses come from - a URL file, an RSS/Atom feed, a GDELT DOC 2.0 query,
  a Media Cloud search (key from ``MEDIACLOUD_API_KEY``).
- ``store``: one Markdown file per article (front matter + main text) in a folder
  ``load_corpus`` reads, resumable (existing files are not fetched again), and the manifest
  ``.collect-manifest.csv``.
- ``fill``: fill in the text of metadata-only rows (Media Cloud, GDELT, feeds) loaded from a
  folder.

How to use it, and what it will not do, is in docs/collecting.md.
"""

from .client import (
    USER_AGENT,
    FetchError,
    PoliteClient,
    Response,
    RobotsRefusal,
    retry_after_seconds,
)
from .fill import FillError, fill_texts, metadata_rows
from .sources import (
    GDELT_DOC_API,
    MEDIACLOUD_API_URL,
    MEDIACLOUD_KEY_ENV,
    SourceError,
    feed_items,
    gdelt_items,
    mediacloud_items,
    read_url_file,
    url_items,
)
from .store import (
    MANIFEST_COLUMNS,
    MANIFEST_NAME,
    article_markdown,
    filename_for,
    page_article,
    save_articles,
)

__all__ = ["GDELT_DOC_API", "MANIFEST_COLUMNS", "MANIFEST_NAME", "MEDIACLOUD_API_URL", "MEDIACLOUD_KEY_ENV",
           "USER_AGENT", "FetchError", "FillError", "PoliteClient", "Response", "RobotsRefusal", "SourceError",
           "article_markdown", "feed_items", "fill_texts", "filename_for", "gdelt_items", "mediacloud_items",
           "metadata_rows", "page_article", "read_url_file", "retry_after_seconds", "save_articles", "url_items"]
