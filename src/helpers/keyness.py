"""Keyness: which words distinguish one group of documents from another, or from English.

:func:`keyness` compares term counts of a target and a reference with the log-likelihood
statistic G² (Dunning 1993; Rayson & Garside 2000) and reports an effect size, the log ratio
(Hardie 2014: log2 of the ratio of relative frequencies, so +1 = twice as frequent in the
target). :func:`compare_groups` builds the two sides from a column (outlet, a date range, any
label).

:func:`keyness_vs_english` compares a corpus with general English using the word frequencies
that ship with the ``wordfreq`` package (no download). wordfreq gives proportions, not counts,
and blends billions of tokens: its sampling error is negligible beside the corpus's, so its
frequency is taken as the known population rate ``p`` of a word, and the corpus count ``k`` in
``n`` tokens is tested with an exact one-sided binomial test, P(X >= k | n, p). No reference
size is assumed.

Every test is one of many (one per word), so p-values are corrected with the
Benjamini-Hochberg false discovery rate (:func:`bh_qvalues`); a word is ``key`` when its
q-value is below ``alpha`` (0.05) *and* its log ratio reaches ``min_log_ratio`` (1: at least
twice as frequent): significance alone says little with large corpora, the effect size says how
much.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import compress

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.stats import binom, chi2

from .text import _NOT_PLAIN_RE, STOP_WORDS, _plain_tokens

#: Frequency given to words wordfreq does not list: the lowest frequency its English list
#: holds (about 1e-8). An unlisted word is rarer than that, so the floor overstates its English
#: rate: its p-value is conservative and its log ratio a lower bound.
WORDFREQ_FLOOR = 1e-8


def bh_qvalues(p_values) -> np.ndarray:
    """Benjamini-Hochberg q-values (false discovery rate) of a family of p-values, in input order.

    q_(i) = min over j >= i of p_(j) * m / j (p sorted ascending), capped at 1; so every q is
    at least its p, and q-values rise with p. NaN p-values are left out of the family and
    stay NaN.

    >>> bh_qvalues([0.01, 0.04, 0.03, 0.5]).round(3).tolist()
    [0.04, 0.053, 0.053, 0.5]
    """
    p = np.asarray(p_values, dtype=float)
    q = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    if not len(ok):
        return q
    order = ok[np.argsort(p[ok], kind="stable")]
    m = len(order)
    scaled = p[order] * m / np.arange(1, m + 1)
    q[order] = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    return q


def term_counts(texts: Iterable[str], stop_words=STOP_WORDS, min_length: int = 2) -> Counter:
    """Lower-cased word counts over ``texts`` (stop words and tokens shorter than
    ``min_length`` removed)."""
    return _counts_and_tokens(texts, stop_words, min_length)[0]


def _counts_and_tokens(texts: Iterable[str], stop_words, min_length: int) -> tuple[Counter, int]:
    """``(term_counts(...), all word tokens)``: every token is counted once, then stop words and
    short words are dropped from the counts (the same counts as filtering each token first)."""
    c, n = _all_counts(texts)
    stop = frozenset(stop_words) if stop_words is not None else frozenset()
    return _without(c, stop, min_length), n


def _all_counts(texts: Iterable[str]) -> tuple[Counter, int]:
    """Every word token of ``texts`` counted (non-strings count as ""), and their number.

    Tokens as :func:`helpers.text.tokenize` (by ASCII classes where a text allows them, the
    same tokens: ``helpers.text._plain_tokens``); the same counts in the same order (first
    occurrence) as counting each text's tokens in turn.

    A plain text (ASCII and :data:`helpers.text._PLAIN_EXTRA` only: its ASCII letters are its
    only cased characters) is lower-cased, and its tokens are those of its chunks between ASCII
    white space (no token holds a space, and the possessive rule reads only token characters
    around an "'s"): pyarrow's C++ kernels lower-case, split and count the chunks
    (:data:`_BATCH_CHARS` of text at a time), the batches' counts are summed by chunk, and each
    distinct chunk is tokenized once (:func:`_chunk_tokens`). Other texts are tokenized whole,
    their tokens marked (:data:`_MARK`) and counted in the same stream. pyarrow lists the
    distinct chunks in the order they first occur (``value_counts``, and a single-threaded
    ``group_by``), so the tokens enter the counts in that order too.
    """
    batches: list = []  # (chunks, counts) of each batch, distinct chunks in order
    pieces: list = []  # pyarrow arrays of the batch's chunks, in text order
    plain: list[str] = []  # plain texts not yet split
    size = 0

    def split_plain():
        if plain:
            lowered = pc.ascii_lower(pa.array(plain, pa.large_string()))
            pieces.append(pc.list_flatten(pc.ascii_split_whitespace(lowered)))
            plain.clear()

    def count():
        split_plain()
        if pieces:
            vc = pc.value_counts(pa.chunked_array(pieces, pa.large_string()))
            pieces.clear()
            batches.append((vc.field(0), vc.field(1)))
        if len(batches) > 1 and sum(len(v) for v, _ in batches) > _MAX_ROWS:
            batches[:] = [_summed(batches)]

    for t in texts:
        t = t if isinstance(t, str) else ""
        if _NOT_PLAIN_RE.search(t):
            split_plain()
            toks = _plain_tokens(t)
            if toks:
                pieces.append(pa.array([_MARK + w for w in toks], pa.large_string()))
        else:
            plain.append(t)
        size += len(t)
        if size >= _BATCH_CHARS:
            count()
            size = 0
    count()
    counts: dict[str, int] = {}
    n = 0
    if batches:
        chunks, ks = _summed(batches) if len(batches) > 1 else batches[0]
        get = counts.get
        for chunk, k in zip(chunks.to_pylist(), ks.to_pylist(), strict=True):
            toks = _chunk_tokens(chunk)
            n += k * len(toks)
            for tok in toks:
                counts[tok] = get(tok, 0) + k
    return Counter(counts), n


def _summed(batches: list) -> tuple:
    """The chunk counts of several batches summed by chunk, in order of first occurrence."""
    table = pa.table(
        {
            "chunk": pa.chunked_array([v for v, _ in batches], pa.large_string()),
            "k": pa.chunked_array([k for _, k in batches], pa.int64()),
        }
    )
    summed = table.group_by("chunk", use_threads=False).aggregate([("k", "sum")])
    return summed["chunk"], summed["k_sum"]


#: Characters of text split and counted at a time by :func:`_all_counts` (bounds the memory of
#: the chunk arrays: about 2,000 news articles)
_BATCH_CHARS = 12_000_000
#: Distinct chunks of several batches kept before their counts are summed (bounds the memory)
_MAX_ROWS = 2_000_000
#: Marks a token of a text that is not plain (counted as it is): a private-use character, which
#: no token and no chunk of a plain text holds
_MARK = "\ue000"
_LETTERS = re.compile(r"[a-z]+")


def _chunk_tokens(chunk: str) -> list[str]:
    """The tokens of a chunk of :func:`_all_counts`: a marked token itself, else the chunk's
    tokens by :func:`helpers.text._plain_tokens` (a lower-cased plain chunk)."""
    if chunk[:1] == _MARK:
        return [chunk[1:]]
    if _LETTERS.fullmatch(chunk):
        return [chunk]
    return _plain_tokens(chunk)


#: The word counts of the last corpus whose groups :func:`compare_groups` compared (every
#: document on one side or the other), by :func:`_texts_key`: :func:`keyness_vs_english` on the
#: same texts (the notebook's next cell) reads them instead of tokenizing the corpus again.
_LAST_CORPUS: dict[bytes, tuple[Counter, int]] = {}


def _texts_key(texts: Iterable) -> bytes:
    """A 256-bit digest of a sequence of texts (non-strings as ""), in order: per block of
    :data:`_KEY_BLOCK` texts, their number, their lengths in characters and their UTF-8 bytes
    joined (which the lengths cut back into the texts), one digest update each."""
    h = hashlib.sha256()
    block: list[str] = []

    def flush():
        h.update(len(block).to_bytes(8, "little"))
        h.update(np.fromiter(map(len, block), dtype="<i8", count=len(block)).tobytes())
        h.update("".join(block).encode("utf-8", "surrogatepass"))
        block.clear()

    for t in texts:
        block.append(t if isinstance(t, str) else "")
        if len(block) == _KEY_BLOCK:
            flush()
    if block:
        flush()
    return h.digest()


#: texts digested at a time by :func:`_texts_key` (bounds the memory of their joined bytes)
_KEY_BLOCK = 1_000


def _each_text(column: pd.Series, mask: np.ndarray | None = None) -> Iterator:
    """The values of ``column`` (only where ``mask``, if given), in order, as ``column.tolist()``
    gives them, made :data:`_TEXT_BLOCK` rows at a time: the whole column as Python strings
    at once is a second copy of the corpus's text. At 100k articles (corpus-100k-distinct,
    /tmp/s20/f/funcs.py, one process) :func:`compare_groups` peaked +1.32 GB above its start,
    now +0.17 GB (15.1 -> 12.7 s CPU); :func:`keyness_vs_english` after it +0.88 -> +0.12 GB."""
    for i in range(0, len(column), _TEXT_BLOCK):
        block = column.iloc[i : i + _TEXT_BLOCK].tolist()
        yield from block if mask is None else compress(block, mask[i : i + _TEXT_BLOCK].tolist())


#: rows of a text column :func:`_each_text` makes Python strings of at a time
_TEXT_BLOCK = 2_000


def _without(counts: Counter, stop: frozenset, min_length: int) -> Counter:
    """``counts`` with stop words and words shorter than ``min_length`` deleted (in place)."""
    for w in [w for w in counts if w in stop or len(w) < min_length]:
        del counts[w]
    return counts


def _g2(a, b, c, d):
    # a, b: counts in target/reference; c, d: corpus sizes
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
    return 2 * (t1 + t2)


def keyness(
    target: Counter | pd.Series,
    reference: Counter | pd.Series,
    min_count: int = 3,
    reference_size: float | None = None,
    target_size: float | None = None,
    top: int | None = None,
    alpha: float = 0.05,
    min_log_ratio: float = 1.0,
) -> pd.DataFrame:
    """Log-likelihood keyness of every term in ``target`` against ``reference``.

    ``target`` and ``reference`` are term -> count mappings (Counter or Series). Sizes default
    to the sums of the counts (pass them when the mappings are truncated). Out, one row per
    term with ``count_target >= min_count`` or ``count_reference >= min_count`` (the tested
    family), sorted by G²: ``term``, ``count_target``, ``count_reference``,
    ``per_million_target``, ``per_million_reference``, ``g2``, ``p_value`` (chi-square,
    1 d.f.), ``q_value`` (Benjamini-Hochberg over the tested terms), ``log_ratio`` (log2, zero
    counts smoothed with 0.5), ``key_for`` ("target" or "reference"), ``key`` (q below
    ``alpha`` and |log ratio| at least ``min_log_ratio``).

    >>> from collections import Counter
    >>> k = keyness(Counter({"islands": 30, "the": 100}), Counter({"islands": 1, "the": 120}))
    >>> k.iloc[0][["term", "key_for"]].tolist()
    ['islands', 'target']
    """
    t = pd.Series(dict(target), dtype=float)
    r = pd.Series(dict(reference), dtype=float)
    terms = t.index.union(r.index)
    a = t.reindex(terms, fill_value=0.0).to_numpy()
    b = r.reindex(terms, fill_value=0.0).to_numpy()
    c = float(target_size or a.sum())
    d = float(reference_size or b.sum())
    cols = [
        "term",
        "count_target",
        "count_reference",
        "per_million_target",
        "per_million_reference",
        "g2",
        "p_value",
        "q_value",
        "log_ratio",
        "key_for",
        "key",
    ]
    if c <= 0 or d <= 0:
        return pd.DataFrame(columns=cols)
    keep = (a >= min_count) | (b >= min_count)
    a, b, terms = a[keep], b[keep], terms[keep]
    g2 = _g2(a, b, c, d)
    lr = np.log2(((np.where(a > 0, a, 0.5)) / c) / ((np.where(b > 0, b, 0.5)) / d))
    out = pd.DataFrame(
        {
            "term": terms,
            "count_target": a.astype(int),
            "count_reference": np.round(b).astype(int),
            "per_million_target": 1e6 * a / c,
            "per_million_reference": 1e6 * b / d,
            "g2": g2,
            "p_value": chi2.sf(g2, 1),
            "log_ratio": lr,
        }
    )
    out.insert(out.columns.get_loc("log_ratio"), "q_value", bh_qvalues(out["p_value"]))
    out["key_for"] = np.where(a / c >= b / d, "target", "reference")
    out["key"] = (out["q_value"] < alpha) & (out["log_ratio"].abs() >= min_log_ratio)
    out = out.sort_values(["g2", "term"], ascending=[False, True]).reset_index(drop=True)
    return out.head(top) if top else out


def compare_groups(
    corpus: pd.DataFrame,
    by: str,
    target,
    reference=None,
    min_count: int = 3,
    stop_words=STOP_WORDS,
    top: int | None = None,
    alpha: float = 0.05,
    min_log_ratio: float = 1.0,
) -> pd.DataFrame:
    """Keyness of the documents where ``corpus[by] == target`` against the rest (or against
    ``corpus[by] == reference``). ``target``/``reference`` may be a value, a list of values, or a
    callable applied to the column (e.g. ``lambda d: d < "2013-01-01"`` for a date range).

    Out: :func:`keyness` columns (with ``q_value`` and ``key``) plus ``target`` and
    ``reference`` (descriptions of the sides).
    Raises ValueError naming the column when a side has no documents.
    """
    if by not in corpus.columns:
        raise ValueError(f"compare_groups: no column {by!r} in the corpus ({list(corpus.columns)})")
    col = corpus[by]

    def mask(sel):
        if callable(sel):
            return np.asarray(sel(col), dtype=bool)
        if isinstance(sel, (list, tuple, set)):
            return col.isin(list(sel)).to_numpy()
        return (col == sel).to_numpy()

    m_t = mask(target)
    m_r = ~m_t if reference is None else mask(reference)
    if not m_t.any() or not m_r.any():
        raise ValueError(
            f"compare_groups: {'target' if not m_t.any() else 'reference'} side has no "
            f"documents in column {by!r}; values are {sorted(map(str, col.dropna().unique()))[:10]}"
        )
    # each side's texts read from the column a block at a time (a row selection of the column
    # would copy it, and a list of every text held it again as Python strings)
    text = corpus["text"]
    counts_t, n_t = _all_counts(_each_text(text, m_t))
    counts_r, n_r = _all_counts(_each_text(text, m_r))
    if reference is None:  # every document counted: the corpus's counts, kept for the next call
        _LAST_CORPUS.clear()
        _LAST_CORPUS[_texts_key(_each_text(text))] = (counts_t + counts_r, n_t + n_r)
    stop = frozenset(stop_words) if stop_words is not None else frozenset()
    k = keyness(
        _without(counts_t, stop, 2),
        _without(counts_r, stop, 2),
        min_count=min_count,
        top=top,
        alpha=alpha,
        min_log_ratio=min_log_ratio,
    )
    k["target"] = f"{by}={target if not callable(target) else 'selection'}"
    k["reference"] = (
        "rest"
        if reference is None
        else f"{by}={reference if not callable(reference) else 'selection'}"
    )
    return k


def _frequencies(terms: list[str], lang: str) -> list[float]:
    """``wordfreq.word_frequency(term.replace("’", "'"), lang)`` of each term.

    In English a term of lower-case ASCII letters only is one wordfreq token, itself (its
    tokenizer case-folds and splits at Unicode word boundaries, and letters hold none), so
    its frequency is the word list's entry for it passed through wordfreq's rounding, a
    function of that entry alone (0.0 without one): each distinct entry's result is asked of
    wordfreq once, with the first term that has it. Other terms are asked one by one."""
    from wordfreq import get_frequency_dict, word_frequency

    if lang != "en":
        return [word_frequency(w.replace("’", "'"), lang) for w in terms]
    listed = get_frequency_dict(lang, "best")
    by_entry: dict[float, float] = {}
    out = []
    for w in terms:
        if _LETTERS.fullmatch(w):
            f = listed.get(w)
            if f is None:
                out.append(0.0)
                continue
            v = by_entry.get(f)
            if v is None:
                v = by_entry[f] = word_frequency(w, lang)
            out.append(v)
        else:
            out.append(word_frequency(w.replace("’", "'"), lang))
    return out


def keyness_vs_english(
    texts: Iterable[str] | pd.DataFrame,
    min_count: int = 2,
    stop_words=STOP_WORDS,
    lang: str = "en",
    top: int | None = None,
    alpha: float = 0.05,
    min_log_ratio: float = 1.0,
    floor: float = WORDFREQ_FLOOR,
) -> pd.DataFrame:
    """Words of a corpus (or one document) used more often than in general English (wordfreq).

    For each word counted at least ``min_count`` times (stop words left out of the tested
    family): ``k`` occurrences in ``n`` word tokens (all tokens of the texts, stop words
    included, as in wordfreq's denominator) against the wordfreq frequency ``p`` (``floor``
    for words wordfreq does not list, see :data:`WORDFREQ_FLOOR`). p-value: exact one-sided
    binomial test P(X >= k | n, p); q-value: Benjamini-Hochberg over the tested words.

    Out, one row per tested word, key words first (then by q-value, then log ratio): ``term``,
    ``count``, ``n_tokens``, ``expected`` (n·p), ``per_million``, ``per_million_english``,
    ``in_wordfreq`` (False: the floor was used), ``log_ratio`` (log2 of observed rate / p),
    ``p_value``, ``q_value``, ``key_for`` ("target" above the English rate, else "english"),
    ``key`` (q below ``alpha`` and log ratio at least ``min_log_ratio``).
    """
    if isinstance(texts, pd.DataFrame):
        texts = texts["text"]
    if isinstance(texts, pd.Series):  # read a block at a time, twice at most (no list of every text)
        key = _texts_key(_each_text(texts))
        all_counts, n = _LAST_CORPUS[key] if key in _LAST_CORPUS else _all_counts(_each_text(texts))
    else:
        texts = ["" if not isinstance(t, str) else t for t in texts]
        key = _texts_key(texts)
        all_counts, n = _LAST_CORPUS[key] if key in _LAST_CORPUS else _all_counts(texts)
    stop = frozenset(stop_words) if stop_words is not None else frozenset()
    counts = {
        w: c for w, c in all_counts.items() if c >= min_count and w not in stop and len(w) >= 2
    }
    cols = [
        "term",
        "count",
        "n_tokens",
        "expected",
        "per_million",
        "per_million_english",
        "in_wordfreq",
        "log_ratio",
        "p_value",
        "q_value",
        "key_for",
        "key",
    ]
    if n == 0 or not counts:
        return pd.DataFrame(columns=cols)
    terms = sorted(counts)
    k = np.array([counts[w] for w in terms], dtype=float)
    raw = np.array(_frequencies(terms, lang), dtype=float)
    p = np.maximum(raw, floor)
    out = pd.DataFrame(
        {
            "term": terms,
            "count": k.astype(int),
            "n_tokens": n,
            "expected": n * p,
            "per_million": 1e6 * k / n,
            "per_million_english": 1e6 * p,
            "in_wordfreq": raw > 0,
            "log_ratio": np.log2((k / n) / p),
            "p_value": binom.sf(k - 1, n, p),
        }
    )
    out["q_value"] = bh_qvalues(out["p_value"])
    out["key_for"] = np.where(out["log_ratio"] > 0, "target", "english")
    out["key"] = (out["q_value"] < alpha) & (out["log_ratio"] >= min_log_ratio)
    out = out.sort_values(
        ["key", "q_value", "log_ratio", "term"], ascending=[False, True, False, True]
    )
    out = out.reset_index(drop=True)[cols]
    return out.head(top) if top else out
