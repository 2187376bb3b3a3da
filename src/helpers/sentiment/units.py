"""The units every lexicon scores: a units table as it is, or a corpus as one unit per document."""

from __future__ import annotations

import pandas as pd

_ID_COLS = ("unit_id", "doc_id", "level", "position", "paragraph")


def _units_of(table: pd.DataFrame) -> pd.DataFrame:
    """Accept a units table or a corpus (scored at document level)."""
    if "text" not in table.columns:
        raise ValueError(
            f"the table needs a 'text' column (got {list(table.columns)}); pass a corpus "
            "from load_corpus or a units table from helpers.text.units"
        )
    if "unit_id" in table.columns:
        return table
    if "doc_id" not in table.columns:
        raise ValueError("the table needs a 'doc_id' column (a corpus) or 'unit_id' (units)")
    out = pd.DataFrame(
        {
            "unit_id": table["doc_id"].astype(str) + ":d",
            "doc_id": table["doc_id"],
            "level": "document",
            "position": 0,
            "paragraph": 0,
            "text": table["text"],
        }
    )
    return out
