"""Agreement between codings: two coders (or a coder and a model), and the indicator rules vs humans.

:func:`coding_agreement` gives percent agreement, Cohen's kappa and Krippendorff's alpha per
label column of two aligned codings; :func:`indicator_agreement` compares the indicator rules'
answers with the human answers of the climate-frames battery (read by
:func:`read_human_answers`). The statistics come from
:mod:`helpers.agreement`.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd

from ..agreement import cohen_kappa, krippendorff_alpha
from .indicators import indicator_answers


def coding_agreement(a: pd.DataFrame | pd.Series, b: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """Agreement between two codings of the same units (two coders, or a coder and a model).

    In: two tables with the same label columns (0/1 per frame, or one column of categories),
    rows aligned. Out, one row per label column: ``label``, ``n``, ``percent_agreement``,
    ``cohen_kappa``, ``krippendorff_alpha`` (nominal), via :mod:`helpers.agreement`.
    """
    a = a.to_frame() if isinstance(a, pd.Series) else a
    b = b.to_frame() if isinstance(b, pd.Series) else b
    if len(a) != len(b):
        raise ValueError(
            f"the two codings have {len(a)} and {len(b)} rows; align them on the unit first"
        )
    rows = []
    for col in a.columns:
        if col not in b.columns:
            raise ValueError(
                f"label column {col!r} is missing from the second coding ({list(b.columns)})"
            )
        x, y = a[col], b[col]
        # 1 and 1.0 (or True) are the same code: compare numbers as numbers
        if pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y):
            x, y = x.astype(float), y.astype(float)
        x, y = x.to_numpy(), y.to_numpy()
        codes = {v: i for i, v in enumerate(sorted(set(map(str, x)) | set(map(str, y))))}
        data = np.array([[codes[str(v)] for v in x], [codes[str(v)] for v in y]], dtype=float)
        rows.append(
            (
                col,
                len(x),
                float(np.mean(x.astype(str) == y.astype(str))),
                cohen_kappa(list(x), list(y)),
                krippendorff_alpha(data, "nominal"),
            )
        )
    return pd.DataFrame(
        rows, columns=["label", "n", "percent_agreement", "cohen_kappa", "krippendorff_alpha"]
    )


def read_human_answers(answers_json: str | os.PathLike) -> pd.DataFrame:
    """The human answers to the indicator questions (climate frames format) as a table.

    In: ``indicator_answers_dev.json`` (article ID -> {question: [majority answer, coder
    answers], "_source": ...}). Out: one row per article (index: the ID as a string), one
    column per question id, True ("yes"), False ("no") or NaN ("NO AGREEMENT" or missing).
    """
    with open(answers_json, encoding="utf-8") as fh:
        human = json.load(fh)
    rows = {}
    for art, qs in human.items():
        rows[str(art)] = {
            q: {"yes": True, "no": False}.get(str((v or [None])[0]).lower(), np.nan)
            for q, v in qs.items()
            if not q.startswith("_") and isinstance(v, list)
        }
    return pd.DataFrame.from_dict(rows, orient="index").astype(object)


def indicator_agreement(
    answers_json: str | os.PathLike,
    articles: str | os.PathLike,
    min_matches: dict[str, int] | None = None,
    ids=None,
) -> pd.DataFrame:
    """How often the indicator rules agree with human answers (climate frames format).

    In: ``indicator_answers_dev.json`` (see :func:`read_human_answers`) and the articles TSV
    (``ID``, ``text``); ``ids`` restricts to those articles, ``min_matches`` overrides the
    thresholds of the YAML. Questions are matched by id (``co1`` ...); the annotators'
    battery (Frermann et al. 2023) words some questions differently from Semetko &
    Valkenburg's, so a low agreement can mean a different question, not a bad rule. Only
    "yes"/"no" majority answers are used. Out, one row per shared question: ``question_id``,
    ``n``, ``human_yes``, ``rule_yes``, ``accuracy``, ``cohen_kappa`` (NaN when both sides
    answer one way throughout).
    """
    human = read_human_answers(answers_json)
    arts = pd.read_csv(articles, sep="\t", dtype={"ID": str})
    arts = arts[arts["ID"].isin(human.index)]
    if ids is not None:
        arts = arts[arts["ID"].isin([str(i) for i in ids])]
    rules = indicator_answers(
        pd.DataFrame({"doc_id": arts["ID"], "text": arts["text"]}), min_matches=min_matches
    )
    rows = []
    for qid, g in rules.groupby("question_id", sort=False):
        if qid not in human.columns:
            continue
        h = human.loc[g["doc_id"], qid].to_numpy()
        keep = pd.notna(h)
        if keep.sum() == 0:
            continue
        hy = h[keep].astype(bool)
        ry = g["answer"].to_numpy()[keep].astype(bool)
        rows.append(
            (
                qid,
                int(keep.sum()),
                int(hy.sum()),
                int(ry.sum()),
                float(np.mean(hy == ry)),
                cohen_kappa(list(hy), list(ry)),
            )
        )
    return pd.DataFrame(
        rows, columns=["question_id", "n", "human_yes", "rule_yes", "accuracy", "cohen_kappa"]
    )
