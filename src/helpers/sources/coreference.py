"""Who "he" and "Liu" are: later mentions of a speaker resolved to the full name given earlier.

:func:`resolve_speakers` sets ``speaker_resolved`` on one document's attributions: a pronoun
takes the last named person speaker (else :data:`UNRESOLVED`), a one-word name the last person
speaker it matches or a full name mentioned earlier in the text ("Shinzo Abe ... Abe said").
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import PLACES, TITLES, Lexicon

UNRESOLVED = "(unresolved pronoun)"


def _name_word_ok(w: str, lex: Lexicon) -> bool:
    return (
        w.rstrip(".") not in TITLES
        and w not in lex.not_speakers
        and w not in PLACES
        and w.lower() not in lex.org_words
        and not (w.isupper() and len(w) > 2)
    )


@lru_cache(maxsize=4096)
def _name_patterns(token: str) -> tuple[re.Pattern, re.Pattern]:
    """The two patterns :func:`_full_name_before` reads for ``token``, compiled once per token
    (through ``re``'s own small cache they would be compiled again and again, and push out the
    patterns the other rules use)."""
    t = re.escape(token)
    return (
        re.compile(rf"\b((?:[A-Z][\w'’\-]+\s+){{1,2}}){t}\b"),
        re.compile(rf"\b{t}\s+([A-Z][a-z][\w'’\-]*)\b"),
    )


def _is_run_char(ch: str) -> bool:
    """A character of ``[\\w'’\\-]`` (``\\w`` is str.isalnum() or "_")."""
    return ch.isalnum() or ch in "_'’-"


def _runs_back(text: str, i: int, n: int) -> int:
    """The start of the ``n``-th run of ``[\\w'’\\-]`` characters before ``i`` (with the
    whitespace between the runs); it stops at any other character, or at the text's start."""
    for _ in range(n):
        while i > 0 and text[i - 1].isspace():
            i -= 1
        while i > 0 and _is_run_char(text[i - 1]):
            i -= 1
    return i


def _full_name_before(token: str, text: str, lex: Lexicon) -> str:
    """The last "First Last" in ``text`` ending in ``token`` (or, failing that, "Token Given",
    the surname-first order of Chinese, Japanese and Korean names)."""
    last = text.rfind(token)
    if last < 0:
        return ""  # both patterns need the token itself
    before, after = _name_patterns(token)
    best = ""
    # a match is one or two capitalised words and the token: none starts before the words
    # right before the token's first occurrence, none ends past its last one (and the character
    # after it, which "\b" reads)
    lo = _runs_back(text, text.find(token), 3)
    for m in before.finditer(text, lo, last + len(token) + 1):
        words = m.group(1).split()
        # keep the name words right before the token ("Prime Minister Shinzo Abe" -> "Shinzo")
        keep = []
        for w in reversed(words):
            if not _name_word_ok(w, lex):
                break
            keep.insert(0, w)
        if keep:
            best = " ".join([*keep, token])
    if best:
        return best
    if len(token) > 5:
        # surname-first order is for short East Asian family names (Liu, Wang, Kim, Park)
        return ""
    for m in after.finditer(text, text.find(token)):  # a match starts with the token
        if _name_word_ok(m.group(1), lex):
            best = f"{token} {m.group(1)}"
    return best


def resolve_speakers(rows: list[dict], text: str, lex: Lexicon) -> None:
    """Resolve "Liu said" / "he said" to the last full name that matches (speakers first)."""
    persons: list[dict] = []
    for r in rows:
        name = r["speaker"]
        toks = name.split()
        if r["kind"] == "person" and name.lower() in lex.pronouns:
            if persons:
                _inherit(r, persons[-1])
            else:
                r["speaker_resolved"] = UNRESOLVED
            continue
        if r["kind"] == "person" and len(toks) == 1:
            match = next(
                (
                    p
                    for p in reversed(persons)
                    if toks[0]
                    in (p["speaker_resolved"].split()[0], p["speaker_resolved"].split()[-1])
                ),
                None,
            )
            if match is not None:
                _inherit(r, match)
            else:
                # a full name mentioned earlier in the text but not as a speaker ("Shinzo Abe ... Abe said")
                full = _full_name_before(toks[0], text[: r["sent_start"]], lex)
                if full and full != name:
                    r["speaker_resolved"] = full
        if r["kind"] == "person" and name.lower() not in lex.pronouns:
            persons.append(r)


def _inherit(r: dict, p: dict) -> None:
    r["speaker_resolved"] = p["speaker_resolved"]
    for k in ("title", "institution", "nationality", "nationality_source"):
        if not r.get(k):
            r[k] = p.get(k, "")
