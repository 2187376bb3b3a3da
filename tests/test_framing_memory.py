"""frame_scores_by_level(packed=True) + unpack_scores: notebook 10's scores, answers and peaks
from a row per unit (the frames side by side), equal (values, dtypes, order) to the unpacked long
table split as before (split_peaks, split_answers, by level, sorted by scheme)."""

from __future__ import annotations

import json
import warnings
from functools import partial
from pathlib import Path

import pandas as pd
import pytest

from helpers import framing
from helpers.compute import map_documents

ROOT = Path(__file__).resolve().parents[1]
SCHEMES = ["generic", "policy", "territorial"]
EDGE = ["", "No text here at all", "Conflict!\n\nNot a war, not a crisis. Money, money and more money.",
        "The minister blamed the opposition for the crisis. Critics accused him. Families suffered.\n\n"
        "Costs rose; the dispute over the islands (Diaoyu/Senkaku) is not about money.", "   \n\n  "]


def _reference_split(long: pd.DataFrame, schemes, levels, answers: bool):
    """The notebook's earlier split of the unpacked table."""
    found = peaks = None
    if answers:
        long, peaks = framing.split_peaks(long)
        long, found = framing.split_answers(long)
    names = [framing.scores.as_dictionary(s).name for s in schemes]
    position = {n: i for i, n in enumerate(names)}
    return {lev: long[long["level"] == lev].sort_values(
        "scheme", key=lambda c: c.map(position), kind="stable", ignore_index=True) for lev in levels}, found, peaks


def _assert_same(got, want):
    (gs, ga, gp), (ws, wa, wp) = got, want
    assert list(gs) == list(ws)
    for lev in ws:
        pd.testing.assert_frame_equal(gs[lev], ws[lev])
    for g, w in ((ga, wa), (gp, wp)):
        if w is None:
            assert g is None
        else:
            pd.testing.assert_frame_equal(g, w)


def _corpus(n: int | None = None) -> pd.DataFrame:
    seed = ROOT / "data" / "raw"
    texts = [p.read_text(encoding="utf-8") for p in sorted(seed.glob("*.txt"))]
    path = ROOT / "benchmarks" / "results" / "scale" / "corpus-2k.jsonl"
    titles = ["Japan seeks NATO support"] * len(texts)
    if n and path.exists():
        with path.open(encoding="utf-8") as f:
            rows = [json.loads(line) for line, _ in zip(f, range(n), strict=False)]
        texts += [r.get("text") for r in rows]
        titles += [r.get("title") for r in rows]
    texts += EDGE
    titles += ["Conflict", None, "", "The minister blamed the opposition for the crisis.", "x"]
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "title": titles, "text": texts})


CASES = [(SCHEMES, ("document", "section"), True),
         (SCHEMES, ("document", "section"), False),
         (["territorial", "generic"], ("section", "sentence", "document", "paragraph"), True)]


@pytest.mark.parametrize("schemes,levels,answers", CASES)
def test_packed_unpacks_to_the_split_long_table(schemes, levels, answers):
    data = _corpus(150)
    mine = framing.FrameDictionary(name="mine", categories={"sea": ["east china sea", "china"],
                                                             "war": ["conflict", "war*"]})
    for sch in (schemes, [*schemes, mine]):
        f = partial(framing.frame_scores_by_level, data, sch, levels, answers=answers, peaks=answers)
        want = _reference_split(f(), sch, levels, answers)
        got = framing.unpack_scores(f(packed=True), sch, levels, answers=answers, peaks=answers)
        _assert_same(got, want)
        assert want[0][levels[0]]["n_matches"].sum() > 50


def test_packed_other_window_and_settings():
    data = _corpus(30)
    for kw in ({"negation_window": 0}, {"negation": False, "max_evidence": 2}, {"max_evidence": 0}):
        f = partial(framing.frame_scores_by_level, data, SCHEMES, answers=True, peaks=True, **kw)
        _assert_same(framing.unpack_scores(f(packed=True), SCHEMES, answers=True, peaks=True),
                     _reference_split(f(), SCHEMES, ("document", "section"), True))


def test_packed_through_map_documents_and_cache(tmp_path, monkeypatch):
    """Chunks of 7 documents, cold then from the cache (the packed rows survive Parquet): the same."""
    monkeypatch.setenv("COVERAGE_LAB_CACHE", str(tmp_path))
    monkeypatch.setenv("COVERAGE_LAB_PROGRESS", "0")
    data = _corpus(60)
    data = pd.concat([data, data.iloc[[3]].assign(doc_id="d0")], ignore_index=True)  # an id repeated
    f = partial(framing.frame_scores_by_level, scheme=SCHEMES, answers=True, peaks=True)
    want = _reference_split(f(data.drop_duplicates("doc_id")), SCHEMES, ("document", "section"), True)
    long = map_documents(f, data, name="t.long", columns=["title", "text"], chunk_docs=7, workers=1)
    assert not long.equals(f(data))  # the id repeated: its rows moved next to the first's
    want_all = _reference_split(long, SCHEMES, ("document", "section"), True)
    _assert_same(framing.unpack_scores(f(data.drop_duplicates("doc_id"), packed=True), SCHEMES,
                                       answers=True, peaks=True), want)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # map_documents warns about rows it cannot cache
        for _ in range(2):
            packed = map_documents(partial(f, packed=True), data, name="t.packed", columns=["title", "text"],
                                   chunk_docs=7, workers=1)
            _assert_same(framing.unpack_scores(packed, SCHEMES, answers=True, peaks=True), want_all)
    assert any(tmp_path.rglob("*.parquet"))


def test_packed_no_documents():
    data = _corpus().iloc[:0]
    packed = framing.frame_scores_by_level(data, SCHEMES, answers=True, peaks=True, packed=True)
    scores, answers, peaks = framing.unpack_scores(packed, SCHEMES, answers=True, peaks=True)
    assert all(len(t) == 0 for t in scores.values()) and len(answers) == 0 and peaks is None
    assert list(answers.columns) == list(framing.split_answers(framing.frame_scores_by_level(
        data, SCHEMES, answers=True))[1].columns)


def test_packed_is_narrower():
    data = _corpus(100)
    f = partial(framing.frame_scores_by_level, data, SCHEMES, answers=True, peaks=True)
    old, new = f().memory_usage(deep=True).sum(), f(packed=True).memory_usage(deep=True).sum()
    assert new < old / 4
