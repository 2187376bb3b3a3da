"""Framing: how a story is framed and with which names (dictionaries, indicators, classifier).

Every measure takes a corpus (``doc_id``, ``text``) or a units table from
:func:`helpers.text.units` and returns a tidy DataFrame with the evidence (the matched words,
the cues behind an answer) next to each score, so a reader can see why a unit got its score.

Modules:

- ``dictionaries``: :func:`load_dictionary` and :class:`FrameDictionary` (the shipped
  ``generic``, ``policy``, ``territorial`` schemes, user YAML, quanteda dictionaries).
- ``matcher``: :class:`Matcher`, finding dictionary entries in text with :data:`NEGATORS`.
- ``units``: :func:`as_units`, :func:`section_units` (headline, lead, body) and
  :func:`sample_sentences` (a seeded sample of sentence units, from :func:`sentence_counts`).
- ``scores``: :func:`frame_matches`, :func:`frame_scores` (:func:`frame_scores_by_level`:
  several levels from one pass; packed, :func:`unpack_scores`), :func:`frame_matrix`,
  :func:`dominant_frame`.
- ``indicators``: Semetko & Valkenburg's yes/no questions as cue rules
  (:func:`indicator_answers`, :func:`indicator_scores`, :data:`FRAME_CODES`), their cue
  thresholds set from human answers (:func:`choose_min_matches`, :func:`cue_counts`).
- ``naming``: competing names and their voice (:func:`naming_mentions`,
  :func:`naming_summary`, :func:`load_naming`).
- ``labelled``: reading hand-coded files (:func:`read_labelled`, :class:`Labelled`).
- ``features``: the classifier's dictionary, cue and peak features (:func:`lexicon_features`).
- ``classifier``: :class:`FrameClassifier` (saved and loaded as arrays + JSON, no pickle).
- ``store``: which model a page uses, in the loading order yours (MODELS_DIR) -> shipped ->
  the dictionary (:func:`load_frame_model`, :class:`FrameModel`, :func:`scheme_of`), and
  :func:`save_user_model` (your model where the loading order finds it first).
- ``shipping``: the models shipped in ``helpers/models`` (:func:`train_shipped`, trained on
  the tune part only, with their model cards; :data:`SHIP_CANDIDATES`).
- ``metrics``: macro-F1 (and accuracy) with bootstrap intervals over the sampled unit, the
  trivial baselines scored like a method (:func:`score_multilabel`, :func:`score_multiclass`).
- ``evaluation``: scoring a user's labelled file, what ``validate frames`` prints
  (:func:`validate_frames`, :func:`cross_validate_frames`, :func:`dictionary_predict`,
  :func:`indicator_predict`).
- ``tuning``: the one split of a labelled set (:func:`parts_of`) and every choice made on its
  tune part (:func:`choose_features`, :func:`cv_report`, :func:`fit_on_tune`,
  :func:`dictionary_thresholds`, :func:`label_counts`, :func:`tune_fingerprint`).
- ``locked``: the locked-part validation of ``validate all`` (:func:`validation_records`:
  fitted on tune, scored once on the locked part, beside the baselines).
- ``sheets``: validate on your own sample (:func:`coding_sheet`, :func:`write_coding_sheet`,
  :func:`score_coding`).
- ``coding``: agreement between codings (:func:`coding_agreement`, :func:`indicator_agreement`,
  :func:`read_human_answers`).

Sources and quotes (who speaks) live in :mod:`helpers.sources`, keyness in
:mod:`helpers.keyness`, the figures in :mod:`helpers.plots.framing`, the commands in
:mod:`helpers.cli.frames`.
"""

from .classifier import FrameClassifier
from .coding import coding_agreement, indicator_agreement, read_human_answers
from .dictionaries import SCHEMES, FrameDictionary, load_dictionary
from .evaluation import (
    cross_validate_frames,
    dictionary_frames,
    dictionary_predict,
    indicator_predict,
    model_frames,
    validate_frames,
)
from .features import (
    lexicon_columns,
    lexicon_features,
    lexicon_table,
    sentence_peak_features,
    style_features,
)
from .indicators import (
    FRAME_CODES,
    choose_min_matches,
    cue_counts,
    indicator_answers,
    indicator_scores,
)
from .labelled import (
    FRAC_LABELS,
    FRAC_MERGE,
    GENERIC_CODES,
    MFC_CODES,
    Labelled,
    label_counts,
    read_labelled,
)
from .locked import validation_records
from .matcher import NEGATORS, Matcher
from .metrics import score_multiclass, score_multilabel
from .naming import NamingTable, load_naming, naming_mentions, naming_summary
from .scores import (
    dominant_frame,
    frame_matches,
    frame_matrix,
    frame_scores,
    frame_scores_by_level,
    split_answers,
    split_peaks,
    unpack_scores,
)
from .sheets import coding_sheet, score_coding, write_coding_sheet
from .shipping import SHIP_CANDIDATES, train_shipped
from .store import KINDS, MODEL_NAMES, FrameModel, load_frame_model, save_user_model, scheme_of
from .tuning import (
    FEATURE_SETS,
    choose_features,
    cv_report,
    dictionary_thresholds,
    fit_on_tune,
    parts_of,
    tune_fingerprint,
)
from .units import SECTIONS, as_units, sample_sentences, section_units, sentence_counts

__all__ = [
    "FEATURE_SETS",
    "FRAC_LABELS",
    "FRAC_MERGE",
    "FRAME_CODES",
    "GENERIC_CODES",
    "KINDS",
    "MFC_CODES",
    "MODEL_NAMES",
    "NEGATORS",
    "SCHEMES",
    "SECTIONS",
    "SHIP_CANDIDATES",
    "FrameClassifier",
    "FrameDictionary",
    "FrameModel",
    "Labelled",
    "Matcher",
    "NamingTable",
    "as_units",
    "choose_features",
    "choose_min_matches",
    "coding_agreement",
    "coding_sheet",
    "cross_validate_frames",
    "cue_counts",
    "cv_report",
    "dictionary_frames",
    "dictionary_predict",
    "dictionary_thresholds",
    "dominant_frame",
    "fit_on_tune",
    "frame_matches",
    "frame_matrix",
    "frame_scores",
    "frame_scores_by_level",
    "split_answers",
    "split_peaks",
    "unpack_scores",
    "indicator_agreement",
    "indicator_answers",
    "indicator_predict",
    "indicator_scores",
    "label_counts",
    "lexicon_columns",
    "lexicon_features",
    "lexicon_table",
    "load_dictionary",
    "load_frame_model",
    "load_naming",
    "model_frames",
    "naming_mentions",
    "naming_summary",
    "parts_of",
    "read_human_answers",
    "read_labelled",
    "save_user_model",
    "scheme_of",
    "score_coding",
    "score_multiclass",
    "score_multilabel",
    "sample_sentences",
    "section_units",
    "sentence_counts",
    "sentence_peak_features",
    "style_features",
    "train_shipped",
    "tune_fingerprint",
    "validate_frames",
    "validation_records",
    "write_coding_sheet",
]
