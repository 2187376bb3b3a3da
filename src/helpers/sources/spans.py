"""Quotation marks: which characters open and close a quote, and the spans they enclose."""

from __future__ import annotations

import re

OPEN_QUOTES = '"“«„'
CLOSE_QUOTES = '"”»‟'
_MARKS = re.compile('["“«„”»‟\n]')


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the text inside paired quotation marks (marks excluded).

    Straight quotes toggle; curly quotes open and close. A quote left open at the end of a
    paragraph closes there (news style re-opens it in the next paragraph).

    >>> quote_spans('He said: "No comment." Then left.')
    [(10, 21)]
    """
    spans, start = [], None
    # only quotation marks and line breaks change the state: visit those, skip the rest
    for m in _MARKS.finditer(text):
        i, ch = m.start(), m.group()
        if ch == "\n":
            if start is not None and text[i : i + 2].strip() == "" and "\n" in text[i + 1 : i + 3]:
                spans.append((start, i))
                start = None
        elif ch == '"':
            if start is None:
                start = i + 1
            else:
                spans.append((start, i))
                start = None
        elif ch in "“«„":
            if start is None:
                start = i + 1
        elif start is not None:  # ”»‟
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e - s > 1]
