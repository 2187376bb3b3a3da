"""Matching the topics of two fits (last month's and this month's, two seeds) one-to-one.

:func:`align_models` pairs topics by the Jaccard similarity of their top words (Hungarian
matching, :func:`helpers.topics.metrics.match_topics`), so the fits may differ in vocabulary
and in k.
"""

from __future__ import annotations

import pandas as pd

from .metrics import match_topics
from .models import TopicModel

__all__ = ["align_models"]


def align_models(model_a: TopicModel, model_b: TopicModel, n_top: int = 10) -> pd.DataFrame:
    """Match the topics of two fits (e.g. last month's and this month's) one-to-one.

    Hungarian matching on the Jaccard similarity of top-``n_top`` word sets, so the two fits
    may have different vocabularies and different k.

    Returns:
        DataFrame ``topic_a``, ``label_a``, ``topic_b``, ``label_b``, ``jaccard``,
        ``shared_words``; unmatched topics have -1 and an empty label. A jaccard below about
        0.2 means the "matched" topic is in effect new.
    """
    ta, tb = model_a.top_words(n_top), model_b.top_words(n_top)
    m = match_topics(ta, tb, n_top=n_top)
    m["label_a"] = [model_a.labels_[i] if i >= 0 else "" for i in m["topic_a"]]
    m["label_b"] = [model_b.labels_[j] if j >= 0 else "" for j in m["topic_b"]]
    m["shared_words"] = [
        " ".join(sorted(set(ta[i]) & set(tb[j]))) if i >= 0 and j >= 0 else ""
        for i, j in zip(m["topic_a"], m["topic_b"], strict=True)
    ]
    return m[["topic_a", "label_a", "topic_b", "label_b", "jaccard", "shared_words"]]
