"""Quality measures for topic models: coherence, diversity, stability, agreement with labels.

These are pure functions of top-word lists, document-term matrices and label vectors, so
they work for any topic model (this project's NMF/LDA, or top words exported from another
tool) and can be unit-tested on hand-built inputs.

Definitions (the same as in ``docs/topics.md``):

* **Document NPMI coherence** of a topic with top words w_1..w_N (N = 10):

      P(w)      = D(w) / D            (share of reference documents containing w)
      P(wi, wj) = D(wi, wj) / D       (share containing both)
      NPMI      = log(P(wi, wj) / (P(wi) P(wj))) / -log P(wi, wj),  and -1 if D(wi, wj) = 0
      coherence = mean of NPMI over the N (N - 1) / 2 pairs i < j

  This is the measure of the BBC News reference points in ``../shared/eval/README.md``
  (Aletras & Stevenson 2013; Röder et al. 2015 call the sliding-window variant C_NPMI).
  When a pair co-occurs in every document (P(wi, wj) = 1) the value is defined as 1.
* **Topic diversity** at top-n (Dieng et al. 2020): unique words among the top n words of
  all topics / (n * number of topics). 1 means no topic shares a top word with another.
* **Stability** across runs (Greene, O'Callaghan & Cunningham 2014): for each pair of runs,
  match topics one-to-one with the Hungarian algorithm to maximise the Jaccard similarity of
  their top-10 word sets; the pair's score is the mean matched Jaccard; stability is the mean
  over all pairs of runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

__all__ = [
    "npmi_coherence",
    "topic_diversity",
    "jaccard",
    "match_topics",
    "topic_stability",
    "purity",
    "label_agreement",
]


def _binary_csc(X) -> sparse.csc_matrix:
    """Document-term presence matrix (0/1) in CSC form so column slices are cheap."""
    Xb = sparse.csc_matrix(X, dtype=np.float64, copy=True)
    Xb.data = np.ones_like(Xb.data)
    Xb.eliminate_zeros()
    return Xb


def npmi_coherence(
    top_terms: Sequence[Sequence[str]],
    X,
    vocabulary: Sequence[str] | dict[str, int],
    n_top: int = 10,
) -> pd.DataFrame:
    """Document-level NPMI coherence of each topic's top words.

    NPMI(wi, wj) = log(P(wi, wj) / (P(wi) P(wj))) / -log P(wi, wj), with P the share of
    reference documents (rows of ``X``) containing the word(s); a pair that never co-occurs
    scores -1; a topic's coherence is the mean over its n_top * (n_top - 1) / 2 pairs.

    Args:
        top_terms: one list of words per topic, best first (only the first ``n_top`` used).
        X: reference document-term matrix (counts or weights; only presence matters),
            rows = documents, columns = ``vocabulary``.
        vocabulary: column names of ``X`` (a sequence) or a term -> column index mapping.
        n_top: number of top words per topic.

    Returns:
        DataFrame with columns ``topic`` (int, position in ``top_terms``), ``npmi`` (float in
        [-1, 1]), ``n_pairs`` (pairs scored), ``n_missing`` (top words absent from the
        reference vocabulary; they are skipped, and a topic with < 2 known words gets NaN).

    Example:
        >>> import numpy as np
        >>> X = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1]])
        >>> npmi_coherence([["a", "b"], ["a", "c"]], X, ["a", "b", "c"])["npmi"].round(2).tolist()
        [1.0, -1.0]
    """
    index = (
        dict(vocabulary)
        if isinstance(vocabulary, dict)
        else {t: i for i, t in enumerate(vocabulary)}
    )
    return _npmi_table(top_terms, _binary_csc(X), index, n_top)


def _npmi_table(top_terms, Xb, index: dict, n_top: int) -> pd.DataFrame:
    """:func:`npmi_coherence` on a presence matrix from ``_binary_csc`` and a term -> column
    mapping (a sweep makes both once for all its fits)."""
    n_docs = Xb.shape[0]
    rows = []
    for t, words in enumerate(top_terms):
        words = list(words)[:n_top]
        cols = [index[w] for w in words if w in index]
        n_missing = len(words) - len(cols)
        if len(cols) < 2 or n_docs == 0:
            rows.append({"topic": t, "npmi": np.nan, "n_pairs": 0, "n_missing": n_missing})
            continue
        sub = Xb[:, cols]
        co = (sub.T @ sub).toarray()
        df = np.diag(co)
        iu = np.triu_indices(len(cols), k=1)
        joint = co[iu] / n_docs
        pi = df[iu[0]] / n_docs
        pj = df[iu[1]] / n_docs
        with np.errstate(divide="ignore", invalid="ignore"):
            pmi = np.log(joint / (pi * pj))
            npmi = pmi / -np.log(joint)
        # A pair present in every document has log P = 0: perfectly associated by definition.
        npmi = np.where(joint >= 1.0, 1.0, npmi)
        npmi = np.where(joint == 0, -1.0, npmi)
        rows.append(
            {
                "topic": t,
                "npmi": float(np.mean(npmi)),
                "n_pairs": int(len(npmi)),
                "n_missing": n_missing,
            }
        )
    return pd.DataFrame(rows, columns=["topic", "npmi", "n_pairs", "n_missing"])


def topic_diversity(top_terms: Sequence[Sequence[str]], n_top: int = 25) -> float:
    """Share of unique words among the top ``n_top`` words of all topics (1 = no overlap).

    Topics with fewer than ``n_top`` words contribute what they have; the denominator is the
    number of words actually considered.

    Example:
        >>> topic_diversity([["a", "b"], ["b", "c"]], n_top=2)
        0.75
    """
    words = [w for topic in top_terms for w in list(topic)[:n_top]]
    if not words:
        return float("nan")
    return len(set(words)) / len(words)


def jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    """Jaccard similarity of two word sets (0 when both are empty)."""
    sa, sb = set(a), set(b)
    union = sa | sb
    return len(sa & sb) / len(union) if union else 0.0


def match_topics(
    top_a: Sequence[Sequence[str]], top_b: Sequence[Sequence[str]], n_top: int = 10
) -> pd.DataFrame:
    """One-to-one matching of topics of run A to topics of run B (Hungarian, max Jaccard).

    Works across different vocabularies (only the words are compared), so a model refitted
    on new data can be matched to the previous one. With unequal numbers of topics, the
    surplus topics of the larger run are reported unmatched (partner -1, jaccard 0).

    Returns:
        DataFrame with columns ``topic_a``, ``topic_b`` (int, -1 if unmatched) and ``jaccard``
        (of the two top-``n_top`` word sets), one row per topic of A and per unmatched topic
        of B, sorted by ``topic_a``.

    Example:
        >>> match_topics([["a", "b"], ["c", "d"]], [["c", "d"], ["a", "x"]])["topic_b"].tolist()
        [1, 0]
    """
    A = [list(t)[:n_top] for t in top_a]
    B = [list(t)[:n_top] for t in top_b]
    rows = []
    if A and B:
        sim = np.array([[jaccard(a, b) for b in B] for a in A])
        ia, ib = linear_sum_assignment(-sim)
        matched_a = dict(zip(ia.tolist(), ib.tolist(), strict=True))
    else:
        sim, matched_a = np.zeros((len(A), len(B))), {}
    for i in range(len(A)):
        j = matched_a.get(i, -1)
        rows.append({"topic_a": i, "topic_b": j, "jaccard": float(sim[i, j]) if j >= 0 else 0.0})
    for j in sorted(set(range(len(B))) - set(matched_a.values())):
        rows.append({"topic_a": -1, "topic_b": j, "jaccard": 0.0})
    return pd.DataFrame(rows, columns=["topic_a", "topic_b", "jaccard"])


def topic_stability(
    runs: Sequence[Sequence[Sequence[str]]], n_top: int = 10
) -> tuple[float, pd.DataFrame]:
    """Mean Hungarian-matched Jaccard of top-word sets over all pairs of runs.

    Args:
        runs: one entry per run (seed), each a list of top-word lists (one per topic).
        n_top: words per topic compared.

    Returns:
        ``(stability, pairs)``: the mean over pairs (NaN with fewer than two runs) and a
        DataFrame with columns ``run_a``, ``run_b``, ``mean_jaccard``, ``min_jaccard``.
        Unmatched topics (runs with different numbers of topics) count as 0.

    Example:
        >>> topic_stability([[["a", "b"], ["c"]], [["c"], ["a", "b"]]])[0]
        1.0
    """
    rows = []
    for i, j in combinations(range(len(runs)), 2):
        m = match_topics(runs[i], runs[j], n_top=n_top)
        rows.append(
            {
                "run_a": i,
                "run_b": j,
                "mean_jaccard": float(m["jaccard"].mean()) if len(m) else np.nan,
                "min_jaccard": float(m["jaccard"].min()) if len(m) else np.nan,
            }
        )
    pairs = pd.DataFrame(rows, columns=["run_a", "run_b", "mean_jaccard", "min_jaccard"])
    value = float(pairs["mean_jaccard"].mean()) if len(pairs) else float("nan")
    return value, pairs


def purity(labels: Sequence, clusters: Sequence) -> float:
    """Share of documents whose cluster's majority label equals their own label.

    Example:
        >>> purity(["a", "a", "b", "b"], [0, 0, 0, 1])
        0.75
    """
    tab = pd.crosstab(pd.Series(list(clusters), name="c"), pd.Series(list(labels), name="l"))
    total = tab.to_numpy().sum()
    return float(tab.max(axis=1).sum() / total) if total else float("nan")


def label_agreement(labels: Sequence, clusters: Sequence) -> dict[str, float]:
    """NMI (arithmetic normalisation, as scikit-learn's default), purity and ARI.

    Rows whose label is missing (NaN/None/"") are dropped first.

    Example:
        >>> label_agreement(["a", "a", "b", "b"], [1, 1, 0, 0])["nmi"]
        1.0
    """
    lab = pd.Series(list(labels), dtype=object)
    keep = lab.notna() & (lab.astype(str).str.strip() != "")
    y = lab[keep].astype(str).to_numpy()
    c = np.asarray(list(clusters))[keep.to_numpy()]
    if len(y) == 0:
        return {"nmi": float("nan"), "purity": float("nan"), "ari": float("nan"), "n": 0}
    return {
        "nmi": float(normalized_mutual_info_score(y, c)),
        "purity": purity(y, c),
        "ari": float(adjusted_rand_score(y, c)),
        "n": int(len(y)),
    }
