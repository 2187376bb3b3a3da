"""Load a folder (or file) of coverage into the corpus table, with a load report.

:func:`load_corpus` reads each file (:mod:`.files`), then tidies the columns, merges outlet
spellings (:mod:`.provenance`), gives stable ids (:mod:`.identity`) and flags copies
(:mod:`.duplicates`).
"""

from __future__ import annotations

import os
from functools import partial

import numpy as np
import pandas as pd

from ..compute import (
    cache_root,
    configured_workers,
    file_digests,
    shared_chunks,
    string_columns,
    worker_executor,
)
from ..config import resolve_data
from ..readers import normalise_language
from ..text import SentenceSpans, sentence_span_table, use_sentence_spans
from .cache import (
    loaded_folder,
    read_file_rows,
    read_loaded,
    write_file_rows,
    write_loaded,
)
from .duplicates import flag_duplicates
from .files import records_from_file
from .identity import (
    LANG_SAMPLE_CHARS,
    detect_languages,
    make_doc_id,
    normalise_for_hash,
    unique_ids,
)
from .inputs import corpus_key, iter_files
from .minhash import BATCH_DOCS, Shingles, shingle_bits, shingle_part, shingles_from_parts
from .provenance import canonical_outlets
from .schema import CORPUS_COLUMNS, REPORT_COLUMNS, STR_COLUMNS, Loaded, empty_corpus

#: Extra columns of export formats that hold counts (see docs/formats.md).
INT_EXTRAS = ("word_count", "doc_number", "n_events", "n_mentions")
#: Fewer documents than this are measured in this process even when workers are asked for
#: (a worker starts in ~3-4 s of imports and model loading; 10,000 documents take ~8 s of per-document
#: work, which this process shares with the workers from the start).
PARALLEL_MIN_DOCS = 5000
#: Input this large (bytes) starts the workers before parsing (~2 KB a document at the least:
#: below :data:`PARALLEL_MIN_DOCS` documents they are stopped again, unused).
PARALLEL_MIN_BYTES = 10_000_000


def load_corpus(path: str | os.PathLike | None = None, progress: bool = False, cache: bool = True,
                workers: int | None = 1) -> Loaded:
    """Read every file under ``path`` (a folder, recursively, or one file) into a corpus.

    Returns ``Loaded(corpus, report)``. ``corpus`` columns: see :data:`CORPUS_COLUMNS` —
    ``doc_id`` (stable hash of normalised text and outlet), ``source_path`` (relative to
    ``path``), ``format``, ``title``, ``outlet`` (who published this copy), ``author``,
    ``date`` (datetime64, NaT if unknown), ``url``, ``original_outlet``/``original_author``
    (for reposts), ``region``, ``theme``, ``lang`` (ISO 639-1: the source's language when it
    names one, else identified from the text; "" when too short to tell), ``text`` (body only;
    "" for metadata-only rows from Media Cloud, GDELT or feeds, whose text is still to be
    collected), ``n_words``, ``duplicate_of`` (doc_id of the earliest copy of an exact or near
    duplicate, else ""); extra columns from tables and export formats are kept (see
    docs/formats.md). ``report``: one row per file with ``source_path``, ``format``, ``status``
    (loaded / skipped / failed / metadata only), ``reason``, ``n_docs``, ``repairs``.

    With ``cache`` (and ``COVERAGE_LAB_CACHE`` not ``off``) the result is kept as Parquet keyed
    by the files' content (:mod:`.cache`): loading the same files again reads it back, and
    after files are added only the new files are parsed. Cached or not, the tables are equal.

    ``workers``: processes, this one included, for the per-document steps (language,
    normalised text, id, shingles) when the corpus has at least :data:`PARALLEL_MIN_DOCS`
    documents (``None``: ``COVERAGE_LAB_WORKERS``, else all cores). The tables are the same
    whatever the number.

    Raises ``FileNotFoundError`` only when ``path`` itself does not exist.
    """
    root = resolve_data(path)
    if not root.exists():
        raise FileNotFoundError(f"no such file or folder: {root} (pass a folder of articles or one file)")
    files = iter_files(root)
    store = cache_root() if cache else None
    digests = file_digests(root, files) if store is not None else [(None, None)] * len(files)
    key = corpus_key(root, digests) if store is not None else ""
    if store is not None and (hit := read_loaded(store, key)) is not None:
        corpus, report, spans = hit
        use_sentence_spans(spans, loaded_folder(store, key))
        return Loaded(corpus, report)
    n_workers = configured_workers(workers)
    warming = _warm_workers(n_workers) if n_workers > 1 and _big(files, PARALLEL_MIN_BYTES) else None
    iterator = zip(files, digests, strict=True)
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(iterator, total=len(files), desc="loading", unit="file")
    frames, rows = [], []
    # one file: its rows are cached only as the whole load (same bytes, same code: the same key's life)
    per_file = store if not root.is_file() else None
    for f, (_, sha) in iterator:
        rel = f.name if root.is_file() else f.relative_to(root).as_posix()
        frame, row = _file_rows(f, rel, root, per_file, sha, warming, n_workers)
        frames.append(frame)
        rows.append(row)
    report = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    frames = [fr for fr in frames if len(fr)]
    if warming is not None and sum(map(len, frames)) < PARALLEL_MIN_DOCS:
        warming.shutdown(wait=True)  # fewer documents than the files' size promised: no workers
    if not frames:
        return Loaded(empty_corpus(), report)
    corpus = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    for col in CORPUS_COLUMNS:
        if col not in corpus.columns:
            corpus[col] = "" if col in STR_COLUMNS else None
    corpus, spans = _tidy(corpus, n_workers)
    corpus = string_columns(corpus)
    _note_duplicates(corpus, report)
    report = string_columns(report)
    stored = store is not None and write_loaded(store, key, corpus, report, spans)
    use_sentence_spans(spans, loaded_folder(store, key) if stored else None)
    return Loaded(corpus, report)


def _big(files, min_bytes: int) -> bool:
    """Whether the input files hold at least ``min_bytes`` (unreadable sizes count as 0)."""
    total = 0
    for f in files:
        try:
            total += f.stat().st_size
        except OSError:
            continue
        if total >= min_bytes:
            return True
    return False


def _warm_workers(workers: int):
    """Start the load's worker processes now, so that their start-up (imports, the language
    model, the sentence splitter: ~3-4 s) overlaps the parsing of the files instead of following
    it (a large JSON Lines file's parts then queue behind it); :func:`helpers.compute.shared_chunks`
    then finds them ready (the same executor: :func:`helpers.compute.worker_executor`, whose
    workers are not replaced for growing). Returns the executor."""
    executor = worker_executor(workers - 1)
    for _ in range(workers - 1):
        executor.submit(_ready)
    return executor


def _ready() -> bool:
    """A worker's start-up work for the per-document steps, done ahead of them."""
    from ..text import sentence_splitter
    from .identity import _model

    _model()
    sentence_splitter()
    return True


def _file_rows(f, rel: str, root, store, sha: str | None, pool=None, workers: int = 1
               ) -> tuple[pd.DataFrame, dict]:
    """One file's rows (a frame) and report row: from the per-file cache, else parsed (a large JSON
    Lines file in ``workers`` parts, with ``pool``) and stored."""
    if store is not None and (hit := read_file_rows(store, sha, rel, root)) is not None:
        return hit
    frame, row = records_from_file(f, rel, root=root, pool=pool, parts=workers)
    frame = string_columns(frame)
    if store is not None and len(frame):
        frame = write_file_rows(store, sha, rel, root, frame, row)
    return frame, row


def _tidy(corpus: pd.DataFrame, workers: int = 1) -> tuple[pd.DataFrame, SentenceSpans]:
    """Strings stripped, outlets merged, dates parsed, language, length, ids and copies filled in;
    and the texts' sentence spans (:func:`helpers.text.sentence_span_table`)."""
    for col in STR_COLUMNS:
        corpus[col] = corpus[col].fillna("").astype(str).str.strip()
    corpus["text"] = corpus["text"].str.replace(r"[ \t]+\n", "\n", regex=True)  # in Arrow: no str per text
    merged = canonical_outlets(corpus["outlet"])
    if (merged != corpus["outlet"]).any():
        corpus["outlet_raw"] = corpus["outlet"]  # keep the spelling as given, for provenance
        corpus["outlet"] = merged
    corpus["date"] = _to_datetime(corpus["date"])
    langs, n_words, ids, shingles, spans = _document_measures(corpus, workers)
    corpus["lang"] = langs
    corpus["n_words"] = n_words
    corpus["doc_id"] = unique_ids(ids)
    corpus["duplicate_of"] = flag_duplicates(corpus, normalised=shingles)
    corpus = corpus.drop(columns=[c for c in ("_row",) if c in corpus.columns])
    for col in INT_EXTRAS:  # counts given by export formats: whole numbers, missing where not given
        if col in corpus.columns:
            corpus[col] = pd.to_numeric(corpus[col], errors="coerce").round().astype("Int64")
    extra = [c for c in corpus.columns if c not in CORPUS_COLUMNS]
    return corpus[CORPUS_COLUMNS + extra].reset_index(drop=True), spans


def _document_measures(corpus: pd.DataFrame, workers: int = 1
                       ) -> tuple[list[str], list[int], list[str], Shingles, SentenceSpans]:
    """In: the corpus (``text``, ``outlet``, ``url``, ``title``, ``lang`` as given). Out: language,
    words per text, doc ids (before :func:`.identity.unique_ids`), shingle sets and the sentence
    spans of every paragraph (which every notebook kernel then looks up instead of splitting), computed
    :data:`.minhash.BATCH_DOCS` documents at a time (the normalised texts of the whole corpus are
    never held at once), on ``workers`` processes from :data:`PARALLEL_MIN_DOCS` documents up
    (:func:`helpers.compute.shared_chunks`).
    Each document's values depend on that document only, so any split gives the same result."""
    n = len(corpus)
    bits = shingle_bits(n)
    cols = corpus[["text", "outlet", "url", "title", "lang"]]
    if workers > 1 and n >= PARALLEL_MIN_DOCS:
        size = max(1, min(BATCH_DOCS, -(-n // (4 * workers))))  # several chunks per process: even finish
        chunks = [cols.iloc[lo:lo + size] for lo in range(0, n, size)]
        results = shared_chunks(partial(_part_measures, bits=bits), chunks, workers, keep=False)  # memory back
    else:
        results = (_part_measures(cols.iloc[lo:lo + BATCH_DOCS], bits) for lo in range(0, n, BATCH_DOCS))
    langs: list[str] = []
    n_words: list[int] = []
    ids: list[str] = []
    parts, spans = [], []
    for lang, words, idx, part, sentences in results:
        langs.extend(lang)
        n_words.extend(words)
        ids.extend(idx)
        parts.append(part)
        spans.append(sentences)
    return langs, n_words, ids, shingles_from_parts(parts, n, bits), SentenceSpans.merge(spans)


def _part_measures(part: pd.DataFrame, bits: int) -> tuple[list[str], list[int], list[str], tuple, SentenceSpans]:
    """:func:`_document_measures` of some consecutive documents (a worker's task): languages,
    words, ids, the :func:`.minhash.shingle_part` of their normalised texts and their sentence spans."""
    langs = _languages(part["lang"], part["text"])
    norms = [normalise_for_hash(t) for t in part["text"]]
    n_words = [n.count(" ") + 1 if n else 0 for n in norms]
    ids = [make_doc_id(t, o, n, fallback=u or ti) for t, o, n, u, ti in
           zip(part["text"], part["outlet"], norms, part["url"], part["title"], strict=True)]
    return langs, n_words, ids, shingle_part(norms, bits), sentence_span_table(part["text"])


def _languages(given: pd.Series, texts: pd.Series) -> list[str]:
    """The source's language normalised to ISO 639-1 where it names one, else identified from the
    text (its first :data:`.identity.LANG_SAMPLE_CHARS` characters, cut in Arrow, a batch at a time)."""
    langs = [normalise_language(g) for g in given]
    missing = [i for i, g in enumerate(langs) if not g]
    for lo in range(0, len(missing), BATCH_DOCS):
        rows = missing[lo:lo + BATCH_DOCS]
        sample = texts.iloc[rows].str.slice(0, LANG_SAMPLE_CHARS).tolist()
        for i, code in zip(rows, detect_languages(sample), strict=True):
            langs[i] = code
    return langs


def _note_duplicates(corpus: pd.DataFrame, report: pd.DataFrame) -> None:
    """Add "N document(s) flagged as duplicate copies" to each file's report row, in place."""
    if not int((corpus["duplicate_of"] != "").sum()):
        return
    by_file = corpus.loc[corpus["duplicate_of"] != ""].groupby("source_path").size().to_dict()
    notes = [f"{by_file[p]} document(s) flagged as duplicate copies (kept, see duplicate_of)" if p in by_file else ""
             for p in report["source_path"]]
    report["reason"] = [f"{r}; {n}" if r and n else (r or n) for r, n in zip(report["reason"], notes, strict=True)]


def _to_datetime(values: pd.Series) -> pd.Series:
    """Parse mixed date values (strings, timestamps, time zones) to naive UTC datetime64[ns]."""
    cleaned = values.map(lambda v: None if v is None or v is pd.NaT or (isinstance(v, str) and not v.strip())
                         or (isinstance(v, float) and np.isnan(v)) else str(v))
    parsed = pd.to_datetime(cleaned, errors="coerce", utc=True, format="mixed")
    return parsed.dt.tz_convert(None).astype("datetime64[ns]")
