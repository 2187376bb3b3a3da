"""Labelled files for frame classification: layouts recognised, values repaired, problems noted.

:func:`read_labelled` reads a TSV/CSV of hand-coded units into a :class:`Labelled` sample:
generic-frame 0/1 columns (:data:`GENERIC_CODES`), Media Frames Corpus codes
(:data:`MFC_CODES`; :data:`FRAC_MERGE` maps them onto the merged FrAC categories), or any text
column with 0/1 columns or one column of category names. Rows it drops and values it repairs
are listed in ``notes``.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..validation import text_key

GENERIC_CODES = {
    "CO": "conflict",
    "EC": "economic",
    "HI": "human_interest",
    "MO": "morality",
    "RE": "responsibility",
}
#: Media Frames Corpus / Policy Frames Codebook codes and names.
MFC_CODES = {
    1: "economic",
    2: "capacity_resources",
    3: "morality",
    4: "fairness_equality",
    5: "legality",
    6: "policy_prescription",
    7: "crime_punishment",
    8: "security_defense",
    9: "health_safety",
    10: "quality_of_life",
    11: "cultural_identity",
    12: "public_opinion",
    13: "political",
    14: "external_regulation",
    15: "other",
}
#: FrAC merges codebook frames: 5+7 "Legality & crime", 6+13 "Political & policy"; 2, 10 and 14
#: are not used there, so dictionary hits on them count as the closest FrAC category.
FRAC_MERGE = {7: 5, 13: 6, 2: 1, 10: 9, 14: 8}
#: The FrAC categories (codes after :data:`FRAC_MERGE`) and their names in the FrAC paper.
FRAC_LABELS = {
    "1": "Economic",
    "3": "Morality",
    "4": "Fairness & equality",
    "5": "Legality & crime",
    "6": "Political & policy",
    "8": "Security & defense",
    "9": "Health & safety",
    "11": "Cultural identity",
    "12": "Public opinion",
    "15": "Other",
}

_TEXT_COLUMNS = ("text", "sentence", "body", "content", "article")
_TRUE = {"true", "1", "yes", "y", "t", "x"}
_FALSE = {"false", "0", "no", "n", "f", ""}


@dataclass
class Labelled:
    """A labelled sample: ``texts`` (Series), ``labels`` (DataFrame of 0/1 columns for
    multi-label, or a one-column DataFrame for single-label multi-class), ``task``
    (``"multilabel"`` / ``"multiclass"``), ``layout``, ``notes`` (data problems found and
    how they were handled) and ``meta`` (the file's other columns, e.g. ``ID``, row-aligned)."""

    texts: pd.Series
    labels: pd.DataFrame
    task: str
    layout: str
    notes: list[str] = field(default_factory=list)
    path: str = ""
    meta: pd.DataFrame | None = None

    @property
    def label_names(self) -> list[str]:
        if self.task == "multilabel":
            return list(self.labels.columns)
        return sorted(self.labels.iloc[:, 0].unique(), key=str)


def label_counts(data: Labelled) -> dict[str, int]:
    """``{"n": units, label: units with it}``: stored with a model, so a majority baseline can be
    taken from its training labels."""
    if data.task == "multiclass":
        counts = data.labels.iloc[:, 0].astype(str).value_counts()
    else:
        counts = data.labels.sum(axis=0)
    return {"n": len(data.texts), **{str(k): int(v) for k, v in counts.items()}}


def text_hashes(texts) -> list[str]:
    """A short SHA-256 of each text's :func:`helpers.validation.text_key` (copies hash alike):
    stored with a model instead of its training texts, so a scored file's overlap with the
    training data can be counted without keeping any text."""
    return [hashlib.sha256(text_key(t).encode("utf-8")).hexdigest()[:16] for t in texts]


def _parse_bool(v) -> bool | None:
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, (int, np.integer, float)):
        return bool(v)
    s = str(v).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE and s != "":
        return False
    cleaned = re.sub(r"[^a-z0-9]", "", s)
    if cleaned in _TRUE:
        return True
    if cleaned in _FALSE and cleaned != "":
        return False
    return None


def read_labelled(
    path: str | os.PathLike,
    text_col: str | None = None,
    label_cols: list[str] | None = None,
    sep: str | None = None,
) -> Labelled:
    """Read a labelled file for frame classification.

    Layouts recognised: a TSV/CSV with ``text`` and binary columns ``CO EC HI MO RE`` (generic
    frames, multi-label); a CSV ``sentence,label`` with Media Frames Corpus codes (one label
    per row); or any table with a text column (``text_col`` or one of text/sentence/body/
    content) and ``label_cols``: several 0/1 (True/False, yes/no) columns for multi-label, or
    one column of category names (``;``- or ``|``-separated for several labels per row).
    Rows without text or without labels are dropped, and malformed values repaired where the
    intent is clear (e.g. ``False)`` read as False); every such case is listed in ``notes``.
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"labelled file not found: {p}")
    if sep is None:
        head = p.open(encoding="utf-8-sig", errors="replace").readline()
        sep = "\t" if head.count("\t") > head.count(",") else ","
    df = pd.read_csv(
        p, sep=sep, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig"
    )
    notes: list[str] = []
    text_col = _text_column(df, text_col, p)
    label_cols = _label_columns(df, label_cols, p)
    no_text = df[text_col].isna() | (df[text_col].fillna("").str.strip() == "")
    if no_text.any():
        notes.append(
            f"{int(no_text.sum())} row(s) without text dropped (lines {list(np.where(no_text)[0] + 2)[:10]})"
        )
    df = df[~no_text]
    if (
        len(label_cols) > 1
        or all(_parse_bool(v) is not None for v in df[label_cols[0]].dropna().head(50))
        and df[label_cols[0]].dropna().str.lower().isin(list(_TRUE | _FALSE)).mean() > 0.9
    ):
        return _read_binary(df, text_col, label_cols, notes, p)
    return _read_categories(df, text_col, label_cols[0], notes, p)


def _text_column(df: pd.DataFrame, text_col: str | None, p: Path) -> str:
    """The column holding the text: as given, or the first one named like text/sentence/body."""
    if text_col is None:
        text_col = next((c for c in df.columns if c.lower() in _TEXT_COLUMNS), None)
        if text_col is None:
            raise ValueError(
                f"{p}: no text column found (columns: {list(df.columns)}); "
                f"pass text_col= or name it 'text' or 'sentence'"
            )
    elif text_col not in df.columns:
        raise ValueError(f"{p}: text column {text_col!r} not in {list(df.columns)}")
    return text_col


def _label_columns(df: pd.DataFrame, label_cols: list[str] | None, p: Path) -> list[str]:
    """The label columns: as given, else the generic-frame codes present, else ``label``."""
    if label_cols is None:
        generic = [c for c in GENERIC_CODES if c in df.columns]
        if generic:
            label_cols = generic
        elif "label" in df.columns:
            label_cols = ["label"]
        else:
            raise ValueError(
                f"{p}: no label columns found (columns: {list(df.columns)}); pass "
                f"label_cols= (e.g. the CO EC HI MO RE columns or one 'label' column)"
            )
    missing = [c for c in label_cols if c not in df.columns]
    if missing:
        raise ValueError(f"{p}: label column(s) {missing} not in {list(df.columns)}")
    return label_cols


def _read_binary(
    df: pd.DataFrame, text_col: str, label_cols: list[str], notes: list[str], p: Path
) -> Labelled:
    """Multi-label 0/1 (True/False, yes/no) columns, repaired values and unusable rows noted."""
    parsed = pd.DataFrame(index=df.index)
    bad_rows = pd.Series(False, index=df.index)
    for c in label_cols:
        vals = df[c]
        out = vals.map(_parse_bool)
        repaired = (
            vals.notna()
            & out.notna()
            & ~vals.fillna("").str.strip().str.lower().isin(list(_TRUE | _FALSE))
        )
        for i in np.where(repaired)[0]:
            notes.append(
                f"column {c}, line {df.index[i] + 2}: value {vals.iloc[i]!r} read as {out.iloc[i]}"
            )
        bad_rows |= out.isna()
        parsed[c] = out
    if bad_rows.any():
        lines = [int(i) + 2 for i in df.index[bad_rows]]
        notes.append(
            f"{int(bad_rows.sum())} row(s) without usable labels dropped (file lines {lines[:10]})"
        )
    df, parsed = df[~bad_rows], parsed[~bad_rows].astype(int)
    layout = "generic_frames" if set(label_cols) <= set(GENERIC_CODES) else "multilabel"
    return Labelled(
        df[text_col].reset_index(drop=True),
        parsed.reset_index(drop=True),
        "multilabel",
        layout,
        notes,
        str(p),
        _meta(df, [text_col, *label_cols]),
    )


def _meta(df: pd.DataFrame, used: list[str]) -> pd.DataFrame:
    return df.drop(columns=used).reset_index(drop=True)


def _read_categories(
    df: pd.DataFrame, text_col: str, label_col: str, notes: list[str], p: Path
) -> Labelled:
    """One column of category names (``;``/``|`` for several per row) or of MFC codes."""
    col = df[label_col]
    no_label = col.isna() | (col.fillna("").str.strip() == "")
    if no_label.any():
        notes.append(f"{int(no_label.sum())} row(s) without a label dropped")
    df = df[~no_label]
    col = df[label_col].str.strip()
    if col.str.contains(r"[;|]").any():
        lists = col.str.split(r"\s*[;|]\s*")
        names = sorted({x for xs in lists for x in xs if x})
        Y = pd.DataFrame({n: lists.map(lambda xs, n=n: int(n in xs)) for n in names})
        return Labelled(
            df[text_col].reset_index(drop=True),
            Y.reset_index(drop=True),
            "multilabel",
            "multilabel",
            notes,
            str(p),
            _meta(df, [text_col, label_col]),
        )
    is_mfc = (
        col.str.fullmatch(r"\d+(?:\.0)?").all()
        and col.astype(float).astype(int).isin(list(MFC_CODES)).all()
    )
    labels = col.astype(float).astype(int).astype(str) if is_mfc else col
    return Labelled(
        df[text_col].reset_index(drop=True),
        pd.DataFrame({"label": labels.values}),
        "multiclass",
        "mfc_codes" if is_mfc else "multiclass",
        notes,
        str(p),
        _meta(df, [text_col, label_col]),
    )
