"""Validation of sentiment against hand labels: scores with intervals, and the reports of the
``validate targets`` / ``train targets`` commands.

:func:`validation_report` gives accuracy, macro-F1, per-class F1, the confusion matrix, Cohen's
kappa and Krippendorff's alpha with bootstrap intervals (built on :mod:`helpers.agreement`).
:func:`target_validation_report` and :func:`training_report` compute the JSON-ready dicts that
``python -m helpers validate targets`` / ``train targets`` print (see :mod:`helpers.cli.targets`);
:func:`score_coded_file` is ``validate targets FILE``: a hand-coded sample scored end to end;
:func:`macro_f1` is the fast metric inside the cross-validation and the bootstrap.
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
from ..validation import cluster_bootstrap, text_key
from .model_files import model_source, scorer_note
from .newsmtsc import LABELS, read_newsmtsc
from .target_models import predict_polarity, resolve_method


def macro_f1(y_true: Sequence, y_pred: Sequence, labels: Sequence = LABELS) -> float:
    """Macro-F1 over ``labels`` (a label never true nor predicted counts 0, as scikit-learn's
    ``zero_division=0``): fast enough to sit inside a bootstrap or a cross-validation loop.

    >>> round(macro_f1([-1, 0, 0, -1], [-1, 0, 1, -1]), 4)  # F1 1, 2/3, 0
    0.5556
    """
    y, p = np.asarray(y_true), np.asarray(y_pred)
    f1 = []
    for lab in labels:
        tp = int(np.sum((y == lab) & (p == lab)))
        denom = int(np.sum(y == lab)) + int(np.sum(p == lab))
        f1.append(2 * tp / denom if denom else 0.0)
    return float(np.mean(f1))


def validation_report(
    y_true: Sequence,
    y_pred: Sequence,
    labels: Sequence | None = None,
    n_boot: int = 1000,
    random_state: int = SEED,
    clusters: Sequence | None = None,
) -> dict:
    """Everything needed to judge a coder or model against hand labels, with intervals.

    Returns a JSON-ready dict: ``n``, ``accuracy``, ``macro_f1``, ``per_class`` (precision,
    recall, f1, support per label), ``labels``, ``confusion`` (rows = true, columns =
    predicted, in ``labels`` order), ``cohen_kappa``, ``krippendorff_alpha`` (nominal, the
    two codings as two coders) and ``ci`` with percentile bootstrap intervals for accuracy,
    macro-F1 and kappa. The bootstrap resamples rows, or, with ``clusters`` (one key per row,
    e.g. the sentence of each target), whole clusters (:func:`helpers.validation.cluster_bootstrap`).

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
        return macro_f1(np.asarray(a, dtype=str), np.asarray(b, dtype=str), str_labels)

    metrics = {"accuracy": (acc, n_boot), "macro_f1": (macro, n_boot), "cohen_kappa": (cohen_kappa, min(n_boot, 300))}
    if clusters is None:
        rep["ci"] = {k: list(bootstrap_ci(y_true, y_pred, f, n_boot=n, random_state=random_state))
                     for k, (f, n) in metrics.items()}
        return rep
    a, b = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    rep["ci"] = {
        k: list(cluster_bootstrap(lambda i, f=f: f(a[i].tolist(), b[i].tolist()), clusters, n_boot=n,
                                  random_state=random_state))
        for k, (f, n) in metrics.items()
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
    against the labels of ``data`` (``read_newsmtsc`` output), intervals resampling sentences,
    and the ``model``'s description when a trained model scored it."""
    rep = validation_report(
        data["polarity"].astype(int).tolist(), pred["polarity"].astype(int).tolist(), labels=[-1, 0, 1],
        n_boot=n_boot, clusters=[text_key(s) for s in data["sentence"]],
    )
    rep = {"file": str(file), "method": method, "n_sentences": len({text_key(s) for s in data["sentence"]}),
           "interval": "95 % percentile bootstrap over sentences (targets of one sentence together)", **rep}
    if model is not None and hasattr(model, "describe"):
        rep["model"] = model.describe()
    return rep


def score_coded_file(
    file: str | Path, method: str = "auto", model=None, model_dir: str | Path | None = None,
    train_path: str | Path | None = None, window: int = 10, n_boot: int = 1000,
) -> dict:
    """Score a scorer against a hand-coded file: what ``validate targets FILE`` prints.

    ``file`` is NewsMTSC-layout JSONL (e.g. a sheet from :func:`.coding.write_coding_sheet`
    with ``polarity`` filled in). Rows left uncoded (``polarity`` empty) are left out and
    counted in ``n_uncoded``. The scorer is ``model`` if given, else the one
    :func:`.target_models.resolve_method` picks (``train_path`` first, then the model in
    ``model_dir``, else the user's model in MODELS_DIR/targets, then the shipped model, then the
    VADER window baseline). Returns :func:`target_validation_report` plus ``scorer`` (which one,
    in words), ``model_source`` (user/shipped/folder/fitted now/none) and ``recorded_validation``
    (the shipped model's or baseline's locked-part score; a user's model has none).
    """
    data = read_newsmtsc(file)
    coded = data.dropna(subset=["polarity"]).reset_index(drop=True)
    if coded.empty:
        raise ValueError(
            f"{Path(file).name} holds no codes: fill polarity with -1, 0 or 1 toward the mention first"
        )
    if model is None:
        method, model = resolve_method(method, model_dir=model_dir, train_path=train_path)
    else:
        method = model.describe()["kind"]
    pred = predict_polarity(coded, method=method, model=model, window=window)
    rep = target_validation_report(file, coded, pred, method, model, n_boot=n_boot)
    rep["n_uncoded"] = int(len(data) - len(coded))
    if method != "vader-sentence":
        rep["scorer"], rep["recorded_validation"] = scorer_note(model, window=window)
        rep["model_source"] = model_source(model)
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
