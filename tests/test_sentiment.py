"""Tests for helpers.sentiment, its commands (helpers.cli.targets) and helpers.plots.sentiment."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score, f1_score
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from helpers import sentiment, text
from helpers.cli.targets import train_main, validate_main
from helpers.config import RESOURCES
from helpers.sentiment import (
    SentimentDictionary,
    VaderScorer,
    aggregate_sentiment,
    dictionary_scores,
    driver_terms,
    evidence,
    load_dictionary,
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


def test_aggregate_sentiment_clusters_by_document():
    t = pd.DataFrame(
        {
            "doc_id": ["a", "a", "a", "b", "c"],
            "outlet": ["X", "X", "X", "X", "Y"],
            "compound": [0.9, 0.9, 0.9, -0.1, 0.2],
            "polarity": [1, 1, 1, -1, 1],
        }
    )
    agg = aggregate_sentiment(t, "outlet", n_boot=300).set_index("outlet")
    assert agg.loc["X", "mean"] == pytest.approx(0.4)  # mean of document means, not of sentences
    assert agg.loc["X", "n_docs"] == 2 and agg.loc["X", "n_units"] == 4
    assert agg.loc["X", "ci_low"] <= 0.4 <= agg.loc["X", "ci_high"]
    assert agg.loc["Y", "ci_low"] == agg.loc["Y", "ci_high"] == pytest.approx(0.2)
    assert agg.loc["X", "share_negative"] == pytest.approx(0.25)
    flat = aggregate_sentiment(t, "outlet", cluster=None, n_boot=300).set_index("outlet")
    assert flat.loc["X", "mean"] == pytest.approx(0.65)
    again = aggregate_sentiment(t, "outlet", n_boot=300)
    assert again.equals(aggregate_sentiment(t, "outlet", n_boot=300))  # seeded
    with pytest.raises(ValueError, match="date"):
        aggregate_sentiment(t, "date")


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


def _toy_training():
    rows = []
    for who in ["Japan", "China", "NATO", "Seoul", "Obama"]:
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


def test_light_model_fit_predict_save_load(tmp_path):
    train = _toy_training()
    model = sentiment.train_target_model(train, kind="light")
    assert (model.predict(train) == train["polarity"].to_numpy()).mean() > 0.9
    proba = model.predict_proba(train)
    assert proba.shape == (len(train), 3) and np.allclose(proba.sum(1), 1)
    folder = sentiment.save_target_model(model, tmp_path / "m")
    assert json.loads((folder / "model.json").read_text())["kind"] == "light"
    loaded = sentiment.load_target_model(folder)
    assert (loaded.predict(train) == model.predict(train)).all()
    assert sentiment.load_target_model(tmp_path / "empty") is None
    with pytest.raises(ValueError, match="unknown feature"):
        sentiment.TargetSentimentClassifier(features=("nope",)).fit(train, train["polarity"])


def test_entity_sentiment_with_and_without_model():
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
    assert base["method"].unique().tolist() == ["vader-window"]
    assert base["label"].tolist() == ["negative", "neutral"]
    model = sentiment.train_target_model(_toy_training(), kind="light")
    trained = sentiment.entity_sentiment(m, model=model)
    assert trained["method"].unique().tolist() == ["light"]
    assert trained["polarity"].tolist() == [-1, 0]
    assert trained["score"].between(-1, 1).all()
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


def test_light_model_on_newsmtsc_dev(eval_dir):
    train = sentiment.read_newsmtsc(eval_dir / "newsmtsc" / "train.jsonl")
    dev = sentiment.read_newsmtsc(eval_dir / "newsmtsc" / "dev_rw.jsonl")
    model = sentiment.train_target_model(train, kind="light")
    rep = validation_report(
        dev["polarity"].astype(int), model.predict(dev), labels=[-1, 0, 1], n_boot=50
    )
    base = sentiment.vader_target_scores(dev, window=10)
    base_rep = validation_report(
        dev["polarity"].astype(int), base["polarity"], labels=[-1, 0, 1], n_boot=50
    )
    assert rep["macro_f1"] > 0.65  # recorded 0.70; the lexicon baseline is about 0.50
    assert rep["macro_f1"] > base_rep["macro_f1"] + 0.1


# ------------------------------------------------------------------------------ command line


def test_validate_and_train_main(tmp_path, capsys):
    train = _toy_training()
    path = tmp_path / "toy.jsonl"
    train.to_json(path, orient="records", lines=True)
    assert validate_main([str(path), "--method", "vader-window", "--n-boot", "50"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "vader-window" and {"accuracy", "macro_f1", "per_class"} <= set(out)
    assert set(out["per_class"]) == {"-1", "0", "1"}
    assert validate_main([str(path), "--train", str(path), "--n-boot", "50"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "light" and out["macro_f1"] > 0.9
    model_dir = tmp_path / "model"
    assert (
        train_main(["--train", str(path), "--out", str(model_dir), "--dev", str(path)])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert (model_dir / "model.json").is_file() and out["dev"]["macro_f1"] > 0.9
    assert validate_main([str(path), "--model", str(model_dir), "--n-boot", "50"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "light"
    assert validate_main([str(tmp_path / "missing.jsonl")]) == 2
    assert "missing.jsonl" in capsys.readouterr().err


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
    tgt = pd.DataFrame(
        {
            "target": ["China"],
            "n_units": [3],
            "share_negative": [0.5],
            "share_positive": [0.2],
            "mean": [-0.2],
        }
    )
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
    assert (model.predict(train) == train["polarity"].to_numpy()).mean() > 0.9
    folder = sentiment.save_target_model(model, tmp_path / "emb")
    loaded = sentiment.load_target_model(folder)
    assert loaded.describe()["kind"] == "embedding"
    assert np.allclose(loaded.predict_proba(train), proba, atol=1e-6)
