"""The light model's features, s18 (G5): the lexicon mass of every mention added at once
(``np.add.at``, in the same order) and the masked sentence's bigrams found from their words' ids
(``searchsorted``) instead of joined and looked up as text. The same dense features, the same
tf-idf matrices and the same mention tone as the code before, kept here verbatim
(``_reference_*``): seed sentences, lexicon-heavy and negated sentences, empty and one-word
documents, unknown words, a vocabulary whose bigram's words are not features (the text path)."""

from __future__ import annotations

import random
import re
from itertools import repeat

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from helpers import text
from helpers.sentiment import (
    SHIPPED_DIR,
    find_mentions,
    light_model,
    load_aliases,
    load_target_model,
    target_models,
)
from helpers.sentiment.light_model import _NEGATION, _Prepared
from helpers.sentiment.scores import _scorer


def _reference_lexicon_mass(lex, left, right):
    """light_model._lexicon_mass before s18 (verbatim but for the name)."""
    pos_w = neg_w = 0.0
    for side in (left[::-1], right):
        for d, v in enumerate(map(lex.get, side, repeat(0.0)), 1):
            if v > 0:
                pos_w += v / d
            elif v < 0:
                neg_w += -v / d
    return pos_w, neg_w


def _reference_dense_features(frame, scorer, prepared=None):
    """light_model._dense_features before s18 (verbatim but for the name and the two calls)."""
    prepared = prepared or _Prepared(frame, scorer)
    if not prepared.rows:
        return np.zeros((0, 13))
    lex = scorer.lexicon
    out = []
    for (s, _a, _b), (left, right) in zip(prepared.rows, prepared.sides, strict=True):
        neg_near = len([t for t in left[-3:] + right[:3] if t in _NEGATION or t.endswith("n't")])
        n_tok = len(left) + len(right) + 1
        out.append([*_reference_lexicon_mass(lex, left, right), neg_near, len(left) / n_tok, np.log1p(n_tok),
                    float(s.count("!") + s.count("?") > 0)])
    return np.hstack([prepared.compound, np.asarray(out, dtype=float)])


def _reference_tfidf_transform(vec, docs):
    """light_model._tfidf_transform before s18 (verbatim but for the name and module)."""
    identity = vec.analyzer is light_model._identity
    if not identity and not light_model._plain_word_vectorizer(vec):
        return vec.transform(docs)
    vocab = vec.vocabulary_
    get = vocab.get
    if not identity:
        tokenize = re.compile(vec.token_pattern).findall
        lo, hi = vec.ngram_range
    ids, lengths = [], []
    for doc in docs:
        before = len(ids)
        if identity:
            ids.extend(map(get, doc, repeat(-1)))
        else:  # each order's n-grams looked up as they are formed (no list of them all)
            toks = tokenize(doc.lower())
            if lo == 1:
                ids.extend(map(get, toks, repeat(-1)))
            for n in range(max(lo, 2), min(hi, len(toks)) + 1):
                ids.extend(map(get, map(" ".join, zip(*(toks[k:] for k in range(n)), strict=False)), repeat(-1)))
        lengths.append(len(ids) - before)
    n_docs, n_feats = len(lengths), len(vocab)
    flat = np.fromiter(ids, dtype=np.int64, count=len(ids))
    row = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    known = flat >= 0
    codes, counts = np.unique(row[known] * n_feats + flat[known], return_counts=True)
    indptr = np.searchsorted(codes, np.arange(n_docs + 1, dtype=np.int64) * n_feats)
    index_dtype = np.int32 if len(codes) <= np.iinfo(np.int32).max else np.int64
    X = sparse.csr_array(
        (counts.astype(np.intc), (codes % n_feats).astype(index_dtype), indptr.astype(index_dtype)),
        shape=(n_docs, n_feats), dtype=vec.dtype,
    )
    X.sort_indices()
    return vec._tfidf.transform(light_model._align_api_if_sparse(X), copy=False)


EXTRA = [
    "Japan is great 😀 but China is awful 😡!!",
    "Tokyo praised the deal, but Beijing WARNED it was a terrible, terrible mistake.",
    "Not good at all: Japan was never so bad, kind of sad, without doubt the worst.",
    "Japan",
    "China :) China :( China",
    "The U.S. and Japan and China and NATO and Russia, but not the U.S. Is it?",
    "China's  leaders   don't like Japan's; Russia isn't happy, nor is the EU.",
]


@pytest.fixture(scope="module")
def units(seed_corpus) -> pd.DataFrame:
    rng = random.Random(18)
    lex = sorted(_scorer().lexicon)
    sents = [*text.units(seed_corpus, "sentence")["text"].tolist(), *EXTRA]
    # lexicon-heavy sentences: many terms of both signs at many distances (the sums' order shows)
    heavy = [" ".join([*rng.choices(lex, k=rng.randint(0, 40)), rng.choice(["China", "Japan", "Tokyo"]),
                       *rng.choices(lex + ["not", "never", "isn't"], k=rng.randint(0, 40))]) for _ in range(300)]
    texts = sents + heavy + ["  ".join(rng.choices(sents, k=2)) for _ in range(60)]
    return pd.DataFrame({"unit_id": [f"d{i // 7}:s{i}" for i in range(len(texts))],
                         "doc_id": [f"d{i // 7}" for i in range(len(texts))], "text": texts})


@pytest.fixture(scope="module")
def frame(units) -> pd.DataFrame:
    m = find_mentions(units, load_aliases())
    return pd.concat([m, m.sample(40, random_state=1)], ignore_index=True)  # repeated mentions too


@pytest.fixture(scope="module")
def model():
    return load_target_model(SHIPPED_DIR)


def test_dense_features_equal_reference(frame):
    prepared = _Prepared(frame, _scorer(), base_window=10)
    got = light_model._dense_features(frame, _scorer(), prepared)
    want = _reference_dense_features(frame, _scorer(), prepared)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)
    assert (want[:, 7] > 0).sum() > 100 and (want[:, 8] > 0).sum() > 100 and (want[:, 9] > 0).any()
    none = frame.iloc[:0]
    np.testing.assert_array_equal(light_model._dense_features(none, _scorer()),
                                  _reference_dense_features(none, _scorer()))


def _same(got, want):
    assert type(got) is type(want) and got.shape == want.shape and got.dtype == want.dtype
    for part in ("indptr", "indices", "data"):
        np.testing.assert_array_equal(getattr(got, part), getattr(want, part))


def test_shipped_masked_tfidf_equals_reference(frame, model):
    vec = model.sentence_vec_
    assert light_model._bigram_index(vec) is not None  # the shipped model takes the id path
    docs = [light_model._masked(s, a, b).lower() for s, a, b in frame[["sentence", "from", "to"]].itertuples(index=False)]
    docs += ["", " ", "targetentity", "ÉCOLE école Größe targetentity", "the the the the", "said said"]
    _same(light_model._tfidf_transform(vec, docs), _reference_tfidf_transform(vec, docs))
    _same(light_model._tfidf_transform(vec, docs[-3:]), _reference_tfidf_transform(vec, docs[-3:]))


@pytest.mark.parametrize("kind", ["fitted", "missing word", "other pattern"])
def test_tfidf_of_other_vectorizers_equals_reference(frame, kind):
    texts = [*frame["sentence"].tolist()]
    docs = [t.lower() for t in texts] + ["", "x", "a a a a b b", "don't don't", "japan china japan"]
    if kind == "fitted":
        vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=light_model._WORDS)
        vec.fit(texts[: len(texts) // 2])
        assert light_model._bigram_index(vec) is not None
    elif kind == "missing word":  # a bigram whose second word is no feature: found by its text
        vocab = {"japan": 0, "japan china": 1, "china japan": 2, "the": 3, "a a": 4}
        vec = TfidfVectorizer(ngram_range=(1, 2), vocabulary=vocab, token_pattern=light_model._WORDS).fit(docs)
        assert light_model._bigram_index(vec) is None
    else:
        vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2).fit(texts)
        assert light_model._bigram_index(vec) is None
    _same(light_model._tfidf_transform(vec, docs), _reference_tfidf_transform(vec, docs))
    _same(light_model._tfidf_transform(vec, docs), vec.transform(docs))


def test_mention_tone_equals_reference(units, model, monkeypatch):
    units = units.assign(compound=np.where(np.arange(len(units)) % 3 == 0, np.nan, 0.25))
    kw = {"aliases": load_aliases(), "model": model, "window": 10}
    got = [target_models.mention_tone(units, **kw), target_models.mention_tone(units, **kw, sentence_compound="compound")]
    monkeypatch.setattr(light_model, "_dense_features", _reference_dense_features)
    monkeypatch.setattr(light_model, "_tfidf_transform", _reference_tfidf_transform)
    # a fresh model object: entity_sentiment remembers the rows it scored per model object, and the
    # reference features must compute every row again
    kw["model"] = load_target_model(SHIPPED_DIR)
    want = [target_models.mention_tone(units, **kw), target_models.mention_tone(units, **kw, sentence_compound="compound")]
    for g, w in zip(got, want, strict=True):
        assert len(w) > 300
        pd.testing.assert_frame_equal(g, w, check_exact=True)
