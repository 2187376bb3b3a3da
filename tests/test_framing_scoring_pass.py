"""One scoring pass per document (framing eighth round): the same tables as the earlier code.

``frame_scores_by_level`` now scans each document once with one matcher holding every
dictionary's frames, the generic indicator cues and (when no dictionary given is the generic
one) the generic frames for the sentence peaks, keys ``(block, key)``, each key its own group;
``Matcher.scan_spans(..., only=)`` gives each span the matches of its block alone (the units:
the dictionaries; the whole text: the cues; the sentences: the generic frames). The packed
tallies are read from the matches (no row per match). The earlier code is kept below verbatim
but for the ``_reference_`` names and run beside the new one, packed and unpacked, with answers
and peaks, on the seed, corpus-2k and a sample of corpus-10k-distinct (when built) and on edge
texts: possessives, phrases across sentence and section edges, negators at span starts, globs,
curly apostrophes, repeated ids, no text, a title repeating the first paragraph.
"""

from __future__ import annotations

import json
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.framing import scores
from helpers.framing.dictionaries import FrameDictionary, as_dictionary
from helpers.framing.indicators import _indicator_rules, cue_matcher, indicator_answers
from helpers.framing.matcher import Matcher
from helpers.framing.scores import (
    _ANSWERS,
    _STR,
        _peak_rows,
    _peak_setup,
    _unit_meta,
    dictionary_matcher,
    frame_scores_by_level,
)
from helpers.framing.units import as_units, section_units
from helpers.text import sentence_spans

ROOT = Path(__file__).resolve().parents[1]
SCALE = ROOT / "benchmarks" / "results" / "scale"
SCHEMES = ["generic", "policy", "territorial"]

# ---- old helpers/framing/scores.py: _match_units .. frame_scores_by_level, _packed, _score_grid,
# _tally, document_peaks, frame_matches, _combined_matcher, frame_scores, scores_each (verbatim but for
# the _reference_ names) ----


def _reference_frame_matches(
    data: pd.DataFrame, scheme="generic", level: str = "document", negation_window: int = 3
) -> pd.DataFrame:
    """Every dictionary match in every unit.

    In: a corpus (``doc_id``, ``text``) or a units table. ``scheme``: ``"generic"``,
    ``"policy"``, ``"territorial"``, a YAML path or a :class:`FrameDictionary`.
    Out, one row per match: ``unit_id``, ``doc_id``, ``level``, ``position``, ``scheme``,
    ``frame``, ``entry`` (the dictionary entry), ``term`` (the text matched), ``start``/``end``
    (character offsets in the document text when the units carry ``start``, else in the unit),
    ``negated`` (a negator within ``negation_window`` tokens before), ``negator``.

    >>> import pandas as pd
    >>> m = _reference_frame_matches(pd.DataFrame({"doc_id": ["a"], "text": ["The dispute is not about money."]}))
    >>> m[["frame", "term", "negated"]].values.tolist()
    [['conflict', 'dispute', False], ['economic', 'money', True]]
    """
    d = as_dictionary(scheme)
    u = as_units(data, level)
    (rows,), _ = _reference_match_units(u, [d], level, negation_window)
    return pd.DataFrame(
        rows,
        columns=[
            "unit_id",
            "doc_id",
            "level",
            "position",
            "scheme",
            "frame",
            "entry",
            "term",
            "start",
            "end",
            "negated",
            "negator",
        ],
    )


_REFERENCE_COMBINED: dict[tuple[int, ...], tuple[list[FrameDictionary], Matcher]] = {}


def _reference_combined_matcher(ds: list[FrameDictionary]) -> Matcher:
    """One matcher for several dictionaries: keys ``(k, frame)`` (k: the dictionary's position).

    Every key is its own group (as in :func:`dictionary_matcher`), so each dictionary's matches are
    exactly its own matcher's; the text is tokenised once for all of them. Kept per list of
    dictionary objects (the objects are held, so their ids stay theirs)."""
    key = tuple(id(d) for d in ds)
    hit = _REFERENCE_COMBINED.get(key)
    if hit is None:
        entries = {(k, f): words for k, d in enumerate(ds) for f, words in d.categories.items()}
        hit = _REFERENCE_COMBINED[key] = (list(ds), Matcher(entries))
        if len(_REFERENCE_COMBINED) > 16:
            _REFERENCE_COMBINED.pop(next(iter(_REFERENCE_COMBINED)))
    return hit[1]


def _reference_frame_scores(
    data: pd.DataFrame,
    scheme="generic",
    level: str = "document",
    negation: bool = True,
    negation_window: int = 3,
    max_evidence: int = 12,
) -> pd.DataFrame:
    """Dictionary frame scores per unit and frame (long format), with the evidence.

    In: a corpus or units table (see :func:`frame_matches`); ``scheme`` may be a list of
    schemes, scored in one pass over the text (the rows of each, in the order given, as if
    concatenated). Out, one row per unit x frame:
    ``unit_id``, ``doc_id``, ``level``, ``position``, ``scheme``, ``frame``, ``label``,
    ``n_matches`` (hits counted in the score), ``n_negated`` (hits left out because negated;
    counted when ``negation=False``), ``n_tokens``, ``per_1000`` (hits per 1,000 tokens),
    ``evidence`` (the distinct matched words, most frequent first, ``;``-separated).

    >>> import pandas as pd
    >>> s = _reference_frame_scores(pd.DataFrame({"doc_id": ["a"], "text": ["A bitter dispute over the cost."]}))
    >>> int(s.set_index("frame").loc["conflict", "n_matches"])
    1
    """
    many = isinstance(scheme, list | tuple)
    grids = _reference_scores_each(data, list(scheme) if many else [scheme], level, negation,
                        negation_window, max_evidence)
    return pd.concat(grids, ignore_index=True) if many else grids[0]


def _reference_scores_each(data: pd.DataFrame, schemes: list, level: str = "document", negation: bool = True,
                negation_window: int = 3, max_evidence: int = 12) -> list[pd.DataFrame]:
    """:func:`frame_scores` of each scheme in ``schemes`` (a list of tables, in that order),
    from one pass over the text."""
    ds = [as_dictionary(x) for x in schemes]
    u = as_units(data, level)
    rows, n_tok = _reference_match_units(u, ds, level, negation_window)
    n_tokens = u["unit_id"].map(n_tok).to_numpy()
    return [_reference_score_grid(u, d, r, n_tokens, negation, max_evidence) for d, r in zip(ds, rows, strict=True)]


def _reference_match_units(u: pd.DataFrame, ds: list[FrameDictionary], level: str, negation_window: int,
                 found: list | None = None):
    """Every match of each dictionary in ``ds`` in every unit, one pass over the text.

    ``found``: each unit's ``(matches, n_tokens)`` already scanned (:func:`_scan_in_documents`).
    Out: a list of row lists (one per dictionary, rows as :func:`frame_matches` columns) and
    ``{unit_id: n_tokens}``."""
    single = len(ds) == 1
    matcher = dictionary_matcher(ds[0]) if single else _reference_combined_matcher(ds)
    rows: list[list[tuple]] = [[] for _ in ds]
    names = [d.name for d in ds]
    ntok = {}
    n = len(u)
    offsets = u["start"].clip(lower=0).tolist() if "start" in u.columns else [0] * n
    levels = u["level"].tolist() if "level" in u.columns else [level] * n
    positions = u["position"].tolist() if "position" in u.columns else [0] * n
    entry = matcher.entry
    for r, (uid, did, lev, pos, text, off) in enumerate(zip(
        u["unit_id"], u["doc_id"], levels, positions, u["text"], offsets, strict=True
    )):
        text = text if isinstance(text, str) else ""
        if found is None:
            hits = matcher.scan(text, negation_window)
            ntok[uid] = matcher.last_n_tokens
        else:
            hits, ntok[uid] = found[r]
        for key, idx, start, end, _, negator in hits:
            k, frame = (0, key) if single else key
            rows[k].append(
                (uid, did, lev, pos, names[k], frame, entry(idx), text[start:end],
                 off + start, off + end, bool(negator), negator)
            )
    return rows, ntok


def _reference_scan_in_documents(tables: list[pd.DataFrame], corpus: pd.DataFrame, matcher: Matcher,
                       negation_window: int, each=None) -> list[list]:
    """Each unit's ``(matches, n_tokens)`` (:meth:`Matcher.scan` of its text) for units tables
    cut from ``corpus``: a unit whose text is a span of its document's text is read from one
    :meth:`Matcher.scan_spans` of that document (every level at once); any other unit (a
    headline, a document id not unique in ``corpus``) is scanned on its own. The same matches
    as scanning each unit's text, which the span is (checked). ``each(doc_id, text)`` is called
    right after each such document's scan (another matcher then reuses its tokens)."""
    ids = corpus["doc_id"].tolist()
    texts = dict(zip(ids, corpus["text"], strict=True)) if len(set(ids)) == len(ids) else {}
    found: list[list] = [[None] * len(u) for u in tables]
    wanted: dict = {}  # doc_id -> [(table, row, start, end)]
    for t, u in enumerate(tables):
        starts = u["start"].tolist() if "start" in u.columns else [0] * len(u)
        for r, (did, unit, start) in enumerate(zip(u["doc_id"], u["text"], starts, strict=True)):
            unit = unit if isinstance(unit, str) else ""
            doc = texts.get(did)
            at = -1
            if isinstance(doc, str) and start >= 0:
                at = start if doc.startswith(unit, start) else doc.find(unit, start)
            if at < 0:
                found[t][r] = (matcher.scan(unit, negation_window), matcher.last_n_tokens)
            else:
                wanted.setdefault(did, []).append((t, r, at, at + len(unit)))
    for did, reqs in wanted.items():
        hits, counts = matcher.scan_spans(texts[did], [(s, e) for _, _, s, e in reqs], negation_window)
        for (t, r, _, _), h, c in zip(reqs, hits, counts, strict=True):
            found[t][r] = (h, c)
        if each is not None:
            each(did, texts[did])
    return found


def _reference_frame_scores_by_level(corpus: pd.DataFrame, scheme="generic", levels=("document", "section"),
                          negation: bool = True, negation_window: int = 3,
                          max_evidence: int = 12, answers: bool = False, peaks: bool = False,
                          packed: bool = False) -> pd.DataFrame:
    """:func:`frame_scores` of a corpus at several levels in one table, from one tokenisation
    and one candidate pass per document text.

    In: a corpus (``doc_id``, ``text``; ``title`` for the headline); ``levels``: ``"document"``,
    ``"paragraph"``, ``"sentence"`` (:func:`as_units`) or ``"section"``
    (:func:`~helpers.framing.units.section_units`); ``scheme`` as in :func:`frame_scores`.
    Out: ``frame_scores(units, scheme, level)`` of each level, concatenated in the order of
    ``levels`` (the ``level`` column tells them apart): the same rows, values and order.
    Document-separable: through :func:`helpers.compute.map_documents` each document's rows come
    together; split by ``level`` and sort by scheme (stable) to get these tables back.
    ``answers=True``: :func:`~helpers.framing.indicators.indicator_answers` of the documents
    (generic cues, this negation window) follow as rows of level ``"indicators"``, the cues
    matched on the tokens the scores were matched on; :func:`split_answers` separates them.
    ``peaks=True``: each document's generic sentence peaks
    (:func:`~helpers.framing.features.sentence_peak_features`, from the same tokens) follow as
    rows of level ``"peaks"`` (per frame: ``n_matches`` the peak, ``per_1000`` the dense
    share); :func:`split_peaks` takes them out as ``peak:``/``dense:`` columns.
    ``packed=True``: the same values packed a row per unit, the frames side by side
    (``_packed``; :func:`unpack_scores` gives each level's scores, the answers and the peaks
    back): a fraction of the memory, for corpora where this long table is the largest thing a
    notebook holds (ids, keys and names are not repeated for every unit and frame).
    """
    many = isinstance(scheme, list | tuple)
    ds = [as_dictionary(x) for x in (list(scheme) if many else [scheme])]
    matcher = dictionary_matcher(ds[0]) if len(ds) == 1 else _reference_combined_matcher(ds)
    tables = [section_units(corpus) if lev == "section" else as_units(corpus[["doc_id", "text"]], lev)
              for lev in levels]
    cues = cue_matcher() if answers else None
    scanned: dict = {}
    peak_of: dict = {}

    def each(did, text):  # right after the scores' scan of the same text: its tokens reused
        if answers:
            scanned[did] = cues.scan(text, negation_window)
        if peaks:
            peak_of[did] = _reference_document_peaks(text)
    found = _reference_scan_in_documents(tables, corpus, matcher, negation_window,
                               each if answers or peaks else None)
    if packed:
        return _reference_packed(corpus, ds, levels, tables, found, negation, negation_window, max_evidence,
                       scanned if answers else None, peak_of if peaks else None)
    out = []
    for lev, u, f in zip(levels, tables, found, strict=True):
        rows, n_tok = _reference_match_units(u, ds, lev, negation_window, f)
        n_tokens = u["unit_id"].map(n_tok).to_numpy()
        out += [_reference_score_grid(u, d, r, n_tokens, negation, max_evidence) for d, r in zip(ds, rows, strict=True)]
    if answers:
        a = indicator_answers(corpus[["doc_id", "text"]], negation_window=negation_window, scanned=scanned)
        if len(a):  # no documents: no rows to add (the scores' column types stay theirs)
            out.append(a.assign(level=_ANSWERS))
    if peaks and len(corpus):
        out.append(_peak_rows(corpus, peak_of))
    return pd.concat(out, ignore_index=True)


def _reference_packed(corpus, ds, levels, tables, found, negation, negation_window, max_evidence, scanned, peak_of):
    """:func:`frame_scores_by_level`'s values packed (see ``_BASE_TYPES``): each level's units
    in order, then the answers', then the peaks' rows, documents in order within each."""
    n_frames = sum(len(d.categories) for d in ds)
    rules = _indicator_rules(as_dictionary("generic")) if scanned is not None else []
    peak_frames = _peak_setup("generic")[1] if peak_of is not None else []
    n_slots = max(n_frames, len(rules), len(peak_frames))
    blocks = []  # (part, doc_id, unit_id, position, n_tokens, n (rows x k), g, e, x or None)
    for li, (lev, u, f) in enumerate(zip(levels, tables, found, strict=True)):
        rows, n_tok = _reference_match_units(u, ds, lev, negation_window, f)
        n_u = len(u)
        tallies = [_reference_tally(r, u["unit_id"], list(d.categories), negation, max_evidence)
                   for d, r in zip(ds, rows, strict=True)]
        n, g, e = ([t[i].reshape(n_u, len(d.categories)) for t, d in zip(tallies, ds, strict=True)]
                   for i in range(3))
        blocks.append((li, u["doc_id"].to_numpy(dtype=object), u["unit_id"].to_numpy(dtype=object),
                       u["position"].to_numpy(), u["unit_id"].map(n_tok).to_numpy(),
                       np.hstack(n) if n else np.zeros((n_u, 0), int), np.hstack(g) if g else np.zeros((n_u, 0), int),
                       np.hstack(e) if e else np.zeros((n_u, 0), object), None))
    if scanned is not None:
        a = indicator_answers(corpus[["doc_id", "text"]], negation_window=negation_window, scanned=scanned)
        if len(a):
            r = len(rules)
            if not (a["question_id"].to_numpy(dtype=object).reshape(-1, r) == np.array([q[1] for q in rules], dtype=object)).all():
                raise AssertionError("indicator answers not in the order of their rules")
            first = slice(None, None, r)
            blocks.append((-1, a["doc_id"].to_numpy(dtype=object)[first], a["unit_id"].to_numpy(dtype=object)[first],
                           a["position"].to_numpy()[first], np.zeros(len(a) // r, int),
                           a["n_cues"].to_numpy().reshape(-1, r), a["min_matches"].to_numpy().reshape(-1, r),
                           a["evidence"].to_numpy(dtype=object).reshape(-1, r), None))
    if peak_of is not None and len(corpus):
        ids = corpus["doc_id"].to_numpy(dtype=object)
        pk = [peak_of[did] if did in peak_of else _reference_document_peaks(text)
              for did, text in zip(ids, corpus["text"], strict=True)]
        k = len(peak_frames)
        blocks.append((-2, ids, ids, np.zeros(len(ids), int), np.zeros(len(ids), int),
                       np.array([p for _, p, _ in pk], dtype=np.int64).reshape(-1, k), np.zeros((len(ids), k), int),
                       np.full((len(ids), k), "", dtype=object), np.array([x for _, _, x in pk], dtype=float).reshape(-1, k)))
    out = {}

    def column(values, typ):
        return np.concatenate(values) if values else np.array([], dtype=typ)

    out["doc_id"] = pd.array(column([b[1] for b in blocks], object), dtype=_STR)
    out["unit_id"] = pd.array(column([b[2] for b in blocks], object), dtype=_STR)
    out["part"] = column([np.full(len(b[1]), b[0]) for b in blocks], np.int8).astype(np.int8)
    out["position"] = column([b[3] for b in blocks], np.int32).astype(np.int32)
    out["n_tokens"] = column([b[4] for b in blocks], np.int32).astype(np.int32)

    def slot(i, j, default, typ):
        return column([b[i][:, j] if b[i] is not None and j < b[i].shape[1]
                       else np.full(len(b[1]), default, dtype=typ) for b in blocks], typ).astype(typ)

    for j in range(n_slots):
        out[f"n{j}"] = slot(5, j, 0, np.int32)
        out[f"g{j}"] = slot(6, j, 0, np.int32)
        out[f"e{j}"] = pd.array(slot(7, j, "", object), dtype=_STR)
    for j in range(len(peak_frames)):
        out[f"x{j}"] = slot(8, j, 0.0, np.float64)
    return pd.DataFrame(out)



def _reference_score_grid(u, d: FrameDictionary, rows, n_tokens, negation: bool, max_evidence: int) -> pd.DataFrame:
    """One dictionary's unit x frame scores (:func:`frame_scores` columns) from its match rows."""
    frames = list(d.categories)
    grid = _unit_meta(u)
    grid = grid.loc[grid.index.repeat(len(frames))].reset_index(drop=True)
    grid["scheme"] = d.name
    grid["frame"] = frames * len(u)
    grid["label"] = [d.label(f) for f in frames] * len(u)
    n_matches, n_negated, evidence = _reference_tally(
        rows, u["unit_id"], frames, negation, max_evidence
    )
    grid["n_matches"], grid["n_negated"], grid["evidence"] = n_matches, n_negated, evidence
    grid["n_tokens"] = np.repeat(n_tokens, len(frames)).astype(int)
    grid["per_1000"] = np.where(
        grid["n_tokens"] > 0, 1000 * grid["n_matches"] / grid["n_tokens"].clip(lower=1), 0.0
    )
    return grid[
        [
            "unit_id",
            "doc_id",
            "level",
            "position",
            "scheme",
            "frame",
            "label",
            "n_matches",
            "n_negated",
            "n_tokens",
            "per_1000",
            "evidence",
        ]
    ]


def _reference_tally(rows: list[tuple], unit_ids: pd.Series, frames: list[str], negation: bool, max_evidence: int):
    """Per unit x frame (units in order, frames within): hits counted, hits negated, evidence.

    Units sharing a ``unit_id`` share their counts (the rows are keyed by id). Only the cells
    with a hit are visited, so the cost grows with the hits, not with units x frames.
    """
    codes, uniques = pd.factorize(unit_ids)
    code_of = {uid: i for i, uid in enumerate(uniques)}
    frame_of = {f: j for j, f in enumerate(frames)}
    n_f = len(frames)
    pairs: dict[tuple[int, str], int] = {}  # (cell, term) -> hits, terms in order of first hit
    negs: dict[int, int] = {}
    for r in rows:  # (unit_id, doc_id, level, position, scheme, frame, entry, term, s, e, negated, ...)
        cell = code_of[r[0]] * n_f + frame_of[r[5]]
        if r[10]:
            negs[cell] = negs.get(cell, 0) + 1
            if negation:
                continue
        key = (cell, r[7].lower())
        pairs[key] = pairs.get(key, 0) + 1
    n_cells = len(uniques) * n_f
    hits, negated = np.zeros(n_cells, dtype=np.int64), np.zeros(n_cells, dtype=np.int64)
    ev = np.full(n_cells, "", dtype=object)
    terms: dict[int, list[tuple[str, int]]] = {}
    keep = max_evidence is None or max_evidence > 0  # most_common(n <= 0) is empty
    for (cell, term), k in pairs.items():
        terms.setdefault(cell, []).append((term, k))
    for cell, found in terms.items():  # Counter.most_common: by count, ties in order of first hit
        hits[cell] = sum(k for _, k in found)
        found.sort(key=itemgetter(1), reverse=True)
        ev[cell] = "; ".join(t for t, _ in (found[:max_evidence] if keep else ()))
    for cell, k in negs.items():
        negated[cell] = k
    take = (np.repeat(codes * n_f, n_f) + np.tile(np.arange(n_f), len(codes))).astype(np.int64)
    return hits[take], negated[take], ev[take]


def _reference_document_peaks(text: str, scheme: str = "generic", spans=None) -> tuple[list[str], list[int], list[float]]:
    """One text's :func:`~helpers.framing.features.sentence_peak_features`: the frames (column
    order), each frame's most matches in one sentence and share of sentences with two or more
    (0 without sentences); counted in Python per sentence (no array per document). ``spans``:
    the text's sentence spans when the caller already has them."""
    matcher, frames, col = _peak_setup(scheme)
    n_f = len(frames)
    sp = spans if spans is not None else (sentence_spans(text) if isinstance(text, str) else [])
    if not sp:
        return frames, [0] * n_f, [0.0] * n_f
    found, _ = matcher.scan_spans(text, sp, 3)
    peak, dense = [0] * n_f, [0] * n_f
    for hits in found:
        if not hits:
            continue
        row = [0] * n_f
        for key, _, _, _, _, negator in hits:
            if not negator:
                row[col[key]] += 1
        for j, v in enumerate(row):
            if v > peak[j]:
                peak[j] = v
            if v >= 2:
                dense[j] += 1
    return frames, peak, [x / len(sp) for x in dense]



# ---- the comparison ----

EDGE = [
    "",
    "   \n\n  ",
    "No frame here at all",
    "China's claim. The East China's sea. Not a dispute, no conflict. Nobody's fault.",
    "A war. Of words followed. Both. Sides agreed on the other hand. Peace. Talks resumed.",
    "Not\n\nconflict, never. Money. Won't pay the costs! Costs rose; the price of war of words.",
    "The minister blamed the opposition for the crisis.\n\nCritics accused him. Families suffered.\n\n"
    "Costs rose; the dispute over the islands (Diaoyu/Senkaku) is not about money.",
    "Government’s fault, the administration’s failure. Don’t blame the government. We must act now.",
    "economically economic econ economy's; disputes disputed dispute's; clash-clashes CLASHES.",
    "Sovereignty over the islands. Military escalation; alliance talks. Diplomacy.\n\nHistory matters.",
    "Δ unicode — conflict… “war of words” ‘both sides’. Years\nold victims. His\n\nfamily.",
]
TITLES = ["Conflict", None, "", "China's claim.", "War of words", "x", "The minister blamed the opposition for the crisis.",
          "Government’s fault", "", "Sovereignty", "A title"]


def _user_dictionary() -> FrameDictionary:
    """Phrases that run across sentence and section edges, globs, possessives, one-word keys."""
    return FrameDictionary("mine", {
        "cross": ["war of words", "peace talks", "both sides", "of words", "sides agreed", "not conflict"],
        "glob": ["econ*", "clash*", "disput?", "cost*", "money"],
        "poss": ["china", "east china sea", "nobody", "government", "administration"],
    }, {"cross": {"label": "Across"}}, {}, "<test>")


def _corpus_of(texts, titles, ids=None) -> pd.DataFrame:
    ids = ids or [f"d{i}" for i in range(len(texts))]
    return pd.DataFrame({"doc_id": ids, "title": titles, "text": texts})


def _edge_corpus() -> pd.DataFrame:
    seed = sorted((ROOT / "data" / "raw").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seed] + EDGE + [None]
    titles = ["Japan seeks NATO support"] * len(seed) + TITLES + ["None"]
    return _corpus_of(texts, titles)


def _jsonl(path: Path, n: int, every: int = 1) -> pd.DataFrame:
    if not path.exists():
        pytest.skip(f"{path.relative_to(ROOT)} not built")
    rows = []
    with path.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % every == 0:
                rows.append(json.loads(line))
            if len(rows) >= n:
                break
    return _corpus_of([r.get("text") for r in rows], [r.get("title") for r in rows],
                      [str(r.get("doc_id", i)) for i, r in enumerate(rows)])


def _assert_same(corpus, scheme, levels=("document", "section"), packs=(True, False), **kw):
    for packed in packs:
        got = frame_scores_by_level(corpus, scheme, levels, packed=packed, **kw)
        want = _reference_frame_scores_by_level(corpus, scheme, levels, packed=packed, **kw)
        pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_edge_texts_equal_the_reference():
    c = _edge_corpus()
    for scheme in (SCHEMES, "generic", ["policy", "territorial"], [_user_dictionary(), "generic"], _user_dictionary()):
        _assert_same(c, scheme, answers=True, peaks=True)
        _assert_same(c, scheme, answers=True, peaks=False)
        _assert_same(c, scheme, answers=False, peaks=True)
        _assert_same(c, scheme)


def test_other_levels_windows_and_settings():
    c = _edge_corpus()
    for window in (0, 1, 5):
        _assert_same(c, SCHEMES, answers=True, peaks=True, negation_window=window)
    _assert_same(c, SCHEMES + [_user_dictionary()], ("sentence", "paragraph", "document", "section"), answers=True, peaks=True)
    for kw in ({"negation": False}, {"max_evidence": 0}, {"max_evidence": 1}, {"max_evidence": None}):
        _assert_same(c, SCHEMES, answers=True, peaks=True, **kw)


def test_repeated_ids_and_no_documents():
    c = _edge_corpus()
    twice = pd.concat([c, c.iloc[3:9]], ignore_index=True)  # repeated ids: units scanned alone
    _assert_same(twice, SCHEMES, answers=True, peaks=True)
    _assert_same(twice.iloc[3:12].assign(doc_id="same"), SCHEMES, answers=True, peaks=True)
    _assert_same(c.iloc[:0], SCHEMES, answers=True, peaks=True)


def test_corpus_2k_equals_the_reference():
    c = _jsonl(SCALE / "corpus-2k.jsonl", 1000, every=2)  # the notebook's call (packed) on half
    _assert_same(c, SCHEMES, packs=(True,), answers=True, peaks=True)
    _assert_same(c.iloc[:250], SCHEMES, packs=(False,), answers=True, peaks=True)
    _assert_same(c.iloc[250:400], [_user_dictionary(), "policy"], answers=True, peaks=True)


def test_corpus_10k_distinct_sample_equals_the_reference():
    c = _jsonl(SCALE / "corpus-10k-distinct.jsonl", 400, every=25)
    _assert_same(c, SCHEMES, packs=(True,), answers=True, peaks=True)


def test_frame_scores_and_matches_equal_the_reference():
    c = _edge_corpus()
    for level in ("document", "sentence"):
        u = as_units(c[["doc_id", "text"]].iloc[:-1], level)
        for scheme in ("generic", _user_dictionary(), SCHEMES, ["policy", _user_dictionary()]):
            for kw in ({}, {"negation": False, "max_evidence": 1}, {"negation_window": 0}):
                pd.testing.assert_frame_equal(scores.frame_scores(u, scheme, level, **kw),
                                              _reference_frame_scores(u, scheme, level, **kw), check_exact=True)
            if not isinstance(scheme, list):
                pd.testing.assert_frame_equal(scores.frame_matches(u, scheme, level),
                                              _reference_frame_matches(u, scheme, level), check_exact=True)
    sk = _jsonl(SCALE / "corpus-2k.jsonl", 150, every=7)[["doc_id", "text"]]
    pd.testing.assert_frame_equal(scores.frame_scores(sk, SCHEMES, "paragraph"),
                                  _reference_frame_scores(sk, SCHEMES, "paragraph"), check_exact=True)


def test_spans_of_one_block_are_the_filtered_scan():
    """scan_spans(only=...) gives each span its scan's matches of those keys; every key its own group."""
    m = Matcher({(0, "a"): ["war of words", "war", "words"], (0, "b"): ["both sides", "sides"],
                 (1, "c"): ["of words", "war*"], (1, "d"): ["china", "not"]})
    keys = [frozenset(k for k in m.keys if k[0] == b) for b in (0, 1)]
    for text in EDGE + ["war of. words war of words, both sides. China's not war"]:
        spans = [(0, len(text))] + sentence_spans(text) + [(1, max(1, len(text) - 3)), (3, 3)]
        for window in (0, 3):
            for only in ([keys[0]] * len(spans), [keys[i % 2] for i in range(len(spans))]):
                got, counts = m.scan_spans(text, spans, window, only)
                for (s, e), g, n, k in zip(spans, got, counts, only, strict=True):
                    assert g == [h for h in m.scan(text[s:e], window) if h[0] in k]
                    assert n == m.last_n_tokens
