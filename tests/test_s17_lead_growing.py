"""Sixth session (lead): a mapped step that started on one core takes the second when the report's
other notebook finishes (``compute.backends._growing``); same results, same order."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from helpers.compute import backends, map_documents


def _double(chunk: pd.DataFrame) -> pd.DataFrame:
    return chunk.assign(y=chunk["x"] * 2)


@pytest.fixture
def report_env(tmp_path, monkeypatch):
    """A report run on two cores with two notebooks running (one core each)."""
    running = tmp_path / "running"
    running.write_text("2")
    monkeypatch.setenv("COVERAGE_LAB_RUNNING", str(running))
    monkeypatch.delenv("COVERAGE_LAB_WORKERS", raising=False)
    monkeypatch.delenv("COVERAGE_LAB_SCHEDULER", raising=False)
    monkeypatch.setattr(backends.os, "cpu_count", lambda: 2)
    return running


@pytest.fixture
def spy(monkeypatch):
    calls = []

    def shared(func, chunks, workers, *, keep=True, on_done=None):
        calls.append((len(chunks), workers))
        out = []
        for c in chunks:
            out.append(func(c))
            if on_done is not None:
                on_done()
        return out

    monkeypatch.setattr(backends, "shared_chunks", shared)
    return calls


def _chunks(n=10):
    return [pd.DataFrame({"x": [i, i + 100]}) for i in range(n)]


def test_grows_when_the_other_notebook_finishes(report_env, spy):
    seen = []

    def func(chunk):
        seen.append(int(chunk["x"].iloc[0]))
        if len(seen) == 3:
            report_env.write_text("1")  # the other notebook has finished: both cores are free
        return _double(chunk)

    chunks = _chunks()
    got = list(backends.run_chunks(func, chunks, progress=False))
    assert [g["y"].tolist() for g in got] == [_double(c)["y"].tolist() for c in chunks]
    assert spy == [(7, 2)]  # the 7 chunks left after the third, on two processes


def test_stays_on_one_core_while_both_run(report_env, spy):
    chunks = _chunks()
    got = list(backends.run_chunks(_double, chunks, progress=False))
    assert [g["y"].tolist() for g in got] == [_double(c)["y"].tolist() for c in chunks]
    assert spy == []


def test_no_growth_for_the_last_few_chunks(report_env, spy):
    seen = []

    def func(chunk):
        seen.append(1)
        if len(seen) == 8:  # 2 chunks left: fewer than GROW_MIN_CHUNKS
            report_env.write_text("1")
        return _double(chunk)

    list(backends.run_chunks(func, _chunks(), progress=False))
    assert spy == []
    assert backends.GROW_MIN_CHUNKS > 2


def test_no_growth_outside_a_report_or_with_workers_set(report_env, spy, monkeypatch):
    report_env.write_text("1")
    list(backends.run_chunks(_double, _chunks(), workers=1, progress=False))  # asked for one process
    assert spy == []
    monkeypatch.delenv("COVERAGE_LAB_RUNNING")
    monkeypatch.setenv("COVERAGE_LAB_WORKERS", "1")
    list(backends.run_chunks(_double, _chunks(), progress=False))
    assert spy == []


def _double_and_free(chunk: pd.DataFrame) -> pd.DataFrame:
    """:func:`_double`; the first chunk also records that the other notebook finished."""
    if int(chunk["x"].iloc[0]) == 0:
        with open(os.environ["COVERAGE_LAB_RUNNING"], "w", encoding="ascii") as fh:
            fh.write("1")
    return _double(chunk)


def test_map_documents_same_table_with_real_workers(report_env, monkeypatch):
    """End to end on loky workers: the step starts on one process, grows after its first chunk
    and gives the same table as the function on the whole table."""
    calls = []
    real = backends.shared_chunks

    def shared(*a, **k):
        calls.append(a[2])
        return real(*a, **k)

    monkeypatch.setattr(backends, "shared_chunks", shared)
    table = pd.DataFrame({"doc_id": [f"d{i:04d}" for i in range(1200)], "x": range(1200)})
    want = _double(table).reset_index(drop=True)
    got = map_documents(_double_and_free, table, name="test.growing", chunk_docs=100, cache=False, progress=False)
    pd.testing.assert_frame_equal(got, want)
    assert calls == [2]  # grown once, to two processes


class _RecordsPickling:
    """A callable that records which thread pickles it (as loky does for every chunk it sends)."""

    threads: list = []

    def __call__(self, chunk):
        return _double(chunk)

    def __reduce__(self):
        import threading

        _RecordsPickling.threads.append(threading.current_thread() is threading.main_thread())
        return (_RecordsPickling, ())


def test_shared_chunks_pickles_the_function_once_in_this_thread():
    """Chunks after the first are sent from loky's callback thread while this thread runs the
    function; a function with memos pickled then could reach a worker half-updated. It is pickled
    once, before this process starts, in this thread."""
    _RecordsPickling.threads.clear()
    chunks = _chunks(12)
    got = backends.shared_chunks(_RecordsPickling(), chunks, 2)
    assert [g["y"].tolist() for g in got] == [_double(c)["y"].tolist() for c in chunks]
    assert _RecordsPickling.threads == [True]
