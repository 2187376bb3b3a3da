"""Naming and lexical choice: competing names for the same thing, in whose voice, which first.

The naming table (``resources/naming.yml``, or a user file in that layout) lists the variants of
each concept (Diaoyu / Diaoyutai / Senkaku, purchase vs nationalization ...). :func:`naming_mentions`
finds every mention with its voice (the author's, a quotation, or a sentence attributed to a
source, from :mod:`helpers.sources`) and its rank within the document; :func:`naming_summary`
counts them per group (outlet ...).
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..config import RESOURCES
from ..sources import attributions as find_attributions
from ..sources import quote_spans
from ..text import _NOT_PLAIN_RE, _TOKEN_RE, sentence_spans, sentence_spans_each
from .matcher import Matcher


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


_MENTION_COLUMNS = [
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
]


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
    Pass ``attributions`` (from :func:`helpers.sources.attributions`) to avoid computing them twice.

    >>> import pandas as pd
    >>> naming_mentions(pd.DataFrame({"doc_id": ["a"], "text": ["The Senkaku Islands, or Diaoyu."]})).variant.tolist()
    ['senkaku', 'diaoyu']
    """
    tab = table if isinstance(table, NamingTable) else load_naming(table)
    matcher = _naming_matcher(tab)
    corpus = data
    att = (
        attributions
        if attributions is not None
        else (find_attributions(corpus) if len(corpus) else pd.DataFrame())
    )
    speakers = _speakers_by_sentence(att)
    screens = _naming_screens(tab)
    most = max(matcher._n_words, default=1)  # the most tokens a match spans
    hits = []  # (doc_id, text, matches) of the documents naming something
    pieces: dict = {}  # the matches of each piece of text scanned (pieces recur: wire copy, reposts)
    for doc_id, text in zip(corpus["doc_id"], corpus["text"], strict=True):
        text = text if isinstance(text, str) else ""
        if _NOT_PLAIN_RE.search(text):
            found = matcher.scan(text)
        else:
            windows = _name_windows(screens, text, text.lower().replace("’", "'"), most)  # same offsets
            if not windows:
                continue  # no name of the table can occur (see _naming_screen)
            found = _scan_windows(matcher, text, windows, pieces)
        if found:
            hits.append((doc_id, text, found))
    rows = []
    for b in range(0, len(hits), _SPAN_BLOCK):  # their sentences looked up together, a block at a time
        block = hits[b : b + _SPAN_BLOCK]
        sents = sentence_spans_each([text for _, text, _ in block])
        for (doc_id, text, found), sp in zip(block, sents, strict=True):
            rows.extend(_mention_rows(doc_id, text, found, tab, speakers.get(doc_id, {}), sp))
    out = pd.DataFrame(rows, columns=_MENTION_COLUMNS)
    # "order" (0 = the name a document uses first for a concept) sits before voice/speaker
    out.insert(out.columns.get_loc("voice"), "order", out.groupby(["doc_id", "concept"]).cumcount())
    return out


#: documents whose sentence spans :func:`naming_mentions` looks up at once (bounds the memory)
_SPAN_BLOCK = 2_000


def _naming_matcher(tab: NamingTable) -> Matcher:
    """One matcher over every variant (``concept/variant``); variants of a concept compete."""
    entries, group = {}, {}
    for c, variants in tab.concepts.items():
        for v, vs in variants.items():
            entries[f"{c}/{v}"] = [str(t) for t in vs["terms"]]
            group[f"{c}/{v}"] = c
    return Matcher(entries, group)


_GAP = {"word": "(?:'s)?[^a-z]+", "glob": "[a-z'\\-]*[^a-z]+", "end word": "(?![a-z])", "end glob": ""}


def _naming_screen(tab: NamingTable) -> re.Pattern:
    """A pattern found in every plain text that holds a name of ``tab`` (and in some others).

    For a text of ASCII and :data:`helpers.text._PLAIN_EXTRA` only, lower-cased with ’ as ',
    the matcher's tokens are its runs of ``[a-z]`` (with inner ' and -): a name's words then
    occur in order, the first after no letter, the words apart by non-letters ("'s" allowed
    after a word), a glob's letters up to its first wildcard followed by any token characters,
    and a last word followed by no letter. The names form a letter tree, so each position
    costs a few character tests; a text the pattern does not find is not scanned.
    """
    tree: dict = {}
    for variants in tab.concepts.values():
        for vs in variants.values():
            for term in vs["terms"]:
                words = str(term).lower().replace("’", "'").split()
                node = tree
                for i, w in enumerate(words):
                    glob = "*" in w or "?" in w
                    for ch in re.split(r"[*?]", w)[0] if glob else w:
                        node = node.setdefault(ch, {})
                    gap = ("end " if i == len(words) - 1 else "") + ("glob" if glob else "word")
                    node = node.setdefault(_GAP[gap], {})

    def emit(node: dict) -> str:
        alts = [(a if a in _GAP.values() else re.escape(a)) + emit(node[a]) for a in sorted(node)]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")" if alts else ""

    return re.compile(_AFTER_NO_LETTER + emit(tree))


_AFTER_NO_LETTER = "(?<![a-z])"


def _naming_screens(tab: NamingTable) -> tuple[re.Pattern, re.Pattern]:
    """:func:`_naming_screen` as two patterns for :func:`_first_name_start`: its letter tree at
    the text's start, and after a character other than ``[a-z]`` (a first character the regular
    expression engine looks for before trying the tree; the look-behind is tried everywhere)."""
    tree = _naming_screen(tab).pattern[len(_AFTER_NO_LETTER) :]
    return re.compile(tree), re.compile("[^a-z]" + tree)


def _first_name_start(screens: tuple[re.Pattern, re.Pattern], text: str) -> int | None:
    """Where :func:`_naming_screen` first matches in ``text`` (its ``search(text).start()``),
    or None."""
    at_start, after_other = screens
    if at_start.match(text):
        return 0
    m = after_other.search(text)
    return None if m is None else m.start() + 1


def _name_windows(screens: tuple[re.Pattern, re.Pattern], text: str, low: str, most: int) -> list[tuple[int, int]]:
    """Pieces of a plain ``text`` (``low`` its lower-cased form, :func:`naming_mentions`) that
    together hold every match of the naming matcher, each whole, with the text's tokens.

    A match starts where :func:`_naming_screen` matches (its words occur there), found with
    ``screens`` (:func:`_naming_screens`) at the start and after each character other than
    ``[a-z]``, every position (the search resumes just after the last one found); it spans at most ``most`` tokens from there. Each such
    position gives a piece from the last space or line break before it (no token holds one,
    so the tokens after it are the text's) to the end of its ``most``-th token (a token ends
    where the token pattern stops, so it ends there in the piece too); overlapping pieces are
    merged. A match lies inside the piece of its start, so matches of different pieces never
    overlap: each piece's claims (made among overlapping matches) are the text's there.
    """
    at_start, after_other = screens
    pos = [0] if at_start.match(low) else []
    m = after_other.search(low)
    while m is not None:  # each position once, also inside another name
        pos.append(m.start() + 1)
        m = after_other.search(low, pos[-1])
    out: list[tuple[int, int]] = []
    tokens = _TOKEN_RE.finditer
    for p in pos:
        if out and p < out[-1][1]:
            lo = out[-1][0]  # p's piece starts before this end (no space or break between)
        else:
            lo = max(text.rfind(" ", 0, p), text.rfind("\n", 0, p)) + 1
        hi = p
        for hi_m in islice(tokens(text, p), most):
            hi = hi_m.end()
        if out and lo < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _scan_windows(matcher: Matcher, text: str, windows: list[tuple[int, int]], seen: dict | None = None) -> list[tuple]:
    """``matcher.scan(text)``'s key and offsets (the first, third and fourth fields) of the
    matches, from scans of the pieces ``windows`` (:func:`_name_windows`) alone; the other
    fields are the piece's. ``seen``: the scans of pieces already scanned, by their text (a
    piece's scan depends on its text alone), filled here and emptied at :data:`_PIECES`."""
    found = []
    for lo, hi in windows:
        piece = text[lo:hi]
        matches = seen.get(piece) if seen is not None else None
        if matches is None:
            matches = matcher.scan(piece)
            if seen is not None:
                if len(seen) >= _PIECES:
                    seen.clear()
                seen[piece] = matches
        for k, i, start, end, t, neg in matches:
            found.append((k, i, start + lo, end + lo, t, neg))
    return found


#: pieces whose scans :func:`naming_mentions` remembers before it forgets them all (bounds the memory)
_PIECES = 20_000


def _speakers_by_sentence(att: pd.DataFrame) -> dict:
    """Per document, the (resolved) speaker of each attributed sentence, by sentence span.

    One pass over the table (filtering it once per document would grow with documents²).
    """
    out: dict = {}
    if not len(att):
        return out
    cols = (
        att[c].tolist() for c in ("doc_id", "sent_start", "sent_end", "speaker_resolved", "speaker")
    )
    for doc_id, start, end, resolved, speaker in zip(*cols, strict=True):
        out.setdefault(doc_id, {}).setdefault((start, end), resolved or speaker)
    return out


def _mention_rows(
    doc_id, text: str, found: list[tuple], tab: NamingTable, att_by_sent: dict,
    sents: list[tuple[int, int]] | None = None,
) -> list[tuple]:
    """One row per match (:meth:`Matcher.scan` tuples) in one document: sentence, voice and
    speaker added (``sents``: its sentence spans, if already known).

    Sentences and quotes are sorted and disjoint, so the one holding a match is found by
    bisection on their starts.
    """
    qs = quote_spans(text)
    q_starts = [s for s, _ in qs]
    sents = sentence_spans(text) if sents is None else sents
    s_starts = [s for s, _ in sents]
    rows = []
    for key, _, start, end, _, _ in found:
        c, v = key.split("/", 1)
        si = bisect_right(s_starts, start) - 1
        si = si if si >= 0 and start < sents[si][1] else -1
        qi = bisect_right(q_starts, start) - 1
        in_quote = qi >= 0 and end <= qs[qi][1]
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
                text[start:end],
                start,
                end,
                si,
                voice,
                speaker,
            )
        )
    return rows


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
    columns = [*keys, "n_mentions", "n_docs", "n_first", "share_of_concept", "author", "attributed", "quote"]
    if m.empty:
        return pd.DataFrame(columns=columns)
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
    return out[columns]
