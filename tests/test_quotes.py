"""Sources and quotes: attribution patterns, speaker resolution, a regression test on the seed,
and the labelled check on hand-coded BBC paragraphs (docs/annotation/quotes.md).

The seed tests below are *regression* tests: the rules were written on the seed article, so
passing them says nothing about how well the rules work elsewhere. The validation is
``helpers.sources.validation_records`` on paragraphs the rules were never tuned on.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.sources import (
    attributions,
    quote_spans,
    speaker_table,
    validation_records,
    voice_balance,
)
from helpers.sources.validation import (
    SEEN_IN_RULES,
    check_annotation,
    coded_paragraphs,
    load_annotations,
    load_bbc,
    match_attributions,
    paragraph_counts,
    paragraph_sha1,
    quote_marks_baseline,
    sample_paragraphs,
    score_counts,
    speaker_match,
)


def _att(text: str) -> pd.DataFrame:
    return attributions(pd.DataFrame({"doc_id": ["t"], "text": [text]}))


# Regression list (not a validation: the rules were written on this article): every
# attribution the rules find in the seed article, in order, and nothing else.
SEED_EXPECTED = [
    ("Yomiuri Shimbun", "media", "reported"),
    ("NHK", "media", "reported"),
    ("China Central Television", "media", "reported"),
    ("Liu Jianguo", "person", "said"),
    ("Liu Jianguo", "person", "told"),
    ("Liu Jianguo", "person", "said"),
    ("Liu Jianguo", "person", "said"),
    ("NHK", "media", "reported"),
    ("Reuters", "media", "reported"),
    ("Liu Jianguo", "person", "said"),
    ("Lü Chao", "person", "told"),
]


def test_seed_regression_speakers(seed_corpus):
    """Regression: the output on the article the rules were written on does not change."""
    a = attributions(seed_corpus)
    got = list(zip(a["speaker_resolved"], a["kind"], a["verb"], strict=True))
    assert got == SEED_EXPECTED


def test_seed_speaker_details(seed_corpus):
    a = attributions(seed_corpus)
    liu = a[a["speaker_resolved"] == "Liu Jianguo"]
    assert set(liu["institution"]) == {"Tsinghua University"}
    assert liu["speaker"].tolist() == ["Liu Jianguo", "Liu", "Liu", "Liu", "Liu"]
    assert "deputy director" in liu["title"].iloc[0]
    lu = a[a["speaker_resolved"] == "Lü Chao"].iloc[0]
    assert lu["institution"] == "Liaoning Academy of Social Sciences"
    assert lu["addressee"] == "the Global Times"
    yomiuri = a[a["speaker"] == "Yomiuri Shimbun"].iloc[0]
    assert yomiuri["nationality"] == "Japan" and yomiuri["nationality_source"] == "stated"
    # the direct quote is recovered with its speaker
    direct = a[a["mode"] == "direct"]
    assert len(direct) == 1 and direct["quote"].iloc[0].startswith("NATO's main task")
    # no false speakers: nothing from "The letter will say", "According to the report", "Liu Qiang"
    assert not set(a["speaker"]) & {"The letter", "the report", "Liu Qiang", "Abe", "Global Times"}


def test_seed_voice_balance(seed_corpus):
    vb = voice_balance(attributions(seed_corpus))
    shares = dict(zip(vb["kind"], vb["share"], strict=True))
    assert shares == pytest.approx({"person": 6 / 11, "media": 5 / 11})
    st = speaker_table(attributions(seed_corpus))
    assert st.iloc[0]["speaker"] == "Liu Jianguo" and st.iloc[0]["n_attributions"] == 5


@pytest.mark.parametrize(
    "text, speaker, verb, mode",
    [
        ('"We will not back down," said Li Wei, a ministry spokesman.', "Li Wei", "said", "direct"),
        (
            "According to Kyodo News, the ships left on Monday.",
            "Kyodo News",
            "according to",
            "according_to",
        ),
        (
            "The talks failed, a Foreign Ministry spokesman said.",
            "Foreign Ministry spokesman",
            "said",
            "indirect",
        ),
        (
            "Prime Minister Shinzo Abe insisted the islands were Japanese.",
            "Shinzo Abe",
            "insisted",
            "indirect",
        ),
        ('Smith told reporters: "It is over."', "Smith", "told", "direct"),
    ],
)
def test_attribution_shapes(text, speaker, verb, mode):
    a = _att(text)
    assert len(a) == 1
    row = a.iloc[0]
    assert (row["speaker"], row["verb"], row["mode"]) == (speaker, verb, mode)


@pytest.mark.parametrize(
    "text",
    [
        "According to the report, the ships left.",
        "The letter will say that tensions rose.",
        "Abe is said to favour closer ties.",
        "The decision showed common ground with China.",
        "It is hard to say what happens next.",
        "The United States would withdraw from the pact.",
        "Trump's comments come a day after the interview.",
    ],
)
def test_no_false_speakers(text):
    assert _att(text).empty


def test_verb_classes_and_pronoun_resolution():
    a = _att(
        "Zhang Ming, a professor at Fudan University, claimed the drill was legal. "
        "He admitted that the patrols continued."
    )
    assert a["verb_class"].tolist() == ["doubt", "concession"]
    assert a["speaker_resolved"].tolist() == ["Zhang Ming", "Zhang Ming"]
    assert a["institution"].tolist() == ["Fudan University", "Fudan University"]


def test_resolve_from_earlier_non_speaker_mention():
    a = _att("Japanese Prime Minister Shinzo Abe will visit Brussels. Abe said the trip mattered.")
    assert a["speaker_resolved"].tolist() == ["Shinzo Abe"]


def test_quote_spans_curly_and_straight():
    text = 'He said “yes”. She said "no way".'
    assert [text[s:e] for s, e in quote_spans(text)] == ["yes", "no way"]


def test_words_inside_a_quote_are_not_attributions():
    a = _att('"China said nothing," Tanaka told NHK.')
    assert a["speaker"].tolist() == ["Tanaka"]
    assert a["addressee"].tolist() == ["NHK"]


def test_empty_and_missing_text():
    a = attributions(pd.DataFrame({"doc_id": ["a", "b"], "text": ["", None]}))
    assert a.empty and "speaker_resolved" in a.columns
    assert voice_balance(a).empty


def test_titles_and_interjections_are_not_names():
    a = _att("EPA Administrator Andrew Wheeler, without citing evidence, said the rule was fair.")
    assert a["speaker"].tolist() == ["Andrew Wheeler"]
    assert (
        a["title"].iloc[0] == "EPA Administrator"
        and a["description"].iloc[0] == "EPA Administrator"
    )


def test_unresolved_pronoun_is_marked():
    a = _att('"It is over," he said.')
    assert a["speaker_resolved"].tolist() == ["(unresolved pronoun)"]


def test_appositive_without_closing_comma_and_place_objects():
    a = _att(
        "Marc Ostwald, a strategist at Monument Securities told Reuters that rates would rise."
    )
    assert a["speaker"].tolist() == ["Marc Ostwald"]
    assert a["institution"].tolist() == ["Monument Securities"]
    assert _att("The Contract Office in Baghdad said it had taken over.").empty


def test_one_word_body_reporting_on_it_is_an_organisation():
    a = _att("Diageo said it expects approval in the first quarter.")
    assert a[["speaker", "kind"]].values.tolist() == [["Diageo", "organisation"]]


# --- the labelled check: hand-coded BBC paragraphs (docs/annotation/quotes.md) -----------------


_ANN_KEYS = {
    "dataset",
    "article",
    "paragraph",
    "stratum",
    "sha1",
    "n_chars",
    "attributions",
    "note",
}
_ATT_KEYS = {
    "kind",
    "speaker",
    "aliases",
    "speaker_span",
    "speaker_sha1",
    "quote_span",
    "quote_sha1",
}


def test_annotations_have_their_shape_and_no_article_text():
    anns = load_annotations()
    assert 30 <= len(anns) <= 40
    assert len({(a["article"], a["paragraph"]) for a in anns}) == len(anns)
    assert len({a["article"] for a in anns}) == len(anns), "one paragraph per article"
    assert not {a["article"] for a in anns} & set(SEEN_IN_RULES)
    n = 0
    for a in anns:
        assert set(a) <= _ANN_KEYS and a["stratum"] in {"cue", "random"}
        for att in a["attributions"]:
            n += 1
            assert set(att) <= _ATT_KEYS and att["kind"] in {"direct", "indirect", "according_to"}
            for part in ("speaker_span", "quote_span"):
                s, e = att[part]
                assert 0 <= s < e <= a["n_chars"]
            # names only: the coded text itself is never stored, only its hash
            assert len(att["speaker"]) < 60
    assert n >= 30


@pytest.fixture(scope="module")
def coded(eval_dir):
    return coded_paragraphs(eval_dir)


def test_every_offset_points_at_the_coded_text(coded):
    """coded_paragraphs checks each paragraph's SHA-1 and every span's SHA-1 against the data."""
    assert len(coded) == len(load_annotations())
    for p in coded.itertuples():
        assert (
            check_annotation(
                next(a for a in load_annotations() if a["article"] == p.article), p.text
            )
            == []
        )
        for c in p.codes:
            s, e = c["quote_span"]
            if c["kind"] == "direct":  # a direct quote starts right after a quotation mark
                assert p.text[s - 1] in '"“'
            ms, me = c["speaker_span"]
            assert p.text[ms:me].strip() == p.text[ms:me] and p.text[ms:me][:1].isalpha()


def test_a_shifted_offset_or_changed_paragraph_is_caught():
    text = 'Prices rose, the firm said. "We are pleased," said Ann Lee.'
    att = {
        "kind": "direct",
        "speaker": "Ann Lee",
        "speaker_span": [51, 58],
        "speaker_sha1": paragraph_sha1("Ann Lee"),
        "quote_span": [29, 43],
        "quote_sha1": paragraph_sha1("We are pleased"),
    }
    ann = {"article": "x", "paragraph": 1, "sha1": paragraph_sha1(text), "attributions": [att]}
    assert check_annotation(ann, text) == []
    shifted = {**ann, "attributions": [{**att, "quote_span": [30, 44]}]}
    assert "does not cover" in check_annotation(shifted, text)[0]
    assert "changed" in check_annotation(ann, text + " More.")[0]


def test_sample_is_reproducible_and_is_the_coded_one(eval_dir):
    s = sample_paragraphs(load_bbc(eval_dir))
    anns = load_annotations()
    assert list(zip(s["source_id"], s["paragraph"], s["stratum"], strict=True)) == [
        (a["article"], a["paragraph"], a["stratum"]) for a in anns
    ]
    assert [paragraph_sha1(t) for t in s["text"]] == [a["sha1"] for a in anns]


def _code(kind, speaker, qs, qe, aliases=()):
    return {"kind": kind, "speaker": speaker, "aliases": list(aliases), "quote_span": [qs, qe]}


def test_scorer_gives_known_precision_and_recall():
    # a fake paragraph's codes: three attributions
    codes = [
        _code("direct", "Ann Lee", 0, 20),
        _code("indirect", "Federal Communications Commission", 30, 50, aliases=["FCC"]),
        _code("according_to", "Bo Chen", 60, 80),
    ]
    preds = [
        {"speaker": "Ms Lee", "spans": [(5, 30)]},  # overlap 15 >= half of 20: correct
        {"speaker": "FCC", "spans": [(30, 39)]},  # overlap 9 >= half of 9: correct via alias
        {"speaker": "Reuters", "spans": [(60, 80)]},  # span matches, wrong speaker
        {"speaker": "Bo Chen", "spans": [(90, 99)]},  # no coded quote there: false positive
    ]
    m = match_attributions(preds, codes)
    assert (m["n_pred"], m["n_coded"], m["n_span"], m["n_correct"]) == (4, 3, 3, 2)
    assert (m["correct_direct"], m["correct_indirect"], m["correct_according_to"]) == (1, 1, 0)
    sc = score_counts(pd.DataFrame([m]))
    assert sc["precision"] == pytest.approx(2 / 4) and sc["recall"] == pytest.approx(2 / 3)
    assert sc["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert sc["speaker_accuracy"] == pytest.approx(2 / 3)
    # under half of the shorter span is no match; one prediction pairs with one code only
    assert (
        match_attributions(
            [{"speaker": "Ann Lee", "spans": [(0, 9)]}], [_code("direct", "Ann Lee", 9, 29)]
        )["n_span"]
        == 0
    )
    two = match_attributions([{"speaker": "Ann Lee", "spans": [(0, 20)]}] * 2, codes[:1])
    assert (two["n_correct"], two["n_pred"]) == (1, 2)
    # nothing predicted: precision undefined, F1 0
    none = score_counts(pd.DataFrame([match_attributions([], codes)]))
    assert none["recall"] == 0 and none["f1"] == 0 and none["precision"] != none["precision"]


def test_speaker_match_rules():
    assert speaker_match("Graczyk", "Ed Graczyk") and speaker_match("Lü Chao", "Lu Chao")
    assert speaker_match("the Telegraph Group", "Telegraph Group")
    assert not speaker_match("(unresolved pronoun)", "Rachel") and not speaker_match("", "Rachel")
    assert not speaker_match("Disaster Emergency Committee", "Patricia Sanders")


def test_quote_marks_baseline_takes_the_nearest_capitalised_name():
    text = 'Prices rose. Ann Lee was there. "We are pleased," she said. The "so-called" plan.'
    got = quote_marks_baseline(text, 0, len(text))
    assert [(g["speaker"], text[g["spans"][0][0] : g["spans"][0][1]]) for g in got] == [
        ("Ann Lee", "We are pleased,"),
        ("Ann Lee", "so-called"),
    ]


def test_validation_records_one_record_for_the_rules_beside_baselines(eval_dir, coded):
    recs = validation_records(eval_dir, n_boot=50)
    assert len(recs) == 1
    r = recs[0].to_dict()
    assert r["measure"] == "quote_attribution" and r["unit"] == "paragraph"
    assert r["n_units"] == len(load_annotations()) == len(coded)
    assert r["n_items"] == sum(len(a["attributions"]) for a in load_annotations())
    assert [b["name"] for b in r["baselines"]] == [
        "quote marks + nearest preceding name",
        "nothing found",
    ]
    assert r["baselines"][1]["score"] == 0.0
    assert r["ci"][0] <= r["score"] <= r["ci"][1]
    d = r["details"]
    assert 0 <= d["precision"] <= 1 and 0 <= d["recall"] <= 1 and d["coded"] == r["n_items"]
    assert d["baselines"]["nothing found"]["precision"] is None
    assert "never tuned on these paragraphs" in r["protocol"]


def test_paragraph_counts_score_only_predictions_inside_the_paragraph(coded):
    counts = paragraph_counts(coded.head(3))
    assert set(counts["method"]) == {"rules", "marks", "nothing"} and len(counts) == 9
    assert (counts["n_correct"] <= counts[["n_pred", "n_coded"]].min(axis=1)).all()
