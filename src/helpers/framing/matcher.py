"""The dictionary matcher: finds entries (words, globs, phrases) in text, with negation.

:class:`Matcher` matches on word tokens (:func:`helpers.text.token_spans`), case-insensitive,
possessive-tolerant ("China's" matches ``china``), longest match first within a group of keys;
each hit says whether one of :data:`NEGATORS` (or a word ending in n't) comes within a few
tokens before it. Frame scores, indicator cues and naming variants all match through it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ..text import token_spans

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
