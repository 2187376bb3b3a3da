"""One validation protocol for every measure: splits, intervals, baselines, the results file.

Modules, one idea each:

- ``split``: every labelled set split once, deterministically, into a *tune* part (every
  choice: features, C, windows, thresholds, stop words, dictionary entries) and a *locked*
  part that only ``python -m helpers validate all`` scores. Stratified, seeded, duplicates in
  one part.
- ``intervals``: 95 % percentile-bootstrap intervals over the unit that was sampled
  (sentences, articles, documents), resampling clusters, not rows.
- ``baselines``: the trivial predictions every method must beat (majority class, always-yes).
- ``records``: the one generated file of numbers (``resources/validation.json``) with the
  hashes of the code, resources and data behind it; tables for README, docs and notebooks;
  a page whose resources changed since shows "not validated for these resources".
"""

from .baselines import always_yes, majority_class
from .intervals import cluster_bootstrap
from .records import (
    RESULTS_FILE,
    ValidationRecord,
    load_results,
    markdown_table,
    protocol_markdown,
    stale_resources,
    validation_table,
    write_results,
)
from .split import LOCKED_FRACTION, split_parts, text_key

__all__ = ["LOCKED_FRACTION", "RESULTS_FILE", "ValidationRecord", "always_yes", "cluster_bootstrap", "load_results",
           "majority_class", "markdown_table", "protocol_markdown", "split_parts", "stale_resources", "text_key",
           "validation_table", "write_results"]
