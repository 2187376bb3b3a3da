"""Notebook 00 at scale: its counts, concordance and republication chains without the table of
every sentence, against the code before (verbatim below as ``_reference_*``, only names changed).

- :func:`helpers.textstats.corpus_counts` (terms, collocations, paragraphs and sentences from the
  documents a block of sentences at a time) equals ``frequencies_and_collocations`` of
  ``units(corpus, "sentence")`` as it was, and that table's numbers of paragraphs and sentences;
- :func:`helpers.textstats.sentence_kwic` equals ``kwic(units(corpus, "sentence"), ...)``;
- ``_merge_counts``/``_merge_into`` (the pairs' counts merged without ``np.unique``) equal the
  earlier merge, and ``count_stream`` still equals the earlier one on the sentence table;
- ``republication_chain``/``wire_credits`` (only the columns a chain reads, the sentence ends
  found from the white space, only the sentences looked at split) equal the earlier code.

Texts: the seed article, the test fixtures, recombined and edge texts, and corpus-2k when it is
there (benchmarks/results/scale, git-ignored).
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import text, textstats
from helpers import textstats as ts
from helpers.corpus import provenance as pv
from helpers.text import STOP_WORDS

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
CORPUS_2K = ROOT / "benchmarks" / "results" / "scale" / "corpus-2k.jsonl"
EDGE = ["", "   ", "\n\n", "NATO's", "NATO’S plan. It's Jones' and the boss's.", "rock'n'roll's a-b's x-'s",
        "İstanbul’s İZMİR'S mayor. ΟΔΟΣ'S ΣΟΦΙΑ Σ'S", "Mr. Abe met U.S. officials. They left.\n\nDr. No.",
        "“Quoted,” he said. ‘Single’ ones.\nA line\nAnother line", "no terminal punctuation", "!!! ??? ...",
        "Σ. Σ's ς σ", "Senator Nato met NATO. nato-led NATOs.\n\n(Reuters) NATO’s plan!"]


def _fixture_texts() -> list[str]:
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(FIXTURES.rglob("*"))
            if p.is_file() and p.suffix in {".txt", ".html", ".xml", ".csv", ".json", ".jsonl", ".md"}]


def _corpus(texts: list, ids: list | None = None) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ids or [f"d{i}" for i in range(len(texts))], "text": texts})


@pytest.fixture(scope="module")
def small(seed_corpus) -> pd.DataFrame:
    """The seed, the fixtures, the edge texts and documents recombined from their sentences."""
    seed = seed_corpus["text"].iloc[0]
    sents = text.split_sentences(seed) + [e for e in EDGE if e.strip()]
    rng = random.Random(12)
    made = ["\n\n".join(" ".join(rng.choice(sents) for _ in range(rng.randint(1, 4)))
                        for _ in range(rng.randint(0, 5))) for _ in range(60)]
    return _corpus([seed, *_fixture_texts(), *made, *EDGE, None])


@pytest.fixture(scope="module")
def big() -> pd.DataFrame:
    if not CORPUS_2K.is_file():
        pytest.skip("corpus-2k is not there (benchmarks/results/scale, git-ignored)")
    return pd.read_json(CORPUS_2K, lines=True).rename(columns={"id": "doc_id"})[["text"]].assign(
        doc_id=lambda f: [f"k{i}" for i in range(len(f))])[["doc_id", "text"]]


def _want(corpus, min_count=2, stop_words=STOP_WORDS, top=30):
    u = text.units(corpus, "sentence")
    terms, colls = _reference_frequencies_and_collocations(u, min_count, stop_words, top)
    return terms, colls, len(u[["doc_id", "paragraph"]].drop_duplicates()), len(u)


def _check_counts(corpus, **kwargs):
    got = textstats.corpus_counts(corpus, **kwargs)
    terms, colls, paragraphs, sentences = _want(corpus, **kwargs)
    pd.testing.assert_frame_equal(got.terms, terms, check_index_type=False)
    pd.testing.assert_frame_equal(got.collocations, colls, check_index_type=False)
    assert (got.paragraphs, got.sentences) == (paragraphs, sentences)
    return got


@pytest.mark.parametrize("stop_words", [STOP_WORDS, None, ["the", "nato", "a", "islands"]])
@pytest.mark.parametrize("tiny", [False, True])
def test_corpus_counts_equal_the_sentence_table(small, stop_words, tiny, monkeypatch):
    """Also with tiny blocks, batches, reads and merges (a document's sentences then span several
    blocks and batches, and the pairs are merged into the running counts many times)."""
    if tiny:
        for name, value in [("_BLOCK", 3), ("_COUNT_TOKENS", 10), ("_MERGE_AT", 5), ("_DOCS_AT", 2)]:
            monkeypatch.setattr(textstats, name, value)
    got = _check_counts(small, min_count=2, stop_words=stop_words, top=40)
    assert len(got.terms) > 100 and len(got.collocations) == 40 and got.sentences > 200


def test_corpus_counts_edges(monkeypatch):
    """The sentinel's letter in a text (each sentence tokenized alone), no documents, only empty
    ones, consecutive rows of one doc_id (one document, as in the sentence table), rows without text."""
    cases = [_corpus(["Ꙭꙭ ꙮ eyes. Many ꙮ eyes here.", "", "NATO’s İZMİR'S plan. Σ's ΟΔΟΣ.\n\nNATO’s plan!", "x"]),
             _corpus([]), _corpus(["", "  \n\n ", None]),
             _corpus(["Global Times said. Global Times.", "Global Times again.", "Other text. Global Times."],
                     ["a", "a", "b"]),
             _corpus(["Diaoyu Islands. Diaoyu Islands!", None, "", "Diaoyu Islands?"], ["a", "b", "c", "a"])]
    for corpus in cases:
        for tiny in (False, True):
            if tiny:
                for name, value in [("_BLOCK", 1), ("_COUNT_TOKENS", 2), ("_MERGE_AT", 1), ("_DOCS_AT", 1)]:
                    monkeypatch.setattr(textstats, name, value)
            _check_counts(corpus, min_count=1)
            _check_counts(corpus, min_count=1, stop_words=None)


def test_corpus_counts_on_corpus_2k(big, monkeypatch):
    monkeypatch.setattr(textstats, "_MERGE_AT", 50_000)  # the running pairs merged with new ones several times
    monkeypatch.setattr(textstats, "_COUNT_TOKENS", 100_000)
    got = _check_counts(big, min_count=2, top=25)
    assert got.sentences > 50_000


@pytest.mark.parametrize("term", ["NATO", "nato", "secur*", "Diaoyu Islands", "global   times", "China's",
                                  "U.S.", "nobody-would-write-this"])
@pytest.mark.parametrize("window", [0, 3, 8])
def test_sentence_kwic_equals_kwic_of_the_sentence_table(small, term, window, monkeypatch):
    monkeypatch.setattr(textstats, "_DOCS_AT", 7 if window else 2000)  # texts read a few at a time
    got = textstats.sentence_kwic(small, term, window)
    pd.testing.assert_frame_equal(got, text.kwic(text.units(small, "sentence"), term, window),
                                  check_index_type=False)


def test_sentence_kwic_on_corpus_2k(big):
    for term in ("NATO", "Japan*", "said"):
        got = textstats.sentence_kwic(big, term, 8)
        pd.testing.assert_frame_equal(got, text.kwic(text.units(big, "sentence"), term, 8))
        assert len(got) > 10


def test_sentence_kwic_without_documents():
    empty = textstats.sentence_kwic(_corpus([]), "NATO")
    assert empty.empty and list(empty.columns) == ["doc_id", "unit_id", "start", "end", "left", "match", "right"]


def test_count_stream_on_the_sentence_table_equals_the_reference(small, monkeypatch):
    """frequencies_and_collocations (count_stream with its new merges and batches) as before."""
    u = text.units(small, "sentence")
    for tiny in (False, True):
        if tiny:
            for name, value in [("_BLOCK", 3), ("_COUNT_TOKENS", 10), ("_MERGE_AT", 5)]:
                monkeypatch.setattr(textstats, name, value)
        got = textstats.frequencies_and_collocations(u, top=50)
        want = _reference_frequencies_and_collocations(u, top=50)
        pd.testing.assert_frame_equal(got[0], want[0])
        pd.testing.assert_frame_equal(got[1], want[1])


def _sorted_unique(rng, n, high):
    keys = np.unique(rng.integers(0, high, n, dtype=np.int64))
    return keys, rng.integers(1, 50, len(keys), dtype=np.int64)


def test_merges_equal_the_earlier_merge():
    rng = np.random.default_rng(5)
    for _ in range(200):
        parts = [_sorted_unique(rng, int(rng.integers(0, 40)), int(rng.choice([5, 60, 1 << 40])))
                 for _ in range(int(rng.integers(0, 5)))]
        want = _reference_merge_counts(parts) if parts else (np.zeros(0, np.int64), np.zeros(0, np.int64))
        got = textstats._merge_counts(parts)
        for g, w in zip(got, want, strict=True):
            assert g.dtype == np.int64 and np.array_equal(g, w)
        if len(parts) >= 1:
            running = (parts[0][0].copy(), parts[0][1].copy())
            got = textstats._merge_into(*running, *textstats._merge_counts(parts[1:]))
            for g, w in zip(got, want, strict=True):
                assert g.dtype == np.int64 and np.array_equal(g, w)


# --- republication chains -------------------------------------------------------------------------

_REF_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'\u201d\u2019]))\s+(?=[A-Z(\"'\u201c\u2014\u2013-])")


def _random_lines(n: int, seed: int = 3) -> list[str]:
    """Strings over the characters the sentence-end pattern looks at (and a few others)."""
    rng = random.Random(seed)
    alphabet = ".!?\"'\u201d\u2019\u201c\u2014\u2013-( ) \t\u00a0\u2003\x1caAZzq1\n"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(n)]


def test_sentence_end_pattern_splits_as_before():
    lines = _random_lines(30_000)
    for ln in lines:
        assert pv._SENTENCE_END.split(ln) == _REF_SENTENCE_END.split(ln), repr(ln)
        for k in (1, 2, 3):
            assert pv._SENTENCE_END.split(ln, maxsplit=k) == _REF_SENTENCE_END.split(ln, maxsplit=k), repr(ln)


def _credit_texts(seed_corpus) -> list[str]:
    rng = random.Random(9)
    pieces = ["TOKYO (Reuters) - Japan said.", "By Jane Roe, Associated Press", "Source: Xinhua",
              "AFP contributed to this report.", "Agencies contributed to this story", "(Reuters)", "With AFP",
              "The original source of this article is Global Times.", "This story was originally published by RT.",
              "First published in The Conversation on 3 May 2013.", "He said. “Yes!” She left.", "End? Start!",
              "Dr. No. Mr. Abe met U.S. officials. They left.", "— With agencies", "x", " ", ""]
    made = ["\n\n".join("\n".join(" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 5)))
                                   for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(0, 5)))
            for _ in range(400)]
    return [*seed_corpus["text"], *_fixture_texts(), *EDGE, *made, *_random_lines(2000, seed=4)]


def test_wire_credits_equal_the_earlier_code(seed_corpus):
    texts = _credit_texts(seed_corpus)
    got = [pv.wire_credits(t) for t in texts]
    assert got == [_reference_wire_credits(t) for t in texts]
    assert sum(bool(g["original_outlet"]) for g in got) > 20 and sum(bool(g["wire_contributors"]) for g in got) > 20


def test_republication_chain_equals_the_earlier_code(seed_corpus, monkeypatch):
    texts = _credit_texts(seed_corpus)
    rng = random.Random(2)
    outlets = ["Global Research", "RT", "Reuters", "", "Global Times"]
    corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts,
                           "outlet": [rng.choice(outlets) for _ in texts], "author": [rng.choice(["Stop NATO", "", "Liu Sha"]) for _ in texts],
                           "original_outlet": [rng.choice(outlets) for _ in texts],
                           "original_author": [rng.choice(["", "Liu Sha", None]) for _ in texts],
                           "format": [rng.choice(["aggregator", "html"]) for _ in texts],
                           "copyright": [rng.choice(["", "(c) Stop NATO", float("nan")]) for _ in texts],
                           "duplicate_of": [rng.choice(["", "d0"]) for _ in texts],
                           "date": pd.to_datetime("2013-01-14"), "n_words": 3})
    monkeypatch.setattr(pv, "_CHAIN_ROWS_AT", 7)
    for frame in (corpus, seed_corpus, corpus[["doc_id", "text"]], corpus.iloc[:0], corpus[["date"]]):
        pd.testing.assert_frame_equal(pv.republication_chain(frame), _reference_republication_chain(frame))


def test_wire_credit_counts_equal_the_earlier_code(seed_corpus):
    texts = _credit_texts(seed_corpus)
    chains = pv.republication_chain(pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts}))
    for frame in (chains, chains.iloc[:0], chains.iloc[:3]):
        pd.testing.assert_frame_equal(pv.wire_credit_counts(frame), _reference_wire_credit_counts(frame))
    assert len(pv.wire_credit_counts(chains)) >= 4


def test_republication_chain_on_corpus_2k(big):
    pd.testing.assert_frame_equal(pv.republication_chain(big), _reference_republication_chain(big))


# --- the code before, verbatim but for the _reference_ names ---------------------------------------
_REF_COUNT_TOKENS = 1_000_000
_REF_MERGE_AT = 20_000_000
_REF_BLOCK = 2000


def _reference_frequencies_and_collocations(sentences: pd.DataFrame, min_count: int = 2,
                                 stop_words: Iterable[str] | None = STOP_WORDS,
                                 top: int = 30) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(term_frequencies(corpus, stop_words=...), collocations(sentences, min_count, ..., top))``
    from one pass over the sentences (each tokenized once for both tables).

    In: the corpus's sentence units (``helpers.text.units(corpus, "sentence")``; ``doc_id`` unique
    per document). A document's tokens are its sentences' tokens (the text between sentences is
    white space), so the counts and documents per term equal those of the corpus (tests compare).
    """
    if len(sentences) and not ts._is_sentence_table(sentences):
        raise ValueError("frequencies_and_collocations needs sentence units: units(corpus, 'sentence')")
    stop = None if stop_words is None else frozenset(stop_words)
    doc_ids = sentences["doc_id"]
    sentence_doc = (doc_ids != doc_ids.shift()).cumsum().to_numpy(dtype=np.int64) - 1
    counts = _reference_count_stream(_reference_sentence_blocks(ts._sentences_of(sentences), None), stop, sentence_doc)
    return ts.term_table(counts), ts.collocation_table(counts, min_count, top)


def _reference_count_stream(blocks, stop: frozenset | None, sentence_doc: np.ndarray | None = None) -> ts.StreamCounts:
    """In: blocks of sentence tokens with stop words kept, ``stop`` (or ``None``), and optionally
    the document number of each sentence (non-decreasing: a document's sentences are
    consecutive). Out: :class:`ts.StreamCounts`."""
    vocab: dict[str, int] = {}
    counts = docs = np.zeros(0, dtype=np.int64)
    is_stop = np.zeros(0, dtype=bool)
    keys = key_counts = np.zeros(0, dtype=np.int64)
    pending: list[tuple[np.ndarray, np.ndarray]] = []
    carry = np.zeros(0, dtype=np.int64)  # (document << 32 | word) of the document a batch ended in
    n = sentences_seen = 0
    for words, separator in _reference_batched(blocks, _REF_COUNT_TOKENS):
        local, uniques = pd.factorize(np.array(words, dtype=object))  # None (a separator) -> -1
        known = len(vocab)
        ids = np.array([-1 if w == separator else vocab.setdefault(w, len(vocab)) for w in uniques],
                       dtype=np.int64)
        codes = np.where(local >= 0, ids[np.maximum(local, 0)], -1) if len(ids) else local.astype(np.int64)
        new = list(vocab)[known:]
        is_stop = np.concatenate([is_stop, np.array([w in stop for w in new] if stop else [False] * len(new),
                                                    dtype=bool)])
        grow = np.zeros(len(vocab) - known, dtype=np.int64)
        counts, docs = np.concatenate([counts, grow]), np.concatenate([docs, grow])
        sep = codes < 0
        real = ~sep
        counts += np.bincount(codes[real], minlength=len(vocab))
        if sentence_doc is not None:
            sentence = sentences_seen + np.cumsum(sep) - sep  # separators before each token
            sentences_seen += int(sep.sum())
            doc = sentence_doc[sentence[real]].astype(np.int64)
            if len(doc):  # the last document may go on in the next batch: its pairs wait
                pairs = ts._distinct(np.concatenate([carry, (doc << 32) | codes[real]]))
                done = (pairs >> 32) < doc[-1]
                docs += np.bincount(pairs[done] & 0xFFFFFFFF, minlength=len(vocab))
                carry = pairs[~done]
        kept = codes[sep | ~is_stop[np.maximum(codes, 0)]]  # stop words out, separators in
        inside = (kept[:-1] >= 0) & (kept[1:] >= 0)  # a pair (i, i + 1) within one sentence
        n += int((kept >= 0).sum())
        pending.append(np.unique((kept[:-1][inside] << 32) | kept[1:][inside], return_counts=True))
        if sum(len(k) for k, _ in pending) > _REF_MERGE_AT:
            keys, key_counts = _reference_merge_counts([(keys, key_counts), *pending])
            pending = []
    keys, key_counts = _reference_merge_counts([(keys, key_counts), *pending])
    if sentence_doc is not None:
        docs += np.bincount(carry & 0xFFFFFFFF, minlength=len(vocab))
    return ts.StreamCounts(list(vocab), counts, docs if sentence_doc is not None else None, is_stop, n, keys,
                        key_counts)


def _reference_sentence_blocks(sentences: list[str], stop: frozenset | None):
    """Yields ``(tokens, separator)`` per :data:`_REF_BLOCK` sentences: the tokens of each sentence,
    each followed by the separator (so no pair spans two blocks, and memory stays bounded).

    Sentences are joined ``"\\n<sentinel>\\n"`` and tokenized a run at a time: a line break
    ends every token and look-around as the end of a string does, so the tokens are those of
    each sentence alone (tests compare); the separator is :data:`ts._SENTINEL`, or ``None`` (each
    sentence tokenized alone) if a sentence holds the sentinel's letter.
    """
    if any(ts._SENTINEL[0] in sent for sent in sentences):
        for lo in range(0, len(sentences), _REF_BLOCK):
            words: list = []
            for sent in sentences[lo:lo + _REF_BLOCK]:
                words += ts.tokenize(sent, stop_words=stop)
                words.append(None)
            yield words, None
        return
    stop = stop - {ts._SENTINEL} if stop is not None else None
    for lo in range(0, len(sentences), _REF_BLOCK):
        block = sentences[lo:lo + _REF_BLOCK]
        plain = [not ts._NOT_PLAIN_RE.search(sent) for sent in block]
        words = []
        start = 0
        for is_plain, run in itertools.groupby(plain):  # consecutive sentences of one kind
            end = start + len(list(run))
            joined = ts._JOIN.join(block[start:end])
            words += ts._plain_stream_tokens(joined, stop) if is_plain else ts.tokenize(joined, stop_words=stop)
            words.append(ts._SENTINEL)
            start = end
        yield words, ts._SENTINEL


def _reference_batched(blocks, size: int):
    """Blocks of :func:`_sentence_blocks` joined until they hold at least ``size`` tokens (each
    ends with the separator, so joining them keeps pairs within sentences)."""
    buffer: list = []
    separator = None
    for words, separator in blocks:
        buffer += words
        if len(buffer) >= size:
            yield buffer, separator
            buffer = []
    if buffer:
        yield buffer, separator


def _reference_merge_counts(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Sum counts of equal keys over several (sorted unique keys, counts) pairs."""
    allk = np.concatenate([k for k, _ in parts])
    if not len(allk):
        return allk.astype(np.int64), np.zeros(0, dtype=np.int64)
    keys, inv = np.unique(allk, return_inverse=True)
    return keys, np.bincount(inv, weights=np.concatenate([c for _, c in parts])).astype(np.int64)


def _reference_wire_credits(text: str) -> dict:
    """Explicit credits in one article body: who it came from and which agencies contributed.

    Looks only where credits stand: the start of the text (a dateline "TOKYO (Reuters) -" in
    the first 300 characters, a byline "By X, Associated Press", a "Source: Xinhua" line) and
    its last :data:`pv.TAIL_SENTENCES` sentences ("AFP contributed to this report", "Agencies
    contributed to this story", a lone "(Reuters)", "With AFP", and, at the start of a sentence,
    "The original source of this article is X", "This story was originally published by X").
    "..., Reuters reported." inside the body is a citation, not a credit, and is not counted.

    Returns ``{"wire_source", "wire_contributors" (list), "original_outlet", "byline",
    "evidence" (list of quoted signals)}``; empty strings/lists when nothing is found.

    >>> _reference_wire_credits("TOKYO (Reuters) - Japan will ...\\n\\nMore text.")["wire_source"]
    'Reuters'
    >>> _reference_wire_credits("Text.\\n\\nAgencies contributed to this story")["wire_contributors"]
    ['agencies']
    """
    out = {"wire_source": "", "wire_contributors": [], "original_outlet": "", "byline": "", "evidence": []}
    paras = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    if not paras:
        return out
    head_lines = [ln.strip() for ln in paras[0].splitlines()[:3] if ln.strip()]
    for ln in head_lines:
        if m := pv._BYLINE_AGENCY.match(ln):
            out["wire_source"] = out["wire_source"] or pv._agency(m.group("agency"))
            out["byline"] = out["byline"] or m.group("names").strip(" ,|")
            out["evidence"].append(f"byline: {ln!r}")
        elif (m := pv._BYLINE.match(ln)) and len(ln.split()) <= 8:
            out["byline"] = out["byline"] or m.group("names").strip()
            out["evidence"].append(f"byline: {ln!r}")
        elif m := pv._SOURCE_LINE.match(ln):
            out["wire_source"] = out["wire_source"] or pv._agency(m.group("agency"))
            out["evidence"].append(f"source line: {ln!r}")
    if m := pv._DATELINE.match(paras[0][:300]):
        out["wire_source"] = out["wire_source"] or pv._agency(m.group("agency"))
        out["evidence"].append(f"dateline: {m.group(0).strip()!r}")
    tail = [sent.strip() for para in paras[-2:] for ln in para.splitlines() for sent in _REF_SENTENCE_END.split(ln)
            if sent.strip()]
    for sentence in tail[-pv.TAIL_SENTENCES:]:
        pv._tail_line(sentence, out)
    if not out["original_outlet"]:
        head = [x.strip() for ln in paras[0].splitlines() for x in _REF_SENTENCE_END.split(ln) if x.strip()]
        for sentence in head[:pv.HEAD_SENTENCES]:
            if m := pv._ORIGINAL.match(sentence):
                out["original_outlet"] = pv._outlet_name(m.group("outlet"))
                out["evidence"].append(f"credit: {sentence[:120]!r}")
                break
    return out


def _reference_chain_row(doc: dict) -> dict:
    """One document's chain from its corpus fields and the credits in its text."""
    credits = _reference_wire_credits(doc.get("text", ""))
    evidence = []
    outlet, author = doc.get("outlet", ""), doc.get("author", "")
    original = doc.get("original_outlet", "")
    original_author = doc.get("original_author", "")
    if original:
        evidence.append(f"reader: original outlet {original!r}")
    elif credits["original_outlet"]:
        original = credits["original_outlet"]
    if not original_author and credits["byline"] and pv._key(credits["byline"]) != pv._key(author):
        original_author = credits["byline"]
    reposted_by = ""
    others = {pv._key(x) for x in (original_author, original, outlet) if x}
    if original and author and pv._key(author) not in others and (original_author or doc.get("format") == "aggregator"):
        reposted_by = author
        evidence.append(f"reader: reposting byline {author!r}" + (f" (original author {original_author!r})"
                                                                     if original_author else ""))
    copyright_line = str(doc.get("copyright", "") or "")
    if copyright_line and reposted_by and pv._key(reposted_by) in pv._key(copyright_line):
        evidence.append(f"copyright: {copyright_line!r}")
    steps: list[str] = []
    for step in (credits["wire_source"], original, reposted_by, outlet):
        if step and pv._key(pv._agency(step)) not in {pv._key(pv._agency(s)) for s in steps}:
            steps.append(step)
    return {"doc_id": doc.get("doc_id", ""), "story": doc.get("duplicate_of", "") or doc.get("doc_id", ""),
            "outlet": outlet, "reposted_by": reposted_by, "original_outlet": original,
            "original_author": original_author, "wire_source": credits["wire_source"],
            "wire_contributors": ", ".join(credits["wire_contributors"]), "chain": " -> ".join(steps),
            "n_steps": len(steps), "evidence": "; ".join(dict.fromkeys(evidence + credits["evidence"]))}


def _reference_republication_chain(corpus: pd.DataFrame) -> pd.DataFrame:
    """Who a story passed through before this copy, per document, from explicit signals only.

    The chain runs from the earliest party named to the publisher of this copy: a wire service
    credited as the source (dateline, byline, "Source:" or a lone credit line; see
    :func:`wire_credits`), the original outlet (the reader's ``original_outlet``, else "The
    original source of this article is X" / "originally published in X" in the text), the
    reposting author when the reader found two bylines (or an aggregator's poster) and the
    ``outlet``. Agencies that only *contributed* ("Agencies contributed to this story") are
    listed in ``wire_contributors``, not as a step. Nothing is inferred from similarity; for
    copies found by text similarity see ``duplicate_of`` (``story`` is the earliest copy's id).

    Columns: ``doc_id``, ``story``, ``outlet``, ``reposted_by``, ``original_outlet``,
    ``original_author``, ``wire_source``, ``wire_contributors`` (comma-separated), ``chain``
    ("A -> B -> C"), ``n_steps``, ``evidence`` (the signals quoted, ";"-separated).

    >>> doc = {"doc_id": "x", "outlet": "Global Research", "author": "Stop NATO", "format": "aggregator",
    ...        "original_outlet": "Global Times", "original_author": "Liu Sha", "text": "Body."}
    >>> _reference_republication_chain(pd.DataFrame([doc]))["chain"].tolist()
    ['Global Times -> Stop NATO -> Global Research']
    """
    if corpus.empty:
        return pd.DataFrame(columns=pv.CHAIN_COLUMNS)
    rows = [_reference_chain_row({k: ("" if v is None or (isinstance(v, float) and v != v) else v) for k, v in rec.items()})
            for rec in corpus.to_dict("records")]
    return pd.DataFrame(rows, columns=pv.CHAIN_COLUMNS)


def _reference_wire_credit_counts(chains: pd.DataFrame) -> pd.DataFrame:
    """Documents crediting each wire service, as the source and as a contributor.

    Takes :func:`republication_chain`'s table; returns ``agency``, ``as_source``,
    ``as_contributor``, ``documents`` (either), one row per agency in :data:`pv.WIRE_AGENCIES`
    order, agencies never credited left out.
    """
    rows = []
    for name in pv.WIRE_AGENCIES:
        src = chains["wire_source"] == name if len(chains) else pd.Series(dtype=bool)
        con = chains["wire_contributors"].str.split(", ").map(lambda xs, n=name: n in xs) if len(chains) else src
        if src.any() or con.any():
            rows.append({"agency": name, "as_source": int(src.sum()), "as_contributor": int(con.sum()),
                         "documents": int((src | con).sum())})
    return pd.DataFrame(rows, columns=["agency", "as_source", "as_contributor", "documents"])
