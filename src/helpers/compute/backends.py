"""Where chunks of documents run: here, on local worker processes, or on a Dask cluster.

- ``COVERAGE_LAB_SCHEDULER=tcp://host:8786`` (or :func:`use_scheduler`): every chunk goes to
  that Dask cluster (``distributed.Client``); the chunks are scattered to the workers and the
  same function runs on each, results gathered in chunk order.
- otherwise ``COVERAGE_LAB_WORKERS`` local processes (default: all cores): this one and
  worker processes of joblib's loky backend (reused between calls), sharing the chunks
  (:func:`shared_chunks`); one worker, or one chunk, runs in this process with no pickling.

The function is the same on every path and results come back in chunk order, so the rows are
identical whichever path ran (tests compare them). Progress bars (tqdm) show chunks done;
``COVERAGE_LAB_PROGRESS=0`` hides them (the report does, its kernels' stderr is not a terminal).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import hashlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future

import pandas as pd
import pyarrow as pa

_CLIENTS: dict[str, object] = {}


def configured_workers(workers: int | None = None) -> int:
    """Local worker processes: ``workers`` if given, else ``COVERAGE_LAB_WORKERS``, else all cores,
    shared with the other notebooks the report runner is running at this moment (it keeps their
    number in the file ``COVERAGE_LAB_RUNNING`` names: two kernels on two cores get one each, the
    last one running gets both). Results never depend on the number."""
    if workers is None:
        env = os.environ.get("COVERAGE_LAB_WORKERS", "").strip()
        workers = int(env) if env.isdigit() else (os.cpu_count() or 1) // running_kernels()
    return max(1, int(workers))


def running_kernels() -> int:
    """How many notebooks the report runner is running now (1 outside a report, or if unknown)."""
    path = os.environ.get("COVERAGE_LAB_RUNNING", "").strip()
    if not path:
        return 1
    try:
        with open(path, encoding="ascii") as fh:
            return max(1, int(fh.read().strip() or 1))
    except (OSError, ValueError):
        return 1


def set_running_kernels(n: int) -> None:
    """Record ``n`` running notebooks in the ``COVERAGE_LAB_RUNNING`` file (atomically; no-op without it)."""
    path = os.environ.get("COVERAGE_LAB_RUNNING", "").strip()
    if path:
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="ascii") as fh:
            fh.write(str(int(n)))
        os.replace(tmp, path)


def scheduler_address() -> str | None:
    """The Dask scheduler to use (``COVERAGE_LAB_SCHEDULER``), or ``None`` for local work."""
    return os.environ.get("COVERAGE_LAB_SCHEDULER", "").strip() or None


def use_scheduler(address: str | None) -> None:
    """Send later work to the Dask scheduler at ``address`` (``None``: back to local processes).

    Clients of other schedulers made by this process are closed (a client left open would keep
    trying to reach a cluster that has gone).
    """
    for other in [a for a in _CLIENTS if a != address]:
        _CLIENTS.pop(other).close()
    if address:
        os.environ["COVERAGE_LAB_SCHEDULER"] = address
    else:
        os.environ.pop("COVERAGE_LAB_SCHEDULER", None)


def progress_enabled(progress: bool = True) -> bool:
    """Progress bars are shown unless ``progress`` is false or ``COVERAGE_LAB_PROGRESS=0``."""
    return bool(progress) and os.environ.get("COVERAGE_LAB_PROGRESS", "1").strip() not in ("0", "off", "false")


def _bar(total: int, desc: str, progress: bool):
    if not progress_enabled(progress) or total < 2:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="chunk", file=sys.stderr, leave=False)


def run_chunks(func: Callable[[pd.DataFrame], pd.DataFrame], chunks: Sequence[pd.DataFrame], *,
               workers: int | None = None, desc: str = "documents", progress: bool = True) -> Iterator[pd.DataFrame]:
    """``func`` applied to every chunk, yielded in chunk order (see the module docstring for where)."""
    bar = _bar(len(chunks), desc, progress)
    address = scheduler_address()
    n = configured_workers(workers)
    if address and chunks:
        results = _dask_results(func, chunks, address)
    elif n > 1 and len(chunks) > 1:
        results = iter(shared_chunks(func, chunks, min(n, len(chunks)), on_done=_tick(bar)))
        bar = None  # ticked as chunks finish, in any order
    elif workers is None and len(chunks) >= GROW_MIN_CHUNKS and os.environ.get("COVERAGE_LAB_RUNNING"):
        results = _growing(func, chunks, _tick(bar))
        bar = None
    else:
        results = (func(chunk) for chunk in chunks)
    try:
        for out in results:
            if bar is not None:
                bar.update(1)
            yield out
    finally:
        if bar is not None:
            bar.close()


#: In a report, a step that starts on this process alone (the other notebook has the other
#: core) hands its remaining chunks to worker processes as soon as a core frees up, if at
#: least this many chunks remain (a worker's start-up costs about a chunk's work).
GROW_MIN_CHUNKS = 4


def _growing(func: Callable, chunks: Sequence, tick: Callable[[], None] | None) -> Iterator:
    """``func`` of each chunk in this process, in order, until :func:`configured_workers` grows
    (the report runner recorded that another notebook finished) while :data:`GROW_MIN_CHUNKS`
    or more chunks remain: those then go to :func:`shared_chunks` on that many processes. The
    same results in the same order as ``func`` of each chunk."""
    for i, chunk in enumerate(chunks):
        left = len(chunks) - i
        if left >= GROW_MIN_CHUNKS and (n := configured_workers()) > 1:
            yield from shared_chunks(func, chunks[i:], min(n, left), on_done=tick)
            return
        out = func(chunk)
        if tick is not None:
            tick()
        yield out


def _tick(bar):
    return (lambda: bar.update(1)) if bar is not None else None


def worker_executor(n: int):
    """loky's reusable executor of ``n`` worker processes, whose workers are never replaced for
    growing. loky measures a worker after its first task and replaces it (a new process: imports,
    and the memos it had built, such as the sentence splitter's decided contexts, start again) once
    it holds 300 MB more; at 100,000 articles the load's worker does, by design (it parses half
    of a large file, then keeps its memos), and was replaced mid-load. The workers are stopped when
    their caller is done with them (``keep=False``), which gives the memory back."""
    from joblib.externals.loky import get_reusable_executor

    return get_reusable_executor(max_workers=n, initializer=_never_replaced)


def _never_replaced() -> None:
    """In a worker, at its start: switch off loky's replacement of a grown worker."""
    from joblib.externals.loky import process_executor

    process_executor._MAX_MEMORY_LEAK_SIZE = sys.maxsize


def shared_chunks(func: Callable, chunks: Sequence, workers: int, *, keep: bool = True,
                  on_done: Callable[[], None] | None = None) -> list:
    """``[func(c) for c in chunks]``, worked through by this process and ``workers - 1`` local
    worker processes (loky): the workers take chunks from the start, one at a time each (the next
    is sent as soon as one comes back), this process from the end, each chunk claimed once under a
    lock, so no process waits while chunks are left and this process starts at once (it also
    keeps its own memos: the corpus's sentence spans, VADER's scores of texts seen). Results in
    chunk order. ``keep=False`` stops the workers afterwards (their memory back); otherwise loky
    keeps them for the next call."""
    from joblib.externals.loky.backend.reduction import cloudpickle  # the pickler loky itself uses

    executor = worker_executor(workers - 1)
    # ``func`` is pickled once, here, before this process starts on its chunks: later chunks are
    # sent from loky's callback thread while this thread runs ``func``, and a function carrying
    # memos (a dictionary's vocabulary) pickled mid-update reached a worker inconsistent
    frozen = cloudpickle.dumps(func)
    key = hashlib.sha256(frozen).hexdigest()
    results: list = [None] * len(chunks)
    lock = threading.Lock()
    bounds = [0, len(chunks)]  # the next chunk for a worker; one past the next for this process
    futures: list = []

    def send(_=None) -> None:  # also a done-callback: a worker came back, give it the next chunk
        if _ is not None and on_done is not None:
            on_done()
        with lock:
            if bounds[0] >= bounds[1]:
                return
            i = bounds[0]
            bounds[0] += 1
        try:
            fut = executor.submit(_call_frozen, frozen, key, chunks[i])
        except Exception as err:  # a broken pool (a worker killed): raised below, with the others
            fut = Future()
            fut.set_exception(err)
        fut.index = i
        futures.append(fut)
        fut.add_done_callback(send)

    for _ in range(workers - 1):
        send()
    while True:
        with lock:
            if bounds[0] >= bounds[1]:
                break
            bounds[1] -= 1
            i = bounds[1]
        results[i] = func(chunks[i])
        if on_done is not None:
            on_done()
    while len(futures) < bounds[0] or not all(f.done() for f in futures):  # callbacks may still send
        time.sleep(0.01)
    for fut in futures:
        results[fut.index] = fut.result()  # a worker's error is raised here
    if not keep:
        executor.shutdown(wait=True)
    return results


_THAWED: dict[str, Callable] = {}


def _call_frozen(frozen: bytes, key: str, chunk):
    """In a worker: the function pickled by :func:`shared_chunks` (unpickled once per function and
    kept, with the memos it builds, for the worker's next chunks) applied to ``chunk``."""
    func = _THAWED.get(key)
    if func is None:
        from joblib.externals.loky.backend.reduction import cloudpickle

        _THAWED.clear()  # one function at a time: bounded memory
        func = _THAWED[key] = cloudpickle.loads(frozen)
    return func(chunk)


def dask_client(address: str):
    """A ``distributed.Client`` for ``address``, made once per process and reused."""
    client = _CLIENTS.get(address)
    if client is None or getattr(client, "status", "closed") in ("closed", "closing"):
        try:
            from distributed import Client
        except ImportError as err:  # pragma: no cover - dask is a dependency; a broken install
            raise RuntimeError("COVERAGE_LAB_SCHEDULER is set but dask.distributed is not installed: "
                               "pip install 'dask[distributed]'") from err
        client = Client(address, set_as_default=False)
        _CLIENTS[address] = client
    return client


def _dask_results(func, chunks, address) -> Iterator[pd.DataFrame]:
    """Scatter the chunks to the cluster, run ``func`` on each, yield results in chunk order."""
    client = dask_client(address)
    futures = client.map(func, client.scatter(list(chunks)), pure=False)
    for fut in futures:
        yield fut.result()


def release_memory() -> None:
    """Give memory freed by dropped tables back to the operating system.

    Python and Arrow keep freed memory for reuse; a process that is done with a large table
    (the report runner after loading the corpus for its kernels) would otherwise hold it for the
    rest of its life. Collects garbage, releases Arrow's unused pool memory and, on glibc
    (Linux), trims the C heap. Harmless where a step is unavailable.
    """
    gc.collect()
    pa.default_memory_pool().release_unused()
    libc = ctypes.util.find_library("c")
    if libc:
        try:
            ctypes.CDLL(libc).malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to trim
            pass


#: Cells shorter than this (seconds) are not followed by :func:`release_memory` (a collection
#: and a heap trim cost ~0.1 s in a kernel holding a large corpus) unless the kernel grew by
#: :data:`RELEASE_AFTER_GROWTH` since the last release.
RELEASE_AFTER_SECONDS = 2.0
#: Growth of the kernel's resident memory (bytes) since the last release after which a cell is
#: followed by :func:`release_memory` however short it was. At 100,000 articles the sentiment
#: notebook's last eight cells each took under 2 s and together left the kernel 0.9 GB larger
#: (3.44 -> 4.38 GB), most of it memory freed inside those cells and kept by the allocators,
#: while the framing kernel beside it was at its own peak.
RELEASE_AFTER_GROWTH = 256 * 2**20


def release_after_cells(min_seconds: float = RELEASE_AFTER_SECONDS,
                        min_growth: int = RELEASE_AFTER_GROWTH) -> bool:
    """In an IPython kernel (a notebook), run :func:`release_memory` after every cell that took
    ``min_seconds`` or more, or after which the kernel's resident memory is ``min_growth`` bytes
    above what it was after the last release (the objects alive then are frozen for the garbage
    collector until the next release: :func:`_freeze`), so memory a step freed goes back to the
    system instead of staying in Python's and Arrow's pools while the next steps run (at 100k
    articles a notebook's kernel otherwise keeps up to ~1 GB it no longer uses; in the report two
    kernels run side by side, so what one keeps adds to the other's peak). Registered once per
    kernel (calling it again replaces the hooks). Returns whether it is registered (False outside
    IPython).
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "events"):
        return False
    started = [time.perf_counter()]
    released = [0]  # resident bytes after the last release (0: not known)

    def _note_start(*_):
        started[0] = time.perf_counter()

    def _release_if_long(*_):
        rss = resident_bytes()
        grown = rss is not None and rss - released[0] >= min_growth
        if grown or time.perf_counter() - started[0] >= min_seconds:
            _thaw()
            release_memory()
            _freeze()
            released[0] = resident_bytes() or 0

    _note_start.__qualname__ = _release_if_long.__qualname__ = "coverage_lab_release"
    for event in ("pre_run_cell", "post_run_cell"):  # a second call (or a reloaded module) replaces the hooks
        for hook in [h for h in shell.events.callbacks[event] if getattr(h, "__qualname__", "") == "coverage_lab_release"]:
            shell.events.unregister(event, hook)
    shell.events.register("pre_run_cell", _note_start)
    shell.events.register("post_run_cell", _release_if_long)
    gc.collect()
    _freeze()
    released[0] = resident_bytes() or 0
    return True


def resident_bytes() -> int | None:
    """This process's resident memory in bytes (Linux ``/proc/self/statm``, a few microseconds),
    None where that file is missing."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return None


_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _freeze() -> None:
    """Move every object alive now out of the garbage collector's view (``gc.freeze``): the modules,
    the corpus and the tables earlier cells kept are not walked again by each full collection
    during the next cells (at 10,000 articles the framing kernel's collections took ~3 s of a 36 s
    scoring cell, ~1.4 s frozen). :func:`_thaw` puts them back before the collection that follows
    every long cell, so cyclic garbage among them is still found, one long cell later at most.
    ``COVERAGE_LAB_GC_FREEZE=0`` switches this off."""
    if os.environ.get("COVERAGE_LAB_GC_FREEZE", "1") != "0":
        gc.freeze()


def _thaw() -> None:
    gc.unfreeze()
