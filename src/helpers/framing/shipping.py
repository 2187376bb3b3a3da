"""The frame models shipped inside the package: trained on the tune part only, with a model card.

``python -m helpers train frames --ship generic`` (climate articles, five generic frames) and
``--ship policy`` (FrAC sentences, Media Frames Corpus codes) call :func:`train_shipped`: read
the labelled set from the evaluation folder, take its tune part (:func:`helpers.framing.parts_of`:
the locked part is never read here), compare the settings of :data:`SHIP_CANDIDATES` by 4-fold
cross-validation inside tune, fit the best on all of tune and write ``helpers/models/<name>/``
(arrays + meta + MODEL_CARD.md, no pickle). ``python -m helpers validate all`` then scores
exactly that file on the locked part.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from ..config import EVAL_DIR, SEED
from .labelled import label_counts, read_labelled, text_hashes
from .store import KINDS, MODEL_NAMES, shipped_folder
from .tuning import FEATURE_SETS, fit_on_tune, parts_of, subset, tune_fingerprint

_WIDE_C = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def _candidates(scheme: str) -> dict[str, dict]:
    """The protocol's three feature sets, then the cheap variants (docs/framing.md, "CV on tune")."""
    return {
        **FEATURE_SETS,
        "dictionary features only, wider C grid": {"use_words": False, "Cs": _WIDE_C},
        f"dictionary features of the {scheme} scheme only, wider C grid": {
            "use_words": False,
            "schemes": (scheme,),
            "Cs": _WIDE_C,
        },
        "words + dictionary features, dictionary weight 0.5": {"lexicon_weight": 0.5},
        "words + dictionary features, dictionary weight 1": {"lexicon_weight": 1.0},
        "words + dictionary features, dictionary weight 1, wider C grid": {
            "lexicon_weight": 1.0,
            "Cs": _WIDE_C[:-1],
        },
    }


#: The settings compared by CV on the tune part before shipping (the best is shipped).
SHIP_CANDIDATES = {scheme: _candidates(scheme) for scheme in ("generic", "policy")}

DATASETS = {
    "generic": {
        "file": "climate_frames/articles_dev.tsv",
        "description": "the tune part of the climate-change articles of Frermann et al. (2023)",
        "unit": "article",
        "labels": "CO conflict, EC economic consequences, HI human interest, MO morality, RE "
        "responsibility (the data set's own README calls RE 'resolution'); several per article",
        "citation": "Lea Frermann, Jiaxuan Li, Shima Khanehzar and Gosia Mikolajczak (2023). Conflicts, "
        "Villains, Resolutions: Towards models of Narrative Media Framing. Proceedings of ACL 2023.",
        "licence": "MIT",
    },
    "policy": {
        "file": "frac/sentences_dev.csv",
        "description": "the tune part of the FrAC sentences of Guida et al. (2025)",
        "unit": "sentence",
        "labels": "one Media Frames Corpus code per sentence as merged in FrAC: 1 economic, 3 morality, "
        "4 fairness & equality, 5 legality & crime, 6 political & policy, 8 security & defense, "
        "9 health & safety, 11 cultural identity, 12 public opinion, 15 other",
        "citation": "Matteo Guida, Yulia Otmakhova, Eduard Hovy and Lea Frermann (2025). Retain or "
        "Reframe? A Computational Framework for the Analysis of Framing in News Articles and Reader "
        "Comments (arXiv:2507.04612). FrAC data: CC BY 4.0.",
        "licence": "CC BY 4.0 (attribution required: cite the paper above when you use this model)",
    },
}

#: Known limits written into each model card (by hand, after the locked run; see docs/framing.md).
KNOWN_LIMITS = {
    "generic": [
        "Trained on 164 US/UK climate-change articles: other topics (territorial disputes, "
        "business, sport) use other words for the same frames; validate on a sample of your own "
        "coverage before reporting (notebook 10, section 9).",
        "Human interest and morality are rare in the training data: their F1 is low and unstable.",
        "Trained on whole articles: predictions on single paragraphs or sentences are out of its range.",
        "Its dictionary features read today's frames_*.yml: editing those files changes what the model "
        "sees (the validation record then shows 'not validated for these resources').",
    ],
    "policy": [
        "Trained on 142 sentences from Canadian/US op-eds and reader comments, ten classes: several "
        "classes have fewer than ten examples, so per-class scores are unstable.",
        "On the locked sentences it did not beat the policy dictionary (docs/VALIDATION.md, measure "
        "policy_frames): notebook 10 therefore uses the dictionary for policy frames by default and "
        "shows this model beside it.",
        "Trained on sentences: on whole articles it sees far more text than it was trained on.",
        "Its dictionary features read today's frames_*.yml: editing those files changes what the model sees.",
    ],
}


def train_shipped(
    scheme: str,
    eval_dir: Path | None = None,
    out: Path | None = None,
    folds: int = 4,
    candidates: dict[str, dict] | None = None,
    random_state: int = SEED,
) -> dict:
    """Train the shipped ``scheme`` model (``"generic"`` or ``"policy"``) on the tune part of its
    labelled set and write it to ``out`` (default: the package's ``helpers/models/<name>``).
    Returns a JSON-ready summary (folder, chosen setting, CV scores, size in KB)."""
    spec = DATASETS[scheme]
    path = Path(eval_dir or EVAL_DIR) / spec["file"]
    data = read_labelled(path)
    tune = subset(data, parts_of(data) == "tune")
    candidates = candidates or SHIP_CANDIDATES[scheme]
    clf, chosen, report = fit_on_tune(tune, candidates, folds, random_state)
    meta = {
        "trained": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": f"python -m helpers train frames --ship {scheme}",
        "training_data": {
            "description": spec["description"],
            "file": spec["file"],
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "part": "tune",
            "n_units": len(tune.texts),
            "unit": spec["unit"],
            "tune_sha256": tune_fingerprint(tune),
            "label_counts": label_counts(tune),
            "text_hashes": sorted(text_hashes(tune.texts)),
            "licence": spec["licence"],
            "citation": spec["citation"],
            "data_notes": data.notes,
        },
        "selection": {
            "protocol": f"{folds}-fold cross-validation inside the tune part (each fold's classifier "
            "chooses its own C and thresholds by inner CV on its training rows); the best macro-F1 is shipped",
            "candidates": candidates,
            "chosen": chosen,
            "cv": report,
        },
    }
    meta = _no_nan(meta)
    folder = Path(out) if out else shipped_folder(scheme)
    clf.save(folder, KINDS[scheme], meta, model_card(scheme, clf, meta))
    size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file()) / 1024
    return {
        "model": MODEL_NAMES[scheme],
        "folder": str(folder),
        "kind": KINDS[scheme],
        "chosen": chosen,
        "tune_cv_macro_f1": {k: round(v["macro_f1"], 4) for k, v in report.items()},
        "C": clf.C_,
        "thresholds": clf.threshold_,
        "n_tune": len(tune.texts),
        "size_kb": round(size, 1),
    }


def _no_nan(x):
    """NaN (an F1 with nothing coded nor predicted) as null, so meta.json is strict JSON."""
    if isinstance(x, dict):
        return {k: _no_nan(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_no_nan(v) for v in x]
    return None if isinstance(x, float) and x != x else x


def _f(x) -> str:
    return "–" if x is None or x != x else f"{x:.3f}"


def model_card(scheme: str, clf, meta: dict) -> str:
    """MODEL_CARD.md of a shipped model: data and licence, date, settings and how they were
    chosen, CV scores on tune, where the locked scores are, known limits."""
    spec, sel, td = DATASETS[scheme], meta["selection"], meta["training_data"]
    chosen, cv = sel["chosen"], sel["cv"]
    frames = sorted(next(iter(cv.values()))["per_frame_f1"], key=lambda x: (len(x), x))
    lines = [
        f"# `{MODEL_NAMES[scheme]}`: {'generic' if scheme == 'generic' else 'policy'} frame classifier",
        "",
        f"Kind `{KINDS[scheme]}`, written by `{meta['command']}` on {meta['trained'][:10]}. "
        "Plain arrays (`arrays.npz`, loaded without pickle) and `meta.json`; "
        "`helpers.framing.load_frame_model` loads it.",
        "",
        "## Training data and licence",
        "",
        f"- {td['description'][0].upper()}{td['description'][1:]}: {td['n_units']} {td['unit']}s of "
        f"`{td['file']}` (sha256 `{td['sha256'][:12]}…`; the split is `helpers.framing.parts_of`, 40 % "
        "locked, and this model never saw the locked part).",
        f"- Labels: {spec['labels']}.",
        f"- Source: {spec['citation']}",
        f"- Licence of the data: {spec['licence']}. The model stores no text: word statistics "
        "(vocabulary and idf, when words are used), feature means and spreads, regression weights.",
        "",
        "## Model and settings",
        "",
        f"- Setting: **{chosen}** ({_settings(sel['candidates'][chosen])}).",
        "- "
        + (
            "One multinomial logistic regression (class weights balanced)"
            if clf.multiclass_
            else "One logistic regression per frame (liblinear, class weights balanced), each with its "
            "own decision threshold"
        )
        + "; C"
        + ("" if clf.multiclass_ else " and thresholds")
        + " chosen by inner cross-validation on the tune part.",
        f"- C (from {list(clf.Cs)}): {clf.C_}"
        + ("" if clf.multiclass_ else f"; thresholds: {clf.threshold_}")
        + ".",
        "",
        "## How the setting was chosen: cross-validation on the tune part",
        "",
        sel["protocol"]
        + ". Out-of-fold macro-F1 and per-"
        + ("class" if clf.multiclass_ else "frame")
        + " F1:",
        "",
        "| setting | macro-F1 | " + " | ".join(frames) + " |",
        "|---|---|" + "---|" * len(frames),
        *[
            f"| {name}{' (shipped)' if name == chosen else ''} | {_f(r['macro_f1'])} | "
            + " | ".join(_f(r["per_frame_f1"].get(f)) for f in frames)
            + " |"
            for name, r in cv.items()
        ],
        "",
        "## Scores on the locked part",
        "",
        "Not here: `python -m helpers validate all` scores this file on the locked part, beside the "
        f"baselines and the dictionary; see `docs/VALIDATION.md` (measure `{_measure(scheme)}`, method "
        "`trained classifier`). CV scores on tune flatter a model: the setting was chosen on them.",
        "",
        "## Known limits",
        "",
        *[f"- {x}" for x in KNOWN_LIMITS[scheme]],
    ]
    return "\n".join(lines)


def _measure(scheme: str) -> str:
    return {"generic": "generic_frames", "policy": "policy_frames"}[scheme]


def _settings(params: dict) -> str:
    words = params.get("use_words", True)
    lex = params.get("use_lexicon", True)
    parts = (["tf-idf words"] if words else []) + (["dictionary features"] if lex else [])
    out = " + ".join(parts)
    if lex:
        schemes = params.get("schemes", ("generic", "policy", "territorial"))
        out += (
            f" (rates of the {' and '.join(schemes)} dictionar{'y' if len(schemes) == 1 else 'ies'}, "
            "indicator answers, surface cues, sentence peaks; dictionary weight "
            f"{params.get('lexicon_weight', 0.2)})"
        )
    cs = params.get("Cs", (0.03, 0.1, 0.3))
    return out + f"; C grid {', '.join(f'{c:g}' for c in cs)}"
