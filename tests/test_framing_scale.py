"""Framing and quotes at scale: the fast paths give exactly the tables of plain references.

The references below are the earlier implementations (a Python loop per token, a per-character
quote scanner, the attributions filtered per document), kept here as the obviously-correct
baseline. Inputs: the seed article, generated text mixing its sentences with edge cases
(unicode quotes and apostrophes, negators, possessives, empty and match-free texts).
"""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from helpers import framing, sources
from helpers.framing.dictionaries import as_dictionary
from helpers.framing.matcher import NEGATORS, Matcher, _norm, _word_ok
from helpers.framing.naming import _naming_matcher, load_naming
from helpers.text import sentence_spans, token_spans

EDGE_TEXTS = [
    "",
    "   \n\n  ",
    "Nothing here matches at all, 12345.",
    "The dispute is not about money. There was no conflict, hardly a war.",
    "China’s islands and China's coast guard; Japan’s “purchase” of the Senkaku isles.",
    '“We will not yield,” the minister said. "No comment," he added. «Peace» was the aim.',
    "An open quote “runs on\n\nto the next paragraph” and a stray \" mark.",
    "Economic costs, economic-costs, ECONOMIC COSTS and econom* globs don't count twice.",
    "Diaoyu Islands, Diaoyutai, the Senkakus — disputed islands; nationalization vs purchase.",
    "Ünïcödé wörds, İstanbul, straße, ﬁnance and naïve co-operation can't confuse the tokenizer.",
]


def _generated(seed_text: str, n: int = 40, seed: int = 0) -> list[str]:
    """Texts built from the seed's sentences, shuffled, with the edge cases spliced in."""
    rng = random.Random(seed)
    sents = [seed_text[s:e] for s, e in sentence_spans(seed_text)] + EDGE_TEXTS
    out = []
    for _ in range(n):
        k = rng.randint(0, 25)
        paras = []
        for _ in range(rng.randint(1, 5)):
            paras.append(" ".join(rng.choice(sents) for _ in range(max(1, k // 3))))
        out.append("\n\n".join(paras) if k else rng.choice(EDGE_TEXTS))
    return out


@pytest.fixture(scope="module")
def texts(seed_corpus) -> list[str]:
    seed = seed_corpus["text"].iloc[0]
    return [seed, *EDGE_TEXTS, *_generated(seed)]


@pytest.fixture(scope="module")
def corpus(texts, seed_corpus) -> pd.DataFrame:
    titles = [seed_corpus["title"].iloc[0], ""] + [t[:40] for t in texts[2:]]
    return pd.DataFrame(
        {"doc_id": [f"d{i}" for i in range(len(texts))], "title": titles, "text": texts}
    )


# --- references -------------------------------------------------------------------------


def _reference_find(m: Matcher, text: str, negation_window: int = 3) -> list[dict]:
    """The matcher's earlier loop: every token's candidates looked up in Python."""
    spans = token_spans(text)
    toks = [_norm(text[s:e]) for s, e in spans]
    raw = []
    for i, tok in enumerate(toks):
        for idx in m._candidates(tok):
            matchers = m._entries[idx][2]
            n = len(matchers)
            if i + n <= len(toks) and all(_word_ok(matchers[k], toks[i + k]) for k in range(1, n)):
                raw.append((i, n, idx))
    raw.sort(key=lambda r: (-r[1], r[0]))
    taken: dict[str, set[int]] = {}
    out = []
    for i, n, idx in raw:
        key, entry, _ = m._entries[idx]
        used = taken.setdefault(m.group.get(key, key), set())
        if any(j in used for j in range(i, i + n)):
            continue
        used.update(range(i, i + n))
        negator = ""
        for j in range(max(0, i - negation_window), i):
            if toks[j] in NEGATORS or toks[j].endswith("n't"):
                negator = toks[j]
        out.append({"key": key, "entry": entry, "term": text[spans[i][0] : spans[i + n - 1][1]],
                    "start": spans[i][0], "end": spans[i + n - 1][1], "token": i,
                    "negated": bool(negator), "negator": negator})
    out.sort(key=lambda x: (x["start"], x["key"]))
    return out


def _reference_frame_scores(units: pd.DataFrame, d, negation=True, window=3, max_evidence=12):
    """Scores per unit x frame from the reference matcher, counted with plain dicts."""
    m = Matcher(d.categories)
    counts: dict[tuple, Counter] = {}
    negs: dict[tuple, int] = {}
    ntok = {}
    for uid, text in zip(units["unit_id"], units["text"], strict=True):
        text = text if isinstance(text, str) else ""
        ntok[uid] = len(token_spans(text))
        for h in _reference_find(m, text, window):
            if h["negated"]:
                negs[(uid, h["key"])] = negs.get((uid, h["key"]), 0) + 1
                if negation:
                    continue
            counts.setdefault((uid, h["key"]), Counter())[h["term"].lower()] += 1
    rows = []
    for r in units.itertuples(index=False):
        for f in d.categories:
            c = counts.get((r.unit_id, f), Counter())
            n, nt = sum(c.values()), ntok[r.unit_id]
            rows.append({"unit_id": r.unit_id, "frame": f, "label": d.label(f), "n_matches": n,
                         "n_negated": negs.get((r.unit_id, f), 0), "n_tokens": nt,
                         "per_1000": 1000 * n / nt if nt else 0.0,
                         "evidence": "; ".join(t for t, _ in c.most_common(max_evidence))})
    return pd.DataFrame(rows)


def _reference_quote_spans(text: str) -> list[tuple[int, int]]:
    """The earlier scanner: one character at a time."""
    spans, start = [], None
    for i, ch in enumerate(text):
        if ch == "\n" and start is not None and text[i : i + 2].strip() == "" and "\n" in text[i + 1 : i + 3]:
            spans.append((start, i))
            start = None
        elif ch == '"':
            if start is None:
                start = i + 1
            else:
                spans.append((start, i))
                start = None
        elif ch in "“«„" and start is None:
            start = i + 1
        elif ch in "”»‟" and start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e - s > 1]


# --- tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["generic", "policy", "territorial"])
@pytest.mark.parametrize("window", [0, 3])
def test_matcher_finds_what_the_reference_finds(texts, scheme, window):
    d = framing.load_dictionary(scheme)
    fast, ref = Matcher(d.categories), Matcher(d.categories)
    for t in texts:
        assert fast.find(t, window) == _reference_find(ref, t, window)
        assert fast.last_n_tokens == len(token_spans(t))


def test_naming_matcher_with_groups_matches_the_reference(texts):
    fast = _naming_matcher(load_naming())
    ref = _naming_matcher(load_naming())
    assert sum(len(fast.find(t)) for t in texts) > 5  # the test sees real matches
    for t in texts:
        assert fast.find(t) == _reference_find(ref, t)


@pytest.mark.parametrize("level", ["document", "sentence"])
@pytest.mark.parametrize("negation", [True, False])
def test_frame_scores_equal_the_reference(corpus, level, negation):
    d = framing.load_dictionary("generic")
    units = framing.as_units(corpus, level)
    got = framing.frame_scores(units, d, negation=negation, max_evidence=3)
    want = _reference_frame_scores(units, d, negation=negation, max_evidence=3)
    assert got["n_matches"].sum() > 10 and got["n_negated"].sum() > 0
    cols = list(want.columns)
    pd.testing.assert_frame_equal(got[cols].reset_index(drop=True), want, check_dtype=False)
    assert got["n_matches"].dtype == np.int64 and got["n_tokens"].dtype == np.int64


def test_frame_scores_of_no_units_and_duplicate_ids():
    empty = framing.frame_scores(pd.DataFrame({"doc_id": [], "text": []}), "generic")
    assert empty.empty and "per_1000" in empty
    dup = pd.DataFrame({"unit_id": ["u", "u"], "doc_id": ["a", "a"], "level": "document",
                        "position": 0, "text": ["war", "war and war"]})
    s = framing.frame_scores(dup, "generic")
    # rows are keyed by unit id: both rows carry the id's pooled count, as before
    assert s[s["frame"] == "conflict"]["n_matches"].tolist() == [3, 3]


def test_quote_spans_equal_the_reference(texts):
    extra = ['"a" "b" "', "“x” ” “", "\n\n", '"\n\n"', 'He said: "one\n \nTwo" three', "«a»„b‟", '"\n \n x"']
    for t in [*texts, *extra]:
        assert sources.quote_spans(t) == _reference_quote_spans(t), t


def _reference_document_rows(doc_id, text: str, lex) -> list[dict]:
    """Attributions of one document with the earlier linear scans over the quotes."""
    from helpers.sources.attribution import _row
    from helpers.sources.parsing import parse_attribution

    qspans = _reference_quote_spans(text)
    rows = []
    for si, (ss, se) in enumerate(sentence_spans(text)):
        sent, seen = text[ss:se], set()
        for vm in lex.verb_re.finditer(sent):
            if any(s <= ss + vm.start() < e for s, e in qspans):
                continue
            p = parse_attribution(sent, vm, lex)
            if p is None or p["speaker"] in seen:
                continue
            seen.add(p["speaker"])
            quote = p["content"]
            if p["mode"] == "direct" or not quote:
                q = None
                if p["mode"] == "direct":
                    for s, e in qspans:
                        if ss <= e <= ss + vm.start():
                            q = (s, e)
                if q is None:
                    q = next(((s, e) for s, e in qspans if ss + vm.end() <= s < se), None)
                if q is not None:
                    quote, p["mode"] = text[q[0] : q[1]].strip(), "direct"
            rows.append(_row(p, quote, doc_id, si, ss, se, lex))
    return rows


def _reference_nationality(text: str, name: str, lex) -> tuple[str, str]:
    """The earlier lookup: every nationality pattern compiled and tried, then every outlet."""
    import re

    for adj in sorted(lex.nationalities, key=len, reverse=True):
        if re.search(rf"(?<![\w.]){re.escape(adj)}(?![\w])", text):
            return lex.nationalities[adj], "stated"
    key = re.sub(r"^the\s+", "", name, flags=re.I)
    for outlet, country in lex.media.items():
        if key.lower() == re.sub(r"^the\s+", "", outlet, flags=re.I).lower():
            return country, "outlet list"
    return "", ""


def _quote_texts(texts) -> list[str]:
    """The test texts plus attribution shapes around curly, straight and unclosed quotes."""
    extra = [
        '“We will not back down,” Chinese Foreign Ministry spokesman Hong Lei said. '
        'He said "the islands are ours". Abe told NHK: “No.” "Open, said Liu.',
        'According to the Xinhua news agency, Japan "provoked" China. Reuters reported that '
        'the talks failed, a U.S. official said, adding: "We regret it." «Yes», said the BBC.',
    ]
    return [*texts, *extra]


def test_attribution_rows_equal_the_reference(texts):
    from helpers.sources.attribution import _document_rows
    from helpers.sources.lexicon import load_lexicon

    lex = load_lexicon()
    total = 0
    for i, t in enumerate(_quote_texts(texts)):
        got = _document_rows(f"d{i}", t, lex)
        assert got == _reference_document_rows(f"d{i}", t, lex)
        total += sum(r["mode"] == "direct" for r in got)
    assert total > 3  # direct quotes were attached


def test_speaker_nationality_equals_the_reference(texts):
    from helpers.sources.lexicon import load_lexicon
    from helpers.sources.names import describe

    lex = load_lexicon()
    att = sources.attributions(pd.DataFrame({"doc_id": ["a", "b"], "text": _quote_texts(texts)[-2:]}))
    probes = [(r.description, r.speaker) for r in att.itertuples()] + [
        ("a Japanese official", "Abe"), ("the U.S.-based analyst", "Smith"), ("", "the BBC"),
        ("", "Xinhua"), ("South Korean and Chinese", "Kim"), ("", "Nobody"),
    ]
    stated = 0
    for desc, name in probes:
        d = describe(desc, "", name, lex)
        want = _reference_nationality(desc, name, lex)
        assert (d["nationality"], d["nationality_source"]) == want, (desc, name)
        stated += want[1] == "stated"
    assert stated >= 2


def _reference_naming(corpus: pd.DataFrame, att: pd.DataFrame) -> pd.DataFrame:
    """Naming mentions with the attributions filtered per document and linear scans."""
    from helpers.framing.naming import _MENTION_COLUMNS

    tab = load_naming()
    matcher = _naming_matcher(tab)
    rows = []
    for doc_id, text in zip(corpus["doc_id"], corpus["text"], strict=True):
        doc_att = att[att["doc_id"] == doc_id]
        by_sent = {}
        for r in doc_att.itertuples(index=False):
            by_sent.setdefault((r.sent_start, r.sent_end), r.speaker_resolved or r.speaker)
        qs, sents = _reference_quote_spans(text), sentence_spans(text)
        for m in _reference_find(matcher, text):
            c, v = m["key"].split("/", 1)
            si = next((i for i, (s, e) in enumerate(sents) if s <= m["start"] < e), -1)
            in_quote = any(s <= m["start"] and m["end"] <= e for s, e in qs)
            speaker = by_sent.get(sents[si], "") if si >= 0 else ""
            vs = tab.concepts[c][v]
            rows.append((doc_id, c, tab.labels[c], v, str(vs.get("label", v)), str(vs.get("usage", "")),
                         m["term"], m["start"], m["end"], si,
                         "quote" if in_quote else ("attributed" if speaker else "author"), speaker))
    out = pd.DataFrame(rows, columns=_MENTION_COLUMNS)
    out.insert(out.columns.get_loc("voice"), "order", out.groupby(["doc_id", "concept"]).cumcount())
    return out


def test_naming_mentions_equal_the_reference(corpus, texts):
    quoted = pd.DataFrame({"doc_id": ["q0", "q1"], "title": "", "text": [
        '“The Diaoyu Islands are China’s,” Hong Lei said. Japan calls them the Senkaku Islands.',
        'Abe said the Senkakus were Japanese. "Diaoyutai" is the Taiwanese name, Ma said.']})
    c = pd.concat([corpus, quoted], ignore_index=True)
    att = sources.attributions(c)
    got = framing.naming_mentions(c, attributions=att)
    want = _reference_naming(c, att)
    assert set(got["voice"]) == {"author", "attributed", "quote"}
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize(
    "name, func, columns",
    [
        ("framing.frame_scores", lambda: __import__("functools").partial(
            framing.frame_scores, scheme="territorial", level="document", negation_window=3), ["text"]),
        ("framing.section_units", lambda: framing.section_units, ["title", "text"]),
        ("framing.indicator_answers", lambda: framing.indicator_answers, ["text"]),
        ("sources.attributions", lambda: sources.attributions, ["text"]),
    ],
)
def test_notebook_measures_are_document_separable(corpus, tmp_path, monkeypatch, name, func, columns):
    """Through map_documents (chunks of 7 documents, then from the cache) = one call on all."""
    from helpers.compute import map_documents

    monkeypatch.setenv("COVERAGE_LAB_CACHE", str(tmp_path))
    monkeypatch.setenv("COVERAGE_LAB_PROGRESS", "0")
    f = func()
    want = f(corpus[["doc_id", *columns]])
    for _ in range(2):  # cold, then every document from the cache
        got = map_documents(f, corpus, name=name, columns=columns, chunk_docs=7, workers=1)
        pd.testing.assert_frame_equal(got, want)
    assert len(want) > len(corpus) / 2


def test_voice_balance_figure_pools_the_tail_but_keeps_every_row():
    from helpers.plots import framing as framing_plots

    att = pd.DataFrame({"speaker": list("abcdefgh"), "speaker_resolved": list("abcdefgh"),
                        "nationality": ["China"] * 3 + ["Japan"] * 2 + ["US", "UK", "France"]})
    vb = sources.voice_balance(att, by="nationality")
    fig, tab = framing_plots.plot_voice_balance(vb, by="nationality", top=3)
    bars = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert bars == ["China", "Japan", "other"] and len(tab) == 5
    fig, tab = framing_plots.plot_voice_balance(vb, by="nationality", top=10)
    assert len(fig.axes[0].get_yticklabels()) == 5


def test_per_document_frames_equal_the_batch_calls(corpus, tmp_path, monkeypatch):
    """Model and dictionary decisions per document (through map_documents, chunks of 5) are the
    batch calls the notebook made before: predict_proba, predict, dictionary_predict."""
    from functools import partial

    from helpers.compute import map_documents

    monkeypatch.setenv("COVERAGE_LAB_CACHE", str(tmp_path))
    monkeypatch.setenv("COVERAGE_LAB_PROGRESS", "0")
    fm = framing.load_frame_model("generic")
    if fm.classifier is None:
        pytest.skip("no generic frame model")
    texts = corpus["text"].fillna("").tolist()
    labels = list(fm.classifier.labels_)
    got = map_documents(partial(framing.model_frames, folder=str(fm.folder), kind=framing.KINDS["generic"]),
                        corpus, name="t.model", columns=["text"], chunk_docs=5, workers=1)
    proba, pred = fm.classifier.predict_proba(texts), fm.classifier.predict(texts)
    pd.testing.assert_frame_equal(got[[f"p_{c}" for c in labels]], proba[labels].add_prefix("p_"))
    pd.testing.assert_frame_equal(got[labels], pred[labels])
    thresholds = {labels[0]: 2.0}
    dic = map_documents(partial(framing.dictionary_frames, labels=labels, thresholds=thresholds),
                        corpus, name="t.dict", columns=["text"], chunk_docs=5, workers=1)
    want = framing.dictionary_predict(texts, labels, "generic", "multilabel", thresholds)
    pd.testing.assert_frame_equal(dic[labels], pd.DataFrame(want, columns=labels))
    assert 0 < want.sum() < want.size


@pytest.mark.parametrize("level", ["document", "sentence"])
def test_several_schemes_in_one_pass_equal_each_scheme_alone(corpus, level):
    """frame_scores with a list of schemes tokenises once for all of them: the rows must be the
    reference rows of each scheme, concatenated in the order given, even when two schemes share
    frame names and entries (each key keeps its own longest-match competition)."""
    mine = framing.FrameDictionary(
        name="mine",
        categories={"conflict": ["dispute", "china's coast guard", "war*"], "economic": ["econom*", "money"]},
    )
    schemes = ["generic", mine, "policy", "territorial"]
    units = framing.as_units(corpus, level)
    got = framing.frame_scores(units, schemes, max_evidence=3)
    want = pd.concat(
        [_reference_frame_scores(units, as_dictionary(s), max_evidence=3) for s in schemes],
        ignore_index=True,
    )
    assert set(got["scheme"]) == {"generic", "mine", "policy", "territorial"}
    assert got[got["scheme"] == "mine"]["n_matches"].sum() > 5
    pd.testing.assert_frame_equal(got[list(want.columns)], want, check_dtype=False)
    one = framing.frame_scores(units, ["generic"])
    pd.testing.assert_frame_equal(one, framing.frame_scores(units, "generic"))


def test_lexicon_features_shared_between_keys_equal_fresh_ones(texts, monkeypatch):
    """The full feature call also fills each scheme's own rows; those equal a fresh computation."""
    from helpers.framing import features

    monkeypatch.setattr(features, "_LEX_CACHE", {})
    full = features.lexicon_features(texts)
    shared = {s: features.lexicon_features(texts, (s,), indicators=False) for s in ("generic", "policy")}
    monkeypatch.setattr(features, "_LEX_CACHE", {})
    for s, got in shared.items():
        fresh = features.lexicon_features(texts, (s,), indicators=False)
        pd.testing.assert_frame_equal(got, fresh)
        pd.testing.assert_frame_equal(got, full[list(fresh.columns)])
    assert full.filter(like="generic:").to_numpy().sum() > 0


def test_style_features_equal_the_regex_counts(texts):
    """Character cues are counted with str.count: the same numbers as the regex findall."""
    from helpers.framing.features import _STYLE_PATTERNS, style_features
    from helpers.text import tokenize

    extra = ['He asked "why?!" twice?? “Yes!” ”no“ !!', "?", '"""',
             "I'm me, mine; WE/Us/ours, YOU’re yours. I’ve uſ ME My Mine i me-my we’re you've I'Ve",
             "Imine myself, Iyou, our-us-we, 'I' “me” (you) I\nme\tYOURS; ussr Uses yourself"]
    got = style_features([*texts, *extra])
    for i, t in enumerate([*texts, *extra]):
        n = max(len(tokenize(t)), 1)
        for k, rx in _STYLE_PATTERNS.items():
            assert got.loc[i, f"style:{k}"] == 1000 * len(rx.findall(t)) / n, (k, t[:40])


def test_indicator_matcher_kept_on_the_dictionary_ignores_thresholds(corpus):
    """The cue matcher is reused across calls; thresholds given per call still apply."""
    strict = framing.indicator_answers(corpus, min_matches={"co1": 99})
    default = framing.indicator_answers(corpus)
    assert not strict[strict["question_id"] == "co1"]["answer"].any()
    assert (strict["n_cues"] == default["n_cues"]).all()
    assert default[default["question_id"] == "co1"]["answer"].any()


def test_model_given_the_notebooks_tables_predicts_as_from_text(corpus):
    """Notebook 10 hands the generic model its document scores and indicator answers: the
    probabilities and decisions must be those the model computes from the text alone."""
    from helpers.framing import features
    from helpers.framing.evaluation import model_frames

    fm = framing.load_frame_model("generic")
    if fm.classifier is None:
        pytest.skip("no generic frame model shipped")
    schemes = list(fm.classifier.feat_.schemes)
    part = corpus[["doc_id", "text"]]
    extra = framing.FrameDictionary(name="mine", categories={"conflict": ["dispute"]})
    scores = framing.frame_scores(part, [*schemes, extra])  # an extra scheme is ignored
    known = framing.lexicon_columns(scores, framing.indicator_answers(part), schemes)
    given = part.merge(known.reset_index(), on="doc_id", how="left")
    features._LEX_CACHE.clear()
    got = model_frames(given, str(fm.folder), framing.KINDS["generic"])
    features._LEX_CACHE.clear()
    want = model_frames(part, str(fm.folder), framing.KINDS["generic"])
    pd.testing.assert_frame_equal(got, want)
    assert got.filter(like="p_").to_numpy().std() > 0
    codes = [c for c in framing.GENERIC_CODES if c in got.columns]
    features._LEX_CACHE.clear()
    dict_given = framing.dictionary_frames(given, codes, "generic", {codes[0]: 5.0})
    features._LEX_CACHE.clear()
    pd.testing.assert_frame_equal(dict_given, framing.dictionary_frames(part, codes, "generic", {codes[0]: 5.0}))
    assert dict_given[codes].to_numpy().sum() > 0
    features._LEX_CACHE.clear()
    with pytest.raises(ValueError, match="lack"):
        model_frames(given.drop(columns=[c for c in given if c.startswith("ind:")]),
                     str(fm.folder), framing.KINDS["generic"])


def _reference_sentence_peaks(texts, scheme="generic") -> pd.DataFrame:
    """The earlier sentence_peak_features: frame_scores per sentence, grouped and unstacked."""
    ids = [str(i) for i in range(len(texts))]
    corpus = pd.DataFrame({"doc_id": ids, "text": ["" if not isinstance(t, str) else t for t in texts]})
    ss = framing.frame_scores(corpus, scheme, "sentence")
    if ss.empty:
        frames = list(as_dictionary(scheme).categories)
        cols = [f"peak:{f}" for f in frames] + [f"dense:{f}" for f in frames]
        return pd.DataFrame(0.0, index=range(len(texts)), columns=cols)
    ss = ss.assign(dense=(ss["n_matches"] >= 2).astype(float))
    agg = ss.groupby(["doc_id", "frame"]).agg(peak=("n_matches", "max"), dense=("dense", "mean")).unstack()
    agg.columns = [f"{a}:{b}" for a, b in agg.columns]
    return agg.reindex(ids).fillna(0.0).reset_index(drop=True)


@pytest.mark.parametrize("scheme", ["generic", "policy"])
def test_sentence_peaks_equal_the_reference(texts, scheme):
    """Counted straight from the matcher: the same columns, values and dtypes as grouping the
    sentence-level score table (with and without texts that have no sentence)."""
    from helpers.framing.features import sentence_peak_features

    for batch in (texts, [t for t in texts if t.strip()][:12], ["", "  "], texts[:1]):
        got = sentence_peak_features(batch, scheme)
        want = _reference_sentence_peaks(batch, scheme)
        pd.testing.assert_frame_equal(got, want)
    assert got.filter(like="peak:").to_numpy().max() >= 2


# --- one pass per document text: spans of it scanned as if each were a text of its own ----------

SPAN_TEXTS = [
    # a phrase across the lead/body edge; a negator just before the body; the edge inside a token
    "The row over the east\n\nChina Sea dispute goes on.",
    "There is no\n\nconflict here, nor war. Not a crisis.",
    "Co-operation\n\nbroke down; China's coast guard and Japan’s navy; economic-costs.",
    "Nothing at all.\n\n\n   \n",
]


def _reference_scan_spans(m: Matcher, text: str, spans, window: int):
    """Each span scanned on its own (the plain loop of _reference_find), as scan tuples."""
    found = []
    for s, e in spans:
        sub = text[s:e]
        found.append(([(h["key"], h["start"], h["end"], h["token"], h["negator"])
                       for h in _reference_find(m, sub, window)], len(token_spans(sub))))
    return found


def _span_cases(text: str, rng: random.Random) -> list[tuple[int, int]]:
    """The whole text, its paragraphs and sentences, spans cut at token edges and anywhere."""
    edges = [0, len(text), *(x for sp in token_spans(text) for x in sp)]
    spans = [(0, len(text)), *sentence_spans(text), (0, 0), (len(text), len(text)), (3, 2), (-1, 4)]
    for _ in range(12):
        spans.append(tuple(sorted((rng.choice(edges), rng.choice(edges)))))
        a = rng.randrange(len(text) + 1)
        spans.append((a, rng.randrange(a, len(text) + 1)))
    return spans


@pytest.mark.parametrize("scheme", ["generic", "territorial", "phrases"])
@pytest.mark.parametrize("window", [0, 3, 6])
def test_scan_spans_equal_scanning_each_span(texts, scheme, window):
    """scan_spans (one tokenisation of the text) gives every span exactly what scanning its
    text alone gives: spans cut inside tokens, phrases across span edges, negators before them."""
    cats = {"sea": ["east china sea", "china sea", "china"], "war": ["conflict", "war*", "crisis"],
            "co": ["co-operation", "operation", "coast guard", "china's coast guard", "econom*"]}
    m = Matcher(cats) if scheme == "phrases" else Matcher(as_dictionary(scheme).categories)
    rng = random.Random(7)
    n_cut = 0
    for text in [*SPAN_TEXTS, *texts]:
        spans = _span_cases(text, rng)
        found, counts = m.scan_spans(text, spans, window)
        got = [([(k, s, e, i, neg) for k, _, s, e, i, neg in f], c) for f, c in zip(found, counts, strict=True)]
        assert got == _reference_scan_spans(m, text, spans, window)
        assert found == [m.scan(text[s:e], window) for s, e in spans]
        n_cut += sum(len(f) for f in found[1:])
    assert n_cut > 100


def test_scan_spans_edge_cases():
    """A phrase across an edge is in neither span (the shorter entry inside is), a negator before
    a span does not reach into it, an edge inside a token gives that span its own tokens."""
    m = Matcher({"sea": ["east china sea", "china"], "war": ["conflict"]})
    text = SPAN_TEXTS[0]
    body = text.index("China")
    (whole, lead, rest), counts = m.scan_spans(text, [(0, len(text)), (0, body - 2), (body, len(text))])
    assert [m.entry(h[1]) for h in whole] == ["east china sea"] and lead == []
    assert [(m.entry(h[1]), h[2], h[4]) for h in rest] == [("china", 0, 0)] and counts == [10, 5, 5]
    text = SPAN_TEXTS[1]
    (whole, body), _ = m.scan_spans(text, [(0, len(text)), (text.index("conflict"), len(text))])
    assert whole[0][5] == "no" and body[0][5] == ""
    (cut,), (n,) = m.scan_spans("conflicts conflict", [(1, 18)])
    assert n == 2 and [h[2] for h in cut] == [9]


def _corpus_2k(n: int = 120) -> pd.DataFrame | None:
    """The first ``n`` articles of the scale corpus (git-ignored; None when it is not built)."""
    import json

    from helpers.config import PROJECT_ROOT

    path = PROJECT_ROOT / "benchmarks" / "results" / "scale" / "corpus-2k.jsonl"
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line, _ in zip(f, range(n), strict=False)]
    return pd.DataFrame({"doc_id": [f"c{i}" for i in range(len(rows))],
                         "title": [r.get("title") for r in rows], "text": [r.get("text") for r in rows]})


@pytest.mark.parametrize("which", ["edge", "corpus-2k"])
def test_frame_scores_by_level_equal_each_level_alone(corpus, which):
    """Every level from one pass per document = frame_scores of each level's units table (the
    notebook's earlier calls: documents, then section_units), rows and order included."""
    data = corpus if which == "edge" else _corpus_2k()
    if data is None:
        pytest.skip("corpus-2k not built")
    edge = pd.DataFrame({"doc_id": ["e0", "e1", "e2", "e3"], "title": ["Row", None, "", "Nothing at all."],
                         "text": SPAN_TEXTS})
    data = pd.concat([data, edge], ignore_index=True)
    mine = framing.FrameDictionary(name="mine", categories={"sea": ["east china sea", "china"],
                                                             "war": ["conflict", "war*"]})
    schemes = ["generic", "policy", "territorial", mine]
    levels = ("document", "section", "sentence", "paragraph")
    got = framing.frame_scores_by_level(data, schemes, levels)
    for lev in levels:
        units = framing.section_units(data) if lev == "section" else framing.as_units(data[["doc_id", "text"]], lev)
        want = framing.frame_scores(units, schemes)
        pd.testing.assert_frame_equal(got[got["level"] == lev].reset_index(drop=True), want)
    assert got["n_matches"].sum() > 100
    one = framing.frame_scores_by_level(data, "territorial", ("section",))
    pd.testing.assert_frame_equal(one, framing.frame_scores(framing.section_units(data), "territorial"))


def test_frame_scores_by_level_is_document_separable(corpus, tmp_path, monkeypatch):
    """Through map_documents (chunks of 7 documents, then from the cache) = one call on all."""
    from functools import partial

    from helpers.compute import map_documents

    monkeypatch.setenv("COVERAGE_LAB_CACHE", str(tmp_path))
    monkeypatch.setenv("COVERAGE_LAB_PROGRESS", "0")
    f = partial(framing.frame_scores_by_level, scheme=["generic", "territorial"], negation_window=3)
    want = f(corpus[["doc_id", "title", "text"]])
    order = {"generic": 0, "territorial": 1}

    def per_level(t):  # the notebook's split: by level, rows by scheme (stable), then document
        return [t[t["level"] == lev].sort_values("scheme", key=lambda c: c.map(order), kind="stable",
                                                  ignore_index=True) for lev in ("document", "section")]

    for _ in range(2):  # cold, then every document from the cache
        got = map_documents(f, corpus, name="t.levels", columns=["title", "text"], chunk_docs=7, workers=1)
        for g, w in zip(per_level(got), per_level(want), strict=True):
            pd.testing.assert_frame_equal(g, w)
    assert set(want["level"]) == {"document", "section"}


@pytest.mark.parametrize("which", ["edge", "corpus-2k"])
def test_sentence_sample_equals_sampling_every_sentence(corpus, which):
    """The notebook's policy sample, drawn from per-document counts (only the documents drawn are
    split), is the sample pandas draws from the table of every sentence with text."""
    from helpers.text import units

    data = corpus if which == "edge" else _corpus_2k(400)
    if data is None:
        pytest.skip("corpus-2k not built")
    counts = framing.sentence_counts(data)
    u = units(data, "sentence")
    u = u[u["text"].str.strip() != ""]
    for n, seed in [(50, 1), (200, 20130114), (len(u) - 1, 3), (len(u), 3), (10**6, 0)]:
        want = u.sample(n, random_state=seed).sort_index() if len(u) > n else u
        got = framing.sample_sentences(data, counts, n, seed)
        pd.testing.assert_frame_equal(got, want.reset_index(drop=True))
    with pytest.raises(ValueError, match="one row per document"):
        framing.sample_sentences(data, counts.iloc[1:], 5, 0)
