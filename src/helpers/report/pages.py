"""Rendered notebook pages kept by content: an unchanged notebook on unchanged input is not rerun.

A page's key covers everything its output can depend on: the notebook file, the corpus
(:func:`helpers.corpus.input_key`: every input file's bytes), the package code, resources and
shipped models (:func:`helpers.compute.code_fingerprint`), the user's models folder and the
labelled-data folder (each file's path and bytes, or "absent"), files named by the notebook's
path parameters (:func:`path_parameters`), and the run's parameters. On a
hit the stored page, its executed notebook and its figures and tables are copied into the
report folder (the executed notebook's ``out_dir`` parameter then names that folder); they are
the bytes a fresh run there would write (rendering is deterministic, and
tests compare). Only notebooks that ran without error are stored.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import uuid
from dataclasses import asdict
from pathlib import Path

from ..compute import code_fingerprint, folder_fingerprint, stable_key, warn_unwritable
from ..config import EVAL_DIR, MODELS_DIR
from .notebooks import NotebookResult

_RESULT = "result.json"
_ORIGIN = "origin.json"  # the output folder the stored notebook ran with
_PATH_PARAM = re.compile(r"""^(\w+_(?:path|dir))\s*=\s*(['"])(.+?)\2""", re.MULTILINE)


def path_parameters(nb: Path) -> dict[str, str]:
    """Files or folders the notebook's parameters cell names (``*_path``/``*_dir`` set to a string).

    Their content is part of the page key, so editing a coding sheet or a dictionary the
    notebook points at reruns it. ``data_path``/``out_dir`` are the run's own and not included.
    """
    import nbformat

    found = {}
    for cell in nbformat.read(nb, as_version=4).cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            for m in _PATH_PARAM.finditer(cell.source):
                if m.group(1) not in ("data_path", "out_dir"):
                    found[m.group(1)] = m.group(3)
    return found


def _path_fingerprint(value: str, base: Path) -> str:
    path = Path(value).expanduser()
    path = path if path.is_absolute() else base / path
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    return folder_fingerprint(path)


def run_key(corpus_key: str, params: dict) -> str:
    """What every page of one run shares in its key: corpus, code, models, labelled data, parameters."""
    return stable_key("run", corpus_key, code_fingerprint(), folder_fingerprint(MODELS_DIR),
                      folder_fingerprint(EVAL_DIR), params)


def page_key(nb: Path, shared: str) -> str:
    """The content key of one notebook's page: the notebook file, the files its path parameters
    name, and the run's :func:`run_key` (see the module docstring)."""
    named = {k: _path_fingerprint(v, nb.parent) for k, v in path_parameters(nb).items()}
    return stable_key("page", hashlib.sha256(nb.read_bytes()).hexdigest(), named, shared)


def _page_dir(store: Path, name: str, key: str) -> Path:
    return store / "pages" / name / key


def restore_page(store: Path, name: str, key: str, out: Path) -> NotebookResult | None:
    """Copy a stored page into ``out`` and return its result (``cached`` noted), or ``None``."""
    folder = _page_dir(store, name, key)
    try:
        result = NotebookResult(**json.loads((folder / _RESULT).read_text(encoding="utf-8")))
        stored_out = json.loads((folder / _ORIGIN).read_text(encoding="utf-8"))["out_dir"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if (out / name).exists():
        shutil.rmtree(out / name)
    shutil.copytree(folder / "files", out / name)
    shutil.copy2(folder / result.html, out / result.html)
    _point_at(out / name / f"{name}.ipynb", stored_out, str(out / name))
    result.cached = True
    return result


def _point_at(executed: Path, stored_out: str, out_dir: str) -> None:
    """The executed notebook names its ``out_dir`` parameter: make it the folder it was copied
    to, as a fresh run there would have written it (in the notebook's JSON, paths are escaped)."""
    if stored_out == out_dir or not executed.is_file():
        return
    raw = executed.read_text(encoding="utf-8")
    old, new = json.dumps(stored_out)[1:-1], json.dumps(out_dir)[1:-1]
    executed.write_text(raw.replace(old, new), encoding="utf-8")


def store_page(store: Path, key: str, out: Path, result: NotebookResult) -> None:
    """Keep a successful notebook's page, executed notebook and outputs under ``key``."""
    if result.status != "ok":
        return
    folder = _page_dir(store, result.name, key)
    if folder.exists():
        return
    tmp = folder.with_name(f".{key}.{uuid.uuid4().hex}.tmp")
    try:
        shutil.copytree(out / result.name, tmp / "files")
        shutil.copy2(out / result.html, tmp / result.html)
        (tmp / _RESULT).write_text(json.dumps(asdict(result), indent=1), encoding="utf-8")
        (tmp / _ORIGIN).write_text(json.dumps({"out_dir": str(out / result.name)}), encoding="utf-8")
        if not folder.exists():  # else stored meanwhile by another run: same content
            os.replace(tmp, folder)
    except OSError as err:
        warn_unwritable(err, str(folder.parent))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
