"""Samples of mentions to hand-code, in NewsMTSC's layout, for validating on one's own data.

The round trip: :func:`sample_for_coding` draws the mentions, :func:`write_coding_sheet` writes
them as JSONL with an empty ``polarity``; a coder fills it in (-1/0/1 toward the mention);
``python -m helpers validate targets SHEET`` (or :func:`.validation.score_coded_file`) reads it
back with :func:`.newsmtsc.read_newsmtsc` and scores the scorer against the codes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..config import SEED
from .aggregate import _group_rows, _rows_at


def sample_for_coding(
    mentions: pd.DataFrame, n: int = 200, by: str | None = "target", random_state: int = SEED
) -> pd.DataFrame:
    """A sample of mentions to hand-code, in NewsMTSC's layout (write it with
    :func:`write_coding_sheet`, fill ``polarity`` with -1/0/1, then run
    ``python -m helpers validate targets SHEET``).

    Sampling is stratified by ``by`` (equal shares per target where possible) so rare targets
    are not swamped by the frequent ones. Out: ``id`` (the mention_id), ``sentence``,
    ``mention``, ``from``, ``to``, ``target``, ``polarity`` (empty, for the coder).

    >>> m = pd.DataFrame({"mention_id": ["a", "b"], "sentence": ["Japan.", "China."], "mention": ["Japan", "China"],
    ...                   "from": [0, 0], "to": [5, 5], "target": ["Japan", "China"]})
    >>> len(sample_for_coding(m, n=2))
    2
    """
    if mentions.empty:
        return pd.DataFrame(
            columns=["id", "sentence", "mention", "from", "to", "target", "polarity"]
        )
    # the draw is made on row positions (a sample depends only on the length drawn from), and only
    # the drawn rows are taken: the groups and the rest were copies of the whole mention table
    # (at 100k articles +0.33 GB in the sentiment kernel's last cells)
    if by and by in mentions.columns:
        groups = [at for _, at in _group_rows(mentions, [by], dropna=True)]  # groupby(by, sort=True)'s rows
        per = max(1, n // len(groups))
        chosen = np.concatenate([_draw(g, min(len(g), per), random_state) for g in groups])
        if len(chosen) < n:
            rest = np.flatnonzero(~mentions.index.isin(mentions.index[chosen]))  # drop(index=...) of the drawn labels
            chosen = np.concatenate([chosen, _draw(rest, min(len(rest), n - len(chosen)), random_state)])
    else:
        chosen = _draw(np.arange(len(mentions)), min(n, len(mentions)), random_state)
    sample = _rows_at(mentions[[c for c in _SHEET_SOURCE if c in mentions.columns]], chosen)
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


#: The mention columns the sheet is made of.
_SHEET_SOURCE = ("mention_id", "sentence", "mention", "from", "to", "target")


def _draw(positions: np.ndarray, k: int, random_state: int) -> np.ndarray:
    """``k`` of ``positions``, as ``DataFrame.sample(k, random_state=random_state)`` draws rows of a
    table of that many rows."""
    return pd.Series(positions, dtype=np.int64).sample(k, random_state=random_state).to_numpy()


def write_coding_sheet(sample: pd.DataFrame, path: str | Path) -> Path:
    """Write a :func:`sample_for_coding` sample as a coding sheet: JSONL, one mention a line
    (``id``, ``sentence``, ``mention``, ``from``, ``to``, ``target``, ``polarity`` = null), UTF-8.

    >>> import tempfile, os
    >>> m = pd.DataFrame({"mention_id": ["a"], "sentence": ["Japan."], "mention": ["Japan"],
    ...                   "from": [0], "to": [5], "target": ["Japan"]})
    >>> p = write_coding_sheet(sample_for_coding(m, n=1), os.path.join(tempfile.mkdtemp(), "s.jsonl"))
    >>> '"polarity":null' in p.read_text(encoding="utf-8")
    True
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sample.to_json(path, orient="records", lines=True, force_ascii=False)
    return path
