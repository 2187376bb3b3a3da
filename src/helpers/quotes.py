"""Sources and quotes: who speaks in a story, in which words, introduced with which verb.

:func:`attributions` finds direct quotes and reported speech ("X said", "X told the Global
Times", "according to X", "..., X reported") sentence by sentence and returns one row per
attribution with the speaker, the speaker's description (title, institution, stated
nationality), the reporting verb and its connotation (neutral "said" vs "claimed",
"admitted" ... from ``resources/reporting_verbs.yml``), and the quote or paraphrase. Later
mentions ("Liu said", "he said") are resolved to the full name given earlier.
:func:`voice_balance` summarises the share of attributions by speaker kind or nationality.

The rules are transparent pattern rules over English news prose (no parser, no model): they
find the common attribution shapes and deliberately skip sentences whose "speaker" is not a
named source or a role ("the letter will say", "according to the report"), preferring a
missed attribution to a false speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import yaml

from .config import RESOURCES

OPEN_QUOTES = '"“«„'
CLOSE_QUOTES = '"”»‟'

_AUX = {
    "will",
    "would",
    "also",
    "has",
    "had",
    "have",
    "later",
    "previously",
    "further",
    "then",
    "again",
    "once",
    "recently",
    "earlier",
    "reportedly",
    "repeatedly",
    "publicly",
    "privately",
    "separately",
    "quickly",
    "openly",
    "even",
    "already",
    "may",
    "might",
    "could",
    "can",
    "did",
    "does",
    "do",
    "just",
    "first",
    "last",
    "both",
    "all",
    "himself",
    "herself",
}
_PASSIVE = {"is", "are", "was", "were", "be", "been", "being", "to", "not", "never", "n't"}
_CONNECTORS = {
    "of",
    "the",
    "for",
    "and",
    "de",
    "al",
    "bin",
    "van",
    "von",
    "du",
    "da",
    "la",
    "le",
    "on",
    "at",
}
_TITLES = {
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Prof",
    "Professor",
    "Minister",
    "President",
    "Premier",
    "Secretary",
    "General",
    "Chairman",
    "Director",
    "Prime",
    "Foreign",
    "Defense",
    "Defence",
    "Senator",
    "Rep",
    "Governor",
    "Mayor",
    "Admiral",
    "Colonel",
    "Captain",
    "Sir",
    "Lord",
    "Administrator",
    "Deputy",
    "Interior",
    "Energy",
    "Sen",
    "Gov",
    "Chief",
    "Executive",
    "CEO",
    "Chancellor",
    "Commissioner",
    "Ambassador",
    "Representative",
    "Congressman",
    "Congresswoman",
    "Speaker",
    "Judge",
    "Spokesman",
    "Spokeswoman",
    "Vice",
    "Assistant",
    "Under",
    "State",
    "Lt",
    "Gen",
    "Col",
    "Adm",
}
_NOT_NP_START = {
    "without",
    "with",
    "in",
    "on",
    "at",
    "for",
    "after",
    "before",
    "during",
    "however",
    "though",
    "although",
    "which",
    "who",
    "whose",
    "when",
    "while",
    "as",
    "meanwhile",
    "also",
    "too",
    "then",
    "instead",
    "not",
    "and",
    "but",
    "or",
    "if",
    "because",
    "since",
    "by",
    "from",
    "to",
    "speaking",
}
_PLACES = {
    "China",
    "Japan",
    "Beijing",
    "Tokyo",
    "Seoul",
    "Washington",
    "Taipei",
    "Moscow",
    "Manila",
    "Hanoi",
    "Pyongyang",
    "Taiwan",
    "Korea",
    "South Korea",
    "North Korea",
    "Russia",
    "India",
    "Britain",
    "London",
    "Paris",
    "Brussels",
    "Canberra",
    "Australia",
    "the United States",
    "United States",
    "America",
    "Germany",
    "France",
    "Philippines",
    "Vietnam",
    "Europe",
    "EU",
    "Kremlin",
    "White House",
    "Pentagon",
    "Downing Street",
}
_TRAILING_ROLE = {
    "report",
    "reports",
    "commentary",
    "editorial",
    "statement",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "officials",
    "source",
    "sources",
}
_WORD_RE = re.compile(r"[^\W_][\w'’.\-]*")


@dataclass(frozen=True)
class _Lexicon:
    verb_class: dict[str, str]
    verb_re: re.Pattern
    media: dict[str, str]
    media_words: frozenset
    org_words: frozenset
    role_nouns: frozenset
    pronouns: frozenset
    nationalities: dict[str, str]
    not_speakers: frozenset


@lru_cache(maxsize=4)
def _lexicon(verbs_path: str | None = None, speakers_path: str | None = None) -> _Lexicon:
    vp = RESOURCES / "reporting_verbs.yml" if verbs_path is None else verbs_path
    sp = RESOURCES / "speakers.yml" if speakers_path is None else speakers_path
    v = yaml.safe_load(open(vp, encoding="utf-8"))
    s = yaml.safe_load(open(sp, encoding="utf-8"))
    verb_class = {}
    for cls, spec in v["categories"].items():
        for form in spec.get("forms", []):
            verb_class.setdefault(str(form).lower(), cls)
    forms = sorted(verb_class, key=len, reverse=True)
    # case-sensitive on purpose ("United States" is not "states"); sentence-initial
    # "According to" is the one capitalised form news prose uses
    forms = [*forms, "According to"]
    verb_re = re.compile(
        r"(?<![\w'’-])(?:"
        + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
        + r")(?![\w'’-])"
    )
    return _Lexicon(
        verb_class,
        verb_re,
        {str(k): str(val) for k, val in s["media_outlets"].items()},
        frozenset(map(str.lower, s["media_words"])),
        frozenset(map(str.lower, s["organisation_words"])),
        frozenset(map(str.lower, s["role_nouns"])),
        frozenset(map(str.lower, s["pronouns"])),
        {str(k): str(val) for k, val in s["nationalities"].items()},
        frozenset(map(str, s["not_speakers"])),
    )


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the text inside paired quotation marks (marks excluded).

    Straight quotes toggle; curly quotes open and close. A quote left open at the end of a
    paragraph closes there (news style re-opens it in the next paragraph).

    >>> quote_spans('He said: "No comment." Then left.')
    [(10, 21)]
    """
    spans, start = [], None
    for i, ch in enumerate(text):
        if (
            ch == "\n"
            and start is not None
            and text[i : i + 2].strip() == ""
            and "\n" in text[i + 1 : i + 3]
        ):
            spans.append((start, i))
            start = None
        elif ch == '"':
            if start is None:
                start = i + 1
            else:
                spans.append((start, i))
                start = None
        elif ch in "“«„" and start is None:
            start = i + 1
        elif ch in "”»‟" and start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e - s > 1]


def _words(s: str) -> list[tuple[str, int, int]]:
    return [
        (
            m.group().rstrip(".") if not re.fullmatch(r"(?:[A-Z]\.)+", m.group()) else m.group(),
            m.start(),
            m.end(),
        )
        for m in _WORD_RE.finditer(s)
    ]


def _is_cap(w: str) -> bool:
    return bool(w) and w[0].isupper()


def _split_name(segment: str, lex: _Lexicon) -> tuple[str, str]:
    """Split "Japanese newspaper Yomiuri Shimbun" into (name, prefix description)."""
    ws = _words(segment)
    if not ws:
        return "", ""
    j = len(ws)
    # the name is the trailing run of capitalised words (connectors allowed inside)
    while j > 0 and (
        _is_cap(ws[j - 1][0]) or (ws[j - 1][0].lower() in _CONNECTORS and j < len(ws))
    ):
        j -= 1
    while j < len(ws) and not _is_cap(ws[j][0]):
        j += 1
    name_words = [w for w, _, _ in ws[j:]]
    if not name_words or not _is_cap(name_words[-1]):
        return "", segment.strip()
    # sentence-opening words ("However", "The") are not part of a name
    while name_words and name_words[0] in lex.not_speakers:
        name_words = name_words[1:]
        j += 1
    # titles before a person's name ("Prime Minister Shinzo Abe", "EPA Administrator Andrew
    # Wheeler") belong to the description: cut after the last title word
    titled = [i for i, w in enumerate(name_words) if w.rstrip(".") in _TITLES]
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
    if re.search(r"['’]s?$", name):
        # a possessive ("Trump's comments") is not the speaker
        return "", segment.strip()
    return name, prefix


_ORG_CHUNK = re.compile(
    r"(?:the\s+)?((?:[A-Z][\w'’.\-]*)(?:\s+(?:of|for|and|on|the|de)?\s*[A-Z][\w'’.\-]*)*)"
)


def _describe(desc: str, prefix: str, name: str, lex: _Lexicon) -> dict:
    """Title, institution and stated nationality from a speaker's description."""
    text = " ".join(x for x in (prefix, desc) if x).strip()
    institution, title = "", ""
    chunks = [
        m
        for m in _ORG_CHUNK.finditer(text)
        if any(w.lower() in lex.org_words for w in m.group(1).split())
    ]
    if not chunks:
        # "a strategist at Monument Securities": the capitalised object of at/with/of/for
        tail = re.search(
            r"\b(?:at|with|of|for|from)\s+(?:the\s+)?([A-Z][\w'’.\-]*(?:\s+(?:of|for|and|on|the|de)?\s*[A-Z][\w'’.\-]*)*)\s*$",
            text,
        )
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
    title = re.sub(r"^(?:a|an|the)\s+", "", title.strip(" ,'’\""), flags=re.I)
    title = re.sub(r"(?:\s+(?:of|at|with|from|for|in|by))?(?:\s+the)?\s*$", "", title, flags=re.I)
    title = "" if title.lower() in {"the", "a", "an"} else title.strip(" ,'’\"")
    nationality, nat_src = "", ""
    for adj in sorted(lex.nationalities, key=len, reverse=True):
        if re.search(rf"(?<![\w.]){re.escape(adj)}(?![\w])", text):
            nationality, nat_src = lex.nationalities[adj], "stated"
            break
    if not nationality:
        key = re.sub(r"^the\s+", "", name, flags=re.I)
        for outlet, country in lex.media.items():
            if key.lower() == re.sub(r"^the\s+", "", outlet, flags=re.I).lower():
                nationality, nat_src = country, "outlet list"
                break
    return {
        "title": title,
        "institution": institution,
        "nationality": nationality,
        "nationality_source": nat_src,
    }


def _kind(name: str, prefix: str, desc: str, lex: _Lexicon) -> str:
    key = re.sub(r"^the\s+", "", name, flags=re.I).lower()
    if any(key == re.sub(r"^the\s+", "", o, flags=re.I).lower() for o in lex.media):
        return "media"
    words = [w.lower() for w in re.findall(r"[\w'’.]+", name)]
    pre = [w.lower() for w in re.findall(r"[\w'’]+", prefix)]
    if pre and pre[-1] in lex.media_words or any(w in lex.media_words for w in pre[-2:]):
        return "media"
    if words and words[-1] in {"report", "reports", "commentary", "editorial"}:
        return "media"
    if name in _PLACES or key in {p.lower() for p in _PLACES}:
        return "organisation"
    if (
        words
        and words[-1] in _TRAILING_ROLE | lex.role_nouns
        and len(words) > 1
        and words[-1] not in {"ministry", "government"}
    ):
        return "person"
    if any(w in lex.org_words for w in words) or re.fullmatch(r"[A-Z]{2,}", name):
        return "organisation"
    if words and words[0] in lex.role_nouns | lex.pronouns:
        return "person"
    return "person"


def _strip_aux(left: str) -> tuple[str, bool]:
    """Drop auxiliaries before the verb ("will also"); flag passives/infinitives ("is said to")."""
    s = left.rstrip()
    while True:
        m = re.search(r"(\S+)\s*$", s)
        if not m:
            return s, False
        w = m.group(1).lower()
        if w in _PASSIVE:
            return s, True
        if w in _AUX:
            s = s[: m.start()].rstrip()
            continue
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


def _find_quote(spans, lo: int, hi: int) -> tuple[int, int] | None:
    best = None
    for s, e in spans:
        if lo <= e <= hi:
            best = (s, e)
    return best


def _segment(left: str) -> tuple[str, int, str]:
    """The speaker segment before a verb: text after the last delimiter; and the delimiter."""
    idx, delim = -1, ""
    for m in re.finditer(
        r"[,;:()\u2014\u2013]|" + f"[{re.escape(OPEN_QUOTES + CLOSE_QUOTES)}]|\\s-\\s", left
    ):
        idx, delim = m.end(), m.group().strip()
    return (left, -1, "") if idx < 0 else (left[idx:], idx, delim)


def _parse(sentence: str, vm: re.Match, lex: _Lexicon) -> dict | None:
    verb = re.sub(r"\s+", " ", vm.group().lower())
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
        m = re.match(r"\s*([^,;.]+?)(?:\s*[,;.]|\s*$)", right)
        if not m:
            return None
        seg = m.group(1)
        name, prefix = _split_name(seg, lex)
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
    left2, passive = _strip_aux(left)
    if passive:
        return None
    if left2.endswith(","):
        # appositive: "Lü Chao, a researcher with ..., told"
        body = left2[:-1]
        cut = body.rfind(",")
        if cut > 0:
            desc = body[cut + 1 :].strip()
            first = desc.split()[0].lower() if desc else ""
            # an interjection ("Trump, without citing evidence, said") is no description
            interjection = first in _NOT_NP_START or first.endswith(("ing", "ly"))
            if (
                desc
                and (
                    not _is_cap(desc)
                    or re.match(r"(?:a|an|the)\s", desc, re.I)
                    or desc.split()[0] in _TITLES
                )
                and not lex.verb_re.search(desc)
                and len(desc.split()) <= 25
            ):
                seg, _, _ = _segment(body[:cut])
                name, prefix = _split_name(seg, lex)
                if name and len(seg.split()) <= 8:
                    out.update(
                        speaker=name, prefix=prefix, description="" if interjection else desc
                    )
                    return _finish(
                        out, sentence, left, right, lex, seg_start=left.find(seg.strip())
                    )
        # "'…,' said Liu" — speaker after the verb
        if re.search(f"[{re.escape(CLOSE_QUOTES)}]\\s*,?$", left2) or left2.rstrip(",").endswith(
            tuple(CLOSE_QUOTES)
        ):
            return _inverted(out, sentence, left2, right, lex)
        return None
    if re.search(f"[{re.escape(CLOSE_QUOTES + OPEN_QUOTES)}]\\s*$", left2):
        return _inverted(out, sentence, left2, right, lex)
    seg, idx, delim = _segment(left2)
    seg_words = seg.split()
    if not seg_words or len(seg_words) > 9:
        return None
    name, prefix = _split_name(seg, lex)
    low = [w.lower().strip(".,") for w in seg_words]
    if not name:
        if low[-1] in lex.pronouns and len(low) == 1:
            name, prefix = seg.strip(), ""
        elif low[-1] in lex.role_nouns:
            name, prefix = re.sub(r"^(?:a|an|the)\s+", "", seg.strip(), flags=re.I), ""
        else:
            return None
    elif low[-1] in _TRAILING_ROLE and not _is_cap(seg_words[-1]):
        name = f"{name} {seg_words[-1]}" if not name.endswith(seg_words[-1]) else name
    if name in lex.not_speakers or not re.search(r"\w", name):
        return None
    # the name must end the segment (else e.g. "Abe's letter" or "China's patrols" precede the verb)
    if (
        not seg.rstrip().endswith(name.split()[-1])
        and low[-1] not in _TRAILING_ROLE | lex.role_nouns
    ):
        return None
    if prefix and len(prefix.split()) > 6:
        return None
    if prefix and re.search(r"\b(?:in|at|of|for|from|with|on|by|to)$", prefix, re.I):
        # the name is the object of a preposition ("... Office in Baghdad said"); when the
        # segment is an appositive missing its closing comma ("Marc Ostwald, a strategist at
        # Monument Securities told") the speaker is the name before it
        if idx > 0 and re.match(r"(?:a|an|the)\s+[a-z]", prefix, re.I):
            seg2, idx2, _ = _segment(left2[: idx - 1])
            name2, prefix2 = _split_name(seg2, lex)
            if name2 and seg2.rstrip().endswith(name2.split()[-1]) and len(seg2.split()) <= 6:
                out.update(speaker=name2, prefix=prefix2, description=seg.strip())
                return _finish(out, sentence, left, right, lex, seg_start=max(idx2, 0))
        return None
    out.update(speaker=name, prefix=prefix)
    if (delim and delim in CLOSE_QUOTES) or (
        delim == "," and re.search(f"[{re.escape(CLOSE_QUOTES)}]\\s*,?\\s*$", left2[:idx])
    ):
        out["mode"] = "direct"
    return _finish(out, sentence, left, right, lex, seg_start=idx if idx >= 0 else 0)


def _inverted(out: dict, sentence: str, left: str, right: str, lex: _Lexicon) -> dict | None:
    m = re.match(r"\s*((?:[A-Z][\w'’.\-]*\s*)+)(?:,\s*([^,]+?)\s*,?)?\s*[.,;]?\s*$", right)
    if not m:
        return None
    name, prefix = _split_name(m.group(1), lex)
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


def _finish(out: dict, sentence: str, left: str, right: str, lex: _Lexicon, seg_start: int) -> dict:
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
        or re.match(r"^[.;!?\"”]*$", stripped)
        or re.match(r"^,\s*(?:adding|noting|saying)\b", stripped)
    ):
        # trailing attribution: the reported content precedes the speaker
        out["trailing"] = True
        before = left[: max(seg_start, 0)]
        before = before.rstrip(' ,"”')
        added = re.sub(r"^,\s*(?:adding|noting|saying)\s+(?:that\s+)?", "", stripped).rstrip(" .")
        content = before.strip(" ,")
        content = re.sub(r"^(?:However|But|And|Meanwhile|Still|Yet),\s*", "", content)
        out["content"] = content + (
            f" [adding] {added}" if added and added != stripped.rstrip(" .") else ""
        )
    else:
        rest = re.sub(r"^\s*[,:]?\s*(?:that\s+)?", "", rest)
        out["content"] = rest.strip().rstrip(".")
        if rest.lstrip()[:1] in OPEN_QUOTES:
            out["mode"] = "direct"
    return out


def attributions(data: pd.DataFrame, resolve: bool = True) -> pd.DataFrame:
    """Who is quoted or paraphrased, with which verb, in every document.

    In: a corpus (``doc_id``, ``text``). Out, one row per attribution in document order:
    ``doc_id``, ``sentence`` (0-based index), ``sent_start``, ``sent_end`` (character offsets of
    the sentence), ``speaker`` (as written), ``speaker_resolved`` (full name from an earlier
    mention for "Liu said" / "he said"), ``kind`` (person / media / organisation),
    ``description`` (apposition, e.g. "a researcher with ..."), ``title``, ``institution``,
    ``nationality`` and ``nationality_source`` ("stated" in the text or "outlet list"),
    ``verb``, ``verb_class`` (neutral, emphatic, doubt, concession, factive, assessment,
    aggressive), ``mode`` (direct / indirect / according_to), ``addressee`` ("the Global
    Times"), ``quote`` (the quoted words or the paraphrase).

    >>> import pandas as pd
    >>> a = attributions(pd.DataFrame({"doc_id": ["x"], "text": ["Tokyo will act, NHK reported."]}))
    >>> a[["speaker", "kind", "verb"]].values.tolist()
    [['NHK', 'media', 'reported']]
    """
    from .text import sentence_spans

    lex = _lexicon()
    rows = []
    for doc_id, text in zip(data["doc_id"], data["text"], strict=True):
        text = text if isinstance(text, str) else ""
        qspans = quote_spans(text)
        doc_rows = []
        for si, (ss, se) in enumerate(sentence_spans(text)):
            sent = text[ss:se]
            seen = set()
            for vm in lex.verb_re.finditer(sent):
                # words inside a quotation are the quote, not an attribution
                if any(s <= ss + vm.start() < e for s, e in qspans):
                    continue
                p = _parse(sent, vm, lex)
                if p is None or p["speaker"] in seen:
                    continue
                seen.add(p["speaker"])
                quote = p["content"]
                if p["mode"] == "direct" or not quote:
                    q = _find_quote(qspans, ss, ss + vm.start()) if p["mode"] == "direct" else None
                    if q is None:
                        q = next(((s, e) for s, e in qspans if ss + vm.end() <= s < se), None)
                    if q is not None:
                        quote, p["mode"] = text[q[0] : q[1]].strip(), "direct"
                d = _describe(p["description"], p["prefix"], p["speaker"], lex)
                kind = _kind(p["speaker"], p["prefix"], p["description"], lex)
                if (
                    kind == "person"
                    and len(p["speaker"].split()) == 1
                    and p["speaker"].lower() not in lex.pronouns | lex.role_nouns
                    and re.match(r"(?:that\s+)?(?:it|its)\b", p["content"] or "")
                ):
                    # "Diageo said it expects ...": a one-word speaker reporting on "it" is a body
                    kind = "organisation"
                if p["prefix"].lower() in {"the", "a", "an"}:
                    p["prefix"] = ""
                doc_rows.append(
                    {
                        "doc_id": doc_id,
                        "sentence": si,
                        "sent_start": ss,
                        "sent_end": se,
                        "speaker": p["speaker"],
                        "speaker_resolved": p["speaker"],
                        "kind": kind,
                        "description": " ".join(x for x in (p["prefix"], p["description"]) if x),
                        **d,
                        "verb": p["verb"],
                        "verb_class": p["verb_class"],
                        "mode": p["mode"],
                        "addressee": p["addressee"],
                        "quote": quote,
                    }
                )
        if resolve:
            _resolve(doc_rows, text, lex)
        rows.extend(doc_rows)
    cols = [
        "doc_id",
        "sentence",
        "sent_start",
        "sent_end",
        "speaker",
        "speaker_resolved",
        "kind",
        "description",
        "title",
        "institution",
        "nationality",
        "nationality_source",
        "verb",
        "verb_class",
        "mode",
        "addressee",
        "quote",
    ]
    return pd.DataFrame(rows, columns=cols)


UNRESOLVED = "(unresolved pronoun)"


def _name_word_ok(w: str, lex: _Lexicon) -> bool:
    return (
        w.rstrip(".") not in _TITLES
        and w not in lex.not_speakers
        and w not in _PLACES
        and w.lower() not in lex.org_words
        and not (w.isupper() and len(w) > 2)
    )


def _full_name_before(token: str, text: str, lex: _Lexicon) -> str:
    """The last "First Last" in ``text`` ending in ``token`` (or, failing that, "Token Given",
    the surname-first order of Chinese, Japanese and Korean names)."""
    best = ""
    for m in re.finditer(rf"\b((?:[A-Z][\w'’\-]+\s+){{1,2}}){re.escape(token)}\b", text):
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
    for m in re.finditer(rf"\b{re.escape(token)}\s+([A-Z][a-z][\w'’\-]*)\b", text):
        if _name_word_ok(m.group(1), lex):
            best = f"{token} {m.group(1)}"
    return best


def _resolve(rows: list[dict], text: str, lex: _Lexicon) -> None:
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


def voice_balance(att: pd.DataFrame, by: str = "kind", group: str | None = None) -> pd.DataFrame:
    """Share of attributions by speaker ``kind`` or ``nationality`` (or any column).

    In: :func:`attributions` output (joined with the corpus if ``group`` is e.g. ``outlet``).
    Out: ``<group>`` (if given), ``<by>`` (empty values shown as "(not stated)"),
    ``n_attributions``, ``n_speakers`` (distinct resolved speakers), ``share``.
    """
    if by not in att.columns:
        raise ValueError(
            f"voice_balance(by={by!r}): column not in the attributions table ({list(att.columns)})"
        )
    a = att.copy()
    a[by] = a[by].fillna("").astype(str).replace("", "(not stated)")
    keys = ([group] if group else []) + [by]
    out = (
        a.groupby(keys)
        .agg(n_attributions=("speaker", "size"), n_speakers=("speaker_resolved", "nunique"))
        .reset_index()
    )
    tot = (
        out.groupby(group)["n_attributions"].transform("sum")
        if group
        else out["n_attributions"].sum()
    )
    out["share"] = out["n_attributions"] / tot
    return out.sort_values(
        keys[:-1] + ["n_attributions"], ascending=[True] * (len(keys) - 1) + [False]
    ).reset_index(drop=True)


def speaker_table(att: pd.DataFrame) -> pd.DataFrame:
    """One row per resolved speaker: ``speaker``, ``kind``, ``title``, ``institution``,
    ``nationality``, ``n_attributions``, ``n_docs``, ``verbs`` (distinct verbs used)."""
    if att.empty:
        return pd.DataFrame(
            columns=[
                "speaker",
                "kind",
                "title",
                "institution",
                "nationality",
                "n_attributions",
                "n_docs",
                "verbs",
            ]
        )
    g = att.groupby("speaker_resolved", sort=False)
    out = g.agg(
        kind=("kind", "first"),
        title=("title", lambda s: next((x for x in s if x), "")),
        institution=("institution", lambda s: next((x for x in s if x), "")),
        nationality=("nationality", lambda s: next((x for x in s if x), "")),
        n_attributions=("speaker", "size"),
        n_docs=("doc_id", "nunique"),
        verbs=("verb", lambda s: ", ".join(dict.fromkeys(s))),
    ).reset_index()
    return (
        out.rename(columns={"speaker_resolved": "speaker"})
        .sort_values("n_attributions", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
