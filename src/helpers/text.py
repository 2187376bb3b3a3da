"""Text basics: paragraphs, sentences, tokens, stop words, n-grams, KWIC and collocations.

Everything here works offline. Sentences come from nltk's Punkt algorithm with an abbreviation
list the project ships (``resources/abbreviations.txt``) instead of the downloadable
``punkt`` model; ``sentence_splitter(train_texts=...)`` can additionally learn abbreviations
and collocations from a corpus.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

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


@lru_cache(maxsize=1)
def _default_splitter() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = load_abbreviations()
    return PunktSentenceTokenizer(params)


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
    return PunktSentenceTokenizer(params)


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


def tokenize(text: str, lower: bool = True, keep_numbers: bool = False,
             stop_words: Iterable[str] | None = None, possessive: bool = False) -> list[str]:
    """Word tokens of ``text``; with ``stop_words`` (e.g. ``STOP_WORDS``) those are removed.

    The possessive ``'s`` is split off (dropped) so "NATO's" counts as "nato", unless
    ``possessive=True`` keeps it.

    >>> tokenize("China's rising maritime power, 2,000 men.")
    ['china', 'rising', 'maritime', 'power', 'men']
    """
    rx = _TOKEN_NUM_RE if keep_numbers else _TOKEN_RE
    toks = rx.findall(text)
    if not possessive and ("'" in text or "’" in text):
        toks = [t[:-2] if t.endswith(_POSSESSIVE_ENDINGS) else t for t in toks]
    if lower:
        toks = [t.lower() for t in toks]
    if stop_words is not None:
        stop = stop_words if isinstance(stop_words, (set, frozenset)) else set(stop_words)
        toks = [t for t in toks if t.lower() not in stop]
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
    outlet, date or title. Empty documents produce no units.

    >>> units(pd.DataFrame({"doc_id": ["a"], "text": ["One. Two.\\n\\nThree."]}), "sentence").text.tolist()
    ['One.', 'Two.', 'Three.']
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    missing = {"doc_id", "text"} - set(corpus.columns)
    if missing:
        raise ValueError(f"units() needs the columns {sorted(missing)} (got {list(corpus.columns)})")
    rows = []
    for doc_id, text in zip(corpus["doc_id"], corpus["text"], strict=True):
        text = text if isinstance(text, str) else ""
        if level == "document":
            if text.strip():
                rows.append((f"{doc_id}:d", doc_id, level, 0, 0, 0, len(text), text))
            continue
        pos = 0
        for p_i, (ps, pe) in enumerate(paragraph_spans(text)):
            if level == "paragraph":
                rows.append((f"{doc_id}:p{p_i}", doc_id, level, p_i, p_i, ps, pe, text[ps:pe]))
                continue
            para = text[ps:pe]
            for s, e in (splitter or _default_splitter()).span_tokenize(para):
                rows.append((f"{doc_id}:s{pos}", doc_id, level, pos, p_i, ps + s, ps + e, para[s:e]))
                pos += 1
    return pd.DataFrame(rows, columns=["unit_id", "doc_id", "level", "position", "paragraph", "start",
                                       "end", "text"]).astype({"position": int, "paragraph": int,
                                                               "start": int, "end": int})


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


def term_frequencies(table: pd.DataFrame, n: int = 1, stop_words: Iterable[str] | None = STOP_WORDS,
                     by: str | None = None, min_count: int = 1) -> pd.DataFrame:
    """Counts of n-grams (stop words removed before forming n-grams) overall or per group.

    Out: [``by``], ``term``, ``count``, ``docs`` (documents containing it), ``per_1000``
    (per 1,000 tokens of the group), sorted by count then term for stable output.
    """
    groups = [(None, table)] if by is None else list(table.groupby(by, dropna=False, sort=True))
    rows = []
    for key, part in groups:
        counts, docs, total = Counter(), Counter(), 0
        for text in part["text"]:
            text = text if isinstance(text, str) else ""
            # n-grams are formed within sentences: "... Asia. NHK ..." is no bigram
            chunks = split_sentences(text) if n > 1 else [text]
            sent_toks = [tokenize(c, stop_words=stop_words) for c in chunks]
            total += sum(map(len, sent_toks))
            grams = [" ".join(g) for toks in sent_toks for g in ngrams(toks, n)] if n > 1 else sent_toks[0]
            counts.update(grams)
            docs.update(set(grams))
        for term, c in counts.items():
            if c >= min_count:
                row = {"term": term, "count": c, "docs": docs[term], "per_1000": 1000 * c / max(total, 1)}
                if by is not None:
                    row[by] = key
                rows.append(row)
    cols = ([by] if by else []) + ["term", "count", "docs", "per_1000"]
    out = pd.DataFrame(rows, columns=cols)
    sort_cols = ([by] if by else []) + ["count", "term"]
    return out.sort_values(sort_cols, ascending=[True] * bool(by) + [False, True]).reset_index(drop=True)


def collocations(table: pd.DataFrame, min_count: int = 2, stop_words: Iterable[str] | None = STOP_WORDS,
                 top: int = 30) -> pd.DataFrame:
    """Two-word collocations ranked by Dunning's log-likelihood (G²), with PMI.

    Bigrams are counted within sentences of the ``text`` column after stop-word removal (so
    "Diaoyu Islands" is found but not "of the"). Out: ``bigram``, ``count``, ``g2``, ``pmi``.
    """
    uni, bi, n = Counter(), Counter(), 0
    for text in table["text"]:
        for sent in split_sentences(text if isinstance(text, str) else ""):
            toks = tokenize(sent, stop_words=stop_words)
            uni.update(toks)
            bi.update(ngrams(toks, 2))
            n += len(toks)
    rows = []
    for (w1, w2), c in bi.items():
        if c < min_count:
            continue
        c1, c2 = uni[w1], uni[w2]
        obs = [c, c1 - c, c2 - c, n - c1 - c2 + c]
        exp = [c1 * c2 / n, c1 * (n - c2) / n, (n - c1) * c2 / n, (n - c1) * (n - c2) / n]
        g2 = 2 * sum(o * math.log(o / e) for o, e in zip(obs, exp, strict=True) if o > 0 and e > 0)
        rows.append({"bigram": f"{w1} {w2}", "count": c, "g2": g2, "pmi": math.log2(c * n / (c1 * c2))})
    out = pd.DataFrame(rows, columns=["bigram", "count", "g2", "pmi"])
    return out.sort_values(["g2", "bigram"], ascending=[False, True]).head(top).reset_index(drop=True)
