"""Text basics: paragraphs, sentences, tokens, stop words, n-grams, KWIC and collocations.

Everything here works offline. Sentences come from nltk's Punkt algorithm with an abbreviation
list the project ships (``resources/abbreviations.txt``) instead of the downloadable
``punkt`` model; ``sentence_splitter(train_texts=...)`` can additionally learn abbreviations
and collocations from a corpus.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTrainer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .config import RESOURCES

#: English stop words (scikit-learn's list, the same one the topic models use) plus
#: contraction fragments that the tokenizer produces.
STOP_WORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | {"s", "t", "don", "doesn", "didn", "isn",
                                                                "wasn", "aren", "won", "ll", "ve", "re"}

_WORD = r"[^\W\d_]+(?:['’\-][^\W\d_]+)*"
_NUMBER = r"\d+(?:[.,]\d+)*%?"
_TOKEN_RE = re.compile(_WORD)
_TOKEN_NUM_RE = re.compile(f"{_WORD}|{_NUMBER}")
_PARA_RE = re.compile(r"\n[ \t]*\n\s*")


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
    characters in Python.
    """

    #: Contexts remembered (the memo is emptied when full: bounded memory at any corpus size).
    MEMO_SIZE = 200_000

    def __init__(self, params: PunktParameters):
        super().__init__(params)
        self._breaks: dict[str, bool] = {}

    def text_contains_sentbreak(self, text: str) -> bool:
        """In: a candidate context; out: nltk's answer, computed once per distinct context."""
        hit = self._breaks.get(text)
        if hit is None:
            if len(self._breaks) >= self.MEMO_SIZE:
                self._breaks.clear()
            hit = self._breaks[text] = super().text_contains_sentbreak(text)
        return hit

    def _get_last_whitespace_index(self, text: str) -> int:
        """Index of the last ``string.whitespace`` character (0 when there is none), as nltk's loop."""
        return max(0, *map(text.rfind, " \t\n\r\x0b\x0c"))


@lru_cache(maxsize=1)
def _default_splitter() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = load_abbreviations()
    return _FastPunkt(params)


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


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of paragraphs: blocks separated by blank lines.

    Text with no blank line but several lines (one paragraph per line, as many scrapes come)
    is split at single line breaks instead. Leading/trailing whitespace is excluded.

    >>> paragraph_spans("One.\\n\\nTwo.")
    [(0, 4), (6, 10)]
    """
    if not text or not text.strip():
        return []
    splitter = _PARA_RE if _PARA_RE.search(text) else re.compile(r"\n\s*")
    spans, pos = [], 0
    for m in splitter.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        chunk = text[s:e]
        stripped = chunk.strip()
        if stripped:
            s2 = s + (len(chunk) - len(chunk.lstrip()))
            out.append((s2, s2 + len(stripped)))
    return out


def sentence_spans(text: str, splitter: PunktSentenceTokenizer | None = None) -> list[tuple[int, int]]:
    """Character spans of sentences; sentences never cross paragraph boundaries.

    >>> [ "Mr. Abe met U.S. officials. They talked."[s:e] for s, e in sentence_spans("Mr. Abe met U.S. officials. They talked.")]
    ['Mr. Abe met U.S. officials.', 'They talked.']
    """
    splitter = splitter or _default_splitter()
    out = []
    for ps, pe in paragraph_spans(text):
        para = text[ps:pe]
        for s, e in splitter.span_tokenize(para):
            out.append((ps + s, ps + e))
    return out


def split_sentences(text: str, splitter: PunktSentenceTokenizer | None = None) -> list[str]:
    """The sentences of ``text`` as strings (see :func:`sentence_spans`)."""
    return [text[s:e] for s, e in sentence_spans(text, splitter)]


def token_spans(text: str, keep_numbers: bool = False) -> list[tuple[int, int]]:
    """Character spans of word tokens (letters with inner hyphens/apostrophes; numbers optional)."""
    rx = _TOKEN_NUM_RE if keep_numbers else _TOKEN_RE
    return [m.span() for m in rx.finditer(text)]


_POSSESSIVE_ENDINGS = ("'s", "’s", "'S", "’S")
_LETTER_RE = re.compile(r"[^\W\d_]")
_DIGIT_RE = re.compile(r"\d")
#: Characters known to lower-case in place (see :func:`_lowers_tokenwise`); grows as texts are seen.
_LOWER_SAFE: set[str] = {chr(i) for i in range(128)}


def _token_part(ch: str) -> str:
    """The part a character plays in :data:`_TOKEN_NUM_RE`: letter, digit, itself (joiners and
    number marks) or none ("")."""
    if _LETTER_RE.fullmatch(ch):
        return "letter"
    if _DIGIT_RE.fullmatch(ch):
        return "digit"
    return ch if ch in "'’-.,%" else ""


def _lower_safe(ch: str) -> bool:
    """True if ``ch.lower()`` is one character playing the same part as ``ch``, whatever surrounds it
    (not the Greek capital sigma, whose lower case depends on the next letter)."""
    low = ch.lower()
    return low == ch or (ch != "\u03a3" and len(low) == 1 and _token_part(low) == _token_part(ch))


def _lowers_tokenwise(text: str) -> bool:
    """True if lower-casing ``text`` first gives the same tokens as lower-casing each token.

    That holds unless a character's lower case changes length, class (letter, digit, joiner) or
    context (Greek capital sigma); checked per distinct character, remembered for safe ones.
    """
    new = set(text) - _LOWER_SAFE
    if not new:
        return True
    for ch in new:
        if not _lower_safe(ch):
            return False
        _LOWER_SAFE.add(ch)
    return True


def tokenize(text: str, lower: bool = True, keep_numbers: bool = False,
             stop_words: Iterable[str] | None = None, possessive: bool = False) -> list[str]:
    """Word tokens of ``text``; with ``stop_words`` (e.g. ``STOP_WORDS``) those are removed.

    The possessive ``'s`` is split off (dropped) so "NATO's" counts as "nato", unless
    ``possessive=True`` keeps it.

    >>> tokenize("China's rising maritime power, 2,000 men.")
    ['china', 'rising', 'maritime', 'power', 'men']
    """
    rx = _TOKEN_NUM_RE if keep_numbers else _TOKEN_RE
    lowered = lower and _lowers_tokenwise(text)
    if lowered:  # one C-level pass instead of one call per token; same tokens (see above)
        text = text.lower()
    toks = rx.findall(text)
    if not possessive and ("'" in text or "’" in text):
        toks = [t[:-2] if t.endswith(_POSSESSIVE_ENDINGS) else t for t in toks]
    if lower and not lowered:
        toks = [t.lower() for t in toks]
    if stop_words is not None:
        stop = stop_words if isinstance(stop_words, (set, frozenset)) else set(stop_words)
        # lower-cased tokens are their own lower case (str.lower is idempotent)
        toks = [t for t in toks if t not in stop] if lower else [t for t in toks if t.lower() not in stop]
    return toks


def ngrams(tokens: Sequence[str], n: int) -> list[tuple[str, ...]]:
    """Contiguous n-grams of a token list.

    >>> ngrams(["east", "china", "sea"], 2)
    [('east', 'china'), ('china', 'sea')]
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    return [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


LEVELS = ("document", "paragraph", "sentence")


def units(corpus: pd.DataFrame, level: str = "sentence",
          splitter: PunktSentenceTokenizer | None = None) -> pd.DataFrame:
    """Split documents into units so every measure can run at any level.

    In: a corpus with ``doc_id`` and ``text``. Out, one row per unit in document order:
    ``unit_id`` (``<doc_id>:d``, ``:p<i>`` or ``:s<i>``), ``doc_id``, ``level``, ``position``
    (0-based within the document), ``paragraph`` (0-based paragraph index), ``start``/``end``
    (character offsets into the document text) and ``text``. Join back on ``doc_id`` for
    outlet, date or title. Empty documents produce no units. Document-separable (each
    document's rows depend on that document alone), so it can run through
    :func:`helpers.compute.map_documents`.

    >>> units(pd.DataFrame({"doc_id": ["a"], "text": ["One. Two.\\n\\nThree."]}), "sentence").text.tolist()
    ['One.', 'Two.', 'Three.']
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    missing = {"doc_id", "text"} - set(corpus.columns)
    if missing:
        raise ValueError(f"units() needs the columns {sorted(missing)} (got {list(corpus.columns)})")
    split = _ParagraphSentences(splitter or _default_splitter())
    doc_ids, spans, texts = [], [], []  # spans: (position, paragraph, start, end)
    for doc_id, text in zip(corpus["doc_id"], corpus["text"], strict=True):
        text = text if isinstance(text, str) else ""
        if level == "document":
            found = [(0, 0, 0, len(text))] if text.strip() else []
        elif level == "paragraph":
            found = [(p_i, p_i, ps, pe) for p_i, (ps, pe) in enumerate(paragraph_spans(text))]
        else:
            found = [(0, p_i, ps + s, ps + e) for p_i, (ps, pe) in enumerate(paragraph_spans(text))
                     for s, e in split(text[ps:pe])]
            found = [(i, p, s, e) for i, (_, p, s, e) in enumerate(found)]
        doc_ids += [doc_id] * len(found)
        spans += found
        texts += [text[s:e] for _, _, s, e in found]
    return _units_table(doc_ids, spans, texts, level)


class _ParagraphSentences:
    """Sentence spans of a paragraph, remembered per paragraph text within one :func:`units` call
    (reposts and boilerplate repeat whole paragraphs; the memo is bounded)."""

    MEMO_SIZE = 50_000

    def __init__(self, splitter: PunktSentenceTokenizer):
        self.splitter, self.memo = splitter, {}

    def __call__(self, para: str) -> list[tuple[int, int]]:
        """In: one paragraph; out: its sentence spans, as ``splitter.span_tokenize`` gives them."""
        spans = self.memo.get(para)
        if spans is None:
            spans = list(self.splitter.span_tokenize(para))
            if len(self.memo) < self.MEMO_SIZE:
                self.memo[para] = spans
        return spans


def _units_table(doc_ids: list, spans: list[tuple[int, int, int, int]], texts: list[str],
                 level: str) -> pd.DataFrame:
    """The units table from parallel lists: ids, (position, paragraph, start, end) and texts."""
    mark = {"document": "d", "paragraph": "p", "sentence": "s"}[level]
    cols = list(zip(*spans, strict=True)) if spans else [(), (), (), ()]
    ids = [f"{d}:d" for d in doc_ids] if level == "document" else [f"{d}:{mark}{p}" for d, p in
                                                                     zip(doc_ids, cols[0], strict=True)]
    out = pd.DataFrame({"unit_id": ids, "doc_id": doc_ids, "level": [level] * len(ids)})
    for name, values in zip(("position", "paragraph", "start", "end"), cols, strict=True):
        out[name] = pd.Series(values, dtype="int64") if len(values) else pd.Series([], dtype="int64")
    out["text"] = texts
    return out


def term_pattern(term: str) -> re.Pattern:
    """Regex for a dictionary-style term: case-insensitive, whole words, ``*`` as a glob,
    several words separated by any whitespace.

    >>> bool(term_pattern("secur*").search("Security council"))
    True
    """
    parts = []
    for word in term.strip().split():
        esc = re.escape(word).replace(r"\*", r"[\w'’\-]*")
        parts.append(esc)
    if not parts:
        raise ValueError("empty search term")
    return re.compile(r"(?<![\w])" + r"\s+".join(parts) + r"(?![\w])", re.IGNORECASE)


def kwic(table: pd.DataFrame, term: str, window: int = 8) -> pd.DataFrame:
    """Keyword in context: every match of ``term`` with ``window`` words either side.

    In: a corpus or units table (``doc_id``, ``text``; ``unit_id`` kept when present). ``term``
    may use ``*`` globs and several words. Out: ``doc_id``, ``unit_id``, ``start``, ``end``
    (offsets in that row's text), ``left``, ``match``, ``right``.
    """
    rx = term_pattern(term)
    rows = []
    has_unit = "unit_id" in table.columns
    for rec in table.itertuples(index=False):
        text = rec.text if isinstance(rec.text, str) else ""
        for m in rx.finditer(text):
            left_words = text[:m.start()].split()[-window:] if window else []
            right_words = text[m.end():].split()[:window] if window else []
            rows.append({"doc_id": rec.doc_id, "unit_id": rec.unit_id if has_unit else None,
                         "start": m.start(), "end": m.end(), "left": " ".join(left_words),
                         "match": m.group(0), "right": " ".join(right_words)})
    return pd.DataFrame(rows, columns=["doc_id", "unit_id", "start", "end", "left", "match", "right"])


def _is_sentence_table(table: pd.DataFrame) -> bool:
    """True for a sentence units table (from :func:`units`): its rows are sentences already."""
    return "level" in table.columns and len(table) > 0 and bool((table["level"] == "sentence").all())


def _sentence_tokens(table: pd.DataFrame, stop_words) -> Iterator[list[list[str]]]:
    """Per document of ``table``, the token lists of its sentences (stop words removed).

    A corpus's texts are split with :func:`split_sentences`; a sentence units table is not split
    again (its rows, grouped by consecutive ``doc_id``, are the sentences) — the same sentences,
    split once for the whole notebook.
    """
    if _is_sentence_table(table):
        for _, group in itertools.groupby(zip(table["doc_id"], table["text"], strict=True), key=lambda r: r[0]):
            yield [tokenize(t if isinstance(t, str) else "", stop_words=stop_words) for _, t in group]
        return
    for text in table["text"]:
        yield [tokenize(c, stop_words=stop_words) for c in split_sentences(text if isinstance(text, str) else "")]


def term_frequencies(table: pd.DataFrame, n: int = 1, stop_words: Iterable[str] | None = STOP_WORDS,
                     by: str | None = None, min_count: int = 1) -> pd.DataFrame:
    """Counts of n-grams (stop words removed before forming n-grams) overall or per group.

    In: a corpus, or for ``n > 1`` also a sentence units table from :func:`units` (counted per
    ``doc_id``; its sentences are not split again). Out: [``by``], ``term``, ``count``,
    ``docs`` (documents containing it), ``per_1000`` (per 1,000 tokens of the group), sorted by
    count then term for stable output.
    """
    groups = [(None, table)] if by is None else list(table.groupby(by, dropna=False, sort=True))
    stop = None if stop_words is None else frozenset(stop_words)
    parts = []
    for key, part in groups:
        counts, docs, total = Counter(), Counter(), 0
        if n == 1:
            per_doc = ([tokenize(t if isinstance(t, str) else "", stop_words=stop)] for t in part["text"])
        else:  # n-grams are formed within sentences: "... Asia. NHK ..." is no bigram
            per_doc = _sentence_tokens(part, stop)
        for sent_toks in per_doc:
            total += sum(map(len, sent_toks))
            grams = sent_toks[0] if n == 1 else [" ".join(g) for toks in sent_toks for g in ngrams(toks, n)]
            counts.update(grams)
            docs.update(set(grams))
        terms = [t for t, c in counts.items() if c >= min_count]
        c = np.array([counts[t] for t in terms], dtype=np.int64)
        frame = pd.DataFrame({"term": terms, "count": c,
                              "docs": np.array([docs[t] for t in terms], dtype=np.int64),
                              "per_1000": 1000 * c / max(total, 1)})
        if by is not None:
            frame.insert(0, by, [key] * len(frame))
        parts.append(frame)
    cols = ([by] if by else []) + ["term", "count", "docs", "per_1000"]
    out = pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)
    sort_cols = ([by] if by else []) + ["count", "term"]
    return out.sort_values(sort_cols, ascending=[True] * bool(by) + [False, True]).reset_index(drop=True)


def collocations(table: pd.DataFrame, min_count: int = 2, stop_words: Iterable[str] | None = STOP_WORDS,
                 top: int = 30) -> pd.DataFrame:
    """Two-word collocations ranked by Dunning's log-likelihood (G²), with PMI.

    Bigrams are counted within sentences of the ``text`` column after stop-word removal (so
    "Diaoyu Islands" is found but not "of the"). ``table`` is a corpus, or a sentence units
    table from :func:`units` whose sentences are used as they are (no second split). Out:
    ``bigram``, ``count``, ``g2``, ``pmi``.
    """
    uni, bi, n = Counter(), Counter(), 0
    stop = None if stop_words is None else frozenset(stop_words)
    for sent_toks in _sentence_tokens(table, stop):
        for toks in sent_toks:
            uni.update(toks)
            bi.update(zip(toks, toks[1:], strict=False))
            n += len(toks)
    pairs = [(pair, c) for pair, c in bi.items() if c >= min_count]
    cols = ["bigram", "count", "g2", "pmi"]
    if not pairs:
        return pd.DataFrame(columns=cols)
    c = np.array([k for _, k in pairs], dtype=np.int64)
    c1 = np.array([uni[w1] for (w1, _), _ in pairs], dtype=np.int64)
    c2 = np.array([uni[w2] for (_, w2), _ in pairs], dtype=np.int64)
    out = pd.DataFrame({"bigram": [f"{w1} {w2}" for (w1, w2), _ in pairs], "count": c,
                        "g2": _g2_2x2(c, c1, c2, n), "pmi": np.log2(c * n / (c1 * c2))})
    return out.sort_values(["g2", "bigram"], ascending=[False, True]).head(top).reset_index(drop=True)


def _g2_2x2(c: np.ndarray, c1: np.ndarray, c2: np.ndarray, n: int) -> np.ndarray:
    """Dunning's G² of each 2x2 table (pair count ``c``, word counts ``c1``/``c2``, ``n`` tokens):
    2 x the sum over cells of obs x log(obs / expected), cells with obs or expected 0 left out,
    summed in the cells' order as the scalar formula does."""
    obs = [c, c1 - c, c2 - c, n - c1 - c2 + c]
    exp = [c1 * c2 / n, c1 * (n - c2) / n, (n - c1) * c2 / n, (n - c1) * (n - c2) / n]
    total = np.zeros(len(c))
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(obs, exp, strict=True):
            total = total + np.where((o > 0) & (e > 0), o * np.log(o / e), 0.0)
    return 2 * total
