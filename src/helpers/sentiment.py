"""Tone of the coverage: lexicon sentiment, aggregation with intervals, validation.

Three families of functions:

* **Lexicon scoring** at document, paragraph or sentence level (``vader_scores``,
  ``dictionary_scores``) returning one row per unit with the words that drove each score.
  :class:`VaderScorer` reproduces ``vaderSentiment`` 3.3.2's ``polarity_scores`` exactly (same
  rules, same rounding) but runs many times faster on a corpus (see
  ``benchmarks/bench_sentiment.py``).
* **Aggregation** (``aggregate_sentiment``, ``evidence``): means by outlet, date or target with
  bootstrap intervals over documents, and the sentences behind each number.
* **Validation** (``validation_report``, ``validate_main``, ``train_main``): accuracy, macro-F1,
  per-class F1, confusion matrix, Cohen's kappa and Krippendorff's alpha with bootstrap
  intervals, built on :mod:`helpers.agreement`.

Entity-targeted sentiment (alias table, mentions, trained target models) lives in
:mod:`helpers.targets`; ``python -m helpers validate targets`` / ``train targets`` land here.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import operator
import re
import string
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .agreement import (
    bootstrap_ci,
    bootstrap_mean_ci,
    classification_scores,
    cohen_kappa,
    krippendorff_alpha,
)
from .config import RESOURCES, SEED

__all__ = [
    "VaderScorer",
    "vader_scores",
    "SentimentDictionary",
    "load_dictionary",
    "dictionary_scores",
    "driver_terms",
    "polarity_from_score",
    "aggregate_sentiment",
    "evidence",
    "validation_report",
    "validate_main",
    "train_main",
]

# --------------------------------------------------------------------------------------------
# VADER, exactly, fast
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _vader_resources():
    """Lexicon, emoji table and rule constants from the installed vaderSentiment package.

    The lexicon ships inside the package (no nltk download); reading it through the package's
    own analyzer guarantees we use the very same numbers as a plain vaderSentiment loop.
    """
    from vaderSentiment import vaderSentiment as vs

    analyzer = vs.SentimentIntensityAnalyzer()
    return analyzer, vs


# Bits of a token's rule code (VaderScorer._score_batch): words the rules compare against.
_NO, _ORNOR, _NEVER, _SOTHIS, _WITHOUT, _DOUBT, _LEAST, _ATVERY = (1 << k for k in range(8))
_KIND, _OF, _BUT, _NEG, _BOOST, _IDIOM, _UPPER, _INLEX = (1 << k for k in range(8, 16))
# Words that never make a key distinctive ("the shit" is found by "shit", not "the").
_IDIOM_COMMON = frozenset({"the", "of", "to", "for", "a", "bad", "right", "stop", "heart", "just"})


def _idiom_markers(special: dict, booster: dict) -> set[str]:
    """One word of every multi-word special case or booster ("kiss of death" -> "kiss").

    A lexicon word's n-grams can only match such a key if the key's words stand in its
    window, so a window without any marker leaves the idiom check a no-op.
    """
    out = set()
    for key in chain(special, booster):
        words = key.split()
        if len(words) < 2:
            continue
        rare = [w for w in words if w not in _IDIOM_COMMON]
        out.update(rare[:1] or words)
    return out


class VaderScorer:
    """VADER's ``polarity_scores`` with identical output, built for scoring whole corpora.

    Why it is faster than calling ``SentimentIntensityAnalyzer.polarity_scores`` per sentence,
    while keeping every rule: the package walks the text character by character to replace
    emojis and rebuilds the lower-cased word list for every lexicon word it checks (negation,
    idioms), so its cost grows with words x lexicon hits. Here each text is split and
    lower-cased once (with a token cache), texts without emojis skip the emoji walk (one
    regex search), texts with no lexicon word at all take a shortcut whose result is the one
    VADER computes for them (compound 0, neutral 1), and repeated texts are cached.

    ``drivers(text)`` additionally returns the words that carry non-zero valence after all
    rules (negation, boosters, "but"), which VADER computes but does not expose.

    >>> s = VaderScorer()
    >>> s.polarity_scores("The talks were not a success.")["compound"]
    -0.4585
    """

    def __init__(self, cache_size: int = 200_000):
        analyzer, vs = _vader_resources()
        self.lexicon: dict[str, float] = analyzer.lexicon
        self.emojis: dict[str, str] = analyzer.emojis
        # VADER only ever replaces single characters (it loops over chars), so a set of the
        # single-char keys finds exactly the texts that need its emoji pass (in C, via
        # isdisjoint); all keys are non-ASCII, so ASCII texts skip even that.
        self._emoji_chars = frozenset(c for c in self.emojis if len(c) == 1)
        self._booster = vs.BOOSTER_DICT
        self._special = vs.SPECIAL_CASES
        self._negate = frozenset(vs.NEGATE)
        self._n_scalar = vs.N_SCALAR
        self._c_incr = vs.C_INCR
        self._punct = string.punctuation
        # token -> VADER's lower-cased, punctuation-stripped word; filled on first sight so a
        # corpus pays the string work once per distinct token, not once per occurrence.
        self._lower = _MissingDict(self._lower_of)
        self._word = _MissingDict(self._word_of)
        # Words that can make a lexicon word's valence differ from its lexicon value when they
        # stand within three words before or two after it: boosters, negations, "no", "least",
        # "so"/"this" (the x1.25 rule), "never"/"without"/"doubt", one distinctive word of every
        # special-case idiom and multi-word booster. A hit with none of them nearby (and no
        # ALL-CAPS emphasis) keeps its lexicon value, which lets most hits skip the rules.
        modifiers = (
            set(self._booster)
            | self._negate
            | {
                "no",
                "least",
                "so",
                "this",
                "never",
                "without",
                "doubt",
                "kind",
                "sort",
                "just",
                "shit",
                "bomb",
                "ass",
                "badass",
                "bus",
                "yeah",
                "kiss",
                "die",
                "beating",
            }
        )
        self._modifiers = frozenset(modifiers)
        self._is_modifier = _MissingDict(lambda w: w in modifiers or "n't" in w)
        # bulk scoring (score_texts): every word a rule looks at gets bits in a per-token code,
        # so the rules run as array operations over all lexicon hits of a batch at once
        codes: dict[str, int] = {}
        for bit, ws in (
            (_NO, ("no",)),
            (_ORNOR, ("or", "nor")),
            (_NEVER, ("never",)),
            (_SOTHIS, ("so", "this")),
            (_WITHOUT, ("without",)),
            (_DOUBT, ("doubt",)),
            (_LEAST, ("least",)),
            (_ATVERY, ("at", "very")),
            (_KIND, ("kind",)),
            (_OF, ("of",)),
            (_BUT, ("but",)),
            (_NEG, tuple(self._negate)),
            (_BOOST, tuple(self._booster)),
            (_IDIOM, tuple(_idiom_markers(self._special, self._booster))),
        ):
            for w in ws:
                codes[w] = codes.get(w, 0) | bit
        self._codes = codes
        # token -> id, and per-id properties
        self._vocab: dict[str, int] = {}
        self._vocab_code = np.zeros(0, dtype=np.int64)
        self._vocab_value = np.zeros(0)
        self._vocab_boost = np.zeros(0)
        self._vocab_words: list[str] = []
        self._vocab_fmt: list[str] = []
        self._cache: dict[str, tuple[dict, tuple]] = {}
        self._cache_size = cache_size

    # -- tokenisation identical to SentiText ------------------------------------------------
    def _convert_emojis(self, text: str) -> str:
        out = []
        prev_space = True
        emojis = self.emojis
        for ch in text:
            if ch in emojis:
                if not prev_space:
                    out.append(" ")
                out.append(emojis[ch])
                prev_space = False
            else:
                out.append(ch)
                prev_space = ch == " "
        return "".join(out)

    def _lower_of(self, tok: str) -> str:
        stripped = tok.strip(self._punct)
        return (tok if len(stripped) <= 2 else stripped).lower()

    def _word_of(self, tok: str) -> str:
        stripped = tok.strip(self._punct)
        return tok if len(stripped) <= 2 else stripped

    def _add_tokens(self, tokens: Iterable[str]) -> None:
        """Give each new token an id and record its properties (one pass per distinct token).

        Every step is a ``map`` of a C-level method over the new tokens, so a cold scorer pays
        little Python per distinct token; the values are the ones SentiText computes.
        """
        toks = list(tokens)
        n = len(toks)
        if not n:
            return
        base = len(self._vocab_fmt)
        words = list(map(str.strip, toks, repeat(self._punct)))
        short = np.fromiter(map(len, words), dtype=np.int64, count=n) <= 2
        for k in np.flatnonzero(short).tolist():
            words[k] = toks[k]  # VADER keeps the token as is when stripping leaves <= 2 chars
        low = list(map(str.lower, words))
        self._vocab.update(zip(toks, range(base, base + n), strict=True))
        value = np.fromiter(map(self.lexicon.get, low, repeat(math.nan)), dtype=float, count=n)
        in_lex = ~np.isnan(value)
        value[~in_lex] = 0.0
        code = np.fromiter(map(self._codes.get, low, repeat(0)), dtype=np.int64, count=n)
        code[np.fromiter(map(operator.contains, low, repeat("n't")), dtype=bool, count=n)] |= _NEG
        code[np.fromiter(map(str.isupper, words), dtype=bool, count=n)] |= _UPPER
        code[in_lex] |= _INLEX
        boost = np.zeros(n)
        for k in np.flatnonzero(code & _BOOST).tolist():
            boost[k] = self._booster[low[k]]
        self._vocab_code = np.concatenate([self._vocab_code, code])
        self._vocab_value = np.concatenate([self._vocab_value, value])
        self._vocab_boost = np.concatenate([self._vocab_boost, boost])
        self._vocab_words.extend(words)
        fmt = [""] * n
        values = value.tolist()
        for k in np.flatnonzero(in_lex).tolist():
            fmt[k] = f"{words[k]} ({values[k]:+.2f})"
        self._vocab_fmt.extend(fmt)

    # -- the rules ---------------------------------------------------------------------------
    def _negated(self, word_lower: str) -> bool:
        return word_lower in self._negate or "n't" in word_lower

    def _scalar_inc_dec(
        self, word: str, word_lower: str, valence: float, is_cap_diff: bool
    ) -> float:
        scalar = 0.0
        if word_lower in self._booster:
            scalar = self._booster[word_lower]
            if valence < 0:
                scalar *= -1
            if word.isupper() and is_cap_diff:
                if valence > 0:
                    scalar += self._c_incr
                else:
                    scalar -= self._c_incr
        return scalar

    def _negation_check(self, valence, lw, start_i, i):
        n_scalar = self._n_scalar
        if start_i == 0:
            if self._negated(lw[i - 1]):
                valence = valence * n_scalar
        elif start_i == 1:
            if lw[i - 2] == "never" and (lw[i - 1] == "so" or lw[i - 1] == "this"):
                valence = valence * 1.25
            elif lw[i - 2] == "without" and lw[i - 1] == "doubt":
                pass
            elif self._negated(lw[i - 2]):
                valence = valence * n_scalar
        else:
            # Same operator precedence as vaderSentiment (the trailing "or" stands alone).
            if (
                lw[i - 3] == "never"
                and (lw[i - 2] == "so" or lw[i - 2] == "this")
                or (lw[i - 1] == "so" or lw[i - 1] == "this")
            ):
                valence = valence * 1.25
            elif lw[i - 3] == "without" and (lw[i - 2] == "doubt" or lw[i - 1] == "doubt"):
                pass
            elif self._negated(lw[i - 3]):
                valence = valence * n_scalar
        return valence

    def _special_idioms_check(self, valence, lw, i):
        special = self._special
        onezero = f"{lw[i - 1]} {lw[i]}"
        twoonezero = f"{lw[i - 2]} {lw[i - 1]} {lw[i]}"
        twoone = f"{lw[i - 2]} {lw[i - 1]}"
        threetwoone = f"{lw[i - 3]} {lw[i - 2]} {lw[i - 1]}"
        threetwo = f"{lw[i - 3]} {lw[i - 2]}"
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in special:
                valence = special[seq]
                break
        n = len(lw)
        if n - 1 > i:
            zeroone = f"{lw[i]} {lw[i + 1]}"
            if zeroone in special:
                valence = special[zeroone]
        if n - 1 > i + 1:
            zeroonetwo = f"{lw[i]} {lw[i + 1]} {lw[i + 2]}"
            if zeroonetwo in special:
                valence = special[zeroonetwo]
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in self._booster:
                valence = valence + self._booster[n_gram]
        return valence

    def _least_check(self, valence, lw, i):
        lex = self.lexicon
        if i > 1 and lw[i - 1] not in lex and lw[i - 1] == "least":
            if lw[i - 2] != "at" and lw[i - 2] != "very":
                valence = valence * self._n_scalar
        elif i > 0 and lw[i - 1] not in lex and lw[i - 1] == "least":
            valence = valence * self._n_scalar
        return valence

    def _valence(self, words, lw, i, is_cap_diff):
        lex = self.lexicon
        item_lower = lw[i]
        valence = lex[item_lower]
        n = len(lw)
        if item_lower == "no" and i != n - 1 and lw[i + 1] in lex:
            valence = 0.0
        if (
            (i > 0 and lw[i - 1] == "no")
            or (i > 1 and lw[i - 2] == "no")
            or (i > 2 and lw[i - 3] == "no" and lw[i - 1] in ("or", "nor"))
        ):
            valence = lex[item_lower] * self._n_scalar
        if words[i].isupper() and is_cap_diff:
            if valence > 0:
                valence += self._c_incr
            else:
                valence -= self._c_incr
        for start_i in range(3):
            j = i - (start_i + 1)
            if i > start_i and lw[j] not in lex:
                s = self._scalar_inc_dec(words[j], lw[j], valence, is_cap_diff)
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = self._negation_check(valence, lw, start_i, i)
                if start_i == 2:
                    valence = self._special_idioms_check(valence, lw, i)
        return self._least_check(valence, lw, i)

    @staticmethod
    def _but_check(lw, positions, vals):
        # vaderSentiment rescales with list.index, i.e. the *first* equal value, not the value
        # at hand; zeros never change, so replaying its loop over the non-zero values (with
        # their word positions) gives the same numbers.
        if "but" in lw:
            return _but_replay(positions, vals, lw.index("but"))
        return vals

    @staticmethod
    def _score_valence(vals, neu_count, text):
        """VADER's score_valence for a non-empty text, given its non-zero sentiments."""
        sum_s = float(sum(vals))
        ep_count = min(text.count("!"), 4)
        ep = ep_count * 0.292
        qm_count = text.count("?")
        qm = 0
        if qm_count > 1:
            qm = qm_count * 0.18 if qm_count <= 3 else 0.96
        punct = ep + qm
        if sum_s > 0:
            sum_s += punct
        elif sum_s < 0:
            sum_s -= punct
        compound = sum_s / math.sqrt((sum_s * sum_s) + 15)
        compound = -1.0 if compound < -1.0 else (1.0 if compound > 1.0 else compound)
        pos_sum = neg_sum = 0.0
        for s in vals:
            if s > 0:
                pos_sum += float(s) + 1
            else:
                neg_sum += float(s) - 1
        if pos_sum > math.fabs(neg_sum):
            pos_sum += punct
        elif pos_sum < math.fabs(neg_sum):
            neg_sum -= punct
        total = pos_sum + math.fabs(neg_sum) + neu_count
        return {
            "neg": round(math.fabs(neg_sum / total), 3),
            "neu": round(math.fabs(neu_count / total), 3),
            "pos": round(math.fabs(pos_sum / total), 3),
            "compound": round(compound, 4),
        }

    # -- public API --------------------------------------------------------------------------
    def _analyse(self, text: str) -> tuple[dict, tuple]:
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        t = text
        if not t.isascii() and not self._emoji_chars.isdisjoint(t):
            t = self._convert_emojis(t)
        t = t.strip()
        toks = t.split()
        lw = list(map(self._lower.__getitem__, toks))
        lex = self.lexicon
        if lex.keys().isdisjoint(lw):
            # No lexicon word: every sentiment is 0, so VADER returns exactly this.
            result = ({"neg": 0.0, "neu": 1.0 if toks else 0.0, "pos": 0.0, "compound": 0.0}, ())
        else:
            words = list(map(self._word.__getitem__, toks))
            n = len(words)
            allcap = sum(map(str.isupper, words))
            is_cap_diff = 0 < n - allcap < n
            booster = self._booster
            is_mod = self._is_modifier.__getitem__
            positions, vals = [], []
            for i in [i for i, w in enumerate(lw) if w in lex]:
                item_lower = lw[i]
                if item_lower in booster or (
                    i < n - 1 and item_lower == "kind" and lw[i + 1] == "of"
                ):
                    continue
                if (is_cap_diff and words[i].isupper()) or any(
                    map(is_mod, lw[max(0, i - 3) : i + 3])
                ):
                    v = self._valence(words, lw, i, is_cap_diff)
                else:
                    v = lex[item_lower]
                if v != 0:
                    positions.append(i)
                    vals.append(v)
            vals = self._but_check(lw, positions, vals)
            scores = self._score_valence(vals, n - len(vals), t)
            drivers = tuple((words[i], float(v)) for i, v in zip(positions, vals, strict=True))
            result = (scores, drivers)
        if len(self._cache) < self._cache_size:
            self._cache[text] = result
        return result

    def polarity_scores(self, text: str) -> dict:
        """Same dict as ``SentimentIntensityAnalyzer().polarity_scores(text)``."""
        if not isinstance(text, str):
            return _vader_resources()[0].polarity_scores(text)
        return dict(self._analyse(text)[0])

    def drivers(self, text: str) -> list[tuple[str, float]]:
        """The words with non-zero valence after VADER's rules, in text order."""
        if not isinstance(text, str):
            return []
        return list(self._analyse(text)[1])

    def score_texts(self, texts: Iterable[str]) -> pd.DataFrame:
        """Score many texts: columns ``compound``, ``pos``, ``neu``, ``neg``, ``drivers``.

        Identical numbers to scoring each text with ``polarity_scores``, computed in bulk:
        texts are deduplicated and split in one call, every distinct token is looked up once,
        and VADER's rules (boosters, negation, "no", "never so/this", "without doubt", "least",
        "kind of", ALL-CAPS emphasis) run as array operations over all lexicon hits at once,
        performing the same float operations in the same order per hit. Python still handles
        the rare parts: the "but" rescaling (replayed on each such text's values), hits with an
        idiom word in their window, and texts with emojis (full rules per text).
        """
        texts = [t if isinstance(t, str) else "" for t in texts]
        uniq = list(dict.fromkeys(texts))
        # The batch allocates a list per text and a string per token; none of it forms cycles, so
        # pausing the cyclic garbage collector spares repeated full-heap scans.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            cols = self._score_batch(uniq)
        finally:
            if gc_was_enabled:
                gc.enable()
        if len(uniq) == len(texts):
            return pd.DataFrame(cols)
        where = {t: i for i, t in enumerate(uniq)}
        idx = np.fromiter(map(where.__getitem__, texts), dtype=np.int64, count=len(texts))
        drivers = cols.pop("drivers")
        out = {k: v[idx] for k, v in cols.items()}
        out["drivers"] = [drivers[i] for i in idx.tolist()]
        return pd.DataFrame(out)

    def _score_batch(self, texts: list[str]) -> dict[str, list]:
        n_texts = len(texts)
        # One split of all texts joined by a separator token is much cheaper than a split per
        # text; the separators stay in the token stream (no properties, outside every text's
        # [start, end) range). Every distinct token gets an id once; its properties live in
        # arrays indexed by id, so per-token work over the whole batch is numpy indexing.
        flat = f" {_SEP} ".join(texts).split()
        self._add_tokens(set(flat).difference(self._vocab))
        ids = np.fromiter(map(self._vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
        seps = np.flatnonzero(ids == self._vocab.get(_SEP, -1))
        if len(seps) == n_texts - 1:
            starts = np.concatenate([[0], seps + 1])
            ends = np.concatenate([seps, [len(flat)]])
        else:  # no texts, or a text holds the separator as a word: split them one by one
            splits = list(map(str.split, texts))
            lens = np.fromiter(map(len, splits), dtype=np.int64, count=n_texts)
            ends = np.cumsum(lens)
            starts = ends - lens
            flat = list(chain.from_iterable(splits))
            self._add_tokens(set(flat).difference(self._vocab))
            ids = np.fromiter(map(self._vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
        lens = ends - starts
        n_tok = len(flat)
        code = self._vocab_code[ids]
        hits = np.flatnonzero(code & _INLEX)
        sent = np.searchsorted(ends, hits, side="right")
        loc = hits - starts[sent]  # word index i of each lexicon hit within its text
        size = lens[sent]
        top = max(n_tok - 1, 0)

        def near(bit: int, d: int) -> np.ndarray:
            """Whether the word d places from each hit (inside its text) has ``bit``."""
            j = loc + d
            return (j >= 0) & (j < size) & (code[np.clip(hits + d, 0, top)] & bit != 0)

        def at(arr: np.ndarray, d: int) -> np.ndarray:
            return arr[ids[np.clip(hits + d, 0, top)]]

        upper = (code & _UPPER) != 0
        cum_upper = np.concatenate([[0], np.cumsum(upper)])
        n_upper = cum_upper[ends] - cum_upper[starts]
        cap_diff = ((n_upper > 0) & (n_upper < lens))[sent]
        # polarity_scores' loop: boosters and "kind" before "of" score 0 without the rules
        scored = ~(near(_BOOST, 0) | (near(_KIND, 0) & near(_OF, 1)))
        # sentiment_valence, the same float operations in the same order, one hit per lane
        n_scalar, c_incr = self._n_scalar, self._c_incr
        lex_v = self._vocab_value[ids[hits]]
        val = np.where(near(_NO, 0) & near(_INLEX, 1), 0.0, lex_v)
        no_before = near(_NO, -1) | near(_NO, -2) | (near(_NO, -3) & near(_ORNOR, -1))
        val = np.where(no_before, lex_v * n_scalar, val)
        caps = upper[hits] & cap_diff
        val = np.where(caps, np.where(val > 0, val + c_incr, val - c_incr), val)
        for start_i in range(3):
            d = -(start_i + 1)
            gate = (loc + d >= 0) & ((code[np.clip(hits + d, 0, top)] & _INLEX) == 0)
            is_b = near(_BOOST, d)
            b = at(self._vocab_boost, d)
            scalar = np.where(is_b & (val < 0), b * -1, b)
            b_caps = is_b & near(_UPPER, d) & cap_diff
            scalar = np.where(b_caps, np.where(val > 0, scalar + c_incr, scalar - c_incr), scalar)
            if start_i == 1:
                scalar = np.where(scalar != 0, scalar * 0.95, scalar)
            elif start_i == 2:
                scalar = np.where(scalar != 0, scalar * 0.9, scalar)
            val = np.where(gate, val + scalar, val)
            # _negation_check: x1.25 after "never so/this" (or "so/this" right before), none
            # after "without doubt", else x N_SCALAR after a negation at distance start_i + 1
            if start_i == 0:
                val = np.where(gate & near(_NEG, -1), val * n_scalar, val)
                continue
            if start_i == 1:
                boost = near(_NEVER, -2) & near(_SOTHIS, -1)
                damp = ~boost & ~(near(_WITHOUT, -2) & near(_DOUBT, -1)) & near(_NEG, -2)
            else:
                boost = (near(_NEVER, -3) & near(_SOTHIS, -2)) | near(_SOTHIS, -1)
                keep = near(_WITHOUT, -3) & (near(_DOUBT, -2) | near(_DOUBT, -1))
                damp = ~boost & ~keep & near(_NEG, -3)
            val = np.where(gate & boost, val * 1.25, np.where(gate & damp, val * n_scalar, val))
        least = near(_LEAST, -1) & ~near(_INLEX, -1)
        val = np.where(least & (loc > 1) & ~near(_ATVERY, -2), val * n_scalar, val)
        val = np.where(least & (loc == 1), val * n_scalar, val)
        val = np.where(scored, val, 0.0)
        # the few hits whose window holds an idiom word, and texts with emojis or "but", take
        # the rules in Python
        idiom = np.zeros(len(hits), dtype=bool)
        for d in (-3, -2, -1, 0, 1, 2):
            idiom |= near(_IDIOM, d)
        emoji = self._emoji_chars
        slow = ~np.fromiter(map(str.isascii, texts), dtype=bool, count=n_texts)
        for k in np.flatnonzero(slow).tolist():
            slow[k] = not emoji.isdisjoint(texts[k])
        cum_but = np.concatenate([[0], np.cumsum((code & _BUT) != 0)])
        has_but = ((cum_but[ends] - cum_but[starts]) > 0) & ~slow
        redo = np.flatnonzero(idiom & scored & ~slow[sent])
        if len(redo):
            words_of, lower_of = self._word.__getitem__, self._lower.__getitem__
            cache: dict[int, tuple[list, list]] = {}
            for h, t, i in zip(redo.tolist(), sent[redo].tolist(), loc[redo].tolist(), strict=True):
                if t not in cache:
                    toks = flat[starts[t] : ends[t]]
                    cache[t] = (list(map(words_of, toks)), list(map(lower_of, toks)))
                w, lw = cache[t]
                val[h] = self._valence(w, lw, i, bool(cap_diff[h]))
        # keep the hits of the texts scored here; zeros (e.g. "no" before a lexicon word) add
        # nothing to VADER's sums but count as neutral, like in its list of sentiments
        keep = ~slow[sent] & (val != 0)
        h, hs, vals = hits[keep], sent[keep], val[keep]
        if has_but.any():
            but_first = np.full(n_texts, -1, dtype=np.int64)
            but_pos = np.flatnonzero(code & _BUT)
            but_text = np.searchsorted(ends, but_pos, side="right")
            first_of = np.unique(but_text, return_index=True)
            but_first[first_of[0]] = but_pos[first_of[1]] - starts[first_of[0]]
            bounds_h = np.searchsorted(hs, np.arange(n_texts + 1))
            loc_k = loc[keep]
            vals = vals.copy()
            for t in np.flatnonzero(has_but).tolist():
                a, b = int(bounds_h[t]), int(bounds_h[t + 1])
                if a == b:
                    continue
                vals[a:b] = _but_replay(loc_k[a:b].tolist(), vals[a:b].tolist(), int(but_first[t]))
        sum_s = np.zeros(n_texts)
        pos_sum = np.zeros(n_texts)
        neg_sum = np.zeros(n_texts)
        nonzero = np.bincount(hs, minlength=n_texts)
        if len(hs):
            first = np.searchsorted(hs, hs, side="left")
            rank = np.arange(len(h)) - first
            order = np.argsort(rank, kind="stable")
            bounds = np.searchsorted(rank[order], np.arange(rank.max() + 2))
            for r in range(len(bounds) - 1):
                sel = order[bounds[r] : bounds[r + 1]]
                v, t = vals[sel], hs[sel]
                sum_s[t] += v  # one value per text per round: the same sequence of additions
                pos_sum[t] += np.where(v > 0, v + 1, 0.0)
                neg_sum[t] += np.where(v < 0, v - 1, 0.0)
        ep = (
            np.minimum(
                np.fromiter(map(str.count, texts, repeat("!")), dtype=np.int64, count=n_texts), 4
            )
            * 0.292
        )
        qm_n = np.fromiter(map(str.count, texts, repeat("?")), dtype=np.int64, count=n_texts)
        qm = np.where(qm_n > 1, np.where(qm_n <= 3, qm_n * 0.18, 0.96), 0.0)
        punct = ep + qm
        sum_s = np.where(sum_s > 0, sum_s + punct, np.where(sum_s < 0, sum_s - punct, sum_s))
        compound = np.clip(sum_s / np.sqrt(sum_s * sum_s + 15), -1.0, 1.0)
        abs_neg = np.abs(neg_sum)
        pos_sum = np.where(pos_sum > abs_neg, pos_sum + punct, pos_sum)
        neg_sum = np.where(pos_sum < abs_neg, neg_sum - punct, neg_sum)
        neu_count = lens - nonzero
        total = pos_sum + np.abs(neg_sum) + neu_count
        with np.errstate(invalid="ignore", divide="ignore"):
            pos = np.abs(pos_sum / total)
            neg = np.abs(neg_sum / total)
            neu = np.abs(neu_count / total)
        empty = lens == 0
        pos[empty] = neg[empty] = neu[empty] = 0.0
        out = {
            "compound": _round_like_python(compound, 4),
            "pos": _round_like_python(pos, 3),
            "neu": _round_like_python(neu, 3),
            "neg": _round_like_python(neg, 3),
        }
        fmt, vocab_words = self._vocab_fmt, self._vocab_words
        h_ids = ids[h]
        hit_strs = [fmt[i] for i in h_ids.tolist()]
        vals_l = vals.tolist()
        for k in np.flatnonzero(vals != self._vocab_value[h_ids]).tolist():
            hit_strs[k] = f"{vocab_words[h_ids[k]]} ({vals_l[k]:+.2f})"
        hit_bounds = np.searchsorted(hs, np.arange(n_texts + 1)).tolist()
        drivers = ["; ".join(hit_strs[hit_bounds[k] : hit_bounds[k + 1]]) for k in range(n_texts)]
        for k in np.flatnonzero(slow).tolist():
            scores, drv = self._analyse(texts[k])
            out["compound"][k], out["pos"][k] = scores["compound"], scores["pos"]
            out["neu"][k], out["neg"][k] = scores["neu"], scores["neg"]
            drivers[k] = _format_drivers(drv)
        out["drivers"] = drivers
        return out


_SEP = "\x00"


def _round_like_python(x: np.ndarray, ndigits: int) -> np.ndarray:
    """``round(v, ndigits)`` for every value of ``x``, bit for bit.

    Python rounds the exact binary value half-to-even to ``ndigits`` decimals and returns the
    double nearest that decimal, i.e. ``k / 10**ndigits`` (a correctly rounded division). ``k``
    is ``rint(x * 10**ndigits)`` unless the exact product lies within the product's rounding
    error of a half; values anywhere near a half go through ``round`` itself.
    """
    scale = 10.0**ndigits
    y = x * scale
    out = np.rint(y) / scale
    near_half = ~(np.abs(y - np.floor(y) - 0.5) > 1e-6)  # also catches nan and inf
    for k in np.flatnonzero(near_half).tolist():
        out[k] = round(float(x[k]), ndigits)
    return out


def _but_replay(positions: list[int], vals: list[float], bi: int) -> list[float]:
    """VADER's "but" rule on a text's non-zero sentiments (see ``VaderScorer._but_check``)."""
    for k in range(len(vals)):
        v = vals[k]
        si = vals.index(v)
        if positions[si] < bi:
            vals[si] = v * 0.5
        elif positions[si] > bi:
            vals[si] = v * 1.5
    return vals


class _MissingDict(dict):
    """A dict that computes and stores a missing key's value (C-speed lookups via map)."""

    def __init__(self, fn):
        super().__init__()
        self._fn = fn

    def __missing__(self, key):
        value = self[key] = self._fn(key)
        return value


def _format_drivers(drivers: Iterable[tuple[str, float]]) -> str:
    return "; ".join(f"{w} ({v:+.2f})" for w, v in drivers)


_DEFAULT_SCORER: VaderScorer | None = None


def _scorer() -> VaderScorer:
    global _DEFAULT_SCORER
    if _DEFAULT_SCORER is None:
        _DEFAULT_SCORER = VaderScorer()
    return _DEFAULT_SCORER


def polarity_from_score(score, neutral_band: float = 0.05):
    """Map a compound-like score to -1/0/1 (VADER's own convention: |score| < 0.05 is neutral).

    >>> polarity_from_score(np.array([-0.3, 0.01, 0.2])).tolist()
    [-1, 0, 1]
    """
    s = np.asarray(score, dtype=float)
    out = np.where(s >= neutral_band, 1, np.where(s <= -neutral_band, -1, 0))
    return out if out.ndim else int(out)


_ID_COLS = ("unit_id", "doc_id", "level", "position", "paragraph")


def _units_of(table: pd.DataFrame) -> pd.DataFrame:
    """Accept a units table or a corpus (scored at document level)."""
    if "text" not in table.columns:
        raise ValueError(
            f"the table needs a 'text' column (got {list(table.columns)}); pass a corpus "
            "from load_corpus or a units table from helpers.text.units"
        )
    if "unit_id" in table.columns:
        return table
    if "doc_id" not in table.columns:
        raise ValueError("the table needs a 'doc_id' column (a corpus) or 'unit_id' (units)")
    out = pd.DataFrame(
        {
            "unit_id": table["doc_id"].astype(str) + ":d",
            "doc_id": table["doc_id"],
            "level": "document",
            "position": 0,
            "paragraph": 0,
            "text": table["text"],
        }
    )
    return out


def vader_scores(
    table: pd.DataFrame, scorer: VaderScorer | None = None, neutral_band: float = 0.05
) -> pd.DataFrame:
    """VADER sentiment of every unit (sentence, paragraph or document).

    In: a units table (``helpers.text.units``) or a corpus (then documents are the units).
    Out, one row per unit: ``unit_id``, ``doc_id``, ``level``, ``position``, ``paragraph``
    (those present in the input), ``text``, ``n_words`` (whitespace words), ``compound``
    (-1..1, VADER's normalised sum), ``pos``/``neu``/``neg`` (VADER's proportions),
    ``polarity`` (-1/0/1 with ``|compound| < neutral_band`` neutral), ``drivers`` (the words
    that carried valence after negation/booster rules, e.g. ``"threat (-2.40); peace (+1.80)"``).

    VADER was built on social-media text: on news its compound is driven by a few loaded words
    (``war``, ``attack``, ``support``); read the drivers before trusting a number.

    >>> float(vader_scores(pd.DataFrame({"doc_id": ["a"], "text": ["A great deal."]}))["compound"].iloc[0])
    0.6249
    """
    units = _units_of(table)
    scored = (scorer or _scorer()).score_texts(units["text"].tolist())
    keep = [c for c in _ID_COLS if c in units.columns]
    out = units[keep + ["text"]].reset_index(drop=True).copy()
    out["n_words"] = [len(t.split()) if isinstance(t, str) else 0 for t in out["text"]]
    out = pd.concat([out, scored], axis=1)
    out["polarity"] = polarity_from_score(out["compound"].to_numpy(), neutral_band)
    return out[keep + ["text", "n_words", "compound", "pos", "neu", "neg", "polarity", "drivers"]]


def driver_terms(scores: pd.DataFrame) -> pd.DataFrame:
    """Long table of the words behind the scores: one row per unit and driving word.

    In: the output of :func:`vader_scores` or :func:`dictionary_scores` (a ``drivers`` column).
    Out: ``unit_id``, ``doc_id``, ``term`` (lower-cased), ``valence`` (float). Count or sum it
    with pandas to see which words make the coverage look negative.

    >>> s = vader_scores(pd.DataFrame({"doc_id": ["a"], "text": ["War and peace."]}))
    >>> driver_terms(s)[["term", "valence"]].values.tolist()
    [['war', -2.9], ['peace', 2.5]]
    """
    rows = []
    rx = re.compile(r"(.+?) \(([+-]\d+(?:\.\d+)?)\)$")
    for uid, did, drivers in zip(
        scores["unit_id"], scores["doc_id"], scores["drivers"], strict=True
    ):
        if not isinstance(drivers, str) or not drivers:
            continue
        for part in drivers.split("; "):
            m = rx.match(part)
            if m:
                rows.append((uid, did, m.group(1).lower(), float(m.group(2))))
    return pd.DataFrame(rows, columns=["unit_id", "doc_id", "term", "valence"])


# --------------------------------------------------------------------------------------------
# User dictionaries (project YAML or quanteda YAML, e.g. the Lexicoder Sentiment Dictionary)
# --------------------------------------------------------------------------------------------

#: Default weights of category names as quanteda's LSD2015 uses them: ``neg_positive`` holds
#: negated positive phrases ("not good"), which count as negative, and vice versa.
DEFAULT_CATEGORY_WEIGHTS = {
    "positive": 1.0,
    "negative": -1.0,
    "neg_positive": -1.0,
    "neg_negative": 1.0,
    "pos": 1.0,
    "neg": -1.0,
}

#: Words that flip the polarity of a dictionary match up to ``negation_window`` tokens later.
NEGATORS = frozenset(
    "not no never neither nor without cannot hardly barely scarcely none nobody nothing nowhere "
    "isn't aren't wasn't weren't don't doesn't didn't won't wouldn't can't couldn't shouldn't "
    "hasn't haven't hadn't mustn't ain't isnt arent wasnt werent dont doesnt didnt wont wouldnt "
    "cant couldnt shouldnt hasnt havent hadnt".split()
)

_DICT_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*|\d+(?:[.,]\d+)*|[,.;:!?()\u2013\u2014]")
_CLAUSE_BREAK = frozenset(",.;:!?()\u2013\u2014")


@dataclass
class SentimentDictionary:
    """A weighted word list: ``entries`` maps category -> list of terms, ``weights`` maps
    category -> signed weight. Terms are lower-case words, globs (``secur*``) or several
    words (``a lie``). Build one with :func:`load_dictionary`."""

    name: str
    entries: dict[str, list[str]]
    weights: dict[str, float]
    source: str = ""
    _exact: dict[str, tuple[str, float]] = field(default_factory=dict, repr=False)
    _prefix: dict[int, dict[str, tuple[str, float]]] = field(default_factory=dict, repr=False)
    _multi: dict[str, list[tuple[tuple[str, ...], str, float]]] = field(
        default_factory=dict, repr=False
    )

    def __post_init__(self):
        for cat, terms in self.entries.items():
            if cat not in self.weights:
                raise ValueError(
                    f"dictionary {self.name!r}: category {cat!r} has no weight; add it "
                    "under 'weights:' (e.g. positive: 1, negative: -1)"
                )
            w = float(self.weights[cat])
            for term in terms:
                words = str(term).lower().replace("’", "'").split()
                if not words:
                    continue
                if len(words) > 1:
                    self._multi.setdefault(words[0].rstrip("*"), []).append((tuple(words), cat, w))
                elif words[0].endswith("*"):
                    stem = words[0].rstrip("*")
                    if stem:
                        self._prefix.setdefault(len(stem), {})[stem] = (cat, w)
                else:
                    self._exact[words[0]] = (cat, w)
        for cands in self._multi.values():
            cands.sort(key=lambda c: -len(c[0]))  # longest phrase wins

    def _word_match(self, tok: str, pattern: str) -> bool:
        return tok.startswith(pattern[:-1]) if pattern.endswith("*") else tok == pattern

    def lookup(self, tokens: Sequence[str], i: int) -> tuple[int, str, float] | None:
        """Match at position ``i``: (number of tokens consumed, category, weight) or None."""
        tok = tokens[i]
        for key in {tok, *[tok[:k] for k in self._prefix]} & self._multi.keys():
            for words, cat, w in self._multi[key]:
                n = len(words)
                if i + n <= len(tokens) and all(
                    self._word_match(tokens[i + k], words[k]) for k in range(n)
                ):
                    return n, cat, w
        if tok in self._exact:
            cat, w = self._exact[tok]
            return 1, cat, w
        for k in sorted(self._prefix, reverse=True):
            hit = self._prefix[k].get(tok[:k]) if len(tok) >= k else None
            if hit:
                return 1, hit[0], hit[1]
        return None


def load_dictionary(
    path: str | Path | None = None, weights: dict[str, float] | None = None
) -> SentimentDictionary:
    """Read a sentiment dictionary from YAML.

    Two layouts are accepted:

    * the project's own (``resources/sentiment_dictionary.yaml``)::

        name: my dictionary
        weights: {positive: 1, negative: -1}
        categories:
          positive: [agree*, cooperat*, "peaceful resolution"]
          negative: [provocat*, threat*]

    * quanteda's dictionary YAML (``quanteda::dictionary(file = "x.yml")``), a mapping of
      category to a list of terms, possibly nested (nested keys are joined with ``.`` and the
      last key decides the weight). This is the form in which the Lexicoder Sentiment Dictionary
      (``data_dictionary_LSD2015``) can be exported with ``quanteda::write_yaml``-style tools;
      its ``positive``/``negative``/``neg_positive``/``neg_negative`` categories get weights
      +1/-1/-1/+1 unless ``weights`` says otherwise.

    ``None`` loads the shipped dictionary. Errors name the file and the key at fault.

    >>> d = load_dictionary()
    >>> sorted(d.weights)[:2]
    ['negative', 'positive']
    """
    path = Path(path) if path is not None else RESOURCES / "sentiment_dictionary.yaml"
    if not path.is_file():
        raise FileNotFoundError(
            f"sentiment dictionary {path} does not exist; pass the path of a "
            "YAML file (project or quanteda layout)"
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not data:
        raise ValueError(f"{path}: expected a mapping of categories to word lists")
    if "categories" in data:
        cats = data["categories"]
        if not isinstance(cats, dict):
            raise ValueError(f"{path}: 'categories' must map category names to lists of terms")
        entries = _flatten_categories(cats, path)
        w = dict(DEFAULT_CATEGORY_WEIGHTS)
        w.update({str(k): float(v) for k, v in (data.get("weights") or {}).items()})
        name = str(data.get("name", path.stem))
    else:
        entries = _flatten_categories(data, path)
        w = dict(DEFAULT_CATEGORY_WEIGHTS)
        name = path.stem
    if weights:
        w.update(weights)
    weights_used = {}
    for cat in entries:
        last = cat.split(".")[-1]
        if cat in w:
            weights_used[cat] = w[cat]
        elif last in w:
            weights_used[cat] = w[last]
        else:
            raise ValueError(
                f"{path}: category {cat!r} has no weight; pass weights={{'{cat}': 1 or -1}} "
                "or name it positive/negative"
            )
    return SentimentDictionary(name=name, entries=entries, weights=weights_used, source=str(path))


def _flatten_categories(node: dict, path: Path, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in node.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten_categories(value, path, prefix=f"{name}."))
        elif isinstance(value, list):
            out[name] = [str(v) for v in value if v is not None]
        elif isinstance(value, str):
            out[name] = [value]
        else:
            raise ValueError(
                f"{path}: category {name!r} must hold a list of terms, got {type(value).__name__}"
            )
    return out


def _negated_before(toks: Sequence[str], i: int, window: int) -> bool:
    """A negator among the ``window`` words before position ``i``, within the same clause
    (punctuation ends a negation's scope: "did not agree, citing threats")."""
    seen = 0
    for t in reversed(toks[:i]):
        if t in _CLAUSE_BREAK or seen >= window:
            return False
        if t in NEGATORS or t.endswith("n't"):
            return True
        seen += 1
    return False


def dictionary_scores(
    table: pd.DataFrame,
    dictionary: SentimentDictionary | str | Path | None = None,
    negation_window: int = 3,
) -> pd.DataFrame:
    """Dictionary sentiment of every unit with negation handling.

    Tokens are lower-cased words; at each position the longest matching entry (multi-word
    phrases before single words) is counted with its category's weight, and its sign flips
    when one of :data:`NEGATORS` occurs among the ``negation_window`` preceding words of the
    same clause (punctuation ends the scope; ``0`` disables negation, which you may prefer with
    the LSD's own ``neg_*`` phrases).

    In: a units table or a corpus. Out, one row per unit: the id columns, ``text``,
    ``n_words``, ``positive`` and ``negative`` (weighted counts after negation), ``score``
    (``log((positive + 0.5) / (negative + 0.5))``, the logit scale of Lowe et al. 2011 used
    with the Lexicoder dictionary; 0 = balanced), ``per_100_words`` ((positive - negative) /
    n_words * 100) and ``drivers`` (``"threat* (-1.00); not agree* (-1.00)"``).

    >>> d = SentimentDictionary("t", {"positive": ["agree*"], "negative": ["threat*"]},
    ...                         {"positive": 1, "negative": -1})
    >>> dictionary_scores(pd.DataFrame({"doc_id": ["a"], "text": ["They did not agree."]}), d)[
    ...     ["positive", "negative"]].values.tolist()
    [[0.0, 1.0]]
    """
    if not isinstance(dictionary, SentimentDictionary):
        dictionary = load_dictionary(dictionary)
    units = _units_of(table)
    rows = []
    for text in units["text"]:
        toks = [
            t.lower().replace("’", "'")
            for t in _DICT_TOKEN_RE.findall(text if isinstance(text, str) else "")
        ]
        pos = neg = 0.0
        drivers = []
        i = 0
        while i < len(toks):
            hit = dictionary.lookup(toks, i)
            if hit is None:
                i += 1
                continue
            n, _cat, w = hit
            phrase = " ".join(toks[i : i + n])
            if negation_window and _negated_before(toks, i, negation_window):
                w = -w
                phrase = "NOT " + phrase
            if w > 0:
                pos += w
            else:
                neg -= w
            drivers.append((phrase, w))
            i += n
        rows.append((sum(t not in _CLAUSE_BREAK for t in toks), pos, neg, _format_drivers(drivers)))
    keep = [c for c in _ID_COLS if c in units.columns]
    out = units[keep + ["text"]].reset_index(drop=True).copy()
    vals = pd.DataFrame(rows, columns=["n_words", "positive", "negative", "drivers"])
    out = pd.concat([out, vals], axis=1)
    out["score"] = np.log((out["positive"] + 0.5) / (out["negative"] + 0.5))
    out["per_100_words"] = np.where(
        out["n_words"] > 0,
        (out["positive"] - out["negative"]) / out["n_words"].clip(lower=1) * 100,
        0.0,
    )
    return out[
        keep + ["text", "n_words", "positive", "negative", "score", "per_100_words", "drivers"]
    ]


# --------------------------------------------------------------------------------------------
# Aggregation
# --------------------------------------------------------------------------------------------


def aggregate_sentiment(
    scores: pd.DataFrame,
    by: str | Sequence[str] = (),
    value: str = "compound",
    cluster: str | None = "doc_id",
    n_boot: int = 1000,
    random_state: int = SEED,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Mean tone by group with a bootstrap interval.

    Sentences of one article are not independent (one author, one slant), so by default the
    units are first averaged within each document (``cluster="doc_id"``), and the interval
    resamples documents (percentile bootstrap, :func:`helpers.agreement.bootstrap_mean_ci`).
    With ``cluster=None`` units are resampled directly.

    In: a scored table with ``value`` and the ``by`` columns (join ``outlet``/``date`` from the
    corpus first). Out, one row per group: the ``by`` columns, ``n_units``, ``n_docs``,
    ``mean``, ``ci_low``, ``ci_high``, ``share_negative``, ``share_positive`` (of units with
    ``polarity`` -1/1 when that column exists). Groups with one document get an interval of
    zero width: read ``n_docs`` before comparing.

    >>> t = pd.DataFrame({"doc_id": list("aabb"), "outlet": ["X"] * 4, "compound": [0.1, 0.3, -0.2, 0.0]})
    >>> aggregate_sentiment(t, "outlet", n_boot=200)[["outlet", "n_docs", "mean"]].values.tolist()
    [['X', 2, 0.05]]
    """
    by = [by] if isinstance(by, str) else list(by)
    missing = [c for c in [*by, value] if c not in scores.columns]
    if missing:
        raise ValueError(
            f"aggregate_sentiment: columns {missing} not in the table "
            f"({list(scores.columns)}); merge them from the corpus on doc_id first"
        )
    data = scores.dropna(subset=[value])
    groups = data.groupby(by, dropna=False, sort=True) if by else [((), data)]
    rows = []
    for key, g in groups:
        key = key if isinstance(key, tuple) else (key,)
        if cluster and cluster in g.columns:
            vals = g.groupby(cluster, sort=False)[value].mean().to_numpy()
            n_docs = len(vals)
        else:
            vals = g[value].to_numpy()
            n_docs = g["doc_id"].nunique() if "doc_id" in g.columns else np.nan
        lo, hi = bootstrap_mean_ci(vals, n_boot=n_boot, random_state=random_state, alpha=alpha)
        row = dict(zip(by, key, strict=True))
        row.update(
            n_units=len(g),
            n_docs=n_docs,
            mean=float(np.mean(vals)) if len(vals) else np.nan,
            ci_low=lo,
            ci_high=hi,
        )
        if "polarity" in g.columns:
            pol = pd.to_numeric(g["polarity"], errors="coerce")
            row.update(
                share_negative=float((pol == -1).mean()), share_positive=float((pol == 1).mean())
            )
        rows.append(row)
    cols = [*by, "n_units", "n_docs", "mean", "ci_low", "ci_high"]
    out = pd.DataFrame(rows)
    if out.empty:
        return pd.DataFrame(columns=cols)
    return out


def evidence(
    scores: pd.DataFrame,
    value: str = "compound",
    n: int = 5,
    where: dict | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The units behind a number: the ``n`` most negative and ``n`` most positive rows.

    ``where`` filters first, e.g. ``{"outlet": "Global Research", "target": "China"}``, so one
    call shows the sentences behind a bar of a figure. Out: the chosen ``columns`` (default:
    whatever of ``doc_id, outlet, target, mention, text, value, drivers`` exists) plus
    ``extreme`` ("most negative"/"most positive"), sorted by ``value``.

    >>> t = pd.DataFrame({"doc_id": list("abc"), "text": ["x", "y", "z"], "compound": [-0.5, 0.1, 0.9]})
    >>> evidence(t, n=1)["text"].tolist()
    ['x', 'z']
    """
    data = scores
    for col, want in (where or {}).items():
        if col not in data.columns:
            raise ValueError(f"evidence: no column {col!r} to filter on ({list(data.columns)})")
        data = data[data[col].isin(want if isinstance(want, (list, tuple, set)) else [want])]
    data = data.dropna(subset=[value])
    if columns is None:
        columns = [
            c
            for c in (
                "doc_id",
                "outlet",
                "date",
                "target",
                "mention",
                "text",
                "sentence",
                value,
                "polarity",
                "drivers",
            )
            if c in data.columns
        ]
    low = data.nsmallest(n, value).assign(extreme="most negative")
    high = (
        data.drop(index=low.index, errors="ignore")
        .nlargest(n, value)
        .assign(extreme="most positive")
    )
    high = high[high[value] > 0]
    low = low[low[value] < 0]
    out = pd.concat([low, high.sort_values(value)])
    return out[[*columns, "extreme"]].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def validation_report(
    y_true: Sequence,
    y_pred: Sequence,
    labels: Sequence | None = None,
    n_boot: int = 1000,
    random_state: int = SEED,
) -> dict:
    """Everything needed to judge a coder or model against hand labels, with intervals.

    Returns a JSON-ready dict: ``n``, ``accuracy``, ``macro_f1``, ``per_class`` (precision,
    recall, f1, support per label), ``labels``, ``confusion`` (rows = true, columns =
    predicted, in ``labels`` order), ``cohen_kappa``, ``krippendorff_alpha`` (nominal, the
    two codings as two coders) and ``ci`` with percentile bootstrap intervals (resampling
    units) for accuracy, macro-F1 and kappa.

    >>> r = validation_report([1, 0, -1, 1], [1, 0, 0, 1], n_boot=100)
    >>> r["accuracy"], r["labels"]
    (0.75, [-1, 0, 1])
    """
    y_true, y_pred = list(y_true), list(y_pred)
    if labels is None:
        labels = sorted(set(y_true) | set(y_pred), key=lambda v: (str(type(v)), v))
    labels = list(labels)
    rep = _scores(y_true, y_pred, labels)
    rep["cohen_kappa"] = cohen_kappa(y_true, y_pred)
    rep["krippendorff_alpha"] = krippendorff_alpha([y_true, y_pred], level="nominal")
    str_labels = [str(v) for v in labels]

    def acc(a, b):
        return float(np.mean(np.asarray(a, dtype=str) == np.asarray(b, dtype=str)))

    def macro(a, b):
        from sklearn.metrics import f1_score

        return float(
            f1_score(
                np.asarray(a, dtype=str),
                np.asarray(b, dtype=str),
                labels=str_labels,
                average="macro",
                zero_division=0,
            )
        )

    rep["ci"] = {
        "accuracy": list(
            bootstrap_ci(y_true, y_pred, acc, n_boot=n_boot, random_state=random_state)
        ),
        "macro_f1": list(
            bootstrap_ci(y_true, y_pred, macro, n_boot=n_boot, random_state=random_state)
        ),
        "cohen_kappa": list(
            bootstrap_ci(
                y_true, y_pred, cohen_kappa, n_boot=min(n_boot, 300), random_state=random_state
            )
        ),
    }
    return rep


def _scores(y_true: Sequence, y_pred: Sequence, labels: Sequence) -> dict:
    """classification_scores with labels passed as strings and mapped back.

    helpers.agreement pairs the codings as object arrays, which scikit-learn's metrics reject
    for integer labels ("unknown is not supported"); strings work for every label type.
    """
    labels = list(labels)
    as_str = {str(v): v for v in labels}
    rep = classification_scores(
        [None if pd.isna(v) else str(v) for v in y_true],
        [None if pd.isna(v) else str(v) for v in y_pred],
        labels=list(as_str),
    )
    rep["labels"] = [_plain(v) for v in labels]
    rep["per_class"] = {str(k): v for k, v in rep["per_class"].items()}
    return rep


def _plain(v):
    return v.item() if hasattr(v, "item") else v


def _validate_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m helpers validate targets",
        description="Score entity-targeted sentiment against a NewsMTSC-layout JSONL file "
        "(sentence, mention, from, to, polarity in -1/0/1) and print JSON.",
    )
    p.add_argument("file", help="labelled JSONL file to evaluate on")
    p.add_argument(
        "--train",
        help="JSONL file to fit the light model on first (else: the model "
        "saved in MODELS_DIR, else the VADER window baseline)",
    )
    p.add_argument(
        "--model", default=None, help="folder of a saved model (default: MODELS_DIR/targets)"
    )
    p.add_argument(
        "--method",
        default="auto",
        choices=["auto", "vader-window", "vader-sentence", "light", "embedding", "finetuned"],
        help="which scorer to evaluate; auto = trained model if available else VADER window",
    )
    p.add_argument("--window", type=int, default=10, help="tokens either side for the VADER window")
    p.add_argument("--n-boot", type=int, default=1000)
    return p


def validate_main(argv: Sequence[str] | None = None) -> int:
    """``python -m helpers validate targets FILE.jsonl [--train FILE.jsonl]``: print JSON with
    accuracy, macro-F1, per-class F1, confusion matrix, kappa, alpha and bootstrap intervals."""
    from . import targets

    args = _validate_parser().parse_args(list(argv) if argv is not None else None)
    try:
        data = targets.read_newsmtsc(args.file)
        method, model = targets.resolve_method(
            args.method, model_dir=args.model, train_path=args.train
        )
        pred = targets.predict_polarity(data, method=method, model=model, window=args.window)
    except (FileNotFoundError, ValueError, ImportError) as exc:
        print(json.dumps({"error": str(exc)}), file=sys.stderr)
        return 2
    rep = validation_report(
        data["polarity"].tolist(), pred["polarity"].tolist(), labels=[-1, 0, 1], n_boot=args.n_boot
    )
    rep = {"file": str(args.file), "method": method, **rep}
    if model is not None and hasattr(model, "describe"):
        rep["model"] = model.describe()
    print(json.dumps(rep, indent=2))
    return 0


def train_main(argv: Sequence[str] | None = None) -> int:
    """``python -m helpers train targets --train FILE.jsonl --out DIR [--kind light|embedding|finetuned]``.

    Fits a target-sentiment model on a NewsMTSC-layout file and saves it in ``DIR`` (default
    ``MODELS_DIR/targets``), printing JSON with what was trained and its dev score when
    ``--dev`` is given.
    """
    from . import targets

    p = argparse.ArgumentParser(
        prog="python -m helpers train targets",
        description="Train an entity-targeted sentiment model.",
    )
    p.add_argument("--train", required=True, help="NewsMTSC-layout JSONL to train on")
    p.add_argument(
        "--out", default=None, help="folder to save the model (default MODELS_DIR/targets)"
    )
    p.add_argument(
        "--kind",
        default="light",
        choices=["light", "embedding", "finetuned"],
        help="light = scikit-learn (seconds); embedding = + frozen MiniLM features "
        "(needs the 'embeddings' extra, minutes); finetuned = fine-tune MiniLM on "
        "CPU (needs the extra; about an hour per epoch on 2 cores)",
    )
    p.add_argument(
        "--dev", default=None, help="optional JSONL to report macro-F1 on after training"
    )
    p.add_argument("--epochs", type=int, default=3, help="fine-tuning epochs (kind=finetuned)")
    p.add_argument("--random-state", type=int, default=SEED)
    args = p.parse_args(list(argv) if argv is not None else None)
    try:
        train = targets.read_newsmtsc(args.train)
        model = targets.train_target_model(
            train, kind=args.kind, random_state=args.random_state, epochs=args.epochs
        )
        out = targets.save_target_model(model, args.out)
    except (FileNotFoundError, ValueError, ImportError) as exc:
        print(json.dumps({"error": str(exc)}), file=sys.stderr)
        return 2
    rep = {"kind": args.kind, "saved_to": str(out), "n_train": len(train), **model.describe()}
    if args.dev:
        dev = targets.read_newsmtsc(args.dev)
        pred = model.predict(dev)
        rep["dev"] = {
            "file": args.dev,
            **{
                k: v
                for k, v in _scores(
                    dev["polarity"].astype(int).tolist(), [int(v) for v in pred], labels=[-1, 0, 1]
                ).items()
                if k != "confusion"
            },
        }
    print(json.dumps(rep, indent=2))
    return 0
