"""What a run records beside the pages: package versions and the manifest of the run."""

from __future__ import annotations

import platform
import sys
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

import pandas as pd

from ..config import PROJECT_ROOT
from ..corpus.inputs import corpus_fingerprint
from .notebooks import NotebookResult

PACKAGES = ["coverage-lab-helpers", "pandas", "numpy", "scipy", "scikit-learn", "matplotlib", "nltk",
            "vaderSentiment", "trafilatura", "wordfreq", "simplemma", "papermill", "nbconvert", "jupytext",
            "ftfy", "charset-normalizer", "pyarrow"]


def package_versions() -> dict[str, str]:
    """Python's and every listed package's installed version ("not installed" if absent)."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def build_manifest(data_path: Path, n_documents: int, report: pd.DataFrame, results: list[NotebookResult],
                   seconds: float, jobs: int, corpus_hash: str | None = None) -> dict:
    """The run's record: corpus (path, hash, files), parameters, per-notebook results, timings,
    versions and command. Kept out of the pages, so identical input gives identical pages."""
    return {
        "data": str(data_path.relative_to(PROJECT_ROOT)) if data_path.is_relative_to(PROJECT_ROOT) else str(data_path),
        "corpus_hash": corpus_hash or corpus_fingerprint(data_path),
        "n_documents": int(n_documents),
        "files": report.to_dict("records"),
        "parameters": {"data_path": str(data_path), "out_dir": "<out>/<notebook>"},
        "notebooks": [asdict(r) for r in results],
        "failed": [r.name for r in results if r.status != "ok"],
        "seconds_total": round(seconds, 2),
        "jobs": jobs,
        "versions": package_versions(),
        "command": " ".join(sys.argv),
    }
