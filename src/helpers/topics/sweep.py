"""Choosing k: fit every (k, seed) and measure coherence, diversity, stability and agreement.

* :func:`sweep_topics` — the sweep; returns a :class:`SweepResult` (per-run table, per-k
  summary, top words of every fit, notes).
* ``_fit_one`` — one (k, seed) fit with its time and (LDA) held-out perplexity.

Stability must be able to vary. The project's NMF start (NNDSVD) is deterministic, so refits
of the same documents "across seeds" are identical by construction; the sweep therefore
measures stability two ways that can differ: NMF from *random* starts drawn with each seed
("init"), and the project's start on each seed's own 90 % of the documents ("subsample").

The sweep shares one vectorisation and, for the subsample runs, one tf-idf and one truncated
SVD per seed across all k (benchmarks/bench_topics.py measures the speed-up); an NMF seed's
fits run side by side, reading X once per pass for all of them (:mod:`helpers.topics.batch`,
the same fits bit for bit). Seeds may run in threads: one process-wide BLAS thread limit is
set around all of them (see ``_run_seeds``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.utils.extmath import randomized_svd
from threadpoolctl import threadpool_limits

from helpers.config import SEED

from . import models
from .batch import fit_nmf_many
from .metrics import _binary_csc, _npmi_table, label_agreement, topic_diversity, topic_stability
from .models import TopicModel
from .preprocess import TopicVectorizer
from .terms import _term_scores, _top_order

__all__ = ["PERTURBATIONS", "SweepResult", "sweep_topics"]

#: What a seed changes in a sweep: a random start on all documents, or the project's start on
#: a subsample of documents.
PERTURBATIONS = ("init", "subsample")


@dataclass
class SweepResult:
    """Output of :func:`sweep_topics`.

    ``runs``: one row per (k, seed, perturbation): ``k``, ``seed``, ``perturb`` ("init" or
    "subsample"), ``method``, ``n_topics`` (fitted; may be < k on tiny corpora), ``npmi``,
    ``diversity_10``, ``diversity_25``, ``perplexity`` (held-out, LDA subsample runs only),
    ``nmi``, ``purity`` (when labels given), ``fit_seconds``.
    ``summary``: one row per k: the means of those over all runs, ``npmi_sd``,
    ``stability_init`` / ``stability_subsample`` (mean matched Jaccard of top-10 words across
    the seeds of that perturbation, when it was run) with their worst pair
    ``stability_min_init`` / ``stability_min_subsample``, ``stability`` (the lower of the
    measured stabilities) and ``stability_min`` (the worst pair of any).
    ``top_words``: {(k, seed, perturb): list of top-word lists}.
    """

    runs: pd.DataFrame
    summary: pd.DataFrame
    top_words: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)


def _fit_one(method, k, seed, counts, train_idx, test_idx, vectorizer, svd, init, model_kw):
    m = TopicModel(
        k, method=method, vectorizer=vectorizer, random_state=seed, init=init, **model_kw
    )
    m._with_labels = False  # the sweep reads top words only
    t0 = time.perf_counter()
    m.fit(counts[train_idx], _svd=svd)
    secs = time.perf_counter() - t0
    perp = np.nan
    if method in ("lda", "online-lda") and len(test_idx):
        perp = float(m.estimator_.perplexity(counts[test_idx]))
    return m, secs, perp


def _perturbations(perturb: str) -> tuple[str, ...]:
    if perturb == "both":
        return PERTURBATIONS
    if perturb not in PERTURBATIONS:
        raise ValueError(f"perturb={perturb!r}: use 'both', 'init' or 'subsample'")
    return (perturb,)


def sweep_topics(
    texts_or_counts,
    ks: Iterable[int] = (5, 10, 15, 20),
    seeds: Iterable[int] = (SEED, SEED + 1, SEED + 2),
    method: str = "nmf",
    vectorizer: TopicVectorizer | None = None,
    perturb: str = "both",
    subsample: float = 0.9,
    labels: Sequence | None = None,
    n_top: int = 10,
    top_by: str = "relevance",
    n_jobs: int = 1,
    **model_kw,
) -> SweepResult:
    """Fit every (k, seed) and report the measures that inform the choice of k.

    What a seed changes (``perturb``):

    * "init": the starting point, on all documents. NMF starts from scikit-learn's scaled
      *random* start drawn with the seed (the project's NNDSVD start is deterministic, so
      with it every seed would give the same fit and stability would be 1 by construction);
      LDA from its random variational start. Answers "does the solution depend on where the
      optimiser starts?".
    * "subsample": each seed fits its own random ``subsample`` share of documents with the
      project's start (NNDSVD; LDA: random) (Greene, O'Callaghan & Cunningham 2014). Answers
      "would slightly different coverage give the same topics?".
    * "both" (default): both, reported side by side; ``stability`` is the lower of the two.

    For NMF subsample runs, one truncated SVD with max(ks) components per seed gives every k
    its start. LDA subsample runs give held-out perplexity on the documents left out.
    Coherence (NPMI, see :func:`helpers.topics.metrics.npmi_coherence`) is measured against
    the whole corpus on the top ``n_top`` words ranked by ``top_by`` ("relevance" with
    λ = 0.6 as the notebook displays them, or "probability" as most papers report);
    NMI/purity (with ``labels``) use the dominant topic of every document.

    ``**model_kw``: :class:`TopicModel` settings of every fit, e.g. ``tol`` (the notebook's
    sweep stops its NMF fits at 1e-3, the final model at the default 1e-4; docs/topics.md).

    Speed: one vectorisation for all fits; ``n_jobs`` > 1 runs seeds in parallel threads (the
    NMF solver releases the GIL only in parts, so expect little gain).

    Example:
        >>> # res = sweep_topics(corpus["text"], ks=range(5, 31), labels=corpus["category"])
        >>> # res.summary[["k", "npmi", "diversity_25", "stability_init", "stability_subsample"]]
    """
    ks = sorted({int(k) for k in ks})
    seeds = list(seeds)
    if not ks or min(ks) < 1:
        raise ValueError(f"ks={ks}: give one or more numbers of topics >= 1")
    kinds = _perturbations(perturb)
    counts, vectorizer = _sweep_counts(texts_or_counts, vectorizer)
    n_docs = counts.shape[0]
    notes = list(getattr(vectorizer, "notes_", []))
    if counts.shape[1] == 0:
        raise ValueError("No vocabulary after preprocessing; lower min_df or stop words")
    names = vectorizer.get_feature_names_out()
    lab = None if labels is None else pd.Series(list(labels))
    resample = subsample < 1.0 and n_docs >= 10
    jobs = _seed_jobs(seeds, n_docs, kinds, resample, subsample)
    if "subsample" in kinds and not resample:
        notes.append(f"only {n_docs} documents: every seed fits all of them (no resampling)")
    if len(seeds) == 1:
        notes.append("one seed: stability needs at least two")
    plan = _SeedRun(counts, ks, method, vectorizer, names, lab, n_top, top_by, model_kw)
    runs, summary, tops = _summarise(_run_seeds(plan, jobs, n_jobs), n_top, lab is not None)
    summary.attrs.update(perturb=perturb, top_by=top_by, method=method)
    return SweepResult(runs=runs, summary=summary, top_words=tops, notes=notes)


def _sweep_counts(texts_or_counts, vectorizer):
    """The sweep's count matrix and the fitted vectorizer that made it (one vectorisation)."""
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
    return counts, vectorizer


def _seed_jobs(
    seeds, n_docs: int, kinds: tuple[str, ...], resample: bool, subsample: float
) -> list[tuple]:
    """``(seed, perturb, train rows, held-out rows)`` per seed and perturbation.

    "init" runs train on every document; "subsample" runs on the seed's own share of them
    (every document when ``resample`` is False: too few documents).
    """
    jobs = []
    for kind in kinds:
        for seed in seeds:
            rng = np.random.default_rng(seed)
            if kind == "subsample" and resample:
                n_fit = max(2, int(round(subsample * n_docs)))
                train = np.sort(rng.choice(n_docs, size=n_fit, replace=False))
            else:
                train = np.arange(n_docs)
            test = np.setdiff1d(np.arange(n_docs), train)
            jobs.append((seed, kind, train, test))
    return jobs


@dataclass
class _SeedRun:
    """What every seed's fits share: the counts, the grid of k and the measures to take."""

    counts: sparse.csr_matrix
    ks: list[int]
    method: str
    vectorizer: TopicVectorizer
    names: np.ndarray
    lab: pd.Series | None
    n_top: int
    top_by: str
    model_kw: dict

    def __post_init__(self):
        # NPMI's presence matrix and term index, made once for every fit
        self.presence = _binary_csc(self.counts)
        self.index = {t: i for i, t in enumerate(self.names)}

    def run_seed(self, seed, kind, train, test):
        """Every k for one seed, with single-threaded BLAS: ``[(record, top words), ...]``."""
        with threadpool_limits(limits=models.BLAS_THREADS, user_api="blas"):
            return self._run_seed(seed, kind, train, test)

    def _run_seed(self, seed, kind, train, test):
        counts, ks, method = self.counts, self.ks, self.method
        svd = None
        init = "random" if kind == "init" else "nndsvd"
        Xc = counts[train]
        nonempty = int((np.asarray(Xc.sum(axis=1)).ravel() > 0).sum())
        kmax = min(max(ks), nonempty, Xc.shape[1])
        if method == "nmf" and init == "nndsvd" and kmax >= 1:
            tf = TfidfTransformer(sublinear_tf=self.model_kw.get("sublinear_tf", True)).fit(Xc)
            svd = randomized_svd(tf.transform(Xc), kmax, random_state=seed)
        if method == "nmf":  # every k side by side, sharing the products with X (batch.py)
            fits = fit_nmf_many([self._model(k, seed, init) for k in ks], Xc, svd, self.names)
            done = [(m, m.fit_seconds_, np.nan) for m in fits]
        else:
            done = [
                _fit_one(method, k, seed, counts, train, test, self.vectorizer, svd, init, self.model_kw)
                for k in ks
            ]
        out = []
        for k, (m, secs, perp) in zip(ks, done, strict=True):
            rec, top = self._record(m, k, seed, train, secs, perp)
            rec["perturb"] = kind
            out.append((rec, top))
        return out

    def _model(self, k, seed, init):
        """The unfitted model of one (k, seed) run, as ``_fit_one`` makes it."""
        m = TopicModel(
            k, method=self.method, vectorizer=self.vectorizer, random_state=seed, init=init,
            **self.model_kw,
        )
        m._with_labels = False  # the sweep reads top words only
        return m

    def _record(self, m, k, seed, train, secs, perp):
        """One run's row of measures and its top ``n_top`` words."""
        counts, n_top = self.counts, self.n_top
        top = _top_words(m, max(n_top, 25), self.top_by)
        top_n = [t[:n_top] for t in top]
        rec = {
            "k": k,
            "seed": seed,
            "method": self.method,
            "n_topics": m.n_topics_,
            "npmi": float(_npmi_table(top_n, self.presence, self.index, n_top)["npmi"].mean()),
            "diversity_10": topic_diversity(top, 10),
            "diversity_25": topic_diversity(top, 25),
            "perplexity": perp,
            "fit_seconds": secs,
        }
        if self.lab is not None:
            if len(train) == counts.shape[0]:  # the fit already solved every document
                theta = m.train_doc_topic_
            else:
                theta = m.transform(counts)
            dom = np.where(theta.sum(axis=1) > 0, theta.argmax(axis=1), -1)
            agree = label_agreement(self.lab, dom)
            rec["nmi"], rec["purity"] = agree["nmi"], agree["purity"]
        return rec, top_n


def _top_words(m: TopicModel, n: int, by: str) -> list[list[str]]:
    """``m.top_words(n, by=by)`` without its table of every topic's rows (same lists)."""
    phi = m.topic_term_
    scores, _, _ = _term_scores(phi, m.term_prob_, by, 0.6, 0.7)
    n = min(n, phi.shape[1])
    return [[str(t) for t in m.feature_names_[_top_order(scores[j], n)]] for j in range(phi.shape[0])]


def _run_seeds(plan: _SeedRun, jobs: list[tuple], n_jobs: int) -> list:
    """Run every seed, in threads when ``n_jobs`` != 1 (results in the order of ``jobs``)."""
    run_seed = plan.run_seed
    if n_jobs != 1 and len(jobs) > 1:
        from joblib import Parallel, delayed

        # threadpool_limits is process-wide: set it once around all threads, so the fits' own
        # (nested) limits never restore a different BLAS thread count while another thread is
        # mid-fit, which made results depend on timing.
        with threadpool_limits(limits=models.BLAS_THREADS, user_api="blas"):
            results = Parallel(n_jobs=n_jobs, prefer="threads")(delayed(run_seed)(*j) for j in jobs)
    else:
        results = [run_seed(*j) for j in jobs]
    return results


def _summarise(results: list, n_top: int, with_labels: bool):
    """``(runs, summary, top_words)``: the per-run table, the per-k means and stabilities."""
    recs, tops = [], {}
    for res in results:
        for rec, top in res:
            recs.append(rec)
            tops[(rec["k"], rec["seed"], rec["perturb"])] = top
    front = ["k", "seed", "perturb"]
    runs = pd.DataFrame(recs)
    runs = runs[front + [c for c in runs.columns if c not in front]]
    summ = []
    for k, g in runs.groupby("k", sort=True):
        row = {
            "k": k,
            "n_topics": int(g["n_topics"].min()),
            "npmi": g["npmi"].mean(),
            "npmi_sd": g["npmi"].std(ddof=0),
            "diversity_10": g["diversity_10"].mean(),
            "diversity_25": g["diversity_25"].mean(),
        }
        for kind, gk in g.groupby("perturb", sort=True):
            stab, pairs = topic_stability([tops[(k, s, kind)] for s in gk["seed"]], n_top=n_top)
            row[f"stability_{kind}"] = stab
            row[f"stability_min_{kind}"] = (
                float(pairs["min_jaccard"].min()) if len(pairs) else np.nan
            )
        measured = [row[f"stability_{p}"] for p in PERTURBATIONS if f"stability_{p}" in row]
        worst = [row[f"stability_min_{p}"] for p in PERTURBATIONS if f"stability_min_{p}" in row]
        row["stability"] = float(np.min(measured)) if not np.isnan(measured).any() else np.nan
        row["stability_min"] = float(np.min(worst)) if not np.isnan(worst).any() else np.nan
        row.update(
            perplexity=g["perplexity"].mean(), fit_seconds=g["fit_seconds"].mean(), n_runs=len(g)
        )
        if with_labels:
            row["nmi"], row["purity"] = g["nmi"].mean(), g["purity"].mean()
        summ.append(row)
    return runs, pd.DataFrame(summ), tops
