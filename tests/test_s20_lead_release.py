"""A short cell is followed by a memory release when the kernel grew since the last release.

``release_after_cells`` used to release only after cells of 2 s or more; at 100k articles the
sentiment notebook's last short cells left its kernel 0.9 GB larger. Now a cell after which the
resident memory is ``min_growth`` above the last release's is followed by one too.
"""

from __future__ import annotations

import gc

import pytest

from helpers.compute import backends

IPython = pytest.importorskip("IPython")


@pytest.fixture
def shell(monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell

    sh = InteractiveShell.instance()
    monkeypatch.setattr("IPython.get_ipython", lambda: sh)
    yield sh
    for event in ("pre_run_cell", "post_run_cell"):
        for hook in [h for h in sh.events.callbacks[event] if getattr(h, "__qualname__", "") == "coverage_lab_release"]:
            sh.events.unregister(event, hook)
    sh.run_cell("kept = None")
    gc.unfreeze()


@pytest.fixture
def releases(monkeypatch):
    calls = []
    real = backends.release_memory
    monkeypatch.setattr(backends, "release_memory", lambda: (calls.append(1), real()))
    return calls


def test_resident_bytes_reads_this_process():
    rss = backends.resident_bytes()
    assert rss is not None and rss > 10 * 2**20
    block = bytearray(64 * 2**20)  # touched: resident
    assert backends.resident_bytes() - rss > 50 * 2**20
    del block


def test_a_short_cell_that_grew_the_kernel_is_followed_by_a_release(shell, releases):
    assert backends.release_after_cells(min_seconds=1e9, min_growth=32 * 2**20)
    shell.run_cell("x = 1")
    assert releases == []  # short, no growth
    shell.run_cell("kept = bytearray(96 * 2**20)")  # short, but the kernel holds 96 MB more
    assert releases == [1]
    shell.run_cell("y = 2")  # measured from the last release: no growth since
    assert releases == [1]


def test_no_release_below_the_growth(shell, releases):
    assert backends.release_after_cells(min_seconds=1e9, min_growth=2**40)
    shell.run_cell("kept = bytearray(96 * 2**20)")
    assert releases == []


def test_a_long_cell_is_still_followed_by_one(shell, releases):
    assert backends.release_after_cells(min_seconds=0.0, min_growth=2**40)
    shell.run_cell("x = 1")
    assert releases == [1]


def test_without_a_resident_size_only_the_time_counts(shell, releases, monkeypatch):
    monkeypatch.setattr(backends, "resident_bytes", lambda: None)
    assert backends.release_after_cells(min_seconds=1e9, min_growth=1)
    shell.run_cell("kept = bytearray(96 * 2**20)")
    assert releases == []
