"""``sentiment.evidence`` finds its rows on the value column alone (no copy of a table of
millions of sentences; at 100k articles the notebook's call held ~1 GB more): the same table as
the earlier code, kept verbatim below, with ties, missing values, repeated index labels, filters,
and too few negative or positive rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import sentiment


def _reference_evidence(scores, value="compound", n=5, where=None, columns=None):
    data = scores
    for col, want in (where or {}).items():
        if col not in data.columns:
            raise ValueError(f"evidence: no column {col!r} to filter on ({list(data.columns)})")
        data = data[data[col].isin(want if isinstance(want, (list, tuple, set)) else [want])]
    data = data.dropna(subset=[value])
    if columns is None:
        columns = [c for c in ("doc_id", "outlet", "date", "target", "mention", "text", "sentence", value,
                               "polarity", "drivers") if c in data.columns]
    low = data.nsmallest(n, value).assign(extreme="most negative")
    high = (
        data.drop(index=low.index, errors="ignore")
        .nlargest(n, value)
        .assign(extreme="most positive")
    )
    high = high[high[value] > 0]
    low = low[low[value] < 0]
    out = pd.concat([low, high.sort_values(value)])
    return out[[*columns, "extreme"]].reset_index(drop=True)


def _table(n, seed, index="range"):
    rng = np.random.default_rng(seed)
    values = rng.choice([-0.9, -0.5, -0.1, 0.0, 0.1, 0.5, 0.9, np.nan], size=n)  # many ties
    t = pd.DataFrame({"doc_id": [f"d{i % 7}" for i in range(n)], "outlet": rng.choice(["A", "B"], n),
                      "text": [f"s{i}" for i in range(n)], "compound": values,
                      "polarity": np.sign(np.nan_to_num(values)).astype(int), "drivers": ["x"] * n})
    if index == "repeated":
        t.index = [i // 2 for i in range(n)]
    elif index == "shuffled":
        t.index = rng.permutation(n) + 1000
    return t


@pytest.mark.parametrize("index", ["range", "repeated", "shuffled"])
@pytest.mark.parametrize("n_rows,n", [(0, 3), (1, 3), (5, 3), (40, 3), (40, 25), (300, 5)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_evidence_equals_the_earlier_code(index, n_rows, n, seed):
    t = _table(n_rows, seed, index)
    pd.testing.assert_frame_equal(sentiment.evidence(t, "compound", n=n), _reference_evidence(t, "compound", n=n))
    where = {"outlet": "A"}
    pd.testing.assert_frame_equal(sentiment.evidence(t, n=n, where=where), _reference_evidence(t, n=n, where=where))
    cols = ["text", "compound"]
    pd.testing.assert_frame_equal(sentiment.evidence(t, n=n, columns=cols), _reference_evidence(t, n=n, columns=cols))


def test_evidence_all_one_sign():
    t = pd.DataFrame({"text": list("abcd"), "compound": [0.2, 0.4, 0.4, 0.9]})
    pd.testing.assert_frame_equal(sentiment.evidence(t, n=2), _reference_evidence(t, n=2))
    t["compound"] = -t["compound"]
    pd.testing.assert_frame_equal(sentiment.evidence(t, n=2), _reference_evidence(t, n=2))
