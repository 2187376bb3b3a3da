"""Sixth session (lead): memory between and within notebook cells.

- ``compute.release_after_cells`` hooks :func:`helpers.compute.release_memory` to the end of long
  cells in an IPython kernel, once, whatever the number of calls.
- ``sentiment.driver_terms(ids=False)`` gives the same terms and valences, row for row, without
  the ids (notebook 20 totals them per term), and reads the drivers a block at a time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import compute
from helpers.compute import backends
from helpers.sentiment import driver_terms, vader_scores
from helpers.sentiment import scores as sentiment_scores

IPython = pytest.importorskip("IPython")


@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    sh = InteractiveShell.instance()
    yield sh
    for event in ("pre_run_cell", "post_run_cell"):
        for hook in [h for h in sh.events.callbacks[event] if getattr(h, "__qualname__", "") == "coverage_lab_release"]:
            sh.events.unregister(event, hook)


def _ours(sh, event):
    return [h for h in sh.events.callbacks[event] if getattr(h, "__qualname__", "") == "coverage_lab_release"]


def test_release_after_cells_outside_ipython_is_a_no_op(monkeypatch):
    import IPython as ip

    monkeypatch.setattr(ip, "get_ipython", lambda: None)
    assert compute.release_after_cells() is False


def test_release_after_cells_releases_after_long_cells_only(shell, monkeypatch):
    calls = []
    monkeypatch.setattr(backends, "release_memory", lambda: calls.append(1))
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    assert compute.release_after_cells(min_seconds=0.0) is True
    assert compute.release_after_cells(min_seconds=0.0) is True  # again: replaced, not added
    assert len(_ours(shell, "pre_run_cell")) == 1 and len(_ours(shell, "post_run_cell")) == 1
    shell.run_cell("x = 1")
    assert calls == [1]
    compute.release_after_cells(min_seconds=3600.0)
    shell.run_cell("y = 2")
    assert calls == [1]  # a short cell: nothing released


def test_release_memory_runs():
    compute.release_memory()  # collects, releases Arrow's pool, trims the heap: no error


def _sentences():
    texts = ["War and peace.", "", "The good, the bad and the ugly.", "Nothing here", "Great success, terrible loss!",
             "Peace talks collapsed amid anger; hope remains."] * 7
    return vader_scores(pd.DataFrame({"doc_id": [f"d{i % 5}" for i in range(len(texts))], "text": texts}))


@pytest.mark.parametrize("block", [1, 3, 100_000])
def test_driver_terms_without_ids_same_rows(monkeypatch, block):
    monkeypatch.setattr(sentiment_scores, "_TERMS_BLOCK", block)
    s = _sentences()
    s = s.assign(drivers=s["drivers"].astype("string[pyarrow]"))  # as the notebook's tables hold them
    full = driver_terms(s)
    bare = driver_terms(s, ids=False)
    assert list(bare.columns) == ["term", "valence"]
    assert len(full) > 10
    pd.testing.assert_frame_equal(bare, full[["term", "valence"]])
    # the notebook's totals per term: the same either way
    agg = {"occurrences": ("valence", "size"), "mean_valence": ("valence", "mean")}
    pd.testing.assert_frame_equal(bare.groupby("term").agg(**agg), full.groupby("term").agg(**agg))


def test_driver_terms_without_ids_empty():
    s = pd.DataFrame({"unit_id": ["a"], "doc_id": ["d"], "drivers": [""]})
    assert list(driver_terms(s, ids=False).columns) == ["term", "valence"]
    assert list(driver_terms(s).columns) == ["unit_id", "doc_id", "term", "valence"]
    assert np.isfinite(driver_terms(_sentences(), ids=False)["valence"]).all()
