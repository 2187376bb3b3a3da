"""``python -m helpers validate targets`` and ``train targets``: entity-targeted sentiment.

Both parse their arguments, call the measures of :mod:`helpers.sentiment` and print JSON;
errors in the user's input (a missing file, a bad line, a missing extra) print ``{"error":
...}`` on stderr and return 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from helpers.config import SEED
from helpers.sentiment import (
    cv_ablation,
    read_newsmtsc,
    save_target_model,
    score_coded_file,
    train_target_model,
    training_report,
    tune_light_model,
)

__all__ = ["validate_main", "train_main"]


def _validate_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m helpers validate targets",
        description="Score entity-targeted sentiment against a NewsMTSC-layout JSONL file "
        "(sentence, mention, from, to, polarity in -1/0/1) and print JSON.",
    )
    p.add_argument("file", help="labelled JSONL file to evaluate on")
    p.add_argument(
        "--train",
        help="JSONL file to fit the light model on first (else: the model "
        "saved in MODELS_DIR, else the VADER window baseline)",
    )
    p.add_argument(
        "--model", default=None, help="folder of a saved model (default: MODELS_DIR/targets)"
    )
    p.add_argument(
        "--method",
        default="auto",
        choices=["auto", "vader-window", "vader-sentence", "light", "embedding", "finetuned"],
        help="which scorer to evaluate; auto = trained model if available else VADER window",
    )
    p.add_argument("--window", type=int, default=10, help="tokens either side for the VADER window")
    p.add_argument("--n-boot", type=int, default=1000)
    return p


def _train_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m helpers train targets",
        description="Train an entity-targeted sentiment model.",
    )
    p.add_argument("--train", required=True, help="NewsMTSC-layout JSONL to train on")
    p.add_argument(
        "--out", default=None, help="folder to save the model (default MODELS_DIR/targets)"
    )
    p.add_argument(
        "--kind",
        default="light",
        choices=["light", "embedding", "finetuned"],
        help="light = scikit-learn (seconds); embedding = + frozen MiniLM features "
        "(needs the 'embeddings' extra, minutes); finetuned = fine-tune MiniLM on "
        "CPU (needs the extra; about an hour per epoch on 2 cores)",
    )
    p.add_argument(
        "--dev",
        default=None,
        help="optional JSONL to report macro-F1 on after training (never a set you will report "
        "as validation: `validate all` scores the locked NewsMTSC dev splits)",
    )
    p.add_argument(
        "--cv",
        action="store_true",
        help="choose the light model's feature groups, C and window by 5-fold cross-validation "
        "on the --train file (grouped by sentence; a few minutes), print the grid and fit with "
        "the chosen settings (default: the package defaults, chosen this way on NewsMTSC train)",
    )
    p.add_argument("--epochs", type=int, default=3, help="fine-tuning epochs (kind=finetuned)")
    p.add_argument("--random-state", type=int, default=SEED)
    return p


def validate_main(argv: Sequence[str] | None = None) -> int:
    """``python -m helpers validate targets FILE.jsonl [--train FILE.jsonl]``: print JSON with
    accuracy, macro-F1, per-class F1, confusion matrix, kappa, alpha and bootstrap intervals."""
    args = _validate_parser().parse_args(list(argv) if argv is not None else None)
    try:
        rep = score_coded_file(args.file, method=args.method, model_dir=args.model, train_path=args.train,
                               window=args.window, n_boot=args.n_boot)
    except (FileNotFoundError, ValueError, ImportError) as exc:
        print(json.dumps({"error": str(exc)}), file=sys.stderr)
        return 2
    print(json.dumps(rep, indent=2))
    return 0


def train_main(argv: Sequence[str] | None = None) -> int:
    """``python -m helpers train targets --train FILE.jsonl --out DIR [--kind light|embedding|finetuned]``.

    Fits a target-sentiment model on a NewsMTSC-layout file and saves it in ``DIR`` (default
    ``MODELS_DIR/targets``), printing JSON with what was trained and its dev score when
    ``--dev`` is given.
    """
    args = _train_parser().parse_args(list(argv) if argv is not None else None)
    try:
        train = read_newsmtsc(args.train)
        tuned, params = None, {}
        if args.cv:
            if args.kind != "light":
                raise ValueError("--cv tunes the light model only (use --kind light)")
            params, table = tune_light_model(train, random_state=args.random_state)
            tuned = {"settings": {**params, "features": list(params["features"])},
                     "grid": json.loads(table.round(4).to_json(orient="records")),
                     "ablation": json.loads(cv_ablation(table).round(4).to_json(orient="records"))}
        model = train_target_model(
            train, kind=args.kind, random_state=args.random_state, epochs=args.epochs, **params
        )
        out = save_target_model(model, args.out)
    except (FileNotFoundError, ValueError, ImportError) as exc:
        print(json.dumps({"error": str(exc)}), file=sys.stderr)
        return 2
    rep = training_report(args.kind, out, train, model, dev=args.dev)
    if tuned is not None:
        rep["cv_on_train"] = tuned
    print(json.dumps(rep, indent=2))
    return 0
