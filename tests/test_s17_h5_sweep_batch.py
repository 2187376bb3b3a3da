"""The sweep's NMF fits of one seed run side by side (helpers.topics.batch.fit_nmf_many), sharing
their products with X: the same fits, bit for bit, as fitting every k on its own.

``_reference_run_seed`` is the sweep's per-seed loop before the change, verbatim (it fits each k
with ``_fit_one``, i.e. ``TopicModel.fit``); the sweep with it and with the new loop must give
identical runs, summaries and top words. Texts: seeded synthetic coverage of five subjects with
shared words, an empty text and a text of unknown words (no corpus files needed).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.utils.extmath import randomized_svd

from helpers import topics as tp
from helpers.topics import batch as tbatch
from helpers.topics import models as tmodels
from helpers.topics import sweep as tsweep
from helpers.topics.sweep import _fit_one


def _reference_run_seed(self, seed, kind, train, test):
    counts, ks, method = self.counts, self.ks, self.method
    svd = None
    init = "random" if kind == "init" else "nndsvd"
    Xc = counts[train]
    nonempty = int((np.asarray(Xc.sum(axis=1)).ravel() > 0).sum())
    kmax = min(max(ks), nonempty, Xc.shape[1])
    if method == "nmf" and init == "nndsvd" and kmax >= 1:
        tf = TfidfTransformer(sublinear_tf=self.model_kw.get("sublinear_tf", True)).fit(Xc)
        svd = randomized_svd(tf.transform(Xc), kmax, random_state=seed)
    out = []
    for k in ks:
        m, secs, perp = _fit_one(
            method, k, seed, counts, train, test, self.vectorizer, svd, init, self.model_kw
        )
        rec, top = self._record(m, k, seed, train, secs, perp)
        rec["perturb"] = kind
        out.append((rec, top))
    return out


def _texts(n: int, seed: int = 0) -> tuple[list[str], list[int]]:
    rng = np.random.default_rng(seed)
    subjects = [
        "navy ships patrol islands coast guard vessels waters maritime fleet harbour".split(),
        "budget economy inflation markets investors shares profits growth bank interest".split(),
        "football match goals striker league cup stadium coach players season".split(),
        "election voters ballot campaign senate candidate polls parliament party vote".split(),
        "virus vaccine hospital patients doctors health outbreak cases clinic nurses".split(),
    ]
    shared = "government officials report week people country city public plan support".split()
    rare = [f"term{i:03d}" for i in range(400)]
    labels = rng.integers(0, len(subjects), size=n).tolist()
    texts = []
    for j in labels:
        words = list(rng.choice(subjects[j], size=rng.integers(8, 30)))
        words += list(rng.choice(subjects[(j + 1) % 5], size=rng.integers(0, 6)))
        words += list(rng.choice(shared, size=rng.integers(2, 12)))
        words += list(rng.choice(rare, size=rng.integers(3, 25)))
        rng.shuffle(words)
        texts.append(" ".join(words))
    texts[3] = ""
    texts[4] = "zzyzx qwrtp"
    return texts, labels


@pytest.fixture(scope="module")
def data():
    texts, labels = _texts(260)
    v = tp.TopicVectorizer(stop_words="english", min_df=3, max_df=0.6)
    return v, v.fit_transform(texts), labels


def _sweep(v, X, run_seed, **kw):
    orig = tsweep._SeedRun._run_seed
    tsweep._SeedRun._run_seed = run_seed
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return tp.sweep_topics(X, vectorizer=v, **kw)
    finally:
        tsweep._SeedRun._run_seed = orig


def _same(a, b):
    pd.testing.assert_frame_equal(
        a.runs.drop(columns="fit_seconds"), b.runs.drop(columns="fit_seconds"), check_exact=True
    )
    pd.testing.assert_frame_equal(
        a.summary.drop(columns="fit_seconds"), b.summary.drop(columns="fit_seconds"),
        check_exact=True,
    )
    assert a.top_words == b.top_words
    assert a.notes == b.notes


@pytest.mark.parametrize(
    "kw",
    [
        dict(ks=[3, 5, 8, 10, 15, 20], seeds=[11, 12, 13], tol=1e-3, top_by="relevance", labels=True),
        dict(ks=[2, 4, 7], seeds=[5, 6], perturb="init", top_by="probability", n_jobs=2),
        dict(ks=[3, 6], seeds=[1, 2], perturb="subsample", max_iter=7, alpha_W=0.01, l1_ratio=0.5),
        dict(ks=[1, 2, 300], seeds=[3], tol=0.0, max_iter=15),
    ],
)
def test_sweep_same_as_fitting_each_k(data, kw):
    v, X, labels = data
    kw = dict(kw)
    if kw.pop("labels", False):
        kw["labels"] = labels
    new = _sweep(v, X, tsweep._SeedRun._run_seed, **kw)
    old = _sweep(v, X, _reference_run_seed, **kw)
    _same(new, old)


@pytest.mark.parametrize("scatter_bytes", [0, 1 << 40])
def test_sweep_same_with_either_product_kernel(data, monkeypatch, scatter_bytes):
    v, X, _ = data
    monkeypatch.setattr(tmodels, "SCATTER_BYTES", scatter_bytes)
    kw = dict(ks=[3, 5, 9], seeds=[7, 8], tol=1e-3)
    _same(_sweep(v, X, tsweep._SeedRun._run_seed, **kw), _sweep(v, X, _reference_run_seed, **kw))


def test_fit_nmf_many_same_models_as_fit(data):
    v, X, _ = data
    Xc = X[np.arange(20, X.shape[0])]
    tf = TfidfTransformer(sublinear_tf=True).fit(Xc)
    svd = randomized_svd(tf.transform(Xc), 12, random_state=4)
    specs = [(3, "nndsvd", 1), (12, "nndsvd", 2), (5, "random", 3), (8, "random", 3), (1, "nndsvd", 9)]

    def make(k, init, seed):
        return tp.TopicModel(k, vectorizer=v, init=init, random_state=seed, tol=1e-4)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        each = [make(*s).fit(Xc, _svd=svd) for s in specs]
        many = tbatch.fit_nmf_many([make(*s) for s in specs], Xc, svd)
    for a, b in zip(each, many, strict=True):
        np.testing.assert_array_equal(a.components_, b.components_)
        np.testing.assert_array_equal(a.train_doc_topic_, b.train_doc_topic_)
        np.testing.assert_array_equal(a.prevalence_, b.prevalence_)
        np.testing.assert_array_equal(a.term_prob_, b.term_prob_)
        np.testing.assert_array_equal(a.feature_names_, b.feature_names_)
        assert a.estimator_.n_iter_ == b.estimator_.n_iter_
        assert a.labels_ == b.labels_ and a.notes_ == b.notes_ and a.n_topics_ == b.n_topics_
        np.testing.assert_array_equal(a.transform(X), b.transform(X))
        assert b.fit_seconds_ > 0


def test_fit_nmf_many_refuses_other_methods(data):
    v, X, _ = data
    with pytest.raises(ValueError):
        tbatch.fit_nmf_many([tp.TopicModel(3, method="lda", vectorizer=v)], X)
    assert tbatch.fit_nmf_many([], X) == []


@pytest.mark.parametrize("by", ["probability", "relevance", "frex"])
def test_sweep_top_words_same_as_model_top_words(data, by):
    v, X, _ = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for k, init in ((2, "nndsvd"), (9, "random"), (40, "nndsvd")):
            m = tp.TopicModel(k, vectorizer=v, init=init, random_state=3).fit(X)
            for n in (1, 10, 25, 10_000):
                assert tsweep._top_words(m, n, by) == m.top_words(n, by=by)
