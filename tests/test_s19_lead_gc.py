"""Notebook kernels freeze what is alive after each long cell for the garbage collector.

``release_after_cells`` registers hooks in an IPython kernel; with them, objects alive at
registration and after each long cell are frozen (``gc.freeze``) so full collections during the
next cells skip them, and thawed before the collection that ends the next long cell, so cyclic
garbage among them is still collected.
"""

from __future__ import annotations

import gc
import weakref

import pytest

from helpers import compute

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
    gc.unfreeze()


class _Node:
    pass


def _cycle():
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return a


def test_alive_objects_are_frozen_and_cycles_still_collected(shell):
    node = _cycle()
    ref = weakref.ref(node)
    assert compute.release_after_cells(min_seconds=0.0) is True
    assert gc.get_freeze_count() > 0
    del node
    gc.collect()
    assert ref() is not None  # frozen: a collection does not see the dead cycle
    shell.run_cell("x = 1")  # a long cell (min_seconds=0): thawed, collected, frozen again
    assert ref() is None
    assert gc.get_freeze_count() > 0


def test_switched_off(shell, monkeypatch):
    monkeypatch.setenv("COVERAGE_LAB_GC_FREEZE", "0")
    gc.unfreeze()
    compute.release_after_cells(min_seconds=0.0)
    assert gc.get_freeze_count() == 0
    node = _cycle()
    ref = weakref.ref(node)
    del node
    gc.collect()
    assert ref() is None
