"""Training a target model into a folder with its card: the shipped model and the user's.

:func:`train_and_save` is what ``python -m helpers train targets`` does: read a NewsMTSC-layout
file, fit the model (package defaults, which are the settings chosen by cross-validation on
NewsMTSC train, or the settings passed in), optionally compute its sentence-grouped
cross-validated score on the same file for the card, and save it as arrays + JSON + MODEL_CARD.md
(:func:`.model_files.save_target_model`). ``--ship`` trains the model shipped inside the
package: NewsMTSC ``train.jsonl`` (the tuning part only; the locked dev splits are never read)
into ``helpers/models/targets``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from ..artifacts import SHIPPED_MODELS
from ..config import SEED
from ..validation import text_key
from .model_files import DEFAULTS_CHOSEN, MODEL_NAME, save_target_model
from .newsmtsc import read_newsmtsc
from .target_models import train_target_model
from .tuning import cv_score

SHIP_COMMAND = "python -m helpers train targets --ship"
SHIPPED_DIR = SHIPPED_MODELS / MODEL_NAME
NEWSMTSC = {
    "data": "NewsMTSC train.jsonl",
    "part": "the tuning part of NewsMTSC's own split; the locked dev_rw/dev_mt were never read",
    "licence": "MIT licence, © 2020 Felix Hamborg; cite Hamborg & Donnay, \"NewsMTSC: A Dataset for "
               "(Multi-)Target-dependent Sentiment Classification in Political News Articles\", EACL 2021",
    "command": SHIP_COMMAND,
}


def training_info(path: str | Path, train: pd.DataFrame, about: dict | None = None) -> dict:
    """What the card says about the training data: name, counts and SHA-256 of the file (never
    its path or text), licence and the command, from ``about`` (default: the user's own data)."""
    path = Path(path)
    about = about or {"data": path.name, "licence": "the user's own data (not recorded)",
                      "command": f"python -m helpers train targets --train {path.name}"}
    return {**about, "n_targets": int(train["polarity"].notna().sum()),
            "n_sentences": len({text_key(s) for s in train["sentence"]}),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def train_and_save(train_path: str | Path, out: str | Path | None = None, kind: str = "light",
                   params: dict | None = None, score_cv: bool = False, about: dict | None = None,
                   random_state: int = SEED, epochs: int = 3):
    """Fit a target model on ``train_path`` and save it in ``out`` with its card.

    ``score_cv``: also compute the light model's 5-fold sentence-grouped cross-validated
    macro-F1 on the same file (a tuning number, for the card; about a minute on NewsMTSC).
    Returns ``(model, folder, train)``.
    """
    train = read_newsmtsc(train_path)
    params = dict(params or {})
    model = train_target_model(train, kind=kind, random_state=random_state, epochs=epochs, **params)
    cv = None
    if score_cv and kind == "light":
        cv = {**cv_score(train, params, random_state=random_state), "n_folds": 5,
              "grouped_by": "sentence (StratifiedGroupKFold on polarity)"}
    how = (f"chosen by sentence-grouped cross-validation on {Path(train_path).name} itself "
           "(`train targets --cv` / `--ablation`)" if params else DEFAULTS_CHOSEN)
    folder = save_target_model(model, out, training=training_info(train_path, train, about), cv=cv,
                               how_chosen=how)
    return model, folder, train
