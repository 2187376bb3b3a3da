"""The topic models' locked validation on BBC News: what ``python -m helpers validate all`` reports.

Protocol. The BBC News dev split (1,114 articles, five sections) is split once by
:func:`bbc_parts` (``helpers.validation.split_parts``: stratified by section, copies of one
text in one part; 40 % locked) and each part keeps one copy of each text. Every choice that
looks at the sections — the stop-list candidates, the preprocessing, k — is made on the tune
part by :func:`helpers.topics.tuning.tune_topics`. Then, on the locked documents only, the
unsupervised model is fitted with those settings and each document's dominant topic is
compared with its section: NMI (and purity, ARI in ``details``), with a 95 % bootstrap over
documents (documents resampled, the fixed assignments re-scored: an interval for the agreement
on this sample, not for refits). Beside it: a seeded random assignment to k clusters and the
plain reference pipeline of ``../shared/eval/README.md`` (scikit-learn NMF on tf-idf,
``[a-z]{3,}`` tokens, scikit-learn's English stop words, min_df 5, max_df 0.5), scored on the
same resamples. NPMI coherence, diversity and stability (random starts across seeds; the
project's start on 90 % subsamples) go in ``details``.

:func:`validation_records` is the only reader of the locked part.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from helpers.config import SEED
from helpers.validation import ValidationRecord, cluster_bootstrap, split_parts, text_key

from .metrics import npmi_coherence, purity, topic_diversity
from .models import TopicModel
from .preprocess import TopicVectorizer
from .sweep import sweep_topics
from .tuning import N_FITS, TuneResult, stop_list_agrees, tune_topics

__all__ = ["BBC_FILE", "bbc_parts", "tune_part", "validation_records"]

#: The labelled file, relative to the eval folder.
BBC_FILE = "bbc_news/bbc_dev.csv"
COMMAND = "python -m helpers validate all --only topics"
N_STABILITY_SEEDS = 5


def bbc_parts(eval_dir: Path) -> pd.DataFrame:
    """The BBC dev split with its part: ``text``, ``category``, ``key``, ``part``.

    Split once by ``split_parts(groups=text_key(text), strata=category)``; then each part
    keeps the first copy of each text (``key``), so a document is counted once.
    """
    df = pd.read_csv(Path(eval_dir) / BBC_FILE)
    df = df.assign(text=df["text"].fillna("").astype(str), category=df["category"].astype(str))
    df["key"] = [text_key(t) for t in df["text"]]
    df["part"] = split_parts(df["key"], strata=df["category"]).to_numpy()
    return df.drop_duplicates("key").reset_index(drop=True)[["text", "category", "key", "part"]]


def tune_part(eval_dir: Path) -> pd.DataFrame:
    """The tune part of :func:`bbc_parts` (what tuning and ablations may read)."""
    parts = bbc_parts(eval_dir)
    return parts[parts["part"] == "tune"].reset_index(drop=True)


def _agreement_ci(labels: np.ndarray, clusters: np.ndarray, n_boot: int) -> dict:
    """NMI, purity (each with a document bootstrap interval) and ARI of fixed assignments."""
    docs = np.arange(len(labels))
    nmi_ci = cluster_bootstrap(
        lambda i: normalized_mutual_info_score(labels[i], clusters[i]), docs, n_boot=n_boot
    )
    pur_ci = cluster_bootstrap(lambda i: purity(labels[i], clusters[i]), docs, n_boot=n_boot)
    return {
        "nmi": float(normalized_mutual_info_score(labels, clusters)),
        "nmi_ci": list(nmi_ci),
        "purity": purity(labels, clusters),
        "purity_ci": list(pur_ci),
        "ari": float(adjusted_rand_score(labels, clusters)),
    }


def _reference_assignments(texts: list[str], k: int) -> tuple[np.ndarray, float]:
    """Dominant topics of the eval README's plain pipeline, and its NPMI (top 10 by weight)."""
    vec = TfidfVectorizer(
        lowercase=True,
        token_pattern=r"(?u)\b[a-z]{3,}\b",
        stop_words="english",
        min_df=5,
        max_df=0.5,
    )
    X = vec.fit_transform(texts)
    nmf = NMF(n_components=k, random_state=SEED)
    W = nmf.fit_transform(X)
    names = vec.get_feature_names_out()
    top = [[names[j] for j in np.argsort(-row)[:10]] for row in nmf.components_]
    return W.argmax(axis=1), float(npmi_coherence(top, X, names, 10)["npmi"].mean())


def _fit_method(texts: list[str], method: str, choice: TuneResult):
    """The project's model with the tune-chosen settings, fitted on ``texts``."""
    vec = TopicVectorizer(**choice.vectorizer_kw)
    counts = vec.fit_transform(texts)
    kw = {"sublinear_tf": choice.sublinear_tf} if method == "nmf" else {}
    model = TopicModel(choice.k, method=method, vectorizer=vec, random_state=SEED, **kw).fit(counts)
    return model, counts, kw


def _quality(model, counts, kw: dict, method: str, choice: TuneResult) -> dict:
    """Unsupervised quality on the locked documents: NPMI, diversity, stability two ways."""
    top = model.top_words(25, by="probability")
    out = {
        "npmi_top10_probability": float(
            npmi_coherence(top, counts, model.feature_names_, 10)["npmi"].mean()
        ),
        "diversity_25": topic_diversity(top, 25),
        "topic_labels": list(model.labels_),
    }
    sw = sweep_topics(
        counts,
        ks=[choice.k],
        seeds=[SEED + i for i in range(N_STABILITY_SEEDS)],
        method=method,
        vectorizer=model.vectorizer_,
        perturb="both",
        top_by="probability",
        **kw,
    )
    s = sw.summary.iloc[0]
    out.update(
        {
            "stability_random_init": float(s["stability_init"]),
            "stability_random_init_worst_topic": float(s["stability_min_init"]),
            "stability_subsample_90": float(s["stability_subsample"]),
            "stability_subsample_90_worst_topic": float(s["stability_min_subsample"]),
            "stability_seeds": N_STABILITY_SEEDS,
        }
    )
    return out


def _protocol(choice: TuneResult, n_tune: int) -> str:
    return (
        f"BBC dev split once (stratified by section, copies of a text in one part; one copy each kept): "
        f"tune {n_tune} documents, where the news stop-list candidates, the preprocessing and k "
        f"(= {choice.k}) were chosen by NMI of {N_FITS} NMF fits on 90 % subsamples "
        "(helpers.topics.tuning); the model is then fitted, unsupervised, on the locked documents and "
        "each document's dominant topic is scored against its section. 95 % bootstrap over documents "
        "(the fixed assignments re-scored). Baselines: a seeded random assignment to k clusters and the "
        "eval README's plain pipeline (scikit-learn NMF on tf-idf, [a-z]{3,} tokens, English stop words, "
        "min_df 5, max_df 0.5), on the same resamples."
    )


REFERENCE = "reference pipeline (sklearn NMF, eval README preprocessing)"
RANDOM = "random assignment to k clusters (seeded)"


def _baseline_scores(texts: list[str], labels: np.ndarray, k: int, n_boot: int):
    """The baselines' agreement with the sections, and the reference pipeline's assignments."""
    random_assign = np.random.default_rng(SEED).integers(0, k, size=len(texts))
    ref_assign, ref_npmi = _reference_assignments(texts, k)
    scores = {
        RANDOM: {**_agreement_ci(labels, random_assign, n_boot), "npmi_top10": None},
        REFERENCE: {**_agreement_ci(labels, ref_assign, n_boot), "npmi_top10": ref_npmi},
    }
    return scores, ref_assign


def _method_details(texts, labels, method, choice, base_scores, ref_assign, n_boot) -> dict:
    """Fit one method on the locked documents; its agreement, quality and paired difference."""
    model, counts, kw = _fit_method(texts, method, choice)
    dom = model.doc_topics(counts)["dominant_topic"].to_numpy()
    agree = _agreement_ci(labels, dom, n_boot)
    # paired: the same document resamples for the method and the reference pipeline
    diff_ci = cluster_bootstrap(
        lambda i: (
            normalized_mutual_info_score(labels[i], dom[i])
            - normalized_mutual_info_score(labels[i], ref_assign[i])
        ),
        np.arange(len(labels)),
        n_boot=n_boot,
    )
    return {
        **agree,
        "nmi_minus_reference": agree["nmi"] - base_scores[REFERENCE]["nmi"],
        "nmi_minus_reference_ci": list(diff_ci),
        **_quality(model, counts, kw, method, choice),
        "baselines_detail": base_scores,
    }


def validation_records(eval_dir: Path, n_boot: int = 1000) -> list[ValidationRecord]:
    """NMF and LDA with the tune part's settings, scored on the locked part (see the module doc)."""
    t0 = time.perf_counter()
    parts = bbc_parts(eval_dir)
    tune = parts[parts["part"] == "tune"]
    choice = tune_topics(tune["text"], tune["category"])
    tune_seconds = round(time.perf_counter() - t0, 1)
    locked = parts[parts["part"] == "locked"].reset_index(drop=True)
    texts, labels = locked["text"].tolist(), locked["category"].to_numpy()
    base_scores, ref_assign = _baseline_scores(texts, labels, choice.k, n_boot)
    baselines = [{"name": n, "score": s["nmi"], "ci": s["nmi_ci"]} for n, s in base_scores.items()]
    mismatch = stop_list_agrees(choice.listed_groups)
    prep = choice.preprocessing_choice
    prep = "project preprocessing" if prep == "project default" else prep
    records = []
    for method, name in (("nmf", "NMF"), ("lda", "LDA batch VB")):
        d = _method_details(texts, labels, method, choice, base_scores, ref_assign, n_boot)
        score, ci = d.pop("nmi"), tuple(d.pop("nmi_ci"))
        d.update(
            n_tune=len(tune),
            n_locked=len(locked),
            tuning=choice.to_dict(),
            tune_seconds=tune_seconds,
        )
        records.append(
            ValidationRecord(
                measure="topics",
                method=f"{name} ({prep}, k={choice.k})",
                dataset="BBC News dev",
                part="locked",
                unit="document",
                n_units=len(locked),
                metric="NMI (dominant topic vs section)",
                score=score,
                ci=ci,
                baselines=baselines,
                protocol=_protocol(choice, len(tune)),
                command=COMMAND,
                n_items=len(locked),
                resources=["stopwords_news.yml"],
                code=["topics", "text.py"],
                data_files=[BBC_FILE],
                details=d,
                notes=_notes(score, baselines, mismatch, d),
            )
        )
    return records


def _notes(score: float, baselines: list[dict], mismatch: list[str], details: dict) -> str:
    best = max(baselines, key=lambda b: b["score"])
    lo, hi = details["nmi_minus_reference_ci"]
    diff = (
        f"NMI minus the reference pipeline's, on the same document resamples: "
        f"{details['nmi_minus_reference']:+.3f} [{lo:+.3f}, {hi:+.3f}]."
    )
    out = []
    if score <= best["score"]:
        out.append(f"Does not beat the {best['name']} ({best['score']:.3f}).")
    out.append(diff)
    if mismatch:
        out.append(
            "The shipped stop list differs from the tune part's choice: "
            + "; ".join(mismatch)
            + "."
        )
    out.append(
        "NMI measures agreement with five broad sections; it says nothing about topics finer than them."
    )
    return " ".join(out)
