"""Which files a load reads, and the keys that name them: light enough for the report runner.

The report's runner needs the input's key (:func:`input_key`, for its page cache) and the
manifest's :func:`corpus_fingerprint`, but never parses a file itself at scale (large inputs load
in a process of their own). This module imports only the standard library and
:mod:`helpers.compute`, so that process does not pay for the readers, nltk and scikit-learn.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..compute import code_fingerprint, file_digests, stable_key


def iter_files(root: Path) -> list[Path]:
    """Every file under ``root`` (or ``root`` itself), sorted by relative path."""
    if root.is_file():
        return [root]
    return sorted((p for p in root.rglob("*") if p.is_file()), key=lambda p: p.relative_to(root).as_posix())


def corpus_key(root: Path, digests: list[tuple[str, str]]) -> str:
    """Key of one load: the folder (the report names it), the files (paths, content), the code."""
    return stable_key("corpus", str(root), root.is_file(), digests, code_fingerprint())


def input_key(path) -> str:
    """The content key of loading ``path`` (what :func:`helpers.corpus.load_corpus` caches under)."""
    root = Path(path)
    return corpus_key(root, file_digests(root, iter_files(root)))


def corpus_fingerprint(path: str | os.PathLike) -> str:
    """SHA-256 over every file's relative path and bytes: identical inputs, identical hash."""
    root = Path(path)
    h = hashlib.sha256()
    for f in iter_files(root):
        rel = f.name if root.is_file() else f.relative_to(root).as_posix()
        h.update(rel.encode() + b"\x00")
        with open(f, "rb") as fh:
            for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\x00")
    return h.hexdigest()
