"""The bulk path of :meth:`VaderScorer.score_texts`: VADER's rules as array operations.

A batch of texts becomes one token stream; every distinct token gets an id once in a
:class:`Vocabulary` whose per-id properties (lexicon value, booster value, a bit code of the
words the rules compare against) live in arrays. VADER's rules (boosters, negation, "no",
"never so/this", "without doubt", "least", "kind of", ALL-CAPS emphasis, "but") then run over
all lexicon hits of the batch at once, performing the same float operations in the same order
per hit as ``vaderSentiment``, and the sums and proportions are formed per text as VADER forms
them. :func:`score_batch` does it step by step; the scorer in :mod:`.vader` hands it the batch
and scores the rare texts with emojis through its per-text rules.
"""

from __future__ import annotations

import heapq
import math
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat

import numpy as np

# Bits of a token's rule code: words the rules compare against.
_NO, _ORNOR, _NEVER, _SOTHIS, _WITHOUT, _DOUBT, _LEAST, _ATVERY = (1 << k for k in range(8))
_KIND, _OF, _BUT, _NEG, _BOOST, _IDIOM, _UPPER, _INLEX = (1 << k for k in range(8, 16))
# Words that never make a key distinctive ("the shit" is found by "shit", not "the").
_IDIOM_COMMON = frozenset({"the", "of", "to", "for", "a", "bad", "right", "stop", "heart", "just"})
#: Separator token between the texts of a batch (outside every text's [start, end) range).
_SEP = "\x00"


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


def rule_codes(negate: Iterable[str], booster: dict, special: dict) -> dict[str, int]:
    """Lower-cased word -> the bits of every rule that looks at it (``"no"`` -> ``_NO``...)."""
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
        (_NEG, tuple(negate)),
        (_BOOST, tuple(booster)),
        (_IDIOM, tuple(_idiom_markers(special, booster))),
    ):
        for w in ws:
            codes[w] = codes.get(w, 0) | bit
    return codes


class Vocabulary:
    """Token -> id, and per-id properties: rule ``code``, lexicon ``value``, ``boost`` value,
    the ``words`` VADER keeps and the ``fmt`` driver string of lexicon words."""

    def __init__(self, lexicon: dict[str, float], booster: dict, codes: dict[str, int], punct: str):
        self.lexicon = lexicon
        self.booster = booster
        self.codes = codes
        self.punct = punct
        self.ids: dict[str, int] = {}
        self.code = np.zeros(0, dtype=np.int64)
        self.value = np.zeros(0)
        self.boost = np.zeros(0)
        self.words: list[str] = []
        self.fmt: list[str] = []
        self.tokens: list[str] = []  # id -> token

    def add(self, tokens: Iterable[str]) -> None:
        """Give each new token an id and record its properties (one pass per distinct token).

        Every step is a ``map`` of a C-level method over the new tokens, so a cold scorer pays
        little Python per distinct token; the values are the ones SentiText computes.
        """
        toks = list(tokens)
        n = len(toks)
        if not n:
            return
        base = len(self.fmt)
        words = list(map(str.strip, toks, repeat(self.punct)))
        short = np.fromiter(map(len, words), dtype=np.int64, count=n) <= 2
        for k in np.flatnonzero(short).tolist():
            words[k] = toks[k]  # VADER keeps the token as is when stripping leaves <= 2 chars
        low = list(map(str.lower, words))
        self.ids.update(zip(toks, range(base, base + n), strict=True))
        self.tokens.extend(toks)
        value = np.fromiter(map(self.lexicon.get, low, repeat(math.nan)), dtype=float, count=n)
        in_lex = ~np.isnan(value)
        value[~in_lex] = 0.0
        code = np.fromiter(map(self.codes.get, low, repeat(0)), dtype=np.int64, count=n)
        code[np.fromiter(map(operator.contains, low, repeat("n't")), dtype=bool, count=n)] |= _NEG
        code[np.fromiter(map(str.isupper, words), dtype=bool, count=n)] |= _UPPER
        code[in_lex] |= _INLEX
        boost = np.zeros(n)
        for k in np.flatnonzero(code & _BOOST).tolist():
            boost[k] = self.booster[low[k]]
        self.code = np.concatenate([self.code, code])
        self.value = np.concatenate([self.value, value])
        self.boost = np.concatenate([self.boost, boost])
        self.words.extend(words)
        fmt = [""] * n
        values = value.tolist()
        for k in np.flatnonzero(in_lex).tolist():
            fmt[k] = f"{words[k]} ({values[k]:+.2f})"
        self.fmt.extend(fmt)


#: Up to this many hits "but" is replayed with ``list.index`` itself, beyond with heaps.
_SHORT_REPLAY = 48


def but_replay(positions: list[int], vals: list[float], bi: int) -> list[float]:
    """VADER's "but" rule on a text's non-zero sentiments (see ``VaderScorer._but_check``).

    VADER rescales ``vals[vals.index(v)]`` for each ``v`` in turn: the *first* position whose
    current value equals ``v``. ``list.index`` makes that quadratic in a text's hits (slow on
    whole documents); here a heap per value holds every position that has (or had) that
    value, and the first position still holding it is the same one ``list.index`` finds.
    """
    if len(vals) <= _SHORT_REPLAY:  # a sentence: list.index (in C) is faster than heaps
        for k in range(len(vals)):
            v = vals[k]
            si = vals.index(v)
            if positions[si] < bi:
                vals[si] = v * 0.5
            elif positions[si] > bi:
                vals[si] = v * 1.5
        return vals
    heaps: dict[float, list[int]] = {}
    for k, v in enumerate(vals):
        heaps.setdefault(v, []).append(k)  # ascending already: a valid heap
    for k in range(len(vals)):
        v = vals[k]
        heap = heaps[v]
        while vals[heap[0]] != v:  # positions whose value has changed since
            heapq.heappop(heap)
        si = heap[0]
        if positions[si] < bi:
            new = v * 0.5
        elif positions[si] > bi:
            new = v * 1.5
        else:
            continue
        vals[si] = new
        heapq.heappush(heaps.setdefault(new, []), si)
    return vals


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


# -- the steps of score_batch ----------------------------------------------------------------


@dataclass
class _Batch:
    """The texts of a batch as one token stream, and where every lexicon hit sits in it."""

    texts: list[str]
    ids: np.ndarray  # token id of each token (separators between texts, or none)
    starts: np.ndarray  # each text's [start, end) in ``ids``
    ends: np.ndarray
    lens: np.ndarray
    code: np.ndarray  # rule code of each token
    hits: np.ndarray  # token index of each lexicon hit
    sent: np.ndarray  # text of each hit
    loc: np.ndarray  # word index i of each lexicon hit within its text
    size: np.ndarray  # length of each hit's text
    top: int  # last token index

    def near(self, bit: int, d: int) -> np.ndarray:
        """Whether the word d places from each hit (inside its text) has ``bit``."""
        j = self.loc + d
        return (j >= 0) & (j < self.size) & (self.code[np.clip(self.hits + d, 0, self.top)] & bit != 0)

    def at(self, arr: np.ndarray, d: int) -> np.ndarray:
        return arr[self.ids[np.clip(self.hits + d, 0, self.top)]]


def _token_ids(vocab: Vocabulary, flat: list[str]) -> np.ndarray:
    """The id of every token of ``flat``, new tokens added to ``vocab`` first: one look-up per
    token (``dict.get``), then only the tokens not found are collected and added (no set of
    the whole stream: on distinct text that pass cost half as much as the look-ups)."""
    get = vocab.ids.get
    ids = np.fromiter(map(get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
    miss = np.flatnonzero(ids < 0).tolist()
    if miss:
        vocab.add(dict.fromkeys(map(flat.__getitem__, miss)))
        ids[miss] = np.fromiter(map(vocab.ids.__getitem__, map(flat.__getitem__, miss)), dtype=np.int64,
                                count=len(miss))
    return ids


def _token_stream(vocab: Vocabulary, texts: list[str]):
    """Token list, token ids and each text's [start, end) of the batch.

    One split of all texts joined by a separator token is much cheaper than a split per
    text; the separators stay in the token stream (no properties, outside every text's
    [start, end) range). Every distinct token gets an id once; its properties live in
    arrays indexed by id, so per-token work over the whole batch is numpy indexing.
    """
    n_texts = len(texts)
    flat = f" {_SEP} ".join(texts).split()
    ids = _token_ids(vocab, flat)
    seps = np.flatnonzero(ids == vocab.ids.get(_SEP, -1))
    if len(seps) == n_texts - 1:
        starts = np.concatenate([[0], seps + 1])
        ends = np.concatenate([seps, [len(flat)]])
    else:  # no texts, or a text holds the separator as a word: split them one by one
        splits = list(map(str.split, texts))
        lens = np.fromiter(map(len, splits), dtype=np.int64, count=n_texts)
        ends = np.cumsum(lens)
        starts = ends - lens
        flat = list(chain.from_iterable(splits))
        vocab.add(set(flat).difference(vocab.ids))
        ids = np.fromiter(map(vocab.ids.__getitem__, flat), dtype=np.int64, count=len(flat))
    return flat, ids, starts, ends


def split_stream(vocab: Vocabulary, texts: list[str]):
    """``(ids, starts, ends)``: every text's whitespace tokens (``str.split()``) as ids in
    ``vocab`` and each text's ``[start, end)`` in ``ids``, with no separator between texts.

    The same tokens, properties and text ranges as :func:`_token_stream` (whose ranges skip its
    separators), found in Arrow: one whitespace split of all texts (``utf8_split_whitespace``
    splits at the same characters as ``str.split()``), the distinct tokens by dictionary
    encoding, so a token's id is looked up once per distinct token instead of once per token.
    Texts Arrow cannot hold (a lone surrogate is not UTF-8) take :func:`_token_stream`.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        lists = pc.utf8_split_whitespace(pa.array(texts, type=pa.large_string()))
    except (pa.ArrowException, UnicodeError):
        return _token_stream(vocab, texts)[1:]
    offsets = lists.offsets.to_numpy().astype(np.int64)
    values = lists.flatten()
    keep = pc.binary_length(values).to_numpy(zero_copy_only=False) > 0  # "" at a text's ends: no token
    enc = pc.dictionary_encode(values)
    distinct = enc.dictionary.to_pylist()  # in order of first appearance, as _token_ids adds them
    known = np.fromiter(map(vocab.ids.get, distinct, repeat(-1)), dtype=np.int64, count=len(distinct))
    miss = [i for i in np.flatnonzero(known < 0).tolist() if distinct[i]]
    if miss:
        vocab.add([distinct[i] for i in miss])
        known[miss] = np.fromiter(map(vocab.ids.__getitem__, map(distinct.__getitem__, miss)), dtype=np.int64,
                                  count=len(miss))
    ids = known[enc.indices.to_numpy()][keep]
    cum = np.concatenate([[0], np.cumsum(keep)])
    return ids, cum[offsets[:-1]], cum[offsets[1:]]


def parent_stream(vocab: Vocabulary, stream, c_lo, c_hi, ok, texts: list[str]):
    """The ``(ids, starts, ends)`` stream of units made of smaller ones (paragraphs of
    sentences, documents of paragraphs), without splitting them again.

    ``stream``: the children's tokens ``ids`` and each child's ``[starts, ends)`` in it (in
    any order: children may share their tokens); parent ``k`` holds children
    ``c_lo[k]:c_hi[k]``, in order. Where ``ok[k]`` (its text is its children's texts with only
    whitespace around and between them, a non-empty gap between two children) its tokens are
    its children's tokens in order: ``text.split()`` of such a text is the concatenation of
    the children's splits. Other parents are split from their own ``texts``.
    """
    ids, starts, ends = stream
    ok = np.asarray(ok, dtype=bool)
    c_lo, c_hi = np.asarray(c_lo, dtype=np.int64), np.asarray(c_hi, dtype=np.int64)
    n_seg = np.where(ok, c_hi - c_lo, 1)  # a segment per child, or the parent's own tokens
    seg_end = np.cumsum(n_seg)
    seg_start = seg_end - n_seg
    parent = np.repeat(np.arange(len(ok)), n_seg)
    child = c_lo[parent] + np.arange(len(parent)) - seg_start[parent]
    has = ok[parent]
    seg_lo = np.zeros(len(parent), dtype=np.int64)
    seg_hi = np.zeros(len(parent), dtype=np.int64)
    seg_lo[has], seg_hi[has] = starts[child[has]], ends[child[has]]
    bad = np.flatnonzero(~ok)
    if len(bad):
        own = [texts[k].split() for k in bad.tolist()]
        flat = list(chain.from_iterable(own))
        vocab.add(set(flat).difference(vocab.ids))
        own_ids = np.fromiter(map(vocab.ids.__getitem__, flat), dtype=np.int64, count=len(flat))
        own_lens = np.fromiter(map(len, own), dtype=np.int64, count=len(own))
        own_end = len(ids) + np.cumsum(own_lens)
        seg_lo[seg_start[bad]], seg_hi[seg_start[bad]] = own_end - own_lens, own_end
        ids = np.concatenate([ids, own_ids])
    seg_len = seg_hi - seg_lo
    cum = np.concatenate([[0], np.cumsum(seg_len)])
    take = np.repeat(seg_lo - cum[:-1], seg_len) + np.arange(cum[-1], dtype=np.int64)
    return ids[take], cum[seg_start], cum[seg_end]


def _batch(vocab: Vocabulary, texts: list[str], stream=None) -> _Batch:
    ids, starts, ends = _token_stream(vocab, texts)[1:] if stream is None else stream
    lens = ends - starts
    n_tok = len(ids)
    code = vocab.code[ids]
    hits = np.flatnonzero(code & _INLEX)
    sent = np.searchsorted(ends, hits, side="right")
    loc = hits - starts[sent]
    size = lens[sent]
    top = max(n_tok - 1, 0)
    return _Batch(texts, ids, starts, ends, lens, code, hits, sent, loc, size, top)


def _caps(b: _Batch) -> tuple[np.ndarray, np.ndarray]:
    """ALL-CAPS tokens, and for each hit whether its text mixes ALL-CAPS and other words."""
    upper = (b.code & _UPPER) != 0
    cum_upper = np.concatenate([[0], np.cumsum(upper)])
    n_upper = cum_upper[b.ends] - cum_upper[b.starts]
    cap_diff = ((n_upper > 0) & (n_upper < b.lens))[b.sent]
    return upper, cap_diff


def _booster_and_negation(b: _Batch, vocab: Vocabulary, val, cap_diff, n_scalar, c_incr):
    """sentiment_valence's loop over the three words before each hit: booster scalars, then
    _negation_check (x1.25 after "never so/this" (or "so/this" right before), none after
    "without doubt", else x N_SCALAR after a negation at distance start_i + 1)."""
    near = b.near
    for start_i in range(3):
        d = -(start_i + 1)
        gate = (b.loc + d >= 0) & ((b.code[np.clip(b.hits + d, 0, b.top)] & _INLEX) == 0)
        is_b = near(_BOOST, d)
        bv = b.at(vocab.boost, d)
        scalar = np.where(is_b & (val < 0), bv * -1, bv)
        b_caps = is_b & near(_UPPER, d) & cap_diff
        scalar = np.where(b_caps, np.where(val > 0, scalar + c_incr, scalar - c_incr), scalar)
        if start_i == 1:
            scalar = np.where(scalar != 0, scalar * 0.95, scalar)
        elif start_i == 2:
            scalar = np.where(scalar != 0, scalar * 0.9, scalar)
        val = np.where(gate, val + scalar, val)
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
    return val


def _valences(b: _Batch, vocab: Vocabulary, upper, cap_diff, n_scalar, c_incr):
    """Each hit's valence after the rules (idiom windows aside), and whether it is scored."""
    near = b.near
    # polarity_scores' loop: boosters and "kind" before "of" score 0 without the rules
    scored = ~(near(_BOOST, 0) | (near(_KIND, 0) & near(_OF, 1)))
    # sentiment_valence, the same float operations in the same order, one hit per lane
    lex_v = vocab.value[b.ids[b.hits]]
    val = np.where(near(_NO, 0) & near(_INLEX, 1), 0.0, lex_v)
    no_before = near(_NO, -1) | near(_NO, -2) | (near(_NO, -3) & near(_ORNOR, -1))
    val = np.where(no_before, lex_v * n_scalar, val)
    caps = upper[b.hits] & cap_diff
    val = np.where(caps, np.where(val > 0, val + c_incr, val - c_incr), val)
    val = _booster_and_negation(b, vocab, val, cap_diff, n_scalar, c_incr)
    least = near(_LEAST, -1) & ~near(_INLEX, -1)
    val = np.where(least & (b.loc > 1) & ~near(_ATVERY, -2), val * n_scalar, val)
    val = np.where(least & (b.loc == 1), val * n_scalar, val)
    val = np.where(scored, val, 0.0)
    return val, scored


@lru_cache(maxsize=4)
def _plain_ascii_run(emoji_chars: frozenset) -> re.Pattern:
    """Runs of ASCII characters that are not emoji keys (VADER has none): removed before the
    emoji test, so a long text is checked on its few other characters only."""
    plain = "".join(chr(i) for i in range(128) if chr(i) not in emoji_chars)
    return re.compile(f"[{re.escape(plain)}]+")


def _slow_texts(texts: list[str], emoji_chars: frozenset) -> np.ndarray:
    """Texts with an emoji VADER replaces: they take the per-text rules."""
    slow = ~np.fromiter(map(str.isascii, texts), dtype=bool, count=len(texts))
    plain = _plain_ascii_run(emoji_chars)
    for k in np.flatnonzero(slow).tolist():
        slow[k] = not emoji_chars.isdisjoint(plain.sub("", texts[k]))
    return slow


def _redo_idioms(b: _Batch, scorer, val, scored, slow, cap_diff) -> None:
    """The few hits whose window holds an idiom word get the per-hit rules (in place)."""
    idiom = np.zeros(len(b.hits), dtype=bool)
    for d in (-3, -2, -1, 0, 1, 2):
        idiom |= b.near(_IDIOM, d)
    redo = np.flatnonzero(idiom & scored & ~slow[b.sent])
    if len(redo):
        # The rules look at most three words before a hit and two after, and at the text's
        # length only to ask whether one or two words follow: the window of those words, with
        # the hit at min(i, 3), gives the same valence as the whole text (cheap on documents).
        words_of, lower_of = scorer._word.__getitem__, scorer._lower.__getitem__
        token_of = scorer._tokens.tokens.__getitem__
        hits, ends = b.hits.tolist(), b.ends[b.sent[redo]].tolist()
        for h, i, end in zip(redo.tolist(), b.loc[redo].tolist(), ends, strict=True):
            p = hits[h]
            toks = list(map(token_of, b.ids[p - min(i, 3) : min(p + 3, end)].tolist()))
            w, lw = list(map(words_of, toks)), list(map(lower_of, toks))
            val[h] = scorer._valence(w, lw, min(i, 3), bool(cap_diff[h]))


def _but_rescale(b: _Batch, has_but, keep, hs, vals) -> np.ndarray:
    """The "but" rescaling, replayed on each such text's kept values."""
    n_texts = len(b.texts)
    but_first = np.full(n_texts, -1, dtype=np.int64)
    but_pos = np.flatnonzero(b.code & _BUT)
    but_text = np.searchsorted(b.ends, but_pos, side="right")
    first_of = np.unique(but_text, return_index=True)
    but_first[first_of[0]] = but_pos[first_of[1]] - b.starts[first_of[0]]
    bounds_h = np.searchsorted(hs, np.arange(n_texts + 1))
    loc_k = b.loc[keep]
    vals = vals.copy()
    for t in np.flatnonzero(has_but).tolist():
        lo, hi = int(bounds_h[t]), int(bounds_h[t + 1])
        if lo == hi:
            continue
        vals[lo:hi] = but_replay(loc_k[lo:hi].tolist(), vals[lo:hi].tolist(), int(but_first[t]))
    return vals


def _sums(n_texts: int, h, hs, vals):
    """Per text: the sum of sentiments, the positive and negative sums and the hit count, as
    VADER adds them (one value per text per round: the same sequence of additions)."""
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
    return sum_s, pos_sum, neg_sum, nonzero


def _score_columns(texts: list[str], lens, sum_s, pos_sum, neg_sum, nonzero) -> dict:
    """score_valence for every text: punctuation emphasis, compound, pos/neu/neg, rounded."""
    n_texts = len(texts)
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
    return {
        "compound": _round_like_python(compound, 4),
        "pos": _round_like_python(pos, 3),
        "neu": _round_like_python(neu, 3),
        "neg": _round_like_python(neg, 3),
    }


def _driver_strings(b: _Batch, vocab: Vocabulary, h, hs, vals) -> list[str]:
    """Each text's drivers, ``"word (+1.90); ..."``, from the kept hits and their values."""
    n_texts = len(b.texts)
    fmt, vocab_words = vocab.fmt, vocab.words
    h_ids = b.ids[h]
    hit_strs = [fmt[i] for i in h_ids.tolist()]
    vals_l = vals.tolist()
    for k in np.flatnonzero(vals != vocab.value[h_ids]).tolist():
        hit_strs[k] = f"{vocab_words[h_ids[k]]} ({vals_l[k]:+.2f})"
    hit_bounds = np.searchsorted(hs, np.arange(n_texts + 1)).tolist()
    return ["; ".join(hit_strs[hit_bounds[k] : hit_bounds[k + 1]]) for k in range(n_texts)]


def score_batch(scorer, texts: list[str], stream=None, slow=None, drivers: bool = True
                ) -> tuple[dict[str, list], np.ndarray]:
    """Columns ``compound``, ``pos``, ``neu``, ``neg``, ``drivers``, ``n_words`` (whitespace
    words) for ``texts``,
    and the mask of texts left to the per-text rules (emojis; their entries are placeholders).

    ``scorer`` is the :class:`~.vader.VaderScorer`: its vocabulary, VADER's constants, and its
    per-hit rules for the rare hits with an idiom word in their window. ``stream``: the texts'
    ``(ids, starts, ends)`` when already known (:func:`parent_stream`), ``slow``: their
    :func:`_slow_texts` mask when already known. ``drivers=False``: every ``drivers`` entry is
    "" (not formed; the numbers are the same).
    """
    vocab: Vocabulary = scorer._tokens
    b = _batch(vocab, texts, stream)
    n_texts = len(texts)
    upper, cap_diff = _caps(b)
    val, scored = _valences(b, vocab, upper, cap_diff, scorer._n_scalar, scorer._c_incr)
    # the few hits whose window holds an idiom word, and texts with emojis or "but", take
    # the rules in Python
    slow = _slow_texts(texts, scorer._emoji_chars) if slow is None else slow
    cum_but = np.concatenate([[0], np.cumsum((b.code & _BUT) != 0)])
    has_but = ((cum_but[b.ends] - cum_but[b.starts]) > 0) & ~slow
    _redo_idioms(b, scorer, val, scored, slow, cap_diff)
    # keep the hits of the texts scored here; zeros (e.g. "no" before a lexicon word) add
    # nothing to VADER's sums but count as neutral, like in its list of sentiments
    keep = ~slow[b.sent] & (val != 0)
    h, hs, vals = b.hits[keep], b.sent[keep], val[keep]
    if has_but.any():
        vals = _but_rescale(b, has_but, keep, hs, vals)
    out = _score_columns(texts, b.lens, *_sums(n_texts, h, hs, vals))
    out["drivers"] = _driver_strings(b, vocab, h, hs, vals) if drivers else [""] * n_texts
    out["n_words"] = b.lens  # len(text.split()) of every text
    return out, slow
