"""The indicator battery: Semetko & Valkenburg's yes/no questions answered by cue rules.

The questions and their cues are the ``indicators:`` section of ``frames_generic.yml``.
:func:`indicator_answers` answers each question per unit (a question is "yes" when enough of
its cues occur, negated cues left out) and keeps the cues as evidence;
:func:`indicator_scores` gives each generic frame the share of its questions answered yes.
:func:`choose_min_matches` sets each question's threshold from human answers (on the tuning
articles only, in the locked validation).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from .dictionaries import FrameDictionary, as_dictionary
from .matcher import Matcher
from .metrics import macro_f1_multiclass
from .units import as_units

FRAME_CODES = {
    "conflict": "CO",
    "economic": "EC",
    "human_interest": "HI",
    "morality": "MO",
    "responsibility": "RE",
}


def _indicator_rules(dictionary: FrameDictionary) -> list[tuple[str, str, str, int, list[str]]]:
    rules = []
    for frame, questions in dictionary.indicators.items():
        for qid, spec in questions.items():
            cues = spec.get("cues") or []
            if not cues:
                raise ValueError(f"{dictionary.source}: indicator {frame}/{qid} has no 'cues'")
            rules.append(
                (
                    frame,
                    str(qid),
                    str(spec.get("question", "")),
                    int(spec.get("min_matches", 1)),
                    [str(c) for c in cues],
                )
            )
    if not rules:
        raise ValueError(
            f"{dictionary.source or dictionary.name}: no 'indicators:' section; "
            f"use the generic scheme or add indicator questions to your YAML"
        )
    return rules


def indicator_answers(
    data: pd.DataFrame,
    level: str = "document",
    scheme="generic",
    negation_window: int = 3,
    min_matches: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Answer the indicator questions for each unit with transparent cue rules.

    A question is answered "yes" when at least ``min_matches`` of its cues occur (negated
    cues do not count); the thresholds come from the dictionary's ``indicators:`` section,
    or per question from ``min_matches`` (e.g. :func:`choose_min_matches`). Out, one row per unit x question: ``unit_id``, ``doc_id``, ``level``,
    ``position``, ``frame``, ``question_id`` (``co1`` ...), ``question``, ``answer`` (bool),
    ``n_cues``, ``min_matches``, ``evidence`` (the matched cues).

    >>> import pandas as pd
    >>> a = indicator_answers(pd.DataFrame({"doc_id": ["a"], "text": ["Critics accused the minister."]}))
    >>> bool(a.set_index("question_id").loc["co2", "answer"])
    True
    """
    d = as_dictionary(scheme)
    rules = _indicator_rules(d)
    u = as_units(data, level)
    matcher = Matcher.kept_on(d, "_indicator_matcher", {qid: cues for _, qid, _, _, cues in rules})
    rows = []
    for unit in u.itertuples(index=False):
        text = unit.text if isinstance(unit.text, str) else ""
        hits: dict[str, list[str]] = {}
        for m in matcher.find(text, negation_window):
            if not m["negated"]:
                hits.setdefault(m["key"], []).append(m["term"].lower())
        for frame, qid, question, k, _ in rules:
            k = int((min_matches or {}).get(qid, k))
            h = hits.get(qid, [])
            rows.append(
                (
                    unit.unit_id,
                    unit.doc_id,
                    getattr(unit, "level", level),
                    getattr(unit, "position", 0),
                    frame,
                    qid,
                    question,
                    len(h) >= k,
                    len(h),
                    k,
                    "; ".join(dict.fromkeys(h)),
                )
            )
    return pd.DataFrame(
        rows,
        columns=[
            "unit_id",
            "doc_id",
            "level",
            "position",
            "frame",
            "question_id",
            "question",
            "answer",
            "n_cues",
            "min_matches",
            "evidence",
        ],
    )


def indicator_scores(
    answers_or_data: pd.DataFrame, level: str = "document", scheme="generic"
) -> pd.DataFrame:
    """Per unit and frame, the share of indicator questions answered yes (0-1), answers kept.

    In: the output of :func:`indicator_answers`, or a corpus/units table (answered first).
    Out: ``unit_id``, ``doc_id``, ``level``, ``position``, ``frame``, ``score``,
    ``n_yes``, ``n_questions``, ``answers`` (e.g. ``"co1=yes co2=no ..."``).
    """
    a = answers_or_data
    if "question_id" not in a.columns:
        a = indicator_answers(a, level=level, scheme=scheme)
    g = a.groupby(["unit_id", "frame"], sort=False)
    out = g.agg(
        doc_id=("doc_id", "first"),
        level=("level", "first"),
        position=("position", "first"),
        n_yes=("answer", "sum"),
        n_questions=("answer", "size"),
    ).reset_index()
    out["score"] = out["n_yes"] / out["n_questions"]
    out["answers"] = g.apply(
        lambda x: " ".join(
            f"{q}={'yes' if v else 'no'}"
            for q, v in zip(x["question_id"], x["answer"], strict=True)
        ),
        include_groups=False,
    ).values
    out["n_yes"] = out["n_yes"].astype(int)
    return out[
        [
            "unit_id",
            "doc_id",
            "level",
            "position",
            "frame",
            "score",
            "n_yes",
            "n_questions",
            "answers",
        ]
    ]


def choose_min_matches(
    n_cues: pd.DataFrame, human: pd.DataFrame, candidates: Iterable[int] = (1, 2, 3, 4, 5)
) -> dict[str, int]:
    """Per question, the cue threshold whose answers agree best with human answers.

    ``n_cues``: units x question ids, the cue counts (``n_cues`` of :func:`indicator_answers`,
    pivoted); ``human``: the same units x question ids, True/False, NaN where the coders gave
    no answer. Agreement is the macro-F1 of yes/no (so a rare "yes" counts as much as the
    common "no"); ties go to the smaller threshold. Questions without human answers are left
    out. Give it the *tuning* units only.

    >>> n = pd.DataFrame({"q": [0, 1, 2, 3]}); h = pd.DataFrame({"q": [False, False, True, True]})
    >>> choose_min_matches(n, h)
    {'q': 2}
    """
    out = {}
    for qid in n_cues.columns:
        if qid not in human.columns:
            continue
        keep = human[qid].notna().to_numpy()
        if not keep.any():
            continue
        y = human[qid].to_numpy()[keep].astype(bool)
        counts = n_cues[qid].to_numpy()[keep]
        scores = [(macro_f1_multiclass(y, counts >= k, [False, True]), -k) for k in candidates]
        out[str(qid)] = -max(scores)[1]
    return out


def cue_counts(answers: pd.DataFrame) -> pd.DataFrame:
    """Units x question ids of cue counts, from :func:`indicator_answers` (order kept)."""
    w = answers.pivot_table(
        index="doc_id", columns="question_id", values="n_cues", aggfunc="sum", sort=False
    )
    return w.fillna(0).astype(int)
