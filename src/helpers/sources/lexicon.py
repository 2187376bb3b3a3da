"""The word lists attribution rules read: reporting verbs, speakers, titles, places.

Two editable resources are loaded by :func:`load_lexicon` into a :class:`Lexicon`:
``resources/reporting_verbs.yml`` (verb forms and their connotation class, compiled into one
pattern) and ``resources/speakers.yml`` (media outlets and their country, media, organisation
and role words, pronouns, nationality adjectives, words that are never speakers). The fixed
lists below (auxiliaries, titles, places ...) are part of the rules themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from ..config import RESOURCES

AUX = {
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
PASSIVE = {"is", "are", "was", "were", "be", "been", "being", "to", "not", "never", "n't"}
CONNECTORS = {
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
TITLES = {
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
NOT_NP_START = {
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
PLACES = {
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
TRAILING_ROLE = {
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


@dataclass(frozen=True)
class Lexicon:
    """The loaded word lists (see :func:`load_lexicon`)."""

    verb_class: dict[str, str]
    verb_re: re.Pattern
    media: dict[str, str]
    media_words: frozenset
    org_words: frozenset
    role_nouns: frozenset
    pronouns: frozenset
    nationalities: dict[str, str]
    not_speakers: frozenset
    #: (adjective, country, pattern), longest adjective first: the order descriptions are read in
    nationality_patterns: tuple = field(init=False, repr=False, compare=False)
    #: outlet name without a leading "the", lower-cased -> country (the first outlet listed wins)
    media_keys: dict = field(init=False, repr=False, compare=False)
    #: a cheap pattern matching wherever :attr:`verb_re` can (and more); see :meth:`verb_matches`
    verb_scan: re.Pattern | None = field(default=None, repr=False, compare=False)
    #: where a form of :attr:`verb_re` can start in a whole text, by the character before it:
    #: (after a space, after another character outside ``[\w'’-]``, at the text's start);
    #: see :func:`helpers.sources.attribution._verb_candidates`
    verb_candidates: tuple | None = field(default=None, repr=False, compare=False)
    #: unions of the word sets the rules test together, built once
    pronouns_or_roles: frozenset = field(init=False, repr=False, compare=False)
    trailing_or_roles: frozenset = field(init=False, repr=False, compare=False)
    memo: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        """Compile the lookups every attribution uses once, not once per speaker."""
        adjs = sorted(self.nationalities, key=len, reverse=True)
        pats = tuple(
            (a, self.nationalities[a], re.compile(rf"(?<![\w.]){re.escape(a)}(?![\w])")) for a in adjs
        )
        keys: dict[str, str] = {}
        for outlet, country in self.media.items():
            keys.setdefault(re.sub(r"^the\s+", "", outlet, flags=re.I).lower(), country)
        object.__setattr__(self, "nationality_patterns", pats)
        object.__setattr__(self, "media_keys", keys)
        object.__setattr__(self, "pronouns_or_roles", self.pronouns | self.role_nouns)
        object.__setattr__(self, "trailing_or_roles", frozenset(TRAILING_ROLE) | self.role_nouns)
        # results of the name rules for strings already seen ("he", "the ministry", "Xinhua"
        # recur): :mod:`helpers.sources.names` reads and fills them
        object.__setattr__(self, "memo", {"split_name": {}, "describe": {}, "speaker_kind": {}})

    def verb_matches(self, sentence: str) -> Iterator[re.Match]:
        """The matches of :attr:`verb_re` in ``sentence``, exactly as ``verb_re.finditer``.

        ``verb_re`` is a long alternation of verb forms tried at every character; ``verb_scan``
        (the same forms as a letter tree, at word starts) finds the next position where a form
        can start, and ``verb_re`` then matches there (or not: the scan continues after it).
        """
        scan = self.verb_scan
        if scan is None:
            yield from self.verb_re.finditer(sentence)
            return
        search, match, pos = scan.search, self.verb_re.match, 0
        while (c := search(sentence, pos)) is not None:
            vm = match(sentence, c.start())
            if vm is None:
                pos = c.start() + 1
            else:
                yield vm
                pos = vm.end()  # forms are not empty (else there is no scan)


@lru_cache(maxsize=4)
def load_lexicon(verbs_path: str | None = None, speakers_path: str | None = None) -> Lexicon:
    """The reporting verbs and speaker lists (default: the shipped resources), cached."""
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
    return Lexicon(
        verb_class,
        verb_re,
        {str(k): str(val) for k, val in s["media_outlets"].items()},
        frozenset(map(str.lower, s["media_words"])),
        frozenset(map(str.lower, s["organisation_words"])),
        frozenset(map(str.lower, s["role_nouns"])),
        frozenset(map(str.lower, s["pronouns"])),
        {str(k): str(val) for k, val in s["nationalities"].items()},
        frozenset(map(str, s["not_speakers"])),
        verb_scan=_verb_scan(forms),
        verb_candidates=_verb_candidates(forms),
    )


def _verb_scan(forms: list[str]) -> re.Pattern | None:
    """A pattern that matches at every position where one of ``forms`` (as compiled into
    ``verb_re``) can match: the forms as a letter tree, so each position costs a few character
    tests instead of one per form. ``\\b`` holds wherever ``verb_re``'s look-behind does, as
    long as every form starts with a word character; else there is no scan (None).

    >>> bool(_verb_scan(["said", "says", "according to"]).search("as Li says"))
    True
    """
    tree = _form_tree(forms)
    return None if tree is None else re.compile(r"\b(?:" + tree + r")(?![\w'’-])")


def _verb_candidates(forms: list[str]) -> tuple | None:
    """Three patterns whose matches end where one of ``forms`` (as compiled into ``verb_re``,
    its look-ahead included) can start: after a space (a literal first character, which the
    regular-expression engine looks for quickly), after another character outside
    ``[\\w'’-]``, and (``match`` only) at the text's start. Together they find every start
    ``verb_re`` can match in the text or in a sentence of it that does not border a word
    character. None when there is no scan (:func:`_verb_scan`).

    >>> space, other, start = _verb_candidates(["said", "according to"])
    >>> [m.end() for m in space.finditer("Li said (said) so, according  to me; saiding")]
    [3, 19]
    >>> [m.end() for m in other.finditer("Li said (said) so")], bool(start.match("said."))
    ([9], True)
    """
    tree = _form_tree(forms)
    if tree is None:
        return None
    form = "(?=(?:" + tree + r")(?![\w'’-]))"
    return (re.compile(" " + form), re.compile(r"[^a-z \w'’-]" + form), re.compile(form))


def _form_tree(forms: list[str]) -> str | None:
    """``forms`` as one pattern, a letter tree (spaces as ``\\s+``), or None unless every form
    starts with a word character."""
    if not forms or not all(re.match(r"\w", f) for f in forms):
        return None
    tree: dict = {}
    for f in forms:
        node = tree
        for ch in f:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [
            (r"\s+" if ch == " " else re.escape(ch)) + emit(node[ch]) for ch in sorted(node) if ch
        ]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)
