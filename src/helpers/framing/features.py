"""Classifier features: dictionary rates, indicator answers, surface cues, sentence peaks, words.

:func:`lexicon_features` gives each text the frame rates of every scheme and the indicator
answers (cached per text, so cross-validation pays once), plus :func:`style_features` (money,
percentages, pronouns, ages, emotive words ...) and :func:`sentence_peak_features` (where a
frame concentrates). :class:`FeatureStack` stacks tf-idf words next to the scaled dictionary
features for :class:`helpers.framing.FrameClassifier`, fitted on training texts only.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from .. import artifacts
from ..text import _plain_tokens, sentence_spans
from .dictionaries import as_dictionary
from .indicators import indicator_answers
from .scores import document_peaks, scores_each

_LEX_CACHE: dict[tuple[str, str], np.ndarray] = {}
_LEX_NAMES: dict[str, list[str]] = {}


def lexicon_features(
    texts, schemes=("generic", "policy", "territorial"), indicators: bool = True,
    known: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Dictionary features for a list of texts: per-1,000-token rates of every frame of each
    scheme (``<scheme>:<frame>``); with ``indicators=True`` also the indicator answers
    (``ind:<question>``, 0/1), indicator frame scores (``indscore:<frame>``), surface cues
    (:func:`style_features`) and sentence peaks (:func:`sentence_peak_features`). Cached per
    text, so cross-validation pays once. ``known``: one row per text (same order) with the rate
    and indicator columns already computed (:func:`lexicon_columns`); only the rest is computed,
    and those rows are not cached.
    """
    texts = ["" if not isinstance(t, str) else t for t in texts]
    key = "|".join(schemes) + (":ind" if indicators else "")
    _names(key, schemes, indicators)
    hashes = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    todo = [i for i, h in enumerate(hashes) if (key, h) not in _LEX_CACHE]
    if todo:
        uniq = {hashes[i]: texts[i] for i in todo}
        given = None
        if known is not None:
            missing = [c for c in _LEX_NAMES[key] if c not in known.columns
                       and (c.split(":", 1)[0] in schemes or c.startswith(("ind:", "indscore:")))]
            if missing:
                raise ValueError(f"known features lack {len(missing)} column(s) the model needs, "
                                 f"e.g. {missing[:3]} (give lexicon_columns of every scheme: {list(schemes)})")
            wanted = set(_LEX_NAMES[key])  # the other columns given are dropped at the end anyway
            given = known[[c for c in known.columns if c in wanted]].iloc[todo].set_axis([hashes[i] for i in todo])
            given = given[~given.index.duplicated()]
        feats = _compute(uniq, schemes, indicators, given).reindex(columns=_LEX_NAMES[key], fill_value=0.0)
        if given is not None:
            # rows made from features given are not kept: the caller holds those features (a
            # notebook's documents pass once; at 100k documents the rows held ~0.45 GB)
            fresh = dict(zip(feats.index, feats.to_numpy(dtype=float), strict=True))
            rows = [fresh[h] if h in fresh else _LEX_CACHE[(key, h)] for h in hashes]
            return pd.DataFrame(np.vstack(rows), columns=_LEX_NAMES[key])
        _remember(key, feats)
        if len(schemes) > 1 or indicators:  # each scheme's rates alone are columns of these
            for s in schemes:
                _remember(s, feats.reindex(columns=_names(s, (s,), False), fill_value=0.0))
        if len(_LEX_CACHE) > 200_000:
            _LEX_CACHE.clear()
            return lexicon_features(texts, schemes, indicators, known)
    rows = [_LEX_CACHE[(key, h)] for h in hashes]
    # one 2-D array (the float rows stacked) instead of pandas reading a list of rows
    return pd.DataFrame(np.vstack(rows) if rows else rows, columns=_LEX_NAMES[key])


def _remember(key: str, feats: pd.DataFrame) -> None:
    """Keep each text's feature row (``feats`` is indexed by text hash) under ``key``."""
    for h, row in zip(feats.index, feats.to_numpy(dtype=float), strict=True):
        _LEX_CACHE[(key, h)] = row


def _names(key: str, schemes, indicators: bool) -> list[str]:
    """The columns :func:`lexicon_features` gives (cache ``key``). They come from a probe text,
    never from a batch: an empty text has no indicator answers and no sentences, but must get
    the same columns."""
    if key not in _LEX_NAMES:
        _LEX_NAMES[key] = list(_compute({"probe": "A probe sentence."}, schemes, indicators).columns)
    return _LEX_NAMES[key]


def lexicon_columns(scores: pd.DataFrame, answers: pd.DataFrame | None, schemes,
                    peaks: pd.DataFrame | None = None) -> pd.DataFrame:
    """The dictionary-rate and indicator columns of :func:`lexicon_features` from tables already
    computed: ``scores`` (:func:`frame_scores` at document level, a ``scheme`` column naming each
    of ``schemes``) and ``answers`` (:func:`indicator_answers`, or None). One row per
    ``doc_id``; pass them as ``known`` to :func:`lexicon_features` (the values are those it
    computes itself, by the same code) so the text is not scored again. ``peaks``: the
    ``peak:``/``dense:`` columns by ``doc_id`` (:func:`~helpers.framing.scores.split_peaks`)."""
    parts = _rate_parts([(s, scores[scores["scheme"] == s]) for s in schemes])
    if answers is not None:
        parts += _indicator_parts(answers)
    if peaks is not None and peaks.index.is_unique:  # repeated ids: the model computes its own
        parts.append(peaks)
    return pd.concat(parts, axis=1)


def _rate_parts(scored) -> list[pd.DataFrame]:
    """Per scheme, per-1,000-token rates by document (``<scheme>:<frame>`` columns)."""
    return [
        sc.pivot_table(index="doc_id", columns="frame", values="per_1000", aggfunc="sum", sort=False)
        .add_prefix(f"{s}:")
        for s, sc in scored
    ]


def _indicator_parts(a: pd.DataFrame) -> list[pd.DataFrame]:
    """Indicator answers (``ind:<question>``, 0/1) and frame scores (``indscore:<frame>``)."""
    w = a.pivot_table(index="doc_id", columns="question_id", values="answer", aggfunc="max", sort=False)
    fs = a.groupby(["doc_id", "frame"])["answer"].mean().unstack()
    return [w.astype(float).add_prefix("ind:"), fs.add_prefix("indscore:")]


def _compute(uniq: dict[str, str], schemes, indicators: bool, known: pd.DataFrame | None = None) -> pd.DataFrame:
    """The dictionary features of texts keyed by id (rows in the order given); ``known``: the
    rate (and, with ``indicators``, indicator) columns of these ids (:func:`lexicon_columns`)."""
    if known is not None:
        parts = [known]
    else:  # the table of texts only to score them (a text column of a chunk's documents)
        corpus = pd.DataFrame({"doc_id": list(uniq), "text": list(uniq.values())})
        parts = _rate_parts(zip(schemes, scores_each(corpus, list(schemes), "document"), strict=True))
        if indicators:
            parts += _indicator_parts(indicator_answers(corpus))
    if indicators:
        texts_u = list(uniq.values())
        parts.append(style_features(texts_u).set_index(pd.Index(list(uniq), name="doc_id")))
        if known is None or not any(c.startswith("peak:") for c in known.columns):
            parts.append(sentence_peak_features(texts_u).set_index(pd.Index(list(uniq), name="doc_id")))
    return pd.concat(parts, axis=1).reindex(list(uniq)).fillna(0.0)


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
    kinds = _emotive_kinds()
    rows = []
    for t in texts:
        t = t if isinstance(t, str) else ""
        toks = _plain_tokens(t)  # tokenize(t)'s tokens
        n = max(len(toks), 1)
        # the tokens in any of the word sets, as their sets' bits (one C-level map), then per set
        hits = Counter(filter(None, map(kinds.get, toks)))
        strong = negative = positive = 0
        for bits, c in hits.items():
            strong += c if bits & 1 else 0
            negative += c if bits & 2 else 0
            positive += c if bits & 4 else 0
        rows.append([1000 * c / n for c in (*_count_row(t), strong, negative, positive)])
    if not rows:
        return pd.DataFrame(rows)
    return pd.DataFrame(np.array(rows, dtype=float), columns=_STYLE_COLUMNS)


_STYLE_COLUMNS = [*(f"style:{k}" for k in _STYLE_PATTERNS),
                  "style:emotive_strong", "style:emotive_negative", "style:emotive_positive"]


@lru_cache(maxsize=1)
def _emotive_kinds() -> dict[str, int]:
    """Each word of any :func:`_emotive_words` set: 1 if strong, + 2 if negative, + 4 if
    positive (never 0: a word of the union is negative or positive)."""
    strong, negative, positive, emotive = _emotive_words()
    return {w: (w in strong) | (w in negative) << 1 | (w in positive) << 2 for w in emotive}


@lru_cache(maxsize=1)
def _emotive_words() -> tuple[frozenset, frozenset, frozenset, frozenset]:
    """The VADER words (:func:`_vader_lexicon`) with |valence| >= 2, valence <= -1, >= 1, and
    the union of the three (|valence| >= 1: the first set lies inside it)."""
    lex = _vader_lexicon()
    return (frozenset(w for w, v in lex.items() if abs(v) >= 2),
            frozenset(w for w, v in lex.items() if v <= -1),
            frozenset(w for w, v in lex.items() if v >= 1),
            frozenset(w for w, v in lex.items() if abs(v) >= 1))


def sentence_peak_features(texts, scheme: str = "generic") -> pd.DataFrame:
    """Where in a text a frame concentrates: per frame, the most matches in one sentence
    (``peak:<frame>``) and the share of sentences with at least two matches (``dense:<frame>``);
    a personal vignette or a moral aside is local, so document rates dilute it.

    The counts are :func:`frame_scores`' ``n_matches`` at sentence level (negated matches left
    out), taken straight from the matcher: no score table per sentence and frame is built."""
    ids = [str(i) for i in range(len(texts))]
    texts = ["" if not isinstance(t, str) else t for t in texts]
    d = as_dictionary(scheme)
    frames = sorted(d.categories)  # the column order a groupby + unstack gives
    spans = [sentence_spans(t) for t in texts]  # the sentence units of each text
    if not any(spans):  # no sentence anywhere: every column, all zero (names never depend on the batch)
        cols = [f"peak:{f}" for f in d.categories] + [f"dense:{f}" for f in d.categories]
        return pd.DataFrame(0.0, index=range(len(texts)), columns=cols)
    has = [i for i, sp in enumerate(spans) if sp]  # texts without a sentence are filled with 0.0
    per = [document_peaks(texts[i], scheme, spans[i]) for i in has]
    docs = [ids[i] for i in has]
    agg = pd.concat(
        [pd.DataFrame([p for _, p, _ in per], index=docs, columns=[f"peak:{f}" for f in frames]),
         pd.DataFrame([x for _, _, x in per], index=docs, columns=[f"dense:{f}" for f in frames])], axis=1)
    return agg.reindex(ids).fillna(0.0).reset_index(drop=True)


class FeatureStack:
    """tf-idf words + scaled dictionary features, stacked (fit on training texts only)."""

    def __init__(
        self,
        use_words=True,
        use_lexicon=True,
        lexicon_weight=0.3,
        ngram_range=(1, 1),
        min_df=2,
        schemes=("generic", "policy", "territorial"),
    ):
        self.use_words, self.use_lexicon = use_words, use_lexicon
        self.lexicon_weight, self.schemes = lexicon_weight, tuple(schemes)
        self.vec = (
            TfidfVectorizer(
                sublinear_tf=True,
                ngram_range=ngram_range,
                min_df=min_df,
                stop_words="english",
                max_features=50_000,
                token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b",
            )
            if use_words
            else None
        )

    def fit_transform(self, texts):
        mats = []
        if self.use_words:
            try:
                mats.append(self.vec.fit_transform(texts))
            except ValueError:  # tiny samples: min_df leaves no words
                self.vec.set_params(min_df=1)
                mats.append(self.vec.fit_transform(texts))
        if self.use_lexicon:
            lex = lexicon_features(texts, self.schemes)
            self.lex_names = list(lex.columns)
            x = np.log1p(lex.to_numpy())
            self.mu, self.sd = x.mean(0), x.std(0) + 1e-6
            mats.append(sparse.csr_matrix(self.lexicon_weight * (x - self.mu) / self.sd))
        return sparse.hstack(mats).tocsr()

    def transform(self, texts, known: pd.DataFrame | None = None):
        """The stacked features of ``texts``; ``known``: see :func:`lexicon_features`."""
        mats = []
        if self.use_words:
            mats.append(self.vec.transform(texts))
        if self.use_lexicon:
            # by name, so a feature table computed in another order or batch lines up
            lex = lexicon_features(texts, self.schemes, known=known).reindex(
                columns=self.lex_names, fill_value=0.0
            )
            x = np.log1p(lex.to_numpy())
            mats.append(sparse.csr_matrix(self.lexicon_weight * (x - self.mu) / self.sd))
        return sparse.hstack(mats).tocsr()

    def to_arrays(self, prefix: str) -> tuple[dict[str, np.ndarray], dict]:
        """The fitted stack as arrays (tf-idf vocabulary and idf, dictionary-feature names, the
        scaler's means and spreads) and JSON-ready settings; :meth:`from_arrays` rebuilds it."""
        params = {
            "use_words": self.use_words,
            "use_lexicon": self.use_lexicon,
            "lexicon_weight": self.lexicon_weight,
            "schemes": list(self.schemes),
        }
        arrays: dict[str, np.ndarray] = {}
        if self.use_words:
            vec_arrays, params["tfidf"] = artifacts.tfidf_to_arrays(self.vec, f"{prefix}.tfidf")
            arrays |= vec_arrays
        if self.use_lexicon:
            arrays |= {
                f"{prefix}.lex.names": np.asarray(self.lex_names, dtype=str),
                f"{prefix}.lex.mean": self.mu,
                f"{prefix}.lex.sd": self.sd,
            }
        return arrays, params

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str, params: dict) -> FeatureStack:
        """Rebuild a stack saved with :meth:`to_arrays`; it transforms exactly as the saved one."""
        stack = cls(
            params["use_words"],
            params["use_lexicon"],
            params["lexicon_weight"],
            schemes=tuple(params["schemes"]),
        )
        if stack.use_words:
            stack.vec = artifacts.tfidf_from_arrays(arrays, f"{prefix}.tfidf", params["tfidf"])
        if stack.use_lexicon:
            stack.lex_names = arrays[f"{prefix}.lex.names"].tolist()
            stack.mu = np.asarray(arrays[f"{prefix}.lex.mean"], dtype=float)
            stack.sd = np.asarray(arrays[f"{prefix}.lex.sd"], dtype=float)
        return stack

    def missing_features(self) -> list[str]:
        """Dictionary features the model knows but today's dictionaries no longer produce (a
        category renamed or removed since training: such a feature is read as 0)."""
        if not self.use_lexicon:
            return []
        have = set(lexicon_features(["A test."], self.schemes).columns)
        return [n for n in self.lex_names if n not in have]

    def names(self) -> list[str]:
        out = []
        if self.use_words:
            out += [f"word:{w}" for w in self.vec.get_feature_names_out()]
        if self.use_lexicon:
            out += [f"dict:{n}" for n in self.lex_names]
        return out
