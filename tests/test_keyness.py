"""Keyness: G² and log ratio, group comparison, comparison with general English, FDR correction."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom
from wordfreq import word_frequency

from helpers.keyness import (
    WORDFREQ_FLOOR,
    bh_qvalues,
    compare_groups,
    keyness,
    keyness_vs_english,
    term_counts,
)
from helpers.text import tokenize


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
    assert k["key"].iloc[0] and (k.loc[k["key"], "key_for"] == "target").all()
    assert "the" not in set(k["term"])  # stop words removed from the tested words
    assert term_counts(["The islands, the islands."])["islands"] == 2


def test_vs_english_is_an_exact_binomial_test_without_a_reference_size(seed_corpus):
    """p-value = P(X >= k) for X ~ Binomial(n, p_wordfreq): no invented reference corpus size."""
    k = keyness_vs_english(seed_corpus, min_count=2).set_index("term")
    n = sum(len(tokenize(t)) for t in seed_corpus["text"])  # every token, stop words included
    row = k.loc["nato"]
    p = word_frequency("nato", "en")
    assert row["n_tokens"] == n and row["expected"] == pytest.approx(n * p)
    assert row["p_value"] == pytest.approx(binom.sf(row["count"] - 1, n, p), rel=1e-9)
    assert row["log_ratio"] == pytest.approx(math.log2((row["count"] / n) / p))
    assert "reference_size" not in keyness_vs_english.__code__.co_varnames


def test_a_word_at_its_english_rate_is_not_key():
    p = word_frequency("people", "en")
    n = round(3 / p)  # "people" 3 times in n tokens: exactly its English rate
    text = "people " * 3 + "the " * (n - 3)
    row = keyness_vs_english([text], min_count=2).set_index("term").loc["people"]
    assert row["n_tokens"] == n and abs(row["log_ratio"]) < 0.05
    assert row["p_value"] > 0.3 and not row["key"]
    # three times in a short text is far above the rate, and key
    short = keyness_vs_english(["people " * 3 + "the " * 97]).set_index("term").loc["people"]
    assert short["key"] and short["q_value"] < 0.05


def test_words_unknown_to_wordfreq_get_the_documented_floor():
    row = (
        keyness_vs_english(["Zorblatt zorblatt and the zorblatt."])
        .set_index("term")
        .loc["zorblatt"]
    )
    assert not row["in_wordfreq"] and row["per_million_english"] == pytest.approx(
        1e6 * WORDFREQ_FLOOR
    )
    assert row["log_ratio"] == pytest.approx(math.log2((3 / 5) / WORDFREQ_FLOOR))


def test_bh_qvalues_by_hand_and_their_properties():
    # p sorted: .01 .03 .04 .5 (m = 4): raw .04, .06, .0533, .5 -> running minimum from the top
    assert bh_qvalues([0.01, 0.04, 0.03, 0.5]) == pytest.approx([0.04, 0.0533333, 0.0533333, 0.5])
    p = np.random.default_rng(0).random(200) ** 3
    q = bh_qvalues(p)
    assert (q >= p - 1e-15).all() and (q <= 1).all()
    order = np.argsort(p)
    assert (np.diff(q[order]) >= -1e-15).all()  # monotone in p
    assert np.isnan(bh_qvalues([0.01, np.nan])[1])
    from scipy.stats import false_discovery_control

    assert q == pytest.approx(false_discovery_control(p, method="bh"))


def test_two_corpus_keyness_has_q_values_and_an_effect_threshold():
    # 1.5 times as frequent in a large corpus: highly significant, but under the effect threshold
    big = keyness(
        Counter({"a": 15_000, "x": 85_000}), Counter({"a": 10_000, "x": 90_000}), min_count=1
    )
    a = big.set_index("term").loc["a"]
    assert a["q_value"] < 1e-10 and a["log_ratio"] == pytest.approx(math.log2(1.5)) and not a["key"]
    # many words tested: a p just under .05 is not enough once corrected
    target = Counter({f"w{i}": 10 for i in range(50)}) + Counter({"hit": 19})
    reference = Counter({f"w{i}": 10 for i in range(50)}) + Counter({"hit": 8})
    k = keyness(target, reference, min_count=1).set_index("term")
    assert k.loc["hit", "p_value"] < 0.05 <= k.loc["hit", "q_value"] and not k.loc["hit", "key"]
    assert (k["q_value"] >= k["p_value"] - 1e-15).all()
