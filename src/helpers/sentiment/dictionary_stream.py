"""The counting dictionary on texts VADER has already split: no second tokenisation.

:func:`level_scores <.scores.level_scores>` splits every distinct sentence on whitespace for
VADER and keeps each whitespace token's id in VADER's vocabulary. The dictionary's tokens of a
text are the dictionary tokens of its whitespace tokens in order (its token pattern matches no
whitespace character, so no match spans two of them; lower-casing and ’ -> ' act per token), so
:class:`WordTokens` finds the dictionary tokens of each *distinct* whitespace token once and
:func:`stream_columns` expands a text stream of VADER ids into the dictionary's token ids by
array indexing, then scores it as :func:`.dictionaries._score_columns` does: the same values,
without the regex pass and the per-token look-ups over every sentence.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .dictionaries import SentimentDictionary, _score_texts, _token_ids, _token_lists, _Vocabulary
from .dictionaries import score_stream as _score_stream

#: The dictionary's columns of a sentence in :func:`.scores.level_scores` (sentence rows only).
DICTIONARY_COLUMNS = ["dictionary_n_words", "dictionary_positive", "dictionary_negative", "dictionary_drivers"]


class WordTokens:
    """VADER token id -> the ids of its dictionary tokens (in ``vocab``, a vocabulary of the
    dictionary's bulk path without a separator token: every token here is a text's), for the
    ids VADER's vocabulary ``source`` has given so far (extended as it grows)."""

    def __init__(self, source):
        self.source = source  # vader_batch.Vocabulary: its ``tokens`` list, id -> token
        self.vocab = _Vocabulary(separator=None)
        self.lo = np.zeros(0, dtype=np.int64)  # where each VADER id's dictionary ids start in ``flat``
        self.n = np.zeros(0, dtype=np.int64)  # how many it has
        self.flat = np.zeros(0, dtype=np.int64)

    def update(self, dictionary: SentimentDictionary) -> None:
        """Map the VADER ids given since the last call."""
        new = self.source.tokens[len(self.n):]
        if not new:
            return
        lists = _token_lists(new)  # each whitespace token's dictionary tokens, lower-cased as a text's
        n = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        flat = [t for toks in lists for t in toks]
        ids = _token_ids(self.vocab, flat, dictionary) if flat else np.zeros(0, dtype=np.int64)
        self.lo = np.concatenate([self.lo, len(self.flat) + np.cumsum(n) - n])
        self.n = np.concatenate([self.n, n])
        self.flat = np.concatenate([self.flat, ids])


def _word_tokens(dictionary: SentimentDictionary, source) -> WordTokens:
    """The dictionary's map from ``source`` (VADER's vocabulary), brought up to date."""
    words = dictionary._words
    if words is None or words.source is not source:
        words = dictionary._words = WordTokens(source)
    words.update(dictionary)
    return words


def stream_columns(texts: list[str], stream, source, dictionary: SentimentDictionary,
                   negation_window: int) -> dict:
    """Columns ``n_words``, ``positive``, ``negative``, ``drivers`` of :func:`.dictionaries.
    dictionary_scores` for ``texts``, given VADER's whitespace token stream of them: ``stream``
    is ``(ids, starts, ends)`` (ids in ``source``, VADER's vocabulary; text ``k`` is
    ``ids[starts[k]:ends[k]]``, anything between texts is ignored).

    >>> from helpers.sentiment.scores import _scorer
    >>> from helpers.sentiment.vader_batch import _token_stream
    >>> from helpers.sentiment import load_dictionary
    >>> texts = ["They did not agree.", "A threat, sadly!"]
    >>> s = _scorer()
    >>> cols = stream_columns(texts, _token_stream(s._tokens, texts)[1:], s._tokens, load_dictionary(), 3)
    >>> cols["negative"].tolist(), cols["drivers"]
    ([1.0, 2.0], ['NOT agree (-1.00)', 'threat (-1.00); sadly (-1.00)'])
    """
    if not isinstance(negation_window, int):
        return _columns(_score_texts(texts, dictionary, negation_window))
    ids, starts, ends = (np.asarray(a, dtype=np.int64) for a in stream)
    words = _word_tokens(dictionary, source)
    n = words.n[ids]  # dictionary tokens of each whitespace token
    cum = np.concatenate([[0], np.cumsum(n)])
    flat = words.flat[np.repeat(words.lo[ids] - cum[:-1], n) + np.arange(cum[-1], dtype=np.int64)]
    return _score_stream(words.vocab, flat, cum[starts], cum[ends], dictionary, negation_window)


def _columns(rows) -> dict:
    return {
        "n_words": np.asarray([r[0] for r in rows], dtype=np.int64),
        "positive": np.asarray([r[1] for r in rows], dtype=float),
        "negative": np.asarray([r[2] for r in rows], dtype=float),
        "drivers": [r[3] for r in rows],
    }


def dictionary_table(units: pd.DataFrame, columns: pd.DataFrame) -> pd.DataFrame:
    """The table :func:`.dictionaries.dictionary_scores` gives for ``units`` (sentences of
    :func:`.scores.level_scores`: id columns and ``text``), from the dictionary's
    :data:`DICTIONARY_COLUMNS` ``columns`` of the same rows that ``level_scores`` computed
    with that dictionary and negation window: the same columns, values and dtypes."""
    keep = [c for c in ("unit_id", "doc_id", "level", "position", "paragraph") if c in units.columns]
    out = units[[*keep, "text"]].reset_index(drop=True)
    for name, c in zip(("n_words", "positive", "negative", "drivers"), DICTIONARY_COLUMNS, strict=True):
        out[name] = columns[c].to_numpy() if name != "drivers" else columns[c].reset_index(drop=True)
    out["score"] = np.log((out["positive"] + 0.5) / (out["negative"] + 0.5))
    out["per_100_words"] = np.where(
        out["n_words"] > 0,
        (out["positive"] - out["negative"]) / out["n_words"].clip(lower=1) * 100,
        0.0,
    )
    return out[[*keep, "text", "n_words", "positive", "negative", "score", "per_100_words", "drivers"]]
