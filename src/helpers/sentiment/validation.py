"""Validation of sentiment against hand labels: scores with intervals, and the reports of the
``validate targets`` / ``train targets`` commands.

:func:`validation_report` gives accuracy, macro-F1, per-class F1, the confusion matrix, Cohen's
kappa and Krippendorff's alpha with bootstrap intervals (built on :mod:`helpers.agreement`).
:func:`target_validation_report` and :func:`training_report` compute the JSON-ready dicts that
``python -m helpers validate targets`` / ``train targets`` print (see :mod:`helpers.cli.targets`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..agreement import (
    bootstrap_ci,
    classification_scores,
    cohen_kappa,
    krippendorff_alpha,
)
from ..config import SEED
from .newsmtsc import read_newsmtsc


def validation_report(
    y_true: Sequence,
    y_pred: Sequence,
    labels: Sequence | None = None,
    n_boot: int = 1000,
    random_state: int = SEED,
) -> dict:
    """Everything needed to judge a coder or model against hand labels, with intervals.

    Returns a JSON-ready dict: ``n``, ``accuracy``, ``macro_f1``, ``per_class`` (precision,
    recall, f1, support per label), ``labels``, ``confusion`` (rows = true, columns =
    predicted, in ``labels`` order), ``cohen_kappa``, ``krippendorff_alpha`` (nominal, the
    two codings as two coders) and ``ci`` with percentile bootstrap intervals (resampling
    units) for accuracy, macro-F1 and kappa.

    >>> r = validation_report([1, 0, -1, 1], [1, 0, 0, 1], n_boot=100)
    >>> r["accuracy"], r["labels"]
    (0.75, [-1, 0, 1])
    """
    y_true, y_pred = list(y_true), list(y_pred)
    if labels is None:
        labels = sorted(set(y_true) | set(y_pred), key=lambda v: (str(type(v)), v))
    labels = list(labels)
    rep = _scores(y_true, y_pred, labels)
    rep["cohen_kappa"] = cohen_kappa(y_true, y_pred)
    rep["krippendorff_alpha"] = krippendorff_alpha([y_true, y_pred], level="nominal")
    str_labels = [str(v) for v in labels]

    def acc(a, b):
        return float(np.mean(np.asarray(a, dtype=str) == np.asarray(b, dtype=str)))

    def macro(a, b):
        from sklearn.metrics import f1_score

        return float(
            f1_score(
                np.asarray(a, dtype=str),
                np.asarray(b, dtype=str),
                labels=str_labels,
                average="macro",
                zero_division=0,
            )
        )

    rep["ci"] = {
        "accuracy": list(
            bootstrap_ci(y_true, y_pred, acc, n_boot=n_boot, random_state=random_state)
        ),
        "macro_f1": list(
            bootstrap_ci(y_true, y_pred, macro, n_boot=n_boot, random_state=random_state)
        ),
        "cohen_kappa": list(
            bootstrap_ci(
                y_true, y_pred, cohen_kappa, n_boot=min(n_boot, 300), random_state=random_state
            )
        ),
    }
    return rep


def _scores(y_true: Sequence, y_pred: Sequence, labels: Sequence) -> dict:
    """classification_scores with labels passed as strings and mapped back.

    helpers.agreement pairs the codings as object arrays, which scikit-learn's metrics reject
    for integer labels ("unknown is not supported"); strings work for every label type.
    """
    labels = list(labels)
    as_str = {str(v): v for v in labels}
    rep = classification_scores(
        [None if pd.isna(v) else str(v) for v in y_true],
        [None if pd.isna(v) else str(v) for v in y_pred],
        labels=list(as_str),
    )
    rep["labels"] = [_plain(v) for v in labels]
    rep["per_class"] = {str(k): v for k, v in rep["per_class"].items()}
    return rep


def _plain(v):
    return v.item() if hasattr(v, "item") else v


def target_validation_report(
    file: str | Path, data: pd.DataFrame, pred: pd.DataFrame, method: str, model=None,
    n_boot: int = 1000,
) -> dict:
    """The report of ``validate targets``: which ``file`` and ``method``, then
    :func:`validation_report` of the predicted polarity (``pred``, from ``predict_polarity``)
    against the labels of ``data`` (``read_newsmtsc`` output), and the ``model``'s description
    when a trained model scored it."""
    rep = validation_report(
        data["polarity"].tolist(), pred["polarity"].tolist(), labels=[-1, 0, 1], n_boot=n_boot
    )
    rep = {"file": str(file), "method": method, **rep}
    if model is not None and hasattr(model, "describe"):
        rep["model"] = model.describe()
    return rep


def training_report(kind: str, saved_to: str | Path, train: pd.DataFrame, model, dev=None) -> dict:
    """The report of ``train targets``: what was trained on how many rows and where it was
    saved, plus the scores (without the confusion matrix) on the labelled file ``dev`` if given."""
    rep = {"kind": kind, "saved_to": str(saved_to), "n_train": len(train), **model.describe()}
    if dev:
        dev_data = read_newsmtsc(dev)
        pred = model.predict(dev_data)
        rep["dev"] = {
            "file": dev,
            **{
                k: v
                for k, v in _scores(
                    dev_data["polarity"].astype(int).tolist(), [int(v) for v in pred], labels=[-1, 0, 1]
                ).items()
                if k != "confusion"
            },
        }
    return rep
