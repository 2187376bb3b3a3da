"""Scale: the indicator battery and the naming mentions give exactly the tables of the earlier code.

``indicator_answers`` reads the matcher's tuples (``Matcher.scan``) and builds its table by
columns; ``indicator_scores`` joins each unit's answers after one stable sort instead of a
``groupby.apply``; ``naming_mentions`` reads ``Matcher.scan`` too and skips plain texts in which
a letter-tree pattern finds no name of the table (``_naming_screen``). The earlier functions are
kept below verbatim but for the ``_reference_`` names, and both are run on the seed article,
corpus-2k documents (when built), texts stuffed with the table's names (possessives, globs,
phrases split by punctuation, capitals, non-ASCII) and edge cases; the tables must be equal.
"""

from __future__ import annotations

import json
import random
from bisect import bisect_right
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pytest

from helpers import framing
from helpers.framing.dictionaries import as_dictionary
from helpers.framing.indicators import _indicator_rules
from helpers.framing.matcher import _TOKEN_SPLIT, Matcher
from helpers.framing.naming import (
    _MENTION_COLUMNS,
    NamingTable,
    _naming_matcher,
    _naming_screen,
    _speakers_by_sentence,
    load_naming,
    naming_mentions,
)
from helpers.framing.units import as_units
from helpers.sources import attributions, quote_spans
from helpers.text import _NOT_PLAIN_RE, sentence_spans

CORPUS_2K = Path(__file__).parents[1] / "benchmarks" / "results" / "scale" / "corpus-2k.jsonl"

# ---- old helpers/framing/indicators.py ----


def _reference_indicator_answers(
    data: pd.DataFrame,
    level: str = "document",
    scheme="generic",
    negation_window: int = 3,
    min_matches: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    d = as_dictionary(scheme)
    rules = _indicator_rules(d)
    u = as_units(data, level)
    matcher = Matcher.kept_on(d, "_indicator_matcher", {qid: cues for _, qid, _, _, cues in rules})
    rows = []
    for unit in u.itertuples(index=False):
        text = unit.text if isinstance(unit.text, str) else ""
        hits: dict[str, list[str]] = {}
        for m in matcher.find(text, negation_window):
            if not m["negated"]:
                hits.setdefault(m["key"], []).append(m["term"].lower())
        for frame, qid, question, k, _ in rules:
            k = int((min_matches or {}).get(qid, k))
            h = hits.get(qid, [])
            rows.append(
                (
                    unit.unit_id,
                    unit.doc_id,
                    getattr(unit, "level", level),
                    getattr(unit, "position", 0),
                    frame,
                    qid,
                    question,
                    len(h) >= k,
                    len(h),
                    k,
                    "; ".join(dict.fromkeys(h)),
                )
            )
    return pd.DataFrame(
        rows,
        columns=[
            "unit_id",
            "doc_id",
            "level",
            "position",
            "frame",
            "question_id",
            "question",
            "answer",
            "n_cues",
            "min_matches",
            "evidence",
        ],
    )


def _reference_indicator_scores(
    answers_or_data: pd.DataFrame, level: str = "document", scheme="generic"
) -> pd.DataFrame:
    a = answers_or_data
    if "question_id" not in a.columns:
        a = _reference_indicator_answers(a, level=level, scheme=scheme)
    g = a.groupby(["unit_id", "frame"], sort=False)
    out = g.agg(
        doc_id=("doc_id", "first"),
        level=("level", "first"),
        position=("position", "first"),
        n_yes=("answer", "sum"),
        n_questions=("answer", "size"),
    ).reset_index()
    out["score"] = out["n_yes"] / out["n_questions"]
    out["answers"] = g.apply(
        lambda x: " ".join(
            f"{q}={'yes' if v else 'no'}"
            for q, v in zip(x["question_id"], x["answer"], strict=True)
        ),
        include_groups=False,
    ).values
    out["n_yes"] = out["n_yes"].astype(int)
    return out[
        [
            "unit_id",
            "doc_id",
            "level",
            "position",
            "frame",
            "score",
            "n_yes",
            "n_questions",
            "answers",
        ]
    ]


# ---- old helpers/framing/naming.py (naming_mentions and _mention_rows) ----


def _reference_naming_mentions(
    data: pd.DataFrame,
    table: NamingTable | str | None = None,
    attributions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    tab = table if isinstance(table, NamingTable) else load_naming(table)
    matcher = _naming_matcher(tab)
    corpus = data
    att = attributions if attributions is not None else pd.DataFrame()
    speakers = _speakers_by_sentence(att)
    rows = []
    for doc_id, text in zip(corpus["doc_id"], corpus["text"], strict=True):
        text = text if isinstance(text, str) else ""
        found = matcher.find(text)
        if not found:
            continue
        rows.extend(_reference_mention_rows(doc_id, text, found, tab, speakers.get(doc_id, {})))
    out = pd.DataFrame(rows, columns=_MENTION_COLUMNS)
    # "order" (0 = the name a document uses first for a concept) sits before voice/speaker
    out.insert(out.columns.get_loc("voice"), "order", out.groupby(["doc_id", "concept"]).cumcount())
    return out


def _reference_mention_rows(
    doc_id, text: str, found: list[dict], tab: NamingTable, att_by_sent: dict
) -> list[tuple]:
    qs = quote_spans(text)
    q_starts = [s for s, _ in qs]
    sents = sentence_spans(text)
    s_starts = [s for s, _ in sents]
    rows = []
    for m in found:
        c, v = m["key"].split("/", 1)
        si = bisect_right(s_starts, m["start"]) - 1
        si = si if si >= 0 and m["start"] < sents[si][1] else -1
        qi = bisect_right(q_starts, m["start"]) - 1
        in_quote = qi >= 0 and m["end"] <= qs[qi][1]
        speaker = ""
        if si >= 0 and sents[si] in att_by_sent:
            speaker = att_by_sent[sents[si]]
        voice = "quote" if in_quote else ("attributed" if speaker else "author")
        vs = tab.concepts[c][v]
        rows.append(
            (
                doc_id,
                c,
                tab.labels[c],
                v,
                str(vs.get("label", v)),
                str(vs.get("usage", "")),
                m["term"],
                m["start"],
                m["end"],
                si,
                voice,
                speaker,
            )
        )
    return rows


# ---- the texts ----

EDGE = [
    "",
    "   \n\n ",
    None,
    "Nothing here matches at all, 12345.",
    "The dispute is not about money. There was no conflict, hardly a war. Critics accused him.",
    "Critics did not accuse the minister; the minister was accused, blamed and criticised.",
    "China’s islands and China's coast guard; Japan’s “purchase” of the Senkaku isles.",
    "Diaoyu Islands, Diaoyutai, the Senkakus — disputed islands; nationalization vs purchase.",
    "SENKAKU’S Diaoyu's DIAOYU-islands east-china sea East\n\nChina\tSea East China Sea's",
    "East. China, sea! South  China\u00a0Sea; the Sea of Japan (East Sea), Liancourt Rocks.",
    "militarist's militaristic remilitarisation hawkish hawk-eyed re-militarise self-defense",
    "İslands of Diaoyu, ΣΕΝΚΑΚΟΥ, Straße, naïve Senkakus, ﬁnance: not plain texts.",
    "Diaoyu2 2Diaoyu _Diaoyu Diaoyu_ diaoyu’s x'diaoyu diaoyu-x Diaoyudao",
    "economic costs, human interest, moral, responsibility: the government should pay.",
]


def _table_terms() -> list[str]:
    tab = load_naming()
    return [str(t) for vs in tab.concepts.values() for v in vs.values() for t in v["terms"]]


def _stuffed(n: int = 200, seed: int = 3) -> list[str]:
    """Texts of the table's names (globs filled in, words case-mangled, possessive, split by
    punctuation, glued to letters, digits or non-ASCII) among filler words."""
    rng = random.Random(seed)
    terms = _table_terms()
    gaps = [" ", "  ", "\n", "\n\n", ", ", " - ", "-", "’", "'", ".", "—", " (", "_", "2", "é", ""]
    filler = ["the", "islands", "sea", "china", "east", "said", "of", "rocks", "shoto", "army"]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 12)):
            if rng.random() < 0.5:
                words = []
                for w in rng.choice(terms).split():
                    w = w.replace("*", rng.choice(["", "s", "ation", "ic's"])).replace("?", "e")
                    w = rng.choice([w, w.upper(), w.title(), w + "'s", w + "’s", w + "s"])
                    words.append(w)
                parts.append(rng.choice(gaps).join(words) if rng.random() < 0.3 else " ".join(words))
            else:
                parts.append(rng.choice(filler))
        out.append("".join(p + rng.choice(gaps) for p in parts))
    return out


def _corpus_2k(n: int) -> list[str]:
    if not CORPUS_2K.is_file():
        pytest.skip("benchmarks/results/scale/corpus-2k.jsonl not built")
    with CORPUS_2K.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for _, line in zip(range(n), fh, strict=False)]


def _frame(texts: list, prefix: str = "d") -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"{prefix}{i}" for i in range(len(texts))], "text": texts})


@pytest.fixture(scope="module")
def texts(seed_corpus) -> list:
    seed = seed_corpus["text"].iloc[0]
    return [seed, *seed.split("\n\n"), *EDGE, *_stuffed()]


# ---- the comparisons ----


def _assert_indicators_same(data: pd.DataFrame, **kwargs) -> None:
    got = framing.indicator_answers(data, **kwargs)
    want = _reference_indicator_answers(data, **kwargs)
    pd.testing.assert_frame_equal(got, want)
    pd.testing.assert_frame_equal(framing.indicator_scores(got), _reference_indicator_scores(want))


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"level": "paragraph"}, {"level": "sentence", "negation_window": 0},
     {"min_matches": {"co1": 2, "ec2": 3, "hi1": 0}}],
)
def test_indicators_equal_the_reference(texts, kwargs):
    _assert_indicators_same(_frame(texts), **kwargs)


def test_indicators_on_corpus_2k():
    _assert_indicators_same(_frame(_corpus_2k(300), "c"))


def test_indicators_of_odd_tables(texts):
    # no units; integer ids; a units table without level/position; shuffled and filtered answers
    empty = framing.indicator_answers(_frame([]))
    pd.testing.assert_frame_equal(empty, _reference_indicator_answers(_frame([])))
    with pytest.raises(ValueError):  # the earlier scores failed on no answers; now no rows
        _reference_indicator_scores(empty)
    assert framing.indicator_scores(empty).empty
    _assert_indicators_same(pd.DataFrame({"doc_id": [7, 3, 7], "text": texts[:3]}))
    units = pd.DataFrame({"unit_id": ["u1", "u0", "u1"], "doc_id": ["a", "b", "a"], "text": texts[3:6]})
    _assert_indicators_same(units)
    a = _reference_indicator_answers(_frame(texts[:20]))
    for part in (a.sample(frac=1, random_state=1), a[a["frame"] != "conflict"]):
        pd.testing.assert_frame_equal(
            framing.indicator_scores(part), _reference_indicator_scores(part)
        )
    part = a.astype({"unit_id": object}).copy()
    part.loc[part.index[:7], "unit_id"] = None  # rows with no unit belong to no group
    pd.testing.assert_frame_equal(framing.indicator_scores(part), _reference_indicator_scores(part))


# ---- old Matcher._tokens (every matcher splits the text itself) ----


def _reference_tokens(self, text: str) -> tuple[list[str], list[str]]:
    parts = _TOKEN_SPLIT.split(text)  # gap, token, gap, token, ..., gap
    toks = list(map(str.lower, parts[1::2]))
    if "’" in text:
        toks = [t.replace("’", "'") for t in toks]
    for tok in set(toks).difference(self._cache):
        self._remember(tok)
    return parts, toks


def _assert_answers_from_the_scores_pass(data: pd.DataFrame, negation_window: int = 3) -> None:
    """frame_scores_by_level(answers=True), split: the scores of answers=False and the
    reference indicator answers of the documents (dtypes and order included), both made with
    the old tokenisation (each matcher splitting the text itself)."""
    schemes = ["generic", "policy", "territorial"]
    long = framing.frame_scores_by_level(data, schemes, ("document", "section"),
                                         negation_window=negation_window, answers=True)
    scores, answers = framing.split_answers(long)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Matcher, "_tokens", _reference_tokens)
        plain = framing.frame_scores_by_level(data, schemes, ("document", "section"),
                                              negation_window=negation_window)
        want = _reference_indicator_answers(data[["doc_id", "text"]], negation_window=negation_window)
    pd.testing.assert_frame_equal(scores, plain)
    pd.testing.assert_frame_equal(answers, want)


def test_answers_from_the_scores_pass(texts):
    """The cue matcher reuses the tokens of the scoring pass (the same text object just split):
    same answers as the reference, on the seed, edge and stuffed texts, another window, ids
    repeated (no shared pass), no documents."""
    data = _frame(texts).assign(title=[None, "A title", *[""] * (len(texts) - 2)])
    data.loc[3, "text"] = None
    _assert_answers_from_the_scores_pass(data)
    _assert_answers_from_the_scores_pass(data, negation_window=0)
    _assert_answers_from_the_scores_pass(data.assign(doc_id=["d0", "d0", *data["doc_id"][2:]]))
    _assert_answers_from_the_scores_pass(data.iloc[:0])


def test_answers_from_the_scores_pass_on_corpus_2k():
    texts = _corpus_2k(300)
    _assert_answers_from_the_scores_pass(_frame(texts, "c").assign(title=[t[:40] for t in texts]))


def test_answers_from_the_scores_pass_through_map_documents(texts, tmp_path, monkeypatch):
    """Through map_documents (chunks of 5 documents, then from the cache) and split: the same."""
    from functools import partial

    from helpers.compute import map_documents

    monkeypatch.setenv("COVERAGE_LAB_CACHE", str(tmp_path))
    monkeypatch.setenv("COVERAGE_LAB_PROGRESS", "0")
    data = _frame(texts[:30]).assign(title="Headline")
    f = partial(framing.frame_scores_by_level, scheme=["generic", "territorial"], answers=True)
    want = _reference_indicator_answers(data[["doc_id", "text"]])
    for _ in range(2):  # cold, then from the cache
        _, got = framing.split_answers(map_documents(f, data, name="t.answers", columns=["title", "text"],
                                                     chunk_docs=5, workers=1))
        pd.testing.assert_frame_equal(got, want)


def _assert_peaks_from_the_scores_pass(data: pd.DataFrame) -> None:
    """frame_scores_by_level(peaks=True), split_peaks: the other rows unchanged and the peaks of
    sentence_peak_features (made with the old tokenisation), as floats, one row per document."""
    from helpers.framing.features import sentence_peak_features

    long = framing.frame_scores_by_level(data, ["generic", "territorial"], answers=True, peaks=True)
    rest, peaks = framing.split_peaks(long)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Matcher, "_tokens", _reference_tokens)
        pd.testing.assert_frame_equal(rest, framing.frame_scores_by_level(
            data, ["generic", "territorial"], answers=True))
        want = sentence_peak_features(data["text"].tolist())
    assert list(peaks.index) == list(data["doc_id"])
    pd.testing.assert_frame_equal(peaks[want.columns].reset_index(drop=True), want, check_dtype=False)
    assert sorted(peaks.columns) == sorted(want.columns)


def test_peaks_from_the_scores_pass(texts):
    data = _frame(texts).assign(title="A title")
    data.loc[3, "text"] = None
    _assert_peaks_from_the_scores_pass(data)
    _assert_peaks_from_the_scores_pass(data.assign(doc_id=["d0", "d0", *data["doc_id"][2:]]))
    assert framing.split_peaks(framing.frame_scores_by_level(data.iloc[:0], peaks=True))[1] is None


def test_peaks_from_the_scores_pass_on_corpus_2k():
    texts = _corpus_2k(300)
    _assert_peaks_from_the_scores_pass(_frame(texts, "c").assign(title=[t[:40] for t in texts]))


def test_model_given_the_peaks_predicts_as_from_text(texts, monkeypatch):
    """Notebook 10 hands the generic model the peaks with the rates and answers: the same
    probabilities, and the sentence peaks are not computed again."""
    from helpers.framing import features
    from helpers.framing.evaluation import model_frames

    fm = framing.load_frame_model("generic")
    if fm.classifier is None:
        pytest.skip("no generic frame model shipped")
    schemes = list(fm.classifier.feat_.schemes)
    part = _frame(texts[:40]).assign(title="")
    long = framing.frame_scores_by_level(part, schemes, ("document",), answers=True, peaks=True)
    rest, peaks = framing.split_peaks(long)
    scores, answers = framing.split_answers(rest)
    known = framing.lexicon_columns(scores, answers, schemes, peaks)
    given = part[["doc_id", "text"]].merge(known.reset_index(), on="doc_id", how="left")
    features._LEX_CACHE.clear()
    want = model_frames(part[["doc_id", "text"]], str(fm.folder), framing.KINDS["generic"])
    features._LEX_CACHE.clear()
    monkeypatch.setattr(features, "sentence_peak_features", None)  # would fail if called
    got = model_frames(given, str(fm.folder), framing.KINDS["generic"])
    pd.testing.assert_frame_equal(got, want)
    features._LEX_CACHE.clear()


def test_naming_equals_the_reference(texts):
    corpus = _frame(texts)
    att = attributions(corpus)
    got = naming_mentions(corpus, attributions=att)
    pd.testing.assert_frame_equal(got, _reference_naming_mentions(corpus, attributions=att))
    assert len(got) > 300  # the stuffed texts hold many names


def test_naming_on_corpus_2k():
    corpus = _frame(_corpus_2k(400), "c")
    att = attributions(corpus)
    got = naming_mentions(corpus, attributions=att)
    pd.testing.assert_frame_equal(got, _reference_naming_mentions(corpus, attributions=att))


def test_screen_finds_every_plain_text_with_a_name(texts):
    """The screen is only a shortcut: a plain text it does not find has no match at all (and it
    does skip texts, or it would save nothing)."""
    tab = load_naming()
    matcher, screen = _naming_matcher(tab), _naming_screen(tab)
    skipped = 0
    for t in [x for x in texts if isinstance(x, str)] + _stuffed(300, seed=9):
        if not _NOT_PLAIN_RE.search(t) and not screen.search(t.lower().replace("’", "'")):
            skipped += 1
            assert matcher.scan(t) == [], t
    assert skipped > 5


def test_screen_of_a_user_table_with_globs_and_phrases():
    tab = load_naming({"concepts": {"c": {"variants": {
        "a": {"terms": ["*land", "ab?c de*", "x y z", "q"]},
        "b": {"terms": ["east china sea", "nation's pride"]},
    }}}})
    corpus = _frame(["Iceland is far.", "abxc derby", "X, y; z!", "q's", "East China Sea’s",
                     "nation’s pride", "nothing", "x y", "eastern china seas", "Q"])
    pd.testing.assert_frame_equal(
        naming_mentions(corpus, tab, attributions=pd.DataFrame()),
        _reference_naming_mentions(corpus, tab),
    )
