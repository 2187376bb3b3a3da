"""``aggregate_sentiment`` and ``pool_other_groups`` without copying the groups' text columns:
the same tables as the earlier code (kept verbatim below) on group keys with missing values,
several ``by`` columns, object / Python-str / Arrow text, nullable numbers with NA, documents
without an id."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.config import SEED
from helpers.sentiment.aggregate import (
    _check_table,
    _not_a_copy,
    _unit_name,
    aggregate_sentiment,
    bootstrap_mean_ci,
    filter_rows,
    pool_other_groups,
)


def _reference_aggregate_sentiment(scores, by=(), value="compound", unit=None, one_per_story=True,
                                   n_boot=1000, random_state=SEED, alpha=0.05):
    by = [by] if isinstance(by, str) else list(by)
    _check_table(scores, by, value)
    unit = _unit_name(scores, unit)
    read = [c for c in dict.fromkeys([*by, "doc_id", value, "polarity", "duplicate_of"]) if c in scores.columns]
    keep = scores[value].notna().to_numpy()
    if one_per_story and "duplicate_of" in scores.columns:
        keep = keep & _not_a_copy(scores["duplicate_of"])
    data = scores[read] if keep.all() else filter_rows(scores[read], keep)
    mean_col = f"mean_{value}_per_document"
    cols = [*by, "n_documents", f"n_{unit}s", mean_col, "ci_low", "ci_high"]
    if "polarity" in data.columns:
        cols += [f"share_negative_{unit}s", f"share_positive_{unit}s"]
    cols = list(dict.fromkeys(cols))
    if data.empty:
        return pd.DataFrame(columns=cols)
    groups = data.groupby(by, dropna=False, sort=True) if by else [((), data)]
    rows = []
    for key, g in groups:
        key = key if isinstance(key, tuple) else (key,)
        doc_means = g.groupby("doc_id", sort=False)[value].mean().to_numpy()
        lo, hi = bootstrap_mean_ci(doc_means, n_boot=n_boot, random_state=random_state, alpha=alpha)
        row = dict(zip(by, key, strict=True))
        row.update({"n_documents": len(doc_means), f"n_{unit}s": len(g),
                    mean_col: float(np.mean(doc_means)) if len(doc_means) else np.nan,
                    "ci_low": lo, "ci_high": hi})
        if "polarity" in g.columns:
            pol = pd.to_numeric(g["polarity"], errors="coerce")
            row[f"share_negative_{unit}s"] = float((pol == -1).mean())
            row[f"share_positive_{unit}s"] = float((pol == 1).mean())
        rows.append(row)
    return pd.DataFrame(rows, columns=cols)


def _reference_pool_other_groups(scores, column, n):
    docs = scores.groupby(column, sort=True)["doc_id"].nunique()
    if len(docs) <= n:
        return scores
    ranked = docs.sort_values(ascending=False, kind="stable")
    rest = set(ranked.index[n:])
    label = f"other ({len(rest)} {column}s)"
    values = scores[column].astype(object)
    return scores.assign(**{column: values.where(~values.isin(rest), label)})


def _table(n, dtype, seed=0, missing=True, nullable=False):
    rng = np.random.default_rng(seed)
    outlets = np.array(["Zeta", "Alpha", "Mid", "B", "", "Kappa", "Omega"], dtype=object)
    outlet = outlets[rng.integers(0, len(outlets), n)].astype(object)
    target = np.array(["China", "Japan", "NATO"], dtype=object)[rng.integers(0, 3, n)]
    doc = np.array([f"d{i // 5}" for i in range(n)], dtype=object)
    compound = rng.normal(size=n)
    polarity = rng.integers(-1, 2, n).astype(float)
    if missing:
        outlet[rng.random(n) < 0.1] = None
        target[rng.random(n) < 0.05] = None
        doc[rng.random(n) < 0.03] = None
        compound[rng.random(n) < 0.05] = np.nan
        polarity[rng.random(n) < 0.05] = np.nan
    t = pd.DataFrame({
        "doc_id": pd.array(doc, dtype=dtype) if dtype is not object else doc,
        "outlet": pd.array(outlet, dtype=dtype) if dtype is not object else outlet,
        "target": pd.array(target, dtype=dtype) if dtype is not object else target,
        "compound": pd.array(compound, dtype="Float64") if nullable else compound,
        "polarity": pd.array(polarity, dtype="Int64") if nullable else polarity,
        "level": "sentence",
    })
    return t.set_axis(np.arange(n) * 2 + 7)


DTYPES = [object, "str", "string[pyarrow]"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("by", [[], "outlet", ["target", "outlet"], ["outlet", "target"]])
@pytest.mark.parametrize("missing", [True, False])
@pytest.mark.parametrize("nullable", [False, True])
def test_aggregate_as_before(dtype, by, missing, nullable):
    t = _table(600, dtype, seed=len(str(by)), missing=missing, nullable=nullable)
    got = aggregate_sentiment(t, by, n_boot=40, random_state=3)
    want = _reference_aggregate_sentiment(t, by, n_boot=40, random_state=3)
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize("dtype", DTYPES)
def test_aggregate_mentions_and_copies_as_before(dtype):
    t = _table(300, dtype, seed=4).assign(mention_id=lambda d: [f"m{i}" for i in range(len(d))],
                                          duplicate_of=lambda d: np.where(np.arange(len(d)) % 7 == 0, "x", ""))
    for one in (True, False):
        pd.testing.assert_frame_equal(aggregate_sentiment(t, "target", one_per_story=one, n_boot=30),
                                      _reference_aggregate_sentiment(t, "target", one_per_story=one, n_boot=30))
    empty = t.iloc[:0]
    pd.testing.assert_frame_equal(aggregate_sentiment(empty, "target"), _reference_aggregate_sentiment(empty, "target"))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [0, 1, 3, 20])
def test_pool_as_before(dtype, n):
    t = _table(500, dtype, seed=n)
    pd.testing.assert_frame_equal(pool_other_groups(t, "outlet", n), _reference_pool_other_groups(t, "outlet", n))
