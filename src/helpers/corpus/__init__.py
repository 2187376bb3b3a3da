"""The corpus table: loading a folder of coverage, with a load report, duplicates and provenance.

>>> from helpers.corpus import load_corpus
>>> corpus, report = load_corpus("data/raw")          # doctest: +SKIP
>>> report[["source_path", "status", "reason", "n_docs"]]  # doctest: +SKIP

The corpus has one row per document and the columns in :data:`CORPUS_COLUMNS` (plus any
extra columns a table brought along). The report has one row per file found, whatever
happened to it, so nothing is lost silently.

Modules, one idea each:

- ``schema``: the column lists and :class:`Loaded`.
- ``identity``: what makes two texts "the same" and the stable ``doc_id``; language
  identification (:func:`detect_languages`) and :func:`select_language` for methods that
  need one language.
- ``files``: finding input files and turning one file into records plus its load-report row
  (size limits, decoding, format detection, the reader for the format); the input fingerprint.
- ``duplicates``: exact and near-duplicate copies (word-shingle Jaccard) and their groups.
- ``provenance``: outlet spellings merged, who reposted whom.
- ``load``: :func:`load_corpus`, which puts these together.
- ``cache``: the loaded corpus and each file's rows kept as Parquet by content
  (:func:`input_key`), so kernels and reruns read instead of parsing again.
"""

from .cache import input_key
from .duplicates import (
    NEAR_DUPLICATE_JACCARD,
    duplicate_clusters,
    duplicate_groups,
    flag_duplicates,
    one_per_story,
)
from .files import MAX_ARTICLE_MB, MAX_TABLE_MB, METADATA_ONLY, corpus_fingerprint
from .identity import detect_languages, make_doc_id, non_blank, normalise_for_hash, select_language
from .load import load_corpus
from .provenance import (
    canonical_outlets,
    provenance_table,
    republication_chain,
    wire_credit_counts,
    wire_credits,
)
from .schema import CORPUS_COLUMNS, REPORT_COLUMNS, Loaded

__all__ = ["CORPUS_COLUMNS", "MAX_ARTICLE_MB", "MAX_TABLE_MB", "METADATA_ONLY", "NEAR_DUPLICATE_JACCARD",
           "REPORT_COLUMNS", "Loaded", "canonical_outlets", "corpus_fingerprint", "detect_languages",
           "duplicate_groups", "flag_duplicates", "input_key", "load_corpus", "make_doc_id", "non_blank", "normalise_for_hash",
           "one_per_story", "provenance_table", "select_language", "duplicate_clusters", "republication_chain",
           "wire_credit_counts", "wire_credits"]
