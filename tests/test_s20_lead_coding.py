"""``sample_for_coding`` draws on row positions and takes only the drawn rows: the same sheet as
the earlier code (kept verbatim below), which copied the whole mention table per group and for
the rest (at 100k articles +0.33 GB in the sentiment kernel's last cells)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.config import SEED
from helpers.sentiment import sample_for_coding


def _reference_sample_for_coding(
    mentions: pd.DataFrame, n: int = 200, by: str | None = "target", random_state: int = SEED
) -> pd.DataFrame:
    if mentions.empty:
        return pd.DataFrame(
            columns=["id", "sentence", "mention", "from", "to", "target", "polarity"]
        )
    if by and by in mentions.columns:
        groups = list(mentions.groupby(by, sort=True))
        per = max(1, n // len(groups))
        parts = [g.sample(min(len(g), per), random_state=random_state) for _, g in groups]
        sample = pd.concat(parts)
        if len(sample) < n:
            rest = mentions.drop(index=sample.index)
            sample = pd.concat(
                [sample, rest.sample(min(len(rest), n - len(sample)), random_state=random_state)]
            )
    else:
        sample = mentions.sample(min(n, len(mentions)), random_state=random_state)
    out = pd.DataFrame(
        {
            "id": sample.get("mention_id", pd.Series(sample.index, index=sample.index)).astype(str),
            "sentence": sample["sentence"],
            "mention": sample["mention"],
            "from": sample["from"].astype(int),
            "to": sample["to"].astype(int),
            "target": sample.get("target", ""),
            "polarity": None,
        }
    )
    return out.sample(frac=1, random_state=random_state).reset_index(drop=True)


def _mentions(n: int, seed: int, dtype, *, ids=True, index="range", missing=False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    targets = np.array(["China", "Japan", "NATO", "United States", "North Korea"], dtype=object)
    # skewed group sizes: some targets rarer than the share per target
    target = targets[np.minimum(rng.geometric(0.45, n) - 1, len(targets) - 1)].astype(object)
    if missing:
        target[rng.random(n) < 0.1] = None
    t = pd.DataFrame({
        "sentence": pd.array([f"Sentence {i} about {x}." for i, x in enumerate(target)], dtype=dtype),
        "mention": pd.array([str(x) for x in target], dtype=dtype),
        "from": rng.integers(0, 40, n),
        "to": rng.integers(40, 80, n),
        "target": pd.array(list(target), dtype=dtype),
        "score": rng.normal(size=n),
    })
    if ids:
        t.insert(0, "mention_id", pd.array([f"m{i}" for i in range(n)], dtype=dtype))
    if index == "offset":
        t.index = pd.RangeIndex(500, 500 + n)
    elif index == "duplicated":
        t.index = pd.Index(np.arange(n) // 2)
    return t


@pytest.mark.parametrize("dtype", [object, "str", "string[pyarrow]"])
@pytest.mark.parametrize("n_rows,n", [(1, 5), (7, 5), (60, 20), (400, 100), (400, 3), (50, 500)])
@pytest.mark.parametrize("index", ["range", "offset", "duplicated"])
def test_same_sheet_as_before(dtype, n_rows, n, index):
    m = _mentions(n_rows, seed=n_rows + n, dtype=dtype, index=index)
    for by in ("target", None, "no such column"):
        got = sample_for_coding(m, n=n, by=by, random_state=7)
        pd.testing.assert_frame_equal(got, _reference_sample_for_coding(m, n=n, by=by, random_state=7))


@pytest.mark.parametrize("kw", [{"ids": False}, {"missing": True}, {"ids": False, "index": "offset"}])
def test_same_sheet_without_ids_or_with_missing_targets(kw):
    m = _mentions(300, seed=3, dtype="str", **kw)
    for seed in (0, SEED, 123):
        got = sample_for_coding(m, n=40, random_state=seed)
        pd.testing.assert_frame_equal(got, _reference_sample_for_coding(m, n=40, random_state=seed))


def test_chunked_text_column():
    parts = [_mentions(200, seed=s, dtype="str") for s in range(3)]
    m = pd.concat(parts, ignore_index=True)  # Arrow columns of several chunks
    pd.testing.assert_frame_equal(sample_for_coding(m, n=50), _reference_sample_for_coding(m, n=50))


def test_empty():
    m = _mentions(5, seed=1, dtype="str").iloc[:0]
    pd.testing.assert_frame_equal(sample_for_coding(m), _reference_sample_for_coding(m))
