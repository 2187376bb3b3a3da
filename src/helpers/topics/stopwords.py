"""Words that carry no topic: the default token pattern, news boilerplate and outlet names.

* :data:`DEFAULT_TOKEN_PATTERN` — letters only, three or more: numbers, "'s" and two-letter
  fragments never become terms.
* :func:`load_news_stop_words` — the news boilerplate list ``resources/stopwords_news.yml``
  (reporting verbs, wire and byline furniture, weekdays, months...), by category.
* :func:`outlet_stop_words` — the words of the corpus's own outlet names.

The general English list is ``helpers.text.STOP_WORDS``; :class:`TopicVectorizer` combines
the three.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from helpers.config import RESOURCES

__all__ = [
    "DEFAULT_TOKEN_PATTERN",
    "NEWS_STOPWORDS_FILE",
    "load_news_stop_words",
    "outlet_stop_words",
]

#: Letters only, at least three: numbers, "'s" and two-letter fragments carry no topic.
DEFAULT_TOKEN_PATTERN = r"(?u)\b[^\W\d_]{3,}\b"
NEWS_STOPWORDS_FILE = RESOURCES / "stopwords_news.yml"


@lru_cache(maxsize=8)
def _read_stop_yaml(path: str) -> dict[str, tuple[str, ...]]:
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise FileNotFoundError(
            f"Stop-word file {p} not found; pass stop_words_file=None for the built-in list"
        ) from exc
    if not isinstance(data, dict):
        raise ValueError(f"{p}: expected a mapping of category -> list of words, got {type(data)}")
    out = {}
    for cat, words in data.items():
        if not isinstance(words, list):
            raise ValueError(f"{p}: category {cat!r} must be a list of words")
        out[str(cat)] = tuple(str(w).strip().lower() for w in words if str(w).strip())
    return out


def load_news_stop_words(
    path: str | Path | None = None, categories: Iterable[str] | None = None
) -> tuple[frozenset[str], tuple[str, ...]]:
    """News boilerplate stop words from a YAML file keyed by category.

    Args:
        path: YAML file (default ``resources/stopwords_news.yml``).
        categories: categories to use (default all). Unknown names raise ``KeyError``
            listing the available ones.

    Returns:
        ``(exact_words, prefixes)``: entries ending in ``*`` become prefixes.

    Example:
        >>> words, prefixes = load_news_stop_words(categories=["weekdays"])
        >>> "monday" in words
        True
    """
    data = _read_stop_yaml(str(path or NEWS_STOPWORDS_FILE))
    cats = list(data) if categories is None else list(categories)
    unknown = [c for c in cats if c not in data]
    if unknown:
        raise KeyError(f"Unknown stop-word categories {unknown}; available: {sorted(data)}")
    exact, prefixes = set(), []
    for c in cats:
        for w in data[c]:
            if w.endswith("*"):
                prefixes.append(w[:-1])
            else:
                exact.add(w)
    return frozenset(exact), tuple(prefixes)


def outlet_stop_words(corpus: pd.DataFrame | None, token_pattern: str = DEFAULT_TOKEN_PATTERN):
    """Lower-cased word tokens of the corpus's outlet names (``outlet``, ``original_outlet``).

    Outlet names fill bylines and credits ("Global Research", "Global Times"), so they
    would otherwise become the top words of whichever topic an outlet writes most about.

    Example:
        >>> sorted(outlet_stop_words(pd.DataFrame({"outlet": ["Global Times"]})))
        ['global', 'times']
    """
    if corpus is None:
        return frozenset()
    pat = re.compile(token_pattern)
    words = set()
    for col in ("outlet", "original_outlet", "source"):
        if col in corpus.columns:
            for name in corpus[col].dropna().astype(str).unique():
                words.update(pat.findall(name.lower()))
    return frozenset(words)
