"""Who "he" and "Liu" are: later mentions of a speaker resolved to the full name given earlier.

:func:`resolve_speakers` sets ``speaker_resolved`` on one document's attributions: a pronoun
takes the last named person speaker (else :data:`UNRESOLVED`), a one-word name the last person
speaker it matches or a full name mentioned earlier in the text ("Shinzo Abe ... Abe said").
"""

from __future__ import annotations

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


def _is_run_char(ch: str) -> bool:
    """A character of ``[\\w'’\\-]`` (``\\w`` is str.isalnum() or "_")."""
    return ch.isalnum() or ch in "_'’-"


def _is_word_char(ch: str) -> bool:
    """A character of ``\\w``, the word characters ``\\b`` tells apart."""
    return ch.isalnum() or ch == "_"


def _runs_back(text: str, i: int, n: int) -> int:
    """The start of the ``n``-th run of ``[\\w'’\\-]`` characters before ``i`` (with the
    whitespace between the runs); it stops at any other character, or at the text's start."""
    for _ in range(n):
        while i > 0 and text[i - 1].isspace():
            i -= 1
        while i > 0 and _is_run_char(text[i - 1]):
            i -= 1
    return i


def _occurrences(text: str, token: str, start: int = 0):
    """The positions of ``token`` in ``text`` from ``start`` on (overlapping ones too)."""
    i = text.find(token, start)
    while i >= 0:
        yield i
        i = text.find(token, i + 1)


def _token_at(text: str, token: str, i: int) -> bool:
    """``token`` at ``i`` and a word boundary after it (``{token}\\b`` matches at ``i``)."""
    q = i + len(token)
    return text.startswith(token, i) and _is_word_char(text[q - 1]) != (
        q < len(text) and _is_word_char(text[q])
    )


def _capitalised_word(text: str, p: int) -> int:
    """Where ``[A-Z][\\w'’\\-]+\\s+`` matching at ``p`` ends, or -1 (the runs are greedy and
    the next character class excludes the last, so the match is the only one)."""
    n = len(text)
    if not (p < n and "A" <= text[p] <= "Z"):
        return -1
    e = p + 1
    while e < n and _is_run_char(text[e]):
        e += 1
    if e - p < 2 or e == n or not text[e].isspace():
        return -1
    while e < n and text[e].isspace():
        e += 1
    return e


def _names_before(token: str, text: str):
    """The matches of ``\\b((?:[A-Z][\\w'’\\-]+\\s+){1,2}){token}\\b`` in ``text``, as
    ``re.finditer`` finds them (leftmost first, not overlapping), as ``(start, end of group 1)``,
    without compiling a pattern per token. A match ends in an occurrence of the token and starts
    in one of the two runs before it: only those positions are tried, each as the pattern would
    (two words, else one)."""
    starts = sorted(
        {
            p
            for j in _occurrences(text, token)
            for p in range(_runs_back(text, j, 2), j)
            if "A" <= text[p] <= "Z" and (p == 0 or not _is_word_char(text[p - 1]))
        }
    )
    pos = 0
    for p in starts:
        if p < pos:
            continue
        s1 = _capitalised_word(text, p)
        if s1 < 0:
            continue
        s2 = _capitalised_word(text, s1)
        g = s2 if s2 >= 0 and _token_at(text, token, s2) else s1 if _token_at(text, token, s1) else -1
        if g >= 0:
            yield p, g
            pos = g + len(token)


def _names_after(token: str, text: str):
    """The group-1 spans of ``\\b{token}\\s+([A-Z][a-z][\\w'’\\-]*)\\b`` in ``text`` as
    ``re.finditer`` finds them, without compiling a pattern per token: the run after the capital
    gives back its trailing non-word characters (the ``\\b`` after it)."""
    n, pos = len(text), 0
    for j in _occurrences(text, token):
        if j < pos or (j > 0 and _is_word_char(text[j - 1])) == _is_word_char(text[j]):
            continue
        w = j + len(token)
        if not (w < n and text[w].isspace()):
            continue
        while w < n and text[w].isspace():
            w += 1
        if not (w + 1 < n and "A" <= text[w] <= "Z" and "a" <= text[w + 1] <= "z"):
            continue
        e = w + 2
        while e < n and _is_run_char(text[e]):
            e += 1
        while not _is_word_char(text[e - 1]):
            e -= 1
        yield w, e
        pos = e


def _full_name_before(token: str, text: str, lex: Lexicon) -> str:
    """The last "First Last" in ``text`` ending in ``token`` (or, failing that, "Token Given",
    the surname-first order of Chinese, Japanese and Korean names)."""
    if token not in text:
        return ""  # both patterns need the token itself
    best = ""
    for p, g in _names_before(token, text):
        words = text[p:g].split()
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
    for w, e in _names_after(token, text):
        if _name_word_ok(text[w:e], lex):
            best = f"{token} {text[w:e]}"
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
