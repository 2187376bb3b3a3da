"""Frame dictionaries, indicator battery, naming, supervised classifier and validation."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from helpers import framing
from helpers.cli.frames import train_main, validate_main
from helpers.framing import (
    FrameClassifier,
    Matcher,
    dominant_frame,
    frame_matches,
    frame_scores,
    indicator_answers,
    indicator_scores,
    load_dictionary,
    load_naming,
    naming_mentions,
    naming_summary,
    read_labelled,
)


def _corpus(*texts, outlets=None):
    return pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(len(texts))],
            "text": list(texts),
            "outlet": outlets or ["A"] * len(texts),
        }
    )


# ---- dictionaries ---------------------------------------------------------------------------


@pytest.mark.parametrize("scheme, n", [("generic", 5), ("policy", 15), ("territorial", 6)])
def test_shipped_schemes_load_with_documented_categories(scheme, n):
    d = load_dictionary(scheme)
    assert len(d.categories) == n
    for key, terms in d.categories.items():
        assert d.meta[key].get("label"), f"{scheme}/{key} has no label"
        if key != "other":
            assert len(terms) >= 10, f"{scheme}/{key} has only {len(terms)} entries"
    header = open(d.source, encoding="utf-8").read().split("\n", 12)
    assert any("Where the categories come from" in line for line in header)


def test_globs_phrases_possessives_and_longest_match():
    m = Matcher({"a": ["secur*", "war of words", "china", "east china sea"]})
    found = m.find("Security fears: a war of words over China's claims in the East China Sea.")
    assert [x["term"] for x in found] == ["Security", "war of words", "China's", "East China Sea"]


def test_negation_is_reported_and_excluded():
    c = _corpus("There is no conflict here. A bitter conflict there.")
    m = frame_matches(c, "generic")
    conflict = m[m["frame"] == "conflict"]
    assert conflict["negated"].tolist() == [True, False]
    assert conflict["negator"].tolist() == ["no", ""]
    s = frame_scores(c, "generic").set_index("frame")
    assert s.loc["conflict", "n_matches"] == 1 and s.loc["conflict", "n_negated"] == 1
    s2 = frame_scores(c, "generic", negation=False).set_index("frame")
    assert s2.loc["conflict", "n_matches"] == 2


def test_scores_per_1000_and_evidence_at_every_level():
    c = _corpus("The dispute escalated.\n\nTaxes and costs rose. Costs again.")
    for level, n_units in [("document", 1), ("paragraph", 2), ("sentence", 3)]:
        s = frame_scores(c, "generic", level=level)
        assert s["unit_id"].nunique() == n_units
        assert set(s["frame"]) == set(load_dictionary("generic").categories)
    d = frame_scores(c, "generic").set_index("frame")
    assert d.loc["economic", "n_matches"] == 3
    assert d.loc["economic", "per_1000"] == pytest.approx(1000 * 3 / 9)
    assert d.loc["economic", "evidence"].split("; ")[0] == "costs"
    top = dominant_frame(frame_scores(c, "generic", level="paragraph"))
    assert top["frame"].tolist() == ["conflict", "economic"]


def test_user_yaml_project_and_quanteda_layouts(tmp_path):
    q = tmp_path / "lsd.yml"
    q.write_text(
        'negative:\n  - bad*\n  - "not good"\nnested:\n  inner:\n    - calm\n', encoding="utf-8"
    )
    d = load_dictionary(q)
    assert set(d.categories) == {"negative", "nested.inner"}
    s = frame_scores(_corpus("Badly done, calm down."), d).set_index("frame")
    assert s.loc["negative", "n_matches"] == 1 and s.loc["nested.inner", "n_matches"] == 1
    p = tmp_path / "mine.yml"
    p.write_text(
        "name: mine\ncategories:\n  blame:\n    label: Blame\n    terms: [blam*, fault]\n",
        encoding="utf-8",
    )
    d2 = load_dictionary(p)
    assert d2.name == "mine" and d2.label("blame") == "Blame"


def test_bad_dictionary_errors_name_the_file(tmp_path):
    p = tmp_path / "bad.yml"
    p.write_text("categories:\n  x:\n    label: no terms\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.yml.*'terms:'"):
        load_dictionary(p)
    with pytest.raises(FileNotFoundError, match="generic"):
        load_dictionary("nope-not-here.yml")


def test_seed_frames(seed_corpus):
    s = frame_scores(seed_corpus, "territorial").set_index("frame")
    assert s.loc["military_escalation", "n_matches"] >= 5
    assert "nato" in s.loc["alliance_seeking", "evidence"]
    assert s.loc["diplomacy_isolation", "n_matches"] >= 3
    g = frame_scores(seed_corpus, "generic").set_index("frame")
    assert g.loc["conflict", "per_1000"] > g.loc["morality", "per_1000"]


# ---- indicators -----------------------------------------------------------------------------


def test_indicator_answers_and_scores():
    c = _corpus(
        "Critics accused the government. Opponents and supporters disagree. "
        "It will cost taxpayers billions of dollars from the budget."
    )
    a = indicator_answers(c)
    assert set(a["frame"]) == set(framing.FRAME_CODES)
    ans = a.set_index("question_id")["answer"]
    assert ans["co1"] and ans["co2"] and ans["co3"] and not ans["co4"]
    assert ans["ec2"] and not ans["mo2"]
    s = indicator_scores(a).set_index("frame")
    assert s.loc["conflict", "score"] == pytest.approx(0.75)
    assert s.loc["conflict", "answers"].startswith("co1=yes co2=yes co3=yes co4=no")
    assert 0 <= s["score"].min() and s["score"].max() <= 1


# ---- naming ---------------------------------------------------------------------------------


def test_naming_order_voice_and_summary():
    c = _corpus(
        "The Senkaku Islands, called Diaoyu by China, are disputed. "
        'Beijing calls them the "Diaoyu Islands", Xinhua reported.',
        "The Diaoyu Islands again.",
        outlets=["Japan Times", "Global Times"],
    )
    m = naming_mentions(c)
    isl = m[m["concept"] == "islands"]
    assert isl["variant"].tolist() == ["senkaku", "diaoyu", "diaoyu", "diaoyu"]
    assert isl["voice"].tolist() == ["author", "author", "quote", "author"]
    s = naming_summary(m, c, by="outlet")
    jt = s[(s["outlet"] == "Japan Times") & (s["concept"] == "islands")].set_index("variant")
    assert jt.loc["senkaku", "n_first"] == 1 and jt.loc["diaoyu", "n_first"] == 0
    assert jt.loc["diaoyu", "n_mentions"] == 2 and jt.loc["diaoyu", "quote"] == 1
    assert jt["share_of_concept"].sum() == pytest.approx(1.0)


def test_seed_naming(seed_corpus):
    m = naming_mentions(seed_corpus)
    isl = m[m["concept"] == "islands"]
    assert set(isl["variant"]) == {"diaoyu"} and len(isl) == 2
    first = isl.iloc[0]
    assert first["voice"] == "attributed" and first["speaker"] == "Yomiuri Shimbun"
    forces = m[m["concept"] == "japanese_forces"]
    assert set(forces["variant"]) == {"self_defense_forces", "military"}
    assert load_naming().concepts["islands"]["senkaku"]["usage"].startswith("Japan")


# ---- supervised classifier ------------------------------------------------------------------


def _toy(n=40, seed=0):
    rng = np.random.default_rng(seed)
    conflict = [
        "rivals clash in bitter dispute",
        "opponents attack and accuse each other",
        "a fierce battle of critics",
    ]
    money = [
        "costs rise and taxes grow",
        "the economy loses billions of dollars",
        "jobs and budget cuts",
    ]
    texts, co, ec = [], [], []
    for _ in range(n):
        a, b = rng.random() < 0.5, rng.random() < 0.5
        parts = ["the report appeared today"]
        parts += [rng.choice(conflict)] if a else []
        parts += [rng.choice(money)] if b else []
        texts.append(". ".join(parts))
        co.append(int(a))
        ec.append(int(b))
    return texts, pd.DataFrame({"CO": co, "EC": ec})


def test_classifier_learns_multilabel_and_reports_features():
    texts, Y = _toy()
    clf = FrameClassifier(tune=False).fit(texts, Y)
    pred = clf.predict(["rivals clash and accuse each other", "taxes and costs rise"])
    assert pred.to_dict("list") == {"CO": [1, 0], "EC": [0, 1]}
    top = clf.top_features(5)
    assert set(top["frame"]) == {"CO", "EC"}
    assert (
        top[top["frame"] == "EC"]["feature"]
        .str.contains("cost|tax|econom|dollar|budget|jobs")
        .any()
    )
    units = clf.predict_units(_corpus("Rivals clash.\n\nTaxes rise."), level="paragraph")
    assert set(units.columns) >= {"unit_id", "frame", "probability", "predicted"}
    assert len(units) == 4


def test_read_labelled_repairs_and_reports(tmp_path):
    p = tmp_path / "art.tsv"
    p.write_text(
        "ID\ttext\tCO\tEC\tHI\tMO\tRE\n1\tA dispute.\tTrue\tFalse)\tFalse\tFalse\tTrue\n"
        "2\tNo labels here.\t\t\t\t\t\n3\tMoney talk.\tFalse\tTrue\tFalse\tFalse\tFalse\n",
        encoding="utf-8",
    )
    d = read_labelled(p)
    assert d.layout == "generic_frames" and len(d.texts) == 2
    assert d.labels["EC"].tolist() == [0, 1]
    assert any("False)" in n for n in d.notes) and any(
        "without usable labels" in n for n in d.notes
    )


def test_agreement_wrapper():
    from helpers.framing import coding_agreement

    a = pd.DataFrame({"CO": [1, 0, 1, 1], "EC": [0, 0, 1, 0]})
    b = pd.DataFrame({"CO": [1, 0, 1, 0], "EC": [0, 0, 1, 0]})
    r = coding_agreement(a, b).set_index("label")
    assert r.loc["EC", "cohen_kappa"] == pytest.approx(1.0)
    assert r.loc["CO", "percent_agreement"] == pytest.approx(0.75)
    assert -1 <= r.loc["CO", "krippendorff_alpha"] <= 1


def test_section_units_and_flow(seed_corpus):
    from helpers.framing import section_units

    su = section_units(seed_corpus)
    assert su["section"].tolist() == ["headline", "lead", "body"]
    assert su.iloc[0]["text"].startswith("Dangerous Crossroads")
    assert su.iloc[1]["text"].startswith("Japanese Prime Minister Shinzo Abe")
    flow = frame_scores(su, "territorial")
    assert set(flow["level"]) == {"section"}
    lead = flow[(flow["unit_id"].str.endswith(":l")) & (flow["frame"] == "alliance_seeking")]
    assert lead["n_matches"].iloc[0] >= 2  # NATO, closer ties
    # a text repeating its title as the first paragraph (BBC style) does not count it twice
    c = pd.DataFrame(
        {"doc_id": ["b"], "title": ["Row erupts"], "text": ["Row erupts\n\nFirst para.\n\nSecond."]}
    )
    assert section_units(c)["text"].tolist() == ["Row erupts", "First para.", "Second."]


def test_agreement_treats_int_and_float_codes_alike():
    from helpers.framing import coding_agreement

    r = coding_agreement(pd.DataFrame({"CO": [1, 0, 1]}), pd.DataFrame({"CO": [1.0, 0.0, 1.0]}))
    assert r["percent_agreement"].iloc[0] == 1.0


def test_train_then_score_and_saved_model(tmp_path, capsys):
    texts, Y = _toy(60)
    train, test = tmp_path / "train.csv", tmp_path / "test.csv"

    def lab(y):
        return [
            "conflict;money" if a and b else "conflict" if a else "money" if b else "none"
            for a, b in zip(y["CO"], y["EC"], strict=True)
        ]

    pd.DataFrame({"text": texts[:40], "label": lab(Y[:40])}).to_csv(train, index=False)
    pd.DataFrame({"text": texts[40:], "label": lab(Y[40:])}).to_csv(test, index=False)
    assert read_labelled(train).task == "multilabel"
    assert validate_main([str(test), "--train", str(train), "--quick", "--n-boot", "200"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["protocol"].startswith("trained on --train")
    assert out["trained"]["per_frame"]["conflict"]["f1"] > 0.8
    # the baselines come from the --train file, not from the scored file
    assert out["baselines"]["majority per frame"]["majority_from"] == "the --train file"
    model_path = tmp_path / "m"
    assert train_main([str(train), "--out", str(model_path), "--quick"]) == 0
    assert sorted(p.name for p in model_path.iterdir()) == [
        "MODEL_CARD.md",
        "arrays.npz",
        "meta.json",
    ]
    clf = FrameClassifier.load(model_path)
    assert clf.predict(["rivals clash and accuse each other"])["conflict"].iloc[0] == 1


# ---- scores, baselines, intervals -----------------------------------------------------------


def test_macro_f1_matches_scikit_learn_and_interval_brackets_it():
    from sklearn.metrics import f1_score

    from helpers.framing import score_multiclass, score_multilabel

    rng = np.random.default_rng(1)
    Y = rng.integers(0, 2, size=(80, 3))
    P = np.where(rng.random((80, 3)) < 0.7, Y, 1 - Y)
    s = score_multilabel(Y, P, ["A", "B", "C"], clusters=range(80), n_boot=300)
    assert s["macro_f1"] == pytest.approx(f1_score(Y, P, average="macro"))
    assert s["ci"][0] < s["macro_f1"] < s["ci"][1]
    y = rng.choice(["x", "y", "z"], 90)
    p = np.where(rng.random(90) < 0.6, y, "x")
    m = score_multiclass(y, p, ["x", "y", "z"], clusters=range(90), n_boot=300)
    assert m["macro_f1"] == pytest.approx(f1_score(y, p, average="macro"))
    assert m["accuracy"] == pytest.approx(np.mean(y == p))
    assert m["accuracy_ci"][0] < m["accuracy"] < m["accuracy_ci"][1]


def test_interval_resamples_clusters_not_rows():
    """Ten copies of each unit are one unit: the interval must be as wide as with one copy."""
    from helpers.framing import score_multilabel

    rng = np.random.default_rng(2)
    Y = rng.integers(0, 2, size=(30, 2))
    P = np.where(rng.random((30, 2)) < 0.7, Y, 1 - Y)
    one = score_multilabel(Y, P, ["A", "B"], clusters=range(30), n_boot=400)
    ten = score_multilabel(
        np.repeat(Y, 10, 0),
        np.repeat(P, 10, 0),
        ["A", "B"],
        clusters=np.repeat(np.arange(30), 10),
        n_boot=400,
    )
    rows = score_multilabel(
        np.repeat(Y, 10, 0), np.repeat(P, 10, 0), ["A", "B"], clusters=range(300), n_boot=400
    )
    width = lambda s: s["ci"][1] - s["ci"][0]  # noqa: E731
    assert width(ten) == pytest.approx(width(one), rel=0.25)
    assert width(rows) < 0.6 * width(ten)


def test_baselines_take_the_majority_from_the_training_labels():
    from helpers.framing.metrics import multilabel_baselines

    train = np.array([[1, 0]] * 6 + [[0, 1]] * 2)  # majority: A yes, B no
    test = np.array([[0, 1]] * 3 + [[1, 1]])  # A present once, B in every unit
    b = multilabel_baselines(train, test, ["A", "B"], clusters=range(4), n_boot=50)
    # majority from TRAIN: A always yes (F1 = 2*1/(2*1+3) = 0.4), B always no (F1 = 0)
    assert b["majority per frame"]["per_frame"]["A"]["f1"] == pytest.approx(0.4)
    assert b["majority per frame"]["per_frame"]["B"]["f1"] == 0.0
    # always-yes: F1 = 2p / (1 + p) per frame (p = prevalence in the scored units)
    assert b["always-yes"]["per_frame"]["A"]["f1"] == pytest.approx(2 * 0.25 / 1.25, abs=1e-3)
    assert b["always-yes"]["macro_f1"] == pytest.approx((0.4 + 1.0) / 2)


def test_validate_frames_cv_reports_baselines_and_intervals(tmp_path, capsys):
    texts, Y = _toy(50)
    p = tmp_path / "gen.tsv"
    Y.assign(text=texts, HI=0, MO=0, RE=Y["CO"]).to_csv(p, sep="\t", index=False)
    assert validate_main([str(p), "--cv", "--quick", "--folds", "3", "--n-boot", "200"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["layout"] == "generic_frames" and out["n"] == 50
    assert set(out["trained"]["per_frame"]) == {"CO", "EC", "HI", "MO", "RE"}
    for method in ("trained", "dictionary_only", "indicators_only"):
        lo, hi = out[method]["ci"]
        assert lo <= out[method]["macro_f1"] <= hi
    assert set(out["baselines"]) == {"always-yes", "majority per frame"}
    assert out["baselines"]["majority per frame"]["majority_from"] == "the training folds"
    assert out["trained"]["macro_f1"] > out["baselines"]["always-yes"]["macro_f1"]
    assert "repeats" not in out  # no spread over fold seeds: intervals are bootstraps
    assert validate_main([str(tmp_path / "missing.tsv")]) == 2


def test_validate_frames_multiclass_cross_validated(tmp_path):
    from helpers.framing import validate_frames

    texts, Y = _toy(60)
    p = tmp_path / "lab.csv"
    pd.DataFrame({"sentence": texts, "label": np.where(Y["CO"] == 1, "conflict", "other")}).to_csv(
        p, index=False
    )
    res = validate_frames(str(p), scheme="generic", folds=3, quick=True, n_boot=100, cv=True)
    assert res["task"] == "multiclass" and set(res["trained"]["per_frame"]) == {"conflict", "other"}
    assert res["trained"]["macro_f1"] > 0.8 > res["baselines"]["majority class"]["macro_f1"]
    assert 0 <= res["baselines"]["majority class"]["accuracy"] <= 1


# ---- validate on your own sample --------------------------------------------------------------


def test_coding_sheet_round_trip_scores_the_hand_computed_value(tmp_path, capsys):
    corpus = _corpus(
        "A bitter dispute between the rivals.",
        "Taxes and costs rose again.",
        "The weather was mild and sunny.",
        "Critics attacked him.",
    )
    sheet = framing.coding_sheet(corpus, "generic", n=None)
    assert list(sheet.columns[-5:]) == ["CO", "EC", "HI", "MO", "RE"]
    assert (sheet[["CO", "EC", "HI", "MO", "RE"]] == "").all().all() and len(sheet) == 4
    # the dictionary's first-match rule on these texts (checked, so the expected value is exact)
    hits = framing.frame_scores(corpus, "generic").query("n_matches > 0")
    assert set(zip(hits["doc_id"], hits["frame"], strict=True)) == {
        ("d0", "conflict"),
        ("d1", "economic"),
        ("d3", "conflict"),
    }
    # a coder's codes: conflict in d0 and d2 (d3's critics not coded), economic in d1 and d3
    codes = {"d0": (1, 0), "d1": (0, 1), "d2": (1, 0), "d3": (0, 1)}
    sheet["CO"] = [codes[d][0] for d in sheet["doc_id"]]
    sheet["EC"] = [codes[d][1] for d in sheet["doc_id"]]
    sheet[["HI", "MO", "RE"]] = 0
    path = framing.write_coding_sheet(sheet, tmp_path / "coded.csv")
    res = framing.score_coding(path, n_boot=100)
    # CO: predicted d0, d3; coded d0, d2 -> tp 1, fp 1, fn 1 -> F1 0.5
    # EC: predicted d1; coded d1, d3 -> tp 1, fn 1 -> F1 2/3; HI, MO, RE: never coded nor predicted
    assert res["dictionary_only"]["per_frame"]["CO"]["f1"] == pytest.approx(0.5)
    assert res["dictionary_only"]["per_frame"]["EC"]["f1"] == pytest.approx(0.667, abs=1e-3)
    assert res["dictionary_only"]["macro_f1"] == pytest.approx((0.5 + 2 / 3) / 2, abs=1e-4)
    # always-yes: CO and EC F1 2/3 each; HI, MO, RE predicted but never coded -> F1 0
    assert res["baselines"]["always-yes"]["macro_f1"] == pytest.approx(
        (2 / 3 + 2 / 3) / 5, abs=1e-4
    )
    assert "indicators_only" in res and res["protocol"].startswith("nothing fitted")
    # the command prints the same, and an uncoded row is dropped and reported
    sheet = sheet.astype({c: object for c in ["CO", "EC", "HI", "MO", "RE"]})
    sheet.loc[0, ["CO", "EC", "HI", "MO", "RE"]] = ""
    framing.write_coding_sheet(sheet, path)
    assert validate_main([str(path), "--no-classifier", "--n-boot", "50"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == 3 and any("without usable labels" in n for n in out["data_notes"])


def test_coding_sheet_for_other_schemes_has_one_label_column():
    sheet = framing.coding_sheet(_corpus("One.", "Two.", "Three."), "policy", n=2, seed=1)
    assert len(sheet) == 2 and sheet.columns[-1] == "label"
    assert sheet.attrs["codes"]["1"] == "Economic"


# ---- indicator thresholds and the locked protocol ---------------------------------------------


def test_indicator_thresholds_override_and_choice():
    from helpers.framing import choose_min_matches, cue_counts

    texts = ["A dispute.", "A dispute and a clash.", "Dispute, clash, conflict.", "Calm."]
    c = _corpus(*texts)
    a = indicator_answers(c, min_matches={"co1": 3})
    assert a[a["question_id"] == "co1"]["answer"].tolist() == [False, False, True, False]
    n = cue_counts(indicator_answers(c))
    assert n["co1"].tolist() == [1, 2, 3, 0]
    human = pd.DataFrame({"co1": [False, True, True, np.nan]}, index=n.index)
    assert choose_min_matches(n, human)["co1"] == 2


def _toy_articles(n=80, seed=3):
    texts, Y = _toy(n, seed)
    texts = [f"{t}. Story number {i}." for i, t in enumerate(texts)]
    Y = Y.assign(
        HI=[i % 5 == 0 for i in range(n)], MO=[i % 7 == 0 for i in range(n)], RE=Y["EC"]
    ).astype(int)
    from helpers.framing import Labelled

    return Labelled(
        pd.Series(texts),
        Y,
        "multilabel",
        "generic_frames",
        [],
        "toy",
        pd.DataFrame({"ID": [str(i) for i in range(n)]}),
    )


def test_locked_records_choose_everything_on_tune_only(monkeypatch):
    """Every fit and every threshold sees tune texts only; the scores are on the locked units."""
    from helpers.framing import classifier as clf_mod
    from helpers.framing import locked, tuning

    data = _toy_articles()
    parts = framing.parts_of(data)
    tune_texts = set(data.texts[parts == "tune"])
    seen: list[str] = []
    real_fit, real_lex = clf_mod.FrameClassifier.fit, tuning.lexicon_features

    def spy_fit(self, texts, labels):
        seen.extend(texts)
        return real_fit(self, texts, labels)

    def spy_lex(texts, *a, **k):
        seen.extend(texts)
        return real_lex(texts, *a, **k)

    monkeypatch.setattr(clf_mod.FrameClassifier, "fit", spy_fit)
    monkeypatch.setattr(tuning, "lexicon_features", spy_lex)
    quick = {
        "words only": {"use_lexicon": False, "tune": False},
        "words + dictionary": {"tune": False},
    }
    recs = locked.generic_frame_records(data, parts, n_boot=50, candidates=quick, folds=3)
    assert seen and set(seen) <= tune_texts
    n_locked = int((parts == "locked").sum())
    assert 0.3 * len(parts) < n_locked < 0.5 * len(parts)
    assert {r.method for r in recs} == {"trained classifier", "dictionary", "indicator rules"}
    for r in recs:
        assert r.part == "locked" and r.n_units == n_locked and r.unit == "article"
        assert {"always-yes", "majority per frame"} <= {b["name"] for b in r.baselines}
        assert r.ci[0] <= r.score <= r.ci[1]
    trained = next(r for r in recs if r.method == "trained classifier")
    assert "dictionary" in {b["name"] for b in trained.baselines}
    assert set(trained.details["tune_cv_macro_f1"]) == set(quick)


def test_indicator_records_set_thresholds_on_tune_answers():
    from helpers.framing import cue_counts
    from helpers.framing import locked as val

    n = 60
    k = [i % 4 for i in range(n)]  # 0-3 conflict cues per article
    texts = [" ".join(["A dispute."] * c) + f" Story {i}." for i, c in enumerate(k)]
    from helpers.framing import Labelled

    data = Labelled(
        pd.Series(texts),
        pd.DataFrame({"CO": [int(c > 0) for c in k]}),
        "multilabel",
        "generic_frames",
        [],
        "toy",
        pd.DataFrame({"ID": [str(i) for i in range(n)]}),
    )
    parts = framing.parts_of(data)
    # humans say yes from one cue on the tune articles, only from three on the locked ones
    need = np.where(parts == "tune", 1, 3)
    human = pd.DataFrame(
        {"co1": [c >= m for c, m in zip(k, need, strict=True)]}, index=data.meta["ID"]
    )
    recs, chosen = val.indicator_records(data, parts, human, n_boot=50)
    assert chosen["co1"] == 1  # the locked answers would have asked for 3
    counts = cue_counts(
        framing.indicator_answers(pd.DataFrame({"doc_id": data.meta["ID"], "text": texts}))
    )
    locked = (parts == "locked").to_numpy()
    expected = np.mean((counts["co1"].to_numpy()[locked] >= 1) == human["co1"].to_numpy()[locked])
    r = recs[0]
    assert r.measure == "frame_indicators" and r.part == "locked"
    assert r.details["per_question"]["co1"]["accuracy"] == pytest.approx(expected, abs=1e-3)
    assert {b["name"] for b in r.baselines} == {"majority answer (tune)", "always-yes"}


@pytest.mark.eval
def test_climate_split_and_shipped_cue_thresholds(climate_path):
    from helpers.framing import choose_min_matches, cue_counts, read_human_answers

    data = read_labelled(climate_path)
    parts = framing.parts_of(data)
    assert parts.equals(framing.parts_of(read_labelled(climate_path)))  # one split, every time
    keys = pd.Series([framing_key(t) for t in data.texts])
    assert keys[parts == "tune"].isin(keys[parts == "locked"]).sum() == 0  # copies in one part
    assert 0.35 < (parts == "locked").mean() < 0.45
    answers = climate_path.parent / "indicator_answers_dev.json"
    if not answers.exists():
        pytest.skip(f"{answers} not available")
    human = read_human_answers(answers)
    ids = data.meta["ID"].astype(str)
    tune_ids = ids[parts == "tune"].tolist()
    counts = cue_counts(
        framing.indicator_answers(pd.DataFrame({"doc_id": ids, "text": data.texts}))
    )
    chosen = choose_min_matches(counts.loc[tune_ids], human.loc[tune_ids])
    shipped = {
        q: spec.get("min_matches", 1)
        for qs in load_dictionary("generic").indicators.values()
        for q, spec in qs.items()
    }
    assert {q: shipped[q] for q in chosen} == chosen, (
        "frames_generic.yml min_matches must be the tune choice"
    )


def framing_key(text):
    from helpers.validation import text_key

    return text_key(text)


# ---- saved and shipped models (arrays + JSON, loading order) ----------------------------------

SHIPPED = {"generic": "frames_generic", "policy": "frames_policy"}


@pytest.mark.parametrize(
    "params",
    [{}, {"use_words": False}, {"use_lexicon": False}],
    ids=["words+dict", "dict", "words"],
)
def test_saved_classifier_predicts_identically(tmp_path, params):
    """Train on a toy sample, save (no pickle), load: the same probabilities, bit for bit."""
    texts, Y = _toy(60)
    Y = Y.assign(HI=0)  # a frame constant in training is kept too
    clf = FrameClassifier(tune=True, **params).fit(texts, Y)
    folder = clf.save(tmp_path / "m", "frames-custom")
    assert not list(folder.glob("*.pkl"))
    back = FrameClassifier.load(folder)
    new = [*texts[:10], "a bitter conflict about taxes", ""]
    assert np.array_equal(clf.predict_proba(new).to_numpy(), back.predict_proba(new).to_numpy())
    assert clf.predict(new).equals(back.predict(new))
    assert back.threshold_ == clf.threshold_ and back.C_ == clf.C_
    # multi-class too
    lab = pd.Series(np.where(Y["CO"] == 1, "conflict", "other"), name="label")
    mc = FrameClassifier(tune=False, **params).fit(texts, lab)
    mc_back = FrameClassifier.load(mc.save(tmp_path / "mc", "frames-custom"))
    assert np.array_equal(mc.predict_proba(new).to_numpy(), mc_back.predict_proba(new).to_numpy())


def test_model_folders_of_other_kinds_are_refused(tmp_path):
    from sklearn.linear_model import LogisticRegression

    from helpers.artifacts import ArtifactError, logistic_to_arrays, save_artifact

    lr = LogisticRegression().fit([[0.0], [1.0]], [0, 1])
    save_artifact(tmp_path / "t", "targets-light", logistic_to_arrays(lr, "lr"), {}, "card")
    with pytest.raises(ArtifactError, match="not a frame model"):
        FrameClassifier.load(tmp_path / "t")
    with pytest.raises(ArtifactError, match="no frame model"):
        FrameClassifier.load(tmp_path / "missing")


def test_loading_order_user_then_shipped_then_dictionary(tmp_path, monkeypatch, capsys):
    from helpers import artifacts
    from helpers.framing import store

    texts, Y = _toy(40)
    Y = Y.assign(HI=0, MO=0, RE=Y["CO"])
    shipped, user = tmp_path / "shipped", tmp_path / "user"
    monkeypatch.setattr(artifacts, "SHIPPED_MODELS", shipped)
    monkeypatch.setattr(store, "MODELS_DIR", user)
    assert framing.load_frame_model("generic").source == "none"
    FrameClassifier(tune=False).fit(texts, Y).save(shipped / "frames_generic", "frames-generic")
    assert framing.load_frame_model("generic").source == "shipped"
    # a user folder of an older format is skipped with the reason, not used
    FrameClassifier(tune=False).fit(texts, Y).save(user / "frames_generic", "frames-generic")
    meta = json.loads((user / "frames_generic" / "meta.json").read_text())
    (user / "frames_generic" / "meta.json").write_text(json.dumps({**meta, "format_version": 0}))
    fm = framing.load_frame_model("generic")
    assert (
        fm.source == "shipped"
        and "retrain" in fm.problems[0]
        and str(tmp_path) not in fm.problems[0]
    )
    # train frames FILE puts your model first (MODELS_DIR/frames_generic)
    p = tmp_path / "coded.tsv"
    Y.assign(text=texts).to_csv(p, sep="\t", index=False)
    assert train_main([str(p), "--quick"]) == 0
    capsys.readouterr()
    fm = framing.load_frame_model("generic")
    assert fm.source == "user" and "your file coded.tsv" in fm.describe()
    assert "not validated by the project" in fm.validation()
    # validate frames FILE (no --train, no --cv) scores that model, fitting nothing on FILE
    assert validate_main([str(p), "--n-boot", "50"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["model"]["source"] == "user" and out["protocol"].startswith("nothing fitted")
    # FILE is the model's own training file: the overlap is counted and flagged
    assert out["model"]["units_in_training_data"] == 40 and "flatter" in out["warning"]
    assert out["trained"]["macro_f1"] > out["baselines"]["always-yes"]["macro_f1"]
    assert out["baselines"]["majority per frame"]["majority_from"] == "the model's training labels"


def test_sentence_peaks_keep_their_columns_for_empty_batches():
    from helpers.framing import lexicon_features, sentence_peak_features

    full = sentence_peak_features(["A dispute. Costs rose."])
    assert list(sentence_peak_features(["", ""]).columns) == list(full.columns)
    assert (sentence_peak_features([""]).to_numpy() == 0).all()
    # a batch of empty texts does not change the names of the cached feature table
    names = list(lexicon_features(["A dispute over costs."]).columns)
    assert list(lexicon_features(["", "  "]).columns) == names


def _shipped_folders():
    from helpers.artifacts import SHIPPED_MODELS

    return [SHIPPED_MODELS / name for name in SHIPPED.values()]


@pytest.mark.parametrize("scheme", sorted(SHIPPED))
def test_shipped_model_is_current_small_and_documented(scheme):
    """Fails when a shipped model's format is older than the code that reads it (retrain it)."""
    from helpers.artifacts import FORMAT_VERSION, SHIPPED_MODELS

    folder = SHIPPED_MODELS / SHIPPED[scheme]
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["format_version"] == FORMAT_VERSION, (
        f"{folder.name} was written in format {meta['format_version']}, the code reads "
        f"{FORMAT_VERSION}: run `python -m helpers train frames --ship {scheme}`"
    )
    assert meta["kind"] == f"frames-{scheme}" and meta["training_data"]["part"] == "tune"
    size_kb = sum(f.stat().st_size for f in folder.iterdir()) / 1024
    assert size_kb < 400, f"{folder.name} is {size_kb:.0f} KB"
    card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    for needed in (
        "Licence",
        "VALIDATION.md",
        "Known limits",
        "cross-validation on the tune part",
        f"train frames --ship {scheme}",
    ):
        assert needed in card
    assert (
        ("MIT" in card and "Frermann" in card)
        if scheme == "generic"
        else ("CC BY 4.0" in card and "Guida" in card)
    )


def test_shipped_models_predict_on_the_seed_without_eval_data(tmp_path):
    """A user's machine: no ../shared/eval, no models/ of their own; the shipped models load."""
    import os
    import subprocess
    import sys

    code = (
        "import json; from helpers import config, framing; from helpers.corpus import load_corpus\n"
        "assert config.eval_path() is None\n"
        "c = load_corpus(config.DATA_RAW).corpus\n"
        "out = {}\n"
        "for s in ('generic', 'policy'):\n"
        "    fm = framing.load_frame_model(s)\n"
        "    p = fm.classifier.predict_proba(c['text'].tolist())\n"
        "    out[s] = {'source': fm.source, 'cols': list(p.columns), 'ok': bool(((p >= 0) & (p <= 1)).all().all()),\n"
        "              'sum': float(p.sum(axis=1).iloc[0]), 'text': fm.describe(), 'problems': fm.problems}\n"
        "print(json.dumps(out))\n"
    )
    env = {
        **os.environ,
        "COVERAGE_LAB_EVAL": str(tmp_path / "missing"),
        "COVERAGE_LAB_MODELS": str(tmp_path / "no-models"),
    }
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["generic"]["source"] == out["policy"]["source"] == "shipped"
    assert out["generic"]["cols"] == ["CO", "EC", "HI", "MO", "RE"] and out["generic"]["ok"]
    assert out["policy"]["ok"] and out["policy"]["sum"] == pytest.approx(1.0)
    assert not out["generic"]["problems"] and not out["policy"]["problems"]
    assert (
        "frames_generic" in out["generic"]["text"]
        and "/" not in out["generic"]["text"].split("`")[0]
    )


def test_locked_record_scores_the_shipped_file_only_when_it_saw_exactly_tune(tmp_path, monkeypatch):
    """train_shipped on a toy labelled set -> the locked record scores that file (and lists it in
    its resources); a model trained on other rows is not scored as if it were the shipped one."""
    from helpers import artifacts
    from helpers.framing import locked

    data = _toy_articles()
    eval_dir = tmp_path / "eval"
    (eval_dir / "climate_frames").mkdir(parents=True)
    data.labels.assign(ID=data.meta["ID"], text=data.texts).to_csv(
        eval_dir / "climate_frames" / "articles_dev.tsv", sep="\t", index=False
    )
    shipped = tmp_path / "models"
    monkeypatch.setattr(artifacts, "SHIPPED_MODELS", shipped)
    quick = {
        "words only": {"use_lexicon": False, "tune": False},
        "dict only": {"use_words": False, "tune": False},
    }
    summary = framing.train_shipped("generic", eval_dir, candidates=quick, folds=3)
    assert summary["folder"] == str(shipped / "frames_generic") and summary["n_tune"] < len(
        data.texts
    )
    data = read_labelled(eval_dir / "climate_frames" / "articles_dev.tsv")
    parts = framing.parts_of(data)
    trained = next(
        r
        for r in locked.generic_frame_records(data, parts, n_boot=50, candidates=quick, folds=3)
        if r.method == "trained classifier"
    )
    assert "../models/frames_generic/arrays.npz" in trained.resources
    assert trained.details["model"].startswith("shipped") and not trained.notes.startswith(
        "not the shipped"
    )
    shipped_clf = FrameClassifier.load(shipped / "frames_generic")
    locked_texts = data.texts[parts == "locked"].tolist()
    expected = locked.score_multilabel(
        data.labels[parts == "locked"].to_numpy(),
        shipped_clf.predict(locked_texts)[list(data.labels)].to_numpy(),
        list(data.labels),
        [framing_key(t) for t in locked_texts],
        50,
    )
    assert trained.score == pytest.approx(expected["macro_f1"])
    # the same file with another tune fingerprint (as if trained on other rows) is not used
    meta = json.loads((shipped / "frames_generic" / "meta.json").read_text())
    meta["training_data"]["tune_sha256"] = "0" * 64
    (shipped / "frames_generic" / "meta.json").write_text(json.dumps(meta))
    again = next(
        r
        for r in locked.generic_frame_records(data, parts, n_boot=50, candidates=quick, folds=3)
        if r.method == "trained classifier"
    )
    assert again.notes.startswith("not the shipped model (trained on other rows")
    assert not any(r.startswith("../models/") for r in again.resources)


@pytest.mark.eval
@pytest.mark.parametrize("scheme", sorted(SHIPPED))
def test_shipped_models_never_saw_the_locked_part(scheme, eval_dir):
    from helpers.artifacts import SHIPPED_MODELS
    from helpers.framing.shipping import DATASETS
    from helpers.framing.tuning import subset

    data = read_labelled(eval_dir / DATASETS[scheme]["file"])
    tune = subset(data, framing.parts_of(data) == "tune")
    meta = json.loads((SHIPPED_MODELS / SHIPPED[scheme] / "meta.json").read_text(encoding="utf-8"))
    assert meta["training_data"]["tune_sha256"] == framing.tune_fingerprint(tune)
    assert meta["training_data"]["n_units"] == len(tune.texts)


@pytest.mark.slow
def test_notebook_10_without_eval_names_the_shipped_models(tmp_path):
    """The page a user gets: no ../shared/eval, the shipped models, named with their validation."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "COVERAGE_LAB_EVAL": str(tmp_path / "missing"),
        "COVERAGE_LAB_MODELS": str(tmp_path / "no-models"),
    }
    out = tmp_path / "report"
    run = subprocess.run(
        [sys.executable, "-m", "helpers", "report", "--only", "10", "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    page = next(out.rglob("10-framing*.html")).read_text(encoding="utf-8")
    assert "the model shipped with the package, <code>frames_generic</code>" in page
    assert "frames_policy" in page
    assert str(tmp_path) not in page and "/work/" not in page
    findings = json.loads(next(out.rglob("findings.json")).read_text(encoding="utf-8"))
    generic = [f for f in findings["findings"] if "generic frame" in f["text"]]
    assert (
        generic
        and "frames_generic" in generic[0]["method"]
        and "macro-F1" in generic[0]["validation"]
    )
