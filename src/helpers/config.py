"""Paths and defaults in one place.

Paths resolve from the project root wherever a kernel or a script starts, so a notebook
opened from ``notebooks/`` and a report run from the root read the same files.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The one seed for every random step (the seed article's date, 14 Jan 2013).
SEED = 20130114


def _find_project_root() -> Path:
    """The folder holding ``pyproject.toml`` and ``notebooks/`` above this file or the cwd."""
    env = os.environ.get("COVERAGE_LAB_ROOT")
    if env:
        return Path(env).resolve()
    for start in (Path(__file__).resolve(), Path.cwd().resolve()):
        for candidate in (start, *start.parents):
            if (candidate / "pyproject.toml").is_file() and (candidate / "notebooks").is_dir():
                return candidate
    return Path.cwd().resolve()


PROJECT_ROOT = _find_project_root()
DATA_RAW = PROJECT_ROOT / "data" / "raw"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
RESOURCES = Path(__file__).resolve().parent / "resources"
EVAL_DIR = Path(os.environ.get("COVERAGE_LAB_EVAL", PROJECT_ROOT.parent / "shared" / "eval"))
MODELS_DIR = Path(os.environ.get("COVERAGE_LAB_MODELS", PROJECT_ROOT / "models"))


def resolve_data(path: str | os.PathLike | None = None) -> Path:
    """Turn a notebook's ``data_path`` parameter into an absolute path.

    ``None`` or ``""`` means ``data/raw``; a relative path is tried against the current
    folder first, then the project root (so ``../shared/eval/...`` works from both).

    >>> resolve_data(None) == DATA_RAW
    True
    """
    if path in (None, ""):
        return DATA_RAW
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    for base in (Path.cwd(), PROJECT_ROOT):
        if (base / p).exists():
            return (base / p).resolve()
    return (PROJECT_ROOT / p).resolve()


def resolve_out(path: str | os.PathLike | None, name: str) -> Path:
    """Folder for a notebook's figures and tables; created if missing.

    ``None`` means ``reports/interactive/<name>`` (interactive runs never overwrite a report).
    """
    out = REPORTS_DIR / "interactive" / name if path in (None, "") else Path(path).expanduser()
    if not out.is_absolute():
        out = PROJECT_ROOT / out
    out.mkdir(parents=True, exist_ok=True)
    return out


def eval_path(*parts: str) -> Path | None:
    """A path inside the shared evaluation folder, or ``None`` when it is absent.

    >>> p = eval_path("newsmtsc", "train.jsonl")  # None on a user's machine
    """
    p = EVAL_DIR.joinpath(*parts)
    return p if p.exists() else None
