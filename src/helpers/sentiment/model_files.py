"""Target models as files: arrays + JSON (no pickle), a model card, and the loading order.

:func:`save_target_model` writes a model folder with :func:`helpers.artifacts.save_artifact`:
``arrays.npz`` (the tf-idf vocabularies and idf, the scaler of the dense features, the logistic
regression's coefficients; for the embedding model also the MiniLM scaler and classifier),
``meta.json`` (kind, format version, settings, training data) and ``MODEL_CARD.md``. Nothing is
pickled, so a model trained with one scikit-learn release loads with the next. The fine-tuned
MiniLM keeps its weights in ``finetuned.pt`` (a torch state dict, read with
``weights_only=True``) beside the same ``meta.json``.

:func:`load_target_model` loads a folder, or with no folder follows the loading order of
:func:`helpers.artifacts.resolve_model`: a model the user trained (``MODELS_DIR/targets``),
then the model shipped in the package (``helpers/models/targets``, trained on NewsMTSC train by
``python -m helpers train targets --ship``); ``None`` means the VADER window baseline. Every
loaded model carries ``origin_`` (where it came from), and :func:`scorer_note` turns that into
the sentence a page prints, with the locked validation score of the shipped model.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import numpy as np

from ..artifacts import (
    SHIPPED_MODELS,
    ArtifactError,
    load_artifact,
    logistic_from_arrays,
    logistic_to_arrays,
    resolve_model,
    save_artifact,
    scaler_from_arrays,
    scaler_to_arrays,
    tfidf_from_arrays,
    tfidf_to_arrays,
)
from ..config import MODELS_DIR, PROJECT_ROOT
from ..findings import validation_note
from .embeddings import EmbeddingTargetClassifier, FineTunedTargetClassifier, embeddings_available
from .light_model import TargetSentimentClassifier

#: Folder name of target models under MODELS_DIR and inside the package.
MODEL_NAME = "targets"
KINDS = {"light": "target-sentiment-light", "embedding": "target-sentiment-embedding",
         "finetuned": "target-sentiment-finetuned"}
#: The validation record of the shipped model (``validate all``) and of the lexicon baseline.
SHIPPED_RECORD = "light model (default)"
BASELINE_RECORD = "VADER ±10 words"
_LIGHT_PARAMS = ("C", "window", "dense_weight", "features", "class_weight", "ngram_max", "random_state")


def _light_arrays(model: TargetSentimentClassifier) -> tuple[dict[str, np.ndarray], dict]:
    """The fitted parts of a light model as arrays, and the JSON-ready parameters to rebuild it."""
    feats = set(model.features)
    arrays, params = logistic_to_arrays(model.clf_, "clf"), {}
    if feats & {"sentence", "masked"}:
        a, params["sentence_vec"] = tfidf_to_arrays(model.sentence_vec_, "sentence_vec")
        arrays |= a
    if feats & {"context", "role"}:
        a, params["context_vec"] = tfidf_to_arrays(model.context_vec_, "context_vec")
        arrays |= a
    for group in model.EXTRA_FEATURES:
        if group in feats:
            a, params[f"{group}_vec"] = tfidf_to_arrays(model.extra_vecs_[group], f"{group}_vec")
            arrays |= a
    if "lexicon" in feats:
        arrays |= scaler_to_arrays(model.scaler_, "scaler")
    settings = {k: getattr(model, k) for k in _LIGHT_PARAMS if hasattr(model, k)}
    settings["features"] = list(settings["features"])
    return arrays, {"settings": settings, "vectorizers": params}


def _light_from(arrays: dict, meta: dict, cls=TargetSentimentClassifier, **extra):
    """Rebuild a light model (or the light part of an embedding model) from its arrays."""
    settings = dict(meta["settings"])
    settings["features"] = tuple(settings["features"])
    model = cls(**{k: v for k, v in settings.items() if k in _LIGHT_PARAMS}, **extra)
    vecs = meta["vectorizers"]
    if "sentence_vec" in vecs:
        model.sentence_vec_ = tfidf_from_arrays(arrays, "sentence_vec", vecs["sentence_vec"])
    if "context_vec" in vecs:
        model.context_vec_ = tfidf_from_arrays(arrays, "context_vec", vecs["context_vec"])
    model.extra_vecs_ = {g: tfidf_from_arrays(arrays, f"{g}_vec", vecs[f"{g}_vec"])
                         for g in model.EXTRA_FEATURES if f"{g}_vec" in vecs}
    if "scaler.n" in arrays:
        model.scaler_ = scaler_from_arrays(arrays, "scaler")
    model.clf_ = logistic_from_arrays(arrays, "clf")
    model.classes_ = model.clf_.classes_
    return model


#: How the settings were chosen, as the card says it.
DEFAULTS_CHOSEN = ("the package defaults, chosen by 5-fold cross-validation on NewsMTSC train.jsonl only, "
                   "grouped by sentence (`python -m helpers train targets --train train.jsonl --cv --ablation`; "
                   "grid and ablation steps in docs/sentiment.md); the locked dev splits were never used to "
                   "choose or fit")


def save_target_model(model, out: str | Path | None = None, training: dict | None = None,
                      cv: dict | None = None, how_chosen: str = DEFAULTS_CHOSEN) -> Path:
    """Save a trained target model in ``out`` (default ``MODELS_DIR/targets``): arrays + JSON +
    MODEL_CARD.md, no pickle. ``training`` (data name, rows, licence …), ``cv`` (its
    cross-validated score on the training data) and ``how_chosen`` (how its settings were
    chosen) go into meta.json and the card. Returns the folder."""
    out = Path(out) if out is not None else MODELS_DIR / MODEL_NAME
    kind = model.describe()["kind"]
    meta = {"model": model.describe(), "trained": time.strftime("%Y-%m-%d"), "training": training or {},
            "settings_chosen": how_chosen, "cv_on_train": cv or {}}
    if kind == "finetuned":
        arrays = {}
        meta["weights"] = "finetuned.pt (torch state dict; needs the embeddings extra)"
    else:
        arrays, params = _light_arrays(model)
        meta |= params
    if kind == "embedding":
        arrays |= scaler_to_arrays(model.emb_scaler_, "emb_scaler") | logistic_to_arrays(model.emb_clf_, "emb_clf")
        meta["settings"] |= {"light_weight": model.light_weight, "embedding_C": model.embedding_C}
    save_artifact(out, KINDS[kind], arrays, meta, model_card(meta, kind))
    if kind == "finetuned":
        model.save(out)
    for old in ("model.joblib", "model.json"):  # an older save in this folder would confuse readers
        (out / old).unlink(missing_ok=True)
    return out


def _kind_of(folder: Path) -> str:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    for short, kind in KINDS.items():
        if meta.get("kind") == kind:
            return short
    raise ArtifactError(f"{_display(folder)} holds a {meta.get('kind')!r} model, not a target model")


def _load_folder(folder: Path):
    if not (folder / "meta.json").is_file():
        if (folder / "model.joblib").is_file():
            raise ArtifactError(
                f"{_display(folder)} holds a target model in the old pickle format (model.joblib), which "
                "is no longer loaded: retrain it with python -m helpers train targets --train FILE")
        return None
    short = _kind_of(folder)
    if short != "light":
        ok, why = embeddings_available()
        if not ok:
            raise ImportError(f"the model in {_display(folder)} is a {short} model: {why}")
    try:
        arrays, meta = load_artifact(folder, KINDS[short])
    except ArtifactError as exc:  # say where without an absolute path (pages show this message)
        raise ArtifactError(str(exc).replace(str(folder), _display(folder))) from exc
    if short == "finetuned":
        model = FineTunedTargetClassifier.load(folder)
    elif short == "embedding":
        s = meta["settings"]
        model = _light_from(arrays, meta, EmbeddingTargetClassifier, light_weight=s["light_weight"],
                            embedding_C=s["embedding_C"])
        model.emb_scaler_ = scaler_from_arrays(arrays, "emb_scaler")
        model.emb_clf_ = logistic_from_arrays(arrays, "emb_clf")
    else:
        model = _light_from(arrays, meta)
    model.meta_ = meta
    return model


def load_target_model(path: str | Path | None = None, user_dir: str | Path | None = None):
    """Load a target model: from the folder ``path``, or (``path=None``) the first of the user's
    model (``user_dir``, default ``MODELS_DIR``, subfolder ``targets``) and the shipped one.

    Returns the model with ``origin_`` (``source`` user/shipped/folder, ``folder`` as shown on
    pages, ``trained``, ``training``), or ``None`` when there is none (the caller then uses the
    VADER window baseline). A folder written in an older model format or as a pickle raises
    :class:`helpers.artifacts.ArtifactError` (a ValueError) saying how to retrain; an embedding or
    fine-tuned model without torch raises ImportError.
    """
    if path is not None:
        folder, source = Path(path), "folder"
        if folder.resolve() == (SHIPPED_MODELS / MODEL_NAME).resolve():
            source = "shipped"
        elif folder.resolve() == (Path(user_dir or MODELS_DIR) / MODEL_NAME).resolve():
            source = "user"
    else:
        user = Path(user_dir) if user_dir is not None else MODELS_DIR
        if (user / MODEL_NAME / "model.joblib").is_file() and not (user / MODEL_NAME / "meta.json").is_file():
            _load_folder(user / MODEL_NAME)  # raises: an old pickled model is never skipped silently
        folder, source = resolve_model(MODEL_NAME, user)
        if folder is None:
            return None
    model = _load_folder(folder)
    if model is not None:
        meta = model.meta_
        model.origin_ = {"source": source, "folder": _display(folder), "trained": meta.get("trained", ""),
                         "training": meta.get("training", {}), "sha256": _folder_sha256(folder)}
    return model


def _folder_sha256(folder: Path) -> str:
    """SHA-256 over the names and bytes of a model folder's files (sorted): its content key."""
    h = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def model_fingerprint(model) -> str | None:
    """The content key of a loaded model's files (``"vader-window"`` for no model), for cache
    keys of its predictions; ``None`` for a model fitted in this session (no file behind it).

    >>> model_fingerprint(None)
    'vader-window'
    """
    if model is None:
        return "vader-window"
    return getattr(model, "origin_", {}).get("sha256")


def _display(folder: Path) -> str:
    """A folder as a page may show it: relative to the package or project, never absolute."""
    folder = Path(folder).resolve()
    for base, prefix in ((SHIPPED_MODELS.parent.parent, ""), (PROJECT_ROOT, "")):
        try:
            return prefix + folder.relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return folder.name


def model_source(model) -> str:
    """``"shipped"``, ``"user"``, ``"folder"``, ``"fitted now"`` (no file behind it) or ``"none"``."""
    if model is None:
        return "none"
    return getattr(model, "origin_", {}).get("source", "fitted now")


def scorer_note(model, window: int = 10) -> tuple[str, str]:
    """``(which scorer, its validation)`` for a page: what was used and its locked-part score.

    The shipped model's validation is its record from ``validate all`` (macro-F1 on NewsMTSC
    dev_rw, never seen in training); a model the user trained or fitted now has no locked score
    of its own, and the note says so and points to ``validate targets FILE``.

    >>> which, score = scorer_note(None)
    >>> which.startswith("VADER ±10-word window")
    True
    """
    if model is None:
        return (f"VADER ±{window}-word window (lexicon baseline; no trained model found)",
                validation_note("target_sentiment", method=BASELINE_RECORD, dataset="dev_rw"))
    kind = model.describe()["kind"]
    origin = getattr(model, "origin_", {})
    source = model_source(model)
    trained = f", trained {origin['trained']}" if origin.get("trained") else ""
    data = origin.get("training", {}).get("data")
    on = f" on {data}" if data else ""
    if source == "shipped":
        return (f"shipped {kind} target model ({origin['folder']}{trained}{on})",
                validation_note("target_sentiment", method=SHIPPED_RECORD, dataset="dev_rw"))
    where = {"user": f"your {kind} target model ({origin.get('folder', '')}{trained}{on})",
             "folder": f"{kind} target model from {origin.get('folder', '')}{trained}{on}",
             "fitted now": f"{kind} target model fitted in this run"}[source]
    return where, ("no locked-part score for this model (the recorded ones are for the shipped model): "
                   "check it with python -m helpers validate targets YOUR_CODED_SHEET.jsonl")


def model_card(meta: dict, kind: str) -> str:
    """MODEL_CARD.md of a saved target model, from its meta (numbers from the run that trained it)."""
    training, cv, settings = meta.get("training") or {}, meta.get("cv_on_train") or {}, meta.get("settings") or {}
    lines = [f"# Target sentiment model ({kind})", "",
             "Predicts the polarity (negative / neutral / positive) of a news sentence *toward* one named "
             "mention (sentence + character offsets), e.g. the mentions `helpers.sentiment.find_mentions` finds.",
             "", "## Training data", ""]
    if training:
        lines += [f"- **Data**: {training.get('data', '?')} — {training.get('n_targets', '?')} labelled targets in "
                  f"{training.get('n_sentences', '?')} sentences (SHA-256 `{training.get('sha256', '?')[:16]}…`)"
                  + (f"; {training['part']}." if training.get("part") else "."),
                  f"- **Licence and citation**: {training.get('licence', 'see the data')}.",
                  f"- **Trained**: {meta.get('trained', '?')} with `{training.get('command', 'python -m helpers train targets')}`."]
    else:
        lines += [f"- Trained {meta.get('trained', '?')} on data the user supplied (not recorded)."]
    lines += ["", "## Hyper-parameters and how they were chosen", ""]
    if settings:
        lines += [f"- {k}: `{v}`" for k, v in settings.items() if k != "random_state"]
    lines += [f"- How chosen: {meta.get('settings_chosen') or DEFAULTS_CHOSEN}."]
    if cv.get("folds"):
        lines += ["", "## Cross-validated score on the training data", "",
                  f"Macro-F1 {cv['mean']:.3f} (standard error {cv['se']:.3f}) over {len(cv['folds'])} "
                  f"sentence-grouped folds: {', '.join(f'{v:.3f}' for v in cv['folds'])}. "
                  "This is a tuning number, not a validation."]
    lines += ["", "## Locked validation", "",
              "The shipped model is scored on NewsMTSC dev_rw and dev_mt (never seen in training) by "
              "`python -m helpers validate all --only targets`; the numbers, beside the majority class and "
              "the VADER window baseline, are in docs/VALIDATION.md and on notebook 20's page (record "
              f"\"{SHIPPED_RECORD}\"; retraining marks it stale until `validate all` reruns). Check it on your "
              "own coverage: `python -m helpers validate targets YOUR_CODED_SHEET.jsonl`.",
              "", "## Known limits", "",
              "- NewsMTSC is US political news (2017–2019) in English; other topics, outlets and languages "
              "will score lower. Hand-code a sample of your own mentions (notebook 20, section 6) before "
              "trusting differences between targets.",
              "- Weakest on the positive class (praise is rare in news and often quoted or ironic); far "
              "below human coders and below large fine-tuned models (RoBERTa: about 0.83 on NewsMTSC test).",
              "- One mention at a time: sarcasm, stance across sentences and coreference are not modelled.",
              "", "## Files", "",
              "`arrays.npz` (vocabularies, idf, scaler, coefficients; loads with `allow_pickle=False`), "
              "`meta.json` (format version, settings, library versions), this card. Load with "
              "`helpers.sentiment.load_target_model()`."]
    return "\n".join(lines)
