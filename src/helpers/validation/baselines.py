"""Trivial predictions every method is shown beside: a method that does not beat them says so.

>>> majority_class(["neu", "neu", "pos"], n=3)
['neu', 'neu', 'neu']
>>> always_yes(2, ["CO", "EC"]).tolist()
[[1, 1], [1, 1]]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np


def majority_class(train_labels: Sequence, n: int) -> list:
    """Predict the most frequent *training* label for each of ``n`` units (ties: smallest label)."""
    counts = Counter(train_labels)
    if not counts:
        raise ValueError("no training labels to take a majority from")
    top = max(counts.values())
    label = sorted((lab for lab, c in counts.items() if c == top), key=str)[0]
    return [label] * n


def always_yes(n: int, labels: Sequence[str]) -> np.ndarray:
    """Every frame present in every unit: the multi-label baseline (n × labels matrix of 1)."""
    return np.ones((n, len(labels)), dtype=int)
