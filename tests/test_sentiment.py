"""Tests for helpers.sentiment, its commands (helpers.cli.targets) and helpers.plots.sentiment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score, f1_score
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from helpers import artifacts, sentiment, text
from helpers.agreement import bootstrap_mean_ci
from helpers.artifacts import ArtifactError
from helpers.cli.targets import train_main, validate_main
from helpers.config import RESOURCES
from helpers.findings import validation_note
from helpers.sentiment import (
    SentimentDictionary,
    VaderScorer,
    aggregate_sentiment,
    dictionary_scores,
    driver_terms,
    evidence,
    load_dictionary,
    model_files,
    tuning,
    vader_scores,
    validation_report,
)
from helpers.sentiment.embeddings import _MiniLM
from helpers.sentiment.vader import _format_drivers
from helpers.sentiment.vader_batch import _round_like_python

# VADER's own demo and "tricky" sentences plus cases that hit each rule (emojis, "but" with
# repeated values, ALL CAPS, "least", "kind of", idioms, "no" before a lexicon word, empty).
TRICKY = [
    "VADER is smart, handsome, and funny.",
    "VADER is smart, handsome, and funny!",
    "VADER is very smart, handsome, and funny.",
    "VADER is VERY SMART, handsome, and FUNNY.",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.",
    "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today SUX!",
    "Today only kinda sux! But I'll get by, lol",
    "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "Not bad at all",
    "Sentiment analysis has never been good.",
    "Sentiment analysis has never been this good!",
    "With VADER, sentiment analysis is the shit!",
    "On the other hand, VADER is quite bad ass",
    "Without a doubt, excellent idea.",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "Roger Dodger is at least compelling as a variation on the theme.",
    "good good but good bad good",
    "No problem, no good deal, no or nor happy",
    "",
    "   ",
    "Why??? Why?? Really???? Great!!!!!",
    "NATO condemned the attack but praised the restraint shown by Japan.",
    "kind of",
    "The bus stop was awful",
]


@pytest.fixture(scope="module")
def seed_units(seed_corpus):
    return text.units(seed_corpus, "sentence")


# ------------------------------------------------------------------------------ VADER, exactly


def test_vader_scorer_identical_on_tricky_sentences():
    reference = SentimentIntensityAnalyzer()
    scorer = VaderScorer()
    for s in TRICKY:
        assert scorer.polarity_scores(s) == reference.polarity_scores(s), s
    # second pass goes through the cache and must give the same numbers
    for s in TRICKY:
        assert scorer.polarity_scores(s) == reference.polarity_scores(s), s


def test_vader_scorer_identical_on_newsmtsc(eval_dir):
    reference = SentimentIntensityAnalyzer()
    scorer = VaderScorer()
    rows = [json.loads(line) for line in (eval_dir / "newsmtsc" / "train.jsonl").open()][:3000]
    texts = [r["sentence"] for r in rows] + [r["sentence"].upper() for r in rows[:300]]
    mismatches = [t for t in texts if scorer.polarity_scores(t) != reference.polarity_scores(t)]
    assert mismatches == []


def _rule_stress_sentences(n: int = 3000, seed: int = 0) -> list[str]:
    """Random sentences dense in every word a VADER rule looks at (negations, boosters in any
    case, "no"/"or", "never so", "without doubt", "least", "kind of", idioms, "but")."""
    words = (
        "no not never so this without doubt least at very kind of but BUT or nor isn't "
        "don't extremely VERY kinda sort barely most good GOOD bad BAD great happy awful "
        "the shit bomb bad ass badass bus stop yeah right kiss death to die for beating heart "
        "just enough kind-of hope war peace attack support fail love hate is was a it !".split()
    )
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        k = int(rng.integers(1, 14))
        toks = [words[j] for j in rng.integers(0, len(words), size=k)]
        out.append(" ".join(toks) + str(rng.choice(["", ".", "!", "??", "?!"])))
    return out


def test_score_texts_identical_to_vader_on_rule_heavy_texts():
    reference = SentimentIntensityAnalyzer()
    texts = TRICKY + _rule_stress_sentences() + [t.upper() for t in TRICKY]
    texts += [t.lower() for t in _rule_stress_sentences(500, seed=1)]
    scored = VaderScorer().score_texts(texts)
    single = VaderScorer()
    cols = ["neg", "neu", "pos", "compound"]
    for t, row in zip(texts, scored[cols + ["drivers"]].to_dict("records"), strict=True):
        assert {c: row[c] for c in cols} == reference.polarity_scores(t), t
        assert row["drivers"] == _format_drivers(single.drivers(t)), t


def test_round_like_python_is_bit_identical():
    rng = np.random.default_rng(3)
    x = np.concatenate(
        [
            rng.uniform(-1, 1, 20000),
            (np.arange(-2000, 2001) + 0.5) / 1000,  # halves at 3 decimals
            (np.arange(-20000, 20001) + 0.5) / 10000,  # halves at 4 decimals
            [0.0, -0.0, 1.0, -1.0, 0.0005, 0.0015, 0.00049999999999999, 2.675, 1 / 3],
        ]
    )
    for nd in (3, 4):
        got = _round_like_python(x, nd).tolist()
        want = [round(v, nd) for v in x.tolist()]
        assert [np.float64(v).tobytes() for v in got] == [np.float64(v).tobytes() for v in want]


def test_score_texts_separator_fallback_duplicates_and_empty():
    reference = SentimentIntensityAnalyzer()
    texts = ["good \x00 bad", "not good", "", "not good", "\x00", "great but awful \x00 day"]
    scored = VaderScorer().score_texts(texts)
    got = scored[["neg", "neu", "pos", "compound"]].to_dict("records")
    assert got == [reference.polarity_scores(t) for t in texts]
    assert VaderScorer().score_texts([]).empty


def test_drivers_reflect_negation_and_but():
    scorer = VaderScorer()
    assert [w for w, _ in scorer.drivers("Talks were not successful.")] == ["successful"]
    assert scorer.drivers("Talks were not successful.")[0][1] < 0
    drivers = dict(scorer.drivers("The plan is good but the execution is bad."))
    assert drivers["bad"] == pytest.approx(-2.5 * 1.5)
    assert scorer.drivers("The meeting took place on Monday.") == []


def test_vader_scores_columns_levels_and_evidence(seed_corpus, seed_units):
    out = vader_scores(seed_units)
    assert list(out.columns) == [
        "unit_id",
        "doc_id",
        "level",
        "position",
        "paragraph",
        "text",
        "n_words",
        "compound",
        "pos",
        "neu",
        "neg",
        "polarity",
        "drivers",
    ]
    assert len(out) == len(seed_units) > 5
    reference = SentimentIntensityAnalyzer()
    assert out["compound"].tolist() == [
        reference.polarity_scores(t)["compound"] for t in seed_units["text"]
    ]
    assert set(out["polarity"]) <= {-1, 0, 1}
    assert (out.loc[out["compound"] <= -0.05, "polarity"] == -1).all()
    negative = out.loc[out["compound"].idxmin()]
    assert negative["drivers"]  # the most negative sentence names its words
    docs = vader_scores(seed_corpus)  # a corpus is scored per document
    assert docs["unit_id"].tolist() == [f"{d}:d" for d in seed_corpus["doc_id"]]
    with pytest.raises(ValueError, match="text"):
        vader_scores(pd.DataFrame({"doc_id": ["a"]}))


def test_driver_terms_long_table():
    s = vader_scores(
        pd.DataFrame({"doc_id": ["a", "b"], "text": ["War and peace.", "A calm day."]})
    )
    terms = driver_terms(s)
    assert terms[["doc_id", "term"]].values.tolist() == [
        ["a", "war"],
        ["a", "peace"],
        ["b", "calm"],
    ]
    assert terms.loc[terms.term == "war", "valence"].item() < 0


# ------------------------------------------------------------------------------ dictionaries


def test_shipped_dictionary_loads_with_header():
    d = load_dictionary()
    assert set(d.weights) == {"positive", "negative"}
    assert "peace" in d.entries["positive"] and "war" in d.entries["negative"]
    assert load_dictionary.__module__ == "helpers.sentiment.dictionaries"
    head = (RESOURCES / "sentiment_dictionary.yaml").read_text().splitlines()[0]
    assert head.startswith("#")


def test_dictionary_scores_globs_phrases_negation():
    d = SentimentDictionary(
        "t",
        {
            "positive": ["agree*", "peaceful resolution"],
            "negative": ["threat*", "peaceful"],
            "neg_positive": ["not good"],
        },
        {"positive": 1, "negative": -1, "neg_positive": -1},
    )
    table = pd.DataFrame(
        {
            "doc_id": list("abcd"),
            "text": [
                "Both sides agreed on a peaceful resolution.",  # glob + phrase wins over its first word
                "They did not agree, citing threats.",  # negated glob, then a negative glob
                "It is not good.",  # LSD-style negated phrase: counted once, as negative
                "Nothing here.",
            ],
        }
    )
    out = dictionary_scores(table, d)
    assert out[["positive", "negative"]].values.tolist() == [
        [2.0, 0.0],
        [0.0, 2.0],
        [0.0, 1.0],
        [0.0, 0.0],
    ]
    assert "NOT agree" in out.loc[1, "drivers"]
    assert out.loc[0, "score"] == pytest.approx(np.log(2.5 / 0.5))
    assert out.loc[3, "score"] == 0.0
    no_neg = dictionary_scores(table, d, negation_window=0)
    assert no_neg.loc[1, "positive"] == 1.0


def test_quanteda_yaml_layout(tmp_path):
    path = tmp_path / "lsd.yml"
    path.write_text(
        "negative:\n  - abandon*\n  - a lie\npositive:\n  - abid*\nneg_positive:\n  - not abid*\n"
        "neg_negative:\n  - not abandon*\n",
        encoding="utf-8",
    )
    d = load_dictionary(path)
    assert d.weights == {
        "negative": -1.0,
        "positive": 1.0,
        "neg_positive": -1.0,
        "neg_negative": 1.0,
    }
    out = dictionary_scores(
        pd.DataFrame({"doc_id": ["a"], "text": ["They did not abandon it; a lie."]}),
        d,
        negation_window=0,
    )
    assert out[["positive", "negative"]].values.tolist() == [[1.0, 1.0]]
    nested = tmp_path / "nested.yml"
    nested.write_text("tone:\n  positive: [good]\n  negative: [bad]\n", encoding="utf-8")
    assert set(load_dictionary(nested).weights) == {"tone.positive", "tone.negative"}


def test_dictionary_errors_name_file_and_key(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("anger:\n  - rage\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.yml.*anger"):
        load_dictionary(bad)
    assert load_dictionary(bad, weights={"anger": -1}).weights == {"anger": -1}
    with pytest.raises(FileNotFoundError, match="nope.yml"):
        load_dictionary(tmp_path / "nope.yml")


# ------------------------------------------------------------------------------ aggregation


def _doc_table():
    return pd.DataFrame(
        {
            "doc_id": ["a", "a", "a", "b", "c"],
            "outlet": ["X", "X", "X", "X", "Y"],
            "level": ["sentence"] * 5,
            "compound": [0.9, 0.9, 0.9, -0.1, 0.2],
            "polarity": [1, 1, 1, -1, 1],
        }
    )


def test_aggregate_sentiment_names_one_unit_and_one_scale_per_column():
    """Old behaviour: ``mean`` (per document) beside ``share_negative`` (per sentence) with no
    name saying which; now every column names its unit and its score."""
    agg = aggregate_sentiment(_doc_table(), "outlet", n_boot=300).set_index("outlet")
    assert list(agg.columns) == [
        "n_documents",
        "n_sentences",
        "mean_compound_per_document",
        "ci_low",
        "ci_high",
        "share_negative_sentences",
        "share_positive_sentences",
    ]
    assert agg.loc["X", "mean_compound_per_document"] == pytest.approx(0.4)  # (0.9 + -0.1) / 2
    assert agg.loc["X", "n_documents"] == 2 and agg.loc["X", "n_sentences"] == 4
    assert agg.loc["X", "share_negative_sentences"] == pytest.approx(0.25)  # 1 of 4 sentences
    assert agg.loc["Y", "ci_low"] == agg.loc["Y", "ci_high"] == pytest.approx(0.2)
    again = aggregate_sentiment(_doc_table(), "outlet", n_boot=300)
    assert again.equals(aggregate_sentiment(_doc_table(), "outlet", n_boot=300))  # seeded
    with pytest.raises(ValueError, match="date"):
        aggregate_sentiment(_doc_table(), "date")


def test_aggregate_interval_resamples_documents_never_units():
    """Old behaviour: ``cluster=None`` (or a table without doc_id) resampled sentences."""
    t = _doc_table()
    agg = aggregate_sentiment(t, n_boot=400, random_state=7)
    doc_means = t.groupby("doc_id")["compound"].mean().to_numpy()
    want = bootstrap_mean_ci(doc_means, n_boot=400, random_state=7)
    assert (agg["ci_low"].item(), agg["ci_high"].item()) == pytest.approx(want)
    with pytest.raises(ValueError, match="doc_id"):
        aggregate_sentiment(t.drop(columns="doc_id"), "outlet")
    with pytest.raises(TypeError):
        aggregate_sentiment(t, "outlet", cluster=None)


def test_aggregate_refuses_to_average_two_scorers():
    """Old behaviour: VADER compound and a model's P(pos) - P(neg) averaged in one ``mean``."""
    t = _doc_table().assign(score=[0.5] * 5, method=["vader-window"] * 3 + ["light"] * 2)
    with pytest.raises(ValueError, match="mixes scorers"):
        aggregate_sentiment(t, "outlet", value="score")
    one = aggregate_sentiment(t[t["method"] == "light"], value="score", unit="mention", n_boot=50)
    assert "mean_score_per_document" in one.columns and one["n_mentions"].item() == 2


def test_aggregate_counts_each_story_once():
    """Old behaviour: a repost (``duplicate_of`` set) counted as a second story."""
    t = _doc_table().assign(duplicate_of=["", "", "", "", "a"])
    t.loc[4, "outlet"] = "X"
    agg = aggregate_sentiment(t, "outlet", n_boot=50)
    assert agg["n_documents"].item() == 2 and agg["n_sentences"].item() == 4
    assert agg["mean_compound_per_document"].item() == pytest.approx(0.4)
    kept = aggregate_sentiment(t, "outlet", one_per_story=False, n_boot=50)
    assert kept["n_documents"].item() == 3


def test_evidence_returns_extremes_and_filters():
    t = pd.DataFrame(
        {
            "doc_id": list("abcd"),
            "target": ["China", "China", "Japan", "China"],
            "text": ["w", "x", "y", "z"],
            "score": [-0.8, 0.5, -0.9, 0.0],
        }
    )
    ev = evidence(t, "score", n=1, where={"target": "China"})
    assert ev["text"].tolist() == ["w", "x"]
    assert ev["extreme"].tolist() == ["most negative", "most positive"]
    with pytest.raises(ValueError, match="outlet"):
        evidence(t, "score", where={"outlet": "X"})


# ------------------------------------------------------------------------------ validation


def test_validation_report_matches_sklearn():
    rng = np.random.default_rng(0)
    y = rng.choice([-1, 0, 1], size=200)
    p = np.where(rng.random(200) < 0.7, y, rng.choice([-1, 0, 1], size=200))
    rep = validation_report(y, p, labels=[-1, 0, 1], n_boot=200)
    assert rep["accuracy"] == pytest.approx(np.mean(y == p))
    assert rep["macro_f1"] == pytest.approx(f1_score(y, p, average="macro"))
    assert rep["cohen_kappa"] == pytest.approx(cohen_kappa_score(y, p))
    assert rep["krippendorff_alpha"] == pytest.approx(rep["cohen_kappa"], abs=0.02)
    assert rep["labels"] == [-1, 0, 1] and set(rep["per_class"]) == {"-1", "0", "1"}
    assert np.asarray(rep["confusion"]).sum() == 200
    lo, hi = rep["ci"]["macro_f1"]
    assert lo < rep["macro_f1"] < hi
    json.dumps(rep)  # JSON-ready


# ------------------------------------------------------------------------------ targets


def test_alias_table_and_mentions():
    aliases = sentiment.load_aliases()
    assert {"China", "Japan", "NATO", "United States", "North Korea"} <= set(aliases["target"])
    u = pd.DataFrame(
        {
            "unit_id": ["d:s0", "d:s1", "d:s2"],
            "doc_id": ["d"] * 3,
            "text": [
                "Beijing and Chinese officials met Xi Jinping; North Korea's Kim Jong-un stayed away.",
                "Let us see what the Alliance does in Latin America and in the U.S. next week.",
                "Japan's Abe wrote to NATO Secretary General Rasmussen.",
            ],
        }
    )
    m = sentiment.find_mentions(u, aliases)
    got = m[["unit_id", "target", "mention"]].values.tolist()
    assert ["d:s0", "China", "Xi Jinping"] in got and ["d:s0", "North Korea", "North Korea"] in got
    assert ["d:s0", "North Korea", "Kim Jong-un"] in got
    assert ["d:s1", "NATO", "the Alliance"] in got  # lower-case alias matches any case
    assert ["d:s1", "United States", "U.S."] in got
    assert not any(
        t == "United States" and mm in ("us", "America") for _, t, mm in got
    )  # "us", Latin America
    assert ["d:s2", "Japan", "Japan"] in got and ["d:s2", "NATO", "Rasmussen"] in got
    for row in m.itertuples():
        assert row.sentence[row._8 : row.to] == row.mention  # offsets point at the mention
    assert m["mention_id"].is_unique


def test_find_mentions_on_seed(seed_units):
    m = sentiment.find_mentions(seed_units)
    counts = m["target"].value_counts()
    assert counts["Japan"] >= 10 and counts["China"] >= 5 and counts["NATO"] >= 5
    assert "Shinzo Abe" in set(m["mention"])


def test_read_newsmtsc_repairs_and_errors(tmp_path):
    good = tmp_path / "g.jsonl"
    good.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {
                    "sentence": "Tokyo protested.",
                    "mention": "Tokyo",
                    "from": 0,
                    "to": 5,
                    "polarity": 4,
                },
                {
                    "sentence": "They blamed Seoul.",
                    "mention": "Seoul",
                    "from": 0,
                    "to": 3,
                    "polarity": -1,
                },
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    df = sentiment.read_newsmtsc(good)
    assert df["polarity"].tolist() == [0, -1]
    assert df.loc[1, ["from", "to"]].tolist() == [12, 17]
    bad = tmp_path / "b.jsonl"
    bad.write_text(
        json.dumps({"sentence": "x", "mention": "x", "from": 0, "to": 1, "polarity": 5}) + "\n"
    )
    with pytest.raises(ValueError, match=r"b.jsonl, line 1: polarity"):
        sentiment.read_newsmtsc(bad)
    bad.write_text("{not json\n")
    with pytest.raises(ValueError, match="line 1"):
        sentiment.read_newsmtsc(bad)


def test_vader_window_baseline_is_local():
    f = pd.DataFrame(
        {
            "sentence": ["Critics attacked Japan, while a calm and happy crowd welcomed Seoul."],
            "from": [17],
            "to": [22],
        }
    )
    near = sentiment.vader_target_scores(f, window=1)
    assert near["polarity"].tolist() == [-1]
    f2 = f.assign(**{"from": [62], "to": [67]})
    assert sentiment.vader_target_scores(f2, window=3)["polarity"].tolist() == [1]
    whole = sentiment.vader_target_scores(f, window=None)
    assert (
        whole["score"].item()
        == SentimentIntensityAnalyzer().polarity_scores(f["sentence"][0])["compound"]
    )


TOY_TRAIN = ("Japan", "China", "NATO", "Seoul")
TOY_HELD_OUT = ("Obama", "Moscow")


def _toy_training(names=TOY_TRAIN):
    rows = []
    for who in names:
        rows += [
            (f"Critics condemned {who} for the reckless provocation.", who, -1),
            (f"Analysts praised {who} for a wise and generous offer.", who, 1),
            (f"{who} will hold a meeting on Tuesday.", who, 0),
            (
                f"Officials said {who} had been attacked by the rebels, but {who} stayed calm.",
                who,
                0,
            ),
        ]
    out = []
    for s, m, p in rows:
        a = s.index(m)
        out.append({"sentence": s, "mention": m, "from": a, "to": a + len(m), "polarity": p})
    return pd.DataFrame(out)


def test_light_model_predicts_held_out_targets_and_round_trips(tmp_path):
    """Scored on sentences about targets it never saw (not on its own training rows); saved as
    arrays + JSON (no pickle) and loaded back, it predicts *identical* probabilities."""
    train, held_out = _toy_training(), _toy_training(TOY_HELD_OUT)
    model = sentiment.train_target_model(train, kind="light")
    assert (model.predict(held_out) == held_out["polarity"].to_numpy()).mean() >= 0.75
    proba = model.predict_proba(held_out)
    assert proba.shape == (len(held_out), 3) and np.allclose(proba.sum(1), 1)
    folder = sentiment.save_target_model(model, tmp_path / "m")
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["kind"] == "target-sentiment-light" and meta["format_version"] == artifacts.FORMAT_VERSION
    assert sorted(p.name for p in folder.iterdir()) == ["MODEL_CARD.md", "arrays.npz", "meta.json"]
    loaded = sentiment.load_target_model(folder)
    assert np.array_equal(loaded.predict_proba(held_out), proba)
    assert loaded.describe() == model.describe() and loaded.origin_["source"] == "folder"
    assert sentiment.load_target_model(tmp_path / "empty") is None
    with pytest.raises(ValueError, match="unknown feature"):
        sentiment.TargetSentimentClassifier(features=("nope",)).fit(train, train["polarity"])


def test_round_trip_on_a_slice_identical_for_every_setting(tmp_path):
    """Train on a small slice -> save -> load -> identical predict_proba on unseen sentences, for
    the default settings and for the ablation's options (clause and side-window groups, no class
    weights, 1-3-grams, another lexicon weight, the raw sentence); the arrays load without pickle."""
    train, held_out = _toy_training()[:12], _toy_training(TOY_HELD_OUT)
    settings = [{}, {"features": ("masked", "context", "role", "lexicon", "clause", "sides"), "class_weight": None,
                     "ngram_max": 3, "dense_weight": 0.5, "C": 2.0, "window": 4},
                {"features": ("sentence",)}]
    for i, params in enumerate(settings):
        model = sentiment.train_target_model(train, **params)
        folder = sentiment.save_target_model(model, tmp_path / f"m{i}")
        with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
            assert all(npz[k].dtype != object for k in npz.files)
        loaded = sentiment.load_target_model(folder)
        assert np.array_equal(loaded.predict_proba(held_out), model.predict_proba(held_out)), params
        assert loaded.describe() == model.describe()


def test_old_pickled_model_is_refused_not_loaded(tmp_path):
    """Before: model.joblib (a pickle) was loaded; now it is never unpickled, and not skipped silently."""
    folder = tmp_path / "targets"
    folder.mkdir()
    (folder / "model.joblib").write_bytes(b"never unpickled")
    (folder / "model.json").write_text('{"kind": "light"}')
    with pytest.raises(ArtifactError, match="old pickle format"):
        sentiment.load_target_model(folder)
    with pytest.raises(ArtifactError, match="old pickle format"):
        sentiment.load_target_model(user_dir=tmp_path)


def test_loading_order_user_model_then_shipped_then_vader(tmp_path, monkeypatch):
    monkeypatch.setattr(model_files, "MODELS_DIR", tmp_path)
    shipped = sentiment.load_target_model()
    assert shipped.origin_["source"] == "shipped" and shipped.origin_["folder"] == "helpers/models/targets"
    which, validation = sentiment.scorer_note(shipped)
    assert which.startswith("shipped light target model (helpers/models/targets, trained ")
    assert validation == validation_note("target_sentiment", method="light model (default)", dataset="dev_rw")
    sentiment.save_target_model(sentiment.train_target_model(_toy_training()), tmp_path / "targets")
    mine = sentiment.load_target_model()
    assert mine.origin_ == {**mine.origin_, "source": "user", "folder": "targets"}
    which, validation = sentiment.scorer_note(mine)
    assert which.startswith("your light target model") and "no locked-part score" in validation
    assert sentiment.resolve_method("auto")[1].origin_["source"] == "user"
    with pytest.raises(FileNotFoundError, match="holds no target model"):
        sentiment.resolve_method("auto", model_dir=tmp_path / "empty")
    monkeypatch.setattr(model_files, "MODELS_DIR", tmp_path / "none")
    monkeypatch.setattr(artifacts, "SHIPPED_MODELS", tmp_path / "nothing_shipped")
    assert sentiment.load_target_model() is None
    assert sentiment.resolve_method("auto") == ("vader-window", None)
    assert sentiment.scorer_note(None)[0].startswith("VADER ±10-word window")


SHIPPED_META = sentiment.SHIPPED_DIR / "meta.json"


def test_shipped_model_format_is_current():
    """Fails when the code reads a newer model format than the shipped artifact was written in
    (retrain with ``python -m helpers train targets --ship``)."""
    meta = json.loads(SHIPPED_META.read_text(encoding="utf-8"))
    assert meta["format_version"] == artifacts.FORMAT_VERSION, (
        f"helpers/models/targets is format {meta['format_version']}, the code reads {artifacts.FORMAT_VERSION}: "
        "retrain it with python -m helpers train targets --ship")
    assert meta["kind"] == "target-sentiment-light"


def test_shipped_model_is_the_package_defaults_with_a_card_and_no_paths():
    """The shipped file was trained with the settings the code calls the defaults (else reship),
    on NewsMTSC train (hash recorded), with its cross-validated score; small; no absolute paths."""
    meta = json.loads(SHIPPED_META.read_text(encoding="utf-8"))
    defaults = sentiment.TargetSentimentClassifier().describe()
    assert meta["model"] == defaults
    training = meta["training"]
    assert training["data"].startswith("NewsMTSC train.jsonl") and training["n_targets"] == 8739
    assert len(training["sha256"]) == 64 and training["command"] == "python -m helpers train targets --ship"
    assert len(meta["cv_on_train"]["folds"]) == 5 and 0.5 < meta["cv_on_train"]["mean"] < 0.9
    card = (sentiment.SHIPPED_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    for words in ("NewsMTSC", "MIT", "Hamborg & Donnay", "EACL 2021", "docs/VALIDATION.md", "Known limits",
                  f"{meta['cv_on_train']['mean']:.3f}"):
        assert words in card
    size = sum(f.stat().st_size for f in sentiment.SHIPPED_DIR.iterdir())
    assert size < 2_500_000
    text_all = SHIPPED_META.read_text(encoding="utf-8") + card
    assert "/work/" not in text_all and "/home/" not in text_all and str(Path.home()) not in text_all


def test_shipped_model_gets_plain_cases_right():
    """A shipped file whose vocabulary and coefficients were misaligned would fail these."""
    model = sentiment.load_target_model(sentiment.SHIPPED_DIR)
    frame = _toy_training(("Tokyo", "Beijing"))
    frame = frame[~frame["sentence"].str.startswith("Officials")]
    assert model.predict(frame).tolist() == frame["polarity"].tolist()


def test_shipped_model_predicts_on_the_seed_without_eval_data(tmp_path):
    """As a user would run it: no ../shared/eval, no models/ folder -> the shipped model."""
    script = textwrap.dedent("""
        import json
        from helpers import config, sentiment, text
        from helpers.corpus import load_corpus
        assert config.eval_path() is None
        model = sentiment.load_target_model()
        units = text.units(load_corpus(config.DATA_RAW).corpus, "sentence")
        tone = sentiment.entity_sentiment(sentiment.find_mentions(units), model=model)
        print(json.dumps({"source": model.origin_["source"], "methods": sorted(set(tone["method"])),
                          "n": len(tone), "polarity": sorted(set(tone["polarity"].tolist())),
                          "scores": bool(tone["p_pos_minus_p_neg"].between(-1, 1).all()),
                          "scorer": sentiment.scorer_note(model)[0]}))
    """)
    env = {**os.environ, "COVERAGE_LAB_EVAL": str(tmp_path / "missing"),
           "COVERAGE_LAB_MODELS": str(tmp_path / "no_models")}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["source"] == "shipped" and out["methods"] == ["light"] and out["scores"]
    assert out["n"] >= 10 and set(out["polarity"]) <= {-1, 0, 1}
    assert out["scorer"].startswith("shipped light target model")


def test_entity_sentiment_keeps_lexicon_and_model_scales_apart():
    """Old behaviour: one ``score`` column held VADER compound without a model and
    P(pos) - P(neg) with one, so tables of the two were averaged as if one scale."""
    m = sentiment.find_mentions(
        pd.DataFrame(
            {
                "unit_id": ["d:s0", "d:s1"],
                "doc_id": ["d", "d"],
                "text": [
                    "Critics condemned Tokyo for the reckless provocation.",
                    "Beijing will hold a meeting on Tuesday.",
                ],
            }
        )
    )
    base = sentiment.entity_sentiment(m)
    assert "score" not in base.columns
    assert base["method"].unique().tolist() == ["vader-window"]
    assert base["label"].tolist() == ["negative", "neutral"]
    assert base["p_pos_minus_p_neg"].isna().all()
    assert base["compound_window"].tolist() == sentiment.vader_target_scores(m)["score"].tolist()
    model = sentiment.train_target_model(_toy_training(), kind="light")
    trained = sentiment.entity_sentiment(m, model=model)
    assert trained["method"].unique().tolist() == ["light"]
    assert trained["polarity"].tolist() == [-1, 0]
    proba = model.predict_proba(m)
    assert trained["p_pos_minus_p_neg"].to_numpy() == pytest.approx(proba[:, 2] - proba[:, 0])
    assert trained["compound_window"].tolist() == base["compound_window"].tolist()
    assert sentiment.entity_sentiment(m.iloc[0:0]).empty


def test_sample_for_coding_is_stratified_and_seeded():
    m = pd.DataFrame(
        {
            "mention_id": [f"m{i}" for i in range(30)],
            "sentence": ["s"] * 30,
            "mention": ["x"] * 30,
            "from": [0] * 30,
            "to": [1] * 30,
            "target": ["A"] * 25 + ["B"] * 5,
        }
    )
    s = sentiment.sample_for_coding(m, n=10)
    assert len(s) == 10 and (s["target"] == "B").sum() == 5
    assert s["polarity"].isna().all()
    assert s.equals(sentiment.sample_for_coding(m, n=10))


CODING_TEXTS = {  # sentence -> (hand code, or None = left uncoded); VADER ±10 words says -1, 0, 1, -1, 0
    "Critics condemned Tokyo for the reckless provocation.": -1,
    "Beijing will hold a meeting on Tuesday.": 0,
    "Analysts praised NATO for a wise and generous offer.": 0,
    "Critics condemned Pyongyang for the reckless provocation.": -1,
    "Washington will hold talks on Friday.": None,
}


def test_coding_sheet_round_trip_scores_like_validate_targets(tmp_path, capsys, monkeypatch):
    """Write the sheet, code it (as a coder would, by editing the file), read it back and score
    it through ``validate targets SHEET`` without ``--train``: with no model of the user's, that
    is the shipped model (and the output says so); ``--method vader-window`` is the VADER window,
    which gets 3 of the 4 coded mentions right (macro-F1 (1 + 2/3 + 0) / 3)."""
    monkeypatch.setattr(model_files, "MODELS_DIR", tmp_path / "no_user_models")
    texts = list(CODING_TEXTS)
    units = pd.DataFrame({"unit_id": [f"d{i}:s0" for i in range(5)], "doc_id": [f"d{i}" for i in range(5)],
                          "text": texts})
    mentions = sentiment.find_mentions(units)
    assert len(mentions) == 5
    sheet = sentiment.write_coding_sheet(sentiment.sample_for_coding(mentions, n=5), tmp_path / "sheet.jsonl")
    rows = [json.loads(line) for line in sheet.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 5 and all(r["polarity"] is None for r in rows)
    for r in rows:
        r["polarity"] = CODING_TEXTS[r["sentence"]]
    sheet.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    assert validate_main([str(sheet), "--n-boot", "50"]) == 0
    shipped = json.loads(capsys.readouterr().out)
    assert (shipped["method"], shipped["model_source"], shipped["n"]) == ("light", "shipped", 4)
    assert shipped["scorer"].startswith("shipped light target model (helpers/models/targets")
    assert shipped["recorded_validation"] == sentiment.scorer_note(sentiment.load_target_model())[1]
    assert shipped["model"] == sentiment.load_target_model().describe()

    assert validate_main([str(sheet), "--method", "vader-window", "--n-boot", "50"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "vader-window" and out["model_source"] == "none"
    assert (out["n"], out["n_uncoded"]) == (4, 1)
    assert out["accuracy"] == pytest.approx(3 / 4)
    assert out["macro_f1"] == pytest.approx((1 + 2 / 3 + 0) / 3)
    assert out["n_sentences"] == 4 and "over sentences" in out["interval"]
    direct = sentiment.score_coded_file(sheet, method="vader-window", n_boot=50)
    assert {k: direct[k] for k in ("n", "accuracy", "macro_f1", "confusion")} == {
        k: out[k] for k in ("n", "accuracy", "macro_f1", "confusion")}
    no_model = tmp_path / "no_saved_model"
    assert validate_main([str(sheet), "--model", str(no_model)]) == 2  # an explicit folder must hold one
    assert "holds no target model" in capsys.readouterr().err

    for r in rows:
        r["polarity"] = None
    sheet.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert validate_main([str(sheet), "--method", "vader-window"]) == 2
    assert "no codes" in capsys.readouterr().err


def test_macro_f1_matches_sklearn():
    rng = np.random.default_rng(1)
    for _ in range(50):
        n = int(rng.integers(1, 40))
        y, p = rng.choice([-1, 0, 1], n), rng.choice([-1, 0, 1], n)
        want = f1_score(y, p, labels=[-1, 0, 1], average="macro", zero_division=0)
        assert sentiment.macro_f1(y, p) == pytest.approx(want)


def _second_mentions(frame):
    """Add the second mention of each "Officials said X ..., but X stayed calm." sentence: two
    targets in one sentence, as in NewsMTSC."""
    two = frame[frame["sentence"].str.startswith("Officials said")].copy()
    two["from"] = [s.rindex(m) for s, m in zip(two["sentence"], two["mention"], strict=True)]
    two["to"] = two["from"] + two["mention"].str.len()
    return pd.concat([frame, two], ignore_index=True)


def test_sentence_folds_keep_a_sentence_and_its_copies_together():
    """Targets of one sentence (and copies differing in case or punctuation) share a fold."""
    train = _second_mentions(pd.concat([_toy_training(), _toy_training(TOY_HELD_OUT)], ignore_index=True))
    copies = train.assign(sentence=train["sentence"].str.upper().str.rstrip("."))
    frame = pd.concat([train, copies], ignore_index=True)
    folds = sentiment.sentence_folds(frame, n_splits=4)
    key = frame["sentence"].str.lower().str.rstrip(".")
    assert pd.Series(folds).groupby(key.to_numpy()).nunique().max() == 1
    assert pd.Series(key).value_counts().max() == 4  # two targets of one sentence, each with a copy
    assert set(folds) == {0, 1, 2, 3}
    assert (sentiment.sentence_folds(frame, n_splits=4) == folds).all()  # seeded


def test_tune_light_model_picks_the_best_cross_validated_setting():
    train = pd.concat([_toy_training(), _toy_training(TOY_HELD_OUT)], ignore_index=True)
    sets = {"masked": ("masked",), "all": ("masked", "context", "role", "lexicon")}
    chosen, table = sentiment.tune_light_model(
        train, feature_sets=sets, grid_c=(0.5, 2.0), grid_window=(2, 4), n_splits=3
    )
    assert len(table) == 2 + 2 * 2  # window only varies where context words are used
    best = table.loc[table["cv_macro_f1"].idxmax()]
    assert chosen["C"] == best["C"] and chosen["features"] == sets[best["features"]]
    assert table["cv_macro_f1"].between(table["fold_min"], table["fold_max"]).all()
    ablation = sentiment.cv_ablation(table)
    assert ablation["features"].tolist() == ["masked", "all"]


def _write_jsonl(frame, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_json(path, orient="records", lines=True)
    return path


def test_validation_records_score_the_locked_sets_by_sentence(tmp_path):
    """On a made-up eval folder: every record is on a locked set, counts sentences as units and
    targets as items, shows the majority class of the TRAIN labels and the lexicon baseline."""
    folder = tmp_path / "newsmtsc"
    train = _toy_training()
    train = pd.concat([train, train[train["polarity"] == -1]], ignore_index=True)  # majority: negative
    _write_jsonl(train, folder / "train.jsonl")
    held = _second_mentions(_toy_training(TOY_HELD_OUT))  # 10 targets in 8 sentences
    _write_jsonl(held, folder / "dev_rw.jsonl")
    _write_jsonl(held.iloc[:4], folder / "dev_mt.jsonl")
    records = sentiment.validation_records(tmp_path, n_boot=50)
    by = {(r.method, r.dataset): r for r in records}
    assert {r.dataset for r in records} == {"NewsMTSC dev_rw", "NewsMTSC dev_mt"}
    assert {r.part for r in records} == {"locked"} and {r.measure for r in records} == {"target_sentiment"}
    light = by[("light model (default)", "NewsMTSC dev_rw")]
    assert (light.unit, light.n_units, light.n_items) == ("sentence", 8, 10)
    names = [b["name"] for b in light.baselines]
    assert names == ["majority class (negative, from train)", "VADER ±10 words"]
    y = held["polarity"].to_numpy()
    assert light.baselines[0]["score"] == pytest.approx(sentiment.macro_f1(y, np.full(len(y), -1)))
    assert [b["name"] for b in by[("VADER ±10 words", "NewsMTSC dev_rw")].baselines] == names[:1]
    assert light.details["settings"]["C"] == sentiment.TargetSentimentClassifier().C
    assert light.data_files == ["newsmtsc/train.jsonl", "newsmtsc/dev_rw.jsonl"]
    # the record is about the shipped file: its arrays are hashed (a retrained model marks it stale) and
    # it says the shipped model was not trained on this made-up train.jsonl
    assert light.resources == ["../models/targets/arrays.npz"]
    assert (RESOURCES / light.resources[0]).resolve() == (sentiment.SHIPPED_DIR / "arrays.npz").resolve()
    assert light.details["settings"]["artifact"] == "helpers/models/targets"
    assert "NOT trained on this train.jsonl" in light.notes
    shipped = sentiment.load_target_model(sentiment.SHIPPED_DIR)
    assert light.score == pytest.approx(sentiment.macro_f1(y, shipped.predict(held)))
    assert by[("VADER ±10 words", "NewsMTSC dev_rw")].resources == []
    assert "embedding" in light.notes or any("embedding" in r.method for r in records)


# ------------------------------------------------------------------------------ command line


def test_validate_and_train_main(tmp_path, capsys):
    train_path = _write_jsonl(_toy_training(), tmp_path / "toy_train.jsonl")
    held_path = _write_jsonl(_toy_training(TOY_HELD_OUT), tmp_path / "toy_held_out.jsonl")
    assert validate_main([str(held_path), "--method", "vader-window", "--n-boot", "50"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "vader-window" and {"accuracy", "macro_f1", "per_class"} <= set(out)
    assert set(out["per_class"]) == {"-1", "0", "1"}
    assert validate_main([str(held_path), "--train", str(train_path), "--n-boot", "50"]) == 0
    fitted = json.loads(capsys.readouterr().out)
    assert fitted["method"] == "light" and fitted["n"] == 8
    model_dir = tmp_path / "model"
    assert train_main(["--train", str(train_path), "--out", str(model_dir)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (model_dir / "meta.json").is_file() and out["n_train"] == 16 and "dev" not in out
    assert not (model_dir / "model.joblib").exists() and out["cv_score_on_train"] is None
    assert validate_main([str(held_path), "--model", str(model_dir), "--n-boot", "50"]) == 0
    saved = json.loads(capsys.readouterr().out)
    assert saved["method"] == "light" and saved["macro_f1"] == fitted["macro_f1"]
    assert validate_main([str(tmp_path / "missing.jsonl")]) == 2
    assert "missing.jsonl" in capsys.readouterr().err


def test_train_main_cv_reports_grid_and_fits_the_choice(tmp_path, capsys):
    both = pd.concat([_toy_training(), _toy_training(TOY_HELD_OUT)], ignore_index=True)
    train_path = _write_jsonl(both, tmp_path / "toy.jsonl")
    assert train_main(["--train", str(train_path), "--out", str(tmp_path / "m"), "--cv"]) == 0
    out = json.loads(capsys.readouterr().out)
    cv = out["cv_on_train"]
    assert len(cv["grid"]) == 33 and len(cv["ablation"]) == 5
    assert (out["C"], out["window"], out["features"]) == (
        cv["settings"]["C"], cv["settings"]["window"], cv["settings"]["features"])
    assert train_main(["--train", str(train_path), "--kind", "embedding", "--cv"]) == 2


def test_ablation_adopts_a_change_only_beyond_its_standard_error(tmp_path, capsys):
    both = pd.concat([_toy_training(), _toy_training(TOY_HELD_OUT)], ignore_index=True)
    final, steps = sentiment.cv_steps(both)
    assert steps["step"].tolist() == ["start: package defaults"] + [n for n, _ in tuning.ABLATION_STEPS]
    body = steps.iloc[1:]
    assert (body["adopted"] == (body["gain"] > body["se"])).all()
    expected = {k: getattr(sentiment.TargetSentimentClassifier(), k) for k in
                ("C", "window", "dense_weight", "features", "class_weight", "ngram_max")}
    for (_, change), adopted in zip(tuning.ABLATION_STEPS, body["adopted"], strict=True):
        expected = tuning._apply(expected, change) if adopted else expected
    assert final == {**expected, "features": tuple(expected["features"])}
    train_path = _write_jsonl(both, tmp_path / "toy.jsonl")
    assert train_main(["--train", str(train_path), "--out", str(tmp_path / "m"), "--ablation"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["cv_on_train"]["steps"]) == len(steps)
    assert out["cv_score_on_train"]["folds"] and out["features"] == list(final["features"])
    ok, _ = sentiment.embeddings_available()
    assert ("not tried" in out["cv_on_train"]["embedding"]) is not ok
    card = (tmp_path / "m" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "chosen by sentence-grouped cross-validation on toy.jsonl" in card


@pytest.mark.slow
def test_notebook_20_without_eval_names_the_shipped_model(tmp_path):
    """A user's machine: no evaluation data, no models/ -> the page and its findings name the
    shipped model and its recorded validation, with no absolute path."""
    env = {**os.environ, "COVERAGE_LAB_EVAL": str(tmp_path / "missing"),
           "COVERAGE_LAB_MODELS": str(tmp_path / "no_models")}
    out = tmp_path / "report"
    done = subprocess.run([sys.executable, "-m", "helpers", "report", "--only", "20", "--out", str(out)],
                          env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    findings = json.loads(next(out.rglob("findings.json")).read_text(encoding="utf-8"))
    target = [f for f in findings["findings"] if f["text"].startswith("Tone toward")]
    assert target and all(f["method"].startswith("shipped light target model") for f in target)
    want = validation_note("target_sentiment", method="light model (default)", dataset="dev_rw")
    assert all(f["validation"] == want for f in target)
    page = next(p for p in out.rglob("*.html") if "20" in p.name).read_text(encoding="utf-8")
    assert "Target scorer:</strong> shipped light target model" in page
    assert str(tmp_path) not in page and "/work/" not in page


# ------------------------------------------------------------------------------ embeddings (optional)


def test_minilm_encoder_is_target_aware():
    pytest.importorskip("torch", reason="torch is in the optional 'embeddings' extra")
    ok, why = sentiment.embeddings_available()
    if not ok:
        pytest.skip(why)
    enc = _MiniLM()
    s = "Japan accused China of provocations."
    frame = pd.DataFrame({"sentence": [s, s], "from": [0, 14], "to": [5, 19]})
    vecs = enc.encode(frame)
    assert vecs.shape == (2, 3 * 384)
    assert np.allclose(vecs[0, :384], vecs[1, :384], atol=1e-5)  # same sentence mean
    assert not np.allclose(vecs[0, 384:768], vecs[1, 384:768])  # different mention vectors


# ------------------------------------------------------------------------------ plots


def test_plots_return_figures_and_handle_empty(tmp_path):
    from helpers.plots import save_figure
    from helpers.plots import sentiment as sp

    scores = vader_scores(
        pd.DataFrame({"doc_id": ["a", "b"], "text": ["Good. Bad news.", "Calm day."]})
    )
    agg = aggregate_sentiment(scores.assign(outlet=["X", "Y"]), "outlet", n_boot=50)
    mentions = pd.DataFrame({"mention_id": ["m1", "m2", "m3"], "doc_id": ["a", "a", "b"],
                             "target": ["China"] * 3, "polarity": [-1, 0, 1],
                             "p_pos_minus_p_neg": [-0.6, 0.1, 0.5]})
    tgt = aggregate_sentiment(mentions, "target", value="p_pos_minus_p_neg", n_boot=50)
    rep = validation_report([1, 0, -1], [1, 0, 0], labels=[-1, 0, 1], n_boot=20)
    figs = [
        sp.plot_tone_distribution(scores),
        sp.plot_tone_distribution(scores.iloc[0:0]),
        sp.plot_group_tone(agg, "outlet"),
        sp.plot_group_tone(agg.iloc[0:0], "outlet"),
        sp.plot_target_tone(tgt),
        sp.plot_target_tone(tgt.iloc[0:0]),
        sp.plot_confusion(rep),
        sp.plot_tone_over_position(scores.assign(position=[0, 1])),
    ]
    for i, fig in enumerate(figs):
        paths = save_figure(fig, f"f{i}", tmp_path, table=agg)
        assert paths["png"].stat().st_size > 0
    assert figs[6].axes[0].get_ylabel() == "hand label"
    assert "compound" in figs[2].axes[0].get_xlabel()  # the axis names the score it shows
    assert "p_pos_minus_p_neg" in figs[4].axes[0].get_yticklabels()[0].get_text()
    assert figs[4].axes[0].get_xlabel() == "share of mentions"


def test_finetuned_model_trains_saves_and_loads(tmp_path):
    pytest.importorskip("torch", reason="torch is in the optional 'embeddings' extra")
    ok, why = sentiment.embeddings_available()
    if not ok:
        pytest.skip(why)
    train = _toy_training()
    model = sentiment.FineTunedTargetClassifier(epochs=1, batch_size=10)
    model.fit(train, train["polarity"], log=None)
    proba = model.predict_proba(train.head(4))
    assert proba.shape == (4, 3) and np.allclose(proba.sum(1), 1, atol=1e-5)
    folder = sentiment.save_target_model(model, tmp_path / "ft")
    loaded = sentiment.load_target_model(folder)
    assert isinstance(loaded, sentiment.FineTunedTargetClassifier)
    assert np.allclose(loaded.predict_proba(train.head(4)), proba, atol=1e-5)


def test_embedding_model_fits_and_round_trips(tmp_path):
    pytest.importorskip("torch", reason="torch is in the optional 'embeddings' extra")
    ok, why = sentiment.embeddings_available()
    if not ok:
        pytest.skip(why)
    train = _toy_training()
    model = sentiment.train_target_model(train, kind="embedding")
    proba = model.predict_proba(train)
    assert proba.shape == (len(train), 3) and np.allclose(proba.sum(1), 1)
    folder = sentiment.save_target_model(model, tmp_path / "emb")
    loaded = sentiment.load_target_model(folder)
    assert loaded.describe()["kind"] == "embedding"
    assert np.allclose(loaded.predict_proba(train), proba, atol=1e-6)
