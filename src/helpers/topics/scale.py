"""Large corpora: which path a topic analysis takes, and why.

* :data:`LARGE_CORPUS` — above this many units (20,000) the analysis takes the large path.
* :data:`SWEEP_DOCS` — above this many units (2,000) the sweep, its stability refits and the
  rerun demonstration use a seeded sample of this size.
* :func:`plan_scale` — the :class:`ScalePlan` for a corpus: the rows the sweep fits, the
  final model's method, the transform chunk size and a sentence saying which path ran and why.
* :func:`top_documents` — the documents with the highest share of any topic (the large path
  reads passages from these only, instead of splitting every document).

Up to :data:`SWEEP_DOCS` units nothing changes: the sweep fits every unit, the final model is
the method asked for (NMF with its deterministic start by default), every document is split
into passages. Above it, the sweep's k × seeds × 2 refits (36 fits in the notebook) would each
cost a fit of the whole corpus, so they run on a fixed seeded sample of :data:`SWEEP_DOCS`
units (the final model still uses all). Above :data:`LARGE_CORPUS` the final model is fitted
once on every unit with the streaming variant of the method (MiniBatchNMF for NMF, online
variational Bayes for LDA: both update the topics from mini-batches of documents, so time grows
linearly with the corpus and memory stays at the sparse count matrix), and document-topic
shares are computed in chunks of ``chunk_docs`` documents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.config import SEED

__all__ = ["LARGE_CORPUS", "SWEEP_DOCS", "STREAMING", "ScalePlan", "plan_scale", "top_documents"]

#: Units (documents, or paragraphs of a small corpus) above which the large path runs.
LARGE_CORPUS = 20_000
#: Above this many units, the sweep over k and its stability run on a seeded sample of this size
#: (a sweep costs 36 fits in the notebook; on 2,000 units it takes what a 2,000-unit corpus takes).
SWEEP_DOCS = 2_000
#: Documents per chunk when the large path computes document-topic shares.
CHUNK_DOCS = 10_000
#: The streaming variant of each method (the large path's final model).
STREAMING = {"nmf": "minibatch-nmf", "lda": "online-lda", "minibatch-nmf": "minibatch-nmf",
             "online-lda": "online-lda"}


@dataclass(frozen=True)
class ScalePlan:
    """What a topic analysis of ``n_units`` units does.

    ``large`` (bool), ``sweep_rows`` (sorted row positions the sweep, stability and rerun demo
    use: all rows, or the seeded sample), ``method`` (the final model's method), ``chunk_docs``
    (rows per transform chunk; None = all at once), ``note`` (which path ran and why, for the
    page).
    """

    n_units: int
    large: bool
    sweep_rows: np.ndarray
    method: str
    chunk_docs: int | None
    note: str

    @property
    def sampled(self) -> bool:
        """True when the sweep uses a sample (fit its own vectorizer on the sample's texts)."""
        return len(self.sweep_rows) < self.n_units


def plan_scale(
    n_units: int,
    method: str = "nmf",
    large_corpus: int = LARGE_CORPUS,
    sweep_docs: int | None = SWEEP_DOCS,
    chunk_docs: int = CHUNK_DOCS,
    random_state: int | None = SEED,
) -> ScalePlan:
    """The path for ``n_units`` units.

    In: the number of units, the method asked for and the thresholds. Out: a
    :class:`ScalePlan`. Up to ``sweep_docs`` units (None: no limit) the sweep fits all of them,
    as before; above it, a sample of ``sweep_docs`` rows drawn without replacement with
    ``numpy.random.default_rng(random_state)``, sorted (the same rows on every rerun). Up to
    ``large_corpus`` units the final model is ``method``; above it, its streaming variant
    (:data:`STREAMING`) with shares computed in chunks of ``chunk_docs``.

    Example:
        >>> plan_scale(500).large, plan_scale(50_000, sweep_docs=1000).sweep_rows.shape
        (False, (1000,))
    """
    sample = sweep_docs is not None and n_units > sweep_docs
    rows = np.arange(n_units)
    if sample:
        rng = np.random.default_rng(random_state)
        rows = np.sort(rng.choice(n_units, size=sweep_docs, replace=False))
    large = n_units > large_corpus
    final = STREAMING.get(method, method) if large else method
    parts = [f"{n_units:,} units."]
    if sample:
        parts.append(
            f"**The sweep over k, its stability refits and the rerun demonstration use a fixed "
            f"seeded sample of {len(rows):,} units** (`sweep_docs`: above it, the sweep's 36 refits "
            "of the whole corpus would dominate the run time), preprocessed as a corpus of its own; "
            "the final model uses all units."
        )
    else:
        parts.append("Every fit uses all of them.")
    if large:
        parts.append(
            f"**Above the `large_corpus` threshold ({large_corpus:,}), the final model is "
            f"`{final}`**, which streams over mini-batches of documents (time linear in the "
            f"corpus, memory bounded by the sparse counts); document-topic shares are computed in "
            f"chunks of {chunk_docs:,} documents and passages are read from each topic's "
            "highest-share documents."
        )
    else:
        parts.append(
            f"At most {large_corpus:,} units (`large_corpus`): the final model is `{final}` fitted "
            "on all of them at once."
        )
    return ScalePlan(n_units, large, rows, final, chunk_docs if large else None, " ".join(parts))


def top_documents(doc_topics: pd.DataFrame, n: int = 50, id_col: str = "doc_id") -> list:
    """Ids of the ``n`` rows with the highest share of each topic (union, in first-seen order).

    In: a wide table from :meth:`TopicModel.doc_topics` (``topic_*`` columns). Out: a list of
    ``id_col`` values, at most ``n`` × k; rows with a zero share are not taken.

    Example:
        >>> dt = pd.DataFrame({"doc_id": ["a", "b", "c"], "topic_0": [0.9, 0.1, 0.0],
        ...                    "topic_1": [0.1, 0.9, 0.0]})
        >>> top_documents(dt, n=1)
        ['a', 'b']
    """
    ids: dict = {}
    for col in [c for c in doc_topics.columns if str(c).startswith("topic_")]:
        top = doc_topics.nlargest(n, col)
        for did in top.loc[top[col] > 0, id_col]:
            ids.setdefault(did, None)
    return list(ids)
