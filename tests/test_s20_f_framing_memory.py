"""Memory (issue 12, session 20, F): notebook 10's cells after the scoring cell make fewer copies
of the corpus's text and of the score tables; the same tables as before.

- ``framing.lexicon_table`` gives the corpus's ``doc_id``/``text`` with the model features
  beside, as the notebook's ``merge`` did, without taking every row of the text column;
- ``framing.lexicon_columns`` selects each scheme's rows of only the three columns it reads;
- ``keyness.compare_groups`` and ``keyness_vs_english`` (on a column) read the texts a block of
  rows at a time instead of a list of every text;
- ``framing.indicator_scores`` makes the answer words a block of rows at a time, each row keeping
  the first equal word (a string per row was held).

The earlier code is kept below verbatim but for the ``_reference_`` names (HEAD at 2e71a64) and
run beside the new on the seed article recombined, odd texts, None/NaN, one row, no rows, and
object and Arrow string columns.
"""

from __future__ import annotations

import random
from itertools import compress

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from helpers import config, framing
from helpers import keyness as keyness_mod
from helpers.framing import indicators as indicators_mod
from helpers.framing.features import _indicator_parts, _rate_parts
from helpers.keyness import STOP_WORDS, _all_counts, _texts_key, _without, keyness

SCHEMES = ["generic", "policy", "territorial"]
_REF_LAST: dict = {}

# ---- the earlier code (verbatim) ----


def _reference_lexicon_columns(scores: pd.DataFrame, answers: pd.DataFrame | None, schemes,
                               peaks: pd.DataFrame | None = None) -> pd.DataFrame:
    parts = _rate_parts([(s, scores[scores["scheme"] == s]) for s in schemes])
    if answers is not None:
        parts += _indicator_parts(answers)
    if peaks is not None and peaks.index.is_unique:  # repeated ids: the model computes its own
        parts.append(peaks)
    return pd.concat(parts, axis=1)


def _reference_with_features(corpus, doc_scores, answers, shipped, peaks):
    """notebooks/10-framing.py, the generic-frames cell, at HEAD."""
    with_features = corpus[["doc_id", "text"]]
    with_features = with_features.merge(
        _reference_lexicon_columns(doc_scores, answers, shipped, peaks).reset_index(), on="doc_id", how="left")
    return with_features


def _reference_compare_groups(
    corpus: pd.DataFrame,
    by: str,
    target,
    reference=None,
    min_count: int = 3,
    stop_words=STOP_WORDS,
    top: int | None = None,
    alpha: float = 0.05,
    min_log_ratio: float = 1.0,
) -> pd.DataFrame:
    if by not in corpus.columns:
        raise ValueError(f"compare_groups: no column {by!r} in the corpus ({list(corpus.columns)})")
    col = corpus[by]

    def mask(sel):
        if callable(sel):
            return np.asarray(sel(col), dtype=bool)
        if isinstance(sel, (list, tuple, set)):
            return col.isin(list(sel)).to_numpy()
        return (col == sel).to_numpy()

    m_t = mask(target)
    m_r = ~m_t if reference is None else mask(reference)
    if not m_t.any() or not m_r.any():
        raise ValueError(
            f"compare_groups: {'target' if not m_t.any() else 'reference'} side has no "
            f"documents in column {by!r}; values are {sorted(map(str, col.dropna().unique()))[:10]}"
        )
    # the sides' texts picked from a list (a row selection of the text column would copy it)
    texts = corpus["text"].tolist()
    counts_t, n_t = _all_counts(compress(texts, m_t.tolist()))
    counts_r, n_r = _all_counts(compress(texts, m_r.tolist()))
    if reference is None:  # every document counted: the corpus's counts, kept for the next call
        _REF_LAST.clear()
        _REF_LAST[_texts_key(texts)] = (counts_t + counts_r, n_t + n_r)
    stop = frozenset(stop_words) if stop_words is not None else frozenset()
    k = keyness(
        _without(counts_t, stop, 2),
        _without(counts_r, stop, 2),
        min_count=min_count,
        top=top,
        alpha=alpha,
        min_log_ratio=min_log_ratio,
    )
    k["target"] = f"{by}={target if not callable(target) else 'selection'}"
    k["reference"] = (
        "rest"
        if reference is None
        else f"{by}={reference if not callable(reference) else 'selection'}"
    )
    return k


def _reference_keyness_vs_english(texts, min_count=2, stop_words=STOP_WORDS, lang="en", top=None,
                                   alpha=0.05, min_log_ratio=1.0, floor=keyness_mod.WORDFREQ_FLOOR):
    if isinstance(texts, pd.DataFrame):
        texts = texts["text"]
    texts = ["" if not isinstance(t, str) else t for t in texts]
    key = _texts_key(texts)
    all_counts, n = _REF_LAST[key] if key in _REF_LAST else _all_counts(texts)
    stop = frozenset(stop_words) if stop_words is not None else frozenset()
    counts = {
        w: c for w, c in all_counts.items() if c >= min_count and w not in stop and len(w) >= 2
    }
    cols = [
        "term",
        "count",
        "n_tokens",
        "expected",
        "per_million",
        "per_million_english",
        "in_wordfreq",
        "log_ratio",
        "p_value",
        "q_value",
        "key_for",
        "key",
    ]
    if n == 0 or not counts:
        return pd.DataFrame(columns=cols)
    from scipy.stats import binom

    terms = sorted(counts)
    k = np.array([counts[w] for w in terms], dtype=float)
    raw = np.array(keyness_mod._frequencies(terms, lang), dtype=float)
    p = np.maximum(raw, floor)
    out = pd.DataFrame(
        {
            "term": terms,
            "count": k.astype(int),
            "n_tokens": n,
            "expected": n * p,
            "per_million": 1e6 * k / n,
            "per_million_english": 1e6 * p,
            "in_wordfreq": raw > 0,
            "log_ratio": np.log2((k / n) / p),
            "p_value": binom.sf(k - 1, n, p),
        }
    )
    out["q_value"] = keyness_mod.bh_qvalues(out["p_value"])
    out["key_for"] = np.where(out["log_ratio"] > 0, "target", "english")
    out["key"] = (out["q_value"] < alpha) & (out["log_ratio"] >= min_log_ratio)
    out = out.sort_values(
        ["key", "q_value", "log_ratio", "term"], ascending=[False, True, False, True]
    )
    out = out.reset_index(drop=True)[cols]
    return out.head(top) if top else out


def _reference_answer_strings(a: pd.DataFrame, group: pd.Series, n_groups: int) -> list[str]:
    words = [
        f"{q}={'yes' if v else 'no'}"
        for q, v in zip(a["question_id"].tolist(), a["answer"].tolist(), strict=True)
    ]
    codes = group.to_numpy()
    rows = np.flatnonzero(~np.isnan(codes)) if codes.dtype.kind == "f" else np.arange(len(codes))
    codes = codes[rows].astype(np.int64)
    order = rows[np.argsort(codes, kind="stable")]
    ends = np.cumsum(np.bincount(codes, minlength=n_groups)).tolist()
    words = [words[i] for i in order.tolist()]
    return [" ".join(words[s:e]) for s, e in zip([0, *ends][:-1], ends, strict=True)]


# ---- inputs ----

ODD = ["", None, "İZMİR ΟΔΟΣ'S x y", "NATO's NATO nato 2,000 men", "“Diaoyu,” Abe said. Senkaku!"]


def _seed_text() -> str:
    return "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(config.DATA_RAW.glob("*.txt")))


def _docs(n: int, seed: int = 20, string: str | None = "str") -> pd.DataFrame:
    """``n`` documents recombined from the seed's paragraphs and odd texts (None, "" among them),
    in a ``doc_id``/``text``/``outlet`` table; ``string``: the dtype of the text columns (``str``,
    Arrow ``string[pyarrow]`` or None for object)."""
    paras = [*_seed_text().split("\n\n"), *[t for t in ODD if t]]
    rng = random.Random(seed)
    texts = [rng.choice([None, ""]) if rng.random() < 0.08 else
             "\n\n".join(rng.sample(paras, rng.randint(1, 6))) for _ in range(n)]
    outlets = [rng.choice(["A", "B", "C", None]) for _ in texts]
    d = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "text": pd.Series(texts, dtype=object),
                      "outlet": pd.Series(outlets, dtype=object)})
    if string is not None:
        d = d.astype({"doc_id": string, "text": string, "outlet": string})
    return d


def _scored(docs: pd.DataFrame):
    """The scoring cell's document scores (with title and group joined, as the notebook has
    them), indicator answers and peaks of ``docs`` (no duplicate ids)."""
    d = docs.assign(title="A title", text=docs["text"].fillna(""))
    packed = framing.frame_scores_by_level(d[["doc_id", "title", "text"]], scheme=SCHEMES, levels=("document",),
                                           answers=True, peaks=True, packed=True, style=True)
    levels, answers, peaks = framing.unpack_scores(packed, SCHEMES, ("document",), answers=True, peaks=True)
    peaks.pop("n_sentences")
    scores = levels["document"].merge(d[["doc_id", "title"]].assign(group="g"), on="doc_id", how="left")
    return scores, answers, peaks


# ---- lexicon_columns, lexicon_table ----


@pytest.mark.parametrize("string", ["str", "string[pyarrow]", None])
def test_lexicon_columns_and_table_are_unchanged(string):
    docs = _docs(40, string=string)
    scores, answers, peaks = _scored(docs)
    for schemes in (SCHEMES, ["generic"], ["territorial", "generic"]):
        for a, p in ((answers, peaks), (None, None), (answers, None)):
            want = _reference_lexicon_columns(scores, a, schemes, p)
            pd.testing.assert_frame_equal(framing.lexicon_columns(scores, a, schemes, p), want, check_exact=True)
    want = _reference_with_features(docs, scores, answers, SCHEMES, peaks)
    got = framing.lexicon_table(docs[["doc_id", "text"]], scores, answers, SCHEMES, peaks)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert list(got.columns) == list(want.columns) and want.shape[1] > 60


def _text_buffers(column: pd.Series) -> list:
    arr = column.array
    if hasattr(arr, "_pa_array"):
        return [c.buffers()[2].address for c in arr._pa_array.chunks]
    return [id(v) for v in column.tolist()]


def test_lexicon_table_takes_the_text_without_a_copy():
    docs = _docs(30)
    scores, answers, peaks = _scored(docs)
    got = framing.lexicon_table(docs[["doc_id", "text"]], scores, answers, SCHEMES, peaks)
    assert _text_buffers(got["text"]) == _text_buffers(docs["text"])


def test_lexicon_table_odd_documents_are_as_the_merge():
    docs = _docs(25)
    scores, answers, peaks = _scored(docs)
    # documents the features lack (NaN rows), repeated ids, another order, an index not 0..n-1
    other = pd.concat([docs.iloc[[3, 1, 1, 7]], pd.DataFrame({"doc_id": ["zz"], "text": ["new"]})])
    other = other.set_axis([10, 11, 12, 13, 14])
    for table in (other, other.astype({"doc_id": object, "text": object}), docs.iloc[:1], docs.iloc[:0]):
        want = _reference_with_features(table, scores, answers, SCHEMES, peaks)
        got = framing.lexicon_table(table[["doc_id", "text"]], scores, answers, SCHEMES, peaks)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    # repeated ids among the peaks: the peaks are left out, as before
    dup = pd.concat([peaks, peaks.iloc[:1]])
    want = _reference_with_features(docs, scores, answers, SCHEMES, dup)
    pd.testing.assert_frame_equal(framing.lexicon_table(docs[["doc_id", "text"]], scores, answers, SCHEMES, dup),
                                  want, check_exact=True)


def test_lexicon_table_feeds_the_models_the_same():
    docs = _docs(30)
    scores, answers, peaks = _scored(docs)
    codes = list(framing.GENERIC_CODES)
    want = _reference_with_features(docs, scores, answers, SCHEMES, peaks)
    got = framing.lexicon_table(docs[["doc_id", "text"]], scores, answers, SCHEMES, peaks)
    pd.testing.assert_frame_equal(framing.dictionary_frames(got, codes), framing.dictionary_frames(want, codes))


# ---- keyness ----


@pytest.mark.parametrize("string", ["str", "string[pyarrow]", None])
@pytest.mark.parametrize("block", [1, 3, 2_000])
def test_compare_groups_then_english_are_unchanged(string, block, monkeypatch):
    monkeypatch.setattr(keyness_mod, "_TEXT_BLOCK", block)
    corpus = _docs(45, string=string)
    if string == "string[pyarrow]":  # comparing <NA> gives <NA>: no mask (before as now)
        corpus["outlet"] = corpus["outlet"].fillna("")
    for reference in (None, "B", ["B", "C"]):
        keyness_mod._LAST_CORPUS.clear()
        _REF_LAST.clear()
        got = keyness_mod.compare_groups(corpus, "outlet", "A", reference=reference)
        want = _reference_compare_groups(corpus, "outlet", "A", reference=reference)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert keyness_mod._LAST_CORPUS.keys() == _REF_LAST.keys()
        assert [(dict(c), n) for c, n in keyness_mod._LAST_CORPUS.values()] == [
            (dict(c), n) for c, n in _REF_LAST.values()]
        for texts in (corpus, corpus["text"], corpus["text"].tolist(), iter(corpus["text"].tolist())):
            for kw in ({}, {"min_count": 1}, {"stop_words": None}):
                got = keyness_mod.keyness_vs_english(texts, **kw)
                want = _reference_keyness_vs_english(texts if not isinstance(texts, type(iter([]))) else
                                                     corpus["text"].tolist(), **kw)
                pd.testing.assert_frame_equal(got, want, check_exact=True)
                if isinstance(texts, type(iter([]))):
                    break
    sel = keyness_mod.compare_groups(corpus, "outlet", lambda c: c.fillna("") < "B")
    pd.testing.assert_frame_equal(sel, _reference_compare_groups(corpus, "outlet", lambda c: c.fillna("") < "B"))


def test_keyness_on_one_row_and_no_text():
    one = _docs(1).assign(outlet="A")
    two = pd.concat([one, one.assign(doc_id="x", outlet="B", text=np.nan)], ignore_index=True)
    pd.testing.assert_frame_equal(keyness_mod.compare_groups(two, "outlet", "A"),
                                  _reference_compare_groups(two, "outlet", "A"), check_exact=True)
    for texts in (one, one["text"], two["text"], two["text"].iloc[1:], pd.Series([], dtype="str"),
                  pd.Series([None, np.nan, pd.NA, 3], dtype=object)):
        _REF_LAST.clear()
        keyness_mod._LAST_CORPUS.clear()
        pd.testing.assert_frame_equal(keyness_mod.keyness_vs_english(texts, min_count=1),
                                      _reference_keyness_vs_english(texts, min_count=1), check_exact=True)


def test_each_text_is_the_column_as_a_list(monkeypatch):
    monkeypatch.setattr(keyness_mod, "_TEXT_BLOCK", 2)

    def same(a, b):  # NaN and NA as their names (NaN != NaN)
        return [repr(v) for v in a] == [repr(v) for v in b]

    col = pd.Series(["a", None, "b", np.nan, "c"], dtype=object)
    m = np.array([True, False, True, True, False])
    for c in (col, col.astype("str"), col.astype("string[pyarrow]"), col.astype(pd.ArrowDtype(pa.large_string())),
              col.iloc[:1], col.iloc[:0]):
        assert same(keyness_mod._each_text(c), c.tolist())
        assert same(keyness_mod._each_text(c, m[: len(c)]), compress(c.tolist(), m[: len(c)].tolist()))
        assert _texts_key(keyness_mod._each_text(c)) == _texts_key(c.tolist())


# ---- indicator_scores ----


@pytest.mark.parametrize("block", [1, 5, 100_000])
def test_answer_strings_are_unchanged(block, monkeypatch):
    monkeypatch.setattr(indicators_mod, "_WORD_BLOCK", block)
    answers = framing.indicator_answers(_docs(12).assign(text=lambda d: d["text"].fillna("")))
    for a in (answers, answers.astype({"question_id": object}), answers.iloc[::-1], answers.iloc[:1],
              answers.iloc[:0],
              answers.assign(answer=[None, np.nan, 1, 0, "x", ""] * (len(answers) // 6) + [True] * (len(answers) % 6)),
              answers.assign(question_id=[np.nan, None, 3, 3.0, "3"] * (len(answers) // 5)
                             + ["q"] * (len(answers) % 5))):
        a = a.astype({"question_id": object}) if a["question_id"].dtype == object else a
        g = a.groupby(["unit_id", "frame"], sort=False)
        n = int(g.ngroups)
        assert indicators_mod._answer_strings(a, g.ngroup(), n) == _reference_answer_strings(a, g.ngroup(), n)
    got = framing.indicator_scores(answers)
    assert got["answers"].tolist() == _reference_answer_strings(
        answers, answers.groupby(["unit_id", "frame"], sort=False).ngroup(), len(got))
