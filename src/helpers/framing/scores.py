"""Dictionary frame scores: every match in every unit, rates per 1,000 tokens, the top frame.

Every function takes a corpus (``doc_id``, ``text``) or a units table (:func:`as_units`) and
returns a tidy DataFrame with the evidence (the matched words) next to each score, so a reader
can see why a unit got its score: :func:`frame_matches` lists every hit with its offsets and
whether it is negated; :func:`frame_scores` turns the hits into scores per 1,000 tokens per
unit and frame; :func:`frame_matrix` and :func:`dominant_frame` reshape and summarise them.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from .dictionaries import FrameDictionary, as_dictionary
from .matcher import Matcher
from .units import as_units

_UNIT_COLS = ["unit_id", "doc_id", "level", "position"]


def _unit_meta(u: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in _UNIT_COLS if c in u.columns]
    return u[cols]


def frame_matches(
    data: pd.DataFrame, scheme="generic", level: str = "document", negation_window: int = 3
) -> pd.DataFrame:
    """Every dictionary match in every unit.

    In: a corpus (``doc_id``, ``text``) or a units table. ``scheme``: ``"generic"``,
    ``"policy"``, ``"territorial"``, a YAML path or a :class:`FrameDictionary`.
    Out, one row per match: ``unit_id``, ``doc_id``, ``level``, ``position``, ``scheme``,
    ``frame``, ``entry`` (the dictionary entry), ``term`` (the text matched), ``start``/``end``
    (character offsets in the document text when the units carry ``start``, else in the unit),
    ``negated`` (a negator within ``negation_window`` tokens before), ``negator``.

    >>> import pandas as pd
    >>> m = frame_matches(pd.DataFrame({"doc_id": ["a"], "text": ["The dispute is not about money."]}))
    >>> m[["frame", "term", "negated"]].values.tolist()
    [['conflict', 'dispute', False], ['economic', 'money', True]]
    """
    d = as_dictionary(scheme)
    u = as_units(data, level)
    rows, _ = _match_units(u, d, level, negation_window)
    return pd.DataFrame(
        rows,
        columns=[
            "unit_id",
            "doc_id",
            "level",
            "position",
            "scheme",
            "frame",
            "entry",
            "term",
            "start",
            "end",
            "negated",
            "negator",
        ],
    )


def _matcher_for(d: FrameDictionary) -> Matcher:
    # one matcher per dictionary object, so its token cache survives across calls
    m = getattr(d, "_matcher", None)
    if m is None:
        m = Matcher(d.categories)
        object.__setattr__(d, "_matcher", m)
    return m


def _match_units(u: pd.DataFrame, d: FrameDictionary, level: str, negation_window: int):
    matcher = _matcher_for(d)
    rows, ntok = [], {}
    n = len(u)
    offsets = u["start"].clip(lower=0).tolist() if "start" in u.columns else [0] * n
    levels = u["level"].tolist() if "level" in u.columns else [level] * n
    positions = u["position"].tolist() if "position" in u.columns else [0] * n
    for uid, did, lev, pos, text, off in zip(
        u["unit_id"], u["doc_id"], levels, positions, u["text"], offsets, strict=True
    ):
        text = text if isinstance(text, str) else ""
        found = matcher.find(text, negation_window)
        ntok[uid] = matcher.last_n_tokens
        for m in found:
            rows.append(
                (
                    uid,
                    did,
                    lev,
                    pos,
                    d.name,
                    m["key"],
                    m["entry"],
                    m["term"],
                    off + m["start"],
                    off + m["end"],
                    m["negated"],
                    m["negator"],
                )
            )
    return rows, ntok


def frame_scores(
    data: pd.DataFrame,
    scheme="generic",
    level: str = "document",
    negation: bool = True,
    negation_window: int = 3,
    max_evidence: int = 12,
) -> pd.DataFrame:
    """Dictionary frame scores per unit and frame (long format), with the evidence.

    In: a corpus or units table (see :func:`frame_matches`). Out, one row per unit x frame:
    ``unit_id``, ``doc_id``, ``level``, ``position``, ``scheme``, ``frame``, ``label``,
    ``n_matches`` (hits counted in the score), ``n_negated`` (hits left out because negated;
    counted when ``negation=False``), ``n_tokens``, ``per_1000`` (hits per 1,000 tokens),
    ``evidence`` (the distinct matched words, most frequent first, ``;``-separated).

    >>> import pandas as pd
    >>> s = frame_scores(pd.DataFrame({"doc_id": ["a"], "text": ["A bitter dispute over the cost."]}))
    >>> int(s.set_index("frame").loc["conflict", "n_matches"])
    1
    """
    d = as_dictionary(scheme)
    u = as_units(data, level)
    rows, n_tok = _match_units(u, d, level, negation_window)
    m = pd.DataFrame(
        [(r[0], r[5], r[7], r[10]) for r in rows], columns=["unit_id", "frame", "term", "negated"]
    )
    meta = _unit_meta(u)
    frames = list(d.categories)
    grid = meta.loc[meta.index.repeat(len(frames))].reset_index(drop=True)
    grid["scheme"] = d.name
    grid["frame"] = frames * len(meta)
    grid["label"] = [d.label(f) for f in grid["frame"]]
    # plain dicts: a pandas groupby with a per-group lambda is ~10x slower on large corpora
    counts: dict[tuple, Counter] = {}
    negs: dict[tuple, int] = {}
    for uid, frame, term, negated in zip(
        m["unit_id"], m["frame"], m["term"], m["negated"], strict=True
    ):
        if negated:
            negs[(uid, frame)] = negs.get((uid, frame), 0) + 1
            if negation:
                continue
        counts.setdefault((uid, frame), Counter())[term.lower()] += 1
    keys = list(zip(grid["unit_id"], grid["frame"], strict=True))
    grid["n_matches"] = [sum(counts[k].values()) if k in counts else 0 for k in keys]
    grid["n_negated"] = [negs.get(k, 0) for k in keys]
    grid["evidence"] = [
        "; ".join(t for t, _ in counts[k].most_common(max_evidence)) if k in counts else ""
        for k in keys
    ]
    grid["n_tokens"] = grid["unit_id"].map(n_tok).astype(int)
    grid["per_1000"] = np.where(
        grid["n_tokens"] > 0, 1000 * grid["n_matches"] / grid["n_tokens"].clip(lower=1), 0.0
    )
    return grid[
        [
            "unit_id",
            "doc_id",
            "level",
            "position",
            "scheme",
            "frame",
            "label",
            "n_matches",
            "n_negated",
            "n_tokens",
            "per_1000",
            "evidence",
        ]
    ]


def frame_matrix(
    scores: pd.DataFrame, value: str = "per_1000", index: str = "unit_id"
) -> pd.DataFrame:
    """Wide view of :func:`frame_scores`: one row per ``index``, one column per frame."""
    return scores.pivot_table(
        index=index, columns="frame", values=value, aggfunc="sum", fill_value=0, sort=False
    )


def dominant_frame(scores: pd.DataFrame, min_matches: int = 1) -> pd.DataFrame:
    """The frame with the highest ``per_1000`` in each unit (``"none"`` below ``min_matches``).

    Out: ``unit_id``, ``doc_id``, ``level``, ``position``, ``frame``, ``per_1000``, ``evidence``.
    """
    s = scores.sort_values(["unit_id", "per_1000", "n_matches"], ascending=[True, False, False])
    top = s.drop_duplicates("unit_id").copy()
    top.loc[top["n_matches"] < min_matches, ["frame", "evidence"]] = ["none", ""]
    top.loc[top["n_matches"] < min_matches, "per_1000"] = 0.0
    cols = [
        c
        for c in ["unit_id", "doc_id", "level", "position", "frame", "per_1000", "evidence"]
        if c in top
    ]
    order = scores.drop_duplicates("unit_id")["unit_id"]
    return top.set_index("unit_id").loc[order].reset_index()[cols]
