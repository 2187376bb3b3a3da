"""Agreement and validation metrics between two codings (human vs. human or human vs. model).

All functions take plain sequences of labels; missing codes are ``None`` or NaN.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import (
    cohen_kappa_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from .config import SEED


def _paired(a: Sequence, b: Sequence) -> tuple[np.ndarray, np.ndarray]:
    a = pd.Series(list(a), dtype=object)
    b = pd.Series(list(b), dtype=object)
    if len(a) != len(b):
        raise ValueError(f"the two codings have different lengths ({len(a)} and {len(b)})")
    keep = a.notna() & b.notna()
    # back to plain typed arrays (ints, strings) so scikit-learn recognises the label type
    x, y = np.array(a[keep].tolist()), np.array(b[keep].tolist())
    if x.dtype.kind != y.dtype.kind and len(x) and len(y):
        x, y = x.astype(str), y.astype(str)
    return x, y


def cohen_kappa(a: Sequence, b: Sequence, weights: str | None = None) -> float:
    """Cohen's kappa between two codings of the same units (pairs with a missing code dropped).

    Undefined (NaN) when there are no pairs, or when both codings use one and the same
    category everywhere: chance agreement is then 1 and kappa is 0/0 — raw agreement is 100 %
    but says nothing about the coders' ability to tell categories apart. Report percent
    agreement beside it in that case.

    >>> round(cohen_kappa([1, 0, 1, 1], [1, 0, 0, 1]), 3)
    0.5
    >>> cohen_kappa(["yes", "yes"], ["yes", "yes"])
    nan
    """
    x, y = _paired(a, b)
    if len(x) == 0 or len(set(x) | set(y)) == 1:
        return float("nan")
    return float(cohen_kappa_score(x.astype(str), y.astype(str), weights=weights))


def krippendorff_alpha(data, level: str = "nominal") -> float:
    """Krippendorff's alpha for coders x units (NaN/None = missing), nominal/ordinal/interval.

    Uses the coincidence-matrix formulation (Krippendorff 2011, "Computing Krippendorff's
    alpha-reliability"): alpha = 1 - D_o / D_e, computed over units coded by at least two
    coders. Ordinal and interval levels need numeric codes.

    >>> round(krippendorff_alpha([[1, 2, 3, 3], [1, 2, 3, 4]]), 3)
    0.696
    """
    frame = pd.DataFrame(np.asarray(data, dtype=object))
    values = sorted({v for v in frame.to_numpy().ravel() if v is not None and not pd.isna(v)},
                    key=lambda v: (str(type(v)), v))
    if len(values) < 2:
        return float("nan") if not values else 1.0
    index = {v: i for i, v in enumerate(values)}
    m = len(values)
    coincidence = np.zeros((m, m))
    for col in frame.columns:
        codes = [index[v] for v in frame[col] if v is not None and not pd.isna(v)]
        n_u = len(codes)
        if n_u < 2:
            continue
        counts = np.bincount(codes, minlength=m).astype(float)
        coincidence += (np.outer(counts, counts) - np.diag(counts)) / (n_u - 1)
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    if n <= 1:
        return float("nan")
    if level == "nominal":
        delta = 1.0 - np.eye(m)
    elif level == "interval":
        v = np.asarray(values, dtype=float)
        delta = (v[:, None] - v[None, :]) ** 2
    elif level == "ordinal":
        delta = np.zeros((m, m))
        for i in range(m):
            for j in range(m):
                lo, hi = min(i, j), max(i, j)
                # ordinal distance: the mass of values between the two ranks, ends counted half
                delta[i, j] = 0.0 if i == j else (n_c[lo:hi + 1].sum() - (n_c[lo] + n_c[hi]) / 2) ** 2
    else:
        raise ValueError(f"level must be nominal, ordinal or interval, not {level!r}")
    d_o = (coincidence * delta).sum() / n
    d_e = (np.outer(n_c, n_c) * delta).sum() / (n * (n - 1))
    return float(1.0 - d_o / d_e) if d_e > 0 else 1.0


def classification_scores(y_true: Sequence, y_pred: Sequence, labels: Sequence | None = None) -> dict:
    """Accuracy, macro-F1, per-class precision/recall/F1/support and the confusion matrix.

    Returns a JSON-ready dict: ``{"n", "accuracy", "macro_f1", "labels", "per_class":
    {label: {"precision", "recall", "f1", "support"}}, "confusion": [[...]]}`` where
    ``confusion[i][j]`` counts true ``labels[i]`` predicted as ``labels[j]``.
    """
    x, y = _paired(y_true, y_pred)
    if labels is None:
        labels = sorted(set(x) | set(y), key=str)
    labels = list(labels)
    p, r, f, s = precision_recall_fscore_support(x, y, labels=labels, zero_division=0)
    return {
        "n": int(len(x)),
        "accuracy": float(np.mean(x == y)) if len(x) else float("nan"),
        "macro_f1": float(f1_score(x, y, labels=labels, average="macro", zero_division=0)),
        "labels": [_jsonable(v) for v in labels],
        "per_class": {
            str(_jsonable(lab)): {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                                  "support": int(s[i])}
            for i, lab in enumerate(labels)
        },
        "confusion": confusion_matrix(x, y, labels=labels).tolist(),
    }


def _jsonable(v):
    return v.item() if hasattr(v, "item") else v


def macro_f1(y_true, y_pred) -> float:
    return float(f1_score(y_true, y_pred, average="macro", zero_division=0))


def bootstrap_ci(y_true: Sequence, y_pred: Sequence, metric: Callable = macro_f1, n_boot: int = 1000,
                 random_state: int = SEED, alpha: float = 0.05) -> tuple[float, float]:
    """Percentile bootstrap interval of ``metric(y_true, y_pred)`` resampling units.

    >>> lo, hi = bootstrap_ci([0, 1, 1, 0] * 10, [0, 1, 0, 0] * 10, n_boot=200)
    """
    x, y = _paired(y_true, y_pred)
    if len(x) == 0:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(random_state)
    idx = rng.integers(0, len(x), size=(n_boot, len(x)))
    stats = np.array([metric(x[i], y[i]) for i in idx])
    return (float(np.quantile(stats, alpha / 2)), float(np.quantile(stats, 1 - alpha / 2)))


#: Indices drawn at once by :func:`bootstrap_mean_ci` (8 MB of int64).
BOOTSTRAP_BLOCK_VALUES = 1_000_000


def bootstrap_mean_ci(values: Sequence[float], n_boot: int = 1000, random_state: int = SEED,
                      alpha: float = 0.05) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean; ``(nan, nan)`` for no values, the value for one.

    Resamples are drawn a block at a time (about :data:`BOOTSTRAP_BLOCK_VALUES` indices), so
    memory stays bounded at any number of values; numpy draws the same stream in blocks as in
    one call, so the interval is the one a single ``(n_boot, n)`` draw gives (tested).
    """
    v = np.asarray(pd.Series(list(values), dtype=float).dropna())
    if len(v) == 0:
        return (float("nan"), float("nan"))
    if len(v) == 1:
        return (float(v[0]), float(v[0]))
    rng = np.random.default_rng(random_state)
    rows = max(1, BOOTSTRAP_BLOCK_VALUES // len(v))
    means = np.concatenate([v[rng.integers(0, len(v), size=(min(rows, n_boot - lo), len(v)))].mean(axis=1)
                            for lo in range(0, n_boot, rows)])
    return (float(np.quantile(means, alpha / 2)), float(np.quantile(means, 1 - alpha / 2)))
