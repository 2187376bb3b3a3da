"""Choosing the light target model's settings by cross-validation on the tuning part only.

NewsMTSC ships its own split: ``train.jsonl`` is the tuning part, the dev splits are locked
(read only by :func:`.locked.validation_records`). Every choice of the light model — which
feature groups, ``C``, the context ``window`` — is made here, by 5-fold cross-validation on the
training rows, **grouped by sentence** (``StratifiedGroupKFold``: all targets of one sentence,
and copies of one sentence, stay in one fold, so a fold never scores a sentence it trained on).
:func:`tune_light_model` runs the grid and returns the chosen settings with the table behind
them; :func:`cv_ablation` is the ablation table (best cross-validated score of each feature
set). Nothing in this module reads a file: callers pass the training frame.

The grid stays small (33 settings × 5 folds; 3–4 minutes of CPU on one core): feature sets
built up one group at a time, ``C`` in {0.5, 1, 2} and, where the words around the mention
are used, ``window`` in {4, 8, 12}. On NewsMTSC train it chose all four groups, ``C`` = 1,
``window`` = 8 (the package defaults; docs/sentiment.md has the table).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedGroupKFold

from ..config import SEED
from ..validation import text_key
from .light_model import TargetSentimentClassifier, _logistic
from .validation import macro_f1

#: Feature sets of the search, each adding one group to the one before (the ablation rows).
FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "sentence tf-idf (1-2-grams)": ("sentence",),
    "mention masked": ("masked",),
    "+ words around the mention": ("masked", "context"),
    "+ role cues": ("masked", "context", "role"),
    "+ lexicon scores (all groups)": ("masked", "context", "role", "lexicon"),
}
GRID_C: tuple[float, ...] = (0.5, 1.0, 2.0)
GRID_WINDOW: tuple[int, ...] = (4, 8, 12)
N_FOLDS = 5


def sentence_folds(frame: pd.DataFrame, n_splits: int = N_FOLDS, random_state: int = SEED) -> np.ndarray:
    """Fold number (0 .. n_splits-1) of every row: stratified by polarity, grouped by sentence.

    Rows whose sentences are equal up to case, punctuation and spacing
    (:func:`helpers.validation.text_key`) share a fold.

    >>> f = pd.DataFrame({"sentence": ["A b.", "a b", "C d.", "E f.", "G h.", "I j."],
    ...                   "polarity": [1, 1, 0, -1, 0, 1]})
    >>> folds = sentence_folds(f, n_splits=2)
    >>> bool(folds[0] == folds[1]), sorted(set(folds.tolist()))
    (True, [0, 1])
    """
    groups = [text_key(s) for s in frame["sentence"]]
    y = frame["polarity"].astype(int).to_numpy()
    folds = np.full(len(frame), -1, dtype=int)
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    for k, (_, test) in enumerate(splitter.split(np.zeros(len(y)), y, groups)):
        folds[test] = k
    return folds


def _settings(feature_sets: dict, grid_c: Sequence[float], grid_window: Sequence[int]) -> list[dict]:
    """Every setting of the grid; ``window`` only varies where the context words are used."""
    out = []
    for name, feats in feature_sets.items():
        windows = grid_window if "context" in feats else (None,)
        for window in windows:
            for C in grid_c:
                out.append({"features": name, "window": window, "C": float(C)})
    return out


def cv_grid(
    train: pd.DataFrame,
    feature_sets: dict[str, tuple[str, ...]] | None = None,
    grid_c: Sequence[float] = GRID_C,
    grid_window: Sequence[int] = GRID_WINDOW,
    n_splits: int = N_FOLDS,
    random_state: int = SEED,
) -> pd.DataFrame:
    """Macro-F1 of every setting in every sentence-grouped fold of ``train``.

    Features are built once per fold, feature set and window; only the logistic regression is
    refitted for each ``C``. Out: one row per setting: ``features``, ``window`` (NaN when
    unused), ``C``, ``cv_macro_f1`` (mean over folds), ``fold_min``, ``fold_max``.
    """
    feature_sets = FEATURE_SETS if feature_sets is None else feature_sets
    train = train.dropna(subset=["polarity"]).reset_index(drop=True)
    y = train["polarity"].astype(int).to_numpy()
    folds = sentence_folds(train, n_splits, random_state)
    settings = _settings(feature_sets, grid_c, grid_window)
    scores = {i: [] for i in range(len(settings))}
    for k in range(n_splits):
        tr, va = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
        built: dict[tuple, tuple] = {}
        for i, s in enumerate(settings):
            key = (s["features"], s["window"])
            if key not in built:
                model = TargetSentimentClassifier(
                    window=s["window"] or 0, features=feature_sets[s["features"]], random_state=random_state
                )
                built = {key: (model._features(train.iloc[tr], fit=True), model._features(train.iloc[va]))}
            z_tr, z_va = built[key]
            clf = _logistic(s["C"], random_state).fit(z_tr, y[tr])
            scores[i].append(macro_f1(y[va], clf.predict(z_va)))
    rows = [
        {**s, "cv_macro_f1": float(np.mean(scores[i])), "fold_min": float(np.min(scores[i])),
         "fold_max": float(np.max(scores[i]))}
        for i, s in enumerate(settings)
    ]
    return pd.DataFrame(rows)


def choose(table: pd.DataFrame, feature_sets: dict[str, tuple[str, ...]] | None = None) -> dict:
    """The setting with the highest mean cross-validated macro-F1 (first in grid order on ties),
    as keyword arguments of :class:`TargetSentimentClassifier`."""
    feature_sets = FEATURE_SETS if feature_sets is None else feature_sets
    best = table.iloc[int(np.argmax(table["cv_macro_f1"].to_numpy()))]
    window = best["window"]
    return {
        "C": float(best["C"]),
        "window": int(window) if pd.notna(window) else TargetSentimentClassifier().window,
        "features": tuple(feature_sets[best["features"]]),
    }


def tune_light_model(train: pd.DataFrame, **grid) -> tuple[dict, pd.DataFrame]:
    """Run :func:`cv_grid` on the tuning part and :func:`choose`: ``(settings, table)``."""
    table = cv_grid(train, **grid)
    return choose(table, grid.get("feature_sets")), table


def cv_ablation(table: pd.DataFrame) -> pd.DataFrame:
    """The ablation table from a :func:`cv_grid` table: for each feature set (in grid order) its
    best setting and cross-validated macro-F1 on the tuning part."""
    order = list(dict.fromkeys(table["features"]))
    best = table.loc[table.groupby("features", sort=False)["cv_macro_f1"].idxmax()]
    return best.set_index("features").loc[order].reset_index()
