"""CPU (issue 12, sixth session, H4): attributions, naming and sentence counts give what the
earlier code gave.

- ``sources.spans.sentence_spans_each`` looks the paragraphs of many texts up in the corpus's
  :class:`helpers.text_mod.SentenceSpans` together (one array search) instead of one search per
  paragraph; ``attributions``, ``framing.naming_mentions`` and ``framing.sentence_counts`` use it;
- ``sources.quote_spans`` visits only the marks that can change its state (outside a quote the
  opening ones, inside it the closing ones and line breaks), each found by a C-level search;
- ``framing.naming_mentions`` scans only the pieces of a plain text around the places where its
  letter tree finds a name (``_name_windows``), not the whole text from the first one.

The earlier code is kept below verbatim but for the ``_reference_`` names and the doctest lines
(HEAD at 46a34d4) and run beside the new on the seed, recombined documents and adversarial
texts, with and without a span store (also one lacking paragraphs, and one whose first
half-digests repeat).
"""

from __future__ import annotations

import os
import random
import re
from bisect import bisect_right
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest

from helpers import framing, sources
from helpers import text as text_mod
from helpers.framing.naming import (
    _MENTION_COLUMNS,
    NamingTable,
    _first_name_start,
    _naming_matcher,
    _naming_screens,
    _speakers_by_sentence,
    load_naming,
)
from helpers.sources.attribution import _COLUMNS, _row, _sentence_verbs
from helpers.sources.coreference import resolve_speakers
from helpers.sources.lexicon import Lexicon, load_lexicon
from helpers.sources.parsing import parse_attribution
from helpers.sources.spans import quote_spans
from helpers.text import _NOT_PLAIN_RE, sentence_spans, sentence_spans_each

find_attributions = sources.attributions
_quote = sources.attribution._quote

# ---- the earlier code (verbatim) ----


def _reference_naming_mentions(
    data: pd.DataFrame,
    table: NamingTable | str | os.PathLike | None = None,
    attributions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every mention of a name from the naming table, with its voice.

    In: a corpus (``doc_id``, ``text``). Out, one row per mention in document order:
    ``doc_id``, ``concept``, ``concept_label``, ``variant``, ``label``, ``usage``, ``term``,
    ``start``, ``end`` (character offsets in the text), ``sentence`` (0-based sentence index),
    ``order`` (0-based rank of the mention within its concept in the document), ``voice``:
    ``"quote"`` inside quotation marks, ``"attributed"`` in a sentence that reports a source's
    words ("X said ...", "according to X"), otherwise ``"author"``; ``speaker`` for the last two.
    Pass ``attributions`` (from :func:`helpers.sources.attributions`) to avoid computing them twice.

    """
    tab = table if isinstance(table, NamingTable) else load_naming(table)
    matcher = _naming_matcher(tab)
    corpus = data
    att = (
        attributions
        if attributions is not None
        else (find_attributions(corpus) if len(corpus) else pd.DataFrame())
    )
    speakers = _speakers_by_sentence(att)
    screens = _naming_screens(tab)
    rows = []
    for doc_id, text in zip(corpus["doc_id"], corpus["text"], strict=True):
        text = text if isinstance(text, str) else ""
        w = 0  # the scan starts here: no name of the table starts before it
        if not _NOT_PLAIN_RE.search(text):
            hit = _first_name_start(screens, text.lower().replace("’", "'"))  # same offsets
            if hit is None:
                continue  # no name of the table can occur (see _naming_screen)
            # from the last space or line break before the first hit (no token holds one, so the
            # tokens after it are the whole text's; the matcher's negation is not read here)
            w = max(text.rfind(" ", 0, hit), text.rfind("\n", 0, hit)) + 1
        found = matcher.scan(text[w:]) if w else matcher.scan(text)
        if not found:
            continue
        if w:
            found = [(k, i, start + w, end + w, t, neg) for k, i, start, end, t, neg in found]
        rows.extend(_reference_mention_rows(doc_id, text, found, tab, speakers.get(doc_id, {})))
    out = pd.DataFrame(rows, columns=_MENTION_COLUMNS)
    # "order" (0 = the name a document uses first for a concept) sits before voice/speaker
    out.insert(out.columns.get_loc("voice"), "order", out.groupby(["doc_id", "concept"]).cumcount())
    return out


def _reference_mention_rows(
    doc_id, text: str, found: list[tuple], tab: NamingTable, att_by_sent: dict
) -> list[tuple]:
    """One row per match (:meth:`Matcher.scan` tuples) in one document: sentence, voice and
    speaker added.

    Sentences and quotes are sorted and disjoint, so the one holding a match is found by
    bisection on their starts.
    """
    qs = quote_spans(text)
    q_starts = [s for s, _ in qs]
    sents = sentence_spans(text)
    s_starts = [s for s, _ in sents]
    rows = []
    for key, _, start, end, _, _ in found:
        c, v = key.split("/", 1)
        si = bisect_right(s_starts, start) - 1
        si = si if si >= 0 and start < sents[si][1] else -1
        qi = bisect_right(q_starts, start) - 1
        in_quote = qi >= 0 and end <= qs[qi][1]
        speaker = ""
        if si >= 0 and sents[si] in att_by_sent:
            speaker = att_by_sent[sents[si]]
        voice = "quote" if in_quote else ("attributed" if speaker else "author")
        vs = tab.concepts[c][v]
        rows.append(
            (
                doc_id,
                c,
                tab.labels[c],
                v,
                str(vs.get("label", v)),
                str(vs.get("usage", "")),
                text[start:end],
                start,
                end,
                si,
                voice,
                speaker,
            )
        )
    return rows


def _reference_attributions(data: pd.DataFrame, resolve: bool = True) -> pd.DataFrame:
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

    """
    lex = load_lexicon()
    rows = []
    for doc_id, text in zip(data["doc_id"].tolist(), data["text"].tolist(), strict=True):
        text = text if isinstance(text, str) else ""
        doc_rows = _reference_document_rows(doc_id, text, lex)
        if resolve and doc_rows:
            resolve_speakers(doc_rows, text, lex)
        rows.extend(doc_rows)
    return pd.DataFrame(rows, columns=_COLUMNS)


def _reference_document_rows(doc_id, text: str, lex: Lexicon) -> list[dict]:
    """The attributions of one document, sentence by sentence (one per speaker and sentence)."""
    doc_rows = []
    qspans = ends = starts = None
    for si, ss, se, sent, vms in _sentence_verbs(text, sentence_spans(text), lex):
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


def _reference_sentence_counts(corpus: pd.DataFrame) -> pd.DataFrame:
    """Per document, its sentences with text: the rows of ``units(corpus, "sentence")`` whose text
    is not blank. Out: ``doc_id``, ``n_sentences`` (one row per document, in order, 0 included).
    Document-separable; :func:`sample_sentences` draws from it."""
    ns = []
    for text in corpus["text"]:
        text = text if isinstance(text, str) else ""
        ns.append(sum(1 for s, e in sentence_spans(text) if text[s:e].strip()))
    return pd.DataFrame({"doc_id": corpus["doc_id"].to_numpy(), "n_sentences": ns})



_MARKS = re.compile('["“«„”»‟\n]')


def _reference_quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the text inside paired quotation marks (marks excluded).

    Straight quotes toggle; curly quotes open and close. A quote left open at the end of a
    paragraph closes there (news style re-opens it in the next paragraph).

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


# ---- inputs ----

SHAPES = [
    'Japan will act, NHK reported. "We will not yield," said Prime Minister Shinzo Abe.',
    "Lü Chao, a researcher with the Liaoning Academy of Social Sciences, told the Global Times "
    'that "the islands are ours". He added that talks were over.',
    "According to Xinhua, the patrols were routine. The ministry said it expects calm.",
    '"The Diaoyu Islands are China\'s," Liu said. Japan calls them the Senkaku Islands.',
    "Abe said the Senkakus, the Diaoyutai and the East China Sea were calm. Sea of Japan.",
    "Liu\u00a0said the Diaoyu\u2003islands.\tLi said\u3000so.\nsaid Liu\n\"Senkaku\" Wang.",
    "", " ", "diaoyu", "Senkaku.", "east china's sea", "x-diaoyu y-senkaku islands",
]


def _name_texts(tab: NamingTable, n: int, seed: int) -> list[str]:
    """Texts glued from the table's terms (cased, possessive, glued, split by odd gaps) and filler."""
    rng = random.Random(seed)
    terms = [str(t) for vs in tab.concepts.values() for v in vs.values() for t in v["terms"]]
    words = [w for t in terms for w in t.split()]
    bits = [*terms, *terms, *words, "the", "a", "Islands", "sea", "x", "’s", "'s", "s", "-", "’", "é"]
    gaps = [" ", " ", " ", "  ", "\n", "\n\n", "-", "'", "’", ".", ", ", "", "x", " " * 40, '"', "“", "”", " - "]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 30)):
            b = rng.choice(bits)
            b = b.upper() if rng.random() < 0.1 else b.title() if rng.random() < 0.3 else b
            parts.append(b + rng.choice(gaps))
        out.append("".join(parts))
    return out


def _recombined(pool: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    joins = [" ", "\n\n", "\n", "", '"', "“", "x", "-", "’", " - ", "\n \n", "'", " said ", ", Liu said. "]
    docs = []
    for _ in range(n):
        parts = rng.sample(pool, min(len(pool), rng.randint(1, 15)))
        doc = parts[0]
        for p in parts[1:]:
            doc += rng.choice(joins) + p
        docs.append(doc)
    return docs


@pytest.fixture(scope="module")
def texts(seed_corpus) -> list[str]:
    seed = [t for t in seed_corpus["text"] if isinstance(t, str)]
    pool = [*SHAPES] + [t[s:e] for t in seed for s, e in sentence_spans(t)]
    return [*SHAPES, *seed, *_recombined(pool, 120, seed=3), *_name_texts(load_naming(), 300, seed=4)]


TABLES = {
    "shipped": None,
    "user": {"concepts": {"c": {"variants": {
        "a": {"terms": ["ab?c de*", "x y z", "q", "diaoyu islands chain of rocks"]},
        "b": {"terms": ["east china sea", "nation's pride", "diaoyu"]}}},
        "d": {"variants": {"e": {"terms": ["islands"]}, "f": {"terms": ["china sea", "sea"]}}}}},
    "user, a glob first": {"concepts": {"c": {"variants": {
        "a": {"terms": ["*land", "senkaku*", "east * sea"]}, "b": {"terms": ["islands", "is*"]}}}}},
}


@contextmanager
def _store(store):
    """The default splitter with ``store`` (its own store given back after)."""
    split = text_mod._default_splitter()
    before = split._store
    split._store = store
    try:
        yield
    finally:
        split._store = before


def _stores(docs: list[str]):
    """No store, the texts' store, a store of half of them, and one whose first half-digests repeat."""
    full = text_mod.sentence_span_table(docs)
    half = text_mod.sentence_span_table(docs[::2])
    # a twin of every third paragraph: the same first half-digest, a smaller second one (so
    # sorted first: the one search finds the twin, not the paragraph)
    twin = np.arange(0, len(full), 3)
    twin = twin[full.lo[twin] > 0]
    twins = text_mod.SentenceSpans.merge([full, text_mod.SentenceSpans(
        full.hi[twin], full.lo[twin] - np.uint64(1), np.arange(len(twin) + 1),
        np.tile(np.array([0, 1], dtype=np.int32), len(twin)))])
    assert len(twins) == len(full) + len(twin)
    return {"none": None, "full": full, "half": half, "twins": twins}


# ---- tests ----


def test_sentence_spans_each_equals_sentence_spans(texts):
    docs = [*texts, "", " \n\n ", "One.\n\nTwo. Three.", "One.\n\nTwo. Three."]
    want = [sentence_spans(t) for t in docs]
    for name, store in _stores(docs).items():
        with _store(store):
            got = sentence_spans_each(docs)
            assert got == want, name
            assert all(type(s) is int for sp in got for pair in sp for s in pair)
            assert sentence_spans_each([]) == []
            assert sentence_spans_each(["", " "]) == [[], []]


@pytest.mark.parametrize("store", ["none", "full", "half", "twins"])
def test_attributions_and_sentence_counts_equal_the_reference(texts, store):
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts) + 2)], "text": [*texts, None, float("nan")]})
    with _store(_stores(texts)[store]):
        got = sources.attributions(frame)
        pd.testing.assert_frame_equal(got, _reference_attributions(frame), check_exact=True)
        assert len(got) > 300
        pd.testing.assert_frame_equal(framing.sentence_counts(frame), _reference_sentence_counts(frame))


@pytest.fixture(scope="module")
def named(texts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The texts as a corpus (and one missing text), and their attributions."""
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts) + 1)], "text": [*texts, None]})
    return frame, _reference_attributions(frame)


@pytest.mark.parametrize("table", list(TABLES))
@pytest.mark.parametrize("store", ["none", "full", "twins"])
def test_naming_mentions_equal_the_reference(texts, named, table, store):
    tab = load_naming(TABLES[table])
    frame, att = named[0].copy(), named[1]
    with _store(_stores(texts)[store]):
        got = framing.naming_mentions(frame, tab, attributions=att)
        want = _reference_naming_mentions(frame, tab, attributions=att)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert len(got) > 200 and got["voice"].nunique() == 3
    assert (got["start"].diff().fillna(1) >= 0).sum() > 0
    if table == "shipped":  # and the summary read from them
        frame["outlet"] = ["a", "b", "c"] * (len(frame) // 3) + ["a"] * (len(frame) % 3)
        pd.testing.assert_frame_equal(framing.naming_summary(got, frame), framing.naming_summary(want, frame))


def test_naming_mentions_default_attributions_equal_the_reference(texts):
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(60)], "text": texts[:60]})
    pd.testing.assert_frame_equal(framing.naming_mentions(frame), _reference_naming_mentions(frame))
    empty = frame.iloc[:0]
    pd.testing.assert_frame_equal(framing.naming_mentions(empty), _reference_naming_mentions(empty))


def test_quote_spans_equal_the_reference(texts):
    rng = random.Random(8)
    bits = [*'"“«„”»‟', "\n", "\n\n", "\n \n", "\n\t\n", "\n\r\n", " \n", " ", "a", "ab c", "’", "'"]
    soup = ["".join(rng.choice(bits) for _ in range(rng.randint(0, 14))) for _ in range(30000)]
    for t in [*texts, *soup]:
        assert quote_spans(t) == _reference_quote_spans(t), repr(t[:80])
    assert sum(bool(quote_spans(t)) for t in soup) > 5000


def test_naming_mentions_in_small_blocks_equal_the_reference(texts, named, monkeypatch):
    from helpers.framing import naming

    monkeypatch.setattr(naming, "_SPAN_BLOCK", 7)
    frame, att = named
    with _store(_stores(texts)["full"]):
        got = framing.naming_mentions(frame, attributions=att)
        pd.testing.assert_frame_equal(got, _reference_naming_mentions(frame, attributions=att), check_exact=True)
    assert got["doc_id"].nunique() > 50
