"""Paths and defaults in one place.

Paths resolve from the project root wherever a kernel or a script starts, so a notebook
opened from ``notebooks/`` and a report run from the root read the same files.
"""

from __future__ import annotations

import os
import time
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


#: Set by the report runner for the kernels it starts before the corpus is loaded: a file that
#: appears, holding ``ok`` or why the load failed, when the corpus is in the cache.
CORPUS_READY_ENV = "COVERAGE_LAB_CORPUS_READY"


def wait_for_corpus(poll: float = 0.05) -> None:
    """In a kernel the report runner started early, wait until the runner has loaded the corpus.

    The runner starts the notebooks' kernels while it loads the corpus (their imports use the
    core the load leaves idle); each kernel waits here, in :func:`resolve_data`, before reading
    the corpus. Raises when the runner's load failed. Outside a report run: returns at once.
    """
    flag = os.environ.get(CORPUS_READY_ENV)
    if not flag:
        return
    while not os.path.exists(flag):
        time.sleep(poll)
    state = Path(flag).read_text(encoding="utf-8")
    if state != "ok":
        raise RuntimeError(f"the report runner could not load the corpus: {state}")


def mark_corpus_ready(flag: str | os.PathLike, state: str = "ok") -> None:
    """Write the file :func:`wait_for_corpus` waits for, whole (written aside, then renamed)."""
    tmp = Path(f"{flag}.tmp")
    tmp.write_text(state, encoding="utf-8")
    os.replace(tmp, flag)


def resolve_data(path: str | os.PathLike | None = None) -> Path:
    """Turn a notebook's ``data_path`` parameter into an absolute path.

    ``None`` or ``""`` means ``data/raw``; a relative path is tried against the current
    folder first, then the project root (so ``../shared/eval/...`` works from both). In a
    kernel the report runner started before its corpus was loaded, waits for it first
    (:func:`wait_for_corpus`).

    >>> resolve_data(None) == DATA_RAW
    True
    """
    wait_for_corpus()
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
