"""Loading in bounded memory gives the same corpus: shingles and signatures computed a batch of
documents at a time equal the one-pass result (a batch as large as the corpus is the unbatched
code), on real and generated text with empty, one-word and short documents; table files become
the same table without a dict per row (reference: the records round trip) and JSON lines are
read without a list of every line."""

from __future__ import annotations

import json
import os
import time
from functools import partial

import numpy as np
import pandas as pd
import pytest

from helpers import readers
from helpers.compute import shared_chunks
from helpers.corpus import load as load_module
from helpers.corpus import load_corpus
from helpers.corpus.duplicates import flag_duplicates, near_duplicate_groups
from helpers.corpus.files import _as_from_records, _read, records_from_file
from helpers.corpus.identity import detect_languages, make_doc_id, normalise_for_hash, unique_ids
from helpers.corpus.minhash import shingle_sets, shingles_from_batches, signatures
from helpers.readers import normalise_language
from helpers.readers.tables import _lines


def _texts(seed_text: str) -> list[str]:
    norm = normalise_for_hash(seed_text)
    words = norm.split()
    rng = np.random.default_rng(12)
    generated = [" ".join(rng.choice(words, size=int(k))) for k in rng.integers(0, 30, size=60)]
    return [norm, "", "a", "a b", norm, "", *generated, "two  spaces here", "nato’s i̇zmi̇r", norm[: len(norm) // 2]]


@pytest.mark.parametrize("batch", [1, 2, 7, 33])
def test_batched_shingles_and_signatures_equal_one_pass(seed_corpus, batch):
    texts = _texts(seed_corpus["text"].iloc[0])
    whole = shingle_sets(texts, batch=len(texts))
    part = shingle_sets(texts, batch=batch)
    assert part.bits == whole.bits
    assert np.array_equal(part.offsets, whole.offsets) and np.array_equal(part.hashes, whole.hashes)
    assert part.hashes.dtype == np.uint64 and part.offsets.dtype == np.int64
    sig = signatures(whole, batch=len(texts))
    assert np.array_equal(signatures(part, batch=batch), sig)
    assert (sig[1] == np.iinfo(np.uint32).max).all() and not (sig[0] == np.iinfo(np.uint32).max).all()


def test_batches_of_only_empty_documents():
    texts = ["", "", "a b c d e f", "", ""]
    whole, part = shingle_sets(texts, batch=99), shingle_sets(texts, batch=2)
    assert np.array_equal(whole.offsets, part.offsets) and np.array_equal(whole.hashes, part.hashes)
    assert np.array_equal(signatures(whole, batch=99), signatures(part, batch=2))
    assert shingle_sets([]).hashes.size == 0 and signatures(shingle_sets([])).shape == (0, 256)


def _mixed_table() -> pd.DataFrame:
    return pd.DataFrame({
        "text": ["one", "two", "three", "four"],
        "title": ["a", None, "c", "d"],
        "gone": [None, None, "x", None],  # all missing once row 2 is dropped
        "mixed": [1, "x", 2, 3],  # only numbers once row 1 is dropped
        "n": [1, 2, 3, 4], "f": [1.5, np.nan, 2.0, 3.0], "flag": [True, False, True, True],
        "when": pd.to_datetime(["2013-01-01", None, "2013-01-03", "2013-01-04"]),
        "tags": [["a"], [], ["b", "c"], None], "cat": pd.Categorical(["u", "v", "u", "v"]),
        "nullable": pd.array([1, None, 3, 4], dtype="Int64"), "obj": pd.Series(["s", "t", "u", "v"], dtype=object),
    })


@pytest.mark.parametrize("drop", [[], [1], [2], [1, 2], [0, 1, 2, 3]])
def test_table_rows_equal_the_records_round_trip(drop):
    table = _mixed_table().drop(index=drop)
    got = _as_from_records(table)
    ref = pd.DataFrame(table.to_dict("records"))
    pd.testing.assert_frame_equal(got, ref, check_exact=True)
    assert list(got.dtypes) == list(ref.dtypes) and list(got.columns) == list(ref.columns)
    dup = table.set_axis(["text", "title"] + list(table.columns[2:-1]) + ["title"], axis=1)
    with pytest.warns(UserWarning):
        pd.testing.assert_frame_equal(_as_from_records(dup), pd.DataFrame(dup.to_dict("records")))


@pytest.mark.parametrize("text", ["", "\n", "a", "a\nb", "a\n\nb\n", "x\r\ny\u2028z\n\n", "\n\n\n"])
def test_lines_are_split_on_newlines_only(text):
    assert list(_lines(text)) == text.split("\n")


def test_table_files_load_as_through_records(tmp_path):
    """Every table format, with empty-text rows, an id column, numbers and missing values: the
    corpus and report equal the old path (records, then a table), rebuilt here."""
    rows = [{"body": " Talks resumed. ", "headline": "A", "id": 7, "frame": "conflict", "word_count": 12.4},
            {"body": "", "headline": "B", "id": 8, "frame": None, "word_count": None},
            {"body": "Boats “returned” to İzmir.", "headline": None, "id": 9, "frame": "x", "word_count": 3}]
    df = pd.DataFrame(rows)
    df.to_csv(tmp_path / "t.csv", index=False)
    df.to_csv(tmp_path / "t.tsv", sep="\t", index=False)
    (tmp_path / "t.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    (tmp_path / "t.json").write_text(json.dumps({"articles": rows}))
    df.to_parquet(tmp_path / "t.parquet")
    for f in sorted(tmp_path.iterdir()):
        frame, row = records_from_file(f, f.name, root=tmp_path)
        recs, ref_row = _reference_records(f, f.name)
        pd.testing.assert_frame_equal(frame, pd.DataFrame(recs), check_exact=True)
        assert row == ref_row and row["n_docs"] == 2 and "1 row(s) with empty text" in row["reason"], f.name
    assert load_corpus(tmp_path, cache=False).corpus["source_id"].astype(str).tolist() == ["7", "9"] * 5


def _reference_records(path, rel):
    """The old table path: the table's rows with text as dicts numbered ``_row``, then stamped."""
    content = _read(path, path.stat().st_size, {})
    source = path if content.data is None or content.name == path.name else content.data
    table, _ = readers.map_columns(readers.read_table(source, content.fmt, content.text))
    table["text"] = table["text"].fillna("").astype(str).str.strip()
    empty = table.index[table["text"] == ""]
    recs = [{**r, "_row": i, "source_path": rel, "format": content.fmt}
            for i, r in enumerate(table.drop(index=empty).to_dict("records"))]
    shown = ", ".join(str(i + 1) for i in empty[:10])
    return recs, {"source_path": rel, "format": content.fmt, "status": "loaded", "n_docs": len(recs),
                  "reason": f"{len(empty)} row(s) with empty text skipped (data rows {shown})", "repairs": ""}


def test_shingles_from_uneven_batches_and_groups_from_shingles(seed_corpus):
    texts = _texts(seed_corpus["text"].iloc[0])
    whole = shingle_sets(texts, batch=len(texts))
    cuts = [0, 1, 1, 5, 6, 40, len(texts)]
    part = shingles_from_batches((texts[a:b] for a, b in zip(cuts, cuts[1:], strict=False)), len(texts))
    assert np.array_equal(part.hashes, whole.hashes) and np.array_equal(part.offsets, whole.offsets)
    assert np.array_equal(near_duplicate_groups(part), near_duplicate_groups(texts))
    with pytest.raises(ValueError, match="not 3"):
        shingles_from_batches([["a"], ["b"]], 3)


def test_ids_lengths_and_copies_computed_in_batches_equal_one_pass(seed_corpus, monkeypatch):
    """``_tidy`` normalises a batch of texts at a time: n_words, doc_id and duplicate_of equal the
    one-pass computation (all normalised texts in one list), with batches of 3 documents."""
    rng = np.random.default_rng(5)
    words = seed_corpus["text"].iloc[0].split()
    texts = [" ".join(rng.choice(words, size=int(k))) for k in rng.integers(1, 60, size=20)]
    texts += [texts[3], texts[4] + " extra words", "", "Short.", texts[3]]
    corpus = pd.DataFrame({"text": texts, "outlet": [f"O{i % 3}" for i in range(len(texts))],
                           "date": pd.Timestamp("2013-01-01"), "url": "", "title": [f"t{i}" for i in range(len(texts))],
                           "source_path": "x.jsonl", "lang": ""})
    monkeypatch.setattr(load_module, "BATCH_DOCS", 3)
    _, n_words, ids, shingles, _ = load_module._document_measures(corpus)
    norms = [normalise_for_hash(t) for t in texts]
    assert n_words == [n.count(" ") + 1 if n else 0 for n in norms]
    assert ids == [make_doc_id(t, o, n, fallback=u or ti) for t, o, n, u, ti in
                   zip(texts, corpus["outlet"], norms, corpus["url"], corpus["title"], strict=True)]
    corpus["doc_id"] = unique_ids(ids)
    got, ref = flag_duplicates(corpus, normalised=shingles), flag_duplicates(corpus, normalised=norms)
    assert got.tolist() == ref.tolist() and (got != "").sum() >= 2


def test_load_on_worker_processes_equals_one_process(seed_corpus, tmp_path, monkeypatch):
    """``load_corpus(workers=2)``: the per-document steps run in this process and a worker process,
    in many small chunks; the corpus and the load report equal the one-process load (copies, near copies, a
    German text, an empty one and a language the source names included)."""
    rng = np.random.default_rng(11)
    paras = [p for p in seed_corpus["text"].iloc[0].split("\n\n") if p.strip()]
    rows = [{"text": "\n\n".join(rng.choice(paras, size=int(k))), "outlet": f"Outlet {i % 4}", "url": f"u{i}",
             "title": f"T{i}", "date": f"2013-01-{1 + i % 28:02d}"} for i, k in enumerate(rng.integers(1, 6, size=40))]
    rows += [dict(rows[2], outlet="Copy Post", url="c1"), dict(rows[5], text=rows[5]["text"] + " One more.", url="c2"),
             {"text": "Die Regierung hat am Montag neue Klimaziele beschlossen. " * 5, "outlet": "Zeit", "url": "d"},
             {"text": "", "outlet": "X", "url": "e", "title": "metadata only"}, {"text": "Ok, 1 2.", "outlet": "Z", "url": "g"},
             {"text": "Short text here, in English.", "outlet": "Y", "url": "f", "language": "French"}]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    one = load_corpus(tmp_path, cache=False, workers=1)
    monkeypatch.setattr(load_module, "PARALLEL_MIN_DOCS", 1)
    monkeypatch.setattr(load_module, "BATCH_DOCS", 7)  # chunks of at most 7 documents
    calls = []
    real = load_module.shared_chunks
    monkeypatch.setattr(load_module, "shared_chunks",
                        lambda f, c, w, **kw: calls.append((len(c), w)) or real(f, c, w, **kw))
    monkeypatch.setattr(load_module, "_part_measures", partial(_slow_here, main_pid=os.getpid()))  # so that the worker gets chunks too
    _IN_MAIN.clear()
    _warm_worker()
    two = load_corpus(tmp_path, cache=False, workers=2)
    assert len(calls) == 1 and calls[0][0] >= 7 and calls[0][1] == 2
    assert 0 < len(_IN_MAIN) < calls[0][0]  # chunks measured here and in the worker
    pd.testing.assert_frame_equal(one.corpus, two.corpus)
    pd.testing.assert_frame_equal(one.report, two.report)
    assert (one.corpus["duplicate_of"] != "").sum() >= 2 and {"de", "en", "fr", ""} <= set(one.corpus["lang"])


def test_languages_from_samples_in_batches_equal_whole_texts(seed_corpus, monkeypatch):
    """Language identification sees each text's first LANG_SAMPLE_CHARS characters, cut in Arrow,
    a batch at a time: same codes as the whole texts in one call (the previous code)."""
    seed = seed_corpus["text"].iloc[0]
    texts = pd.Series([seed, "Die Regierung hat am Montag neue Klimaziele beschlossen. " * 80, "ok", "",
                       "x" * 2990 + " Le gouvernement a adopté lundi de nouveaux objectifs climatiques.",
                       "1234 " * 700 + "Le gouvernement a adopté lundi de nouveaux objectifs climatiques.",
                       "İzmir’de hükümet pazartesi yeni iklim hedefleri açıkladı. " * 60, seed[:500]], dtype="str")
    given = pd.Series(["", "", "", "", "", "", "Turkish", ""], dtype="str")
    monkeypatch.setattr(load_module, "BATCH_DOCS", 2)
    got = load_module._languages(given, texts)
    langs = [normalise_language(g) for g in given]
    missing = [i for i, g in enumerate(langs) if not g]
    for i, code in zip(missing, detect_languages([texts.iloc[i] for i in missing]), strict=True):
        langs[i] = code
    assert got == langs and {"en", "de", "tr", ""} <= set(got)


_IN_MAIN: list = []
_PART_MEASURES = load_module._part_measures  # before any test replaces it


def _warm_worker() -> None:
    """Start the worker process and import this module there (so it takes chunks at once)."""
    from joblib.externals.loky import get_reusable_executor

    assert get_reusable_executor(max_workers=1).submit(_square_where, 3, os.getpid()).result() == (9, False)


def _slow_here(part, bits, main_pid):
    """``_part_measures``, slowed down in the test's process only (noted in ``_IN_MAIN``)."""
    if os.getpid() == main_pid:
        _IN_MAIN.append(len(part))
        time.sleep(1.0)
    return _PART_MEASURES(part, bits)


def _square_where(x: int, main_pid: int) -> tuple[int, bool]:
    here = os.getpid() == main_pid
    if here:
        time.sleep(0.3)
    return x * x, here


def test_shared_chunks_gives_every_result_once_in_order():
    """This process takes chunks from the end, the workers from the start: each result once, in
    order, some computed here and some in a worker."""
    _warm_worker()
    done = []
    got = shared_chunks(partial(_square_where, main_pid=os.getpid()), list(range(30)), 2, keep=False,
                        on_done=lambda: done.append(1))
    assert len(done) == 30  # every chunk ticked once, wherever it ran
    assert [v for v, _ in got] == [x * x for x in range(30)]
    here = [h for _, h in got]
    assert any(here) and not all(here) and here == sorted(here)  # workers from the start, this process from the end
