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

import numpy as np
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


def cue_matcher(scheme="generic", rules=None) -> Matcher:
    """The :class:`Matcher` of the indicator cues (keys: question ids), kept on the dictionary."""
    d = as_dictionary(scheme)
    rules = _indicator_rules(d) if rules is None else rules
    return Matcher.kept_on(d, "_indicator_matcher", {qid: cues for _, qid, _, _, cues in rules})


def indicator_answers(
    data: pd.DataFrame,
    level: str = "document",
    scheme="generic",
    negation_window: int = 3,
    min_matches: Mapping[str, int] | None = None,
    *,
    scanned: Mapping | None = None,
) -> pd.DataFrame:
    """Answer the indicator questions for each unit with transparent cue rules.

    A question is answered "yes" when at least ``min_matches`` of its cues occur (negated
    cues do not count); the thresholds come from the dictionary's ``indicators:`` section,
    or per question from ``min_matches`` (e.g. :func:`choose_min_matches`). Out, one row per unit x question: ``unit_id``, ``doc_id``, ``level``,
    ``position``, ``frame``, ``question_id`` (``co1`` ...), ``question``, ``answer`` (bool),
    ``n_cues``, ``min_matches``, ``evidence`` (the matched cues). ``scanned``: at document
    level, ``doc_id -> cue_matcher(scheme).scan(text, negation_window)`` of documents already
    scanned (:func:`~helpers.framing.scores.frame_scores_by_level`); the others are scanned here.

    >>> import pandas as pd
    >>> a = indicator_answers(pd.DataFrame({"doc_id": ["a"], "text": ["Critics accused the minister."]}))
    >>> bool(a.set_index("question_id").loc["co2", "answer"])
    True
    """
    d = as_dictionary(scheme)
    rules = _indicator_rules(d)
    u = as_units(data, level)
    matcher = cue_matcher(d, rules)
    if level != "document" or "unit_id" in data.columns:
        scanned = None
    qids = [qid for _, qid, _, _, _ in rules]
    thresholds = [int((min_matches or {}).get(qid, k)) for _, qid, _, k, _ in rules]
    n_cues: list[int] = []
    evidence: list[str] = []
    for did, text in zip(u["doc_id"].tolist(), u["text"].tolist(), strict=True):
        text = text if isinstance(text, str) else ""
        found = scanned.get(did) if scanned else None
        hits: dict[str, list[str]] = {}
        for key, _, start, end, _, negator in (matcher.scan(text, negation_window) if found is None else found):
            if not negator:
                hits.setdefault(key, []).append(text[start:end].lower())
        per_rule = [hits.get(qid, ()) for qid in qids]
        n_cues += map(len, per_rule)
        evidence += ["; ".join(dict.fromkeys(h)) if h else "" for h in per_rule]
    n_rules, n_units = len(rules), len(u)

    def each_unit(column, default=None) -> list:
        """The unit's value of ``column`` (``default`` without the column) on each of its rows."""
        values = u[column].tolist() if default is None or column in u.columns else [default] * n_units
        return [v for v in values for _ in range(n_rules)]

    columns = {
        "unit_id": each_unit("unit_id"),
        "doc_id": each_unit("doc_id"),
        "level": each_unit("level", level),
        "position": each_unit("position", 0),
        "frame": [r[0] for r in rules] * n_units,
        "question_id": qids * n_units,
        "question": [r[2] for r in rules] * n_units,
        "answer": [n >= k for n, k in zip(n_cues, thresholds * n_units, strict=True)],
        "n_cues": n_cues,
        "min_matches": thresholds * n_units,
        "evidence": evidence,
    }
    if not n_units:  # as the table of no rows it replaces: every column of dtype object
        return pd.DataFrame([], columns=list(columns))
    return pd.DataFrame(columns)


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
    out["answers"] = _answer_strings(a, g.ngroup(), len(out))
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


def _answer_strings(a: pd.DataFrame, group: pd.Series, n_groups: int) -> list[str]:
    """Per group, its rows' ``question_id=yes|no`` in row order, joined by spaces.

    ``group``: each row's group number (``ngroup``, in the order of the groups' first rows;
    NaN for a row with a missing key, which belongs to no group). One stable sort brings each
    group's rows together, in their order (no per-group table). The rows' words are made a
    block of rows at a time, each row keeping the first equal word made: a string per row, and
    the question ids as one list, were held for the 2 M answers of 100k articles: the call
    peaked +0.45 GB above its start, now +0.32 GB (/tmp/s20/f/funcs.py; same CPU).
    """
    words: list[str] = []
    made: dict[str, str] = {}
    q_col, a_col = a["question_id"], a["answer"]
    for b in range(0, len(a), _WORD_BLOCK):
        qs, vs = q_col.iloc[b : b + _WORD_BLOCK].tolist(), a_col.iloc[b : b + _WORD_BLOCK].tolist()
        words += [made.setdefault(w, w) for w in (f"{q}={'yes' if v else 'no'}" for q, v in zip(qs, vs, strict=True))]
    codes = group.to_numpy()
    rows = np.flatnonzero(~np.isnan(codes)) if codes.dtype.kind == "f" else np.arange(len(codes))
    codes = codes[rows].astype(np.int64)
    order = rows[np.argsort(codes, kind="stable")]
    ends = np.cumsum(np.bincount(codes, minlength=n_groups)).tolist()
    words = [words[i] for i in order.tolist()]
    return [" ".join(words[s:e]) for s, e in zip([0, *ends][:-1], ends, strict=True)]


#: answer rows whose words :func:`_answer_strings` makes at a time
_WORD_BLOCK = 100_000


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
