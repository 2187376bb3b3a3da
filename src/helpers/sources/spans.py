"""Quotation marks: which characters open and close a quote, and the spans they enclose."""

from __future__ import annotations

import re

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
