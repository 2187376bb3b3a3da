"""Load a folder (or file) of coverage into the corpus table, with a load report.

>>> corpus, report = load_corpus("data/raw")          # doctest: +SKIP
>>> report[["source_path", "status", "reason", "n_docs"]]  # doctest: +SKIP

The corpus has one row per document and the columns in :data:`CORPUS_COLUMNS` (plus any
extra columns a table brought along). The report has one row per file found, whatever
happened to it, so nothing is lost silently.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

from . import readers
from .text import tokenize

CORPUS_COLUMNS = ["doc_id", "source_path", "format", "title", "outlet", "author", "date", "url",
                  "original_outlet", "original_author", "region", "theme", "lang", "text", "n_words",
                  "duplicate_of"]
REPORT_COLUMNS = ["source_path", "format", "status", "reason", "n_docs", "repairs"]
_STR_COLUMNS = [c for c in CORPUS_COLUMNS if c not in ("date", "n_words")]

#: Larger single-article files are skipped (a news article is kilobytes; 25 MB of text is a
#: dump or a mistake). Tables may be much larger: they hold many articles.
MAX_ARTICLE_MB = 25
MAX_TABLE_MB = 2048
#: Word 5-gram shingle Jaccard at or above which two documents count as near-duplicates.
NEAR_DUPLICATE_JACCARD = 0.8


class Loaded(NamedTuple):
    """What :func:`load_corpus` returns; unpack as ``corpus, report = load_corpus(path)``."""

    corpus: pd.DataFrame
    report: pd.DataFrame


def normalise_for_hash(text: str) -> str:
    """Lower-case word tokens joined by spaces: what makes two copies "the same text"."""
    return " ".join(tokenize(text, keep_numbers=True))


def make_doc_id(text: str, source: str = "", normalised: str | None = None) -> str:
    """Stable id: the first 12 hex digits of SHA-1 over the normalised text and the source."""
    norm = normalise_for_hash(text) if normalised is None else normalised
    return hashlib.sha1(f"{norm}\x00{source.strip().lower()}".encode()).hexdigest()[:12]


_ENGLISH_MARKERS = frozenset({"the", "and", "of", "to", "in", "is", "that", "for", "on", "with", "was", "as", "by",
                              "it", "at"})


def _detect_lang(normalised: str) -> str:
    """"en" when at least 12 % of the first 500 tokens are common English function words,
    "und" (undetermined) otherwise, "" for texts too short to tell."""
    toks = normalised.split(" ", 500)[:500]
    if len(toks) < 5:
        return ""
    return "en" if sum(t in _ENGLISH_MARKERS for t in toks) / len(toks) >= 0.12 else "und"


def _iter_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted((p for p in root.rglob("*") if p.is_file()), key=lambda p: p.relative_to(root).as_posix())


def _records_from_file(path: Path, rel: str) -> tuple[list[dict], dict]:
    """Parse one file: (records, report row). Never raises for bad content."""
    row = {"source_path": rel, "format": "", "status": "loaded", "reason": "", "n_docs": 0, "repairs": ""}

    def skip(status: str, reason: str):
        row.update(status=status, reason=reason)
        return [], row

    if any(part.startswith(".") for part in Path(rel).parts):
        return skip("skipped", "hidden file (name starts with '.')")
    try:
        size = path.stat().st_size
    except OSError as err:
        return skip("failed", f"cannot read file: {err.strerror}")
    if size == 0:
        return skip("skipped", "empty file (0 bytes)")
    limit = max(MAX_TABLE_MB, MAX_ARTICLE_MB)
    if size > limit * 1024 * 1024:
        return skip("skipped", f"file is {size / 1024 / 1024:.1f} MB, over the {limit} MB limit for any input")
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
            is_table_sized = size > MAX_ARTICLE_MB * 1024 * 1024
            data = None if is_table_sized else head + fh.read()
    except OSError as err:
        return skip("failed", f"cannot read file: {err.strerror}")
    text, repairs, head_text = None, [], None
    if head.startswith(b"PAR1"):
        pass
    elif data is not None:
        try:
            text, repairs = readers.decode_bytes(data)
            head_text = text[:65536]
        except readers.UnreadableFile as err:
            if readers.looks_binary(head):
                head_text = None
            else:
                row["format"] = readers.detect_format(path, head, head.decode("utf-8", "replace"))
                return skip("failed", str(err))
    elif not readers.looks_binary(head):
        head_text = head.decode("utf-8", errors="replace")
    fmt = readers.detect_format(path, head, head_text)
    row["format"] = fmt
    if fmt == "binary":
        return skip("skipped", f"binary file ({path.suffix or 'no suffix'}), not a supported text, HTML or table format")
    if size > MAX_ARTICLE_MB * 1024 * 1024 and fmt not in readers.TABLE_FORMATS:
        return skip("skipped", f"file is {size / 1024 / 1024:.1f} MB, over the {MAX_ARTICLE_MB} MB limit for a "
                               f"single article; split it or raise helpers.corpus.MAX_ARTICLE_MB")
    notes: list[str] = []
    if fmt != "parquet":
        if text is None:  # a large table: read it whole now
            try:
                text, repairs = readers.decode_bytes(path.read_bytes())
            except (OSError, readers.UnreadableFile) as err:
                return skip("failed", str(err))
        row["repairs"] = "; ".join(repairs)
        if not text.strip():
            return skip("skipped", "file holds only whitespace")
    records: list[dict] = []
    try:
        if fmt in readers.TABLE_FORMATS:
            table = readers.read_table(path, fmt, text)
            if table.empty:
                return skip("skipped", "table has no rows")
            table, _ = readers.map_columns(table)
            table["text"] = table["text"].fillna("").astype(str).str.strip()
            empty = table.index[table["text"] == ""]
            if len(empty):
                shown = ", ".join(str(i + 1) for i in empty[:10]) + (" …" if len(empty) > 10 else "")
                notes.append(f"{len(empty)} row(s) with empty text skipped (data rows {shown})")
            for i, rec in enumerate(table.drop(index=empty).to_dict("records")):
                rec["_row"] = i
                records.append(rec)
        elif fmt == "aggregator":
            rec, notes = readers.parse_aggregator(text)
            records = [rec]
        elif fmt == "html":
            rec, notes = readers.parse_html(text)
            records = [rec]
        else:
            rec, notes = readers.parse_plaintext(text, markdown=fmt == "markdown")
            records = [rec]
    except readers.TableError as err:
        return skip("failed", str(err))
    except Exception as err:  # a reader bug must not stop the other files
        return skip("failed", f"{type(err).__name__} while parsing as {fmt}: {err}")
    records = [r for r in records if isinstance(r.get("text"), str) and r["text"].strip()]
    if not records:
        return skip("skipped", "; ".join(notes) or "no article text found")
    for r in records:
        r["source_path"] = rel
        r["format"] = fmt
    row["n_docs"] = len(records)
    row["reason"] = "; ".join(notes)
    return records, row


def _to_datetime(values: pd.Series) -> pd.Series:
    """Parse mixed date values (strings, timestamps, time zones) to naive UTC datetime64[ns]."""
    cleaned = values.map(lambda v: None if v is None or v is pd.NaT or (isinstance(v, str) and not v.strip())
                         or (isinstance(v, float) and np.isnan(v)) else str(v))
    parsed = pd.to_datetime(cleaned, errors="coerce", utc=True, format="mixed")
    return parsed.dt.tz_convert(None).astype("datetime64[ns]")


def canonical_outlets(outlets: pd.Series) -> pd.Series:
    """Merge spellings of one outlet that differ only in case, spacing, punctuation or a leading
    "The" ("Breitbart"/"breitbart", "The Guardian"/"theguardian") to one spelling: the most
    human-formatted (capitals and spaces, as an outlet writes its own name), then the most
    frequent, then alphabetical. "" stays "".

    >>> canonical_outlets(pd.Series(["The Guardian", "theguardian", "RT", "rt", "RT"])).tolist()
    ['The Guardian', 'The Guardian', 'RT', 'RT', 'RT']
    """
    def key(name: str) -> str:
        k = re.sub(r"[^0-9a-z]+", "", name.lower())
        return k[3:] if k.startswith("the") and len(k) > 3 else k

    counts = outlets[outlets != ""].value_counts()
    best: dict[str, str] = {}
    for name in sorted(counts.index, key=lambda n: (-sum(c.isupper() or c == " " for c in n), -counts[n], n)):
        best.setdefault(key(name), name)
    return outlets.map(lambda n: best.get(key(n), n) if n else n)


def flag_duplicates(corpus: pd.DataFrame, threshold: float = NEAR_DUPLICATE_JACCARD,
                    normalised: list[str] | None = None) -> pd.Series:
    """``duplicate_of`` for each document: the doc_id of the earliest copy, or "".

    Two documents are copies when the Jaccard similarity of their word 5-gram shingles is at
    least ``threshold`` (exact copies score 1). Copies are grouped transitively; the earliest
    (by date, unknown dates last, then by source path) is the original and gets "".
    """
    n = len(corpus)
    out = pd.Series([""] * n, index=corpus.index, dtype=object)
    if n < 2:
        return out
    norm = normalised if normalised is not None else [normalise_for_hash(t) for t in corpus["text"]]
    x = _shingle_matrix(norm)
    sizes = np.asarray(x.sum(axis=1)).ravel()
    inter = (x @ x.T).tocoo()
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, v in zip(inter.row, inter.col, inter.data, strict=True):
        if i < j:
            union = sizes[i] + sizes[j] - v
            if union > 0 and v / union >= threshold:
                parent[find(i)] = find(j)
    order = corpus.assign(_d=corpus["date"].fillna(pd.Timestamp.max)).reset_index(drop=True)
    rank = order.sort_values(["_d", "source_path"], kind="stable").index.tolist()
    first: dict[int, int] = {}
    for pos in rank:
        root = find(pos)
        if root in first:
            out.iloc[pos] = corpus["doc_id"].iloc[first[root]]
        else:
            first[root] = pos
    return out


def _shingle_matrix(normalised: list[str], k: int = 5) -> csr_matrix:
    """Binary documents x word-k-gram-shingles matrix (texts shorter than k: one shingle)."""
    split = [s.split() for s in normalised]
    lengths = np.fromiter((len(w) for w in split), dtype=np.int64, count=len(split))
    codes = pd.factorize(pd.Series([w for ws in split for w in ws], dtype=object))[0].astype(np.uint64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    rows, cols = [], []
    for i in range(len(normalised)):
        ids = codes[offsets[i]:offsets[i + 1]]
        if len(ids) == 0:
            continue
        if len(ids) < k:
            ids = np.concatenate([ids, np.full(k - len(ids), np.uint64(2**63 - 1), dtype=np.uint64)])
        # polynomial hash of each window of k word ids; uint64 wrap-around is intended
        h = np.zeros(len(ids) - k + 1, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for j in range(k):
                h = h * np.uint64(1_000_003) + ids[j:len(ids) - k + 1 + j]
        h = np.unique(h)
        rows.append(np.full(len(h), i))
        cols.append(h)
    if not rows:
        return csr_matrix((len(normalised), 1), dtype=np.float32)
    all_cols = np.concatenate(cols)
    uniq, inv = np.unique(all_cols, return_inverse=True)
    return csr_matrix((np.ones(len(all_cols), dtype=np.float32), (np.concatenate(rows), inv)),
                      shape=(len(normalised), len(uniq)))


def load_corpus(path: str | os.PathLike | None = None, progress: bool = False) -> Loaded:
    """Read every file under ``path`` (a folder, recursively, or one file) into a corpus.

    Returns ``Loaded(corpus, report)``. ``corpus`` columns: see :data:`CORPUS_COLUMNS` —
    ``doc_id`` (stable hash of normalised text and outlet), ``source_path`` (relative to
    ``path``), ``format``, ``title``, ``outlet`` (who published this copy), ``author``,
    ``date`` (datetime64, NaT if unknown), ``url``, ``original_outlet``/``original_author``
    (for reposts), ``region``, ``theme``, ``lang``, ``text`` (body only), ``n_words``,
    ``duplicate_of`` (doc_id of the earliest copy of an exact or near duplicate, else "");
    extra columns from tables are kept. ``report``: one row per file with ``source_path``,
    ``format``, ``status`` (loaded/skipped/failed), ``reason``, ``n_docs``, ``repairs``.

    Raises ``FileNotFoundError`` only when ``path`` itself does not exist.
    """
    from .config import resolve_data

    root = resolve_data(path)
    if not root.exists():
        raise FileNotFoundError(f"no such file or folder: {root} (pass a folder of articles or one file)")
    files = _iter_files(root)
    iterator = files
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(files, desc="loading", unit="file")
    records, rows = [], []
    for f in iterator:
        rel = f.name if root.is_file() else f.relative_to(root).as_posix()
        recs, row = _records_from_file(f, rel)
        records.extend(recs)
        rows.append(row)
    report = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    corpus = pd.DataFrame(records)
    for col in CORPUS_COLUMNS:
        if col not in corpus.columns:
            corpus[col] = "" if col in _STR_COLUMNS else None
    if corpus.empty:
        corpus = pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "date" else ("int64" if c == "n_words" else object))
                               for c in CORPUS_COLUMNS})
        return Loaded(corpus, report)
    for col in _STR_COLUMNS:
        corpus[col] = corpus[col].fillna("").astype(str).str.strip()
    corpus["text"] = corpus["text"].map(lambda t: re.sub(r"[ \t]+\n", "\n", t))
    merged = canonical_outlets(corpus["outlet"])
    if (merged != corpus["outlet"]).any():
        corpus["outlet_raw"] = corpus["outlet"]  # keep the spelling as given, for provenance
        corpus["outlet"] = merged
    corpus["date"] = _to_datetime(corpus["date"])
    norms = [normalise_for_hash(t) for t in corpus["text"]]
    corpus["lang"] = [lang or _detect_lang(n) for lang, n in zip(corpus["lang"], norms, strict=True)]
    corpus["n_words"] = [n.count(" ") + 1 if n else 0 for n in norms]
    ids = [make_doc_id(t, o, n) for t, o, n in zip(corpus["text"], corpus["outlet"], norms, strict=True)]
    seen: dict[str, int] = {}
    for i, d in enumerate(ids):  # the same text from the same outlet twice: keep ids unique
        seen[d] = seen.get(d, 0) + 1
        if seen[d] > 1:
            ids[i] = f"{d}-{seen[d]}"
    corpus["doc_id"] = ids
    corpus["duplicate_of"] = flag_duplicates(corpus, normalised=norms)
    corpus = corpus.drop(columns=[c for c in ("_row",) if c in corpus.columns])
    extra = [c for c in corpus.columns if c not in CORPUS_COLUMNS]
    corpus = corpus[CORPUS_COLUMNS + extra].reset_index(drop=True)
    n_dup = int((corpus["duplicate_of"] != "").sum())
    if n_dup:
        by_file = corpus.loc[corpus["duplicate_of"] != ""].groupby("source_path").size().to_dict()
        notes = [f"{by_file[p]} document(s) flagged as duplicate copies (kept, see duplicate_of)" if p in by_file else ""
                 for p in report["source_path"]]
        report["reason"] = [f"{r}; {n}" if r and n else (r or n) for r, n in zip(report["reason"], notes, strict=True)]
    return Loaded(corpus, report)


def corpus_fingerprint(path: str | os.PathLike) -> str:
    """SHA-256 over every file's relative path and bytes: identical inputs, identical hash."""
    root = Path(path)
    h = hashlib.sha256()
    for f in _iter_files(root):
        rel = f.name if root.is_file() else f.relative_to(root).as_posix()
        h.update(rel.encode() + b"\x00")
        with open(f, "rb") as fh:
            for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\x00")
    return h.hexdigest()


def provenance_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """Who reposted whom: ``outlet``, ``author``, ``original_outlet``, ``original_author``,
    ``n_docs``, ``first_date``, ``last_date`` (empty strings for unknown parties)."""
    cols = ["outlet", "author", "original_outlet", "original_author"]
    if corpus.empty:
        return pd.DataFrame(columns=cols + ["n_docs", "first_date", "last_date"])
    g = corpus.groupby(cols, dropna=False, sort=True)
    return g.agg(n_docs=("doc_id", "size"), first_date=("date", "min"), last_date=("date", "max")).reset_index()


def duplicate_groups(corpus: pd.DataFrame) -> pd.DataFrame:
    """One row per copy: ``original`` (doc_id), ``duplicate`` (doc_id), both sources and titles."""
    dups = corpus.loc[corpus["duplicate_of"] != "", ["doc_id", "duplicate_of", "source_path", "title", "outlet"]]
    orig = corpus[["doc_id", "source_path", "title", "outlet"]].rename(
        columns={"doc_id": "duplicate_of", "source_path": "source_path_original", "title": "title_original",
                 "outlet": "outlet_original"})
    out = dups.merge(orig, on="duplicate_of", how="left")
    return out.rename(columns={"doc_id": "duplicate", "duplicate_of": "original"}).reset_index(drop=True)
