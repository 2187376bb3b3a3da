"""The fast paths of helpers.text and helpers.textstats give the tables of the plain implementations they replaced.

Each ``_reference_*`` below is the previous implementation, kept verbatim as the slow reference:
tokens (lower-casing the whole text first), Punkt with remembered decisions, units built by
columns, term frequencies and collocations (counted with arrays; collocations from a sentence
units table). Texts: the seed article, the export fixtures, generated text with the edge cases
(empty, unicode capitals whose lower case differs in length or context, possessives, numbers).
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from nltk.tokenize.punkt import PunktSentenceTokenizer

from helpers import text, textstats

FIXTURES = Path(__file__).parent / "fixtures"
EDGE = [
    "", "   ", "\n\n", "NATO's", "NATO’S plan. It's Jones' and the boss's.", "rock'n'roll's a-b's x-'s",
    "İstanbul’s İZMİR'S mayor. ΟΔΟΣ'S ΣΟΦΙΑ Σ'S", "Straße STRASSE ǅemal ǈ ﬁne ﬀ",
    "ⅣⅠ Ⅷ ²³ ½ 3.5% 2,000,000 1990's U.S.-based K-pop’s", "Mr. Abe met U.S. officials. They left.\n\nDr. No.",
    "“Quoted,” he said. ‘Single’ ones.\nA line\nAnother line", "Ünïcödé ÉTÉ Ǆ ǅ ǆ", "_under_score__ a1b2 x_y",
    "no terminal punctuation", "!!! ??? ...", "Ἀθῆναι ᾼ ᾈ ΐ", "Σ. Σ's ς σ",
]


def _reference_tokenize(txt, lower=True, keep_numbers=False, stop_words=None, possessive=False):
    rx = text._TOKEN_NUM_RE if keep_numbers else text._TOKEN_RE
    toks = rx.findall(txt)
    if not possessive and ("'" in txt or "’" in txt):
        toks = [t[:-2] if t.endswith(("'s", "’s", "'S", "’S")) else t for t in toks]
    if lower:
        toks = [t.lower() for t in toks]
    if stop_words is not None:
        stop = stop_words if isinstance(stop_words, (set, frozenset)) else set(stop_words)
        toks = [t for t in toks if t.lower() not in stop]
    return toks


def _token_part(ch: str) -> str:
    """The part a character plays in the token pattern: letter, digit, itself (joiners and number
    marks) or none."""
    if re.fullmatch(r"[^\W\d_]", ch):
        return "letter"
    if re.fullmatch(r"\d", ch):
        return "digit"
    return ch if ch in "'’-.,%" else ""


def _lower_safe(ch: str) -> bool:
    """``ch.lower()`` is one character in the same part as ``ch`` whatever surrounds it (capital
    sigma's lower case depends on the next letter)."""
    low = ch.lower()
    return low == ch or (ch != "\u03a3" and len(low) == 1 and _token_part(low) == _token_part(ch))


def _reference_splitter() -> PunktSentenceTokenizer:
    return PunktSentenceTokenizer(text._default_splitter()._params)


def _reference_split_sentences(txt: str) -> list[str]:
    splitter = _reference_splitter()
    return [txt[ps + s:ps + e] for ps, pe in text.paragraph_spans(txt) for s, e in splitter.span_tokenize(txt[ps:pe])]


def _reference_units(corpus, level, splitter):
    rows = []
    for doc_id, txt in zip(corpus["doc_id"], corpus["text"], strict=True):
        txt = txt if isinstance(txt, str) else ""
        if level == "document":
            if txt.strip():
                rows.append((f"{doc_id}:d", doc_id, level, 0, 0, 0, len(txt), txt))
            continue
        pos = 0
        for p_i, (ps, pe) in enumerate(text.paragraph_spans(txt)):
            if level == "paragraph":
                rows.append((f"{doc_id}:p{p_i}", doc_id, level, p_i, p_i, ps, pe, txt[ps:pe]))
                continue
            para = txt[ps:pe]
            for s, e in splitter.span_tokenize(para):
                rows.append((f"{doc_id}:s{pos}", doc_id, level, pos, p_i, ps + s, ps + e, para[s:e]))
                pos += 1
    return pd.DataFrame(rows, columns=["unit_id", "doc_id", "level", "position", "paragraph", "start",
                                       "end", "text"]).astype({"position": int, "paragraph": int,
                                                               "start": int, "end": int})


def _reference_term_frequencies(table, n=1, stop_words=text.STOP_WORDS, by=None, min_count=1):
    groups = [(None, table)] if by is None else list(table.groupby(by, dropna=False, sort=True))
    rows = []
    for key, part in groups:
        counts, docs, total = Counter(), Counter(), 0
        for txt in part["text"]:
            txt = txt if isinstance(txt, str) else ""
            chunks = _reference_split_sentences(txt) if n > 1 else [txt]
            sent_toks = [_reference_tokenize(c, stop_words=stop_words) for c in chunks]
            total += sum(map(len, sent_toks))
            grams = [" ".join(g) for toks in sent_toks for g in text.ngrams(toks, n)] if n > 1 else sent_toks[0]
            counts.update(grams)
            docs.update(set(grams))
        for term, c in counts.items():
            if c >= min_count:
                row = {"term": term, "count": c, "docs": docs[term], "per_1000": 1000 * c / max(total, 1)}
                if by is not None:
                    row[by] = key
                rows.append(row)
    cols = ([by] if by else []) + ["term", "count", "docs", "per_1000"]
    out = pd.DataFrame(rows, columns=cols)
    sort_cols = ([by] if by else []) + ["count", "term"]
    return out.sort_values(sort_cols, ascending=[True] * bool(by) + [False, True]).reset_index(drop=True)


def _reference_collocations(table, min_count=2, stop_words=text.STOP_WORDS, top=30):
    uni, bi, n = Counter(), Counter(), 0
    for txt in table["text"]:
        for sent in _reference_split_sentences(txt if isinstance(txt, str) else ""):
            toks = _reference_tokenize(sent, stop_words=stop_words)
            uni.update(toks)
            bi.update(text.ngrams(toks, 2))
            n += len(toks)
    rows = []
    for (w1, w2), c in bi.items():
        if c < min_count:
            continue
        c1, c2 = uni[w1], uni[w2]
        obs = [c, c1 - c, c2 - c, n - c1 - c2 + c]
        exp = [c1 * c2 / n, c1 * (n - c2) / n, (n - c1) * c2 / n, (n - c1) * (n - c2) / n]
        g2 = 2 * sum(o * math.log(o / e) for o, e in zip(obs, exp, strict=True) if o > 0 and e > 0)
        rows.append({"bigram": f"{w1} {w2}", "count": c, "g2": g2, "pmi": math.log2(c * n / (c1 * c2))})
    out = pd.DataFrame(rows, columns=["bigram", "count", "g2", "pmi"])
    return out.sort_values(["g2", "bigram"], ascending=[False, True]).head(top).reset_index(drop=True)


def _fixture_texts() -> list[str]:
    out = []
    for p in sorted(FIXTURES.rglob("*")):
        if p.is_file() and p.suffix in {".txt", ".html", ".xml", ".csv", ".json", ".jsonl", ".rtf", ".md"}:
            out.append(p.read_text(encoding="utf-8", errors="replace"))
    return out


def _generated(seed_text: str, n_docs: int = 40) -> list[str]:
    """Documents recombined from the seed's sentences and the edge cases, with repeated paragraphs."""
    rng = random.Random(7)
    sents = _reference_split_sentences(seed_text) + [e for e in EDGE if e.strip()]
    docs = []
    for _ in range(n_docs):
        paras = [" ".join(rng.choice(sents) for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(0, 6))]
        docs.append("\n\n".join(paras))
    return docs


@pytest.fixture(scope="module")
def texts(seed_corpus) -> list[str]:
    seed = seed_corpus["text"].iloc[0]
    return [seed, *_fixture_texts(), *_generated(seed), *EDGE]


@pytest.fixture(scope="module")
def table(texts, seed_corpus) -> pd.DataFrame:
    outlets = ["A", "B", "", "C"]
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts,
                         "outlet": [outlets[i % 4] for i in range(len(texts))]})


@pytest.mark.parametrize("kwargs", [{}, {"keep_numbers": True}, {"lower": False}, {"possessive": True},
                                    {"stop_words": text.STOP_WORDS}, {"stop_words": ["the", "Nato", "a"]},
                                    {"lower": False, "stop_words": text.STOP_WORDS, "keep_numbers": True}])
def test_tokenize_matches_reference(texts, kwargs):
    for t in texts:
        assert text.tokenize(t, **kwargs) == _reference_tokenize(t, **kwargs), t[:80]


def test_tokenize_unicode_case_edges():
    # capital I with dot lower-cases to two characters; final sigma depends on the next letter
    assert text.tokenize("İZMİR") == _reference_tokenize("İZMİR") == ["i̇zmi̇r"]
    assert text.tokenize("ΟΔΟΣ'S") == _reference_tokenize("ΟΔΟΣ'S") == ["οδος"]
    assert not text._lowers_tokenwise("ΟΔΟΣ") and text._lowers_tokenwise("Ünïcödé’s")
    assert not text._lowers_tokenwise("İZMİR")


def test_unsafe_lower_cases_are_exactly_the_listed_characters():
    unsafe = [ch for ch in map(chr, range(0x110000)) if not _lower_safe(ch)]
    assert sorted(unsafe) == sorted(text._LOWER_UNSAFE)


def test_fast_punkt_matches_nltk(texts):
    fast, ref = text._default_splitter(), _reference_splitter()
    for t in texts:
        for ps, pe in text.paragraph_spans(t):
            para = t[ps:pe]
            assert list(fast.span_tokenize(para)) == list(ref.span_tokenize(para)), para[:80]
            assert list(fast.span_tokenize(para)) == list(ref.span_tokenize(para))  # from the memo


def _stream(sentences, stop):
    """The whole token stream of textstats._sentence_blocks and its separator."""
    words, separators = [], set()
    for block, sep in textstats._sentence_blocks(sentences, stop):
        assert block[-1] == sep  # no pair of tokens spans two blocks
        words += block
        separators.add(sep)
    assert len(separators) <= 1
    return words, (separators.pop() if separators else None)


def test_collocations_counted_in_blocks_equal_one_block(table, monkeypatch):
    """Bigram counts merged over blocks (and over merges of pending counts) equal the counts of
    one block holding every sentence."""
    whole = textstats.collocations(table, min_count=1, top=10_000)
    monkeypatch.setattr(textstats, "_BLOCK", 3)
    monkeypatch.setattr(textstats, "_MERGE_AT", 5)
    monkeypatch.setattr(textstats, "_COUNT_TOKENS", 10)
    assert len(whole) > 50
    pd.testing.assert_frame_equal(textstats.collocations(table, min_count=1, top=10_000), whole)


def test_paragraph_memo_gives_nltk_spans_cold_and_warm(texts, monkeypatch):
    """Sentence spans kept per paragraph across calls: the first (computed) and second (from
    the memo) answers both equal nltk's, for sentence_spans and units alike, also after the
    memo was emptied on reaching its size."""
    fast, ref = text._default_splitter(), _reference_splitter()
    monkeypatch.setattr(fast, "_spans", {})
    for t in texts:
        want = [(ps + s, ps + e) for ps, pe in text.paragraph_spans(t)
                for s, e in ref.span_tokenize(t[ps:pe])]
        assert text.sentence_spans(t) == want  # cold
        assert text.sentence_spans(t) == want  # from the memo
    assert len(fast._spans) > 10
    monkeypatch.setattr(type(fast), "SPANS_MEMO_SIZE", 3)
    monkeypatch.setattr(fast, "_spans", {})
    for t in texts[:5]:
        want = [(ps + s, ps + e) for ps, pe in text.paragraph_spans(t)
                for s, e in ref.span_tokenize(t[ps:pe])]
        assert text.sentence_spans(t) == want
    assert len(fast._spans) <= 3


def test_last_whitespace_index_matches_nltk():
    fast, ref = text._default_splitter(), _reference_splitter()
    for s in ["", "a", " a", "a b\tc", "x\x0by", "ab\n", "\u00a0ab", "a\x0c"]:
        assert fast._get_last_whitespace_index(s) == ref._get_last_whitespace_index(s)


def test_trained_splitter_is_fast_and_matches(texts):
    trained = text.sentence_splitter(texts[:5])
    ref = PunktSentenceTokenizer(trained._params)
    assert isinstance(trained, text._FastPunkt)
    for t in texts:
        assert list(trained.span_tokenize(t)) == list(ref.span_tokenize(t))


@pytest.mark.parametrize("level", text.LEVELS)
def test_units_match_reference(table, level):
    got = text.units(table, level)
    pd.testing.assert_frame_equal(got, _reference_units(table, level, _reference_splitter()))
    pd.testing.assert_frame_equal(text.units(table.iloc[:0], level).reset_index(drop=True),
                                  _reference_units(table.iloc[:0], level, _reference_splitter()),
                                  check_dtype=False, check_index_type=False)


@pytest.mark.parametrize("kwargs", [{}, {"n": 2}, {"n": 3, "min_count": 2}, {"by": "outlet"},
                                    {"by": "outlet", "n": 2}, {"stop_words": None}])
def test_term_frequencies_match_reference(table, kwargs):
    pd.testing.assert_frame_equal(textstats.term_frequencies(table, **kwargs), _reference_term_frequencies(table, **kwargs))


def test_term_frequencies_of_sentence_units_match_corpus(table):
    sentences = text.units(table, "sentence")
    for n in (2, 3):
        pd.testing.assert_frame_equal(textstats.term_frequencies(sentences, n=n), textstats.term_frequencies(table, n=n))


@pytest.mark.parametrize("min_count", [1, 2, 3])
def test_collocations_match_reference(table, min_count):
    ref = _reference_collocations(table, min_count=min_count, top=200)
    for got in (textstats.collocations(table, min_count=min_count, top=200),
                textstats.collocations(text.units(table, "sentence"), min_count=min_count, top=200)):
        assert got["bigram"].tolist() == ref["bigram"].tolist()
        assert got["count"].tolist() == ref["count"].tolist()
        np.testing.assert_allclose(got["g2"], ref["g2"], rtol=1e-12, atol=0)
        np.testing.assert_allclose(got["pmi"], ref["pmi"], rtol=1e-12, atol=1e-15)


def test_collocations_empty_and_no_pairs():
    empty = pd.DataFrame({"doc_id": ["a"], "text": [""]})
    assert textstats.collocations(empty).empty and list(textstats.collocations(empty).columns) == ["bigram", "count", "g2", "pmi"]
    one = pd.DataFrame({"doc_id": ["a"], "text": ["Islands."]})
    assert textstats.collocations(one).empty


def test_units_repeated_paragraphs_use_the_memo():
    para = "Mr. Abe met U.S. officials. They left."
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "text": [para, f"{para}\n\n{para}"]})
    u = text.units(corpus, "sentence")
    assert u["unit_id"].tolist() == ["a:s0", "a:s1", "b:s0", "b:s1", "b:s2", "b:s3"]
    assert u["start"].tolist() == [0, 28, 0, 28, 40, 68]
    assert re.fullmatch(r"They left\.", u["text"].iloc[-1])


def _reference_kwic(table, term, window=8):
    rx = text.term_pattern(term)
    rows = []
    has_unit = "unit_id" in table.columns
    for rec in table.itertuples(index=False):
        txt = rec.text if isinstance(rec.text, str) else ""
        for m in rx.finditer(txt):
            left_words = txt[:m.start()].split()[-window:] if window else []
            right_words = txt[m.end():].split()[:window] if window else []
            rows.append({"doc_id": rec.doc_id, "unit_id": rec.unit_id if has_unit else None,
                         "start": m.start(), "end": m.end(), "left": " ".join(left_words),
                         "match": m.group(0), "right": " ".join(right_words)})
    return pd.DataFrame(rows, columns=["doc_id", "unit_id", "start", "end", "left", "match", "right"])


@pytest.mark.parametrize("term,window", [("NATO", 8), ("secur*", 3), ("Diaoyu Islands", 8), ("the", 0),
                                         ("the", 1), ("nosuchword", 8), ("s", 2)])
def test_kwic_matches_reference(table, term, window):
    with_gaps = pd.concat([table, pd.DataFrame({"doc_id": ["na"], "text": [None], "outlet": ["A"]})],
                          ignore_index=True)
    for t in (with_gaps, text.units(table, "sentence"), text.units(table, "paragraph")):
        pd.testing.assert_frame_equal(text.kwic(t, term, window), _reference_kwic(t, term, window))


def test_sentence_stream_equals_tokenizing_each_sentence(table, monkeypatch):
    sentences = text.units(table, "sentence")["text"].tolist() + ["", "x", "Jones'", "'s start", "ends NATO's"]
    ref = []
    for sent in sentences:
        ref += _reference_tokenize(sent, stop_words=text.STOP_WORDS) + [textstats._SENTINEL]
    monkeypatch.setattr(textstats, "_BLOCK", 7)  # several blocks, each joined
    assert _stream(sentences, frozenset(text.STOP_WORDS)) == (ref, textstats._SENTINEL)
    odd = sentences[:3] + ["Multiocular ꙮ and ꙮꙮꙮ here."]  # holds the sentinel's letter: one by one
    ref_odd = []
    for sent in odd:
        ref_odd += _reference_tokenize(sent) + [None]
    assert _stream(odd, None) == (ref_odd, None)


def test_collocations_with_the_sentinel_letter_in_the_text():
    t = pd.DataFrame({"doc_id": ["a", "b"], "text": ["The ꙮꙮꙮ eye. Multiocular ꙮꙮꙮ eye.", "Multiocular ꙮꙮꙮ eye again."]})
    got, ref = textstats.collocations(t, min_count=1), _reference_collocations(t, min_count=1)
    assert got["bigram"].tolist() == ref["bigram"].tolist() and "multiocular ꙮꙮꙮ" in got["bigram"].tolist()
    np.testing.assert_allclose(got["g2"], ref["g2"], rtol=1e-12)


PLAIN_EDGE = [
    "NATO's plan", "NATO’S plan, the BOSS'S car", "Jones' it's 's x's", "rock'n'roll-'s a-b’s", "£5,000.50 50% 1990's",
    "“Quoted” — said… • 3° ˚ −2 ″ €9\u200bword\u00a0word", "a1b2 x_y __z 3.5.6,7", "UPPER lower MiXeD-Case", "",
    "caf\u00e9's na\u00efve", "\u0130stanbul's", "\u03a3\u039f\u03a6\u0399\u0391'S", "NUL\x00byte's", "tab\tand\nlines's\n",
]


@pytest.mark.parametrize("keep_numbers", [False, True])
def test_plain_tokens_match_tokenize(texts, keep_numbers):
    rng = random.Random(12)
    alphabet = "aZs'’-.,%09 _\n" + text._PLAIN_EXTRA + "\u00e9\u0130\u03a3"
    generated = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    for t in [*texts, *PLAIN_EDGE, *generated]:
        assert text._plain_tokens(t, keep_numbers=keep_numbers) == text.tokenize(t, keep_numbers=keep_numbers), t
        assert (text._plain_tokens(t, keep_numbers=keep_numbers)
                == _reference_tokenize(t, keep_numbers=keep_numbers)), t


def test_plain_extra_characters_play_no_part_in_tokens():
    # the ASCII path is exact only if each extra character is no word character and its own lower case
    for ch in text._PLAIN_EXTRA:
        assert not ch.isascii() and _token_part(ch) in ("", "’") and not re.match(r"\w", ch), repr(ch)
        assert ch.lower() == ch and ch not in text._LOWER_UNSAFE, repr(ch)
    assert text._NOT_PLAIN_RE.search("café") and not text._NOT_PLAIN_RE.search("£5 — “x” it’s")


@pytest.mark.parametrize("block", [3, 7, 2000])
def test_sentence_stream_mixes_plain_and_other_runs(block, monkeypatch):
    # runs of plain (ASCII) and other sentences inside one block take different tokenizers
    rng = random.Random(3)
    alphabet = "aZs'’-.,%09 _\n" + text._PLAIN_EXTRA + "\u00e9\u0130\u03a3"
    sentences = [*PLAIN_EDGE, *EDGE, "BOSS'S car's", "café's CAFÉ'S"]
    sentences += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(400)]
    rng.shuffle(sentences)
    sentences = [s for s in sentences if textstats._SENTINEL[0] not in s and "\x00" not in s]
    monkeypatch.setattr(textstats, "_BLOCK", block)
    for stop in (None, frozenset(text.STOP_WORDS)):
        ref = []
        for sent in sentences:
            ref += _reference_tokenize(sent, stop_words=stop) + [textstats._SENTINEL]
        assert _stream(sentences, stop) == (ref, textstats._SENTINEL)


@pytest.mark.parametrize("term", ["NATO", "secur*", "Diaoyu Islands", "U.S.", "C++", "a*b", "it's", "ǅemal",
                                  "straße", "Σ"])
def test_kwic_prefilter_matches_reference(term):
    texts = ["", "NATO's U.S. C++ x", "nato-led ANATO natos", "it’s it's IT'S", "Diaoyu\n\tIslands diaoyu islands",
             "security SECURE secured-ness insecure", "ǅemal ǆemal Ǆemal STRASSE Straße", "ΣΟΦΙΑ σ ς Σ", None,
             "aab ab a-b a'b"]
    table = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    pd.testing.assert_frame_equal(text.kwic(table, term, 2), _reference_kwic(table, term, 2))
    rx = text.term_pattern(term)
    assert text._without_lookarounds(rx).pattern in rx.pattern
    assert text._without_lookarounds(re.compile("x")).pattern == "x"


# The previous array implementation of collocations (text.py before textstats), verbatim but for
# the _reference_ names; its constants as they were.
_MERGE_AT = 20_000_000
_COUNT_TOKENS = 1_000_000


def _reference_array_collocations(table, min_count=2, stop_words=text.STOP_WORDS, top=30):
    stop = None if stop_words is None else frozenset(stop_words)
    c, c1, c2, bigrams, n = _reference_bigram_counts(textstats._sentence_blocks(textstats._sentences_of(table), stop), min_count)
    if not len(c):
        return pd.DataFrame(columns=["bigram", "count", "g2", "pmi"])
    out = pd.DataFrame({"bigram": bigrams, "count": c, "g2": _reference_g2_2x2(c, c1, c2, n),
                        "pmi": np.log2(c * n / (c1 * c2))})
    return out.sort_values(["g2", "bigram"], ascending=[False, True]).head(top).reset_index(drop=True)


def _reference_bigram_counts(blocks, min_count: int):
    """Bigrams within sentences counted with integer arrays, about :data:`_COUNT_TOKENS` tokens
    of :func:`_sentence_blocks` at a time (word ids by first appearance; pairs counted with
    ``np.unique`` on ``first << 32 | second``, counts merged): memory holds one batch of tokens
    and the distinct pairs. Out: ``(count, count of the first word, count of the second word,
    "w1 w2" strings, tokens)`` for bigrams seen ``min_count`` times or more (any order).
    """
    vocab: dict[str, int] = {}
    uni = np.zeros(0, dtype=np.int64)
    keys = np.zeros(0, dtype=np.int64)
    counts = np.zeros(0, dtype=np.int64)
    pending: list[tuple[np.ndarray, np.ndarray]] = []
    n = 0
    for words, separator in _reference_batched(blocks, _COUNT_TOKENS):
        local, uniques = pd.factorize(np.array(words, dtype=object))  # None (a separator) -> -1
        ids = np.array([-1 if w == separator else vocab.setdefault(w, len(vocab)) for w in uniques],
                       dtype=np.int64)
        codes = np.where(local >= 0, ids[np.maximum(local, 0)], -1) if len(ids) else local.astype(np.int64)
        real = codes >= 0
        uni = np.concatenate([uni, np.zeros(len(vocab) - len(uni), dtype=np.int64)])
        uni += np.bincount(codes[real], minlength=len(vocab))
        n += int(real.sum())
        inside = real[:-1] & real[1:]  # a pair (i, i + 1) within one sentence
        pending.append(np.unique((codes[:-1][inside] << 32) | codes[1:][inside], return_counts=True))
        if sum(len(k) for k, _ in pending) > _MERGE_AT:
            keys, counts = _reference_merge_counts([(keys, counts), *pending])
            pending = []
    keys, counts = _reference_merge_counts([(keys, counts), *pending])
    keep = counts >= min_count
    first, second = keys[keep] >> 32, keys[keep] & 0xFFFFFFFF
    words_by_id = list(vocab)
    bigrams = [f"{words_by_id[i]} {words_by_id[j]}" for i, j in zip(first.tolist(), second.tolist(), strict=True)]
    return counts[keep], uni[first], uni[second], bigrams, n


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


def _reference_g2_2x2(c: np.ndarray, c1: np.ndarray, c2: np.ndarray, n: int) -> np.ndarray:
    """Dunning's G² of each 2x2 table (pair count ``c``, word counts ``c1``/``c2``, ``n`` tokens):
    2 x the sum over cells of obs x log(obs / expected), cells with obs or expected 0 left out,
    summed in the cells' order as the scalar formula does."""
    obs = [c, c1 - c, c2 - c, n - c1 - c2 + c]
    exp = [c1 * c2 / n, c1 * (n - c2) / n, (n - c1) * c2 / n, (n - c1) * (n - c2) / n]
    total = np.zeros(len(c))
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(obs, exp, strict=True):
            total = total + np.where((o > 0) & (e > 0), o * np.log(o / e), 0.0)
    return 2 * total


_STOPS = [text.STOP_WORDS, None, ["the", "nato", "a", "islands"]]


def _both_refs(table, min_count, stop_words, top):
    """The two tables as the notebook made them before: term_frequencies of the corpus (checked
    against its plain reference above) and the previous array code's collocations."""
    return (_reference_term_frequencies(table, stop_words=stop_words),
            _reference_array_collocations(table, min_count, stop_words, top))


@pytest.mark.parametrize("stop_words", _STOPS)
@pytest.mark.parametrize("small", [False, True])
def test_frequencies_and_collocations_equal_the_two_tables(table, stop_words, small, monkeypatch):
    """One pass over the sentence units gives term_frequencies of the corpus (counts, documents,
    per 1,000) and the collocations, exactly; also counted a few tokens at a time (a document's
    words then span several batches) and with pending pairs merged often."""
    want = _both_refs(table, 2, stop_words, 40)
    pd.testing.assert_frame_equal(textstats.term_frequencies(table, stop_words=stop_words), want[0])
    pd.testing.assert_frame_equal(textstats.collocations(table, 2, stop_words, 40), want[1])
    sentences = text.units(table, "sentence")
    if small:
        monkeypatch.setattr(textstats, "_BLOCK", 3)
        monkeypatch.setattr(textstats, "_COUNT_TOKENS", 10)
        monkeypatch.setattr(textstats, "_MERGE_AT", 5)
    got = textstats.frequencies_and_collocations(sentences, min_count=2, stop_words=stop_words, top=40)
    pd.testing.assert_frame_equal(got[0], want[0])
    pd.testing.assert_frame_equal(got[1], want[1])
    assert len(got[0]) > 100 and len(got[1]) == 40 and got[0]["docs"].max() > 5


def test_frequencies_and_collocations_edges():
    t = pd.DataFrame({"doc_id": ["a", "b", "c", "d"],
                      "text": ["Ꙭꙭ ꙮ eyes. Many ꙮ eyes here.", "", "NATO’s İZMİR'S plan. Σ's ΟΔΟΣ.\n\nNATO’s plan!",
                               "x"]})
    for frame in (t, t.iloc[1:2], t.iloc[:0]):
        want = (textstats.term_frequencies(frame), _reference_array_collocations(frame, 1, text.STOP_WORDS, 30))
        got = textstats.frequencies_and_collocations(text.units(frame, "sentence"), min_count=1)
        pd.testing.assert_frame_equal(got[0], want[0], check_index_type=False)
        pd.testing.assert_frame_equal(got[1], want[1], check_index_type=False)
    with pytest.raises(ValueError, match="sentence units"):
        textstats.frequencies_and_collocations(t)


def test_unit_counts_from_the_sentences(table):
    """Notebook 00 counts paragraphs as the distinct (doc_id, paragraph) of the sentence units and
    documents as the non-blank texts: the lengths of the paragraph and document unit tables."""
    sentences = text.units(table, "sentence")
    assert len(sentences[["doc_id", "paragraph"]].drop_duplicates()) == len(text.units(table, "paragraph"))
    assert int((table["text"].str.strip() != "").sum()) == len(text.units(table, "document"))
    assert len(text.units(table, "paragraph")) > 50


REALIGN_CASES = [
    '"We left." He said.', "(Sent1.) Sent2.", "He said: «Non.» Then: ‘Yes.’ ” Done.", "End.'' -- Next one.",
    'A. "B." C.', "Wait... What?! No!!! (Really.)) Yes.", "One.)\n Two.] Three.} Four.” Five.",
    "Mr. Smith.\u00a0\u201cQuote.\u201d\tTab. ", "x.)--y. z.", '"', ". . .", "a.\n\n\n", "“", "Fine.’’’ ok",
]


def _corpus_paragraphs(limit: int = 3000) -> list[str]:
    path = Path(__file__).parents[1] / "benchmarks" / "results" / "scale" / "corpus-2k.jsonl"
    if not path.exists():
        return []
    import json
    with open(path, encoding="utf-8") as fh:
        docs = [json.loads(line)["text"] for line, _ in zip(fh, range(300), strict=False)]
    return [d[s:e] for d in docs for s, e in text.paragraph_spans(d)][:limit] + docs[:50]


def test_fused_span_tokenize_matches_nltk(texts):
    """_FastPunkt.span_tokenize gives nltk's spans on paragraphs,
    whole texts (line breaks, trailing white space), closing quotes and brackets after a break,
    and corpus-2k; realign_boundaries=False is nltk's own."""
    fast, ref = text._default_splitter(), _reference_splitter()
    cases = [*texts, *REALIGN_CASES, *_corpus_paragraphs()]
    cases += [t[ps:pe] for t in texts for ps, pe in text.paragraph_spans(t)]
    assert len(cases) > 500
    for t in cases:
        assert list(fast.span_tokenize(t)) == list(ref.span_tokenize(t)), t[:80]
        assert list(fast.span_tokenize(t, False)) == list(ref.span_tokenize(t, False)), t[:80]



def test_realign_first_characters_are_the_pattern_s():
    """_REALIGN_FIRST holds exactly the characters nltk's realignment pattern can start with, so
    skipping the pattern where a sentence starts otherwise changes nothing."""
    from nltk.tokenize.punkt import PunktLanguageVars
    rx = PunktLanguageVars.re_boundary_realignment
    chars = {chr(c) for c in range(0x3000) if rx.match(chr(c))}
    assert chars == set(text._REALIGN_FIRST)


def test_standard_re_candidate_breaks_match_nltk_on_every_white_space():
    """The candidate-break pattern runs on ``re``, nltk's on ``regex``: the same spans around
    every character either engine treats as white space (including the four separators
    U+001C-U+001F, where they disagree and the fast path steps aside), and the same matches of
    the two compiled patterns on real paragraphs."""
    import sys

    import regex

    fast, ref = text._default_splitter(), _reference_splitter()
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF
              and (re.fullmatch(r"\s", chr(c)) or regex.fullmatch(r"\s", chr(c), regex.V0))]
    assert {"\x1c", "\x1d", "\x1e", "\x1f", "\u2028", "\u3000", "\x85"} <= set(spaces)
    for sp in spaces:
        for t in (f"Mr. Abe met U.S. officials.{sp}They talked!{sp}{sp}Really?{sp}\"Yes.\"{sp}(No.)",
                  f"End.{sp}", f"One.{sp}two. Three?{sp}", f"A.{sp}B.\n{sp}C."):
            assert list(fast.span_tokenize(t)) == list(ref.span_tokenize(t)), repr(t)
    nltk_rx = fast._lang_vars.period_context_re()
    for para in _corpus_paragraphs(2000) + [*REALIGN_CASES]:
        std = fast._period_context(para)
        got = [(m.span(), m.group("after_tok"), m.group("next_tok")) for m in std.finditer(para)]
        assert got == [(m.span(), m.group("after_tok"), m.group("next_tok")) for m in nltk_rx.finditer(para)]
