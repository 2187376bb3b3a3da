"""Tone of the coverage: lexicon sentiment, tone toward named targets, aggregation, validation.

Lexicon tone of every sentence, paragraph or document, with the words that drove each score:

- ``vader``: :class:`VaderScorer`, ``vaderSentiment`` 3.3.2's ``polarity_scores`` exactly (same
  rules, same rounding), many times faster on a corpus; ``vader_batch``: its bulk path, the
  rules as array operations over a batch of texts.
- ``scores``: ``vader_scores`` (one row per unit; ``unit_scores`` splits documents first;
  ``level_scores`` all three levels in one step, ``split_levels`` one table per level), ``driver_terms``, ``polarity_from_score``
  and ``vader_target_scores`` (VADER on the words around a mention: the lexicon baseline).
- ``dictionaries``: ``SentimentDictionary``, ``load_dictionary`` (project or quanteda YAML, e.g.
  the Lexicoder Sentiment Dictionary) and ``dictionary_scores`` with negation.
- ``dictionary_stream``: the dictionary on the sentences VADER already split (``level_scores``
  with a ``dictionary`` adds ``DICTIONARY_COLUMNS``; ``dictionary_table`` forms
  ``dictionary_scores``' table from them).

Entity-targeted tone (who is the coverage negative or positive *about*?):

- ``mentions``: ``load_aliases`` (the editable alias table) and ``find_mentions``.
- ``newsmtsc``: ``read_newsmtsc``, labelled data in NewsMTSC's layout.
- ``light_model``: ``TargetSentimentClassifier``, target-aware features + logistic regression.
- ``embeddings``: the optional MiniLM models (``embeddings`` extra; torch imported lazily):
  ``embeddings_available``, ``EmbeddingTargetClassifier``, ``FineTunedTargetClassifier``.
- ``target_models``: ``train_target_model``, ``resolve_method``, ``predict_polarity`` and
  ``entity_sentiment`` (``mention_tone``: mentions found and scored in one step).
- ``model_files``: ``save_target_model`` / ``load_target_model`` (arrays + JSON + model card, no
  pickle; loading order: the user's model in MODELS_DIR/targets, then the shipped model in
  helpers/models/targets), ``model_source`` and ``scorer_note`` (which scorer a page used and its
  locked validation score), ``model_fingerprint`` (the content key of its files, for caches).
- ``ship``: ``train_and_save`` (``python -m helpers train targets``; ``--ship`` trains the model
  shipped in the package on NewsMTSC train), ``SHIPPED_DIR``, ``NEWSMTSC_ABOUT``.
- ``coding``: ``sample_for_coding`` (a stratified sample of mentions to hand-code) and
  ``write_coding_sheet`` (the sheet a coder fills in; ``validate targets SHEET`` scores it).

Aggregation and validation:

- ``aggregate``: ``aggregate_sentiment`` (one unit and one scale per column: the mean of
  document means of one score, shares of negative/positive units; intervals resample
  documents; reposts counted once), ``evidence`` (the units behind a number), and for long
  tables ``top_rows`` (what a page shows) and ``pool_other_groups`` (top groups + "other");
  ``with_document_columns`` (a left merge of document columns that shares the units' columns).
- ``blocks``: ``document_blocks`` (row ranges at document ends, to map a long table a block of
  documents at a time), ``concat_blocks`` (their tables joined) and ``CsvPieces`` (blocks of rows written as one ``to_csv`` file).
- ``validation``: ``validation_report`` (accuracy, macro-F1, kappa, alpha with intervals),
  ``macro_f1``, ``score_coded_file`` (``validate targets FILE``) and the reports the commands
  print (``target_validation_report``, ``training_report``; the commands are in
  :mod:`helpers.cli.targets`).
- ``tuning``: the light model's choices by sentence-grouped cross-validation on the tuning part
  (``tune_light_model``, ``cv_grid``, ``cv_ablation``, ``sentence_folds``), and the accuracy
  budget: ``cv_score``, ``cv_steps`` (one change at a time, adopted only if it gains more than its
  standard error), ``cv_embedding`` (the frozen-MiniLM average, with the extra).
- ``locked``: ``validation_records``, the locked-part scores of ``python -m helpers validate all``
  (NewsMTSC train = tuning part, dev_rw/dev_mt = locked).
"""

from .aggregate import (
    aggregate_sentiment,
    evidence,
    pool_other_groups,
    top_rows,
    with_document_columns,
)
from .blocks import CsvPieces, concat_blocks, document_blocks
from .coding import sample_for_coding, write_coding_sheet
from .dictionaries import (
    DEFAULT_CATEGORY_WEIGHTS,
    NEGATORS,
    SentimentDictionary,
    dictionary_scores,
    load_dictionary,
)
from .dictionary_stream import DICTIONARY_COLUMNS, dictionary_table
from .embeddings import EmbeddingTargetClassifier, FineTunedTargetClassifier, embeddings_available
from .light_model import TargetSentimentClassifier
from .locked import validation_records
from .mentions import find_mentions, load_aliases
from .model_files import (
    load_target_model,
    model_fingerprint,
    model_source,
    save_target_model,
    scorer_note,
)
from .newsmtsc import LABELS, read_newsmtsc
from .scores import (
    driver_terms,
    level_scores,
    polarity_from_score,
    split_levels,
    unit_scores,
    vader_scores,
    vader_target_scores,
)
from .ship import NEWSMTSC as NEWSMTSC_ABOUT
from .ship import SHIPPED_DIR, train_and_save
from .target_models import (
    DEFAULT_MODEL_DIR,
    POLARITY_NAMES,
    entity_sentiment,
    mention_tone,
    predict_polarity,
    resolve_method,
    train_target_model,
)
from .tuning import (
    cv_ablation,
    cv_embedding,
    cv_grid,
    cv_score,
    cv_steps,
    sentence_folds,
    tune_light_model,
)
from .vader import VaderScorer
from .validation import (
    macro_f1,
    score_coded_file,
    target_validation_report,
    training_report,
    validation_report,
)

__all__ = [
    # lexicon tone
    "VaderScorer",
    "vader_scores",
    "unit_scores",
    "level_scores",
    "split_levels",
    "driver_terms",
    "polarity_from_score",
    "SentimentDictionary",
    "load_dictionary",
    "dictionary_scores",
    "DICTIONARY_COLUMNS",
    "dictionary_table",
    "DEFAULT_CATEGORY_WEIGHTS",
    "NEGATORS",
    # entity-targeted tone
    "LABELS",
    "POLARITY_NAMES",
    "DEFAULT_MODEL_DIR",
    "read_newsmtsc",
    "load_aliases",
    "find_mentions",
    "vader_target_scores",
    "TargetSentimentClassifier",
    "EmbeddingTargetClassifier",
    "FineTunedTargetClassifier",
    "embeddings_available",
    "train_target_model",
    "save_target_model",
    "load_target_model",
    "model_source",
    "model_fingerprint",
    "scorer_note",
    "train_and_save",
    "SHIPPED_DIR",
    "NEWSMTSC_ABOUT",
    "resolve_method",
    "predict_polarity",
    "entity_sentiment",
    "mention_tone",
    "sample_for_coding",
    "write_coding_sheet",
    # aggregation and validation
    "aggregate_sentiment",
    "CsvPieces",
    "concat_blocks",
    "document_blocks",
    "with_document_columns",
    "evidence",
    "top_rows",
    "pool_other_groups",
    "validation_report",
    "target_validation_report",
    "training_report",
    "macro_f1",
    "score_coded_file",
    "tune_light_model",
    "cv_grid",
    "cv_ablation",
    "cv_score",
    "cv_steps",
    "cv_embedding",
    "sentence_folds",
    "validation_records",
]
