"""Which frame model to use: yours, the shipped one, or the dictionary, and what to say about it.

The loading order everywhere (notebook 10, ``validate frames FILE``): a model you trained
(``helpers.config.MODELS_DIR/frames_generic`` or ``frames_policy``, written by
``python -m helpers train frames FILE``), then the model shipped inside the package
(``helpers/models/frames_generic``, ``frames_policy``), then the dictionary (the lexicon
baseline, nothing trained). A folder that cannot be used (another kind, an older format) is
skipped with the reason kept in :attr:`FrameModel.problems`. :func:`load_frame_model` returns a
:class:`FrameModel` that names its source and its validation score for a page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import artifacts
from ..config import MODELS_DIR
from ..findings import validation_note
from ..validation import load_results, stale_resources
from .classifier import FrameClassifier
from .labelled import Labelled, label_counts, text_hashes

#: scheme -> folder name (under MODELS_DIR and helpers/models) and artifact kind.
MODEL_NAMES = {"generic": "frames_generic", "policy": "frames_policy", "custom": "frames_custom"}
KINDS = {scheme: f"frames-{scheme}" for scheme in MODEL_NAMES}
#: scheme -> the measure of the results file that validates it.
MEASURES = {"generic": "generic_frames", "policy": "policy_frames"}


def scheme_of(data: Labelled) -> str:
    """``"generic"`` (CO EC HI MO RE columns), ``"policy"`` (Media Frames Corpus codes) or ``"custom"``."""
    if data.layout == "generic_frames":
        return "generic"
    if data.layout == "mfc_codes":
        return "policy"
    return "custom"


def shipped_folder(scheme: str) -> Path:
    """Where the package keeps the shipped model of ``scheme`` (read at call time: tests move it)."""
    return Path(artifacts.SHIPPED_MODELS) / MODEL_NAMES[scheme]


def artifact_resources(scheme: str) -> list[str]:
    """The shipped model's files as ``resources`` entries of a validation record (relative to
    ``helpers/resources``), so retraining the model marks the record stale."""
    return [f"../models/{MODEL_NAMES[scheme]}/{name}" for name in ("arrays.npz", "meta.json")]


@dataclass
class FrameModel:
    """The frame model a page uses: ``source`` is ``"user"``, ``"shipped"`` or ``"none"`` (the
    dictionary); ``classifier`` is None for ``"none"``; ``problems`` lists folders skipped and
    dictionary features the model knows but today's dictionaries no longer produce."""

    scheme: str
    source: str
    folder: Path | None = None
    classifier: FrameClassifier | None = None
    meta: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return MODEL_NAMES[self.scheme]

    def describe(self) -> str:
        """One line for a page: which model, trained on what, when (no absolute paths)."""
        if self.source == "none":
            return f"the {self.scheme} frame dictionary (no trained `{self.name}` model found)"
        trained = self.meta.get("training_data", {})
        what = trained.get("description", "a labelled file")
        when = str(self.meta.get("trained", ""))[:10]
        where = (
            "your model in MODELS_DIR"
            if self.source == "user"
            else "the model shipped with the package"
        )
        return f"{where}, `{self.name}` (trained {when} on {what})"

    def validation(self) -> str:
        """The locked-part validation of this model for a page, or why there is none."""
        if self.source == "user":
            return (
                "your own model: not validated by the project; score it on a hand-coded sample with "
                "`python -m helpers validate frames CODED.csv`"
            )
        measure = MEASURES.get(self.scheme)
        if measure is None:
            return "no validation on labelled data"
        if self.source == "none":
            return validation_note(measure, method="dictionary")
        note = validation_note(measure, method="trained classifier")
        if not _record_is_about_this_file(measure, self.scheme):
            note += " (recorded for a classifier fitted the same way, not for this file: rerun `validate all`)"
        return note


def _record_is_about_this_file(measure: str, scheme: str) -> bool:
    for r in load_results():
        if r["measure"] == measure and r["method"] == "trained classifier":
            listed = set(r.get("hashes", {}).get("resources", {}))
            return set(artifact_resources(scheme)) <= listed and not stale_resources(r)
    return False


def load_frame_model(scheme: str, user_dir: Path | None = None) -> FrameModel:
    """The model of ``scheme`` (``"generic"``, ``"policy"``, ``"custom"``) in the loading order:
    ``user_dir`` (default MODELS_DIR) -> the shipped model -> none (the dictionary)."""
    name, kind = MODEL_NAMES[scheme], KINDS[scheme]
    problems: list[str] = []
    for source, folder in (
        ("user", (user_dir or MODELS_DIR) / name),
        ("shipped", shipped_folder(scheme)),
    ):
        if not (folder / "meta.json").is_file():
            continue
        try:
            clf = FrameClassifier.load(folder, kind)
        except (artifacts.ArtifactError, KeyError, ValueError) as exc:
            problems.append(
                f"{source} model `{name}` skipped: {str(exc).replace(str(folder), name)}"
            )
            continue
        missing = clf.feat_.missing_features()
        if missing:
            problems.append(
                f"{len(missing)} dictionary feature(s) of `{name}` no longer produced by "
                f"today's dictionaries (read as 0): {', '.join(missing[:5])}"
            )
        return FrameModel(scheme, source, folder, clf, clf.meta_, problems)
    return FrameModel(scheme, "none", None, None, {}, problems)


def save_user_model(
    clf: FrameClassifier,
    data: Labelled,
    source_name: str,
    folder: Path | None = None,
    command: str = "",
) -> Path:
    """Save a classifier trained on your labelled ``data`` where the loading order finds it first
    (``MODELS_DIR/frames_<scheme>`` unless ``folder``), with its training data in ``meta.json``."""
    scheme = scheme_of(data)
    folder = Path(folder) if folder else MODELS_DIR / MODEL_NAMES[scheme]
    meta = {
        "trained": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": command,
        "training_data": {
            "description": f"your file {source_name}",
            "file": source_name,
            "n_units": len(data.texts),
            "label_counts": label_counts(data),
            "text_hashes": sorted(text_hashes(data.texts)),
            "data_notes": data.notes,
        },
    }
    card = (
        f"# Your frame classifier (`{KINDS[scheme]}`)\n\nTrained on {meta['trained'][:10]} on "
        f"{source_name} ({len(data.texts)} units; labels {', '.join(map(str, clf.labels_))})"
        + (f" with `{command}`" if command else "")
        + ". Not validated by the project: score it on a "
        "second hand-coded sample with `python -m helpers validate frames OTHER.csv`."
    )
    return clf.save(folder, KINDS[scheme], meta, card)
