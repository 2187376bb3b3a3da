"""Speakers' names: the name in a segment of text, the description around it, its kind.

:func:`split_name` separates a speaker's name from the words before it ("Japanese newspaper
Yomiuri Shimbun"); :func:`describe` reads title, institution and stated nationality from the
description; :func:`speaker_kind` says whether the speaker is a person, a media outlet or an
organisation.
"""

from __future__ import annotations

import re

from .lexicon import CONNECTORS, PLACES, TITLES, Lexicon

_WORD_RE = re.compile(r"[^\W_][\w'’.\-]*")
# the patterns the rules use, compiled once (formerly written inline; same patterns and flags)
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_POSSESSIVE_END = re.compile(r"['’]s?$")
_INSTITUTION_TAIL = re.compile(
    r"\b(?:at|with|of|for|from)\s+(?:the\s+)?([A-Z][\w'’.\-]*(?:\s+(?:of|for|and|on|the|de)?\s*[A-Z][\w'’.\-]*)*)\s*$"
)
_LEADING_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)
_TRAILING_PREPOSITION = re.compile(r"(?:\s+(?:of|at|with|from|for|in|by))?(?:\s+the)?\s*$", re.I)
_LEADING_THE = re.compile(r"^the\s+", re.I)
_NAME_WORDS = re.compile(r"[\w'’.]+")
_PREFIX_WORDS = re.compile(r"[\w'’]+")
_ACRONYM = re.compile(r"[A-Z]{2,}")
_PLACES_LOWER = frozenset(p.lower() for p in PLACES)


def _words(s: str) -> list[tuple[str, int, int]]:
    return [
        (
            m.group().rstrip(".") if not _INITIALS.fullmatch(m.group()) else m.group(),
            m.start(),
            m.end(),
        )
        for m in _WORD_RE.finditer(s)
    ]


def is_cap(w: str) -> bool:
    """Whether ``w`` starts with a capital letter."""
    return bool(w) and w[0].isupper()


#: entries kept per rule in a lexicon's memo before it is emptied (bounds the memory)
_MEMO_SIZE = 20_000


def _remembered(lex: Lexicon, rule: str, key, compute):
    """``compute()``, or its result from ``lex.memo`` for the same rule and arguments (the rules
    are pure functions of their strings and the lexicon)."""
    memo = lex.memo[rule]
    hit = memo.get(key)
    if hit is None:
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        hit = memo[key] = compute()
    return hit


def split_name(segment: str, lex: Lexicon) -> tuple[str, str]:
    """Split "Japanese newspaper Yomiuri Shimbun" into (name, prefix description)."""
    return _remembered(lex, "split_name", segment, lambda: _split_name(segment, lex))


def _split_name(segment: str, lex: Lexicon) -> tuple[str, str]:
    ws = _words(segment)
    if not ws:
        return "", ""
    j = len(ws)
    # the name is the trailing run of capitalised words (connectors allowed inside)
    while j > 0 and (is_cap(ws[j - 1][0]) or (ws[j - 1][0].lower() in CONNECTORS and j < len(ws))):
        j -= 1
    while j < len(ws) and not is_cap(ws[j][0]):
        j += 1
    name_words = [w for w, _, _ in ws[j:]]
    if not name_words or not is_cap(name_words[-1]):
        return "", segment.strip()
    # sentence-opening words ("However", "The") are not part of a name
    while name_words and name_words[0] in lex.not_speakers:
        name_words = name_words[1:]
        j += 1
    # titles before a person's name ("Prime Minister Shinzo Abe", "EPA Administrator Andrew
    # Wheeler") belong to the description: cut after the last title word
    titled = [i for i, w in enumerate(name_words) if w.rstrip(".") in TITLES]
    if titled:
        k = titled[-1] + 1
        rest = name_words[k:]
        if rest and not any(w.lower() in lex.org_words for w in rest):
            name_words = rest
            j += k
    # boilerplate glued to a name ("CLICK HERE TO GET THE APP") is not a name: keep the words
    # after the last run of all-caps words, and at most six words
    caps = [i for i, w in enumerate(name_words) if w.isupper() and len(w) > 4]
    if caps and caps[-1] < len(name_words) - 1:
        j += caps[-1] + 1
        name_words = name_words[caps[-1] + 1 :]
    if len(name_words) > 6:
        j += len(name_words) - 6
        name_words = name_words[-6:]
    prefix = segment[: ws[j][1]].strip() if j < len(ws) else segment.strip()
    name = segment[ws[j][1] :].strip().rstrip(".,") if j < len(ws) else ""
    if _POSSESSIVE_END.search(name):
        # a possessive ("Trump's comments") is not the speaker
        return "", segment.strip()
    return name, prefix


_ORG_CHUNK = re.compile(
    r"(?:the\s+)?((?:[A-Z][\w'’.\-]*)(?:\s+(?:of|for|and|on|the|de)?\s*[A-Z][\w'’.\-]*)*)"
)


def describe(desc: str, prefix: str, name: str, lex: Lexicon) -> dict:
    """Title, institution and stated nationality from a speaker's description."""
    key = (desc, prefix, name)
    return dict(_remembered(lex, "describe", key, lambda: _describe(desc, prefix, name, lex)))


def _describe(desc: str, prefix: str, name: str, lex: Lexicon) -> dict:
    text = " ".join(x for x in (prefix, desc) if x).strip()
    institution, title = "", ""
    chunks = [
        m
        for m in _ORG_CHUNK.finditer(text)
        if any(w.lower() in lex.org_words for w in m.group(1).split())
    ]
    if not chunks:
        # "a strategist at Monument Securities": the capitalised object of at/with/of/for
        tail = _INSTITUTION_TAIL.search(text)
        chunks = [tail] if tail else []
    if chunks:
        institution = chunks[-1].group(1)
        title = (
            text[: chunks[0].start()].strip()
            if chunks[0].re is _ORG_CHUNK
            else text[: chunks[0].start(1)].strip()
        )
    else:
        title = text
    title = _LEADING_ARTICLE.sub("", title.strip(" ,'’\""))
    title = _TRAILING_PREPOSITION.sub("", title)
    title = "" if title.lower() in {"the", "a", "an"} else title.strip(" ,'’\"")
    nationality, nat_src = "", ""
    for adj, country, rx in lex.nationality_patterns:
        if adj in text and rx.search(text):  # the substring test skips most patterns cheaply
            nationality, nat_src = country, "stated"
            break
    if not nationality:
        key = _LEADING_THE.sub("", name).lower()
        if key in lex.media_keys:
            nationality, nat_src = lex.media_keys[key], "outlet list"
    return {
        "title": title,
        "institution": institution,
        "nationality": nationality,
        "nationality_source": nat_src,
    }


def speaker_kind(name: str, prefix: str, desc: str, lex: Lexicon) -> str:
    """``"person"``, ``"media"`` or ``"organisation"``, from the name, prefix and lists."""
    key = (name, prefix, desc)
    return _remembered(lex, "speaker_kind", key, lambda: _speaker_kind(name, prefix, lex))


def _speaker_kind(name: str, prefix: str, lex: Lexicon) -> str:
    key = _LEADING_THE.sub("", name).lower()
    if key in lex.media_keys:
        return "media"
    words = [w.lower() for w in _NAME_WORDS.findall(name)]
    pre = [w.lower() for w in _PREFIX_WORDS.findall(prefix)]
    if pre and pre[-1] in lex.media_words or any(w in lex.media_words for w in pre[-2:]):
        return "media"
    if words and words[-1] in {"report", "reports", "commentary", "editorial"}:
        return "media"
    if name in PLACES or key in _PLACES_LOWER:
        return "organisation"
    if (
        words
        and words[-1] in lex.trailing_or_roles
        and len(words) > 1
        and words[-1] not in {"ministry", "government"}
    ):
        return "person"
    if any(w in lex.org_words for w in words) or _ACRONYM.fullmatch(name):
        return "organisation"
    if words and words[0] in lex.pronouns_or_roles:
        return "person"
    return "person"
