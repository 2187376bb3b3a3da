"""Keyness: which words distinguish one group of documents from another, or from English.

:func:`keyness` compares term counts of a target and a reference with the log-likelihood
statistic G² (Dunning 1993; Rayson & Garside 2000) and reports an effect size, the log ratio
(Hardie 2014: log2 of the ratio of relative frequencies, so +1 = twice as frequent in the
target). :func:`compare_groups` builds the two sides from a column (outlet, a date range, any
label) and :func:`keyness_vs_english` compares a corpus with general English using the word
frequencies that ship with the ``wordfreq`` package (no download).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy.stats import chi2

from .text import STOP_WORDS, tokenize

#: Size (tokens) assumed for the wordfreq reference: its frequencies are proportions, and G²
#: needs counts; 1e9 is of the order of the corpora wordfreq blends, and a larger value only
#: makes the reference side more certain (G² grows slightly, log ratios are unchanged).
WORDFREQ_REFERENCE_SIZE = 1_000_000_000


def term_counts(texts: Iterable[str], stop_words=STOP_WORDS, min_length: int = 2) -> Counter:
    """Lower-cased word counts over ``texts`` (stop words and tokens shorter than
    ``min_length`` removed)."""
    c: Counter = Counter()
    for t in texts:
        c.update(
            w
            for w in tokenize(t if isinstance(t, str) else "", stop_words=stop_words)
            if len(w) >= min_length
        )
    return c


def _g2(a, b, c, d):
    # a, b: counts in target/reference; c, d: corpus sizes
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
    return 2 * (t1 + t2)


def keyness(
    target: Counter | pd.Series,
    reference: Counter | pd.Series,
    min_count: int = 3,
    reference_size: float | None = None,
    target_size: float | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Log-likelihood keyness of every term in ``target`` against ``reference``.

    ``target`` and ``reference`` are term -> count mappings (Counter or Series). Sizes default
    to the sums of the counts (pass them when the mappings are truncated). Out, one row per
    term with ``count_target >= min_count`` or ``count_reference >= min_count``, sorted by G²:
    ``term``, ``count_target``, ``count_reference``, ``per_million_target``,
    ``per_million_reference``, ``g2``, ``p_value`` (chi-square, 1 d.f.), ``log_ratio``
    (log2, zero counts smoothed with 0.5), ``key_for`` ("target" or "reference").

    >>> from collections import Counter
    >>> k = keyness(Counter({"islands": 30, "the": 100}), Counter({"islands": 1, "the": 120}))
    >>> k.iloc[0][["term", "key_for"]].tolist()
    ['islands', 'target']
    """
    t = pd.Series(dict(target), dtype=float)
    r = pd.Series(dict(reference), dtype=float)
    terms = t.index.union(r.index)
    a = t.reindex(terms, fill_value=0.0).to_numpy()
    b = r.reindex(terms, fill_value=0.0).to_numpy()
    c = float(target_size or a.sum())
    d = float(reference_size or b.sum())
    cols = [
        "term",
        "count_target",
        "count_reference",
        "per_million_target",
        "per_million_reference",
        "g2",
        "p_value",
        "log_ratio",
        "key_for",
    ]
    if c <= 0 or d <= 0:
        return pd.DataFrame(columns=cols)
    keep = (a >= min_count) | (b >= min_count)
    a, b, terms = a[keep], b[keep], terms[keep]
    g2 = _g2(a, b, c, d)
    lr = np.log2(((np.where(a > 0, a, 0.5)) / c) / ((np.where(b > 0, b, 0.5)) / d))
    out = pd.DataFrame(
        {
            "term": terms,
            "count_target": a.astype(int),
            "count_reference": np.round(b).astype(int),
            "per_million_target": 1e6 * a / c,
            "per_million_reference": 1e6 * b / d,
            "g2": g2,
            "p_value": chi2.sf(g2, 1),
            "log_ratio": lr,
        }
    )
    out["key_for"] = np.where(a / c >= b / d, "target", "reference")
    out = out.sort_values(["g2", "term"], ascending=[False, True]).reset_index(drop=True)
    return out.head(top) if top else out


def compare_groups(
    corpus: pd.DataFrame,
    by: str,
    target,
    reference=None,
    min_count: int = 3,
    stop_words=STOP_WORDS,
    top: int | None = None,
) -> pd.DataFrame:
    """Keyness of the documents where ``corpus[by] == target`` against the rest (or against
    ``corpus[by] == reference``). ``target``/``reference`` may be a value, a list of values, or a
    callable applied to the column (e.g. ``lambda d: d < "2013-01-01"`` for a date range).

    Out: :func:`keyness` columns plus ``target`` and ``reference`` (descriptions of the sides).
    Raises ValueError naming the column when a side has no documents.
    """
    if by not in corpus.columns:
        raise ValueError(f"compare_groups: no column {by!r} in the corpus ({list(corpus.columns)})")
    col = corpus[by]

    def mask(sel):
        if callable(sel):
            return np.asarray(sel(col), dtype=bool)
        if isinstance(sel, (list, tuple, set)):
            return col.isin(list(sel)).to_numpy()
        return (col == sel).to_numpy()

    m_t = mask(target)
    m_r = ~m_t if reference is None else mask(reference)
    if not m_t.any() or not m_r.any():
        raise ValueError(
            f"compare_groups: {'target' if not m_t.any() else 'reference'} side has no "
            f"documents in column {by!r}; values are {sorted(map(str, col.dropna().unique()))[:10]}"
        )
    k = keyness(
        term_counts(corpus.loc[m_t, "text"], stop_words),
        term_counts(corpus.loc[m_r, "text"], stop_words),
        min_count=min_count,
        top=top,
    )
    k["target"] = f"{by}={target if not callable(target) else 'selection'}"
    k["reference"] = (
        "rest"
        if reference is None
        else f"{by}={reference if not callable(reference) else 'selection'}"
    )
    return k


def keyness_vs_english(
    texts: Iterable[str] | pd.DataFrame,
    min_count: int = 2,
    stop_words=STOP_WORDS,
    lang: str = "en",
    top: int | None = None,
    reference_size: float = WORDFREQ_REFERENCE_SIZE,
) -> pd.DataFrame:
    """Keyness of a corpus (or one document) against general English (wordfreq frequencies).

    Words wordfreq does not know get its floor frequency (1e-9), so names like "Diaoyu" come
    out strongly key. Only terms over-represented in the target are meaningful here (the
    reference is all of English), so the result is filtered to ``key_for == "target"``.
    Out: :func:`keyness` columns.
    """
    from wordfreq import word_frequency

    if isinstance(texts, pd.DataFrame):
        texts = texts["text"]
    counts = term_counts(texts, stop_words)
    size = float(sum(counts.values()))
    counts = Counter({w: n for w, n in counts.items() if n >= min_count})
    ref = {w: max(word_frequency(w.replace("’", "'"), lang), 1e-9) * reference_size for w in counts}
    k = keyness(counts, ref, min_count=min_count, reference_size=reference_size, target_size=size)
    k = k[k["key_for"] == "target"].reset_index(drop=True)
    return k.head(top) if top else k
