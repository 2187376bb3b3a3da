"""textstats.corpus_counts with its tokens coded from pieces (text between ASCII white space,
split and told apart by pyarrow, each distinct piece tokenized once) equals the code before
(verbatim below as ``_reference_*``: the sentences joined and tokenized, the tokens factorized).

Compared: the two tables with every term and every bigram (``min_count=1``, no top cut), the
notebook's settings, and the paragraph and sentence numbers; texts: the seed article, the test
fixtures, recombined sentences, adversarial texts (the lower-case exceptions İ and Σ, lone
surrogates, possessives at piece edges, non-ASCII and ASCII-control white space, the old
sentinel's letter), repeated doc_ids, tiny reads and piece memos, and corpus-2k where it is
there (benchmarks/results/scale, git-ignored).
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import text as text_mod
from helpers import textstats as ts
from helpers.text import STOP_WORDS, _default_splitter, paragraph_spans, tokenize
from helpers.textstats import (
    _BLOCK,
    _COUNT_TOKENS,
    _DOCS_AT,
    _JOIN,
    _MERGE_AT,
    _NOT_PLAIN_RE,
    _SENTINEL,
    CorpusCounts,
    StreamCounts,
    _hold_paragraphs,
    _merge_counts,
    _merge_into,
    _plain_stream_tokens,
    collocation_table,
    term_table,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
CORPUS_2K = ROOT / "benchmarks" / "results" / "scale" / "corpus-2k.jsonl"
ODD = ["", "  ", "NATO's plan. It's Jones' and the boss's.", "'s ’s 's' s' ’S Jones’ x's-y o'-s",
       "İstanbul’s İZMİR'S mayor. ΟΔΟΣ'S ΣΟΦΙΑ Σ'S", "Σ. Σ's ς σ. Plain after.", "Mr. Abe met U.S. officials. They left.",
       "a\u00a0b\u3000c d\x1ce\x1df\u2028g\u0085h\u200bi\tj\x0bk\x0cl\rm", "lone \ud800 surrogate's here. Next one.",
       "Ꙭꙭ ꙮ eyes. Many ꙮ eyes here.", "Straße ǅemal Ǉ ﬁne ŉ ǰ. Crème brûlée’s café.", "rock'n'roll's a-b's x-'s -y y-",
       "2,000 men. 3.5% rise. 1990s", "“Quoted,” he said. ‘Single’ ones.\nA line\nAnother line", "!!! ??? ...",
       "Global Times said. Global Times. Diaoyu Islands! Diaoyu Islands?", "ÀÉÎ Ωμέγα NATO’S. Ⅻ ⅻ ǈ"]


def _corpus(texts: list, ids: list | None = None) -> pd.DataFrame:
    """Texts as objects (a lone surrogate has no UTF-8 form, so pandas' default string column refuses it)."""
    return pd.DataFrame({"doc_id": ids or [f"d{i}" for i in range(len(texts))],
                         "text": pd.Series(texts, dtype=object)})


def _as_strings(corpus: pd.DataFrame) -> pd.DataFrame:
    """The corpus without texts holding a lone surrogate, as pandas' default string columns (a loaded corpus's)."""
    keep = [not isinstance(t, str) or not ts._SURROGATE.search(t) for t in corpus["text"]]
    return corpus.loc[keep].astype({"doc_id": "str", "text": "str"}).reset_index(drop=True)


def _fixture_texts() -> list[str]:
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(FIXTURES.rglob("*"))
            if p.is_file() and p.suffix in {".txt", ".html", ".xml", ".csv", ".json", ".jsonl", ".md"}]


@pytest.fixture(scope="module")
def small(seed_corpus) -> pd.DataFrame:
    seed = seed_corpus["text"].iloc[0]
    sents = text_mod.split_sentences(seed) + [o for o in ODD if o.strip()]
    rng = random.Random(17)
    made = ["\n\n".join(" ".join(rng.choice(sents) for _ in range(rng.randint(1, 4)))
                        for _ in range(rng.randint(0, 5))) for _ in range(80)]
    texts = [seed, *_fixture_texts(), *made, *ODD, None]
    ids = [f"d{i}" for i in range(len(texts))]
    ids[5] = ids[4]  # consecutive rows of one document, and a doc_id seen again later
    ids[-3] = ids[0]
    return _corpus(texts, ids)


def _check(corpus, monkeypatch=None, tiny=False, **kwargs):
    try:
        want = _reference_corpus_counts(corpus, **kwargs)
    except IndexError:  # sentences but not one token in the corpus: the code before failed
        want = None
    if tiny:
        monkeypatch.setattr(ts, "_DOCS_AT", 2)
        monkeypatch.setattr(ts, "_PIECES_MEMO", 3)
        monkeypatch.setattr(ts, "_CODE_AT", 3)
    got = ts.corpus_counts(corpus, **kwargs)
    if want is None:
        assert got.terms.empty and got.collocations.empty and got.sentences > 0
        return got
    pd.testing.assert_frame_equal(got.terms, want.terms)
    pd.testing.assert_frame_equal(got.collocations, want.collocations)
    assert (got.paragraphs, got.sentences) == (want.paragraphs, want.sentences)
    return got


@pytest.mark.parametrize("stop_words", [STOP_WORDS, None, ["the", "nato", "a", "islands", "s"]])
@pytest.mark.parametrize("tiny", [False, True])
@pytest.mark.parametrize("strings", [False, True])
def test_every_term_and_pair_as_before(small, stop_words, tiny, strings, monkeypatch):
    corpus = _as_strings(small) if strings else small
    got = _check(corpus, monkeypatch, tiny, min_count=1, stop_words=stop_words, top=10**9)
    assert len(got.terms) > 300 and len(got.collocations) > 1000 and got.sentences > 300


@pytest.mark.parametrize("tiny", [False, True])
def test_notebook_settings_as_before(small, tiny, monkeypatch):
    got = _check(small, monkeypatch, tiny, min_count=2, top=25)
    assert len(got.collocations) == 25


def test_odd_texts_one_by_one_and_empty(monkeypatch):
    for o in [*ODD, None]:
        _check(_corpus([o]), min_count=1, top=10**9)
        _check(_corpus([o, o, "Plain words here. More plain words."], ["a", "a", "b"]), min_count=1, top=10**9)
    _check(_corpus([]), min_count=1)
    _check(_corpus(["", None, " \n\n "]), monkeypatch, True, min_count=1)


@pytest.fixture
def use_store():
    yield text_mod.use_sentence_spans
    text_mod.use_sentence_spans(None)


def test_with_a_store_of_spans(small, use_store, monkeypatch):
    """The paragraphs looked up at once in the store of spans (as in a report's kernels): a store of
    every paragraph, of a third of the documents' (the others split), and one where another digest
    shares the first half of a paragraph's and sorts before it (that paragraph asked alone)."""
    texts = [t for t in small["text"] if isinstance(t, str) and not ts._SURROGATE.search(t)]
    full = text_mod.sentence_span_table(texts)
    part = text_mod.sentence_span_table(texts[::3])
    keys, _ = full.frame()
    clash_hi = keys["hi"].to_numpy()[len(keys) // 2]
    assert keys["lo"].to_numpy()[len(keys) // 2] != 0
    fake = text_mod.SentenceSpans(np.array([clash_hi]), np.array([0]), np.array([0, 1]), np.array([0, 1]))
    clash = text_mod.SentenceSpans.merge([fake, full])
    split = text_mod._default_splitter()
    paras = [t[ps:pe] for t in texts for ps, pe in text_mod.paragraph_spans(t)]
    for name, store in (("full", full), ("part", part), ("clash", clash)):
        use_store(store)
        _check(small, monkeypatch, False, min_count=1, top=10**9)
        _check(small, monkeypatch, True, min_count=2, top=25)
        asked: list[str] = []
        monkeypatch.setattr(split, "paragraph_sentences",
                            lambda p, f=split.paragraph_sentences, a=asked: a.append(p) or f(p))
        counts, sentences = ts._paragraph_sentences(paras)
        monkeypatch.undo()
        want = [split.paragraph_sentences(p) for p in paras]
        assert counts == [len(w) for w in want]
        assert sentences == [p[s:e] for p, w in zip(paras, want, strict=True) for s, e in w]
        if name == "full":
            assert not asked
        elif name == "clash":
            assert len(set(asked)) == 1 and text_mod._digest(asked[0])[:8] == int(clash_hi).to_bytes(8, "little")
        else:
            assert 0 < len(asked) < len(paras)


def test_pieces_tokenize_as_tokenize():
    rng = random.Random(4)
    alphabet = "aZs'’-. \u00a0é\u3000Ω1_ꙮ\u2028ǅŉ"
    pieces = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(20_000)]
    pieces = [p for p in pieces if " " not in p and "\u0130" not in p and "\u03a3" not in p]
    vocab = ts._Vocab(None)
    got = ts._piece_ids(pieces, vocab)
    words = list(vocab.index)
    assert [[words[i] for i in ids] for ids in got] == [text_mod.tokenize(p) for p in pieces]
    assert ts._piece_ids([], vocab) == []


def test_on_corpus_2k(monkeypatch):
    if not CORPUS_2K.is_file():
        pytest.skip("corpus-2k is not there (benchmarks/results/scale, git-ignored)")
    big = pd.read_json(CORPUS_2K, lines=True)[["text"]].head(600).assign(doc_id=lambda f: [f"k{i}" for i in range(len(f))])
    monkeypatch.setattr(ts, "_PIECES_MEMO", 5_000)  # cleared several times
    _check(big, min_count=1, top=10**9)
    _check(big, min_count=2, top=25)


# --- the code before, verbatim (only names changed) ------------------------------------------------

def _reference_corpus_counts(corpus: pd.DataFrame, min_count: int = 2, stop_words=STOP_WORDS,
                             top: int = 30) -> CorpusCounts:
    stop = None if stop_words is None else frozenset(stop_words)
    tally = [0, 0]  # paragraphs holding a sentence, sentences
    counts = _reference_count_stream(_reference_corpus_blocks(corpus, tally), stop, documents_in_blocks=True)
    return CorpusCounts(term_table(counts), collocation_table(counts, min_count, top), tally[0], tally[1])


def _reference_corpus_blocks(corpus: pd.DataFrame, tally: list[int]):
    split = _default_splitter().paragraph_sentences
    n = len(corpus)
    alone = bool(n) and bool(corpus["text"].str.contains(_SENTINEL[0], regex=False).fillna(False).any())
    doc, last_id = -1, object()
    sentences: list[str] = []
    docs: list[int] = []
    plain: list[bool] = []  # each sentence holds only ASCII and _PLAIN_EXTRA
    held: dict = {}  # doc_id -> its paragraphs holding a sentence (a count when they are the first ones)
    for lo in range(0, n, _DOCS_AT):
        ids = corpus["doc_id"].iloc[lo:lo + _DOCS_AT].tolist()
        for doc_id, text in zip(ids, corpus["text"].iloc[lo:lo + _DOCS_AT].tolist(), strict=True):
            text = text if isinstance(text, str) else ""
            found, with_sentences, first = 0, [], len(sentences)
            for p_i, (ps, pe) in enumerate(paragraph_spans(text)):
                spans = split(text[ps:pe])
                if spans:
                    with_sentences.append(p_i)
                    found += len(spans)
                    sentences += [text[ps + s:ps + e] for s, e in spans]
            _hold_paragraphs(held, doc_id, with_sentences)
            if found:
                if doc_id != last_id:
                    doc, last_id = doc + 1, doc_id
                docs += [doc] * found
                # a plain document's sentences are plain: tested once, not per sentence
                plain += ([True] * found if not _NOT_PLAIN_RE.search(text) else
                          [not _NOT_PLAIN_RE.search(sent) for sent in sentences[first:]])
        end = len(sentences) if lo + _DOCS_AT >= n else len(sentences) - len(sentences) % _BLOCK
        for at in range(0, end, _BLOCK):
            block = sentences[at:min(at + _BLOCK, end)]
            tally[1] += len(block)
            yield (*_reference_block_tokens(block, None, alone, plain[at:at + len(block)]),
                   np.array(docs[at:at + len(block)], dtype=np.int64))
        sentences, docs, plain = sentences[end:], docs[end:], plain[end:]
    tally[0] = sum(k if isinstance(k, int) else len(k) for k in held.values())


def _reference_count_stream(blocks, stop: frozenset | None, sentence_doc: np.ndarray | None = None,
                            documents_in_blocks: bool = False) -> StreamCounts:
    vocab: dict[str, int] = {}
    counts = docs = np.zeros(0, dtype=np.int64)
    is_stop = np.zeros(0, dtype=bool)
    keys = key_counts = np.zeros(0, dtype=np.int64)
    pending: list[tuple[np.ndarray, np.ndarray]] = []
    carry = np.zeros(0, dtype=np.int64)  # (document << 32 | word) of the document a batch ended in
    n = sentences_seen = 0
    with_docs = sentence_doc is not None or documents_in_blocks
    for words, separator, batch_docs in _reference_batched(blocks, _COUNT_TOKENS):
        local, uniques = pd.factorize(np.array(words, dtype=object))  # None (a separator) -> -1
        del words
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
        if with_docs:
            sentence = np.cumsum(sep) - sep  # separators before each token: its sentence in the batch
            if batch_docs is None:
                batch_docs = sentence_doc[sentences_seen:sentences_seen + int(sep.sum())]
                sentences_seen += int(sep.sum())
            doc = batch_docs[sentence[real]].astype(np.int64)
            if len(doc):  # the last document may go on in the next batch: its pairs wait
                pairs = _reference_distinct(np.concatenate([carry, (doc << 32) | codes[real]]))
                done = (pairs >> 32) < doc[-1]
                docs += np.bincount(pairs[done] & 0xFFFFFFFF, minlength=len(vocab))
                carry = pairs[~done]
        kept = codes[sep | ~is_stop[np.maximum(codes, 0)]]  # stop words out, separators in
        inside = (kept[:-1] >= 0) & (kept[1:] >= 0)  # a pair (i, i + 1) within one sentence
        n += int((kept >= 0).sum())
        pending.append(np.unique((kept[:-1][inside] << 32) | kept[1:][inside], return_counts=True))
        if sum(len(k) for k, _ in pending) > _MERGE_AT:
            keys, key_counts = _merge_into(keys, key_counts, *_merge_counts(pending))
            pending = []
    keys, key_counts = _merge_into(keys, key_counts, *_merge_counts(pending))
    if with_docs:
        docs += np.bincount(carry & 0xFFFFFFFF, minlength=len(vocab))
    return StreamCounts(list(vocab), counts, docs if with_docs else None, is_stop, n, keys, key_counts)


def _reference_distinct(keys: np.ndarray) -> np.ndarray:
    """``np.unique(keys)`` by one sort (numpy 2's hash-based ``unique`` is ~20x slower on these)."""
    keys = np.sort(keys)
    return keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys


def _reference_block_tokens(block: list[str], stop: frozenset | None, alone: bool,
                            plain: list[bool] | None = None) -> tuple[list, str | None]:
    words: list = []
    if alone:
        for sent in block:
            words += tokenize(sent, stop_words=stop)
            words.append(None)
        return words, None
    stop = stop - {_SENTINEL} if stop is not None else None
    plain = [not _NOT_PLAIN_RE.search(sent) for sent in block] if plain is None else plain
    start = 0
    for is_plain, run in itertools.groupby(plain):  # consecutive sentences of one kind
        end = start + len(list(run))
        joined = _JOIN.join(block[start:end])
        words += _plain_stream_tokens(joined, stop) if is_plain else tokenize(joined, stop_words=stop)
        words.append(_SENTINEL)
        start = end
    return words, _SENTINEL


def _reference_batched(blocks, size: int):
    buffer: list = []
    separator = None
    docs: list[np.ndarray] = []
    for words, separator, *rest in blocks:
        buffer += words
        docs += rest
        if len(buffer) >= size:
            yield buffer, separator, np.concatenate(docs) if docs else None
            buffer, docs = [], []
    if buffer:
        yield buffer, separator, np.concatenate(docs) if docs else None
