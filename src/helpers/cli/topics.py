"""Topic-model commands, JSON out.

* ``python -m helpers validate topics FILE --k K ...``: parses the arguments, calls
  :func:`helpers.topics.validate_topics` (which reads the table, fits on every document and
  measures) and prints its dict; a table that cannot be used prints ``{"error": ...}`` and
  returns 2. A measuring tool for any labelled table: its numbers are not a validation of the
  project's settings (those come from ``python -m helpers validate all``, on the locked part).
* ``python -m helpers train topics [--eval-dir DIR]``: the label-guided choices (stop-list
  candidates, preprocessing, k) made on the TUNE part of BBC News
  (:func:`helpers.topics.tune_topics`), with the tables behind them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from helpers import config
from helpers.topics import METHODS, PRESETS, TableError, tune_part, tune_topics, validate_topics

__all__ = ["train_main", "validate_main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m helpers validate topics")
    p.add_argument("file", type=Path)
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--text-column", default="text")
    p.add_argument("--label-column", default=None)
    p.add_argument("--method", default="nmf", choices=METHODS)
    p.add_argument("--seeds", type=int, default=3, help="number of seeds for stability")
    p.add_argument("--subsample", type=float, default=0.9)
    p.add_argument("--preset", default="project", choices=sorted(PRESETS))
    p.add_argument("--lemmatize", action="store_true")
    p.add_argument("--no-lemmatize", action="store_true")
    p.add_argument("--collocations", action="store_true")
    p.add_argument("--stop-words", default=None, choices=["news", "english", "none"])
    p.add_argument("--min-df", type=float, default=None)
    p.add_argument("--max-df", type=float, default=None)
    p.add_argument("--no-sublinear", action="store_true")
    p.add_argument("--sweep", default=None, help="k range for a timed sweep, e.g. 5-30")
    p.add_argument("--n-jobs", type=int, default=2, help="seeds in parallel threads")
    return p


def _preprocessing(a: argparse.Namespace) -> dict:
    """The preprocessing options given on the command line (they override the preset)."""
    vec_kw = {}
    if a.lemmatize:
        vec_kw["lemmatize"] = True
    if a.no_lemmatize:
        vec_kw["lemmatize"] = False
    if a.collocations:
        vec_kw["collocations"] = True
    if a.stop_words:
        vec_kw["stop_words"] = None if a.stop_words == "none" else a.stop_words
    if a.min_df is not None:
        vec_kw["min_df"] = int(a.min_df) if a.min_df >= 1 else a.min_df
    if a.max_df is not None:
        vec_kw["max_df"] = int(a.max_df) if a.max_df > 1 else a.max_df
    return vec_kw


def validate_main(argv: list[str] | None = None) -> int:
    """``python -m helpers validate topics FILE --k K [--text-column text --label-column category]``

    Fits the model on every document of FILE and prints JSON: NMI, purity and ARI of each
    document's dominant topic against the labels (full-data fit, deterministic for NMF),
    the same averaged over ``--seeds`` subsampled fits, NPMI, diversity at 10 and 25,
    stability across seeds, fit time, and the preprocessing report. ``--sweep 5-30`` also
    times and summarises a full sweep.
    """
    a = _parser().parse_args(list(argv) if argv is not None else None)
    try:
        result = validate_topics(
            a.file,
            a.k,
            text_column=a.text_column,
            label_column=a.label_column,
            method=a.method,
            seeds=a.seeds,
            subsample=a.subsample,
            preset=a.preset,
            preprocessing=_preprocessing(a),
            sublinear_tf=not a.no_sublinear,
            sweep=a.sweep,
            n_jobs=a.n_jobs,
        )
    except TableError as exc:
        print(json.dumps({"error": str(exc)}))
        return 2
    print(json.dumps(result, indent=1, default=str))
    return 0


def train_main(argv: list[str] | None = None) -> int:
    """``python -m helpers train topics [--eval-dir DIR]``: the tune part's choices as JSON."""
    p = argparse.ArgumentParser(
        prog="python -m helpers train topics",
        description="Choose the topic settings on the tune part of BBC News.",
    )
    p.add_argument(
        "--eval-dir", default=None, help="labelled data folder (default: ../shared/eval)"
    )
    a = p.parse_args(list(argv) if argv is not None else None)
    eval_dir = Path(a.eval_dir) if a.eval_dir else config.EVAL_DIR
    if not (eval_dir / "bbc_news" / "bbc_dev.csv").is_file():
        print(json.dumps({"error": f"no BBC News dev split under {eval_dir}"}))
        return 2
    tune = tune_part(eval_dir)
    print(json.dumps(tune_topics(tune["text"], tune["category"]).to_dict(), indent=1, default=str))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(validate_main())
