"""Surface cues of a text (money, percentages, quotation marks, pronouns, ages, question and
exclamation marks, digits, emotive words) per 1,000 tokens: :func:`style_features`, the
classifier's style columns (:mod:`helpers.framing.features` stacks them beside the rest), and
:func:`style_row`, one text's row, from the matcher's tokens when the scoring pass has them.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy as np
import pandas as pd

from ..text import _ASCII_TOKEN_RE, _NOT_PLAIN_RE, _plain_tokens

_STYLE_PATTERNS = {
    # money amounts and percentages: economic consequences are told in numbers
    "money": re.compile(r"[$£€¥]\s?\d|\b\d[\d,.]*\s?(?:dollars|euros|pounds|yuan|yen)\b", re.I),
    "percent": re.compile(r"\d\s?%|\bper ?cent\b", re.I),
    "quote_marks": re.compile(r"[\"“”]"),
    # first/second person: personal voices and prescriptions ("we must", "you should")
    "first_singular": re.compile(r"\b(?:I|me|my|mine|I'm|I’m|I've|I’ve)\b"),
    "first_plural": re.compile(r"\b(?:we|our|us|ours)\b", re.I),
    "second_person": re.compile(r"\b(?:you|your|yours)\b", re.I),
    # a human face: "a 52-year-old farmer", "aged 7"
    "ages": re.compile(r"\b\d{1,3}-year-old|\baged? \d{1,3}\b", re.I),
    "question_marks": re.compile(r"\?"),
    "exclamations": re.compile(r"!"),
    "digits": re.compile(r"\d+"),
}


# cues that are single characters: str.count gives exactly the regex's number of matches, faster
_CHAR_COUNTS = {"quote_marks": ('"', "“", "”"), "question_marks": ("?",), "exclamations": ("!",)}


# The pronoun cues in one pass: their words are whole words (\b on both sides), no two of them
# start with the same letter in either case, so matches of different cues never start at the same
# place or overlap, and one scan finds exactly the matches of each pattern alone (tested).
_PRONOUNS = ("first_singular", "first_plural", "second_person")
_PRONOUN_RE = re.compile(
    r"\b(?:(?P<first_singular>I|me|my|mine|I'm|I’m|I've|I’ve)"
    r"|(?i:(?P<first_plural>we|our|us|ours)|(?P<second_person>you|your|yours)))\b"
)

# Where the other cues can start. Their patterns open with \b or a class under re.I, which gives re
# no first-character scan: findall tries a match at every character (~40 ns each). These scans
# start with a literal or a plain class, which re skips to, and find a superset of the places a
# match can start; matching there only, left to right from the end of the last match, finds
# findall's matches exactly (none is empty). Under re.I the letters below match only their two
# ASCII cases, 's' also U+017F (tests go through every character).
_DIGIT_RUNS = re.compile(r"\d\d*")  # \d+ (\b\d starts a run), with the class first
_CURRENCY = re.compile(r"[$£€¥]")
_PER_CENT = re.compile(r"[Pp][Ee][Rr] ?[Cc][Ee][Nn][Tt]")
_AGED = re.compile(r"[Aa][Gg][Ee][Dd]? \d")
# A pronoun starts a word (at 0, or after a character \W matches) with one of these beginnings.
# Two scans, after a space (a literal: re skips to it) and after any other character but an
# ASCII letter, digit or '_' (a plain class), cover every \W and are faster than \W's one.
_PRONOUN_BEGINS = r"(?:I|m[eyi]|[Ww][Ee]|[Oo][Uu][Rr]|[Uu][Ssſ]|[Yy][Oo][Uu])"
_PRONOUN_STARTS = (re.compile(" " + _PRONOUN_BEGINS),
                   re.compile(r"[\x00-\x1f!-/:-@\[-^`{-\U0010ffff]" + _PRONOUN_BEGINS))


def _matches_at(rx: re.Pattern, text: str, starts):
    """``rx.finditer(text)``'s matches when ``starts`` (ascending) holds every place a match of
    ``rx`` can start and no match is empty: the first match at or after the last one's end, in turn."""
    end = 0
    for c in starts:
        if c >= end and (m := rx.match(text, c)):
            end = m.end()
            yield m


def _n_matches_at(rx: re.Pattern, text: str, starts) -> int:
    """``len(rx.findall(text))`` from :func:`_matches_at`."""
    return sum(1 for _ in _matches_at(rx, text, starts))


def _percent_starts(text: str, lower: str) -> list[int]:
    """Where ``\\d\\s?%|\\bper ?cent\\b`` can start: one or two before a '%', or a 'per cent'
    (looked for only if the lower-cased text ``lower`` holds one)."""
    starts = {m.start() for m in _PER_CENT.finditer(text)} if _PER_CENT_LOWER.search(lower) else set()
    q = text.find("%")
    while q >= 0:
        starts.update(c for c in (q - 2, q - 1) if c >= 0)
        q = text.find("%", q + 1)
    return sorted(starts)


# The pronouns in one scan that re can run fast: a pronoun starts with one of these letters (the
# class first: re skips to it), the letter before it is no word character (a look-behind over it
# and that letter: \b before a letter), then the rest of a pronoun and \b. Each alternative spells
# one cue's words after their first letter: "I" is always matched alone (after it, "'m"/"'ve" start
# with a \W, so "I" then \b matches first), "ours"/"our" and "yours"/"your"/"you" cannot both be
# followed by \b. Matches are whole words of letters, so matching them left to right finds the
# same places as _PRONOUN_RE's findall; the empty group closing an alternative names its cue.
_PRONOUN_SCAN = re.compile(
    r"[ImwWoOuUyY](?<!\w.)(?:(?<=I)\b(?P<first_singular>)|(?<=m)(?:e|y|ine)\b(?P<first_singular_m>)"
    r"|(?i:(?<=w)e|(?<=o)urs?|(?<=u)s)\b(?P<first_plural>)|(?i:(?<=y)ou(?:rs?)?)\b(?P<second_person>))"
)
_PRONOUN_OF = {"first_singular_m": "first_singular"}

# Whether a cue can occur at all, from the lower-cased text (the letters below match under re.I
# only their two ASCII cases, whose lower case is the letter; a digit is its own lower case:
# tested over every code point): texts without a hint are not scanned for that cue.
_MONEY_SIGNS = ("$", "£", "€", "¥")
# the words as re.I can match them, lower-cased: 's' is also U+017F (its own lower case)
_MONEY_WORDS = ("dollars", "dollarſ", "euros", "euroſ", "pounds", "poundſ", "yuan", "yen")
_PER_CENT_LOWER = re.compile("per ?cent")
_AGED_LOWER = re.compile(r"aged? \d")


def _counts(text: str) -> dict[str, int]:
    """How often each style cue occurs in ``text`` (``len(rx.findall(text))`` for each pattern of
    ``_STYLE_PATTERNS``), each matched only where it can start."""
    return dict(zip(_STYLE_PATTERNS, _count_row(text), strict=True))


def _ages_or_money(text: str, lower: str) -> bool:
    """Whether a number can start a money or age match: a currency word or '-year-old' occurs."""
    return "-year-old" in lower or any(map(lower.__contains__, _MONEY_WORDS))


def _count_row(text: str) -> list[int]:
    """:func:`_counts`' values in the order of ``_STYLE_PATTERNS``."""
    found = dict.fromkeys(_PRONOUNS, 0)
    for m in _PRONOUN_SCAN.finditer(text):
        g = m.lastgroup
        found[_PRONOUN_OF.get(g, g)] += 1
    lower = text.lower()
    runs = [m.start() for m in _DIGIT_RUNS.finditer(text)] if _ages_or_money(text, lower) else None
    money = percent = ages = 0
    if any(map(text.__contains__, _MONEY_SIGNS)):  # a sign starts a match; a number only before a word
        starts = [m.start() for m in _CURRENCY.finditer(text)]
        if any(map(lower.__contains__, _MONEY_WORDS)):
            starts = sorted([*runs, *starts])
        money = _n_matches_at(_STYLE_PATTERNS["money"], text, starts)
    elif any(map(lower.__contains__, _MONEY_WORDS)):
        money = _n_matches_at(_STYLE_PATTERNS["money"], text, runs)
    if "%" in text or _PER_CENT_LOWER.search(lower):
        percent = _n_matches_at(_STYLE_PATTERNS["percent"], text, _percent_starts(text, lower))
    if "-year-old" in lower or _AGED_LOWER.search(lower):  # a number only before '-year-old'
        starts = [m.start() for m in _AGED.finditer(text)] if _AGED_LOWER.search(lower) else []
        if "-year-old" in lower:
            starts = sorted([*runs, *starts])
        ages = _n_matches_at(_STYLE_PATTERNS["ages"], text, starts)
    digits = len(runs) if runs is not None else len(_DIGIT_RUNS.findall(text))
    return [money, percent, sum(map(text.count, _CHAR_COUNTS["quote_marks"])), found["first_singular"],
            found["first_plural"], found["second_person"], ages, text.count("?"), text.count("!"), digits]


@lru_cache(maxsize=1)
def _vader_lexicon() -> dict[str, float]:
    # VADER's valence lexicon ships inside the vaderSentiment package (no download)
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return {w: v for w, v in SentimentIntensityAnalyzer().lexicon.items() if w.isalpha()}


def style_features(texts) -> pd.DataFrame:
    """Surface cues per 1,000 tokens that dictionaries of words miss: money amounts, percentages,
    quotation marks, first/second-person pronouns, ages, question and exclamation marks, digits,
    and emotional wording (VADER lexicon: words with |valence| >= 2, and negative/positive ones).
    """
    rows = [style_row(t if isinstance(t, str) else "") for t in texts]
    if not rows:
        return pd.DataFrame(rows)
    return pd.DataFrame(np.array(rows, dtype=float), columns=_STYLE_COLUMNS)


def style_row(text: str, toks: list[str] | None = None) -> list[float]:
    """One text's :func:`style_features` row (the values in the order of ``_STYLE_COLUMNS``).

    ``toks``: the text's tokens as :class:`~helpers.framing.matcher.Matcher` makes them
    (lower-cased, ’ as '; the scoring pass has them), used when the text is plain (ASCII and
    :data:`helpers.text._PLAIN_EXTRA` only; else :func:`helpers.text._plain_tokens` is called).
    They are ``tokenize(text)``'s tokens but for the possessive: a plain text's ``tokenize``
    drops a token's final 's (one ending in it is followed by no letter, nor by a joiner and a
    letter: the token pattern would take those), which the matcher keeps. So the number is the
    same, and a word's emotive kind is looked up under it and under it plus 's
    (:func:`_emotive_kinds_possessive`): the emotive words are letters only, so a token with
    any other apostrophe or joiner is in neither table."""
    if toks is None or _NOT_PLAIN_RE.search(text):
        toks = _plain_tokens(text)  # tokenize(text)'s tokens
        counts = (*_count_row(text), *_emotive_counts(toks, _emotive_kinds()))
    else:
        counts = _plain_counts(text, toks)
    n = max(len(toks), 1)
    return [1000 * c / n for c in counts]


def _emotive_counts(toks: list[str], kinds: dict[str, int]) -> tuple[int, int, int]:
    """How many of ``toks`` are strong, negative and positive emotive words (``kinds``: a word's
    sets' bits, :func:`_emotive_kinds`)."""
    # the tokens in any of the word sets, as their sets' bits (one C-level map), then per set
    hits = Counter(filter(None, map(kinds.get, toks)))
    strong = negative = positive = 0
    for bits, c in hits.items():
        strong += c if bits & 1 else 0
        negative += c if bits & 2 else 0
        positive += c if bits & 4 else 0
    return strong, negative, positive


# A plain text's counts are the sums of its blocks' (the pieces between blank lines, "\n\n"): no
# cue's match holds two line breaks in a row (the only white space a pattern takes is one \s? or
# one space), a pattern's look-arounds see a line break beside a block as they see its edge (no
# word character), and tokens hold no line break. Blocks seen before (reposts, boilerplate,
# recombined paragraphs) are counted once: a block's counts are remembered the second time it is
# seen (the first time only its hash is kept, so texts whose blocks never repeat are counted whole,
# as before); a text all of whose blocks are remembered is their sum. Both bounded (emptied when full).
# When few texts are sums (under 1 in 20 of the recent ones), only every 8th text is split into blocks.
_BLOCKS: dict[str, tuple[int, ...]] = {}
_BLOCKS_SIZE = 20_000  # ~15 MB when full
_SEEN: set[int] = set()
_SEEN_SIZE = 200_000  # ~14 MB when full
_SUMS = [0, 0, 0]  # texts split into blocks lately, of them sums; texts


def _plain_counts(text: str, toks: list[str]) -> tuple[int, ...]:
    """``(*_count_row(text), *_emotive_counts(toks, _emotive_kinds_possessive()))`` for a plain
    text and its matcher tokens ``toks``, from its blocks' remembered counts when it can."""
    sums = _SUMS
    sums[2] += 1
    if sums[0] >= 500 and sums[1] * 20 < sums[0] and sums[2] % 8:  # blocks rarely repeat: counted whole
        return (*_count_row(text), *_emotive_counts(toks, _emotive_kinds_possessive()))
    if sums[0] >= 4_000:  # recent texts weigh more
        sums[0], sums[1] = sums[0] // 2, sums[1] // 2
    sums[0] += 1
    found, whole = [], False
    for block in text.split("\n\n"):
        got = _BLOCKS.get(block)
        if got is None:
            if hash(block) not in _SEEN:  # a block not seen before (or a hash collision: counted then)
                if len(_SEEN) >= _SEEN_SIZE:
                    _SEEN.clear()
                _SEEN.add(hash(block))
                whole = True
                continue
            btoks = _ASCII_TOKEN_RE.findall(block.lower())  # the matcher's tokens of a plain block
            if "’" in block:
                btoks = [t.replace("’", "'") for t in btoks]
            got = (*_count_row(block), *_emotive_counts(btoks, _emotive_kinds_possessive()))
            if len(_BLOCKS) >= _BLOCKS_SIZE:
                _BLOCKS.clear()
            _BLOCKS[block] = got
        found.append(got)
    if whole:
        return (*_count_row(text), *_emotive_counts(toks, _emotive_kinds_possessive()))
    sums[1] += 1
    return tuple(map(sum, zip(*found, strict=True)))


_STYLE_COLUMNS = [*(f"style:{k}" for k in _STYLE_PATTERNS),
                  "style:emotive_strong", "style:emotive_negative", "style:emotive_positive"]


@lru_cache(maxsize=1)
def _emotive_kinds() -> dict[str, int]:
    """Each word of any :func:`_emotive_words` set: 1 if strong, + 2 if negative, + 4 if
    positive (never 0: a word of the union is negative or positive)."""
    strong, negative, positive, emotive = _emotive_words()
    return {w: (w in strong) | (w in negative) << 1 | (w in positive) << 2 for w in emotive}


@lru_cache(maxsize=1)
def _emotive_kinds_possessive() -> dict[str, int]:
    """:func:`_emotive_kinds` with each word also under its possessive (word + 's)."""
    kinds = _emotive_kinds()
    return {**kinds, **{w + "'s": b for w, b in kinds.items()}}


@lru_cache(maxsize=1)
def _emotive_words() -> tuple[frozenset, frozenset, frozenset, frozenset]:
    """The VADER words (:func:`_vader_lexicon`) with |valence| >= 2, valence <= -1, >= 1, and
    the union of the three (|valence| >= 1: the first set lies inside it)."""
    lex = _vader_lexicon()
    return (frozenset(w for w, v in lex.items() if abs(v) >= 2),
            frozenset(w for w, v in lex.items() if v <= -1),
            frozenset(w for w, v in lex.items() if v >= 1),
            frozenset(w for w, v in lex.items() if abs(v) >= 1))
