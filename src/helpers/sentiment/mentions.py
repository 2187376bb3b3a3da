"""Target mentions: the editable alias table and the mentions of each target it finds.

:func:`load_aliases` reads ``resources/sentiment_targets.yml`` (targets -> kinds of aliases:
names, capitals, adjectives, bodies, leaders, and ``exclude`` phrases); :func:`find_mentions`
finds them in sentences, one row per mention in NewsMTSC's layout (``sentence``, ``mention``,
``from``, ``to``).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from ..config import RESOURCES


def load_aliases(path: str | Path | None = None) -> pd.DataFrame:
    """The alias table as rows ``target``, ``kind``, ``alias`` (``kind == "exclude"`` rows are
    phrases in which a match does not count). ``None`` reads ``resources/sentiment_targets.yml``.

    >>> a = load_aliases()
    >>> sorted(a.loc[a.target == "China", "kind"].unique())[:2]
    ['adjectives', 'bodies']
    """
    path = Path(path) if path is not None else RESOURCES / "sentiment_targets.yml"
    if not path.is_file():
        raise FileNotFoundError(f"alias table {path} does not exist")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected targets as top-level keys")
    rows = []
    for target, kinds in data.items():
        if isinstance(kinds, list):
            kinds = {"names": kinds}
        if not isinstance(kinds, dict):
            raise ValueError(
                f"{path}: target {target!r} must map kinds (names, leaders, ...) to lists"
            )
        for kind, aliases in kinds.items():
            if not isinstance(aliases, list):
                raise ValueError(f"{path}: {target}.{kind} must be a list of aliases")
            for alias in aliases:
                alias = str(alias).strip()
                if alias:
                    rows.append((str(target), str(kind), alias))
    if not rows:
        raise ValueError(f"{path}: no aliases found")
    return pd.DataFrame(rows, columns=["target", "kind", "alias"])


def _alias_regex(aliases: Sequence[str]) -> re.Pattern:
    parts = []
    for alias in sorted(set(aliases), key=lambda a: (-len(a), a)):
        esc = r"\s+".join(re.escape(w) for w in alias.split())
        esc = esc.replace("'", "['’]")
        parts.append(esc if alias != alias.lower() else f"(?i:{esc})")
    # \b fails next to a final "." (U.S.), so words are delimited by "not a word character".
    return re.compile(r"(?<![\w\-])(?:" + "|".join(parts) + r")(?![\w\-])")


def _alias_key(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


#: Units searched in one pass (bounds the memory of the joined text).
_BATCH_UNITS = 20_000
#: Joins the units of a pass: no alias holds it and \\s+ cannot cross it, so no match spans two
#: units, and the newlines around it look to the alias regex like the start and end of a text.
_SEP = "\n\x00\n"


#: Characters of each prefix that candidate positions are screened with.
_PREFIX = 2


@functools.lru_cache(maxsize=1)
def _every_character() -> str:
    codes = np.arange(0x110000, dtype="<u4")
    return codes[(codes < 0xD800) | (codes > 0xDFFF)].tobytes().decode("utf-32-le")


@functools.lru_cache(maxsize=256)
def _folds(char: str) -> str:
    """Every character that ``(?i:char)`` matches (Unicode case folding, as ``re`` does it)."""
    return "".join(sorted(set(re.findall(f"(?i:{re.escape(char)})", _every_character()))))


def _head(alias: str) -> list[str] | None:
    """The texts the first word characters of ``alias`` (up to :data:`_PREFIX`) can be matched
    by in the alias regex, or ``None`` when it begins with no word character."""
    head = re.match(rf"\w{{1,{_PREFIX}}}", alias)
    if head is None or "'" in head.group(0):
        return None
    if alias != alias.lower():
        return [head.group(0)]
    variants = [""]
    for ch in head.group(0):
        folds = _folds(ch)
        if not folds or not re.fullmatch(r"\w+", folds):
            return None
        variants = [v + f for v in variants for f in folds]
    return variants


def _rest(alias: str, n: int) -> str:
    """The alias regex's part for ``alias`` after its first ``n`` characters (word characters of
    its first word): the same escaping, spacing and case as in :func:`_alias_regex`."""
    words = alias.split()
    esc = r"\s+".join([re.escape(words[0][n:]), *map(re.escape, words[1:])])
    esc = esc.replace("'", "['’]")
    return esc if alias != alias.lower() else f"(?i:{esc})"


@functools.lru_cache(maxsize=64)
def _candidate_regex(aliases: tuple[str, ...]) -> re.Pattern | None:
    """A screen for :func:`_alias_regex`: matches at every position where an alias can match (its
    first character, in each case the alias regex accepts, not after a word character or hyphen,
    followed by the rest of that alias, looked ahead), and at few others (only the alias regex's
    final "no word character next" is left to it, so a frequent head such as "th" of "the
    alliance" is not a candidate wherever "the" is). Every character it consumes is a word
    character, so no alias can start inside one of its matches. ``None`` when an alias does not
    begin with a word character (or with one whose case variants are not all word characters,
    :func:`_head`)."""
    rests: dict[str, list[str]] = {}
    for alias in aliases:
        heads = _head(alias)
        if heads is None:
            return None
        rest = _rest(alias, 1)
        for head in dict.fromkeys(h[0] for h in heads):
            rests.setdefault(head, []).append(rest)
    # one branch per first character, each starting with that literal, so re scans for the
    # first characters in C and tries the lookahead only where one is found
    parts = "|".join(
        rf"{re.escape(c)}(?<![\w\-].)(?={'|'.join(dict.fromkeys(rests[c]))})" for c in sorted(rests)
    )
    return re.compile(f"(?:{parts})", re.S)


def _finditer(rx: re.Pattern, screen: re.Pattern | None, text: str):
    """The spans of ``rx.finditer(text)``: ``rx`` is tried only where the ``screen`` matches
    (every position where ``rx`` can match, :func:`_candidate_regex`), from the end of the last
    match on, so the matches are the same leftmost, non-overlapping ones."""
    if screen is None:
        return [m.span() for m in rx.finditer(text)]
    match, out, last = rx.match, [], 0
    for p in map(re.Match.start, screen.finditer(text)):
        if p >= last:
            m = match(text, p)
            if m is not None:
                last = m.end()
                out.append((p, last))
    return out


#: Characters ASCII ``\\w`` and the hyphen: a necessary boundary test in RE2 (whose ``\\w`` is ASCII).
_RE2_EDGE = r"[^0-9A-Za-z_\-]"


def _re2_class(chars) -> str:
    """An RE2 pattern matching exactly one of ``chars`` (code points written as ``\\x{...}``)."""
    codes = [f"\\x{{{ord(c):x}}}" for c in sorted(set(chars))]
    return codes[0] if len(codes) == 1 else f"[{''.join(codes)}]"


@functools.lru_cache(maxsize=64)
def _prescreen_pattern(aliases: tuple[str, ...]) -> str | None:
    """An RE2 pattern (Arrow's regex engine) that finds a match in every text where the alias
    regex of ``aliases`` (:func:`_alias_regex`) finds one, and in few others: each alias with
    every character as the set of characters the alias regex accepts there (its case folds for
    a lower-case alias, found with ``re`` itself by :func:`_folds`; ``'`` or ``’`` for ``'``),
    the words joined by one or more of the characters ``re``'s ``\\s`` matches, between
    characters that are not ASCII word characters or hyphens (the alias regex's edges, "not a
    word character or hyphen", imply these). ``None`` without aliases."""
    if not aliases:
        return None
    space = _re2_class(re.findall(r"\s", _every_character())) + "+"
    parts = []
    for alias in sorted(set(aliases), key=lambda a: (-len(a), a)):
        fold = alias == alias.lower()
        words = [
            "".join(_re2_class({*(_folds(c) if fold else c), c, *("'’" if c == "'" else "")}) for c in w)
            for w in alias.split()
        ]
        parts.append(space.join(words))
    return f"(?s)(?:^|{_RE2_EDGE})(?:{'|'.join(parts)})(?:$|{_RE2_EDGE})"


def _prescreen(texts: pd.Series, aliases: tuple[str, ...]) -> np.ndarray | None:
    """Which of ``texts`` can hold a match of the alias regex of ``aliases``: one C-level RE2
    pass over the Arrow strings (:func:`_prescreen_pattern`); the others hold none. ``None``
    when the texts are not all strings (or missing) or the pattern cannot be compiled: search
    them all."""
    pattern = _prescreen_pattern(aliases)
    if pattern is None:
        return None
    try:
        arr = pa.array(texts, from_pandas=True)
        if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
            return None
        found = pc.match_substring_regex(arr, pattern)
    except (pa.ArrowException, TypeError, ValueError, UnicodeError):
        return None
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def _hit(mention: str, lookup: tuple[dict, dict]) -> tuple[str, str, str] | None:
    """(target, kind, alias) of the text matched: the exact alias, else a lower-case one."""
    exact, folded = lookup
    key = _alias_key(mention)
    return exact.get(key) or folded.get(key.lower())


def _matches(texts: list, rx: re.Pattern, rx_excl: re.Pattern | None, lookup: tuple[dict, dict],
             screens: tuple = (None, None)):
    """(unit index, mention number in the unit, start, end, text, (target, kind, alias)) of
    every kept match, in order: one regex pass over the units joined by :data:`_SEP` (the same matches as a pass per
    unit); a unit holding the separator itself is searched on its own. ``screens``: the
    :func:`_candidate_regex` of ``rx`` and of ``rx_excl``."""
    keep, alone = [], []
    for i, t in enumerate(texts):
        if isinstance(t, str) and t:
            (alone if _SEP in t else keep).append(i)
    starts, pos, sep = [], 0, len(_SEP)
    for i in keep:
        starts.append(pos)
        pos += len(texts[i]) + sep
    passes = [(_SEP.join([texts[i] for i in keep]), keep, starts)]
    passes += [(texts[i], [i], [0]) for i in alone]
    found = []
    for joined, idx, offsets in passes:
        blocked = _finditer(rx_excl, screens[1], joined) if rx_excl else []
        block_starts = [bs for bs, _ in blocked]
        for s, e in _finditer(rx, screens[0], joined):
            # exclude matches never overlap one another: only the last one starting at or
            # before s can contain the match
            b = bisect.bisect_right(block_starts, s) - 1
            if b >= 0 and e <= blocked[b][1]:
                continue
            text = joined[s:e]
            hit = _hit(text, lookup)
            if hit is None:
                continue
            j = bisect.bisect_right(offsets, s) - 1
            found.append((idx[j], s - offsets[j], e - offsets[j], text, hit))
    found.sort(key=lambda f: (f[0], f[1]))
    counts: dict[int, int] = {}
    for i, s, e, mention, hit in found:
        k = counts[i] = counts.get(i, -1) + 1
        yield i, k, s, e, mention, hit


def find_mentions(
    table: pd.DataFrame, aliases: pd.DataFrame | str | Path | None = None
) -> pd.DataFrame:
    """Find target mentions in sentences.

    In: a sentence units table (``helpers.text.units(corpus, "sentence")``; paragraph or
    document units work too but the models were trained on sentences) with ``unit_id``,
    ``doc_id``, ``text``. Out, one row per mention: ``mention_id`` (``<unit_id>:m<k>``),
    ``unit_id``, ``doc_id``, ``target``, ``kind``, ``alias`` (the table entry matched),
    ``mention`` (the text as written), ``from``/``to`` (offsets in the sentence) and
    ``sentence``. Overlaps resolve to the longest alias; matches inside an ``exclude`` phrase
    are dropped.

    >>> u = pd.DataFrame({"unit_id": ["d:s0"], "doc_id": ["d"],
    ...                   "text": ["Beijing warned Tokyo and Latin America."]})
    >>> find_mentions(u)[["target", "mention", "from"]].values.tolist()
    [['China', 'Beijing', 0], ['Japan', 'Tokyo', 15]]
    """
    return _find_mentions(table, aliases)[0]


#: The columns of :func:`find_mentions`' table.
MENTION_COLUMNS = ["mention_id", "unit_id", "doc_id", "target", "kind", "alias", "mention", "from", "to",
                   "sentence"]


def _find_mentions(table: pd.DataFrame, aliases) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`find_mentions`' table and the position in ``table`` of each mention's unit."""
    if not isinstance(aliases, pd.DataFrame):
        aliases = load_aliases(aliases)
    for col in ("text",):
        if col not in table.columns:
            raise ValueError(f"find_mentions needs a '{col}' column (got {list(table.columns)})")
    keep = aliases[aliases["kind"] != "exclude"]
    excl = aliases[aliases["kind"] == "exclude"]["alias"].tolist()
    rx = _alias_regex(keep["alias"].tolist())
    rx_excl = _alias_regex(excl) if excl else None
    screens = (_candidate_regex(tuple(sorted(set(keep["alias"])))),
               _candidate_regex(tuple(sorted(set(excl)))) if excl else None)
    exact = {a: (t, k, a) for t, k, a in keep[["target", "kind", "alias"]].itertuples(index=False)}
    folded = {_alias_key(a).lower(): v for a, v in exact.items() if a == a.lower()}
    exact = {_alias_key(a): v for a, v in exact.items()}
    rows, positions = _mention_rows(table, keep, rx, rx_excl, screens, (exact, folded))
    return pd.DataFrame(rows, columns=MENTION_COLUMNS), positions


#: The mentions found in each text searched, kept across calls for the latest alias table (at
#: most :data:`_MEMO_TEXTS` texts): the chunks of a corpus repeat sentences (reposts,
#: boilerplate, wire copy), and each is then searched once per corpus instead of once per chunk.
_MEMO: dict = {"key": None, "texts": {}}
_MEMO_TEXTS = 100_000


def _searched(key: tuple) -> dict:
    """The kept mentions of each text searched with the alias regexes and lookup ``key``
    (another key forgets those of the previous one)."""
    if _MEMO["key"] != key:
        _MEMO["key"], _MEMO["texts"] = key, {}
    return _MEMO["texts"]


def _mention_rows(table: pd.DataFrame, keep: pd.DataFrame, rx, rx_excl, screens, lookup
                  ) -> tuple[list[tuple], np.ndarray]:
    """:func:`find_mentions`' rows and, for each, the position of its unit in ``table``. Only the
    texts the :func:`_prescreen` finds an alias in are searched (the others hold no match);
    among them each distinct text is searched once (boilerplate and reposted sentences
    repeat)."""
    screened = _prescreen(table["text"], tuple(sorted(set(keep["alias"]))))
    cand = np.arange(len(table)) if screened is None else np.flatnonzero(screened)
    texts = table["text"].tolist() if screened is None else table["text"].take(cand).tolist()
    where: dict = {}
    keys = [t if isinstance(t, str) else None for t in texts]
    firsts = np.fromiter(map(where.setdefault, keys, range(len(keys))), dtype=np.int64, count=len(keys))
    first, inv = np.unique(firsts, return_inverse=True)  # distinct texts in order of appearance
    distinct = [texts[i] for i in first.tolist()]
    found: dict[int, list] = {}  # distinct index -> its (k, start, end, mention, target, kind, alias)
    memo = _searched((rx.pattern, rx_excl.pattern if rx_excl is not None else None,
                      tuple(lookup[0].items()), tuple(lookup[1].items())))
    todo = []
    for j, t in enumerate(distinct):
        kept = memo.get(t) if t else None
        if kept is None:
            todo.append(j)
        elif kept:
            found[j] = kept
    fresh: dict[int, list] = {}
    for lo in range(0, len(todo), _BATCH_UNITS):
        for i, k, s, e, mention, hit in _matches([distinct[j] for j in todo[lo : lo + _BATCH_UNITS]], rx,
                                                rx_excl, lookup, screens):
            fresh.setdefault(todo[lo + i], []).append((k, s, e, mention, *hit))
    found.update(fresh)
    room = _MEMO_TEXTS - len(memo)
    for j in todo[: max(room, 0)]:
        if isinstance(distinct[j], str) and distinct[j]:
            memo[distinct[j]] = fresh.get(j, ())
    has = np.zeros(len(distinct), dtype=bool)
    has[list(found)] = True
    inv = inv.reshape(-1)
    local = np.flatnonzero(has[inv])
    at = cand[local]  # the units holding a mention, by position in ``table``
    if "unit_id" in table.columns:
        unit_ids = table["unit_id"].take(at).tolist()
    else:
        unit_ids = (table["doc_id"].take(at).astype(str) + ":d").tolist()
    doc_ids = table["doc_id"].take(at).tolist() if "doc_id" in table.columns else unit_ids
    rows, positions = [], []
    for j, row in enumerate(local.tolist()):
        uid, doc, sentence = unit_ids[j], doc_ids[j], texts[row]
        for k, s, e, mention, target, kind, alias in found[int(inv[row])]:
            rows.append((f"{uid}:m{k}", uid, doc, target, kind, alias, mention, s, e, sentence))
            positions.append(at[j])
    return rows, np.asarray(positions, dtype=np.int64)
