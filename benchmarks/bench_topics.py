"""Speed of the topic sweep: the project's ``sweep_topics`` beside a plain baseline.

Baseline ("naive"): what one would write without the project — for every (k, seed):
vectorise the texts again with scikit-learn's TfidfVectorizer, fit ``NMF(k,
random_state=seed)`` with scikit-learn's defaults (NNDSVDa start, BLAS threads as the
machine sets them), ``transform`` all documents for their dominant topic, and score the
top-10 words with the same NPMI/diversity functions (so only the fitting pipeline differs).

Project: ``helpers.topics.sweep_topics`` with one fit per (k, seed) on every document from the
project's start (``perturb="subsample", subsample=1.0``: the same amount of work as the
baseline; the sweep's default adds random-start refits for stability) — one vectorisation (with the news
stop words), one tf-idf and one truncated SVD per seed shared by every k, single-threaded BLAS
inside the fits (OpenBLAS threads make the small QR/SVD calls in NMF 10-100x slower on this
2-core machine), the training solution reused for dominant topics, and optionally seeds in
parallel threads (``--n-jobs``).

A third row runs the project's sweep with BLAS threads left at the machine default, to show
what the single-thread setting is worth. The machine may be shared with other jobs: use
``--repeat 3`` to keep the fastest of three runs of each pipeline.

Usage (from the project root):
    .venv/bin/python benchmarks/bench_topics.py                  # BBC dev, k = 5,10,...,30 x 3 seeds
    .venv/bin/python benchmarks/bench_topics.py --ks 5-30        # the full sweep (26 k x 3 seeds)
    .venv/bin/python benchmarks/bench_topics.py --data FILE.csv --text-column text

Prints one row per pipeline with seconds, fits per second and the ratio to the baseline; the
measures (mean NPMI, NMI) are printed beside the times so a speed-up that changed the answer
would show.

Scale (issue 12), old beside new in one run on a JSON-lines corpus:
    .venv/bin/python benchmarks/bench_topics.py --scale benchmarks/results/scale/corpus-10k.jsonl
times the notebook's heavy steps: ``TopicVectorizer`` on its per-token path (the code before
issue 12, still used with collocations or lemmatising) beside the array path (same matrix,
checked); ``topic_prevalence`` with every resample gathered at once (the old code, copied
below) beside the blocked bootstrap (same numbers, checked), with peak memory; the plan for this
size (sweep sample, final method) with the final fit's time and peak memory.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from helpers import config
from helpers import topics as tp
from helpers.corpus import load_corpus, one_per_story
from helpers.topics import label_agreement, npmi_coherence, topic_diversity
from helpers.topics import models as topic_models

#: One project fit per (k, seed) on all documents from the project's start, as the baseline fits
#: once per (k, seed); the sweep's default also refits from random starts to measure stability.
SAME_WORK = dict(perturb="subsample", subsample=1.0)


def parse_ks(spec: str) -> list[int]:
    if "-" in spec and "," not in spec:
        lo, hi = spec.split("-")
        return list(range(int(lo), int(hi) + 1))
    return [int(x) for x in spec.split(",")]


def naive_sweep(texts, ks, seeds, labels=None):
    rows = []
    for k in ks:
        for seed in seeds:
            vec = TfidfVectorizer(
                token_pattern=r"(?u)\b[a-z]{3,}\b", stop_words="english", min_df=5, max_df=0.5
            )
            X = vec.fit_transform(texts)
            names = vec.get_feature_names_out()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = NMF(n_components=k, random_state=seed).fit(X)
                W = model.transform(X)
            top = [[names[j] for j in np.argsort(-h)[:25]] for h in model.components_]
            rec = {
                "k": k,
                "seed": seed,
                "npmi": npmi_coherence([t[:10] for t in top], X, names)["npmi"].mean(),
                "diversity_25": topic_diversity(top, 25),
            }
            if labels is not None:
                rec["nmi"] = label_agreement(labels, W.argmax(axis=1))["nmi"]
            rows.append(rec)
    return pd.DataFrame(rows)


def _measured(fn):
    """``(seconds, peak MB of Python allocations, result)`` of ``fn()``."""
    tracemalloc.start()
    t0 = time.perf_counter()
    res = fn()
    secs = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return secs, peak, res


def _old_bootstrap_intervals(doc_topics, groups, n_boot=500, seed=config.SEED):
    """The bootstrap before issue 12: n_boot x n_docs x k gathered at once (one row per document)."""
    theta = doc_topics.filter(like="topic_").to_numpy(dtype=float)
    g = pd.Series(list(groups))
    keep = (theta.sum(axis=1) > 0) & g.notna().to_numpy()
    rng = np.random.default_rng(seed)
    out = []
    for _, idx in g[keep].groupby(g[keep], sort=True).groups.items():
        sums = theta[np.asarray(idx)]
        if len(sums) < 5:
            continue
        draws = rng.integers(0, len(sums), size=(n_boot, len(sums)))
        boots = sums[draws].sum(axis=1) / np.ones(len(sums))[draws].sum(axis=1)[:, None]
        out.append(np.quantile(boots, [0.025, 0.975], axis=0))
    return out


def scale_steps(path: Path, n_boot: int = 500) -> pd.DataFrame:
    """Old beside new for the notebook's heavy steps on one corpus (see the module doc)."""
    corpus = one_per_story(load_corpus(path)[0]).reset_index(drop=True)
    texts = corpus["text"].tolist()
    rows = []
    vec_kw = dict(outlets=tp.outlet_stop_words(corpus))
    per_token = tp.TopicVectorizer._fast
    tp.TopicVectorizer._fast = lambda self: False
    try:
        t_old, m_old, X_old = _measured(lambda: tp.TopicVectorizer(**vec_kw).fit_transform(texts))
    finally:
        tp.TopicVectorizer._fast = per_token
    vec = tp.TopicVectorizer(**vec_kw)
    t_new, m_new, X = _measured(lambda: vec.fit_transform(texts))
    assert (X != X_old).nnz == 0 and X.shape == X_old.shape
    rows += [("TopicVectorizer.fit_transform", "per-token (old)", t_old, m_old),
             ("TopicVectorizer.fit_transform", "arrays (new)", t_new, m_new)]
    plan = tp.plan_scale(X.shape[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_fit, m_fit, model = _measured(lambda: tp.TopicModel(10, method=plan.method, vectorizer=vec).fit(X))
    rows.append((f"final fit k=10 ({plan.method})", "new", t_fit, m_fit))
    dt = model.doc_topics(X, ids=corpus["doc_id"], chunk_docs=plan.chunk_docs)
    t_ob, m_ob, old_iv = _measured(lambda: _old_bootstrap_intervals(dt, corpus["outlet"], n_boot))
    t_nb, m_nb, new = _measured(lambda: tp.topic_prevalence(dt, corpus["outlet"], n_boot=n_boot, min_docs=5))
    assert np.array_equal(np.concatenate([iv[0] for iv in old_iv]), new["low"].to_numpy())
    rows += [("topic_prevalence by outlet", "all resamples at once (old)", t_ob, m_ob),
             ("topic_prevalence by outlet", "blocks of resamples (new)", t_nb, m_nb)]
    out = pd.DataFrame(rows, columns=["step", "code", "seconds", "peak_MB"])
    out.attrs["plan"] = plan.note
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--data", default=None, help="CSV/TSV with a text column (default: BBC dev)")
    p.add_argument("--text-column", default="text")
    p.add_argument("--label-column", default="category")
    p.add_argument("--ks", default="5,10,15,20,25,30")
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--n-jobs", type=int, default=2)
    p.add_argument("--repeat", type=int, default=1, help="runs per pipeline; the fastest counts")
    p.add_argument("--scale", default=None, help="JSON-lines corpus: old beside new, step by step")
    a = p.parse_args(argv)
    if a.scale:
        out = scale_steps(Path(a.scale))
        print(out.attrs["plan"])
        print(out.round(2).to_string(index=False))
        return 0

    path = Path(a.data) if a.data else config.eval_path("bbc_news", "bbc_dev.csv")
    if path is None or not path.exists():
        print(
            "bench_topics: no data (../shared/eval/bbc_news/bbc_dev.csv absent); pass --data FILE.csv"
        )
        return 0
    df = pd.read_csv(path, sep="\t" if path.suffix == ".tsv" else ",")
    texts = df[a.text_column].fillna("").astype(str).tolist()
    labels = df[a.label_column] if a.label_column in df.columns else None
    ks = parse_ks(a.ks)
    seeds = [config.SEED + i for i in range(a.seeds)]
    n_fits = len(ks) * len(seeds)
    print(
        f"data: {path} ({len(texts)} documents); k = {ks[0]}..{ks[-1]} ({len(ks)} values) x {len(seeds)} seeds = {n_fits} fits"
    )

    def best_of(fn):
        # the machine is shared: the fastest of --repeat runs is the least disturbed one
        times, res = [], None
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            res = fn()
            times.append(time.perf_counter() - t0)
        return min(times), res

    results = []
    t_base, base = best_of(lambda: naive_sweep(texts, ks, seeds, labels))
    results.append(
        (
            "naive: re-vectorise + sklearn NMF defaults",
            t_base,
            base["npmi"].mean(),
            base["nmi"].mean() if "nmi" in base else np.nan,
        )
    )

    for n_jobs in sorted({1, a.n_jobs}):
        t, sw = best_of(
            lambda n_jobs=n_jobs: tp.sweep_topics(
                texts,
                ks=ks,
                seeds=seeds,
                vectorizer=tp.TopicVectorizer(),
                labels=labels,
                top_by="probability",
                **SAME_WORK,
                n_jobs=n_jobs,
            )
        )
        results.append(
            (
                f"project: sweep_topics (n_jobs={n_jobs})",
                t,
                sw.runs["npmi"].mean(),
                sw.runs["nmi"].mean() if "nmi" in sw.runs else np.nan,
            )
        )

    # the same project sweep with BLAS threads left at the machine default
    topic_models.BLAS_THREADS = None
    try:
        t, sw = best_of(
            lambda: tp.sweep_topics(
                texts,
                ks=ks,
                seeds=seeds,
                vectorizer=tp.TopicVectorizer(),
                labels=labels,
                top_by="probability",
                **SAME_WORK,
                n_jobs=1,
            )
        )
    finally:
        topic_models.BLAS_THREADS = 1
    results.append(
        (
            "project, BLAS threads at machine default (n_jobs=1)",
            t,
            sw.runs["npmi"].mean(),
            sw.runs["nmi"].mean() if "nmi" in sw.runs else np.nan,
        )
    )

    out = pd.DataFrame(results, columns=["pipeline", "seconds", "npmi_mean", "nmi_mean"])
    out["fits_per_second"] = n_fits / out["seconds"]
    out["speed-up vs naive"] = t_base / out["seconds"]
    with pd.option_context("display.width", 160, "display.max_colwidth", 60):
        print(out.round(3).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
