"""Coverage Lab helpers: the short public API the notebooks use.

>>> from helpers import load_corpus, units, kwic
>>> corpus, report = load_corpus()          # data/raw by default  # doctest: +SKIP
>>> sentences = units(corpus, "sentence")                          # doctest: +SKIP

The package is a set of rooms, one idea per module, arrows pointing down (a test checks it):

- commands: ``cli`` (``python -m helpers validate|train|report|collect``) and ``report``
  (run the notebooks, render the pages); nothing below imports them.
- areas, one subpackage each: ``framing`` (frame dictionaries, indicators, naming, the frame
  classifier), ``sources`` (quotes and who is quoted), ``sentiment`` (VADER, dictionaries,
  entity-targeted models, aggregation), ``topics`` (preprocessing, models, the k sweep,
  metrics, reading tools).
- the corpus: ``corpus`` (loading, ids, duplicates, provenance) on top of ``readers`` (one
  module per input format) and ``collect`` (the only networked step).
- shared pieces at the bottom: ``config`` (paths, seed), ``text`` (sentences, tokens, KWIC),
  ``keyness``, ``agreement`` (validation metrics), ``plots`` (figures).
"""

from .config import DATA_RAW, PROJECT_ROOT, SEED, eval_path, resolve_data, resolve_out

__all__ = ["CORPUS_COLUMNS", "DATA_RAW", "PROJECT_ROOT", "SEED", "Loaded", "collocations", "eval_path", "kwic",
           "load_corpus", "resolve_data", "resolve_out", "sentence_spans", "split_sentences", "term_frequencies",
           "tokenize", "units"]


def __getattr__(name: str):
    """The public names and the subpackages, imported when first used (PEP 562).

    ``import helpers`` alone imports only ``config``: a process that needs one room (the report's
    notebook slots need ``helpers.report.notebooks``, papermill and nbconvert) does not pay for
    pandas, scikit-learn and nltk (about 150 MB and a second per process).
    """
    if name in ("CORPUS_COLUMNS", "Loaded", "load_corpus"):
        from .corpus import CORPUS_COLUMNS, Loaded, load_corpus

        return {"CORPUS_COLUMNS": CORPUS_COLUMNS, "Loaded": Loaded, "load_corpus": load_corpus}[name]
    if name in ("kwic", "sentence_spans", "split_sentences", "tokenize", "units"):
        from .text import kwic, sentence_spans, split_sentences, tokenize, units

        return {"kwic": kwic, "sentence_spans": sentence_spans, "split_sentences": split_sentences,
                "tokenize": tokenize, "units": units}[name]
    if name in ("collocations", "term_frequencies"):
        from .textstats import collocations, term_frequencies

        return {"collocations": collocations, "term_frequencies": term_frequencies}[name]
    if not name.startswith("__"):
        import importlib

        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
