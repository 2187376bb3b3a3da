"""Counting dictionaries: weighted word lists in YAML and the negation-aware score they give.

:class:`SentimentDictionary` holds categories of terms (words, globs such as ``secur*``,
phrases) with signed weights; :func:`load_dictionary` reads the project's YAML or quanteda's
(e.g. the Lexicoder Sentiment Dictionary); :func:`dictionary_scores` counts matches per unit,
flipping a match that follows one of :data:`NEGATORS` in the same clause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..config import RESOURCES
from .units import _ID_COLS, _units_of
from .vader import _format_drivers

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
    _entries: dict[str, tuple | None] = field(default_factory=dict, repr=False)  # per token
    _starts: set[str] = field(default_factory=set, repr=False)  # tokens whose entries are not None
    _vocab: _Vocabulary | None = field(default=None, repr=False, compare=False)  # bulk path
    _words: object = field(default=None, repr=False, compare=False)  # dictionary_stream.WordTokens

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_words"] = None  # refers to this process's VADER vocabulary: rebuilt where used
        return state

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

    def _token_entries(self, tok: str) -> tuple[list, tuple[int, str, float] | None] | None:
        """What can match starting at ``tok``: the phrases whose first word fits it (in the
        order they are tried) and the one-word hit (exact, else the longest glob), or None
        when nothing can. Depends on the token alone, so :meth:`lookup` computes it once per
        distinct token."""
        phrases = [
            cand
            for key in {tok, *[tok[:k] for k in self._prefix]} & self._multi.keys()
            for cand in self._multi[key]
        ]
        single = None
        if tok in self._exact:
            single = (1, *self._exact[tok])
        else:
            for k in sorted(self._prefix, reverse=True):
                hit = self._prefix[k].get(tok[:k]) if len(tok) >= k else None
                if hit:
                    single = (1, hit[0], hit[1])
                    break
        return (phrases, single) if phrases or single else None

    def _cache_entries(self, tok: str) -> tuple | None:
        """Compute and keep ``tok``'s entries (and whether it can start a match)."""
        entries = self._entries[tok] = self._token_entries(tok)
        if entries is not None:
            self._starts.add(tok)
        return entries

    def lookup(self, tokens: Sequence[str], i: int) -> tuple[int, str, float] | None:
        """Match at position ``i``: (number of tokens consumed, category, weight) or None."""
        tok = tokens[i]
        entries = self._entries.get(tok, False)
        if entries is False:
            entries = self._cache_entries(tok)
        if entries is None:
            return None
        phrases, single = entries
        for words, cat, w in phrases:
            n = len(words)
            if i + n <= len(tokens) and all(
                self._word_match(tokens[i + k], words[k]) for k in range(n)
            ):
                return n, cat, w
        return single


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


#: Texts tokenised together by :func:`_score_texts` (bounds the memory of their tokens).
_BATCH_TEXTS = 5000


def _token_lists(texts: list[str]) -> list[list[str]]:
    """Each text's tokens, lower-cased with ’ as '. ’ and ' play the same part in the token
    pattern, so replacing first gives the same tokens; an ASCII text is lower-cased whole
    (letters stay letters, so again the same tokens), others token by token."""
    out = []
    findall = _DICT_TOKEN_RE.findall
    for t in texts:
        t = t.replace("’", "'")
        out.append(findall(t.lower()) if t.isascii() else [x.lower() for x in findall(t)])
    return out


def _score_tokens(
    toks: list[str], dictionary: SentimentDictionary, negation_window: int
) -> tuple[int, float, float, str]:
    """One unit: (words, positive, negative, drivers). Only the positions whose token can start
    a match are looked up, left to right, each match consuming its tokens."""
    n_words = len(toks) - sum(map(_CLAUSE_BREAK.__contains__, toks))
    starts = dictionary._starts
    if starts.isdisjoint(toks):
        return n_words, 0.0, 0.0, ""
    pos = neg = 0.0
    drivers = []
    free = 0  # the first position not consumed by a match
    for i in [i for i, t in enumerate(toks) if t in starts]:
        if i < free:
            continue
        hit = dictionary.lookup(toks, i)
        if hit is None:
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
        free = i + n
    return n_words, pos, neg, _format_drivers(drivers)


def _score_texts(
    texts: list, dictionary: SentimentDictionary, negation_window: int
) -> list[tuple[int, float, float, str]]:
    """(words, positive, negative, drivers) of every text, one text at a time, in batches of
    ``_BATCH_TEXTS`` (the plain path; :func:`_score_columns` is the bulk one)."""
    texts = [t if isinstance(t, str) else "" for t in texts]
    rows = []
    entries = dictionary._entries
    for start in range(0, len(texts), _BATCH_TEXTS):
        token_lists = _token_lists(texts[start : start + _BATCH_TEXTS])
        for tok in set(chain.from_iterable(token_lists)).difference(entries):
            dictionary._cache_entries(tok)
        rows += [_score_tokens(toks, dictionary, negation_window) for toks in token_lists]
    return rows


# Bits of a token's flags in the bulk path.
_START, _PHRASE, _BREAK, _NEG, _SEPARATOR = 1, 2, 4, 8, 16
#: Separator token between the ASCII texts of a batch: a letter (so a token of its own), not
#: ASCII (so in none of them); a non-ASCII text holding it sends the batch to the plain path.
_BULK_SEP = "\u00b5"
#: :data:`_DICT_TOKEN_RE` on lower-cased ASCII text joined by :data:`_BULK_SEP`: the same
#: tokens (its Unicode classes hold no other ASCII characters), found in about half the time.
_ASCII_TOKEN_RE = re.compile(r"[a-z\u00b5]+(?:['\-][a-z]+)*|[0-9]+(?:[.,][0-9]+)*|[,.;:!?()]")


class _Vocabulary:
    """Token -> id for the bulk path, with per-id ``flags`` (can start a match, can start a
    phrase, clause break, negator) and the one-word hit's ``weight`` and driver strings."""

    def __init__(self, separator: str | None = _BULK_SEP):
        self.separator = separator  # the token that separates texts (None: none does)
        self.ids: dict[str, int] = {}
        self.tokens: list[str] = []  # id -> token
        self.flags = np.zeros(0, dtype=np.int64)
        self.weight = np.zeros(0)
        self.fmt: list[str] = []  # "word (+1.00)"
        self.fmt_not: list[str] = []  # "NOT word (-1.00)"

    def add(self, tokens: list[str], dictionary: SentimentDictionary) -> None:
        n = len(tokens)
        if not n:
            return
        base = len(self.fmt)
        self.ids.update(zip(tokens, range(base, base + n), strict=True))
        self.tokens += tokens
        flags = np.zeros(n, dtype=np.int64)
        weight = np.zeros(n)
        fmt, fmt_not = [""] * n, [""] * n
        cached = dictionary._entries
        for k, tok in enumerate(tokens):
            if tok == self.separator:
                flags[k] = _SEPARATOR
                continue
            entries = cached[tok] if tok in cached else dictionary._cache_entries(tok)
            if tok in _CLAUSE_BREAK:
                flags[k] |= _BREAK
            if tok in NEGATORS or tok.endswith("n't"):
                flags[k] |= _NEG
            if entries is None:
                continue
            phrases, single = entries
            flags[k] |= _START
            if phrases or single is None:
                flags[k] |= _PHRASE
                continue
            w = single[2]
            weight[k] = w
            fmt[k] = _format_drivers([(tok, w)])
            fmt_not[k] = _format_drivers([("NOT " + tok, -w)])
        self.flags = np.concatenate([self.flags, flags])
        self.weight = np.concatenate([self.weight, weight])
        self.fmt += fmt
        self.fmt_not += fmt_not


def _bulk_tokens(texts: list[str]) -> tuple[list[str], list[int]] | None:
    """All tokens of the batch, the texts separated by :data:`_BULK_SEP`, and the text order
    (ASCII texts in one pass over their join, the others one by one, as :func:`_token_lists`
    lower-cases them); None when a text holds the separator."""
    ascii_idx = [i for i, t in enumerate(texts) if t.isascii()]
    other_idx = [i for i, t in enumerate(texts) if not t.isascii()]
    flat = _ASCII_TOKEN_RE.findall(f" {_BULK_SEP} ".join([texts[i] for i in ascii_idx]).lower())
    for toks in _token_lists([texts[i] for i in other_idx]):
        if _BULK_SEP in toks:
            return None
        flat.append(_BULK_SEP)
        flat += toks
    if ascii_idx == [] and other_idx:
        flat = flat[1:]  # no ASCII part: the first separator has nothing before it
    return flat, ascii_idx + other_idx


def _token_ids(vocab: _Vocabulary, flat: list[str], dictionary: SentimentDictionary) -> np.ndarray:
    """The id of every token of ``flat``, new tokens added to ``vocab`` first: one look-up per
    token (``dict.get``), then only the tokens not found are collected and added (no set of the
    whole stream: on distinct text that pass cost half as much as the look-ups)."""
    ids = np.fromiter(map(vocab.ids.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
    miss = np.flatnonzero(ids < 0).tolist()
    if miss:
        vocab.add(list(dict.fromkeys(map(flat.__getitem__, miss))), dictionary)
        ids[miss] = np.fromiter(map(vocab.ids.__getitem__, map(flat.__getitem__, miss)), dtype=np.int64,
                                count=len(miss))
    return ids


def _score_columns(
    texts: list, dictionary: SentimentDictionary, negation_window: int
) -> dict[str, list]:
    """Columns ``n_words``, ``positive``, ``negative``, ``drivers`` of every text, the same
    values as :func:`_score_texts`, in bulk: a batch of texts is tokenised as one stream, every
    distinct token gets flags once, and one-word matches, negation, the sums and the drivers are
    array operations over all matches of the batch; texts where a phrase can start take the
    per-text path."""
    texts = [t if isinstance(t, str) else "" for t in texts]
    n_words = np.zeros(len(texts), dtype=np.int64)
    pos = np.zeros(len(texts))
    neg = np.zeros(len(texts))
    drivers = [""] * len(texts)
    if not isinstance(negation_window, int):
        rows = _score_texts(texts, dictionary, negation_window)
        return _columns_of(rows)
    if dictionary._vocab is None:
        dictionary._vocab = _Vocabulary()
    vocab = dictionary._vocab
    for lo in range(0, len(texts), _BATCH_TEXTS):
        batch = texts[lo : lo + _BATCH_TEXTS]
        got = _bulk_tokens(batch)
        if got is None:
            rows = _score_texts(batch, dictionary, negation_window)
            cols = _columns_of(rows)
            n_words[lo : lo + len(batch)] = cols["n_words"]
            pos[lo : lo + len(batch)] = cols["positive"]
            neg[lo : lo + len(batch)] = cols["negative"]
            drivers[lo : lo + len(batch)] = cols["drivers"]
            continue
        flat, order = got
        ids = _token_ids(vocab, flat, dictionary)
        seps = np.flatnonzero(vocab.flags[ids] & _SEPARATOR)
        where = np.asarray(order, dtype=np.int64) + lo
        cols = score_stream(vocab, ids, np.concatenate([[0], seps + 1]), np.concatenate([seps, [len(flat)]]),
                            dictionary, negation_window)
        n_words[where], pos[where], neg[where] = cols["n_words"], cols["positive"], cols["negative"]
        for k, d in zip(where.tolist(), cols["drivers"], strict=True):
            drivers[k] = d
    return {"n_words": n_words, "positive": pos, "negative": neg, "drivers": drivers}


def score_stream(vocab: _Vocabulary, ids: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                 dictionary: SentimentDictionary, negation_window: int) -> dict:
    """Columns ``n_words``, ``positive``, ``negative``, ``drivers`` of the texts ``ids[starts[k]:
    ends[k]]`` (token ids in ``vocab``; tokens between texts are ignored): one-word matches,
    negation, the sums and the drivers as array operations over all matches; texts where a
    phrase (or a glob-only word) can start take the per-text path."""
    n_texts = len(starts)
    pos = np.zeros(n_texts)
    neg = np.zeros(n_texts)
    drivers = [""] * n_texts
    flags = vocab.flags[ids]
    words = np.concatenate([[0], np.cumsum((flags & (_BREAK | _SEPARATOR)) == 0)])
    n_words = (words[ends] - words[starts]).astype(np.int64)
    hits = np.flatnonzero(flags & _START)
    text_of = np.searchsorted(ends, hits, side="right")
    inside = text_of < n_texts
    inside[inside] = hits[inside] >= starts[text_of[inside]]
    hits, text_of = hits[inside], text_of[inside]
    phrase_texts = np.unique(text_of[(flags[hits] & _PHRASE) != 0])
    tokens = vocab.tokens
    for t in phrase_texts.tolist():
        toks = [tokens[i] for i in ids[starts[t] : ends[t]].tolist()]
        n_words[t], pos[t], neg[t], drivers[t] = _score_tokens(toks, dictionary, negation_window)
    keep = ~np.isin(text_of, phrase_texts)
    hits, text_of = hits[keep], text_of[keep]
    if not len(hits):
        return {"n_words": n_words, "positive": pos, "negative": neg, "drivers": drivers}
    negated = np.zeros(len(hits), dtype=bool)
    decided = np.zeros(len(hits), dtype=bool)
    first = starts[text_of]
    for d in range(1, negation_window + 1):
        q = hits - d
        f = flags[np.maximum(q, 0)]
        open_ = (q >= first) & ~decided
        is_neg = open_ & ((f & _NEG) != 0)
        negated |= is_neg
        decided |= is_neg | (open_ & ((f & _BREAK) != 0))
    w = vocab.weight[ids[hits]]
    w = np.where(negated, -w, w)
    pos_t = np.bincount(text_of, weights=np.where(w > 0, w, 0.0), minlength=n_texts)
    neg_t = np.bincount(text_of, weights=np.where(w > 0, 0.0, -w), minlength=n_texts)
    hit_texts = np.unique(text_of)
    pos[hit_texts] = pos_t[hit_texts]
    neg[hit_texts] = neg_t[hit_texts]
    fmt, fmt_not = vocab.fmt, vocab.fmt_not
    strs = [fmt_not[i] if n else fmt[i] for i, n in zip(ids[hits].tolist(), negated.tolist(), strict=True)]
    bounds = np.searchsorted(text_of, np.arange(n_texts + 1)).tolist()
    for t in hit_texts.tolist():
        drivers[t] = "; ".join(strs[bounds[t] : bounds[t + 1]])
    return {"n_words": n_words, "positive": pos, "negative": neg, "drivers": drivers}


def _distinct_columns(texts: list, dictionary: SentimentDictionary, negation_window: int) -> dict:
    """:func:`_score_columns` of every text, each distinct text scored once (a unit's score
    depends on its text alone; boilerplate and reposted sentences repeat)."""
    texts = [t if isinstance(t, str) else "" for t in texts]
    where: dict[str, int] = {}
    idx = np.fromiter(map(where.setdefault, texts, range(len(texts))), dtype=np.int64, count=len(texts))
    if len(where) == len(texts):
        return _score_columns(texts, dictionary, negation_window)
    first, inv = np.unique(idx, return_inverse=True)
    cols = _score_columns([texts[i] for i in first.tolist()], dictionary, negation_window)
    inv = inv.reshape(-1)
    drivers = cols.pop("drivers")
    out = {k: np.asarray(v)[inv] for k, v in cols.items()}
    out["drivers"] = [drivers[i] for i in inv.tolist()]
    return out


def _columns_of(rows: list[tuple[int, float, float, str]]) -> dict[str, list]:
    return {
        "n_words": np.asarray([r[0] for r in rows], dtype=np.int64),
        "positive": np.asarray([r[1] for r in rows], dtype=float),
        "negative": np.asarray([r[2] for r in rows], dtype=float),
        "drivers": [r[3] for r in rows],
    }


def dictionary_scores(
    table: pd.DataFrame,
    dictionary: SentimentDictionary | str | Path | None = None,
    negation_window: int = 3,
    text: bool = True,
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
    n_words * 100) and ``drivers`` (``"threat* (-1.00); not agree* (-1.00)"``). ``text=False``
    leaves ``text`` out (the same rows otherwise): a caller that has the units' texts need not
    hold a second copy of them (notebook 20 puts them back block by block when writing).

    >>> d = SentimentDictionary("t", {"positive": ["agree*"], "negative": ["threat*"]},
    ...                         {"positive": 1, "negative": -1})
    >>> dictionary_scores(pd.DataFrame({"doc_id": ["a"], "text": ["They did not agree."]}), d)[
    ...     ["positive", "negative"]].values.tolist()
    [[0.0, 1.0]]
    """
    if not isinstance(dictionary, SentimentDictionary):
        dictionary = load_dictionary(dictionary)
    units = _units_of(table)
    texts = units["text"].tolist()
    keep = [c for c in _ID_COLS if c in units.columns] + (["text"] if text else [])
    out = units[keep].reset_index(drop=True).copy()
    vals = (
        pd.DataFrame(_distinct_columns(texts, dictionary, negation_window))
        if texts
        else pd.DataFrame([], columns=["n_words", "positive", "negative", "drivers"])
    )
    del texts
    out = pd.concat([out, vals], axis=1)
    out["score"] = np.log((out["positive"] + 0.5) / (out["negative"] + 0.5))
    out["per_100_words"] = np.where(
        out["n_words"] > 0,
        (out["positive"] - out["negative"]) / out["n_words"].clip(lower=1) * 100,
        0.0,
    )
    return out[keep + ["n_words", "positive", "negative", "score", "per_100_words", "drivers"]]
