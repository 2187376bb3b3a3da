"""CPU pass on the framing matcher and style features: the same results as the earlier code.

``Matcher`` finds the tokens that can start a match with one dictionary look-up per token
(C-level map; token types new to the matcher looked up once), keeps the offsets of the last
text's tokens for the next matcher, claims with a stable sort by length and a set test per
one-word match, and gives a span starting the text its claims as they are. ``style_features``
tokenises through ``helpers.text._plain_tokens`` (``tokenize``'s tokens) and counts the
emotive words by set membership. The earlier code is kept below verbatim but for the
``_reference_`` names and run beside the new on the seed, corpus-2k (when built) and edge
texts (empty, no match, negations, apostrophes, possessive phrases, non-ASCII, odd spans).
"""

from __future__ import annotations

import json
import random
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from itertools import accumulate, compress, pairwise
from pathlib import Path

import pandas as pd
import pytest

from helpers.framing import features, load_dictionary
from helpers.framing.features import _counts, _vader_lexicon
from helpers.framing.indicators import _indicator_rules
from helpers.framing.matcher import (
    _TOKEN_SPLIT,
    NEGATORS,
    Matcher,
    _strip_possessive,
    _word_matcher,
    _word_ok,
)
from helpers.framing.naming import _naming_matcher, load_naming
from helpers.framing.units import section_units
from helpers.text import sentence_spans, token_spans, tokenize

CORPUS_2K = Path(__file__).parents[1] / "benchmarks" / "results" / "scale" / "corpus-2k.jsonl"

# ---- old helpers/framing/matcher.py (the class; its module-level helpers are unchanged) ----

_LAST: tuple = (None, [], [], set())


class _ReferenceMatcher:
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
        self._cache: dict[str, list[int]] = {}  # token -> candidate entries
        self._starts: set[str] = set()  # tokens that may start a match whatever follows
        self._pairs: set[tuple[str, str]] = set()  # (first, second) words of the other phrases

    def _candidates(self, tok: str) -> list[int]:
        """Indices of the entries whose first word matches ``tok`` (exact ones first)."""
        alt = _strip_possessive(tok)
        cands = list(self._exact_first.get(tok, ()))
        if alt != tok:
            cands += [i for i in self._exact_first.get(alt, ()) if i not in cands]
        if self._glob_any is not None and (self._glob_any.match(tok) or self._glob_any.match(alt)):
            cands += [i for p, i in self._glob_first if p.match(tok) or p.match(alt)]
        return cands

    def _tokens(self, text: str) -> tuple[list[str], list[str]]:
        """The word tokens of ``text`` (as :func:`helpers.text.token_spans`) and their normal forms.

        Out: ``parts`` (gap, token, gap, ..., gap: token i is ``parts[2i+1]``) and the normalised
        tokens. Splitting on the token pattern gives gaps and tokens as strings (no match
        objects); their running lengths are the offsets, summed only when a match needs them.
        New token types are looked up once (:meth:`_candidates`), so finding the tokens that can
        start a match is a set lookup. The text object tokenised just before, by any matcher, is
        taken from ``_LAST`` (its lists are shared: never changed).
        """
        global _LAST
        last = _LAST
        if last[0] is text:  # the text another matcher has just tokenised: its tokens
            _, parts, toks, types = last
        else:
            parts = _TOKEN_SPLIT.split(text)  # gap, token, gap, token, ..., gap
            toks = list(map(str.lower, parts[1::2]))
            if "’" in text:
                toks = [t.replace("’", "'") for t in toks]
            types = set(toks)
            _LAST = (text, parts, toks, types)
        for tok in types.difference(self._cache):
            self._remember(tok)
        return parts, toks

    def _remember(self, tok: str) -> None:
        """Cache ``tok``'s candidates and file it: a start on its own, or only before the
        second words of its phrases (then ``(tok, second)`` pairs are what can start a match)."""
        cands = self._cache[tok] = self._candidates(tok)
        seconds = [self._entries[i][2][1] if len(self._entries[i][2]) > 1 else None for i in cands]
        if any(not isinstance(w, str) for w in seconds):
            self._starts.update([tok] if cands else [])
            return
        for w in seconds:  # a possessive second word matches too ("the east china's")
            self._pairs.update({(tok, w), (tok, w + "'s")})

    def _start_positions(self, toks: list[str]) -> list[int]:
        """Indices of the tokens that can start a match: starts, and phrase words followed by
        one of their phrases' second words (a set lookup per token; no Python call)."""
        idx = list(compress(range(len(toks)), map(self._starts.__contains__, toks)))
        pairs = list(compress(range(len(toks)), map(self._pairs.__contains__, pairwise(toks))))
        return sorted(idx + pairs) if pairs else idx

    def _matches(self, toks: list[str]) -> list[tuple[int, int, int]]:
        """Every candidate match in ``toks`` as ``(token index, n tokens, entry index)``, in order
        of token index (entries of one start in candidate order); nothing claimed yet."""
        n_toks = len(toks)
        raw: list[tuple[int, int, int]] = []
        entries, cache = self._entries, self._cache
        for i in self._start_positions(toks):
            for idx in cache[toks[i]]:
                matchers = entries[idx][2]
                n = len(matchers)
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
        indices and offsets are counted from ``first`` and ``off``."""
        raw.sort(key=lambda r: (-r[1], r[0]))
        taken: dict[str, set[int]] = {}
        out = []
        group, entries = self.group, self._entries
        for i, n, idx in raw:
            key = entries[idx][0]
            used = taken.setdefault(group.get(key, key), set())
            if any(j in used for j in range(i, i + n)):
                continue
            used.update(range(i, i + n))
            negator = ""
            for j in range(max(first, i - negation_window), i):
                if toks[j] in NEGATORS or toks[j].endswith("n't"):
                    negator = toks[j]
            out.append((key, idx, bounds[2 * i] - off, bounds[2 * (i + n) - 1] - off, i - first, negator))
        out.sort(key=lambda m: (m[2], m[0]))
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
        bounds = list(accumulate(map(len, parts)))  # token i spans bounds[2i]:bounds[2i+1]
        return self._claims(raw, toks, bounds, negation_window)

    def scan_spans(self, text: str, spans, negation_window: int = 3) -> tuple[list[list[tuple]], list[int]]:
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
        """
        parts, toks = self._tokens(text)
        bounds = list(accumulate(map(len, parts)))
        tok_starts, tok_ends = bounds[0:-1:2], bounds[1::2]
        raw = self._matches(toks)
        at = [r[0] for r in raw]
        whole = inner = None
        found, counts = [], []
        for s, e in spans:
            a, b = bisect_left(tok_starts, s), bisect_right(tok_ends, e)
            if (not 0 <= s <= e <= len(text) or (a and tok_ends[a - 1] > s)
                    or (b < len(toks) and tok_starts[b] < e)):
                found.append(self.scan(text[s:e], negation_window))
                counts.append(self.last_n_tokens)
                continue
            b = max(a, b)
            counts.append(b - a)
            if whole is None:
                whole = self._claims(list(raw), toks, bounds, negation_window)
                first_tok = [m[4] for m in whole]
                long = [(m[4], len(self._entries[m[1]][2])) for m in whole]
                inner = {x for i, n in long if n > 1 for x in range(i + 1, i + n)}  # edges a claim crosses
            if a in inner or b in inner:
                mine = [r for r in raw[bisect_left(at, a):bisect_left(at, b)] if r[0] + r[1] <= b]
                found.append(self._claims(mine, toks, bounds, negation_window, a, s) if mine else [])
                continue
            found.append([
                (key, idx, start - s, end - s, i - a,
                 neg if a == 0 or i - negation_window >= a else self._negator(toks, a, i))
                for key, idx, start, end, i, neg in whole[bisect_left(first_tok, a):bisect_left(first_tok, b)]
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
    def kept_on(cls, owner, attr: str, entries: Mapping[str, Iterable[str]]) -> _ReferenceMatcher:
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


# ---- old helpers/framing/features.py ----


def _reference_style_features(texts) -> pd.DataFrame:
    """Surface cues per 1,000 tokens that dictionaries of words miss: money amounts, percentages,
    quotation marks, first/second-person pronouns, ages, question and exclamation marks, digits,
    and emotional wording (VADER lexicon: words with |valence| >= 2, and negative/positive ones).
    """
    lex = _vader_lexicon()
    rows = []
    for t in texts:
        t = t if isinstance(t, str) else ""
        toks = tokenize(t)
        n = max(len(toks), 1)
        f = {f"style:{k}": 1000 * c / n for k, c in _counts(t).items()}
        vals = [lex[w] for w in toks if w in lex]
        f["style:emotive_strong"] = 1000 * sum(abs(v) >= 2 for v in vals) / n
        f["style:emotive_negative"] = 1000 * sum(v <= -1 for v in vals) / n
        f["style:emotive_positive"] = 1000 * sum(v >= 1 for v in vals) / n
        rows.append(f)
    return pd.DataFrame(rows)


EDGE = [
    "",
    "   \n\n ",
    "Nothing here matches at all, 12345.",
    "The dispute is not about money. There was no conflict, hardly a war. Critics accused him.",
    "They didn't fight; it wasn’t a crisis, nor a war. Without doubt the cost can't be met.",
    "Not not not money money money. Never again crisis; lacking cost, rather the budget.",
    "China’s islands and China's coast guard; Japan’s “purchase” of the Senkaku isles.",
    "SENKAKU’S Diaoyu's DIAOYU-islands east-china sea East\n\nChina\tSea East China Sea's",
    "East. China, sea! South  China\u00a0Sea; the Sea of Japan (East Sea), Liancourt Rocks.",
    "İslands of Diaoyu, ΣΕΝΚΑΚΟΥ, Straße, naïve Senkakus, ﬁnance, ſecurity, \u212aelvin: not plain.",
    "I’m sure we said you were right! My $5 and 10 % or 3 per cent, a 52-year-old aged 7? Yes!!",
    "the the the east china sea east china east china sea's east china seas china",
    "no east china sea money, not the east china sea's crisis talks; never cris talks or budget cuts",
]


def _odd_entries() -> tuple[dict, dict]:
    """Globs, phrases with globs, possessive phrases, one-letter words and keys that compete."""
    entries = {
        "a": ["east china sea", "east china", "china", "secur*", "cost?", "the"],
        "b": ["china sea", "sea", "east", "war*", "not"],
        "c": ["the east", "money", "crisis", "cris* talks", "budget cut*"],
        "d": ["i", "we", "you", "s*", "un*fair"],
    }
    return entries, {"a": "g1", "b": "g1", "c": "c", "d": "g2"}


def _matchers() -> list:
    """(name, new, reference) matchers: the notebook's dictionaries combined and alone, the
    indicator cues, the naming table (variants compete) and odd entries with groups."""
    ds = [load_dictionary(s) for s in ("generic", "policy", "territorial")]
    combined = {(k, f): w for k, d in enumerate(ds) for f, w in d.categories.items()}
    cues = {qid: c for _, qid, _, _, c in _indicator_rules(ds[0])}
    entries, group = {}, {}  # as _naming_matcher builds them
    for c, variants in load_naming().concepts.items():
        for v, vs in variants.items():
            entries[f"{c}/{v}"] = [str(t) for t in vs["terms"]]
            group[f"{c}/{v}"] = c
    assert _naming_matcher(load_naming()).group == group
    odd, odd_group = _odd_entries()
    specs = [("combined", combined, None), ("generic", ds[0].categories, None), ("cues", cues, None),
             ("naming", entries, group), ("odd", odd, odd_group),
             ("odd, own groups", odd, None)]
    return [(name, Matcher(e, g), _ReferenceMatcher(e, g)) for name, e, g in specs]


def _spans(text: str, rng: random.Random) -> list[tuple[int, int]]:
    """The document, its sections, its sentences, and odd spans (inside tokens, empty,
    reversed, beyond the text)."""
    n = len(text)
    sections = section_units(pd.DataFrame({"doc_id": ["x"], "text": [text]}))
    sec = [(s, s + len(t)) for s, t in zip(sections["start"], sections["text"], strict=True)
           if isinstance(t, str) and s >= 0]
    odd = [(rng.randint(0, n), rng.randint(0, n)) for _ in range(4)]
    # on token edges: spans that cut through claimed phrases (their tokens claimed afresh, the
    # negation window stopping at the span's start)
    toks = token_spans(text)
    cut = [(toks[i][0], toks[j][1]) for i, j in
           [(rng.randrange(len(toks)), rng.randrange(len(toks))) for _ in range(6)] if i <= j] if toks else []
    cut += [(s, n) for s, _ in toks[:8]] + [(0, e) for _, e in toks[:8]]
    return [(0, n), *sec, *sentence_spans(text), *odd, *cut, (0, 0), (n, n), (n // 2, n + 5), (-1, 3)]


def _texts(seed_corpus, n_2k: int = 0) -> list[str]:
    seed = seed_corpus["text"].iloc[0]
    out = [seed, *seed.split("\n\n"), *EDGE]
    if n_2k and CORPUS_2K.is_file():
        with CORPUS_2K.open(encoding="utf-8") as fh:
            out += [json.loads(line)["text"] for _, line in zip(range(n_2k), fh, strict=False)]
    return out


def _assert_matchers_agree(texts: list[str], windows=(3, 0, 5)) -> None:
    rng = random.Random(7)
    matchers = _matchers()
    for text in texts:
        spans = _spans(text, rng)
        for w in windows:
            # each matcher in turn on the same text object (the tokens and offsets are reused)
            for name, new, ref in matchers:
                assert new.scan_spans(text, spans, w) == ref.scan_spans(text, spans, w), (name, w, text[:60])
                assert new.scan(text, w) == ref.scan(text, w), (name, w, text[:60])
                assert new.last_n_tokens == ref.last_n_tokens == len(token_spans(text))
                assert new.find(text, w) == ref.find(text, w), (name, w, text[:60])
                part = text[len(text) // 3:]  # another text object: tokenised afresh
                assert new.scan(part, w) == ref.scan(part, w), (name, w, part[:60])


def test_matcher_equals_the_reference(seed_corpus):
    _assert_matchers_agree(_texts(seed_corpus))


def test_matcher_on_corpus_2k(seed_corpus):
    if not CORPUS_2K.is_file():
        pytest.skip("benchmarks/results/scale/corpus-2k.jsonl not built")
    _assert_matchers_agree(_texts(seed_corpus, 150)[-150:], windows=(3,))


def test_matcher_cache_fills_the_same_way():
    """A token seen first in one text and then in another; tokens of a phrase's second word."""
    entries, group = _odd_entries()
    new, ref = Matcher(entries, group), _ReferenceMatcher(entries, group)
    for text in ["east", "china sea east", "the east china sea's", "east china's sea"] * 2:
        assert new.scan(text) == ref.scan(text)


def test_style_features_equal_the_reference(seed_corpus):
    texts = [*_texts(seed_corpus, 300), None, 3.5]
    pd.testing.assert_frame_equal(features.style_features(texts), _reference_style_features(texts))
    pd.testing.assert_frame_equal(features.style_features([]), _reference_style_features([]))
