"""Who published what: outlet spellings merged to one name, and who reposted whom."""

from __future__ import annotations

import re

import pandas as pd


def canonical_outlets(outlets: pd.Series) -> pd.Series:
    """Merge spellings of one outlet that differ only in case, spacing, punctuation or a leading
    "The" ("Breitbart"/"breitbart", "The Guardian"/"theguardian") to one spelling: the most
    human-formatted (capitals and spaces, as an outlet writes its own name), then the most
    frequent, then alphabetical. "" stays "".

    >>> canonical_outlets(pd.Series(["The Guardian", "theguardian", "RT", "rt", "RT"])).tolist()
    ['The Guardian', 'The Guardian', 'RT', 'RT', 'RT']
    """
    def key(name: str) -> str:
        k = re.sub(r"[^0-9a-z]+", "", name.lower())
        return k[3:] if k.startswith("the") and len(k) > 3 else k

    counts = outlets[outlets != ""].value_counts()
    best: dict[str, str] = {}
    for name in sorted(counts.index, key=lambda n: (-sum(c.isupper() or c == " " for c in n), -counts[n], n)):
        best.setdefault(key(name), name)
    return outlets.map(lambda n: best.get(key(n), n) if n else n)


def provenance_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """Who reposted whom: ``outlet``, ``author``, ``original_outlet``, ``original_author``,
    ``n_docs``, ``first_date``, ``last_date`` (empty strings for unknown parties)."""
    cols = ["outlet", "author", "original_outlet", "original_author"]
    if corpus.empty:
        return pd.DataFrame(columns=cols + ["n_docs", "first_date", "last_date"])
    g = corpus.groupby(cols, dropna=False, sort=True)
    return g.agg(n_docs=("doc_id", "size"), first_date=("date", "min"), last_date=("date", "max")).reset_index()


# --- republication chains ------------------------------------------------------------------------

#: Wire services recognised in credits: the name used in tables, then the spellings it appears
#: under. "agencies" is the unnamed credit ("Agencies contributed to this story").
WIRE_AGENCIES: dict[str, tuple[str, ...]] = {
    "Reuters": ("Reuters", "Thomson Reuters"),
    "AP": ("AP", "Associated Press", "The Associated Press"),
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "Xinhua": ("Xinhua", "Xinhua News Agency"),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "agencies": ("Agencies", "news agencies", "wire services"),
}
CHAIN_COLUMNS = ["doc_id", "story", "outlet", "reposted_by", "original_outlet", "original_author", "wire_source",
                 "wire_contributors", "chain", "n_steps", "evidence"]

_SPELLING = {s.lower(): name for name, spellings in WIRE_AGENCIES.items() for s in spellings}
_AGENCY = "|".join(sorted((re.escape(s) for s in _SPELLING), key=len, reverse=True))
_DASH = r"(?:--|-|–|—|:)"
#: "TOKYO (Reuters) -", "BEIJING, Jan. 14 (Xinhua) --", "(AP) —" near the start of the text.
_DATELINE = re.compile(rf"^[^\n]{{0,80}}?\((?P<agency>{_AGENCY})\)\s*{_DASH}", re.I)
_BYLINE_AGENCY = re.compile(rf"^by\s+(?P<names>[^\n]{{0,80}}?)\s*(?:,|\||/|{_DASH})?\s*(?P<agency>{_AGENCY})\s*$",
                            re.I)
_BYLINE = re.compile(r"^by\s+(?P<names>[A-Z][\w.'\- ]{1,60}?)\s*$")
_SOURCE_LINE = re.compile(rf"^sources?\s*:\s*(?P<agency>{_AGENCY})\b", re.I)
_CONTRIBUTED = re.compile(r"(?P<who>[^.;:\n]{1,120}?)\s+(?:also\s+)?contributed\s+to\s+this\s+"
                          r"(?:report|story|article)", re.I)
#: The part every :data:`_CONTRIBUTED` match contains: a sentence without it is not searched
#: with the full pattern (whose lazy 120-character look-back costs ~100x more per sentence).
_CONTRIBUTED_TAIL = re.compile(r"contributed\s+to\s+this\s+(?:report|story|article)", re.I)
_AGENCY_WORD = re.compile(rf"\b(?:{_AGENCY})\b", re.I)
_WITH = re.compile(rf"^(?:{_DASH}\s*)?(?:with|additional reporting by)\s+(?P<agency>{_AGENCY})\.?$", re.I)
_CREDIT_LINE = re.compile(rf"^(?:{_DASH}\s*)?\(?(?P<agency>{_AGENCY})\)?\.?$", re.I)
#: "The original source of this article is X", "This story was originally published by X",
#: "First published in X", "Republished with permission from X": at the start of a sentence.
_ORIGINAL = re.compile(
    r"^(?:the original source of this (?:article|story) is|(?:this (?:article|story|piece|post|report|column) )?"
    r"(?:was |is )?(?:originally|first) (?:published|appeared|ran|posted)\s+(?:by|in|on|at)|(?:this (?:article|story) "
    r"(?:is |was )?)?(?:republished|reprinted|reproduced) (?:here )?(?:with permission )?from)\s+"
    r"(?:the website of\s+)?(?P<outlet>[^\n.;,()]{2,80})", re.I)
#: Sentences looked at for closing credits: the last ones of the text.
TAIL_SENTENCES = 4
#: Sentences looked at for an "originally published" note at the top (some sites put it there).
HEAD_SENTENCES = 3
#: Where a sentence ends inside a line: white space after ``.``, ``!`` or ``?`` (or one of them and a
#: closing quote) before a capital, a bracket, a quote or a dash. Written to start with the white
#: space (the look-behinds checked from there) so the regex engine skips to white space instead of
#: trying every position: the same matches as the look-behinds first (tests compare).
_SENTENCE_END = re.compile(r"\s(?:(?<=[.!?]\s)|(?<=[.!?][\"'\u201d\u2019]\s))\s*(?=[A-Z(\"'\u201c\u2014\u2013-])")


def _agency(spelling: str) -> str:
    return _SPELLING.get(spelling.strip().lower(), spelling.strip())


def _outlet_name(raw: str) -> str:
    """'The Conversation on 3 May 2013' -> 'The Conversation'; at most eight words."""
    name = re.split(r"\s+(?:on|in|at)\s+(?:\d|[A-Z][a-z]+\.?\s+\d)", raw.strip(), maxsplit=1)[0]
    name = re.split(r"\s+(?:and (?:is|was|appears|has)|as part of|under|with permission)\b", name, maxsplit=1,
                    flags=re.I)[0]
    name = " ".join(name.split()[:8]).strip(" '\"")
    return "The" + name[3:] if name.startswith("the ") else name


def wire_credits(text: str) -> dict:
    """Explicit credits in one article body: who it came from and which agencies contributed.

    Looks only where credits stand: the start of the text (a dateline "TOKYO (Reuters) -" in
    the first 300 characters, a byline "By X, Associated Press", a "Source: Xinhua" line) and
    its last :data:`TAIL_SENTENCES` sentences ("AFP contributed to this report", "Agencies
    contributed to this story", a lone "(Reuters)", "With AFP", and, at the start of a sentence,
    "The original source of this article is X", "This story was originally published by X").
    "..., Reuters reported." inside the body is a citation, not a credit, and is not counted.

    Returns ``{"wire_source", "wire_contributors" (list), "original_outlet", "byline",
    "evidence" (list of quoted signals)}``; empty strings/lists when nothing is found.

    >>> wire_credits("TOKYO (Reuters) - Japan will ...\\n\\nMore text.")["wire_source"]
    'Reuters'
    >>> wire_credits("Text.\\n\\nAgencies contributed to this story")["wire_contributors"]
    ['agencies']
    """
    out = {"wire_source": "", "wire_contributors": [], "original_outlet": "", "byline": "", "evidence": []}
    paras = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    if not paras:
        return out
    head_lines = [ln.strip() for ln in paras[0].splitlines()[:3] if ln.strip()]
    for ln in head_lines:
        if m := _BYLINE_AGENCY.match(ln):
            out["wire_source"] = out["wire_source"] or _agency(m.group("agency"))
            out["byline"] = out["byline"] or m.group("names").strip(" ,|")
            out["evidence"].append(f"byline: {ln!r}")
        elif (m := _BYLINE.match(ln)) and len(ln.split()) <= 8:
            out["byline"] = out["byline"] or m.group("names").strip()
            out["evidence"].append(f"byline: {ln!r}")
        elif m := _SOURCE_LINE.match(ln):
            out["wire_source"] = out["wire_source"] or _agency(m.group("agency"))
            out["evidence"].append(f"source line: {ln!r}")
    if m := _DATELINE.match(paras[0][:300]):
        out["wire_source"] = out["wire_source"] or _agency(m.group("agency"))
        out["evidence"].append(f"dateline: {m.group(0).strip()!r}")
    for sentence in _last_sentences(paras[-2:], TAIL_SENTENCES):
        _tail_line(sentence, out)
    if not out["original_outlet"]:
        for sentence in _first_sentences(paras[0], HEAD_SENTENCES):
            if m := _ORIGINAL.match(sentence):
                out["original_outlet"] = _outlet_name(m.group("outlet"))
                out["evidence"].append(f"credit: {sentence[:120]!r}")
                break
    return out


def _last_sentences(paras: list[str], n: int) -> list[str]:
    """The last ``n`` sentences (stripped, non-empty; split at :data:`_SENTENCE_END` within each
    line) of ``paras``: lines split from the last one back until ``n`` are found."""
    found: list[str] = []
    for ln in reversed([ln for para in paras for ln in para.splitlines()]):
        found[:0] = [sent.strip() for sent in _SENTENCE_END.split(ln) if sent.strip()]
        if len(found) >= n:
            break
    return found[-n:] if n > 0 else []


def _first_sentences(para: str, n: int) -> list[str]:
    """The first ``n`` sentences of ``para`` as :func:`_last_sentences` splits them. A line is split
    at most ``n`` times: every piece before the rest holds its first character (a sentence's
    end or a sentence's start), so it is non-empty once stripped and the first pieces are the
    first sentences."""
    found: list[str] = []
    for ln in para.splitlines():
        if len(found) >= n:
            break
        found += [x.strip() for x in _SENTENCE_END.split(ln, maxsplit=n - len(found)) if x.strip()]
    return found[:n]


def _tail_line(line: str, out: dict) -> None:
    """Credits in one of the closing sentences, added to ``out`` in place."""
    if m := _ORIGINAL.match(line):
        out["original_outlet"] = out["original_outlet"] or _outlet_name(m.group("outlet"))
        out["evidence"].append(f"credit: {line[:120]!r}")
    for m in _CONTRIBUTED.finditer(line) if _CONTRIBUTED_TAIL.search(line) else ():
        named = [_agency(a) for a in _AGENCY_WORD.findall(m.group("who"))]
        out["wire_contributors"] += named
        if named:
            out["evidence"].append(f"credit: {line[:120]!r}")
    if m := _WITH.match(line):
        out["wire_contributors"].append(_agency(m.group("agency")))
        out["evidence"].append(f"credit: {line!r}")
    elif m := _CREDIT_LINE.match(line):
        out["wire_source"] = out["wire_source"] or _agency(m.group("agency"))
        out["evidence"].append(f"credit line: {line!r}")
    out["wire_contributors"] = list(dict.fromkeys(out["wire_contributors"]))


def _key(name: str) -> str:
    k = re.sub(r"[^0-9a-z]+", "", name.lower())
    return k[3:] if k.startswith("the") and len(k) > 3 else k


def _chain_row(doc: dict) -> dict:
    """One document's chain from its corpus fields and the credits in its text."""
    credits = wire_credits(doc.get("text", ""))
    evidence = []
    outlet, author = doc.get("outlet", ""), doc.get("author", "")
    original = doc.get("original_outlet", "")
    original_author = doc.get("original_author", "")
    if original:
        evidence.append(f"reader: original outlet {original!r}")
    elif credits["original_outlet"]:
        original = credits["original_outlet"]
    if not original_author and credits["byline"] and _key(credits["byline"]) != _key(author):
        original_author = credits["byline"]
    reposted_by = ""
    others = {_key(x) for x in (original_author, original, outlet) if x}
    if original and author and _key(author) not in others and (original_author or doc.get("format") == "aggregator"):
        reposted_by = author
        evidence.append(f"reader: reposting byline {author!r}" + (f" (original author {original_author!r})"
                                                                     if original_author else ""))
    copyright_line = str(doc.get("copyright", "") or "")
    if copyright_line and reposted_by and _key(reposted_by) in _key(copyright_line):
        evidence.append(f"copyright: {copyright_line!r}")
    steps: list[str] = []
    for step in (credits["wire_source"], original, reposted_by, outlet):
        if step and _key(_agency(step)) not in {_key(_agency(s)) for s in steps}:
            steps.append(step)
    return {"doc_id": doc.get("doc_id", ""), "story": doc.get("duplicate_of", "") or doc.get("doc_id", ""),
            "outlet": outlet, "reposted_by": reposted_by, "original_outlet": original,
            "original_author": original_author, "wire_source": credits["wire_source"],
            "wire_contributors": ", ".join(credits["wire_contributors"]), "chain": " -> ".join(steps),
            "n_steps": len(steps), "evidence": "; ".join(dict.fromkeys(evidence + credits["evidence"]))}


def republication_chain(corpus: pd.DataFrame) -> pd.DataFrame:
    """Who a story passed through before this copy, per document, from explicit signals only.

    The chain runs from the earliest party named to the publisher of this copy: a wire service
    credited as the source (dateline, byline, "Source:" or a lone credit line; see
    :func:`wire_credits`), the original outlet (the reader's ``original_outlet``, else "The
    original source of this article is X" / "originally published in X" in the text), the
    reposting author when the reader found two bylines (or an aggregator's poster) and the
    ``outlet``. Agencies that only *contributed* ("Agencies contributed to this story") are
    listed in ``wire_contributors``, not as a step. Nothing is inferred from similarity; for
    copies found by text similarity see ``duplicate_of`` (``story`` is the earliest copy's id).

    Columns: ``doc_id``, ``story``, ``outlet``, ``reposted_by``, ``original_outlet``,
    ``original_author``, ``wire_source``, ``wire_contributors`` (comma-separated), ``chain``
    ("A -> B -> C"), ``n_steps``, ``evidence`` (the signals quoted, ";"-separated).

    >>> doc = {"doc_id": "x", "outlet": "Global Research", "author": "Stop NATO", "format": "aggregator",
    ...        "original_outlet": "Global Times", "original_author": "Liu Sha", "text": "Body."}
    >>> republication_chain(pd.DataFrame([doc]))["chain"].tolist()
    ['Global Times -> Stop NATO -> Global Research']
    """
    if corpus.empty:
        return pd.DataFrame(columns=CHAIN_COLUMNS)
    read = [c for c in _CHAIN_FIELDS if c in corpus.columns] or list(corpus.columns)  # what a chain reads
    rows = [_chain_row({k: ("" if v is None or (isinstance(v, float) and v != v) else v) for k, v in rec.items()})
            for lo in range(0, len(corpus), _CHAIN_ROWS_AT)
            for rec in corpus[read].iloc[lo:lo + _CHAIN_ROWS_AT].to_dict("records")]
    return pd.DataFrame(rows, columns=CHAIN_COLUMNS)


#: The corpus columns :func:`_chain_row` reads, and how many documents' are converted at a time.
_CHAIN_FIELDS = ("doc_id", "duplicate_of", "outlet", "author", "original_outlet", "original_author", "format",
                 "copyright", "text")
_CHAIN_ROWS_AT = 5000


def wire_credit_counts(chains: pd.DataFrame) -> pd.DataFrame:
    """Documents crediting each wire service, as the source and as a contributor.

    Takes :func:`republication_chain`'s table; returns ``agency``, ``as_source``,
    ``as_contributor``, ``documents`` (either), one row per agency in :data:`WIRE_AGENCIES`
    order, agencies never credited left out.
    """
    rows = []
    named = chains["wire_contributors"].str.split(", ") if len(chains) else None  # split once, not per agency
    for name in WIRE_AGENCIES:
        src = chains["wire_source"] == name if len(chains) else pd.Series(dtype=bool)
        con = named.map(lambda xs, n=name: n in xs) if len(chains) else src
        if src.any() or con.any():
            rows.append({"agency": name, "as_source": int(src.sum()), "as_contributor": int(con.sum()),
                         "documents": int((src | con).sum())})
    return pd.DataFrame(rows, columns=["agency", "as_source", "as_contributor", "documents"])
