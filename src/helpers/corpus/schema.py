"""The corpus and load-report columns, and what :func:`helpers.corpus.load_corpus` returns."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

CORPUS_COLUMNS = ["doc_id", "source_path", "format", "title", "outlet", "author", "date", "url",
                  "original_outlet", "original_author", "region", "theme", "lang", "text", "n_words",
                  "duplicate_of"]
REPORT_COLUMNS = ["source_path", "format", "status", "reason", "n_docs", "repairs"]
#: Corpus columns held as (possibly empty) strings; ``date`` and ``n_words`` are not.
STR_COLUMNS = [c for c in CORPUS_COLUMNS if c not in ("date", "n_words")]


class Loaded(NamedTuple):
    """What :func:`load_corpus` returns; unpack as ``corpus, report = load_corpus(path)``."""

    corpus: pd.DataFrame
    report: pd.DataFrame


def empty_corpus() -> pd.DataFrame:
    """A corpus with every column and no rows (dtypes as a loaded corpus has them)."""
    return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "date" else ("int64" if c == "n_words" else object))
                         for c in CORPUS_COLUMNS})
