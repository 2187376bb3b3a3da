"""Validate on your own sample: a coding sheet out, the coded sheet back in, the measures scored.

The shipped dictionaries and rules were measured on other topics (climate news, op-eds). Before
reporting frames in your coverage, code a random sample of it by hand:

1. :func:`coding_sheet` draws ``n`` units (documents, paragraphs or sentences) at random
   (seeded) and returns a table with the text and one empty column per frame (generic frames:
   ``CO EC HI MO RE``, fill 1 or 0) or one empty ``label`` column (other schemes: one code
   per unit, the codes listed in ``sheet.attrs["codes"]``); :func:`write_coding_sheet` saves it
   as CSV for a spreadsheet.
2. Code it; leave a row's frame cells empty to skip it (it is dropped and reported).
3. :func:`score_coding` reads the coded file back and scores the trained model in the loading
   order (yours in MODELS_DIR, else the shipped one), the shipped dictionary and, for generic
   frames, the indicator rules against your codes, fitting nothing on them, with the baselines
   and bootstrap intervals of :func:`helpers.framing.validate_frames`
   (``python -m helpers validate frames coded.csv`` prints the same; ``--no-classifier``
   leaves the model out).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import SEED
from .dictionaries import as_dictionary
from .evaluation import validate_frames
from .indicators import FRAME_CODES
from .units import as_units

#: texts read at a time to find the documents with text (bounds the memory)
_BLOCK = 2_000
_KEEP = ("unit_id", "doc_id", "outlet", "date", "title", "text")


def coding_sheet(
    corpus: pd.DataFrame,
    scheme="generic",
    level: str = "document",
    n: int | None = 100,
    seed: int = SEED,
) -> pd.DataFrame:
    """A coding sheet: ``n`` random units (all when ``n`` is None or larger) with empty frame columns.

    Out: ``unit_id``, ``doc_id``, (``outlet``, ``date``, ``title`` when the corpus has them),
    ``text``, then ``CO EC HI MO RE`` (generic scheme, empty: fill 0/1) or ``label`` (other
    schemes, empty: fill one code from ``sheet.attrs["codes"]``). Units are in random order.
    """
    has = None
    if level == "document" and "unit_id" not in corpus.columns and {"doc_id", "text"} <= set(corpus.columns):
        # a document's unit is its whole text when that is not blank: the sample is drawn over
        # those documents and only the documents drawn become units (no copy of every text)
        col = corpus["text"]
        has = [a + i for a in range(0, len(col), _BLOCK)  # a block of texts as Python strings at a time
               for i, t in enumerate(col.iloc[a : a + _BLOCK].tolist()) if isinstance(t, str) and t.strip()]
        take = len(has) if n is None else min(n, len(has))
    if has is not None and take > 0:
        order = np.random.default_rng(seed).permutation(len(has))[:take]
        rows = [has[j] for j in order]
        # a few rows as one-row slices (a take of the text column would join its chunks first)
        drawn = pd.concat([corpus.iloc[i : i + 1] for i in rows]) if take <= _BLOCK else corpus.iloc[rows]
        u = as_units(drawn, level)
    else:
        u = as_units(corpus, level)
        u = u[(u["text"].fillna("").str.strip() != "").to_numpy()]
        take = len(u) if n is None else min(n, len(u))
        order = np.random.default_rng(seed).permutation(len(u))[:take]
        u = u.iloc[order]  # the sample first, then its metadata: the corpus's texts are not copied again
    extra = [c for c in ("outlet", "date", "title") if c in corpus.columns and c not in u.columns]
    if extra and "doc_id" in corpus.columns:
        u = u.merge(corpus[["doc_id", *extra]].drop_duplicates("doc_id"), on="doc_id", how="left")
    sheet = u[[c for c in _KEEP if c in u.columns]].reset_index(drop=True)
    d = as_dictionary(scheme)
    if d.name == "generic":
        codes = {FRAME_CODES[k]: d.label(k) for k in d.categories if k in FRAME_CODES}
        for code in codes:
            sheet[code] = ""
    else:
        codes = {str(d.code(k)): d.label(k) for k in d.categories}
        sheet["label"] = ""
    sheet.attrs["codes"] = codes
    sheet.attrs["scheme"] = d.name
    return sheet


def write_coding_sheet(sheet: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Save a coding sheet as CSV (UTF-8 with a byte-order mark, so spreadsheets read accents)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    sheet.to_csv(p, index=False, encoding="utf-8-sig")
    return p


def score_coding(
    path: str | os.PathLike,
    scheme: str | None = None,
    thresholds: dict[str, float] | None = None,
    n_boot: int = 1000,
    model: bool = True,
) -> dict:
    """Score the trained model (``model=True``: yours, else the shipped one), the shipped
    dictionary and the indicator rules against a coded sheet; nothing is fitted on it.

    Same dict as :func:`helpers.framing.validate_frames` without ``cv``/``train``: ``trained``
    and ``model`` (when a model was found), ``dictionary_only`` (and ``indicators_only`` for
    generic frames) with ``macro_f1``, ``ci`` and per-frame precision/recall/F1; ``baselines``;
    ``data_notes`` lists uncoded rows dropped.
    """
    return validate_frames(
        str(path), scheme=scheme, classifier=model, thresholds=thresholds, n_boot=n_boot
    )
