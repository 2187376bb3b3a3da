"""Tests for the scale work on helpers.topics (issue 12): the memory-bounded bootstrap,
responsibilities and passages give the same numbers as the plain implementations they
replaced (kept below as ``_reference_*``), and the large-corpus path is chosen, documented and
bounded as its page says.

Texts: sentences of the seed article (data/raw) recombined with a seeded generator, plus
unicode quotes, an empty text and a text with no known word.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfTransformer

from helpers import config
from helpers import topics as tp
from helpers.text import units
from helpers.topics import groups as tgroups
from helpers.topics import scale as tscale
from helpers.topics import tokens as ttokens
from helpers.topics.preprocess import TopicVectorizer


def _seed_sentences() -> list[str]:
    text = next(config.PROJECT_ROOT.joinpath("data", "raw").glob("*.txt")).read_text(encoding="utf-8")
    sents = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 5]
    assert len(sents) > 20
    return sents


def _texts(n: int, seed: int = 0) -> list[str]:
    """``n`` documents of 3-5 paragraphs of seed-article sentences; a few edge cases."""
    rng = np.random.default_rng(seed)
    sents = _seed_sentences()
    out = []
    for _ in range(n):
        paras = [
            " ".join(rng.choice(sents, size=rng.integers(2, 4), replace=False))
            for _ in range(rng.integers(3, 6))
        ]
        out.append("\n\n".join(paras))
    out[1] = ""
    out[2] = "“Zzyzx qwrt,” he said — «ok»."
    out[3] = out[3].replace('"', "“")
    return out


@pytest.fixture(scope="module")
def corpus():
    texts = _texts(120)
    rng = np.random.default_rng(1)
    return pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(len(texts))],
            "text": texts,
            "outlet": rng.choice(["A", "B", "C", "D"], size=len(texts)),
            "date": pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 700, len(texts)), "D"),
        }
    )


@pytest.fixture(scope="module")
def fitted(corpus):
    vec = tp.TopicVectorizer(min_df=2)
    counts = vec.fit_transform(corpus["text"])
    model = tp.TopicModel(4, vectorizer=vec).fit(counts)
    return model, counts


# ---------------------------------------------------------------- plain references (old code)
def _reference_prevalence(doc_topics, groups, n_boot, alpha, random_state, min_docs, documents):
    """The bootstrap as it was: every resample's document sums gathered at once."""
    cols = [c for c in doc_topics.columns if str(c).startswith("topic_")]
    theta = doc_topics[cols].to_numpy(dtype=float)
    g = pd.Series(list(groups), index=doc_topics.index)
    docs = pd.Series(list(documents), index=doc_topics.index)
    keep = (theta.sum(axis=1) > 0) & g.notna().to_numpy() & docs.notna().to_numpy()
    rng = np.random.default_rng(random_state)
    rows = []
    for name, idx in g[keep].groupby(g[keep], sort=True).groups.items():
        pos = doc_topics.index.get_indexer(idx)
        codes, _ = pd.factorize(docs.iloc[pos])
        n_docs = int(codes.max()) + 1
        sums = np.zeros((n_docs, len(cols)))
        np.add.at(sums, codes, theta[pos])
        sizes = np.bincount(codes, minlength=n_docs).astype(float)
        if n_docs < min_docs:
            continue
        mean = sums.sum(axis=0) / sizes.sum()
        if n_docs > 1 and n_boot > 0:
            draws = rng.integers(0, n_docs, size=(n_boot, n_docs))
            boots = sums[draws].sum(axis=1) / sizes[draws].sum(axis=1)[:, None]
            lo, hi = np.quantile(boots, [alpha / 2, 1 - alpha / 2], axis=0)
        else:
            lo = hi = mean
        for j in range(len(cols)):
            rows.append((name, j, mean[j], lo[j], hi[j]))
    return pd.DataFrame(rows, columns=["group", "topic", "prevalence", "low", "high"])


def _reference_responsibility(theta, phi, counts, topic):
    """Every occurrence's responsibility from one nonzeros x k array (the old code)."""
    coo = counts.tocoo()
    mix = (theta[coo.row] * phi[:, coo.col].T).sum(axis=1)
    return np.where(mix > 0, theta[coo.row, topic] * phi[topic, coo.col] / np.where(mix > 0, mix, 1), 0)


def _reference_coverage(model, texts):
    """Share of known terms per passage from a second pass (``oov_report``), as before."""
    oov = model.vectorizer_.oov_report(texts)
    return (oov["n_in_vocab"] / oov["n_terms"].where(oov["n_terms"] > 0)).fillna(0.0).to_numpy()


# ---------------------------------------------------------------- same numbers as before
@pytest.mark.parametrize("block", [1, 7, 10**9])
@pytest.mark.parametrize("paragraphs", [False, True])
def test_bootstrap_in_blocks_equals_reference(corpus, fitted, monkeypatch, block, paragraphs):
    model, counts = fitted
    table = units(corpus, "paragraph") if paragraphs else corpus
    c = model.vectorizer_.transform(table["text"]) if paragraphs else counts
    dt = model.doc_topics(c, ids=table["doc_id"])
    grp = table["doc_id"].map(corpus.set_index("doc_id")["outlet"])
    grp = grp.where(table.index % 11 != 0)  # some missing groups
    monkeypatch.setattr(tgroups, "BOOT_BLOCK_CELLS", block)
    for seed in (0, 42):
        new = tp.topic_prevalence(dt, grp, n_boot=101, random_state=seed, min_docs=3,
                                  documents=table["doc_id"])
        ref = _reference_prevalence(dt, grp, 101, 0.05, seed, 3, table["doc_id"])
        assert len(new) == len(ref) > 0
        for col in ("prevalence", "low", "high"):
            np.testing.assert_array_equal(new[col].to_numpy(), ref[col].to_numpy())
        assert new["group"].tolist() == ref["group"].tolist()


def test_bootstrap_draws_int32_same_stream():
    for n in (2, 999, 1000, 12345):
        a = np.random.default_rng(7).integers(0, n, size=(5, n))
        b = np.random.default_rng(7).integers(0, n, size=(5, n), dtype=np.int32)
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("block", [1, 13, 10**9])
def test_responsibility_in_blocks_equals_reference(fitted, monkeypatch, block):
    model, counts = fitted
    theta, phi = model.transform(counts), model.topic_term_
    coo = counts.tocoo()
    monkeypatch.setattr(tgroups, "NNZ_BLOCK", block)
    for topic in range(model.n_topics_):
        new = tgroups._responsibility(theta, phi, coo.row, coo.col, topic)
        np.testing.assert_array_equal(new, _reference_responsibility(theta, phi, counts, topic))


def test_distinguishing_terms_unchanged_by_block(corpus, fitted, monkeypatch):
    model, counts = fitted
    whole = tp.distinguishing_terms(model, counts, corpus["outlet"], topic=0, n=5)
    monkeypatch.setattr(tgroups, "NNZ_BLOCK", 5)
    pd.testing.assert_frame_equal(whole, tp.distinguishing_terms(model, counts, corpus["outlet"], topic=0, n=5))
    assert len(whole) > 0
    dt = model.doc_topics(counts, ids=corpus["doc_id"])  # the notebook's table: no second transform
    given = tp.distinguishing_terms(model, counts, corpus["outlet"], topic=0, n=5, doc_topics=dt)
    pd.testing.assert_frame_equal(whole, given)


def test_passages_coverage_from_one_pass(corpus, fitted):
    model, _ = fitted
    u = units(corpus, "paragraph")
    texts = u["text"].tolist() + ["", "“Zzyzx” said"]
    counts, n_terms = model.vectorizer_.transform_with_lengths(texts)
    assert (counts != model.vectorizer_.transform(texts)).nnz == 0
    known = np.asarray(counts.sum(axis=1)).ravel()
    cov = np.where(n_terms > 0, known / np.where(n_terms > 0, n_terms, 1), 0.0)
    np.testing.assert_array_equal(cov, _reference_coverage(model, texts))
    pas = tp.representative_passages(model, u, n=3, min_terms=4, max_per_doc=1)
    assert len(pas) and (pas.groupby(["topic", "doc_id"]).size() <= 1).all()


# ---------------------------------------------------------------- the large-corpus path
def test_plan_small_is_unchanged():
    plan = tp.plan_scale(500, method="nmf")
    assert not plan.large and plan.method == "nmf" and plan.chunk_docs is None
    np.testing.assert_array_equal(plan.sweep_rows, np.arange(500))
    assert "500" in plan.note and "large_corpus" in plan.note


def test_plan_medium_samples_the_sweep_only():
    plan = tp.plan_scale(10_000, method="nmf")
    assert plan.sampled and not plan.large and plan.method == "nmf" and plan.chunk_docs is None
    assert len(plan.sweep_rows) == tscale.SWEEP_DOCS and "sample of 2,000" in plan.note
    assert not tp.plan_scale(10_000, sweep_docs=None).sampled
    assert not tp.plan_scale(tscale.SWEEP_DOCS).sampled and tp.plan_scale(tscale.SWEEP_DOCS + 1).sampled


def test_plan_large_samples_and_streams():
    plan = tp.plan_scale(50_000, method="nmf", sweep_docs=3_000, random_state=3)
    assert plan.large and plan.method == "minibatch-nmf" and plan.chunk_docs == tscale.CHUNK_DOCS
    assert len(plan.sweep_rows) == 3_000 and np.all(np.diff(plan.sweep_rows) > 0)
    np.testing.assert_array_equal(plan.sweep_rows, tp.plan_scale(50_000, sweep_docs=3_000, random_state=3).sweep_rows)
    assert "50,000" in plan.note and "minibatch-nmf" in plan.note and "sample of 3,000" in plan.note
    assert tp.plan_scale(50_000, method="lda").method == "online-lda"
    assert tp.plan_scale(tscale.LARGE_CORPUS).large is False
    assert tp.plan_scale(tscale.LARGE_CORPUS + 1).large is True


def test_chunked_transform(corpus, fitted):
    model, counts = fitted
    whole = model.transform(counts)
    np.testing.assert_array_equal(whole, model.transform(counts, chunk_docs=None))
    chunked = model.transform(counts, chunk_docs=17)
    assert chunked.shape == whole.shape
    np.testing.assert_allclose(chunked.sum(axis=1), whole.sum(axis=1))
    assert (chunked.argmax(axis=1) == whole.argmax(axis=1)).mean() > 0.9
    lda = tp.TopicModel(3, method="online-lda", vectorizer=model.vectorizer_, random_state=0).fit(counts)
    np.testing.assert_allclose(lda.transform(counts, chunk_docs=17), lda.transform(counts), atol=1e-12)
    dt = lda.doc_topics(counts, ids=corpus["doc_id"], chunk_docs=50)
    assert list(dt["doc_id"]) == list(corpus["doc_id"])


def test_streaming_model_recovers_subjects():
    rng = np.random.default_rng(0)
    subjects = [
        "navy ships patrol islands coast guard vessels waters maritime fleet harbour".split(),
        "budget economy inflation markets investors shares profits growth bank interest".split(),
        "football match goals striker league cup stadium coach players season".split(),
    ]
    labels = rng.integers(0, 3, size=900)
    texts = [" ".join(rng.choice(subjects[j], size=30)) for j in labels]
    model = tp.TopicModel(3, method="minibatch-nmf", vectorizer=tp.TopicVectorizer(min_df=2, max_df=1.0),
                          random_state=0).fit(texts)
    dom = model.transform(texts, chunk_docs=200).argmax(axis=1)
    assert tp.label_agreement(labels, dom)["nmi"] > 0.9


def test_top_documents(fitted, corpus):
    model, counts = fitted
    dt = model.doc_topics(counts, ids=corpus["doc_id"])
    ids = tp.top_documents(dt, n=5)
    assert len(ids) == len(set(ids)) <= 5 * model.n_topics_
    for k in range(model.n_topics_):
        assert set(dt.nlargest(5, f"topic_{k}").query(f"topic_{k} > 0")["doc_id"]) <= set(ids)
    assert Counter(ids).most_common(1)[0][1] == 1


# ---------------------------------------------------------------- fast token counting
def _slow(monkeypatch):
    """Force the per-token reference path (the code every option used before)."""
    monkeypatch.setattr(TopicVectorizer, "_fast", lambda self: False)


def _fit_both(monkeypatch, texts, **kw):
    fast = TopicVectorizer(**kw)
    X_fast = fast.fit_transform(texts)
    with monkeypatch.context() as m:
        _slow(m)
        slow = TopicVectorizer(**kw)
        X_slow = slow.fit_transform(texts)
    return fast, X_fast, slow, X_slow


def _same_matrix(A, B):
    assert A.shape == B.shape and A.dtype == B.dtype
    assert A.indices.dtype == B.indices.dtype and A.has_sorted_indices and B.has_sorted_indices
    np.testing.assert_array_equal(A.indptr, B.indptr)
    np.testing.assert_array_equal(A.indices, B.indices)
    np.testing.assert_array_equal(A.data, B.data)


EDGE = ["", "   ", "the of and", "“Quoted” words — don’t stop «here»", "Zzyzx zzyzx ZZYZX said"]


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"min_df": 1, "max_df": 1.0},
        {"min_df": 3, "max_df": 0.3, "max_features": 40},
        {"stop_words": "english", "outlets": ["Global Times"], "extra_stop_words": ["japan"]},
        {"stop_words": None, "min_df": 2},
    ],
)
@pytest.mark.parametrize("chunk", [None, 700])
def test_fast_counting_equals_reference(monkeypatch, kw, chunk):
    if chunk:  # chunks of a few documents (by characters, the default chunking)
        monkeypatch.setattr(ttokens, "CHUNK_CHARS", chunk)
    texts = _texts(80, seed=3) + EDGE
    fast, X_fast, slow, X_slow = _fit_both(monkeypatch, texts, **kw)
    assert fast.vocabulary_ == slow.vocabulary_ and len(fast.vocabulary_) > 0
    pd.testing.assert_frame_equal(fast.report_, slow.report_)
    assert fast.notes_ == slow.notes_ and fast.seen_terms_ == slow.seen_terms_
    np.testing.assert_array_equal(fast.term_frequency_, slow.term_frequency_)
    np.testing.assert_array_equal(fast.document_frequency_, slow.document_frequency_)
    _same_matrix(X_fast, X_slow)
    new = _texts(30, seed=9) + EDGE
    with monkeypatch.context() as m:
        _slow(m)
        ref, ref_len = slow.transform_with_lengths(new)
    got, got_len = fast.transform_with_lengths(new)
    _same_matrix(got, ref)
    _same_matrix(fast.transform(new), ref)
    np.testing.assert_array_equal(got_len, ref_len)
    # analyze and oov_report: the non-stop tokens, in order, as the segment pass gave them
    with monkeypatch.context() as m:
        _slow(m)
        ref_terms = [fast.analyze(t) for t in new]
        ref_oov = fast.oov_report(new)
    assert [fast.analyze(t) for t in new] == ref_terms
    pd.testing.assert_frame_equal(fast.oov_report(new), ref_oov)


def _same_token_counts(a, b):
    assert a.types == b.types and a.n_raw == b.n_raw
    np.testing.assert_array_equal(a.stop, b.stop)
    np.testing.assert_array_equal(a.stop_counts, b.stop_counts)
    assert a.doc_term.shape == b.doc_term.shape and a.doc_term.dtype == b.doc_term.dtype
    for name in ("indptr", "indices", "data"):
        np.testing.assert_array_equal(getattr(a.doc_term, name), getattr(b.doc_term, name))


@pytest.mark.parametrize("chars", [1, 500, 20_000, ttokens.CHUNK_CHARS])
def test_chunks_by_characters_equal_one_pass(monkeypatch, chars):
    """Chunking by characters (the default) gives the counts of one pass over every text
    (one chunk), for documents and for their paragraphs; and of the 2,000-document chunks."""
    docs = _real_texts(600) + EDGE
    paras = units(pd.DataFrame({"doc_id": range(len(docs)), "text": docs}), "paragraph")["text"].tolist()
    vec = TopicVectorizer(outlets=["Global Times"]).fit(docs)
    monkeypatch.setattr(ttokens, "CHUNK_CHARS", chars)
    for texts in (docs, paras, EDGE, []):
        one = ttokens.count_tokens(texts, vec._pattern, vec._is_stop, chunk_docs=max(1, len(texts)))
        got = ttokens.count_tokens(texts, vec._pattern, vec._is_stop)
        _same_token_counts(got, one)
        _same_token_counts(ttokens.count_tokens(texts, vec._pattern, vec._is_stop, chunk_docs=7), one)
    bounds = ttokens._chunk_bounds(paras, None)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(paras)
    assert all(a < b for a, b in bounds) and all(b == c for (_, b), (c, _) in zip(bounds, bounds[1:], strict=False))


def test_fast_counting_small_corpus_notes(monkeypatch):
    texts = ["Ships patrol the islands", "He said ships sail", ""]
    fast, X_fast, slow, X_slow = _fit_both(monkeypatch, texts)
    assert fast.notes_ == slow.notes_ and fast.notes_
    pd.testing.assert_frame_equal(fast.report_, slow.report_)
    _same_matrix(X_fast, X_slow)


def test_fast_counting_all_empty(monkeypatch):
    fast, X_fast, slow, X_slow = _fit_both(monkeypatch, ["", "the and"], min_df=1)
    assert fast.vocabulary_ == slow.vocabulary_ == {}
    pd.testing.assert_frame_equal(fast.report_, slow.report_)
    assert X_fast.shape == X_slow.shape == (2, 0)


# ---------------------------------------------- NMF shares and FREX ranks (identical output)
def _reference_ecdf_rows(M):
    ranks = M.argsort(axis=1, kind="stable").argsort(axis=1, kind="stable") + 1
    return ranks / M.shape[1]


def test_ecdf_rows_equals_reference():
    from helpers.topics import terms as tterms

    rng = np.random.default_rng(0)
    for M in (rng.random((5, 40)), rng.integers(0, 4, (7, 30)).astype(float), np.zeros((2, 3)),
              np.zeros((0, 4)), np.ones((3, 1))):
        new = tterms._ecdf_rows(M)
        np.testing.assert_array_equal(new, _reference_ecdf_rows(M))
        assert new.dtype == _reference_ecdf_rows(M).dtype


def _same_nmf(a, b, Xw):
    assert a.n_iter_ == b.n_iter_ and a.reconstruction_err_ == b.reconstruction_err_
    np.testing.assert_array_equal(a.components_, b.components_)
    for rows in (Xw, Xw[90:], Xw[:1], Xw.tocsc()):
        np.testing.assert_array_equal(a.transform(rows), b.transform(rows))


@pytest.mark.parametrize("k", [1, 4, 7])
@pytest.mark.parametrize("reg", [{}, {"alpha_W": 1e-4, "l1_ratio": 0.5}, {"alpha_W": 1e-4}])
@pytest.mark.parametrize("scatter_bytes", [None, 0, 1 << 40])  # default, always gather, scatter
@pytest.mark.filterwarnings("ignore:Maximum number of iterations")  # both solvers hit max_iter alike
def test_nmf_equals_sklearn(fitted, k, reg, scatter_bytes, monkeypatch):
    """The coordinate descent on reusable products gives scikit-learn's W and H bit for bit
    (every start the project uses; fit, and transform of the training and of new rows), with
    either of scipy's product kernels."""
    from sklearn.decomposition import NMF
    from sklearn.utils.extmath import randomized_svd

    from helpers.topics import models as tmodels

    if scatter_bytes is not None:
        monkeypatch.setattr(tmodels, "SCATTER_BYTES", scatter_bytes)
    _, counts = fitted
    Xw = tp.TopicModel(k, vectorizer=fitted[0].vectorizer_).fit(counts)._weight(counts)
    for init in ("nndsvd", "random"):
        kw = dict(n_components=k, init=init, solver="cd", max_iter=400, tol=1e-4, alpha_H="same",
                  random_state=3, **reg)
        fast, ref = tmodels._NMF(**kw), NMF(**kw)
        W_fast, W_ref = fast.fit_transform(Xw[:90]), ref.fit_transform(Xw[:90])
        np.testing.assert_array_equal(W_fast, W_ref)
        _same_nmf(fast, ref, Xw)
    # the sweep's start from a shared SVD
    W0, H0 = tmodels._nndsvd_from_svd(*randomized_svd(Xw, k, random_state=0), k, fill_seed=1,
                                      fill_scale=float(Xw.mean()))
    kw.update(init="custom")
    fast, ref = tmodels._NMF(**kw), NMF(**kw)
    np.testing.assert_array_equal(fast.fit_transform(Xw, W=W0.copy(), H=H0.copy()),
                                  ref.fit_transform(Xw, W=W0.copy(), H=H0.copy()))
    _same_nmf(fast, ref, Xw)
    assert isinstance(tp.TopicModel(k)._make_estimator(k), tmodels._NMF)


@pytest.mark.parametrize("scatter_bytes", [0, 1 << 40])
def test_sparse_product_kernels_equal_scipy(scatter_bytes, monkeypatch):
    """Both kernels of ``_SparseProduct`` give ``A @ B`` bit for bit on sorted rows (real tf-idf
    and a wide random matrix), and the scatter is refused for rows in another order."""
    from scipy import sparse

    from helpers.topics import models as tmodels

    monkeypatch.setattr(tmodels, "SCATTER_BYTES", scatter_bytes)
    rng = np.random.default_rng(0)
    vec = tp.TopicVectorizer(min_df=1)
    X = TfidfTransformer(sublinear_tf=True).fit_transform(vec.fit_transform(_texts(200))).tocsr()
    wide = sparse.random(30, 4000, density=0.05, format="csr", random_state=1)
    for A in (X, X.T.tocsr(), wide, wide.T.tocsr()):
        AT = A.T.tocsr()
        for k in (1, 3, 20):
            B = rng.random((A.shape[1], k))
            prod = tmodels._SparseProduct(A, AT, k)
            np.testing.assert_array_equal(prod(B), A @ B)
            np.testing.assert_array_equal(prod(B * 2), A @ (B * 2))  # the buffer is reused
    # entries of a row out of column order: only the gather adds them as scipy does
    U = X.copy()
    for i in range(U.shape[0]):
        a, b = U.indptr[i], U.indptr[i + 1]
        U.indices[a:b], U.data[a:b] = U.indices[a:b][::-1].copy(), U.data[a:b][::-1].copy()
    U.has_sorted_indices = False
    prod = tmodels._SparseProduct(U, U.T.tocsr(), 4, can_scatter=bool(U.has_canonical_format))
    assert not prod.scatter
    B = rng.random((U.shape[1], 4))
    np.testing.assert_array_equal(prod(B), U @ B)


def _reference_top_order(values, n):
    return np.argsort(-values, kind="stable")[:n]


def test_top_order_equals_full_sort(fitted):
    """The partial sort gives the full stable sort's first n positions (ties, -0.0, ±inf, NaN,
    every n), and the model's term tables and labels are those of the full sort."""
    from helpers.topics import terms as tterms

    rng = np.random.default_rng(0)
    rows = [rng.random(50), rng.integers(0, 3, 60).astype(float), np.zeros(7), np.array([-0.0, 0.0, 0.0]),
            np.array([np.inf, -np.inf, 1.0, np.nan, 1.0, -np.inf]), np.array([np.nan, np.nan, 2.0]),
            np.array([]), np.array([5.0])]
    model, _ = fitted
    for by in ("probability", "relevance", "frex"):
        rows.extend(tterms._term_scores(model.topic_term_, model.term_prob_, by, 0.6, 0.7)[0])
    for v in rows:
        for n in range(0, len(v) + 2):
            np.testing.assert_array_equal(tterms._top_order(v, n), _reference_top_order(v, n))


_EDGE = ["Café “naïve” façade — ok", "İstanbul’s KELVIN \u212a test", "ﬁnance ² x_y abc_def", "straße über",
         "مرحبا بالعالم news", "中文 words here", "e\u0301cole combining", "dash–dash … ‘quoted’ don’t", "",
         "ALLCAPS Mixed123abc abc123 __init__ a1b2c3 ab", "\u00a0non\u2009breaking\u200bspaces"]


def _real_texts(n: int = 600) -> list[str]:
    path = config.PROJECT_ROOT / "benchmarks" / "results" / "scale" / "corpus-2k.jsonl"
    texts = _texts(60)
    if path.exists():
        import json

        with path.open(encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for _, line in zip(range(n), f, strict=False)]
    return texts + _EDGE


def test_ascii_tokens_equal_default_pattern():
    """The default pattern's ASCII form finds the same tokens wherever it is used (seed and
    corpus-2k texts, non-ASCII letters, marks, digits and spaces); other patterns are untouched."""
    pat = re.compile(tp.preprocess.DEFAULT_TOKEN_PATTERN)
    find = ttokens.find_tokens(pat)
    used = 0
    texts = _real_texts()
    for t in texts:
        low = t.lower()
        assert find(low) == pat.findall(low), t[:80]
        used += ttokens._plain(low)
    # the ASCII path really ran on real text: most texts (corpus-2k is absent on a clean clone,
    # where the seed's paragraphs and the edge texts remain)
    assert used >= min(100, len(texts) // 2), (used, len(texts))
    assert not ttokens._plain("café") and ttokens._plain("“quoted” — ok")
    other = re.compile(r"(?u)\b\w\w+\b")
    assert ttokens.find_tokens(other) == other.findall
    vec = tp.TopicVectorizer(min_df=1).fit(_real_texts(200))
    for t in _EDGE:
        assert vec.analyze(t) == [w for w in pat.findall(t.lower()) if not vec._is_stop(w)]


def test_sweep_measures_equal_plain_fits(corpus):
    """The sweep's fits skip the labels and share NPMI's presence matrix: their top words, NPMI
    and diversity are those of a plainly fitted, labelled model measured by npmi_coherence."""
    import warnings

    from helpers.topics.metrics import npmi_coherence

    vec = tp.TopicVectorizer(min_df=2)
    counts = vec.fit_transform(corpus["text"])
    names = vec.get_feature_names_out()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = tp.sweep_topics(counts, ks=[2, 4], seeds=[1, 2], vectorizer=vec, tol=1e-3)
        for _, run in res.runs.iterrows():
            top = res.top_words[(run["k"], run["seed"], run["perturb"])]
            assert run["npmi"] == float(npmi_coherence(top, counts, names, 10)["npmi"].mean())
            if run["perturb"] == "init":
                m = tp.TopicModel(run["k"], vectorizer=vec, init="random", random_state=run["seed"],
                                  tol=1e-3).fit(counts)
                assert m.labels_ and not m.labels_[0].isdigit()
                assert [t[:10] for t in m.top_words(25, by="relevance")] == top
