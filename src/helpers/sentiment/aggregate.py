"""Aggregation of scored units: group means with bootstrap intervals, and the units behind them.

:func:`aggregate_sentiment` averages a score by outlet, date or target (units averaged within
each document first, documents resampled for the interval); :func:`evidence` returns the most
negative and most positive units behind a number.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..agreement import bootstrap_mean_ci
from ..config import SEED


def aggregate_sentiment(
    scores: pd.DataFrame,
    by: str | Sequence[str] = (),
    value: str = "compound",
    cluster: str | None = "doc_id",
    n_boot: int = 1000,
    random_state: int = SEED,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Mean tone by group with a bootstrap interval.

    Sentences of one article are not independent (one author, one slant), so by default the
    units are first averaged within each document (``cluster="doc_id"``), and the interval
    resamples documents (percentile bootstrap, :func:`helpers.agreement.bootstrap_mean_ci`).
    With ``cluster=None`` units are resampled directly.

    In: a scored table with ``value`` and the ``by`` columns (join ``outlet``/``date`` from the
    corpus first). Out, one row per group: the ``by`` columns, ``n_units``, ``n_docs``,
    ``mean``, ``ci_low``, ``ci_high``, ``share_negative``, ``share_positive`` (of units with
    ``polarity`` -1/1 when that column exists). Groups with one document get an interval of
    zero width: read ``n_docs`` before comparing.

    >>> t = pd.DataFrame({"doc_id": list("aabb"), "outlet": ["X"] * 4, "compound": [0.1, 0.3, -0.2, 0.0]})
    >>> aggregate_sentiment(t, "outlet", n_boot=200)[["outlet", "n_docs", "mean"]].values.tolist()
    [['X', 2, 0.05]]
    """
    by = [by] if isinstance(by, str) else list(by)
    missing = [c for c in [*by, value] if c not in scores.columns]
    if missing:
        raise ValueError(
            f"aggregate_sentiment: columns {missing} not in the table "
            f"({list(scores.columns)}); merge them from the corpus on doc_id first"
        )
    data = scores.dropna(subset=[value])
    groups = data.groupby(by, dropna=False, sort=True) if by else [((), data)]
    rows = []
    for key, g in groups:
        key = key if isinstance(key, tuple) else (key,)
        if cluster and cluster in g.columns:
            vals = g.groupby(cluster, sort=False)[value].mean().to_numpy()
            n_docs = len(vals)
        else:
            vals = g[value].to_numpy()
            n_docs = g["doc_id"].nunique() if "doc_id" in g.columns else np.nan
        lo, hi = bootstrap_mean_ci(vals, n_boot=n_boot, random_state=random_state, alpha=alpha)
        row = dict(zip(by, key, strict=True))
        row.update(
            n_units=len(g),
            n_docs=n_docs,
            mean=float(np.mean(vals)) if len(vals) else np.nan,
            ci_low=lo,
            ci_high=hi,
        )
        if "polarity" in g.columns:
            pol = pd.to_numeric(g["polarity"], errors="coerce")
            row.update(
                share_negative=float((pol == -1).mean()), share_positive=float((pol == 1).mean())
            )
        rows.append(row)
    cols = [*by, "n_units", "n_docs", "mean", "ci_low", "ci_high"]
    out = pd.DataFrame(rows)
    if out.empty:
        return pd.DataFrame(columns=cols)
    return out


def evidence(
    scores: pd.DataFrame,
    value: str = "compound",
    n: int = 5,
    where: dict | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The units behind a number: the ``n`` most negative and ``n`` most positive rows.

    ``where`` filters first, e.g. ``{"outlet": "Global Research", "target": "China"}``, so one
    call shows the sentences behind a bar of a figure. Out: the chosen ``columns`` (default:
    whatever of ``doc_id, outlet, target, mention, text, value, drivers`` exists) plus
    ``extreme`` ("most negative"/"most positive"), sorted by ``value``.

    >>> t = pd.DataFrame({"doc_id": list("abc"), "text": ["x", "y", "z"], "compound": [-0.5, 0.1, 0.9]})
    >>> evidence(t, n=1)["text"].tolist()
    ['x', 'z']
    """
    data = scores
    for col, want in (where or {}).items():
        if col not in data.columns:
            raise ValueError(f"evidence: no column {col!r} to filter on ({list(data.columns)})")
        data = data[data[col].isin(want if isinstance(want, (list, tuple, set)) else [want])]
    data = data.dropna(subset=[value])
    if columns is None:
        columns = [
            c
            for c in (
                "doc_id",
                "outlet",
                "date",
                "target",
                "mention",
                "text",
                "sentence",
                value,
                "polarity",
                "drivers",
            )
            if c in data.columns
        ]
    low = data.nsmallest(n, value).assign(extreme="most negative")
    high = (
        data.drop(index=low.index, errors="ignore")
        .nlargest(n, value)
        .assign(extreme="most positive")
    )
    high = high[high[value] > 0]
    low = low[low[value] < 0]
    out = pd.concat([low, high.sort_values(value)])
    return out[[*columns, "extreme"]].reset_index(drop=True)
