"""VADER tone of tables: one score per unit, or per mention window, with its driving words.

``vader_scores`` scores every unit of a units table or corpus (``unit_scores`` splits the
documents into units first, per document, for ``map_documents``), ``driver_terms`` turns the
``drivers`` column into a long table of words, ``vader_target_scores`` is the lexicon baseline of
entity-targeted tone (VADER on the words around each mention), and ``polarity_from_score`` maps
a score to -1/0/1. All share one :class:`~.vader.VaderScorer` (``_scorer()``), so its token and
text caches serve every call.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .. import text
from .vader import VaderScorer

_DEFAULT_SCORER: VaderScorer | None = None


def _scorer() -> VaderScorer:
    global _DEFAULT_SCORER
    if _DEFAULT_SCORER is None:
        _DEFAULT_SCORER = VaderScorer()
    return _DEFAULT_SCORER


def polarity_from_score(score, neutral_band: float = 0.05):
    """Map a compound-like score to -1/0/1 (VADER's own convention: |score| < 0.05 is neutral).

    >>> polarity_from_score(np.array([-0.3, 0.01, 0.2])).tolist()
    [-1, 0, 1]
    """
    s = np.asarray(score, dtype=float)
    out = np.where(s >= neutral_band, 1, np.where(s <= -neutral_band, -1, 0))
    return out if out.ndim else int(out)


_DRIVER_RE = re.compile(r"(.+?) \(([+-]\d+(?:\.\d+)?)\)$")
_ID_COLS = ("unit_id", "doc_id", "level", "position", "paragraph")


def _units_of(table: pd.DataFrame) -> pd.DataFrame:
    """Accept a units table or a corpus (scored at document level)."""
    if "text" not in table.columns:
        raise ValueError(
            f"the table needs a 'text' column (got {list(table.columns)}); pass a corpus "
            "from load_corpus or a units table from helpers.text.units"
        )
    if "unit_id" in table.columns:
        return table
    if "doc_id" not in table.columns:
        raise ValueError("the table needs a 'doc_id' column (a corpus) or 'unit_id' (units)")
    out = pd.DataFrame(
        {
            "unit_id": table["doc_id"].astype(str) + ":d",
            "doc_id": table["doc_id"],
            "level": "document",
            "position": 0,
            "paragraph": 0,
            "text": table["text"],
        }
    )
    return out


def vader_scores(
    table: pd.DataFrame, scorer: VaderScorer | None = None, neutral_band: float = 0.05
) -> pd.DataFrame:
    """VADER sentiment of every unit (sentence, paragraph or document).

    In: a units table (``helpers.text.units``) or a corpus (then documents are the units).
    Out, one row per unit: ``unit_id``, ``doc_id``, ``level``, ``position``, ``paragraph``
    (those present in the input), ``text``, ``n_words`` (whitespace words), ``compound``
    (-1..1, VADER's normalised sum), ``pos``/``neu``/``neg`` (VADER's proportions),
    ``polarity`` (-1/0/1 with ``|compound| < neutral_band`` neutral), ``drivers`` (the words
    that carried valence after negation/booster rules, e.g. ``"threat (-2.40); peace (+1.80)"``).

    VADER was built on social-media text: on news its compound is driven by a few loaded words
    (``war``, ``attack``, ``support``); read the drivers before trusting a number.

    >>> float(vader_scores(pd.DataFrame({"doc_id": ["a"], "text": ["A great deal."]}))["compound"].iloc[0])
    0.6249
    """
    units = _units_of(table)
    scored = (scorer or _scorer()).score_texts(units["text"].tolist(), n_words=True)
    keep = [c for c in _ID_COLS if c in units.columns]
    out = units[keep + ["text"]].reset_index(drop=True).copy()
    out["n_words"] = scored.pop("n_words")  # whitespace words, 0 for a missing text
    out = pd.concat([out, scored], axis=1)
    out["polarity"] = polarity_from_score(out["compound"].to_numpy(), neutral_band)
    return out[keep + ["text", "n_words", "compound", "pos", "neu", "neg", "polarity", "drivers"]]


def unit_scores(
    corpus: pd.DataFrame, level: str = "sentence", neutral_band: float = 0.05
) -> pd.DataFrame:
    """VADER scores of every ``level`` unit of the documents: :func:`vader_scores` of
    ``helpers.text.units(corpus, level)`` (same columns, without ``start``/``end``), in one
    document-separable step for ``helpers.compute.map_documents`` (a corpus is cheaper to key
    and to send to workers than its units table).

    >>> unit_scores(pd.DataFrame({"doc_id": ["a"], "text": ["Good. Bad."]}))["compound"].tolist()
    [0.4404, -0.5423]
    """
    return vader_scores(text.units(corpus, level), neutral_band=neutral_band)


def _covers(text_: str, lo: int, hi: int, spans) -> bool:
    """Whether ``text_[lo:hi]`` is ``spans`` (at least one) with only whitespace around and
    between them, and a non-empty gap between two of them: then its whitespace tokens are the
    spans' tokens in order."""
    if not spans:
        return False
    gap = text_[lo : spans[0][0]]
    if gap and not gap.isspace():
        return False
    for (_, e), (s, _) in zip(spans, spans[1:]):  # noqa: B905 (one shorter by design)
        if not text_[e:s].isspace():
            return False
    gap = text_[spans[-1][1] : hi]
    return not gap or gap.isspace()


def _level_units(corpus: pd.DataFrame):
    """Sentence and paragraph spans of every document, as ``helpers.text.units`` finds them, and
    which of them are made of their sentences (paragraphs) or paragraphs (documents)."""
    rows = {"s": [], "p": [], "d": []}  # (row, position, paragraph, start, end)
    p_ok, d_ok, texts = [], [], []
    for r, t in enumerate(corpus["text"].tolist()):
        t = t if isinstance(t, str) else ""
        texts.append(t)
        paras = text.paragraph_spans(t)
        if not paras:
            continue
        sents = text.sentence_spans(t)
        k = 0
        for p_i, (ps, pe) in enumerate(paras):
            lo = k
            while k < len(sents) and sents[k][0] < pe:
                rows["s"].append((r, k, p_i, *sents[k]))
                k += 1
            rows["p"].append((r, p_i, p_i, ps, pe))
            p_ok.append(_covers(t, ps, pe, sents[lo:k]))
        rows["d"].append((r, 0, 0, 0, len(t)))
        d_ok.append(_covers(t, 0, len(t), paras))
    return rows, np.asarray(p_ok, dtype=bool), np.asarray(d_ok, dtype=bool), texts


def _children(parent_rows: list, child_rows: list, key) -> tuple[np.ndarray, np.ndarray]:
    """Each parent's [first, last) child, children in parent order (``key``: the parent of a child)."""
    keys = np.asarray([key(c) for c in child_rows], dtype=np.int64).reshape(-1)
    parents = np.arange(len(parent_rows), dtype=np.int64)
    return np.searchsorted(keys, parents, side="left"), np.searchsorted(keys, parents, side="right")


def level_scores(corpus: pd.DataFrame, neutral_band: float = 0.05) -> pd.DataFrame:
    """:func:`unit_scores` at the three levels in one step: the sentences, paragraphs and
    document of each document, each document's rows together (sentences, paragraphs, then the
    document), ``level`` saying which; paragraph and document rows have an empty ``text``.

    The same rows and numbers as ``unit_scores`` at each level (``text`` aside): the documents
    are split and tokenised once. A paragraph's tokens are its sentences' tokens and a document's
    its paragraphs' (checked per unit: units whose text is more than their parts, with only
    whitespace between, are split on their own), and a unit has an emoji when one of its parts
    has. :func:`split_levels` gives the three tables.

    >>> level_scores(pd.DataFrame({"doc_id": ["a"], "text": ["Good. Bad."]}))[["level", "compound"]].values.tolist()
    [['sentence', 0.4404], ['sentence', -0.5423], ['paragraph', -0.1531], ['document', -0.1531]]
    """
    from .vader_batch import _slow_texts, _token_stream, parent_stream

    rows, p_ok, d_ok, docs = _level_units(corpus)
    scorer = _scorer()
    vocab = scorer._tokens
    s_texts = [docs[r][s:e] for r, _, _, s, e in rows["s"]]
    p_texts = [docs[r][s:e] for r, _, _, s, e in rows["p"]]
    d_texts = [docs[r] for r, *_ in rows["d"]]
    s_stream = _token_stream(vocab, s_texts)[1:]
    s_slow = _slow_texts(s_texts, scorer._emoji_chars)
    s_par = [(r, p) for r, _, p, _, _ in rows["s"]]
    p_key = {(r, p): j for j, (r, p, *_rest) in enumerate(rows["p"])}
    c_lo, c_hi = _children(rows["p"], s_par, lambda c: p_key[c])
    p_stream = parent_stream(vocab, s_stream, c_lo, c_hi, p_ok, p_texts)
    p_slow = _derived_slow(s_slow, c_lo, c_hi, p_ok, p_texts, scorer)
    d_key = {r: j for j, (r, *_rest) in enumerate(rows["d"])}
    q_lo, q_hi = _children(rows["d"], rows["p"], lambda c: d_key[c[0]])
    d_stream = parent_stream(vocab, p_stream, q_lo, q_hi, d_ok, d_texts)
    d_slow = _derived_slow(p_slow, q_lo, q_hi, d_ok, d_texts, scorer)
    parts = []
    doc_ids = corpus["doc_id"].tolist()
    for level, units, texts, stream, slow in (
        ("sentence", rows["s"], s_texts, s_stream, s_slow),
        ("paragraph", rows["p"], p_texts, p_stream, p_slow),
        ("document", rows["d"], d_texts, d_stream, d_slow),
    ):
        scored = scorer.score_stream(texts, stream, slow)
        parts.append(_level_table(level, units, doc_ids, s_texts if level == "sentence" else None,
                                  scored, neutral_band))
    order = np.argsort(np.concatenate([[u[0] for u in rows[k]] for k in "spd"]).astype(np.int64), kind="stable")
    out = pd.concat(parts, ignore_index=True)
    return out.iloc[order].reset_index(drop=True) if len(out) else out


def _derived_slow(child_slow, c_lo, c_hi, ok, texts, scorer) -> np.ndarray:
    """Emoji mask of parent units: one of its parts has one (ok parents), else checked."""
    from .vader_batch import _slow_texts

    cum = np.concatenate([[0], np.cumsum(np.asarray(child_slow, dtype=np.int64))])
    slow = (cum[c_hi] - cum[c_lo]) > 0
    bad = np.flatnonzero(~ok)
    if len(bad):
        slow[bad] = _slow_texts([texts[k] for k in bad.tolist()], scorer._emoji_chars)
    return slow


def _level_table(level, units, doc_ids, texts, scored, neutral_band) -> pd.DataFrame:
    """One level's rows: the columns of :func:`vader_scores`, ``text`` only for sentences."""
    mark = {"document": "d", "paragraph": "p", "sentence": "s"}[level]
    ids = [doc_ids[u[0]] for u in units]
    out = pd.DataFrame({
        "unit_id": [f"{d}:d" for d in ids] if level == "document"
        else [f"{d}:{mark}{u[1]}" for d, u in zip(ids, units, strict=True)],
        "doc_id": ids, "level": [level] * len(ids),
    })
    out["position"] = pd.Series([u[1] for u in units], dtype="int64")
    out["paragraph"] = pd.Series([u[2] for u in units], dtype="int64")
    out["text"] = texts if texts is not None else [""] * len(ids)
    out["n_words"] = scored.pop("n_words").to_numpy().astype(np.int64, copy=False)
    out = pd.concat([out, scored.reset_index(drop=True)], axis=1)
    out["polarity"] = polarity_from_score(out["compound"].to_numpy(), neutral_band)
    return out[[*_ID_COLS, "text", "n_words", "compound", "pos", "neu", "neg", "polarity", "drivers"]]


def split_levels(scores: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """:func:`level_scores` as one table per level (index 0..n-1): ``sentence`` with its
    ``text``, ``paragraph`` and ``document`` without."""
    level = scores["level"].to_numpy()
    out = {}
    for name in ("sentence", "paragraph", "document"):
        part = scores[level == name]
        out[name] = (part if name == "sentence" else part.drop(columns="text")).reset_index(drop=True)
    return out


def driver_terms(scores: pd.DataFrame) -> pd.DataFrame:
    """Long table of the words behind the scores: one row per unit and driving word.

    In: the output of :func:`vader_scores` or :func:`dictionary_scores` (a ``drivers`` column).
    Out: ``unit_id``, ``doc_id``, ``term`` (lower-cased), ``valence`` (float). Count or sum it
    with pandas to see which words make the coverage look negative.

    >>> s = vader_scores(pd.DataFrame({"doc_id": ["a"], "text": ["War and peace."]}))
    >>> driver_terms(s)[["term", "valence"]].values.tolist()
    [['war', -2.9], ['peace', 2.5]]
    """
    rows = []
    parsed: dict[str, tuple[str, float] | None] = {}  # each distinct "word (+1.90)" parsed once
    for uid, did, drivers in zip(
        scores["unit_id"].tolist(), scores["doc_id"].tolist(), scores["drivers"].tolist(),
        strict=True,
    ):
        if not isinstance(drivers, str) or not drivers:
            continue
        for part in drivers.split("; "):
            hit = parsed.get(part, False)
            if hit is False:
                m = _DRIVER_RE.match(part)
                hit = parsed[part] = (m.group(1).lower(), float(m.group(2))) if m else None
            if hit is not None:
                rows.append((uid, did, *hit))
    return pd.DataFrame(rows, columns=["unit_id", "doc_id", "term", "valence"])


def _window(sentence: str, start: int, end: int, window: int) -> str:
    left = sentence[:start].split()
    right = sentence[end:].split()
    return " ".join([*left[max(0, len(left) - window) :], sentence[start:end], *right[:window]])


def vader_target_scores(
    frame: pd.DataFrame,
    window: int | None = 10,
    scorer: VaderScorer | None = None,
    neutral_band: float = 0.05,
) -> pd.DataFrame:
    """Lexicon baseline: VADER's compound on the ``window`` words either side of each mention
    (``None`` = the whole sentence).

    In: ``sentence``, ``from``, ``to``. Out: ``score`` (compound), ``polarity`` (-1/0/1),
    ``drivers``, index aligned with the input.

    >>> f = pd.DataFrame({"sentence": ["Critics attacked Japan, but praised Seoul."], "from": [17], "to": [22]})
    >>> vader_target_scores(f, window=2)["polarity"].tolist()
    [-1]
    """
    scorer = scorer or _scorer()
    texts = [
        s if window is None else _window(s, a, b, window)
        for s, a, b in zip(frame["sentence"], frame["from"], frame["to"], strict=True)
    ]
    scored = scorer.score_texts(texts)
    return pd.DataFrame(
        {
            "score": scored["compound"].to_numpy(),
            "polarity": polarity_from_score(scored["compound"].to_numpy(), neutral_band),
            "drivers": scored["drivers"].to_numpy(),
        },
        index=frame.index,
    )
