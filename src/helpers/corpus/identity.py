"""What makes two copies "the same text", the stable ``doc_id`` built on it, and the language.

Language identification uses py3langid (langid.py's naive Bayes model over byte n-grams, 97
languages, shipped inside the wheel: no download, deterministic). Its reference code walks the
model's automaton one byte at a time in Python; :func:`detect_languages` computes the same
feature counts for a whole batch of documents with numpy (the automaton's state depends only
on the last few bytes, so every position can be advanced in parallel) and scores them with one
sparse product. The result is identical to ``py3langid.classify`` (checked at first use, with
a fall-back to the reference code if a future py3langid changes its model layout).
"""

from __future__ import annotations

import hashlib
import unicodedata
from functools import cache

import numpy as np
import pandas as pd

from ..compute import filter_rows
from ..text import _plain_tokens

#: Characters of a document's text used to identify its language (the start is enough; the
#: cap keeps the cost per document flat).
LANG_SAMPLE_CHARS = 3000
#: Fewer letters than this: too short to tell, language left "".
LANG_MIN_LETTERS = 10
_BATCH = 256
#: Model labels folded into the ISO 639-1 code of their macrolanguage: news in Chinese is "zh"
#: whether the model hears Wu or Cantonese in it (it often does for short Mandarin snippets);
#: "zxx" (no linguistic content) is left empty. Labels without a two-letter code stay ISO 639-3.
MACROLANGUAGES = {"wuu": "zh", "yue": "zh", "arz": "ar", "ary": "ar", "uzs": "uz", "gug": "gn", "zxx": ""}
#: Bytes of history enough to fix the automaton's state (its trie is at most 6 bytes deep; a
#: test checks this bound against the shipped model).
_WALK = 7


def normalise_for_hash(text: str) -> str:
    """Lower-case word tokens joined by spaces: what makes two copies "the same text".

    The tokens of :func:`helpers.text.tokenize` (numbers kept), found with ASCII character
    classes when the text allows (faster, the same tokens).
    """
    return " ".join(_plain_tokens(text, keep_numbers=True))


def make_doc_id(text: str, source: str = "", normalised: str | None = None, fallback: str = "") -> str:
    """Stable id: the first 12 hex digits of SHA-1 over the normalised text and the source.

    A document without text (a metadata-only row) is identified by ``fallback`` instead,
    usually its URL, so such rows do not all share one id.
    """
    norm = normalise_for_hash(text) if normalised is None else normalised
    if not norm and fallback:
        norm = f"\x00no-text\x00{fallback.strip()}"
    return hashlib.sha1(f"{norm}\x00{source.strip().lower()}".encode()).hexdigest()[:12]


def unique_ids(ids: list[str]) -> list[str]:
    """Suffix repeats ``-2``, ``-3`` …: the same text from the same outlet twice keeps unique ids.

    >>> unique_ids(["a", "b", "a", "a"])
    ['a', 'b', 'a-2', 'a-3']
    """
    out, seen = list(ids), {}
    for i, d in enumerate(out):
        seen[d] = seen.get(d, 0) + 1
        if seen[d] > 1:
            out[i] = f"{d}-{seen[d]}"
    return out


@cache
def _model() -> dict:
    """py3langid's model as numpy arrays, and whether the batched path matches the reference."""
    import py3langid

    ident = py3langid.langid._get_identifier()
    model = {"ident": ident}
    try:
        model.update(nm=np.asarray(ident.tk_nextmove), rowbase=np.asarray(ident._rowbase, dtype=np.int64),
                     nm_base=None,
                     out=np.asarray(ident.tk_output, dtype=np.int64), ptc=np.asarray(ident.nb_ptc, dtype=np.float32),
                     pc=np.asarray(ident.nb_pc, dtype=np.float32), classes=list(ident.nb_classes))
        probe = ["Die Bundesregierung hat am Montag neue Klimaziele beschlossen.", "政府周一宣布了新的气候目标。",
                 "The government announced new climate targets on Monday, officials said."]
        model["nm_base"] = _next_row_bases(model["nm"], model["rowbase"])
        fast = _scores(model, [_encode(t) for t in probe])
        ref = np.vstack([ident._raw_score(_encode(t)) for t in probe])
        model["fast"] = bool(np.allclose(fast, ref, rtol=1e-3, atol=1e-2))
    except (AttributeError, TypeError, ValueError, IndexError):
        model["fast"] = False
    return model


def _encode(text: str) -> bytes:
    """The bytes py3langid scores: all-capitals lowered, NFC, UTF-8."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf-8", errors="surrogatepass")


def _next_row_bases(nm: np.ndarray, rowbase: np.ndarray) -> np.ndarray:
    """The automaton's table with each next state given as its row's base (``rowbase[nm]``), so
    a step is one look-up, ``base = table[base + byte]``, not two; int32 when the bases fit."""
    dtype = np.int32 if len(nm) + 256 < 2**31 else np.int64
    return rowbase.astype(dtype)[nm]


def _scores(model: dict, encoded: list[bytes]) -> np.ndarray:
    """Naive Bayes scores (documents x languages), the same numbers as py3langid's ``_raw_score``."""
    from scipy.sparse import csr_matrix

    nm, rowbase, nm_base = model["nm"], model["rowbase"], model["nm_base"]
    lens = np.fromiter((len(e) for e in encoded), dtype=np.int64, count=len(encoded))
    b = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(nm_base.dtype)
    n = len(b)
    # position i ends up in the state reached by reading bytes i-6 .. i: the first _WALK - 1 steps
    # carry the states' row bases (one look-up a step), the last one the state itself
    base = np.full(n, rowbase[0], dtype=nm_base.dtype)
    for k in range(_WALK - 1):
        lag = _WALK - 1 - k
        base[lag:] = nm_base[base[lag:] + b[: n - lag]]
    state = nm[base + b].astype(np.int64)
    del base
    # a document's first bytes must not see the previous document's last ones: walk them again
    # from the start state, all documents at once
    starts, prev = np.cumsum(lens) - lens, np.zeros(len(encoded), dtype=np.int64)
    for j in range(_WALK - 1):
        ok = lens > j
        pos = starts[ok] + j
        prev[ok] = nm[rowbase[prev[ok]] + b[pos]]
        state[pos] = prev[ok]
    feats = model["out"][state]
    keep = feats >= 0
    n_feats = len(model["ptc"])
    # the feature counts as a canonical CSR matrix (rows sorted, duplicates summed), built from one
    # sort of (document, feature) keys: the same matrix, so the same product, as COO -> CSR
    dtype = np.int32 if len(encoded) * n_feats < 2**31 else np.int64  # narrow keys sort faster
    key = np.repeat(np.arange(len(encoded), dtype=dtype), lens)[keep] * dtype(n_feats) + feats[keep].astype(dtype)
    key.sort()
    first = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]])) if len(key) else np.zeros(0, np.int64)
    data = np.diff(np.append(first, len(key))).astype(np.float32)
    rows, cols = np.divmod(key[first], n_feats)
    indptr = np.searchsorted(rows, np.arange(len(encoded) + 1))
    counts = csr_matrix((np.log1p(data), cols, indptr), shape=(len(encoded), n_feats))
    return np.asarray(counts @ model["ptc"]) + model["pc"]


def _enough_letters(text: str) -> bool:
    # map(str.isalpha) runs in C; most texts pass on their first few hundred characters
    return (sum(map(str.isalpha, text[:400])) >= LANG_MIN_LETTERS
            or sum(map(str.isalpha, text[:LANG_SAMPLE_CHARS])) >= LANG_MIN_LETTERS)


def detect_languages(texts: list[str]) -> list[str]:
    """ISO 639-1 code of each text's language (ISO 639-3 when it has no two-letter code); ""
    for texts with fewer than 10 letters.

    Uses the first :data:`LANG_SAMPLE_CHARS` characters. Deterministic.

    >>> detect_languages(["Die Regierung hat am Montag neue Klimaziele beschlossen.", "ok"])
    ['de', '']
    """
    out = [""] * len(texts)
    todo = [(i, t[:LANG_SAMPLE_CHARS]) for i, t in enumerate(texts) if isinstance(t, str) and _enough_letters(t)]
    if not todo:
        return out
    model = _model()
    for s in range(0, len(todo), _BATCH):
        batch = todo[s: s + _BATCH]
        if model["fast"]:
            scores = _scores(model, [_encode(t) for _, t in batch])
            labels = [model["classes"][j] for j in scores.argmax(axis=1)]
        else:
            labels = [model["ident"].classify(t)[0] for _, t in batch]
        for (i, _), lab in zip(batch, labels, strict=True):
            out[i] = MACROLANGUAGES.get(lab, lab)
    return out


def detect_lang(text: str) -> str:
    """ISO 639-1 code of one text's language ("" when too short to tell); see :func:`detect_languages`."""
    return detect_languages([text])[0]


def select_language(corpus: pd.DataFrame, languages: tuple[str, ...] = ("en",)) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(kept, left_out)``: documents in ``languages`` and the others, for a method that needs them.

    Documents without text (metadata only) are left out too. ``left_out`` has ``doc_id``,
    ``source_path``, ``title``, ``lang`` and ``reason``, ready to show in a notebook.

    >>> c = pd.DataFrame({"doc_id": ["a", "b"], "source_path": ["x", "y"], "title": ["A", "B"],
    ...                   "lang": ["en", "de"], "text": ["Hello there", "Hallo"]})
    >>> select_language(c)[1][["doc_id", "reason"]].to_dict("records")
    [{'doc_id': 'b', 'reason': 'language de, not en'}]
    """
    has_text = pd.Series(non_blank(corpus["text"]), index=corpus.index)
    keep = corpus["lang"].isin(languages) & has_text
    left = corpus.loc[~keep, ["doc_id", "source_path", "title", "lang"]].copy()
    wanted = ", ".join(languages)
    left["reason"] = ["no text (metadata only)" if not t else f"language {lang or 'unknown'}, not {wanted}"
                      for lang, t in zip(left["lang"], has_text[~keep], strict=True)]
    # column by column (filter_rows): a whole-table .loc peaked ~1.2 GB higher at 100k articles
    return filter_rows(corpus, keep.to_numpy(dtype=bool)), left.reset_index(drop=True)


def non_blank(texts: pd.Series) -> np.ndarray:
    """Which ``texts`` hold more than white space (missing ones do not): ``texts.fillna("")
    .astype(str).str.strip() != ""`` as an array, stripped :data:`_TEXT_BLOCK` texts at a time
    (a stripped copy of every text at once held another 0.6 GB at 100,000 articles)."""
    return np.concatenate(
        [(texts.iloc[lo:lo + _TEXT_BLOCK].fillna("").astype(str).str.strip() != "").to_numpy(dtype=bool)
         for lo in range(0, len(texts), _TEXT_BLOCK)] or [np.zeros(0, dtype=bool)])


#: Texts stripped at once by :func:`non_blank`.
_TEXT_BLOCK = 10_000
