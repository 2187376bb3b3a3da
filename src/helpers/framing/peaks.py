"""Sentence peaks: per text and generic frame, the most matches in one sentence and the share
of sentences with two or more (:func:`document_peaks`; the classifier's ``peak:``/``dense:``
columns, :func:`~helpers.framing.features.sentence_peak_features`), and the matcher kept on
each dictionary (:func:`dictionary_matcher`)."""

from __future__ import annotations

from ..text import sentence_spans
from .dictionaries import FrameDictionary, as_dictionary
from .matcher import Matcher


def dictionary_matcher(d: FrameDictionary) -> Matcher:
    """The :class:`Matcher` of a dictionary's categories, one per dictionary object (kept on it,
    so its token cache survives across calls)."""
    return Matcher.kept_on(d, "_matcher", d.categories)



def document_peaks(text: str, scheme: str = "generic", spans=None) -> tuple[list[str], list[int], list[float]]:
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
    return _peak_counts(found, frames, col, len(sp))


def _peak_counts(found: list, frames: list[str], col: dict, n: int):
    """:func:`document_peaks` from the matches of each of the ``n`` sentences (``col``: a key's
    column)."""
    n_f = len(frames)
    if not n:
        return frames, [0] * n_f, [0.0] * n_f
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
    return frames, peak, [x / n for x in dense]


def _peak_setup(scheme: str):
    """The matcher, sorted frames and column of each frame of ``scheme`` (looked up per call:
    the dictionary object, and so its matcher, is the cached one)."""
    d = as_dictionary(scheme)
    frames = sorted(d.categories)
    return dictionary_matcher(d), frames, {f: j for j, f in enumerate(frames)}
