"""The dictionary matcher: finds entries (words, globs, phrases) in text, with negation.

:class:`Matcher` matches on word tokens (:func:`helpers.text.token_spans`), case-insensitive,
possessive-tolerant ("China's" matches ``china``), longest match first within a group of keys;
each hit says whether one of :data:`NEGATORS` (or a word ending in n't) comes within a few
tokens before it. Frame scores, indicator cues and naming variants all match through it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from itertools import accumulate, compress, repeat
from operator import itemgetter

# the tokenizer's own pattern: tokens are exactly those of token_spans
from ..text import _ASCII_WORD, _NOT_PLAIN_RE, _TOKEN_RE, token_spans

_TOKEN_SPLIT = re.compile(f"({_TOKEN_RE.pattern})")
# the same split of a lower-cased plain text (ASCII and helpers.text._PLAIN_EXTRA only: its
# letters are then [a-z], and no other character is a letter or digit), by ASCII classes
_ASCII_SPLIT = re.compile(f"({_ASCII_WORD})")

# The last text tokenised (held, so its id stays its own), its parts and normal forms: the same
# text object scanned next by another matcher (frame dictionaries, then indicator cues, then
# sentence peaks) is not split again. Tokens depend on the text only; each matcher's candidates
# stay its own.
_LAST: tuple = (None, [], [])
# The last parts whose offsets were summed (held, so their id stays theirs) and the offsets.
_LAST_BOUNDS: tuple = (None, [])

_BY_LENGTH = itemgetter(1)  # candidate matches (token, n tokens, entry): longest first
_BY_START_KEY = itemgetter(2, 0)  # claimed matches: by start, then key

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
    if isinstance(m, str):
        return tok == m or (tok.endswith("'s") and tok[:-2] == m)
    return bool(m.match(tok) or m.match(_strip_possessive(tok)))


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
        # the globs by the literal text before their first wildcard (a token they match starts
        # with it): per prefix length, prefix -> their positions in _glob_first
        by_len: dict[int, dict[str, list[int]]] = {}
        for j, (_, idx) in enumerate(self._glob_first):
            head = re.split(r"[*?]", _norm(self._entries[idx][1].split()[0]), maxsplit=1)[0]
            by_len.setdefault(len(head), {}).setdefault(head, []).append(j)
        self._glob_heads = sorted(by_len.items())
        # token -> 0 (no entry starts with it) or (its candidates as (entry, n words, word
        # matchers), whether it starts only phrases whose second word is a plain word, and the
        # entries when all are one word, else None)
        self._cache: dict[str, int | tuple[tuple, bool, tuple | None]] = {}
        self._pairs: set[tuple[str, str]] = set()  # (first, second) words of those phrases
        # per entry: its key and the key's group (claims are made per group)
        self._meta = [(key, self.group.get(key, key)) for key, _, _ in self._entries]
        self._n_words = [len(m) for _, _, m in self._entries]

    def _candidates(self, tok: str) -> list[int]:
        """Indices of the entries whose first word matches ``tok`` (exact ones first)."""
        alt = _strip_possessive(tok)
        cands = list(self._exact_first.get(tok, ()))
        if alt != tok:
            cands += [i for i in self._exact_first.get(alt, ()) if i not in cands]
        if self._glob_heads:  # only the globs whose literal head starts tok (alt starts tok too)
            near = {j for n, heads in self._glob_heads for j in heads.get(tok[:n], ())}
            globs = self._glob_first
            cands += [i for p, i in (globs[j] for j in sorted(near)) if p.match(tok) or p.match(alt)]
        return cands

    def _tokens(self, text: str) -> tuple[list[str], list[str]]:
        """The word tokens of ``text`` (as :func:`helpers.text.token_spans`) and their normal forms.

        Out: ``parts`` (gap, token, gap, ..., gap: token i is ``parts[2i+1]``; only their lengths
        are read) and the normalised tokens. When lower-casing the text changes no character's
        length and the text holds no capital sigma (the one letter Python lower-cases by its
        context), the lower-cased text is split: lower-casing changes no character's class (checked
        over every code point), so its parts have the same places and its tokens are the tokens
        lower-cased. Splitting on the token pattern gives gaps and tokens as strings (no match
        objects); their running lengths are the offsets (:func:`_bounds`), summed only when a
        match needs them. The text object tokenised just before, by any matcher, is taken from
        ``_LAST`` (its lists are shared: never changed). Token types new to this matcher are
        looked up in :meth:`_matches`.
        """
        global _LAST
        last = _LAST
        if last[0] is text:  # the text another matcher has just tokenised: its tokens
            return last[1], last[2]
        low = text.lower()
        if len(low) == len(text) and "Σ" not in text:  # each character lower-cased alone, to one
            split = _TOKEN_SPLIT if _NOT_PLAIN_RE.search(text) else _ASCII_SPLIT  # a plain text: ASCII classes
            parts = split.split(low)  # the same places and lengths (no character changes class)
            toks = parts[1::2]
        else:
            parts = _TOKEN_SPLIT.split(text)  # gap, token, gap, token, ..., gap
            toks = list(map(str.lower, parts[1::2]))
        if "’" in text:
            toks = [t.replace("’", "'") for t in toks]
        _LAST = (text, parts, toks)
        return parts, toks

    def _remember(self, tok: str) -> None:
        """Cache ``tok``'s candidates: 0 for none, else the candidates, whether they are all
        phrases with a plain second word (then only ``(tok, second)`` pairs can start a match) and
        their entries when all are one word (each then a match wherever ``tok`` is)."""
        cands = self._candidates(tok)
        if not cands:
            self._cache[tok] = 0
            return
        seconds = [self._entries[i][2][1] if len(self._entries[i][2]) > 1 else None for i in cands]
        pair_only = all(isinstance(w, str) for w in seconds)
        if pair_only:
            for w in seconds:  # a possessive second word matches too ("the east china's")
                self._pairs.update({(tok, w), (tok, w + "'s")})
        ones = tuple(cands) if all(w is None for w in seconds) else None
        self._cache[tok] = (tuple((i, len(self._entries[i][2]), self._entries[i][2]) for i in cands), pair_only, ones)

    def _matches(self, toks: list[str]) -> list[tuple[int, int, int]]:
        """Every candidate match in ``toks`` as ``(token index, n tokens, entry index)``, in order
        of token index (entries of one start in candidate order); nothing claimed yet.

        One dictionary look-up per token (a C-level map) finds the tokens that can start a match;
        token types this matcher has not seen are looked up (:meth:`_candidates`) first. A token
        that starts only phrases with a plain second word is tried only when the next token is
        one of those words (or its possessive); one that starts only one-word entries gives them
        all (C-level tuples)."""
        cache = self._cache
        found = list(map(cache.get, toks))
        j = _first_none(found, 0)
        while j >= 0:  # tokens new to this matcher: looked up, filled in (C-level search between)
            tok = toks[j]
            if (v := cache.get(tok)) is None:
                self._remember(tok)
                v = cache[tok]
            found[j] = v
            j = _first_none(found, j + 1)
        n_toks = len(toks)
        raw: list[tuple[int, int, int]] = []
        pairs = self._pairs
        for i in compress(range(n_toks), found):
            cands, pair_only, ones = found[i]
            if ones is not None:
                raw += zip(repeat(i), repeat(1), ones)
                continue
            if pair_only and (i + 1 == n_toks or (toks[i], toks[i + 1]) not in pairs):
                continue
            for idx, n, matchers in cands:
                # a phrase: its second word first, then the rest
                if n > 1 and (
                    i + n > n_toks
                    or not _word_ok(matchers[1], toks[i + 1])
                    or not all(_word_ok(matchers[k], toks[i + k]) for k in range(2, n))
                ):
                    continue
                raw.append((i, n, idx))
        return raw

    def _claims(self, raw: list, toks: list[str], bounds: list[int], negation_window: int,
                first: int = 0, off: int = 0) -> list[tuple]:
        """:meth:`scan`'s tuples from candidate matches ``raw`` of the tokens ``first``.. (a text
        or a span of it starting at character ``off``): within a group the longest, then
        earliest, match claims its tokens; the negation window stops at token ``first``; token
        indices and offsets are counted from ``first`` and ``off``. ``raw`` is in token order
        (as :meth:`_matches` gives it), so a stable sort by length alone puts the longest, then
        earliest, first."""
        raw.sort(key=_BY_LENGTH, reverse=True)  # stable: equal lengths stay in token order
        taken: dict = {}
        negs: dict[int, str] = {}
        out = []
        meta = self._meta
        for i, n, idx in raw:
            key, g = meta[idx]
            used = taken.get(g)
            if used is None:
                used = taken[g] = set()
            if n == 1:
                if i in used:
                    continue
                used.add(i)
            else:
                span = range(i, i + n)
                if not used.isdisjoint(span):
                    continue
                used.update(span)
            if (negator := negs.get(i)) is None:  # once per start (blocks often share one)
                negator = ""
                lo = i - negation_window
                for t in toks[lo if lo > first else first:i]:
                    if t in NEGATORS or t.endswith("n't"):
                        negator = t
                negs[i] = negator
            out.append((key, idx, bounds[2 * i] - off, bounds[2 * (i + n) - 1] - off, i - first, negator))
        out.sort(key=_BY_START_KEY)
        return out

    def scan(self, text: str, negation_window: int = 3) -> list[tuple]:
        """All non-overlapping matches (per group) in ``text`` as tuples ``(key, entry index,
        start, end, token, negator)`` in order of ``start`` then key; ``negator`` is "" when the
        match is not negated. :meth:`find` gives the same matches as dicts; scorers that only
        count use this (no dict per match). ``last_n_tokens`` is set to the text's token count."""
        parts, toks = self._tokens(text)
        self.last_n_tokens = len(toks)
        raw = self._matches(toks)
        if not raw:
            return []
        return self._claims(raw, toks, _bounds(parts), negation_window)

    def scan_spans(self, text: str, spans, negation_window: int = 3, only: list | None = None,
                   keys_only: int | None = None) -> tuple[list[list[tuple]], list[int]]:
        """:meth:`scan` of each ``text[s:e]`` for ``(s, e)`` in ``spans``, from one tokenisation
        and one candidate pass over ``text``.

        Out: the matches of each span (exactly ``scan(text[s:e])``: offsets and token indices
        within the span) and each span's token count. A span keeps the text's tokens wholly
        inside it, the candidate matches that fit in it and a negation window that stops at
        its start. The text's claims are made once: if no match claimed in the whole text
        crosses a span's edge, the claims inside the span are the span's own (whether a match
        claims its tokens depends only on the claimed matches overlapping it, all inside);
        otherwise the span claims its own candidates. A span whose edge falls inside a token
        (or outside the text) would tokenise differently on its own, so it is scanned alone.
        ``only``: per span, None or a set of keys: that span's matches of those keys alone (the
        same as filtering its scan; claims are made per group, a group within one key).
        ``keys_only``: from this span on, only each match's key and negator are the span's own
        (its offsets and token index may be the text's: no tuple rebuilt for them).
        """
        parts, toks = self._tokens(text)
        bounds = _bounds(parts)
        tok_starts, tok_ends = bounds[0:-1:2], bounds[1::2]
        raw = self._matches(toks)
        at = [r[0] for r in raw]
        whole = inner = None
        kept: dict = {}  # id(keys) -> (the whole text's matches of those keys, their first tokens)
        found, counts = [], []
        for j, (s, e) in enumerate(spans):
            keys = None if only is None else only[j]
            a, b = bisect_left(tok_starts, s), bisect_right(tok_ends, e)
            if (not 0 <= s <= e <= len(text) or (a and tok_ends[a - 1] > s)
                    or (b < len(toks) and tok_starts[b] < e)):
                hits = self.scan(text[s:e], negation_window)
                found.append(hits if keys is None else [m for m in hits if m[0] in keys])
                counts.append(self.last_n_tokens)
                continue
            b = max(a, b)
            counts.append(b - a)
            if whole is None:
                whole = self._claims(list(raw), toks, bounds, negation_window)
                first_tok = [m[4] for m in whole]
                nw = self._n_words
                inner = {x for m in whole if nw[m[1]] > 1 for x in range(m[4] + 1, m[4] + nw[m[1]])}  # edges crossed
            if a in inner or b in inner:
                mine = [r for r in raw[bisect_left(at, a):bisect_left(at, b)] if r[0] + r[1] <= b]
                if keys is not None:
                    meta = self._meta
                    mine = [r for r in mine if meta[r[2]][0] in keys]
                found.append(self._claims(mine, toks, bounds, negation_window, a, s) if mine else [])
                continue
            if keys is None:
                sel, sel_first = whole, first_tok
            else:
                if (got := kept.get(id(keys))) is None:
                    sub = [m for m in whole if m[0] in keys]
                    got = kept[id(keys)] = (sub, [m[4] for m in sub])
                sel, sel_first = got
            lo, hi = bisect_left(sel_first, a), bisect_left(sel_first, b)
            if (s == 0 and a == 0) or (  # offsets, token indices and negators are the text's own
                    keys_only is not None and j >= keys_only and (lo == hi or sel_first[lo] - negation_window >= a)):
                found.append(sel[lo:hi])  # (or only keys and negators wanted, and those are)
                continue
            found.append([
                (key, idx, start - s, end - s, i - a,
                 neg if a == 0 or i - negation_window >= a else self._negator(toks, a, i))
                for key, idx, start, end, i, neg in sel[lo:hi]
            ])
        return found, counts

    @staticmethod
    def _negator(toks: list[str], lo: int, i: int) -> str:
        """The last negator among tokens ``lo``..``i-1`` ("" if none)."""
        negator = ""
        for j in range(lo, i):
            if toks[j] in NEGATORS or toks[j].endswith("n't"):
                negator = toks[j]
        return negator

    def find(self, text: str, negation_window: int = 3) -> list[dict]:
        """All non-overlapping matches (per group) in ``text`` as dicts with ``key``, ``entry``,
        ``term`` (the text matched), ``start``, ``end``, ``token``, ``negated``, ``negator``."""
        return [
            {
                "key": key,
                "entry": self._entries[idx][1],
                "term": text[start:end],
                "start": start,
                "end": end,
                "token": i,
                "negated": bool(negator),
                "negator": negator,
            }
            for key, idx, start, end, i, negator in self.scan(text, negation_window)
        ]

    def entry(self, idx: int) -> str:
        """The dictionary entry (as written) with index ``idx`` in :meth:`scan`'s tuples."""
        return self._entries[idx][1]

    @classmethod
    def kept_on(cls, owner, attr: str, entries: Mapping[str, Iterable[str]]) -> Matcher:
        """The matcher kept on ``owner`` (a dictionary object) as ``attr``, built from ``entries``
        the first time: its token cache then survives across calls."""
        m = getattr(owner, attr, None)
        if m is None:
            m = cls(entries)
            object.__setattr__(owner, attr, m)
        return m

    @staticmethod
    def n_tokens(text: str) -> int:
        return len(token_spans(text))


def _bounds(parts: list[str]) -> list[int]:
    """The running lengths of ``parts`` (:meth:`Matcher._tokens`): token i spans
    ``bounds[2i]:bounds[2i+1]``. Kept for the last parts (by identity), which the next matcher
    scanning the same text gets."""
    global _LAST_BOUNDS
    if _LAST_BOUNDS[0] is not parts:
        _LAST_BOUNDS = (parts, list(accumulate(map(len, parts))))
    return _LAST_BOUNDS[1]


def _first_none(found: list, start: int) -> int:
    """The index of the first None in ``found`` from ``start`` (-1 if none): a token no
    candidate look-up has seen yet."""
    try:
        return found.index(None, start)
    except ValueError:
        return -1
