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
    cross_validate_frames,
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
        "It will cost taxpayers billions of dollars."
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


def test_classifier_multiclass_and_cv(tmp_path):
    texts, Y = _toy(60)
    lab = np.where(Y["CO"] == 1, "conflict", "other")
    p = tmp_path / "lab.csv"
    pd.DataFrame({"sentence": texts, "label": lab}).to_csv(p, index=False)
    data = read_labelled(p)
    assert data.task == "multiclass" and data.label_names == ["conflict", "other"]
    res = cross_validate_frames(data, folds=3, scheme="generic", tune=False)
    assert res["trained"]["macro_f1"] > 0.8
    assert set(res["trained"]["per_frame"]) == {"conflict", "other"}


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


def test_validate_main_cli_json(tmp_path, capsys):
    texts, Y = _toy(50)
    p = tmp_path / "gen.tsv"
    Y.assign(text=texts, HI=0, MO=0, RE=Y["CO"]).to_csv(p, sep="\t", index=False)
    assert validate_main([str(p), "--quick", "--folds", "3"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["layout"] == "generic_frames"
    assert set(out["trained"]["per_frame"]) == {"CO", "EC", "HI", "MO", "RE"}
    assert {"dictionary_only", "indicators_only", "macro_f1"} <= set(out) | set(out["trained"])
    assert validate_main([str(tmp_path / "missing.tsv")]) == 2


def test_agreement_wrapper():
    from helpers.framing import coding_agreement

    a = pd.DataFrame({"CO": [1, 0, 1, 1], "EC": [0, 0, 1, 0]})
    b = pd.DataFrame({"CO": [1, 0, 1, 0], "EC": [0, 0, 1, 0]})
    r = coding_agreement(a, b).set_index("label")
    assert r.loc["EC", "cohen_kappa"] == pytest.approx(1.0)
    assert r.loc["CO", "percent_agreement"] == pytest.approx(0.75)
    assert -1 <= r.loc["CO", "krippendorff_alpha"] <= 1


@pytest.mark.eval
def test_climate_dictionary_beats_chance(climate_path):
    # a quick, untuned check on the real labelled data: the dictionary alone must carry signal
    from helpers.framing import dictionary_predict

    d = read_labelled(climate_path)
    assert any("False)" in n for n in d.notes)
    pred = dictionary_predict(
        d.texts.tolist(),
        list(d.labels.columns),
        "generic",
        "multilabel",
        thresholds={"CO": 2.0, "EC": 4.0, "HI": 6.0, "MO": 2.0, "RE": 10.0},
    )
    from sklearn.metrics import f1_score

    f1 = {lab: f1_score(d.labels[lab], pred[:, j]) for j, lab in enumerate(d.labels.columns)}
    prevalence = d.labels.mean()
    for lab, f in f1.items():
        chance = 2 * prevalence[lab] / (1 + prevalence[lab])  # F1 of always answering yes
        assert f > chance * 0.9, (lab, f, chance)


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
    assert validate_main([str(test), "--train", str(train), "--quick"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["protocol"].startswith("trained on --train")
    assert out["trained"]["per_frame"]["conflict"]["f1"] > 0.8
    model_path = tmp_path / "m.pkl"
    assert train_main([str(train), "--out", str(model_path), "--quick"]) == 0
    clf = FrameClassifier.load(model_path)
    assert clf.predict(["rivals clash and accuse each other"])["conflict"].iloc[0] == 1
