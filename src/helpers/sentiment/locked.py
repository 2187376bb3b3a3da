"""The locked-part validation of tone toward targets, for ``python -m helpers validate all``.

NewsMTSC ships its own split, so it is used as the protocol's split: ``train.jsonl`` is the
tuning part (every choice of the light model was made by sentence-grouped cross-validation on
it, :mod:`.tuning`; the package defaults hold the chosen values) and ``dev_rw.jsonl`` /
``dev_mt.jsonl`` are locked, read only here. Each method is scored with macro-F1 beside the
majority class of the *training* labels and the lexicon baseline (VADER on ±10 words around the
mention), with 95 % intervals from a bootstrap over sentences: several targets share one
sentence, so sentences are resampled with all their targets
(:func:`helpers.validation.cluster_bootstrap`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..agreement import cohen_kappa
from ..validation import ValidationRecord, cluster_bootstrap, majority_class, text_key
from ..validation.records import sha256_file
from .embeddings import embeddings_available
from .model_files import MODEL_NAME, SHIPPED_RECORD, load_target_model
from .newsmtsc import LABELS, read_newsmtsc
from .ship import SHIP_COMMAND, SHIPPED_DIR
from .target_models import POLARITY_NAMES, predict_polarity, train_target_model
from .validation import macro_f1

MEASURE = "target_sentiment"
COMMAND = "python -m helpers validate all --only targets"
LOCKED_SETS = ("dev_rw", "dev_mt")
WINDOW = 10
#: The shipped artifact, relative to helpers/resources (hashed into the record: retraining marks it stale).
SHIPPED_RESOURCE = f"../models/{MODEL_NAME}/arrays.npz"
PROTOCOL = (
    "NewsMTSC's shipped split: train.jsonl (8,739 targets) is the tuning part — the light model's "
    "feature groups, C and context window were chosen by 5-fold cross-validation on it, grouped by "
    "sentence (StratifiedGroupKFold; `python -m helpers train targets --train train.jsonl --cv --ablation`), "
    "then the model is fitted on all of it and shipped in the package (`python -m helpers train targets "
    "--ship`); the record scores that shipped file as users get it; dev_rw (real-world distribution) and dev_mt "
    "(multi-target sentences) are locked and read only by this validation. Macro-F1 over "
    "negative/neutral/positive; the majority class comes from the training labels; 95 % "
    "intervals: percentile bootstrap over sentences (all targets of a drawn sentence together)."
)


def _scored(name: str, y: np.ndarray, pred: np.ndarray, clusters: list[str], n_boot: int) -> dict:
    """Macro-F1 of one prediction with its sentence-bootstrap interval, plus details."""
    score = macro_f1(y, pred)
    ci = cluster_bootstrap(lambda i: macro_f1(y[i], pred[i]), clusters, n_boot=n_boot)
    f1 = {POLARITY_NAMES[lab]: round(macro_f1(y, pred, labels=[lab]), 4) for lab in LABELS}
    return {"name": name, "score": score, "ci": list(ci),
            "details": {"accuracy": round(float(np.mean(y == pred)), 4),
                        "cohen_kappa": _round(cohen_kappa(y.tolist(), pred.tolist())),
                        "f1_per_class": f1}}


def _round(x) -> float | None:
    return None if x is None or x != x else round(float(x), 4)


def _predictions(train: pd.DataFrame, data: pd.DataFrame, models: dict) -> dict[str, np.ndarray]:
    preds = {name: np.asarray(m.predict(data), dtype=int) for name, m in models.items()}
    preds[f"VADER ±{WINDOW} words"] = predict_polarity(data, "vader-window", window=WINDOW)["polarity"].to_numpy(int)
    preds["VADER whole sentence"] = predict_polarity(data, "vader-sentence")["polarity"].to_numpy(int)
    majority = majority_class(train["polarity"].astype(int).tolist(), len(data))
    preds[f"majority class ({POLARITY_NAMES[majority[0]]}, from train)"] = np.asarray(majority, dtype=int)
    return preds


def _shipped(train_file: Path) -> tuple[object, str]:
    """The shipped light model (the artifact users get) and a note when it was not trained on
    this ``train_file`` (its recorded SHA-256 differs)."""
    model = load_target_model(SHIPPED_DIR)
    if model is None:
        raise FileNotFoundError(f"no shipped target model in {SHIPPED_DIR.name}/: run {SHIP_COMMAND} first")
    trained_on = model.meta_.get("training", {}).get("sha256")
    if trained_on == sha256_file(train_file):
        return model, ""
    return model, ("The shipped model was NOT trained on this train.jsonl (its recorded SHA-256 differs): "
                   "retrain it with " + SHIP_COMMAND + ".")


def _models(train: pd.DataFrame, train_file: Path) -> tuple[dict, dict, str]:
    """The trained methods: the shipped light model (loaded from the package, as users get it),
    the embedding model if torch is installed (fitted here). Returns (models, their settings, a
    note on what was left out)."""
    light, shipped_note = _shipped(train_file)
    models = {SHIPPED_RECORD: light}
    settings = {SHIPPED_RECORD: {**light.describe(), "artifact": f"helpers/models/{MODEL_NAME}",
                                 "trained": light.meta_.get("trained")}}
    ok, why = embeddings_available()
    if not ok:
        return models, settings, " ".join(n for n in (
            shipped_note, f"The embedding model (light + frozen MiniLM) is not validated here: {why}.") if n)
    emb = train_target_model(train, kind="embedding")
    models["embedding model (light + MiniLM)"] = emb
    settings["embedding model (light + MiniLM)"] = emb.describe()
    note = ("The embedding model is fitted here on train.jsonl (not shipped: it needs the optional torch extra); "
            "its vote weight and MiniLM C were chosen by cross-validation on train.")
    return models, settings, " ".join(n for n in (shipped_note, note) if n)


def validation_records(eval_dir: Path, n_boot: int = 1000) -> list[ValidationRecord]:
    """Records for ``validate all``: on each locked NewsMTSC set, the shipped light model (the
    artifact in ``helpers/models/targets``, loaded as users get it; trained on all of train with
    its CV-chosen settings), the VADER window baseline and VADER on the whole sentence, each beside
    the majority class and, where the method is not itself that, the VADER window; macro-F1 with
    a 95 % bootstrap interval over sentences. The shipped model's records list its arrays.npz in
    ``resources``, so retraining it marks them stale until this runs again."""
    folder = Path(eval_dir) / "newsmtsc"
    train = read_newsmtsc(folder / "train.jsonl")
    models, settings, model_note = _models(train, folder / "train.jsonl")
    train_keys = {text_key(s) for s in train["sentence"]}
    records = []
    for split in LOCKED_SETS:
        data = read_newsmtsc(folder / f"{split}.jsonl")
        y = data["polarity"].astype(int).to_numpy()
        clusters = [text_key(s) for s in data["sentence"]]
        scored = {name: _scored(name, y, p, clusters, n_boot)
                  for name, p in _predictions(train, data, models).items()}
        majority = next(v for k, v in scored.items() if k.startswith("majority"))
        lexicon = scored[f"VADER ±{WINDOW} words"]
        overlap = len(set(clusters) & train_keys)
        for name, rec in scored.items():
            if rec is majority:
                continue
            baselines = [majority] if rec is lexicon else [majority, lexicon]
            notes = []
            if name in settings:
                notes.append(f"Sentences also in train: {overlap} of the {len(set(clusters))} in {split} "
                             "(NewsMTSC's own split; left as shipped)." if overlap else "")
                notes.append(model_note)
            records.append(ValidationRecord(
                measure=MEASURE, method=name, dataset=f"NewsMTSC {split}", part="locked", unit="sentence",
                n_units=len(set(clusters)), n_items=len(data), metric="macro-F1", score=rec["score"],
                ci=tuple(rec["ci"]), protocol=PROTOCOL, command=COMMAND,
                baselines=[{"name": b["name"], "score": b["score"], "ci": b["ci"]} for b in baselines],
                code=["sentiment"], data_files=["newsmtsc/train.jsonl", f"newsmtsc/{split}.jsonl"],
                resources=[SHIPPED_RESOURCE] if name == SHIPPED_RECORD else [],
                details={**rec["details"], "baselines": {b["name"]: b["details"] for b in baselines},
                         **({"settings": settings[name]} if name in settings else {})},
                notes=" ".join(n for n in notes if n),
            ))
    return records
