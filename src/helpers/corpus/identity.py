"""What makes two copies "the same text", the stable ``doc_id`` built on it, and a language guess."""

from __future__ import annotations

import hashlib

from ..text import tokenize


def normalise_for_hash(text: str) -> str:
    """Lower-case word tokens joined by spaces: what makes two copies "the same text"."""
    return " ".join(tokenize(text, keep_numbers=True))


def make_doc_id(text: str, source: str = "", normalised: str | None = None) -> str:
    """Stable id: the first 12 hex digits of SHA-1 over the normalised text and the source."""
    norm = normalise_for_hash(text) if normalised is None else normalised
    return hashlib.sha1(f"{norm}\x00{source.strip().lower()}".encode()).hexdigest()[:12]


def unique_ids(ids: list[str]) -> list[str]:
    """Suffix repeats ``-2``, ``-3`` …: the same text from the same outlet twice keeps unique ids.

    >>> unique_ids(["a", "b", "a", "a"])
    ['a', 'b', 'a-2', 'a-3']
    """
    out, seen = list(ids), {}
    for i, d in enumerate(out):
        seen[d] = seen.get(d, 0) + 1
        if seen[d] > 1:
            out[i] = f"{d}-{seen[d]}"
    return out


_ENGLISH_MARKERS = frozenset({"the", "and", "of", "to", "in", "is", "that", "for", "on", "with", "was", "as", "by",
                              "it", "at"})


def detect_lang(normalised: str) -> str:
    """"en" when at least 12 % of the first 500 tokens are common English function words,
    "und" (undetermined) otherwise, "" for texts too short to tell."""
    toks = normalised.split(" ", 500)[:500]
    if len(toks) < 5:
        return ""
    return "en" if sum(t in _ENGLISH_MARKERS for t in toks) / len(toks) >= 0.12 else "und"
