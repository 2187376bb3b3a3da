"""textstats.corpus_counts with each document's paragraphs split by ``_paragraphs`` (the separators
of ``paragraph_spans``, ``re.split`` and ``str.strip``) and its pieces looked up with ``map`` equals
the code before (verbatim below as ``_reference_*``: ``paragraph_spans`` and slices).

Compared: ``_paragraphs`` with ``paragraph_spans`` on adversarial texts (every kind of white space
and line break, blank and white-space-only lines, CR LF, form feeds, Unicode separators) and random
strings of them; ``corpus_counts`` (every term and bigram, the notebook's settings, the numbers of
paragraphs and sentences) with the reference batches on the seed, made texts and corpus-2k where it
is there (benchmarks/results/scale, git-ignored).
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from helpers import textstats as ts
from helpers.text import _lowers_tokenwise, paragraph_spans, split_sentences, tokenize
from helpers.textstats import (
    _CODE_AT,
    _DOCS_AT,
    _PIECES_MEMO,
    _SURROGATE,
    _hold_paragraphs,
    _paragraph_sentences,
    _paragraphs,
    _piece_ids,
    _Vocab,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS_2K = ROOT / "benchmarks" / "results" / "scale" / "corpus-2k.jsonl"
SPACES = [" ", "\n", "\n\n", "\t", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u00a0",
          "\u2028", "\u2029", "\u3000", " \n \n ", "\n\t\n", "\n \r\n", "\n\x0c\n"]
WORDS = ["NATO", "Abe's", "Σ", "İZMİR", "U.S.", "said.", "ΟΔΟΣ", "\ud800", "—", "x"]
ODD = ["", " ", "\n\n", "One.\n\nTwo.", "Line one\nLine two\n  \nThree", "a\n\n\n\nb", " lead\n\n trail \n",
       "no blank\nlines\r\nhere\x0bor\x0cthere", "x\u2028y\u2029z\x85w", "\t\n\t\nTabbed.\t\n\t"]


def _reference_corpus_batches(corpus: pd.DataFrame, tally: list[int], vocab: _Vocab):
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
            paras += [text[ps:pe] for ps, pe in paragraph_spans(text)]
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
            yield (_reference_coded_sentences(sentences[part], [i - at for i in unsafe if at <= i < at + _CODE_AT], vocab, memo),
                   np.array(docs[part], dtype=np.int64))
    tally[0] = sum(k if isinstance(k, int) else len(k) for k in held.values())


def _reference_coded_sentences(sentences: list[str], unsafe: list[int], vocab: _Vocab,
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
    found = [memo.get(p) for p in pieces]
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



def _random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(WORDS + SPACES) for _ in range(rng.randint(0, 30))) for _ in range(n)]


def test_paragraphs_equal_paragraph_spans():
    for text in [*ODD, *_random_texts(3000, 1), *SPACES, *WORDS]:
        assert _paragraphs(text) == [text[s:e] for s, e in paragraph_spans(text)], repr(text)


def test_paragraphs_detects_a_change():
    """A split that ignored the no-blank-line fallback (one paragraph per line) is caught."""
    text = "Line one\nLine two"
    assert _paragraphs(text) == ["Line one", "Line two"] != [text.strip()]


def _corpus(texts: list, ids: list | None = None) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ids or [f"d{i}" for i in range(len(texts))],
                         "text": pd.Series(texts, dtype=object)})


def _same_counts(corpus: pd.DataFrame, monkeypatch, **kw):
    got = ts.corpus_counts(corpus, **kw)
    with monkeypatch.context() as m:
        m.setattr(ts, "_corpus_batches", _reference_corpus_batches)
        ref = ts.corpus_counts(corpus, **kw)
    pd.testing.assert_frame_equal(got.terms, ref.terms)
    pd.testing.assert_frame_equal(got.collocations, ref.collocations)
    assert (got.paragraphs, got.sentences) == (ref.paragraphs, ref.sentences)
    return got


@pytest.fixture(scope="module")
def made(seed_corpus) -> pd.DataFrame:
    sents = split_sentences(seed_corpus["text"].iloc[0]) + WORDS
    rng = random.Random(3)
    texts = [rng.choice(SPACES).join(" ".join(rng.choice(sents) for _ in range(rng.randint(1, 4)))
                                     for _ in range(rng.randint(0, 6))) for _ in range(150)]
    texts = [t for t in texts if not _SURROGATE.search(t)]  # a loaded corpus holds none
    return _corpus([seed_corpus["text"].iloc[0], *texts, *ODD, None], None)


@pytest.mark.parametrize("kw", [{"min_count": 1, "top": -1}, {"min_count": 2, "top": 25}])
def test_corpus_counts_equal_reference(made, seed_corpus, monkeypatch, kw):
    _same_counts(seed_corpus[["doc_id", "text"]], monkeypatch, **kw)
    _same_counts(made, monkeypatch, **kw)
    _same_counts(_corpus(["x"] * 3 + list(made["text"]), ["a", "a", "b", *made["doc_id"]]), monkeypatch, **kw)


def test_corpus_counts_small_reads_equal_reference(made, monkeypatch):
    monkeypatch.setattr(ts, "_DOCS_AT", 7)
    monkeypatch.setattr(ts, "_CODE_AT", 5)
    monkeypatch.setattr(ts, "_PIECES_MEMO", 3)
    _same_counts(made, monkeypatch, min_count=1, top=-1)


@pytest.mark.skipif(not CORPUS_2K.exists(), reason="corpus-2k not generated (benchmarks/results/scale)")
def test_corpus_counts_equal_reference_corpus_2k(monkeypatch):
    texts = pd.read_json(CORPUS_2K, lines=True)["text"].astype(str).tolist()
    corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    got = _same_counts(corpus, monkeypatch, min_count=2, top=25)
    assert got.sentences > 0
