"""CPU pass on notebook 20 (identical outputs): each changed function against a verbatim copy of
its previous implementation (``_reference_*``), on the seed, texts made to trip the fast paths
and, when built, real news from corpus-2k.

Changed: the token ids of VADER's and the dictionary's bulk paths (one ``dict.get`` per token,
only the missing tokens added, instead of a set of the whole stream first), ``level_scores``
forming drivers only for the levels asked for, and the light model's prepared features taking
the sentences' known VADER compounds (``mention_tone(sentence_compound=...)``).
"""

from __future__ import annotations

from functools import partial
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.compute import map_documents
from helpers.sentiment import (
    SHIPPED_DIR,
    SentimentDictionary,
    VaderScorer,
    level_scores,
    light_model,
    load_aliases,
    load_dictionary,
    load_target_model,
    mention_tone,
    split_levels,
    vader_batch,
)
from helpers.sentiment import dictionaries as dict_mod
from helpers.sentiment.dictionaries import (
    _BATCH_TEXTS,
    _BREAK,
    _NEG,
    _PHRASE,
    _SEPARATOR,
    _START,
    _bulk_tokens,
    _columns_of,
    _score_texts,
    _score_tokens,
    _Vocabulary,
)
from helpers.sentiment.light_model import _clause, _tokens, _windows
from helpers.sentiment.mentions import find_mentions
from helpers.sentiment.scores import _distinct, _level_table, _level_units, _parent_level, _scorer
from helpers.sentiment.target_models import (
    POLARITY_NAMES,
    TargetSentimentClassifier,
    predict_polarity,
    vader_target_scores,
)
from helpers.sentiment.vader_batch import _SEP, Vocabulary, _slow_texts

EDGES = [
    "",
    "   ",
    "He left.\"Next one came. Fine!",
    "One great day.  Two bad days.\n\nThree \U0001F600 smiles.\n \n\nFour\xa0sad words. Five.",
    "Separator \x00 inside. A good \x00 day.\n\nBad.",
    "   \n\n  Leading and trailing blanks, GREAT!!  \n\n",
    "Line one is good.\nLine two is bad.\nLine three.",
    "No break at all but a war",
    "China’s envoy did not agree, citing threats; Japan's minister never so happy.",
    "NATO’s WAR on terror is NOT a great success but a TERRIBLE failure :) 😀 µ mu µµ",
    "Tokyo praised the deal, but Beijing condemned it without doubt; at least no one died.",
    "Abe Abe Abe said Japan Japan Japan won, won, won. Tokyo-Beijing talks failed badly.",
]


@pytest.fixture(scope="module")
def docs(seed_corpus) -> pd.DataFrame:
    """The seed, the edge texts (with repeats and a missing text) and 150 corpus-2k articles."""
    edges = [*EDGES, None, *EDGES[:4], EDGES[2] + "\n\n" + EDGES[3]]
    parts = [seed_corpus[["doc_id", "text"]],
             pd.DataFrame({"doc_id": [f"edge{i}" for i in range(len(edges))], "text": edges})]
    big = Path(__file__).resolve().parents[1] / "benchmarks/results/scale/corpus-2k.jsonl"
    if big.is_file():  # real news (git-ignored; the seed and the edges run everywhere)
        lines = pd.read_json(big, lines=True, nrows=150)
        parts.append(pd.DataFrame({"doc_id": [f"c{i}" for i in range(len(lines))], "text": lines["text"]}))
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="module")
def sentence_units(docs) -> pd.DataFrame:
    return split_levels(level_scores(docs))["sentence"]


# ------------------------------------------------------------------ references (verbatim, HEAD 236f716)


def _reference_token_stream(vocab: Vocabulary, texts: list[str]):
    """Token list, token ids and each text's [start, end) of the batch.

    One split of all texts joined by a separator token is much cheaper than a split per
    text; the separators stay in the token stream (no properties, outside every text's
    [start, end) range). Every distinct token gets an id once; its properties live in
    arrays indexed by id, so per-token work over the whole batch is numpy indexing.
    """
    n_texts = len(texts)
    flat = f" {_SEP} ".join(texts).split()
    vocab.add(set(flat).difference(vocab.ids))
    ids = np.fromiter(map(vocab.ids.__getitem__, flat), dtype=np.int64, count=len(flat))
    seps = np.flatnonzero(ids == vocab.ids.get(_SEP, -1))
    if len(seps) == n_texts - 1:
        starts = np.concatenate([[0], seps + 1])
        ends = np.concatenate([seps, [len(flat)]])
    else:  # no texts, or a text holds the separator as a word: split them one by one
        splits = list(map(str.split, texts))
        lens = np.fromiter(map(len, splits), dtype=np.int64, count=n_texts)
        ends = np.cumsum(lens)
        starts = ends - lens
        flat = list(chain.from_iterable(splits))
        vocab.add(set(flat).difference(vocab.ids))
        ids = np.fromiter(map(vocab.ids.__getitem__, flat), dtype=np.int64, count=len(flat))
    return flat, ids, starts, ends



def _reference_score_columns(
    texts: list, dictionary: SentimentDictionary, negation_window: int
) -> dict[str, list]:
    """Columns ``n_words``, ``positive``, ``negative``, ``drivers`` of every text, the same
    values as :func:`_score_texts`, in bulk: a batch of texts is tokenised as one stream, every
    distinct token gets flags once, and one-word matches, negation, the sums and the drivers are
    array operations over all matches of the batch; texts where a phrase can start take the
    per-text path."""
    texts = [t if isinstance(t, str) else "" for t in texts]
    n_words = np.zeros(len(texts), dtype=np.int64)
    pos = np.zeros(len(texts))
    neg = np.zeros(len(texts))
    drivers = [""] * len(texts)
    if not isinstance(negation_window, int):
        rows = _score_texts(texts, dictionary, negation_window)
        return _columns_of(rows)
    if dictionary._vocab is None:
        dictionary._vocab = _Vocabulary()
    vocab = dictionary._vocab
    for lo in range(0, len(texts), _BATCH_TEXTS):
        batch = texts[lo : lo + _BATCH_TEXTS]
        got = _bulk_tokens(batch)
        if got is None:
            rows = _score_texts(batch, dictionary, negation_window)
            cols = _columns_of(rows)
            n_words[lo : lo + len(batch)] = cols["n_words"]
            pos[lo : lo + len(batch)] = cols["positive"]
            neg[lo : lo + len(batch)] = cols["negative"]
            drivers[lo : lo + len(batch)] = cols["drivers"]
            continue
        flat, order = got
        vocab.add(list(set(flat).difference(vocab.ids)), dictionary)
        ids = np.fromiter(map(vocab.ids.__getitem__, flat), dtype=np.int64, count=len(flat))
        flags = vocab.flags[ids]
        seps = np.flatnonzero(flags & _SEPARATOR)
        starts = np.concatenate([[0], seps + 1])
        ends = np.concatenate([seps, [len(flat)]])
        where = np.asarray(order, dtype=np.int64) + lo
        words = np.concatenate([[0], np.cumsum((flags & (_BREAK | _SEPARATOR)) == 0)])
        n_words[where] = words[ends] - words[starts]
        hits = np.flatnonzero(flags & _START)
        text_of = np.searchsorted(ends, hits, side="left")
        # texts where a phrase (or a glob-only word) can start: the per-text path
        phrase_texts = np.unique(text_of[(flags[hits] & _PHRASE) != 0])
        for t in phrase_texts.tolist():
            row = _score_tokens(flat[starts[t] : ends[t]], dictionary, negation_window)
            k = int(where[t])
            n_words[k], pos[k], neg[k], drivers[k] = row
        keep = ~np.isin(text_of, phrase_texts)
        hits, text_of = hits[keep], text_of[keep]
        if not len(hits):
            continue
        negated = np.zeros(len(hits), dtype=bool)
        decided = np.zeros(len(hits), dtype=bool)
        first = starts[text_of]
        for d in range(1, negation_window + 1):
            q = hits - d
            f = flags[np.maximum(q, 0)]
            open_ = (q >= first) & ~decided
            is_neg = open_ & ((f & _NEG) != 0)
            negated |= is_neg
            decided |= is_neg | (open_ & ((f & _BREAK) != 0))
        w = vocab.weight[ids[hits]]
        w = np.where(negated, -w, w)
        n_texts = len(order)
        pos_t = np.bincount(text_of, weights=np.where(w > 0, w, 0.0), minlength=n_texts)
        neg_t = np.bincount(text_of, weights=np.where(w > 0, 0.0, -w), minlength=n_texts)
        hit_texts = np.unique(text_of)
        pos[where[hit_texts]] = pos_t[hit_texts]
        neg[where[hit_texts]] = neg_t[hit_texts]
        fmt, fmt_not = vocab.fmt, vocab.fmt_not
        strs = [
            fmt_not[i] if n else fmt[i]
            for i, n in zip(ids[hits].tolist(), negated.tolist(), strict=True)
        ]
        bounds = np.searchsorted(text_of, np.arange(n_texts + 1)).tolist()
        for t in hit_texts.tolist():
            drivers[int(where[t])] = "; ".join(strs[bounds[t] : bounds[t + 1]])
    return {"n_words": n_words, "positive": pos, "negative": neg, "drivers": drivers}



def _reference_level_scores(corpus: pd.DataFrame, neutral_band: float = 0.05) -> pd.DataFrame:
    """:func:`unit_scores` at the three levels in one step: the sentences, paragraphs and
    document of each document, each document's rows together (sentences, paragraphs, then the
    document), ``level`` saying which; paragraph and document rows have an empty ``text``.

    The same rows and numbers as ``unit_scores`` at each level (``text`` aside): the documents
    are split once, each distinct text of a level is scored once, and only the distinct
    sentences are tokenised: a paragraph's tokens are its sentences' tokens and a document's its
    paragraphs' (checked per unit: units whose text is more than their parts with whitespace
    between are split on their own), and a unit has an emoji when one of its parts has.
    :func:`split_levels` gives the three tables.

    """
    _token_stream = _reference_token_stream  # (was: from .vader_batch import _slow_texts, _token_stream)

    rows, texts, span, ok = _level_units(corpus)
    scorer = _scorer()
    doc_ids = corpus["doc_id"].tolist()
    parts, child = [], None  # child: the previous level's (stream, emoji mask), per unit
    for level, key in (("sentence", "s"), ("paragraph", "p"), ("document", "d")):
        uniq, inv, first = _distinct(texts[key])
        if child is None:
            stream = _token_stream(scorer._tokens, uniq)[1:]
            slow = _slow_texts(uniq, scorer._emoji_chars)
        else:
            stream, slow = _parent_level(scorer, child, span[key][first], ok[key][first], uniq)
        cols = scorer.score_stream(uniq, stream, slow)
        child = ((stream[0], stream[1][inv], stream[2][inv]), slow[inv])
        drivers = cols.pop("drivers")
        cols = {k: np.asarray(v)[inv] for k, v in cols.items()}
        cols["drivers"] = [drivers[i] for i in inv.tolist()]
        parts.append(_level_table(level, rows[key], doc_ids, texts["s"] if key == "s" else None,
                                  cols, neutral_band))
    order = np.argsort(np.concatenate([[u[0] for u in rows[k]] for k in "spd"]).astype(np.int64), kind="stable")
    out = pd.concat(parts, ignore_index=True)
    return out.iloc[order].reset_index(drop=True) if len(out) else out



class _Reference_Prepared:
    """What the light model's features and the VADER window baseline share for some mentions:
    the tokens on each side of every mention (found once, for the context tags and the lexicon
    features), the VADER compounds of the seven feature texts, and, when ``base_window`` is
    given, the compound and drivers of the ±``base_window`` words (``vader_target_scores``),
    all scored in one batch (the ±10 window is one of the seven texts)."""

    def __init__(self, frame: pd.DataFrame, scorer: VaderScorer, base_window: int | None = None):
        self.rows = rows = list(zip(frame["sentence"].tolist(), frame["from"].tolist(),
                                    frame["to"].tolist(), strict=True))
        self.sides = [(_tokens(s[:a]), _tokens(s[b:])) for s, a, b in rows]
        sizes = (3, 6, 10) if base_window is None else (3, 6, 10, base_window)
        texts = []
        for s, a, b in rows:
            w = _windows(s, a, b, sizes)
            texts += [s, w[0], w[1], w[2], s[:a], s[b:], _clause(s, a, b), *w[3:]]
        width = len(sizes) + 4
        if rows:
            scored = scorer.score_texts(texts)
            comp = scored["compound"].to_numpy().reshape(len(rows), width)
        else:
            scored, comp = None, np.zeros((0, width))
        self.compound = comp[:, :7]
        self.base = None
        if base_window is not None:
            drivers = scored["drivers"].tolist()[7::width] if rows else []
            self.base = (comp[:, 7], drivers)



def _reference_entity_sentiment(mentions: pd.DataFrame, model=None, window: int = 10) -> pd.DataFrame:
    """Polarity toward each mention (``find_mentions`` output), each score in its own column.

    With a trained ``model`` (see :func:`load_target_model`) its prediction gives ``polarity``,
    else the VADER window baseline does. Out: the mentions plus ``polarity`` (-1/0/1),
    ``label`` (negative/neutral/positive), ``method``, ``drivers`` (window words that drove the
    lexicon score), ``compound_window`` (VADER compound of the ±``window`` words: always
    computed, the lexicon baseline) and ``p_pos_minus_p_neg`` (the model's P(positive) −
    P(negative); empty without a model). The two scores have different scales and are never
    merged into one column.

    """
    cols = [*mentions.columns, "polarity", "label", "method", "drivers", "compound_window", "p_pos_minus_p_neg"]
    if mentions.empty:
        return pd.DataFrame(columns=cols)
    # every score depends on (sentence, from, to) alone: each distinct mention is scored once
    where: dict = {}
    keys = list(zip(mentions["sentence"].tolist(), mentions["from"].tolist(), mentions["to"].tolist(), strict=True))
    firsts = np.fromiter(map(where.setdefault, keys, range(len(keys))), dtype=np.int64, count=len(keys))
    if len(where) < len(keys):
        first, inv = np.unique(firsts, return_inverse=True)
        scored = _reference_scored_mentions(mentions.iloc[first], model, window, cols)
        out = mentions.copy()
        for c in cols[len(mentions.columns):]:
            out[c] = scored[c].to_numpy()[inv.reshape(-1)]
        return out[cols]
    return _reference_scored_mentions(mentions, model, window, cols)


def _reference_scored_mentions(mentions: pd.DataFrame, model, window, cols: list[str]) -> pd.DataFrame:
    """:func:`entity_sentiment` of mentions (``cols``: its output columns)."""
    out = mentions.copy()
    shared = type(model) is TargetSentimentClassifier and "lexicon" in model.features and window is not None
    if shared:
        # the model's lexicon features and the window baseline share one pass over the mentions
        prepared = _Reference_Prepared(mentions, _scorer(), base_window=window)
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




# ------------------------------------------------------------------------------------- tests


def _texts(docs, sentence_units) -> list:
    return [*sentence_units["text"].tolist(), *(t for t in docs["text"].tolist() if isinstance(t, str)), *EDGES]


def _vocab() -> Vocabulary:
    s = VaderScorer()
    return Vocabulary(s._tokens.lexicon, s._tokens.booster, s._tokens.codes, s._tokens.punct)


def _props(vocab: Vocabulary, ids) -> list:
    return [(vocab.tokens[i], int(vocab.code[i]), float(vocab.value[i]), float(vocab.boost[i]), vocab.words[i],
             vocab.fmt[i]) for i in np.asarray(ids).tolist()]


def test_token_stream_equals_reference(docs, sentence_units):
    """The same tokens (ids number them in another order), each with the same properties, and the
    same text ranges: on a cold vocabulary, a warm one, and texts holding the separator."""
    texts = _texts(docs, sentence_units)
    new, old = _vocab(), _vocab()
    for batch in (texts[: len(texts) // 2], texts, [*EDGES, _SEP, f"a {_SEP} b"], []):
        got, want = vader_batch._token_stream(new, batch), _reference_token_stream(old, batch)
        assert got[0] == want[0]
        assert _props(new, got[1]) == _props(old, want[1])
        np.testing.assert_array_equal(got[2], want[2])
        np.testing.assert_array_equal(got[3], want[3])
    assert sorted(new.ids) == sorted(old.ids)


def test_dictionary_columns_equal_reference(docs, sentence_units, monkeypatch):
    texts = _texts(docs, sentence_units) + [None, "µ inside", "agree µ threat"]
    monkeypatch.setattr(dict_mod, "_BATCH_TEXTS", 97)  # many batches: warm and cold vocabularies
    for window in (3, 0):
        got = dict_mod._score_columns(texts, load_dictionary(None), window)
        want = _reference_score_columns(texts, load_dictionary(None), window)
        for k in want:
            assert list(got[k]) == list(want[k]), k


def test_level_scores_equal_reference(docs):
    want = _reference_level_scores(docs, neutral_band=0.1)
    pd.testing.assert_frame_equal(level_scores(docs, neutral_band=0.1), want, check_exact=True)
    got = level_scores(docs, neutral_band=0.1, drivers=("sentence",))
    sent = (want["level"] == "sentence").to_numpy()
    assert (got.loc[~sent, "drivers"] == "").all()
    pd.testing.assert_frame_equal(got.drop(columns="drivers"), want.drop(columns="drivers"), check_exact=True)
    assert got.loc[sent, "drivers"].tolist() == want.loc[sent, "drivers"].tolist()
    mapped = map_documents(partial(level_scores, neutral_band=0.1, drivers=("sentence",)), docs, name="t.cpu.levels",
                           cache=False, workers=1, chunk_docs=7, progress=False)
    pd.testing.assert_frame_equal(mapped, got, check_exact=True)


@pytest.fixture(scope="module")
def mentions(sentence_units) -> pd.DataFrame:
    return find_mentions(sentence_units, load_aliases())


@pytest.mark.parametrize("base_window", [None, 10, 4])
def test_prepared_with_known_sentences_equals_reference(mentions, sentence_units, base_window):
    by_text = dict(zip(sentence_units["text"], sentence_units["compound"], strict=True))
    known = mentions["sentence"].map(by_text).to_numpy(dtype=float)
    mixed = known.copy()
    mixed[::3] = np.nan
    want = _Reference_Prepared(mentions, VaderScorer(), base_window=base_window)
    for k in (None, known, mixed):
        got = light_model._Prepared(mentions, VaderScorer(), base_window=base_window, sentence_compound=k)
        np.testing.assert_array_equal(got.compound, want.compound)
        assert got.sides == want.sides and got.rows == want.rows
        if base_window is None:
            assert got.base is None and want.base is None
        else:
            np.testing.assert_array_equal(got.base[0], want.base[0])
            assert got.base[1] == want.base[1]
    empty = light_model._Prepared(mentions.iloc[:0], VaderScorer(), base_window=10, sentence_compound=known[:0])
    assert empty.compound.shape == (0, 7) and len(empty.base[1]) == 0


@pytest.mark.parametrize("model_dir", [SHIPPED_DIR, None])
def test_mention_tone_with_known_sentences_equals_reference(sentence_units, model_dir):
    model = load_target_model(model_dir) if model_dir is not None else None
    aliases = load_aliases()
    units = sentence_units[["unit_id", "doc_id", "text", "compound"]]
    want = _reference_entity_sentiment(find_mentions(units, aliases), model=model, window=10)
    got = mention_tone(units, aliases=aliases, model=model, window=10, sentence_compound="compound")
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    pd.testing.assert_frame_equal(mention_tone(units, aliases=aliases, model=model, window=10), want, check_exact=True)
    mapped = map_documents(partial(mention_tone, aliases=aliases, model=model, sentence_compound="compound"),
                           units, name="t.cpu.tone", cache=False, workers=1, chunk_docs=5, progress=False)
    pd.testing.assert_frame_equal(mapped, want, check_exact=True)
