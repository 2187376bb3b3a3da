"""Several NMF fits of one matrix in lockstep: the sweep's fits of one seed, sharing products.

* :func:`fit_nmf_many` — fit a list of NMF :class:`~helpers.topics.models.TopicModel` on the
  same counts (the sweep's k grid for one seed and perturbation) and return them fitted, each
  exactly as its own ``fit`` would leave it (``components_``, shares, labels), except that the
  estimators carry no ``reconstruction_err_`` (nobody reads a sweep fit's).

Every fit's coordinate descent is the one of :func:`helpers.topics.models._coordinate_descent`
(same start, same ``_update_cdnmf_fast`` sweeps, same stopping rule), run side by side: at
each pass the products X Hᵀ and Xᵀ W of all fits still running are one sparse product with
their columns side by side (scipy's kernels sum each output column on its own, in the same
order whatever the other columns: the same bits), so X is read once per pass instead of once
per fit. The fits also share what the sweep made once per fit before: the tf-idf weights, the
weighted matrix and its transpose, the term names and the BLAS thread limit.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
from scipy import sparse
from sklearn import config_context
from sklearn.decomposition._cdnmf_fast import _update_cdnmf_fast
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.utils.validation import validate_data

from .models import TopicModel, _folded, _nndsvd_from_svd, _normalise_rows, _SparseProduct

__all__ = ["fit_nmf_many"]


def fit_nmf_many(models: list[TopicModel], counts, svd=None, names=None) -> list[TopicModel]:
    """Fit every model (method "nmf", same ``sublinear_tf``) on ``counts``, in lockstep.

    In: unfitted models (their own k, start and seed), a count matrix from their fitted
    vectorizer, the sweep's truncated SVD for the NNDSVD starts (or None) and, optionally, the
    vectorizer's term names. Out: the same models, fitted as ``m.fit(counts, _svd=svd)`` fits
    them (same topics bit for bit; ``fit_seconds_``: own set-up plus a share of the joint
    passes by k times passes). Call it under a BLAS thread limit (the sweep's ``run_seed``).
    """
    if not models:
        return models
    if any(m.method != "nmf" for m in models) or len({m.sublinear_tf for m in models}) > 1:
        raise ValueError("fit_nmf_many fits NMF models with one tf weighting")
    counts = sparse.csr_matrix(counts, dtype=np.float64)
    if counts.shape[1] == 0:
        raise ValueError("No vocabulary after preprocessing; lower min_df or use fewer stop words")
    tfidf = TfidfTransformer(sublinear_tf=models[0].sublinear_tf).fit(counts)
    Xw = tfidf.transform(counts)
    names = names if names is not None else models[0].vectorizer.get_feature_names_out()
    runs = [_start(m, counts, tfidf, Xw, svd) for m in models]
    t0 = time.perf_counter()
    _coordinate_descent_many(Xw, runs)
    joint = time.perf_counter() - t0
    work = sum(r.k * r.n_iter for r in runs) or 1
    for r in runs:
        t1 = time.perf_counter()
        est, m = r.est, r.model
        est.n_components_ = r.H.shape[0]
        est.components_ = r.H
        est.n_iter_ = r.n_iter
        m.estimator_ = est
        m.train_doc_topic_ = _normalise_rows(r.W)
        m._finalise(counts, r.W, names=names)
        m.fit_seconds_ = r.seconds + time.perf_counter() - t1 + joint * r.k * r.n_iter / work
    return models


class _Run:
    """One fit's state between its start and its end."""

    def __init__(self, model, est, W, H, regs, seconds):
        self.model, self.est, self.regs, self.seconds = model, est, regs, seconds
        self.k = W.shape[1]
        self.W = np.ascontiguousarray(W)
        self.Ht = np.ascontiguousarray(H.T)
        self.perm = np.arange(self.k, dtype=np.intp)
        self.max_iter, self.tol = est.max_iter, est.tol
        self.n_iter, self.violation_init, self.done = 0, None, False

    @property
    def H(self):
        return self.Ht.T


def _start(m: TopicModel, counts, tfidf, Xw, svd) -> _Run:
    """What ``TopicModel._fit`` and ``NMF.fit_transform`` do before the coordinate descent."""
    t0 = time.perf_counter()
    m.notes_ = []
    if not hasattr(m, "vectorizer_"):
        if m.vectorizer is None or not hasattr(m.vectorizer, "vocabulary_"):
            raise ValueError("A count matrix needs a fitted vectorizer")
        m.vectorizer_ = m.vectorizer
    m.notes_.extend(getattr(m.vectorizer_, "notes_", []))
    k = m._effective_k(counts)
    m.n_topics_ = k
    m.tfidf_ = tfidf
    W0 = H0 = None
    custom = m.init == "nndsvd" and svd is not None
    if custom:
        W0, H0 = _nndsvd_from_svd(*svd, k, fill_seed=m.random_state, fill_scale=float(Xw.mean()))
    est = m._make_estimator(k, custom_start=custom)
    est._validate_params()
    X = validate_data(est, Xw, accept_sparse=("csr", "csc"), dtype=[np.float64, np.float32])
    with config_context(assume_finite=True), warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        est._check_params(X)
        W, H = est._check_w_h(X, W0, H0, True)
        regs = est._compute_regularization(X)
    return _Run(m, est, W, H, regs, time.perf_counter() - t0)


def _coordinate_descent_many(X, runs: list[_Run]) -> None:
    """``_coordinate_descent`` of every run (update_H), the products of the running ones joint."""
    X = X.tocsr() if X.format != "csr" else X
    XT = X.T.tocsr()
    can_scatter = bool(X.has_canonical_format)
    products: dict = {}
    for n_iter in range(1, max(r.max_iter for r in runs) + 1):
        active = [r for r in runs if not r.done and n_iter <= r.max_iter]
        if not active:
            break
        widths = tuple(r.k for r in active)
        if widths not in products:
            products[widths] = (
                _SparseProduct(X, XT, sum(widths), can_scatter=can_scatter),
                _SparseProduct(XT, X, sum(widths)),
            )
        x_h, xt_w = products[widths]
        XHt = x_h(np.concatenate([r.Ht for r in active], axis=1))
        for r, part in zip(active, _blocks(XHt, widths), strict=True):
            l1_W, _, l2_W, _ = r.regs
            r.violation = 0.0
            r.violation += _update_cdnmf_fast(r.W, *_folded(np.dot(r.Ht.T, r.Ht), part, l1_W, l2_W), r.perm)
        XtW = xt_w(np.concatenate([r.W for r in active], axis=1))
        for r, part in zip(active, _blocks(XtW, widths), strict=True):
            _, l1_H, _, l2_H = r.regs
            r.violation += _update_cdnmf_fast(r.Ht, *_folded(np.dot(r.W.T, r.W), part, l1_H, l2_H), r.perm)
            r.n_iter = n_iter
            if n_iter == 1:
                r.violation_init = r.violation
            if r.violation_init == 0 or r.violation / r.violation_init <= r.tol:
                r.done = True


def _blocks(out: np.ndarray, widths: tuple[int, ...]):
    """The column blocks of a joint product, one per run (views: copying them into C-ordered
    arrays cost more than the update's strided reads save)."""
    a = 0
    for w in widths:
        yield out[:, a : a + w]
        a += w
