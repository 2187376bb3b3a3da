"""Finding, describing and executing the analysis notebooks (papermill), one result per notebook.

A failing notebook never raises here: its result says which cell failed and why.
"""

from __future__ import annotations

import html
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from ..config import CORPUS_READY_ENV, NOTEBOOKS_DIR
from .render import make_reproducible, render_html


class EncryptedKernelManager(AsyncKernelManager):
    """Kernels talk to the runner over CurveZMQ-encrypted sockets where the kernel supports it.

    Without it every kernel warns on the user's terminal that it "is running over TCP without
    encryption"; ``auto`` provisions keys when the kernelspec declares Curve support (ipykernel
    does) and falls back to the plain transport otherwise.
    """

    @default("transport_encryption")
    def _default_transport_encryption(self) -> str:
        return "auto"


@dataclass
class NotebookResult:
    name: str
    status: str  # "ok" or "failed"
    seconds: float
    html: str
    description: str = ""
    error: str = ""
    cell: int | None = None
    outputs: list[str] = field(default_factory=list)
    cached: bool = False  # restored from the page cache (an unchanged notebook on unchanged input)
    slowest_cells: list[dict] = field(default_factory=list)  # where the time went (manifest only)


def list_notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Notebooks to run, in name order (``00-corpus.ipynb``, ``10-framing.ipynb`` …)."""
    return sorted(p for p in folder.glob("[0-9][0-9]-*.ipynb") if not p.name.startswith("."))


def describe_notebook(path: Path, max_chars: int = 220) -> str:
    """One line on what a notebook shows: the first sentence of its first paragraph of prose,
    without Markdown markup or a leading label such as "**Question.**"."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = [ln.strip() for ln in cell.source.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        if not lines:
            continue
        text = " ".join(lines)
        text = re.sub(r"^\*\*[^*]{1,40}\*\*\s*", "", text)  # "**Question.** ..." -> "..."
        text = re.sub(r"[*_`]+", "", text)
        m = re.search(r"[.?!](\s|$)", text)
        sentence = text[: m.end()].strip() if m else text
        return sentence if len(sentence) <= max_chars else sentence[: max_chars - 1].rstrip() + "…"
    return ""


def _failed_cell(ipynb: Path) -> tuple[int | None, str]:
    """The first cell with an error output: (cell number, 'Error: message')."""
    try:
        nb = nbformat.read(ipynb, as_version=4)
    except Exception:
        return None, ""
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and out.get("ename") != "PapermillExecutionError":
                return i, f"{out.get('ename')}: {out.get('evalue')}"
    return None, ""


#: Kernels that die before their first reply are started again, up to this many attempts in all:
#: jupyter_client picks free TCP ports and binds them later, so when several kernels start at
#: once (notebooks side by side, test workers) one can lose its port to another ("Address
#: already in use", then "Kernel died before replying to kernel_info"). Nothing has run then.
KERNEL_START_ATTEMPTS = 3
_KERNEL_START_FAILURE = "Kernel died before replying to kernel_info"


def _execute(nb: Path, executed: Path, params: dict, timeout: int) -> None:
    """papermill on one notebook, starting the kernel again when it died before its first reply."""
    import papermill as pm

    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            pm.execute_notebook(str(nb), str(executed), parameters=params, kernel_name="python3",
                                progress_bar=False, cwd=str(nb.parent), execution_timeout=timeout,
                                report_mode=False, log_output=False,
                                kernel_manager_class=EncryptedKernelManager)
            return
        except RuntimeError as err:
            if _KERNEL_START_FAILURE not in str(err) or attempt == KERNEL_START_ATTEMPTS:
                raise


def warm_up() -> None:
    """Import what :func:`run_notebook` needs (papermill, nbclient, nbconvert's HTML exporter), so a
    process started early launches its kernel at once when a notebook arrives."""
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401
    from nbconvert import HTMLExporter  # noqa: F401


def run_notebook(nb: Path, data: Path, out: Path, timeout: int = 900, extra: dict | None = None,
                 ready: str | None = None) -> NotebookResult:
    """Execute one notebook with papermill and render it; never raises for notebook errors.

    ``ready``: the kernel starts before the corpus is loaded and waits for this file
    (:func:`helpers.config.wait_for_corpus`) before reading it.
    """
    if ready:
        os.environ[CORPUS_READY_ENV] = ready  # the kernel inherits it
    else:
        os.environ.pop(CORPUS_READY_ENV, None)
    name = nb.stem
    nb_out = out / name
    nb_out.mkdir(parents=True, exist_ok=True)
    executed = nb_out / f"{name}.ipynb"
    params = {"data_path": str(data), "out_dir": str(nb_out), **(extra or {})}
    t0 = time.perf_counter()
    status, error, cell = "ok", "", None
    try:
        _execute(nb, executed, params, timeout)
    except Exception as err:  # papermill raises PapermillExecutionError, kernels may die
        status = "failed"
        cell, error = _failed_cell(executed)
        if not error:
            error = f"{type(err).__name__}: {str(err).strip().splitlines()[-1] if str(err).strip() else ''}"
    seconds = time.perf_counter() - t0
    timings: list[dict] = []
    executed_nb = make_reproducible(executed, timings)
    html_path = out / f"{name}.html"
    try:
        if executed_nb is None:
            raise FileNotFoundError(f"papermill wrote no executed notebook {executed.name}")
        render_html(executed_nb, html_path)
    except Exception as err:
        status, error = "failed", error or f"rendering failed: {type(err).__name__}: {err}"
        html_path.write_text(f"<!doctype html><meta charset='utf-8'><title>{html.escape(name)}</title>"
                             f"<p>Rendering failed: {html.escape(str(err))}</p>", encoding="utf-8")
    outputs = sorted(p.relative_to(out).as_posix() for p in nb_out.rglob("*") if p.is_file() and p != executed)
    return NotebookResult(name=name, status=status, seconds=round(seconds, 2), html=html_path.name,
                          description=describe_notebook(nb), error=error, cell=cell, outputs=outputs,
                          slowest_cells=timings)
