"""Which words speak for a topic: term rankings (probability, relevance, FREX) and labels.

* ``_term_scores`` — the three rankings of a topic-term matrix φ (with exclusivity and lift),
  used by :meth:`TopicModel.topic_terms` and :func:`label_topics`.
* :func:`label_topics` — short automatic labels from each topic's best FREX words.

This module sits below :mod:`helpers.topics.models` (the model labels itself when fitted), so
it reads a model only through its fitted attributes and does not import the class.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

__all__ = ["label_topics"]


def _ecdf_rows(M: np.ndarray) -> np.ndarray:
    """Within-row empirical CDF (rank / n) of each entry.

    The rank of each entry is the inverse of its row's stable sort order (what a second
    stable argsort of the order gives, at the cost of one scatter instead of one sort).
    """
    order = M.argsort(axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, M.shape[1] + 1), axis=1)
    return ranks / M.shape[1]


def _top_order(values: np.ndarray, n: int) -> np.ndarray:
    """``np.argsort(-values, kind="stable")[:n]`` without sorting every value.

    In: a 1-D array, n. Out: the positions of the n largest values, best first, ties in order
    of position (NaN last), exactly as the full stable sort gives them: only the values at or
    above the n-th largest are sorted.
    """
    neg = -values
    if n <= 0 or n >= neg.shape[0]:
        return np.argsort(neg, kind="stable")[:n]
    kth = np.partition(neg, n - 1)[n - 1]
    if np.isnan(kth):  # fewer than n numbers: the sort's NaN order
        return np.argsort(neg, kind="stable")[:n]
    cand = np.flatnonzero(neg <= kth)
    return cand[np.argsort(neg[cand], kind="stable")[:n]]


def _term_scores(phi, p_w, by, lam, frex_weight):
    eps = 1e-12
    colsum = phi.sum(axis=0, keepdims=True)
    excl = phi / np.where(colsum > 0, colsum, 1.0)
    lift = phi / np.maximum(p_w, eps)
    if by == "probability":
        scores = phi
    elif by == "relevance":
        scores = lam * np.log(phi + eps) + (1 - lam) * np.log(lift + eps)
    elif by == "frex":
        w = frex_weight
        scores = 1.0 / (w / _ecdf_rows(excl) + (1 - w) / _ecdf_rows(phi))
        # Terms with zero weight in the topic are never among its FREX words.
        scores = np.where(phi > 0, scores, -np.inf)
    else:
        raise ValueError(f"by={by!r}: use 'probability', 'relevance' or 'frex'")
    return scores, excl, lift


def label_topics(model, n_words: int = 3, by: str = "frex") -> list[str]:
    """Short automatic labels: the topic's best ``n_words`` terms joined by " · ".

    FREX ranking by default, because the most probable words are often shared by several
    topics while the label must tell them apart; duplicate labels get a "#k" suffix.

    ``model`` is a fitted :class:`~helpers.topics.TopicModel` (its ``topic_term_``,
    ``term_prob_`` and ``vectorizer_`` are read).

    Example:
        >>> # label_topics(model) -> ['election · labour · tory', 'match · cup · club', ...]
    """
    phi = model.topic_term_
    scores, _, _ = _term_scores(phi, model.term_prob_, by, 0.6, 0.7)
    names = model.vectorizer_.get_feature_names_out()
    labels = []
    for k in range(phi.shape[0]):
        order = _top_order(scores[k], n_words)
        lab = " · ".join(str(names[j]).replace("_", " ") for j in order if phi[k, j] > 0)
        labels.append(lab or f"topic {k}")
    seen = Counter(labels)
    return [f"{lab} #{k}" if seen[lab] > 1 else lab for k, lab in enumerate(labels)]
