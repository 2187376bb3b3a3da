"""One large JSON Lines file parsed in parts, on worker processes beside this one.

:func:`read_jsonl_parts` gives the table :func:`.tables.read_table` gives for the same text: the
text is cut at line ends into ``parts`` pieces; this process parses the first while each worker
reads its own lines from the file (the bytes of those lines, decoded: the same text, when the whole
file decoded as UTF-8 with no repair) and builds their table. The tables are joined only when
they agree on every column and its type (then joining gives what one table of every row would:
the same values, column order and types); otherwise, or when a worker fails, the whole text is
parsed here as before. A line that is not a JSON object raises the same :class:`.tables.TableError`
(the first such line of the file: the parts are checked in order).
"""

from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import tempfile

import pandas as pd

from .tables import TableError, jsonl_rows

#: Text below this many characters per part is parsed in this process alone (a part's worker
#: start-up, file read and table transfer cost ~0.1 s; ~30 MB of JSON Lines take ~1 s to parse).
PARALLEL_PART_CHARS = 8_000_000
_BLOCK = 1 << 22


def read_jsonl_parts(path, text: str, pool, parts: int) -> pd.DataFrame:
    """``read_table(path, "jsonl", text)`` with ``parts - 1`` of ``parts`` pieces parsed by ``pool``
    (a ``concurrent.futures`` executor). ``text`` must be the file's bytes decoded as UTF-8, unchanged
    (the caller's only reference: it is let go before the tables are built)."""
    parts = max(1, min(parts, len(text) // PARALLEL_PART_CHARS))
    cuts = [0]
    for p in range(1, parts):
        cut = text.find("\n", max(cuts[-1], len(text) * p // parts)) + 1
        if cut > 0:
            cuts.append(cut)
    if len(cuts) < 2:
        return pd.DataFrame(jsonl_rows(text))
    lines = [text.count("\n", 0, c) for c in cuts]  # lines before each cut
    futures = [pool.submit(_part_frame, str(path), lines[p], lines[p + 1] - lines[p] if p + 1 < len(cuts) else None)
               for p in range(1, len(cuts))]
    try:
        rows = jsonl_rows(text, 0, cuts[1])  # raises for a bad line here: the file's first
    except TableError:
        _discard(futures)
        raise
    del text  # (read again from the file in the rare case the parts disagree) freed before the table
    frames = [pd.DataFrame(rows)]
    del rows
    failed = False
    for future in futures:
        try:
            saved, error = future.result()
            if error is not None:
                _discard(futures)
                raise TableError(error)
            frames.append(_take(saved))
        except TableError:
            raise
        except Exception:  # a worker lost: parse its lines here
            _discard(futures)
            failed = True
            break
    frames = [f for f in frames if len(f)]  # a part of blank lines adds nothing to one table of all rows
    if failed or not _same_layout(frames):
        del frames
        with open(path, "rb") as fh:
            return pd.DataFrame(jsonl_rows(fh.read().decode("utf-8")))
    if not frames:
        return pd.DataFrame([])
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _same_layout(frames: list[pd.DataFrame]) -> bool:
    """Whether every table has the first one's columns (in order) and column types."""
    if not frames:
        return True
    cols, types = list(frames[0].columns), list(frames[0].dtypes)
    return all(list(f.columns) == cols and list(f.dtypes) == types for f in frames[1:])


def _take(saved: str) -> pd.DataFrame:
    """The table a worker pickled to the file ``saved`` (the file is removed)."""
    try:
        with open(saved, "rb") as fh:
            return pickle.load(fh)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(saved)


def _discard(futures) -> None:
    """Remove the files of the parts not taken (waits for their workers)."""
    for future in futures:
        with contextlib.suppress(Exception):
            saved, _ = future.result()
            if saved is not None:
                os.unlink(saved)


def _part_frame(path: str, skip: int, count: int | None) -> tuple[str | None, str | None]:
    """(A worker's task) the table of ``count`` lines (to the end: ``None``) after the first
    ``skip`` lines of the file, numbered from ``skip + 1``, pickled to a temporary file whose name
    is returned; or the first bad line's message. The worker gives its memory back before it
    returns (loky replaces a worker that stays 300 MB above its size after its first task: the
    start-up of a new one would cost more than the parse saved)."""
    from ..compute import release_memory

    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        start = _after_lines(mm, 0, skip)
        stop = len(mm) if count is None else _after_lines(mm, start, count)
        text = str(mm[start:stop], "utf-8")
    try:
        rows = jsonl_rows(text, first_line=skip + 1)
    except TableError as err:
        return None, str(err)
    del text
    frame = pd.DataFrame(rows)
    del rows
    fd, saved = tempfile.mkstemp(prefix="coverage-lab-jsonl-", suffix=".pkl")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(frame, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(saved)
        raise
    del frame
    release_memory()
    return saved, None


def _after_lines(mm, pos: int, n: int) -> int:
    """The position just after the ``n``-th line end from ``pos`` (counted a block at a time)."""
    while n:
        end = min(len(mm), pos + _BLOCK)
        block = mm[pos:end].count(b"\n")
        if block < n and end < len(mm):
            n, pos = n - block, end
            continue
        for _ in range(n):
            pos = mm.find(b"\n", pos) + 1
            if not pos:
                raise ValueError("the file has fewer lines than its text")
        return pos
    return pos
