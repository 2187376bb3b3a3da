"""Measuring topic models on a labelled table: the computation behind ``validate topics FILE``.

:func:`validate_topics` reads a labelled table (CSV/TSV), fits the model on every document and
returns the measures as a dict (floats rounded to 4 decimals): NMI, purity and ARI of each
document's dominant topic against the labels, NPMI, diversity, stability across seeds (NMF
from random starts on all documents; the project's start on a random subsample per seed),
fit times, the preprocessing settings and, on request, a timed sweep over k. :data:`PRESETS`
are the named preprocessing settings; :class:`TableError` says why a table cannot be used.

This is a measuring tool for any table. It scores on the documents it was given, so it is not
the validation of the project's settings: those were chosen on the tune part of BBC News
(:mod:`helpers.topics.tuning`) and are scored on the locked part only by
:func:`helpers.topics.locked.validation_records` (``python -m helpers validate all``).

The command ``python -m helpers validate topics`` (:mod:`helpers.cli.topics`) parses its
arguments, calls :func:`validate_topics` and prints the dict as JSON.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd

from helpers.config import SEED

from .metrics import label_agreement, npmi_coherence, topic_diversity
from .models import TopicModel
from .preprocess import TopicVectorizer
from .sweep import sweep_topics

__all__ = ["PRESETS", "TableError", "labelled_texts", "validate_topics"]

PRESETS = {
    # what validate uses unless told otherwise; see docs/topics.md for the ablation
    "project": dict(stop_words="news", min_df=5, max_df=0.5, lemmatize=False, collocations=False),
    # the reference points' preprocessing in ../shared/eval/README.md
    "reference": dict(
        token_pattern=r"(?u)\b[a-z]{3,}\b", stop_words="english", min_df=5, max_df=0.5
    ),
}


class TableError(ValueError):
    """The validation table cannot be used: no such file, unreadable, or a column missing."""


def _read_table(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file; pass a CSV/TSV with a text column")
    sep = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    return pd.read_csv(path, sep=sep)


def labelled_texts(
    path: str | Path, text_column: str = "text", label_column: str | None = None
) -> tuple[list[str], pd.Series | None]:
    """Texts and labels of a CSV/TSV (``.tsv``/``.tab`` are tab-separated).

    The label column defaults to ``category`` when the table has one; without labels the
    second value is None. Raises :class:`TableError` for a missing file, a table pandas cannot
    parse, or a missing column.
    """
    path = Path(path)
    try:
        df = _read_table(path)
    except (FileNotFoundError, pd.errors.ParserError) as exc:
        raise TableError(str(exc)) from exc
    if text_column not in df.columns:
        raise TableError(f"{path}: no column {text_column!r}; has {list(df.columns)}")
    if label_column is None and "category" in df.columns:
        label_column = "category"
    if label_column is not None and label_column not in df.columns:
        raise TableError(f"{path}: no column {label_column!r}; has {list(df.columns)}")
    texts = df[text_column].fillna("").astype(str).tolist()
    labels = df[label_column] if label_column else None
    return texts, labels


def _round_floats(obj, nd: int = 4):
    if isinstance(obj, float):
        return round(obj, nd)
    if isinstance(obj, dict):
        return {k: _round_floats(v, nd) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_round_floats(v, nd) for v in obj]
    return obj


def validate_topics(
    path: str | Path,
    k: int = 5,
    *,
    text_column: str = "text",
    label_column: str | None = None,
    method: str = "nmf",
    seeds: int = 3,
    subsample: float = 0.9,
    preset: str = "project",
    preprocessing: dict | None = None,
    sublinear_tf: bool = True,
    sweep: str | None = None,
    n_jobs: int = 2,
) -> dict:
    """Fit a ``k``-topic model on every document of a labelled table and measure it.

    Args:
        path: CSV/TSV with ``text_column`` and (optional) ``label_column`` (default
            ``category`` when present); see :func:`labelled_texts`.
        method: one of :data:`helpers.topics.METHODS`.
        seeds: number of seeds for the stability runs (``SEED``, ``SEED + 1``, ...); with
            more than one, ``seeds_init`` (random starts, all documents) and
            ``seeds_subsample`` (project start, ``subsample`` of the documents) report a
            sweep at ``k``.
        subsample: share of documents each seed fits in the "subsample" runs.
        preset: a key of :data:`PRESETS`; ``preprocessing`` overrides its settings.
        sublinear_tf: tf weighting of the NMF methods (ignored by LDA).
        sweep: k range "lo-hi" (e.g. "5-30") for a timed sweep over k, or None.
        n_jobs: seeds in parallel threads.

    Returns:
        dict (JSON-ready, floats rounded to 4 decimals) with ``file``, ``n_docs``, ``k``,
        ``method``, ``preset``, ``preprocessing``, ``n_terms``, timings, ``npmi`` and
        ``diversity_10``/``diversity_25`` (top words by probability), ``npmi_relevance``,
        ``diversity_25_relevance``, ``labels``; with labels ``nmi``, ``purity``, ``ari``,
        ``n``; ``seeds_init``/``seeds_subsample`` and ``sweep`` as requested.

    Raises:
        TableError: the table is missing, unreadable or lacks a column.
    """
    path = Path(path)
    texts, labels = labelled_texts(path, text_column, label_column)
    vec_kw = dict(PRESETS[preset])
    vec_kw.update(preprocessing or {})
    model_kw = {"sublinear_tf": sublinear_tf} if method.endswith("nmf") else {}
    out, vec, counts = _full_fit(texts, labels, path, k, method, preset, vec_kw, model_kw)
    seed_list = [SEED + i for i in range(max(seeds, 1))]
    if seeds > 1:
        for perturb in ("init", "subsample"):
            out[f"seeds_{perturb}"] = _seed_runs(
                counts, vec, labels, k, method, seed_list, perturb, subsample, n_jobs, model_kw
            )
    if sweep:
        out["sweep"] = _timed_sweep(
            counts, vec, labels, sweep, method, seed_list, subsample, n_jobs, model_kw
        )
    return _round_floats(out)


def _full_fit(texts, labels, path, k, method, preset, vec_kw, model_kw):
    """The headline fit on every document: ``(measures, vectorizer, counts)``."""
    t0 = time.perf_counter()
    vec = TopicVectorizer(**vec_kw)
    counts = vec.fit_transform(texts)
    vec_secs = time.perf_counter() - t0
    model = TopicModel(k, method=method, vectorizer=vec, **model_kw).fit(counts)
    top_p = model.top_words(25, by="probability")
    top_r = model.top_words(25, by="relevance")
    out = {
        "file": str(path),
        "n_docs": len(texts),
        "k": k,
        "method": method,
        "preset": preset,
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
    return out, vec, counts


def _seed_runs(counts, vec, labels, k, method, seeds, perturb, subsample, n_jobs, model_kw):
    """Stability and mean measures of one fit per seed at ``k`` (``perturb`` as in the sweep)."""
    t1 = time.perf_counter()
    sw = sweep_topics(
        counts,
        ks=[k],
        seeds=seeds,
        method=method,
        vectorizer=vec,
        perturb=perturb,
        subsample=subsample,
        labels=labels,
        top_by="probability",
        n_jobs=n_jobs,
        **model_kw,
    )
    s = sw.summary.iloc[0]
    return {
        "n": len(seeds),
        "subsample": subsample if perturb == "subsample" else 1.0,
        "stability": float(s["stability"]),
        "stability_min": float(s["stability_min"]),
        "npmi_mean": float(s["npmi"]),
        "nmi_mean": float(s["nmi"]) if "nmi" in s else None,
        "nmi_sd": float(sw.runs["nmi"].std(ddof=0)) if "nmi" in sw.runs else None,
        "perplexity_mean": None if pd.isna(s["perplexity"]) else float(s["perplexity"]),
        "seconds": time.perf_counter() - t1,
    }


def _timed_sweep(counts, vec, labels, spec, method, seeds, subsample, n_jobs, model_kw):
    """A full sweep over the k range ``spec`` ("lo-hi"): its time and per-k summary."""
    lo, _, hi = spec.partition("-")
    ks = range(int(lo), int(hi or lo) + 1)
    t2 = time.perf_counter()
    sw = sweep_topics(
        counts,
        ks=ks,
        seeds=seeds,
        method=method,
        vectorizer=vec,
        subsample=subsample,
        labels=labels,
        n_jobs=n_jobs,
        **model_kw,
    )
    return {
        "ks": f"{ks.start}-{ks.stop - 1}",
        "seeds": len(seeds),
        "n_jobs": n_jobs,
        "seconds": time.perf_counter() - t2,
        "summary": json.loads(sw.summary.round(4).to_json(orient="records")),
    }
