"""Framing: how a story is framed and with which names (dictionaries, indicators, classifier).

Every measure takes a corpus (``doc_id``, ``text``) or a units table from
:func:`helpers.text.units` and returns a tidy DataFrame with the evidence (the matched words,
the cues behind an answer) next to each score, so a reader can see why a unit got its score.

Modules:

- ``dictionaries``: :func:`load_dictionary` and :class:`FrameDictionary` (the shipped
  ``generic``, ``policy``, ``territorial`` schemes, user YAML, quanteda dictionaries).
- ``matcher``: :class:`Matcher`, finding dictionary entries in text with :data:`NEGATORS`.
- ``units``: :func:`as_units` and :func:`section_units` (headline, lead, body).
- ``scores``: :func:`frame_matches`, :func:`frame_scores`, :func:`frame_matrix`,
  :func:`dominant_frame`.
- ``indicators``: Semetko & Valkenburg's yes/no questions as cue rules
  (:func:`indicator_answers`, :func:`indicator_scores`, :data:`FRAME_CODES`).
- ``naming``: competing names and their voice (:func:`naming_mentions`,
  :func:`naming_summary`, :func:`load_naming`).
- ``labelled``: reading hand-coded files (:func:`read_labelled`, :class:`Labelled`).
- ``features``: the classifier's dictionary, cue and peak features (:func:`lexicon_features`).
- ``classifier``: :class:`FrameClassifier`.
- ``evaluation``: cross-validation and the ``validate frames`` report
  (:func:`cross_validate_frames`, :func:`score_on`, :func:`validate_frames`).
- ``coding``: agreement between codings (:func:`coding_agreement`, :func:`indicator_agreement`).

Sources and quotes (who speaks) live in :mod:`helpers.sources`, keyness in
:mod:`helpers.keyness`, the figures in :mod:`helpers.plots.framing`, the commands in
:mod:`helpers.cli.frames`.
"""

from .classifier import FrameClassifier
from .coding import coding_agreement, indicator_agreement
from .dictionaries import SCHEMES, FrameDictionary, load_dictionary
from .evaluation import (
    REFERENCE_POINTS,
    cross_validate_frames,
    dictionary_predict,
    score_on,
    validate_frames,
)
from .features import lexicon_features, sentence_peak_features, style_features
from .indicators import FRAME_CODES, indicator_answers, indicator_scores
from .labelled import FRAC_MERGE, GENERIC_CODES, MFC_CODES, Labelled, read_labelled
from .matcher import NEGATORS, Matcher
from .naming import NamingTable, load_naming, naming_mentions, naming_summary
from .scores import dominant_frame, frame_matches, frame_matrix, frame_scores
from .units import SECTIONS, as_units, section_units

__all__ = [
    "FRAC_MERGE",
    "FRAME_CODES",
    "GENERIC_CODES",
    "MFC_CODES",
    "NEGATORS",
    "REFERENCE_POINTS",
    "SCHEMES",
    "SECTIONS",
    "FrameClassifier",
    "FrameDictionary",
    "Labelled",
    "Matcher",
    "NamingTable",
    "as_units",
    "coding_agreement",
    "cross_validate_frames",
    "dictionary_predict",
    "dominant_frame",
    "frame_matches",
    "frame_matrix",
    "frame_scores",
    "indicator_agreement",
    "indicator_answers",
    "indicator_scores",
    "lexicon_features",
    "load_dictionary",
    "load_naming",
    "naming_mentions",
    "naming_summary",
    "read_labelled",
    "score_on",
    "section_units",
    "sentence_peak_features",
    "style_features",
    "validate_frames",
]
