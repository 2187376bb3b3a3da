"""Tests for helpers.topics (with helpers.topics.metrics), helpers.cli.topics and helpers.plots.topics.

Hand-built corpora with known structure check each capability. The validation protocol (tune
part chooses, locked part scores) is checked on a synthetic labelled file with the layout of
the BBC dev split; the BBC dev split itself (skipped when ../shared/eval is absent) is only
used to check that it splits cleanly and that the shipped stop list is the tune part's choice.
It is never used to score the method here: scoring is ``validate all``'s job, on the locked part.
"""

from __future__ import annotations

import json

import matplotlib
import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from helpers import topics as tp
from helpers.cli import topics as topics_cli
from helpers.text import units
from helpers.topics import metrics as tm
from helpers.topics.models import _nndsvd_from_svd
from helpers.topics.terms import _term_scores

matplotlib.use("Agg")

# Three unmistakable subjects, 12 documents each, with boilerplate mixed in.
SUBJECTS = {
    "sea": "navy ships patrol islands coast guard vessels waters maritime fleet harbour",
    "money": "budget economy inflation markets investors shares profits growth bank interest",
    "sport": "football match goals striker league cup stadium coach players season",
}


def make_corpus(n_per: int = 12, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for label, words in SUBJECTS.items():
        vocab = words.split()
        for i in range(n_per):
            picked = rng.choice(vocab, size=25, replace=True)
            text = (
                f"Reuters reported on Monday in January that {' '.join(picked)}. "
                f"He said the Daily Planet staff told readers."
            )
            rows.append(
                {
                    "doc_id": f"{label}{i}",
                    "text": text,
                    "label": label,
                    "outlet": "Daily Planet" if i % 2 else "Morning Star",
                    "date": pd.Timestamp("2020-01-15") + pd.DateOffset(months=i % 4),
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def toy():
    return make_corpus()


@pytest.fixture(scope="module")
def toy_model(toy):
    vec = tp.TopicVectorizer(min_df=2, outlets=tp.outlet_stop_words(toy))
    return tp.TopicModel(3, vectorizer=vec).fit(toy["text"])


# ---------------------------------------------------------------- metrics
def test_npmi_formula_by_hand():
    # a,b always together (NPMI 1); a,c never together (-1); b,c never (-1)
    X = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1]])
    res = tm.npmi_coherence([["a", "b", "c"]], X, ["a", "b", "c"], n_top=3)
    assert res.loc[0, "n_pairs"] == 3
    assert res.loc[0, "npmi"] == pytest.approx((1 - 1 - 1) / 3)
    # partial co-occurrence: P(a)=3/4, P(b)=2/4, P(a,b)=2/4
    X2 = np.array([[1, 1], [1, 1], [1, 0], [0, 0]])
    expected = np.log(0.5 / (0.75 * 0.5)) / -np.log(0.5)
    assert tm.npmi_coherence([["a", "b"]], X2, ["a", "b"])["npmi"][0] == pytest.approx(expected)


def test_npmi_unknown_words_counted_and_skipped():
    res = tm.npmi_coherence([["a", "zzz"], ["a", "b"]], np.eye(2), ["a", "b"])
    assert np.isnan(res.loc[0, "npmi"]) and res.loc[0, "n_missing"] == 1
    assert res.loc[1, "npmi"] == -1.0


def test_diversity_and_stability():
    assert tm.topic_diversity([["a", "b"], ["a", "c"]], 2) == 0.75
    runs = [[["a", "b"], ["c", "d"]], [["c", "d"], ["a", "b"]], [["c", "x"], ["a", "b"]]]
    value, pairs = tm.topic_stability(runs, n_top=2)
    # pairs: (0,1)=1, (0,2)=(1+1/3)/2, (1,2)=(1/3+1)/2
    assert value == pytest.approx((1 + 2 * (2 / 3)) / 3)
    assert len(pairs) == 3 and pairs["min_jaccard"].min() == pytest.approx(1 / 3)


def test_match_topics_unequal_sizes():
    m = tm.match_topics([["a"], ["b"], ["c"]], [["c"], ["a"]])
    assert dict(zip(m["topic_a"], m["topic_b"], strict=True)) == {0: 1, 1: -1, 2: 0}
    m2 = tm.match_topics([["a"]], [["b"], ["a"]])
    assert (-1, 0) in set(zip(m2["topic_a"], m2["topic_b"], strict=True))


def test_label_agreement_and_purity():
    assert tm.purity(["a", "a", "b", "b"], [0, 0, 0, 1]) == 0.75
    res = tm.label_agreement(["a", "a", None, "b"], [1, 1, 0, 0])
    assert res["n"] == 3 and res["nmi"] == pytest.approx(1.0)


# ---------------------------------------------------------------- preprocessing
def test_news_stop_words_and_categories():
    words, prefixes = tp.load_news_stop_words()
    assert {"said", "monday", "january", "reuters"} <= words
    assert "say" in prefixes
    w2, _ = tp.load_news_stop_words(categories=["weekdays"])
    assert "monday" in w2 and "january" not in w2
    with pytest.raises(KeyError, match="available"):
        tp.load_news_stop_words(categories=["nope"])


def test_vectorizer_removes_boilerplate_and_reports(toy):
    vec = tp.TopicVectorizer(min_df=2, outlets=tp.outlet_stop_words(toy))
    X = vec.fit_transform(toy["text"])
    vocab = set(vec.get_feature_names_out())
    assert not vocab & {"said", "reuters", "monday", "january", "daily", "planet", "staff", "told"}
    assert {"navy", "budget", "football"} <= vocab
    assert X.shape == (len(toy), len(vocab))
    rep = vec.report_.set_index("step")
    assert rep.loc["stop words", "tokens_removed"] > 0
    assert rep.loc["final", "tokens_left"] == X.sum()


def test_vectorizer_df_trimming_reported():
    texts = ["common gamma alpha"] * 20 + ["common beta alpha"] * 19 + ["common beta lonely"]
    vec = tp.TopicVectorizer(stop_words=None, min_df=2, max_df=0.9)
    vec.fit(texts)
    vocab = set(vec.get_feature_names_out())
    assert vocab == {"beta", "gamma"}  # common: 100 % > 90 %; alpha: 39/40; lonely: 1 doc
    rep = vec.report_.set_index("step")
    assert rep.loc["max_df (> 36 docs)", "terms_removed"] == 2
    assert rep.loc["min_df (< 2 docs)", "terms_removed"] == 1
    assert rep.loc["min_df (< 2 docs)", "tokens_removed"] == 1


def test_lemmatize_and_collocations():
    texts = ["prime minister visits islands; the islands' ships sailed"] * 12 + [
        "prime minister speaks about ships and island"
    ] * 12
    vec = tp.TopicVectorizer(
        min_df=1, max_df=1.0, lemmatize=True, collocations=True, collocation_min_count=5
    )
    vec.fit(texts)
    vocab = set(vec.get_feature_names_out())
    assert "prime_minister" in vocab
    assert "island" in vocab and "islands" not in vocab
    assert ("prime", "minister") in vec.collocations_


def test_small_corpus_adjusts_df_and_notes():
    vec = tp.TopicVectorizer(min_df=5, max_df=0.5)
    X = vec.fit_transform(["Japan seeks NATO support against China", "China patrols islands"])
    assert X.shape[1] > 0
    assert any("min_df lowered" in n for n in vec.notes_)


def test_oov_report_distinguishes_unseen_from_trimmed(toy):
    vec = tp.TopicVectorizer(min_df=2).fit(toy["text"])
    rep = vec.oov_report(["navy ships zeppelins zeppelins", "said monday"], ids=["a", "b"])
    a = rep.set_index("doc_id").loc["a"]
    assert a["n_terms"] == 4 and a["n_in_vocab"] == 2 and a["oov_rate"] == 0.5
    assert "zeppelins" in a["top_oov"]
    assert np.isnan(rep.set_index("doc_id").loc["b", "oov_rate"])  # only stop words


# ---------------------------------------------------------------- models
def test_nmf_recovers_subjects_deterministically(toy, toy_model):
    dt = toy_model.doc_topics(toy["text"], ids=toy["doc_id"])
    assert tm.label_agreement(toy["label"], dt["dominant_topic"])["nmi"] == pytest.approx(1.0)
    assert np.allclose(dt.filter(like="topic_").sum(axis=1), 1.0)
    again = tp.TopicModel(3, vectorizer=tp.TopicVectorizer(min_df=2)).fit(toy["text"])
    assert again.top_words(5) == tp.TopicModel(3, vectorizer=tp.TopicVectorizer(min_df=2)).fit(
        toy["text"]
    ).top_words(5)


@pytest.mark.parametrize("method", ["lda", "online-lda", "minibatch-nmf"])
def test_other_methods_recover_subjects(toy, method):
    m = tp.TopicModel(3, method=method, vectorizer=tp.TopicVectorizer(min_df=2), max_iter=50)
    m.fit(toy["text"])
    dom = m.doc_topics(toy["text"])["dominant_topic"]
    assert tm.label_agreement(toy["label"], dom)["nmi"] > 0.8
    if "lda" in method:
        assert np.isfinite(m.perplexity(toy["text"]))


@pytest.mark.parametrize("method", ["online-lda", "minibatch-nmf"])
def test_partial_fit_streams_chunks(toy, method):
    # the first chunk fixes the vocabulary, so fit the vectorizer on a sample first
    vec = tp.TopicVectorizer(min_df=1).fit(toy["text"].sample(18, random_state=0))
    m = tp.TopicModel(3, method=method, vectorizer=vec, random_state=1, batch_size=12)
    shuffled = toy.sample(frac=1.0, random_state=0)
    for chunk in np.array_split(shuffled["text"].to_numpy(), 3):
        m.partial_fit(list(chunk))
    dom = m.doc_topics(toy["text"])["dominant_topic"]
    assert tm.label_agreement(toy["label"], dom)["nmi"] > 0.8
    with pytest.raises(ValueError, match="partial_fit"):
        tp.TopicModel(3, method="nmf").partial_fit(["a b c"])


def test_fewer_documents_than_topics_does_not_crash():
    m = tp.TopicModel(10, vectorizer=tp.TopicVectorizer()).fit(
        [
            "Japan seeks NATO support against China over islands",
            "China patrols disputed islands near Japan",
        ]
    )
    assert m.n_topics_ == 2
    assert any("fitted 2" in n for n in m.notes_)
    dt = m.doc_topics(["no known words here at all", "NATO Japan"])
    assert dt.loc[0, "dominant_topic"] == -1 and dt.loc[1, "dominant_topic"] >= 0


def test_empty_vocabulary_error_is_explained():
    with pytest.raises(ValueError, match="No vocabulary"):
        tp.TopicModel(2, vectorizer=tp.TopicVectorizer()).fit(["the and of", "said the"])


def test_topic_terms_rankings(toy_model):
    prob = toy_model.topic_terms(5, by="probability")
    rel = toy_model.topic_terms(5, by="relevance", lam=0.6)
    frex = toy_model.topic_terms(5, by="frex")
    for t in (prob, rel, frex):
        assert list(t.columns) == [
            "topic",
            "label",
            "rank",
            "term",
            "score",
            "probability",
            "exclusivity",
            "lift",
        ]
        assert len(t) == 15
    # within a topic, probability ranking is by descending probability
    g = prob[prob["topic"] == 0]
    assert g["probability"].is_monotonic_decreasing
    # the subjects are disjoint, so every top word is (almost) exclusive to its topic
    assert frex["exclusivity"].min() > 0.9
    with pytest.raises(ValueError, match="relevance"):
        toy_model.topic_terms(by="nonsense")


def test_relevance_penalises_globally_frequent_words():
    phi = np.array([[0.5, 0.3, 0.2], [0.5, 0.1, 0.4]])
    p_w = np.array([0.5, 0.2, 0.3])
    scores, _, _ = _term_scores(phi, p_w, "relevance", 0.0, 0.7)
    # with lambda 0 relevance is lift: word 1 (0.3/0.2) beats the shared word 0 (0.5/0.5)
    assert scores[0].argmax() == 1


def test_labels_unique_and_from_topic_words(toy_model):
    labels = toy_model.labels_
    assert len(set(labels)) == 3
    words = {w for lab in labels for w in lab.split(" · ")}
    assert words <= set(" ".join(SUBJECTS.values()).split()) | {"reuters"}


def test_representative_documents_and_passages(toy, toy_model):
    reps = tp.representative_documents(toy_model, toy, n=2)
    assert set(reps["topic"]) == {0, 1, 2}
    # each topic's best document is of one subject and all its examples agree
    lab = dict(zip(toy["doc_id"], toy["label"], strict=True))
    for _, g in reps.groupby("topic"):
        assert len({lab[d] for d in g["doc_id"]}) == 1
    u = units(toy.assign(text=toy["text"]), "sentence")
    pas = tp.representative_passages(toy_model, u, n=2, min_terms=3)
    assert not pas.empty and (pas.groupby(["topic", "doc_id"]).size() <= 1).all()
    assert pas["text"].str.contains("said").sum() == 0  # boilerplate sentence never wins


def test_topic_map_geometry(toy_model):
    mp = tp.topic_map(toy_model)
    assert list(mp.columns) == ["topic", "label", "x", "y", "prevalence", "nearest", "js_nearest"]
    D = mp.attrs["distances"]
    assert (
        np.allclose(D, D.T)
        and np.allclose(np.diag(D), 0)
        and (D[~np.eye(3, dtype=bool)] > 0.5).all()
    )
    assert mp["prevalence"].sum() == pytest.approx(1.0)


# ---------------------------------------------------------------- groups and time
def test_topic_prevalence_bootstrap_intervals():
    dt = pd.DataFrame({"topic_0": [1.0] * 10 + [0.0] * 10, "topic_1": [0.0] * 10 + [1.0] * 10})
    groups = ["A"] * 10 + ["B"] * 5 + ["A"] * 5
    res = tp.topic_prevalence(dt, groups, n_boot=200).set_index(["group", "topic"])
    assert res.loc[("A", 0), "prevalence"] == pytest.approx(10 / 15)
    assert res.loc[("B", 1), "prevalence"] == 1.0
    assert res.loc[("B", 1), "low"] == res.loc[("B", 1), "high"] == 1.0  # no variation
    a = res.loc[("A", 0)]
    assert a["low"] < a["prevalence"] < a["high"]
    # deterministic with the same seed
    again = tp.topic_prevalence(dt, groups, n_boot=200).set_index(["group", "topic"])
    pd.testing.assert_frame_equal(res, again)


def test_topic_prevalence_skips_empty_docs_and_missing_groups():
    dt = pd.DataFrame({"topic_0": [0.0, 1.0, 1.0], "topic_1": [0.0, 0.0, 0.0]})
    res = tp.topic_prevalence(dt, [None, "A", "A"], n_boot=10)
    assert set(res["n_docs"]) == {2}


def test_topic_prevalence_resamples_documents_not_paragraphs():
    # group A: two articles of 10 paragraphs, one all topic 0, the other all topic 1.
    # The data hold two documents: the share of topic 0 could as well be 0, 0.5 or 1.
    # Resampling the 20 paragraphs as if independent gives a narrow interval around 0.5.
    dt = pd.DataFrame({"topic_0": [1.0] * 10 + [0.0] * 10, "topic_1": [0.0] * 10 + [1.0] * 10})
    docs = ["d1"] * 10 + ["d2"] * 10
    res = tp.topic_prevalence(dt, ["A"] * 20, n_boot=400, documents=docs)
    row = res.set_index(["group", "topic"]).loc[("A", 0)]
    assert row["prevalence"] == pytest.approx(0.5)
    assert row["n_docs"] == 2 and row["n_units"] == 20
    assert row["low"] == 0.0 and row["high"] == 1.0
    naive = tp.topic_prevalence(dt, ["A"] * 20, n_boot=400).set_index(["group", "topic"])
    assert naive.loc[("A", 0), "high"] - naive.loc[("A", 0), "low"] < 0.6
    # paragraph shares are still averaged over paragraphs (unequal documents weigh by size)
    uneven = tp.topic_prevalence(dt.iloc[:15], ["A"] * 15, documents=docs[:15], n_boot=50)
    assert uneven.set_index("topic").loc[0, "prevalence"] == pytest.approx(10 / 15)


def test_date_bins():
    d = pd.Series(pd.to_datetime(["2019-01-03", "2019-02-10", None]))
    assert tp.date_bins(d).tolist()[:2] == ["2019-01", "2019-02"]
    assert pd.isna(tp.date_bins(d).iloc[2])
    long = pd.Series(pd.date_range("2000-01-01", periods=40, freq="180D"))
    assert tp.date_bins(long).str.fullmatch(r"\d{4}").all()  # ~20 years -> yearly bins


def test_distinguishing_terms_within_topic():
    base = "navy ships patrol islands coast fleet maritime waters vessels "
    texts = [base + "destroyer frigate"] * 20 + [base + "trawler fishermen"] * 20
    texts += ["budget economy markets shares profits bank growth inflation"] * 40
    groups = ["A"] * 20 + ["B"] * 20 + ["A"] * 20 + ["B"] * 20
    m = tp.TopicModel(2, vectorizer=tp.TopicVectorizer(min_df=2, max_df=1.0)).fit(texts)
    sea = int(np.argmax([("navy" in " ".join(w)) for w in m.top_words(10)]))
    res = tp.distinguishing_terms(m, texts, groups, topic=sea, n=3)
    top = res[res["rank"] == 0].set_index("group")["term"]
    assert top["A"] in {"destroyer", "frigate"} and top["B"] in {"trawler", "fishermen"}
    assert (res.groupby("group")["z"].max() > 1.96).all()


# ---------------------------------------------------------------- sweep and new data
def test_sweep_reports_measures_and_stability(toy):
    vec = tp.TopicVectorizer(min_df=2)
    res = tp.sweep_topics(
        toy["text"], ks=[2, 3, 6], seeds=[1, 2], vectorizer=vec, labels=toy["label"], n_top=5
    )
    s = res.summary.set_index("k")
    # both perturbations by default: 3 k x 2 seeds x (random start, subsample)
    assert list(s.index) == [2, 3, 6] and len(res.runs) == 12
    assert set(res.runs["perturb"]) == {"init", "subsample"}
    assert s.loc[3, "nmi"] == pytest.approx(1.0)
    # three clean subjects at k = 3: every start and every 90 % of documents finds them (the
    # order of a subject's ten equally likely words is noise, so compare subjects, not ranks)
    subject = {w: k for k, ws in SUBJECTS.items() for w in ws.split()}
    for (k, _, _), top in res.top_words.items():
        if k == 3:
            assert sorted(len({subject[w] for w in words}) for words in top) == [1, 1, 1]
            assert {subject[words[0]] for words in top} == set(SUBJECTS)
    assert s.loc[3, "stability"] == min(s.loc[3, "stability_init"], s.loc[3, "stability_subsample"])
    assert s.loc[3, "npmi"] > s.loc[6, "npmi"]  # splitting clean subjects costs coherence
    for col in ("diversity_10", "diversity_25", "stability_min", "perplexity"):
        assert col in s.columns
    assert (3, 1, "init") in res.top_words and (3, 2, "subsample") in res.top_words


def ambiguous_texts(n: int = 90, seed: int = 0) -> list[str]:
    """Six equally strong themes of eight words each: four topics can merge them many ways."""
    rng = np.random.default_rng(seed)
    themes = [[f"t{chr(97 + t)}{chr(97 + j)}" for j in range(8)] for t in range(6)]
    return [" ".join(rng.choice(themes[i % 6], size=12)) for i in range(n)]


def test_stability_across_seeds_is_not_one_by_construction():
    # The old sweep refitted NMF from the deterministic NNDSVD start for every seed: stability
    # was 1.0 here however ambiguous the topics. Random starts must be able to disagree.
    texts = ambiguous_texts()
    vec = tp.TopicVectorizer(stop_words=None, min_df=2, max_df=1.0)
    res = tp.sweep_topics(texts, ks=[4], seeds=[1, 2, 3, 4], vectorizer=vec, perturb="init")
    assert res.summary.loc[0, "stability"] < 0.9
    X = vec.fit_transform(texts)
    a = tp.TopicModel(4, vectorizer=vec, init="random", random_state=1).fit(X)
    b = tp.TopicModel(4, vectorizer=vec, init="random", random_state=2).fit(X)
    assert not np.allclose(a.components_, b.components_)


def test_sweep_reports_both_stabilities_and_takes_the_lower():
    texts = ambiguous_texts()
    vec = tp.TopicVectorizer(stop_words=None, min_df=2, max_df=1.0)
    res = tp.sweep_topics(texts, ks=[4], seeds=[1, 2, 3], vectorizer=vec)  # perturb="both"
    row = res.summary.iloc[0]
    assert row["stability"] == min(row["stability_init"], row["stability_subsample"])
    assert row["stability_subsample"] < 1.0  # each seed fits different documents
    with pytest.raises(ValueError, match="init"):
        tp.TopicModel(2, init="nndsvda").fit(texts)


def test_sweep_subsample_and_lda_perplexity(toy):
    vec = tp.TopicVectorizer(min_df=2)
    res = tp.sweep_topics(
        toy["text"],
        ks=[3],
        seeds=[1, 2],
        vectorizer=vec,
        method="lda",
        perturb="subsample",
        subsample=0.8,
        max_iter=30,
    )
    assert np.isfinite(res.summary.loc[0, "perplexity"])
    with pytest.raises(ValueError, match="perturb"):
        tp.sweep_topics(toy["text"], ks=[3], perturb="nope")


def test_shared_svd_start_matches_sklearn_nndsvd(toy):
    from sklearn.decomposition._nmf import _initialize_nmf
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.utils.extmath import randomized_svd

    vec = tp.TopicVectorizer(min_df=2)
    X = TfidfTransformer(sublinear_tf=True).fit_transform(vec.fit_transform(toy["text"]))
    svd = randomized_svd(X, 3, random_state=0)
    W, H = _nndsvd_from_svd(*svd, 3)
    W2, H2 = _initialize_nmf(X, 3, init="nndsvd", random_state=0)
    assert np.allclose(W, W2, atol=1e-8) and np.allclose(H, H2, atol=1e-8)


def test_align_models_across_refits(toy):
    first, second = toy.iloc[::2], toy.iloc[1::2]
    m1 = tp.TopicModel(3, vectorizer=tp.TopicVectorizer(min_df=2)).fit(first["text"])
    m2 = tp.TopicModel(3, vectorizer=tp.TopicVectorizer(min_df=2)).fit(second["text"])
    al = tp.align_models(m1, m2, n_top=5)
    assert len(al) == 3 and sorted(al["topic_b"]) == [0, 1, 2]
    subject = {w: k for k, ws in SUBJECTS.items() for w in ws.split()}
    for a, b in zip(al["topic_a"], al["topic_b"], strict=True):
        assert subject[m1.top_words(1)[a][0]] == subject[m2.top_words(1)[b][0]]
    assert (al["jaccard"] > 0.2).all()


def test_transform_counts_requires_fitted_vectorizer(toy):
    with pytest.raises(ValueError, match="fitted vectorizer"):
        tp.TopicModel(2).fit(sparse.csr_matrix(np.ones((3, 3))))


# ---------------------------------------------------------------- seed corpus
def test_seed_article_paragraphs_model(seed_corpus):
    paras = units(seed_corpus, "paragraph")
    m = tp.TopicModel(20, vectorizer=tp.TopicVectorizer(outlets=tp.outlet_stop_words(seed_corpus)))
    m.fit(paras["text"])
    assert 1 <= m.n_topics_ <= len(paras)
    vocab = set(m.feature_names_)
    assert "nato" in vocab and "said" not in vocab and "global" not in vocab


# ---------------------------------------------------------------- plots
def test_plots_draw_from_tidy_tables(toy, toy_model, tmp_path):
    from helpers.plots import save_figure
    from helpers.plots import topics as tplots

    res = tp.sweep_topics(
        toy["text"],
        ks=[2, 3],
        seeds=[1, 2],
        vectorizer=tp.TopicVectorizer(min_df=2),
        labels=toy["label"],
    )
    dt = toy_model.doc_topics(toy["text"])
    prev_o = tp.topic_prevalence(dt, toy["outlet"], n_boot=50, labels=toy_model.labels_)
    prev_t = tp.topic_prevalence(dt, tp.date_bins(toy["date"]), n_boot=50, labels=toy_model.labels_)
    figs = {
        "sweep": tplots.plot_topic_sweep(res.summary, res.runs),
        "terms": tplots.plot_topic_terms(toy_model.topic_terms(5)),
        "map": tplots.plot_topic_map(tp.topic_map(toy_model)),
        "by_outlet": tplots.plot_topic_prevalence(prev_o),
        "over_time": tplots.plot_topic_prevalence(prev_t),
    }
    assert len(figs["sweep"].axes) == 4  # npmi, diversity, stability, nmi
    # periods -> one line panel per topic (3 topics in a row), not the outlet dot chart
    assert len(figs["over_time"].axes) == 3
    assert len(figs["over_time"].axes[0].lines) == 1
    for name, fig in figs.items():
        paths = save_figure(fig, name, tmp_path)
        assert paths["png"].stat().st_size > 1000


# ---------------------------------------------------------------- validation command
def test_validate_main_on_small_csv(toy, tmp_path, capsys):
    path = tmp_path / "toy.csv"
    toy[["doc_id", "text", "label"]].to_csv(path, index=False)
    rc = topics_cli.validate_main(
        [str(path), "--k", "3", "--label-column", "label", "--min-df", "2", "--seeds", "2"]
    )
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert out["nmi"] == pytest.approx(1.0) and out["purity"] == 1.0
    for key in ("npmi", "diversity_10", "diversity_25", "fit_seconds"):
        assert key in out
    assert 0 < out["seeds_init"]["stability"] <= 1 and 0 < out["seeds_subsample"]["stability"] <= 1
    assert out["seeds_subsample"]["subsample"] == 0.9 and out["seeds_init"]["subsample"] == 1.0


def test_validate_main_bad_column(toy, tmp_path, capsys):
    path = tmp_path / "toy.csv"
    toy[["doc_id", "text"]].to_csv(path, index=False)
    assert topics_cli.validate_main([str(path), "--text-column", "body"]) == 2
    assert "no column 'body'" in capsys.readouterr().out


def test_validate_dispatch_through_main_on_tsv(toy, tmp_path, capsys):
    from helpers.__main__ import main

    path = tmp_path / "toy.tsv"
    toy[["doc_id", "text", "label"]].to_csv(path, sep="\t", index=False)
    rc = main(
        [
            "validate",
            "topics",
            str(path),
            "--k",
            "3",
            "--label-column",
            "label",
            "--min-df",
            "2",
            "--seeds",
            "2",
            "--sweep",
            "2-4",
            "--n-jobs",
            "1",
        ]
    )
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert [row["k"] for row in out["sweep"]["summary"]] == [2, 3, 4]
    assert out["n_docs"] == len(toy)


# ---------------------------------------------------------------- the validation protocol
def write_labelled_split(folder, n_per: int = 40, seed: int = 3):
    """A labelled file with the BBC dev layout (doc_id, category, title, text), copies included."""
    rng = np.random.default_rng(seed)
    rows = []
    for label, words in SUBJECTS.items():
        vocab = words.split()
        for i in range(n_per):
            body = (
                " ".join(rng.choice(vocab, size=30)) + " " + " ".join(rng.choice(vocab[:3], size=5))
            )
            rows.append(
                {
                    "doc_id": f"{label}{i}",
                    "category": label,
                    "title": f"{label} {i}",
                    "text": f"He said on Monday that {body}.",
                }
            )
    df = pd.DataFrame(rows)
    copies = df.iloc[[0, 50, 90]].assign(
        doc_id=lambda d: d["doc_id"] + "-copy", text=lambda d: d["text"].str.upper()
    )
    df = pd.concat([df, copies], ignore_index=True)
    (folder / "bbc_news").mkdir(parents=True)
    df.to_csv(folder / "bbc_news" / "bbc_dev.csv", index=False)
    return df


def test_validation_records_tune_on_tune_part_and_score_only_locked(tmp_path, monkeypatch):
    from helpers.topics import locked
    from helpers.validation import text_key

    write_labelled_split(tmp_path)
    parts = tp.bbc_parts(tmp_path)
    # 123 rows, three of them copies: each text once, so a text never sits in both parts
    assert parts["key"].is_unique and len(parts) == 120
    seen = []
    real_tune = locked.tune_topics

    def spy(texts, labels, **kw):
        seen.extend(texts)
        return real_tune(texts, labels, n_fits=3, **kw)

    monkeypatch.setattr(locked, "tune_topics", spy)
    records = tp.validation_records(tmp_path, n_boot=50)
    locked_keys = set(parts.loc[parts["part"] == "locked", "key"])
    # tuning saw every tune document and no locked one
    assert seen and not {text_key(t) for t in seen} & locked_keys
    assert {text_key(t) for t in seen} == set(parts.loc[parts["part"] == "tune", "key"])
    assert [r.method for r in records] == [
        "NMF (project preprocessing, k=3)",
        "LDA batch VB (project preprocessing, k=3)",
    ]
    nmf = records[0]
    assert nmf.part == "locked" and nmf.unit == "document" and nmf.n_units == len(locked_keys)
    assert nmf.ci[0] <= nmf.score <= nmf.ci[1]
    names = [b["name"] for b in nmf.baselines]
    assert any("random" in n for n in names) and any("reference" in n for n in names)
    random_base = next(b for b in nmf.baselines if "random" in b["name"])
    assert nmf.score > random_base["ci"][1]
    for key in (
        "purity",
        "purity_ci",
        "npmi_top10_probability",
        "diversity_25",
        "stability_random_init",
        "stability_subsample_90",
        "tuning",
    ):
        assert key in nmf.details
    assert nmf.details["tuning"]["part"] == "tune" and nmf.resources == ["stopwords_news.yml"]


def test_stop_list_agreement_is_checked_word_for_word(tmp_path):
    groups = list(tp.STOP_CANDIDATES)
    yml = tmp_path / "stop.yml"
    yml.write_text("web_furniture:\n  - share\n", encoding="utf-8")
    problems = tp.stop_list_agrees([groups[1]], yml)  # chosen but only one word listed
    assert len(problems) == 1 and "'sign'" in problems[0]
    assert tp.stop_list_agrees([], yml) == [
        "'web words that are also subject words' is dropped but ['share'] are listed"
    ]


@pytest.mark.eval
def test_bbc_split_is_stratified_and_keeps_copies_together(eval_dir):
    parts = tp.bbc_parts(eval_dir)
    assert parts["key"].is_unique
    share = (parts["part"] == "locked").groupby(parts["category"]).mean()
    assert share.between(0.35, 0.45).all() and len(share) == 5
    assert len(tp.tune_part(eval_dir)) == (parts["part"] == "tune").sum()


@pytest.mark.eval
def test_shipped_stop_list_is_the_tune_part_choice(eval_dir):
    """The label-guided part of resources/stopwords_news.yml is what the tune part picks."""
    tune = tp.tune_part(eval_dir)
    result = tp.tune_topics(tune["text"], tune["category"])
    assert tp.stop_list_agrees(result.listed_groups) == []
    assert set(result.stop_table.columns) >= {"nmi_mean", "gain", "gain_se", "listed"}


def test_nmf_tolerance_is_a_parameter(toy):
    """``tol`` reaches the NMF solver (default scikit-learn's 1e-4); the notebook's sweep passes
    ``sweep_tol`` through ``sweep_topics``' model settings, so its fits stop earlier."""
    assert tp.TopicModel(3)._make_estimator(3).tol == 1e-4
    assert tp.TopicModel(3, tol=1e-3)._make_estimator(3).tol == 1e-3
    vec = tp.TopicVectorizer(min_df=2).fit(toy["text"])
    counts = vec.transform(toy["text"])
    loose = tp.TopicModel(3, vectorizer=vec, init="random", tol=1e-2).fit(counts)
    tight = tp.TopicModel(3, vectorizer=vec, init="random").fit(counts)
    assert loose.estimator_.n_iter_ <= tight.estimator_.n_iter_
    res = tp.sweep_topics(counts, ks=[3], seeds=[1, 2], vectorizer=vec, n_top=5, tol=1e-3)
    subject = {w: k for k, ws in SUBJECTS.items() for w in ws.split()}
    for top in res.top_words.values():  # the three clean subjects, from every start
        assert sorted(len({subject[w] for w in words}) for words in top) == [1, 1, 1]
