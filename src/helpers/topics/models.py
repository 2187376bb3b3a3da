"""Topic models: :class:`TopicModel` (NMF, LDA, online LDA, MiniBatchNMF) and its NMF start.

* :class:`TopicModel` — scikit-learn style ``fit``/``partial_fit``/``transform`` with
  ``random_state``, tidy outputs (:meth:`TopicModel.topic_terms`,
  :meth:`TopicModel.doc_topics`, :meth:`TopicModel.metrics`) and automatic labels.
* ``_nndsvd_from_svd`` — the NNDSVD start (Boutsidis & Gallopoulos 2008) from a precomputed
  truncated SVD, so a sweep over k pays for one SVD per seed.
* :data:`METHODS` and :data:`BLAS_THREADS` (the BLAS thread count inside every fit; read at
  call time, so setting ``helpers.topics.models.BLAS_THREADS`` changes it for the sweep too).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import _sparsetools
from sklearn.base import BaseEstimator
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.decomposition._cdnmf_fast import _update_cdnmf_fast
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.utils.extmath import safe_sparse_dot
from threadpoolctl import threadpool_limits

from helpers.config import SEED

from .metrics import npmi_coherence
from .minibatch import _MiniBatchNMF
from .preprocess import TopicVectorizer
from .terms import _term_scores, _top_order, label_topics

__all__ = ["METHODS", "BLAS_THREADS", "TopicModel"]

METHODS = ("nmf", "lda", "online-lda", "minibatch-nmf")
#: BLAS threads inside fits. 1: OpenBLAS threads slow the many small QR/SVD/GEMM calls of NMF
#: on small matrices (benchmarks/bench_topics.py measures it); None leaves the machine default.
BLAS_THREADS: int | None = 1


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
        method: "nmf" (tf-idf, NNDSVD start, coordinate descent), "lda"
            (batch variational Bayes on counts), "online-lda" (online VB, also streams with
            ``partial_fit``), "minibatch-nmf" (streams with ``partial_fit``).
        vectorizer: a :class:`TopicVectorizer` (fitted or not); default ``TopicVectorizer()``.
        sublinear_tf: NMF weighting is ``1 + log(tf)`` times idf, rows L2-normalised.
        init: NMF start: "nndsvd" (default; deterministic, so every seed gives the same fit
            on the same documents) or "random" (scikit-learn's scaled random start drawn with
            ``random_state``: what stability across seeds must use, see
            :func:`helpers.topics.sweep_topics`).
        alpha_W / l1_ratio: NMF regularisation of the document-topic matrix.
        doc_topic_prior / topic_word_prior: LDA priors (None = 1/k).
        max_iter, batch_size: optimiser budget; random_state: every random choice.
        tol: NMF's stopping tolerance (coordinate descent stops when the projected gradient
            falls to ``tol`` times its first value; default 1e-4 as scikit-learn). The
            notebook's sweep over k uses 1e-3 (``sweep_tol``, see docs/topics.md).

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

    #: False: ``labels_`` are the topic numbers (the sweep's fits, whose labels nobody reads,
    #: skip the FREX ranking).
    _with_labels = True

    def __init__(
        self,
        n_topics: int = 10,
        method: str = "nmf",
        vectorizer: TopicVectorizer | None = None,
        sublinear_tf: bool = True,
        init: str = "nndsvd",
        alpha_W: float = 0.0,
        l1_ratio: float = 0.0,
        doc_topic_prior: float | None = None,
        topic_word_prior: float | None = None,
        max_iter: int | None = None,
        batch_size: int = 256,
        tol: float = 1e-4,
        random_state: int | None = SEED,
    ):
        self.n_topics = n_topics
        self.method = method
        self.vectorizer = vectorizer
        self.sublinear_tf = sublinear_tf
        self.init = init
        self.alpha_W = alpha_W
        self.l1_ratio = l1_ratio
        self.doc_topic_prior = doc_topic_prior
        self.topic_word_prior = topic_word_prior
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.tol = tol
        self.random_state = random_state

    # -- building blocks ---------------------------------------------------------------
    def _weight(self, counts):
        if self.method in ("nmf", "minibatch-nmf"):
            return self.tfidf_.transform(counts)
        return counts

    def _make_estimator(self, k: int, custom_start: bool = False):
        m = self.method
        if m == "nmf":
            if self.init not in ("nndsvd", "random"):
                raise ValueError(f"init={self.init!r}: use 'nndsvd' or 'random'")
            return _NMF(
                n_components=k,
                init="custom" if custom_start else self.init,
                solver="cd",
                max_iter=self.max_iter or 400,
                tol=self.tol,
                alpha_W=self.alpha_W,
                alpha_H="same",
                l1_ratio=self.l1_ratio,
                random_state=self.random_state,
            )
        if m == "minibatch-nmf":
            return _MiniBatchNMF(  # transform: fixed products once (minibatch.py)
                n_components=k,
                init="random" if self.init == "random" else "nndsvda",
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
    def fit(self, texts_or_counts, y=None, _svd=None):
        """Fit on texts (list/Series of str) or on counts from the fitted ``vectorizer``.

        ``_svd`` (internal, used by the sweep): a truncated SVD ``(U, S, Vt)`` of the weighted
        matrix whose first k triplets give the NNDSVD start (ignored with ``init="random"``).
        """
        # Single-threaded BLAS: the small QR/SVD calls inside NMF and the randomised SVD run
        # 10-100x slower with OpenBLAS threads on small matrices (measured on the 2-core
        # machine, see docs/topics.md); sweeps can run seeds in threads instead (n_jobs).
        with threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
            return self._fit(texts_or_counts, _svd=_svd)

    def _fit(self, texts_or_counts, _svd=None):
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
        if self.method == "nmf" and self.init == "nndsvd" and _svd is not None:
            W0, H0 = _nndsvd_from_svd(
                *_svd, k, fill_seed=self.random_state, fill_scale=float(Xw.mean())
            )
            est = self._make_estimator(k, custom_start=True)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", category=UserWarning)
                W = est.fit_transform(Xw, W=W0, H=H0)
        else:
            est = self._make_estimator(k)
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

    def _finalise(self, counts, W, term_totals=None, names=None):
        comp = np.asarray(self.estimator_.components_, dtype=np.float64)
        self.components_ = comp
        sums = comp.sum(axis=1, keepdims=True)
        sums[sums == 0] = 1.0
        self.topic_term_ = comp / sums
        tt = np.asarray(counts.sum(axis=0)).ravel() if term_totals is None else term_totals
        self.term_prob_ = tt / max(tt.sum(), 1.0)
        theta = _normalise_rows(W)
        self.prevalence_ = theta[theta.sum(1) > 0].mean(axis=0) if len(theta) else theta
        self.feature_names_ = self.vectorizer_.get_feature_names_out() if names is None else names
        self.labels_ = label_topics(self) if self._with_labels else [str(j) for j in range(len(comp))]

    def _check_fitted(self):
        if not hasattr(self, "estimator_"):
            raise RuntimeError("TopicModel is not fitted yet: call fit(texts) first")

    # -- outputs ----------------------------------------------------------------------
    def transform(self, texts_or_counts, chunk_docs: int | None = None) -> np.ndarray:
        """Document-topic shares (n_docs x k, rows sum to 1; all-zero rows for documents
        with no known term).

        ``chunk_docs``: solve the shares ``chunk_docs`` documents at a time (the large-corpus
        path, bounded memory). LDA shares are per document, so chunks change nothing; NMF's
        solver starts from and stops on the whole matrix, so chunked NMF shares agree with the
        unchunked ones to the solver's tolerance, not bit for bit. None (default): all at once.
        """
        self._check_fitted()
        counts = self._counts(texts_or_counts, fit_vectorizer=False)
        step = chunk_docs or max(1, counts.shape[0])
        with warnings.catch_warnings(), threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
            warnings.simplefilter("ignore", category=UserWarning)
            parts = [
                self.estimator_.transform(self._weight(counts[a : a + step]))
                for a in range(0, counts.shape[0], step)
            ]
        W = np.vstack(parts) if parts else np.zeros((0, self.n_topics_))
        W = np.asarray(W, dtype=np.float64)
        W[np.asarray(counts.sum(axis=1)).ravel() == 0] = 0.0
        return _normalise_rows(W)

    def doc_topics(
        self,
        texts_or_counts,
        ids: Sequence | None = None,
        long: bool = False,
        chunk_docs: int | None = None,
    ):
        """Tidy document-topic table (``chunk_docs``: see :meth:`transform`).

        Returns (wide, default): ``doc_id``, ``dominant_topic`` (-1 if the document has no
        known term), ``dominant_share``, ``topic_0`` ... ``topic_{k-1}`` (shares, sum 1).
        With ``long=True``: ``doc_id``, ``topic``, ``label``, ``share``.
        """
        theta = self.transform(texts_or_counts, chunk_docs=chunk_docs)
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
            order = _top_order(scores[k], n)
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


class _NMF(NMF):
    """scikit-learn's NMF, with the coordinate-descent loop run on products it can reuse.

    Per sweep over the coordinates, scikit-learn forms ``X.T`` anew (a CSC view, whose
    product with W scatters into a V x k array) and, when only W is solved (``transform``),
    recomputes H Hᵀ and X Hᵀ although H is fixed. :func:`_coordinate_descent` multiplies by X
    and Xᵀ with whichever of scipy's gather and scatter kernels is faster for the shapes (the
    same sums in the same order, :class:`_SparseProduct`) and computes the fixed products of a
    transform once. Same start, same
    ``_update_cdnmf_fast`` sweeps, same stopping rule: W and H are identical bit for bit
    (tests/test_topics_scale.py compares them with ``sklearn.decomposition.NMF``). Other
    solvers, shuffling or dense input take scikit-learn's own code.
    """

    def _fit_transform(self, X, y=None, W=None, H=None, update_H=True):
        if self.solver != "cd" or self.shuffle or not sparse.issparse(X):
            return super()._fit_transform(X, y=y, W=W, H=H, update_H=update_H)
        self._check_params(X)
        W, H = self._check_w_h(X, W, H, update_H)
        regs = self._compute_regularization(X)
        W, H, n_iter = _coordinate_descent(X, W, H, self.tol, self.max_iter, *regs, update_H)
        if n_iter == self.max_iter and self.tol > 0:
            warnings.warn(
                f"Maximum number of iterations {self.max_iter} reached. Increase it to improve "
                "convergence.",
                ConvergenceWarning,
                stacklevel=2,
            )
        return W, H, n_iter


def _cd_products(X, Ht, l1_reg, l2_reg):
    """H Hᵀ and X Hᵀ with the regularisation folded in, as scikit-learn's update forms them."""
    HHt = np.dot(Ht.T, Ht)
    XHt = safe_sparse_dot(X, Ht)
    if l2_reg != 0.0:
        HHt.flat[:: Ht.shape[1] + 1] += l2_reg
    if l1_reg != 0.0:
        XHt -= l1_reg
    return HHt, XHt


#: Output size (bytes) up to which :class:`_SparseProduct` scatters rather than gathers.
SCATTER_BYTES = 1 << 20


class _SparseProduct:
    """``A @ B`` for one sparse A and dense C-contiguous B (k columns), into a reused buffer.

    scipy multiplies a CSR matrix by gathering (each output row sums the input rows its entries
    point to) and a CSC matrix by scattering (each input row is added into the output rows of
    its column). Each output element gets the same ``a * b`` terms in increasing order of the
    summed index either way when A's rows are sorted without duplicates (``can_scatter``), so
    both kernels give the same bits; the scatter is faster while its randomly written output
    stays in cache, the gather when its randomly read input does. In: A (CSR), Aᵀ (CSR, i.e. A
    in CSC form), k. Scatters when allowed and the output fits ``SCATTER_BYTES`` or has fewer
    rows than the input.
    """

    def __init__(self, A, AT, k: int, can_scatter: bool = True):
        self.n, self.m = A.shape
        self.k = k
        self.out = np.zeros((self.n, k))
        self.scatter = can_scatter and (self.n * k * 8 <= SCATTER_BYTES or self.n <= self.m)
        src = AT if self.scatter else A
        self.parts = (src.indptr, src.indices, src.data)

    def __call__(self, B) -> np.ndarray:
        out = self.out
        out.fill(0.0)
        kernel = _sparsetools.csc_matvecs if self.scatter else _sparsetools.csr_matvecs
        kernel(self.n, self.m, self.k, *self.parts, B.ravel(), out.ravel())
        return out


def _coordinate_descent(X, W, H, tol, max_iter, l1_W, l1_H, l2_W, l2_H, update_H):
    """scikit-learn's ``_fit_coordinate_descent`` (no shuffling) on reusable products.

    A fit multiplies by X and Xᵀ with scipy's faster kernel for each (:class:`_SparseProduct`,
    same sums in the same order) into buffers reused across passes; a transform computes its
    fixed products once.
    """
    W = np.ascontiguousarray(W)
    Ht = np.ascontiguousarray(H.T)
    X = X.tocsr() if X.format != "csr" else X
    perm = np.arange(Ht.shape[1], dtype=np.intp)
    k = Ht.shape[1]
    if update_H:
        XT = X.T.tocsr()  # rows sorted by document: Xᵀ W sums as scikit-learn's X.T (CSC) @ W
        # X Hᵀ: scikit-learn gathers along X's rows as stored; the scatter sums by column, the
        # same order only when those rows are sorted. Xᵀ W: scikit-learn's own kernel is the
        # scatter (X's arrays read as Xᵀ in CSC), the gather along XT adds in the same order.
        x_h = _SparseProduct(X, XT, k, can_scatter=bool(X.has_canonical_format))
        xt_w = _SparseProduct(XT, X, k)
    fixed = None if update_H else _cd_products(X, Ht, l1_W, l2_W)
    violation_init = None
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        violation = 0.0
        if fixed is None:
            violation += _update_cdnmf_fast(W, *_folded(np.dot(Ht.T, Ht), x_h(Ht), l1_W, l2_W), perm)
            violation += _update_cdnmf_fast(Ht, *_folded(np.dot(W.T, W), xt_w(W), l1_H, l2_H), perm)
        else:
            violation += _update_cdnmf_fast(W, *fixed, perm)
        if n_iter == 1:
            violation_init = violation
        if violation_init == 0:
            break
        if violation / violation_init <= tol:
            break
    return W, Ht.T, n_iter


def _folded(HHt, XHt, l1_reg, l2_reg):
    """The regularisation folded into the products, as scikit-learn's update does it."""
    if l2_reg != 0.0:
        HHt.flat[:: HHt.shape[0] + 1] += l2_reg
    if l1_reg != 0.0:
        XHt -= l1_reg
    return HHt, XHt


def _normalise_rows(W) -> np.ndarray:
    W = np.asarray(W, dtype=np.float64)
    s = W.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(s > 0, W / np.where(s > 0, s, 1.0), 0.0)
    return out
