"""How well the frame measures do against labelled data: cross-validation, scores, the report.

:func:`cross_validate_frames` gives cross-validated per-frame precision/recall/F1 of
:class:`helpers.framing.FrameClassifier` and of the dictionary alone (everything tuned is chosen
on the training folds only), plus the indicator rules alone for the generic layout;
:func:`score_on` trains on one file and scores another; :func:`dictionary_predict` is the
dictionary-only prediction. :func:`validate_frames` assembles what
``python -m helpers validate frames`` prints (repeats over fold seeds, the protocol, and the
published :data:`REFERENCE_POINTS`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

from ..agreement import classification_scores
from ..config import SEED
from .classifier import FrameClassifier, best_threshold
from .dictionaries import load_dictionary
from .features import lexicon_features
from .indicators import indicator_scores
from .labelled import FRAC_MERGE, GENERIC_CODES, Labelled, read_labelled


def _scores_multilabel(Y: np.ndarray, P: np.ndarray, labels: list[str]) -> dict:
    per = {}
    for j, lab in enumerate(labels):
        p, r, f, _ = precision_recall_fscore_support(
            Y[:, j], P[:, j], average="binary", zero_division=0
        )
        per[lab] = {
            "precision": round(float(p), 3),
            "recall": round(float(r), 3),
            "f1": round(float(f), 3),
            "support": int(Y[:, j].sum()),
        }
    return {
        "per_frame": per,
        "macro_f1": round(float(np.mean([v["f1"] for v in per.values()])), 3),
        "min_f1": round(float(min(v["f1"] for v in per.values())), 3),
    }


def _scores_multiclass(y, pred, labels) -> dict:
    s = classification_scores(list(y), list(pred), labels=labels)
    per = {
        k: {kk: (round(vv, 3) if isinstance(vv, float) else vv) for kk, vv in v.items()}
        for k, v in s["per_class"].items()
    }
    return {
        "per_frame": per,
        "macro_f1": round(s["macro_f1"], 3),
        "accuracy": round(s["accuracy"], 3),
        "min_f1": round(float(min(v["f1"] for v in per.values())), 3),
    }


def _folds(data: Labelled, k: int, random_state: int):
    n = len(data.texts)
    if data.task == "multiclass":
        y = data.labels.iloc[:, 0].to_numpy()
        k = max(2, min(k, int(pd.Series(y).value_counts().min())))
        return list(
            StratifiedKFold(k, shuffle=True, random_state=random_state).split(np.zeros(n), y)
        )
    # stratify on the rarest positive label so every fold sees some of it
    Y = data.labels.to_numpy()
    rare = Y[:, Y.sum(0).argmin()]
    k = max(2, min(k, int(rare.sum()) if rare.sum() >= 2 else 2))
    return list(
        StratifiedKFold(k, shuffle=True, random_state=random_state).split(np.zeros(n), rare)
    )


def dictionary_predict(
    texts, labels: list[str], scheme: str, task: str, thresholds: dict[str, float] | None = None
) -> np.ndarray:
    """Dictionary-only predictions. Multi-label generic frames: a frame is present when its rate
    per 1,000 tokens reaches its threshold (default: at least one match). Multi-class (MFC codes):
    the category with the highest rate (merged to the label set; "15"/other when nothing matches).
    """
    lex = lexicon_features(texts, (scheme,), indicators=False)
    if task == "multilabel":
        out = np.zeros((len(lex), len(labels)), dtype=int)
        for j, lab in enumerate(labels):
            frame = GENERIC_CODES.get(lab, lab)
            col = f"{scheme}:{frame}"
            if col in lex:
                out[:, j] = (lex[col].to_numpy() >= (thresholds or {}).get(lab, 1e-9)).astype(int)
        return out
    d = load_dictionary(scheme)
    label_set = set(labels)
    cols = [c for c in lex.columns if c.split(":", 1)[1] in d.categories]
    codes = []
    for c in cols:
        code = d.code(c.split(":", 1)[1])
        try:
            code = int(code)
            code = FRAC_MERGE.get(code, code) if str(code) not in label_set else code
        except (TypeError, ValueError):
            pass
        codes.append(str(code))
    vals = lex[cols].to_numpy()
    fallback = "15" if "15" in label_set else sorted(label_set)[0]
    pred = []
    for row in vals:
        if row.max() <= 0:
            pred.append(fallback)
            continue
        agg: dict[str, float] = {}
        for code, v in zip(codes, row, strict=True):
            agg[code] = agg.get(code, 0.0) + v
        best = max(agg, key=agg.get)
        pred.append(best if best in label_set else fallback)
    return np.array(pred)


def cross_validate_frames(
    data: Labelled,
    folds: int = 5,
    scheme: str | None = None,
    tune: bool = True,
    random_state: int = SEED,
    **clf_params,
) -> dict:
    """Cross-validated scores of :class:`FrameClassifier` and of the dictionary alone.

    Everything tuned (C, per-frame thresholds, dictionary thresholds) is chosen on the training
    folds only. Returns a JSON-ready dict: ``trained`` and ``dictionary_only`` (each
    ``per_frame`` precision/recall/F1/support, ``macro_f1``, ``min_f1``), ``indicators_only``
    for the generic layout, ``folds``, ``n``.
    """
    scheme = scheme or ("generic" if data.task == "multilabel" else "policy")
    texts = data.texts.tolist()
    labels = data.label_names
    splits = _folds(data, folds, random_state)
    if data.task == "multiclass":
        y = data.labels.iloc[:, 0].to_numpy()
        pred = np.empty(len(y), dtype=object)
        for tr, te in splits:
            clf = FrameClassifier(tune=tune, random_state=random_state, **clf_params)
            clf.fit([texts[i] for i in tr], pd.DataFrame({"label": y[tr]}))
            pred[te] = clf.predict([texts[i] for i in te])["label"].to_numpy()
        dict_pred = dictionary_predict(texts, labels, scheme, "multiclass")
        return {
            "n": len(y),
            "folds": len(splits),
            "trained": _scores_multiclass(y, pred, labels),
            "dictionary_only": _scores_multiclass(y, dict_pred, labels),
        }
    Y = data.labels.to_numpy()
    P = np.zeros_like(Y)
    D = np.zeros_like(Y)
    lex = lexicon_features(texts, (scheme,), indicators=False)
    for tr, te in splits:
        clf = FrameClassifier(tune=tune, random_state=random_state, **clf_params)
        clf.fit([texts[i] for i in tr], pd.DataFrame(Y[tr], columns=labels))
        P[te] = clf.predict([texts[i] for i in te]).to_numpy()
        # dictionary-only: per-frame rate threshold chosen on the training folds
        for j, lab in enumerate(labels):
            col = f"{scheme}:{GENERIC_CODES.get(lab, lab)}"
            if col not in lex:
                continue
            t, _ = best_threshold(Y[tr, j], lex[col].to_numpy()[tr])
            D[te, j] = (lex[col].to_numpy()[te] >= t).astype(int)
    out = {
        "n": int(len(Y)),
        "folds": len(splits),
        "trained": _scores_multilabel(Y, P, labels),
        "dictionary_only": _scores_multilabel(Y, D, labels),
    }
    if data.layout == "generic_frames":
        ind = indicator_scores(
            pd.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts})
        )
        wide = ind.pivot_table(index="doc_id", columns="frame", values="score", sort=False)
        wide = wide.reindex([str(i) for i in range(len(texts))])
        ind_pred = np.column_stack(
            [(wide[GENERIC_CODES[lab]].to_numpy() >= 0.5).astype(int) for lab in labels]
        )
        out["indicators_only"] = _scores_multilabel(Y, ind_pred, labels)
    return out


def score_on(
    train: Labelled,
    test: Labelled,
    scheme: str | None = None,
    tune: bool = True,
    random_state: int = SEED,
    **clf_params,
) -> dict:
    """Train on ``train`` and score on ``test`` (same label set). Same dict shape as
    :func:`cross_validate_frames` (without ``folds``)."""
    scheme = scheme or ("generic" if test.task == "multilabel" else "policy")
    if train.task != test.task:
        raise ValueError(
            f"--train file is {train.task} but FILE is {test.task}; use files with the same labels"
        )
    clf = FrameClassifier(tune=tune, random_state=random_state, **clf_params).fit(
        train.texts.tolist(), train.labels
    )
    texts = test.texts.tolist()
    labels = test.label_names
    if test.task == "multiclass":
        y = test.labels.iloc[:, 0].to_numpy()
        pred = clf.predict(texts)["label"].to_numpy()
        return {
            "n": len(y),
            "trained": _scores_multiclass(y, pred, labels),
            "dictionary_only": _scores_multiclass(
                y, dictionary_predict(texts, labels, scheme, "multiclass"), labels
            ),
        }
    missing = [lab for lab in labels if lab not in clf.labels_]
    if missing:
        raise ValueError(f"labels {missing} of FILE are not in the --train file ({clf.labels_})")
    Y = test.labels.to_numpy()
    P = clf.predict(texts)[labels].to_numpy()
    D = dictionary_predict(texts, labels, scheme, "multilabel")
    return {
        "n": int(len(Y)),
        "trained": _scores_multilabel(Y, P, labels),
        "dictionary_only": _scores_multilabel(Y, D, labels),
    }


REFERENCE_POINTS = {
    "generic_frames": {
        "source": "eval README: TF-IDF + logistic regression, 5-fold CV",
        "per_frame_f1": {"CO": 0.81, "RE": 0.61, "EC": 0.60, "HI": 0.11, "MO": 0.04},
        "macro_f1": 0.43,
    },
    "mfc_codes": {
        "source": "eval README: FrAC TF-IDF + logistic regression",
        "macro_f1": 0.44,
        "accuracy": 0.48,
    },
}


def _summarise_repeats(runs: list[dict], seeds: list[int]) -> dict:
    """Mean and standard deviation of macro-F1 and per-frame F1 over repeated CV runs."""
    out = {"seeds": seeds}
    for method in ("trained", "dictionary_only", "indicators_only"):
        if method not in runs[0]:
            continue
        macros = [r[method]["macro_f1"] for r in runs]
        frames = runs[0][method]["per_frame"]
        out[method] = {
            "macro_f1": [round(float(m), 3) for m in macros],
            "macro_f1_mean": round(float(np.mean(macros)), 3),
            "macro_f1_sd": round(float(np.std(macros, ddof=1)), 3) if len(macros) > 1 else 0.0,
            "per_frame_f1_mean": {
                f: round(float(np.mean([r[method]["per_frame"][f]["f1"] for r in runs])), 3)
                for f in frames
            },
        }
    return out


def validate_frames(
    path: str,
    scheme: str | None = None,
    train: str | None = None,
    folds: int = 5,
    quick: bool = False,
    seed: int = SEED,
    repeats: int = 1,
) -> dict:
    """What ``python -m helpers validate frames`` reports on a labelled file, as a JSON-ready dict.

    With ``train`` the classifier is fitted on that file and scored on ``path``
    (:func:`score_on`); otherwise ``path`` is cross-validated with ``folds`` folds
    (:func:`cross_validate_frames`), ``repeats`` times with the fold seeds ``seed``,
    ``seed + 1`` ... (mean and spread under ``repeats``). ``quick`` skips the inner tuning
    (threshold 0.5; C=0.1 multi-label, C=1 multi-class). Out: ``file``, ``layout``, ``task``,
    ``labels``, ``data_notes``, the scores, ``protocol`` and, for a known layout, the published
    ``reference``. Raises FileNotFoundError or ValueError for a file that cannot be used.
    """
    data = read_labelled(path)
    params = {}
    if quick:
        params = {"Cs": (1.0,) if data.task == "multiclass" else (0.1,)}
    if train:
        res = _trained_on(train, data, scheme, quick, seed, params)
    else:
        res = _cross_validated(data, folds, scheme, quick, seed, repeats, params)
    res = {
        "file": path,
        "layout": data.layout,
        "task": data.task,
        "labels": data.label_names,
        "data_notes": data.notes,
        **res,
    }
    if data.layout in REFERENCE_POINTS:
        res["reference"] = REFERENCE_POINTS[data.layout]
    return res


def _trained_on(
    train_path: str, data: Labelled, scheme: str | None, quick: bool, seed: int, params: dict
) -> dict:
    """Fit on the ``train_path`` file, score ``data``; the training file and its notes kept."""
    train = read_labelled(train_path)
    res = score_on(train, data, scheme, tune=not quick, random_state=seed, **params)
    res["train_file"], res["train_notes"] = train_path, train.notes
    res["protocol"] = "trained on --train, scored on FILE"
    return res


def _cross_validated(
    data: Labelled,
    folds: int,
    scheme: str | None,
    quick: bool,
    seed: int,
    repeats: int,
    params: dict,
) -> dict:
    """Cross-validate ``data``; with ``repeats`` > 1 again with the next fold seeds, summarised."""
    res = cross_validate_frames(data, folds, scheme, tune=not quick, random_state=seed, **params)
    res["protocol"] = (
        f"{res['folds']}-fold cross-validation; C and per-frame thresholds chosen by "
        f"inner CV within each training fold" + (" (disabled: --quick)" if quick else "")
    )
    if repeats > 1:
        runs = [res] + [
            cross_validate_frames(
                data,
                folds,
                scheme,
                tune=not quick,
                random_state=seed + r,
                **params,
            )
            for r in range(1, repeats)
        ]
        res["repeats"] = _summarise_repeats(runs, [seed + r for r in range(repeats)])
    return res
