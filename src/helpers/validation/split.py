"""Split a labelled set once into a *tune* part and a *locked* part.

The assignment is a pure function of each row's group key and stratum: rows are grouped (all
targets of one sentence, all copies of one text), groups are ordered by a seeded hash of
their key, and within each stratum the first ``locked_fraction`` of groups (rounded) go to
the locked part. Adding rows never moves an existing group between parts unless its stratum's
quota changes, row order never matters, and every call gives the same split.

>>> parts = split_parts(["a", "b", "c", "d", "e"], strata=["x", "x", "x", "y", "y"], locked_fraction=0.4)
>>> sorted(parts.tolist())
['locked', 'locked', 'tune', 'tune', 'tune']
>>> split_parts(["s1", "s1", "s2"]).tolist()[0] == split_parts(["s1", "s1", "s2"]).tolist()[1]
True
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..config import SEED

#: Share of each labelled set held back for ``validate all``.
LOCKED_FRACTION = 0.4


def text_key(text: str) -> str:
    """A key equal for copies of one text (case, punctuation and spacing ignored).

    >>> text_key("Japan, to seek NATO support.") == text_key("japan to seek  NATO support")
    True
    """
    return re.sub(r"[\W_]+", " ", str(text).lower()).strip()


def _rank(key: str, seed: int) -> str:
    return hashlib.sha1(f"{seed}\x00{key}".encode()).hexdigest()


def split_parts(groups: Sequence, strata: Sequence | None = None, locked_fraction: float = LOCKED_FRACTION,
                seed: int = SEED) -> pd.Series:
    """``"tune"`` or ``"locked"`` for every row.

    ``groups``: one key per row; rows with the same key land in the same part (use the
    sentence for targets that share one, :func:`text_key` for duplicate texts).
    ``strata``: one value per row (a label, or a label combination for multi-label data);
    a group takes its most frequent stratum (ties: the smallest value). Each stratum sends ``round(fraction × groups)``
    of its groups to the locked part (at least one when it has two or more groups).
    """
    keys = pd.Series([str(g) for g in groups], dtype=object)
    strat = pd.Series([""] * len(keys) if strata is None else [str(s) for s in strata], dtype=object)
    if len(strat) != len(keys):
        raise ValueError(f"groups and strata differ in length ({len(keys)} and {len(strat)})")
    rows = pd.DataFrame({"key": keys, "stratum": strat})
    # a group's stratum: its most frequent one (ties: the smallest), so row order never matters
    first = (rows.value_counts(["key", "stratum"]).rename("n").reset_index()
             .sort_values(["key", "n", "stratum"], ascending=[True, False, True]).drop_duplicates("key"))
    locked: set[str] = set()
    for _, block in first.groupby("stratum", sort=True):
        ordered = sorted(block["key"], key=lambda k: _rank(k, seed))
        n = len(ordered)
        take = int(np.floor(n * locked_fraction + 0.5))
        if n >= 2:
            take = min(max(take, 1), n - 1)
        locked.update(ordered[:take])
    return pd.Series(np.where(keys.isin(locked), "locked", "tune"), dtype=object)
