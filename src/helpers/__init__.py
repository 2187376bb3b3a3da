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
from .corpus import CORPUS_COLUMNS, Loaded, load_corpus
from .text import (
           kwic,
           sentence_spans,
           split_sentences,
           tokenize,
           units,
)
from .textstats import collocations, term_frequencies

__all__ = ["CORPUS_COLUMNS", "DATA_RAW", "PROJECT_ROOT", "SEED", "Loaded", "collocations", "eval_path", "kwic",
           "load_corpus", "resolve_data", "resolve_out", "sentence_spans", "split_sentences", "term_frequencies",
           "tokenize", "units"]
