"""``aggregate_sentiment`` keeps the same rows with one copy of the columns it reads: the rows
are chosen on ``value`` and ``duplicate_of`` alone (no Python string per row), as the earlier
``fillna("").astype(str) == ""`` and ``dropna`` chose them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.sentiment import aggregate
from helpers.sentiment.aggregate import aggregate_sentiment


def _reference_rows(scores, by, value, one_per_story):
    """The rows and columns the earlier code aggregated, verbatim."""
    read = [*by, "doc_id", value, "polarity", "duplicate_of"]
    data = scores[[c for c in dict.fromkeys(read) if c in scores.columns]]
    if one_per_story and "duplicate_of" in data.columns:
        data = data[data["duplicate_of"].fillna("").astype(str) == ""]
    return data.dropna(subset=[value])


def _table(dtype):
    rng = np.random.default_rng(19)
    n = 400
    dup = rng.choice(np.array(["", "d1", None, "x"], dtype=object), n)
    t = pd.DataFrame({
        "doc_id": [f"d{i // 4}" for i in range(n)],
        "outlet": rng.choice(["A", "B", "C"], n),
        "compound": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n)),
        "polarity": rng.choice([-1, 0, 1], n),
        "duplicate_of": pd.array(dup, dtype=dtype) if dtype else dup,
        "text": ["t"] * n,
    })
    return t.set_axis(np.arange(n) * 3)  # an index that is not 0..n-1


@pytest.mark.parametrize("dtype", [None, "string", "string[pyarrow]"])
@pytest.mark.parametrize("one_per_story", [True, False])
@pytest.mark.parametrize("by", [[], ["outlet"]])
def test_same_rows_and_results(monkeypatch, dtype, one_per_story, by):
    t = _table(dtype)
    seen = []
    real = aggregate.bootstrap_mean_ci
    monkeypatch.setattr(aggregate, "bootstrap_mean_ci", lambda m, **kw: (seen.append(m.copy()), real(m, **kw))[1])
    got = aggregate_sentiment(t, by, unit="sentence", one_per_story=one_per_story, n_boot=50)
    want_rows = _reference_rows(t, by, "compound", one_per_story)
    groups = want_rows.groupby(by, dropna=False, sort=True) if by else [((), want_rows)]
    want_means = [g.groupby("doc_id", sort=False)["compound"].mean().to_numpy() for _, g in groups]
    assert len(seen) == len(want_means)
    for a, b in zip(seen, want_means, strict=True):
        np.testing.assert_array_equal(a, b)
    assert int(got["n_sentences"].sum()) == len(want_rows)


def test_not_a_copy_matches_the_string_test():
    s = pd.Series(["", "a", None, np.nan, pd.NA, "b", " "], dtype=object)
    want = (s.fillna("").astype(str) == "").to_numpy()
    np.testing.assert_array_equal(aggregate._not_a_copy(s), want)
    for dtype in ("string", "string[pyarrow]"):
        np.testing.assert_array_equal(aggregate._not_a_copy(s.astype(dtype)), want)


@pytest.mark.parametrize("positions", [[], [0], [5, 6], [7, 2, 7 - 7, 11], [11, 10, 9]])
def test_rows_at_is_take_on_chunked_arrow_text(positions):
    import pyarrow as pa

    text = pa.chunked_array([["a", "b", None], ["c", "d"], [], ["e", "f", "g", "h", "i", "j", "k"]])
    frame = pd.DataFrame({"text": pd.arrays.ArrowStringArray(text), "v": np.arange(12.0),
                          "o": np.array(list("abcdefghijkl"), dtype=object),
                          "d": pd.date_range("2013-01-01", periods=12)}, index=np.arange(12) * 2 + 1)
    pos = np.asarray(positions, dtype=np.int64)
    got, want = aggregate._rows_at(frame, pos), frame.take(pos)
    pd.testing.assert_frame_equal(got, want, check_index_type=False)
    assert got.index.tolist() == want.index.tolist()
