"""Trained models saved as plain arrays and JSON: no pickle, readable by the next scikit-learn.

A model folder holds ``arrays.npz`` (numbers and vocabularies as NumPy arrays, loaded with
``allow_pickle=False``), ``meta.json`` (``format_version``, ``kind``, hyper-parameters,
training data, scores, library versions) and ``MODEL_CARD.md`` (training data and licence,
date, hyper-parameters, cross-validated scores, known limits). Estimators are rebuilt from
their parameters and learned arrays, so a model trained with one scikit-learn release loads
with the next; a folder written by an older *format* is refused with a message to retrain.

Loading order everywhere (:func:`resolve_model`): a model the user trained (``MODELS_DIR``),
then the model shipped inside the package (``helpers/models/``), then the caller's lexicon
baseline.

>>> from sklearn.linear_model import LogisticRegression
>>> lr = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
>>> back = logistic_from_arrays(logistic_to_arrays(lr, "lr"), "lr")
>>> bool((back.predict_proba([[1.4]]) == lr.predict_proba([[1.4]])).all())
True
"""

from __future__ import annotations

import importlib
import io
import json
import os
import zipfile
from importlib import metadata
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from .config import MODELS_DIR

#: Bump when the layout of arrays.npz/meta.json changes; older folders are then refused.
FORMAT_VERSION = 1
SHIPPED_MODELS = Path(__file__).resolve().parent / "models"


class ArtifactError(ValueError):
    """A model folder that cannot be used (missing, another kind, an older format)."""


def save_artifact(folder: str | os.PathLike, kind: str, arrays: dict[str, np.ndarray], meta: dict,
                  card: str) -> Path:
    """Write ``arrays.npz``, ``meta.json`` and ``MODEL_CARD.md`` into ``folder``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, arr in arrays.items():
        if np.asarray(arr).dtype == object:
            raise ArtifactError(f"array {name!r} has dtype object; store strings as a fixed-width str array")
    _write_npz(out / "arrays.npz", arrays)
    full = {"format_version": FORMAT_VERSION, "kind": kind,
            "versions": {p: _version(p) for p in ("coverage-lab-helpers", "scikit-learn", "numpy")}, **meta}
    (out / "meta.json").write_text(json.dumps(full, indent=1, ensure_ascii=False, default=_plain) + "\n",
                                   encoding="utf-8")
    (out / "MODEL_CARD.md").write_text(card.rstrip() + "\n", encoding="utf-8")
    return out


def _write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """``np.savez_compressed`` with fixed zip timestamps: the same model gives the same bytes, so
    re-shipping an unchanged model does not mark its validation record stale."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())


def load_artifact(folder: str | os.PathLike, kind: str) -> tuple[dict[str, np.ndarray], dict]:
    """``(arrays, meta)`` of a model folder; :class:`ArtifactError` if it is unusable."""
    folder = Path(folder)
    meta_path = folder / "meta.json"
    if not meta_path.is_file():
        raise ArtifactError(f"{folder} holds no model (no meta.json)")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("kind") != kind:
        raise ArtifactError(f"{folder} holds a {meta.get('kind')!r} model, not {kind!r}")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ArtifactError(f"{folder} was written in model format {meta.get('format_version')}, this code reads "
                            f"format {FORMAT_VERSION}: retrain it (see its MODEL_CARD.md for the command)")
    with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return arrays, meta


def resolve_model(name: str, user_dir: Path | None = None) -> tuple[Path | None, str]:
    """Where to load model ``name`` from: ``(folder, "user")``, ``(folder, "shipped")`` or ``(None, "none")``."""
    user = (user_dir or MODELS_DIR) / name
    if (user / "meta.json").is_file():
        return user, "user"
    shipped = SHIPPED_MODELS / name
    if (shipped / "meta.json").is_file():
        return shipped, "shipped"
    return None, "none"


def _version(pkg: str) -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return "not installed"


def _plain(v):
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    raise TypeError(f"not JSON-serialisable: {type(v).__name__}")


# --- scikit-learn pieces as arrays -----------------------------------------------------------

def logistic_to_arrays(lr: LogisticRegression, prefix: str) -> dict[str, np.ndarray]:
    """A fitted logistic regression as ``{prefix}.coef``, ``.intercept``, ``.classes``."""
    classes = np.asarray(lr.classes_)
    return {f"{prefix}.coef": lr.coef_, f"{prefix}.intercept": lr.intercept_,
            f"{prefix}.classes": classes.astype(str) if classes.dtype == object else classes}


def logistic_from_arrays(arrays: dict[str, np.ndarray], prefix: str) -> LogisticRegression:
    """Rebuild a logistic regression that predicts exactly as the saved one."""
    lr = LogisticRegression()
    lr.coef_ = np.asarray(arrays[f"{prefix}.coef"], dtype=float)
    lr.intercept_ = np.asarray(arrays[f"{prefix}.intercept"], dtype=float)
    lr.classes_ = np.asarray(arrays[f"{prefix}.classes"])
    lr.n_features_in_ = lr.coef_.shape[1]
    return lr


def scaler_to_arrays(scaler: StandardScaler, prefix: str) -> dict[str, np.ndarray]:
    out = {f"{prefix}.n": np.asarray(scaler.n_features_in_)}
    for attr in ("mean_", "scale_", "var_"):
        value = getattr(scaler, attr, None)
        if value is not None:
            out[f"{prefix}.{attr.rstrip('_')}"] = value
    return out


def scaler_from_arrays(arrays: dict[str, np.ndarray], prefix: str, **params) -> StandardScaler:
    scaler = StandardScaler(**params)
    scaler.n_features_in_ = int(arrays[f"{prefix}.n"])
    for attr in ("mean", "scale", "var"):
        key = f"{prefix}.{attr}"
        setattr(scaler, f"{attr}_", arrays[key] if key in arrays else None)
    return scaler


_CALLABLE_PARAMS = ("analyzer", "preprocessor", "tokenizer")


def tfidf_to_arrays(vec: TfidfVectorizer, prefix: str) -> tuple[dict[str, np.ndarray], dict]:
    """A fitted tf-idf vectoriser: (arrays: vocabulary in column order and idf, JSON-ready params).

    Callable parameters (a tokenizer, a preprocessor) are stored by their import path and must
    be module-level functions of ``helpers``; dtype is stored by name.
    """
    terms = np.empty(len(vec.vocabulary_), dtype=object)
    for term, col in vec.vocabulary_.items():
        terms[col] = term
    params = {}
    for key, value in vec.get_params().items():
        if key in _CALLABLE_PARAMS and callable(value):
            if not getattr(value, "__module__", "").startswith("helpers."):
                raise ArtifactError(f"{key}={value!r} is not a module-level function of helpers: cannot store it")
            params[key] = {"callable": f"{value.__module__}:{value.__qualname__}"}
        elif key == "dtype":
            params[key] = np.dtype(value).name
        elif key in ("vocabulary", "stop_words") and value is not None and not isinstance(value, str):
            params[key] = sorted(value)
        else:
            params[key] = value
    arrays = {f"{prefix}.terms": terms.astype(str), f"{prefix}.idf": vec.idf_}
    return arrays, params


def tfidf_from_arrays(arrays: dict[str, np.ndarray], prefix: str, params: dict) -> TfidfVectorizer:
    """Rebuild a tf-idf vectoriser that transforms exactly as the saved one."""
    kw = {}
    for key, value in params.items():
        if isinstance(value, dict) and "callable" in value:
            module, _, qual = value["callable"].partition(":")
            if not module.startswith("helpers."):
                raise ArtifactError(f"refusing to import {value['callable']!r}: not part of helpers")
            obj = importlib.import_module(module)
            for part in qual.split("."):
                obj = getattr(obj, part)
            kw[key] = obj
        elif key == "dtype":
            kw[key] = np.dtype(value).type
        elif key == "ngram_range":
            kw[key] = tuple(value)
        else:
            kw[key] = value
    terms = arrays[f"{prefix}.terms"].tolist()
    kw["vocabulary"] = {t: i for i, t in enumerate(terms)}
    vec = TfidfVectorizer(**kw)
    vec.idf_ = np.asarray(arrays[f"{prefix}.idf"], dtype=float)
    return vec
