"""One sentence around a reporting verb: who speaks, described how, saying what.

:func:`parse_attribution` reads the sentence around a match of the reporting-verb pattern and
returns the speaker (before the verb: "Liu said", "Lü Chao, a researcher with ..., told";
after it: "'...,' said Liu"; or "according to X"), the addressee ("told the Global Times"),
the mode (direct / indirect / according_to) and the reported content, or None when the
"speaker" is no named source or role ("the letter will say", passives, "Abe's letter said").
"""

from __future__ import annotations

import re

from .lexicon import AUX, NOT_NP_START, PASSIVE, TITLES, TRAILING_ROLE, Lexicon
from .names import is_cap, split_name
from .spans import CLOSE_QUOTES, OPEN_QUOTES

# the patterns the rules use, compiled once (formerly written inline; same patterns and flags)
_DELIM = re.compile(
    r"[,;:()\u2014\u2013]|" + f"[{re.escape(OPEN_QUOTES + CLOSE_QUOTES)}]|\\s-\\s"
)
_SPACES = re.compile(r"\s+")
_ENDS_IN_MARK = re.compile(f"[{re.escape(CLOSE_QUOTES + OPEN_QUOTES)}]\\s*$")
_ENDS_IN_CLOSE = re.compile(f"[{re.escape(CLOSE_QUOTES)}]\\s*,?$")
_ENDS_IN_CLOSE_SPACE = re.compile(f"[{re.escape(CLOSE_QUOTES)}]\\s*,?\\s*$")
_ACCORDING_SOURCE = re.compile(r"\s*([^,;.]+?)(?:\s*[,;.]|\s*$)")
_ARTICLE = re.compile(r"(?:a|an|the)\s", re.I)
_LEADING_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)
_ARTICLE_NOUN = re.compile(r"(?:a|an|the)\s+[a-z]", re.I)
_WORD_CHAR = re.compile(r"\w")
_ENDS_IN_PREPOSITION = re.compile(r"\b(?:in|at|of|for|from|with|on|by|to)$", re.I)
_INVERTED_SPEAKER = re.compile(r"\s*((?:[A-Z][\w'’.\-]*\s*)+)(?:,\s*([^,]+?)\s*,?)?\s*[.,;]?\s*$")
_ONLY_END_MARKS = re.compile(r"^[.;!?\"”]*$")
_ADDING = re.compile(r"^,\s*(?:adding|noting|saying)\b")
_ADDING_THAT = re.compile(r"^,\s*(?:adding|noting|saying)\s+(?:that\s+)?")
_OPENER = re.compile(r"^(?:However|But|And|Meanwhile|Still|Yet),\s*")
_LEAD_IN = re.compile(r"^\s*[,:]?\s*(?:that\s+)?")


def _strip_aux(left: str) -> tuple[str, bool]:
    """Drop auxiliaries before the verb ("will also"); flag passives/infinitives ("is said to")."""
    # the last word of the stripped text, as str.rsplit finds it (the same whitespace as \s)
    s = left.rstrip()
    while s:
        word = s.rsplit(None, 1)[-1]
        w = word.lower()
        if w in PASSIVE:
            return s, True
        if w in AUX:
            s = s[: len(s) - len(word)].rstrip()
            continue
        return s, False
    return s, False


_ADDRESSEE = re.compile(
    r"^\s*((?:the\s+)?(?:[A-Z][\w'’.\-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’.\-]*)*)|reporters|journalists|"
    r"me|us|him|her|them|(?:a|an|the)\s+\w+(?:\s+\w+)?\s+(?:reporters|newspaper|conference|audience))"
)
_TIME = re.compile(
    r"^\s*(?:on|last|this|late|early|at|in|during|over|earlier|later)\s+(?:a\s+|an\s+|the\s+)?"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|year|night|"
    r"morning|evening|afternoon|statement|interview|press conference|news conference|"
    r"briefing|speech|letter|email|phone|telephone|January|February|March|April|May|June|"
    r"July|August|September|October|November|December)\b[\w ]{0,20}?(?=[,.;:]|$|\s+that\b)"
)


# the delimiter starting furthest right (greedy ``.*`` backs off from the end until one matches)
_LAST_DELIM = re.compile(r"(?s:.*)(" + _DELIM.pattern + ")")


def _segment(left: str) -> tuple[str, int, str]:
    """The speaker segment before a verb: text after the last delimiter; and the delimiter.

    The last delimiter is the last of ``_DELIM.finditer``: the one starting furthest right,
    unless that one is a dash between spaces that an earlier one overlaps (" - - "); then the
    matches are walked from the start.
    """
    m = _LAST_DELIM.match(left)
    if m is None:
        return left, -1, ""
    if len(m.group(1)) > 1:  # "\s-\s": the previous matches decide whether it is one
        idx, delim = -1, ""
        for m in _DELIM.finditer(left):
            idx, delim = m.end(), m.group().strip()
        return left[idx:], idx, delim
    idx = m.end()
    return left[idx:], idx, m.group(1).strip()


def parse_attribution(sentence: str, vm: re.Match, lex: Lexicon) -> dict | None:
    """The attribution around reporting-verb match ``vm`` in ``sentence``, or None."""
    verb = _SPACES.sub(" ", vm.group().lower())
    if verb == "according to" and vm.group()[0] == "A" and sentence[: vm.start()].strip():
        return None
    left, right = sentence[: vm.start()], sentence[vm.end() :]
    out = {
        "verb": verb,
        "verb_class": lex.verb_class.get(verb, "neutral"),
        "description": "",
        "prefix": "",
        "addressee": "",
        "content": "",
        "mode": "indirect",
        "quote_lo": None,
        "trailing": False,
    }
    if verb == "according to":
        return _according_to(out, left, right, lex)
    left2, passive = _strip_aux(left)
    if passive:
        return None
    if left2.endswith(","):
        return _appositive(out, sentence, left, left2, right, lex)
    if _ENDS_IN_MARK.search(left2):
        return _inverted(out, sentence, left2, right, lex)
    return _speaker_before_verb(out, sentence, left, left2, right, lex)


def _according_to(out: dict, left: str, right: str, lex: Lexicon) -> dict | None:
    """The source named after "according to" (before or after the reported content)."""
    m = _ACCORDING_SOURCE.match(right)
    if not m:
        return None
    seg = m.group(1)
    name, prefix = split_name(seg, lex)
    if not name:
        return None
    out.update(
        speaker=name,
        prefix=prefix,
        mode="according_to",
        content=(right[m.end() :].strip() or left.strip(" ,")).strip(" ."),
    )
    if not right[m.end() :].strip():
        out["trailing"] = True
    return out


def _appositive(
    out: dict, sentence: str, left: str, left2: str, right: str, lex: Lexicon
) -> dict | None:
    """The words before the verb end in a comma: an appositive, or a quote before the verb."""
    # appositive: "Lü Chao, a researcher with ..., told"
    body = left2[:-1]
    cut = body.rfind(",")
    if cut > 0:
        desc = body[cut + 1 :].strip()
        first = desc.split()[0].lower() if desc else ""
        # an interjection ("Trump, without citing evidence, said") is no description
        interjection = first in NOT_NP_START or first.endswith(("ing", "ly"))
        if (
            desc
            and (
                not is_cap(desc)
                or _ARTICLE.match(desc)
                or desc.split()[0] in TITLES
            )
            and not lex.verb_re.search(desc)
            and len(desc.split()) <= 25
        ):
            seg, _, _ = _segment(body[:cut])
            name, prefix = split_name(seg, lex)
            if name and len(seg.split()) <= 8:
                out.update(speaker=name, prefix=prefix, description="" if interjection else desc)
                return _finish(out, sentence, left, right, lex, seg_start=left.find(seg.strip()))
    # "'…,' said Liu" — speaker after the verb
    if _ENDS_IN_CLOSE.search(left2) or left2.rstrip(",").endswith(
        tuple(CLOSE_QUOTES)
    ):
        return _inverted(out, sentence, left2, right, lex)
    return None


def _speaker_before_verb(
    out: dict, sentence: str, left: str, left2: str, right: str, lex: Lexicon
) -> dict | None:
    """The speaker is the name ending the segment before the verb ("X said ...")."""
    seg, idx, delim = _segment(left2)
    seg_words = seg.split()
    if not seg_words or len(seg_words) > 9:
        return None
    name, prefix = split_name(seg, lex)
    last = seg_words[-1].lower().strip(".,")  # the one word the rules look at
    if not name:
        if last in lex.pronouns and len(seg_words) == 1:
            name, prefix = seg.strip(), ""
        elif last in lex.role_nouns:
            name, prefix = _LEADING_ARTICLE.sub("", seg.strip()), ""
        else:
            return None
    elif last in TRAILING_ROLE and not is_cap(seg_words[-1]):
        name = f"{name} {seg_words[-1]}" if not name.endswith(seg_words[-1]) else name
    if name in lex.not_speakers or not _WORD_CHAR.search(name):
        return None
    # the name must end the segment (else e.g. "Abe's letter" or "China's patrols" precede the verb)
    if (
        not seg.rstrip().endswith(name.split()[-1])
        and last not in lex.trailing_or_roles
    ):
        return None
    if prefix and len(prefix.split()) > 6:
        return None
    if prefix and _ENDS_IN_PREPOSITION.search(prefix):
        # the name is the object of a preposition ("... Office in Baghdad said"); when the
        # segment is an appositive missing its closing comma ("Marc Ostwald, a strategist at
        # Monument Securities told") the speaker is the name before it
        if idx > 0 and _ARTICLE_NOUN.match(prefix):
            seg2, idx2, _ = _segment(left2[: idx - 1])
            name2, prefix2 = split_name(seg2, lex)
            if name2 and seg2.rstrip().endswith(name2.split()[-1]) and len(seg2.split()) <= 6:
                out.update(speaker=name2, prefix=prefix2, description=seg.strip())
                return _finish(out, sentence, left, right, lex, seg_start=max(idx2, 0))
        return None
    out.update(speaker=name, prefix=prefix)
    if (delim and delim in CLOSE_QUOTES) or (
        delim == "," and _ENDS_IN_CLOSE_SPACE.search(left2[:idx])
    ):
        out["mode"] = "direct"
    return _finish(out, sentence, left, right, lex, seg_start=idx if idx >= 0 else 0)


def _inverted(out: dict, sentence: str, left: str, right: str, lex: Lexicon) -> dict | None:
    m = _INVERTED_SPEAKER.match(right)
    if not m:
        return None
    name, prefix = split_name(m.group(1), lex)
    if not name:
        return None
    out.update(
        speaker=name,
        prefix=prefix,
        description=(m.group(2) or "").strip(),
        mode="direct",
        trailing=True,
    )
    return out


def _finish(out: dict, sentence: str, left: str, right: str, lex: Lexicon, seg_start: int) -> dict:
    rest = right
    if out["verb"] in {"told", "tells", "tell", "telling", "asked", "asks"}:
        m = _ADDRESSEE.match(rest)
        if m:
            out["addressee"] = m.group(1).strip().rstrip(".")
            rest = rest[m.end() :]
    for _ in range(2):
        m = _TIME.match(rest)
        if m:
            rest = rest[m.end() :]
    stripped = rest.strip()
    if (
        not stripped
        or _ONLY_END_MARKS.match(stripped)
        or _ADDING.match(stripped)
    ):
        # trailing attribution: the reported content precedes the speaker
        out["trailing"] = True
        before = left[: max(seg_start, 0)]
        before = before.rstrip(' ,"”')
        added = _ADDING_THAT.sub("", stripped).rstrip(" .")
        content = before.strip(" ,")
        content = _OPENER.sub("", content)
        out["content"] = content + (
            f" [adding] {added}" if added and added != stripped.rstrip(" .") else ""
        )
    else:
        rest = _LEAD_IN.sub("", rest)
        out["content"] = rest.strip().rstrip(".")
        if rest.lstrip()[:1] in OPEN_QUOTES:
            out["mode"] = "direct"
    return out
