import math

import numpy as np
import pytest

from helpers import agreement

NAN = np.nan
# Krippendorff (2011) "Computing Krippendorff's alpha-reliability", the 3-coder, 15-unit example
# with missing values; the published alphas are nominal .691, ordinal .807, interval .811.
K_DATA = [[NAN, NAN, NAN, NAN, NAN, 3, 4, 1, 2, 1, 1, 3, 3, NAN, 3],
          [1, NAN, 2, 1, 3, 3, 4, 3, NAN, NAN, NAN, NAN, NAN, NAN, NAN],
          [NAN, NAN, 2, 1, 3, 4, 4, NAN, 2, 1, 1, 3, 3, NAN, 4]]


@pytest.mark.parametrize(("level", "expected"), [("nominal", 0.691), ("ordinal", 0.807), ("interval", 0.811)])
def test_krippendorff_alpha_matches_published_example(level, expected):
    assert agreement.krippendorff_alpha(K_DATA, level) == pytest.approx(expected, abs=5e-4)


def test_krippendorff_alpha_edge_cases():
    assert agreement.krippendorff_alpha([[1, 1], [1, 1]]) == 1.0
    assert math.isnan(agreement.krippendorff_alpha([[NAN, NAN], [NAN, NAN]]))
    assert agreement.krippendorff_alpha([["a", "b", "a"], ["a", "b", "a"]]) == 1.0
    with pytest.raises(ValueError, match="level"):
        agreement.krippendorff_alpha(K_DATA, "ratio-ish")


def test_cohen_kappa():
    assert agreement.cohen_kappa([1, 0, 1, 1], [1, 0, 0, 1]) == pytest.approx(0.5)
    assert agreement.cohen_kappa(["x", None, "y"], ["x", "y", "y"]) == 1.0  # the missing pair is dropped
    # one shared category everywhere: chance agreement is 1, kappa is 0/0 — undefined, not 1.0
    assert np.isnan(agreement.cohen_kappa([1, 1], [1, 1]))
    assert np.isnan(agreement.cohen_kappa([], []))
    assert agreement.cohen_kappa(["a", "a"], ["b", "b"]) == 0.0  # two categories: defined
    with pytest.raises(ValueError, match="different lengths"):
        agreement.cohen_kappa([1], [1, 2])


def test_classification_scores():
    s = agreement.classification_scores([-1, 0, 1, 1], [-1, 1, 1, 0], labels=[-1, 0, 1])
    assert s["n"] == 4 and s["accuracy"] == 0.5
    assert s["per_class"]["-1"]["f1"] == 1.0 and s["per_class"]["0"]["f1"] == 0.0
    assert s["macro_f1"] == pytest.approx((1 + 0 + 0.5) / 3)
    assert s["confusion"] == [[1, 0, 0], [0, 0, 1], [0, 1, 1]]


def test_bootstrap_intervals_are_deterministic_and_contain_estimate():
    y = [0, 1, 1, 0, 1, 0, 0, 1] * 10
    p = [0, 1, 0, 0, 1, 1, 0, 1] * 10
    a = agreement.bootstrap_ci(y, p, n_boot=300)
    assert a == agreement.bootstrap_ci(y, p, n_boot=300)
    assert a[0] <= agreement.macro_f1(y, p) <= a[1] and a[0] < a[1]
    lo, hi = agreement.bootstrap_mean_ci([1.0, 2.0, 3.0, 4.0])
    assert 1.0 <= lo < 2.5 < hi <= 4.0
    assert agreement.bootstrap_mean_ci([0.3]) == (0.3, 0.3)
    assert all(math.isnan(v) for v in agreement.bootstrap_mean_ci([]))


def test_bootstrap_mean_ci_in_blocks_equals_one_draw(monkeypatch):
    """Blocks of resamples give exactly the interval of one (n_boot, n) draw (bounded memory)."""
    values = np.random.default_rng(3).normal(size=2_501)

    def one_draw(v, n_boot=1000, random_state=agreement.SEED, alpha=0.05):
        rng = np.random.default_rng(random_state)
        means = v[rng.integers(0, len(v), size=(n_boot, len(v)))].mean(axis=1)
        return (float(np.quantile(means, alpha / 2)), float(np.quantile(means, 1 - alpha / 2)))

    monkeypatch.setattr(agreement, "BOOTSTRAP_BLOCK_VALUES", 7 * len(values) + 3)  # 7 resamples a block
    assert agreement.bootstrap_mean_ci(values) == one_draw(values)
    monkeypatch.setattr(agreement, "BOOTSTRAP_BLOCK_VALUES", 1)
    assert agreement.bootstrap_mean_ci(values[:50], n_boot=33) == one_draw(values[:50], n_boot=33)
