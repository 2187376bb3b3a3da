"""The light target model: target-aware features and a logistic regression (scikit-learn).

:class:`TargetSentimentClassifier` predicts the polarity toward a mention (``sentence``,
``from``, ``to``) from tf-idf of the sentence with the mention masked, tags of the words around
the mention by side and distance, VADER scores of windows, the clause and each side, and cues
of the mention's role (sentence subject, speaker of a quote, inside a quote). It trains in
seconds on NewsMTSC's train split; the embedding model of :mod:`.embeddings` builds on it.
"""

from __future__ import annotations

import re
from itertools import repeat

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
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
_QUOTES = '"“”'
_WORDS = r"(?u)\b\w[\w']*\b"


def _identity(x):
    return x


def _context_tags(
    sentence: str, start: int, end: int, window: int = 6, context: bool = True, role: bool = True
) -> list[str]:
    """Words around the mention tagged with side and distance (L1_against, R2_criticized) and
    role cues (ROLE_speaker, POS_sentence_start, ROLE_inside_quote)."""
    left = [t.lower() for t in _TOKEN_RE.findall(sentence[:start])]
    right = [t.lower() for t in _TOKEN_RE.findall(sentence[end:])]
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
    if right and right[0] in _REPORTING or (len(right) > 1 and right[1] in _REPORTING):
        tags.append("ROLE_speaker")
    if left and left[-1] in _REPORTING:
        tags.append("ROLE_after_reporting_verb")
    if sum(sentence[:start].count(q) for q in _QUOTES) % 2 == 1:
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


def _dense_features(frame: pd.DataFrame, scorer: VaderScorer) -> np.ndarray:
    """The "lexicon" group, one row per mention: seven VADER compounds (scored in one batch,
    the same numbers as ``polarity_scores`` on each text), the lexicon mass on each side, the
    negations near the mention, its relative position, the sentence length, and ! or ?."""
    rows = list(zip(frame["sentence"].tolist(), frame["from"].tolist(), frame["to"].tolist(),
                    strict=True))
    if not rows:
        return np.zeros((0, 13))
    texts = [t for s, a, b in rows for t in _vader_texts(s, a, b)]
    comp = scorer.score_texts(texts)["compound"].to_numpy().reshape(len(rows), 7)
    lex = scorer.lexicon
    out = []
    for s, a, b in rows:
        left = [t.lower() for t in _TOKEN_RE.findall(s[:a])]
        right = [t.lower() for t in _TOKEN_RE.findall(s[b:])]
        neg_near = sum(t in _NEGATION or t.endswith("n't") for t in left[-3:] + right[:3])
        n_tok = len(left) + len(right) + 1
        out.append([*_lexicon_mass(lex, left, right), neg_near, len(left) / n_tok, np.log1p(n_tok),
                    float(s.count("!") + s.count("?") > 0)])
    return np.hstack([comp, np.asarray(out, dtype=float)])


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

    def _features(self, X, fit=False):
        _check_frame(X)
        feats = set(self.features)
        unknown = feats - {"sentence", "masked", "context", "lexicon", "role", *self.EXTRA_FEATURES}
        if unknown:
            raise ValueError(f"unknown feature groups {sorted(unknown)}")
        rows = list(zip(X["sentence"], X["from"], X["to"], strict=True))
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
            parts.append(vec.fit_transform(texts) if fit else vec.transform(texts))
        if feats & {"context", "role"}:
            tags = [
                _context_tags(s, a, b, self.window, "context" in feats, "role" in feats)
                for s, a, b in rows
            ]
            vec = self.context_vec_
            parts.append(vec.fit_transform(tags) if fit else vec.transform(tags))
        for group in self.EXTRA_FEATURES:
            if group in feats:
                side = _clause_masked if group == "clause" else _side_words
                docs = [side(s, a, b, self.window) for s, a, b in rows]
                vec = self.extra_vecs_[group]
                parts.append(vec.fit_transform(docs) if fit else vec.transform(docs))
        if "lexicon" in feats:
            dense = _dense_features(X, _scorer())
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

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        return self.clf_.predict_proba(self._features(X))

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
