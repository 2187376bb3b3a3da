"""Topics across groups and time: period bins, topic share by group, words by group.

* :func:`date_bins` — period labels (month, quarter, year) for a date column.
* :func:`topic_prevalence` — mean topic share per group (outlet, period) with percentile
  bootstrap intervals that resample documents (whole documents when rows are paragraphs).
* :func:`distinguishing_terms` — words that distinguish each group from the others *within
  one topic* (log-odds with an informative Dirichlet prior on topic-attributed counts).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from helpers.config import SEED

from .models import TopicModel

__all__ = ["date_bins", "topic_prevalence", "distinguishing_terms"]


def date_bins(dates, freq: str = "auto", max_bins: int = 24) -> pd.Series:
    """Period labels ("2019-12", "2019Q4", "2019") for a date column; NaT stays missing.

    ``freq="auto"`` picks the finest of month, quarter, year giving at most ``max_bins``
    bins over the span of the dates.

    Example:
        >>> date_bins(pd.Series(pd.to_datetime(["2013-01-14", "2013-02-01"]))).tolist()
        ['2013-01', '2013-02']
    """
    d = pd.to_datetime(pd.Series(dates), errors="coerce")
    if freq == "auto":
        valid = d.dropna()
        freq = "M"
        if len(valid):
            for f in ("M", "Q", "Y"):
                freq = f
                if valid.dt.to_period(f).nunique() <= max_bins:
                    break
    out = pd.Series(pd.NA, index=d.index, dtype="object")
    ok = d.notna()
    out[ok] = d[ok].dt.to_period(freq).astype(str)
    return out


def topic_prevalence(
    doc_topics: pd.DataFrame,
    groups: pd.Series | Sequence,
    n_boot: int = 1000,
    alpha: float = 0.05,
    random_state: int | None = SEED,
    labels: Sequence[str] | None = None,
    min_docs: int = 1,
    documents: pd.Series | Sequence | None = None,
) -> pd.DataFrame:
    """Mean topic share per group with percentile bootstrap intervals over *documents*.

    The bootstrap resamples the unit that was sampled: documents, within each group. When the
    rows are paragraphs or sentences, pass ``documents`` (each row's ``doc_id``): the
    prevalence is still the mean share of the group's rows, but every bootstrap draw takes
    whole documents with all their rows (a cluster bootstrap). Resampling paragraphs as if
    they were independent would make the interval far too narrow, since the paragraphs of one
    article share its subject.

    Args:
        doc_topics: wide table from :meth:`TopicModel.doc_topics` (``topic_*`` columns);
            rows without any known term (all-zero shares) are left out.
        groups: one group per row (outlet, date bin...); missing groups are left out.
        n_boot, alpha, random_state: bootstrap settings.
        labels: topic labels for the output (default "topic k").
        min_docs: groups with fewer documents are left out.
        documents: one document id per row (default: every row is its own document).

    Returns:
        DataFrame ``group``, ``topic``, ``label``, ``prevalence``, ``low``, ``high``,
        ``n_docs`` (documents in the group), ``n_units`` (rows). With one document in a
        group, ``low == high == prevalence``.
    """
    cols = [c for c in doc_topics.columns if str(c).startswith("topic_")]
    theta = doc_topics[cols].to_numpy(dtype=float)
    g = pd.Series(list(groups), index=doc_topics.index)
    docs = pd.Series(
        np.arange(len(doc_topics)) if documents is None else list(documents), index=doc_topics.index
    )
    keep = (theta.sum(axis=1) > 0) & g.notna().to_numpy() & docs.notna().to_numpy()
    labels = list(labels) if labels is not None else [f"topic {j}" for j in range(len(cols))]
    rng = np.random.default_rng(random_state)
    rows = []
    for name, idx in g[keep].groupby(g[keep], sort=True).groups.items():
        pos = doc_topics.index.get_indexer(idx)
        # per document: the sum of its rows' shares and its number of rows
        codes, _ = pd.factorize(docs.iloc[pos])
        n_docs = int(codes.max()) + 1
        sums = np.zeros((n_docs, len(cols)))
        np.add.at(sums, codes, theta[pos])
        sizes = np.bincount(codes, minlength=n_docs).astype(float)
        if n_docs < min_docs:
            continue
        mean = sums.sum(axis=0) / sizes.sum()
        if n_docs > 1 and n_boot > 0:
            boots = _bootstrap_means(sums, sizes, rng, n_boot)
            lo, hi = np.quantile(boots, [alpha / 2, 1 - alpha / 2], axis=0)
        else:
            lo = hi = mean
        for j in range(len(cols)):
            rows.append((name, j, labels[j], mean[j], lo[j], hi[j], n_docs, len(pos)))
    return pd.DataFrame(
        rows, columns=["group", "topic", "label", "prevalence", "low", "high", "n_docs", "n_units"]
    )


#: Bootstrap work per block: resamples x documents x topics gathered at once (floats).
BOOT_BLOCK_CELLS = 4_000_000


def _bootstrap_means(sums: np.ndarray, sizes: np.ndarray, rng, n_boot: int) -> np.ndarray:
    """Ratio-of-sums bootstrap: one row per resample of documents (``n_boot`` x k).

    In: per-document share sums (n_docs x k) and row counts (n_docs). The draws are one
    ``rng.integers`` call, as before (int32: the same values as int64 from the same stream, half
    the memory); the resampled sums are gathered a block of resamples at a time, so memory stays
    about ``BOOT_BLOCK_CELLS`` floats instead of n_boot x n_docs x k. Each resample's sums are
    the same additions in the same order as gathering all at once: identical numbers.
    """
    n_docs = len(sizes)
    draws = rng.integers(0, n_docs, size=(n_boot, n_docs), dtype=np.int32)
    step = max(1, BOOT_BLOCK_CELLS // max(1, n_docs * sums.shape[1]))
    boots = np.empty((n_boot, sums.shape[1]))
    for b0 in range(0, n_boot, step):
        d = draws[b0 : b0 + step]
        boots[b0 : b0 + step] = sums[d].sum(axis=1) / sizes[d].sum(axis=1)[:, None]
    return boots


#: Word occurrences (non-zeros) whose topic responsibility is computed at once.
NNZ_BLOCK = 200_000


def _responsibility(theta: np.ndarray, phi: np.ndarray, rows, cols, topic: int) -> np.ndarray:
    """Share of each occurrence (document ``rows``, term ``cols``) attributed to ``topic``:
    θ_dk φ_kw / Σ_j θ_dj φ_jw (0 where the mixture is 0), in blocks of ``NNZ_BLOCK``
    occurrences so memory stays bounded (a nonzeros x k array at once grew with the corpus)."""
    out = np.empty(len(rows))
    for a in range(0, len(rows), NNZ_BLOCK):
        r, c = rows[a : a + NNZ_BLOCK], cols[a : a + NNZ_BLOCK]
        mix = (theta[r] * phi[:, c].T).sum(axis=1)
        out[a : a + NNZ_BLOCK] = np.where(
            mix > 0, theta[r, topic] * phi[topic, c] / np.where(mix > 0, mix, 1), 0
        )
    return out


def distinguishing_terms(
    model: TopicModel,
    texts_or_counts,
    groups: pd.Series | Sequence,
    topic: int,
    n: int = 10,
    prior: float = 0.01,
    min_count: float = 2.0,
    doc_topics: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Words that distinguish each group from the others *within one topic*.

    Each word occurrence is attributed to the topic in proportion to
    θ_dk φ_kw / Σ_j θ_dj φ_jw (the topic's responsibility for that word in that document);
    the topic-attributed counts of each group are compared with the rest by the log-odds
    ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), prior =
    ``prior`` × the corpus-wide topic counts. ``doc_topics``: the wide table from
    :meth:`TopicModel.doc_topics` of the same rows, if already computed (saves a transform).

    Returns:
        DataFrame ``group``, ``rank``, ``term``, ``z`` (z-score of the log-odds ratio; > 1.96
        is distinctive at roughly 5 %), ``count`` (topic-attributed count in the group),
        ``count_rest``. Top ``n`` per group by ``z``.
    """
    model._check_fitted()
    counts = model._counts(texts_or_counts, fit_vectorizer=False)
    if doc_topics is None:
        theta = model.transform(counts)
    else:
        theta = doc_topics[[c for c in doc_topics.columns if str(c).startswith("topic_")]].to_numpy(float)
    phi = model.topic_term_
    g = pd.Series(list(groups))
    coo = counts.tocoo()
    resp = _responsibility(theta, phi, coo.row, coo.col, topic)
    attributed = sparse.csr_matrix((coo.data * resp, (coo.row, coo.col)), shape=counts.shape)
    names = model.feature_names_
    total = np.asarray(attributed.sum(axis=0)).ravel()
    a0 = prior * total + 1e-3
    A0 = a0.sum()
    rows = []
    for name in sorted(g.dropna().unique(), key=str):
        mask = (g == name).to_numpy()
        y1 = np.asarray(attributed[mask].sum(axis=0)).ravel()
        y2 = total - y1
        n1, n2 = y1.sum(), y2.sum()
        if n1 <= 0 or n2 <= 0:
            continue
        l1 = np.log((y1 + a0) / (n1 + A0 - y1 - a0))
        l2 = np.log((y2 + a0) / (n2 + A0 - y2 - a0))
        var = 1.0 / (y1 + a0) + 1.0 / (y2 + a0)
        z = (l1 - l2) / np.sqrt(var)
        z = np.where(y1 >= min_count, z, -np.inf)
        for r, j in enumerate(np.argsort(-z, kind="stable")[:n]):
            if not np.isfinite(z[j]):
                break
            rows.append((name, r, names[j], float(z[j]), float(y1[j]), float(y2[j])))
    return pd.DataFrame(rows, columns=["group", "rank", "term", "z", "count", "count_rest"])
