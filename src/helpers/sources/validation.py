"""Quote attribution checked against hand-coded paragraphs that are not the seed article.

The attribution rules (:func:`helpers.sources.attributions`) were written on the seed article
(and a handful of sentences from three BBC articles, left out here). This module scores them
on paragraphs of BBC News (``bbc_news/bbc_dev.csv`` in the labelled data folder) that one
project developer coded by hand, following ``docs/annotation/quotes.md``, before the rules
were ever run on them. Nothing is tuned on these paragraphs: the whole coded sample is a
locked set.

- :func:`sample_paragraphs`: the reproducible sample (fixed seed, one paragraph per article,
  two thirds with a quotation mark or a reporting verb, one third at random).
- :data:`ANNOTATIONS`: the codes, JSON lines without article text (offsets, SHA-1 hashes).
- :func:`coded_paragraphs`: the coded paragraphs read back from the eval data, hashes checked.
- :func:`match_attributions` / :func:`score_counts`: predicted vs coded attributions.
- :func:`validation_records`: the record for ``python -m helpers validate all``.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import PROJECT_ROOT, SEED

#: the labelled file the paragraphs come from (relative to the eval folder)
DATASET = "bbc_news/bbc_dev.csv"
#: the hand codes, one JSON object per paragraph
ANNOTATIONS = PROJECT_ROOT / "tests" / "data" / "quotes" / "bbc_paragraphs.jsonl"
#: paragraphs sampled with a quotation mark or a reporting verb, and at random
N_CUE, N_RANDOM = 24, 12
#: BBC articles whose sentences were used when the rules were written (tests/test_quotes.py):
#: never sampled
SEEN_IN_RULES = ("business/061", "business/321", "business/334")
#: a paragraph "with a cue": a quotation mark or a common reporting verb. Deliberately a short
#: fixed list, independent of the rules' own verb lexicon.
CUE_RE = re.compile(
    r"[\"“”]|\b(?:said|says|say|told|tells|according to|added|adds|stated|explained|claimed|"
    r"argued|warned|insisted)\b",
    re.I,
)


def paragraph_sha1(text: str) -> str:
    """SHA-1 (hex) of a paragraph's (or span's) text, to notice a changed source."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def load_bbc(eval_dir: Path) -> pd.DataFrame:
    """The BBC dev articles as a corpus, each story once (``source_id`` is the file's doc_id)."""
    from ..corpus import load_corpus, one_per_story

    return one_per_story(load_corpus(Path(eval_dir) / DATASET).corpus)


def sample_paragraphs(corpus: pd.DataFrame, n_cue: int = N_CUE, n_random: int = N_RANDOM,
                      seed: int = SEED) -> pd.DataFrame:
    """The paragraphs to code: ``n_cue`` with a cue, then ``n_random`` from all the others.

    One paragraph per article (so paragraphs are independent units); the first paragraph
    (the headline) and the articles in :data:`SEEN_IN_RULES` are never drawn. Out: one row
    per paragraph with ``source_id``, ``doc_id``, ``paragraph`` (0-based index in the
    article), ``start``, ``end``, ``text``, ``stratum`` ("cue" / "random"), in draw order.
    """
    from ..text import units

    corpus = corpus[~corpus["source_id"].astype(str).isin(SEEN_IN_RULES)]
    u = units(corpus, "paragraph")
    u = u[u["paragraph"] > 0].merge(corpus[["doc_id", "source_id"]], on="doc_id")
    u = u.sort_values(["source_id", "paragraph"]).reset_index(drop=True)
    rng = np.random.default_rng(seed)
    has_cue = u["text"].str.contains(CUE_RE)
    picked, used = [], set()
    for stratum, pool, n in (("cue", u[has_cue], n_cue), ("random", u, n_random)):
        order = rng.permutation(len(pool))
        k = 0
        for i in order:
            row = pool.iloc[i]
            if k == n:
                break
            if row["source_id"] in used:
                continue
            used.add(row["source_id"])
            picked.append({**row.to_dict(), "stratum": stratum})
            k += 1
    cols = ["source_id", "doc_id", "paragraph", "start", "end", "text", "stratum"]
    return pd.DataFrame(picked)[cols]
