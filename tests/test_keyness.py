"""Keyness: G² and log ratio, group comparison, comparison with general English."""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd
import pytest

from helpers.keyness import compare_groups, keyness, keyness_vs_english, term_counts


def test_g2_matches_hand_computation():
    k = keyness(Counter({"islands": 10, "x": 90}), Counter({"islands": 5, "x": 195}), min_count=1)
    row = k.set_index("term").loc["islands"]
    a, b, c, d = 10, 5, 100, 200
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    g2 = 2 * (a * math.log(a / e1) + b * math.log(b / e2))
    assert row["g2"] == pytest.approx(g2)
    assert row["log_ratio"] == pytest.approx(math.log2((10 / 100) / (5 / 200)))
    assert row["key_for"] == "target" and 0 < row["p_value"] < 0.05


def test_zero_counts_are_smoothed_and_sides_labelled():
    k = keyness(
        Counter({"only_here": 8, "common": 50}),
        Counter({"common": 40, "only_there": 9}),
        min_count=3,
    )
    s = k.set_index("term")
    assert s.loc["only_here", "key_for"] == "target" and math.isfinite(
        s.loc["only_here", "log_ratio"]
    )
    assert s.loc["only_there", "key_for"] == "reference" and s.loc["only_there", "log_ratio"] < 0


def test_compare_groups_by_column_and_callable():
    c = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "outlet": ["X", "X", "Y"],
            "date": pd.to_datetime(["2013-01-01", "2013-02-01", "2013-03-01"]),
            "text": [
                "Diaoyu Diaoyu Diaoyu islands",
                "Diaoyu islands patrol",
                "Senkaku Senkaku Senkaku islands",
            ],
        }
    )
    k = compare_groups(c, "outlet", "X", min_count=2)
    assert k.iloc[0]["term"] in {"diaoyu", "senkaku"}
    assert k.set_index("term").loc["diaoyu", "key_for"] == "target"
    k2 = compare_groups(c, "date", lambda d: d >= "2013-03-01", min_count=2)
    assert k2.set_index("term").loc["senkaku", "key_for"] == "target"
    with pytest.raises(ValueError, match="outlet"):
        compare_groups(c, "outlet", "Z")


def test_seed_against_general_english(seed_corpus):
    k = keyness_vs_english(seed_corpus, min_count=2)
    top = k.head(15)["term"].tolist()
    assert {"nato", "abe", "liu"} <= set(top)
    assert (k["key_for"] == "target").all()
    assert "the" not in set(k["term"])  # stop words removed
    assert term_counts(["The islands, the islands."])["islands"] == 2
