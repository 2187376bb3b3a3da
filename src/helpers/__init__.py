"""Coverage Lab helpers: the short public API the notebooks use.

>>> from helpers import load_corpus, units, kwic
>>> corpus, report = load_corpus()          # data/raw by default  # doctest: +SKIP
>>> sentences = units(corpus, "sentence")                          # doctest: +SKIP

Modules: ``config`` (paths, seed), ``corpus`` (loading, duplicates, provenance), ``readers``
(one per input format), ``text`` (sentences, tokens, KWIC, collocations), ``framing``,
``sentiment``, ``topics`` (the measures), ``agreement`` (validation metrics), ``plots``
(figures), ``report`` (run and render).
"""

from .config import DATA_RAW, PROJECT_ROOT, SEED, eval_path, resolve_data, resolve_out
from .corpus import CORPUS_COLUMNS, Loaded, load_corpus
from .text import (
           collocations,
           kwic,
           sentence_spans,
           split_sentences,
           term_frequencies,
           tokenize,
           units,
)

__all__ = ["CORPUS_COLUMNS", "DATA_RAW", "PROJECT_ROOT", "SEED", "Loaded", "collocations", "eval_path", "kwic",
           "load_corpus", "resolve_data", "resolve_out", "sentence_spans", "split_sentences", "term_frequencies",
           "tokenize", "units"]
