"""``python -m helpers validate frames`` and ``python -m helpers train frames``: arguments in, JSON out.

``validate``: macro-F1 with 95 % bootstrap intervals and per-frame precision/recall/F1 of the
trained frame model (yours in MODELS_DIR, else the shipped one; or one cross-validated or
trained on another file), the dictionary and (generic frames) the indicator rules on a labelled
file, beside the trivial baselines, computed by :func:`helpers.framing.validate_frames`.
``train``: fit :class:`helpers.framing.FrameClassifier` on a labelled file and save it as a
model folder (MODELS_DIR/frames_generic, frames_policy or frames_custom), or, with ``--ship``,
train the model shipped inside the package on the tune part of the evaluation data
(:func:`helpers.framing.train_shipped`). Unreadable or unusable files print ``{"error": ...}``
on stderr and exit with 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from helpers.config import SEED
from helpers.framing import (
    KINDS,
    FrameClassifier,
    read_labelled,
    save_user_model,
    scheme_of,
    train_shipped,
    validate_frames,
)


def _validate_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m helpers validate frames",
        description="Macro-F1 (95 %% bootstrap interval) and per-frame precision/recall/F1 of the trained "
        "frame model (yours in MODELS_DIR, else the one shipped with the package), the dictionary and the "
        "indicator rules on a labelled file, beside the baselines always-yes and majority (JSON); nothing "
        "is fitted on FILE unless --cv or --train. The project's own numbers come from `validate all`.",
    )
    ap.add_argument(
        "file", help="labelled file: TSV with text + CO EC HI MO RE, or CSV sentence,label"
    )
    ap.add_argument(
        "--scheme",
        choices=["generic", "policy", "territorial"],
        default=None,
        help="dictionary for the dictionary-only scores (default: by layout)",
    )
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument(
        "--train",
        default=None,
        help="train a new classifier on this file and score it on FILE",
    )
    mode.add_argument(
        "--cv",
        action="store_true",
        help="cross-validate a new classifier on FILE (instead of scoring the saved model)",
    )
    mode.add_argument(
        "--model",
        default=None,
        help="score this model folder (default: MODELS_DIR/frames_<scheme>, else the shipped model)",
    )
    mode.add_argument(
        "--no-classifier",
        action="store_true",
        help="score only the shipped dictionary and indicator rules; fit nothing on FILE",
    )
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument(
        "--quick",
        action="store_true",
        help="no inner tuning (threshold 0.5; C=0.1 multi-label, C=1 multi-class)",
    )
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument(
        "--n-boot", type=int, default=1000, help="bootstrap resamples per interval (default 1000)"
    )
    return ap


def validate_main(argv: list[str] | None = None) -> int:
    """``python -m helpers validate frames FILE [--scheme ...] [--train FILE | --no-classifier]``."""
    args = _validate_parser().parse_args(argv)
    try:
        res = validate_frames(
            args.file,
            scheme=args.scheme,
            train=args.train,
            folds=args.folds,
            quick=args.quick,
            seed=args.seed,
            n_boot=args.n_boot,
            classifier=not args.no_classifier,
            cv=args.cv,
            model=args.model,
        )
    except (FileNotFoundError, ValueError) as exc:
        print(json.dumps({"error": str(exc)}), file=sys.stderr)
        return 2
    print(json.dumps(res, indent=2, default=str))
    return 0


def _train_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m helpers train frames",
        description="Train a frame classifier on a labelled file and save it as a model folder (arrays + "
        "meta.json + MODEL_CARD.md, no pickle): MODELS_DIR/frames_generic (CO EC HI MO RE columns), "
        "frames_policy (Media Frames Corpus codes) or frames_custom, which notebook 10 and `validate "
        "frames` then use before the shipped model. --ship generic|policy trains the model shipped "
        "with the package on the tune part of ../shared/eval instead.",
    )
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("file", nargs="?", default=None, help="your labelled file")
    what.add_argument(
        "--ship",
        choices=["generic", "policy"],
        default=None,
        help="train the shipped model on the tune part of the evaluation data",
    )
    ap.add_argument("--out", default=None, help="model folder (default: see above)")
    ap.add_argument("--quick", action="store_true", help="no inner tuning (your file only)")
    ap.add_argument("--eval-dir", default=None, help="with --ship: the labelled data folder")
    return ap


def train_main(argv: list[str] | None = None) -> int:
    """``python -m helpers train frames FILE [--out DIR] [--quick]`` or ``train frames --ship
    generic|policy [--out DIR]``: prints JSON with the folder, labels, chosen C and thresholds."""
    args = _train_parser().parse_args(argv)
    try:
        if args.ship:
            eval_dir = Path(args.eval_dir) if args.eval_dir else None
            res = train_shipped(args.ship, eval_dir, Path(args.out) if args.out else None)
        else:
            res = _train_user(args.file, args.out, args.quick)
    except (FileNotFoundError, ValueError) as exc:
        print(json.dumps({"error": str(exc)}), file=sys.stderr)
        return 2
    print(json.dumps(res, indent=2, default=str))
    return 0


def _train_user(file: str, out: str | None, quick: bool) -> dict:
    data = read_labelled(file)
    clf = FrameClassifier(tune=not quick).fit(data.texts.tolist(), data.labels)
    command = "python -m helpers train frames FILE" + (" --quick" if quick else "")
    folder = save_user_model(clf, data, Path(file).name, Path(out) if out else None, command)
    return {
        "model": str(folder),
        "kind": KINDS[scheme_of(data)],
        "labels": clf.labels_,
        "C": clf.C_,
        "thresholds": clf.threshold_,
        "data_notes": data.notes,
    }
