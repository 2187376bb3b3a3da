"""Topic models for news coverage: preprocess, fit, choose k, read, compare groups, rerun.

Modules, in the order a notebook uses them:

* :mod:`~helpers.topics.stopwords` — the default token pattern, the news boilerplate stop
  words (``resources/stopwords_news.yml``) and the corpus's outlet names.
* :mod:`~helpers.topics.preprocess` — :class:`TopicVectorizer`, the one configurable
  preprocessing step; ``report_`` says what each sub-step removed.
* :mod:`~helpers.topics.tokens` — array token counting behind it; :func:`document_counts`
  (documents' counts from their paragraphs', so both are tokenised once).
* :mod:`~helpers.topics.models` — :class:`TopicModel` (NMF on tf-idf with a deterministic
  NNDSVD start, LDA batch/online, MiniBatchNMF), :data:`METHODS`, ``BLAS_THREADS``.
* :mod:`~helpers.topics.terms` — term rankings (probability, relevance, FREX) and
  :func:`label_topics`.
* :mod:`~helpers.topics.metrics` — NPMI coherence, diversity, Hungarian topic matching,
  stability, purity and agreement with labels (pure functions of top words and matrices).
* :mod:`~helpers.topics.sweep` — :func:`sweep_topics` and :class:`SweepResult`: every
  (k, seed) with the measures that inform the choice of k; :mod:`~helpers.topics.batch`
  fits a seed's NMF models side by side (shared products, same fits).
* :mod:`~helpers.topics.reading` — :func:`representative_documents`,
  :func:`representative_passages`, :func:`topic_map`.
* :mod:`~helpers.topics.groups` — :func:`date_bins`, :func:`topic_prevalence` (bootstrap
  intervals), :func:`distinguishing_terms` (within-topic log-odds).
* :mod:`~helpers.topics.alignment` — :func:`align_models`, matching two fits' topics.
* :mod:`~helpers.topics.scale` — :func:`plan_scale` (:data:`LARGE_CORPUS`: above it the sweep
  runs on a seeded sample and the final model streams), :func:`top_documents`.
* :mod:`~helpers.topics.validation` — :func:`validate_topics`, the computation behind
  ``python -m helpers validate topics FILE`` (the command itself is :mod:`helpers.cli.topics`).
* :mod:`~helpers.topics.tuning` — :func:`tune_topics`: every label-guided choice (stop-list
  candidates, preprocessing, k) made on the tune part of BBC News only.
* :mod:`~helpers.topics.locked` — :func:`validation_records`: the locked-part validation that
  ``python -m helpers validate all`` reports (the only reader of the locked part).

New data: :meth:`TopicModel.oov_report` and :func:`align_models`.
"""

from __future__ import annotations

from .alignment import align_models
from .groups import date_bins, distinguishing_terms, topic_prevalence
from .locked import bbc_parts, tune_part, validation_records
from .metrics import (
    jaccard,
    label_agreement,
    match_topics,
    npmi_coherence,
    purity,
    topic_diversity,
    topic_stability,
)
from .models import METHODS, TopicModel
from .preprocess import TopicVectorizer
from .reading import representative_documents, representative_passages, topic_map
from .scale import LARGE_CORPUS, STREAMING, SWEEP_DOCS, ScalePlan, plan_scale, top_documents
from .stopwords import DEFAULT_TOKEN_PATTERN, load_news_stop_words, outlet_stop_words
from .sweep import PERTURBATIONS, SweepResult, sweep_topics
from .terms import label_topics
from .tokens import document_counts
from .tuning import STOP_CANDIDATES, TuneResult, stop_list_agrees, tune_topics
from .validation import PRESETS, TableError, labelled_texts, validate_topics

__all__ = [
    "DEFAULT_TOKEN_PATTERN",
    "LARGE_CORPUS",
    "STREAMING",
    "SWEEP_DOCS",
    "ScalePlan",
    "plan_scale",
    "top_documents",
    "METHODS",
    "PERTURBATIONS",
    "PRESETS",
    "STOP_CANDIDATES",
    "TopicVectorizer",
    "document_counts",
    "TopicModel",
    "SweepResult",
    "TableError",
    "load_news_stop_words",
    "outlet_stop_words",
    "sweep_topics",
    "label_topics",
    "representative_documents",
    "representative_passages",
    "topic_map",
    "topic_prevalence",
    "date_bins",
    "distinguishing_terms",
    "align_models",
    "npmi_coherence",
    "topic_diversity",
    "jaccard",
    "match_topics",
    "topic_stability",
    "purity",
    "label_agreement",
    "labelled_texts",
    "validate_topics",
    "TuneResult",
    "tune_topics",
    "stop_list_agrees",
    "bbc_parts",
    "tune_part",
    "validation_records",
]
