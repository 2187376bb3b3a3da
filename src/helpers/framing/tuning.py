"""Every choice of the frame measures, made on the *tune* part of a labelled set only.

:func:`parts_of` is the one split of a labelled set (:func:`helpers.validation.split_parts`:
copies of a text in one part, stratified by frame combination or class, seeded). The functions
below receive the tune part and nothing else: :func:`choose_features` picks the classifier's
feature set by cross-validation inside it (each fold's classifier tunes its own C and
thresholds on its training rows), :func:`dictionary_thresholds` the dictionary's per-frame rate
thresholds. The indicator rules' cue thresholds are chosen by
:func:`helpers.framing.choose_min_matches`. The locked part is read only by :mod:`.locked`.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from ..config import SEED
from ..validation import split_parts, text_key
from .classifier import FrameClassifier, best_threshold
from .evaluation import folds_for
from .features import lexicon_features
from .labelled import GENERIC_CODES, Labelled
from .metrics import macro_f1_multiclass, macro_f1_multilabel, per_frame_f1

#: The classifier's feature sets compared by cross-validation inside the tune part (the first
#: is :class:`FrameClassifier`'s default).
FEATURE_SETS = {
    "words + dictionary features": {},
    "words only": {"use_lexicon": False},
    "dictionary features only": {"use_words": False},
}


def label_strata(data: Labelled) -> list[str]:
    """The stratum of each unit: its frame combination ("CO+RE", "none") or its class."""
    if data.task == "multiclass":
        return data.labels.iloc[:, 0].astype(str).tolist()
    cols = list(data.labels.columns)
    return [
        "+".join(c for c, v in zip(cols, row, strict=True) if v) or "none"
        for row in data.labels.to_numpy()
    ]


def parts_of(data: Labelled) -> pd.Series:
    """``"tune"``/``"locked"`` per unit: the one split of a labelled set (copies together)."""
    return split_parts([text_key(t) for t in data.texts], strata=label_strata(data))


def subset(data: Labelled, mask) -> Labelled:
    """The units of ``data`` where ``mask`` is true (texts, labels and meta re-indexed)."""
    mask = np.asarray(mask, dtype=bool)
    meta = None if data.meta is None else data.meta[mask].reset_index(drop=True)
    return Labelled(
        data.texts[mask].reset_index(drop=True),
        data.labels[mask].reset_index(drop=True),
        data.task,
        data.layout,
        list(data.notes),
        data.path,
        meta,
    )


def choose_features(
    tune: Labelled,
    candidates: dict[str, dict] = FEATURE_SETS,
    folds: int = 4,
    random_state: int = SEED,
    **clf_params,
) -> tuple[str, dict[str, float]]:
    """The feature set with the best cross-validated macro-F1 *inside* ``tune`` (ties: first).

    Every fold fits :class:`FrameClassifier` with its own inner tuning on the fold's training
    rows. Returns (name of the chosen set, {name: macro-F1 pooled over the folds}).
    """
    report = cv_report(tune, candidates, folds, random_state, **clf_params)
    scores = {name: r["macro_f1"] for name, r in report.items()}
    best = max(scores, key=lambda k: (scores[k], -list(candidates).index(k)))
    return best, scores


def cv_report(
    tune: Labelled,
    candidates: dict[str, dict] = FEATURE_SETS,
    folds: int = 4,
    random_state: int = SEED,
    **clf_params,
) -> dict[str, dict]:
    """Cross-validated scores of every candidate setting inside ``tune`` (the same folds for
    all): ``{name: {"macro_f1", "per_frame_f1"}}`` from the out-of-fold predictions pooled over
    the folds (per class for one label per unit)."""
    texts = tune.texts.tolist()
    splits = folds_for(tune, folds, random_state)
    return {
        name: _oof_scores(tune, texts, splits, {**clf_params, **params}, random_state)
        for name, params in candidates.items()
    }


def _oof_scores(data: Labelled, texts: list[str], splits, params: dict, random_state: int) -> dict:
    kw = {"random_state": random_state}
    if data.task == "multiclass":
        y = data.labels.iloc[:, 0].astype(str).to_numpy()
        pred = np.empty(len(y), dtype=object)
        for tr, te in splits:
            clf = FrameClassifier(**kw, **params).fit(
                [texts[i] for i in tr], pd.Series(y[tr], name="label")
            )
            pred[te] = clf.predict([texts[i] for i in te]).iloc[:, 0].to_numpy()
        per = {lab: macro_f1_multiclass(y == lab, pred == lab, [True]) for lab in data.label_names}
        return {"macro_f1": macro_f1_multiclass(y, pred, data.label_names), "per_frame_f1": per}
    Y = data.labels.to_numpy()
    P = np.zeros_like(Y)
    for tr, te in splits:
        clf = FrameClassifier(**kw, **params).fit([texts[i] for i in tr], data.labels.iloc[tr])
        P[te] = clf.predict([texts[i] for i in te])[list(data.labels.columns)].to_numpy()
    per = dict(zip(data.labels.columns, per_frame_f1(Y, P).tolist(), strict=True))
    return {"macro_f1": macro_f1_multilabel(Y, P), "per_frame_f1": per}


def fit_on_tune(
    tune: Labelled,
    candidates: dict[str, dict] = FEATURE_SETS,
    folds: int = 4,
    random_state: int = SEED,
) -> tuple[FrameClassifier, str, dict[str, dict]]:
    """The classifier with the setting chosen by CV inside ``tune`` (:func:`cv_report`), fitted
    on all of ``tune``: (classifier, name of the chosen setting, the CV report)."""
    report = cv_report(tune, candidates, folds, random_state)
    chosen = max(report, key=lambda k: (report[k]["macro_f1"], -list(candidates).index(k)))
    labels = tune.labels if tune.task == "multilabel" else tune.labels.iloc[:, 0].astype(str)
    clf = FrameClassifier(random_state=random_state, **candidates[chosen]).fit(
        tune.texts.tolist(), labels
    )
    return clf, chosen, report


def tune_fingerprint(tune: Labelled) -> str:
    """SHA-256 over the sorted text keys of the tune units: a model carrying it saw these texts
    (and, the split being one, none of the locked part)."""
    keys = sorted(text_key(t) for t in tune.texts)
    return hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()


def dictionary_thresholds(tune: Labelled, scheme: str = "generic") -> dict[str, float]:
    """Per frame, the rate (matches per 1,000 tokens) with the best F1 on the ``tune`` units."""
    lex = lexicon_features(tune.texts.tolist(), (scheme,), indicators=False)
    out = {}
    for lab in tune.labels.columns:
        col = f"{scheme}:{GENERIC_CODES.get(lab, lab)}"
        if col in lex:
            out[lab] = best_threshold(tune.labels[lab].to_numpy(), lex[col].to_numpy())[0]
    return out
