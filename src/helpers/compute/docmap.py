"""Run a per-document measure over a whole table: cached by content, in parallel, in order.

>>> import pandas as pd
>>> from helpers.compute.docmap import _demo_lengths
>>> t = pd.DataFrame({"doc_id": ["a", "b", "a"], "text": ["xx", "y", "zzz"]})
>>> map_documents(_demo_lengths, t, name="demo.lengths", cache=False, workers=1)
  doc_id  chars
0      a      2
1      a      3
2      b      1
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from .backends import configured_workers, run_chunks
from .keys import code_fingerprint, document_keys, stable_key
from .store import (
    DOC_KEY_COLUMN,
    cache_root,
    measure_dir,
    read_parts,
    roundtrip,
    warn_unwritable,
    write_part,
)

#: Documents per chunk unless told otherwise (also the granularity of cache parts).
CHUNK_DOCS = 500
#: Below this many documents to compute, work stays in this process unless ``workers`` is given:
#: starting worker processes (each imports the package) costs more than it saves.
PARALLEL_MIN_DOCS = 1000


def map_documents(func: Callable[[pd.DataFrame], pd.DataFrame], table: pd.DataFrame, *, name: str,
                  params: dict | None = None, by: str = "doc_id", columns: list[str] | None = None,
                  chunk_docs: int | None = None, workers: int | None = None, cache: bool = True,
                  progress: bool = True) -> pd.DataFrame:
    """``func(table)``, computed document by document: cached documents reused, the rest in parallel.

    ``func`` must be a module-level function (it may be sent to other processes) that is
    document-separable: on the rows of any set of documents it gives exactly those documents'
    output rows, each carrying the ``by`` column, in document order (each document's rows
    together in ``table``, as in a corpus or a units table). ``columns`` are the columns ``func`` reads
    (default: all; naming them keeps unrelated column changes from invalidating the cache).
    ``name`` and ``params`` (JSON-able) name the measure and its settings in the cache key,
    together with the documents' content and :func:`code_fingerprint`.

    Out: the rows of every document, documents in their order in ``table``, each document's
    rows in ``func``'s order, index 0..n-1 — the same table as ``func(table)`` for such a
    function (tests check this for every measure routed here), whether rows came from the
    cache, local worker processes or a Dask cluster.
    """
    if by not in table.columns:
        raise ValueError(f"map_documents: the table has no {by!r} column (columns: {list(table.columns)})")
    if columns is not None:
        table = table[list(dict.fromkeys([by, *columns]))]
    keys = document_keys(table, by)
    root = cache_root() if cache else None
    folder = measure_dir(root, name, stable_key(name, params or {}, by, code_fingerprint())) if root else None
    cached, found = read_parts(folder, set(keys)) if folder is not None else ([], set())
    todo = [k for k in keys.index if keys[k] not in found]
    fresh = _compute(func, table, keys, todo, by, folder, chunk_docs, workers, name, progress)
    return _assemble(cached + fresh, keys, by, func, table)


def _chunks(table: pd.DataFrame, doc_ids: list, by: str, chunk_docs: int) -> _Chunks:
    """The rows of ``doc_ids`` in ``chunk_docs``-document chunks (row order kept within each),
    each chunk made when it is read (:class:`_Chunks`)."""
    if not doc_ids:
        return _Chunks(table, [])
    wanted = pd.Series(range(len(doc_ids)), index=pd.Index(doc_ids, dtype=object))
    rank = table[by].map(wanted).to_numpy(dtype=float, na_value=np.nan)
    kept = np.flatnonzero(~np.isnan(rank))  # positions of the wanted rows, in table order
    chunk_of = rank[kept].astype(np.int64) // chunk_docs
    order = np.argsort(chunk_of, kind="stable")  # by chunk; table order within a chunk
    starts = np.flatnonzero(np.diff(chunk_of[order], prepend=-1))  # where each (non-empty) chunk starts
    return _Chunks(table, np.split(kept[order], starts[1:]))


class _Chunks(Sequence):
    """Chunks of a table, each made from its row positions when it is read: a run of consecutive
    rows (every chunk of a cold run over a table in document order) is a slice, which copies no
    column, else a take. The chunks were made all at once before (a groupby), a copy of every
    column read (at 100,000 articles the corpus's text, 0.66 GB, or the sentences', held beside
    the table for the whole step); now at most the chunks being worked on exist, and a slice sent to
    a worker process pickles its own rows only. The same frames as that groupby's
    (``tests/test_s20_lead_chunks.py``)."""

    def __init__(self, table: pd.DataFrame, positions: list[np.ndarray]):
        self._table, self._positions = table, positions

    def __len__(self) -> int:
        return len(self._positions)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return _Chunks(self._table, self._positions[i])
        p = self._positions[i]
        if p[-1] - p[0] + 1 == len(p):  # ascending positions: consecutive rows
            return self._table.iloc[int(p[0]):int(p[-1]) + 1]
        return self._table.take(p)

    def documents(self, i: int, by: str) -> np.ndarray:
        """``pd.unique(self[i][by])``, without making the chunk's other columns."""
        p = self._positions[i]
        return pd.unique(self._table[by].take(p).to_numpy())


def _default_chunk_docs(n_docs: int, workers: int | None) -> int:
    per_worker = -(-n_docs // max(1, 4 * configured_workers(workers)))  # at least 4 chunks per worker
    return max(20, min(CHUNK_DOCS, per_worker))


def _compute(func, table, keys, todo, by, folder, chunk_docs, workers, name, progress) -> list[pd.DataFrame]:
    """Compute the ``todo`` documents chunk by chunk; store each chunk's rows; return them (with keys)."""
    chunk_docs = chunk_docs or _default_chunk_docs(len(todo), workers)
    chunks = _chunks(table, todo, by, chunk_docs)
    if workers is None and len(todo) < PARALLEL_MIN_DOCS:
        workers = 1
    out = []
    for i, rows in enumerate(run_chunks(func, chunks, workers=workers, desc=name, progress=progress)):
        rows = _checked(rows, by, name)
        chunk_keys = [keys[d] for d in chunks.documents(i, by)]
        rows = rows.assign(**{DOC_KEY_COLUMN: rows[by].map(keys).to_numpy()})
        back = roundtrip(rows) if folder is not None else None
        if back is not None:
            part = hashlib.sha256("\n".join(chunk_keys).encode()).hexdigest()[:24]
            try:
                write_part(folder, rows, chunk_keys, part)
            except OSError as err:
                warn_unwritable(err, str(folder))
                folder = None
            rows = back
        elif folder is not None:
            warnings.warn(f"{name}: rows do not survive Parquet unchanged, not cached", stacklevel=3)
            folder = None
        out.append(rows)
    return out


def _checked(rows, by: str, name: str) -> pd.DataFrame:
    if not isinstance(rows, pd.DataFrame) or by not in rows.columns:
        raise TypeError(f"{name}: the function must return a DataFrame with a {by!r} column")
    return rows


def _assemble(frames: list[pd.DataFrame], keys: pd.Series, by: str, func, table) -> pd.DataFrame:
    """Concatenate the parts and order the rows by the documents' order in the input."""
    nonempty = [f for f in frames if len(f)]
    if not nonempty:
        empty = frames[0] if frames else func(table.iloc[:0])
        return empty.drop(columns=[DOC_KEY_COLUMN], errors="ignore").iloc[:0].reset_index(drop=True)
    order = pd.Series(range(len(keys)), index=pd.Index(keys.to_numpy(), dtype=object))
    ranks = [f[DOC_KEY_COLUMN].map(order).to_numpy() for f in nonempty]
    # parts by their first document: cached parts are read in file order, and rows out of order
    # are reordered by a take of every column (Arrow joins a text column's chunks and doubles its
    # output); in order, the stable argsort below is the identity, which pandas does not copy
    seq = sorted(range(len(nonempty)), key=lambda i: ranks[i][0])
    rank = np.concatenate([ranks[i] for i in seq])
    nonempty = [nonempty[i] for i in seq]
    rows = nonempty[0] if len(nonempty) == 1 else pd.concat(nonempty, ignore_index=True)
    rows = rows.iloc[pd.Series(rank).argsort(kind="stable").to_numpy()]
    return rows.drop(columns=[DOC_KEY_COLUMN]).reset_index(drop=True)


def _demo_lengths(part: pd.DataFrame) -> pd.DataFrame:
    """Doctest helper: characters per row."""
    return pd.DataFrame({"doc_id": part["doc_id"], "chars": part["text"].str.len()}).reset_index(drop=True)

