"""Fill in the text of metadata-only rows: Media Cloud, GDELT or feed listings loaded as a corpus.

``load_corpus`` keeps rows that carry a URL and metadata but no text (and its load report says
their text must be collected). :func:`fill_texts` reads such a folder, fetches each of those
rows' pages and writes one article file per row into another folder, with the row's metadata
(title, outlet, author, date, url, language) in the file's front matter. The filled corpus is
``load_corpus(out)``: a folder of articles like any other.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..corpus import load_corpus
from .client import PoliteClient
from .store import FRONT_FIELDS, save_articles


class FillError(Exception):
    """The folder cannot be filled as asked; the message says why."""


def metadata_rows(folder: str | Path) -> pd.DataFrame:
    """The rows of the corpus in ``folder`` whose ``text`` is empty (with or without a URL)."""
    corpus = load_corpus(folder).corpus
    if corpus.empty:
        return corpus
    return corpus.loc[corpus["text"].fillna("").str.strip() == ""].reset_index(drop=True)


def fill_texts(folder: str | Path, out: str | Path, client: PoliteClient) -> pd.DataFrame:
    """Collect the text of every metadata-only row of the corpus in ``folder`` into ``out``.

    Returns the manifest rows (see :func:`helpers.collect.store.save_articles`); a row without
    a URL is listed as skipped with the reason. ``out`` must not be inside ``folder`` (nor the
    other way round): loading ``folder`` would then read each story twice, once as metadata and
    once as text.
    """
    src, dst = Path(folder).resolve(), Path(out).resolve()
    if src == dst or src in dst.parents or dst in src.parents:
        raise FillError(f"write the filled articles to a folder outside {folder} (and not containing it): "
                        "otherwise loading it would count every story twice (metadata row and text)")
    if not src.exists():
        raise FillError(f"no such folder or file: {folder}")
    rows = metadata_rows(src)
    items = []
    for rec in rows.to_dict("records"):
        item = {k: rec.get(k, "") for k in FRONT_FIELDS}
        item["source"] = f"fill {rec.get('source_path', '')}"
        items.append(item)
    return save_articles(items, dst, client)
