"""The corpus's sentence spans, computed once at load and looked up by every later split.

:class:`helpers.text.SentenceSpans` must give exactly the spans the splitter gives (any paragraph,
any split of the corpus into parts), survive the cache, and be used only where it applies.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from helpers import text
from helpers.corpus import load as load_module
from helpers.corpus import load_corpus
from helpers.text import SentenceSpans, paragraph_spans, sentence_span_table, use_sentence_spans

SCALE_CORPUS = __import__("pathlib").Path(__file__).parents[1] / "benchmarks" / "results" / "scale" / "corpus-2k.jsonl"

EDGE = ["", "   ", "One.", "Mr. Abe met U.S. officials. They talked.\n\nA second paragraph! Really?",
        "“Quoted.” (Aside.) Next one.\n\n\n  Indented para.  \n\nNo end", "Ünïcödé. Ça va? Oui.",
        "a\nb\nc", "x" * 5000 + ". " + "y" * 10]


def _fresh_splits(texts):
    """Every paragraph's spans from a splitter with no memo and no store."""
    fresh = text._FastPunkt(text._default_splitter()._params)
    return {text._digest(t[a:b]): list(fresh.span_tokenize(t[a:b]))
            for t in texts for a, b in paragraph_spans(t)}


def _seed_texts(seed_corpus) -> list[str]:
    return [t for t in seed_corpus["text"]] + EDGE


def test_store_gives_the_splitters_spans(seed_corpus):
    texts = _seed_texts(seed_corpus)
    store = sentence_span_table(texts)
    want = _fresh_splits(texts)
    assert len(store) == len(want)  # each distinct paragraph once
    for key, spans in want.items():
        assert store.get(key) == spans
    assert store.get(b"\0" * 16) is None


def test_merge_of_parts_equals_one_table(seed_corpus):
    texts = _seed_texts(seed_corpus) * 2  # repeats across parts too
    whole = sentence_span_table(texts)
    parts = SentenceSpans.merge([sentence_span_table(texts[i:i + 3]) for i in range(0, len(texts), 3)])
    for a, b in zip(whole.frame(), parts.frame(), strict=True):
        pd.testing.assert_frame_equal(a, b)
    assert len(SentenceSpans.merge([])) == 0


def test_frames_round_trip(seed_corpus):
    store = sentence_span_table(_seed_texts(seed_corpus))
    back = SentenceSpans.from_frames(*store.frame())
    for name in ("hi", "lo", "offsets", "flat"):
        np.testing.assert_array_equal(getattr(store, name), getattr(back, name))


def test_equal_first_halves_are_told_apart():
    key_a, key_b = b"\1" * 8 + b"\2" * 8, b"\1" * 8 + b"\3" * 8
    hi = int.from_bytes(key_a[:8], "little")
    lo_a, lo_b = int.from_bytes(key_a[8:], "little"), int.from_bytes(key_b[8:], "little")
    store = SentenceSpans(np.array([hi, hi], dtype=np.uint64), np.array(sorted([lo_a, lo_b]), dtype=np.uint64),
                          np.array([0, 1, 3]), np.array([0, 4, 5, 9, 10, 12]))
    first, second = (key_a, key_b) if lo_a < lo_b else (key_b, key_a)
    assert store.get(first) == [(0, 4)]
    assert store.get(second) == [(5, 9), (10, 12)]
    assert store.get(b"\1" * 8 + b"\4" * 8) is None


def test_splitter_uses_the_store_and_only_for_its_paragraphs(seed_corpus):
    """With a store given, a known paragraph is not split (a store with wrong spans shows it);
    an unknown one still is; taking the store away restores splitting."""
    para = "Mr. Abe met U.S. officials. They talked."
    key = text._digest(para)
    fake = SentenceSpans(np.array([int.from_bytes(key[:8], "little")], dtype=np.uint64),
                         np.array([int.from_bytes(key[8:], "little")], dtype=np.uint64),
                         np.array([0, 1]), np.array([0, 3]))
    splitter = text._default_splitter()
    saved_store, saved_memo = splitter._store, dict(splitter._spans)
    try:
        splitter._spans.clear()
        use_sentence_spans(fake)
        assert text.sentence_spans(para) == [(0, 3)]
        assert text.sentence_spans("One. Two.") == [(0, 4), (5, 9)]
        use_sentence_spans(None)
        splitter._spans.clear()
        assert text.sentence_spans(para) == [(0, 27), (28, 40)]
    finally:
        splitter._store = saved_store
        splitter._spans.clear()
        splitter._spans.update(saved_memo)


def test_trained_splitter_never_sees_the_store(seed_corpus):
    trained = text.sentence_splitter(train_texts=list(seed_corpus["text"]))
    assert trained is not text._default_splitter() and trained._store is None


def _write_jsonl(path, texts):
    with open(path, "w", encoding="utf-8") as fh:
        for i, t in enumerate(texts):
            fh.write(json.dumps({"text": t, "title": f"t{i}", "outlet": f"O{i % 2}", "date": "2013-01-14"}) + "\n")


def test_load_computes_caches_and_installs_the_spans(tmp_path, monkeypatch, seed_corpus):
    """A cold load installs the corpus's spans; a cached load reads the same spans back; the
    units split through them are those of a splitter with no store."""
    texts = [t for t in _seed_texts(seed_corpus) if t.strip()]
    _write_jsonl(tmp_path / "c.jsonl", texts)
    monkeypatch.setenv("COVERAGE_LAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv(text.SPANS_ENV, raising=False)  # restored afterwards
    splitter = text._default_splitter()
    saved = splitter._store
    try:
        use_sentence_spans(None)
        corpus = load_corpus(tmp_path / "c.jsonl").corpus
        cold = splitter._store
        assert cold is not None and len(cold) == len(_fresh_splits(corpus["text"]))
        # worker processes started from here read the same spans from the cache
        code = ("from helpers import text; s = text._default_splitter()._store; "
                "import sys; k, v = s.frame(); sys.stdout.write(f'{len(s)} {int(k.hi.sum() % 997)} {int(v.end.sum())}')")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ}).stdout
        k, v = cold.frame()
        assert out == f"{len(cold)} {int(k.hi.sum() % 997)} {int(v.end.sum())}"
        use_sentence_spans(None)
        assert load_corpus(tmp_path / "c.jsonl").corpus.equals(corpus)
        warm = splitter._store
        assert warm is not cold
        for a, b in zip(cold.frame(), warm.frame(), strict=True):
            pd.testing.assert_frame_equal(a, b)
        with_store = text.units(corpus, "sentence")
        use_sentence_spans(None)
        assert text.SPANS_ENV not in os.environ
        splitter._spans.clear()
        pd.testing.assert_frame_equal(with_store, text.units(corpus, "sentence"))
    finally:
        splitter._store = saved


def test_parallel_load_spans_equal_one_process(seed_corpus, monkeypatch):
    """The spans merged from the workers' parts equal one table of all texts."""
    texts = [t for t in _seed_texts(seed_corpus) if t.strip()] * 3
    corpus = pd.DataFrame({"text": texts, "outlet": "O", "url": "", "title": "t", "lang": ""})
    monkeypatch.setattr(load_module, "BATCH_DOCS", 2)
    *_, spans = load_module._document_measures(corpus)
    for a, b in zip(spans.frame(), sentence_span_table(texts).frame(), strict=True):
        pd.testing.assert_frame_equal(a, b)


@pytest.mark.skipif(not SCALE_CORPUS.exists(), reason="benchmarks/results/scale/corpus-2k.jsonl not built "
                    "(benchmarks/make_corpus.py); the seed and edge cases above still run")
def test_store_on_real_coverage():
    with open(SCALE_CORPUS, encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(300), fh, strict=False)]
    store = sentence_span_table(texts)
    want = _fresh_splits(texts)
    assert len(store) == len(want)
    assert all(store.get(k) == v for k, v in want.items())
