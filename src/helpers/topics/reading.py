"""Reading a fitted topic model: the documents, passages and map that show what topics mean.

* :func:`representative_documents` — the documents with the highest share of each topic.
* :func:`representative_passages` — paragraphs or sentences that best show each topic.
* :func:`topic_map` — intertopic distances (Jensen–Shannon) laid out in 2-D with MDS.

Term rankings and labels are in :mod:`helpers.topics.terms`.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from itertools import combinations

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon

from helpers.config import SEED

from .models import TopicModel

__all__ = ["representative_documents", "representative_passages", "topic_map"]


def _excerpt(text: str, n_chars: int = 240) -> str:
    t = re.sub(r"\s+", " ", str(text)).strip()
    return t if len(t) <= n_chars else t[: n_chars - 1].rsplit(" ", 1)[0] + "…"


def representative_documents(
    model: TopicModel,
    table: pd.DataFrame,
    n: int = 3,
    text_col: str = "text",
    id_col: str = "doc_id",
    doc_topics: pd.DataFrame | None = None,
    excerpt_chars: int = 240,
) -> pd.DataFrame:
    """The ``n`` documents (or units) with the highest share of each topic.

    Args:
        model: fitted :class:`TopicModel`.
        table: corpus or units table with ``id_col`` and ``text_col`` (``title`` shown if
            present).
        doc_topics: wide table from :meth:`TopicModel.doc_topics` for ``table`` (computed if
            None).

    Returns:
        DataFrame ``topic``, ``label``, ``rank``, ``doc_id``, ``share``, ``title``,
        ``excerpt`` (whitespace-collapsed beginning of the text; untrusted article text —
        display it as a DataFrame, which escapes HTML).
    """
    dt = doc_topics if doc_topics is not None else model.doc_topics(table[text_col], table[id_col])
    texts = dict(zip(table[id_col], table[text_col], strict=False))
    titles = (
        dict(zip(table[id_col], table["title"], strict=False)) if "title" in table.columns else {}
    )
    rows = []
    for k in range(model.n_topics_):
        col = f"topic_{k}"
        top = dt.nlargest(n, col)
        for r, (_, row) in enumerate(top.iterrows()):
            if row[col] <= 0:
                continue
            did = row["doc_id"]
            rows.append(
                {
                    "topic": k,
                    "label": model.labels_[k],
                    "rank": r,
                    "doc_id": did,
                    "share": float(row[col]),
                    "title": titles.get(did, ""),
                    "excerpt": _excerpt(texts.get(did, ""), excerpt_chars),
                }
            )
    return pd.DataFrame(
        rows, columns=["topic", "label", "rank", "doc_id", "share", "title", "excerpt"]
    )


def representative_passages(
    model: TopicModel,
    units_table: pd.DataFrame,
    n: int = 3,
    min_terms: int = 5,
    max_per_doc: int = 1,
    excerpt_chars: int = 300,
    tokens=None,
) -> pd.DataFrame:
    """Passages (paragraphs or sentences from ``helpers.text.units``) that best show each topic.

    A passage is scored by its share of the topic times the share of its terms the model
    knows, so a two-word caption cannot win by being pure; passages with fewer than
    ``min_terms`` known terms are skipped, and at most ``max_per_doc`` passages per document
    are shown so one long article does not fill the list. ``tokens``: the passages' token
    counts made already (``model.vectorizer_.token_counts(units_table["text"])``).

    Returns:
        DataFrame ``topic``, ``label``, ``rank``, ``unit_id``, ``doc_id``, ``share``,
        ``score``, ``text`` (excerpt; untrusted).
    """
    cols = ["topic", "label", "rank", "unit_id", "doc_id", "share", "score", "text"]
    if units_table.empty:
        return pd.DataFrame(columns=cols)
    texts = units_table["text"].tolist()
    # one pass of the analyser gives the counts and each passage's number of content terms
    counts, n_terms = model.vectorizer_.transform_with_lengths(texts, tokens=tokens)
    known = np.asarray(counts.sum(axis=1)).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = np.where(n_terms > 0, known / np.where(n_terms > 0, n_terms, 1), 0.0)
    theta = model.transform(counts)
    ok = known >= min_terms
    rows = []
    for k in range(model.n_topics_):
        score = np.where(ok, theta[:, k] * coverage, -1.0)
        per_doc: Counter = Counter()
        r = 0
        for i in np.argsort(-score, kind="stable"):
            if score[i] <= 0 or r >= n:
                break
            did = units_table["doc_id"].iloc[i]
            if per_doc[did] >= max_per_doc:
                continue
            per_doc[did] += 1
            rows.append(
                (
                    k,
                    model.labels_[k],
                    r,
                    units_table["unit_id"].iloc[i],
                    did,
                    float(theta[i, k]),
                    float(score[i]),
                    _excerpt(texts[i], excerpt_chars),
                )
            )
            r += 1
    return pd.DataFrame(rows, columns=cols)


def topic_map(model: TopicModel, random_state: int | None = SEED) -> pd.DataFrame:
    """Intertopic distance map: Jensen–Shannon distances between topic-term distributions,
    laid out in 2-D with metric MDS (as LDAvis does).

    Returns:
        DataFrame ``topic``, ``label``, ``x``, ``y``, ``prevalence`` (mean document share),
        ``nearest`` (closest other topic, -1 if only one) and ``js_nearest`` (its JS
        distance, base 2, in [0, 1]). The full matrix is in ``result.attrs["distances"]``.
    """
    phi = model.topic_term_
    k = phi.shape[0]
    D = np.zeros((k, k))
    for i, j in combinations(range(k), 2):
        D[i, j] = D[j, i] = jensenshannon(phi[i], phi[j], base=2)
    D = np.nan_to_num(D)
    if k == 1:
        xy = np.zeros((1, 2))
    elif k == 2:
        xy = np.array([[-D[0, 1] / 2, 0.0], [D[0, 1] / 2, 0.0]])
    else:
        from sklearn.manifold import MDS

        mds_kw = dict(n_components=2, random_state=random_state, n_init=4)
        try:
            mds = MDS(dissimilarity="precomputed", normalized_stress="auto", **mds_kw)
        except TypeError:  # newer scikit-learn renamed the argument
            mds = MDS(metric="precomputed", **mds_kw)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=FutureWarning)
            xy = mds.fit_transform(D)
    Dn = D + np.eye(k) * 9.0
    nearest = Dn.argmin(axis=1) if k > 1 else np.array([-1])
    out = pd.DataFrame(
        {
            "topic": range(k),
            "label": model.labels_,
            "x": xy[:, 0],
            "y": xy[:, 1],
            "prevalence": model.prevalence_,
            "nearest": nearest,
            "js_nearest": [D[i, j] if j >= 0 else np.nan for i, j in enumerate(nearest)],
        }
    )
    out.attrs["distances"] = D
    return out
