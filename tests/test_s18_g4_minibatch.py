"""topics.minibatch._MiniBatchNMF: transform's fixed products formed once, the same W bit for bit.

The reference is scikit-learn's own ``MiniBatchNMF._solve_W`` (1.9), copied verbatim below as
``_reference_solve_W`` and also reached through a plain ``MiniBatchNMF`` with the same fitted
state, so a change in scikit-learn's update shows up here too.
"""

import numpy as np
import pytest
from scipy import linalg, sparse
from sklearn.decomposition import MiniBatchNMF
from sklearn.decomposition._nmf import _multiplicative_update_w
from sklearn.feature_extraction.text import TfidfTransformer

from helpers import topics as tp
from helpers.topics.minibatch import _MiniBatchNMF


def _reference_solve_W(self, X, H, max_iter):
    """Minimize the objective function w.r.t W.

    Update W with H being fixed, until convergence. This is the heart
    of `transform` but it's also used during `fit` when doing fresh restarts.
    """
    avg = np.sqrt(X.mean() / self._n_components)
    W = np.full((X.shape[0], self._n_components), avg, dtype=X.dtype)
    W_buffer = W.copy()

    # Get scaled regularization terms. Done for each minibatch to take into account
    # variable sizes of minibatches.
    l1_reg_W, _, l2_reg_W, _ = self._compute_regularization(X)

    for _ in range(max_iter):
        W, *_ = _multiplicative_update_w(
            X, W, H, self._beta_loss, l1_reg_W, l2_reg_W, self._gamma
        )

        W_diff = linalg.norm(W - W_buffer) / linalg.norm(W)
        if self.tol > 0 and W_diff <= self.tol:
            break

        W_buffer[:] = W

    return W


def _tfidf(n_docs, n_terms, seed):
    rng = np.random.default_rng(seed)
    counts = sparse.random(n_docs, n_terms, density=0.03, format="csr", random_state=rng,
                           data_rvs=lambda n: rng.integers(1, 6, n).astype(float))
    keep = np.ones(n_docs)
    keep[0] = 0.0  # an empty document
    counts = (sparse.diags(keep) @ counts).tocsr()
    counts.eliminate_zeros()
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr()


def _as_reference(est):
    """The same fitted estimator, transforming with scikit-learn's code."""
    ref = MiniBatchNMF()
    ref.__dict__.update(est.__dict__)
    return ref


SETTINGS = [
    dict(n_components=5, random_state=0),
    dict(n_components=8, random_state=1, alpha_W=0.001, l1_ratio=0.5),  # both regularisers
    dict(n_components=3, random_state=2, alpha_W=0.002, l1_ratio=0.0, tol=0.0, max_iter=5),
    dict(n_components=6, random_state=3, fresh_restarts=True, batch_size=64),  # _solve_W in fit
    dict(n_components=4, random_state=4, transform_max_iter=7),
]


@pytest.mark.parametrize("kw", SETTINGS)
def test_fit_and_transform_identical_to_scikit_learn(kw):
    X = _tfidf(300, 200, kw["random_state"])
    new = _MiniBatchNMF(**kw)
    ref = MiniBatchNMF(**kw)
    W_new, W_ref = new.fit_transform(X), ref.fit_transform(X)
    assert np.array_equal(W_new, W_ref)
    assert np.array_equal(new.components_, ref.components_)
    assert (new.n_iter_, new.n_steps_) == (ref.n_iter_, ref.n_steps_)
    for rows in (slice(None), slice(0, 50), slice(120, 300)):
        got = new.transform(X[rows])
        assert np.array_equal(got, ref.transform(X[rows]))
        assert np.array_equal(got, _reference_solve_W(new, X[rows], new.components_, new._transform_max_iter))


@pytest.mark.parametrize("kw", SETTINGS[:3])
def test_batch_costs_identical(kw, monkeypatch):
    """The cost of every mini-batch (it decides when the fit stops) bit for bit."""
    costs = {MiniBatchNMF: [], _MiniBatchNMF: []}
    real = MiniBatchNMF._minibatch_convergence

    def spy(self, X, batch_cost, *a):
        costs[type(self)].append(batch_cost)
        return real(self, X, batch_cost, *a)

    monkeypatch.setattr(MiniBatchNMF, "_minibatch_convergence", spy)
    X = _tfidf(250, 120, 13)
    _MiniBatchNMF(**kw, batch_size=60).fit(X)
    MiniBatchNMF(**kw, batch_size=60).fit(X)
    assert len(costs[MiniBatchNMF]) > 3
    assert costs[_MiniBatchNMF] == costs[MiniBatchNMF]


def test_partial_fit_identical():
    X = _tfidf(400, 150, 11)
    new, ref = _MiniBatchNMF(n_components=5, random_state=0), MiniBatchNMF(n_components=5, random_state=0)
    for a in range(0, 400, 90):
        new.partial_fit(X[a : a + 90])
        ref.partial_fit(X[a : a + 90])
        assert np.array_equal(new.components_, ref.components_)
    assert np.array_equal(new.transform(X), ref.transform(X))


def test_fit_forms_one_batch_product_fewer(monkeypatch):
    import helpers.topics.minibatch as mb

    X = _tfidf(300, 120, 12)
    calls = []
    real = mb.safe_sparse_dot
    monkeypatch.setattr(mb, "safe_sparse_dot", lambda *a, **k: calls.append(1) or real(*a, **k))
    est = _MiniBatchNMF(n_components=4, random_state=0, batch_size=100).fit(X)
    assert len(calls) == est.n_steps_  # one X Hᵀ per step, the cost reads it


def test_other_loss_takes_scikit_learns_path():
    X = _tfidf(120, 90, 7)
    new = _MiniBatchNMF(n_components=3, beta_loss="kullback-leibler", random_state=0).fit(X)
    assert np.array_equal(new.transform(X), _as_reference(new).transform(X))


def test_products_formed_once(monkeypatch):
    import helpers.topics.minibatch as mb

    X = _tfidf(200, 150, 9)
    est = _MiniBatchNMF(n_components=4, random_state=0, tol=0.0, transform_max_iter=20).fit(X)
    calls = []
    real = mb.safe_sparse_dot
    monkeypatch.setattr(mb, "safe_sparse_dot", lambda *a, **k: calls.append(1) or real(*a, **k))
    est.transform(X)
    assert len(calls) == 1


def test_topic_model_doc_topics_identical():
    rng = np.random.default_rng(0)
    words = [f"w{c}{d}{e}" for c in "abcdefgh" for d in "ijklm" for e in "nop"]
    texts = [" ".join(rng.choice(words, size=int(rng.integers(20, 60)))) for _ in range(400)]
    texts = [t.replace("0", "") for t in texts]
    vec = tp.TopicVectorizer(stop_words=None, min_df=2, max_df=0.9)
    counts = vec.fit_transform(texts)
    m = tp.TopicModel(6, method="minibatch-nmf", vectorizer=vec, random_state=3).fit(counts)
    assert type(m.estimator_) is _MiniBatchNMF
    got = m.doc_topics(counts, chunk_docs=150)
    m.estimator_ = _as_reference(m.estimator_)
    want = m.doc_topics(counts, chunk_docs=150)
    assert got.equals(want)
    assert np.array_equal(got.filter(like="topic_").to_numpy(), want.filter(like="topic_").to_numpy())
