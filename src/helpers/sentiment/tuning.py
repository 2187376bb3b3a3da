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


# --- the accuracy budget: one change at a time, adopted only when it clearly helps ---------------

#: Changes tried on top of the current settings, in order (docs/sentiment.md, "Ablation steps").
#: ``add`` adds feature groups, ``swap`` replaces one group by another; other keys are
#: :class:`TargetSentimentClassifier` parameters.
ABLATION_STEPS: tuple[tuple[str, dict], ...] = (
    ("mention not masked (raw sentence tf-idf)", {"swap": ("masked", "sentence")}),
    ("no class weights (instead of balanced)", {"class_weight": None}),
    ("sentence tf-idf: unigrams only", {"ngram_max": 1}),
    ("sentence tf-idf: 1-3-grams", {"ngram_max": 3}),
    ("+ tf-idf of the clause holding the mention (masked)", {"add": ("clause",)}),
    ("+ side-window words (left/right, no distance buckets)", {"add": ("sides",)}),
    ("lexicon block weight 0.5", {"dense_weight": 0.5}),
    ("lexicon block weight 2", {"dense_weight": 2.0}),
    ("C = 0.5", {"C": 0.5}),
    ("C = 2", {"C": 2.0}),
)


def _apply(params: dict, change: dict) -> dict:
    out = {**params, **{k: v for k, v in change.items() if k not in ("add", "swap")}}
    feats = tuple(out["features"])
    if "add" in change:
        feats = feats + tuple(g for g in change["add"] if g not in feats)
    if "swap" in change:
        old, new = change["swap"]
        feats = tuple(new if g == old else g for g in feats)
    out["features"] = feats
    return out


def cv_score(train: pd.DataFrame, params: dict | None = None, folds: np.ndarray | None = None,
             random_state: int = SEED) -> dict:
    """Sentence-grouped cross-validated macro-F1 of the light model with ``params`` (default:
    the package defaults) on ``train``: ``{"mean", "se", "folds"}`` (se = standard deviation over
    the folds / sqrt(number of folds))."""
    train = train.dropna(subset=["polarity"]).reset_index(drop=True)
    y = train["polarity"].astype(int).to_numpy()
    folds = sentence_folds(train, random_state=random_state) if folds is None else folds
    scores = []
    for k in sorted(set(folds.tolist())):
        tr, va = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
        model = TargetSentimentClassifier(random_state=random_state, **(params or {}))
        model.fit(train.iloc[tr], y[tr])
        scores.append(macro_f1(y[va], model.predict(train.iloc[va])))
    s = np.asarray(scores)
    return {"mean": float(s.mean()), "se": float(s.std(ddof=1) / np.sqrt(len(s))) if len(s) > 1 else 0.0,
            "folds": [round(float(v), 4) for v in s]}


def cv_steps(train: pd.DataFrame, steps=ABLATION_STEPS, base: dict | None = None,
             random_state: int = SEED, log=None) -> tuple[dict, pd.DataFrame]:
    """Try each change of ``steps`` on top of the current settings (start: ``base``, default the
    package defaults), by the same sentence-grouped folds of ``train``; adopt it only if it raises
    the cross-validated macro-F1 by more than that score's standard error. Returns the final
    settings and one row per step: ``step``, ``cv_macro_f1``, ``se``, ``gain`` (over the settings
    it was compared with), ``adopted``, ``folds``."""
    train = train.dropna(subset=["polarity"]).reset_index(drop=True)
    folds = sentence_folds(train, random_state=random_state)
    d = TargetSentimentClassifier()
    current = base or {k: getattr(d, k) for k in ("C", "window", "dense_weight", "features", "class_weight",
                                                  "ngram_max")}
    best = cv_score(train, current, folds, random_state)
    rows = [{"step": "start: package defaults", "cv_macro_f1": best["mean"], "se": best["se"], "gain": 0.0,
             "adopted": True, "folds": best["folds"]}]
    for name, change in steps:
        candidate = _apply(current, change)
        s = cv_score(train, candidate, folds, random_state)
        gain = s["mean"] - best["mean"]
        adopted = gain > s["se"]
        rows.append({"step": name, "cv_macro_f1": s["mean"], "se": s["se"], "gain": gain, "adopted": adopted,
                     "folds": s["folds"]})
        if log:
            log(f"{name}: {s['mean']:.4f} (se {s['se']:.4f}, gain {gain:+.4f}){' adopted' if adopted else ''}")
        if adopted:
            current, best = candidate, s
    current["features"] = tuple(current["features"])
    return current, pd.DataFrame(rows)


def cv_embedding(train: pd.DataFrame, light_params: dict | None = None,
                 grid_c: Sequence[float] = (0.001, 0.003, 0.01, 0.03),
                 grid_weight: Sequence[float] = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0),
                 vectors: np.ndarray | None = None, random_state: int = SEED) -> tuple[dict, pd.DataFrame]:
    """The embedding model's two settings by the same sentence-grouped CV on ``train``: the
    MiniLM classifier's ``embedding_C`` and the light model's vote ``light_weight`` in the average
    of the two members' probabilities (``light_weight`` = 1 is the light model alone). Needs the
    ``embeddings`` extra; the frozen vectors are computed once (``vectors`` to pass them in).
    Returns the chosen ``{"embedding_C", "light_weight"}`` and one row per pair with
    ``cv_macro_f1``, ``se``, ``folds``."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from .embeddings import _MiniLM

    train = train.dropna(subset=["polarity"]).reset_index(drop=True)
    y = train["polarity"].astype(int).to_numpy()
    vectors = _MiniLM().encode(train) if vectors is None else vectors
    folds = sentence_folds(train, random_state=random_state)
    scores: dict[tuple, list] = {(c, w): [] for c in grid_c for w in grid_weight}
    for k in range(int(folds.max()) + 1):
        tr, va = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
        light = TargetSentimentClassifier(random_state=random_state, **(light_params or {})).fit(train.iloc[tr], y[tr])
        p_light = light.predict_proba(train.iloc[va])
        scaler = StandardScaler().fit(vectors[tr])
        for c in grid_c:
            emb = LogisticRegression(C=c, class_weight="balanced", max_iter=3000, random_state=random_state)
            p_emb = emb.fit(scaler.transform(vectors[tr]), y[tr]).predict_proba(scaler.transform(vectors[va]))
            for w in grid_weight:
                pred = light.classes_[np.argmax(w * p_light + (1 - w) * p_emb, axis=1)]
                scores[(c, w)].append(macro_f1(y[va], pred))
    rows = [{"embedding_C": c, "light_weight": w, "cv_macro_f1": float(np.mean(s)),
             "se": float(np.std(s, ddof=1) / np.sqrt(len(s))), "folds": [round(float(v), 4) for v in s]}
            for (c, w), s in scores.items()]
    table = pd.DataFrame(rows)
    best = table.iloc[int(np.argmax(table["cv_macro_f1"].to_numpy()))]
    return {"embedding_C": float(best["embedding_C"]), "light_weight": float(best["light_weight"])}, table
