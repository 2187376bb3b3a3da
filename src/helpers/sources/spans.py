"""Quotation marks: which characters open and close a quote, and the spans they enclose."""

from __future__ import annotations

import re

import numpy as np

from ..text import _default_splitter, digest_keys, paragraph_spans, sentence_spans

OPEN_QUOTES = '"“«„'
CLOSE_QUOTES = '"”»‟'
_OPENERS = re.compile('["“«„]')  # open a quote (outside one)
_CLOSERS = re.compile('["”»‟\n]')  # close it (inside one; a line break may)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the text inside paired quotation marks (marks excluded).

    Straight quotes toggle; curly quotes open and close. A quote left open at the end of a
    paragraph closes there (news style re-opens it in the next paragraph).

    >>> quote_spans('He said: "No comment." Then left.')
    [(10, 21)]
    """
    spans, start, pos = [], None, 0
    # only the marks that change the state are visited: outside a quote those that open one,
    # inside it those that close it (and line breaks, which may)
    opener, closer = _OPENERS.search, _CLOSERS.search
    while True:
        if start is None:
            m = opener(text, pos)
            if m is None:
                break
            start = pos = m.end()
            continue
        m = closer(text, pos)
        if m is None:
            break
        i = m.start()
        pos = i + 1
        if text[i] != "\n":
            spans.append((start, i))
            start = None
        elif text[i : i + 2].strip() == "" and "\n" in text[i + 1 : i + 3]:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e - s > 1]


def sentence_spans_each(texts: list[str]) -> list[list[tuple[int, int]]]:
    """``[sentence_spans(t) for t in texts]``, the paragraphs' spans looked up together.

    With a :class:`helpers.text.SentenceSpans` in the default splitter (a notebook kernel of the
    report, :func:`helpers.text.use_sentence_spans`) every paragraph's digest is looked up in one
    array search and the spans gathered in one step, instead of one search per paragraph; a
    document with a paragraph the store lacks (or its first half-digest twice) is split by
    :func:`helpers.text.sentence_spans` as before. Without a store, ``sentence_spans`` each.
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
