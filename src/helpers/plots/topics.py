"""Figures for topic models; each takes a tidy table from :mod:`helpers.topics`.

* :func:`plot_topic_sweep` — the choice of k: coherence, diversity, stability (+ NMI or
  perplexity when present) against k, with the spread over seeds.
* :func:`plot_topic_terms` — top words of each topic as small bar charts.
* :func:`plot_topic_map` — intertopic distance map (Jensen–Shannon + MDS), circle area =
  prevalence.
* :func:`plot_topic_prevalence` — topic share by group (outlet, date bin) with bootstrap
  intervals.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

__all__ = ["plot_topic_sweep", "plot_topic_terms", "plot_topic_map", "plot_topic_prevalence"]


def plot_topic_sweep(
    summary: pd.DataFrame, runs: pd.DataFrame | None = None, title: str | None = None
):
    """Measures against k from ``sweep_topics(...).summary`` (columns ``k``, ``npmi``,
    ``diversity_25``, ``stability``; optional ``stability_init``, ``stability_subsample``,
    ``stability_min``, ``nmi``, ``perplexity``). The stability panel draws each measured
    stability (random starts; 90 % subsamples) and the worst pair of seeds. ``runs`` adds the
    per-seed NPMI as dots. Returns the Figure.

    Example:
        >>> # fig = plot_topic_sweep(res.summary, res.runs)
    """
    panels = [
        ("npmi", "NPMI coherence (top 10)"),
        ("diversity_25", "Topic diversity (top 25)"),
        ("stability", "Stability (matched Jaccard of top 10)"),
    ]
    if "nmi" in summary.columns and summary["nmi"].notna().any():
        panels.append(("nmi", "NMI with labels"))
    if (
        "perplexity" in summary.columns
        and pd.to_numeric(summary["perplexity"], errors="coerce").notna().any()
    ):
        panels.append(("perplexity", "Held-out perplexity (lower is better)"))
    fig, axes = plt.subplots(1, len(panels), figsize=(3.6 * len(panels), 3.2), squeeze=False)
    for ax, (col, name) in zip(axes[0], panels, strict=True):
        y = pd.to_numeric(summary[col], errors="coerce")
        ax.plot(summary["k"], y, marker="o", color="C0")
        if col == "npmi" and "npmi_sd" in summary.columns:
            sd = summary["npmi_sd"].fillna(0)
            ax.fill_between(
                summary["k"], y - sd, y + sd, color="C0", alpha=0.2, label="± 1 sd over seeds"
            )
            if runs is not None and len(runs):
                ax.scatter(runs["k"], runs["npmi"], s=8, color="0.4", zorder=3, label="one seed")
            ax.legend(fontsize=7, loc="best")
        if col == "stability":
            _stability_lines(ax, summary)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("number of topics k")
        ax.grid(alpha=0.3)
    fig.suptitle(title or "Choosing the number of topics", fontsize=11)
    fig.tight_layout()
    return fig


def _stability_lines(ax, summary: pd.DataFrame) -> None:
    """Stability panel: one line per perturbation measured, plus the worst pair of seeds."""
    kinds = [
        ("stability_init", "random starts", "C2"),
        ("stability_subsample", "90 % subsamples", "C3"),
    ]
    for col, name, color in kinds:
        if col in summary.columns and summary[col].notna().any():
            ax.plot(summary["k"], summary[col], marker=".", color=color, lw=1, label=name)
    if "stability_min" in summary.columns:
        ax.plot(
            summary["k"], summary["stability_min"], ls="--", color="C1", label="worst pair of seeds"
        )
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=7, loc="best")


def plot_topic_terms(terms: pd.DataFrame, n: int = 8, ncols: int = 4, title: str | None = None):
    """Top words per topic as horizontal bars, from ``TopicModel.topic_terms()`` (columns
    ``topic``, ``label``, ``rank``, ``term``, ``score`` or ``probability``). Bars show
    ``probability`` (φ) so the lengths are comparable across rankings. Returns the Figure."""
    topics = sorted(terms["topic"].unique())
    if not topics:
        fig, ax = plt.subplots(figsize=(4, 2))
        ax.text(0.5, 0.5, "no topics", ha="center", va="center")
        ax.axis("off")
        return fig
    ncols = max(1, min(ncols, len(topics)))
    nrows = math.ceil(len(topics) / ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(3.3 * ncols, 0.28 * n * nrows + 0.9 * nrows), squeeze=False
    )
    for ax in axes.ravel()[len(topics) :]:
        ax.axis("off")
    for ax, k in zip(axes.ravel(), topics, strict=False):
        g = terms[terms["topic"] == k].sort_values("rank").head(n)
        ax.barh(range(len(g))[::-1], g["probability"], color=f"C{k % 10}")
        ax.set_yticks(range(len(g))[::-1])
        ax.set_yticklabels([str(t).replace("_", " ") for t in g["term"]], fontsize=8)
        ax.set_title(f"{k}: {g['label'].iloc[0]}" if len(g) else str(k), fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
    fig.suptitle(title or "Top words per topic (bar = probability in the topic)", fontsize=10)
    fig.tight_layout()
    return fig


def plot_topic_map(topic_map: pd.DataFrame, title: str | None = None):
    """Intertopic distance map from :func:`helpers.topics.topic_map` (columns ``topic``,
    ``label``, ``x``, ``y``, ``prevalence``). Circles close together share vocabulary; the
    area is proportional to prevalence; axes have no units (MDS). Returns the Figure."""
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    prev = topic_map["prevalence"].fillna(0).to_numpy()
    sizes = 3000 * prev / max(prev.max(), 1e-9) if len(prev) else prev
    ax.scatter(
        topic_map["x"],
        topic_map["y"],
        s=sizes,
        alpha=0.35,
        c=[f"C{int(k) % 10}" for k in topic_map["topic"]],
        edgecolors="0.3",
    )
    for _, r in topic_map.iterrows():
        ax.annotate(
            f"{int(r['topic'])}: {r['label']}",
            (r["x"], r["y"]),
            fontsize=7,
            ha="center",
            va="center",
        )
    span = max(
        np.ptp(topic_map["x"]) if len(topic_map) else 0,
        np.ptp(topic_map["y"]) if len(topic_map) else 0,
        0.2,
    )
    cx = topic_map["x"].mean() if len(topic_map) else 0
    cy = topic_map["y"].mean() if len(topic_map) else 0
    ax.set_xlim(cx - 0.75 * span, cx + 0.75 * span)
    ax.set_ylim(cy - 0.75 * span, cy + 0.75 * span)
    ax.axhline(cy, color="0.85", lw=0.8, zorder=0)
    ax.axvline(cx, color="0.85", lw=0.8, zorder=0)
    ax.set_xlabel("MDS dimension 1 (Jensen–Shannon distance)")
    ax.set_ylabel("MDS dimension 2")
    ax.set_title(title or "Intertopic distance map (circle area = prevalence)", fontsize=10)
    fig.tight_layout()
    return fig


def plot_topic_prevalence(
    prevalence: pd.DataFrame,
    topics=None,
    max_groups: int = 12,
    title: str | None = None,
    kind: str = "auto",
):
    """Topic share by group with bootstrap intervals, from
    :func:`helpers.topics.topic_prevalence` (columns ``group``, ``topic``, ``label``,
    ``prevalence``, ``low``, ``high``, ``n_docs``).

    ``kind="line"`` (time bins: one panel per topic, line with shaded interval), ``"dots"``
    (outlets: one panel per topic, a dot and interval per group); "auto" picks "line" when
    the groups look like periods ("2019-12", "2019Q4", "2019"). Only the ``max_groups``
    largest groups are shown (a footnote says so when groups are left out; the table saved
    beside the figure holds all of them). Returns the Figure."""
    df = prevalence.copy()
    if topics is not None:
        df = df[df["topic"].isin(list(topics))]
    if df.empty:
        fig, ax = plt.subplots(figsize=(4, 2))
        ax.text(0.5, 0.5, "no groups with documents", ha="center", va="center")
        ax.axis("off")
        return fig
    sizes = df.groupby("group")["n_docs"].first().sort_values(ascending=False)
    keep = sizes.index[:max_groups]
    df = df[df["group"].isin(keep)]
    if kind == "auto":
        kind = (
            "line" if df["group"].astype(str).str.fullmatch(r"\d{4}(-\d{2}|Q\d)?").all() else "dots"
        )
    fig = _prevalence_lines(df, title) if kind == "line" else _prevalence_dots(df, list(keep), sizes, title)
    if len(sizes) > max_groups:  # say what the figure leaves out (the CSV holds every group)
        fig.text(0.5, 0.005, f"The {max_groups} largest of {len(sizes)} groups shown; all are in the table.",
                 ha="center", va="bottom", fontsize=7, color="0.3")
    return fig


def _prevalence_lines(df: pd.DataFrame, title: str | None):
    """Time bins: one small panel per topic, a line with its shaded interval."""
    # one small panel per topic: ten overlapping bands in one chart cannot be read
    order = sorted(df["group"].unique(), key=str)
    topics_ = sorted(df["topic"].unique())
    ncols = min(4, len(topics_))
    nrows = math.ceil(len(topics_) / ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(3.4 * ncols, 2.4 * nrows),
        squeeze=False,
        sharex=True,
        sharey=True,
    )
    for ax in axes.ravel()[len(topics_) :]:
        ax.axis("off")
    x = np.arange(len(order))
    step = max(1, len(order) // 6)
    for ax, k in zip(axes.ravel(), topics_, strict=False):
        g = df[df["topic"] == k].set_index("group").reindex(order)
        color = f"C{int(k) % 10}"
        ax.plot(x, g["prevalence"], marker="o", ms=3, color=color)
        ax.fill_between(x, g["low"], g["high"], alpha=0.2, color=color)
        ax.set_title(f"{k}: {g['label'].dropna().iloc[0]}", fontsize=8)
        ax.set_xticks(x[::step])
        ax.set_xticklabels(order[::step], rotation=45, ha="right", fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(alpha=0.3)
    for ax in axes[:, 0]:
        ax.set_ylabel("mean share", fontsize=8)
    fig.suptitle(title or "Topic prevalence over time (95 % bootstrap interval)", fontsize=10)
    fig.tight_layout()
    return fig


def _prevalence_dots(df: pd.DataFrame, groups: list, sizes: pd.Series, title: str | None):
    """Outlets (any groups): one panel per topic, a dot and interval per group."""
    topics_ = sorted(df["topic"].unique())
    ncols = min(4, len(topics_))
    nrows = math.ceil(len(topics_) / ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(3.2 * ncols, 0.25 * len(groups) * nrows + 1.0 * nrows),
        squeeze=False,
        sharey=True,
    )
    for ax in axes.ravel()[len(topics_) :]:
        ax.axis("off")
    for ax, k in zip(axes.ravel(), topics_, strict=False):
        g = df[df["topic"] == k].set_index("group").reindex(groups)
        y = np.arange(len(groups))[::-1]
        ax.errorbar(
            g["prevalence"],
            y,
            xerr=[g["prevalence"] - g["low"], g["high"] - g["prevalence"]],
            fmt="o",
            color=f"C{int(k) % 10}",
            ms=4,
            capsize=2,
        )
        ax.set_yticks(y)
        ax.set_yticklabels([f"{grp} (n={int(sizes[grp])})" for grp in groups], fontsize=7)
        ax.set_title(f"{k}: {g['label'].dropna().iloc[0]}", fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(title or "Topic share by group (95 % bootstrap interval)", fontsize=10)
    fig.tight_layout()
    return fig
