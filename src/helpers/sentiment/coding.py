"""Samples of mentions to hand-code, in NewsMTSC's layout, for validating on one's own data.

The round trip: :func:`sample_for_coding` draws the mentions, :func:`write_coding_sheet` writes
them as JSONL with an empty ``polarity``; a coder fills it in (-1/0/1 toward the mention);
``python -m helpers validate targets SHEET`` (or :func:`.validation.score_coded_file`) reads it
back with :func:`.newsmtsc.read_newsmtsc` and scores the scorer against the codes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..config import SEED


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
