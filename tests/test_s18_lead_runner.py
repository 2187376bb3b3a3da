"""The report runner's processes: light notebook slots started before the load, large inputs
loaded in a process of their own, and no slow optional import in either.

- A notebook slot imports ``helpers.report.notebooks`` alone: no pandas, no corpus loading (the
  package ``__init__`` files import their names when first used).
- ``load_apart`` gives the same document count and load report whether the corpus loads in the
  runner or in a process of its own (the path taken above ``LOAD_APART_BYTES``).
- jsonschema (under nbformat) does not import ``rfc3987_syntax`` in the runner's processes.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import pandas as pd

import helpers
from helpers import report
from helpers.config import DATA_RAW

runner = importlib.import_module("helpers.report.runner")


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_a_notebook_slot_imports_no_pandas_and_no_corpus_code():
    loaded = _modules_after("from helpers.report.notebooks import run_notebook, warm_up\nwarm_up()")
    assert "papermill" in loaded and "nbconvert" in loaded
    assert not {"pandas", "helpers.corpus", "helpers.text", "helpers.report.runner", "nltk"} & loaded


def test_jsonschema_does_not_import_rfc3987_syntax_under_the_report():
    code = "import helpers.report\nimport nbformat, jsonschema\nimport sys\nassert sys.modules.get('rfc3987_syntax', 0) is None"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_package_names_still_resolve_when_first_used():
    assert report.run is runner.run and callable(report.run)
    assert helpers.load_corpus.__module__.startswith("helpers.corpus")
    assert helpers.text.units is helpers.units
    assert set(report.__all__) <= set(dir(report))
    for name in report.__all__:
        assert getattr(report, name) is not None
    try:
        helpers.no_such_name  # noqa: B018
    except AttributeError as err:
        assert "no_such_name" in str(err)
    else:
        raise AssertionError("an unknown name must raise AttributeError")


def test_load_apart_gives_the_same_summary_in_a_process_of_its_own(monkeypatch, tmp_path):
    monkeypatch.setenv("COVERAGE_LAB_CACHE", str(tmp_path / "cache"))
    here = runner.load_apart(DATA_RAW, 1)
    monkeypatch.setattr(runner, "LOAD_APART_BYTES", 0)
    calls = []
    real = runner.ProcessPoolExecutor

    def counting(*a, **k):
        calls.append(k.get("max_workers"))
        return real(*a, **k)

    monkeypatch.setattr(runner, "ProcessPoolExecutor", counting)
    apart = runner.load_apart(DATA_RAW, 1)
    assert calls == [1], "above LOAD_APART_BYTES the corpus loads in a process of its own"
    assert here[0] == apart[0] >= 1
    pd.testing.assert_frame_equal(here[1], apart[1])


def test_input_bytes_counts_files_and_skips_broken_links(tmp_path):
    (tmp_path / "a.txt").write_text("x" * 10)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("y" * 5)
    (tmp_path / "broken").symlink_to(tmp_path / "missing")
    assert runner._input_bytes(tmp_path) == 15
    assert runner._input_bytes(tmp_path / "a.txt") == 10


def test_wait_for_corpus_waits_for_the_flag_and_raises_on_a_failed_load(monkeypatch, tmp_path):
    import threading
    import time

    from helpers import config

    monkeypatch.delenv(config.CORPUS_READY_ENV, raising=False)
    config.wait_for_corpus()  # outside a report run: at once
    flag = tmp_path / "corpus"
    monkeypatch.setenv(config.CORPUS_READY_ENV, str(flag))
    threading.Timer(0.3, config.mark_corpus_ready, args=(flag,)).start()
    t0 = time.perf_counter()
    assert config.resolve_data(None) == config.DATA_RAW  # waits in resolve_data, then resolves
    assert time.perf_counter() - t0 >= 0.25
    config.mark_corpus_ready(flag, "ValueError: no documents")
    try:
        config.resolve_data(None)
    except RuntimeError as err:
        assert "ValueError: no documents" in str(err)
    else:
        raise AssertionError("a failed load must stop the waiting kernel")


def test_kernels_start_while_the_corpus_loads(monkeypatch, tmp_path):
    """Side by side, the first notebooks are running before ``load()`` returns; they get the
    flag's path, and the flag says ``ok`` once the load is done."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from helpers import config

    started = threading.Semaphore(0)
    seen = []

    def fake_run(nb, data_path, out_path, timeout=0, extra=None, ready=None):
        started.release()
        monkeypatch.setenv(config.CORPUS_READY_ENV, ready)
        config.wait_for_corpus()
        seen.append(nb.stem)
        return runner.NotebookResult(name=nb.stem, status="ok", seconds=0.0, html=f"{nb.stem}.html", description="")

    def load():
        for _ in range(2):  # both slots' notebooks are running, waiting for the corpus
            assert started.acquire(timeout=20), "the kernels did not start before the load ended"

    class ThreadPool(ThreadPoolExecutor):
        def __init__(self, max_workers, mp_context=None):
            super().__init__(max_workers)

    monkeypatch.setattr(runner, "run_notebook", fake_run)
    monkeypatch.setattr(runner, "ProcessPoolExecutor", ThreadPool)
    monkeypatch.setattr(runner, "set_running_kernels", lambda n: None)
    books = [tmp_path / f"{n}.ipynb" for n in ("a", "b", "c")]
    runner._execute_all(books, tmp_path, tmp_path, 10, 2, lambda r: None, None, load)
    assert sorted(seen) == ["a", "b", "c"]

    def failing_load():
        for _ in range(2):
            started.acquire(timeout=20)
        raise ValueError("unreadable input")

    seen.clear()
    try:
        runner._execute_all(books, tmp_path, tmp_path, 10, 2, lambda r: None, None, failing_load)
    except ValueError as err:
        assert "unreadable input" in str(err)
    else:
        raise AssertionError("the load's error is raised by the runner")
    assert seen == []  # the waiting notebooks stopped (RuntimeError in wait_for_corpus), none went on
