"""Figures for the sentiment measures (helpers.sentiment: lexicon tone, tone toward targets).

Each function takes a tidy table from the measure modules and returns a matplotlib Figure;
save it with :func:`helpers.plots.save_figure` together with the table behind it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

__all__ = [
    "plot_tone_distribution",
    "plot_group_tone",
    "plot_target_tone",
    "plot_confusion",
    "plot_tone_over_position",
]


def plot_tone_distribution(
    scores: pd.DataFrame, value: str = "compound", title: str | None = None, bins: int = 21
):
    """Histogram of unit scores (e.g. VADER compound of every sentence), zero line marked.

    In: a scored table with ``value``. Empty tables give a figure that says so.
    """
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    vals = pd.to_numeric(scores.get(value, pd.Series(dtype=float)), errors="coerce").dropna()
    if vals.empty:
        ax.text(0.5, 0.5, "no scored units", ha="center", va="center", transform=ax.transAxes)
    else:
        ax.hist(
            vals,
            bins=np.linspace(-1, 1, bins + 1) if vals.between(-1, 1).all() else bins,
            color="#4c72b0",
            edgecolor="white",
        )
        ax.axvline(0, color="black", lw=0.8)
        ax.axvline(vals.mean(), color="#c44e52", lw=1.2, ls="--", label=f"mean {vals.mean():+.3f}")
        ax.legend(frameon=False)
    ax.set_xlabel(f"{value} (negative < 0 < positive)")
    ax.set_ylabel("units")
    ax.set_title(title or f"Distribution of {value} ({len(vals)} units)")
    return fig


def plot_group_tone(
    agg: pd.DataFrame,
    group: str,
    title: str | None = None,
    max_groups: int = 25,
    xlabel: str = "mean tone (95% bootstrap interval)",
):
    """Dot-and-interval chart of :func:`helpers.sentiment.aggregate_sentiment` output.

    In: columns ``group``, ``mean``, ``ci_low``, ``ci_high``, ``n_docs``. Groups are sorted by
    mean; only the ``max_groups`` with most documents are shown. Labels carry ``n_docs``.
    """
    data = agg.dropna(subset=["mean"])
    if len(data) > max_groups:
        data = data.nlargest(max_groups, "n_docs")
    data = data.sort_values("mean")
    fig, ax = plt.subplots(figsize=(6.5, max(2.2, 0.38 * len(data) + 1.2)))
    if data.empty:
        ax.text(0.5, 0.5, "nothing to show", ha="center", va="center", transform=ax.transAxes)
    else:
        y = np.arange(len(data))
        lo = (data["mean"] - data["ci_low"]).clip(lower=0)
        hi = (data["ci_high"] - data["mean"]).clip(lower=0)
        ax.errorbar(
            data["mean"], y, xerr=[lo, hi], fmt="o", color="#4c72b0", ecolor="#8da0cb", capsize=3
        )
        ax.set_yticks(y)
        ax.set_yticklabels(
            [f"{g} (n={int(n)})" for g, n in zip(data[group], data["n_docs"], strict=True)]
        )
        ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(xlabel)
    ax.set_title(title or f"Tone by {group}")
    return fig


def plot_target_tone(target_agg: pd.DataFrame, title: str | None = None):
    """Stacked shares of negative/neutral/positive mentions per target, with the mean score.

    In: one row per target with ``target``, ``n_units`` (mentions), ``share_negative``,
    ``share_positive``, ``mean`` (as from ``aggregate_sentiment(mentions, "target",
    value="score")``).
    """
    data = target_agg.sort_values("n_units", ascending=True)
    fig, ax = plt.subplots(figsize=(7, max(2.2, 0.45 * len(data) + 1.2)))
    if data.empty:
        ax.text(
            0.5, 0.5, "no target mentions found", ha="center", va="center", transform=ax.transAxes
        )
    else:
        y = np.arange(len(data))
        neg = data["share_negative"].to_numpy()
        pos = data["share_positive"].to_numpy()
        neu = 1 - neg - pos
        ax.barh(y, neg, color="#c44e52", label="negative")
        ax.barh(y, neu, left=neg, color="#dddddd", label="neutral")
        ax.barh(y, pos, left=neg + neu, color="#55a868", label="positive")
        ax.set_yticks(y)
        ax.set_yticklabels(
            [
                f"{t} (n={int(n)}, mean {m:+.2f})"
                for t, n, m in zip(data["target"], data["n_units"], data["mean"], strict=True)
            ]
        )
        ax.set_xlim(0, 1)
        ax.legend(ncol=3, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    ax.set_xlabel("share of mentions")
    ax.set_title(title or "Polarity toward each target")
    return fig


def plot_confusion(report: dict, title: str | None = None):
    """Confusion matrix from :func:`helpers.sentiment.validation_report` (rows = true labels)."""
    labels = [str(v) for v in report["labels"]]
    cm = np.asarray(report["confusion"], dtype=float)
    fig, ax = plt.subplots(figsize=(4.2, 3.8))
    ax.imshow(cm, cmap="Blues")
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            ax.text(
                j,
                i,
                int(cm[i, j]),
                ha="center",
                va="center",
                color="white" if cm[i, j] > cm.max() / 2 else "black",
            )
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("hand label")
    ax.set_title(title or f"macro-F1 {report['macro_f1']:.2f}, n={report['n']}")
    return fig


def plot_tone_over_position(
    scores: pd.DataFrame, value: str = "compound", title: str | None = None
):
    """Mean tone by sentence position within documents (first sentences = the lead)."""
    fig, ax = plt.subplots(figsize=(6.5, 3.4))
    if scores.empty or "position" not in scores.columns:
        ax.text(0.5, 0.5, "no sentence positions", ha="center", va="center", transform=ax.transAxes)
    else:
        pos = scores["position"].clip(upper=30)
        means = scores.groupby(pos)[value].mean()
        ax.plot(means.index, means.to_numpy(), marker="o", color="#4c72b0")
        ax.axhline(0, color="black", lw=0.8)
        ax.set_xlabel("sentence position in document (30 = 30 and later)")
        ax.set_ylabel(f"mean {value}")
    ax.set_title(title or "Tone along the article")
    return fig
