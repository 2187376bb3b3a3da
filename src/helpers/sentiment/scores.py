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
from itertools import repeat

import numpy as np
import pandas as pd

from .. import text
from .units import _ID_COLS, _units_of
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
    """Every document's sentences and paragraphs, as ``helpers.text.units`` finds them: per level
    the rows (document row, position, paragraph) and texts, and for paragraphs and documents
    the range of their parts (sentences, paragraphs) and whether they are made of them."""
    rows = {"s": [], "p": [], "d": []}
    texts = {"s": [], "p": [], "d": []}
    span = {"p": [], "d": []}  # [first, last) part of each paragraph / document
    ok = {"p": [], "d": []}
    texts_ = [t if isinstance(t, str) else "" for t in corpus["text"].tolist()]
    for r, (t, sents) in enumerate(zip(texts_, text.sentence_spans_each(texts_), strict=True)):  # looked up together
        paras = text.paragraph_spans(t)
        if not paras:
            continue
        k, base, p_base = 0, len(rows["s"]), len(rows["p"])
        for p_i, (ps, pe) in enumerate(paras):
            lo = k
            while k < len(sents) and sents[k][0] < pe:
                k += 1
            rows["s"] += [(r, i, p_i) for i in range(lo, k)]
            texts["s"] += [t[s:e] for s, e in sents[lo:k]]
            rows["p"].append((r, p_i, p_i))
            texts["p"].append(t[ps:pe])
            span["p"].append((base + lo, base + k))
            ok["p"].append(_covers(t, ps, pe, sents[lo:k]))
        rows["d"].append((r, 0, 0))
        texts["d"].append(t)
        span["d"].append((p_base, len(rows["p"])))
        ok["d"].append(_covers(t, 0, len(t), paras))
    span = {k: np.asarray(v, dtype=np.int64).reshape(-1, 2) for k, v in span.items()}
    return rows, texts, span, {k: np.asarray(v, dtype=bool) for k, v in ok.items()}


def _distinct(texts: list[str]):
    """The distinct texts in order of appearance, the distinct index of every text, and the
    position of each distinct text's first appearance."""
    where: dict[str, int] = {}
    firsts = np.fromiter(map(where.setdefault, texts, range(len(texts))), dtype=np.int64, count=len(texts))
    first, inv = np.unique(firsts, return_inverse=True)  # first positions ascending: appearance order
    return [texts[i] for i in first.tolist()], inv.reshape(-1), first


def level_scores(corpus: pd.DataFrame, neutral_band: float = 0.05,
                 drivers: tuple[str, ...] = ("sentence", "paragraph", "document"),
                 dictionary=None, negation_window: int = 3) -> pd.DataFrame:
    """:func:`unit_scores` at the three levels in one step: the sentences, paragraphs and
    document of each document, each document's rows together (sentences, paragraphs, then the
    document), ``level`` saying which; paragraph and document rows have an empty ``text``, and
    the rows of a level not in ``drivers`` an empty ``drivers`` (long strings, not formed when
    not read: a document's drivers list every word of it that carries valence).

    The same rows and numbers as ``unit_scores`` at each level (``text`` aside): the documents
    are split once, each distinct text of a level is scored once, and only the distinct
    sentences are tokenised: a paragraph's tokens are its sentences' tokens and a document's its
    paragraphs' (checked per unit: units whose text is more than their parts with whitespace
    between are split on their own), and a unit has an emoji when one of its parts has.
    :func:`split_levels` gives the three tables.

    With a ``dictionary`` (a :class:`~.dictionaries.SentimentDictionary`), the sentences also
    get its columns (:data:`~.dictionary_stream.DICTIONARY_COLUMNS`: the ``n_words``,
    ``positive``, ``negative`` and ``drivers`` of :func:`~.dictionaries.dictionary_scores` with
    ``negation_window``), from the tokens VADER split (no second pass over the texts);
    paragraphs and documents hold 0 and "" there. :func:`~.dictionary_stream.dictionary_table`
    forms the dictionary's table from them.

    >>> level_scores(pd.DataFrame({"doc_id": ["a"], "text": ["Good. Bad."]}))[["level", "compound"]].values.tolist()
    [['sentence', 0.4404], ['sentence', -0.5423], ['paragraph', -0.1531], ['document', -0.1531]]
    """
    from .vader_batch import _slow_texts, split_stream

    rows, texts, span, ok = _level_units(corpus)
    scorer = _scorer()
    doc_ids = corpus["doc_id"].tolist()
    parts, child = [], None  # child: the previous level's (stream, emoji mask), per unit
    for level, key in (("sentence", "s"), ("paragraph", "p"), ("document", "d")):
        uniq, inv, first = _distinct(texts[key])
        if child is None:
            stream = split_stream(scorer._tokens, uniq)
            slow = _slow_texts(uniq, scorer._emoji_chars)
        else:
            stream, slow = _parent_level(scorer, child, span[key][first], ok[key][first], uniq)
        cols = scorer.score_stream(uniq, stream, slow, drivers=level in drivers)
        child = ((stream[0], stream[1][inv], stream[2][inv]), slow[inv])
        formed = cols.pop("drivers")
        cols = {k: np.asarray(v)[inv] for k, v in cols.items()}
        cols["drivers"] = [formed[i] for i in inv.tolist()] if level in drivers else [""] * len(inv)
        if dictionary is not None:
            cols.update(_dictionary_columns(level, uniq, inv, stream, scorer, dictionary, negation_window))
        parts.append(_level_table(level, rows[key], doc_ids, texts["s"] if key == "s" else None,
                                  cols, neutral_band))
    order = np.argsort(np.concatenate([[u[0] for u in rows[k]] for k in "spd"]).astype(np.int64), kind="stable")
    out = pd.concat(parts, ignore_index=True)
    return out.iloc[order].reset_index(drop=True) if len(out) else out


def _dictionary_columns(level, uniq, inv, stream, scorer, dictionary, negation_window) -> dict:
    """The dictionary's columns of a level's units (``uniq[inv]``): scored from VADER's token
    stream of the distinct sentences, 0 and "" for the other levels."""
    from .dictionary_stream import DICTIONARY_COLUMNS, stream_columns

    if level != "sentence":
        n = len(inv)
        return dict(zip(DICTIONARY_COLUMNS, [np.zeros(n, dtype=np.int64), np.zeros(n), np.zeros(n), [""] * n],
                        strict=True))
    got = stream_columns(uniq, stream, scorer._tokens, dictionary, negation_window)
    drivers = got.pop("drivers")
    values = [np.asarray(got[k])[inv] for k in ("n_words", "positive", "negative")]
    return dict(zip(DICTIONARY_COLUMNS, [*values, [drivers[i] for i in inv.tolist()]], strict=True))


def _parent_level(scorer, child, span, ok, texts):
    """Token stream and emoji mask of distinct units made of the previous level's units."""
    from .vader_batch import _slow_texts, parent_stream

    stream, child_slow = child
    out = parent_stream(scorer._tokens, stream, span[:, 0], span[:, 1], ok, texts)
    cum = np.concatenate([[0], np.cumsum(np.asarray(child_slow, dtype=np.int64))])
    slow = (cum[span[:, 1]] - cum[span[:, 0]]) > 0
    bad = np.flatnonzero(~ok)
    if len(bad):
        slow[bad] = _slow_texts([texts[k] for k in bad.tolist()], scorer._emoji_chars)
    return out, slow


def _level_table(level, units, doc_ids, texts, cols, neutral_band) -> pd.DataFrame:
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
    out["n_words"] = np.asarray(cols["n_words"], dtype=np.int64)
    extra = [k for k in cols if k.startswith("dictionary_")]  # the dictionary's, when asked for
    scored = pd.DataFrame({k: cols[k] for k in ("compound", "pos", "neu", "neg", "drivers", *extra)})
    out = pd.concat([out, scored], axis=1)
    out["polarity"] = polarity_from_score(out["compound"].to_numpy(), neutral_band)
    return out[[*_ID_COLS, "text", "n_words", "compound", "pos", "neu", "neg", "polarity", "drivers", *extra]]


def split_levels(scores: pd.DataFrame, consume: bool = False) -> dict[str, pd.DataFrame]:
    """:func:`level_scores` as one table per level (index 0..n-1): ``sentence`` with its
    ``text`` (and the dictionary's columns, when ``level_scores`` had a dictionary),
    ``paragraph`` and ``document`` without.

    Column by column, as :func:`helpers.compute.filter_rows` selects rows (a whole-table
    selection peaked ~2 GB higher at 100k). ``consume=True`` deletes each text column (ids,
    text, drivers) from ``scores`` once its levels are taken, so a table no one else holds
    (``split_levels(map_documents(...), consume=True)``) is not held twice at its peak: at 100k
    its texts are a gigabyte or more. The tables are the same either way."""
    level = scores["level"].to_numpy()
    names = ("sentence", "paragraph", "document")
    keep = {name: level == name for name in names}
    columns = list(scores.columns)
    texts = [c for c in columns if not isinstance(scores[c].dtype, np.dtype)]
    parts: dict[str, dict] = {name: {} for name in names}
    for c in [c for c in columns if c not in texts] + texts:  # numbers first: they stay
        col = scores[c]
        for name in names:
            if name == "sentence" or not (c == "text" or c.startswith("dictionary_")):
                parts[name][c] = col[keep[name]]
        del col
        if consume and c in texts:
            del scores[c]
    out = {}
    for name in names:
        cols = [parts[name][c] for c in columns if c in parts[name]]
        part = pd.concat(cols, axis=1) if cols else scores.iloc[0:0]
        part.columns = [c for c in columns if c in parts[name]]
        out[name] = part.reset_index(drop=True)
    return out


#: Units whose drivers are split in one pass (bounds the memory of their parts).
_TERMS_BLOCK = 100_000


def driver_terms(scores: pd.DataFrame, ids: bool = True) -> pd.DataFrame:
    """Long table of the words behind the scores: one row per unit and driving word.

    In: the output of :func:`vader_scores` or :func:`dictionary_scores` (a ``drivers`` column).
    Out: ``unit_id``, ``doc_id``, ``term`` (lower-cased), ``valence`` (float). Count or sum it
    with pandas to see which words make the coverage look negative. ``ids=False``: ``term`` and
    ``valence`` only, the same rows (for totals per term: at 100k articles the ids of ~10 M rows
    as Python strings cost ~2 GB at once).

    The drivers of a block of units are joined and split in one call (``"; "`` cannot overlap
    itself, so that gives each unit's parts in order); each distinct part is parsed once and the
    rows are array indexing, not a tuple per row.

    >>> s = vader_scores(pd.DataFrame({"doc_id": ["a"], "text": ["War and peace."]}))
    >>> driver_terms(s)[["term", "valence"]].values.tolist()
    [['war', -2.9], ['peace', 2.5]]
    """
    drivers = scores["drivers"]
    parsed: dict[str, int] = {}  # each distinct "word (+1.90)" -> its index in terms/valences
    terms, valences = [], []
    rows, codes = [], []
    for lo in range(0, len(drivers), _TERMS_BLOCK):
        block = drivers.iloc[lo : lo + _TERMS_BLOCK].tolist()  # a block of Python strings at a time
        keep = [k for k, d in enumerate(block) if isinstance(d, str) and d]
        kept = [block[k] for k in keep]
        parts = "; ".join(kept).split("; ") if kept else []
        n_parts = np.fromiter(map(str.count, kept, repeat("; ")), dtype=np.int64, count=len(kept)) + 1
        for part in set(parts).difference(parsed):
            m = _DRIVER_RE.match(part)
            parsed[part] = len(terms) if m else -1
            if m:
                terms.append(m.group(1).lower())
                valences.append(float(m.group(2)))
        rows.append(np.repeat(np.asarray(keep, dtype=np.int64) + lo, n_parts))
        codes.append(np.fromiter(map(parsed.__getitem__, parts), dtype=np.int64, count=len(parts)))
    row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    code = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64)
    found = code >= 0
    row, code = row[found], code[found]
    if not len(row):
        return pd.DataFrame([], columns=["unit_id", "doc_id", "term", "valence"][0 if ids else 2:])
    out = {"unit_id": scores["unit_id"].to_numpy()[row], "doc_id": scores["doc_id"].to_numpy()[row]} if ids else {}
    return pd.DataFrame({
        **out,
        "term": np.asarray(terms, dtype=object)[code],
        "valence": np.asarray(valences, dtype=float)[code],
    })


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
