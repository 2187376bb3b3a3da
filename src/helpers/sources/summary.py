"""Summaries of the attributions table: the balance of voices, and one row per speaker."""

from __future__ import annotations

import pandas as pd


def voice_balance(att: pd.DataFrame, by: str = "kind", group: str | None = None) -> pd.DataFrame:
    """Share of attributions by speaker ``kind`` or ``nationality`` (or any column).

    In: :func:`attributions` output (joined with the corpus if ``group`` is e.g. ``outlet``).
    Out: ``<group>`` (if given), ``<by>`` (empty values shown as "(not stated)"),
    ``n_attributions``, ``n_speakers`` (distinct resolved speakers), ``share``.
    """
    if by not in att.columns:
        raise ValueError(
            f"voice_balance(by={by!r}): column not in the attributions table ({list(att.columns)})"
        )
    a = att.copy()
    a[by] = a[by].fillna("").astype(str).replace("", "(not stated)")
    keys = ([group] if group else []) + [by]
    out = (
        a.groupby(keys)
        .agg(n_attributions=("speaker", "size"), n_speakers=("speaker_resolved", "nunique"))
        .reset_index()
    )
    tot = (
        out.groupby(group)["n_attributions"].transform("sum")
        if group
        else out["n_attributions"].sum()
    )
    out["share"] = out["n_attributions"] / tot
    return out.sort_values(
        keys[:-1] + ["n_attributions"], ascending=[True] * (len(keys) - 1) + [False]
    ).reset_index(drop=True)


def speaker_table(att: pd.DataFrame) -> pd.DataFrame:
    """One row per resolved speaker: ``speaker``, ``kind``, ``title``, ``institution``,
    ``nationality``, ``n_attributions``, ``n_docs``, ``verbs`` (distinct verbs used)."""
    if att.empty:
        return pd.DataFrame(
            columns=[
                "speaker",
                "kind",
                "title",
                "institution",
                "nationality",
                "n_attributions",
                "n_docs",
                "verbs",
            ]
        )
    g = att.groupby("speaker_resolved", sort=False)
    out = g.agg(
        kind=("kind", "first"),
        n_attributions=("speaker", "size"),
        n_docs=("doc_id", "nunique"),
    )
    # the first non-empty title, institution and nationality and the distinct verbs of each
    # speaker, in one pass over the rows (a Python function per speaker and column was most of
    # the time); groups numbered as the groupby numbers them (first appearance, no missing key)
    codes, uniques = pd.factorize(att["speaker_resolved"], sort=False)
    n = len(uniques)
    firsts = {}
    for col in ("title", "institution", "nationality"):
        first = [""] * n
        missing = [True] * n
        for k, x in zip(codes.tolist(), att[col].tolist(), strict=True):
            if k >= 0 and missing[k] and x:
                first[k], missing[k] = x, False
        firsts[col] = first
    verbs: list[dict] = [{} for _ in range(n)]
    for k, v in zip(codes.tolist(), att["verb"].tolist(), strict=True):
        if k >= 0:
            verbs[k][v] = None
    out = pd.DataFrame(
        {
            "kind": out["kind"],
            **{col: pd.Series(firsts[col], index=out.index) for col in firsts},
            "n_attributions": out["n_attributions"],
            "n_docs": out["n_docs"],
            "verbs": pd.Series([", ".join(d) for d in verbs], index=out.index),
        }
    ).reset_index()
    return (
        out.rename(columns={"speaker_resolved": "speaker"})
        .sort_values("n_attributions", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
