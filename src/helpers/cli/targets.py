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
from pathlib import Path

from helpers.config import PROJECT_ROOT, SEED, eval_path
from helpers.sentiment import (
    NEWSMTSC_ABOUT,
    SHIPPED_DIR,
    cv_ablation,
    cv_embedding,
    cv_steps,
    embeddings_available,
    read_newsmtsc,
    score_coded_file,
    train_and_save,
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
        help="JSONL file to fit the light model on first (else: your model in MODELS_DIR/targets, "
        "else the model shipped in the package, else the VADER window baseline)",
    )
    p.add_argument(
        "--model", default=None,
        help="folder of a saved model (default: MODELS_DIR/targets, then the shipped model)",
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
        description="Train an entity-targeted sentiment model and save it (arrays + JSON + MODEL_CARD.md, "
        "no pickle). --ship trains the model shipped in the package.",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--train", help="NewsMTSC-layout JSONL to train on")
    src.add_argument(
        "--ship", action="store_true",
        help="train the shipped model: NewsMTSC train.jsonl from the evaluation folder (tuning part only), "
        "package defaults (chosen by CV on it), written to src/helpers/models/targets with its card and "
        "cross-validated score",
    )
    p.add_argument("--out", default=None, help="folder to save the model (default MODELS_DIR/targets)")
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
        "on the training file (grouped by sentence; a few minutes), print the grid and fit with "
        "the chosen settings (default: the package defaults, chosen this way on NewsMTSC train)",
    )
    p.add_argument(
        "--ablation",
        action="store_true",
        help="try the accuracy-budget changes one at a time by the same cross-validation (class weights, "
        "masking, n-grams, clause and side-window words, lexicon weight, C; the frozen MiniLM average when "
        "the embeddings extra is installed), adopt a change only if it gains more than its standard error, "
        "print the steps and fit with the result (about 10 minutes)",
    )
    p.add_argument("--cv-score", action="store_true",
                   help="put the light model's cross-validated macro-F1 on the training file in its card")
    p.add_argument("--epochs", type=int, default=3, help="fine-tuning epochs (kind=finetuned)")
    p.add_argument("--random-state", type=int, default=SEED)
    return p


def validate_main(argv: Sequence[str] | None = None) -> int:
    """``python -m helpers validate targets FILE.jsonl [--train FILE.jsonl]``: print JSON with
    accuracy, macro-F1, per-class F1, confusion matrix, kappa, alpha and bootstrap intervals of
    the scorer in use (your model, else the shipped model, else the VADER window) and which one."""
    args = _validate_parser().parse_args(list(argv) if argv is not None else None)
    try:
        rep = score_coded_file(args.file, method=args.method, model_dir=args.model, train_path=args.train,
                               window=args.window, n_boot=args.n_boot)
    except (FileNotFoundError, ValueError, ImportError) as exc:
        print(json.dumps({"error": str(exc)}), file=sys.stderr)
        return 2
    print(json.dumps(rep, indent=2))
    return 0


def _choose(args, train_path: str) -> tuple[dict, dict | None]:
    """Settings from --cv (grid) and/or --ablation (steps), with what to print about them."""
    if not (args.cv or args.ablation):
        return {}, None
    if args.cv and args.kind != "light":
        raise ValueError("--cv tunes the light model only (use --kind light)")
    if args.ablation and args.kind == "finetuned":
        raise ValueError("--ablation tunes the light and embedding models only")
    train = read_newsmtsc(train_path)
    params, tuned = {}, {}
    if args.cv:
        params, table = tune_light_model(train, random_state=args.random_state)
        tuned["grid"] = json.loads(table.round(4).to_json(orient="records"))
        tuned["ablation"] = json.loads(cv_ablation(table).round(4).to_json(orient="records"))
    if args.ablation:
        params, steps = cv_steps(train, base=params or None, random_state=args.random_state,
                                 log=lambda m: print(m, file=sys.stderr, flush=True))
        tuned["steps"] = json.loads(steps.round(4).to_json(orient="records"))
        ok, why = embeddings_available()
        if ok:
            emb, table = cv_embedding(train, light_params=params, random_state=args.random_state)
            tuned["embedding"] = {"settings": emb, "grid": json.loads(table.round(4).to_json(orient="records"))}
            if args.kind == "embedding":
                params = {**params, **emb}
        else:
            tuned["embedding"] = {"not tried": why}
    tuned["settings"] = {**params, "features": list(params["features"])}
    return params, tuned


def train_main(argv: Sequence[str] | None = None) -> int:
    """``python -m helpers train targets --train FILE.jsonl [--out DIR] [--kind ...] [--cv] [--ablation]``
    or ``train targets --ship``.

    Fits a target-sentiment model and saves it (arrays + JSON + MODEL_CARD.md) in ``DIR``
    (default ``MODELS_DIR/targets``; with ``--ship`` the package's ``helpers/models/targets``),
    printing JSON with what was trained, its cross-validated score when computed, and its dev
    score when ``--dev`` is given.
    """
    args = _train_parser().parse_args(list(argv) if argv is not None else None)
    try:
        about, out, train_path = None, args.out, args.train
        if args.ship:
            found = eval_path("newsmtsc", "train.jsonl")
            if found is None:
                raise FileNotFoundError("--ship needs NewsMTSC's train.jsonl in the evaluation folder "
                                        "(../shared/eval/newsmtsc, or COVERAGE_LAB_EVAL)")
            if args.kind != "light":
                raise ValueError("--ship trains the light model (the shipped default)")
            train_path, about, out = str(found), NEWSMTSC_ABOUT, out or SHIPPED_DIR
        params, tuned = _choose(args, train_path)
        model, folder, train = train_and_save(
            train_path, out, kind=args.kind, params=params, about=about,
            score_cv=args.ship or args.cv_score or bool(tuned), random_state=args.random_state,
            epochs=args.epochs)
    except (FileNotFoundError, ValueError, ImportError) as exc:
        print(json.dumps({"error": str(exc)}), file=sys.stderr)
        return 2
    rep = training_report(args.kind, _shown(folder), train, model, dev=args.dev)
    rep["cv_score_on_train"] = _card_cv(folder)
    if tuned is not None:
        rep["cv_on_train"] = tuned
    print(json.dumps(rep, indent=2))
    return 0


def _card_cv(folder) -> dict | None:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return meta.get("cv_on_train") or None


def _shown(folder: Path) -> str:
    """The folder relative to the project when inside it (the shipped model), else as given."""
    try:
        return Path(folder).resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(folder)
