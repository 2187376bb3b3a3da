"""Framing: frame dictionaries, indicator questions, naming choices (and the validate command).

How is a story framed, and with which names? Every measure here takes a corpus (``doc_id``,
``text``) or a units table from :func:`helpers.text.units` and returns a tidy DataFrame with the
evidence (the matched words) next to each score, so a reader can see why a unit got its score.

- :func:`load_dictionary` reads the project's YAML frame dictionaries (``generic``, ``policy``,
  ``territorial`` in ``resources/``), a user file in the same layout, or a quanteda YAML
  dictionary. Entries may be globs (``secur*``) or phrases (``"war of words"``).
- :func:`frame_matches` lists every dictionary hit with its offsets and whether it is negated;
  :func:`frame_scores` turns the hits into scores per 1,000 tokens per unit and frame.
- :func:`indicator_answers` / :func:`indicator_scores` answer Semetko & Valkenburg's yes/no
  questions with transparent cue rules and give each generic frame a 0-1 score.
- :func:`naming_mentions` / :func:`naming_summary` count competing names (Diaoyu / Senkaku ...)
  per document and outlet, which comes first, and whether it is the author's or a source's voice.

Supervised classifiers live in :mod:`helpers.framing_model`, quotes and speakers in
:mod:`helpers.quotes`, keyness in :mod:`helpers.keyness`; the names are re-exported here.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .config import RESOURCES
from .text import token_spans

SCHEMES = ("generic", "policy", "territorial")

#: Tokens that negate a following dictionary match (plus any token ending in n't).
NEGATORS = frozenset(
    {
        "not",
        "no",
        "never",
        "without",
        "nor",
        "neither",
        "none",
        "nobody",
        "nothing",
        "hardly",
        "barely",
        "scarcely",
        "cannot",
        "lack",
        "lacks",
        "lacking",
        "rather",
    }
)


# --------------------------------------------------------------------------------------------
# Dictionaries
# --------------------------------------------------------------------------------------------


@dataclass
class FrameDictionary:
    """A dictionary of categories, each a list of entries (words, globs or phrases).

    ``categories`` maps a category key to its entries; ``meta`` holds per-category fields from
    the YAML (``label``, ``code``, ``definition``); ``indicators`` holds the optional
    yes/no question rules (frames_generic.yml only).
    """

    name: str
    categories: dict[str, list[str]]
    meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    indicators: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    source: str = ""

    def label(self, key: str) -> str:
        return str(self.meta.get(key, {}).get("label", key))

    def code(self, key: str):
        return self.meta.get(key, {}).get("code", key)

    def __len__(self) -> int:
        return len(self.categories)


def _flatten_quanteda(node: Any, prefix: str, out: dict[str, list[str]], path: str) -> None:
    # quanteda dictionaries nest keys freely; nested keys become "parent.child" categories.
    if isinstance(node, list):
        terms = []
        for i, t in enumerate(node):
            if not isinstance(t, (str, int, float)):
                raise ValueError(
                    f"{path}: entry {i} of category {prefix!r} is not a word "
                    f"(got {type(t).__name__}); write one term per list item"
                )
            terms.append(str(t))
        out[prefix] = terms
    elif isinstance(node, Mapping):
        for k, v in node.items():
            _flatten_quanteda(v, f"{prefix}.{k}" if prefix else str(k), out, path)
    elif isinstance(node, str):
        out[prefix] = [node]
    else:
        raise ValueError(
            f"{path}: category {prefix!r} must hold a list of terms or nested "
            f"categories, not {type(node).__name__}"
        )


def load_dictionary(source: str | os.PathLike | Mapping = "generic") -> FrameDictionary:
    """Load a frame dictionary.

    ``source`` is a scheme name (``"generic"``, ``"policy"``, ``"territorial"`` -> the project's
    ``resources/frames_<name>.yml``), a path to a YAML file, or an already parsed mapping.
    Two YAML layouts are understood:

    - the project's: ``{name, categories: {key: {label, code, definition, terms: [...]}},
      indicators: {...}}``;
    - quanteda's YAML dictionary format: ``{key: [terms], key2: {subkey: [terms]}}`` (nested
      keys become ``key2.subkey``).

    >>> d = load_dictionary("generic"); sorted(d.categories)[:2]
    ['conflict', 'economic']
    """
    if isinstance(source, Mapping):
        data, path = dict(source), "<mapping>"
    else:
        s = str(source)
        path_obj = RESOURCES / f"frames_{s}.yml" if s in SCHEMES else Path(s)
        if not path_obj.is_file():
            raise FileNotFoundError(
                f"dictionary {s!r} not found: give one of {SCHEMES} or a "
                f"path to a YAML file (looked for {path_obj})"
            )
        path = str(path_obj)
        try:
            data = yaml.safe_load(path_obj.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ValueError(
                f"{path}: not valid YAML ({exc}); check indentation and quotes "
                f"around entries containing ':' or '#'"
            ) from exc
    if not isinstance(data, Mapping) or not data:
        raise ValueError(f"{path}: expected a mapping of categories to term lists")
    if "categories" in data and isinstance(data["categories"], Mapping):
        cats, meta = {}, {}
        for key, spec in data["categories"].items():
            if isinstance(spec, list):
                spec = {"terms": spec}
            if not isinstance(spec, Mapping) or "terms" not in spec:
                raise ValueError(f"{path}: category {key!r} needs a 'terms:' list")
            terms = spec["terms"] or []
            if not isinstance(terms, list):
                raise ValueError(f"{path}: 'terms' of category {key!r} must be a list")
            cats[str(key)] = [str(t) for t in terms]
            meta[str(key)] = {k: v for k, v in spec.items() if k != "terms"}
        name = str(data.get("name", Path(path).stem))
        return FrameDictionary(name, cats, meta, dict(data.get("indicators") or {}), path)
    cats: dict[str, list[str]] = {}
    _flatten_quanteda(data, "", cats, path)
    return FrameDictionary(Path(path).stem if path != "<mapping>" else "user", cats, {}, {}, path)


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------


def _norm(tok: str) -> str:
    return tok.lower().replace("’", "'")


def _strip_possessive(tok: str) -> str:
    return tok[:-2] if tok.endswith("'s") else tok


def _word_matcher(word: str):
    word = _norm(word)
    if "*" in word or "?" in word:
        rx = re.compile(re.escape(word).replace(r"\*", ".*").replace(r"\?", ".") + r"\Z")
        return rx
    return word


def _word_ok(m, tok: str) -> bool:
    alt = _strip_possessive(tok)
    if isinstance(m, str):
        return tok == m or alt == m
    return bool(m.match(tok) or m.match(alt))


class Matcher:
    """Finds dictionary entries in text, longest match first within each key.

    ``entries`` maps a key (a frame, a naming variant) to its list of entries. Matching is on
    word tokens (:func:`helpers.text.token_spans`), case-insensitive; a token also matches
    without its possessive ('s), so ``china`` finds "China's".
    """

    def __init__(
        self, entries: Mapping[str, Iterable[str]], group: Mapping[str, str] | None = None
    ):
        self.keys = list(entries)
        # group: entries of keys in the same group compete (longest wins); default: own key.
        self.group = dict(group) if group else {k: k for k in self.keys}
        self._entries: list[tuple[str, str, list]] = []
        self._exact_first: dict[str, list[int]] = {}
        self._glob_first: list[tuple[re.Pattern, int]] = []
        for key in self.keys:
            for raw in entries[key]:
                words = str(raw).split()
                if not words:
                    continue
                matchers = [_word_matcher(w) for w in words]
                idx = len(self._entries)
                self._entries.append((key, str(raw), matchers))
                first = matchers[0]
                if isinstance(first, str):
                    self._exact_first.setdefault(first, []).append(idx)
                else:
                    self._glob_first.append((first, idx))
        self._glob_any = (
            re.compile("|".join(f"(?:{p.pattern})" for p, _ in self._glob_first))
            if self._glob_first
            else None
        )
        self._cache: dict[str, list[int]] = {}

    def _candidates(self, tok: str) -> list[int]:
        hit = self._cache.get(tok)
        if hit is not None:
            return hit
        alt = _strip_possessive(tok)
        cands = list(self._exact_first.get(tok, ()))
        if alt != tok:
            cands += [i for i in self._exact_first.get(alt, ()) if i not in cands]
        if self._glob_any is not None and (self._glob_any.match(tok) or self._glob_any.match(alt)):
            cands += [i for p, i in self._glob_first if p.match(tok) or p.match(alt)]
        self._cache[tok] = cands
        return cands

    def find(self, text: str, negation_window: int = 3) -> list[dict]:
        """All non-overlapping matches (per group) in ``text`` as dicts with ``key``, ``entry``,
        ``term`` (the text matched), ``start``, ``end``, ``token``, ``negated``, ``negator``."""
        spans = token_spans(text)
        self.last_n_tokens = len(spans)
        toks = [_norm(text[s:e]) for s, e in spans]
        raw: list[tuple[int, int, int]] = []  # (token index, n tokens, entry index)
        for i, tok in enumerate(toks):
            for idx in self._candidates(tok):
                matchers = self._entries[idx][2]
                n = len(matchers)
                if i + n > len(toks):
                    continue
                if all(_word_ok(matchers[k], toks[i + k]) for k in range(1, n)):
                    raw.append((i, n, idx))
        # Within a group the longest, then earliest, match claims its tokens.
        raw.sort(key=lambda r: (-r[1], r[0]))
        taken: dict[str, set[int]] = {}
        out = []
        for i, n, idx in raw:
            key, entry, _ = self._entries[idx]
            grp = self.group.get(key, key)
            used = taken.setdefault(grp, set())
            if any(j in used for j in range(i, i + n)):
                continue
            used.update(range(i, i + n))
            negator = ""
            for j in range(max(0, i - negation_window), i):
                if toks[j] in NEGATORS or toks[j].endswith("n't"):
                    negator = toks[j]
            out.append(
                {
                    "key": key,
                    "entry": entry,
                    "term": text[spans[i][0] : spans[i + n - 1][1]],
                    "start": spans[i][0],
                    "end": spans[i + n - 1][1],
                    "token": i,
                    "negated": bool(negator),
                    "negator": negator,
                }
            )
        out.sort(key=lambda m: (m["start"], m["key"]))
        return out

    @staticmethod
    def n_tokens(text: str) -> int:
        return len(token_spans(text))


@lru_cache(maxsize=32)
def _cached_dictionary(name: str) -> FrameDictionary:
    return load_dictionary(name)


def _as_dictionary(scheme) -> FrameDictionary:
    if isinstance(scheme, FrameDictionary):
        return scheme
    if isinstance(scheme, str) and scheme in SCHEMES:
        return _cached_dictionary(scheme)
    return load_dictionary(scheme)


def as_units(data: pd.DataFrame, level: str = "document") -> pd.DataFrame:
    """A units table from a corpus (split at ``level``) or a units table passed through.

    A table that already has ``unit_id`` is returned unchanged; otherwise it needs ``doc_id``
    and ``text`` and is split with :func:`helpers.text.units`. A table with ``text`` but no
    ``doc_id`` (e.g. a labelled file) gets ``doc_id`` = row number.
    """
    from .text import units

    if "unit_id" in data.columns:
        return data
    if "text" not in data.columns:
        raise ValueError(f"need a 'text' column (got {list(data.columns)})")
    if "doc_id" not in data.columns:
        data = data.assign(doc_id=[str(i) for i in range(len(data))])
    return units(data, level)


_UNIT_COLS = ["unit_id", "doc_id", "level", "position"]


def _unit_meta(u: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in _UNIT_COLS if c in u.columns]
    return u[cols]


def frame_matches(
    data: pd.DataFrame, scheme="generic", level: str = "document", negation_window: int = 3
) -> pd.DataFrame:
    """Every dictionary match in every unit.

    In: a corpus (``doc_id``, ``text``) or a units table. ``scheme``: ``"generic"``,
    ``"policy"``, ``"territorial"``, a YAML path or a :class:`FrameDictionary`.
    Out, one row per match: ``unit_id``, ``doc_id``, ``level``, ``position``, ``scheme``,
    ``frame``, ``entry`` (the dictionary entry), ``term`` (the text matched), ``start``/``end``
    (character offsets in the document text when the units carry ``start``, else in the unit),
    ``negated`` (a negator within ``negation_window`` tokens before), ``negator``.

    >>> import pandas as pd
    >>> m = frame_matches(pd.DataFrame({"doc_id": ["a"], "text": ["The dispute is not about money."]}))
    >>> m[["frame", "term", "negated"]].values.tolist()
    [['conflict', 'dispute', False], ['economic', 'money', True]]
    """
    d = _as_dictionary(scheme)
    u = as_units(data, level)
    rows, _ = _match_units(u, d, level, negation_window)
    return pd.DataFrame(
        rows,
        columns=[
            "unit_id",
            "doc_id",
            "level",
            "position",
            "scheme",
            "frame",
            "entry",
            "term",
            "start",
            "end",
            "negated",
            "negator",
        ],
    )


def _matcher_for(d: FrameDictionary) -> Matcher:
    # one matcher per dictionary object, so its token cache survives across calls
    m = getattr(d, "_matcher", None)
    if m is None:
        m = Matcher(d.categories)
        object.__setattr__(d, "_matcher", m)
    return m


def _match_units(u: pd.DataFrame, d: FrameDictionary, level: str, negation_window: int):
    matcher = _matcher_for(d)
    rows, ntok = [], {}
    n = len(u)
    offsets = u["start"].clip(lower=0).tolist() if "start" in u.columns else [0] * n
    levels = u["level"].tolist() if "level" in u.columns else [level] * n
    positions = u["position"].tolist() if "position" in u.columns else [0] * n
    for uid, did, lev, pos, text, off in zip(
        u["unit_id"], u["doc_id"], levels, positions, u["text"], offsets, strict=True
    ):
        text = text if isinstance(text, str) else ""
        found = matcher.find(text, negation_window)
        ntok[uid] = matcher.last_n_tokens
        for m in found:
            rows.append(
                (
                    uid,
                    did,
                    lev,
                    pos,
                    d.name,
                    m["key"],
                    m["entry"],
                    m["term"],
                    off + m["start"],
                    off + m["end"],
                    m["negated"],
                    m["negator"],
                )
            )
    return rows, ntok


def frame_scores(
    data: pd.DataFrame,
    scheme="generic",
    level: str = "document",
    negation: bool = True,
    negation_window: int = 3,
    max_evidence: int = 12,
) -> pd.DataFrame:
    """Dictionary frame scores per unit and frame (long format), with the evidence.

    In: a corpus or units table (see :func:`frame_matches`). Out, one row per unit x frame:
    ``unit_id``, ``doc_id``, ``level``, ``position``, ``scheme``, ``frame``, ``label``,
    ``n_matches`` (hits counted in the score), ``n_negated`` (hits left out because negated;
    counted when ``negation=False``), ``n_tokens``, ``per_1000`` (hits per 1,000 tokens),
    ``evidence`` (the distinct matched words, most frequent first, ``;``-separated).

    >>> import pandas as pd
    >>> s = frame_scores(pd.DataFrame({"doc_id": ["a"], "text": ["A bitter dispute over the cost."]}))
    >>> int(s.set_index("frame").loc["conflict", "n_matches"])
    1
    """
    d = _as_dictionary(scheme)
    u = as_units(data, level)
    rows, n_tok = _match_units(u, d, level, negation_window)
    m = pd.DataFrame(
        [(r[0], r[5], r[7], r[10]) for r in rows], columns=["unit_id", "frame", "term", "negated"]
    )
    meta = _unit_meta(u)
    frames = list(d.categories)
    grid = meta.loc[meta.index.repeat(len(frames))].reset_index(drop=True)
    grid["scheme"] = d.name
    grid["frame"] = frames * len(meta)
    grid["label"] = [d.label(f) for f in grid["frame"]]
    # plain dicts: a pandas groupby with a per-group lambda is ~10x slower on large corpora
    counts: dict[tuple, Counter] = {}
    negs: dict[tuple, int] = {}
    for uid, frame, term, negated in zip(
        m["unit_id"], m["frame"], m["term"], m["negated"], strict=True
    ):
        if negated:
            negs[(uid, frame)] = negs.get((uid, frame), 0) + 1
            if negation:
                continue
        counts.setdefault((uid, frame), Counter())[term.lower()] += 1
    keys = list(zip(grid["unit_id"], grid["frame"], strict=True))
    grid["n_matches"] = [sum(counts[k].values()) if k in counts else 0 for k in keys]
    grid["n_negated"] = [negs.get(k, 0) for k in keys]
    grid["evidence"] = [
        "; ".join(t for t, _ in counts[k].most_common(max_evidence)) if k in counts else ""
        for k in keys
    ]
    grid["n_tokens"] = grid["unit_id"].map(n_tok).astype(int)
    grid["per_1000"] = np.where(
        grid["n_tokens"] > 0, 1000 * grid["n_matches"] / grid["n_tokens"].clip(lower=1), 0.0
    )
    return grid[
        [
            "unit_id",
            "doc_id",
            "level",
            "position",
            "scheme",
            "frame",
            "label",
            "n_matches",
            "n_negated",
            "n_tokens",
            "per_1000",
            "evidence",
        ]
    ]


def frame_matrix(
    scores: pd.DataFrame, value: str = "per_1000", index: str = "unit_id"
) -> pd.DataFrame:
    """Wide view of :func:`frame_scores`: one row per ``index``, one column per frame."""
    return scores.pivot_table(
        index=index, columns="frame", values=value, aggfunc="sum", fill_value=0, sort=False
    )


def dominant_frame(scores: pd.DataFrame, min_matches: int = 1) -> pd.DataFrame:
    """The frame with the highest ``per_1000`` in each unit (``"none"`` below ``min_matches``).

    Out: ``unit_id``, ``doc_id``, ``level``, ``position``, ``frame``, ``per_1000``, ``evidence``.
    """
    s = scores.sort_values(["unit_id", "per_1000", "n_matches"], ascending=[True, False, False])
    top = s.drop_duplicates("unit_id").copy()
    top.loc[top["n_matches"] < min_matches, ["frame", "evidence"]] = ["none", ""]
    top.loc[top["n_matches"] < min_matches, "per_1000"] = 0.0
    cols = [
        c
        for c in ["unit_id", "doc_id", "level", "position", "frame", "per_1000", "evidence"]
        if c in top
    ]
    order = scores.drop_duplicates("unit_id")["unit_id"]
    return top.set_index("unit_id").loc[order].reset_index()[cols]


SECTIONS = ("headline", "lead", "body")


def section_units(corpus: pd.DataFrame) -> pd.DataFrame:
    """Split each document into headline, lead and body, for frame flow through a story.

    The headline is the ``title`` column (dropped from the body when the text repeats it as its
    first paragraph); the lead is the first paragraph, or the first sentence when the text has
    no paragraph breaks; the body is the rest. Out, up to three rows per document: ``unit_id``
    (``<doc_id>:h`` / ``:l`` / ``:b``), ``doc_id``, ``level`` ("section"), ``position`` (0, 1,
    2), ``section``, ``start``, ``end`` (offsets in the text; -1 for the headline), ``text``.

    >>> section_units(pd.DataFrame({"doc_id": ["a"], "title": ["Row"], "text": ["Lead.\\n\\nBody one."]})).section.tolist()
    ['headline', 'lead', 'body']
    """
    from .text import paragraph_spans, sentence_spans

    rows = []
    titles = (
        corpus["title"]
        if "title" in corpus.columns
        else pd.Series([""] * len(corpus), index=corpus.index)
    )
    for doc_id, title, text in zip(corpus["doc_id"], titles, corpus["text"], strict=True):
        text = text if isinstance(text, str) else ""
        title = title.strip() if isinstance(title, str) else ""
        paras = paragraph_spans(text)
        if title and paras and text[paras[0][0] : paras[0][1]].strip() == title:
            paras = paras[1:]
        if title:
            rows.append((f"{doc_id}:h", doc_id, "section", 0, "headline", -1, -1, title))
        if not paras:
            continue
        if len(paras) >= 2:
            lead = paras[0]
        else:
            sents = [sp for sp in sentence_spans(text) if sp[0] >= paras[0][0]]
            lead = sents[0] if sents else paras[0]
        rows.append(
            (f"{doc_id}:l", doc_id, "section", 1, "lead", lead[0], lead[1], text[lead[0] : lead[1]])
        )
        body_start = lead[1]
        body_end = paras[-1][1]
        if text[body_start:body_end].strip():
            rows.append(
                (
                    f"{doc_id}:b",
                    doc_id,
                    "section",
                    2,
                    "body",
                    body_start,
                    body_end,
                    text[body_start:body_end].strip(),
                )
            )
    return pd.DataFrame(
        rows, columns=["unit_id", "doc_id", "level", "position", "section", "start", "end", "text"]
    )


# --------------------------------------------------------------------------------------------
# Indicator battery (Semetko & Valkenburg yes/no questions)
# --------------------------------------------------------------------------------------------

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
    data: pd.DataFrame, level: str = "document", scheme="generic", negation_window: int = 3
) -> pd.DataFrame:
    """Answer the indicator questions for each unit with transparent cue rules.

    A question is answered "yes" when at least ``min_matches`` of its cues occur (negated
    cues do not count). Out, one row per unit x question: ``unit_id``, ``doc_id``, ``level``,
    ``position``, ``frame``, ``question_id`` (``co1`` ...), ``question``, ``answer`` (bool),
    ``n_cues``, ``min_matches``, ``evidence`` (the matched cues).

    >>> import pandas as pd
    >>> a = indicator_answers(pd.DataFrame({"doc_id": ["a"], "text": ["Critics accused the minister."]}))
    >>> bool(a.set_index("question_id").loc["co2", "answer"])
    True
    """
    d = _as_dictionary(scheme)
    rules = _indicator_rules(d)
    u = as_units(data, level)
    matcher = Matcher({qid: cues for _, qid, _, _, cues in rules})
    rows = []
    for unit in u.itertuples(index=False):
        text = unit.text if isinstance(unit.text, str) else ""
        hits: dict[str, list[str]] = {}
        for m in matcher.find(text, negation_window):
            if not m["negated"]:
                hits.setdefault(m["key"], []).append(m["term"].lower())
        for frame, qid, question, k, _ in rules:
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


# --------------------------------------------------------------------------------------------
# Naming and lexical choice
# --------------------------------------------------------------------------------------------


@dataclass
class NamingTable:
    """Competing names: ``concepts[concept][variant] = {label, usage, terms}``."""

    concepts: dict[str, dict[str, dict[str, Any]]]
    labels: dict[str, str]
    source: str = ""


def load_naming(source: str | os.PathLike | Mapping | None = None) -> NamingTable:
    """Load the naming table (default ``resources/naming.yml``) or a user file in that layout:
    ``concepts: {concept: {label, variants: {variant: {label, usage, terms: [...]}}}}``."""
    if isinstance(source, Mapping):
        data, path = dict(source), "<mapping>"
    else:
        path_obj = RESOURCES / "naming.yml" if source is None else Path(source)
        if not path_obj.is_file():
            raise FileNotFoundError(f"naming table not found: {path_obj}")
        path = str(path_obj)
        data = yaml.safe_load(path_obj.read_text(encoding="utf-8"))
    concepts = data.get("concepts") if isinstance(data, Mapping) else None
    if not isinstance(concepts, Mapping):
        raise ValueError(f"{path}: expected a top-level 'concepts:' mapping")
    out, labels = {}, {}
    for c, spec in concepts.items():
        variants = (spec or {}).get("variants")
        if not isinstance(variants, Mapping) or not variants:
            raise ValueError(f"{path}: concept {c!r} needs a 'variants:' mapping")
        for v, vs in variants.items():
            if not isinstance(vs, Mapping) or not vs.get("terms"):
                raise ValueError(f"{path}: variant {c}/{v} needs a 'terms:' list")
        out[str(c)] = {str(v): dict(vs) for v, vs in variants.items()}
        labels[str(c)] = str(spec.get("label", c))
    return NamingTable(out, labels, path)


def naming_mentions(
    data: pd.DataFrame,
    table: NamingTable | str | os.PathLike | None = None,
    attributions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every mention of a name from the naming table, with its voice.

    In: a corpus (``doc_id``, ``text``). Out, one row per mention in document order:
    ``doc_id``, ``concept``, ``concept_label``, ``variant``, ``label``, ``usage``, ``term``,
    ``start``, ``end`` (character offsets in the text), ``sentence`` (0-based sentence index),
    ``order`` (0-based rank of the mention within its concept in the document), ``voice``:
    ``"quote"`` inside quotation marks, ``"attributed"`` in a sentence that reports a source's
    words ("X said ...", "according to X"), otherwise ``"author"``; ``speaker`` for the last two.
    Pass ``attributions`` (from :func:`helpers.quotes.attributions`) to avoid computing them twice.

    >>> import pandas as pd
    >>> naming_mentions(pd.DataFrame({"doc_id": ["a"], "text": ["The Senkaku Islands, or Diaoyu."]})).variant.tolist()
    ['senkaku', 'diaoyu']
    """
    from .quotes import attributions as find_attributions
    from .quotes import quote_spans
    from .text import sentence_spans

    tab = table if isinstance(table, NamingTable) else load_naming(table)
    entries, group = {}, {}
    for c, variants in tab.concepts.items():
        for v, vs in variants.items():
            entries[f"{c}/{v}"] = [str(t) for t in vs["terms"]]
            group[f"{c}/{v}"] = c
    matcher = Matcher(entries, group)
    corpus = data
    att = (
        attributions
        if attributions is not None
        else (find_attributions(corpus) if len(corpus) else pd.DataFrame())
    )
    rows = []
    for doc_id, text in zip(corpus["doc_id"], corpus["text"], strict=True):
        text = text if isinstance(text, str) else ""
        found = matcher.find(text)
        if not found:
            continue
        qs = quote_spans(text)
        sents = sentence_spans(text)
        doc_att = att[att["doc_id"] == doc_id] if len(att) else att
        att_by_sent = {}
        for r in doc_att.itertuples(index=False):
            att_by_sent.setdefault((r.sent_start, r.sent_end), r.speaker_resolved or r.speaker)
        for m in found:
            c, v = m["key"].split("/", 1)
            si = next((i for i, (s, e) in enumerate(sents) if s <= m["start"] < e), -1)
            in_quote = any(s <= m["start"] and m["end"] <= e for s, e in qs)
            speaker = ""
            if si >= 0 and sents[si] in att_by_sent:
                speaker = att_by_sent[sents[si]]
            voice = "quote" if in_quote else ("attributed" if speaker else "author")
            vs = tab.concepts[c][v]
            rows.append(
                (
                    doc_id,
                    c,
                    tab.labels[c],
                    v,
                    str(vs.get("label", v)),
                    str(vs.get("usage", "")),
                    m["term"],
                    m["start"],
                    m["end"],
                    si,
                    voice,
                    speaker,
                )
            )
    out = pd.DataFrame(
        rows,
        columns=[
            "doc_id",
            "concept",
            "concept_label",
            "variant",
            "label",
            "usage",
            "term",
            "start",
            "end",
            "sentence",
            "voice",
            "speaker",
        ],
    )
    # "order" (0 = the name a document uses first for a concept) sits before voice/speaker
    out.insert(out.columns.get_loc("voice"), "order", out.groupby(["doc_id", "concept"]).cumcount())
    return out


def naming_summary(
    mentions: pd.DataFrame, corpus: pd.DataFrame | None = None, by: str | None = "outlet"
) -> pd.DataFrame:
    """Counts of each name per group, how often it comes first, and in whose voice.

    In: :func:`naming_mentions` output and (for ``by``) the corpus to join group columns from.
    Out, one row per group x concept x variant: ``<by>`` (if given), ``concept``, ``variant``,
    ``label``, ``usage``, ``n_mentions``, ``n_docs`` (documents using it), ``n_first``
    (documents where it is the first name used for the concept), ``share_of_concept``
    (its share of the concept's mentions in the group), ``author``, ``attributed``, ``quote``
    (mentions by voice).
    """
    m = mentions.copy()
    keys = ["concept", "variant", "label", "usage"]
    if by:
        if corpus is None or by not in corpus.columns:
            raise ValueError(f"naming_summary(by={by!r}) needs the corpus with a {by!r} column")
        m = m.merge(corpus[["doc_id", by]].drop_duplicates("doc_id"), on="doc_id", how="left")
        m[by] = m[by].fillna("(unknown)").astype(str).replace("", "(unknown)")
        keys = [by, *keys]
    if m.empty:
        return pd.DataFrame(
            columns=[
                *keys,
                "n_mentions",
                "n_docs",
                "n_first",
                "share_of_concept",
                "author",
                "attributed",
                "quote",
            ]
        )
    g = m.groupby(keys, sort=False)
    out = g.agg(n_mentions=("term", "size"), n_docs=("doc_id", "nunique")).reset_index()
    first = m[m["order"] == 0].groupby(keys).size().rename("n_first")
    voice = m.pivot_table(index=keys, columns="voice", values="term", aggfunc="size", fill_value=0)
    out = out.join(first, on=keys).join(voice, on=keys)
    for c in ("n_first", "author", "attributed", "quote"):
        if c not in out:
            out[c] = 0
        out[c] = out[c].fillna(0).astype(int)
    tot = out.groupby(([by] if by else []) + ["concept"])["n_mentions"].transform("sum")
    out["share_of_concept"] = out["n_mentions"] / tot
    return out[
        [
            *keys,
            "n_mentions",
            "n_docs",
            "n_first",
            "share_of_concept",
            "author",
            "attributed",
            "quote",
        ]
    ]


# --------------------------------------------------------------------------------------------
# Re-exports (quotes, keyness, supervised models, validation)
# --------------------------------------------------------------------------------------------


def __getattr__(name: str):
    # Lazy so that importing helpers.framing stays cheap and free of import cycles.
    if name.startswith("__"):
        raise AttributeError(name)
    from . import framing_model, keyness, quotes

    for mod in (framing_model, quotes, keyness):
        if hasattr(mod, name):
            return getattr(mod, name)
    raise AttributeError(f"module 'helpers.framing' has no attribute {name!r}")


def validate_main(argv: list[str] | None = None) -> int:
    """``python -m helpers validate frames FILE [--scheme generic|policy] [--train FILE]``."""
    from .framing_model import validate_main as _vm

    return _vm(argv)


def train_main(argv: list[str] | None = None) -> int:
    """``python -m helpers train frames FILE [--out PATH]`` (see :mod:`helpers.framing_model`)."""
    from .framing_model import train_main as _tm

    return _tm(argv)
