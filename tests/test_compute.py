"""The compute layer: per-document measures cached by content, run locally or on Dask, same rows.

Every path (cold, cache hit, partly cached, worker processes, a Dask LocalCluster) must give
exactly the table the function gives on the whole input; the cache must be invalidated by
content and parameters and by nothing else; a damaged cache is recomputed, never trusted.
"""

from __future__ import annotations

import functools
import logging
import os
import warnings

import pandas as pd
import pytest

from helpers import config, text
from helpers.compute import document_keys, map_documents
from helpers.corpus import load as load_module
from helpers.corpus import load_corpus

SENTENCES = functools.partial(text.units, level="sentence")
CALLS: list[str] = []


def _corpus(n: int = 40) -> pd.DataFrame:
    """``n`` documents made from the seed's paragraphs (deterministic, varied lengths)."""
    seed = load_corpus(config.DATA_RAW, cache=False).corpus["text"].iloc[0]
    paras = [p for p in seed.split("\n\n") if p.strip()]
    docs = ["\n\n".join(paras[(i * 3) % len(paras):(i * 3) % len(paras) + 1 + i % 5]) for i in range(n)]
    if n > 5:
        docs[5] = ""  # an empty document gives no units
    return pd.DataFrame({"doc_id": [f"d{i:03d}" for i in range(n)], "outlet": ["x"] * n, "text": docs})


def _counting_lengths(part: pd.DataFrame) -> pd.DataFrame:
    """Characters per document; records which documents it was asked to compute."""
    CALLS.extend(part["doc_id"])
    return pd.DataFrame({"doc_id": part["doc_id"], "chars": part["text"].str.len()}).reset_index(drop=True)


def _lists(part: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": part["doc_id"], "words": [t.split()[:2] for t in part["text"]]})


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("COVERAGE_LAB_CACHE", str(folder))
    monkeypatch.setenv("COVERAGE_LAB_PROGRESS", "0")
    return folder


def test_every_local_path_gives_the_rows_of_the_whole_table(cache_dir):
    corpus = _corpus()
    expected = SENTENCES(corpus)
    cold = map_documents(SENTENCES, corpus, name="t.units", chunk_docs=7, workers=1)
    hit = map_documents(SENTENCES, corpus, name="t.units", chunk_docs=7, workers=1)
    pooled = map_documents(SENTENCES, corpus, name="t.units.pool", chunk_docs=7, workers=2)
    uncached = map_documents(SENTENCES, corpus, name="t.units", cache=False, workers=1)
    for got in (cold, hit, pooled, uncached):
        pd.testing.assert_frame_equal(got, expected)
    assert any(cache_dir.rglob("part-*.parquet"))


def test_only_new_or_changed_documents_are_computed(cache_dir):
    corpus = _corpus(30)
    CALLS.clear()
    first = map_documents(_counting_lengths, corpus, name="t.len", workers=1)
    assert sorted(CALLS) == sorted(corpus["doc_id"])
    CALLS.clear()
    grown = pd.concat([corpus, _corpus(33).iloc[30:]], ignore_index=True)
    grown.loc[3, "text"] = grown.loc[3, "text"] + " Changed."
    again = map_documents(_counting_lengths, grown, name="t.len", workers=1)
    assert CALLS == ["d003", "d030", "d031", "d032"]
    pd.testing.assert_frame_equal(again, _counting_lengths(grown))
    assert first["chars"].iloc[3] != again["chars"].iloc[3]
    CALLS.clear()
    map_documents(_counting_lengths, grown, name="t.len", params={"other": 1}, workers=1)
    assert len(CALLS) == len(grown), "other parameters are another cache entry"


def test_documents_with_no_rows_are_remembered_and_order_follows_the_input(cache_dir):
    corpus = _corpus(20)
    CALLS.clear()
    map_documents(SENTENCES, corpus, name="t.units", workers=1)
    shuffled = corpus.sample(frac=1, random_state=config.SEED).reset_index(drop=True)
    got = map_documents(SENTENCES, shuffled, name="t.units", workers=1)
    pd.testing.assert_frame_equal(got, SENTENCES(shuffled))
    assert "d005" not in set(got["doc_id"])


def test_a_damaged_cache_part_is_recomputed(cache_dir):
    corpus = _corpus(12)
    map_documents(_counting_lengths, corpus, name="t.len", workers=1, chunk_docs=4)
    parts = sorted(cache_dir.rglob("part-*.parquet"))
    parts[0].write_bytes(b"not parquet")
    CALLS.clear()
    got = map_documents(_counting_lengths, corpus, name="t.len", workers=1, chunk_docs=4)
    assert len(CALLS) == 4, "only the damaged part's four documents are computed again"
    pd.testing.assert_frame_equal(got, _counting_lengths(corpus))


def test_rows_that_do_not_survive_parquet_are_used_but_not_cached(cache_dir):
    corpus = _corpus(6)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = map_documents(_lists, corpus, name="t.lists", workers=1)
    assert any("not cached" in str(w.message) for w in caught)
    assert got["words"].tolist() == _lists(corpus)["words"].tolist()
    assert not any(cache_dir.rglob("part-*.parquet"))


def test_caching_off_and_empty_input(cache_dir, monkeypatch):
    monkeypatch.setenv("COVERAGE_LAB_CACHE", "off")
    corpus = _corpus(5)
    pd.testing.assert_frame_equal(map_documents(SENTENCES, corpus, name="t.units", workers=1), SENTENCES(corpus))
    assert not cache_dir.exists()
    empty = map_documents(SENTENCES, corpus.iloc[:0], name="t.units", workers=1)
    assert list(empty.columns) == list(SENTENCES(corpus).columns) and empty.empty
    with pytest.raises(ValueError, match="no 'doc_id' column"):
        map_documents(SENTENCES, corpus.drop(columns="doc_id"), name="t.units")


def test_document_keys_follow_content_not_position():
    t = pd.DataFrame({"doc_id": ["a", "b"], "text": ["same", "same"]})
    keys = document_keys(t)
    assert keys["a"] != keys["b"]  # the doc id is part of the content
    assert document_keys(t.iloc[::-1])["a"] == keys["a"]
    assert document_keys(t.assign(text=["same", "other"]))["a"] == keys["a"]
    assert document_keys(t.assign(extra=1))["a"] != keys["a"]


@pytest.mark.slow
def test_dask_local_cluster_gives_the_local_rows(cache_dir, monkeypatch):
    distributed = pytest.importorskip("distributed")
    corpus = _corpus(40)
    local = map_documents(SENTENCES, corpus, name="t.units", cache=False, workers=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.ERROR) as cluster:
        monkeypatch.setenv("COVERAGE_LAB_SCHEDULER", cluster.scheduler_address)
        remote = map_documents(SENTENCES, corpus, name="t.units", cache=False, chunk_docs=5)
        cached_remote = map_documents(SENTENCES, corpus, name="t.units", chunk_docs=5)
        with distributed.Client(cluster.scheduler_address) as client:
            workers_used = len(client.scheduler_info()["workers"])
    pd.testing.assert_frame_equal(remote, local)
    pd.testing.assert_frame_equal(cached_remote, local)
    assert workers_used == 2


def test_corpus_cache_hit_equals_cold_load_and_new_files_are_parsed_alone(cache_dir, tmp_path, monkeypatch):
    folder = tmp_path / "coverage"
    folder.mkdir()
    seed = next(config.DATA_RAW.iterdir())
    (folder / "a.txt").write_bytes(seed.read_bytes())
    pd.DataFrame({"text": ["One story about the islands. " * 20, "Another story about talks. " * 20],
                  "outlet": ["X", "Y"]}).to_csv(folder / "b.csv", index=False)
    off = load_corpus(folder, cache=False)
    cold = load_corpus(folder)
    parsed: list[str] = []
    real = load_module.records_from_file
    monkeypatch.setattr(load_module, "records_from_file",
                        lambda f, rel, root=None, **kw: parsed.append(rel) or real(f, rel, root=root, **kw))
    hit = load_corpus(folder)
    assert parsed == []
    for a, b in ((off, cold), (cold, hit)):
        pd.testing.assert_frame_equal(a.corpus, b.corpus)
        pd.testing.assert_frame_equal(a.report, b.report)
    pd.DataFrame({"text": ["A third story on fishing boats. " * 20], "outlet": ["Z"]}).to_csv(folder / "c.csv", index=False)
    grown = load_corpus(folder)
    assert parsed == ["c.csv"]
    assert len(grown.corpus) == len(cold.corpus) + 1
    pd.testing.assert_frame_equal(grown.corpus, load_corpus(folder, cache=False).corpus)
    (folder / "b.csv").write_text("text,outlet\nChanged text about the islands and talks today,X\n")
    parsed.clear()
    load_corpus(folder)
    assert parsed == ["b.csv"], "a changed file is parsed again; the others come from the cache"
    assert os.environ["COVERAGE_LAB_CACHE"] == str(cache_dir)


def test_a_partitioned_parquet_dataset_loads_as_one_corpus(tmp_path):
    """A corpus written by Dask as a partitioned Parquet dataset (parts + _metadata files) loads
    as one corpus; the dataset's metadata files are listed as skipped with the reason."""
    dd = pytest.importorskip("dask.dataframe")
    table = pd.DataFrame({"text": [f"Story {i} about the islands, the talks and the fishing boats. " * 4 for i in range(30)],
                          "outlet": ["X", "Y", "Z"] * 10, "date": [f"2013-01-{i % 28 + 1:02d}" for i in range(30)]})
    dd.from_pandas(table, npartitions=3).to_parquet(tmp_path / "corpus", write_metadata_file=True)
    corpus, report = load_corpus(tmp_path / "corpus", cache=False)
    assert len(corpus) == 30 and sorted(corpus["outlet"].unique()) == ["X", "Y", "Z"]
    status = dict(zip(report["source_path"], report["status"], strict=True))
    assert [p for p, s in status.items() if s == "loaded"] == ["part.0.parquet", "part.1.parquet", "part.2.parquet"]
    assert status["_metadata"] == "skipped" and status["_common_metadata"] == "skipped"
    assert report.loc[report["source_path"] == "_metadata", "reason"].str.contains("partitioned dataset").all()


def test_an_unwritable_cache_warns_and_still_gives_every_result(tmp_path, monkeypatch):
    """A cache folder that cannot be created (here: a file is in the way) never stops an analysis."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("COVERAGE_LAB_CACHE", str(blocker / "cache"))
    corpus = _corpus(8)
    with pytest.warns(RuntimeWarning, match="cache not written"):
        got = map_documents(SENTENCES, corpus, name="t.units", workers=1)
    pd.testing.assert_frame_equal(got, SENTENCES(corpus))
    with pytest.warns(RuntimeWarning, match="cache not written"):
        loaded = load_corpus(config.DATA_RAW)
    pd.testing.assert_frame_equal(loaded.corpus, load_corpus(config.DATA_RAW, cache=False).corpus)


def _fails_on_x(part: pd.DataFrame) -> pd.DataFrame:
    if (part["text"] == "x").any():
        raise RuntimeError("bad chunk")
    return pd.DataFrame({"doc_id": part["doc_id"], "n": part["text"].str.len()})


@pytest.mark.parametrize("bad_at", [0, 19])  # a worker's first chunk, or this process's
def test_an_error_in_a_chunk_is_raised_wherever_it_ran(cache_dir, bad_at):
    texts = ["a b c"] * 20
    texts[bad_at] = "x"
    table = pd.DataFrame({"doc_id": [f"d{i}" for i in range(20)], "text": texts})
    with pytest.raises(RuntimeError, match="bad chunk"):
        map_documents(_fails_on_x, table, name=f"t.fails.{bad_at}", chunk_docs=1, workers=2, cache=False)

