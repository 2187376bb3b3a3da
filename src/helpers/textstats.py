"""Term frequencies and collocations of a corpus (counted on top of :mod:`helpers.text`).

:func:`term_frequencies` counts n-grams overall or per group; :func:`collocations` ranks the
two-word collocations of a corpus or of its sentence units by Dunning's G². Notebook 00 uses
:func:`corpus_counts` (the tables of :func:`frequencies_and_collocations`: each sentence tokenized
once for both): tokens are counted with integer arrays (word counts, documents per word, bigrams
of non-stop words within sentences, Dunning's G²), words numbered in order of first appearance,
a batch at a time (:data:`_COUNT_TOKENS` tokens, or :data:`_CODE_AT` sentences), so memory holds
one batch and the distinct pairs at any corpus size; :func:`corpus_counts` codes its tokens without a
string per token (:func:`_coded_sentences`: each distinct piece between white space tokenized once).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .text import (
    _ASCII_WORD,
    _NOT_PLAIN_RE,
    _PARA_RE,
    _POSSESSIVE_RE,
    _TOKEN_RE,
    STOP_WORDS,
    _default_splitter,
    _lowers_tokenwise,
    _plain_tokens,
    _without_lookarounds,
    digest_keys,
    kwic,
    ngrams,
    split_sentences,
    term_pattern,
    tokenize,
    units,
)


def frequencies_and_collocations(sentences: pd.DataFrame, min_count: int = 2,
                                 stop_words: Iterable[str] | None = STOP_WORDS,
                                 top: int = 30) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(term_frequencies(corpus, stop_words=...), collocations(sentences, min_count, ..., top))``
    from one pass over the sentences (each tokenized once for both tables).

    In: the corpus's sentence units (``helpers.text.units(corpus, "sentence")``; ``doc_id`` unique
    per document). A document's tokens are its sentences' tokens (the text between sentences is
    white space), so the counts and documents per term equal those of the corpus (tests compare).
    """
    if len(sentences) and not _is_sentence_table(sentences):
        raise ValueError("frequencies_and_collocations needs sentence units: units(corpus, 'sentence')")
    stop = None if stop_words is None else frozenset(stop_words)
    doc_ids = sentences["doc_id"]
    sentence_doc = (doc_ids != doc_ids.shift()).cumsum().to_numpy(dtype=np.int64) - 1
    counts = count_stream(_sentence_blocks(_sentences_of(sentences), None), stop, sentence_doc)
    return term_table(counts), collocation_table(counts, min_count, top)


class CorpusCounts(NamedTuple):
    """What :func:`corpus_counts` found: the two tables of :func:`frequencies_and_collocations`
    and how the corpus splits (``paragraphs`` holding a sentence, ``sentences``)."""

    terms: pd.DataFrame
    collocations: pd.DataFrame
    paragraphs: int
    sentences: int


def corpus_counts(corpus: pd.DataFrame, min_count: int = 2, stop_words: Iterable[str] | None = STOP_WORDS,
                  top: int = 30) -> CorpusCounts:
    """:func:`frequencies_and_collocations` of ``units(corpus, "sentence")`` and that table's
    numbers of paragraphs and sentences, without the table: the documents are split into
    sentences a few thousand at a time and their tokens counted as they come, so memory holds
    one block of sentences, not every sentence of the corpus (tests compare with the table's).

    In: a corpus (``doc_id``, ``text``). Out: :class:`CorpusCounts`.
    """
    vocab = _Vocab(None if stop_words is None else frozenset(stop_words))
    tally = [0, 0]  # paragraphs holding a sentence, sentences
    counts = _count_codes(_corpus_batches(corpus, tally, vocab), vocab, with_docs=True)
    return CorpusCounts(term_table(counts), collocation_table(counts, min_count, top), tally[0], tally[1])


def sentence_kwic(corpus: pd.DataFrame, term: str, window: int = 8) -> pd.DataFrame:
    """``kwic(units(corpus, "sentence"), term, window)``, splitting only the documents where the
    term occurs (a sentence's match is a match in its document: sentences are separated by
    white space, which the pattern's word borders accept). Same columns and rows."""
    rx = term_pattern(term)
    find = _without_lookarounds(rx).search  # wherever the term occurs, and more (faster than rx)
    ids, texts = [], []
    for lo in range(0, len(corpus), _DOCS_AT):  # texts as strings a few thousand at a time
        chunk = corpus["text"].iloc[lo:lo + _DOCS_AT].tolist()
        hits = [i for i, t in enumerate(chunk) if isinstance(t, str) and find(t) and rx.search(t)]
        ids += corpus["doc_id"].iloc[[lo + i for i in hits]].tolist()
        texts += [chunk[i] for i in hits]
    # the documents found as a new table: taking rows of the corpus's text column copied all of it
    return kwic(units(pd.DataFrame({"doc_id": ids, "text": texts}), "sentence"), term, window)


#: Documents read from the corpus at a time by :func:`_corpus_batches` (their texts as strings).
_DOCS_AT = 2000


def _corpus_batches(corpus: pd.DataFrame, tally: list[int], vocab: _Vocab):
    """The corpus's sentences (:func:`units`'s, in its order) :data:`_DOCS_AT` documents at a
    time, as ``(codes, docs)``: :func:`_coded_sentences` of them and the document number of each
    (a new number where ``doc_id`` changes, documents without sentences skipped, as in the
    sentence table); ``tally`` gets the paragraphs holding a sentence and the sentences."""
    doc, last_id = -1, object()
    held: dict = {}  # doc_id -> its paragraphs holding a sentence (a count when they are the first ones)
    memo: dict[str, tuple[int, ...]] = {}  # piece -> its word ids (see _coded_sentences)
    for lo in range(0, len(corpus), _DOCS_AT):
        ids = corpus["doc_id"].iloc[lo:lo + _DOCS_AT].tolist()
        texts = [t if isinstance(t, str) else "" for t in corpus["text"].iloc[lo:lo + _DOCS_AT].tolist()]
        paras: list[str] = []
        bounds = [0]  # document j's paragraphs: paras[bounds[j]:bounds[j + 1]]
        for text in texts:
            paras += _paragraphs(text)
            bounds.append(len(paras))
        per_para, sentences = _paragraph_sentences(paras)
        del paras
        docs: list[int] = []
        unsafe: list[int] = []  # sentences whose lower case is not their pieces' lower case
        first = 0
        for j, (doc_id, text) in enumerate(zip(ids, texts, strict=True)):
            counts = per_para[bounds[j]:bounds[j + 1]]
            _hold_paragraphs(held, doc_id, [p_i for p_i, k in enumerate(counts) if k])
            found = sum(counts)
            if found:
                if doc_id != last_id:
                    doc, last_id = doc + 1, doc_id
                docs += [doc] * found
                if not _lowers_tokenwise(text):  # tested once per document, then per sentence
                    unsafe += [i for i in range(first, first + found) if not _lowers_tokenwise(sentences[i])]
                first += found
        tally[1] += len(sentences)
        if len(memo) > _PIECES_MEMO:
            memo.clear()
        for at in range(0, len(sentences), _CODE_AT):  # a few arrays per token: memory bounded
            part = slice(at, at + _CODE_AT)
            yield (_coded_sentences(sentences[part], [i - at for i in unsafe if at <= i < at + _CODE_AT], vocab, memo),
                   np.array(docs[part], dtype=np.int64))
    tally[0] = sum(k if isinstance(k, int) else len(k) for k in held.values())


def _paragraphs(text: str) -> list[str]:
    """``[text[s:e] for s, e in paragraph_spans(text)]``: split at the same separators, stripped alike."""
    return [p for p in map(str.strip, (_PARA_RE if _PARA_RE.search(text) else _LINES_RE).split(text)) if p]


def _coded_sentences(sentences: list[str], unsafe: list[int], vocab: _Vocab,
                     memo: dict[str, tuple[int, ...]]) -> np.ndarray:
    """The word ids (``vocab``) of ``tokenize(sentence)`` of each sentence, each sentence's followed
    by -1. A sentence's tokens are its pieces' tokens, the pieces being its text between ASCII white
    space (no token or look-around of the possessive rule reaches over white space), and lowering a
    sentence lowers its pieces unless it holds ``_LOWER_UNSAFE`` (``unsafe``: tokenized whole). The
    pieces are split and told apart by pyarrow kernels, each distinct one tokenized once (``memo``)."""
    try:
        texts = pa.array(sentences, pa.large_string())
    except UnicodeEncodeError:  # a lone surrogate (no UTF-8): such sentences tokenized whole too
        unsafe = sorted({*unsafe, *(i for i, t in enumerate(sentences) if _SURROGATE.search(t))})
        texts = None
    alone = [vocab.ids(tokenize(sentences[i])) for i in unsafe]
    if unsafe:
        sentences = sentences.copy()
        for i in unsafe:
            sentences[i] = ""
        texts = pa.array(sentences, pa.large_string())
    lists = pc.ascii_split_whitespace(texts)
    parent = pc.list_parent_indices(lists).to_numpy()
    coded = pc.dictionary_encode(pc.list_flatten(lists))
    pieces = coded.dictionary.to_pylist()
    found = list(map(memo.get, pieces))
    missing = [k for k, f in enumerate(found) if f is None]
    for k, ids in zip(missing, _piece_ids([pieces[k] for k in missing], vocab), strict=True):
        found[k] = memo[pieces[k]] = ids
    per_piece = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
    flat = np.fromiter(itertools.chain.from_iterable(found), dtype=np.int64, count=int(per_piece.sum()))
    at = coded.indices.to_numpy()
    n = per_piece[at]  # tokens of each piece of the text
    first = (np.cumsum(per_piece) - per_piece)[at]
    codes = flat[np.repeat(first - (np.cumsum(n) - n), n) + np.arange(int(n.sum()))]
    sentence = np.repeat(parent, n)
    if unsafe:  # their tokens in their places: a stable sort by sentence
        codes = np.concatenate([codes, np.fromiter(itertools.chain.from_iterable(alone), dtype=np.int64)])
        sentence = np.concatenate([sentence, np.repeat(np.array(unsafe, dtype=np.int64), [len(a) for a in alone])])
        order = np.argsort(sentence, kind="stable")
        codes, sentence = codes[order], sentence[order]
    out = np.full(len(codes) + len(sentences), -1, dtype=np.int64)
    out[np.arange(len(codes)) + sentence] = codes  # before token k of sentence s: s separators
    return out


def _paragraph_sentences(paras: list[str]) -> tuple[list[int], list[str]]:
    """How many sentences ``paragraph_sentences`` finds in each paragraph, and those sentences: the
    paragraphs in the store of spans looked up at once by their digests, the others (not there, or
    sharing the first half of their digest with another: ``get`` walks those) asked one by one."""
    split = _default_splitter()
    store = split._store
    counts = np.zeros(len(paras), dtype=np.int64)
    parts: list[tuple[np.ndarray, np.ndarray]] = []  # (paragraph of each sentence, its (start, end))
    todo: Iterable[int] = range(len(paras))  # paragraphs asked one by one
    if store is not None and len(store) and paras:
        hit, pos = store.find(digest_keys(paras))
        found, pos = np.flatnonzero(hit), pos[hit]
        n, pairs = store.spans_at(pos)
        counts[found] = n
        parts.append((np.repeat(found, n), pairs))
        todo = np.flatnonzero(~hit).tolist()
    asked = [(i, split.paragraph_sentences(paras[i])) for i in todo]
    n_asked = [len(spans) for _, spans in asked]
    counts[[i for i, _ in asked]] = n_asked
    parts.append((np.repeat(np.array([i for i, _ in asked], dtype=np.int64), n_asked),
                  np.array([se for _, spans in asked for se in spans], dtype=np.int64).reshape(-1, 2)))
    para, spans = np.concatenate([p for p, _ in parts]), np.concatenate([se for _, se in parts])
    if asked and len(parts) > 1:  # both kinds: in paragraph order
        order = np.argsort(para, kind="stable")
        para, spans = para[order], spans[order]
    sentences = [paras[p][s:e] for p, s, e in zip(para.tolist(), spans[:, 0].tolist(), spans[:, 1].tolist(),
                                                  strict=True)]
    return counts.tolist(), sentences


def _hold_paragraphs(held: dict, doc_id, found: list[int]) -> None:
    """Note the paragraphs of ``doc_id`` holding a sentence (a row of the sentence table each):
    as a count when they are the first ones (nearly always), else as a set; a doc_id seen before
    (rows of one document) adds the paragraphs it did not have."""
    if not found:
        return
    had = held.get(doc_id)
    if had is None and found[-1] == len(found) - 1:
        held[doc_id] = len(found)
    else:
        held[doc_id] = (set(range(had)) if isinstance(had, int) else had or set()) | set(found)


class StreamCounts(NamedTuple):
    """What :func:`count_stream` found. Per word id: ``words`` (the word), ``counts`` (all its
    tokens), ``docs`` (documents holding it; ``None`` when no documents were given) and
    ``stop`` (a stop word). ``n``: tokens that are no stop word. ``pairs``/``pair_counts``: sorted
    ``first << 32 | second`` keys of the bigrams of non-stop tokens within sentences (stop words
    removed first, so a pair may bridge one) and how often each occurs."""

    words: list[str]
    counts: np.ndarray
    docs: np.ndarray | None
    stop: np.ndarray
    n: int
    pairs: np.ndarray
    pair_counts: np.ndarray


def _piece_ids(pieces: list[str], vocab: _Vocab) -> list[tuple[int, ...]]:
    """The word ids of ``tokenize(piece)`` of each piece (no white space in it, no character of
    ``_LOWER_UNSAFE``: :func:`tokenize` lower-cases it first): the pieces lower-cased and their
    possessive 's deleted in one pass, joined by line breaks (which no token or look-around of
    the possessive rule reaches over), then each piece's tokens found."""
    joined = "\n".join(pieces).lower()
    if "'s" in joined or "’s" in joined:
        joined = _POSSESSIVE_RE.sub("", joined)
    findall, index = _TOKEN_RE.findall, vocab.index
    return [tuple([index.setdefault(w, len(index)) for w in findall(p)]) for p in joined.split("\n")] if pieces else []


class _Vocab:
    """Word ids in order of first appearance (``index``) and whether each word is a stop word."""

    def __init__(self, stop: frozenset | None):
        self.index: dict[str, int] = {}
        self.stop = stop
        self.is_stop = np.zeros(0, dtype=bool)

    def ids(self, words: Iterable[str]) -> tuple[int, ...]:
        """The ids of ``words`` (new words get the next ids)."""
        return tuple([self.index.setdefault(w, len(self.index)) for w in words])

    def stop_flags(self) -> np.ndarray:
        """``is_stop`` brought up to the words seen so far."""
        new = len(self.index) - len(self.is_stop)
        if new:
            words = list(itertools.islice(reversed(self.index), new))[::-1]
            flags = np.array([w in self.stop for w in words] if self.stop else [False] * new, dtype=bool)
            self.is_stop = np.concatenate([self.is_stop, flags])
        return self.is_stop


def count_stream(blocks, stop: frozenset | None, sentence_doc: np.ndarray | None = None) -> StreamCounts:
    """In: blocks of sentence tokens with stop words kept, ``stop`` (or ``None``), and optionally
    the document number of each sentence (non-decreasing: a document's sentences are
    consecutive). Out: :class:`StreamCounts`."""
    vocab = _Vocab(stop)

    def coded():
        seen = 0
        for words, separator in _batched(blocks, _COUNT_TOKENS):
            local, uniques = pd.factorize(np.array(words, dtype=object))  # None (a separator) -> -1
            del words
            index = vocab.index
            ids = np.array([-1 if w == separator else index.setdefault(w, len(index)) for w in uniques],
                           dtype=np.int64)
            codes = np.where(local >= 0, ids[np.maximum(local, 0)], -1) if len(ids) else local.astype(np.int64)
            ends = int((codes < 0).sum())
            yield codes, None if sentence_doc is None else sentence_doc[seen:seen + ends]
            seen += ends

    return _count_codes(coded(), vocab, sentence_doc is not None)


def _count_codes(batches, vocab: _Vocab, with_docs: bool) -> StreamCounts:
    """:class:`StreamCounts` of batches ``(codes, docs)``: the word ids of sentences' tokens, each
    sentence's followed by -1, and (``with_docs``) the document number of each sentence."""
    counts = docs = np.zeros(0, dtype=np.int64)
    keys = key_counts = np.zeros(0, dtype=np.int64)
    pending: list[tuple[np.ndarray, np.ndarray]] = []
    carry = np.zeros(0, dtype=np.int64)  # (document << 32 | word) of the document a batch ended in
    n = 0
    for codes, batch_docs in batches:
        is_stop = vocab.stop_flags()
        grow = np.zeros(len(is_stop) - len(counts), dtype=np.int64)
        counts, docs = np.concatenate([counts, grow]), np.concatenate([docs, grow])
        sep = codes < 0
        real = ~sep
        counts += np.bincount(codes[real], minlength=len(counts))
        if with_docs:
            sentence = np.cumsum(sep) - sep  # separators before each token: its sentence in the batch
            doc = batch_docs[sentence[real]].astype(np.int64)
            if len(doc):  # the last document may go on in the next batch: its pairs wait
                pairs = _distinct(np.concatenate([carry, (doc << 32) | codes[real]]))
                done = (pairs >> 32) < doc[-1]
                docs += np.bincount(pairs[done] & 0xFFFFFFFF, minlength=len(counts))
                carry = pairs[~done]
        kept = codes[sep | ~is_stop[np.maximum(codes, 0)]] if len(is_stop) else codes  # stop words out
        inside = (kept[:-1] >= 0) & (kept[1:] >= 0)  # a pair (i, i + 1) within one sentence
        n += int((kept >= 0).sum())
        pending.append(np.unique((kept[:-1][inside] << 32) | kept[1:][inside], return_counts=True))
        if sum(len(k) for k, _ in pending) > _MERGE_AT:
            keys, key_counts = _merge_into(keys, key_counts, *_merge_counts(pending))
            pending = []
    keys, key_counts = _merge_into(keys, key_counts, *_merge_counts(pending))
    is_stop = vocab.stop_flags()
    grow = np.zeros(len(is_stop) - len(counts), dtype=np.int64)
    counts, docs = np.concatenate([counts, grow]), np.concatenate([docs, grow])
    if with_docs:
        docs += np.bincount(carry & 0xFFFFFFFF, minlength=len(counts))
    return StreamCounts(list(vocab.index), counts, docs if with_docs else None, is_stop, n, keys, key_counts)


def term_table(sc: StreamCounts, min_count: int = 1) -> pd.DataFrame:
    """``term``, ``count``, ``docs``, ``per_1000`` of the non-stop words seen ``min_count`` times or
    more, by count (descending) then term: the table of :func:`term_frequencies`."""
    keep = np.flatnonzero(~sc.stop & (sc.counts >= min_count))
    c = sc.counts[keep]
    frame = pd.DataFrame({"term": [sc.words[i] for i in keep.tolist()], "count": c, "docs": sc.docs[keep],
                          "per_1000": 1000 * c / max(sc.n, 1)})
    out = pd.concat([frame], ignore_index=True)[["term", "count", "docs", "per_1000"]]
    return out.sort_values(["count", "term"], ascending=[False, True]).reset_index(drop=True)


def collocation_table(sc: StreamCounts, min_count: int, top: int) -> pd.DataFrame:
    """``bigram``, ``count``, ``g2``, ``pmi`` of the ``top`` bigrams seen ``min_count`` times or more,
    by G² (descending) then bigram. G² and PMI are computed for every such bigram; the strings
    only for those at or above the ``top``-th largest G² (ties kept), which hold the answer."""
    keep = sc.pair_counts >= min_count
    if not keep.any():
        return pd.DataFrame(columns=["bigram", "count", "g2", "pmi"])
    c, keys, n = sc.pair_counts[keep], sc.pairs[keep], sc.n
    first, second = keys >> 32, keys & 0xFFFFFFFF
    c1, c2 = sc.counts[first], sc.counts[second]
    g2, pmi = _g2_2x2(c, c1, c2, n), np.log2(c * n / (c1 * c2))
    cand = np.arange(len(c))
    if 0 <= top < len(c):
        cand = np.flatnonzero(g2 >= np.partition(g2, len(g2) - max(top, 1))[len(g2) - max(top, 1)])
    words = sc.words
    bigrams = [f"{words[i]} {words[j]}" for i, j in zip(first[cand].tolist(), second[cand].tolist(), strict=True)]
    out = pd.DataFrame({"bigram": bigrams, "count": c[cand], "g2": g2[cand], "pmi": pmi[cand]})
    return out.sort_values(["g2", "bigram"], ascending=[False, True]).head(top).reset_index(drop=True)


def _distinct(keys: np.ndarray) -> np.ndarray:
    """The values of ``keys`` once each, in no set order (pandas' hash table: ~3x faster than a sort)."""
    return pd.unique(keys)


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
        rows = zip(table["doc_id"].tolist(), table["text"].tolist(), strict=True)
        for _, group in itertools.groupby(rows, key=lambda r: r[0]):
            yield [tokenize(t if isinstance(t, str) else "", stop_words=stop_words) for _, t in group]
        return
    for text in table["text"].tolist():
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
        counts, docs, total = _unigram_counts(part["text"], stop) if n == 1 else _ngram_counts(part, n, stop)
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


def _unigram_counts(texts: Iterable, stop: frozenset | None) -> tuple[Counter, Counter, int]:
    """``(counts, documents, tokens)`` of single words: counted with stop words, which are then
    dropped from the counts (the same numbers as counting the filtered tokens, without filtering
    every token in Python)."""
    counts, docs = Counter(), Counter()
    for t in texts:
        toks = _plain_tokens(t if isinstance(t, str) else "")
        counts.update(toks)
        docs.update(set(toks))
    for w in (stop or ()):
        counts.pop(w, None)
        docs.pop(w, None)
    return counts, docs, sum(counts.values())


def _ngram_counts(table: pd.DataFrame, n: int, stop: frozenset | None) -> tuple[Counter, Counter, int]:
    """``(counts, documents, tokens)`` of n-grams formed within sentences ("... Asia. NHK ..." is no
    bigram), stop words removed before forming them."""
    counts, docs, total = Counter(), Counter(), 0
    for sent_toks in _sentence_tokens(table, stop):
        total += sum(map(len, sent_toks))
        grams = [" ".join(g) for toks in sent_toks for g in ngrams(toks, n)]
        counts.update(grams)
        docs.update(set(grams))
    return counts, docs, total


def collocations(table: pd.DataFrame, min_count: int = 2, stop_words: Iterable[str] | None = STOP_WORDS,
                 top: int = 30) -> pd.DataFrame:
    """Two-word collocations ranked by Dunning's log-likelihood (G²), with PMI.

    Bigrams are counted within sentences of the ``text`` column after stop-word removal (so
    "Diaoyu Islands" is found but not "of the"). ``table`` is a corpus, or a sentence units
    table from :func:`units` whose sentences are used as they are (no second split). Out:
    ``bigram``, ``count``, ``g2``, ``pmi``.
    """
    stop = None if stop_words is None else frozenset(stop_words)
    return collocation_table(count_stream(_sentence_blocks(_sentences_of(table), None), stop), min_count, top)


#: A word that separates sentences tokenized together: letters only, so a token of its own
#: (never a stop word). Used only when no sentence holds its letter.
_SENTINEL = "\ua66e" * 3
_JOIN = f"\n{_SENTINEL}\n"
_ASCII_STREAM_RE = re.compile(f"{_ASCII_WORD}|{_SENTINEL}")
_SURROGATE = re.compile("[\ud800-\udfff]")  # a lone surrogate: a text without UTF-8 form
_LINES_RE = re.compile(r"\n\s*")  # paragraph_spans's separator in a text without a blank line
_BLOCK = 2000
_MERGE_AT = 4_000_000  # pending distinct pairs merged into the running counts beyond this
_COUNT_TOKENS = 1_000_000  # tokens counted at a time (about 60 MB of token strings)
_CODE_AT = 50_000  # sentences coded at a time by corpus_counts
_PIECES_MEMO = 300_000  # distinct pieces whose word ids corpus_counts remembers (cleared beyond)


def _sentences_of(table: pd.DataFrame) -> list[str]:
    """The sentences of a corpus (split with :func:`split_sentences`) or of a sentence units table."""
    texts = [t if isinstance(t, str) else "" for t in table["text"].tolist()]
    return texts if _is_sentence_table(table) else [s for t in texts for s in split_sentences(t)]


def _sentence_blocks(sentences: list[str], stop: frozenset | None):
    """Yields ``(tokens, separator)`` per :data:`_BLOCK` sentences: the tokens of each sentence,
    each followed by the separator (so no pair spans two blocks, and memory stays bounded).

    Sentences are joined ``"\\n<sentinel>\\n"`` and tokenized a run at a time: a line break
    ends every token and look-around as the end of a string does, so the tokens are those of
    each sentence alone (tests compare); the separator is :data:`_SENTINEL`, or ``None`` (each
    sentence tokenized alone) if a sentence holds the sentinel's letter.
    """
    alone = any(_SENTINEL[0] in sent for sent in sentences)
    for lo in range(0, len(sentences), _BLOCK):
        yield _block_tokens(sentences[lo:lo + _BLOCK], stop, alone)


def _block_tokens(block: list[str], stop: frozenset | None, alone: bool) -> tuple[list, str | None]:
    """One block of :func:`_sentence_blocks`: ``alone`` when some sentence may hold the sentinel's
    letter (each sentence then tokenized alone, separator ``None``)."""
    words: list = []
    if alone:
        for sent in block:
            words += tokenize(sent, stop_words=stop)
            words.append(None)
        return words, None
    stop = stop - {_SENTINEL} if stop is not None else None
    plain = [not _NOT_PLAIN_RE.search(sent) for sent in block]  # only ASCII and _PLAIN_EXTRA
    start = 0
    for is_plain, run in itertools.groupby(plain):  # consecutive sentences of one kind
        end = start + len(list(run))
        joined = _JOIN.join(block[start:end])
        words += _plain_stream_tokens(joined, stop) if is_plain else tokenize(joined, stop_words=stop)
        words.append(_SENTINEL)
        start = end
    return words, _SENTINEL


def _plain_stream_tokens(joined: str, stop: frozenset | None) -> list[str]:
    """``tokenize(joined, stop_words=stop)`` for sentences joined by :data:`_JOIN` that hold only
    ASCII and :data:`_PLAIN_EXTRA`: ASCII classes (see :func:`_plain_tokens`), and the sentinel,
    which stands alone between line breaks, as a literal."""
    joined = joined.lower()
    if "'s" in joined or "’s" in joined:
        joined = _POSSESSIVE_RE.sub("", joined)
    toks = _ASCII_STREAM_RE.findall(joined)
    return toks if stop is None else [t for t in toks if t not in stop]


def _batched(blocks, size: int):
    """Blocks of :func:`_sentence_blocks` joined until they hold at least ``size`` tokens (each
    ends with the separator, so joining them keeps pairs within sentences): ``(tokens, separator)``."""
    buffer: list = []
    separator = None
    for words, separator in blocks:
        buffer += words
        if len(buffer) >= size:
            yield buffer, separator
            buffer = []
    if buffer:
        yield buffer, separator


def _merge_counts(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Sum counts of equal keys over several (sorted unique keys, counts) pairs: one stable sort
    of the keys (sorted runs, which it merges) and sums over equal runs, without ``np.unique``'s
    inverse and float weights (about two thirds of the memory)."""
    keys = np.concatenate([k for k, _ in parts]) if parts else np.zeros(0, dtype=np.int64)
    if not len(keys):
        return keys.astype(np.int64), np.zeros(0, dtype=np.int64)
    counts = np.concatenate([c for _, c in parts]).astype(np.int64, copy=False)
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    counts = counts[order]
    del order
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    return keys[starts], np.add.reduceat(counts, starts)


def _merge_into(keys: np.ndarray, counts: np.ndarray, new_keys: np.ndarray,
                new_counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_merge_counts` of two (sorted unique keys, counts) pairs, the first the large running
    one: counts of keys it holds added in place, the others inserted (no sort of the running keys)."""
    if not len(new_keys):
        return keys, counts
    pos = np.searchsorted(keys, new_keys)
    found = pos < len(keys)
    found[found] = keys[pos[found]] == new_keys[found]
    counts[pos[found]] += new_counts[found]
    fresh = ~found
    return np.insert(keys, pos[fresh], new_keys[fresh]), np.insert(counts, pos[fresh], new_counts[fresh])


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
