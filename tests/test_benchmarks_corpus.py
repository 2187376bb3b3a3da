"""benchmarks/make_corpus.py: the scale-benchmark corpus is reproducible, streamed and loadable.

No timings here: speed is measured by benchmarks/bench_scale.py, never in the test suite.
"""

from __future__ import annotations

import gzip
import itertools
import json
import sys
import types
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import make_corpus  # noqa: E402

from helpers.corpus import load_corpus  # noqa: E402

N = 200


@pytest.fixture(scope="module")
def pool():
    return make_corpus.paragraph_pool(make_corpus.source_texts())


@pytest.fixture(scope="module")
def built(tmp_path_factory, pool):
    folder = tmp_path_factory.mktemp("corpus")
    make_corpus.write_corpus(N, folder / "a.jsonl", seed=7, pool=pool)
    return folder / "a.jsonl"


def test_pool_is_real_text(pool):
    assert len(pool) >= 3
    assert all(len(p) >= 40 for p in pool)


def test_same_seed_same_bytes(tmp_path, built, pool):
    again = make_corpus.write_corpus(N, tmp_path / "b.jsonl", seed=7, pool=pool)
    assert again["docs"] == N
    assert (tmp_path / "b.jsonl").read_bytes() == built.read_bytes()
    make_corpus.write_corpus(N, tmp_path / "c.jsonl", seed=8, pool=pool)
    assert (tmp_path / "c.jsonl").read_bytes() != built.read_bytes()


def test_gzip_is_reproducible_and_same_content(tmp_path, built, pool):
    make_corpus.write_corpus(N, tmp_path / "a.jsonl.gz", seed=7, pool=pool)
    make_corpus.write_corpus(N, tmp_path / "b.jsonl.gz", seed=7, pool=pool)
    assert (tmp_path / "a.jsonl.gz").read_bytes() == (tmp_path / "b.jsonl.gz").read_bytes()
    assert gzip.decompress((tmp_path / "a.jsonl.gz").read_bytes()) == built.read_bytes()


def test_generate_streams(pool):
    docs = make_corpus.generate(10**12, pool, seed=1)  # far too many to hold: only works if lazy
    assert isinstance(docs, types.GeneratorType)
    first = list(itertools.islice(docs, 50))
    assert len(first) == 50
    assert docs.gi_frame.f_locals["recent"].maxlen == make_corpus.RECENT  # the only growing state is bounded


def test_lines_have_the_promised_fields(built):
    lines = built.read_text(encoding="utf-8").splitlines()
    assert len(lines) == N
    docs = [json.loads(line) for line in lines]
    assert all(set(d) == {"text", "title", "outlet", "date", "url"} for d in docs)
    assert all(d["text"] and d["title"] and d["outlet"] and d["url"] for d in docs)
    paras = [d["text"].count("\n\n") + 1 for d in docs]
    assert min(paras) >= 3 and max(paras) <= 31
    assert len({d["outlet"] for d in docs}) >= 10
    assert len({d["date"][:7] for d in docs}) >= 10  # spread over the year


def test_load_corpus_reads_it_and_flags_copies(built, tmp_path, pool):
    corpus, report = load_corpus(built)
    assert len(corpus) == N
    assert report["status"].tolist() == ["loaded"]
    for col in ("text", "title", "outlet", "date", "url"):
        assert col in corpus.columns
    assert corpus["date"].notna().all()
    assert corpus["outlet"].nunique() >= 10
    copies = corpus.loc[corpus["duplicate_of"] != ""]
    assert len(copies) >= 3
    assert set(copies["duplicate_of"]) <= set(corpus["doc_id"])
    gz = tmp_path / "a.jsonl.gz"
    make_corpus.write_corpus(N, gz, seed=7, pool=pool)
    assert load_corpus(gz).corpus["text"].tolist() == corpus["text"].tolist()


def test_distinct_corpus_repeats_sentences_far_less(pool, tmp_path):
    """Recombined sentences repeat (code that works once per distinct text would look fast);
    --distinct edits new documents' lower-case words so that sentences rarely repeat, keeping
    sentence splits, and reposts still copy their original exactly."""
    from helpers.corpus import one_per_story
    from helpers.text import units

    shares = {}
    for distinct in (False, True):
        path = tmp_path / f"{distinct}.jsonl"
        make_corpus.write_corpus(1500, path, seed=3, pool=pool, distinct=distinct)
        corpus, _ = load_corpus(path, cache=False)
        kept = one_per_story(corpus)
        assert len(corpus) - len(kept) >= 60  # ~8 % reposts, still found
        sents = units(kept[["doc_id", "text"]], "sentence")["text"]
        shares[distinct] = sents.nunique() / len(sents)
    assert shares[False] < 0.6 and shares[True] > 0.85, shares
    again = tmp_path / "again.jsonl"
    make_corpus.write_corpus(1500, again, seed=3, pool=pool, distinct=True)
    assert again.read_bytes() == (tmp_path / "True.jsonl").read_bytes()
