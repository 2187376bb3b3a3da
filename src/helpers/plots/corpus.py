"""Figures for the corpus overview (notebook 00)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd


def plot_documents_over_time(corpus: pd.DataFrame, freq: str = "MS", by: str = "outlet", top: int = 8):
    """Stacked bars of documents per period for the ``top`` most frequent values of ``by``.

    Returns ``(fig, table)``; ``table`` columns: ``period``, ``by`` value, ``n_docs``.
    Documents without a date are counted in the title, not plotted.
    """
    dated = corpus.dropna(subset=["date"])
    n_undated = len(corpus) - len(dated)
    fig, ax = plt.subplots(figsize=(9, 3.5))
    if dated.empty:
        ax.text(0.5, 0.5, "no dated documents", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig, pd.DataFrame(columns=["period", by, "n_docs"])
    groups = dated[by].replace("", "(unknown)")
    keep = groups.value_counts().head(top).index
    groups = groups.where(groups.isin(keep), "(other)")
    period = dated["date"].dt.to_period(freq.rstrip("S") or "M").dt.to_timestamp()
    table = (pd.DataFrame({"period": period, by: groups}).groupby(["period", by]).size()
             .rename("n_docs").reset_index())
    wide = table.pivot(index="period", columns=by, values="n_docs").fillna(0)
    bottom = None
    width = _bar_width_days(wide.index)
    for col in wide.columns:
        ax.bar(wide.index, wide[col], bottom=bottom, width=width, label=str(col))
        bottom = wide[col] if bottom is None else bottom + wide[col]
    ax.set_ylabel("documents")
    ax.set_xlabel("period")
    ax.set_title(f"Documents over time by {by}" + (f" ({n_undated} undated not shown)" if n_undated else ""))
    ax.legend(fontsize=8, ncol=2, frameon=False)
    fig.autofmt_xdate()
    return fig, table


def _bar_width_days(periods: pd.Index) -> float:
    """Bar width in days: 20 for monthly (or longer) periods as before, else 80 % of the shortest
    gap between periods, so a year of daily or weekly bars does not overlap."""
    if len(periods) < 2:
        return 5
    gap = pd.Series(periods).diff().dropna().min() / pd.Timedelta(days=1)
    return 20 if gap >= 28 else 0.8 * gap


def plot_lengths(corpus: pd.DataFrame, by: str | None = None, bins: int = 30):
    """Histogram of document lengths in words (one series per ``by`` value if given).

    Returns ``(fig, table)`` with ``doc_id``, ``n_words`` and the ``by`` column.
    """
    fig, ax = plt.subplots(figsize=(7, 3.5))
    cols = ["doc_id", "n_words"] + ([by] if by else [])
    table = corpus[cols].copy()
    if len(corpus) == 1:
        ax.axvline(corpus["n_words"].iloc[0], color="C0")
        ax.set_title(f"Length of the single document: {corpus['n_words'].iloc[0]} words")
    else:
        if by:
            for key, part in corpus.groupby(by):
                ax.hist(part["n_words"], bins=bins, alpha=0.5, label=str(key) or "(unknown)")
            ax.legend(fontsize=8, frameon=False)
        else:
            ax.hist(corpus["n_words"], bins=bins, color="C0")
        ax.set_title("Document lengths")
    ax.set_xlabel("words")
    ax.set_ylabel("documents")
    return fig, table


def plot_top_terms(freqs: pd.DataFrame, n: int = 20, title: str = "Most frequent terms"):
    """Horizontal bars of the ``n`` most frequent terms of a :func:`helpers.textstats.term_frequencies` table."""
    top = freqs.head(n).iloc[::-1]
    fig, ax = plt.subplots(figsize=(6, max(2.5, 0.25 * len(top) + 1)))
    ax.barh(top["term"], top["count"], color="C2")
    ax.set_xlabel("count")
    ax.set_title(title)
    return fig, freqs.head(n).reset_index(drop=True)


#: Cluster sizes drawn as their own bar; larger clusters share one last bar ("≥ k").
CLUSTER_SIZE_BARS = 15


def _lump_tail(table: pd.DataFrame, bars: int) -> pd.DataFrame:
    """``copies`` as labels, the sizes after the first ``bars - 1`` summed into one "≥ k" bar."""
    labels = table["copies"].astype(str)
    if len(table) <= bars:
        return pd.DataFrame({"copies": labels, "stories": table["stories"]})
    head = table.iloc[:bars - 1]
    tail = pd.DataFrame({"copies": [f"≥ {table['copies'].iloc[bars - 1]}"],
                         "stories": [int(table["stories"].iloc[bars - 1:].sum())]})
    return pd.concat([pd.DataFrame({"copies": labels.iloc[:bars - 1], "stories": head["stories"]}), tail],
                     ignore_index=True)


def plot_cluster_sizes(clusters):
    """Bars: how many stories ran in 2, 3, ... copies (from :func:`helpers.corpus.duplicate_clusters`);
    sizes beyond the first :data:`CLUSTER_SIZE_BARS` - 1 share one bar, the table keeps every size.

    Returns ``(fig, table)``; ``table`` columns: ``copies`` (cluster size), ``stories``.
    """
    fig, ax = plt.subplots(figsize=(6, 3))
    table = (clusters.groupby("size").size().rename("stories").reset_index().rename(columns={"size": "copies"})
             if len(clusters) else pd.DataFrame(columns=["copies", "stories"]))
    if table.empty:
        ax.text(0.5, 0.5, "no story appears more than once", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig, table
    shown = _lump_tail(table, CLUSTER_SIZE_BARS)
    ax.bar(shown["copies"], shown["stories"], color="C4")
    ax.set_xlabel("copies of the story in the corpus (earliest included)")
    ax.set_ylabel("stories")
    ax.set_title(f"Syndicated stories: {int(table['stories'].sum())} with copies")
    return fig, table
