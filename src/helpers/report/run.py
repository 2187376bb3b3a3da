"""Run every notebook on a corpus and render a report people without Python can open.

``run(data, out)`` executes ``notebooks/NN-*.ipynb`` in order with papermill (parameters
``data_path`` and ``out_dir``), renders each executed notebook to standalone HTML (images
embedded, article text escaped), writes ``index.html`` with the load report and a line per
notebook, and ``manifest.json`` (corpus hash, files, parameters, package versions, timings).
A failing notebook is reported with its cell and error; the others still run.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from ..config import NOTEBOOKS_DIR, PROJECT_ROOT, resolve_data
from ..corpus import load_corpus
from .index import index_html
from .manifest import build_manifest
from .notebooks import NotebookResult, describe_notebook, list_notebooks, run_notebook


def default_jobs() -> int:
    """Notebooks to run at once: env ``COVERAGE_LAB_JOBS``, else one per core, at most two."""
    env = os.environ.get("COVERAGE_LAB_JOBS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(2, os.cpu_count() or 1))


def run(data: str | Path | None = None, out: str | Path = "reports/latest", notebooks: list[str] | None = None,
        timeout: int = 900, progress: bool = True, notebooks_dir: Path = NOTEBOOKS_DIR,
        jobs: int | None = None) -> dict:
    """Run all (or the named) notebooks on ``data`` and render the report into ``out``.

    ``jobs`` notebooks run at once (default: one per core, at most two, env
    ``COVERAGE_LAB_JOBS`` overrides). Returns the manifest dict; ``manifest["failed"]`` lists
    failed notebooks.
    """
    data_path = resolve_data(data)
    if not data_path.exists():
        raise FileNotFoundError(f"no such corpus folder or file: {data_path}")
    out_path = Path(out)
    if not out_path.is_absolute():
        out_path = PROJECT_ROOT / out_path
    out_path.mkdir(parents=True, exist_ok=True)
    books = select_notebooks(notebooks_dir, notebooks)
    t0 = time.perf_counter()
    corpus, report = load_corpus(data_path)
    report.to_csv(out_path / "load_report.csv", index=False)
    jobs = max(1, min(jobs or default_jobs(), len(books)))
    results = _run_all(books, data_path, out_path, timeout, jobs, progress)
    manifest = build_manifest(data_path, corpus, report, results, seconds=time.perf_counter() - t0, jobs=jobs)
    (out_path / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
    (out_path / "index.html").write_text(index_html(results, manifest["files"], manifest, out_path), encoding="utf-8")
    return manifest


def select_notebooks(notebooks_dir: Path, names: list[str] | None = None) -> list[Path]:
    """The notebooks to run: all, or those whose name or number (``"20"``) is in ``names``."""
    books = list_notebooks(notebooks_dir)
    if names:
        wanted = set(names)
        books = [b for b in books if b.stem in wanted or b.stem.split("-")[0] in wanted]
        if not books:
            raise ValueError(f"no notebook matches {sorted(wanted)}; available: {[b.stem for b in list_notebooks(notebooks_dir)]}")
    return books


def _run_all(books: list[Path], data_path: Path, out_path: Path, timeout: int, jobs: int,
             progress: bool) -> list[NotebookResult]:
    """Execute and render every notebook, ``jobs`` at a time; results in notebook order."""
    results: dict[str, NotebookResult] = {}
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(books), desc="notebooks", unit="nb", file=sys.stderr)

    def done(res: NotebookResult) -> None:
        results[res.name] = res
        msg = f"{res.name}: {res.status} in {res.seconds:.1f} s" + (f" — cell {res.cell}: {res.error}" if res.error else "")
        if bar is not None:
            bar.update(1)
            bar.write(msg)
        else:
            print(msg)

    if jobs == 1:
        for nb in books:
            done(run_notebook(nb, data_path, out_path, timeout=timeout))
    else:
        # Notebooks are independent (each writes its own folder), so they run side by side in
        # separate processes; results are put back in notebook order below.
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            futures = {pool.submit(run_notebook, nb, data_path, out_path, timeout): nb for nb in books}
            for fut in as_completed(futures):
                nb = futures[fut]
                try:
                    done(fut.result())
                except Exception as err:  # the worker itself died: still report the notebook
                    done(NotebookResult(name=nb.stem, status="failed", seconds=0.0, html=f"{nb.stem}.html",
                                        description=describe_notebook(nb), error=f"{type(err).__name__}: {err}"))
    if bar is not None:
        bar.close()
    return [results[nb.stem] for nb in books]
