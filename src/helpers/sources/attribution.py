"""The attributions table: every quote and paraphrase in a corpus, with speaker and verb.

:func:`attributions` walks each document sentence by sentence, parses the sentence around every
reporting verb outside a quotation (:func:`helpers.sources.parsing.parse_attribution`), attaches
the quoted words, describes and classifies the speaker (:mod:`helpers.sources.names`) and
resolves later mentions to the full name (:mod:`helpers.sources.coreference`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

import pandas as pd

from ..text import sentence_spans
from .coreference import resolve_speakers
from .lexicon import Lexicon, load_lexicon
from .names import describe, speaker_kind
from .parsing import parse_attribution
from .spans import quote_spans

_COLUMNS = [
    "doc_id",
    "sentence",
    "sent_start",
    "sent_end",
    "speaker",
    "speaker_resolved",
    "kind",
    "description",
    "title",
    "institution",
    "nationality",
    "nationality_source",
    "verb",
    "verb_class",
    "mode",
    "addressee",
    "quote",
]


def attributions(data: pd.DataFrame, resolve: bool = True) -> pd.DataFrame:
    """Who is quoted or paraphrased, with which verb, in every document.

    In: a corpus (``doc_id``, ``text``). Out, one row per attribution in document order:
    ``doc_id``, ``sentence`` (0-based index), ``sent_start``, ``sent_end`` (character offsets of
    the sentence), ``speaker`` (as written), ``speaker_resolved`` (full name from an earlier
    mention for "Liu said" / "he said"), ``kind`` (person / media / organisation),
    ``description`` (apposition, e.g. "a researcher with ..."), ``title``, ``institution``,
    ``nationality`` and ``nationality_source`` ("stated" in the text or "outlet list"),
    ``verb``, ``verb_class`` (neutral, emphatic, doubt, concession, factive, assessment,
    aggressive), ``mode`` (direct / indirect / according_to), ``addressee`` ("the Global
    Times"), ``quote`` (the quoted words or the paraphrase).

    >>> import pandas as pd
    >>> a = attributions(pd.DataFrame({"doc_id": ["x"], "text": ["Tokyo will act, NHK reported."]}))
    >>> a[["speaker", "kind", "verb"]].values.tolist()
    [['NHK', 'media', 'reported']]
    """
    lex = load_lexicon()
    rows = []
    for doc_id, text in zip(data["doc_id"], data["text"], strict=True):
        text = text if isinstance(text, str) else ""
        doc_rows = _document_rows(doc_id, text, lex)
        if resolve:
            resolve_speakers(doc_rows, text, lex)
        rows.extend(doc_rows)
    return pd.DataFrame(rows, columns=_COLUMNS)


def _document_rows(doc_id, text: str, lex: Lexicon) -> list[dict]:
    """The attributions of one document, sentence by sentence (one per speaker and sentence)."""
    qspans = quote_spans(text)
    starts = [s for s, _ in qspans]
    ends = [e for _, e in qspans]
    doc_rows = []
    verb_matches = lex.verb_matches
    for si, (ss, se) in enumerate(sentence_spans(text)):
        sent = text[ss:se]
        seen = set()
        for vm in verb_matches(sent):
            # words inside a quotation are the quote, not an attribution (the spans are sorted
            # and disjoint: only the last one starting at or before the verb can hold it)
            k = bisect_right(starts, ss + vm.start()) - 1
            if k >= 0 and ss + vm.start() < ends[k]:
                continue
            p = parse_attribution(sent, vm, lex)
            if p is None or p["speaker"] in seen:
                continue
            seen.add(p["speaker"])
            quote = _quote(p, text, qspans, ss, se, vm, ends)
            doc_rows.append(_row(p, quote, doc_id, si, ss, se, lex))
    return doc_rows


def _quote(
    p: dict,
    text: str,
    qspans: list[tuple[int, int]],
    ss: int,
    se: int,
    vm: re.Match,
    ends: list[int] | None = None,
) -> str:
    """The quoted words of a direct attribution (or of one without content); else the content.

    A quotation found for it makes the attribution ``direct`` (``p["mode"]`` is set).
    """
    quote = p["content"]
    if p["mode"] == "direct" or not quote:
        q = _find_quote(qspans, ss, ss + vm.start(), ends) if p["mode"] == "direct" else None
        if q is None:
            k = bisect_left(qspans, (ss + vm.end(),))  # the first quote after the verb
            q = qspans[k] if k < len(qspans) and qspans[k][0] < se else None
        if q is not None:
            quote, p["mode"] = text[q[0] : q[1]].strip(), "direct"
    return quote


_IT = re.compile(r"(?:that\s+)?(?:it|its)\b")


def _row(p: dict, quote: str, doc_id, si: int, ss: int, se: int, lex: Lexicon) -> dict:
    """One row of the table: the parsed attribution with the speaker described and classified."""
    d = describe(p["description"], p["prefix"], p["speaker"], lex)
    kind = speaker_kind(p["speaker"], p["prefix"], p["description"], lex)
    if (
        kind == "person"
        and len(p["speaker"].split()) == 1
        and p["speaker"].lower() not in lex.pronouns_or_roles
        and _IT.match(p["content"] or "")
    ):
        # "Diageo said it expects ...": a one-word speaker reporting on "it" is a body
        kind = "organisation"
    if p["prefix"].lower() in {"the", "a", "an"}:
        p["prefix"] = ""
    return {
        "doc_id": doc_id,
        "sentence": si,
        "sent_start": ss,
        "sent_end": se,
        "speaker": p["speaker"],
        "speaker_resolved": p["speaker"],
        "kind": kind,
        "description": " ".join(x for x in (p["prefix"], p["description"]) if x),
        **d,
        "verb": p["verb"],
        "verb_class": p["verb_class"],
        "mode": p["mode"],
        "addressee": p["addressee"],
        "quote": quote,
    }


def _find_quote(spans, lo: int, hi: int, ends: list[int] | None = None) -> tuple[int, int] | None:
    """The last quote ending within ``[lo, hi]`` (spans sorted and disjoint, so ends ascend;
    ``ends`` are their ends, if already listed)."""
    k = bisect_right(ends if ends is not None else [e for _, e in spans], hi) - 1
    return spans[k] if k >= 0 and spans[k][1] >= lo else None
