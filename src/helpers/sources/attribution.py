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
    ``spans``: its sentence spans, if already known.

    What depends only on a sentence's words (its verb matches, each parsed, and the speaker's
    description and kind) is remembered by sentence text (:func:`_sentence_entries`), so a
    sentence that recurs (wire copy, boilerplate, reposts) is parsed once; the quotation marks
    around it, its position and the resolution of its speaker are the document's.
    """
    doc_rows = []
    qspans = ends = starts = None
    spans = sentence_spans(text) if spans is None else spans
    for si, ss, se, sent, entries in _sentence_entries(text, spans, lex):
        if qspans is None:
            qspans = quote_spans(text)
            starts = [s for s, _ in qspans]
            ends = [e for _, e in qspans]
        seen = set()
        for entry in entries:
            vm = entry[0]
            # words inside a quotation are the quote, not an attribution (the spans are sorted
            # and disjoint: only the last one starting at or before the verb can hold it)
            k = bisect_right(starts, ss + vm.start()) - 1
            if k >= 0 and ss + vm.start() < ends[k]:
                continue
            if entry[1] is _UNPARSED:
                _parse_entry(entry, sent, lex)
            p0, core = entry[1], entry[2]
            if p0 is None or p0["speaker"] in seen:
                continue
            seen.add(p0["speaker"])
            p = dict(p0)  # _quote sets its mode
            quote = _quote(p, text, qspans, ss, se, vm, ends)
            doc_rows.append({"doc_id": doc_id, "sentence": si, "sent_start": ss, "sent_end": se,
                             **core, "mode": p["mode"], "quote": quote})
    return doc_rows


#: an entry of :func:`_sentence_entries` whose verb match is not parsed yet
_UNPARSED = object()
#: sentences whose entries a lexicon remembers before it forgets them all (bounds the memory)
_SENTENCE_MEMO = 50_000
#: below this share of sentences found in the memo (over the last ~:data:`_TALLY` looked up),
#: only every :data:`_PROBE_EVERY`-th document uses it: in a corpus whose sentences seldom recur
#: the lookups cost more than they save
_MIN_FOUND, _TALLY, _PROBE_EVERY = 0.25, 50_000, 8


def _sentence_entries(text: str, spans, lex: Lexicon):
    """``(sentence index, start, end, sentence, entries)`` for the sentences of ``text`` that
    hold a reporting verb, in order: one entry ``[verb match, parse, row part]`` per match of
    :func:`_sentence_verbs` (the matches of ``lex.verb_matches(sentence)``, which depend only on
    the sentence's text), parsed when first needed (:func:`_parse_entry`).

    The entries are remembered by sentence text in ``lex.memo["sentence"]`` (emptied at
    :data:`_SENTENCE_MEMO` sentences); a document with a sentence not remembered has its verbs
    found by :func:`_sentence_verbs` in one pass, as before. ``lex.memo["sentence_tally"]``
    counts the sentences looked up and found (halved as they pass ``2 * _TALLY``), and the
    documents: while few are found, most documents skip the memo (:data:`_MIN_FOUND`)."""
    memo = lex.memo.setdefault("sentence", {})
    tally = lex.memo.setdefault("sentence_tally", [0, 0, 0])
    tally[2] += 1
    if tally[0] >= _TALLY and tally[1] < _MIN_FOUND * tally[0] and tally[2] % _PROBE_EVERY:
        for si, ss, se, sent, vms in _sentence_verbs(text, spans, lex):
            yield si, ss, se, sent, [[vm, _UNPARSED, None] for vm in vms]
        return
    sents = [text[ss:se] for ss, se in spans]
    known = [memo.get(s) for s in sents]
    n_new = known.count(None)
    tally[0] += len(sents)
    tally[1] += len(sents) - n_new
    if tally[0] >= 2 * _TALLY:
        tally[0] //= 2
        tally[1] //= 2
    if n_new:
        fresh = {si: vms for si, _, _, _, vms in _sentence_verbs(text, spans, lex)}
        for si, entries in enumerate(known):
            if entries is None:
                vms = fresh.get(si)
                entries = [[vm, _UNPARSED, None] for vm in vms] if vms else ()
                if len(memo) >= _SENTENCE_MEMO:
                    memo.clear()
                known[si] = memo[sents[si]] = entries
    for si, entries in enumerate(known):
        if entries:
            yield si, spans[si][0], spans[si][1], sents[si], entries


def _parse_entry(entry: list, sent: str, lex: Lexicon) -> None:
    """Fill an entry of :func:`_sentence_entries`: the parse of its verb match in ``sent``
    (:func:`parse_attribution`, kept unchanged) and the columns of its row that follow from
    the parse alone (:func:`_row_part`)."""
    p = parse_attribution(sent, entry[0], lex)
    entry[2] = None if p is None else _row_part(dict(p), lex)
    entry[1] = p


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
    part = _row_part(p, lex)
    return {"doc_id": doc_id, "sentence": si, "sent_start": ss, "sent_end": se, **part,
            "mode": p["mode"], "quote": quote}


def _row_part(p: dict, lex: Lexicon) -> dict:
    """The columns of a row that follow from the parse ``p`` alone: ``speaker`` ...
    ``verb_class`` and ``addressee`` (not ``mode``, which the quotation marks around the
    sentence can change, nor ``quote``). Sets ``p["prefix"]`` to "" for a bare article."""
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
        "speaker": p["speaker"],
        "speaker_resolved": p["speaker"],
        "kind": kind,
        "description": " ".join(x for x in (p["prefix"], p["description"]) if x),
        **d,
        "verb": p["verb"],
        "verb_class": p["verb_class"],
        "addressee": p["addressee"],
    }


def _find_quote(spans, lo: int, hi: int, ends: list[int] | None = None) -> tuple[int, int] | None:
    """The last quote ending within ``[lo, hi]`` (spans sorted and disjoint, so ends ascend;
    ``ends`` are their ends, if already listed)."""
    k = bisect_right(ends if ends is not None else [e for _, e in spans], hi) - 1
    return spans[k] if k >= 0 and spans[k][1] >= lo else None
