"""Who published what: outlet spellings merged to one name, and who reposted whom."""

from __future__ import annotations

import re

import pandas as pd


def canonical_outlets(outlets: pd.Series) -> pd.Series:
    """Merge spellings of one outlet that differ only in case, spacing, punctuation or a leading
    "The" ("Breitbart"/"breitbart", "The Guardian"/"theguardian") to one spelling: the most
    human-formatted (capitals and spaces, as an outlet writes its own name), then the most
    frequent, then alphabetical. "" stays "".

    >>> canonical_outlets(pd.Series(["The Guardian", "theguardian", "RT", "rt", "RT"])).tolist()
    ['The Guardian', 'The Guardian', 'RT', 'RT', 'RT']
    """
    def key(name: str) -> str:
        k = re.sub(r"[^0-9a-z]+", "", name.lower())
        return k[3:] if k.startswith("the") and len(k) > 3 else k

    counts = outlets[outlets != ""].value_counts()
    best: dict[str, str] = {}
    for name in sorted(counts.index, key=lambda n: (-sum(c.isupper() or c == " " for c in n), -counts[n], n)):
        best.setdefault(key(name), name)
    return outlets.map(lambda n: best.get(key(n), n) if n else n)


def provenance_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """Who reposted whom: ``outlet``, ``author``, ``original_outlet``, ``original_author``,
    ``n_docs``, ``first_date``, ``last_date`` (empty strings for unknown parties)."""
    cols = ["outlet", "author", "original_outlet", "original_author"]
    if corpus.empty:
        return pd.DataFrame(columns=cols + ["n_docs", "first_date", "last_date"])
    g = corpus.groupby(cols, dropna=False, sort=True)
    return g.agg(n_docs=("doc_id", "size"), first_date=("date", "min"), last_date=("date", "max")).reset_index()
