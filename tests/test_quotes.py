"""Sources and quotes: attribution patterns, speaker resolution, the seed golden test."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.sources import attributions, quote_spans, speaker_table, voice_balance


def _att(text: str) -> pd.DataFrame:
    return attributions(pd.DataFrame({"doc_id": ["t"], "text": [text]}))


# The golden list: every attribution in the seed article, in order, and nothing else.
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


def test_seed_golden_speakers(seed_corpus):
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
