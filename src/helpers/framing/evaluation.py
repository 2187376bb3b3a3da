"""Scoring frame measures on a user's labelled file: what ``python -m helpers validate frames`` prints.

:func:`validate_frames` scores a hand-coded file three ways:

- default: the trained model in the loading order (yours in ``MODELS_DIR``, else the one
  shipped with the package: :func:`helpers.framing.load_frame_model`), the dictionary (a frame
  at its first match) and (generic frames) the indicator rules, nothing fitted on the file: the
  way to check the shipped model on a hand-coded sample of your own coverage;
- ``cv=True``: :class:`helpers.framing.FrameClassifier` cross-validated on the file (C and
  thresholds chosen inside each training fold), the dictionary with per-frame thresholds chosen
  on the training folds, and (generic frames) the indicator rules;
- ``train=OTHER``: the classifier fitted on another file and scored on this one (dictionary
  thresholds and baselines from the other file too);
- ``classifier=False``: only the dictionary (a frame is present at its first match, or at the
  rates given) and the indicator rules, nothing fitted: the file is a pure test set (the way to
  check the shipped measures on a sample of your own coverage, see :mod:`.sheets`).

Each method comes with the trivial baselines (always-yes and the majority value of each frame,
or the majority class) and 95 % bootstrap intervals over the file's units (copies of one text
resampled together). :func:`dictionary_predict` is the dictionary-only prediction;
:func:`cross_validate_frames` the out-of-fold predictions behind the default.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

from ..config import SEED
from ..validation import always_yes, majority_class, text_key
from .classifier import FrameClassifier, best_threshold
from .dictionaries import load_dictionary
from .features import lexicon_features
from .indicators import indicator_answers, indicator_scores
from .labelled import FRAC_MERGE, GENERIC_CODES, Labelled, read_labelled, text_hashes
from .metrics import score_multiclass, score_multilabel
from .store import FrameModel, load_frame_model, scheme_of


def folds_for(data: Labelled, k: int, random_state: int = SEED) -> list:
    """Stratified folds: by class (multi-class) or by the rarest frame (multi-label)."""
    n = len(data.texts)
    if data.task == "multiclass":
        y = data.labels.iloc[:, 0].astype(str).to_numpy()
        k = max(2, min(k, int(pd.Series(y).value_counts().min())))
        return list(
            StratifiedKFold(k, shuffle=True, random_state=random_state).split(np.zeros(n), y)
        )
    Y = data.labels.to_numpy()
    rare = Y[:, Y.sum(0).argmin()]
    k = max(2, min(k, int(rare.sum()) if rare.sum() >= 2 else 2))
    return list(
        StratifiedKFold(k, shuffle=True, random_state=random_state).split(np.zeros(n), rare)
    )


def dictionary_predict(
    texts, labels: list[str], scheme: str, task: str, thresholds: dict[str, float] | None = None,
    known: pd.DataFrame | None = None,
) -> np.ndarray:
    """Dictionary-only predictions. Multi-label generic frames: a frame is present when its rate
    per 1,000 tokens reaches its threshold (default: at least one match). Multi-class (MFC codes):
    the category with the highest rate (merged to the label set; "15"/other when nothing matches).
    ``known``: the rates already computed, one row per text (see :func:`lexicon_features`).
    """
    lex = lexicon_features(texts, (scheme,), indicators=False, known=known)
    if task == "multilabel":
        out = np.zeros((len(lex), len(labels)), dtype=int)
        for j, lab in enumerate(labels):
            col = f"{scheme}:{GENERIC_CODES.get(lab, lab)}"
            if col in lex:
                out[:, j] = (lex[col].to_numpy() >= (thresholds or {}).get(lab, 1e-9)).astype(int)
        return out
    d = load_dictionary(scheme)
    label_set = set(labels)
    cols = [c for c in lex.columns if c.split(":", 1)[1] in d.categories]
    codes = [_merged_code(d.code(c.split(":", 1)[1]), label_set) for c in cols]
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


def _known(part: pd.DataFrame) -> pd.DataFrame | None:
    """The features given beside ``doc_id`` and ``text`` (every other column), or None."""
    extra = [c for c in part.columns if c not in ("doc_id", "text")]
    return part[extra].reset_index(drop=True) if extra else None


def dictionary_frames(
    part: pd.DataFrame, labels: list[str], scheme: str = "generic",
    thresholds: dict[str, float] | None = None,
) -> pd.DataFrame:
    """:func:`dictionary_predict` (multi-label) per document, document-separable (for
    :func:`helpers.compute.map_documents`). In: ``doc_id``, ``text``, optionally the rates
    already computed (:func:`~helpers.framing.features.lexicon_columns`; every other column).
    Out: ``doc_id`` and one 0/1 column per label."""
    texts = part["text"].fillna("").tolist()
    found = dictionary_predict(texts, labels, scheme, "multilabel", thresholds, known=_known(part))
    return pd.DataFrame(found, columns=labels).assign(doc_id=part["doc_id"].to_numpy())[
        ["doc_id", *labels]
    ]


@lru_cache(maxsize=4)
def _classifier_at(folder: str, kind: str) -> FrameClassifier:
    return FrameClassifier.load(folder, kind)


def model_frames(part: pd.DataFrame, folder: str, kind: str) -> pd.DataFrame:
    """The trained model saved in ``folder`` on each document, document-separable (for
    :func:`helpers.compute.map_documents`; the model is loaded once per process).

    In: ``doc_id``, ``text``, and optionally the dictionary features already computed for these
    documents (:func:`~helpers.framing.features.lexicon_columns`: every other column is taken as
    one). Out: ``doc_id``, ``p_<label>`` (:meth:`FrameClassifier.predict_proba`) and the
    decisions of :meth:`FrameClassifier.predict` (0/1 per label, or ``label``).
    """
    clf = _classifier_at(str(folder), kind)
    proba = clf.predict_proba(part["text"].fillna("").tolist(), known=_known(part))
    ids = pd.DataFrame({"doc_id": part["doc_id"].to_numpy()})
    return pd.concat([ids, proba.add_prefix("p_"), clf.decide(proba)], axis=1)


def _merged_code(code, label_set: set) -> str:
    try:
        code = int(code)
        code = FRAC_MERGE.get(code, code) if str(code) not in label_set else code
    except (TypeError, ValueError):
        pass
    return str(code)


def _thresholds_on(texts, Y: np.ndarray, labels: list[str], scheme: str) -> dict[str, float]:
    lex = lexicon_features(texts, (scheme,), indicators=False)
    return {
        lab: best_threshold(Y[:, j], lex[f"{scheme}:{GENERIC_CODES.get(lab, lab)}"].to_numpy())[0]
        for j, lab in enumerate(labels)
        if f"{scheme}:{GENERIC_CODES.get(lab, lab)}" in lex
    }


def indicator_predict(
    texts, labels: list[str], min_matches: dict[str, int] | None = None, cut: float = 0.5
) -> np.ndarray:
    """Generic frames from the indicator rules: present when at least ``cut`` of its questions say yes."""
    ids = [str(i) for i in range(len(texts))]
    answers = indicator_answers(
        pd.DataFrame({"doc_id": ids, "text": list(texts)}), min_matches=min_matches
    )
    ind = indicator_scores(answers)
    wide = ind.pivot_table(index="doc_id", columns="frame", values="score", sort=False).reindex(ids)
    return np.column_stack(
        [(wide[GENERIC_CODES[lab]].to_numpy() >= cut).astype(int) for lab in labels]
    )


def cross_validate_frames(
    data: Labelled,
    folds: int = 5,
    scheme: str | None = None,
    tune: bool = True,
    random_state: int = SEED,
    **clf_params,
) -> dict:
    """Out-of-fold predictions on ``data``: everything fitted or chosen on the training folds only.

    Returns ``{"trained", "dictionary_only", "majority", "folds"}``: 0/1 matrices (multi-label)
    or label arrays (multi-class); the dictionary's per-frame thresholds and each frame's
    majority value come from the training folds.
    """
    scheme = scheme or ("generic" if data.task == "multilabel" else "policy")
    texts, labels = data.texts.tolist(), data.label_names
    splits = folds_for(data, folds, random_state)
    if data.task == "multiclass":
        y = data.labels.iloc[:, 0].astype(str).to_numpy()
        pred, major = np.empty(len(y), dtype=object), np.empty(len(y), dtype=object)
        for tr, te in splits:
            clf = FrameClassifier(tune=tune, random_state=random_state, **clf_params)
            clf.fit([texts[i] for i in tr], pd.Series(y[tr], name="label"))
            pred[te] = clf.predict([texts[i] for i in te]).iloc[:, 0].to_numpy()
            major[te] = majority_class(y[tr].tolist(), len(te))
        return {
            "trained": pred,
            "dictionary_only": dictionary_predict(texts, labels, scheme, "multiclass"),
            "majority": major,
            "folds": len(splits),
        }
    Y = data.labels.to_numpy()
    P, D, M = np.zeros_like(Y), np.zeros_like(Y), np.zeros_like(Y)
    for tr, te in splits:
        clf = FrameClassifier(tune=tune, random_state=random_state, **clf_params)
        clf.fit([texts[i] for i in tr], pd.DataFrame(Y[tr], columns=labels))
        P[te] = clf.predict([texts[i] for i in te])[labels].to_numpy()
        thr = _thresholds_on([texts[i] for i in tr], Y[tr], labels, scheme)
        D[te] = dictionary_predict([texts[i] for i in te], labels, scheme, "multilabel", thr)
        M[te] = [int(majority_class(Y[tr, j].tolist(), 1)[0]) for j in range(Y.shape[1])]
    return {"trained": P, "dictionary_only": D, "majority": M, "folds": len(splits)}


def _score(data: Labelled, pred, n_boot: int) -> dict:
    clusters = [text_key(t) for t in data.texts]
    if data.task == "multiclass":
        return score_multiclass(
            data.labels.iloc[:, 0].astype(str), pred, data.label_names, clusters, n_boot
        )
    return score_multilabel(data.labels.to_numpy(), pred, data.label_names, clusters, n_boot)


def _baselines(data: Labelled, majority, n_boot: int, majority_source: str) -> dict:
    """Always-yes (multi-label) and the majority prediction, scored like the methods."""
    out = {}
    if data.task == "multilabel":
        clusters = [text_key(t) for t in data.texts]
        out["always-yes"] = score_multilabel(
            data.labels.to_numpy(),
            always_yes(len(data.texts), data.label_names),
            data.label_names,
            clusters,
            n_boot,
        )
        out["majority per frame"] = score_multilabel(
            data.labels.to_numpy(), majority, data.label_names, clusters, n_boot
        )
    else:
        out["majority class"] = _score(data, majority, n_boot)
    for name, v in out.items():
        if name.startswith("majority"):
            v["majority_from"] = majority_source
    return out


def _majority_of(train: Labelled, n: int):
    if train.task == "multiclass":
        return np.array(
            majority_class(train.labels.iloc[:, 0].astype(str).tolist(), n), dtype=object
        )
    Y = train.labels.to_numpy()
    return np.tile([int(majority_class(Y[:, j].tolist(), 1)[0]) for j in range(Y.shape[1])], (n, 1))


def validate_frames(
    path: str,
    scheme: str | None = None,
    train: str | None = None,
    folds: int = 5,
    quick: bool = False,
    seed: int = SEED,
    n_boot: int = 1000,
    classifier: bool = True,
    thresholds: dict[str, float] | None = None,
    cv: bool = False,
    model: str | None = None,
) -> dict:
    """What ``python -m helpers validate frames`` reports on a labelled file, as a JSON-ready dict.

    Default: score the trained model in the loading order (``model``: a model folder instead),
    the dictionary and the indicator rules on ``path``, fitting nothing; ``cv=True``:
    cross-validate a new classifier on ``path`` (``folds`` folds); ``train``: fit on that file,
    score ``path``; ``classifier=False``: score the dictionary (``thresholds`` per frame, default
    the first match) and the indicator rules only. ``quick`` skips the inner tuning (threshold
    0.5; C=0.1 multi-label, C=1 multi-class). Out: ``file``, ``layout``, ``task``, ``labels``,
    ``data_notes``, ``n``, ``unit``, ``protocol``, one entry per method (``trained``,
    ``dictionary_only``, ``indicators_only``: ``macro_f1`` with ``ci``, per-frame
    precision/recall/F1, ``accuracy`` for multi-class), ``baselines`` and, scoring a saved model,
    ``model`` (its name, source and training data). Raises FileNotFoundError or ValueError for a
    file that cannot be used.
    """
    data = read_labelled(path)
    scheme = scheme or ("generic" if data.task == "multilabel" else "policy")
    params = {"Cs": (1.0,) if data.task == "multiclass" else (0.1,)} if quick else {}
    res: dict = {
        "file": str(path),
        "layout": data.layout,
        "task": data.task,
        "labels": data.label_names,
        "data_notes": data.notes,
        "n": len(data.texts),
        "unit": "row of FILE (copies of one text resampled together)",
    }
    texts = data.texts.tolist()
    if train and classifier:
        res.update(_trained_on(train, data, scheme, quick, seed, params, n_boot))
    elif cv and classifier:
        oof = cross_validate_frames(
            data, folds, scheme, tune=not quick, random_state=seed, **params
        )
        res["trained"] = _score(data, oof["trained"], n_boot)
        res["dictionary_only"] = _score(data, oof["dictionary_only"], n_boot)
        res["baselines"] = _baselines(data, oof["majority"], n_boot, "the training folds")
        res["protocol"] = (
            f"{oof['folds']}-fold cross-validation on FILE; C and per-frame thresholds chosen by inner "
            "CV within each training fold"
            + (" (disabled: --quick)" if quick else "")
            + "; dictionary thresholds and majorities from the training folds"
        )
    else:
        fm = _saved_model(data, model) if classifier else None
        data = _merged_to(data, fm)
        res["data_notes"] = data.notes
        dict_pred = dictionary_predict(texts, data.label_names, scheme, data.task, thresholds)
        res["dictionary_only"] = _score(data, dict_pred, n_boot)
        res.update(_scored_model(data, fm, n_boot))
        rule = (
            "the category with the highest rate"
            if data.task == "multiclass"
            else "a frame at its first match" + (", or at the given rates" if thresholds else "")
        )
        res["protocol"] = (
            "nothing fitted on FILE: "
            + (f"the {fm.source} model `{fm.name}`, " if fm is not None and fm.classifier else "")
            + f"the shipped dictionary ({rule})"
            + (" and the indicator rules" if data.layout == "generic_frames" else "")
            + " scored on FILE"
        )
    if data.layout == "generic_frames":
        res["indicators_only"] = _score(data, indicator_predict(texts, data.label_names), n_boot)
    return _json_ready(res)


def _saved_model(data: Labelled, folder: str | None) -> FrameModel:
    """The model to score: the folder given, else the loading order for FILE's labels."""
    if folder:
        clf = FrameClassifier.load(folder)
        kind = clf.meta_.get("kind", "frames-custom")
        return FrameModel(kind.removeprefix("frames-"), "given", None, clf, clf.meta_, [])
    return load_frame_model(scheme_of(data))


def _merged_to(data: Labelled, fm: FrameModel | None) -> Labelled:
    """FILE's Media Frames Corpus codes merged as in FrAC (7 -> 5, 13 -> 6 ...) when the model
    only knows the merged codes; a note says which."""
    if fm is None or fm.classifier is None or data.task != "multiclass":
        return data
    known = set(fm.classifier.labels_)
    y = data.labels.iloc[:, 0].astype(str)
    mapped = y.map(
        lambda c: str(FRAC_MERGE.get(int(c), c)) if c not in known and c.isdigit() else c
    )
    if mapped.equals(y):
        return data
    changed = sorted({f"{a}->{b}" for a, b in zip(y, mapped, strict=True) if a != b})
    notes = [*data.notes, f"codes merged as in FrAC for the model's classes: {', '.join(changed)}"]
    return Labelled(
        data.texts,
        pd.DataFrame({data.labels.columns[0]: mapped.values}),
        data.task,
        data.layout,
        notes,
        data.path,
        data.meta,
    )


def _scored_model(data: Labelled, fm: FrameModel | None, n_boot: int) -> dict:
    """The saved model's scores on FILE (when there is one) and the baselines, the majority taken
    from the model's training labels (else from FILE itself, which flatters it)."""
    texts, labels = data.texts.tolist(), data.label_names
    counts = (
        fm.meta.get("training_data", {}).get("label_counts") if fm is not None else None
    ) or {}
    out: dict = {}
    if fm is not None and fm.classifier is not None:
        clf = fm.classifier
        if data.task != ("multiclass" if clf.multiclass_ else "multilabel"):
            raise ValueError(
                f"the model `{fm.name}` predicts {'one class' if clf.multiclass_ else 'frames'} "
                f"per unit but FILE is {data.task}: use --cv or --train"
            )
        missing = (
            [lab for lab in labels if lab not in clf.labels_] if data.task == "multilabel" else []
        )
        if missing:
            raise ValueError(
                f"labels {missing} of FILE are not the model's ({clf.labels_}): use --cv or --train"
            )
        pred = clf.predict(texts)
        out["trained"] = _score(
            data, pred.iloc[:, 0].to_numpy() if clf.multiclass_ else pred[labels].to_numpy(), n_boot
        )
        out["model"] = {
            "name": fm.name,
            "source": fm.source,
            "kind": fm.meta.get("kind"),
            "trained": fm.meta.get("trained"),
            "training_data": fm.meta.get("training_data", {}).get("description"),
            "problems": fm.problems,
        }
        seen = set(fm.meta.get("training_data", {}).get("text_hashes") or [])
        n_seen = sum(h in seen for h in text_hashes(texts))
        out["model"]["units_in_training_data"] = n_seen
        if n_seen:
            out["warning"] = (
                f"{n_seen} of {len(texts)} units of FILE were in the model's training data: its "
                "scores on FILE flatter it; score it on units it never saw"
            )
    elif fm is not None:
        out["model"] = {
            "name": fm.name,
            "source": "none",
            "problems": fm.problems,
            "note": "no trained model found: only the dictionary and rules are scored",
        }
    if counts:
        out["baselines"] = _baselines(
            data,
            _majority_from_counts(data, counts, len(texts)),
            n_boot,
            "the model's training labels",
        )
    else:
        out["baselines"] = _baselines(
            data,
            _majority_of(data, len(texts)),
            n_boot,
            "FILE itself (in-sample: flatters the baseline)",
        )
    return out


def _majority_from_counts(data: Labelled, counts: dict, n: int):
    """The majority prediction from stored training counts (``{"n": N, label: count}``)."""
    if data.task == "multiclass":
        classes = {k: v for k, v in counts.items() if k != "n"}
        return np.array(
            majority_class([k for k, v in classes.items() for _ in range(int(v))], n), dtype=object
        )
    total = int(counts["n"])
    row = [int(2 * int(counts.get(lab, 0)) > total) for lab in data.label_names]
    return np.tile(row, (n, 1))


def _trained_on(
    train_path: str, data: Labelled, scheme: str, quick: bool, seed: int, params: dict, n_boot: int
) -> dict:
    """Fit on the ``train_path`` file, score ``data``; thresholds and majorities from the training file."""
    train = read_labelled(train_path)
    if train.task != data.task:
        raise ValueError(
            f"--train file is {train.task} but FILE is {data.task}; use files with the same labels"
        )
    clf = FrameClassifier(tune=not quick, random_state=seed, **params).fit(
        train.texts.tolist(), train.labels
    )
    texts, labels = data.texts.tolist(), data.label_names
    if data.task == "multiclass":
        pred = clf.predict(texts).iloc[:, 0].to_numpy()
        dict_pred = dictionary_predict(texts, labels, scheme, "multiclass")
    else:
        missing = [lab for lab in labels if lab not in clf.labels_]
        if missing:
            raise ValueError(
                f"labels {missing} of FILE are not in the --train file ({clf.labels_})"
            )
        pred = clf.predict(texts)[labels].to_numpy()
        thr = _thresholds_on(train.texts.tolist(), train.labels[labels].to_numpy(), labels, scheme)
        dict_pred = dictionary_predict(texts, labels, scheme, "multilabel", thr)
    majority_source = (
        train
        if data.task == "multiclass"
        else Labelled(train.texts, train.labels[labels], train.task, train.layout)
    )
    return {
        "trained": _score(data, pred, n_boot),
        "dictionary_only": _score(data, dict_pred, n_boot),
        "baselines": _baselines(
            data, _majority_of(majority_source, len(texts)), n_boot, "the --train file"
        ),
        "train_file": train_path,
        "train_notes": train.notes,
        "protocol": "trained on --train (C, thresholds, dictionary rates chosen there), scored on FILE",
    }


def _json_ready(x):
    if isinstance(x, dict):
        return {k: _json_ready(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_json_ready(v) for v in x]
    if isinstance(x, (float, np.floating)):
        return None if math.isnan(x) else round(float(x), 4)
    if isinstance(x, np.integer):
        return int(x)
    return x
