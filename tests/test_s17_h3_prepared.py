"""The light model's prepared features, sixth session: the VADER texts are scored once each,
drivers formed only for the ±base_window texts, and that window taken from the three feature
windows when its size is one of theirs. The same compounds, drivers and tokens as the earlier
``_Prepared`` kept here verbatim (``_reference_prepared``): seed sentences, emojis, "but",
repeats, known and unknown sentence compounds, every base window, no rows."""

from __future__ import annotations

import random
import re
from itertools import repeat

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from helpers import text
from helpers.sentiment import find_mentions, light_model, load_aliases
from helpers.sentiment.light_model import _clause, _Prepared, _tokens, _windows
from helpers.sentiment.scores import _scorer


def _reference_prepared(frame, scorer, base_window=None, sentence_compound=None):
    """_Prepared.__init__ before this session (verbatim but for the name and the returned tuple)."""
    rows = list(zip(frame["sentence"].tolist(), frame["from"].tolist(), frame["to"].tolist(), strict=True))
    sides = [(_tokens(s[:a]), _tokens(s[b:])) for s, a, b in rows]
    sizes = (3, 6, 10) if base_window is None else (3, 6, 10, base_window)
    known = (np.full(len(rows), np.nan) if sentence_compound is None
             else np.asarray(sentence_compound, dtype=float))
    texts = []
    for (s, a, b), k in zip(rows, np.isnan(known).tolist(), strict=True):
        w = _windows(s, a, b, sizes)
        texts += [s, w[0], w[1], w[2], s[:a], s[b:], _clause(s, a, b), *w[3:]] if k else \
            [w[0], w[1], w[2], s[:a], s[b:], _clause(s, a, b), *w[3:]]
    width = len(sizes) + 4
    if rows:
        scored = scorer.score_texts(texts)
        n_texts = np.where(np.isnan(known), width, width - 1)
        first = np.cumsum(n_texts) - n_texts
        col0 = np.where(np.isnan(known), 0, -1)
        at = first[:, None] + np.arange(width)[None, :] + col0[:, None]
        flat = scored["compound"].to_numpy()
        comp = flat[np.maximum(at, 0)]
        comp[:, 0] = np.where(np.isnan(known), comp[:, 0], known)
        drivers = scored["drivers"].tolist()
    else:
        comp, drivers = np.zeros((0, width)), []
    base = None
    if base_window is not None:
        base = (comp[:, 7], [drivers[i] for i in at[:, 7].tolist()] if rows else [])
    return rows, sides, comp[:, :7], base


EXTRA = [
    "Japan is great 😀 but China is awful 😡!!",
    "Tokyo praised the deal, but Beijing WARNED it was a terrible, terrible mistake.",
    "Not good at all: the alliance was never so bad, kind of sad, without doubt the worst.",
    "Japan",
    "China :) China :( China",
    "The U.S. and Japan and China and NATO and Russia, but not the U.S.",
]


@pytest.fixture(scope="module")
def frame(seed_corpus) -> pd.DataFrame:
    rng = random.Random(5)
    sents = [*text.units(seed_corpus, "sentence")["text"].tolist(), *EXTRA]
    texts = sents + ["  ".join(rng.choices(sents, k=2)) for _ in range(80)]
    units = pd.DataFrame({"unit_id": [f"d:s{i}" for i in range(len(texts))], "doc_id": "d", "text": texts})
    m = find_mentions(units, load_aliases())
    return pd.concat([m, m.sample(40, random_state=1)], ignore_index=True)  # repeated mentions too


@pytest.mark.parametrize("base_window", [None, 3, 6, 10, 8, 0, 1])
@pytest.mark.parametrize("with_known", [False, True])
def test_prepared_equals_reference(frame, base_window, with_known):
    rng = np.random.default_rng(2)
    known = None
    if with_known:
        known = np.round(rng.uniform(-1, 1, len(frame)), 4)
        known[::3] = np.nan  # some sentences scored here
    assert len(frame) > 100
    rows, sides, comp, base = _reference_prepared(frame, _scorer(), base_window, known)
    got = _Prepared(frame, _scorer(), base_window=base_window, sentence_compound=known)
    assert got.rows == rows and got.sides == sides
    np.testing.assert_array_equal(got.compound, comp)
    assert got.compound.dtype == comp.dtype and got.compound.shape == comp.shape
    if base is None:
        assert got.base is None
    else:
        np.testing.assert_array_equal(got.base[0], base[0])
        assert list(got.base[1]) == list(base[1])
        assert any(base[1]) or base_window < 3  # drivers were formed (a mention alone has none)


@pytest.mark.parametrize("base_window", [None, 10])
def test_prepared_of_no_rows(frame, base_window):
    empty = frame.iloc[:0]
    rows, sides, comp, base = _reference_prepared(empty, _scorer(), base_window)
    got = _Prepared(empty, _scorer(), base_window=base_window)
    assert got.rows == rows == [] and got.sides == sides
    assert got.compound.shape == comp.shape
    if base is None:
        assert got.base is None
    else:
        assert len(got.base[0]) == 0 and list(got.base[1]) == []


def _reference_context_tags(sentence, start, end, window=6, context=True, role=True, sides=None):
    """light_model._context_tags before this session (verbatim but for the name and module)."""
    left, right = sides or (_tokens(sentence[:start]), _tokens(sentence[end:]))
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
    if sum(sentence[:start].count(q) for q in '"“”') % 2 == 1:
        tags.append("ROLE_inside_quote")
    return tags


def _reference_dense_features(frame, scorer, prepared=None):
    """light_model._dense_features before this session (verbatim but for the name and module)."""
    prepared = prepared or _Prepared(frame, scorer)
    if not prepared.rows:
        return np.zeros((0, 13))
    lex = scorer.lexicon
    out = []
    for (s, _a, _b), (left, right) in zip(prepared.rows, prepared.sides, strict=True):
        neg_near = sum(t in light_model._NEGATION or t.endswith("n't") for t in left[-3:] + right[:3])
        n_tok = len(left) + len(right) + 1
        out.append([*light_model._lexicon_mass(lex, left, right), neg_near, len(left) / n_tok, np.log1p(n_tok),
                    float(s.count("!") + s.count("?") > 0)])
    return np.hstack([prepared.compound, np.asarray(out, dtype=float)])


def _quoted_mentions(n=1500, seed=9):
    rng = random.Random(seed)
    words = ["the", "The", "a", "an", "“", "”", '"', "'", "Japan", "said", "says", "not", "no", "don't", "isn't",
             "never", "good", "bad", "terrible", "great", "!", "?", ",", "but", "the", "THE", "x", "1", "é", "’"]
    rows = []
    for _ in range(n):
        left = rng.choice(["", " ", "\n"]).join(rng.choices(words, k=rng.randint(0, 9)))
        right = " ".join(rng.choices(words, k=rng.randint(0, 9)))
        sep = rng.choice(["", " ", '"', "“"])
        s = f"{left}{sep}China{sep}{right}"
        a = len(left) + len(sep)
        rows.append((s, a, a + 5))
    return pd.DataFrame(rows, columns=["sentence", "from", "to"])


@pytest.mark.parametrize("window,context,role", [(6, True, True), (8, True, True), (3, False, True),
                                                 (6, True, False), (0, True, True)])
def test_context_tags_equal_reference(window, context, role):
    frame = _quoted_mentions()
    for s, a, b in frame.itertuples(index=False):
        sides = (_tokens(s[:a]), _tokens(s[b:]))
        assert light_model._context_tags(s, a, b, window, context, role, sides) == \
            _reference_context_tags(s, a, b, window, context, role, sides), (s, a, b)
        assert light_model._context_tags(s, a, b, window, context, role) == \
            _reference_context_tags(s, a, b, window, context, role)


def test_dense_features_equal_reference(frame):
    both = pd.concat([frame[["sentence", "from", "to"]], _quoted_mentions(400, 4)], ignore_index=True)
    prepared = _Prepared(both, _scorer(), base_window=10)
    got = light_model._dense_features(both, _scorer(), prepared)
    want = _reference_dense_features(both, _scorer(), prepared)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)
    assert (want[:, 9] > 0).any()  # negations near some mentions


def _reference_tfidf_transform(vec, docs):
    """light_model._tfidf_transform before this session (verbatim but for the name and module)."""
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
        if identity:
            feats = doc
        else:
            toks = tokenize(doc.lower())
            feats = toks if lo == 1 else []
            for n in range(max(lo, 2), min(hi, len(toks)) + 1):
                feats = [*feats, *map(" ".join, zip(*(toks[k:] for k in range(n)), strict=False))]
        before = len(ids)
        ids.extend(map(get, feats, repeat(-1)))
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


@pytest.mark.parametrize("ngram", [(1, 1), (1, 2), (1, 3), (2, 3), (2, 2)])
def test_tfidf_transform_equals_reference(frame, ngram):
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [*frame["sentence"].tolist(), *_quoted_mentions(300, 2)["sentence"].tolist()]
    docs = [t.lower() for t in texts] + ["", " ", "ÉCOLE école Größe", "a a a a b b", "don't don't", "x"]
    vec = TfidfVectorizer(ngram_range=ngram, min_df=2, sublinear_tf=True, token_pattern=light_model._WORDS)
    vec.fit(texts[: len(texts) // 2])
    tags = [t.split() for t in docs] + [[], ["x", "x", "x"]]
    ctx = TfidfVectorizer(analyzer=light_model._identity, min_df=2, sublinear_tf=True).fit(tags[::2])
    for v, d in ((vec, docs), (ctx, tags)):
        got, want = light_model._tfidf_transform(v, d), _reference_tfidf_transform(v, d)
        assert type(got) is type(want) and got.shape == want.shape and got.dtype == want.dtype
        for part in ("indptr", "indices", "data"):
            np.testing.assert_array_equal(getattr(got, part), getattr(want, part))
