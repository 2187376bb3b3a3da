"""``python -m helpers validate frames`` and ``python -m helpers train frames``: arguments in, JSON out.

``validate``: macro-F1 with 95 % bootstrap intervals and per-frame precision/recall/F1 of the
frame classifier, the dictionary and (generic frames) the indicator rules on a labelled file,
beside the trivial baselines, computed by :func:`helpers.framing.validate_frames`. ``train``:
fit :class:`helpers.framing.FrameClassifier` on a labelled file and save it. Unreadable or
unusable files print ``{"error": ...}`` on stderr and exit with 2.
"""

from __future__ import annotations

import argparse
import json
import sys

from helpers.config import SEED
from helpers.framing import FrameClassifier, read_labelled, validate_frames


def _validate_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m helpers validate frames",
        description="Macro-F1 (95 %% bootstrap interval) and per-frame precision/recall/F1 of the frame "
        "classifier, the dictionary and the indicator rules on a labelled file, beside the baselines "
        "always-yes and majority (JSON). The project's own numbers come from `validate all`.",
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
        help="train on this file and score FILE (else cross-validate on FILE)",
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
        )
    except (FileNotFoundError, ValueError) as exc:
        print(json.dumps({"error": str(exc)}), file=sys.stderr)
        return 2
    print(json.dumps(res, indent=2, default=str))
    return 0


def train_main(argv: list[str] | None = None) -> int:
    """``python -m helpers train frames FILE [--out PATH]``: fit on a labelled file and save
    the model (default ``MODELS_DIR/frame_classifier.pkl``); prints JSON with the path,
    labels, chosen C and thresholds."""
    ap = argparse.ArgumentParser(prog="python -m helpers train frames")
    ap.add_argument("file")
    ap.add_argument("--out", default=None)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    try:
        data = read_labelled(args.file)
        clf = FrameClassifier(tune=not args.quick).fit(data.texts.tolist(), data.labels)
    except (FileNotFoundError, ValueError) as exc:
        print(json.dumps({"error": str(exc)}), file=sys.stderr)
        return 2
    path = clf.save(args.out)
    print(
        json.dumps(
            {
                "model": str(path),
                "labels": clf.labels_,
                "C": clf.C_,
                "thresholds": clf.threshold_,
                "data_notes": data.notes,
            },
            indent=2,
            default=str,
        )
    )
    return 0
