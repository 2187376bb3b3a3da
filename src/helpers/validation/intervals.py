"""Bootstrap intervals over the unit that was sampled.

NewsMTSC samples sentences, several targets may share one: resampling targets would treat
them as independent and make the interval too narrow. :func:`cluster_bootstrap` resamples
clusters (sentences, articles, documents) with replacement and recomputes the metric on all
rows of the drawn clusters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..config import SEED


def cluster_bootstrap(metric: Callable[[np.ndarray], float], clusters: Sequence, n_boot: int = 1000,
                      random_state: int = SEED, alpha: float = 0.05) -> tuple[float, float]:
    """Percentile interval of ``metric(rows)`` over ``n_boot`` resamples of whole clusters.

    ``metric`` takes an integer array of row positions (with repeats) and returns a number;
    ``clusters`` gives each row's cluster id. Returns ``(nan, nan)`` without rows.

    >>> y = np.array([1, 1, 0, 0, 1, 0]); p = np.array([1, 0, 0, 0, 1, 1])
    >>> lo, hi = cluster_bootstrap(lambda i: float((y[i] == p[i]).mean()), ["a", "a", "b", "b", "c", "c"], n_boot=200)
    >>> 0.0 <= lo <= hi <= 1.0
    True
    """
    codes, _ = pd.factorize(pd.Series(list(clusters), dtype=object))
    if len(codes) == 0:
        return (float("nan"), float("nan"))
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(codes.max() + 1))
    ends = np.append(starts[1:], len(codes))
    members = [order[s:e] for s, e in zip(starts, ends, strict=True)]
    rng = np.random.default_rng(random_state)
    stats = np.empty(n_boot)
    for b in range(n_boot):
        drawn = rng.integers(0, len(members), size=len(members))
        stats[b] = metric(np.concatenate([members[c] for c in drawn]))
    return (float(np.nanquantile(stats, alpha / 2)), float(np.nanquantile(stats, 1 - alpha / 2)))
