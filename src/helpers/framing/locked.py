"""The frame measures scored on their locked parts: what ``python -m helpers validate all`` records.

Each labelled set is split once (:func:`helpers.framing.parts_of`); every choice is made on the
tune part (:mod:`.tuning`, :func:`helpers.framing.choose_min_matches`); each method is then
fitted on all of tune and scored once on the locked part, beside the trivial baselines
(always-yes and the tune majority of each frame; the tune majority class; each question's tune
majority answer) and the dictionary method, with 95 % bootstrap intervals over articles
(generic frames, indicator answers) or sentences (FrAC). :func:`validation_records` returns the
:class:`helpers.validation.ValidationRecord` objects of the measures ``generic_frames``,
``frame_indicators`` and ``policy_frames``. The "trained classifier" records score the model
shipped in ``helpers/models`` (its files are listed in the record's ``resources``, so retraining
marks the record stale) after checking it was trained on exactly this tune part; without such a
file a classifier is fitted the same way for the run and the record says so. This is the only
module that reads a locked part.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..agreement import cohen_kappa
from ..artifacts import ArtifactError
from ..validation import ValidationRecord, cluster_bootstrap, majority_class, text_key
from .classifier import FrameClassifier
from .coding import read_human_answers
from .dictionaries import load_dictionary
from .evaluation import dictionary_predict, indicator_predict
from .indicators import choose_min_matches, cue_counts, indicator_answers
from .labelled import Labelled, read_labelled
from .metrics import baseline_entry, multilabel_baselines, score_multiclass, score_multilabel
from .shipping import SHIP_CANDIDATES
from .store import KINDS, MODEL_NAMES, artifact_resources, shipped_folder
from .tuning import dictionary_thresholds, fit_on_tune, parts_of, subset, tune_fingerprint

CLIMATE = "climate_frames/articles_dev.tsv"
ANSWERS = "climate_frames/indicator_answers_dev.json"
FRAC = "frac/sentences_dev.csv"
COMMAND = "python -m helpers validate all --only frames"
CODE = ["framing", "text.py", "agreement.py", "validation"]
CLASSIFIER_RESOURCES = [
    "frames_generic.yml",
    "frames_policy.yml",
    "frames_territorial.yml",
    "abbreviations.txt",
]

GENERIC_PROTOCOL = (
    "The climate articles are split once (split_parts: copies of a text together, stratified by frame "
    "combination, 40 % locked). On the tune part only: the classifier's setting by 4-fold cross-validation among "
    "the candidates of docs/framing.md, its C and per-frame thresholds by its inner cross-validation, fitted on all "
    "of tune and shipped as helpers/models/frames_generic (`python -m helpers train frames --ship generic`; the "
    "record scores that file, whose hash it keeps); the dictionary's per-frame rate thresholds by best F1, the "
    "indicator rules' cue thresholds from the tune articles' human answers; scored once on locked. Macro-F1 over "
    "the five frames; baselines: always-yes, the tune majority of each frame (and the dictionary for the "
    "classifier); 95 % bootstrap intervals over articles."
)
INDICATOR_PROTOCOL = (
    "The climate articles' split (as for generic_frames). Each question's cue threshold (min_matches, 1-5) is "
    "set on the tune articles' human majority answers (best yes/no macro-F1); the rules then answer the locked "
    "articles. Score: yes/no macro-F1 per question, averaged over the questions the battery and the rules "
    'share ("NO AGREEMENT" answers left out); baselines: each question\'s tune majority answer, always-yes; '
    "95 % bootstrap intervals over articles."
)
POLICY_PROTOCOL = (
    "The FrAC development sentences are split once (split_parts: copies of a sentence together, stratified by "
    "label, 40 % locked). On the tune part only: the classifier's setting by 4-fold cross-validation among the "
    "candidates of docs/framing.md and its C by its inner cross-validation, fitted on all of tune and shipped as "
    "helpers/models/frames_policy (`python -m helpers train frames --ship policy`; the record scores that file, "
    "whose hash it keeps); scored once on locked. The dictionary needs no fitting (the category with the "
    "highest rate). Macro-F1 over the classes (accuracy in the details); "
    "baselines: the tune majority class, the dictionary; 95 % bootstrap intervals over sentences."
)
MEASURES = {
    "generic_frames": {
        "dataset": "climate articles (Frermann et al. 2023)",
        "unit": "article",
        "protocol": GENERIC_PROTOCOL,
        "data_files": [CLIMATE],
    },
    "frame_indicators": {
        "dataset": "climate articles, indicator answers (Frermann et al. 2023)",
        "unit": "article",
        "protocol": INDICATOR_PROTOCOL,
        "data_files": [CLIMATE, ANSWERS],
        "metric": "mean yes/no macro-F1 over questions",
    },
    "policy_frames": {
        "dataset": "FrAC sentences (Guida et al. 2025)",
        "unit": "sentence",
        "protocol": POLICY_PROTOCOL,
        "data_files": [FRAC],
    },
}


def _record(
    measure: str,
    method: str,
    scored: dict,
    baselines: list[dict],
    resources: list[str],
    details: dict,
    notes: str = "",
    n_items: int | None = None,
) -> ValidationRecord:
    spec = MEASURES[measure]
    return ValidationRecord(
        measure=measure,
        method=method,
        dataset=spec["dataset"],
        part="locked",
        unit=spec["unit"],
        n_units=int(scored["n"]),
        metric=spec.get("metric", "macro-F1"),
        score=scored["macro_f1"],
        ci=tuple(scored["ci"]),
        baselines=baselines,
        protocol=spec["protocol"],
        command=COMMAND,
        n_items=n_items,
        resources=resources,
        code=CODE,
        data_files=spec["data_files"],
        details=details,
        notes=notes,
    )


def _feature_note(chosen: str, candidates: dict, cv: dict[str, float]) -> str:
    default = next(iter(candidates))
    if chosen == default:
        return ""
    return (
        f"feature set chosen by cross-validation on tune: {chosen} (FrameClassifier's default: "
        f"{default}); tune CV macro-F1 " + ", ".join(f"{k} {v:.3f}" for k, v in cv.items())
    )


def _per_frame(scored: dict) -> dict:
    return {
        "per_frame_f1": {k: v["f1"] for k, v in scored["per_frame"].items()},
        "per_frame": scored["per_frame"],
    }


def _classifier(tune: Labelled, scheme: str, candidates: dict[str, dict] | None, folds: int):
    """The shipped model when it was trained on exactly this tune part, else (no shipped file, or
    one trained on other rows) a classifier fitted the same way on ``tune`` for this run.
    Returns (classifier, details, resources, note)."""
    clf, reason = _shipped_for(scheme, tune)
    if clf is not None:
        sel = clf.meta_["selection"]
        cv = {k: v["macro_f1"] for k, v in sel["cv"].items()}
        info = {
            "model": f"shipped: helpers/models/{MODEL_NAMES[scheme]} (trained {clf.meta_['trained'][:10]})",
            "feature_set": sel["chosen"],
            "tune_cv_macro_f1": cv,
            "C": clf.C_,
        }
        resources = CLASSIFIER_RESOURCES + artifact_resources(scheme)
        return clf, info, resources, _feature_note(sel["chosen"], sel["candidates"], cv)
    candidates = candidates or SHIP_CANDIDATES[scheme]
    clf, chosen, report = fit_on_tune(tune, candidates, folds)
    cv = {k: v["macro_f1"] for k, v in report.items()}
    info = {
        "model": f"fitted for this run on tune (not the shipped file: {reason})",
        "feature_set": chosen,
        "tune_cv_macro_f1": cv,
        "C": clf.C_,
    }
    note = "; ".join(
        x
        for x in (
            f"not the shipped model ({reason}): a classifier fitted the same way on tune",
            _feature_note(chosen, candidates, cv),
        )
        if x
    )
    return clf, info, CLASSIFIER_RESOURCES, note


def _shipped_for(scheme: str, tune: Labelled) -> tuple[FrameClassifier | None, str]:
    """The shipped model if it was trained on exactly ``tune`` (so it never saw the locked part),
    else (None, why not)."""
    folder = shipped_folder(scheme)
    if not (folder / "meta.json").is_file():
        return None, "none shipped"
    try:
        clf = FrameClassifier.load(folder, KINDS[scheme])
    except (ArtifactError, KeyError, ValueError) as exc:
        return None, f"unusable: {str(exc).replace(str(folder), MODEL_NAMES[scheme])}"
    if clf.meta_.get("training_data", {}).get("tune_sha256") != tune_fingerprint(tune):
        return None, "trained on other rows than this tune part"
    return clf, ""


def generic_frame_records(
    data: Labelled,
    parts: pd.Series,
    n_boot: int,
    min_matches: dict[str, int] | None = None,
    candidates: dict[str, dict] | None = None,
    folds: int = 4,
) -> list[ValidationRecord]:
    """The ``generic_frames`` records: classifier, dictionary, indicator rules on the locked articles."""
    tune, locked = subset(data, parts == "tune"), subset(data, parts == "locked")
    labels, texts = list(data.labels.columns), locked.texts.tolist()
    clusters, Y = [text_key(t) for t in texts], locked.labels.to_numpy()

    def scored(pred):
        return score_multilabel(Y, pred, labels, clusters, n_boot)

    clf, info, resources, note = _classifier(tune, "generic", candidates, folds)
    trained = scored(clf.predict(texts)[labels].to_numpy())
    thr = dictionary_thresholds(tune, "generic")
    lexicon = scored(dictionary_predict(texts, labels, "generic", "multilabel", thr))
    rules = scored(indicator_predict(texts, labels, min_matches))
    base = multilabel_baselines(tune.labels.to_numpy(), Y, labels, clusters, n_boot)
    trivial = [baseline_entry(name, s) for name, s in base.items()]
    common = {
        "baselines_per_frame_f1": {
            name: {k: v["f1"] for k, v in s["per_frame"].items()} for name, s in base.items()
        },
        "n_tune": len(tune.texts),
        "data_notes": data.notes,
    }
    rule = "frame present when at least half of its questions are answered yes"
    return [
        _record(
            "generic_frames",
            "trained classifier",
            trained,
            [*trivial, baseline_entry("dictionary", lexicon)],
            resources,
            {**_per_frame(trained), **info, "thresholds": clf.threshold_, **common},
            note,
        ),
        _record(
            "generic_frames",
            "dictionary",
            lexicon,
            trivial,
            ["frames_generic.yml"],
            {**_per_frame(lexicon), "rate_thresholds": thr, **common},
        ),
        _record(
            "generic_frames",
            "indicator rules",
            rules,
            trivial,
            ["frames_generic.yml"],
            {**_per_frame(rules), "rule": rule, "min_matches": min_matches, **common},
        ),
    ]


def policy_frame_records(
    data: Labelled,
    parts: pd.Series,
    n_boot: int,
    candidates: dict[str, dict] | None = None,
    folds: int = 4,
) -> list[ValidationRecord]:
    """The ``policy_frames`` records: classifier and dictionary on the locked FrAC sentences."""
    tune, locked = subset(data, parts == "tune"), subset(data, parts == "locked")
    labels, texts = data.label_names, locked.texts.tolist()
    y = locked.labels.iloc[:, 0].astype(str).to_numpy()
    clusters = [text_key(t) for t in texts]

    def scored(pred):
        return score_multiclass(y, pred, labels, clusters, n_boot)

    clf, info, resources, note = _classifier(tune, "policy", candidates, folds)
    trained = scored(clf.predict(texts).iloc[:, 0])
    lexicon = scored(dictionary_predict(texts, labels, "policy", "multiclass"))
    major = scored(majority_class(tune.labels.iloc[:, 0].astype(str).tolist(), len(y)))

    def acc(s):
        return {"accuracy": s["accuracy"], "accuracy_ci": s["accuracy_ci"]}

    common = {
        "baseline_accuracy": {"majority class (tune)": acc(major), "dictionary": acc(lexicon)},
        "n_tune": len(tune.texts),
        "data_notes": data.notes,
    }
    majority = baseline_entry("majority class (tune)", major)
    return [
        _record(
            "policy_frames",
            "trained classifier",
            trained,
            [majority, baseline_entry("dictionary", lexicon)],
            resources,
            {**_per_frame(trained), **acc(trained), **info, **common},
            note,
        ),
        _record(
            "policy_frames",
            "dictionary",
            lexicon,
            [majority],
            ["frames_policy.yml"],
            {**_per_frame(lexicon), **acc(lexicon), **common},
        ),
    ]


def _question_macro_f1(q: np.ndarray, h: np.ndarray, r: np.ndarray, nq: int):
    """Metric over rows (article, question): mean over questions of the yes/no macro-F1."""

    def metric(idx: np.ndarray) -> float:
        c = np.bincount(q[idx] * 4 + h[idx] * 2 + r[idx], minlength=4 * nq).reshape(nq, 4)
        tn, fp, fn, tp = c.astype(float).T
        with np.errstate(divide="ignore", invalid="ignore"):
            f_yes = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)
            f_no = np.where(2 * tn + fp + fn > 0, 2 * tn / (2 * tn + fp + fn), np.nan)
            per_q = np.nanmean(np.column_stack([f_yes, f_no]), axis=1)
        seen = c.sum(1) > 0
        return float(np.nanmean(per_q[seen])) if seen.any() else float("nan")

    return metric


def _answer_rows(data: Labelled, parts: pd.Series, human: pd.DataFrame):
    """Cue thresholds chosen on the tune articles; then one row per locked (article, question)."""
    ids = data.meta["ID"].astype(str)
    has = ids.isin(human.index).to_numpy()
    docs = pd.DataFrame({"doc_id": ids[has], "text": data.texts[has]})
    counts = cue_counts(indicator_answers(docs))
    tune_ids = ids[has & (parts == "tune").to_numpy()].tolist()
    chosen = choose_min_matches(counts.loc[tune_ids], human.loc[tune_ids])
    questions = [q for q in counts.columns if q in chosen]
    locked = has & (parts == "locked").to_numpy()
    lk_ids, lk_keys = ids[locked].tolist(), [text_key(t) for t in data.texts[locked]]
    rows = [
        (j, lk_keys[i], a, bool(human.at[a, qid]), bool(counts.at[a, qid] >= chosen[qid]))
        for j, qid in enumerate(questions)
        for i, a in enumerate(lk_ids)
        if pd.notna(human.at[a, qid])
    ]
    q, cl, art, h, r = (np.array(x) for x in zip(*rows, strict=True))
    majority = [
        int(majority_class(human.loc[tune_ids, qid].dropna().astype(bool).tolist(), 1)[0])
        for qid in questions
    ]
    return {
        "q": q,
        "clusters": cl,
        "articles": art,
        "human": h.astype(int),
        "rules": r.astype(int),
        "questions": questions,
        "chosen": chosen,
        "majority": np.array(majority, dtype=int),
        "n_tune": len(tune_ids),
    }


def _per_question(a: dict) -> dict:
    q, h, r = a["q"], a["human"], a["rules"]
    out = {}
    for j, qid in enumerate(a["questions"]):
        m = q == j
        f1 = _question_macro_f1(np.zeros(m.sum(), dtype=int), h[m], r[m], 1)(np.arange(m.sum()))
        out[qid] = {
            "n": int(m.sum()),
            "human_yes": int(h[m].sum()),
            "rule_yes": int(r[m].sum()),
            "min_matches": int(a["chosen"][qid]),
            "accuracy": round(float(np.mean(h[m] == r[m])), 3),
            "macro_f1": _round(f1),
            "cohen_kappa": _round(cohen_kappa(h[m].tolist(), r[m].tolist())),
        }
    return out


def indicator_records(
    data: Labelled, parts: pd.Series, human: pd.DataFrame, n_boot: int
) -> tuple[list[ValidationRecord], dict[str, int]]:
    """The ``frame_indicators`` record, and the cue thresholds chosen on the tune articles."""
    a = _answer_rows(data, parts, human)
    q, h, nq = a["q"], a["human"], len(a["questions"])

    def scored(pred):
        metric = _question_macro_f1(q, h, pred, nq)
        return {
            "macro_f1": metric(np.arange(len(q))),
            "n": len(set(a["articles"])),
            "ci": list(cluster_bootstrap(metric, a["clusters"], n_boot)),
            "accuracy": float(np.mean(h == pred)),
        }

    rules, always, major = scored(a["rules"]), scored(np.ones_like(h)), scored(a["majority"][q])
    shipped = _shipped_min_matches()
    differ = {k: (shipped.get(k), v) for k, v in a["chosen"].items() if shipped.get(k) != v}
    details = {
        "per_question": _per_question(a),
        "mean_accuracy": {
            "rules": rules["accuracy"],
            "always-yes": always["accuracy"],
            "majority answer": major["accuracy"],
        },
        "min_matches": a["chosen"],
        "shipped_differs_from_tune_choice": differ,
        "n_tune_articles": a["n_tune"],
    }
    notes = (
        ""
        if not differ
        else "frames_generic.yml's min_matches differ from the tune choice: "
        + ", ".join(f"{k} {old}->{new}" for k, (old, new) in differ.items())
    )
    baselines = [
        baseline_entry("majority answer (tune)", major),
        baseline_entry("always-yes", always),
    ]
    rec = _record(
        "frame_indicators",
        "indicator rules",
        rules,
        baselines,
        ["frames_generic.yml"],
        details,
        notes,
        n_items=len(q),
    )
    return [rec], a["chosen"]


def _round(x):
    return None if x is None or not np.isfinite(x) else round(float(x), 3)


def _shipped_min_matches() -> dict[str, int]:
    d = load_dictionary("generic")
    return {
        str(qid): int(spec.get("min_matches", 1))
        for qs in d.indicators.values()
        for qid, spec in qs.items()
    }


def validation_records(eval_dir: Path, n_boot: int = 1000) -> list[ValidationRecord]:
    """Every frame measure scored on its locked part (the files absent are skipped)."""
    eval_dir = Path(eval_dir)
    records: list[ValidationRecord] = []
    if (eval_dir / CLIMATE).is_file():
        data = read_labelled(eval_dir / CLIMATE)
        parts = parts_of(data)
        min_matches = None
        if (eval_dir / ANSWERS).is_file():
            human = read_human_answers(eval_dir / ANSWERS)
            recs, min_matches = indicator_records(data, parts, human, n_boot)
            records += recs
        records += generic_frame_records(data, parts, n_boot, min_matches)
    if (eval_dir / FRAC).is_file():
        data = read_labelled(eval_dir / FRAC)
        records += policy_frame_records(data, parts_of(data), n_boot)
    return records
