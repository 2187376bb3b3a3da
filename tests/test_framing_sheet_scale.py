"""``coding_sheet`` draws its sample before joining the metadata (no copy of every text): the
same sheet as the earlier code, kept verbatim below, at every level, on real and odd corpora."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import framing
from helpers.config import SEED
from helpers.framing.dictionaries import as_dictionary
from helpers.framing.indicators import FRAME_CODES
from helpers.framing.sheets import _KEEP
from helpers.framing.units import as_units

CORPUS_2K = Path(__file__).parents[1] / "benchmarks" / "results" / "scale" / "corpus-2k.jsonl"


def _reference_coding_sheet(corpus, scheme="generic", level="document", n=100, seed=SEED):
    u = as_units(corpus, level)
    meta = corpus.drop(columns=[c for c in ("text",) if c in corpus.columns])
    extra = [c for c in ("outlet", "date", "title") if c in meta.columns and c not in u.columns]
    if extra and "doc_id" in meta.columns:
        u = u.merge(meta[["doc_id", *extra]].drop_duplicates("doc_id"), on="doc_id", how="left")
    u = u[u["text"].fillna("").str.strip() != ""]
    take = len(u) if n is None else min(n, len(u))
    order = np.random.default_rng(seed).permutation(len(u))[:take]
    sheet = u.iloc[order][[c for c in _KEEP if c in u.columns]].reset_index(drop=True)
    d = as_dictionary(scheme)
    if d.name == "generic":
        codes = {FRAME_CODES[k]: d.label(k) for k in d.categories if k in FRAME_CODES}
        for code in codes:
            sheet[code] = ""
    else:
        codes = {str(d.code(k)): d.label(k) for k in d.categories}
        sheet["label"] = ""
    sheet.attrs["codes"] = codes
    sheet.attrs["scheme"] = d.name
    return sheet


def _odd_corpus(seed_corpus):
    base = seed_corpus.iloc[[0]]
    rows = [base.assign(doc_id=f"d{i}", text=t) for i, t in enumerate(
        ["", "   \n\n  ", "One. Two.\n\nThree.", base["text"].iloc[0], "\u00a0", "Só isto."])]
    odd = pd.concat(rows + [rows[2].assign(title="repeated id")], ignore_index=True)  # a repeated doc_id
    return odd


def _corpora(seed_corpus):
    out = {"seed": seed_corpus, "odd": _odd_corpus(seed_corpus),
           "no_meta": seed_corpus[["doc_id", "text"]]}
    if CORPUS_2K.exists():
        with open(CORPUS_2K, encoding="utf-8") as fh:
            rows = [json.loads(line) for _, line in zip(range(300), fh, strict=False)]
        c = pd.DataFrame(rows)
        c["doc_id"] = [f"c{i}" for i in range(len(c))]
        c["date"] = pd.to_datetime(c["date"])
        out["corpus-2k"] = c
    return out


@pytest.mark.parametrize("level", ["document", "paragraph", "sentence"])
@pytest.mark.parametrize("scheme,n", [("generic", 100), ("policy", 7), ("generic", None), ("generic", 0)])
def test_sheet_equals_the_earlier_code(seed_corpus, level, scheme, n):
    for name, corpus in _corpora(seed_corpus).items():
        got = framing.coding_sheet(corpus, scheme, level=level, n=n, seed=11)
        want = _reference_coding_sheet(corpus, scheme, level=level, n=n, seed=11)
        pd.testing.assert_frame_equal(got, want, obj=f"{name} {level} {scheme} {n}")
        assert got.attrs == want.attrs
