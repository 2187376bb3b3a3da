"""VADER, exactly and fast: :class:`VaderScorer` reproduces ``vaderSentiment`` 3.3.2.

``VaderScorer.polarity_scores`` returns the very dict of ``SentimentIntensityAnalyzer()
.polarity_scores`` (same rules, same rounding), ``drivers`` the words that carried valence
after the rules, and ``score_texts`` scores a whole corpus many times faster (see
``benchmarks/bench_sentiment.py``). This module holds the lexicon and rule constants read from
the installed package, the tokenisation and the per-text rules; the bulk path's array version
of the rules is in :mod:`.vader_batch`.
"""

from __future__ import annotations

import gc
import math
import string
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from .vader_batch import Vocabulary, but_replay, rule_codes, score_batch


@lru_cache(maxsize=1)
def _vader_resources():
    """Lexicon, emoji table and rule constants from the installed vaderSentiment package.

    The lexicon ships inside the package (no nltk download); reading it through the package's
    own analyzer guarantees we use the very same numbers as a plain vaderSentiment loop.
    """
    from vaderSentiment import vaderSentiment as vs

    analyzer = vs.SentimentIntensityAnalyzer()
    return analyzer, vs


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
        # so the rules run as array operations over all lexicon hits of a batch at once; every
        # token seen gets an id and its properties in the vocabulary's arrays
        self._tokens = Vocabulary(
            self.lexicon, self._booster, rule_codes(self._negate, self._booster, self._special),
            self._punct,
        )
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
            return but_replay(positions, vals, lw.index("but"))
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

    def score_texts(self, texts: Iterable[str], n_words: bool = False) -> pd.DataFrame:
        """Score many texts: columns ``compound``, ``pos``, ``neu``, ``neg``, ``drivers`` (and
        ``n_words``, ``len(text.split())``, with ``n_words=True``: the split is done anyway).

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
        if not n_words:
            cols.pop("n_words")
        if len(uniq) == len(texts):
            return pd.DataFrame(cols)
        where = {t: i for i, t in enumerate(uniq)}
        idx = np.fromiter(map(where.__getitem__, texts), dtype=np.int64, count=len(texts))
        drivers = cols.pop("drivers")
        out = {k: v[idx] for k, v in cols.items()}
        out["drivers"] = [drivers[i] for i in idx.tolist()]
        return pd.DataFrame(out)

    def score_stream(self, texts: list[str], stream, slow: np.ndarray, drivers: bool = True) -> dict:
        """The columns of :meth:`score_texts` with ``n_words=True`` (arrays, ``drivers`` a list)
        for distinct texts whose token stream ``(ids, starts, ends)`` (see
        :func:`.vader_batch.parent_stream`) and emoji mask (``slow``) are already known: the
        same numbers, without splitting the texts again (``drivers=False``: drivers all "")."""
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._score_batch(texts, stream, slow, drivers)
        finally:
            if gc_was_enabled:
                gc.enable()

    def _score_batch(self, texts: list[str], stream=None, slow=None, drivers: bool = True) -> dict[str, list]:
        """The array path over the batch, then the texts with emojis through the per-text rules."""
        out, slow = score_batch(self, texts, stream, slow, drivers)
        formed = out["drivers"]
        for k in np.flatnonzero(slow).tolist():
            scores, drv = self._analyse(texts[k])
            out["compound"][k], out["pos"][k] = scores["compound"], scores["pos"]
            out["neu"][k], out["neg"][k] = scores["neu"], scores["neg"]
            if drivers:
                formed[k] = _format_drivers(drv)
        return out
