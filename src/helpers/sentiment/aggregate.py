"""Aggregation of scored units: tone by group with bootstrap intervals, and the units behind it.

:func:`aggregate_sentiment` gives one unit and one scale per column, named so: the mean of the
document means of one score (``mean_compound_per_document``, ``mean_p_pos_minus_p_neg_per_document``
— a lexicon's compound and a model's probability difference are never averaged together), the
shares of negative and positive units (``share_negative_sentences``, ``share_positive_mentions``),
the counts of documents and units; the interval resamples documents. :func:`evidence` returns
the most negative and most positive units behind a number.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..agreement import bootstrap_mean_ci
from ..compute import filter_rows
from ..config import SEED


def _unit_name(scores: pd.DataFrame, unit: str | None) -> str:
    """The counted unit: given, else "mention" for mention tables, else the table's ``level``."""
    if unit:
        return unit
    if "mention_id" in scores.columns:
        return "mention"
    if "level" in scores.columns and scores["level"].nunique() == 1:
        return str(scores["level"].iloc[0])
    return "unit"


def _check_table(scores: pd.DataFrame, by: list[str], value: str) -> None:
    missing = [c for c in [*by, value, "doc_id"] if c not in scores.columns]
    if missing:
        raise ValueError(
            f"aggregate_sentiment: columns {missing} not in the table "
            f"({list(scores.columns)}); merge them from the corpus on doc_id first (the interval "
            "resamples documents, so every unit needs its doc_id)"
        )
    if "method" in scores.columns and scores["method"].nunique() > 1:
        raise ValueError(
            f"aggregate_sentiment: the table mixes scorers {sorted(scores['method'].unique())}, "
            "whose scores have different scales; aggregate each method on its own"
        )


def aggregate_sentiment(
    scores: pd.DataFrame,
    by: str | Sequence[str] = (),
    value: str = "compound",
    unit: str | None = None,
    one_per_story: bool = True,
    n_boot: int = 1000,
    random_state: int = SEED,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Tone by group: the mean of document means of one score, with an interval over documents.

    Sentences (or mentions) of one article share an author and a slant, so each document's
    units are averaged first and the 95 % interval resamples *documents* (percentile
    bootstrap, :func:`helpers.agreement.bootstrap_mean_ci`), never units. With a
    ``duplicate_of`` column (from the corpus) flagged copies are left out first, so a reposted
    story counts once (``one_per_story=False`` keeps them).

    In: a scored table with ``doc_id``, ``value`` and the ``by`` columns (join ``outlet``/``date``
    from the corpus first), one scorer only (a ``method`` column with two values is an error).
    Out, one row per group: the ``by`` columns, ``n_documents``, ``n_<unit>s``,
    ``mean_<value>_per_document`` with its ``ci_low``/``ci_high``, and, when the table has
    ``polarity``, ``share_negative_<unit>s``/``share_positive_<unit>s`` (shares of units,
    pooled). ``unit`` defaults to "mention" for mention tables, else the ``level`` column
    ("sentence", "paragraph", "document"). Groups with one document get an interval of zero
    width: read ``n_documents`` before comparing.

    >>> t = pd.DataFrame({"doc_id": list("aabb"), "outlet": ["X"] * 4, "compound": [0.1, 0.3, -0.2, 0.0]})
    >>> aggregate_sentiment(t, "outlet", unit="sentence", n_boot=200)[
    ...     ["outlet", "n_documents", "n_sentences", "mean_compound_per_document"]].values.tolist()
    [['X', 2, 4, 0.05]]
    """
    by = [by] if isinstance(by, str) else list(by)
    _check_table(scores, by, value)
    unit = _unit_name(scores, unit)
    # only the columns read below: each group's rows are taken column by column, and a table of
    # sentences carries long text and driver columns that no number here needs
    read = [c for c in dict.fromkeys([*by, "doc_id", value, "polarity", "duplicate_of"]) if c in scores.columns]
    # the rows kept, found on the two columns that decide, then the read columns taken once (at
    # 100k articles, 4.5 M sentences: a copy per step, and ``astype(str)`` a Python string per row)
    keep = scores[value].notna().to_numpy()
    if one_per_story and "duplicate_of" in scores.columns:
        keep = keep & _not_a_copy(scores["duplicate_of"])
    data = scores[read] if keep.all() else filter_rows(scores[read], keep)
    mean_col = f"mean_{value}_per_document"
    cols = [*by, "n_documents", f"n_{unit}s", mean_col, "ci_low", "ci_high"]
    if "polarity" in data.columns:
        cols += [f"share_negative_{unit}s", f"share_positive_{unit}s"]
    cols = list(dict.fromkeys(cols))  # unit "document": n_documents once
    if data.empty:
        return pd.DataFrame(columns=cols)
    # each group's rows as positions, its documents as integer codes: the groups were taken whole
    # (their text columns copied: doc_id, the group's name), at 100k articles +0.5 GB per call
    docs = pd.factorize(data["doc_id"], sort=False)[0]  # missing doc_id: -1, left out of the means
    values = data[value]
    polarity = pd.to_numeric(data["polarity"], errors="coerce") if "polarity" in data.columns else None
    rows = []
    for key, at in _group_rows(data, by):
        doc_means = _document_means(values.iloc[at], docs[at])
        lo, hi = bootstrap_mean_ci(doc_means, n_boot=n_boot, random_state=random_state, alpha=alpha)
        row = dict(zip(by, key, strict=True))
        row.update({"n_documents": len(doc_means), f"n_{unit}s": len(at),
                    mean_col: float(np.mean(doc_means)) if len(doc_means) else np.nan,
                    "ci_low": lo, "ci_high": hi})
        if polarity is not None:
            pol = polarity.iloc[at]
            row[f"share_negative_{unit}s"] = float((pol == -1).mean())
            row[f"share_positive_{unit}s"] = float((pol == 1).mean())
        rows.append(row)
    return pd.DataFrame(rows, columns=cols)


def _group_rows(data: pd.DataFrame, by: list[str], dropna: bool = False):
    """``(key tuple, row positions)`` of each group of ``data.groupby(by, dropna=dropna, sort=True)``,
    in its order, positions in table order (the rows of each group it yields); no ``by``: one group."""
    if not by:
        yield (), np.arange(len(data))
        return
    grouped = data[by].groupby(by, dropna=dropna, sort=True)
    number = grouped.ngroup().to_numpy()  # rows of no group (dropna, a missing key): NaN, sorted last
    order = np.argsort(number, kind="stable")
    starts = np.searchsorted(number[order], np.arange(grouped.ngroups + 1))
    for j, key in enumerate(grouped.size().index):
        yield (key if isinstance(key, tuple) else (key,)), order[starts[j]:starts[j + 1]]


def _document_means(values: pd.Series, docs: np.ndarray) -> np.ndarray:
    """``groupby("doc_id", sort=False)[value].mean()`` of one group, on the documents' codes (rows
    without a document left out, as groupby leaves them)."""
    has_doc = docs >= 0
    if not has_doc.all():
        values, docs = values[has_doc], docs[has_doc]
    return values.groupby(docs, sort=False).mean().to_numpy()


def _not_a_copy(duplicate_of: pd.Series) -> np.ndarray:
    """``duplicate_of.fillna("").astype(str) == ""`` without a string per row: missing or empty."""
    empty = (duplicate_of == "").to_numpy(dtype=bool, na_value=False)
    return empty | duplicate_of.isna().to_numpy()


def evidence(
    scores: pd.DataFrame,
    value: str = "compound",
    n: int = 5,
    where: dict | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The units behind a number: the ``n`` most negative and ``n`` most positive rows.

    ``where`` filters first, e.g. ``{"outlet": "Global Research", "target": "China"}``, so one
    call shows the sentences behind a bar of a figure. Out: the chosen ``columns`` (default:
    whatever of ``doc_id, outlet, target, mention, text, value, drivers`` exists) plus
    ``extreme`` ("most negative"/"most positive"), sorted by ``value``.

    >>> t = pd.DataFrame({"doc_id": list("abc"), "text": ["x", "y", "z"], "compound": [-0.5, 0.1, 0.9]})
    >>> evidence(t, n=1)["text"].tolist()
    ['x', 'z']
    """
    data = scores
    for col, want in (where or {}).items():
        if col not in data.columns:
            raise ValueError(f"evidence: no column {col!r} to filter on ({list(data.columns)})")
        data = data[data[col].isin(want if isinstance(want, (list, tuple, set)) else [want])]
    if columns is None:
        columns = [
            c
            for c in (
                "doc_id",
                "outlet",
                "date",
                "target",
                "mention",
                "text",
                "sentence",
                value,
                "polarity",
                "drivers",
            )
            if c in data.columns
        ]
    low, high = _extreme_rows(data, value, n)
    low, high = low.assign(extreme="most negative"), high.assign(extreme="most positive")
    high = high[high[value] > 0]
    low = low[low[value] < 0]
    out = pd.concat([low, high.sort_values(value)])
    return out[[*columns, "extreme"]].reset_index(drop=True)


def _extreme_rows(data: pd.DataFrame, value: str, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of ``data.dropna(subset=[value]).nsmallest(n, value)`` and of the ``nlargest(n,
    value)`` of what is left once those rows' labels are dropped, found on the value column alone:
    no copy of a table of millions of sentences (those calls copied it three times)."""
    labels = data.index
    values = data[value].to_numpy()
    kept = np.flatnonzero(pd.notna(values))  # positions of the rows with a value
    low = pd.Series(values[kept]).nsmallest(n).index.to_numpy()  # as DataFrame.nsmallest: ties keep the first
    rest = kept[~labels[kept].isin(labels[kept[low]])]
    high = pd.Series(values[rest]).nlargest(n).index.to_numpy()
    return _rows_at(data, kept[low]), _rows_at(data, rest[high])


def _rows_at(data: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
    """``data.take(positions)`` for a few rows, as one-row slices: Arrow's take on a text column
    first joins the column's chunks (at 100k articles, the sentences' text: +0.5-0.9 GB in the
    sentiment kernel's evidence cell, the report's memory peak); a slice is a view."""
    if not len(positions):
        return data.take(positions)
    return pd.concat([data.iloc[p:p + 1] for p in positions.tolist()])


def top_rows(table: pd.DataFrame, n: int, by: str = "n_documents") -> pd.DataFrame:
    """The ``n`` rows with the largest ``by`` (ties: the earlier row), in the table's order: what a
    page shows of a long table whose CSV holds every row. Tables of ``n`` rows or fewer come back
    whole.

    >>> t = pd.DataFrame({"outlet": list("abc"), "n_documents": [1, 5, 3]})
    >>> top_rows(t, 2)["outlet"].tolist()
    ['b', 'c']
    """
    if len(table) <= n:
        return table
    return table.loc[table[by].nlargest(n, keep="first").index.sort_values()]


def pool_other_groups(scores: pd.DataFrame, column: str, n: int) -> pd.DataFrame:
    """``scores`` with every value of ``column`` outside the ``n`` with most documents replaced
    by one ``"other (k <column>s)"`` group, so a figure of many groups stays legible (the full
    per-group table is the one to save as CSV). Ties in documents go to the earlier name.

    >>> t = pd.DataFrame({"doc_id": list("abcd"), "outlet": ["X", "X", "Y", "Z"]})
    >>> pool_other_groups(t, "outlet", 1)["outlet"].tolist()
    ['X', 'X', 'other (2 outlets)', 'other (2 outlets)']
    """
    docs = scores.groupby(column, sort=True)["doc_id"].nunique()
    if len(docs) <= n:
        return scores
    ranked = docs.sort_values(ascending=False, kind="stable")
    rest = set(ranked.index[n:])
    label = f"other ({len(rest)} {column}s)"
    return scores.assign(**{column: _pooled(scores[column], rest, label)})


def _pooled(column: pd.Series, rest: set, label: str) -> pd.Series:
    """``column.astype(object)`` with the values in ``rest`` replaced by ``label``, made from the
    column's distinct values: ``astype(object)`` of an Arrow text column made a Python string per
    row (at 100k articles 4.5 M sentences' outlet, ~0.3 GB)."""
    if column.dtype == object:  # Python objects already: the replacement as it was written
        values = column.astype(object)
        return values.where(~values.isin(rest), label)
    codes, uniques = pd.factorize(column, sort=False)
    names = np.asarray(uniques, dtype=object)
    names = np.where(pd.Index(names).isin(rest), label, names).astype(object)
    if (codes < 0).any():  # missing values stay as astype(object) gives them (NaN or NA)
        first = int(np.flatnonzero(codes < 0)[0])
        names = np.append(names, column.iloc[first:first + 1].astype(object).to_numpy())
    return pd.Series(names[codes], index=column.index, dtype=object, name=column.name)


def with_document_columns(units: pd.DataFrame, table: pd.DataFrame, on: str = "doc_id") -> pd.DataFrame:
    """``units.merge(table, on=on, how="left")``, the same table, without copying ``units``.

    When every ``on`` value of ``units`` is in ``table`` once (a corpus's documents), the result
    shares ``units``' columns (copy-on-write: nothing is copied until one side is changed) and
    takes ``table``'s other columns row by row; else it is the merge itself. At 100k articles
    the notebook's sentence table (4.5 M rows of ids and drivers) was copied whole by the merge.

    >>> u = pd.DataFrame({"doc_id": ["a", "b", "a"], "compound": [0.1, -0.2, 0.3]})
    >>> with_document_columns(u, pd.DataFrame({"doc_id": ["b", "a"], "outlet": ["Y", "X"]}))["outlet"].tolist()
    ['X', 'Y', 'X']
    """
    other = [c for c in table.columns if c != on]
    keys = pd.Index(table[on])
    if (set(other) & set(units.columns) or not keys.is_unique or units[on].dtype != table[on].dtype
            or units.columns.has_duplicates):
        return units.merge(table, on=on, how="left")
    where = keys.get_indexer(units[on])
    if (where < 0).any():
        return units.merge(table, on=on, how="left")
    out = units.copy(deep=False)
    out.index = pd.RangeIndex(len(out))
    for c in other:
        out[c] = table[c].take(where).to_numpy() if isinstance(table[c].dtype, np.dtype) else table[c].array.take(where)
    return out

