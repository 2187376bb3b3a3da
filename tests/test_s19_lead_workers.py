"""The load's worker processes are not replaced when they grow.

loky replaces a worker that holds 300 MB more than after its first task; the load's worker does
at 100,000 articles (half of a large file parsed, then its memos), and its replacement started
again from nothing mid-load. ``worker_executor`` switches that check off in its workers.
"""

from __future__ import annotations

import os
import time

from helpers.compute import backends, worker_executor

_KEPT: list[bytes] = []


def _pid() -> int:
    return os.getpid()


def _grow() -> int:
    _KEPT.append(b"x" * 400_000_000)  # written, so resident
    time.sleep(1.2)  # loky checks a worker's size at most once a second
    return os.getpid()


def test_a_grown_worker_keeps_running():
    executor = worker_executor(1)
    try:
        first = executor.submit(_pid).result()
        assert executor.submit(_grow).result() == first
        time.sleep(0.5)
        assert executor.submit(_pid).result() == first
    finally:
        executor.shutdown(wait=True)


def test_the_switch_runs_in_the_worker():
    executor = worker_executor(1)
    try:
        assert executor.submit(_leak_limit).result() > 10**15
    finally:
        executor.shutdown(wait=True)
    assert backends._never_replaced is not None


def _leak_limit() -> int:
    from joblib.externals.loky import process_executor

    return process_executor._MAX_MEMORY_LEAK_SIZE
