"""Seventh session (G1): notebook 20 a block of documents at a time, and `sent` without a copy.

- ``sentiment.with_document_columns`` is ``units.merge(table, on="doc_id", how="left")`` (the
  ``_reference_`` below, verbatim from the notebook) with the units' columns shared, not copied.
- ``sentiment.document_blocks`` cuts a table at document ends; the levels cell's per-block
  ``split_levels`` concatenated are the tables of one ``split_levels`` of every document.
- ``sentiment.CsvPieces`` writes blocks of rows as the bytes of one ``to_csv(index=False)``.
- The dictionary cell's evidence rows (``score.sort_values().index[:n]``) are the rows of
  ``dict_scores.sort_values("score").head(n)`` (the earlier code), ties included.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import sentiment
from helpers.compute import write_csv
from helpers.compute.store import string_columns


def _reference_sent(sentence_scores: pd.DataFrame, meta: pd.DataFrame, group_column: str) -> pd.DataFrame:
    """Notebook 20 at the session's start, verbatim."""
    sent = sentence_scores.drop(columns="text").merge(  # no text or title per sentence: see `sentences`, `meta`
        meta[[c for c in meta.columns if c != "title" or group_column == "title"]], on="doc_id", how="left"
    )
    return sent


def _reference_dictionary_rows(dict_scores: pd.DataFrame, n_evidence: int) -> pd.DataFrame:
    """Notebook 20's evidence rows at the session's start, verbatim."""
    return dict_scores.sort_values("score").head(n_evidence)[["unit_id", "text", "score", "drivers"]]


def _corpus(n_docs: int = 12, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    words = ["good", "bad", "war", "peace", "not", "very", "the", "talks", "failed", "agree", "ATTACK", "!"]
    texts = []
    for d in range(n_docs):
        paras = []
        for _ in range(1 + d % 3):
            sents = [" ".join(rng.choice(words, size=rng.integers(2, 9))).capitalize() + "." for _ in range(1 + d % 4)]
            paras.append(" ".join(sents))
        texts.append("\n\n".join(paras) if d != 5 else "")
    return pd.DataFrame({
        "doc_id": [f"doc{d:02d}" for d in range(n_docs)],
        "title": [f"T{d}" for d in range(n_docs)],
        "outlet": [["A", "B", "C"][d % 3] for d in range(n_docs)],
        "date": pd.to_datetime("2020-01-01") + pd.to_timedelta(np.arange(n_docs), unit="D"),
        "text": texts,
    })


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    assert list(a.dtypes) == list(b.dtypes)
    assert a.index.equals(b.index)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


@pytest.mark.parametrize("as_str", [False, True])
@pytest.mark.parametrize("group_column", ["outlet", "title"])
def test_sent_matches_the_merge(as_str, group_column):
    corpus = _corpus()
    scores = sentiment.split_levels(sentiment.level_scores(corpus, drivers=("sentence",)))
    sentences = scores["sentence"]
    if as_str:  # as map_documents gives them (through Parquet: str columns)
        sentences, corpus = string_columns(sentences), string_columns(corpus)
    meta = corpus[["doc_id", "title", "outlet", "date"]]
    new = sentiment.with_document_columns(
        sentences.drop(columns="text"), meta[[c for c in meta.columns if c != "title" or group_column == "title"]])
    _same(new, _reference_sent(sentences, meta, group_column))
    # shared, not copied; and changing the new table leaves the sentences as they were
    assert np.shares_memory(new["compound"].to_numpy(), sentences["compound"].to_numpy())
    before = sentences.copy()
    new.loc[0, "compound"] = 99.0
    _same(sentences, before)


def test_with_document_columns_falls_back_to_the_merge():
    units = pd.DataFrame({"doc_id": ["a", "b", "a", "z"], "x": [1, 2, 3, 4]})
    cases = [
        pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"]}),  # "z" missing: NaN, merge itself
        pd.DataFrame({"doc_id": ["a", "a", "b", "z"], "outlet": ["X", "W", "Y", "Q"]}),  # duplicate keys
        pd.DataFrame({"doc_id": ["a", "b", "z"], "x": [7, 8, 9]}),  # a shared column name: suffixes
        pd.DataFrame({"doc_id": ["z", "b", "a"], "n": [1.5, np.nan, 3.0], "flag": [True, False, True],
                      "cat": pd.Categorical(["u", "v", "u"]), "when": pd.to_datetime(["2020-01-01", None, "2021-05-05"])}),
        pd.DataFrame({"doc_id": pd.Series(["z", "b", "a"], dtype="str"), "o": ["1", "2", "3"]}),  # key dtypes differ
    ]
    for table in cases:
        _same(sentiment.with_document_columns(units, table), units.merge(table, on="doc_id", how="left"))
    empty = units.iloc[:0]
    _same(sentiment.with_document_columns(empty, cases[3]), empty.merge(cases[3], on="doc_id", how="left"))


def _reference_blocks(ids: list, rows: int) -> list[tuple[int, int]]:
    """Greedy: documents (runs of equal ids) added to the block while it stays within ``rows``."""
    runs, lo = [], 0
    for i in range(1, len(ids) + 1):
        if i == len(ids) or ids[i] != ids[i - 1]:
            runs.append((lo, i))
            lo = i
    out = []
    for lo, hi in runs:
        if out and hi - out[-1][0] <= rows:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


@pytest.mark.parametrize("dtype", [object, "str"])
def test_document_blocks(dtype):
    rng = np.random.default_rng(3)
    ids = np.repeat([f"d{i}" for i in range(40)], rng.integers(1, 9, size=40)).tolist()
    table = pd.DataFrame({"doc_id": pd.Series(ids, dtype=dtype)})
    for rows in (1, 3, 7, 8, 20, 1000):
        blocks = sentiment.document_blocks(table, rows)
        assert blocks == _reference_blocks(ids, rows)
        assert blocks[0][0] == 0 and blocks[-1][1] == len(ids)
        assert all(a[1] == b[0] for a, b in zip(blocks, blocks[1:]))  # noqa: B905
        assert all(hi - lo <= rows or len(set(ids[lo:hi])) == 1 for lo, hi in blocks)
        assert all(hi == len(ids) or ids[hi] != ids[hi - 1] for _, hi in blocks)  # at document ends
    assert sentiment.document_blocks(table.iloc[:0], 5) == []


@pytest.mark.parametrize("block", [1, 2, 5, 100])
def test_levels_by_blocks_are_the_levels_of_all(block):
    corpus = string_columns(_corpus(15))
    whole = sentiment.split_levels(sentiment.level_scores(corpus, drivers=("sentence",)), consume=True)
    parts = [sentiment.split_levels(sentiment.level_scores(corpus.iloc[lo:hi], drivers=("sentence",)), consume=True)
             for lo, hi in sentiment.document_blocks(corpus, rows=block)]
    joined = {level: sentiment.concat_blocks([p[level] for p in parts]) for level in parts[0]}  # as notebook 20
    assert list(joined) == list(whole)
    for level in whole:
        _same(joined[level], whole[level])


@pytest.mark.parametrize("as_str", [False, True])
def test_csv_pieces_are_one_to_csv(tmp_path, as_str):
    rng = np.random.default_rng(1)
    n = 57
    frame = pd.DataFrame({
        "unit_id": [f"d{i // 4}:s{i % 4}" for i in range(n)],
        "n": rng.integers(-5, 50, size=n),
        "text": rng.choice(["plain", 'say "no", now', "two\nlines", "", "é ü", "a,b"], size=n),
        "score": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n)),
        "drivers": rng.choice(["", "war (-2.90)", "peace (+2.50); war (-2.90)"], size=n),
    })
    if as_str:
        frame = string_columns(frame)
    whole = tmp_path / "whole.csv"
    frame.to_csv(whole, index=False)
    for cuts in ([], [1], [10, 11, 30], list(range(1, n))):
        out = tmp_path / "pieces.csv"
        bounds = [0, *cuts, n]
        with sentiment.CsvPieces(out) as csv:
            for lo, hi in zip(bounds, bounds[1:]):  # noqa: B905
                csv.add(frame.iloc[lo:hi].reset_index(drop=True))
        assert out.read_bytes() == whole.read_bytes()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["pieces.csv", "whole.csv"]  # no temporary left
    empty = tmp_path / "empty.csv"
    with sentiment.CsvPieces(empty) as csv:
        csv.add(frame.iloc[:0])
    frame.iloc[:0].to_csv(whole, index=False)
    assert empty.read_bytes() == whole.read_bytes()
    write_csv(frame, whole)  # the writer each block goes through
    assert (tmp_path / "pieces.csv").read_bytes() == whole.read_bytes()
    with pytest.raises(ValueError, match="columns"), sentiment.CsvPieces(empty) as csv:
        csv.add(frame.iloc[:3])
        csv.add(frame.iloc[3:6, ::-1])


def test_dictionary_evidence_rows_are_the_sorted_head():
    rng = np.random.default_rng(7)
    n = 500
    dict_scores = pd.DataFrame({
        "unit_id": [f"u{i}" for i in range(n)], "text": [f"t{i}" for i in range(n)],
        "score": rng.choice([-1.5, -1.0, -1.0, 0.0, 0.5, np.nan], size=n),  # many ties, missing values
        "drivers": [f"w{i}" for i in range(n)],
    })
    for k in (0, 1, 5, 50, n + 3):
        want = _reference_dictionary_rows(dict_scores, k)
        lowest = pd.DataFrame({"compound": 0.0, "score": dict_scores["score"].to_numpy()})["score"].sort_values().index[:k]
        rows = [dict_scores.iloc[i : i + 1] for i in lowest]  # as notebook 20 (slices, not a take)
        got = (pd.concat(rows) if len(lowest) else dict_scores.iloc[0:0]).reset_index(drop=True).set_axis(lowest)[
            ["unit_id", "text", "score", "drivers"]]
        _same(got, want)


def test_dictionary_scores_of_some_rows_are_those_rows_of_all():
    """The evidence rows' drivers are scored again for those rows alone: the same values."""
    sentences = sentiment.split_levels(sentiment.level_scores(string_columns(_corpus(15))))["sentence"]
    d = sentiment.load_dictionary(None)
    whole = sentiment.dictionary_scores(sentences, d, 3)
    picks = [7, 0, 30, 7][: len(sentences)]
    rows = pd.concat([sentences.iloc[i : i + 1] for i in picks])
    _same(sentiment.dictionary_scores(rows, d, 3).set_axis(pd.Index(picks)), whole.iloc[picks].set_axis(pd.Index(picks)))
