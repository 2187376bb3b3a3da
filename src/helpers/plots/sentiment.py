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


def _column(agg: pd.DataFrame, prefix: str, suffix: str = "") -> str:
    """The one column of an ``aggregate_sentiment`` table named ``prefix…suffix``."""
    found = [c for c in agg.columns if c.startswith(prefix) and c.endswith(suffix)]
    if len(found) != 1:
        raise ValueError(f"expected one column {prefix}…{suffix} (aggregate_sentiment output), found {found}")
    return found[0]


def _scale(mean_col: str) -> str:
    """``mean_compound_per_document`` -> ``compound``: the score named in the axis label."""
    return mean_col.removeprefix("mean_").removesuffix("_per_document")


def plot_group_tone(
    agg: pd.DataFrame,
    group: str,
    title: str | None = None,
    max_groups: int = 25,
    xlabel: str | None = None,
):
    """Dot-and-interval chart of :func:`helpers.sentiment.aggregate_sentiment` output.

    In: columns ``group``, ``mean_<score>_per_document``, ``ci_low``, ``ci_high``,
    ``n_documents``. Groups are sorted by the mean; only the ``max_groups`` with most documents
    are shown. Labels carry the number of documents; the axis names the score.
    """
    mean_col = _column(agg, "mean_", "_per_document")
    data = agg.dropna(subset=[mean_col])
    if len(data) > max_groups:
        data = data.nlargest(max_groups, "n_documents")
    data = data.sort_values(mean_col)
    fig, ax = plt.subplots(figsize=(6.5, max(2.2, 0.38 * len(data) + 1.2)))
    if data.empty:
        ax.text(0.5, 0.5, "nothing to show", ha="center", va="center", transform=ax.transAxes)
    else:
        y = np.arange(len(data))
        lo = (data[mean_col] - data["ci_low"]).clip(lower=0)
        hi = (data["ci_high"] - data[mean_col]).clip(lower=0)
        ax.errorbar(
            data[mean_col], y, xerr=[lo, hi], fmt="o", color="#4c72b0", ecolor="#8da0cb", capsize=3
        )
        ax.set_yticks(y)
        ax.set_yticklabels(
            [f"{g} ({int(n)} docs)" for g, n in zip(data[group], data["n_documents"], strict=True)]
        )
        ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(xlabel or f"mean {_scale(mean_col)} per document (95% bootstrap interval over documents)")
    ax.set_title(title or f"Tone by {group}")
    return fig


def plot_target_tone(target_agg: pd.DataFrame, title: str | None = None):
    """Stacked shares of negative/neutral/positive mentions per target, with the mean score.

    In: one row per target with ``target``, ``n_mentions``, ``share_negative_mentions``,
    ``share_positive_mentions`` and one ``mean_<score>_per_document`` (as from
    ``aggregate_sentiment(mentions, "target", value=...)``); the label names the score.
    """
    neg_col = _column(target_agg, "share_negative_")
    unit = neg_col.removeprefix("share_negative_")
    pos_col, n_col = f"share_positive_{unit}", f"n_{unit}"
    mean_col = _column(target_agg, "mean_", "_per_document")
    data = target_agg.sort_values(n_col, ascending=True)
    fig, ax = plt.subplots(figsize=(7, max(2.2, 0.45 * len(data) + 1.2)))
    if data.empty:
        ax.text(
            0.5, 0.5, "no target mentions found", ha="center", va="center", transform=ax.transAxes
        )
    else:
        y = np.arange(len(data))
        neg = data[neg_col].to_numpy(dtype=float)
        pos = data[pos_col].to_numpy(dtype=float)
        neu = 1 - neg - pos
        ax.barh(y, neg, color="#c44e52", label="negative")
        ax.barh(y, neu, left=neg, color="#dddddd", label="neutral")
        ax.barh(y, pos, left=neg + neu, color="#55a868", label="positive")
        ax.set_yticks(y)
        ax.set_yticklabels(
            [
                f"{t} (n={int(n)}, mean {_scale(mean_col)} {m:+.2f})"
                for t, n, m in zip(data["target"], data[n_col], data[mean_col], strict=True)
            ]
        )
        ax.set_xlim(0, 1)
        ax.legend(ncol=3, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    ax.set_xlabel(f"share of {unit}")
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
