"""Topic models for news coverage: preprocess, fit, choose k, read, compare groups, rerun.

The pieces, in the order a notebook uses them:

* :class:`TopicVectorizer` — the one configurable preprocessing step (token pattern, general +
  news-boilerplate + outlet stop words, optional lemmatising with simplemma, collocations,
  document-frequency trimming). ``report_`` says what each step removed.
* :class:`TopicModel` — NMF on tf-idf (deterministic NNDSVD start), LDA (batch/online),
  MiniBatchNMF (streaming with ``partial_fit``); scikit-learn style ``fit``/``transform``
  with ``random_state``; tidy outputs (:meth:`TopicModel.topic_terms`,
  :meth:`TopicModel.doc_topics`).
* :func:`sweep_topics` — fits every (k, seed), reports NPMI, diversity, stability, held-out
  perplexity (LDA) and, given labels, NMI/purity; shares one vectorisation, one tf-idf and one
  truncated SVD per seed across all k (the speed-up measured in benchmarks/bench_topics.py).
* Reading: :func:`label_topics`, :func:`representative_documents`,
  :func:`representative_passages`, :func:`topic_map` (Jensen–Shannon + MDS).
* Groups and time: :func:`topic_prevalence` (bootstrap intervals), :func:`date_bins`,
  :func:`distinguishing_terms` (log-odds with an informative Dirichlet prior within a topic).
* New data: :meth:`TopicModel.oov_report`, :func:`align_models` (Hungarian matching).
* ``python -m helpers validate topics FILE --k K`` → :func:`validate_main`.

Metric definitions (NPMI, diversity, stability) live in :mod:`helpers.topic_metrics`.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import sparse
from scipy.spatial.distance import jensenshannon
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import NMF, LatentDirichletAllocation, MiniBatchNMF
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.utils.extmath import randomized_svd
from threadpoolctl import threadpool_limits

from helpers.config import RESOURCES, SEED
from helpers.text import STOP_WORDS
from helpers.topic_metrics import (
    label_agreement,
    match_topics,
    npmi_coherence,
    topic_diversity,
    topic_stability,
)

__all__ = [
    "DEFAULT_TOKEN_PATTERN",
    "METHODS",
    "TopicVectorizer",
    "TopicModel",
    "SweepResult",
    "load_news_stop_words",
    "outlet_stop_words",
    "sweep_topics",
    "label_topics",
    "representative_documents",
    "representative_passages",
    "topic_map",
    "topic_prevalence",
    "date_bins",
    "distinguishing_terms",
    "align_models",
    "validate_main",
]

#: Letters only, at least three: numbers, "'s" and two-letter fragments carry no topic.
DEFAULT_TOKEN_PATTERN = r"(?u)\b[^\W\d_]{3,}\b"
METHODS = ("nmf", "lda", "online-lda", "minibatch-nmf")
#: BLAS threads inside fits. 1: OpenBLAS threads slow the many small QR/SVD/GEMM calls of NMF
#: on small matrices (benchmarks/bench_topics.py measures it); None leaves the machine default.
BLAS_THREADS: int | None = 1
NEWS_STOPWORDS_FILE = RESOURCES / "stopwords_news.yml"


# --------------------------------------------------------------------------------------
# Stop words
# --------------------------------------------------------------------------------------
@lru_cache(maxsize=8)
def _read_stop_yaml(path: str) -> dict[str, tuple[str, ...]]:
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise FileNotFoundError(
            f"Stop-word file {p} not found; pass stop_words_file=None for the built-in list"
        ) from exc
    if not isinstance(data, dict):
        raise ValueError(f"{p}: expected a mapping of category -> list of words, got {type(data)}")
    out = {}
    for cat, words in data.items():
        if not isinstance(words, list):
            raise ValueError(f"{p}: category {cat!r} must be a list of words")
        out[str(cat)] = tuple(str(w).strip().lower() for w in words if str(w).strip())
    return out


def load_news_stop_words(
    path: str | Path | None = None, categories: Iterable[str] | None = None
) -> tuple[frozenset[str], tuple[str, ...]]:
    """News boilerplate stop words from a YAML file keyed by category.

    Args:
        path: YAML file (default ``resources/stopwords_news.yml``).
        categories: categories to use (default all). Unknown names raise ``KeyError``
            listing the available ones.

    Returns:
        ``(exact_words, prefixes)``: entries ending in ``*`` become prefixes.

    Example:
        >>> words, prefixes = load_news_stop_words(categories=["weekdays"])
        >>> "monday" in words
        True
    """
    data = _read_stop_yaml(str(path or NEWS_STOPWORDS_FILE))
    cats = list(data) if categories is None else list(categories)
    unknown = [c for c in cats if c not in data]
    if unknown:
        raise KeyError(f"Unknown stop-word categories {unknown}; available: {sorted(data)}")
    exact, prefixes = set(), []
    for c in cats:
        for w in data[c]:
            if w.endswith("*"):
                prefixes.append(w[:-1])
            else:
                exact.add(w)
    return frozenset(exact), tuple(prefixes)


def outlet_stop_words(corpus: pd.DataFrame | None, token_pattern: str = DEFAULT_TOKEN_PATTERN):
    """Lower-cased word tokens of the corpus's outlet names (``outlet``, ``original_outlet``).

    Outlet names fill bylines and credits ("Global Research", "Global Times"), so they
    would otherwise become the top words of whichever topic an outlet writes most about.

    Example:
        >>> sorted(outlet_stop_words(pd.DataFrame({"outlet": ["Global Times"]})))
        ['global', 'times']
    """
    if corpus is None:
        return frozenset()
    pat = re.compile(token_pattern)
    words = set()
    for col in ("outlet", "original_outlet", "source"):
        if col in corpus.columns:
            for name in corpus[col].dropna().astype(str).unique():
                words.update(pat.findall(name.lower()))
    return frozenset(words)


# --------------------------------------------------------------------------------------
# Preprocessing
# --------------------------------------------------------------------------------------
def _as_texts(texts) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("Pass a list or Series of documents, not a single string")
    return [
        "" if (t is None or (isinstance(t, float) and math.isnan(t))) else str(t) for t in texts
    ]


class TopicVectorizer(BaseEstimator, TransformerMixin):
    """Topic-model preprocessing as one step: texts -> document-term count matrix.

    Steps, in order: lower-case and tokenise with ``token_pattern`` (or a ``tokenizer``
    callable such as ``helpers.text.tokenize``); drop stop words (general English from
    ``helpers.text.STOP_WORDS`` when ``stop_words`` is "english" or "news", plus the news
    boilerplate YAML when "news", plus ``outlets`` and ``extra_stop_words``); join
    collocations (adjacent non-stop pairs seen >= ``collocation_min_count`` times with
    token-level NPMI >= ``collocation_threshold``) into ``word_word`` terms; lemmatise the
    remaining words with simplemma (offline, no downloads) if ``lemmatize``; drop terms by
    document frequency (``min_df``/``max_df``, int = documents, float = share) and keep the
    ``max_features`` most frequent.

    Small corpora: ``min_df`` is capped at ``max(1, n_docs // 20)`` and ``max_df`` is not
    applied below 10 documents, so one article split into paragraphs still has a vocabulary;
    every such adjustment is listed in ``notes_``.

    Attributes after ``fit``:
        vocabulary_ (dict term -> column), collocations_ (set of "a b" pairs joined),
        report_ (DataFrame: ``step``, ``terms_removed``, ``tokens_removed``,
        ``docs_emptied``, ``terms_left``, ``tokens_left``, ``examples``), notes_ (list[str]),
        n_docs_ (int).

    Example:
        >>> v = TopicVectorizer(min_df=1, max_df=1.0).fit(["Ships patrol the islands", "He said ships sail"])
        >>> v.get_feature_names_out().tolist()
        ['islands', 'patrol', 'sail', 'ships']
    """

    def __init__(
        self,
        token_pattern: str = DEFAULT_TOKEN_PATTERN,
        tokenizer=None,
        stop_words: str | Iterable[str] | None = "news",
        news_categories: Iterable[str] | None = None,
        stop_words_file: str | Path | None = None,
        outlets: Iterable[str] = (),
        extra_stop_words: Iterable[str] = (),
        min_df: int | float = 5,
        max_df: int | float = 0.5,
        max_features: int | None = None,
        collocations: bool = False,
        collocation_min_count: int = 10,
        collocation_threshold: float = 0.5,
        lemmatize: bool = False,
        lang: str = "en",
    ):
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer
        self.stop_words = stop_words
        self.news_categories = news_categories
        self.stop_words_file = stop_words_file
        self.outlets = outlets
        self.extra_stop_words = extra_stop_words
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.collocations = collocations
        self.collocation_min_count = collocation_min_count
        self.collocation_threshold = collocation_threshold
        self.lemmatize = lemmatize
        self.lang = lang

    # -- stop words ------------------------------------------------------------------
    def _stop_sets(self) -> tuple[frozenset[str], tuple[str, ...]]:
        sw = self.stop_words
        exact: set[str] = set()
        prefixes: tuple[str, ...] = ()
        if sw is None or sw is False:
            pass
        elif isinstance(sw, str):
            if sw not in ("english", "news"):
                raise ValueError(
                    f"stop_words={sw!r}: use 'news', 'english', None or a list of words"
                )
            exact |= set(STOP_WORDS)
            if sw == "news":
                news, prefixes = load_news_stop_words(self.stop_words_file, self.news_categories)
                exact |= news
        else:
            exact |= {str(w).lower() for w in sw}
        exact |= {str(w).lower() for w in self.outlets}
        exact |= {str(w).lower() for w in self.extra_stop_words}
        return frozenset(exact), prefixes

    def _is_stop_fn(self):
        exact, prefixes = self._stop_sets()
        cache: dict[str, bool] = {}

        def is_stop(tok: str) -> bool:
            r = cache.get(tok)
            if r is None:
                r = tok in exact or (bool(prefixes) and tok.startswith(prefixes))
                cache[tok] = r
            return r

        return is_stop

    def _tokenize(self, text: str) -> list[str]:
        if self.tokenizer is not None:
            return [t.lower() for t in self.tokenizer(text)]
        return self._pattern.findall(text.lower())

    def _lemma_fn(self):
        if not self.lemmatize:
            return None
        import simplemma

        cache: dict[str, str] = {}

        def lemma(tok: str) -> str:
            r = cache.get(tok)
            if r is None:
                r = simplemma.lemmatize(tok, lang=self.lang).lower()
                cache[tok] = r
            return r

        return lemma

    # -- core analysis ---------------------------------------------------------------
    def _prepare(self):
        self._pattern = re.compile(self.token_pattern)
        self._is_stop = self._is_stop_fn()
        self._lemma = self._lemma_fn()

    def _segments(
        self, text: str, raw_types: set | None = None, stops: Counter | None = None
    ) -> tuple[list[list[str]], int, int]:
        """Runs of adjacent non-stop tokens (collocations never bridge a removed word).

        During fit, ``raw_types`` and ``stops`` collect the token types and the stop words
        removed, for the preprocessing report.
        """
        segs, cur, n_raw, n_stop = [], [], 0, 0
        for tok in self._tokenize(text):
            n_raw += 1
            if raw_types is not None:
                raw_types.add(tok)
            if self._is_stop(tok):
                n_stop += 1
                if stops is not None:
                    stops[tok] += 1
                if cur:
                    segs.append(cur)
                    cur = []
            else:
                cur.append(tok)
        if cur:
            segs.append(cur)
        return segs, n_raw, n_stop

    def _finish(self, segs: list[list[str]]) -> tuple[list[str], int, int]:
        """Join fitted collocations, lemmatise, drop lemmas that are stop words."""
        out, n_joined, n_lemma_stop = [], 0, 0
        coll = self.collocations_
        for seg in segs:
            i = 0
            while i < len(seg):
                if coll and i + 1 < len(seg) and (seg[i], seg[i + 1]) in coll:
                    out.append(f"{seg[i]}_{seg[i + 1]}")
                    n_joined += 1
                    i += 2
                    continue
                tok = seg[i]
                if self._lemma is not None:
                    tok = self._lemma(tok)
                    if self._is_stop(tok):
                        n_lemma_stop += 1
                        i += 1
                        continue
                out.append(tok)
                i += 1
        return out, n_joined, n_lemma_stop

    def _find_collocations(self, all_segs: list[list[list[str]]]) -> set[tuple[str, str]]:
        uni, bi = Counter(), Counter()
        for segs in all_segs:
            for seg in segs:
                uni.update(seg)
                bi.update(zip(seg, seg[1:], strict=False))
        n = sum(uni.values())
        if n == 0:
            return set()
        found = set()
        for (a, b), c in bi.items():
            if c < self.collocation_min_count:
                continue
            p_ab = c / n
            npmi = math.log(p_ab / ((uni[a] / n) * (uni[b] / n))) / -math.log(p_ab)
            if npmi >= self.collocation_threshold:
                found.add((a, b))
        return found

    def analyze(self, text: str) -> list[str]:
        """The fitted pipeline's terms for one text (before document-frequency trimming)."""
        self._check_fitted()
        segs, _, _ = self._segments(text)
        return self._finish(segs)[0]

    def _check_fitted(self):
        if not hasattr(self, "vocabulary_"):
            raise RuntimeError("TopicVectorizer is not fitted yet: call fit(texts) first")

    def fit(self, texts, y=None):
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts, y=None):
        docs = _as_texts(texts)
        self._prepare()
        self.notes_: list[str] = []
        all_segs, n_raw, n_stop = [], 0, 0
        stop_examples: Counter = Counter()
        raw_types: set[str] = set()
        for d in docs:
            segs, r, s = self._segments(d, raw_types, stop_examples)
            all_segs.append(segs)
            n_raw += r
            n_stop += s
        self.collocations_ = self._find_collocations(all_segs) if self.collocations else set()
        term_docs, n_joined, n_lemma_stop = [], 0, 0
        for segs in all_segs:
            terms, j, ls = self._finish(segs)
            term_docs.append(terms)
            n_joined += j
            n_lemma_stop += ls
        # Vocabulary before trimming
        counts = Counter()
        dfreq = Counter()
        for terms in term_docs:
            c = Counter(terms)
            counts.update(c)
            dfreq.update(c.keys())
        n_docs = len(docs)
        self.n_docs_ = n_docs
        min_df, max_df = self._effective_df(n_docs)
        too_rare = {t for t, d in dfreq.items() if d < min_df}
        too_common = {t for t, d in dfreq.items() if d > max_df and t not in too_rare}
        kept = [t for t in counts if t not in too_rare and t not in too_common]
        capped = []
        if self.max_features is not None and len(kept) > self.max_features:
            kept.sort(key=lambda t: (-counts[t], t))
            capped = kept[self.max_features :]
            kept = kept[: self.max_features]
        kept = sorted(kept)
        self.vocabulary_ = {t: i for i, t in enumerate(kept)}
        # every term seen in training, kept or trimmed: "unknown" in new data means not in here
        self.seen_terms_ = frozenset(counts)
        self.term_frequency_ = np.array([counts[t] for t in kept], dtype=np.int64)
        self.document_frequency_ = np.array([dfreq[t] for t in kept], dtype=np.int64)
        X = self._count_matrix(term_docs)

        def tok_sum(terms):
            return int(sum(counts[t] for t in terms))

        def ex(terms, key):
            return ", ".join(sorted(terms, key=key)[:8])

        n_pre_trim = sum(counts.values())
        n_left = int(X.sum())
        empty_final = int((np.asarray(X.sum(axis=1)).ravel() == 0).sum())
        doc_sets = [set(t) for t in term_docs]

        def emptied(before: set[str], removed: set[str]) -> int:
            # documents that still had a term before this step and have none after it
            return sum(1 for d in doc_sets if (d & before) and not (d & before) - removed)

        stop_types = set(stop_examples)
        rows = [
            ("documents", 0, 0, sum(1 for d in docs if not d.strip()), len(raw_types), n_raw, ""),
            (
                "stop words",
                len(stop_types),
                n_stop,
                sum(1 for d, segs in zip(docs, all_segs, strict=True) if d.strip() and not segs),
                len(raw_types - stop_types),
                n_raw - n_stop,
                ", ".join(w for w, _ in stop_examples.most_common(8)),
            ),
        ]
        if self.collocations:
            rows.append(
                (
                    "collocations joined",
                    0,
                    n_joined,  # each join turns two tokens into one term
                    0,
                    np.nan,
                    n_raw - n_stop - n_joined,
                    ", ".join(sorted(f"{a}_{b}" for a, b in self.collocations_)[:8]),
                )
            )
        if self.lemmatize:
            rows.append(
                (
                    "lemmatised",
                    0,
                    n_lemma_stop,
                    sum(1 for t, segs in zip(term_docs, all_segs, strict=True) if segs and not t),
                    len(counts),
                    n_pre_trim,
                    "lemmas that are stop words dropped",
                )
            )
        alive = set(counts)
        steps = [
            (f"min_df (< {min_df} docs)", set(too_rare), lambda t: (-counts[t], t)),
            (f"max_df (> {max_df} docs)", set(too_common), lambda t: (-dfreq[t], t)),
        ]
        if capped:
            steps.append(
                (f"max_features ({self.max_features})", set(capped), lambda t: (-counts[t], t))
            )
        for name, removed, key in steps:
            n_emptied = emptied(alive, removed)
            alive -= removed
            rows.append(
                (
                    name,
                    len(removed),
                    tok_sum(removed),
                    n_emptied,
                    len(alive),
                    tok_sum(alive),
                    ex(removed, key),
                )
            )
        rows.append(("final", 0, 0, empty_final, len(kept), n_left, ""))
        self.report_ = pd.DataFrame(
            rows,
            columns=[
                "step",
                "terms_removed",
                "tokens_removed",
                "docs_emptied",
                "terms_left",
                "tokens_left",
                "examples",
            ],
        )
        if empty_final:
            self.notes_.append(
                f"{empty_final} of {n_docs} documents have no term left after preprocessing; "
                "they get no topic (dominant_topic -1)"
            )
        if not kept:
            self.notes_.append("No term survived preprocessing: check stop words and min_df/max_df")
        return X

    def _effective_df(self, n_docs: int) -> tuple[int, int]:
        min_df = self.min_df if isinstance(self.min_df, int) else math.ceil(self.min_df * n_docs)
        max_df = self.max_df if isinstance(self.max_df, int) else math.floor(self.max_df * n_docs)
        cap = max(1, n_docs // 20)
        if min_df > cap:
            self.notes_.append(
                f"min_df lowered from {min_df} to {cap} documents: only {n_docs} documents"
            )
            min_df = cap
        if n_docs < 10:
            if max_df < n_docs:
                self.notes_.append(f"max_df not applied: only {n_docs} documents")
            max_df = n_docs
        max_df = max(max_df, min_df)
        return int(min_df), int(max_df)

    def _count_matrix(self, term_docs: list[list[str]]) -> sparse.csr_matrix:
        voc = self.vocabulary_
        indptr, indices, data = [0], [], []
        for terms in term_docs:
            c = Counter(voc[t] for t in terms if t in voc)
            cols = sorted(c)
            indices.extend(cols)
            data.extend(c[j] for j in cols)
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
            shape=(len(term_docs), len(voc)),
        )

    def transform(self, texts):
        """Count matrix of new texts over the frozen vocabulary (unknown terms ignored)."""
        self._check_fitted()
        return self._count_matrix([self.analyze(d) for d in _as_texts(texts)])

    def get_feature_names_out(self, input_features=None):
        self._check_fitted()
        return np.array(sorted(self.vocabulary_, key=self.vocabulary_.get), dtype=object)

    def oov_report(self, texts, ids: Sequence | None = None) -> pd.DataFrame:
        """Out-of-vocabulary rates of new texts against the frozen vocabulary.

        Terms are counted after stop words/lemmatising (content terms). A term is
        *unseen* if it never occurred in the training texts (new names, new subjects) and
        *trimmed* if it occurred but was dropped by min_df/max_df/max_features (a choice,
        not a gap); the model reads neither.

        Returns:
            DataFrame with ``doc_id``, ``n_terms`` (content terms), ``n_in_vocab``,
            ``oov_rate`` (unseen / n_terms; NaN when the text has no content term),
            ``trimmed_rate`` (trimmed / n_terms), ``top_oov`` (most frequent unseen terms).
        """
        self._check_fitted()
        docs = _as_texts(texts)
        ids = list(ids) if ids is not None else list(range(len(docs)))
        seen = getattr(self, "seen_terms_", frozenset(self.vocabulary_))
        rows = []
        for i, d in zip(ids, docs, strict=True):
            terms = self.analyze(d)
            unseen = Counter(t for t in terms if t not in seen)
            n = len(terms)
            n_in = sum(1 for t in terms if t in self.vocabulary_)
            n_unseen = sum(unseen.values())
            rows.append(
                {
                    "doc_id": i,
                    "n_terms": n,
                    "n_in_vocab": n_in,
                    "oov_rate": n_unseen / n if n else np.nan,
                    "trimmed_rate": (n - n_in - n_unseen) / n if n else np.nan,
                    "top_oov": ", ".join(t for t, _ in unseen.most_common(5)),
                }
            )
        return pd.DataFrame(
            rows,
            columns=["doc_id", "n_terms", "n_in_vocab", "oov_rate", "trimmed_rate", "top_oov"],
        )


# --------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------
def _nndsvd_from_svd(U, S, V, k: int, fill_seed: int | None = None, fill_scale: float = 0.0):
    """NNDSVD start (Boutsidis & Gallopoulos 2008) from a precomputed truncated SVD.

    Same construction as scikit-learn's ``init="nndsvd"``; taking the first k triplets of
    one SVD with k_max components lets a sweep over k pay for a single SVD per seed. With
    ``fill_seed`` the zeros are filled with small random values (scikit-learn's "nndsvdar"),
    so the seed changes the start a little.
    """
    U, S, V = U[:, :k], S[:k], V[:k]
    W = np.zeros_like(U)
    H = np.zeros_like(V)
    W[:, 0] = np.sqrt(S[0]) * np.abs(U[:, 0])
    H[0, :] = np.sqrt(S[0]) * np.abs(V[0, :])
    for j in range(1, k):
        x, y = U[:, j], V[j, :]
        x_p, y_p = np.maximum(x, 0), np.maximum(y, 0)
        x_n, y_n = np.abs(np.minimum(x, 0)), np.abs(np.minimum(y, 0))
        x_p_nrm, y_p_nrm = np.linalg.norm(x_p), np.linalg.norm(y_p)
        x_n_nrm, y_n_nrm = np.linalg.norm(x_n), np.linalg.norm(y_n)
        m_p, m_n = x_p_nrm * y_p_nrm, x_n_nrm * y_n_nrm
        if m_p > m_n:
            u, v, sigma = x_p / max(x_p_nrm, 1e-12), y_p / max(y_p_nrm, 1e-12), m_p
        else:
            u, v, sigma = x_n / max(x_n_nrm, 1e-12), y_n / max(y_n_nrm, 1e-12), m_n
        lbd = np.sqrt(S[j] * sigma)
        W[:, j] = lbd * u
        H[j, :] = lbd * v
    eps = 1e-6
    W[W < eps] = 0
    H[H < eps] = 0
    if fill_seed is not None and fill_scale > 0:
        rng = np.random.default_rng(fill_seed)
        W[W == 0] = np.abs(fill_scale * rng.standard_normal(int((W == 0).sum())) / 100)
        H[H == 0] = np.abs(fill_scale * rng.standard_normal(int((H == 0).sum())) / 100)
    return W, H


class TopicModel(BaseEstimator):
    """A topic model with scikit-learn's fit/transform and tidy outputs.

    Args:
        n_topics: number of topics k. If the corpus has fewer documents (or terms) than k,
            the model fits ``min(k, n_docs, n_terms)`` topics and says so in ``notes_``.
        method: "nmf" (tf-idf, deterministic NNDSVD start, coordinate descent), "lda"
            (batch variational Bayes on counts), "online-lda" (online VB, also streams with
            ``partial_fit``), "minibatch-nmf" (streams with ``partial_fit``).
        vectorizer: a :class:`TopicVectorizer` (fitted or not); default ``TopicVectorizer()``.
        sublinear_tf: NMF weighting is ``1 + log(tf)`` times idf, rows L2-normalised.
        alpha_W / l1_ratio: NMF regularisation of the document-topic matrix.
        doc_topic_prior / topic_word_prior: LDA priors (None = 1/k).
        max_iter, batch_size: optimiser budget; random_state: every random choice.

    Fitted attributes: ``vectorizer_``, ``n_topics_``, ``components_`` (k x V raw weights),
    ``topic_term_`` (k x V, rows sum to 1), ``term_prob_`` (marginal term probability in the
    training counts), ``prevalence_`` (mean document share per topic), ``labels_``
    (short labels, see :func:`label_topics`), ``fit_seconds_``, ``notes_``.

    Example:
        >>> texts = ["ships patrol islands", "islands dispute ships", "budget tax economy",
        ...          "economy growth tax"] * 5
        >>> m = TopicModel(2, vectorizer=TopicVectorizer(min_df=1)).fit(texts)
        >>> m.transform(["tax budget"]).argmax(1).tolist() == m.transform(["economy"]).argmax(1).tolist()
        True
    """

    def __init__(
        self,
        n_topics: int = 10,
        method: str = "nmf",
        vectorizer: TopicVectorizer | None = None,
        sublinear_tf: bool = True,
        alpha_W: float = 0.0,
        l1_ratio: float = 0.0,
        doc_topic_prior: float | None = None,
        topic_word_prior: float | None = None,
        max_iter: int | None = None,
        batch_size: int = 256,
        random_state: int | None = SEED,
    ):
        self.n_topics = n_topics
        self.method = method
        self.vectorizer = vectorizer
        self.sublinear_tf = sublinear_tf
        self.alpha_W = alpha_W
        self.l1_ratio = l1_ratio
        self.doc_topic_prior = doc_topic_prior
        self.topic_word_prior = topic_word_prior
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.random_state = random_state

    # -- building blocks ---------------------------------------------------------------
    def _weight(self, counts):
        if self.method in ("nmf", "minibatch-nmf"):
            return self.tfidf_.transform(counts)
        return counts

    def _make_estimator(self, k: int, init: str = "nndsvd"):
        m = self.method
        if m == "nmf":
            return NMF(
                n_components=k,
                init=init,
                solver="cd",
                max_iter=self.max_iter or 400,
                tol=1e-4,
                alpha_W=self.alpha_W,
                alpha_H="same",
                l1_ratio=self.l1_ratio,
                random_state=self.random_state,
            )
        if m == "minibatch-nmf":
            return MiniBatchNMF(
                n_components=k,
                init="nndsvda",
                batch_size=self.batch_size,
                max_iter=self.max_iter or 200,
                alpha_W=self.alpha_W,
                alpha_H="same",
                l1_ratio=self.l1_ratio,
                random_state=self.random_state,
            )
        if m in ("lda", "online-lda"):
            return LatentDirichletAllocation(
                n_components=k,
                learning_method="batch" if m == "lda" else "online",
                max_iter=self.max_iter or (20 if m == "lda" else 10),
                batch_size=self.batch_size,
                doc_topic_prior=self.doc_topic_prior,
                topic_word_prior=self.topic_word_prior,
                evaluate_every=-1,
                random_state=self.random_state,
                n_jobs=None,
            )
        raise ValueError(f"method={m!r}: choose one of {METHODS}")

    def _counts(self, texts_or_counts, fit_vectorizer: bool):
        if sparse.issparse(texts_or_counts):
            if not hasattr(self, "vectorizer_"):
                if self.vectorizer is None or not hasattr(self.vectorizer, "vocabulary_"):
                    raise ValueError(
                        "A count matrix needs a fitted vectorizer: pass "
                        "vectorizer=TopicVectorizer().fit(texts) or pass texts"
                    )
                self.vectorizer_ = self.vectorizer
            return sparse.csr_matrix(texts_or_counts, dtype=np.float64)
        if fit_vectorizer:
            v = self.vectorizer if self.vectorizer is not None else TopicVectorizer()
            if hasattr(v, "vocabulary_"):
                self.vectorizer_ = v
                return v.transform(texts_or_counts)
            self.vectorizer_ = v
            return v.fit_transform(texts_or_counts)
        return self.vectorizer_.transform(texts_or_counts)

    def _effective_k(self, X) -> int:
        n_docs = int((np.asarray(X.sum(axis=1)).ravel() > 0).sum())
        k = max(1, min(self.n_topics, n_docs, X.shape[1]))
        if k < self.n_topics:
            self.notes_.append(
                f"asked for {self.n_topics} topics but the corpus has {n_docs} non-empty "
                f"documents and {X.shape[1]} terms: fitted {k}"
            )
        return k

    # -- fitting ----------------------------------------------------------------------
    def fit(self, texts_or_counts, y=None, _svd=None, _init=None):
        """Fit on texts (list/Series of str) or on counts from the fitted ``vectorizer``."""
        # Single-threaded BLAS: the small QR/SVD calls inside NMF and the randomised SVD run
        # 10-100x slower with OpenBLAS threads on small matrices (measured on the 2-core
        # machine, see docs/topics.md); sweeps can run seeds in threads instead (n_jobs).
        with threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
            return self._fit(texts_or_counts, _svd=_svd, _init=_init)

    def _fit(self, texts_or_counts, _svd=None, _init=None):
        t0 = time.perf_counter()
        self.notes_ = []
        counts = self._counts(texts_or_counts, fit_vectorizer=True)
        self.notes_.extend(getattr(self.vectorizer_, "notes_", []))
        if counts.shape[1] == 0:
            raise ValueError(
                "No vocabulary after preprocessing; lower min_df or use fewer stop words "
                f"(vectorizer report:\n{self.vectorizer_.report_.to_string()})"
            )
        k = self._effective_k(counts)
        self.n_topics_ = k
        if self.method in ("nmf", "minibatch-nmf"):
            self.tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(counts)
        Xw = self._weight(counts)
        if self.method == "nmf" and _svd is not None:
            W0, H0 = _nndsvd_from_svd(
                *_svd, k, fill_seed=self.random_state, fill_scale=float(Xw.mean())
            )
            est = self._make_estimator(k, init="custom")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", category=UserWarning)
                W = est.fit_transform(Xw, W=W0, H=H0)
        else:
            est = self._make_estimator(k, **({"init": _init} if _init else {}))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", category=UserWarning)
                W = est.fit_transform(Xw)
        self.estimator_ = est
        self.train_doc_topic_ = _normalise_rows(W)
        self._finalise(counts, W)
        self.fit_seconds_ = time.perf_counter() - t0
        return self

    def partial_fit(self, texts_or_counts, y=None):
        """Stream one chunk (online-lda, minibatch-nmf). The first chunk fixes the
        vocabulary and the idf weights (fit the vectorizer on a representative sample
        first if chunks differ a lot); later chunks only update the topics."""
        if self.method not in ("online-lda", "minibatch-nmf"):
            raise ValueError(
                f"partial_fit needs method 'online-lda' or 'minibatch-nmf', not {self.method!r}"
            )
        first = not hasattr(self, "estimator_")
        if first:
            self.notes_ = []
        counts = self._counts(texts_or_counts, fit_vectorizer=first)
        if first:
            self.n_topics_ = self._effective_k(counts)
            if self.method == "minibatch-nmf":
                self.tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(counts)
            self.estimator_ = self._make_estimator(self.n_topics_)
            self._stream_tf = np.zeros(counts.shape[1])
            self._stream_docs = 0
            self.fit_seconds_ = 0.0
        t0 = time.perf_counter()
        with warnings.catch_warnings(), threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
            warnings.simplefilter("ignore", category=UserWarning)
            self.estimator_.partial_fit(self._weight(counts))
        self._stream_tf += np.asarray(counts.sum(axis=0)).ravel()
        self._stream_docs += counts.shape[0]
        W = self.estimator_.transform(self._weight(counts))
        self._finalise(counts, W, term_totals=self._stream_tf)
        self.fit_seconds_ += time.perf_counter() - t0
        return self

    def _finalise(self, counts, W, term_totals=None):
        comp = np.asarray(self.estimator_.components_, dtype=np.float64)
        self.components_ = comp
        sums = comp.sum(axis=1, keepdims=True)
        sums[sums == 0] = 1.0
        self.topic_term_ = comp / sums
        tt = np.asarray(counts.sum(axis=0)).ravel() if term_totals is None else term_totals
        self.term_prob_ = tt / max(tt.sum(), 1.0)
        theta = _normalise_rows(W)
        self.prevalence_ = theta[theta.sum(1) > 0].mean(axis=0) if len(theta) else theta
        self.feature_names_ = self.vectorizer_.get_feature_names_out()
        self.labels_ = label_topics(self)

    def _check_fitted(self):
        if not hasattr(self, "estimator_"):
            raise RuntimeError("TopicModel is not fitted yet: call fit(texts) first")

    # -- outputs ----------------------------------------------------------------------
    def transform(self, texts_or_counts) -> np.ndarray:
        """Document-topic shares (n_docs x k, rows sum to 1; all-zero rows for documents
        with no known term)."""
        self._check_fitted()
        counts = self._counts(texts_or_counts, fit_vectorizer=False)
        with warnings.catch_warnings(), threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
            warnings.simplefilter("ignore", category=UserWarning)
            W = self.estimator_.transform(self._weight(counts))
        W = np.asarray(W, dtype=np.float64)
        W[np.asarray(counts.sum(axis=1)).ravel() == 0] = 0.0
        return _normalise_rows(W)

    def doc_topics(self, texts_or_counts, ids: Sequence | None = None, long: bool = False):
        """Tidy document-topic table.

        Returns (wide, default): ``doc_id``, ``dominant_topic`` (-1 if the document has no
        known term), ``dominant_share``, ``topic_0`` ... ``topic_{k-1}`` (shares, sum 1).
        With ``long=True``: ``doc_id``, ``topic``, ``label``, ``share``.
        """
        theta = self.transform(texts_or_counts)
        ids = list(ids) if ids is not None else list(range(theta.shape[0]))
        if long:
            k = theta.shape[1]
            return pd.DataFrame(
                {
                    "doc_id": np.repeat(ids, k),
                    "topic": np.tile(np.arange(k), len(ids)),
                    "label": np.tile(np.asarray(self.labels_, dtype=object), len(ids)),
                    "share": theta.ravel(),
                }
            )
        out = pd.DataFrame(theta, columns=[f"topic_{j}" for j in range(theta.shape[1])])
        has = theta.sum(axis=1) > 0
        out.insert(0, "dominant_share", np.where(has, theta.max(axis=1), np.nan))
        out.insert(0, "dominant_topic", np.where(has, theta.argmax(axis=1), -1))
        out.insert(0, "doc_id", ids)
        return out

    def top_words(self, n: int = 10, by: str = "probability", **kw) -> list[list[str]]:
        """Top ``n`` terms of each topic as lists (see :meth:`topic_terms` for ``by``)."""
        t = self.topic_terms(n=n, by=by, **kw)
        return [g["term"].tolist() for _, g in t.groupby("topic", sort=True)]

    def topic_terms(
        self, n: int = 10, by: str = "probability", lam: float = 0.6, frex_weight: float = 0.7
    ) -> pd.DataFrame:
        """Top terms of each topic, tidy.

        ``by``:
          * "probability": φ_kw, the topic's term distribution (normalised NMF/LDA weights).
          * "relevance": λ log φ_kw + (1 − λ) log(φ_kw / p_w) (Sievert & Shirley 2014,
            LDAvis; λ = 0.6 was their users' best); p_w = marginal term probability.
          * "frex": harmonic mean of the within-topic ECDF ranks of exclusivity
            (φ_kw / Σ_j φ_jw) and frequency (φ_kw), weight ``frex_weight`` on exclusivity
            (Bischof & Airoldi 2012; stm's ``labelTopics``).

        Returns:
            DataFrame ``topic``, ``label``, ``rank`` (0 = best), ``term``, ``score`` (the
            ranking criterion), ``probability`` (φ_kw), ``exclusivity``, ``lift`` (φ/p).
        """
        self._check_fitted()
        phi = self.topic_term_
        scores, excl, lift = _term_scores(phi, self.term_prob_, by, lam, frex_weight)
        names = self.feature_names_
        rows = []
        labels = getattr(self, "labels_", None) or [str(j) for j in range(phi.shape[0])]
        n = min(n, phi.shape[1])
        for k in range(phi.shape[0]):
            order = np.argsort(-scores[k], kind="stable")[:n]
            for r, j in enumerate(order):
                rows.append(
                    (k, labels[k], r, names[j], scores[k, j], phi[k, j], excl[k, j], lift[k, j])
                )
        return pd.DataFrame(
            rows,
            columns=[
                "topic",
                "label",
                "rank",
                "term",
                "score",
                "probability",
                "exclusivity",
                "lift",
            ],
        )

    def metrics(self, reference_counts=None, n_top: int = 10) -> pd.DataFrame:
        """Per-topic quality: ``topic``, ``label``, ``prevalence``, ``npmi`` (document
        co-occurrence in ``reference_counts``, default: none -> NaN), ``exclusivity`` (mean
        over top words), ``top_words``."""
        self._check_fitted()
        top = self.top_words(n_top)
        out = pd.DataFrame(
            {
                "topic": range(len(top)),
                "label": self.labels_,
                "prevalence": self.prevalence_,
                "top_words": [" ".join(t) for t in top],
            }
        )
        if reference_counts is not None:
            out["npmi"] = npmi_coherence(top, reference_counts, self.feature_names_, n_top)[
                "npmi"
            ].to_numpy()
        else:
            out["npmi"] = np.nan
        tt = self.topic_terms(n_top)
        out["exclusivity"] = tt.groupby("topic")["exclusivity"].mean().to_numpy()
        return out

    def perplexity(self, texts_or_counts) -> float:
        """Held-out perplexity (LDA methods only; lower is better)."""
        self._check_fitted()
        if self.method not in ("lda", "online-lda"):
            raise ValueError("perplexity is defined for the LDA methods only")
        return float(self.estimator_.perplexity(self._counts(texts_or_counts, False)))

    def oov_report(self, texts, ids: Sequence | None = None) -> pd.DataFrame:
        """Out-of-vocabulary rates of new texts (see :meth:`TopicVectorizer.oov_report`)."""
        self._check_fitted()
        return self.vectorizer_.oov_report(texts, ids)


def _normalise_rows(W) -> np.ndarray:
    W = np.asarray(W, dtype=np.float64)
    s = W.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(s > 0, W / np.where(s > 0, s, 1.0), 0.0)
    return out


def _ecdf_rows(M: np.ndarray) -> np.ndarray:
    """Within-row empirical CDF (rank / n) of each entry."""
    ranks = M.argsort(axis=1, kind="stable").argsort(axis=1, kind="stable") + 1
    return ranks / M.shape[1]


def _term_scores(phi, p_w, by, lam, frex_weight):
    eps = 1e-12
    colsum = phi.sum(axis=0, keepdims=True)
    excl = phi / np.where(colsum > 0, colsum, 1.0)
    lift = phi / np.maximum(p_w, eps)
    if by == "probability":
        scores = phi
    elif by == "relevance":
        scores = lam * np.log(phi + eps) + (1 - lam) * np.log(lift + eps)
    elif by == "frex":
        w = frex_weight
        scores = 1.0 / (w / _ecdf_rows(excl) + (1 - w) / _ecdf_rows(phi))
        # Terms with zero weight in the topic are never among its FREX words.
        scores = np.where(phi > 0, scores, -np.inf)
    else:
        raise ValueError(f"by={by!r}: use 'probability', 'relevance' or 'frex'")
    return scores, excl, lift


# --------------------------------------------------------------------------------------
# Reading topics
# --------------------------------------------------------------------------------------
def label_topics(model: TopicModel, n_words: int = 3, by: str = "frex") -> list[str]:
    """Short automatic labels: the topic's best ``n_words`` terms joined by " · ".

    FREX ranking by default, because the most probable words are often shared by several
    topics while the label must tell them apart; duplicate labels get a "#k" suffix.

    Example:
        >>> # label_topics(model) -> ['election · labour · tory', 'match · cup · club', ...]
    """
    phi = model.topic_term_
    scores, _, _ = _term_scores(phi, model.term_prob_, by, 0.6, 0.7)
    names = model.vectorizer_.get_feature_names_out()
    labels = []
    for k in range(phi.shape[0]):
        order = np.argsort(-scores[k], kind="stable")[:n_words]
        lab = " · ".join(str(names[j]).replace("_", " ") for j in order if phi[k, j] > 0)
        labels.append(lab or f"topic {k}")
    seen = Counter(labels)
    return [f"{lab} #{k}" if seen[lab] > 1 else lab for k, lab in enumerate(labels)]


def _excerpt(text: str, n_chars: int = 240) -> str:
    t = re.sub(r"\s+", " ", str(text)).strip()
    return t if len(t) <= n_chars else t[: n_chars - 1].rsplit(" ", 1)[0] + "…"


def representative_documents(
    model: TopicModel,
    table: pd.DataFrame,
    n: int = 3,
    text_col: str = "text",
    id_col: str = "doc_id",
    doc_topics: pd.DataFrame | None = None,
    excerpt_chars: int = 240,
) -> pd.DataFrame:
    """The ``n`` documents (or units) with the highest share of each topic.

    Args:
        model: fitted :class:`TopicModel`.
        table: corpus or units table with ``id_col`` and ``text_col`` (``title`` shown if
            present).
        doc_topics: wide table from :meth:`TopicModel.doc_topics` for ``table`` (computed if
            None).

    Returns:
        DataFrame ``topic``, ``label``, ``rank``, ``doc_id``, ``share``, ``title``,
        ``excerpt`` (whitespace-collapsed beginning of the text; untrusted article text —
        display it as a DataFrame, which escapes HTML).
    """
    dt = doc_topics if doc_topics is not None else model.doc_topics(table[text_col], table[id_col])
    texts = dict(zip(table[id_col], table[text_col], strict=False))
    titles = (
        dict(zip(table[id_col], table["title"], strict=False)) if "title" in table.columns else {}
    )
    rows = []
    for k in range(model.n_topics_):
        col = f"topic_{k}"
        top = dt.nlargest(n, col)
        for r, (_, row) in enumerate(top.iterrows()):
            if row[col] <= 0:
                continue
            did = row["doc_id"]
            rows.append(
                {
                    "topic": k,
                    "label": model.labels_[k],
                    "rank": r,
                    "doc_id": did,
                    "share": float(row[col]),
                    "title": titles.get(did, ""),
                    "excerpt": _excerpt(texts.get(did, ""), excerpt_chars),
                }
            )
    return pd.DataFrame(
        rows, columns=["topic", "label", "rank", "doc_id", "share", "title", "excerpt"]
    )


def representative_passages(
    model: TopicModel,
    units_table: pd.DataFrame,
    n: int = 3,
    min_terms: int = 5,
    max_per_doc: int = 1,
    excerpt_chars: int = 300,
) -> pd.DataFrame:
    """Passages (paragraphs or sentences from ``helpers.text.units``) that best show each topic.

    A passage is scored by its share of the topic times the share of its terms the model
    knows, so a two-word caption cannot win by being pure; passages with fewer than
    ``min_terms`` known terms are skipped, and at most ``max_per_doc`` passages per document
    are shown so one long article does not fill the list.

    Returns:
        DataFrame ``topic``, ``label``, ``rank``, ``unit_id``, ``doc_id``, ``share``,
        ``score``, ``text`` (excerpt; untrusted).
    """
    cols = ["topic", "label", "rank", "unit_id", "doc_id", "share", "score", "text"]
    if units_table.empty:
        return pd.DataFrame(columns=cols)
    texts = units_table["text"].tolist()
    counts = model.vectorizer_.transform(texts)
    known = np.asarray(counts.sum(axis=1)).ravel()
    oov = model.vectorizer_.oov_report(texts)
    coverage = (oov["n_in_vocab"] / oov["n_terms"].where(oov["n_terms"] > 0)).fillna(0.0).to_numpy()
    theta = model.transform(counts)
    ok = known >= min_terms
    rows = []
    for k in range(model.n_topics_):
        score = np.where(ok, theta[:, k] * coverage, -1.0)
        per_doc: Counter = Counter()
        r = 0
        for i in np.argsort(-score, kind="stable"):
            if score[i] <= 0 or r >= n:
                break
            did = units_table["doc_id"].iloc[i]
            if per_doc[did] >= max_per_doc:
                continue
            per_doc[did] += 1
            rows.append(
                (
                    k,
                    model.labels_[k],
                    r,
                    units_table["unit_id"].iloc[i],
                    did,
                    float(theta[i, k]),
                    float(score[i]),
                    _excerpt(texts[i], excerpt_chars),
                )
            )
            r += 1
    return pd.DataFrame(rows, columns=cols)


def topic_map(model: TopicModel, random_state: int | None = SEED) -> pd.DataFrame:
    """Intertopic distance map: Jensen–Shannon distances between topic-term distributions,
    laid out in 2-D with metric MDS (as LDAvis does).

    Returns:
        DataFrame ``topic``, ``label``, ``x``, ``y``, ``prevalence`` (mean document share),
        ``nearest`` (closest other topic, -1 if only one) and ``js_nearest`` (its JS
        distance, base 2, in [0, 1]). The full matrix is in ``result.attrs["distances"]``.
    """
    phi = model.topic_term_
    k = phi.shape[0]
    D = np.zeros((k, k))
    for i, j in combinations(range(k), 2):
        D[i, j] = D[j, i] = jensenshannon(phi[i], phi[j], base=2)
    D = np.nan_to_num(D)
    if k == 1:
        xy = np.zeros((1, 2))
    elif k == 2:
        xy = np.array([[-D[0, 1] / 2, 0.0], [D[0, 1] / 2, 0.0]])
    else:
        from sklearn.manifold import MDS

        mds_kw = dict(n_components=2, random_state=random_state, n_init=4)
        try:
            mds = MDS(dissimilarity="precomputed", normalized_stress="auto", **mds_kw)
        except TypeError:  # newer scikit-learn renamed the argument
            mds = MDS(metric="precomputed", **mds_kw)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=FutureWarning)
            xy = mds.fit_transform(D)
    Dn = D + np.eye(k) * 9.0
    nearest = Dn.argmin(axis=1) if k > 1 else np.array([-1])
    out = pd.DataFrame(
        {
            "topic": range(k),
            "label": model.labels_,
            "x": xy[:, 0],
            "y": xy[:, 1],
            "prevalence": model.prevalence_,
            "nearest": nearest,
            "js_nearest": [D[i, j] if j >= 0 else np.nan for i, j in enumerate(nearest)],
        }
    )
    out.attrs["distances"] = D
    return out


# --------------------------------------------------------------------------------------
# Groups and time
# --------------------------------------------------------------------------------------
def date_bins(dates, freq: str = "auto", max_bins: int = 24) -> pd.Series:
    """Period labels ("2019-12", "2019Q4", "2019") for a date column; NaT stays missing.

    ``freq="auto"`` picks the finest of month, quarter, year giving at most ``max_bins``
    bins over the span of the dates.

    Example:
        >>> date_bins(pd.Series(pd.to_datetime(["2013-01-14", "2013-02-01"]))).tolist()
        ['2013-01', '2013-02']
    """
    d = pd.to_datetime(pd.Series(dates), errors="coerce")
    if freq == "auto":
        valid = d.dropna()
        freq = "M"
        if len(valid):
            for f in ("M", "Q", "Y"):
                freq = f
                if valid.dt.to_period(f).nunique() <= max_bins:
                    break
    out = pd.Series(pd.NA, index=d.index, dtype="object")
    ok = d.notna()
    out[ok] = d[ok].dt.to_period(freq).astype(str)
    return out


def topic_prevalence(
    doc_topics: pd.DataFrame,
    groups: pd.Series | Sequence,
    n_boot: int = 1000,
    alpha: float = 0.05,
    random_state: int | None = SEED,
    labels: Sequence[str] | None = None,
    min_docs: int = 1,
) -> pd.DataFrame:
    """Mean topic share per group with percentile bootstrap intervals (documents resampled
    within each group).

    Args:
        doc_topics: wide table from :meth:`TopicModel.doc_topics` (``topic_*`` columns);
            documents without any known term (all-zero shares) are left out.
        groups: one group per row (outlet, date bin...); missing groups are left out.
        n_boot, alpha, random_state: bootstrap settings.
        labels: topic labels for the output (default "topic k").
        min_docs: groups with fewer documents are left out.

    Returns:
        DataFrame ``group``, ``topic``, ``label``, ``prevalence``, ``low``, ``high``,
        ``n_docs``. With one document in a group, ``low == high == prevalence``.
    """
    cols = [c for c in doc_topics.columns if str(c).startswith("topic_")]
    theta = doc_topics[cols].to_numpy(dtype=float)
    g = pd.Series(list(groups), index=doc_topics.index)
    keep = (theta.sum(axis=1) > 0) & g.notna().to_numpy()
    labels = list(labels) if labels is not None else [f"topic {j}" for j in range(len(cols))]
    rng = np.random.default_rng(random_state)
    rows = []
    for name, idx in g[keep].groupby(g[keep], sort=True).groups.items():
        pos = doc_topics.index.get_indexer(idx)
        t = theta[pos]
        n = len(t)
        if n < min_docs:
            continue
        mean = t.mean(axis=0)
        if n > 1 and n_boot > 0:
            draws = rng.integers(0, n, size=(n_boot, n))
            boots = t[draws].mean(axis=1)
            lo, hi = np.quantile(boots, [alpha / 2, 1 - alpha / 2], axis=0)
        else:
            lo = hi = mean
        for j in range(len(cols)):
            rows.append((name, j, labels[j], mean[j], lo[j], hi[j], n))
    return pd.DataFrame(
        rows, columns=["group", "topic", "label", "prevalence", "low", "high", "n_docs"]
    )


def distinguishing_terms(
    model: TopicModel,
    texts_or_counts,
    groups: pd.Series | Sequence,
    topic: int,
    n: int = 10,
    prior: float = 0.01,
    min_count: float = 2.0,
) -> pd.DataFrame:
    """Words that distinguish each group from the others *within one topic*.

    Each word occurrence is attributed to the topic in proportion to
    θ_dk φ_kw / Σ_j θ_dj φ_jw (the topic's responsibility for that word in that document);
    the topic-attributed counts of each group are compared with the rest by the log-odds
    ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), prior =
    ``prior`` × the corpus-wide topic counts.

    Returns:
        DataFrame ``group``, ``rank``, ``term``, ``z`` (z-score of the log-odds ratio; > 1.96
        is distinctive at roughly 5 %), ``count`` (topic-attributed count in the group),
        ``count_rest``. Top ``n`` per group by ``z``.
    """
    model._check_fitted()
    counts = model._counts(texts_or_counts, fit_vectorizer=False)
    theta = model.transform(counts)
    phi = model.topic_term_
    g = pd.Series(list(groups))
    coo = counts.tocoo()
    mix = (theta[coo.row] * phi[:, coo.col].T).sum(axis=1)
    resp = np.where(
        mix > 0, theta[coo.row, topic] * phi[topic, coo.col] / np.where(mix > 0, mix, 1), 0
    )
    attributed = sparse.csr_matrix((coo.data * resp, (coo.row, coo.col)), shape=counts.shape)
    names = model.feature_names_
    total = np.asarray(attributed.sum(axis=0)).ravel()
    a0 = prior * total + 1e-3
    A0 = a0.sum()
    rows = []
    for name in sorted(g.dropna().unique(), key=str):
        mask = (g == name).to_numpy()
        y1 = np.asarray(attributed[mask].sum(axis=0)).ravel()
        y2 = total - y1
        n1, n2 = y1.sum(), y2.sum()
        if n1 <= 0 or n2 <= 0:
            continue
        l1 = np.log((y1 + a0) / (n1 + A0 - y1 - a0))
        l2 = np.log((y2 + a0) / (n2 + A0 - y2 - a0))
        var = 1.0 / (y1 + a0) + 1.0 / (y2 + a0)
        z = (l1 - l2) / np.sqrt(var)
        z = np.where(y1 >= min_count, z, -np.inf)
        for r, j in enumerate(np.argsort(-z, kind="stable")[:n]):
            if not np.isfinite(z[j]):
                break
            rows.append((name, r, names[j], float(z[j]), float(y1[j]), float(y2[j])))
    return pd.DataFrame(rows, columns=["group", "rank", "term", "z", "count", "count_rest"])


def align_models(model_a: TopicModel, model_b: TopicModel, n_top: int = 10) -> pd.DataFrame:
    """Match the topics of two fits (e.g. last month's and this month's) one-to-one.

    Hungarian matching on the Jaccard similarity of top-``n_top`` word sets, so the two fits
    may have different vocabularies and different k.

    Returns:
        DataFrame ``topic_a``, ``label_a``, ``topic_b``, ``label_b``, ``jaccard``,
        ``shared_words``; unmatched topics have -1 and an empty label. A jaccard below about
        0.2 means the "matched" topic is in effect new.
    """
    ta, tb = model_a.top_words(n_top), model_b.top_words(n_top)
    m = match_topics(ta, tb, n_top=n_top)
    m["label_a"] = [model_a.labels_[i] if i >= 0 else "" for i in m["topic_a"]]
    m["label_b"] = [model_b.labels_[j] if j >= 0 else "" for j in m["topic_b"]]
    m["shared_words"] = [
        " ".join(sorted(set(ta[i]) & set(tb[j]))) if i >= 0 and j >= 0 else ""
        for i, j in zip(m["topic_a"], m["topic_b"], strict=True)
    ]
    return m[["topic_a", "label_a", "topic_b", "label_b", "jaccard", "shared_words"]]


# --------------------------------------------------------------------------------------
# Choosing k
# --------------------------------------------------------------------------------------
@dataclass
class SweepResult:
    """Output of :func:`sweep_topics`.

    ``runs``: one row per (k, seed): ``k``, ``seed``, ``method``, ``n_topics`` (fitted; may be
    < k on tiny corpora), ``npmi``, ``diversity_10``, ``diversity_25``, ``perplexity``
    (held-out, LDA only), ``nmi``, ``purity`` (when labels given), ``fit_seconds``.
    ``summary``: one row per k: the means of those, ``npmi_sd``, ``stability`` (mean matched
    Jaccard of top-10 words across seeds), ``stability_min`` (worst pair).
    ``top_words``: {(k, seed): list of top-word lists}.
    """

    runs: pd.DataFrame
    summary: pd.DataFrame
    top_words: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)


def _fit_one(method, k, seed, counts, train_idx, test_idx, vectorizer, svd, init, model_kw):
    m = TopicModel(k, method=method, vectorizer=vectorizer, random_state=seed, **model_kw)
    t0 = time.perf_counter()
    m.fit(counts[train_idx], _svd=svd, _init=init)
    secs = time.perf_counter() - t0
    perp = np.nan
    if method in ("lda", "online-lda") and len(test_idx):
        perp = float(m.estimator_.perplexity(counts[test_idx]))
    return m, secs, perp


def sweep_topics(
    texts_or_counts,
    ks: Iterable[int] = (5, 10, 15, 20),
    seeds: Iterable[int] = (SEED, SEED + 1, SEED + 2),
    method: str = "nmf",
    vectorizer: TopicVectorizer | None = None,
    perturb: str = "init",
    subsample: float = 0.9,
    labels: Sequence | None = None,
    n_top: int = 10,
    top_by: str = "relevance",
    n_jobs: int = 1,
    **model_kw,
) -> SweepResult:
    """Fit every (k, seed) and report the measures that inform the choice of k.

    What a seed changes (``perturb``):

    * "init" (default): the starting point, as the project fits it. NMF starts from NNDSVD
      of a randomised truncated SVD computed with the seed, zeros filled with small
      seed-dependent noise ("nndsvdar"); LDA from its random variational start. All seeds
      see the same documents. Stability then answers "would a rerun with another seed give
      the same topics?". (NMF from fully random starts is less stable and is not what the
      project fits; see docs/topics.md.)
    * "subsample": each seed also fits on its own random ``subsample`` share of documents
      (Greene, O'Callaghan & Cunningham 2014). Stricter: "would slightly different coverage
      give the same topics?".

    For NMF one truncated SVD with max(ks) components per seed gives every k its start.

    LDA always holds out ``1 - subsample`` of the documents (per seed) for held-out
    perplexity. Coherence (NPMI, see :func:`helpers.topic_metrics.npmi_coherence`) is
    measured against the whole corpus on the top ``n_top`` words ranked by ``top_by``
    ("relevance" with λ = 0.6 as the notebook displays them, or "probability" as most papers
    report); NMI/purity (with ``labels``) use the dominant topic of every document.

    Speed: one vectorisation for all fits and one tf-idf per seed; ``n_jobs`` > 1 runs seeds
    in parallel threads (the NMF solver releases the GIL only in parts, so expect little gain).

    Example:
        >>> # res = sweep_topics(corpus["text"], ks=range(5, 31), labels=corpus["category"])
        >>> # res.summary[["k", "npmi", "diversity_25", "stability"]]
    """
    ks = sorted({int(k) for k in ks})
    seeds = list(seeds)
    if not ks or min(ks) < 1:
        raise ValueError(f"ks={ks}: give one or more numbers of topics >= 1")
    if perturb not in ("init", "subsample"):
        raise ValueError(f"perturb={perturb!r}: use 'init' or 'subsample'")
    if sparse.issparse(texts_or_counts):
        if vectorizer is None or not hasattr(vectorizer, "vocabulary_"):
            raise ValueError("A count matrix needs the fitted vectorizer that made it")
        counts = sparse.csr_matrix(texts_or_counts, dtype=np.float64)
    else:
        vectorizer = vectorizer if vectorizer is not None else TopicVectorizer()
        if hasattr(vectorizer, "vocabulary_"):
            counts = vectorizer.transform(texts_or_counts)
        else:
            counts = vectorizer.fit_transform(texts_or_counts)
    n_docs = counts.shape[0]
    notes = list(getattr(vectorizer, "notes_", []))
    if counts.shape[1] == 0:
        raise ValueError("No vocabulary after preprocessing; lower min_df or stop words")
    names = vectorizer.get_feature_names_out()
    lab = None if labels is None else pd.Series(list(labels))
    is_lda = method in ("lda", "online-lda")
    resample = (perturb == "subsample" or is_lda) and subsample < 1.0 and n_docs >= 10
    jobs = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        if resample:
            n_fit = max(2, int(round(subsample * n_docs)))
            train = np.sort(rng.choice(n_docs, size=n_fit, replace=False))
        else:
            train = np.arange(n_docs)
        test = np.setdiff1d(np.arange(n_docs), train)
        jobs.append((seed, train, test))
    if (perturb == "subsample" or is_lda) and not resample:
        notes.append(f"only {n_docs} documents: every seed fits all of them (no resampling)")
    if method == "nmf" and perturb == "init" and len(seeds) == 1:
        notes.append("one seed: stability needs at least two")

    def run_seed(seed, train, test):
        with threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
            return _run_seed(seed, train, test)

    def _run_seed(seed, train, test):
        svd, init = None, None
        Xc = counts[train]
        nonempty = int((np.asarray(Xc.sum(axis=1)).ravel() > 0).sum())
        kmax = min(max(ks), nonempty, Xc.shape[1])
        if method == "nmf" and kmax >= 1:
            tf = TfidfTransformer(sublinear_tf=model_kw.get("sublinear_tf", True)).fit(Xc)
            svd = randomized_svd(tf.transform(Xc), kmax, random_state=seed)
        out = []
        for k in ks:
            m, secs, perp = _fit_one(
                method, k, seed, counts, train, test, vectorizer, svd, init, model_kw
            )
            top = m.top_words(max(n_top, 25), by=top_by)
            top_n = [t[:n_top] for t in top]
            rec = {
                "k": k,
                "seed": seed,
                "method": method,
                "n_topics": m.n_topics_,
                "npmi": float(npmi_coherence(top_n, counts, names, n_top)["npmi"].mean()),
                "diversity_10": topic_diversity(top, 10),
                "diversity_25": topic_diversity(top, 25),
                "perplexity": perp,
                "fit_seconds": secs,
            }
            if lab is not None:
                if len(train) == n_docs:  # the fit already solved every document
                    theta = m.train_doc_topic_
                else:
                    theta = m.transform(counts)
                dom = np.where(theta.sum(axis=1) > 0, theta.argmax(axis=1), -1)
                agree = label_agreement(lab, dom)
                rec["nmi"], rec["purity"] = agree["nmi"], agree["purity"]
            out.append((rec, top_n))
        return out

    if n_jobs != 1 and len(jobs) > 1:
        from joblib import Parallel, delayed

        # threadpool_limits is process-wide: set it once around all threads, so the fits' own
        # (nested) limits never restore a different BLAS thread count while another thread is
        # mid-fit, which made results depend on timing.
        with threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
            results = Parallel(n_jobs=n_jobs, prefer="threads")(delayed(run_seed)(*j) for j in jobs)
    else:
        results = [run_seed(*j) for j in jobs]
    recs, tops = [], {}
    for res in results:
        for rec, top in res:
            recs.append(rec)
            tops[(rec["k"], rec["seed"])] = top
    runs = pd.DataFrame(recs)
    summ = []
    for k, g in runs.groupby("k", sort=True):
        stab, pairs = topic_stability([tops[(k, s)] for s in g["seed"]], n_top=n_top)
        row = {
            "k": k,
            "n_topics": int(g["n_topics"].min()),
            "npmi": g["npmi"].mean(),
            "npmi_sd": g["npmi"].std(ddof=0),
            "diversity_10": g["diversity_10"].mean(),
            "diversity_25": g["diversity_25"].mean(),
            "stability": stab,
            "stability_min": float(pairs["min_jaccard"].min()) if len(pairs) else np.nan,
            "perplexity": g["perplexity"].mean(),
            "fit_seconds": g["fit_seconds"].mean(),
            "n_runs": len(g),
        }
        if lab is not None:
            row["nmi"], row["purity"] = g["nmi"].mean(), g["purity"].mean()
        summ.append(row)
    summary = pd.DataFrame(summ)
    summary.attrs.update(perturb=perturb, top_by=top_by, method=method)
    return SweepResult(runs=runs, summary=summary, top_words=tops, notes=notes)


# --------------------------------------------------------------------------------------
# Validation command
# --------------------------------------------------------------------------------------
def _read_table(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file; pass a CSV/TSV with a text column")
    sep = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    return pd.read_csv(path, sep=sep)


PRESETS = {
    # what validate uses unless told otherwise; see docs/topics.md for the ablation
    "project": dict(stop_words="news", min_df=5, max_df=0.5, lemmatize=False, collocations=False),
    # the reference points' preprocessing in ../shared/eval/README.md
    "reference": dict(
        token_pattern=r"(?u)\b[a-z]{3,}\b", stop_words="english", min_df=5, max_df=0.5
    ),
}


def _round_floats(obj, nd: int = 4):
    if isinstance(obj, float):
        return round(obj, nd)
    if isinstance(obj, dict):
        return {k: _round_floats(v, nd) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_round_floats(v, nd) for v in obj]
    return obj


def validate_main(argv: Sequence[str] | None = None) -> int:
    """``python -m helpers validate topics FILE --k K [--text-column text --label-column category]``

    Fits the model on every document of FILE and prints JSON: NMI, purity and ARI of each
    document's dominant topic against the labels (full-data fit, deterministic for NMF),
    the same averaged over ``--seeds`` subsampled fits, NPMI, diversity at 10 and 25,
    stability across seeds, fit time, and the preprocessing report. ``--sweep 5-30`` also
    times and summarises a full sweep.
    """
    p = argparse.ArgumentParser(prog="python -m helpers validate topics")
    p.add_argument("file", type=Path)
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--text-column", default="text")
    p.add_argument("--label-column", default=None)
    p.add_argument("--method", default="nmf", choices=METHODS)
    p.add_argument("--seeds", type=int, default=3, help="number of seeds for stability")
    p.add_argument("--subsample", type=float, default=0.9)
    p.add_argument("--preset", default="project", choices=sorted(PRESETS))
    p.add_argument("--lemmatize", action="store_true")
    p.add_argument("--no-lemmatize", action="store_true")
    p.add_argument("--collocations", action="store_true")
    p.add_argument("--stop-words", default=None, choices=["news", "english", "none"])
    p.add_argument("--min-df", type=float, default=None)
    p.add_argument("--max-df", type=float, default=None)
    p.add_argument("--no-sublinear", action="store_true")
    p.add_argument("--sweep", default=None, help="k range for a timed sweep, e.g. 5-30")
    p.add_argument("--n-jobs", type=int, default=2, help="seeds in parallel threads")
    a = p.parse_args(list(argv) if argv is not None else None)

    try:
        df = _read_table(a.file)
    except (FileNotFoundError, pd.errors.ParserError) as exc:
        print(json.dumps({"error": str(exc)}))
        return 2
    if a.text_column not in df.columns:
        print(
            json.dumps({"error": f"{a.file}: no column {a.text_column!r}; has {list(df.columns)}"})
        )
        return 2
    if a.label_column is None and "category" in df.columns:
        a.label_column = "category"
    if a.label_column is not None and a.label_column not in df.columns:
        print(
            json.dumps({"error": f"{a.file}: no column {a.label_column!r}; has {list(df.columns)}"})
        )
        return 2
    texts = df[a.text_column].fillna("").astype(str).tolist()
    labels = df[a.label_column] if a.label_column else None

    vec_kw = dict(PRESETS[a.preset])
    if a.lemmatize:
        vec_kw["lemmatize"] = True
    if a.no_lemmatize:
        vec_kw["lemmatize"] = False
    if a.collocations:
        vec_kw["collocations"] = True
    if a.stop_words:
        vec_kw["stop_words"] = None if a.stop_words == "none" else a.stop_words
    if a.min_df is not None:
        vec_kw["min_df"] = int(a.min_df) if a.min_df >= 1 else a.min_df
    if a.max_df is not None:
        vec_kw["max_df"] = int(a.max_df) if a.max_df > 1 else a.max_df
    model_kw = {"sublinear_tf": not a.no_sublinear} if a.method.endswith("nmf") else {}

    t0 = time.perf_counter()
    vec = TopicVectorizer(**vec_kw)
    counts = vec.fit_transform(texts)
    vec_secs = time.perf_counter() - t0
    model = TopicModel(a.k, method=a.method, vectorizer=vec, **model_kw).fit(counts)
    top_p = model.top_words(25, by="probability")
    top_r = model.top_words(25, by="relevance")
    out = {
        "file": str(a.file),
        "n_docs": len(texts),
        "k": a.k,
        "method": a.method,
        "preset": a.preset,
        "preprocessing": {k: (list(v) if isinstance(v, tuple) else v) for k, v in vec_kw.items()},
        "n_terms": counts.shape[1],
        "vectorize_seconds": vec_secs,
        "fit_seconds": model.fit_seconds_,
        # top-10 words by probability: the reference points' definition
        "npmi": float(npmi_coherence(top_p, counts, model.feature_names_, 10)["npmi"].mean()),
        "diversity_10": topic_diversity(top_p, 10),
        "diversity_25": topic_diversity(top_p, 25),
        # top-10 words by relevance (lambda 0.6): what the notebook shows
        "npmi_relevance": float(
            npmi_coherence(top_r, counts, model.feature_names_, 10)["npmi"].mean()
        ),
        "diversity_25_relevance": topic_diversity(top_r, 25),
        "labels": model.labels_,
    }
    if labels is not None:
        dom = model.doc_topics(counts)["dominant_topic"].to_numpy()
        out.update(label_agreement(labels, dom))
    seeds = [SEED + i for i in range(max(a.seeds, 1))]
    if a.seeds > 1:
        for perturb in ("init", "subsample"):
            t1 = time.perf_counter()
            sw = sweep_topics(
                counts,
                ks=[a.k],
                seeds=seeds,
                method=a.method,
                vectorizer=vec,
                perturb=perturb,
                subsample=a.subsample,
                labels=labels,
                top_by="probability",
                n_jobs=a.n_jobs,
                **model_kw,
            )
            s = sw.summary.iloc[0]
            out[f"seeds_{perturb}"] = {
                "n": a.seeds,
                "subsample": a.subsample if perturb == "subsample" else 1.0,
                "stability": float(s["stability"]),
                "stability_min": float(s["stability_min"]),
                "npmi_mean": float(s["npmi"]),
                "nmi_mean": float(s["nmi"]) if "nmi" in s else None,
                "nmi_sd": float(sw.runs["nmi"].std(ddof=0)) if "nmi" in sw.runs else None,
                "perplexity_mean": None if pd.isna(s["perplexity"]) else float(s["perplexity"]),
                "seconds": time.perf_counter() - t1,
            }
    if a.sweep:
        lo, _, hi = a.sweep.partition("-")
        ks = range(int(lo), int(hi or lo) + 1)
        t2 = time.perf_counter()
        sw = sweep_topics(
            counts,
            ks=ks,
            seeds=seeds,
            method=a.method,
            vectorizer=vec,
            subsample=a.subsample,
            labels=labels,
            n_jobs=a.n_jobs,
            **model_kw,
        )
        out["sweep"] = {
            "ks": f"{ks.start}-{ks.stop - 1}",
            "seeds": len(seeds),
            "n_jobs": a.n_jobs,
            "seconds": time.perf_counter() - t2,
            "summary": json.loads(sw.summary.round(4).to_json(orient="records")),
        }
    print(json.dumps(_round_floats(out), indent=1, default=str))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(validate_main())
