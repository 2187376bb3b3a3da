"""Text basics: paragraphs, sentences, tokens, stop words, n-grams and KWIC (term counts and
collocations: :mod:`helpers.textstats`).

Everything here works offline. Sentences come from nltk's Punkt algorithm with an abbreviation
list the project ships (``resources/abbreviations.txt``) instead of the downloadable
``punkt`` model (the splitter, its fast paths and the corpus's span store: :mod:`helpers.splitter`,
whose public names are importable from here too); ``sentence_splitter(train_texts=...)`` can
additionally learn abbreviations and collocations from a corpus.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from nltk.tokenize.punkt import PunktSentenceTokenizer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .splitter import (  # noqa: F401  (re-exported: every area imports the splitter from here)
    _ENGINES_DIFFER,
    _REALIGN_FIRST,
    _SEPARATORS,
    SPAN_TABLES,
    SPANS_ENV,
    SentenceSpans,
    _default_splitter,
    _digest,
    _FastPunkt,
    _StdPunktToken,
    digest_keys,
    load_abbreviations,
    read_sentence_spans,
    sentence_splitter,
    use_sentence_spans,
)

#: English stop words (scikit-learn's list, the same one the topic models use) plus
#: contraction fragments that the tokenizer produces.
STOP_WORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | {"s", "t", "don", "doesn", "didn", "isn",
                                                                "wasn", "aren", "won", "ll", "ve", "re"}

_WORD = r"[^\W\d_]+(?:['’\-][^\W\d_]+)*"
_NUMBER = r"\d+(?:[.,]\d+)*%?"
_TOKEN_RE = re.compile(_WORD)
_TOKEN_NUM_RE = re.compile(f"{_WORD}|{_NUMBER}")
_PARA_RE = re.compile(r"\n[ \t]*\n\s*")


def sentence_span_table(texts: Iterable[str]) -> SentenceSpans:
    """The default splitter's sentence spans of every paragraph (:func:`paragraph_spans`) of
    ``texts``, each distinct paragraph once: the same spans :func:`sentence_spans` gives.
    Each paragraph's digest is taken once, and the splitter's memo is not filled (the table
    holds the spans, and :func:`use_sentence_spans` gives them to the splitter)."""
    split = _default_splitter()
    seen: dict[bytes, list] = {}
    for text in texts:
        if not isinstance(text, str):
            continue
        for ps, pe in paragraph_spans(text):
            para = text[ps:pe]
            key = _digest(para)
            if key not in seen:
                known = split._known(key)
                seen[key] = list(split.span_tokenize(para)) if known is None else known
    keys = np.frombuffer(b"".join(seen), dtype="<u8").reshape(-1, 2) if seen else np.zeros((0, 2), "<u8")
    counts = np.fromiter(map(len, seen.values()), dtype=np.int64, count=len(seen))
    flat = np.fromiter(itertools.chain.from_iterable(itertools.chain.from_iterable(seen.values())),
                       dtype=np.int32, count=2 * int(counts.sum()))
    return SentenceSpans.merge([SentenceSpans(keys[:, 0], keys[:, 1], np.concatenate([[0], np.cumsum(counts)]),
                                              flat)])


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
    split = _ParagraphSentences(splitter or _default_splitter())
    out = []
    for ps, pe in paragraph_spans(text):
        for s, e in split(text[ps:pe]):
            out.append((ps + s, ps + e))
    return out


def sentence_spans_each(texts: list[str]) -> list[list[tuple[int, int]]]:
    """``[sentence_spans(t) for t in texts]``, the paragraphs' spans looked up together.

    With a :class:`SentenceSpans` in the default splitter (a notebook kernel of the
    report, :func:`use_sentence_spans`) every paragraph's digest is looked up in one
    array search and the spans gathered in one step, instead of one search per paragraph; a
    document with a paragraph the store lacks (or its first half-digest twice) is split by
    :func:`sentence_spans` as before. Without a store, ``sentence_spans`` each.
    """
    split = _default_splitter()
    store = split._store
    if store is None or not len(store) or not texts:
        return [sentence_spans(t) for t in texts]
    paras = [paragraph_spans(t) for t in texts]
    keys = digest_keys(t[ps:pe] for t, sp in zip(texts, paras, strict=True) for ps, pe in sp)
    out: list[list[tuple[int, int]]] = [[] for _ in texts]
    if not len(keys):
        return out
    found, at = store.find(keys)
    n_paras = np.fromiter(map(len, paras), dtype=np.int64, count=len(paras))
    doc = np.repeat(np.arange(len(texts)), n_paras)
    ok = np.ones(len(texts), dtype=bool)
    ok[doc[~found]] = False  # such a document is split as before
    take = ok[doc]
    at, doc = at[take], doc[take]
    para_start = np.fromiter((ps for sp in paras for ps, _ in sp), dtype=np.int64, count=len(keys))[take]
    counts, pairs = store.spans_at(at)
    shift = np.repeat(para_start, counts)
    starts = (pairs[:, 0] + shift).tolist()
    ends = (pairs[:, 1] + shift).tolist()
    spans = list(zip(starts, ends, strict=True))
    per_doc = np.bincount(np.repeat(doc, counts), minlength=len(texts)).tolist()
    pos = 0
    for i, n in enumerate(per_doc):
        if ok[i]:
            out[i] = spans[pos : pos + n]
            pos += n
        else:
            out[i] = sentence_spans(texts[i])
    return out


def split_sentences(text: str, splitter: PunktSentenceTokenizer | None = None) -> list[str]:
    """The sentences of ``text`` as strings (see :func:`sentence_spans`)."""
    return [text[s:e] for s, e in sentence_spans(text, splitter)]


def token_spans(text: str, keep_numbers: bool = False) -> list[tuple[int, int]]:
    """Character spans of word tokens (letters with inner hyphens/apostrophes; numbers optional)."""
    rx = _TOKEN_NUM_RE if keep_numbers else _TOKEN_RE
    return [m.span() for m in rx.finditer(text)]


_POSSESSIVE_ENDINGS = ("'s", "’s", "'S", "’S")
#: An apostrophe-s that ends a word token (the letter before it is part of the same token), as
#: deleted by the possessive rule; see :func:`tokenize`.
_POSSESSIVE_RE = re.compile(r"['’](?<=[^\W\d_]['’])[sS](?![^\W\d_]|['’\-][^\W\d_])")
#: The characters whose lower case is not one character playing the same part in a token (letter,
#: digit, joiner or number mark) whatever surrounds it: capital I with dot (two characters) and
#: capital sigma (final or not depends on the next letter). A test derives this list from every
#: code point of the running Python.
_LOWER_UNSAFE = ("\u0130", "\u03a3")


def _lowers_tokenwise(text: str) -> bool:
    """True if lower-casing ``text`` first gives the same tokens as lower-casing each token: the
    text holds none of :data:`_LOWER_UNSAFE`."""
    return not any(ch in text for ch in _LOWER_UNSAFE)


#: Non-ASCII characters common in news text that are no letter, digit or underscore and are their
#: own lower case (a test checks each): in a text of ASCII and these only, the token patterns'
#: Unicode classes match exactly the ASCII letters and digits, so :func:`_plain_tokens` can use
#: ASCII classes, which the regex engine tests faster.
_PLAIN_EXTRA = "\u2019\u2018\u201c\u201d\u2014\u2013\u2015\u2026\u00a3\u00b0\u2022\u20ac\u2212\u2033\u200b\u02da\u00a0"
_NOT_PLAIN_RE = re.compile(f"[^\\x00-\\x7f{_PLAIN_EXTRA}]")
_ASCII_WORD = r"[a-z]+(?:['’\-][a-z]+)*"
_ASCII_TOKEN_RE = re.compile(_ASCII_WORD)
_ASCII_TOKEN_NUM_RE = re.compile(f"{_ASCII_WORD}|[0-9]+(?:[.,][0-9]+)*%?")


def _plain_tokens(text: str, keep_numbers: bool = False) -> list[str]:
    """``tokenize(text, keep_numbers=keep_numbers)``: the same tokens, by ASCII character classes
    when the text holds only ASCII and :data:`_PLAIN_EXTRA` (lower-cased, it then holds no upper
    case letter, so ``[a-z]`` are its letters)."""
    if _NOT_PLAIN_RE.search(text):
        return tokenize(text, keep_numbers=keep_numbers)
    text = text.lower()
    if "'s" in text or "’s" in text:
        text = _POSSESSIVE_RE.sub("", text)
    return (_ASCII_TOKEN_NUM_RE if keep_numbers else _ASCII_TOKEN_RE).findall(text)


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
    if not possessive and lowered and ("'s" in text or "’s" in text):
        toks = rx.findall(_POSSESSIVE_RE.sub("", text))  # deleting the final 's = stripping it per token
    else:
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
    (reposts and boilerplate repeat whole paragraphs; the memo is bounded); the project's
    splitters also remember them across calls (:meth:`_FastPunkt.paragraph_sentences`)."""

    MEMO_SIZE = 50_000

    def __init__(self, splitter: PunktSentenceTokenizer):
        self.splitter, self.memo = splitter, {}
        self.split = getattr(splitter, "paragraph_sentences", None) or (lambda p: list(splitter.span_tokenize(p)))

    def __call__(self, para: str) -> list[tuple[int, int]]:
        """In: one paragraph; out: its sentence spans, as ``splitter.span_tokenize`` gives them."""
        spans = self.memo.get(para)
        if spans is None:
            spans = self.split(para)
            if len(self.memo) < self.MEMO_SIZE:
                self.memo[para] = spans
        return spans


def _units_table(doc_ids: list, spans: list[tuple[int, int, int, int]], texts: list[str],
                 level: str) -> pd.DataFrame:
    """The units table from parallel lists: ids, (position, paragraph, start, end) and texts."""
    mark = {"document": "d", "paragraph": "p", "sentence": "s"}[level]
    cols = np.array(spans, dtype=np.int64).reshape(-1, 4).T  # not zip(*spans): ~1 s per 500k rows
    ids = [f"{d}:d" for d in doc_ids] if level == "document" else [f"{d}:{mark}{p}" for d, p in
                                                                     zip(doc_ids, cols[0].tolist(), strict=True)]
    out = pd.DataFrame({"unit_id": ids, "doc_id": doc_ids, "level": [level] * len(ids)})
    for name, values in zip(("position", "paragraph", "start", "end"), cols, strict=True):
        out[name] = pd.Series(np.ascontiguousarray(values), dtype="int64")
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
    core = _without_lookarounds(rx)
    rows = []
    texts = table["text"].tolist()
    unit_ids = table["unit_id"].tolist() if "unit_id" in table.columns else [None] * len(texts)
    for doc_id, unit_id, text in zip(table["doc_id"].tolist(), unit_ids, texts, strict=True):
        if not isinstance(text, str) or not core.search(text):
            continue
        for m in rx.finditer(text):
            # the last / first ``window`` words, without splitting the whole rest of a long text
            left_words = text[:m.start()].rsplit(None, window)[-window:] if window else []
            right_words = text[m.end():].split(None, window)[:window] if window else []
            rows.append((doc_id, unit_id, m.start(), m.end(), " ".join(left_words), m.group(0),
                         " ".join(right_words)))
    return pd.DataFrame(rows, columns=["doc_id", "unit_id", "start", "end", "left", "match", "right"])


def _without_lookarounds(rx: re.Pattern) -> re.Pattern:
    """A :func:`term_pattern` without its word-boundary look-arounds: it matches wherever the term
    does (and more), and the regex engine searches it about twice as fast, so texts where it
    finds nothing are skipped before the exact pattern runs."""
    pattern = rx.pattern
    if not (pattern.startswith(_BEFORE) and pattern.endswith(_AFTER)):
        return rx
    return re.compile(pattern[len(_BEFORE):-len(_AFTER)], rx.flags)


_BEFORE, _AFTER = r"(?<![\w])", r"(?![\w])"
