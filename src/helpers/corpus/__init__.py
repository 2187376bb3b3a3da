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
- ``inputs``: which files a load reads and the keys naming them (:func:`input_key`,
  :func:`corpus_fingerprint`); standard library only, for the report's runner.
- ``cache``: the loaded corpus and each file's rows kept as Parquet by content
  (:func:`input_key`), so kernels and reruns read instead of parsing again.

The public names are imported when first used (PEP 562): the report's runner needs only
``inputs``, and importing ``load`` brings the readers, nltk and scikit-learn (about 0.1 GB).
"""

_HOMES = {
    "NEAR_DUPLICATE_JACCARD": "duplicates", "duplicate_clusters": "duplicates", "duplicate_groups": "duplicates",
    "flag_duplicates": "duplicates", "one_per_story": "duplicates",
    "MAX_ARTICLE_MB": "files", "MAX_TABLE_MB": "files", "METADATA_ONLY": "files",
    "corpus_fingerprint": "inputs", "input_key": "inputs",
    "detect_languages": "identity", "make_doc_id": "identity", "non_blank": "identity",
    "normalise_for_hash": "identity", "select_language": "identity",
    "load_corpus": "load",
    "canonical_outlets": "provenance", "provenance_table": "provenance", "republication_chain": "provenance",
    "wire_credit_counts": "provenance", "wire_credits": "provenance",
    "CORPUS_COLUMNS": "schema", "REPORT_COLUMNS": "schema", "Loaded": "schema",
}

#: The public names: each one's module is in ``_HOMES``.
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    """The public names, imported from their module when first used (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:  # a module of the package (``helpers.corpus.provenance``), imported on first use
        import importlib

        if not name.startswith("__"):
            try:
                return importlib.import_module(f"{__name__}.{name}")
            except ModuleNotFoundError as err:
                if err.name != f"{__name__}.{name}":
                    raise
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if home == "duplicates":
        from . import duplicates as module
    elif home == "files":
        from . import files as module
    elif home == "inputs":
        from . import inputs as module
    elif home == "identity":
        from . import identity as module
    elif home == "load":
        from . import load as module
    elif home == "provenance":
        from . import provenance as module
    else:
        from . import schema as module
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
