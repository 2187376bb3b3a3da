"""Content keys: what a cached result depends on, hashed; never a timestamp.

A cached result is reused only when everything it was computed from is the same: the input
(documents' rows, or files' bytes), the parameters, and the code — :func:`code_fingerprint`
hashes the package's own source, its resources and shipped models, and the versions of the
libraries whose behaviour the measures depend on. Editing a dictionary, retraining a model or
upgrading scikit-learn therefore invalidates every cache; nothing else does.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

PACKAGE = Path(__file__).resolve().parents[1]
#: Libraries whose versions are part of the fingerprint (their behaviour shapes the results).
LIBRARIES = ("numpy", "pandas", "pyarrow", "scipy", "scikit-learn", "nltk", "vaderSentiment", "py3langid",
             "wordfreq", "simplemma", "trafilatura", "ftfy", "charset-normalizer")
_MIX = np.uint64(0x9E3779B97F4A7C15)


def file_digests(root: Path, files: list[Path]) -> list[tuple[str, str]]:
    """(path relative to ``root``, SHA-256 of the bytes) of each file, in the order given.

    ``root`` may be a file itself (then its name is the path). Files are read in 4 MB blocks.
    """
    out = []
    for f in files:
        rel = f.name if root.is_file() else f.relative_to(root).as_posix()
        h = hashlib.sha256()
        with open(f, "rb") as fh:
            for block in iter(lambda fh=fh: fh.read(1 << 22), b""):
                h.update(block)
        out.append((rel, h.hexdigest()))
    return out


def folder_fingerprint(folder: Path) -> str:
    """A key of every file under ``folder`` (relative paths and bytes), or ``"absent"``."""
    if not folder.is_dir():
        return "absent"
    return stable_key(file_digests(folder, sorted(p for p in folder.rglob("*") if p.is_file())))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A key (24 hex digits) of the package's files and the versions in :data:`LIBRARIES`.

    Computed once per process (about 10 ms): every ``*.py`` file, resource and shipped model
    under ``src/helpers``, in sorted path order (compiled files left out).
    """
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                   and p.suffix not in (".pyc", ".pyo"))
    versions = []
    for lib in LIBRARIES:
        try:
            versions.append(f"{lib}=={metadata.version(lib)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{lib}==-")
    return stable_key(file_digests(PACKAGE, files), versions)


def stable_key(*parts) -> str:
    """A short SHA-256 key of JSON-able parts (dict keys sorted; other objects by ``str``).

    >>> stable_key({"b": 1, "a": 2}) == stable_key({"a": 2, "b": 1})
    True
    """
    blob = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]


def document_keys(table: pd.DataFrame, by: str = "doc_id") -> pd.Series:
    """One content key per document of ``table``: its ``by`` value and a hash of all its rows.

    In: a table with a ``by`` column (a document's rows may be several, e.g. its sentences).
    Out: a Series indexed by the ``by`` values in order of first appearance, holding
    ``"<by value>|<16 hex digits>|<rows>"``. The hash covers every column and the rows' order
    within the document, so a changed sentence, a moved paragraph or a new column gives a new key.

    >>> t = pd.DataFrame({"doc_id": ["a", "a", "b"], "text": ["x", "y", "x"]})
    >>> keys = document_keys(t)
    >>> list(keys.index), keys["a"] != document_keys(t.iloc[[1, 0, 2]])["a"]
    (['a', 'b'], True)
    """
    if by not in table.columns:
        raise ValueError(f"document_keys needs a {by!r} column (got {list(table.columns)})")
    codes, uniques = pd.factorize(table[by], sort=False)
    if not len(table):
        return pd.Series([], index=pd.Index([], dtype=object), dtype=object)
    rows = _row_hashes(table)
    position = pd.Series(codes).groupby(codes).cumcount().to_numpy().astype(np.uint64)
    with np.errstate(over="ignore"):
        mixed = pd.util.hash_array(rows ^ (position * _MIX))
    acc = np.zeros(len(uniques), dtype=np.uint64)
    np.add.at(acc, codes, mixed)
    counts = np.bincount(codes, minlength=len(uniques))
    keys = [f"{u}|{a:016x}|{c}" for u, a, c in zip(uniques, acc, counts, strict=True)]
    return pd.Series(keys, index=pd.Index(uniques, dtype=object), dtype=object)


#: Rows hashed at a time by :func:`_row_hashes`: pandas encodes every string of a column to
#: UTF-8 at once, so one call on 4.5 M sentences with their texts held ~1.4 GB more (100k articles).
ROW_HASH_BLOCK = 250_000


def _row_hashes(table: pd.DataFrame) -> np.ndarray:
    """uint64 hash per row over all columns (column names included; odd values as their text).

    Each row's hash depends on that row alone, so hashing ``ROW_HASH_BLOCK`` rows at a time gives
    the same array; if any block holds odd values, every row is hashed as text, as in one call.
    """
    bounds = _block_bounds(table)
    blocks = [table.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)] or [table]
    try:
        rows = np.concatenate([_hash_rows(b) for b in blocks])
    except TypeError:  # lists, dicts or mixed objects in a column: hash their text instead
        rows = np.concatenate([_hash_rows(b.apply(lambda col: col.map(repr) if col.dtype == object else col))
                               for b in blocks])
    names = pd.util.hash_array(np.array([str(c) for c in table.columns], dtype=object))
    salt = np.bitwise_xor.reduce(names) if len(names) else np.uint64(0)
    return rows ^ salt


#: Characters of text hashed at a time by :func:`_row_hashes` (besides :data:`ROW_HASH_BLOCK`
#: rows): 250,000 rows of whole articles are 1.6 GB of text, and a corpus of 92,000 articles was
#: one block (each ``map_documents`` over the corpus's text: +0.9-1.1 GB while its keys were made).
ROW_HASH_CHARS = 32_000_000


def _block_bounds(table: pd.DataFrame) -> list[int]:
    """Row positions where the blocks of :func:`_row_hashes` start, and the end: every
    :data:`ROW_HASH_BLOCK` rows and, counted over the text columns, every :data:`ROW_HASH_CHARS`
    characters."""
    n = len(table)
    bounds = set(range(0, n, ROW_HASH_BLOCK)) | {n}
    text = [c for c in range(table.shape[1]) if isinstance(table.dtypes.iloc[c], pd.StringDtype)]
    if text and n:
        chars = np.zeros(n, dtype=np.int64)
        for c in text:
            chars += table.iloc[:, c].str.len().to_numpy(dtype=np.float64, na_value=0).astype(np.int64)
        total = np.cumsum(chars)
        cuts = np.searchsorted(total, np.arange(ROW_HASH_CHARS, total[-1], ROW_HASH_CHARS), side="right")
        bounds |= {int(c) for c in cuts if 0 < c < n}
    return sorted(bounds)


def _hash_rows(frame: pd.DataFrame) -> np.ndarray:
    return pd.util.hash_pandas_object(frame, index=False, categorize=False).to_numpy()
