"""Session 18, G2: the corpus load's single-core phases.

- ``minhash.exact_jaccard``: every pair at once (blocks of keys, one search) instead of a Python
  loop per pair; same floats as the loop (``_reference_exact_jaccard``, verbatim).
- ``readers.decode_bytes``: the mojibake hint searched in the UTF-8 bytes; same result.
- ``readers.read_jsonl_parts``: a large JSON Lines file parsed in parts by worker processes; the
  same table (and the same first error) as ``read_table`` (``_reference_read_jsonl``, verbatim).
"""

from __future__ import annotations

import json
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from helpers.corpus import minhash
from helpers.corpus.files import records_from_file
from helpers.readers import (
    TableError,
    decode_bytes,
    encoding,
    jsonl_parts,
    read_jsonl_parts,
    read_table,
)


def _reference_exact_jaccard(shingles, i, j):
    out = np.zeros(len(i), dtype=float)
    for p, (x, y) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
        a, b = shingles.of(x), shingles.of(y)
        if not len(a) or not len(b):
            continue
        if len(a) > len(b):
            a, b = b, a
        pos = np.searchsorted(b, a)
        pos[pos == len(b)] = 0
        inter = int(np.count_nonzero(b[pos] == a))
        out[p] = inter / (len(a) + len(b) - inter)
    return out


def _reference_read_jsonl(text):
    rows = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise TableError(f"line {n} is not valid JSON ({err.msg}); fix or remove that line") from err
        if not isinstance(obj, dict):
            raise TableError(f"line {n} is a JSON {type(obj).__name__}, expected an object per line")
        rows.append(obj)
    del text
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("n", "vocab", "block"), [(2, 4, 1 << 22), (40, 12, 5), (300, 40, 1 << 22), (300, 40, 64),
                                                   (2000, 400, 1000)])
def test_exact_jaccard_matches_the_loop(n, vocab, block, monkeypatch):
    rng = np.random.default_rng(n + block)
    base = [rng.integers(0, vocab, rng.integers(0, 40)).astype(str).tolist() for _ in range(n // 4 + 1)]
    texts = []
    for _ in range(n):  # copies with a few words changed: Jaccards across the whole range
        words = list(base[rng.integers(len(base))])
        for k in rng.integers(0, max(1, len(words)), rng.integers(0, 6)):
            if words:
                words[k] = str(rng.integers(vocab))
        texts.append(" ".join(words))
    texts[0] = ""
    sh = minhash.shingle_sets(texts)
    i, j = rng.integers(0, n, 5000), rng.integers(0, n, 5000)
    monkeypatch.setattr(minhash, "JACCARD_BLOCK_HASHES", block)
    got = minhash.exact_jaccard(sh, i, j)
    want = _reference_exact_jaccard(sh, i, j)
    assert got.dtype == want.dtype and np.array_equal(got, want)
    assert ((want > 0) & (want < 1)).any() or n == 2
    assert len(minhash.exact_jaccard(sh, i[:0], j[:0])) == 0


def test_mojibake_hint_in_bytes_is_the_text_hint():
    seconds = [chr(c) for c in [*range(0x20, 0x800), *range(0x2000, 0x2200), 0xFFFD, 0x1F600]]
    for a in map(chr, range(0x80, 0x180)):
        for b in seconds:
            t = f"x{a}{b}y"
            assert bool(encoding._MOJIBAKE_HINT.search(t)) == bool(encoding._MOJIBAKE_HINT_UTF8.search(t.encode()))
    bad = "Caf\u00e9 \u2018quoted\u2019 na\u00efve".encode().decode("cp1252").encode()
    text, repairs = decode_bytes(bad)
    assert text == "Caf\u00e9 \u2018quoted\u2019 na\u00efve" and repairs[0].startswith("mojibake repaired")
    assert decode_bytes("Caf\u00e9 \u00a9 \u20ac".encode()) == ("Caf\u00e9 \u00a9 \u20ac", [])


def _rows(n, **extra):
    return [json.dumps({"title": f"T{i}", "text": f"caf\u00e9 \u201cstory\u201d {i} " * (i % 7 + 1),
                        "n": i, **extra}, ensure_ascii=False) for i in range(n)]


def _cases():
    good = _rows(600)
    for k in (3, 250, 590):
        good.insert(k, "  ")
    bad_late, bad_both, listed = _rows(600), _rows(600), _rows(600)
    bad_late[500] = '{"text": nope'
    bad_both[20], bad_both[500] = '{"text"', '{"text": nope'
    listed[450] = "[1, 2]"
    mixed = _rows(500) + [json.dumps({"text": "x", "n": 1.5, "extra": True})] * 100  # parts disagree: whole parse
    none_late = _rows(500) + [json.dumps({"title": "t", "text": "x", "n": None})] * 100
    # later parts have no author at all (object column alone); the whole column holds text (str)
    authors = [json.dumps({"text": f"story {i:04d}", "author": "Ann" if i < 200 else None}) for i in range(600)]
    return {"good": "\n".join(good) + "\n", "no_final_newline": "\n".join(_rows(600)), "bad_late": "\n".join(bad_late),
            "bad_both": "\n".join(bad_both), "listed": "\n".join(listed), "mixed": "\n".join(mixed),
            "none_late": "\n".join(none_late), "empty_objects": "\n".join(["{}"] * 30 + _rows(500)),
            "blank_start": "\n" * 400 + "\n".join(_rows(400)), "all_blank": "\n \n" * 500,
            "authors_early": "\n".join(authors)}


def _both(path, text, pool, parts):
    try:
        want = _reference_read_jsonl(text)
    except TableError as err:
        with pytest.raises(TableError) as got:
            read_jsonl_parts(path, text, pool, parts)
        assert str(got.value) == str(err)
        return None
    got = read_jsonl_parts(path, text, pool, parts)
    pd.testing.assert_frame_equal(got, want)
    assert list(got.dtypes) == list(want.dtypes) and got.index.equals(want.index)
    return got


@pytest.mark.parametrize("parts", [2, 3, 5])
def test_parts_give_read_tables_table(tmp_path, monkeypatch, parts):
    monkeypatch.setattr(jsonl_parts, "PARALLEL_PART_CHARS", 100)
    with ThreadPoolExecutor(2) as pool:
        for name, text in _cases().items():
            path = tmp_path / f"{name}.jsonl"
            path.write_text(text, encoding="utf-8")
            if _both(path, text, pool, parts) is not None:
                pd.testing.assert_frame_equal(read_table(path, "jsonl", text), _reference_read_jsonl(text))


class _Broken:
    """An executor whose workers are lost."""

    def submit(self, *args):
        f = Future()
        f.set_exception(RuntimeError("worker lost"))
        return f


def test_a_lost_worker_parses_here(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonl_parts, "PARALLEL_PART_CHARS", 100)
    for name in ("good", "bad_late"):
        text = _cases()[name]
        path = tmp_path / "x.jsonl"
        path.write_text(text, encoding="utf-8")
        _both(path, text, _Broken(), 3)


def test_records_from_file_in_parts_with_loky(tmp_path, monkeypatch):
    from joblib.externals.loky import get_reusable_executor

    monkeypatch.setattr(jsonl_parts, "PARALLEL_PART_CHARS", 1000)
    texts = _cases()
    path = tmp_path / "corpus.jsonl"
    path.write_text(texts["good"], encoding="utf-8")
    crlf = tmp_path / "crlf.jsonl"  # repaired while decoding: parsed whole, as before
    crlf.write_bytes(texts["good"].replace("\n", "\r\n").encode())
    pool = get_reusable_executor(max_workers=1)
    try:
        for f in (path, crlf):
            one, row1 = records_from_file(f, f.name, root=tmp_path)
            two, row2 = records_from_file(f, f.name, root=tmp_path, pool=pool, parts=2)
            pd.testing.assert_frame_equal(one, two)
            assert row1 == row2 and row1["status"] == "loaded"
        bad = tmp_path / "bad.jsonl"
        bad.write_text(texts["bad_late"], encoding="utf-8")
        assert records_from_file(bad, bad.name, pool=pool, parts=2)[1] == records_from_file(bad, bad.name)[1]
    finally:
        pool.shutdown(wait=True)
