"""Scores of frame predictions with 95 % bootstrap intervals over the sampled unit.

Every frame measure is scored the same way, in the locked validation and in
``python -m helpers validate frames``: macro-F1 over frames (multi-label, F1 of "present"
per frame) or over classes (multi-class, with accuracy beside it), each with a cluster
bootstrap interval over the units that were sampled (articles, sentences: rows with the same
cluster id are resampled together). The F1s are counted with numpy so a thousand resamples
take well under a second.

A frame or class that is neither coded nor predicted in a (re)sample has no F1; it is left out
of that sample's mean (scikit-learn's convention for classes, applied to frames too).

>>> Y = np.array([[1, 0], [1, 1], [0, 0], [0, 1]]); P = np.array([[1, 0], [0, 1], [0, 0], [1, 1]])
>>> round(macro_f1_multilabel(Y, P), 3)
0.75
>>> round(macro_f1_multiclass(np.array(["a", "b", "b"]), np.array(["a", "b", "a"]), ["a", "b"]), 3)
0.667
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..config import SEED
from ..validation import always_yes, cluster_bootstrap, majority_class


def _f1(tp, fp, fn) -> np.ndarray:
    tp, fp, fn = (np.asarray(x, dtype=float) for x in (tp, fp, fn))
    den = 2 * tp + fp + fn
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, 2 * tp / np.where(den > 0, den, 1), np.nan)


def per_frame_f1(Y: np.ndarray, P: np.ndarray) -> np.ndarray:
    """F1 of "present" for every column of two 0/1 matrices (NaN: neither coded nor predicted)."""
    Y, P = np.asarray(Y, dtype=bool), np.asarray(P, dtype=bool)
    return _f1((Y & P).sum(0), (~Y & P).sum(0), (Y & ~P).sum(0))


def macro_f1_multilabel(Y: np.ndarray, P: np.ndarray) -> float:
    """Mean of the per-frame F1s (frames without an F1 in this sample left out)."""
    f = per_frame_f1(Y, P)
    return float(np.nanmean(f)) if np.isfinite(f).any() else float("nan")


def macro_f1_multiclass(y: np.ndarray, p: np.ndarray, labels: Sequence) -> float:
    """Mean F1 over ``labels`` that occur in ``y`` or ``p``."""
    y, p = np.asarray(y, dtype=object), np.asarray(p, dtype=object)
    f = [
        _f1(
            np.sum((y == lab) & (p == lab)),
            np.sum((y != lab) & (p == lab)),
            np.sum((y == lab) & (p != lab)),
        )
        for lab in labels
    ]
    f = np.array(f, dtype=float)
    return float(np.nanmean(f)) if np.isfinite(f).any() else float("nan")


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = _f1(tp, fp, fn)
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": None if np.isnan(f) else round(float(f), 3),
        "support": int(tp + fn),
    }


def score_multilabel(
    Y: np.ndarray,
    P: np.ndarray,
    labels: Sequence[str],
    clusters: Sequence,
    n_boot: int = 1000,
    random_state: int = SEED,
) -> dict:
    """Macro-F1 over frames with its bootstrap interval, and precision/recall/F1 per frame.

    Out: ``macro_f1``, ``ci`` ([lo, hi]), ``per_frame`` {frame: precision, recall, f1,
    support}, ``n``.
    """
    Y, P = np.asarray(Y, dtype=int), np.asarray(P, dtype=int)
    per = {
        lab: _prf(
            int(((Y[:, j] == 1) & (P[:, j] == 1)).sum()),
            int(((Y[:, j] == 0) & (P[:, j] == 1)).sum()),
            int(((Y[:, j] == 1) & (P[:, j] == 0)).sum()),
        )
        for j, lab in enumerate(labels)
    }
    lo, hi = cluster_bootstrap(
        lambda i: macro_f1_multilabel(Y[i], P[i]), clusters, n_boot, random_state
    )
    return {
        "macro_f1": macro_f1_multilabel(Y, P),
        "ci": [lo, hi],
        "per_frame": per,
        "n": int(len(Y)),
    }


def score_multiclass(
    y: Sequence,
    p: Sequence,
    labels: Sequence,
    clusters: Sequence,
    n_boot: int = 1000,
    random_state: int = SEED,
) -> dict:
    """Macro-F1 and accuracy, each with its bootstrap interval, and F1 per class.

    Out: ``macro_f1``, ``ci``, ``accuracy``, ``accuracy_ci``, ``per_frame`` (per class), ``n``.
    """
    y, p = np.asarray(list(y), dtype=object), np.asarray(list(p), dtype=object)
    labels = list(labels)
    per = {
        str(lab): _prf(
            int(np.sum((y == lab) & (p == lab))),
            int(np.sum((y != lab) & (p == lab))),
            int(np.sum((y == lab) & (p != lab))),
        )
        for lab in labels
    }
    lo, hi = cluster_bootstrap(
        lambda i: macro_f1_multiclass(y[i], p[i], labels), clusters, n_boot, random_state
    )
    alo, ahi = cluster_bootstrap(
        lambda i: float(np.mean(y[i] == p[i])), clusters, n_boot, random_state
    )
    return {
        "macro_f1": macro_f1_multiclass(y, p, labels),
        "ci": [lo, hi],
        "accuracy": float(np.mean(y == p)) if len(y) else float("nan"),
        "accuracy_ci": [alo, ahi],
        "per_frame": per,
        "n": int(len(y)),
    }


def multilabel_baselines(
    Y_train: np.ndarray,
    Y_test: np.ndarray,
    labels: Sequence[str],
    clusters: Sequence,
    n_boot: int = 1000,
    random_state: int = SEED,
) -> dict[str, dict]:
    """The trivial multi-label predictions scored like a method.

    ``always-yes``: every frame in every unit. ``majority per frame``: each frame's majority
    value in the *training* labels (``Y_train``), for every unit.
    """
    Y_train, Y_test = np.asarray(Y_train, dtype=int), np.asarray(Y_test, dtype=int)
    n = len(Y_test)
    majority = (
        np.column_stack(
            [
                np.full(n, int(majority_class(Y_train[:, j].tolist(), 1)[0]))
                for j in range(Y_test.shape[1])
            ]
        )
        if n
        else np.zeros((0, Y_test.shape[1]), int)
    )
    return {
        "always-yes": score_multilabel(
            Y_test, always_yes(n, labels), labels, clusters, n_boot, random_state
        ),
        "majority per frame": score_multilabel(
            Y_test, majority, labels, clusters, n_boot, random_state
        ),
    }


def baseline_entry(name: str, scored: dict, key: str = "macro_f1", ci_key: str = "ci") -> dict:
    """A ``{"name", "score", "ci"}`` entry for :class:`helpers.validation.ValidationRecord`."""
    return {"name": name, "score": scored[key], "ci": list(scored[ci_key])}
