"""Notebook 20, sixth session (identical outputs, less CPU and memory): each change against a
verbatim copy of the earlier code (``_reference_*``) or, for the CSV writer, against pandas'
own ``to_csv``, on the seed and generated tables (no benchmark corpora needed).

Changed: ``dictionary_scores(text=False)`` (the same rows without the units' texts: notebook 20
puts the sentences' own texts back when writing the CSV), ``aggregate_sentiment`` reading only
the columns it needs, and ``compute.write_csv`` (``to_csv(index=False)`` byte for byte).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import config
from helpers import corpus as corpus_mod
from helpers.agreement import bootstrap_mean_ci
from helpers.compute import csvfile, write_csv
from helpers.corpus import load_corpus
from helpers.sentiment import (
    SentimentDictionary,
    aggregate_sentiment,
    dictionary_scores,
    level_scores,
    load_dictionary,
    split_levels,
)
from helpers.sentiment.aggregate import _check_table, _unit_name
from helpers.sentiment.dictionaries import _distinct_columns
from helpers.sentiment.scores import _ID_COLS, _units_of

# -- verbatim copies of the earlier code ---------------------------------------------------------


def _reference_dictionary_scores(table, dictionary=None, negation_window=3):
    if not isinstance(dictionary, SentimentDictionary):
        dictionary = load_dictionary(dictionary)
    units = _units_of(table)
    texts = units["text"].tolist()
    keep = [c for c in _ID_COLS if c in units.columns]
    out = units[keep + ["text"]].reset_index(drop=True).copy()
    vals = (
        pd.DataFrame(_distinct_columns(texts, dictionary, negation_window))
        if texts
        else pd.DataFrame([], columns=["n_words", "positive", "negative", "drivers"])
    )
    out = pd.concat([out, vals], axis=1)
    out["score"] = np.log((out["positive"] + 0.5) / (out["negative"] + 0.5))
    out["per_100_words"] = np.where(
        out["n_words"] > 0,
        (out["positive"] - out["negative"]) / out["n_words"].clip(lower=1) * 100,
        0.0,
    )
    return out[
        keep + ["text", "n_words", "positive", "negative", "score", "per_100_words", "drivers"]
    ]


def _reference_aggregate_sentiment(scores, by=(), value="compound", unit=None, one_per_story=True,
                                   n_boot=1000, random_state=config.SEED, alpha=0.05):
    by = [by] if isinstance(by, str) else list(by)
    _check_table(scores, by, value)
    unit = _unit_name(scores, unit)
    data = scores
    if one_per_story and "duplicate_of" in data.columns:
        data = data[data["duplicate_of"].fillna("").astype(str) == ""]
    data = data.dropna(subset=[value])
    mean_col = f"mean_{value}_per_document"
    cols = [*by, "n_documents", f"n_{unit}s", mean_col, "ci_low", "ci_high"]
    if "polarity" in data.columns:
        cols += [f"share_negative_{unit}s", f"share_positive_{unit}s"]
    cols = list(dict.fromkeys(cols))  # unit "document": n_documents once
    if data.empty:
        return pd.DataFrame(columns=cols)
    groups = data.groupby(by, dropna=False, sort=True) if by else [((), data)]
    rows = []
    for key, g in groups:
        key = key if isinstance(key, tuple) else (key,)
        doc_means = g.groupby("doc_id", sort=False)[value].mean().to_numpy()
        lo, hi = bootstrap_mean_ci(doc_means, n_boot=n_boot, random_state=random_state, alpha=alpha)
        row = dict(zip(by, key, strict=True))
        row.update({"n_documents": len(doc_means), f"n_{unit}s": len(g),
                    mean_col: float(np.mean(doc_means)) if len(doc_means) else np.nan,
                    "ci_low": lo, "ci_high": hi})
        if "polarity" in g.columns:
            pol = pd.to_numeric(g["polarity"], errors="coerce")
            row[f"share_negative_{unit}s"] = float((pol == -1).mean())
            row[f"share_positive_{unit}s"] = float((pol == 1).mean())
        rows.append(row)
    return pd.DataFrame(rows, columns=cols)


# -- data ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_levels():
    corpus = load_corpus(config.resolve_data(None)).corpus
    corpus = corpus_mod.one_per_story(corpus)
    return split_levels(level_scores(corpus[["doc_id", "text"]], drivers=("sentence",)))


def _generated_sentences(n=400, seed=3):
    rng = np.random.default_rng(seed)
    words = ("they did not agree , threats of war ; peace and support ! but no good deal "
             "never so bad \u201cquoted\u201d \u2019s caf\u00e9 \u00b5 hardly secure , \"x\" "
             "new\nline cannot agree* crisis").split(" ")
    texts = [" ".join(rng.choice(words, size=rng.integers(0, 25))) for _ in range(n)]
    texts[::37] = ["" for _ in texts[::37]]
    doc = np.repeat(np.arange(n // 4), 4)[:n]
    pos = np.concatenate([np.arange(4)] * (n // 4))[:n]
    return pd.DataFrame({
        "unit_id": [f"d{d}:s{p}" for d, p in zip(doc, pos, strict=True)],
        "doc_id": [f"d{d}" for d in doc], "level": "sentence", "position": pos, "paragraph": pos // 2,
        "text": texts,
    })


# -- dictionary_scores(text=False) ---------------------------------------------------------------------


@pytest.mark.parametrize("negation_window", [3, 0, 1])
def test_dictionary_scores_without_text_equals_reference(negation_window):
    table = _generated_sentences()
    d = SentimentDictionary("t", {"positive": ["agree*", "peace", "good deal", "secure"],
                                  "negative": ["threat*", "war", "crisis", "so bad"]},
                            {"positive": 1, "negative": -1})
    for dic in (d, load_dictionary()):
        want = _reference_dictionary_scores(table, dic, negation_window=negation_window)
        pd.testing.assert_frame_equal(dictionary_scores(table, dic, negation_window=negation_window), want)
        got = dictionary_scores(table, dic, negation_window=negation_window, text=False)
        pd.testing.assert_frame_equal(got, want.drop(columns="text"))


def test_dictionary_scores_without_text_seed_and_empty(seed_levels):
    s = seed_levels["sentence"]
    want = _reference_dictionary_scores(s, load_dictionary())
    pd.testing.assert_frame_equal(dictionary_scores(s, load_dictionary(), text=False), want.drop(columns="text"))
    empty = dictionary_scores(pd.DataFrame({"doc_id": [], "text": []}), load_dictionary(), text=False)
    assert "text" not in empty.columns and empty.empty


# -- aggregate_sentiment ------------------------------------------------------------------------------


def _scored_table(n=3000, seed=5):
    rng = np.random.default_rng(seed)
    doc = rng.integers(0, 120, size=n)
    t = pd.DataFrame({
        "unit_id": [f"u{i}" for i in range(n)], "doc_id": [f"d{d}" for d in doc],
        "level": "sentence", "text": [f"text {i}, long" for i in range(n)],
        "compound": np.round(rng.uniform(-1, 1, size=n), 4), "polarity": rng.integers(-1, 2, size=n),
        "drivers": ["war (-2.90)"] * n,
        "outlet": np.where(doc % 5 == 0, None, [f"o{d % 7}" for d in doc]),
        "date": pd.to_datetime("2020-01-01") + pd.to_timedelta(doc % 40, unit="D"),
    })
    t.loc[t.index % 11 == 0, "compound"] = np.nan
    return t


@pytest.mark.parametrize("by", [(), "outlet", ["outlet", "date"], "doc_id", ["level"]])
def test_aggregate_sentiment_equals_reference(by):
    t = _scored_table()
    for kwargs in ({}, {"n_boot": 50}, {"unit": "unit"}):
        want = _reference_aggregate_sentiment(t, by, **kwargs)
        pd.testing.assert_frame_equal(aggregate_sentiment(t, by, **kwargs), want)


def test_aggregate_sentiment_mentions_copies_and_empty():
    t = _scored_table().rename(columns={"compound": "p_pos_minus_p_neg"})
    t["mention_id"] = range(len(t))
    t["target"] = np.where(np.arange(len(t)) % 3 == 0, "China", "Japan")
    t["duplicate_of"] = np.where(np.arange(len(t)) % 9 == 0, "d1", None)
    for kwargs in ({}, {"one_per_story": False}):
        want = _reference_aggregate_sentiment(t, ["target", "outlet"], value="p_pos_minus_p_neg", **kwargs)
        got = aggregate_sentiment(t, ["target", "outlet"], value="p_pos_minus_p_neg", **kwargs)
        pd.testing.assert_frame_equal(got, want)
    no_pol = t.drop(columns="polarity")
    pd.testing.assert_frame_equal(aggregate_sentiment(no_pol, "target", value="p_pos_minus_p_neg"),
                                  _reference_aggregate_sentiment(no_pol, "target", value="p_pos_minus_p_neg"))
    empty = t.iloc[0:0]
    pd.testing.assert_frame_equal(aggregate_sentiment(empty, "target", value="p_pos_minus_p_neg"),
                                  _reference_aggregate_sentiment(empty, "target", value="p_pos_minus_p_neg"))


def test_aggregate_sentiment_seed_levels(seed_levels):
    for level, table in seed_levels.items():
        pd.testing.assert_frame_equal(aggregate_sentiment(table), _reference_aggregate_sentiment(table),
                                      obj=level)


# -- write_csv -----------------------------------------------------------------------------------


def _same_bytes(frame, tmp_path, name="t"):
    want, got = tmp_path / f"{name}_want.csv", tmp_path / f"{name}_got.csv"
    frame.to_csv(want, index=False)
    write_csv(frame, got)
    assert got.read_bytes() == want.read_bytes()


def _odd_table(n=2500, seed=11):
    rng = np.random.default_rng(seed)
    pieces = ["a", "b,c", '"q"', "new\nline", "cr\rhere", "tab\there", " lead", "trail ", "",
              "caf\u00e9", "\u201ccurly\u201d", "\u00b5", "x;y", "'s", "\\", "emoji \U0001f600", "\x00"]
    texts = ["".join(rng.choice(pieces, size=rng.integers(0, 4))) for _ in range(n)]
    floats = rng.normal(size=n) * 10.0 ** rng.integers(-8, 22, size=n)
    floats[::13] = np.nan
    floats[1::17] = np.inf
    floats[2::19] = -0.0
    floats[3::23] = np.log(np.arange(1, len(floats[3::23]) + 1) + 0.5)
    t = pd.DataFrame({
        "unit_id": [f"d{i // 7}:s{i % 7}" for i in range(n)], "text": texts,
        "n": rng.integers(-10**12, 10**12, size=n), "small": rng.integers(0, 3, size=n).astype(np.int8),
        "x": floats, "y": np.round(rng.uniform(-1, 1, size=n), 4), "f32": rng.normal(size=n).astype(np.float32),
        "u": rng.integers(0, 2**40, size=n).astype(np.uint64),
    })
    t.loc[t.index % 29 == 0, "text"] = None
    return t


def test_write_csv_same_bytes_as_to_csv(tmp_path, monkeypatch):
    t = _odd_table()
    _same_bytes(t, tmp_path)
    monkeypatch.setattr(csvfile, "_CSV_BLOCK", 333)  # blocks end anywhere
    _same_bytes(t, tmp_path, "blocks")
    _same_bytes(t.iloc[5:1500:3], tmp_path, "sliced")  # a view, index not 0..n-1
    _same_bytes(t.iloc[0:0], tmp_path, "empty")
    _same_bytes(t[["text", "x"]].dropna(), tmp_path, "no_missing")
    chunked = pd.concat([t.iloc[:700], t.iloc[700:]])  # text columns of several Arrow chunks
    _same_bytes(chunked, tmp_path, "chunked")


def test_write_csv_other_tables_fall_back(tmp_path):
    t = _odd_table(200)
    _same_bytes(t[["text"]], tmp_path, "one")  # one column: to_csv quotes an empty field alone
    _same_bytes(t.assign(obj=t["text"].astype(object)), tmp_path, "object")
    _same_bytes(t.assign(when=pd.Timestamp("2020-01-02")), tmp_path, "date")
    _same_bytes(t.assign(flag=t["n"] > 0), tmp_path, "bool")
    _same_bytes(t.assign(cat=t["unit_id"].astype("category")), tmp_path, "category")
    _same_bytes(t.assign(nullable=pd.array([1, None] * 100, dtype="Int64")), tmp_path, "nullable")
    _same_bytes(t.rename(columns={"x": "x,y"}), tmp_path, "odd_name")
    _same_bytes(t.rename(columns={"x": 3}), tmp_path, "int_name")


def test_write_csv_notebook_tables(seed_levels, tmp_path):
    s = seed_levels["sentence"]
    _same_bytes(s, tmp_path, "sentences")
    _same_bytes(s[["unit_id", "doc_id", "compound", "polarity"]], tmp_path, "tone")
    d = dictionary_scores(s, load_dictionary(), text=False)
    d.insert(5, "text", s["text"].array)
    _same_bytes(d, tmp_path, "dict")
    _same_bytes(_reference_dictionary_scores(s, load_dictionary()), tmp_path, "dict_ref")
    assert (tmp_path / "dict_got.csv").read_bytes() == (tmp_path / "dict_ref_want.csv").read_bytes()
    for level in ("paragraph", "document"):
        _same_bytes(seed_levels[level], tmp_path, level)


# -- split_levels(consume=True) -------------------------------------------------------------------


def _reference_split_levels(scores):
    from helpers.compute import filter_rows

    level = scores["level"].to_numpy()
    out = {}
    for name in ("sentence", "paragraph", "document"):
        part = scores if name == "sentence" else scores.drop(columns="text")
        # column by column (filter_rows): a whole-table selection peaked ~2 GB higher at 100k
        out[name] = filter_rows(part, level == name).reset_index(drop=True)
    return out


def _generated_corpus(n=60, seed=7):
    rng = np.random.default_rng(seed)
    words = "War and peace. But no good deal! Never so bad, they said.\n\nNew paragraph? Yes".split(" ")
    texts = [" ".join(rng.choice(words, size=rng.integers(0, 60))) for _ in range(n)]
    texts[5] = ""
    return pd.DataFrame({"doc_id": [f"g{i}" for i in range(n)], "text": texts})


@pytest.mark.parametrize("drivers", [("sentence",), ("sentence", "paragraph", "document"), ()])
def test_split_levels_equals_reference(seed_levels, drivers):
    for corpus in (_generated_corpus(), _generated_corpus().iloc[0:0]):
        table = level_scores(corpus, drivers=drivers)
        want = _reference_split_levels(table)
        for consume in (False, True):
            given = table.copy()
            got = split_levels(given, consume=consume)
            assert list(got) == list(want)
            for name in want:
                pd.testing.assert_frame_equal(got[name], want[name], obj=name)
            kept = [c for c in table.columns if isinstance(table[c].dtype, np.dtype)]
            assert list(given.columns) == (kept if consume else list(table.columns))


# -- the "but" rule, batch path vs per-text rules (texts where rescaled values collide) ------------


def _but_texts(n=600, seed=13):
    """Texts of lexicon words whose values are half or 1.5 times each other's (the "but" rule's
    rescaled values then equal other hits' values), with "but", boosters and negators."""
    from helpers.sentiment import VaderScorer

    lex = VaderScorer().lexicon
    by_value: dict[float, list[str]] = {}
    for w, v in lex.items():
        if w.isalpha() and w.islower():
            by_value.setdefault(v, []).append(w)
    words = []
    for v, ws in sorted(by_value.items()):
        if v * 0.5 in by_value or v * 1.5 in by_value:
            words += ws[:2] + by_value.get(v * 0.5, [])[:1] + by_value.get(v * 1.5, [])[:1]
    words += ["but", "but", "BUT", "very", "not", "never", "so", "the", "of", "GOOD", "kind", "and"]
    rng = np.random.default_rng(seed)
    sizes = np.where(rng.random(n) < 0.2, rng.integers(40, 160, size=n), rng.integers(0, 20, size=n))
    return [" ".join(rng.choice(words, size=k)) for k in sizes]


def test_but_rule_batch_equals_per_text_rules():
    from helpers.sentiment import VaderScorer

    texts = _but_texts()
    got = VaderScorer().score_texts(texts)
    per_text = VaderScorer()
    want = pd.DataFrame([per_text.polarity_scores(t) for t in texts])
    for c in ("compound", "pos", "neu", "neg"):
        np.testing.assert_array_equal(got[c].to_numpy(), want[c].to_numpy(), err_msg=c)
