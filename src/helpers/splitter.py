"""The sentence splitter: nltk's Punkt algorithm with the project's abbreviation list
(``resources/abbreviations.txt``) instead of the downloadable ``punkt`` model, its fast paths,
and the corpus's store of sentence spans.

``_FastPunkt`` gives nltk's decisions (the same spans as ``PunktSentenceTokenizer``) with the
standard ``re`` where the two regular-expression engines agree, memoised break contexts and
paragraphs; :class:`SentenceSpans` holds every paragraph's spans of a corpus (built by the
loader, read by each notebook kernel). :mod:`helpers.text` builds paragraphs, sentences and
tokens on it and re-exports its public names.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from array import array
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from nltk.tokenize.punkt import (
    PunktLanguageVars,
    PunktParameters,
    PunktSentenceTokenizer,
    PunktToken,
    PunktTrainer,
)

from .config import RESOURCES


def load_abbreviations(path=None) -> set[str]:
    """Abbreviations from the project's list (or ``path``): lower-case, without final period."""
    path = path or RESOURCES / "abbreviations.txt"
    with open(path, encoding="utf-8") as fh:
        return {ln.strip().lower().rstrip(".") for ln in fh if ln.strip() and not ln.startswith("#")}


class _FastPunkt(PunktSentenceTokenizer):
    """Punkt with nltk's decisions, faster: the same spans as ``PunktSentenceTokenizer``.

    Two of nltk's steps are replaced by equivalents: whether a candidate break (the word before
    a period and the token after it, e.g. ``"officials. They"``) is a sentence break depends on
    that short context alone, so the answer is remembered per context (news text repeats them);
    and the last whitespace before a candidate is found with ``str.rfind`` instead of a loop over
    characters in Python. :meth:`paragraph_sentences` remembers each paragraph's spans.
    """

    #: Contexts remembered (the memo is emptied when full: bounded memory at any corpus size).
    MEMO_SIZE = 200_000

    #: paragraphs whose sentence spans are kept (about 0.5 KB each: a digest and an int array)
    SPANS_MEMO_SIZE = 2_000_000

    def __init__(self, params: PunktParameters):
        super().__init__(params)
        self._breaks: dict[str, bool] = {}
        self._spans: dict[bytes, array] = {}
        self._store: SentenceSpans | None = None
        self._std: tuple[re.Pattern, re.Pattern, re.Pattern] | None = None

    def paragraph_sentences(self, para: str) -> list[tuple[int, int]]:
        """``list(span_tokenize(para))``, remembered per paragraph (a 128-bit BLAKE2 digest, not
        the text) for the life of the process, so the steps that split the same documents
        (units, attributions, naming, frame features) split each paragraph once; paragraphs of a
        :class:`SentenceSpans` given to :func:`use_sentence_spans` are not split at all."""
        key = _digest(para)
        known = self._known(key)
        if known is None:
            known = list(self.span_tokenize(para))
            if len(self._spans) >= self.SPANS_MEMO_SIZE:
                self._spans.clear()
            self._spans[key] = array("i", itertools.chain.from_iterable(known))
        return known

    def _known(self, key: bytes) -> list[tuple[int, int]] | None:
        """The spans of the paragraph with digest ``key`` from the memo or the store, else ``None``."""
        flat = self._spans.get(key)
        if flat is not None:
            return list(zip(flat[::2], flat[1::2], strict=True))
        return self._store.get(key) if self._store is not None else None

    def text_contains_sentbreak(self, text: str) -> bool:
        """In: a candidate context; out: nltk's answer, computed once per distinct context."""
        hit = self._breaks.get(text)
        if hit is None:
            if len(self._breaks) >= self.MEMO_SIZE:
                self._breaks.clear()
            hit = self._breaks[text] = super().text_contains_sentbreak(text)
        return hit

    def _tokenize_words(self, plaintext: str):
        """nltk's word tokens of ``plaintext`` (a candidate's context), with its word pattern and
        its tokens' property patterns compiled by the standard ``re`` (:class:`_StdPunktToken`)
        when the text holds only characters on which ``re`` and nltk's ``regex`` engine agree
        (:data:`_ENGINES_DIFFER`; ~50 us a call less); else nltk's own."""
        if (self._Token is not PunktToken or type(self._lang_vars) is not PunktLanguageVars
                or _ENGINES_DIFFER.search(plaintext)):
            return super()._tokenize_words(plaintext)
        words = self._std_patterns()[2].findall
        tokens, parastart = [], False
        for line in plaintext.split("\n"):  # nltk's loop, as a list
            if not line.strip():
                parastart = True
                continue
            found = words(line)
            if found:
                tokens.append(_StdPunktToken(found[0], parastart=parastart, linestart=True))
                parastart = False
                tokens.extend(map(_StdPunktToken, found[1:]))
        return iter(tokens)

    def _get_last_whitespace_index(self, text: str) -> int:
        """Index of the last ``string.whitespace`` character (0 when there is none), as nltk's loop."""
        return max(0, *map(text.rfind, " \t\n\r\x0b\x0c"))

    def _period_context(self, text: str):
        """nltk's candidate-break pattern, compiled by the standard ``re`` (nltk >= 3.10 runs it
        through the ``regex`` engine behind a timeout guard: ~4x slower here). The pattern uses
        only literal characters, ``\\s`` and ``\\S``, on which the two engines agree except
        for the four separators U+001C-U+001F (``str.isspace`` says yes, Unicode no): a text
        holding one gets nltk's own pattern."""
        return self._lang_vars.period_context_re() if _SEPARATORS.search(text) else self._std_patterns()[0]

    def _std_patterns(self) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
        """nltk's candidate-break, realignment and word patterns compiled by the standard ``re``, once."""
        if self._std is None:
            lv = self._lang_vars
            self._std = (re.compile(lv.period_context_re().pattern, re.UNICODE | re.VERBOSE),
                         re.compile(lv.re_boundary_realignment.pattern, re.MULTILINE),
                         re.compile(lv._word_tokenizer_re().pattern, re.UNICODE | re.VERBOSE))
        return self._std

    def span_tokenize(self, text: str, realign_boundaries: bool = True):
        """nltk's spans: its ``_match_potential_end_contexts``, ``_slices_from_text`` and
        ``_realign_boundaries`` in one loop (no generator per step; the realignment pattern, which
        must start with one of :data:`_REALIGN_FIRST`, is tried only where a sentence does).

        nltk's context of a candidate, ``text[word_start:start] + match.group() +
        match.group("after_tok")``, is one slice (the three pieces are adjacent); the last white
        space before a candidate is found by ``str.rfind`` within bounds (only " " when the text
        holds no other :data:`string.whitespace`); a text without candidates is one sentence."""
        if not realign_boundaries or type(self._lang_vars) is not PunktLanguageVars:
            return super().span_tokenize(text, realign_boundaries)
        if _SEPARATORS.search(text):  # the realignment pattern too holds only literals and \s
            period, rx = self._lang_vars.period_context_re(), self._lang_vars.re_boundary_realignment
        else:
            period, rx = self._std_patterns()[:2]
        matches = period.finditer(text)
        prev = next(matches, None)
        if prev is None:  # no candidate break: nltk's one slice, realigned with nothing
            end = len(text.rstrip())
            return iter([(0, end)] if end else [])
        cuts, last_break, p_start, p_stop = [], 0, 0, prev.start()
        only_spaces = _OTHER_WHITESPACE.search(text) is None
        breaks, decide = self._breaks, self.text_contains_sentbreak
        q = text.rfind(" ", 0, p_stop) if only_spaces else max(text.rfind(c, 0, p_stop) for c in _WHITESPACE)
        p_start = q + 1 if q > 0 else 0
        for match in itertools.chain(matches, (None,)):
            if match is not None:
                start = match.start()
                q = (text.rfind(" ", p_stop, start) if only_spaces
                     else max(text.rfind(c, p_stop, start) for c in _WHITESPACE))
                at = q + 1 if q > p_stop else p_start
                if p_stop > at:  # the previous candidate's context overlaps this one's: nltk skips it
                    prev, p_start, p_stop = match, at, start
                    continue
            context = text[p_start:prev.end("after_tok")]
            hit = breaks.get(context)
            if hit is None:
                hit = decide(context)
            if hit:
                cuts.append((last_break, prev.end()))
                nxt = prev.start("next_tok")
                last_break = nxt if nxt >= 0 else prev.end()
            if match is not None:
                prev, p_start, p_stop = match, at, start
        cuts.append((last_break, len(text.rstrip())))
        spans, realign = [], 0
        for k, (s1, e1) in enumerate(cuts):
            s1 += realign
            s2, e2 = cuts[k + 1] if k + 1 < len(cuts) else (None, None)
            m = rx.match(text[s2:e2]) if s2 is not None and s2 < e2 and text[s2] in _REALIGN_FIRST else None
            if m:
                spans.append((s1, s2 + len(m.group(0).rstrip())))
            elif s1 < e1:  # text[s1:e1] is not empty (0 <= s1, e1 <= len(text))
                spans.append((s1, e1))
            realign = m.end() if m else 0
        return iter(spans)


def _digest(para: str) -> bytes:
    """The 128-bit BLAKE2 digest a paragraph's spans are remembered under."""
    return hashlib.blake2b(para.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def digest_keys(paras: Iterable[str]) -> np.ndarray:
    """The paragraphs' digests (:func:`_digest`) as rows of two uint64, as :class:`SentenceSpans` keys them."""
    joined = b"".join(map(_digest, paras))
    return np.frombuffer(joined, dtype="<u8").reshape(-1, 2) if joined else np.zeros((0, 2), dtype="<u8")


class SentenceSpans:
    """The default splitter's sentence spans of many paragraphs, in four arrays (~24 bytes a
    paragraph and 8 a sentence, against ~300 bytes a paragraph in the splitter's own memo).

    Built once per corpus by :func:`sentence_span_table` (the corpus loader does it, on all cores,
    and caches it beside the corpus); :func:`use_sentence_spans` hands it to the default splitter
    of a process (a notebook kernel), which then looks paragraphs up instead of splitting them.
    ``keys`` are the paragraphs' digests as two uint64 columns sorted by (``hi``, ``lo``); the
    spans of paragraph ``i`` are ``flat[2*offsets[i]:2*offsets[i+1]]`` (start, end pairs).
    """

    def __init__(self, hi: np.ndarray, lo: np.ndarray, offsets: np.ndarray, flat: np.ndarray):
        self.hi, self.lo = hi.astype(np.uint64), lo.astype(np.uint64)
        self.offsets, self.flat = offsets.astype(np.int64), flat.astype(np.int32)

    def __len__(self) -> int:
        return len(self.hi)

    def get(self, key: bytes) -> list[tuple[int, int]] | None:
        """The spans of the paragraph with digest ``key``, or ``None`` if it is not here."""
        hi, lo = np.uint64(int.from_bytes(key[:8], "little")), np.uint64(int.from_bytes(key[8:], "little"))
        i = int(self.hi.searchsorted(hi))
        n = len(self.hi)
        while i < n and self.hi[i] == hi:  # equal first halves: a 1-in-2^64 event, checked anyway
            if self.lo[i] == lo:
                flat = self.flat[2 * self.offsets[i]:2 * self.offsets[i + 1]].tolist()
                return list(zip(flat[::2], flat[1::2], strict=True))
            i += 1
        return None

    def find(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Many paragraphs looked up at once: ``keys`` are their digests as rows of two uint64
        (:func:`digest_keys`); returns whether each was found by one array search, and where
        (its position, meaningful where found). A paragraph whose first half-digest another
        paragraph shares may be reported missing: :meth:`get` walks those."""
        if not len(self) or not len(keys):
            return np.zeros(len(keys), dtype=bool), np.zeros(len(keys), dtype=np.int64)
        at = np.minimum(self.hi.searchsorted(keys[:, 0]), len(self) - 1)
        return (self.hi[at] == keys[:, 0]) & (self.lo[at] == keys[:, 1]), at

    def spans_at(self, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The number of sentences of each paragraph at positions ``at`` (from :meth:`find`) and all
        their (start, end) spans, paragraph after paragraph, as an (m, 2) int32 array."""
        n = self.offsets[at + 1] - self.offsets[at]
        first = np.repeat(self.offsets[at] - (np.cumsum(n) - n), n) + np.arange(int(n.sum()))
        return n, self.flat.reshape(-1, 2)[first]

    def frame(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """As two tables (Parquet-ready): ``hi``/``lo``/``n`` per paragraph, ``start``/``end`` per sentence."""
        return (pd.DataFrame({"hi": self.hi, "lo": self.lo, "n": np.diff(self.offsets)}),
                pd.DataFrame({"start": self.flat[0::2], "end": self.flat[1::2]}))

    @classmethod
    def from_frames(cls, keys: pd.DataFrame, spans: pd.DataFrame) -> SentenceSpans:
        """The inverse of :meth:`frame`."""
        flat = np.empty(2 * len(spans), dtype=np.int32)
        flat[0::2], flat[1::2] = spans["start"].to_numpy(), spans["end"].to_numpy()
        offsets = np.concatenate([[0], np.cumsum(keys["n"].to_numpy(dtype=np.int64))])
        return cls(keys["hi"].to_numpy(), keys["lo"].to_numpy(), offsets, flat)

    @classmethod
    def merge(cls, parts: Sequence[SentenceSpans]) -> SentenceSpans:
        """One store of several (each paragraph once, sorted by digest)."""
        parts = [p for p in parts if len(p)]
        if not parts:
            return cls(*(np.zeros(0, dtype=t) for t in (np.uint64, np.uint64)), np.zeros(1), np.zeros(0))
        hi = np.concatenate([p.hi for p in parts])
        lo = np.concatenate([p.lo for p in parts])
        counts = np.concatenate([np.diff(p.offsets) for p in parts])
        starts = np.concatenate([p.offsets[:-1] + base for p, base in
                                 zip(parts, np.cumsum([0] + [p.offsets[-1] for p in parts[:-1]]), strict=True)])
        flat = np.concatenate([p.flat for p in parts])
        order = np.lexsort((lo, hi))
        hi, lo = hi[order], lo[order]
        keep = np.ones(len(hi), dtype=bool)
        keep[1:] = (hi[1:] != hi[:-1]) | (lo[1:] != lo[:-1])
        order = order[keep]
        counts, starts = counts[order], starts[order]
        pairs = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts) + np.arange(counts.sum())
        take = np.stack([2 * pairs, 2 * pairs + 1], axis=1).ravel()
        return cls(hi[keep], lo[keep], np.concatenate([[0], np.cumsum(counts)]), flat[take])


#: Set by :func:`use_sentence_spans` for the worker processes this process starts: the folder
#: of the cached spans, which their default splitter then reads (internal; not a user setting).
SPANS_ENV = "COVERAGE_LAB_SENTENCE_SPANS"
SPAN_TABLES = ("paragraph_keys", "sentence_spans")


def use_sentence_spans(store: SentenceSpans | None, folder: str | os.PathLike | None = None) -> None:
    """Give the default splitter of this process a :class:`SentenceSpans` (``None``: take it away).

    The spans must be the default splitter's (:func:`sentence_span_table` makes them so); the
    corpus cache keys them by the package's code, so a changed splitter never sees old spans.
    ``folder``: where they are cached (:data:`SPAN_TABLES` as Parquet parts); worker processes
    started later by this one read them from there.
    """
    _default_splitter()._store = store
    if store is not None and folder is not None:
        os.environ[SPANS_ENV] = str(folder)
    else:
        os.environ.pop(SPANS_ENV, None)


def read_sentence_spans(folder: str | os.PathLike) -> SentenceSpans | None:
    """The :class:`SentenceSpans` cached in ``folder``, or ``None`` if absent or unreadable."""
    from .compute import read_table

    frames = read_table(Path(folder), SPAN_TABLES)
    return SentenceSpans.from_frames(*(frames[n] for n in SPAN_TABLES)) if frames else None


#: Where ``re`` and nltk's ``regex`` engine disagree on ``\s`` (see ``_FastPunkt._period_context``).
_SEPARATORS = re.compile("[\x1c-\x1f]")
#: nltk's white space before a candidate (``string.whitespace``), and all of it but " ".
_WHITESPACE = " \t\n\r\x0b\x0c"
_OTHER_WHITESPACE = re.compile("[\t\n\r\x0b\x0c]")
#: Characters outside the ranges where ``re`` and ``regex`` agree on ``\w``, ``\d`` and ``\s``
#: (ASCII but U+001C-U+001F, Latin, Greek, Cyrillic, general punctuation but three joiners,
#: currency signs); a test checks every character in the ranges.
_ENGINES_DIFFER = re.compile("[^\x00-\x1b\x20-\xb1\xb4-\xb8\xba\xbb\xbf-\u02ff\u0370-\u0482"
                             "\u2000-\u200b\u200e-\u203e\u2041-\u2053\u2055-\u206f\u20a0-\u20cf]")


class _StdPunktToken(PunktToken):
    """nltk's Punkt token with its property patterns compiled by the standard ``re``: for texts
    without :data:`_ENGINES_DIFFER` characters only (see ``_FastPunkt._tokenize_words``)."""

    __slots__ = ()
    _RE_ELLIPSIS = re.compile(PunktToken._RE_ELLIPSIS.pattern)
    _RE_NUMERIC = re.compile(PunktToken._RE_NUMERIC.pattern)
    _RE_INITIAL = re.compile(PunktToken._RE_INITIAL.pattern, re.UNICODE)
    _RE_ALPHA = re.compile(PunktToken._RE_ALPHA.pattern, re.UNICODE)
    _RE_NON_PUNCT = re.compile(r"[^\W\d]", re.UNICODE)  # nltk's module-level _re_non_punct

    def __init__(self, tok: str, parastart=None, linestart=None):
        """nltk's ``__init__`` for the two settings ``_tokenize_words`` gives (the other three
        properties start as ``None``), without its loops over names."""
        self.tok, self.type, self.period_final = tok, self._RE_NUMERIC.sub("##number##", tok.lower()), tok.endswith(".")
        self.parastart, self.linestart, self.sentbreak, self.abbr, self.ellipsis = parastart, linestart, None, None, None

    @property
    def is_non_punct(self):
        return self._RE_NON_PUNCT.search(self.type)

#: The characters nltk's ``re_boundary_realignment`` can start with (a test checks the pattern).
_REALIGN_FIRST = frozenset("\"')]}\u2018\u2019\u201c\u201d\xab\xbb")


@lru_cache(maxsize=1)
def _default_splitter() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = load_abbreviations()
    splitter = _FastPunkt(params)
    if folder := os.environ.get(SPANS_ENV):  # a worker of a process that has the corpus's spans
        splitter._store = read_sentence_spans(folder)
    return splitter


def sentence_splitter(train_texts: Iterable[str] | None = None) -> PunktSentenceTokenizer:
    """A Punkt sentence splitter: the project's abbreviations, optionally trained on texts.

    Training learns extra abbreviations, collocations and sentence starters from the corpus
    itself (deterministic for the same texts); the shipped abbreviations are always kept.
    """
    if train_texts is None:
        return _default_splitter()
    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    trainer.train("\n\n".join(train_texts), finalize=True)
    params = trainer.get_params()
    params.abbrev_types |= load_abbreviations()
    return _FastPunkt(params)
