"""Figures for framing: frame profiles, frame flow, naming choices, voices, keyness.

Each function takes the tidy table of a :mod:`helpers.framing` measure (or of
:mod:`helpers.sources` and :mod:`helpers.keyness`) and returns ``(fig, table)``: the matplotlib
figure and the exact numbers drawn, ready for :func:`helpers.plots.save_figure`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd


def plot_frame_profile(
    scores: pd.DataFrame, by: str | None = None, value: str = "per_1000", title: str | None = None
):
    """Bar chart of mean frame scores (per 1,000 tokens) overall or per group ``by``.

    In: :func:`helpers.framing.frame_scores` output (joined with a ``by`` column if given).
    Out: (fig, table) with columns ``<by>`` (if given), ``label``, ``mean_<value>``, ``n_units``.
    """
    keys = ([by] if by else []) + ["label"]
    tab = scores.groupby(keys, sort=False)[value].agg(["mean", "size"]).reset_index()
    tab = tab.rename(columns={"mean": f"mean_{value}", "size": "n_units"})
    wide = (
        tab.pivot_table(index="label", columns=by, values=f"mean_{value}", sort=False)
        if by
        else tab.set_index("label")[[f"mean_{value}"]]
    )
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(wide) + 1.6))
    wide.iloc[::-1].plot.barh(ax=ax, legend=bool(by), width=0.8)
    scheme = scores["scheme"].iloc[0] if "scheme" in scores and len(scores) else ""
    ax.set_xlabel("dictionary matches per 1,000 tokens" if value == "per_1000" else value)
    ax.set_ylabel("")
    ax.set_title(title or f"Frame profile ({scheme} frames)" + (f" by {by}" if by else ""))
    if by:
        ax.legend(title=by, fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig, tab


def plot_frame_flow(
    scores: pd.DataFrame, section: pd.Series | None = None, title: str | None = None
):
    """Heatmap of frame rates along the article: units (paragraphs or sentences) or sections
    (e.g. headline / lead / body) on the x-axis, frames on the y-axis.

    In: :func:`helpers.framing.frame_scores` at paragraph or sentence level; ``section`` an
    optional Series aligned to ``scores`` naming the section of each row (``position`` is used
    otherwise). Out: (fig, table) with ``section`` (or ``position``), ``label``, ``per_1000``,
    ``n_matches``.
    """
    col = "position"
    # the columns read, not a copy of the table (a section table at 100k articles: +0.7 GB)
    s = scores[["label", "per_1000", "n_matches"] + ([col] if section is None else [])]
    if section is not None:
        s["section"] = section.to_numpy()
        col = "section"
    tab = (
        s.groupby([col, "label"], sort=False)
        .agg(per_1000=("per_1000", "mean"), n_matches=("n_matches", "sum"))
        .reset_index()
    )
    wide = tab.pivot_table(index="label", columns=col, values="per_1000", sort=False).fillna(0)
    fig, ax = plt.subplots(figsize=(max(5, 0.35 * wide.shape[1] + 3), 0.45 * len(wide) + 1.5))
    im = ax.imshow(wide.to_numpy(), aspect="auto", cmap="Blues")
    ax.set_yticks(range(len(wide)), wide.index)
    ax.set_xticks(
        range(wide.shape[1]),
        [str(c) for c in wide.columns],
        rotation=90 if wide.shape[1] > 8 else 0,
    )
    ax.set_xlabel(
        "section"
        if section is not None
        else f"{scores['level'].iloc[0] if len(scores) else 'unit'} (order in text)"
    )
    ax.set_title(title or "Frame flow through the text (matches per 1,000 tokens)")
    fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02)
    fig.tight_layout()
    return fig, tab


def plot_naming(summary: pd.DataFrame, by: str | None = None, title: str | None = None):
    """Stacked bars: mentions of each competing name per concept (and group), split by voice.

    In: :func:`helpers.framing.naming_summary`. Out: (fig, table) = the rows drawn.
    """
    if summary.empty:
        fig, ax = plt.subplots(figsize=(6, 1.5))
        ax.text(0.5, 0.5, "no names from the naming table found", ha="center", va="center")
        ax.axis("off")
        return fig, summary
    t = summary.copy()
    t["row"] = (t[by].astype(str) + " | " if by else "") + t["concept"] + ": " + t["label"]
    voices = [v for v in ("author", "attributed", "quote") if v in t]
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(t) + 1.5))
    left = np.zeros(len(t))
    colors = {"author": "#4c72b0", "attributed": "#dd8452", "quote": "#55a868"}
    for v in voices:
        ax.barh(t["row"], t[v], left=left, label=v, color=colors[v])
        left += t[v].to_numpy()
    ax.invert_yaxis()
    ax.set_xlabel("mentions")
    ax.set_title(title or "Names used and in whose voice")
    ax.legend(title="voice", fontsize=8)
    fig.tight_layout()
    return fig, t.drop(columns="row")


def plot_voice_balance(
    balance: pd.DataFrame, by: str = "kind", title: str | None = None, top: int | None = None
):
    """Horizontal bars of the share of attributions by speaker kind or nationality.

    In: :func:`helpers.sources.voice_balance` (largest first). With more than ``top`` rows, the
    first ``top - 1`` get a bar each and the rest one "other" bar. Out: (fig, table), the table
    with every row (for the CSV).
    """
    shown = balance
    if top is not None and len(balance) > top:
        rest = balance.iloc[top - 1 :]
        other = {by: "other", "share": rest["share"].sum(), "n_attributions": rest["n_attributions"].sum()}
        shown = pd.concat([balance.iloc[: top - 1], pd.DataFrame([other])], ignore_index=True)
    fig, ax = plt.subplots(figsize=(6, 0.4 * max(len(shown), 1) + 1.4))
    if balance.empty:
        ax.text(0.5, 0.5, "no attributions found", ha="center", va="center")
        ax.axis("off")
        return fig, balance
    ax.barh(shown[by].astype(str), shown["share"], color="#4c72b0")
    for i, (s, n) in enumerate(zip(shown["share"], shown["n_attributions"], strict=True)):
        ax.text(s, i, f" {n}", va="center", fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.1)
    ax.set_xlabel("share of attributions (count at bar end)")
    ax.set_title(title or f"Who speaks: attributions by {by}")
    fig.tight_layout()
    return fig, balance


def plot_keyness(
    k: pd.DataFrame,
    n: int = 15,
    title: str | None = None,
    target_label: str = "target",
    reference_label: str = "reference",
):
    """Static term-contrast plot: the ``n`` most key terms for each side, bars = log ratio,
    labels carry G² (two corpora) or the q-value (against general English).

    In: :func:`helpers.keyness.keyness`, ``compare_groups`` or ``keyness_vs_english`` output;
    only rows marked ``key`` (q-value below 0.05 and the effect threshold) are drawn when the
    table has that column. Out: (fig, table) with the terms drawn.
    """
    sel = k[k["key"].astype(bool)] if "key" in k else k
    top_t = sel[sel["key_for"] == "target"].head(n)
    top_r = sel[sel["key_for"] == "reference"].head(n)
    t = pd.concat([top_t, top_r.iloc[::-1]], ignore_index=True)
    fig, ax = plt.subplots(figsize=(7, 0.28 * max(len(t), 1) + 1.6))
    if t.empty:
        ax.text(
            0.5, 0.5, "no key terms (q < 0.05 and the effect threshold)", ha="center", va="center"
        )
        ax.axis("off")
        return fig, t
    colors = np.where(t["key_for"] == "target", "#c44e52", "#4c72b0")
    ax.barh(range(len(t)), t["log_ratio"], color=colors)
    if "g2" in t:
        names = [
            f"{w}  (G²={g:.1f}, q={q:.2g})"
            for w, g, q in zip(t["term"], t["g2"], t["q_value"], strict=True)
        ]
    else:
        names = [
            f"{w}  ({c}×, q={q:.2g})"
            for w, c, q in zip(t["term"], t["count"], t["q_value"], strict=True)
        ]
    ax.set_yticks(range(len(t)), names, fontsize=8)
    ax.axvline(0, color="black", lw=0.8)
    ax.invert_yaxis()
    ax.set_xlabel(f"log2 ratio  (← {reference_label} | {target_label} →)")
    ax.set_title(title or "Keyness: terms that distinguish the two sides")
    fig.tight_layout()
    return fig, t


def plot_validation(records: list[dict], measure: str = "generic_frames", title: str | None = None):
    """Grouped bars of per-frame F1 on the locked part, per method and trivial baseline.

    In: records of the validation results file (:func:`helpers.validation.load_results`; pass
    only the ones still valid for the current resources) with ``details["per_frame_f1"]`` and,
    optionally, ``details["baselines_per_frame_f1"]``. Out: (fig, table) with ``frame``,
    ``method``, ``f1``.
    """
    rows = []
    for r in records:
        if r.get("measure") != measure:
            continue
        det = r.get("details") or {}
        for frame, f in (det.get("per_frame_f1") or {}).items():
            rows.append((frame, r["method"], f))
        for base, per in (det.get("baselines_per_frame_f1") or {}).items():
            rows += [(frame, f"baseline: {base}", f) for frame, f in per.items()]
    t = pd.DataFrame(rows, columns=["frame", "method", "f1"]).drop_duplicates(["frame", "method"])
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    if t.empty:
        ax.text(0.5, 0.5, f"no validated records for {measure}", ha="center", va="center")
        ax.axis("off")
        return fig, t
    wide = t.pivot_table(index="frame", columns="method", values="f1", sort=False)
    wide = wide[
        sorted(wide.columns, key=lambda m: (m.startswith("baseline"), list(t["method"]).index(m)))
    ]
    wide.plot.bar(ax=ax, width=0.8)
    ax.set_ylim(0, 1)
    ax.set_ylabel("F1 on the locked part")
    ax.set_xlabel("")
    ax.tick_params(axis="x", rotation=0 if len(wide) <= 6 else 60)
    ax.set_title(title or f"{measure}: per-frame F1 on the locked part")
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return fig, t


def plot_frame_shares(shares: pd.DataFrame, unit: str = "documents", title: str | None = None):
    """Share of units with each frame, one bar per method side by side (e.g. the trained model
    and the dictionary), the method a page uses named in ``title``.

    In: a table with ``label`` (the frame), ``method`` and ``share`` (0-1), optionally ``n``
    (units with the frame) and ``n_units``. Out: (fig, table) with those columns, frames in the
    order given.
    """
    tab = shares[
        [c for c in ("label", "method", "share", "n", "n_units") if c in shares.columns]
    ].copy()
    wide = tab.pivot_table(index="label", columns="method", values="share", sort=False).fillna(0)
    fig, ax = plt.subplots(figsize=(7.5, 0.5 * len(wide) + 1.8))
    (100 * wide.iloc[::-1]).plot.barh(ax=ax, width=0.8, legend=wide.shape[1] > 1)
    ax.set_xlabel(f"% of {unit} with the frame")
    ax.set_ylabel("")
    ax.set_xlim(0, 100)
    ax.set_title(title or f"Frames: share of {unit}")
    if wide.shape[1] > 1:
        ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig, tab
