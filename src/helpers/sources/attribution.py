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

from ..text import sentence_spans, sentence_spans_each
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
    texts = [text if isinstance(text, str) else "" for text in data["text"].tolist()]
    spans = sentence_spans_each(texts)  # looked up together (the same spans)
    for doc_id, text, sp in zip(data["doc_id"].tolist(), texts, spans, strict=True):
        doc_rows = _document_rows(doc_id, text, lex, sp)
        if resolve and doc_rows:
            resolve_speakers(doc_rows, text, lex)
        rows.extend(doc_rows)
    return pd.DataFrame(rows, columns=_COLUMNS)


#: characters of ``[\w'’-]`` besides the alphanumerics (``\w`` is str.isalnum() or "_")
_WORDISH = "_'’-"


def _verb_candidates(text: str, lex: Lexicon) -> list[int] | None:
    """Positions in ``text`` where a reporting verb of ``lex.verb_re`` can start, in order (a
    superset of where it does), found in one pass over the document; None without a pattern
    for it (then each sentence is scanned with :meth:`Lexicon.verb_matches`)."""
    pats = lex.verb_candidates
    if pats is None:
        return None
    after_space, after_other, at_start = pats
    found = [m.end() for m in after_space.finditer(text)]
    other = [m.end() for m in after_other.finditer(text)]
    if at_start.match(text):
        other.append(0)
    if other:
        found = sorted(found + other)
    return found


def _sentence_verbs(text: str, spans, lex: Lexicon):
    """``(sentence index, start, end, verb matches)`` for the sentences of ``text`` (spans
    ``spans``, sorted and disjoint) that hold a reporting verb, in order; each sentence's
    matches are those of ``lex.verb_matches(text[start:end])``.

    The verbs' possible starts are found once in the whole text (:func:`_verb_candidates`) and
    the verb pattern is matched on the sentence at each of them, as ``verb_matches`` does after
    its scan (leftmost first, going on after each match); only the sentences holding a start are
    visited (found by bisection). A start can be missed in the whole text only where a sentence
    borders a word character (``verb_re`` sees no character before a sentence, nor after it):
    a document with such a sentence is read sentence by sentence (:func:`_each_sentence_verbs`),
    those sentences scanned on their own.
    """
    cands = _verb_candidates(text, lex)
    if cands is None or not spans:
        yield from _each_sentence_verbs(text, spans, lex, cands)
        return
    starts, ends = zip(*spans, strict=True)
    # the characters before and after every sentence (" " beyond the text), in two C-level passes
    pad = text + " "
    around = "".join(map(pad.__getitem__, ends)) + "".join(map(pad.__getitem__, map((-1).__add__, starts)))
    if _WORDISH_RE.search(around):
        yield from _each_sentence_verbs(text, spans, lex, cands)
        return
    match = lex.verb_re.match
    k, nc = 0, len(cands)
    while k < nc:
        si = bisect_right(starts, cands[k]) - 1
        if si < 0 or cands[k] >= ends[si]:  # between sentences
            k += 1
            continue
        ss, se = starts[si], ends[si]
        sent = text[ss:se]
        vms, k = _matches_at(match, sent, ss, se, cands, k)
        if vms:
            yield si, ss, se, sent, vms


#: a character of ``[\w'’-]``, which a sentence bordering it may hide a verb start behind
_WORDISH_RE = re.compile(r"[\w'’-]")


def _each_sentence_verbs(text: str, spans, lex: Lexicon, cands: list[int] | None):
    """:func:`_sentence_verbs` sentence by sentence: a sentence bordering a word character is
    scanned on its own, the others matched at the candidates ``cands`` they hold (every
    sentence scanned on its own when ``cands`` is None)."""
    if cands is None:
        for si, (ss, se) in enumerate(spans):
            sent = text[ss:se]
            vms = list(lex.verb_matches(sent))
            if vms:
                yield si, ss, se, sent, vms
        return
    n = len(text)
    match = lex.verb_re.match
    k, nc = 0, len(cands)
    for si, (ss, se) in enumerate(spans):
        while k < nc and cands[k] < ss:
            k += 1
        edge = (ss and (text[ss - 1].isalnum() or text[ss - 1] in _WORDISH)) or (
            se < n and (text[se].isalnum() or text[se] in _WORDISH)
        )
        if edge:
            sent = text[ss:se]
            vms = list(lex.verb_matches(sent))
            while k < nc and cands[k] < se:
                k += 1
            if vms:
                yield si, ss, se, sent, vms
            continue
        if k == nc or cands[k] >= se:
            continue
        sent = text[ss:se]
        vms, k = _matches_at(match, sent, ss, se, cands, k)
        if vms:
            yield si, ss, se, sent, vms


def _matches_at(match, sent: str, ss: int, se: int, cands: list[int], k: int) -> tuple[list, int]:
    """The verb matches of ``sent`` (the text's ``[ss:se]``) tried at the candidates ``cands[k:]``
    that fall inside it, left to right, each after the end of the last match; and the index of
    the first candidate past the sentence."""
    vms, pos, nc = [], 0, len(cands)
    while k < nc and (c := cands[k]) < se:
        k += 1
        r = c - ss
        if r < pos:
            continue
        vm = match(sent, r)
        if vm is not None:
            vms.append(vm)
            pos = vm.end()
    return vms, k


def _document_rows(doc_id, text: str, lex: Lexicon, spans: list | None = None) -> list[dict]:
    """The attributions of one document, sentence by sentence (one per speaker and sentence);
    ``spans``: its sentence spans, if already known."""
    doc_rows = []
    qspans = ends = starts = None
    spans = sentence_spans(text) if spans is None else spans
    for si, ss, se, sent, vms in _sentence_verbs(text, spans, lex):
        if qspans is None:
            qspans = quote_spans(text)
            starts = [s for s, _ in qspans]
            ends = [e for _, e in qspans]
        seen = set()
        for vm in vms:
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
