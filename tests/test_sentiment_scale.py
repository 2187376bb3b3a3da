"""The sentiment measures at corpus scale: each fast path against a plain reference, and each
per-document measure document-separable (the same rows through ``map_documents`` in chunks).

References are the previous implementations, kept here in their plain form: VADER's "but" rule
with ``list.index``, the dictionary lookup at every token, the alias regex run per sentence, the
target model's lexicon features from one ``polarity_scores`` call per text, the drivers parsed
part by part. Texts: the seed article, its sentences recombined with target names, negations,
phrases and the characters the fast paths treat specially (separators, curly quotes, emojis).
"""

from __future__ import annotations

import random
import re
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import text
from helpers.compute import map_documents
from helpers.sentiment import (
    SHIPPED_DIR,
    SentimentDictionary,
    VaderScorer,
    dictionary_scores,
    driver_terms,
    entity_sentiment,
    find_mentions,
    light_model,
    load_aliases,
    load_dictionary,
    load_target_model,
    mention_tone,
    model_fingerprint,
    pool_other_groups,
    top_rows,
    unit_scores,
    vader_scores,
)
from helpers.sentiment import dictionaries as dict_mod
from helpers.sentiment.dictionaries import _CLAUSE_BREAK, _DICT_TOKEN_RE, NEGATORS, _negated_before
from helpers.sentiment.mentions import _alias_key, _alias_regex
from helpers.sentiment.scores import _window
from helpers.sentiment.vader import _format_drivers
from helpers.sentiment.vader_batch import but_replay

TRICKY = [
    "",
    "   ",
    "China’s envoy did not agree, citing threats; Japan's minister never so happy.",
    "North\nKorea and South America met Latin America in Beijing.",
    "The U.S. and Chinese-American ties: Xi Jinping met Kim Jong Un \x00 in Pyongyang.",
    "Separator \n\x00\n inside China\n\x00\nJapan text.",
    "NATO’s WAR on terror is NOT a great success but a TERRIBLE failure :) 😀",
    "Tokyo praised the deal, but Beijing condemned it without doubt; at least no one died.",
    "Abe Abe Abe said Japan Japan Japan won, won, won.",
    "Talks with North",  # with the next text: "North Korea" if units were joined by a space
    "Korea failed, a Tokyo-",
    "Japan",
]


@pytest.fixture(scope="module")
def corpus(seed_corpus) -> pd.DataFrame:
    """The seed article plus 60 documents of its sentences recombined with the tricky texts."""
    sents = text.units(seed_corpus, "sentence")["text"].tolist() + TRICKY
    rng = random.Random(7)
    docs = [(str(d), t) for d, t in zip(seed_corpus["doc_id"], seed_corpus["text"], strict=True)]
    for k in range(60):
        paras = ["  ".join(rng.choices(sents, k=rng.randint(1, 6))) for _ in range(rng.randint(0, 4))]
        docs.append((f"gen{k:02d}", "\n\n".join(paras)))
    return pd.DataFrame(docs, columns=["doc_id", "text"])


@pytest.fixture(scope="module")
def sentences(corpus) -> pd.DataFrame:
    units = text.units(corpus, "sentence")
    extra = pd.DataFrame({"unit_id": [f"x:s{i}" for i in range(len(TRICKY) + 1)], "doc_id": "x",
                          "level": "sentence", "position": range(len(TRICKY) + 1), "paragraph": 0,
                          "text": [*TRICKY, None]})
    return pd.concat([units, extra], ignore_index=True)


# ------------------------------------------------------------------------------ VADER "but"


def _reference_but_replay(positions, vals, bi):
    for k in range(len(vals)):
        v = vals[k]
        si = vals.index(v)
        if positions[si] < bi:
            vals[si] = v * 0.5
        elif positions[si] > bi:
            vals[si] = v * 1.5
    return vals


def test_but_replay_equals_list_index_replay():
    rng = random.Random(3)
    for _ in range(3000):
        n = rng.randint(0, 120)  # both paths: list.index up to 48 hits, heaps beyond
        pool = rng.sample([-3.1, -2.0, -1.0, -0.5, 0.5, 0.75, 1.0, 1.5, 2.0, 2.25, 3.0, 4.5], 4)
        vals = [rng.choice(pool) for _ in range(n)]
        positions = sorted(rng.sample(range(300), n))
        bi = rng.randint(-1, 301)
        want = _reference_but_replay(positions, list(vals), bi)
        got = but_replay(positions, list(vals), bi)
        assert [v.hex() for v in got] == [v.hex() for v in want], (vals, positions, bi)


def test_vader_on_long_documents_with_but_is_exact(corpus):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    docs = [" but ".join([t] * 3) for t in corpus["text"].tolist()[:25]]
    docs += ["Great talks. " * 300 + "A deal 😀 but “bad”", "Peace – “war” " * 100 + "💘"]  # emoji at the end
    got = VaderScorer().score_texts(docs)[["neg", "neu", "pos", "compound"]].to_dict("records")
    assert got == [analyzer.polarity_scores(d) for d in docs]


# ------------------------------------------------------------------------------ dictionary


def _reference_lookup(d: SentimentDictionary, tokens, i):
    tok = tokens[i]
    for key in {tok, *[tok[:k] for k in d._prefix]} & d._multi.keys():
        for words, cat, w in d._multi[key]:
            n = len(words)
            if i + n <= len(tokens) and all(d._word_match(tokens[i + k], words[k]) for k in range(n)):
                return n, cat, w
    if tok in d._exact:
        return (1, *d._exact[tok])
    for k in sorted(d._prefix, reverse=True):
        hit = d._prefix[k].get(tok[:k]) if len(tok) >= k else None
        if hit:
            return 1, hit[0], hit[1]
    return None


def _reference_dictionary_rows(units, d, negation_window):
    rows = []
    for t in units["text"]:
        toks = [x.lower().replace("’", "'") for x in _DICT_TOKEN_RE.findall(t if isinstance(t, str) else "")]
        pos = neg = 0.0
        drivers, i = [], 0
        while i < len(toks):
            hit = _reference_lookup(d, toks, i)
            if hit is None:
                i += 1
                continue
            n, _cat, w = hit
            phrase = " ".join(toks[i:i + n])
            if negation_window and _negated_before(toks, i, negation_window):
                w, phrase = -w, "NOT " + phrase
            pos, neg = (pos + w, neg) if w > 0 else (pos, neg - w)
            drivers.append((phrase, w))
            i += n
        rows.append((sum(x not in _CLAUSE_BREAK for x in toks), pos, neg, _format_drivers(drivers)))
    return pd.DataFrame(rows, columns=["n_words", "positive", "negative", "drivers"])


@pytest.mark.parametrize("which", ["shipped", "phrases and globs"])
@pytest.mark.parametrize("negation_window", [0, 3])
def test_dictionary_scores_equal_reference(sentences, which, negation_window, monkeypatch):
    d = load_dictionary() if which == "shipped" else SentimentDictionary(
        "t",
        {"positive": ["agree*", "peace", "great success", "cooperat* pact", "won"],
         "negative": ["threat*", "war", "condemn*", "terrible failure", "no one", "not agree"],
         "neg_positive": ["not a great*"]},
        {"positive": 1, "negative": -1, "neg_positive": -1},
    )
    monkeypatch.setattr(dict_mod, "_BATCH_TEXTS", 7)  # many batches, one token cache
    d.lookup(["war", "peace"], 0)  # a lookup before scoring caches "war": scores must still count it
    got = dictionary_scores(sentences, d, negation_window=negation_window)
    want = _reference_dictionary_rows(sentences, d, negation_window)
    pd.testing.assert_frame_equal(got[want.columns.tolist()], want, check_exact=True)
    assert (got["positive"] + got["negative"] > 0).sum() > 10  # the texts do hit the dictionary
    assert NEGATORS  # negation is exercised by the texts ("did not agree")


def _generated_texts(n: int = 3000, seed: int = 11) -> list:
    """Random sentences over the dictionary's words, globs, phrases, negators, clause breaks,
    digits, curly quotes, capitals and non-ASCII text (the bulk path's separator among them)."""
    rng = random.Random(seed)
    vocab = ["agree", "agreement", "agreed", "threat", "threats", "war", "peace", "great", "success",
             "terrible", "failure", "cooperation", "pact", "no", "one", "not", "never", "without",
             "didn't", "isn’t", "cannot", "Tokyo", "WAR", "Peace", "the", "a", "of", "and", "said",
             ",", ".", ";", "(", ")", "\u2013", "\u2014", "!", "?", "3.5", "1,000", "42", "well-known",
             "co-operation", "µ", "µm", "Größe", "naïve", "İstanbul", "\x00", "😀", "’", "'", "-"]
    out = []
    for _ in range(n):
        k = rng.randint(0, 25)
        sep = rng.choice([" ", " ", " ", "", "  ", "\n"])
        out.append(sep.join(rng.choices(vocab, k=k)))
    out += [None, "", "µ", "µ µ", " µ ", "no", "not"]
    return out


_GLOB_DICT = {"positive": ["agree*", "peace", "great success", "cooperat* pact", "won", "success"],
              "negative": ["threat*", "war", "condemn*", "terrible failure", "no one", "terrible",
                           "failure", "µ*"],
              "neg_positive": ["not a great*"], "odd": ["co-operation", "well-known", "grö*"]}


@pytest.mark.parametrize("dict_kind", ["shipped", "globs", "one-word globs", "odd weights"])
@pytest.mark.parametrize("negation_window", [0, 1, 3, -1, True])
@pytest.mark.parametrize("batch", [7, 5000])
def test_dictionary_bulk_path_equals_reference_on_generated_text(dict_kind, negation_window, batch,
                                                                 monkeypatch):
    if dict_kind == "shipped":
        d = load_dictionary()
    elif dict_kind == "globs":
        d = SentimentDictionary("t", _GLOB_DICT, {"positive": 1, "negative": -1, "neg_positive": -1,
                                                  "odd": 0.0})
    elif dict_kind == "one-word globs":  # no phrase: every text takes the bulk path
        d = SentimentDictionary("t", {"positive": ["agree*", "peace", "success"],
                                      "negative": ["threat*", "war", "µ"]},
                                {"positive": 1, "negative": -1})
    else:  # weights whose sums depend on the order of additions
        d = SentimentDictionary("t", {"positive": ["agree*", "peace", "success"],
                                      "negative": ["threat*", "war", "failure"]},
                                {"positive": 0.1, "negative": -0.7000000000000001})
    monkeypatch.setattr(dict_mod, "_BATCH_TEXTS", batch)
    table = pd.DataFrame({"doc_id": "g", "unit_id": [f"g:s{i}" for i in range(len(_generated_texts()))],
                          "text": _generated_texts()})
    got = dictionary_scores(table, d, negation_window=negation_window)
    want = _reference_dictionary_rows(table, d, negation_window)
    pd.testing.assert_frame_equal(got[want.columns.tolist()], want, check_exact=True)
    assert got["drivers"].str.contains("NOT ").any() == (negation_window not in (0, -1))


def test_dictionary_bulk_path_edge_cases():
    d = load_dictionary()
    empty = dictionary_scores(pd.DataFrame({"doc_id": [], "text": []}), d)
    assert empty.empty
    assert list(empty.columns)[-7:] == ["text", "n_words", "positive", "negative", "score",
                                        "per_100_words", "drivers"]
    only_other = pd.DataFrame({"unit_id": ["a", "b"], "doc_id": "x", "text": ["Größe war", "naïve peace"]})
    want = _reference_dictionary_rows(only_other, d, 3)
    got = dictionary_scores(only_other, d)
    pd.testing.assert_frame_equal(got[want.columns.tolist()], want, check_exact=True)
    # a non-integer window takes the plain path, with the plain path's results
    got = dictionary_scores(only_other, d, negation_window=2.5)
    pd.testing.assert_frame_equal(got[want.columns.tolist()], _reference_dictionary_rows(only_other, d, 2.5),
                                  check_exact=True)


def test_vader_n_words_and_idiom_windows_equal_reference(corpus):
    """n_words comes from the batch's split, idiom hits are rescored on their window of words:
    both against VADER itself / a plain split, on documents, sentences and generated texts."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    idioms = ["the shit", "kiss of death", "cut the mustard", "bad ass", "yeah right", "kind of",
              "the bomb", "hand to mouth", "sort of", "just kidding", "no", "least", "never so"]
    rng = random.Random(5)
    words = ["good", "bad", "great", "war", "peace", "very", "not", "but", "GOOD", "!", "?",
             "\x1e", "\x00", "😀"] + idioms
    gen = [" ".join(rng.choices(words, k=rng.randint(0, 30))) for _ in range(1500)]
    docs = corpus["text"].tolist() + [" ".join(gen[k:k + 40]) for k in range(0, 1500, 40)]
    texts = docs + gen + [None]
    got = vader_scores(pd.DataFrame({"doc_id": range(len(texts)), "text": texts}))
    assert got["n_words"].tolist() == [len(t.split()) if isinstance(t, str) else 0 for t in texts]
    assert got["n_words"].dtype == np.int64
    want = [analyzer.polarity_scores(t) for t in texts[:-1]]
    assert got[["neg", "neu", "pos", "compound"]].iloc[:-1].to_dict("records") == want
    assert "n_words" not in VaderScorer().score_texts(["a good day"]).columns


# ------------------------------------------------------------------------------ mentions


def _reference_find_mentions(table, aliases):
    keep = aliases[aliases["kind"] != "exclude"]
    excl = aliases[aliases["kind"] == "exclude"]["alias"].tolist()
    rx, rx_excl = _alias_regex(keep["alias"].tolist()), _alias_regex(excl) if excl else None
    exact = {a: (t, k, a) for t, k, a in keep[["target", "kind", "alias"]].itertuples(index=False)}
    folded = {_alias_key(a).lower(): v for a, v in exact.items() if a == a.lower()}
    exact = {_alias_key(a): v for a, v in exact.items()}
    rows = []
    for uid, did, t in zip(table["unit_id"], table["doc_id"], table["text"], strict=True):
        if not isinstance(t, str) or not t:
            continue
        blocked = [m.span() for m in rx_excl.finditer(t)] if rx_excl else []
        k = 0
        for m in rx.finditer(t):
            s, e = m.span()
            if any(bs <= s and e <= be for bs, be in blocked):
                continue
            key = _alias_key(m.group(0))
            hit = exact.get(key) or folded.get(key.lower())
            if hit is None:
                continue
            rows.append((f"{uid}:m{k}", uid, did, *hit, m.group(0), s, e, t))
            k += 1
    return pd.DataFrame(rows, columns=["mention_id", "unit_id", "doc_id", "target", "kind", "alias",
                                       "mention", "from", "to", "sentence"])


@pytest.mark.parametrize("level", ["sentence", "paragraph"])
def test_find_mentions_equals_per_unit_regex(corpus, sentences, level, monkeypatch):
    from helpers.sentiment import mentions

    aliases = load_aliases()
    table = sentences if level == "sentence" else text.units(corpus, level)
    monkeypatch.setattr(mentions, "_BATCH_UNITS", 13)
    got = find_mentions(table, aliases)
    want = _reference_find_mentions(table, aliases)
    assert len(want) > 50 and (level == "paragraph" or want["unit_id"].str.startswith("x:").any())
    pd.testing.assert_frame_equal(got, want, check_exact=True)



#: Aliases whose heads are frequent or odd: lower-case phrases (any case, any spacing), one
#: letter before a dot, apostrophes (’ too), hyphens, a head shared by several aliases.
ODD_ALIASES = pd.DataFrame(
    [("NATO", "names", "the alliance"), ("NATO", "names", "Atlantic alliance"),
     ("NATO", "names", "the west"), ("US", "names", "U.S."), ("US", "names", "US"),
     ("US", "names", "U.S. military"), ("China", "bodies", "People's Liberation Army"),
     ("China", "names", "China"), ("China", "names", "Chinese"), ("X", "names", "kim jong-un"),
     ("X", "names", "a"), ("X", "names", "thé"), ("US", "exclude", "the alliance of"),
     ("US", "exclude", "Latin America")],
    columns=["target", "kind", "alias"],
)
ODD_TEXTS = [
    "The alliance met THE ALLIANCE and the\nalliance and tHe   Alliance; the allianced no.",
    "the alliance of states, Atlantic alliance, the West, the west-bound, the-alliance.",
    "U.S. and US-led U.S. military in U.S.A; US’s People’s Liberation Army, People's Liberation Army.",
    "Kim Jong-un, KIM JONG-UN, kim jong-unx, a A a-b ba THÉ Thé thé the China Chinese Chinesey.",
    "ΤΗΕ alliance (Greek capitals), the\u00a0alliance, ǅ, ﬀ, K\u212a, Latin America the alliance",
]


def _corpus_2k_sentences(n: int = 300) -> list:
    path = Path(__file__).parents[1] / "benchmarks" / "results" / "scale" / "corpus-2k.jsonl"
    if not path.is_file():
        return []
    docs = pd.read_json(path, lines=True, nrows=n)
    return text.units(docs.assign(doc_id=docs.index.astype(str)), "sentence")["text"].tolist()


@pytest.mark.parametrize("aliases_kind", ["shipped", "odd"])
def test_find_mentions_screen_equals_per_unit_regex(sentences, aliases_kind):
    """The screen looks ahead for the rest of each alias: the same mentions as the plain regex
    on the seed's sentences, corpus-2k's (when built) and texts made to trip it."""
    aliases = load_aliases() if aliases_kind == "shipped" else ODD_ALIASES
    texts = [*sentences["text"].tolist(), *ODD_TEXTS, *_corpus_2k_sentences()]
    table = pd.DataFrame({"unit_id": [f"u{i}" for i in range(len(texts))], "doc_id": "d", "text": texts})
    got = find_mentions(table, aliases)
    want = _reference_find_mentions(table, aliases)
    assert len(want) > 40
    pd.testing.assert_frame_equal(got, want, check_exact=True)


# ------------------------------------------------------------------------------ target model


def _reference_dense_features(frame, scorer):
    lex, rows = scorer.lexicon, []
    for s, a, b in zip(frame["sentence"], frame["from"], frame["to"], strict=True):
        comp = [scorer.polarity_scores(t)["compound"] for t in (
            s, _window(s, a, b, 3), _window(s, a, b, 6), _window(s, a, b, 10), s[:a], s[b:],
            light_model._clause(s, a, b))]
        left = [t.lower() for t in light_model._TOKEN_RE.findall(s[:a])]
        right = [t.lower() for t in light_model._TOKEN_RE.findall(s[b:])]
        pos_w = neg_w = 0.0
        for side in (left[::-1], right):
            for d, tok in enumerate(side, 1):
                v = lex.get(tok, 0.0)
                if v > 0:
                    pos_w += v / d
                elif v < 0:
                    neg_w += -v / d
        neg_near = sum(t in light_model._NEGATION or t.endswith("n't") for t in left[-3:] + right[:3])
        n_tok = len(left) + len(right) + 1
        rows.append([*comp, pos_w, neg_w, neg_near, len(left) / n_tok, np.log1p(n_tok),
                     float(s.count("!") + s.count("?") > 0)])
    return np.asarray(rows, dtype=float)


def test_lexicon_features_and_shipped_predictions_unchanged(sentences, monkeypatch):
    mentions = find_mentions(sentences)
    edge = pd.DataFrame({"sentence": ["Japan", "Japan!", "“Japan” said: bad, but good."], "from": [0, 0, 1],
                         "to": [5, 5, 6]})
    frame = pd.concat([mentions[["sentence", "from", "to"]], edge], ignore_index=True)
    got = light_model._dense_features(frame, VaderScorer())
    want = _reference_dense_features(frame, VaderScorer())
    assert got.shape == want.shape and np.array_equal(got, want)
    model = load_target_model(SHIPPED_DIR)
    fast = model.predict_proba(frame)
    monkeypatch.setattr(light_model, "_dense_features",
                        lambda frame, scorer, prepared=None: _reference_dense_features(frame, scorer))
    assert np.array_equal(fast, model.predict_proba(frame))


# ------------------------------------------------------------------------------ drivers


def test_driver_terms_equal_part_by_part_parsing(sentences):
    scored = vader_scores(sentences.dropna(subset=["text"]))
    rx = re.compile(r"(.+?) \(([+-]\d+(?:\.\d+)?)\)$")
    want = []
    for uid, did, drivers in zip(scored["unit_id"], scored["doc_id"], scored["drivers"], strict=True):
        for part in drivers.split("; ") if isinstance(drivers, str) and drivers else []:
            m = rx.match(part)
            if m:
                want.append((uid, did, m.group(1).lower(), float(m.group(2))))
    want = pd.DataFrame(want, columns=["unit_id", "doc_id", "term", "valence"])
    assert len(want) > 50
    pd.testing.assert_frame_equal(driver_terms(scored), want, check_exact=True)


# ------------------------------------------------------------------------------ separability


def _same_through_map(func, table, name):
    whole = func(table).reset_index(drop=True)
    mapped = map_documents(func, table, name=name, cache=False, workers=1, chunk_docs=3, progress=False)
    pd.testing.assert_frame_equal(mapped, whole, check_exact=True, check_dtype=False)
    return whole


def test_per_document_measures_are_document_separable(corpus):
    from functools import partial

    units = {lv: _same_through_map(partial(text.units, level=lv), corpus, f"t.{lv}")
             for lv in ("sentence", "paragraph", "document")}
    for lv, u in units.items():
        scored = _same_through_map(partial(unit_scores, level=lv, neutral_band=0.1), corpus, f"t.vader.{lv}")
        pd.testing.assert_frame_equal(scored, vader_scores(u, neutral_band=0.1))
    sentences = units["sentence"]
    _same_through_map(partial(dictionary_scores, dictionary=load_dictionary()), sentences, "t.dict")
    mentions = _same_through_map(partial(find_mentions, aliases=load_aliases()), sentences, "t.m")
    model = load_target_model(SHIPPED_DIR)
    tone = _same_through_map(partial(entity_sentiment, model=model, window=10), mentions, "t.tone")
    assert tone["doc_id"].nunique() > 5
    both = _same_through_map(partial(mention_tone, aliases=load_aliases(), model=model), sentences, "t.mt")
    pd.testing.assert_frame_equal(both, tone)
    _same_through_map(partial(entity_sentiment, model=None, window=10), mentions, "t.window")


def test_model_fingerprint_follows_the_files(tmp_path):
    import shutil

    shipped = load_target_model(SHIPPED_DIR)
    assert model_fingerprint(shipped) == model_fingerprint(load_target_model(SHIPPED_DIR))
    copy = tmp_path / "targets"
    shutil.copytree(SHIPPED_DIR, copy)
    assert model_fingerprint(load_target_model(copy)) == model_fingerprint(shipped)
    (copy / "MODEL_CARD.md").write_text("edited", encoding="utf-8")
    assert model_fingerprint(load_target_model(copy)) != model_fingerprint(shipped)
    assert model_fingerprint(None) == "vader-window"


# ------------------------------------------------------------------------------ readable at scale


def test_top_rows_and_other_group():
    t = pd.DataFrame({"outlet": list("abcde"), "n_documents": [2, 9, 2, 5, 1]})
    assert top_rows(t, 3)["outlet"].tolist() == ["a", "b", "d"]
    assert top_rows(t, 9) is t
    s = pd.DataFrame({"doc_id": list("pqrstuv"), "outlet": list("aabbcde")})
    pooled = pool_other_groups(s, "outlet", 2)
    assert pooled["outlet"].tolist() == ["a", "a", "b", "b", *["other (3 outlets)"] * 3]
    assert pool_other_groups(s, "outlet", 5) is s


# ------------------------------------------------------------------------------ mention_tone (shared passes)


def _reference_context_tags(sentence, start, end, window=6, context=True, role=True):
    left = [t.lower() for t in light_model._TOKEN_RE.findall(sentence[:start])]
    right = [t.lower() for t in light_model._TOKEN_RE.findall(sentence[end:])]
    tags = []
    if not context:
        window = 0
    for d, tok in enumerate(reversed(left[-window:]), 1):
        tags.append(f"L{d if d <= 3 else 'far'}_{tok}")
    for d, tok in enumerate(right[:window], 1):
        tags.append(f"R{d if d <= 3 else 'far'}_{tok}")
    if context and len(left) >= 2:
        tags.append(f"LL_{left[-2]}_{left[-1]}")
    if context and len(right) >= 2:
        tags.append(f"RR_{right[0]}_{right[1]}")
    if not role:
        return tags
    if not left or all(t in {"the", "a", "an", "“", '"'} for t in left):
        tags.append("POS_sentence_start")
    if right and right[0] in light_model._REPORTING or (len(right) > 1 and right[1] in light_model._REPORTING):
        tags.append("ROLE_speaker")
    if left and left[-1] in light_model._REPORTING:
        tags.append("ROLE_after_reporting_verb")
    if sum(sentence[:start].count(q) for q in light_model._QUOTES) % 2 == 1:
        tags.append("ROLE_inside_quote")
    return tags


def _reference_features(model, X):
    """The light model's features as computed before the shared pass (transform per group)."""
    feats, parts = set(model.features), []
    rows = list(zip(X["sentence"], X["from"], X["to"], strict=True))
    if feats & {"sentence", "masked"}:
        texts = [(light_model._masked(s, a, b) if "masked" in feats else s).lower() for s, a, b in rows]
        parts.append(model.sentence_vec_.transform(texts))
    if feats & {"context", "role"}:
        tags = [_reference_context_tags(s, a, b, model.window, "context" in feats, "role" in feats)
                for s, a, b in rows]
        parts.append(model.context_vec_.transform(tags))
    if "lexicon" in feats:
        dense = model.scaler_.transform(_reference_dense_features(X, VaderScorer()))
        parts.append(light_model.sparse.csr_matrix(dense * model.dense_weight))
    return light_model.sparse.hstack(parts).tocsr()


def _reference_entity_sentiment(mentions, model, window=10):
    from helpers.sentiment import vader_target_scores

    base = vader_target_scores(mentions, window=window)
    out = mentions.copy()
    proba = model.clf_.predict_proba(_reference_features(model, mentions))
    classes = list(model.classes_)
    out["polarity"] = np.asarray(model.classes_)[np.argmax(proba, axis=1)].astype(int)
    out["method"] = model.describe()["kind"]
    out["p_pos_minus_p_neg"] = proba[:, classes.index(1)] - proba[:, classes.index(-1)]
    out["label"] = out["polarity"].map({-1: "negative", 0: "neutral", 1: "positive"})
    out["drivers"] = base["drivers"].to_numpy()
    out["compound_window"] = base["score"].to_numpy()
    return out[[*mentions.columns, "polarity", "label", "method", "drivers", "compound_window",
                "p_pos_minus_p_neg"]]


def _odd_mentions():
    """Mentions at the edges of words and texts, in non-ASCII text, next to quotes and digits."""
    sents = ["China's envoy", "“Japan” said: bad, but good.", "O'Japan ’s Kim's", "Ｋorea and ſome \u212aELVIN Japan",
             "İstanbul Japan İ", "Japan", "x", "naïve Japan’s terrible, TERRIBLE war!!", "3Japan4 a-Japan -b",
             "Japan " * 30 + "end", "said Japan told", "Japan, who warned, said no"]
    rows = []
    for s in sents:
        for m in re.finditer("Japan|China|Kim|Korea", s):
            rows.append((s, m.start(), m.end()))
    rows += [("abc", 0, 0), ("abc", 3, 3), ("abc def", 1, 5)]  # empty and mid-word spans
    return pd.DataFrame(rows, columns=["sentence", "from", "to"])


@pytest.mark.parametrize("window", [10, 3, None])
def test_entity_sentiment_shared_pass_equals_reference(sentences, window):
    model = load_target_model(SHIPPED_DIR)
    mentions = find_mentions(sentences)
    odd = _odd_mentions().assign(mention_id="o", unit_id="o", doc_id="o", target="Japan", kind="names",
                                 alias="Japan", mention="Japan")
    mentions = pd.concat([mentions, odd[mentions.columns]], ignore_index=True)
    got = entity_sentiment(mentions, model=model, window=window)
    want = _reference_entity_sentiment(mentions, model, window)
    assert len(got) > 100 and got["label"].nunique() == 3
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert np.array_equal(model.predict_proba(mentions), model.clf_.predict_proba(_reference_features(model, mentions)))
    # another feature set: no lexicon group, so the context tags find their own tokens
    model.features = ("sentence", "context", "role")
    try:
        assert (model._features(mentions) != _reference_features(model, mentions)).nnz == 0
    finally:
        model.features = tuple(load_target_model(SHIPPED_DIR).features)


def test_context_tags_from_shared_tokens_equal_reference():
    frame = _odd_mentions()
    rng = random.Random(2)
    words = ["said", "the", "a", "“", '"', "not", "Japan", "K", "ſ", "İ", "é", "don't", "’s", "3", "!", ","]
    for _ in range(400):
        s = " ".join(rng.choices(words, k=rng.randint(0, 14)))
        a = rng.randint(0, len(s))
        frame.loc[len(frame)] = (s, a, rng.randint(a, len(s)))
    for s, a, b in frame.itertuples(index=False):
        for window, context, role in ((8, True, True), (2, False, True), (6, True, False)):
            want = _reference_context_tags(s, a, b, window, context, role)
            assert light_model._context_tags(s, a, b, window, context, role) == want
            sides = light_model._Prepared(pd.DataFrame({"sentence": [s], "from": [a], "to": [b]}),
                                          VaderScorer()).sides[0]
            assert light_model._context_tags(s, a, b, window, context, role, sides) == want


def _same_sparse(got, want):
    assert type(got) is type(want) and got.shape == want.shape and got.dtype == want.dtype
    assert got.indices.dtype == want.indices.dtype and got.indptr.dtype == want.indptr.dtype
    assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
    assert [v.hex() for v in got.data.tolist()] == [v.hex() for v in want.data.tolist()]


@pytest.mark.parametrize("ngram", [(1, 1), (1, 2), (1, 3), (2, 3)])
def test_bulk_tfidf_transform_equals_transform(sentences, ngram):
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [t for t in sentences["text"].tolist() if isinstance(t, str)]
    docs = [t.lower() for t in texts] + ["", " ", "ÉCOLE école Größe", "a a a a b b", "don't don't"]
    vec = TfidfVectorizer(ngram_range=ngram, min_df=2, sublinear_tf=True, token_pattern=light_model._WORDS)
    vec.fit(texts[: len(texts) // 2])
    _same_sparse(light_model._tfidf_transform(vec, docs), vec.transform(docs))
    with pytest.raises(ValueError):  # as transform does
        light_model._tfidf_transform(vec, [])
    upper = TfidfVectorizer(lowercase=False, min_df=2).fit(texts)  # another analyzer: transform itself
    _same_sparse(light_model._tfidf_transform(upper, docs), upper.transform(docs))
    tags = [t.split() for t in docs] + [[], ["x", "x", "x"]]
    ctx = TfidfVectorizer(analyzer=light_model._identity, min_df=2, sublinear_tf=True).fit(tags[::2])
    _same_sparse(light_model._tfidf_transform(ctx, tags), ctx.transform(tags))
    model = load_target_model(SHIPPED_DIR)
    _same_sparse(light_model._tfidf_transform(model.sentence_vec_, docs), model.sentence_vec_.transform(docs))


@pytest.mark.parametrize("seed", range(6))
def test_screened_alias_search_equals_finditer(seed):
    from helpers.sentiment import mentions as mod

    rng = random.Random(seed)
    pool = ["Japan", "Japanese", "U.S.", "UK", "EU", "the alliance", "kim", "Kim Jong Un", "X", "s’s",
            "North Korea", "Ｋorea", "ſtar", "İstanbul", "it’s", "'em", "-x", "Abe's", "K", "k", "the"]
    aliases = rng.sample(pool, rng.randint(1, 8)) if seed else ["kim", "ſtar", "the alliance", "it’s", "U.S."]
    rx = _alias_regex(aliases)
    screen = mod._candidate_regex(tuple(sorted(set(aliases))))
    words = [*pool, "ja", "japan", "JAPAN", "The", "THE", "Alliance", "kk", "Kk", "K", "ſ", "S", "a-", "-", "'",
             "’", ".", "\n\x00\n", "  ", "\n", "x", "é", "Ünited", "U.S.A.", "star", "STAR", "\u212aim",
             "\u212a", "ıt’s", "İt’s"]
    for _ in range(300):
        text = rng.choice(["", " ", "-", "·"]).join(rng.choices(words, k=rng.randint(0, 30)))
        assert mod._finditer(rx, screen, text) == [m.span() for m in rx.finditer(text)], (aliases, text)
    if all(re.match(r"\w", a) for a in aliases):
        assert screen is not None  # the screened path is the one tested


def test_find_mentions_with_odd_aliases_equals_reference(sentences):
    aliases = pd.DataFrame(
        [("Japan", "names", "Japan"), ("Japan", "names", "the alliance"), ("Japan", "names", "kim"),
         ("US", "names", "U.S."), ("US", "names", "it’s"), ("K", "names", "K"), ("K", "exclude", "the alliance of"),
         ("K", "exclude", "Kim Jong")],
        columns=["target", "kind", "alias"])
    table = pd.concat([sentences, pd.DataFrame({
        "unit_id": ["y:s0", "y:s1", "y:s2"], "doc_id": "y",
        "text": ["THE ALLIANCE of K and the  alliance, Kim Jong K-K", "ſtar KIM it's it’s U.S.A. U.S.", "K"]})],
        ignore_index=True)
    got = find_mentions(table, aliases)
    want = _reference_find_mentions(table, aliases)
    assert len(want) > 20
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    odd = pd.concat([aliases, pd.DataFrame([("Z", "names", "'em")], columns=aliases.columns)])  # no screen
    pd.testing.assert_frame_equal(find_mentions(table, odd), _reference_find_mentions(table, odd), check_exact=True)


# ------------------------------------------------------------------------------ VADER at three levels


def _reference_unit_scores(corpus, level="sentence", neutral_band=0.05):
    """The previous notebook path: each level split and tokenised on its own."""
    return vader_scores(text.units(corpus, level), neutral_band=neutral_band)


LEVEL_EDGES = [
    "He left.\"Next one came. Fine!",  # a sentence break inside a whitespace token
    "One great day.  Two bad days.\n\nThree \U0001F600 smiles.\n \n\nFour\xa0sad words. Five.",
    "Separator \x00 inside. A good \x00 day.\n\nBad.",
    "   \n\n  Leading and trailing blanks, GREAT!!  \n\n",
    "Line one is good.\nLine two is bad.\nLine three.",
    "No break at all but a war",
    "",
    "  ",
]


def _level_corpus(corpus) -> pd.DataFrame:
    edges = [*LEVEL_EDGES, None, *LEVEL_EDGES[:3], LEVEL_EDGES[0] + "\n\n" + LEVEL_EDGES[1]]  # repeats
    extra = pd.DataFrame({"doc_id": [f"edge{i}" for i in range(len(edges))], "text": edges})
    docs = [corpus, extra]
    big = Path(__file__).resolve().parents[1] / "benchmarks/results/scale/corpus-2k.jsonl"
    if big.is_file():  # real news (git-ignored; the seed and the edges run everywhere)
        lines = pd.read_json(big, lines=True, nrows=150)
        docs.append(pd.DataFrame({"doc_id": [f"c{i}" for i in range(len(lines))], "text": lines["text"]}))
    return pd.concat(docs, ignore_index=True)


def test_level_scores_equal_each_level_scored_alone(corpus):
    from helpers.sentiment import level_scores, split_levels

    docs = _level_corpus(corpus)
    got = split_levels(level_scores(docs, neutral_band=0.1))
    for level in ("sentence", "paragraph", "document"):
        want = _reference_unit_scores(docs, level, neutral_band=0.1)
        if level != "sentence":
            want = want.drop(columns="text")
        pd.testing.assert_frame_equal(got[level], want, check_exact=True)
    mapped = map_documents(partial(level_scores, neutral_band=0.1), docs, name="t.levels", cache=False,
                           workers=1, chunk_docs=7, progress=False)
    pd.testing.assert_frame_equal(mapped, level_scores(docs, neutral_band=0.1), check_exact=True)


def test_level_scores_of_nothing():
    from helpers.sentiment import level_scores, split_levels

    got = split_levels(level_scores(pd.DataFrame({"doc_id": ["a", "b"], "text": ["", None]})))
    assert all(len(t) == 0 for t in got.values())
    assert list(got["sentence"].columns) == list(_reference_unit_scores(
        pd.DataFrame({"doc_id": ["a"], "text": ["Good."]})).columns)


_DRIVER_RE_OLD = re.compile(r"(.+?) \(([+-]\d+(?:\.\d+)?)\)$")


def _reference_driver_terms(scores):
    """The previous driver_terms: a tuple per row, each distinct part parsed once."""
    rows = []
    parsed = {}
    for uid, did, drivers in zip(
        scores["unit_id"].tolist(), scores["doc_id"].tolist(), scores["drivers"].tolist(),
        strict=True,
    ):
        if not isinstance(drivers, str) or not drivers:
            continue
        for part in drivers.split("; "):
            hit = parsed.get(part, False)
            if hit is False:
                m = _DRIVER_RE_OLD.match(part)
                hit = parsed[part] = (m.group(1).lower(), float(m.group(2))) if m else None
            if hit is not None:
                rows.append((uid, did, *hit))
    return pd.DataFrame(rows, columns=["unit_id", "doc_id", "term", "valence"])


@pytest.mark.parametrize("block", [100_000, 3])
def test_driver_terms_equal_reference(sentences, block, monkeypatch):
    from helpers.sentiment import scores as scores_mod

    monkeypatch.setattr(scores_mod, "_TERMS_BLOCK", block)
    vader = vader_scores(sentences.dropna(subset=["text"]))
    dic = dictionary_scores(sentences.dropna(subset=["text"]), load_dictionary())
    odd = pd.DataFrame({"unit_id": list("abcdefgh"), "doc_id": [1, 1, 2, 2, 3, 3, 4, 4],
                        "drivers": ["War (-2.90)", None, "", "; ", "junk; Peace (+2.50);", "x (+1)",
                                    "NOT agree (-1.00); a;; b (+0.50)", "ok (+1.20); ok (+1.20)"]})
    for table in (vader, dic, odd, odd.iloc[[1, 2]], odd.iloc[:0]):
        pd.testing.assert_frame_equal(driver_terms(table), _reference_driver_terms(table), check_exact=True)


def _reference_entity_sentiment_all_rows(mentions, model=None, window=10):
    """The previous entity_sentiment: every mention scored, repeated ones too."""
    from helpers.sentiment.light_model import TargetSentimentClassifier, _Prepared
    from helpers.sentiment.scores import _scorer, vader_target_scores
    from helpers.sentiment.target_models import POLARITY_NAMES, predict_polarity

    cols = [*mentions.columns, "polarity", "label", "method", "drivers", "compound_window", "p_pos_minus_p_neg"]
    if mentions.empty:
        return pd.DataFrame(columns=cols)
    out = mentions.copy()
    shared = type(model) is TargetSentimentClassifier and "lexicon" in model.features and window is not None
    if shared:
        prepared = _Prepared(mentions, _scorer(), base_window=window)
        proba = model.predict_proba(mentions, prepared=prepared)
        classes = list(model.classes_)
        out["polarity"] = np.asarray(model.classes_)[np.argmax(proba, axis=1)].astype(int)
        out["method"] = model.describe()["kind"]
        out["p_pos_minus_p_neg"] = proba[:, classes.index(1)] - proba[:, classes.index(-1)]
        compound, drivers = prepared.base
        base = pd.DataFrame({"score": compound, "drivers": drivers})
    else:
        base = vader_target_scores(mentions, window=window)
    if model is None:
        out["polarity"] = base["polarity"].astype(int).to_numpy()
        out["method"] = "vader-window"
        out["p_pos_minus_p_neg"] = np.nan
    elif not shared:
        pred = predict_polarity(mentions, method=model.describe()["kind"], model=model)
        out["polarity"] = pred["polarity"].astype(int).to_numpy()
        out["method"] = pred["method"].to_numpy()
        out["p_pos_minus_p_neg"] = pred["score"].to_numpy()
    out["label"] = out["polarity"].map(POLARITY_NAMES)
    out["drivers"] = base["drivers"].to_numpy()
    out["compound_window"] = base["score"].to_numpy()
    return out[cols]


@pytest.mark.parametrize("use_model", [True, False])
@pytest.mark.parametrize("window", [10, None])
def test_entity_sentiment_scores_repeated_mentions_once(sentences, use_model, window):
    model = load_target_model(SHIPPED_DIR) if use_model else None
    mentions = find_mentions(sentences)
    mentions = pd.concat([mentions, mentions.iloc[::3]], ignore_index=True)  # repeats, out of order
    mentions.index = mentions.index * 2 + 5  # not a RangeIndex
    assert mentions[["sentence", "from", "to"]].duplicated().sum() > 50
    for part in (mentions, mentions.iloc[:1], mentions.iloc[:0]):
        got = entity_sentiment(part, model=model, window=window)
        pd.testing.assert_frame_equal(got, _reference_entity_sentiment_all_rows(part, model, window),
                                      check_exact=True)
