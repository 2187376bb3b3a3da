"""The light target model: target-aware features and a logistic regression (scikit-learn).

:class:`TargetSentimentClassifier` predicts the polarity toward a mention (``sentence``,
``from``, ``to``) from tf-idf of the sentence with the mention masked, tags of the words around
the mention by side and distance, VADER scores of windows, the clause and each side, and cues
of the mention's role (sentence subject, speaker of a quote, inside a quote). It trains in
seconds on NewsMTSC's train split; the embedding model of :mod:`.embeddings` builds on it.
"""

from __future__ import annotations

import gc
import re
import weakref
from itertools import repeat
from operator import itemgetter

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction import text as sk_text
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from ..config import SEED
from .scores import _scorer, _window
from .vader import VaderScorer

_TOKEN_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|\d+|[^\w\s]")
_REPORTING = frozenset(
    "said says say told tells according added adds argued argues claimed claims "
    "warned warns stated states noted notes insisted insists wrote writes "
    "accused accuses called calls urged urges announced announces".split()
)
_NEGATION = frozenset("not no never n't without nor neither cannot".split())
_QUOTES = '"“”'  # the quote marks counted before a mention (ROLE_inside_quote)
#: Tokens that may stand before a mention at the start of a sentence (POS_sentence_start).
_SENTENCE_START = frozenset({"the", "a", "an", "“", '"'})
_WORDS = r"(?u)\b\w[\w']*\b"


# scikit-learn's step from its count matrix to what transform returns (a sparse matrix or array
# as configured); absent in older versions, where transform returns the matrix as built.
_align_api_if_sparse = getattr(sk_text, "_align_api_if_sparse", lambda X: X)


def _identity(x):
    return x


def _tokens(text: str) -> list[str]:
    """The lower-cased :data:`_TOKEN_RE` tokens of ``text`` (an ASCII text is lowered first:
    the same tokens, one ``lower`` call instead of one per token)."""
    if text.isascii():
        return _TOKEN_RE.findall(text.lower())
    return [t.lower() for t in _TOKEN_RE.findall(text)]


def _context_tags(
    sentence: str, start: int, end: int, window: int = 6, context: bool = True, role: bool = True,
    sides: tuple[list[str], list[str]] | None = None,
) -> list[str]:
    """Words around the mention tagged with side and distance (L1_against, R2_criticized) and
    role cues (ROLE_speaker, POS_sentence_start, ROLE_inside_quote). ``sides``: the tokens
    before and after the mention when already known (:func:`_tokens`)."""
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
    if not left or _SENTENCE_START.issuperset(left):
        tags.append("POS_sentence_start")
    if right and right[0] in _REPORTING or (len(right) > 1 and right[1] in _REPORTING):
        tags.append("ROLE_speaker")
    if left and left[-1] in _REPORTING:
        tags.append("ROLE_after_reporting_verb")
    if (sentence.count('"', 0, start) + sentence.count("“", 0, start) + sentence.count("”", 0, start)) % 2 == 1:
        tags.append("ROLE_inside_quote")
    return tags


def _masked(sentence: str, start: int, end: int) -> str:
    return f"{sentence[:start]} targetentity {sentence[end:]}"


def _clause_masked(sentence: str, start: int, end: int, window: int = 0) -> str:
    """The clause holding the mention, lower-cased, the mention replaced by a placeholder (the
    "clause" feature group; ``window`` is unused, for a common signature)."""
    mention = sentence[start:end]
    clause = _clause(sentence, start, end)
    return (clause.replace(mention, " targetentity ") if mention else clause).lower()


def _side_words(sentence: str, start: int, end: int, window: int) -> list[str]:
    """The ``window`` words on each side of the mention, tagged by side only (L_, R_), with the
    bigrams inside each side: the "side window" feature group (no distance buckets)."""
    left = [t.lower() for t in _TOKEN_RE.findall(sentence[:start])][-window:]
    right = [t.lower() for t in _TOKEN_RE.findall(sentence[end:])][:window]
    out = [f"L_{t}" for t in left] + [f"R_{t}" for t in right]
    out += [f"L_{a}_{b}" for a, b in zip(left, left[1:], strict=False)]
    out += [f"R_{a}_{b}" for a, b in zip(right, right[1:], strict=False)]
    return out


_CLAUSE_CUT = re.compile(r"[,;:()\u2013\u2014]|\bbut\b|\bwhile\b|\bwhereas\b|\bhowever\b")


def _clause(sentence: str, start: int, end: int) -> str:
    """The clause holding the mention: cut at , ; : ( ) dashes and ' but '."""
    lo = 0
    for m in _CLAUSE_CUT.finditer(sentence, 0, start):
        lo = m.end()
    m = _CLAUSE_CUT.search(sentence, end)
    hi = m.start() if m else len(sentence)
    return sentence[lo:hi]


def _vader_texts(s: str, a: int, b: int) -> tuple[str, ...]:
    """The seven texts whose VADER compound is a feature: the sentence, the ±3/6/10-word windows,
    the text before and after the mention, and its clause."""
    return (s, _window(s, a, b, 3), _window(s, a, b, 6), _window(s, a, b, 10), s[:a], s[b:],
            _clause(s, a, b))


def _windows(s: str, a: int, b: int, sizes) -> list[str]:
    """``[_window(s, a, b, w) for w in sizes]`` from one split of each side."""
    left, right, mention = s[:a].split(), s[b:].split(), s[a:b]
    n = len(left)
    return [" ".join([*left[max(0, n - w):], mention, *right[:w]]) for w in sizes]


class _Prepared:
    """What the light model's features and the VADER window baseline share for some mentions:
    the tokens on each side of every mention (found once, for the context tags and the lexicon
    features), the VADER compounds of the seven feature texts, and, when ``base_window`` is
    given, the compound and drivers of the ±``base_window`` words (``vader_target_scores``),
    all scored in one batch (the ±10 window is one of the seven texts).

    ``sentence_compound``: the VADER compound of each row's sentence when already known (the
    sentence level of :func:`.scores.level_scores` holds it), NaN where not: those sentences
    are not scored again (a text's compound depends on that text alone)."""

    def __init__(self, frame: pd.DataFrame, scorer: VaderScorer, base_window: int | None = None,
                 sentence_compound=None):
        self.rows = rows = list(zip(frame["sentence"].tolist(), frame["from"].tolist(),
                                    frame["to"].tolist(), strict=True))
        self.sides = [(_tokens(s[:a]), _tokens(s[b:])) for s, a, b in rows]
        # the ±base_window text is one of the three windows when its size is one of theirs
        sizes = (3, 6, 10) if base_window in (None, 3, 6, 10) else (3, 6, 10, base_window)
        known = (np.full(len(rows), np.nan) if sentence_compound is None
                 else np.asarray(sentence_compound, dtype=float))
        texts = []
        for (s, a, b), k in zip(rows, np.isnan(known).tolist(), strict=True):
            w = _windows(s, a, b, sizes)
            texts += [s, w[0], w[1], w[2], s[:a], s[b:], _clause(s, a, b), *w[3:]] if k else \
                [w[0], w[1], w[2], s[:a], s[b:], _clause(s, a, b), *w[3:]]
        width = len(sizes) + 4
        base_col = None if base_window is None else 7 if width == 8 else 1 + (3, 6, 10).index(base_window)
        if rows:
            # each row's texts in order, its sentence first when it was scored here
            n_texts = np.where(np.isnan(known), width, width - 1)
            first = np.cumsum(n_texts) - n_texts
            col0 = np.where(np.isnan(known), 0, -1)
            at = first[:, None] + np.arange(width)[None, :] + col0[:, None]
            flat, drivers = _vader_compounds(scorer, texts, at[:, base_col] if base_col is not None else None)
            comp = flat[np.maximum(at, 0)]
            comp[:, 0] = np.where(np.isnan(known), comp[:, 0], known)
        else:
            comp, drivers = np.zeros((0, width)), []
        self.compound = comp[:, :7]
        self.base = None
        if base_window is not None:
            self.base = (comp[:, base_col], drivers)


def _vader_compounds(scorer: VaderScorer, texts: list[str], base_at: np.ndarray | None
                     ) -> tuple[np.ndarray, list[str]]:
    """The VADER compound of each of ``texts`` (``score_texts``' numbers: each distinct text
    scored once), and the drivers of the texts at ``base_at`` (in that order): drivers are formed
    only for those texts, the others scored without (a text's numbers do not depend on the
    batch it is scored in)."""
    with_drivers = list(dict.fromkeys(texts[i] for i in base_at.tolist())) if base_at is not None else []
    seen = set(with_drivers)
    rest = [t for t in dict.fromkeys(texts) if t not in seen]
    gc_was_enabled = gc.isenabled()
    gc.disable()  # as score_texts: the batch forms many small objects, none in cycles
    try:
        cols_d = scorer._score_batch(with_drivers, drivers=True) if with_drivers else None
        cols_r = scorer._score_batch(rest, drivers=False) if rest else None
    finally:
        if gc_was_enabled:
            gc.enable()
    value = {}
    if cols_d is not None:
        value.update(zip(with_drivers, np.asarray(cols_d["compound"], dtype=float).tolist(), strict=True))
    if cols_r is not None:
        value.update(zip(rest, np.asarray(cols_r["compound"], dtype=float).tolist(), strict=True))
    flat = np.fromiter(map(value.__getitem__, texts), dtype=float, count=len(texts))
    if base_at is None:
        return flat, []
    formed = dict(zip(with_drivers, cols_d["drivers"], strict=True))
    return flat, [formed[texts[i]] for i in base_at.tolist()]


def _lexicon_mass(lex: dict, left: list[str], right: list[str]) -> tuple[float, float]:
    """Distance-weighted lexicon mass on each side (near words speak about the target): the sums
    of v/d over positive and over negative lexicon words, nearest first, left side then right."""
    pos_w = neg_w = 0.0
    for side in (left[::-1], right):
        for d, v in enumerate(map(lex.get, side, repeat(0.0)), 1):
            if v > 0:
                pos_w += v / d
            elif v < 0:
                neg_w += -v / d
    return pos_w, neg_w


def _dense_features(frame: pd.DataFrame, scorer: VaderScorer, prepared: _Prepared | None = None
                    ) -> np.ndarray:
    """The "lexicon" group, one row per mention: seven VADER compounds (scored in one batch,
    the same numbers as ``polarity_scores`` on each text), the lexicon mass on each side, the
    negations near the mention, its relative position, the sentence length, and ! or ?."""
    prepared = prepared or _Prepared(frame, scorer)
    if not prepared.rows:
        return np.zeros((0, 13))
    sides = prepared.sides
    n_left = np.fromiter(map(len, map(itemgetter(0), sides)), dtype=np.int64, count=len(sides))
    n_right = np.fromiter(map(len, map(itemgetter(1), sides)), dtype=np.int64, count=len(sides))
    pos_w, neg_w = _lexicon_masses(scorer.lexicon, sides, n_left, n_right)
    neg_near = [len([t for t in left[-3:] + right[:3] if t in _NEGATION or t.endswith("n't")])
                for left, right in sides]
    n_tok = n_left + n_right + 1
    log1p = {n: np.log1p(n) for n in set(n_tok.tolist())}  # each value as the scalar call gives it
    out = np.empty((len(sides), 6))
    out[:, 0], out[:, 1], out[:, 2] = pos_w, neg_w, neg_near
    out[:, 3] = n_left / n_tok
    out[:, 4] = np.fromiter(map(log1p.__getitem__, n_tok.tolist()), dtype=float, count=len(sides))
    out[:, 5] = [float(s.count("!") + s.count("?") > 0) for s, _a, _b in prepared.rows]
    return np.hstack([prepared.compound, out])


def _lexicon_masses(lex: dict, sides: list, n_left: np.ndarray, n_right: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_lexicon_mass` of every row's ``(left, right)`` tokens at once: the words' values
    looked up in one pass, and each row's terms added in the same order as there (``np.add.at``
    adds unbuffered, element by element in index order), so the same sums to the last bit."""
    flat: list[str] = []
    for left, right in sides:
        flat += left[::-1]
        flat += right
    v = np.fromiter(map(lex.get, flat, repeat(0.0)), dtype=float, count=len(flat))
    lengths = np.column_stack([n_left, n_right]).reshape(-1)  # left side, then right side, per row
    seg_start = np.repeat(np.cumsum(lengths) - lengths, lengths)
    d = np.arange(len(flat), dtype=np.int64) - seg_start + 1  # distance within the side, from 1
    row = np.repeat(np.arange(len(sides), dtype=np.int64), n_left + n_right)
    pos_w, neg_w = np.zeros(len(sides)), np.zeros(len(sides))
    up, down = v > 0, v < 0
    np.add.at(pos_w, row[up], v[up] / d[up])
    np.add.at(neg_w, row[down], -v[down] / d[down])
    return pos_w, neg_w


def _plain_word_vectorizer(vec) -> bool:
    """Whether ``vec`` analyses text as :func:`_tfidf_transform` does: words of its token pattern
    from the lower-cased text, n-grams joined by a space, nothing else."""
    return (vec.analyzer == "word" and vec.input == "content" and vec.preprocessor is None
            and vec.tokenizer is None and vec.stop_words is None and vec.strip_accents is None
            and vec.lowercase and not vec.binary)


def _tfidf_transform(vec: TfidfVectorizer, docs: list) -> sparse.spmatrix:
    """``vec.transform(docs)`` with the counting done in bulk: each document's features (the
    :data:`_identity` analyzer's tags, or the word n-grams) are looked up with ``dict.get`` in one
    C-level pass, and the (document, feature) pairs counted with ``np.unique`` (sorted, as
    scikit-learn sorts them); the same count matrix then goes through the vectorizer's own tf-idf
    step, so the result is the one ``transform`` gives (tested). Other analyzers: ``transform``."""
    identity = vec.analyzer is _identity
    if not identity and not _plain_word_vectorizer(vec):
        return vec.transform(docs)
    vocab = vec.vocabulary_
    get = vocab.get
    if not identity:
        tokenize = re.compile(vec.token_pattern).findall
        lo, hi = vec.ngram_range
        pairs = _bigram_index(vec) if (lo, hi) == (1, 2) else None
        if pairs is not None:
            return _tfidf_pairs(vec, docs, tokenize, pairs)
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
    flat = np.fromiter(ids, dtype=np.int64, count=len(ids))
    row = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    return _tfidf_counted(vec, row, flat, len(lengths))


def _tfidf_counted(vec: TfidfVectorizer, row: np.ndarray, flat: np.ndarray, n_docs: int) -> sparse.spmatrix:
    """:func:`_tfidf_transform`'s last step: the (document ``row``, feature ``flat``, -1 for
    none) pairs counted into the count matrix, which then goes through the vectorizer's own
    tf-idf step (the pairs' order does not matter)."""
    n_feats = len(vec.vocabulary_)
    known = flat >= 0
    codes, counts = np.unique(row[known] * n_feats + flat[known], return_counts=True)
    indptr = np.searchsorted(codes, np.arange(n_docs + 1, dtype=np.int64) * n_feats)
    index_dtype = np.int32 if len(codes) <= np.iinfo(np.int32).max else np.int64
    X = sparse.csr_array(
        (counts.astype(np.intc), (codes % n_feats).astype(index_dtype), indptr.astype(index_dtype)),
        shape=(n_docs, n_feats), dtype=vec.dtype,
    )
    X.sort_indices()
    return vec._tfidf.transform(_align_api_if_sparse(X), copy=False)


#: Each vectorizer's :func:`_bigram_index` (weakly: it goes with the vectorizer), with the
#: vocabulary it was built from.
_BIGRAMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _bigram_index(vec: TfidfVectorizer) -> tuple[np.ndarray, np.ndarray] | None:
    """The bigram features of a word vectorizer of :data:`_WORDS` tokens and n-grams (1, 2) as
    sorted codes ``id(first word) * len(vocabulary) + id(second word)`` and their feature ids,
    or ``None`` when a bigram's words are not both features (then only the words' text finds
    it) or the tokens are of another pattern (one that may hold a space)."""
    vocab = vec.vocabulary_
    hit = _BIGRAMS.get(vec)
    if hit is not None and hit[0] is vocab:
        return hit[1]
    index = None
    if vec.token_pattern == _WORDS:
        n = len(vocab)
        codes, ids, ok = [], [], True
        for feature, i in vocab.items():
            words = feature.split(" ")
            if len(words) == 1:
                continue
            a, b = (vocab.get(words[0]), vocab.get(words[1])) if len(words) == 2 else (None, None)
            if a is None or b is None:
                ok = False
                break
            codes.append(a * n + b)
            ids.append(i)
        if ok:
            codes_a = np.asarray(codes, dtype=np.int64)
            order = np.argsort(codes_a, kind="stable")
            index = (codes_a[order], np.asarray(ids, dtype=np.int64)[order])
    _BIGRAMS[vec] = (vocab, index)
    return index


def _tfidf_pairs(vec: TfidfVectorizer, docs: list, tokenize, pairs: tuple[np.ndarray, np.ndarray]
                 ) -> sparse.spmatrix:
    """:func:`_tfidf_transform` of a (1, 2)-gram word vectorizer whose bigrams' words are all
    features (:func:`_bigram_index`): the words looked up one by one, each bigram found from
    its two words' ids with one ``searchsorted`` (a bigram with an unknown word is no feature),
    instead of joining and looking up every pair of words as text."""
    get = vec.vocabulary_.get
    ids, lengths = [], []
    for doc in docs:
        toks = tokenize(doc.lower())
        ids.extend(map(get, toks, repeat(-1)))
        lengths.append(len(toks))
    n_docs, n = len(lengths), len(vec.vocabulary_)
    words = np.fromiter(ids, dtype=np.int64, count=len(ids))
    row = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    # a bigram: two neighbouring words of the same document, both features
    both = (words[:-1] >= 0) & (words[1:] >= 0) & (row[:-1] == row[1:])
    codes = words[:-1][both] * n + words[1:][both]
    pair_codes, pair_ids = pairs
    at = np.minimum(np.searchsorted(pair_codes, codes), max(len(pair_codes) - 1, 0))
    found = pair_codes[at] == codes if len(pair_codes) else np.zeros(len(codes), dtype=bool)
    flat = np.concatenate([words, pair_ids[at[found]]])
    rows = np.concatenate([row, row[:-1][both][found]])
    return _tfidf_counted(vec, rows, flat, n_docs)


class TargetSentimentClassifier(BaseEstimator, ClassifierMixin):
    """Target-dependent sentiment with scikit-learn (CPU, seconds to train).

    ``fit(X, y)`` / ``predict(X)`` / ``predict_proba(X)`` where ``X`` is a DataFrame with
    ``sentence``, ``from``, ``to`` (NewsMTSC layout or :func:`find_mentions` output) and ``y``
    holds -1/0/1. Features: tf-idf of the sentence with the mention masked (general tone), tags
    of the words around the mention by side and distance (what is said *about* it), VADER
    scores of windows, the clause and each side, and role cues (sentence start, speaker of a
    quote, inside a quote). The feature groups, ``C`` and ``window`` are the ones chosen by
    5-fold cross-validation on NewsMTSC's train split, grouped by sentence
    (:func:`.tuning.tune_light_model`, ``python -m helpers train targets --train FILE --cv``;
    grid and scores in docs/sentiment.md); the dev splits are never used to choose.
    ``class_weight="balanced"`` because news is mostly neutral.

    >>> X = pd.DataFrame({"sentence": ["Japan won praise.", "Japan was condemned.", "Japan met."] * 5,
    ...                   "from": [0] * 15, "to": [5] * 15})
    >>> m = TargetSentimentClassifier().fit(X, [1, -1, 0] * 5)
    >>> m.predict(X.head(3)).tolist()
    [1, -1, 0]
    """

    #: Feature groups; drop some for ablations. "sentence" = tf-idf of the raw sentence (the
    #: classic baseline), "masked" = the same with the mention replaced by a placeholder.
    ALL_FEATURES = ("masked", "context", "lexicon", "role")
    #: Groups tried in the ablation and not adopted (docs/sentiment.md): tf-idf of the clause
    #: holding the mention (masked), and side-window words without distance buckets.
    EXTRA_FEATURES = ("clause", "sides")

    def __init__(
        self,
        C: float = 1.0,
        window: int = 8,
        dense_weight: float = 1.0,
        features: tuple[str, ...] = ALL_FEATURES,
        class_weight: str | None = "balanced",
        ngram_max: int = 2,
        random_state: int = SEED,
    ):
        self.C = C
        self.window = window
        self.dense_weight = dense_weight
        self.features = features
        self.class_weight = class_weight
        self.ngram_max = ngram_max
        self.random_state = random_state

    def _features(self, X, fit=False, prepared: _Prepared | None = None):
        _check_frame(X)
        feats = set(self.features)
        unknown = feats - {"sentence", "masked", "context", "lexicon", "role", *self.EXTRA_FEATURES}
        if unknown:
            raise ValueError(f"unknown feature groups {sorted(unknown)}")
        rows = prepared.rows if prepared is not None else list(zip(X["sentence"], X["from"], X["to"], strict=True))
        parts = []
        if fit:
            self.sentence_vec_ = TfidfVectorizer(
                ngram_range=(1, self.ngram_max), min_df=2, sublinear_tf=True, token_pattern=_WORDS
            )
            self.context_vec_ = TfidfVectorizer(analyzer=_identity, min_df=2, sublinear_tf=True)
            self.scaler_ = StandardScaler()
            self.extra_vecs_ = {"clause": TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                                          token_pattern=_WORDS),
                                "sides": TfidfVectorizer(analyzer=_identity, min_df=2, sublinear_tf=True)}
        if feats & {"sentence", "masked"}:
            texts = [(_masked(s, a, b) if "masked" in feats else s).lower() for s, a, b in rows]
            vec = self.sentence_vec_
            parts.append(vec.fit_transform(texts) if fit else _tfidf_transform(vec, texts))
        if "lexicon" in feats and prepared is None:
            prepared = _Prepared(X, _scorer())
        if feats & {"context", "role"}:
            sides = prepared.sides if prepared is not None else repeat(None)
            ctx, role = "context" in feats, "role" in feats
            tags = [_context_tags(s, a, b, self.window, ctx, role, lr)
                    for (s, a, b), lr in zip(rows, sides, strict=False)]
            vec = self.context_vec_
            parts.append(vec.fit_transform(tags) if fit else _tfidf_transform(vec, tags))
        for group in self.EXTRA_FEATURES:
            if group in feats:
                side = _clause_masked if group == "clause" else _side_words
                docs = [side(s, a, b, self.window) for s, a, b in rows]
                vec = self.extra_vecs_[group]
                parts.append(vec.fit_transform(docs) if fit else vec.transform(docs))
        if "lexicon" in feats:
            dense = _dense_features(X, _scorer(), prepared)
            dense = self.scaler_.fit_transform(dense) if fit else self.scaler_.transform(dense)
            parts.append(sparse.csr_matrix(dense * self.dense_weight))
        return sparse.hstack(parts).tocsr()

    def fit(self, X: pd.DataFrame, y):
        y = np.asarray(y, dtype=int)
        Z = self._features(X, fit=True)
        self.clf_ = _logistic(self.C, self.random_state, self.class_weight).fit(Z, y)
        self.classes_ = self.clf_.classes_
        return self

    def decision_features(self, X):
        return self._features(X)

    def predict_proba(self, X: pd.DataFrame, prepared: _Prepared | None = None) -> np.ndarray:
        """Class probabilities; ``prepared`` (:class:`_Prepared` of ``X``) when already built."""
        return self.clf_.predict_proba(self._features(X, prepared=prepared))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def describe(self) -> dict:
        return {
            "kind": "light",
            "class": type(self).__name__,
            "C": self.C,
            "window": self.window,
            "features": list(self.features),
            "class_weight": self.class_weight,
            "ngram_max": self.ngram_max,
        }


def _logistic(C: float, random_state: int = SEED, class_weight: str | None = "balanced") -> LogisticRegression:
    """The model's classifier (also used by :mod:`.tuning`, which refits it for every ``C``)."""
    # newton-cg: same optimum as lbfgs here but ~5x faster on these 50k sparse columns
    return LogisticRegression(
        C=C, class_weight=class_weight, solver="newton-cg", max_iter=1000, random_state=random_state
    )


def _check_frame(X):
    missing = [c for c in ("sentence", "from", "to") if c not in X.columns]
    if missing:
        raise ValueError(
            f"target model input needs columns sentence, from, to; missing {missing} "
            "(use find_mentions or read_newsmtsc to build it)"
        )
