"""VADER tone of tables: one score per unit, or per mention window, with its driving words.

``vader_scores`` scores every unit of a units table or corpus (``unit_scores`` splits the
documents into units first, per document, for ``map_documents``), ``driver_terms`` turns the
``drivers`` column into a long table of words, ``vader_target_scores`` is the lexicon baseline of
entity-targeted tone (VADER on the words around each mention), and ``polarity_from_score`` maps
a score to -1/0/1. All share one :class:`~.vader.VaderScorer` (``_scorer()``), so its token and
text caches serve every call.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .. import text
from .vader import VaderScorer

_DEFAULT_SCORER: VaderScorer | None = None


def _scorer() -> VaderScorer:
    global _DEFAULT_SCORER
    if _DEFAULT_SCORER is None:
        _DEFAULT_SCORER = VaderScorer()
    return _DEFAULT_SCORER


def polarity_from_score(score, neutral_band: float = 0.05):
    """Map a compound-like score to -1/0/1 (VADER's own convention: |score| < 0.05 is neutral).

    >>> polarity_from_score(np.array([-0.3, 0.01, 0.2])).tolist()
    [-1, 0, 1]
    """
    s = np.asarray(score, dtype=float)
    out = np.where(s >= neutral_band, 1, np.where(s <= -neutral_band, -1, 0))
    return out if out.ndim else int(out)


_DRIVER_RE = re.compile(r"(.+?) \(([+-]\d+(?:\.\d+)?)\)$")
_ID_COLS = ("unit_id", "doc_id", "level", "position", "paragraph")


def _units_of(table: pd.DataFrame) -> pd.DataFrame:
    """Accept a units table or a corpus (scored at document level)."""
    if "text" not in table.columns:
        raise ValueError(
            f"the table needs a 'text' column (got {list(table.columns)}); pass a corpus "
            "from load_corpus or a units table from helpers.text.units"
        )
    if "unit_id" in table.columns:
        return table
    if "doc_id" not in table.columns:
        raise ValueError("the table needs a 'doc_id' column (a corpus) or 'unit_id' (units)")
    out = pd.DataFrame(
        {
            "unit_id": table["doc_id"].astype(str) + ":d",
            "doc_id": table["doc_id"],
            "level": "document",
            "position": 0,
            "paragraph": 0,
            "text": table["text"],
        }
    )
    return out


def vader_scores(
    table: pd.DataFrame, scorer: VaderScorer | None = None, neutral_band: float = 0.05
) -> pd.DataFrame:
    """VADER sentiment of every unit (sentence, paragraph or document).

    In: a units table (``helpers.text.units``) or a corpus (then documents are the units).
    Out, one row per unit: ``unit_id``, ``doc_id``, ``level``, ``position``, ``paragraph``
    (those present in the input), ``text``, ``n_words`` (whitespace words), ``compound``
    (-1..1, VADER's normalised sum), ``pos``/``neu``/``neg`` (VADER's proportions),
    ``polarity`` (-1/0/1 with ``|compound| < neutral_band`` neutral), ``drivers`` (the words
    that carried valence after negation/booster rules, e.g. ``"threat (-2.40); peace (+1.80)"``).

    VADER was built on social-media text: on news its compound is driven by a few loaded words
    (``war``, ``attack``, ``support``); read the drivers before trusting a number.

    >>> float(vader_scores(pd.DataFrame({"doc_id": ["a"], "text": ["A great deal."]}))["compound"].iloc[0])
    0.6249
    """
    units = _units_of(table)
    scored = (scorer or _scorer()).score_texts(units["text"].tolist(), n_words=True)
    keep = [c for c in _ID_COLS if c in units.columns]
    out = units[keep + ["text"]].reset_index(drop=True).copy()
    out["n_words"] = scored.pop("n_words")  # whitespace words, 0 for a missing text
    out = pd.concat([out, scored], axis=1)
    out["polarity"] = polarity_from_score(out["compound"].to_numpy(), neutral_band)
    return out[keep + ["text", "n_words", "compound", "pos", "neu", "neg", "polarity", "drivers"]]


def unit_scores(
    corpus: pd.DataFrame, level: str = "sentence", neutral_band: float = 0.05
) -> pd.DataFrame:
    """VADER scores of every ``level`` unit of the documents: :func:`vader_scores` of
    ``helpers.text.units(corpus, level)`` (same columns, without ``start``/``end``), in one
    document-separable step for ``helpers.compute.map_documents`` (a corpus is cheaper to key
    and to send to workers than its units table).

    >>> unit_scores(pd.DataFrame({"doc_id": ["a"], "text": ["Good. Bad."]}))["compound"].tolist()
    [0.4404, -0.5423]
    """
    return vader_scores(text.units(corpus, level), neutral_band=neutral_band)


def driver_terms(scores: pd.DataFrame) -> pd.DataFrame:
    """Long table of the words behind the scores: one row per unit and driving word.

    In: the output of :func:`vader_scores` or :func:`dictionary_scores` (a ``drivers`` column).
    Out: ``unit_id``, ``doc_id``, ``term`` (lower-cased), ``valence`` (float). Count or sum it
    with pandas to see which words make the coverage look negative.

    >>> s = vader_scores(pd.DataFrame({"doc_id": ["a"], "text": ["War and peace."]}))
    >>> driver_terms(s)[["term", "valence"]].values.tolist()
    [['war', -2.9], ['peace', 2.5]]
    """
    rows = []
    parsed: dict[str, tuple[str, float] | None] = {}  # each distinct "word (+1.90)" parsed once
    for uid, did, drivers in zip(
        scores["unit_id"].tolist(), scores["doc_id"].tolist(), scores["drivers"].tolist(),
        strict=True,
    ):
        if not isinstance(drivers, str) or not drivers:
            continue
        for part in drivers.split("; "):
            hit = parsed.get(part, False)
            if hit is False:
                m = _DRIVER_RE.match(part)
                hit = parsed[part] = (m.group(1).lower(), float(m.group(2))) if m else None
            if hit is not None:
                rows.append((uid, did, *hit))
    return pd.DataFrame(rows, columns=["unit_id", "doc_id", "term", "valence"])


def _window(sentence: str, start: int, end: int, window: int) -> str:
    left = sentence[:start].split()
    right = sentence[end:].split()
    return " ".join([*left[max(0, len(left) - window) :], sentence[start:end], *right[:window]])


def vader_target_scores(
    frame: pd.DataFrame,
    window: int | None = 10,
    scorer: VaderScorer | None = None,
    neutral_band: float = 0.05,
) -> pd.DataFrame:
    """Lexicon baseline: VADER's compound on the ``window`` words either side of each mention
    (``None`` = the whole sentence).

    In: ``sentence``, ``from``, ``to``. Out: ``score`` (compound), ``polarity`` (-1/0/1),
    ``drivers``, index aligned with the input.

    >>> f = pd.DataFrame({"sentence": ["Critics attacked Japan, but praised Seoul."], "from": [17], "to": [22]})
    >>> vader_target_scores(f, window=2)["polarity"].tolist()
    [-1]
    """
    scorer = scorer or _scorer()
    texts = [
        s if window is None else _window(s, a, b, window)
        for s, a, b in zip(frame["sentence"], frame["from"], frame["to"], strict=True)
    ]
    scored = scorer.score_texts(texts)
    return pd.DataFrame(
        {
            "score": scored["compound"].to_numpy(),
            "polarity": polarity_from_score(scored["compound"].to_numpy(), neutral_band),
            "drivers": scored["drivers"].to_numpy(),
        },
        index=frame.index,
    )
