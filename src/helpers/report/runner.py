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
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures import wait as wait_all
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pandas as pd

from ..compute import cache_root, configured_workers, release_memory, set_running_kernels
from ..config import NOTEBOOKS_DIR, PROJECT_ROOT, mark_corpus_ready, resolve_data
from ..corpus.inputs import input_key
from .index import index_html
from .manifest import build_manifest
from .notebooks import NotebookResult, describe_notebook, list_notebooks, run_notebook, warm_up
from .pages import page_key, restore_page, run_key, store_page


def default_jobs() -> int:
    """Notebooks to run at once: env ``COVERAGE_LAB_JOBS``, else one per core, at most two."""
    env = os.environ.get("COVERAGE_LAB_JOBS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(2, os.cpu_count() or 1))


def run(data: str | Path | None = None, out: str | Path = "reports/latest", notebooks: list[str] | None = None,
        timeout: int = 900, progress: bool = True, notebooks_dir: Path = NOTEBOOKS_DIR,
        jobs: int | None = None, cache: bool = True, scheduler: str | None = None,
        workers: int | None = None) -> dict:
    """Run all (or the named) notebooks on ``data`` and render the report into ``out``.

    ``jobs`` notebooks run at once (default: one per core, at most two, env
    ``COVERAGE_LAB_JOBS`` overrides). The corpus is loaded here once; kernels read it from the
    cache (:mod:`helpers.corpus.cache`), per-document measures reuse cached documents, and a
    notebook whose inputs are all unchanged is not run again (:mod:`.pages`). ``cache=False``
    runs everything cold and keeps nothing (see :func:`_compute_settings`). ``scheduler`` (a Dask address) or ``workers`` (start
    a local Dask cluster with that many worker processes) send per-document measures to Dask.
    Returns the manifest dict; ``manifest["failed"]`` lists failed notebooks.
    """
    data_path = resolve_data(data)
    if not data_path.exists():
        raise FileNotFoundError(f"no such corpus folder or file: {data_path}")
    out_path = Path(out)
    if not out_path.is_absolute():
        out_path = PROJECT_ROOT / out_path
    out_path.mkdir(parents=True, exist_ok=True)
    books = select_notebooks(notebooks_dir, notebooks)
    jobs = max(1, min(jobs or default_jobs(), len(books)))
    t0 = time.perf_counter()
    # no kernel runs yet: the load's per-document steps may use every core (or the user's setting)
    load_workers = configured_workers()
    loaded: dict = {}

    def load() -> None:  # with cache=False: into the run's own cache
        loaded["n"], loaded["report"] = load_apart(data_path, load_workers)
        loaded["report"].to_csv(out_path / "load_report.csv", index=False)

    with _compute_settings(jobs, cache, scheduler, workers), _slots(jobs, len(books)) as slots:
        store = cache_root() if cache else None
        shared = run_key(input_key(data_path), {"timeout": timeout}) if store else ""
        pages = {nb.stem: page_key(nb, shared) for nb in books} if store else {}
        results = _run_all(books, data_path, out_path, timeout, jobs, progress, store, pages, slots, load)
    n_documents, report = loaded["n"], loaded["report"]
    manifest = build_manifest(data_path, n_documents, report, results, seconds=time.perf_counter() - t0, jobs=jobs)
    manifest["compute"] = {"cache": str(store) if store else "off", "scheduler": scheduler or "",
                           "dask_workers": workers or 0, "cached_pages": [r.name for r in results if r.cached]}
    (out_path / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
    (out_path / "index.html").write_text(index_html(results, manifest["files"], manifest, out_path), encoding="utf-8")
    return manifest


@contextmanager
def _slots(jobs: int, n_books: int):
    """The processes that run notebooks side by side (``None`` when they run one at a time).

    Started before the corpus loads, so each imports papermill and nbconvert (about a second)
    while the load runs, and launches its kernel as soon as the corpus is ready.
    """
    if jobs == 1 or n_books <= 1:
        yield None
        return
    pool = ProcessPoolExecutor(max_workers=min(jobs, n_books), mp_context=multiprocessing.get_context("spawn"))
    try:
        for _ in range(min(jobs, n_books)):
            pool.submit(warm_up)
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


#: Inputs larger than this (bytes) are loaded in a process of their own (:func:`load_apart`).
LOAD_APART_BYTES = 200_000_000


def load_apart(data_path: Path, workers: int) -> tuple[int, pd.DataFrame]:
    """Load the corpus into the cache: (number of documents, load report).

    The kernels read the corpus from the cache, so the runner needs only its size and load
    report. Loading in the runner leaves it holding what the load fragmented for the whole run
    (0.6 GB at 100k articles after ``release_memory``, 0.27 GB at 10k); a process that exits
    gives it all back, but its start-up (imports, ~2 s) is paid before the load. So inputs
    over :data:`LOAD_APART_BYTES` load in a process of their own, smaller ones here. Errors (a
    missing folder, unreadable input) are raised here either way.
    """
    if _input_bytes(data_path) <= LOAD_APART_BYTES:
        return _load_summary(data_path, workers)
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_load_summary, data_path, workers).result()


def _input_bytes(data_path: Path) -> int:
    if data_path.is_file():
        return data_path.stat().st_size
    total = 0
    for p in data_path.rglob("*"):
        try:
            total += p.stat().st_size if p.is_file() else 0
        except OSError:  # a broken link or unreadable entry: the load report will name it
            pass
    return total


def _load_summary(data_path: Path, workers: int) -> tuple[int, pd.DataFrame]:
    # imported here: the runner itself never needs the readers, nltk and scikit-learn when the load
    # runs apart (0.25 -> ~0.13 GB held for the whole run at 100k articles)
    from ..corpus import load_corpus
    from ..text import use_sentence_spans

    corpus, report = load_corpus(data_path, workers=workers)
    n = len(corpus)
    del corpus  # the kernels read their own copy from the cache; this process keeps no corpus
    use_sentence_spans(None)  # nor its sentence spans (cached beside it: each kernel reads them)
    release_memory()  # and gives back what it can
    return n, report


@contextmanager
def _compute_settings(jobs: int, cache: bool, scheduler: str | None, workers: int | None):
    """Environment for the kernels: cache on/off, local workers per kernel, Dask, no progress bars.

    Each of the ``jobs`` kernels gets an equal share of the cores for its own worker processes
    (unless ``COVERAGE_LAB_WORKERS`` is set). ``cache=False`` gives the run a fresh cache folder
    of its own, deleted afterwards: nothing from earlier runs is read and nothing is kept, but
    the corpus is still parsed once and measures are shared between the notebooks of the run
    (``COVERAGE_LAB_CACHE=off`` turns even that off). ``workers`` starts a ``distributed.LocalCluster``
    for the run; ``scheduler`` connects to a running one. Restored afterwards.
    """
    cluster = None
    if workers and not scheduler:
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        scheduler = cluster.scheduler_address
    settings = {"COVERAGE_LAB_PROGRESS": "0"}
    share = None
    if "COVERAGE_LAB_WORKERS" not in os.environ:
        # each kernel's share of the cores follows how many notebooks are running: one core each
        # while two run on two cores, both for the last one (set_running_kernels in _execute_all)
        share = tempfile.mkdtemp(prefix="coverage-lab-share-")
        settings["COVERAGE_LAB_RUNNING"] = os.path.join(share, "running")
    run_cache = None
    if not cache and cache_root() is not None:
        # cold, but loaded once: a cache for this run alone (nothing earlier is read, nothing is
        # kept), so the kernels still read the corpus the runner loaded and share measures
        run_cache = tempfile.mkdtemp(prefix="coverage-lab-run-")
        settings["COVERAGE_LAB_CACHE"] = run_cache
    if scheduler:
        settings["COVERAGE_LAB_SCHEDULER"] = scheduler
    saved = {k: os.environ.get(k) for k in settings}
    os.environ.update(settings)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        if cluster is not None:
            cluster.close()
        if run_cache is not None:
            shutil.rmtree(run_cache, ignore_errors=True)
        if share is not None:
            shutil.rmtree(share, ignore_errors=True)


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
             progress: bool, store: Path | None = None, pages: dict[str, str] | None = None,
             slots: ProcessPoolExecutor | None = None, load=None) -> list[NotebookResult]:
    """Execute and render every notebook, ``jobs`` at a time; results in notebook order.

    Notebooks whose page is in the cache (``store``, keys in ``pages``) are copied, not run.
    ``load()`` loads the corpus: called once, while the first kernels start (see :func:`_execute_all`).
    """
    results: dict[str, NotebookResult] = {}
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(books), desc="notebooks", unit="nb", file=sys.stderr)

    def done(res: NotebookResult) -> None:
        results[res.name] = res
        if store is not None and not res.cached:
            store_page(store, pages[res.name], out_path, res)
        how = "unchanged, page reused" if res.cached else f"{res.status} in {res.seconds:.1f} s"
        msg = f"{res.name}: {how}" + (f" — cell {res.cell}: {res.error}" if res.error else "")
        if bar is not None:
            bar.update(1)
            bar.write(msg)
        else:
            print(msg)

    todo = []
    for nb in books:
        t0 = time.perf_counter()
        hit = restore_page(store, nb.stem, pages[nb.stem], out_path) if store is not None else None
        if hit is not None:
            hit.seconds = round(time.perf_counter() - t0, 2)
            done(hit)
        else:
            todo.append(nb)
    _execute_all(todo, data_path, out_path, timeout, jobs, done, slots, load)
    if bar is not None:
        bar.close()
    return [results[nb.stem] for nb in books]


def _execute_all(books: list[Path], data_path: Path, out_path: Path, timeout: int, jobs: int, done,
                 slots: ProcessPoolExecutor | None = None, load=None) -> None:
    """Run ``books``, ``jobs`` at a time, calling ``done`` with each result as it finishes.

    ``slots``: the processes to run them in (started earlier); else a pool is started here.
    ``load()``, when given, loads the corpus: one at a time, first; side by side, the first
    kernels start (and import their libraries, ~3 s each, on the core the load leaves idle)
    while it runs and wait for it (:func:`helpers.config.wait_for_corpus`).
    """
    if jobs == 1 or len(books) <= 1:
        if load is not None:
            load()
        set_running_kernels(min(jobs, len(books)))
        for nb in books:
            done(run_notebook(nb, data_path, out_path, timeout=timeout))
        return
    # Notebooks are independent (each writes its own folder), so they run side by side in
    # separate processes; results are put back in notebook order by the caller.
    own = None
    if slots is None:
        own = slots = ProcessPoolExecutor(max_workers=min(jobs, len(books)), mp_context=multiprocessing.get_context("spawn"))
    flags = tempfile.mkdtemp(prefix="coverage-lab-ready-") if load is not None else None
    with own or nullcontext(), _removed(flags):
        ready = os.path.join(flags, "corpus") if flags else None
        futures = {slots.submit(run_notebook, nb, data_path, out_path, timeout, ready=ready): nb for nb in run_order(books)}
        if load is not None:
            try:
                load()
            except BaseException as err:  # the waiting kernels stop at once; the error is the runner's
                mark_corpus_ready(ready, f"{type(err).__name__}: {err}")
                for fut in futures:
                    fut.cancel()
                wait_all(futures)  # the started ones end (their kernels read the flag) before it is removed
                raise
            mark_corpus_ready(ready)
        set_running_kernels(min(jobs, len(books)))
        for finished, fut in enumerate(as_completed(futures), start=1):
            nb = futures[fut]
            if len(books) - finished:  # the pool starts the next one, or a core comes free
                set_running_kernels(min(jobs, len(books) - finished))
            try:
                done(fut.result())
            except Exception as err:  # the worker itself died: still report the notebook
                done(NotebookResult(name=nb.stem, status="failed", seconds=0.0, html=f"{nb.stem}.html",
                                    description=describe_notebook(nb), error=f"{type(err).__name__}: {err}"))


@contextmanager
def _removed(folder: str | None):
    """Delete ``folder`` (if any) on the way out."""
    try:
        yield
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


#: The order notebooks start in when several run at once (others follow in name order): longest
#: first (on two cores, the longest beside the next two, the shortest last, where the first slot to
#: free takes it). Measured at 10k articles (docs/scale.md, fifth session): with sentiment last, as
#: before, it ran alone on one core for its last ~40 s while the other core idled (152 s); this
#: order ends both slots together. At 100k framing is still the longest, the others near equal.
RUN_ORDER = ("10-framing", "30-topics", "20-sentiment", "00-corpus")


def run_order(books: list[Path]) -> list[Path]:
    """``books`` in :data:`RUN_ORDER` (the notebooks it does not name after, as given)."""
    rank = {name: i for i, name in enumerate(RUN_ORDER)}
    return sorted(books, key=lambda b: rank.get(b.stem, len(rank)))
