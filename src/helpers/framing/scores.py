"""Dictionary frame scores: every match in every unit, rates per 1,000 tokens, the top frame.

Every function takes a corpus (``doc_id``, ``text``) or a units table (:func:`as_units`) and
returns a tidy DataFrame with the evidence (the matched words) next to each score, so a reader
can see why a unit got its score: :func:`frame_matches` lists every hit with its offsets and
whether it is negated; :func:`frame_scores` turns the hits into scores per 1,000 tokens per
unit and frame; :func:`frame_matrix` and :func:`dominant_frame` reshape and summarise them.
"""

from __future__ import annotations

from itertools import chain, compress, repeat
from operator import itemgetter

import numpy as np
import pandas as pd

from ..text import sentence_spans, sentence_spans_each
from .dictionaries import FrameDictionary, as_dictionary
from .indicators import _indicator_rules, indicator_answers
from .matcher import Matcher
from .peaks import _peak_counts, _peak_setup, dictionary_matcher, document_peaks  # noqa: F401  (kept here too)
from .style import _STYLE_COLUMNS, style_row
from .units import as_units, n_with_text, section_units

_UNIT_COLS = ["unit_id", "doc_id", "level", "position"]


def _unit_meta(u: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in _UNIT_COLS if c in u.columns]
    return u[cols]


def frame_matches(
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
    >>> m = frame_matches(pd.DataFrame({"doc_id": ["a"], "text": ["The dispute is not about money."]}))
    >>> m[["frame", "term", "negated"]].values.tolist()
    [['conflict', 'dispute', False], ['economic', 'money', True]]
    """
    d = as_dictionary(scheme)
    u = as_units(data, level)
    matcher, _ = _pass_matcher([d], False, False)
    n = len(u)
    offsets = u["start"].clip(lower=0).tolist() if "start" in u.columns else [0] * n
    levels = u["level"].tolist() if "level" in u.columns else [level] * n
    positions = u["position"].tolist() if "position" in u.columns else [0] * n
    rows = [(uid, did, lev, pos, d.name, frame, matcher.entry(idx), text[start:end], off + start, off + end,
             bool(negator), negator)
            for uid, did, lev, pos, text, off in zip(u["unit_id"], u["doc_id"], levels, positions,
                                                    (t if isinstance(t, str) else "" for t in u["text"]), offsets,
                                                    strict=True)
            for (_, frame), idx, start, end, _, negator in matcher.scan(text, negation_window)]
    return pd.DataFrame(rows, columns=["unit_id", "doc_id", "level", "position", "scheme", "frame", "entry",
                                       "term", "start", "end", "negated", "negator"])


_PASS: dict[tuple, tuple[list[FrameDictionary], Matcher, int]] = {}


def _pass_matcher(ds: list[FrameDictionary], cues: bool, peaks: bool) -> tuple[Matcher, int]:
    """One matcher for a document's whole scoring pass, and the block of the generic frames.

    Keys ``(k, frame)`` for the k-th dictionary of ``ds``; with ``cues`` the generic indicator
    cues as ``(len(ds), question id)`` (:func:`~helpers.framing.indicators.cue_matcher`'s keys);
    with ``peaks`` and no dictionary of ``ds`` the generic one, its frames as ``(len(ds) + 1,
    frame)``. Every key is its own group, as in each block's own matcher, and claims are made per
    group from that group's candidates (taken in the same order: token, then entry), so the
    matches of one block are exactly its own matcher's; one candidate pass serves them all. Kept
    per dictionary objects (held, so their ids stay theirs) and blocks."""
    key = (*(id(d) for d in ds), cues, peaks)
    if (hit := _PASS.get(key)) is None:
        gen = as_dictionary("generic")
        kg = next((k for k, d in enumerate(ds) if d is gen), len(ds) + 1)
        entries = {(k, f): words for k, d in enumerate(ds) for f, words in d.categories.items()}
        if cues:
            entries.update({(len(ds), q): c for q, c in {qid: c for _, qid, _, _, c in _indicator_rules(gen)}.items()})
        if peaks and kg > len(ds):
            entries.update({(kg, f): words for f, words in gen.categories.items()})
        hit = _PASS[key] = (list(ds), Matcher(entries), kg)  # the dictionaries held: ids stay theirs
        if len(_PASS) > 16:
            _PASS.pop(next(iter(_PASS)))
    return hit[1], hit[2]


def _scan_in_documents(tables: list[pd.DataFrame], corpus: pd.DataFrame, matcher: Matcher,
                       negation_window: int, n_ds: int, scanned=None, peak_of=None, kg=0, style_of=None) -> list[list]:
    """Each unit's ``(matches, n_tokens)`` (:meth:`Matcher.scan` of its text, the dictionaries'
    matches only) by ``matcher`` (:func:`_pass_matcher` of ``n_ds`` dictionaries) for units tables
    cut from ``corpus``: a unit whose text is a span of its document's text is read from one
    :meth:`Matcher.scan_spans` of that document (every level at once); any other unit (a
    headline, a document id not unique in ``corpus``) is scanned on its own. The same matches
    as scanning each unit's text, which the span is (checked). The same call gives, per such
    document, its indicator cues (``scanned[doc_id]``: the cue matcher's scan of the text, keys
    the question ids) and its sentence peaks (``peak_of[doc_id]``: :func:`document_peaks`, from
    the generic block ``kg``; window 3 only) when those dicts are given; and its style row
    (``style_of[doc_id]``: :func:`~helpers.framing.style.style_row` from the same tokens) with
    its number of sentences holding text (:func:`~helpers.framing.units.sentence_counts`)."""
    ids = corpus["doc_id"].tolist()
    texts = dict(zip(ids, corpus["text"], strict=True)) if len(set(ids)) == len(ids) else {}
    found: list[list] = [[None] * len(u) for u in tables]
    wanted: dict = {}  # doc_id -> [(table, row, start, end)]
    mine = frozenset(k for k in matcher.keys if k[0] < n_ds)
    for t, u in enumerate(tables):
        starts = u["start"].tolist() if "start" in u.columns else [0] * len(u)
        for r, (did, unit, start) in enumerate(zip(u["doc_id"], u["text"], starts, strict=True)):
            unit = unit if isinstance(unit, str) else ""
            doc = texts.get(did)
            at = -1
            if isinstance(doc, str) and start >= 0:
                at = start if doc.startswith(unit, start) else doc.find(unit, start)
            if at < 0:
                found[t][r] = ([m for m in matcher.scan(unit, negation_window) if m[0] in mine], matcher.last_n_tokens)
            else:
                wanted.setdefault(did, []).append((t, r, at, at + len(unit)))
    cue_keys = frozenset(k for k in matcher.keys if k[0] == n_ds)
    peaks = peak_of is not None and negation_window == 3
    if peaks:
        _, frames, col = _peak_setup("generic")
        col = {(kg, f): j for f, j in col.items()}
        peak_keys = frozenset(col)
        sents = dict(zip(wanted, sentence_spans_each([texts[d] for d in wanted]), strict=True))  # looked up together
    for did, reqs in wanted.items():
        text = texts[did]
        n = len(reqs)
        spans, only = [(s, e) for _, _, s, e in reqs], [mine] * n
        if scanned is not None:
            spans.append((0, len(text)))
            only.append(cue_keys)
        if peaks:
            sp = sents[did]
            spans += sp
            only += [peak_keys] * len(sp)
        hits, counts = matcher.scan_spans(text, spans, negation_window, only, len(spans) - len(sp) if peaks else None)
        for (t, r, _, _), h, c in zip(reqs, hits, counts, strict=False):
            found[t][r] = (h, c)
        if scanned is not None:
            scanned[did] = [(key[1], *m) for key, *m in hits[n]]
        if peaks:
            peak_of[did] = _peak_counts(hits[len(hits) - len(sp):], frames, col, len(sp))
        elif peak_of is not None:  # another window: the generic matcher's own pass
            peak_of[did] = document_peaks(text)
        if style_of is not None:  # the text's tokens (the ones just scanned, unless a span was alone)
            style_of[did] = (style_row(text, matcher._tokens(text)[1]),
                             n_with_text(text, sp if peaks else sentence_spans(text)))
    return found


def frame_scores_by_level(corpus: pd.DataFrame, scheme="generic", levels=("document", "section"),
                          negation: bool = True, negation_window: int = 3,
                          max_evidence: int = 12, answers: bool = False, peaks: bool = False,
                          packed: bool = False, style: bool = False) -> pd.DataFrame:
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
    ``style=True`` (``packed`` only): each document's :func:`~helpers.framing.features.style_features`
    row, from the tokens just matched, and its :func:`~helpers.framing.units.sentence_counts`
    follow (:func:`unpack_scores` puts the ``style:`` columns and ``n_sentences`` beside the peaks).
    """
    if style and not packed:
        raise ValueError("style=True needs packed=True")
    many = isinstance(scheme, list | tuple)
    ds = [as_dictionary(x) for x in (list(scheme) if many else [scheme])]
    matcher, kg = _pass_matcher(ds, answers, peaks)
    tables = [section_units(corpus) if lev == "section" else as_units(corpus[["doc_id", "text"]], lev)
              for lev in levels]
    scanned: dict = {}
    peak_of: dict = {}
    style_of: dict | None = {} if style else None
    found = _scan_in_documents(tables, corpus, matcher, negation_window, len(ds),
                               scanned if answers else None, peak_of if peaks else None, kg, style_of)
    if packed:
        return _packed(corpus, ds, levels, tables, found, negation, negation_window, max_evidence,
                       scanned if answers else None, peak_of if peaks else None, style_of)
    out = []
    for u, f in zip(tables, found, strict=True):
        out += _grids(u, ds, f, negation, max_evidence)
    if answers:
        a = indicator_answers(corpus[["doc_id", "text"]], negation_window=negation_window, scanned=scanned)
        if len(a):  # no documents: no rows to add (the scores' column types stay theirs)
            out.append(a.assign(level=_ANSWERS))
    if peaks and len(corpus):
        out.append(_peak_rows(corpus, peak_of))
    return pd.concat(out, ignore_index=True)


#: frame_scores_by_level(packed=True): one row per unit of each level (``part``: the level's
#: index in ``levels``), per document with answers one row of its indicator answers (part -1) and
#: one of its sentence peaks (part -2); ``doc_id``, ``unit_id``, ``position``, ``n_tokens``, and
#: per slot ``j``: ``n<j>`` (hits of the j-th frame over the dictionaries in order; an answer's
#: ``n_cues``; a peak), ``g<j>`` (hits negated; an answer's ``min_matches``), ``e<j>`` (evidence)
#: and, for the peak frames, ``x<j>`` (the dense share). A row per unit, not per unit and frame:
#: the ids and keys are not repeated for every frame.
_BASE_TYPES = {"part": np.int8, "position": np.int32, "n_tokens": np.int32}
_STR = pd.Series(["x"]).dtype  # the string type pandas gives text columns (the unpacked tables')


def _packed(corpus, ds, levels, tables, found, negation, negation_window, max_evidence, scanned, peak_of,
            style_of=None):
    """:func:`frame_scores_by_level`'s values packed (see ``_BASE_TYPES``): each level's units
    in order, then the answers', then the peaks' rows, documents in order within each."""
    n_frames = sum(len(d.categories) for d in ds)
    rules = _indicator_rules(as_dictionary("generic")) if scanned is not None else []
    peak_frames = _peak_setup("generic")[1] if peak_of is not None else []
    n_slots = max(n_frames, len(rules), len(peak_frames))
    blocks = []  # (part, doc_id, unit_id, position, n_tokens, n (rows x k), g, e, x or None)
    for li, (u, f) in enumerate(zip(tables, found, strict=True)):
        blocks.append((li, u["doc_id"].to_numpy(dtype=object), u["unit_id"].to_numpy(dtype=object),
                       u["position"].to_numpy(), *_tally_units(u, f, ds, negation, max_evidence), None))
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
        pk = [peak_of[did] if did in peak_of else document_peaks(text)
              for did, text in zip(ids, corpus["text"], strict=True)]
        k = len(peak_frames)
        blocks.append((-2, ids, ids, np.zeros(len(ids), int), np.zeros(len(ids), int),
                       np.array([p for _, p, _ in pk], dtype=np.int64).reshape(-1, k), np.zeros((len(ids), k), int),
                       np.full((len(ids), k), "", dtype=object), np.array([x for _, _, x in pk], dtype=float).reshape(-1, k)))
    if style_of is not None and len(corpus):  # part -3: a document's style row in its x slots
        ids = corpus["doc_id"].to_numpy(dtype=object)
        rows = [style_of[did] if did in style_of else _style_alone(text if isinstance(text, str) else "")
                for did, text in zip(ids, corpus["text"], strict=True)]  # n_tokens: the sentences
        blocks.append((-3, ids, ids, np.zeros(len(ids), int), np.array([n for _, n in rows], dtype=np.int64),
                       None, None, None, np.array([r for r, _ in rows], dtype=float).reshape(len(ids), len(_STYLE_COLUMNS))))
    n_x = max(len(peak_frames), len(_STYLE_COLUMNS) if style_of is not None else 0)
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
    for j in range(n_x):
        out[f"x{j}"] = slot(8, j, 0.0, np.float64)
    return pd.DataFrame(out)


def _style_alone(text: str) -> tuple[list[float], int]:
    """A text's style row and sentences with text, computed on their own."""
    return style_row(text), n_with_text(text, sentence_spans(text))


def unpack_scores(table: pd.DataFrame, scheme="generic", levels=("document", "section"),
                  answers: bool = False, peaks: bool = False, columns: dict | None = None):
    """:func:`frame_scores_by_level` with ``packed=True`` (the same ``scheme``, ``levels``,
    ``answers``, ``peaks``; possibly via ``map_documents``) unpacked.

    Out: ``({level: scores}, answers, peaks)``: per level, :func:`frame_scores` of its units
    (rows by dictionary in the order given, then unit; index 0..n-1), as splitting the unpacked
    table by level and sorting it by scheme (stable) gives it; the answers as :func:`split_answers`
    gives them (None without ``answers``); the peaks as :func:`split_peaks` (None without peak
    rows), then, packed with ``style=True``, the ``style:`` columns and ``n_sentences`` (int64).
    ``columns``: per level, the columns to make (in that order; the others never made)."""
    ds = [as_dictionary(x) for x in (list(scheme) if isinstance(scheme, list | tuple) else [scheme])]
    part = table["part"].to_numpy()

    def strings(values, codes):
        return pd.array(np.asarray(values, dtype=object)[codes], dtype=_STR)

    def cells(prefix, idx, slots, typ):  # rows idx x these slots, row-major
        if not len(slots):
            return np.array([], dtype=typ)
        if typ is object:
            cols = [table[f"{prefix}{j}"].to_numpy(dtype=object)[idx] for j in slots]
        else:
            cols = [table[f"{prefix}{j}"].to_numpy()[idx] for j in slots]
        return np.stack(cols, axis=1).ravel().astype(typ)

    out = {}
    for li, lev in enumerate(levels):
        idx = np.flatnonzero(part == li)
        n_u, first, parts = len(idx), 0, []
        for d in ds:
            frames = list(d.categories)
            n_f = len(frames)
            slots = range(first, first + n_f)
            take = np.repeat(idx, n_f)
            hits = cells("n", idx, slots, np.int64)
            n_tokens = table["n_tokens"].to_numpy()[take].astype(np.int64)
            keep = (columns or {}).get(lev, _SCORE_COLUMNS)
            made = {
                "unit_id": table["unit_id"].take(take).array, "doc_id": table["doc_id"].take(take).array,
                "level": strings([lev], np.zeros(len(take), dtype=np.int64)) if "level" in keep else None,
                "position": table["position"].to_numpy()[take].astype(np.int64),
                "scheme": strings([d.name], np.zeros(len(take), dtype=np.int64)) if "scheme" in keep else None,
                "frame": strings(frames, np.tile(np.arange(n_f), n_u)) if "frame" in keep else None,
                "label": strings([d.label(f) for f in frames], np.tile(np.arange(n_f), n_u)) if "label" in keep else None,
                "n_matches": hits, "n_negated": cells("g", idx, slots, np.int64), "n_tokens": n_tokens,
                "per_1000": np.where(n_tokens > 0, 1000 * hits / np.clip(n_tokens, 1, None), 0.0),
                "evidence": pd.array(cells("e", idx, slots, object), dtype=_STR) if "evidence" in keep else None}
            parts.append(pd.DataFrame({c: made[c] for c in keep}))
            first += n_f
        out[lev] = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    found = wide = None
    if answers:
        idx = np.flatnonzero(part == -1)
        if not len(idx):
            found = pd.DataFrame([], columns=_ANSWER_COLUMNS)
        else:
            rules = _indicator_rules(as_dictionary("generic"))
            r = len(rules)
            take, codes = np.repeat(idx, r), np.tile(np.arange(r), len(idx))
            n_cues, k = cells("n", idx, range(r), np.int64), cells("g", idx, range(r), np.int64)
            found = pd.DataFrame({
                "unit_id": table["unit_id"].take(take).array, "doc_id": table["doc_id"].take(take).array,
                "level": strings(["document"], np.zeros(len(take), dtype=np.int64)),
                "position": table["position"].to_numpy()[take].astype(np.int64),
                "frame": strings([q[0] for q in rules], codes), "question_id": strings([q[1] for q in rules], codes),
                "question": strings([q[2] for q in rules], codes), "answer": n_cues >= k, "n_cues": n_cues,
                "min_matches": k, "evidence": pd.array(cells("e", idx, range(r), object), dtype=_STR)})
    if peaks:
        idx = np.flatnonzero(part == -2)
        if len(idx):
            names = _peak_setup("generic")[1]
            n_f = len(names)
            peak = cells("n", idx, range(n_f), np.float64).reshape(-1, n_f)
            dense = cells("x", idx, range(n_f), np.float64).reshape(-1, n_f)
            wide = pd.DataFrame(np.hstack([peak, dense]), index=pd.Index(table["doc_id"].take(idx).array, name="doc_id"),
                                columns=[f"peak:{f}" for f in names] + [f"dense:{f}" for f in names])
    if (idx := np.flatnonzero(part == -3)).size:  # style rows (style=True): beside the peaks
        wide = _style_beside(table, idx, wide)
    return out, found, wide


def _style_beside(table: pd.DataFrame, idx: np.ndarray, wide: pd.DataFrame | None) -> pd.DataFrame:
    """The packed style rows ``idx`` as ``style:`` columns and ``n_sentences``, after the peak
    columns ``wide`` (the same documents in the same order) when there are any."""
    k = len(_STYLE_COLUMNS)
    st = pd.DataFrame(np.stack([table[f"x{j}"].to_numpy()[idx] for j in range(k)], axis=1).astype(np.float64),
                      columns=_STYLE_COLUMNS, index=pd.Index(table["doc_id"].take(idx).array, name="doc_id"))
    if wide is not None and not wide.index.equals(st.index):
        raise AssertionError("style rows not in the order of the peak rows")
    wide = st if wide is None else pd.concat([wide, st.set_axis(wide.index)], axis=1)
    wide["n_sentences"] = table["n_tokens"].to_numpy()[idx].astype(np.int64)
    return wide


_PEAKS = "peaks"  # the level of the sentence peaks in frame_scores_by_level(peaks=True)


def _peak_rows(corpus: pd.DataFrame, peak_of: dict) -> pd.DataFrame:
    """Per document and generic frame (sorted), a row of level "peaks": the peak in
    ``n_matches``, the dense share in ``per_1000`` (documents not scanned with the scores, a
    repeated id or no text, are computed here)."""
    rows = []
    for did, text in zip(corpus["doc_id"], corpus["text"], strict=True):
        frames, peak, dense = peak_of[did] if did in peak_of else document_peaks(text)
        rows += [(did, did, _PEAKS, 0, "generic", f, "", int(p), 0, 0, float(x), "")
                 for f, p, x in zip(frames, peak, dense, strict=True)]
    return pd.DataFrame(rows, columns=_SCORE_COLUMNS)


def split_peaks(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """:func:`frame_scores_by_level` with ``peaks=True`` without its peak rows, and the peaks as
    :func:`~helpers.framing.features.sentence_peak_features` columns (``peak:<frame>``,
    ``dense:<frame>``, floats) indexed by ``doc_id`` in document order (None without peak rows)."""
    is_p = (table["level"] == _PEAKS).to_numpy()
    if not is_p.any():
        return table, None
    p = table[is_p]
    frames = list(dict.fromkeys(p["frame"]))
    n_f = len(frames)
    ids = pd.Index(p["doc_id"].iloc[::n_f], name="doc_id")  # each document's frames in a row
    peak = p["n_matches"].to_numpy(dtype=float).reshape(-1, n_f)
    dense = p["per_1000"].to_numpy(dtype=float).reshape(-1, n_f)
    wide = pd.DataFrame(np.hstack([peak, dense]), index=ids,
                        columns=[f"peak:{f}" for f in frames] + [f"dense:{f}" for f in frames])
    return table[~is_p].reset_index(drop=True), wide


_ANSWERS = "indicators"  # the level of the indicator answers in frame_scores_by_level(answers=True)


def split_answers(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`frame_scores_by_level` with ``answers=True`` (possibly via ``map_documents``)
    split into its scores and :func:`~helpers.framing.indicators.indicator_answers`' table: each
    with its own columns, their types and the answers' ``level`` back, index 0..n-1.

    In: the long table. Out: ``(scores, answers)``, as the two calls give them."""
    is_a = (table["level"] == _ANSWERS).to_numpy()
    if not is_a.any():  # no documents; the answers as indicator_answers of no units: all object
        return table[_SCORE_COLUMNS].reset_index(drop=True), pd.DataFrame([], columns=_ANSWER_COLUMNS)
    s = table[~is_a][_SCORE_COLUMNS].reset_index(drop=True)
    a = table[is_a][_ANSWER_COLUMNS].reset_index(drop=True)
    s = s.astype(dict.fromkeys(("position", "n_matches", "n_negated", "n_tokens"), "int64"))
    a = a.astype(dict.fromkeys(("position", "n_cues", "min_matches"), "int64") | {"answer": bool})
    return s, a.assign(level="document")


_SCORE_COLUMNS = ["unit_id", "doc_id", "level", "position", "scheme", "frame", "label",
                  "n_matches", "n_negated", "n_tokens", "per_1000", "evidence"]
_ANSWER_COLUMNS = ["unit_id", "doc_id", "level", "position", "frame", "question_id", "question",
                   "answer", "n_cues", "min_matches", "evidence"]


def frame_scores(
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
    >>> s = frame_scores(pd.DataFrame({"doc_id": ["a"], "text": ["A bitter dispute over the cost."]}))
    >>> int(s.set_index("frame").loc["conflict", "n_matches"])
    1
    """
    many = isinstance(scheme, list | tuple)
    grids = scores_each(data, list(scheme) if many else [scheme], level, negation,
                        negation_window, max_evidence)
    return pd.concat(grids, ignore_index=True) if many else grids[0]


def scores_each(data: pd.DataFrame, schemes: list, level: str = "document", negation: bool = True,
                negation_window: int = 3, max_evidence: int = 12) -> list[pd.DataFrame]:
    """:func:`frame_scores` of each scheme in ``schemes`` (a list of tables, in that order),
    from one pass over the text."""
    ds = [as_dictionary(x) for x in schemes]
    u = as_units(data, level)
    matcher, _ = _pass_matcher(ds, False, False)
    found = [(matcher.scan(t if isinstance(t, str) else "", negation_window), matcher.last_n_tokens) for t in u["text"]]
    return _grids(u, ds, found, negation, max_evidence)


def _grids(u: pd.DataFrame, ds: list[FrameDictionary], found: list, negation: bool, max_evidence) -> list[pd.DataFrame]:
    """Each dictionary's :func:`_score_grid` from the units' matches ``found`` (:func:`_tally_units`)."""
    n_tokens, n, g, e = _tally_units(u, found, ds, negation, max_evidence)
    out, a = [], 0
    for d in ds:
        b = a + len(d.categories)
        out.append(_score_grid(u, d, n[:, a:b], g[:, a:b], e[:, a:b], n_tokens))
        a = b
    return out


def _score_grid(u, d: FrameDictionary, hits, negated, evidence, n_tokens) -> pd.DataFrame:
    """One dictionary's unit x frame scores (:func:`frame_scores` columns) from its tallies (units x
    frames: hits counted, hits negated, evidence) and each unit's token count."""
    frames = list(d.categories)
    grid = _unit_meta(u)
    grid = grid.loc[grid.index.repeat(len(frames))].reset_index(drop=True)
    grid["scheme"] = d.name
    grid["frame"] = frames * len(u)
    grid["label"] = [d.label(f) for f in frames] * len(u)
    grid["n_matches"], grid["n_negated"], grid["evidence"] = hits.ravel(), negated.ravel(), evidence.ravel()
    grid["n_tokens"] = np.repeat(n_tokens, len(frames)).astype(int)
    grid["per_1000"] = np.where(
        grid["n_tokens"] > 0, 1000 * grid["n_matches"] / grid["n_tokens"].clip(lower=1), 0.0
    )
    return grid[_SCORE_COLUMNS]


def _tally_units(u: pd.DataFrame, found: list, ds: list[FrameDictionary], negation: bool, max_evidence):
    """Per unit (rows) and frame of every dictionary of ``ds`` (columns, in order): hits counted,
    hits negated (counted too when not ``negation``) and evidence (the distinct matched words, most
    frequent first, ties in order of first hit), from the units' matches ``found`` (keys ``(k,
    frame)``); and each unit's token count. Units sharing a ``unit_id`` share their cells (and
    the last one's token count). Only the cells with a hit are visited: the hits of every unit
    in one stream (C-level maps), counts by bincount, (cell, word) pairs by factorising codes."""
    col = {(k, f): j for j, (k, f) in enumerate((k, f) for k, d in enumerate(ds) for f in d.categories)}
    n_f = len(col)
    codes, uniques = pd.factorize(u["unit_id"])
    n_tok = dict(zip(u["unit_id"], (c for _, c in found), strict=True))
    lens = [len(h) for h, _ in found]
    hits_all = list(chain.from_iterable(h for h, _ in found))
    texts = (t if isinstance(t, str) else "" for t, n in zip(u["text"], lens, strict=True) if n)
    terms = list(map(str.__getitem__, chain.from_iterable(map(repeat, texts, filter(None, lens))),
                     map(slice, map(itemgetter(2), hits_all), map(itemgetter(3), hits_all))))
    n_cells = len(uniques) * n_f
    cell = np.repeat(codes.astype(np.int64), lens) * n_f + np.fromiter(
        map(col.__getitem__, map(itemgetter(0), hits_all)), dtype=np.int64, count=len(hits_all))
    neg = np.fromiter(map(bool, map(itemgetter(5), hits_all)), dtype=bool, count=len(hits_all))
    negated = np.bincount(cell[neg], minlength=n_cells)
    if negation:  # negated hits left out of the counts and evidence
        cell, terms = cell[~neg], list(compress(terms, (~neg).tolist()))
    hits = np.bincount(cell, minlength=n_cells)
    ev = np.full(n_cells, "", dtype=object)
    if len(cell) and (max_evidence is None or max_evidence > 0):  # most_common(n <= 0) is empty
        _evidence(ev, cell, terms, max_evidence)
    shape = (len(uniques), n_f)
    return (u["unit_id"].map(n_tok).to_numpy(), hits.reshape(shape)[codes], negated.reshape(shape)[codes],
            ev.reshape(shape)[codes])


def _evidence(ev: np.ndarray, cell: np.ndarray, terms: list[str], max_evidence) -> None:
    """Fill ``ev[c]`` with the distinct lower-cased ``terms`` of each cell ``c`` (``cell``: each
    term's), most frequent first, ties in order of first occurrence, at most ``max_evidence``,
    ``"; "``-joined (``Counter.most_common`` per cell): (cell, word) pairs as codes, factorised
    in order of first occurrence, counted by bincount, sorted stably by cell and count."""
    tcodes, tuniq = pd.factorize(np.array(terms, dtype=object))
    lcodes, luniq = pd.factorize(np.array([t.lower() for t in tuniq], dtype=object))
    pcodes, pairs = pd.factorize(cell * len(luniq) + lcodes[tcodes])  # pairs in order of first hit
    counts = np.bincount(pcodes)
    pc, words = pairs // len(luniq), luniq[pairs % len(luniq)]
    order = np.lexsort((-counts, pc))  # stable: ties in order of first hit
    pc, words = pc[order], words[order]
    starts = np.flatnonzero(np.r_[True, pc[1:] != pc[:-1]])
    ends = np.r_[starts[1:], len(pc)]
    single = ends - starts == 1
    ev[pc[starts[single]]] = words[starts[single]]
    top = len(pc) if max_evidence is None else max_evidence
    for c, a, b in zip(pc[starts[~single]].tolist(), starts[~single].tolist(), ends[~single].tolist(), strict=True):
        ev[c] = "; ".join(words[a:min(b, a + top)])


def frame_matrix(
    scores: pd.DataFrame, value: str = "per_1000", index: str = "unit_id"
) -> pd.DataFrame:
    """Wide view of :func:`frame_scores`: one row per ``index``, one column per frame."""
    return scores.pivot_table(
        index=index, columns="frame", values=value, aggfunc="sum", fill_value=0, sort=False
    )


def dominant_frame(scores: pd.DataFrame, min_matches: int = 1) -> pd.DataFrame:
    """The frame with the highest ``per_1000`` in each unit (``"none"`` below ``min_matches``).

    Out: ``unit_id``, ``doc_id``, ``level``, ``position``, ``frame``, ``per_1000``, ``evidence``.
    """
    s = scores.sort_values(["unit_id", "per_1000", "n_matches"], ascending=[True, False, False])
    top = s.drop_duplicates("unit_id").copy()
    top.loc[top["n_matches"] < min_matches, ["frame", "evidence"]] = ["none", ""]
    top.loc[top["n_matches"] < min_matches, "per_1000"] = 0.0
    cols = [
        c
        for c in ["unit_id", "doc_id", "level", "position", "frame", "per_1000", "evidence"]
        if c in top
    ]
    order = scores.drop_duplicates("unit_id")["unit_id"]
    return top.set_index("unit_id").loc[order].reset_index()[cols]
