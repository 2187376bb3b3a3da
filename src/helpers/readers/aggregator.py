"""Reader for aggregator reposts scraped to text (Global Research and sites like it).

The layout, as the seed shows it::

    Title
    By [Reposting author](#)
    Site, Month D, YYYY
    [Original outlet](#)            <- bracketed original-source line (optional)
    Region: [Asia](#)               <- optional
    Theme: [US NATO War Agenda](#)  <- optional
    By Original Author              <- optional
    body paragraphs ...
    footers: mailing-list and website promotion, "The original source of this article is X",
    copyright, comment/membership links, "Articles by:", disclaimer, fair use, media inquiries

The parser reads the header line by line with patterns (any order, any missing) and strips
footers from the end backwards only while lines look like boilerplate, so a body line is never
dropped because a footer-like phrase appears mid-article.
"""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_AUTOLINK = re.compile(r"^<?(https?://\S+?|www\.\S+?)>?$", re.I)
_BYLINE = re.compile(r"^by\s+(.+?)\s*$", re.I)
_SITE_DATE = re.compile(rf"^(?P<site>[^,\n]{{2,80}}),\s+(?P<date>(?:{MONTHS})\.?\s+\d{{1,2}},\s+\d{{4}})\s*$", re.I)
_KEY_LINE = re.compile(r"^(?P<key>[A-Z][A-Za-z \-]{1,30}):\s*(?P<value>.*\[.*\]\(.*\).*)$")
_ONLY_LINKS = re.compile(r"^(\s*\[[^\]]+\]\([^)]*\)\s*,?)+$")

#: Footer lines, matched case-insensitively against a whole line (links already reduced).
FOOTER_PATTERNS = [re.compile(p, re.I) for p in (
    r"^the original source of this article is\b",
    r"^(copyright\s*(©|\(c\)|\d{4})|©|\(c\)\s*\d{4})",
    r"\b(e-?mail|mailing) list\b",
    r"\bwebsite and articles\b",
    r"^comment on .*(articles|facebook)",
    r"^become a member\b",
    r"^articles by:",
    r"^disclaimer:",
    r"contains copyrighted material",
    r"\"?fair use\"?",
    r"^for media inquiries",
    r"^(please )?(support|donate|subscribe|follow us|share this|click here|join us|sign up)\b",
    r"^(related|recommended|read more|more from)\b.*:?$",
    r"^(this article was originally published|originally published)\b",
    r"^\S+@\S+\.\w+$",
)]


def _parse_date(value: str) -> pd.Timestamp:
    """'January 14, 2013' / 'Jan. 14, 2013' / 'Sept 3, 2014' to a Timestamp (NaT if invalid)."""
    value = re.sub(r"\s+", " ", value.replace(".", "")).strip()
    value = re.sub(r"^Sept\b", "Sep", value, flags=re.I)
    for fmt in ("%B %d, %Y", "%b %d, %Y"):
        try:
            return pd.Timestamp(datetime.strptime(value, fmt))
        except ValueError:
            continue
    return pd.NaT


def looks_like_aggregator(text: str) -> bool:
    """Content test: at least two header/footer marks of the aggregator layout."""
    head = [ln.strip() for ln in text[:4000].splitlines() if ln.strip()][:15]
    marks = 0
    marks += any(_BYLINE.match(ln) and _LINK.search(ln) for ln in head)
    marks += any(_SITE_DATE.match(_LINK.sub(r"\1", ln)) for ln in head)
    marks += any(re.match(r"^(region|theme|in-depth report):", ln, re.I) for ln in head)
    marks += "the original source of this article is" in text[-6000:].lower()
    return marks >= 2


def reduce_links(line: str) -> str:
    """Markdown ``[text](url)`` to ``text``; ``<http://x>`` autolinks to the bare address."""
    line = _LINK.sub(r"\1", line)
    m = _AUTOLINK.match(line.strip())
    return m.group(1) if m else line


def _is_footer(line: str, next_line: str | None) -> bool:
    if _AUTOLINK.match(line):
        return True
    if line.endswith(":") and next_line is not None and _AUTOLINK.match(next_line):
        return True  # promotion lead-in followed by its link ("Stop NATO website and articles:")
    return any(p.search(line) for p in FOOTER_PATTERNS)


def parse_aggregator(text: str) -> tuple[dict, list[str]]:
    """Parse one repost; returns ``(record, notes)``.

    ``record`` has the corpus fields title, author, outlet, date, original_outlet,
    original_author, region, theme, text, plus ``copyright`` and ``removed_lines``
    (how many header/footer lines were taken out).
    """
    raw_lines = [ln.strip() for ln in text.split("\n")]
    lines = [ln for ln in raw_lines if ln]
    notes: list[str] = []
    rec = {k: "" for k in ("title", "author", "outlet", "original_outlet", "original_author", "region",
                           "theme", "url", "copyright")}
    rec["date"] = pd.NaT
    if not lines:
        return {**rec, "text": "", "removed_lines": 0}, ["empty file"]
    rec["title"] = reduce_links(lines[0])
    i = 1
    bylines = 0
    # Header: consume lines while they match a header pattern.
    while i < len(lines):
        ln = lines[i]
        plain = _LINK.sub(r"\1", ln).strip()
        if (m := _BYLINE.match(plain)) and len(plain.split()) <= 12:
            name = m.group(1).strip()
            if bylines == 0 and not rec["author"]:
                rec["author"] = name
            else:
                rec["original_author"] = name
            bylines += 1
        elif m := _SITE_DATE.match(plain):
            rec["outlet"] = m.group("site").strip()
            rec["date"] = _parse_date(m.group("date"))
        elif m := _KEY_LINE.match(ln):
            key, value = m.group("key").lower(), _LINK.sub(r"\1", m.group("value")).strip()
            if key in ("region", "theme"):
                rec[key] = value
            else:
                notes.append(f"header field {m.group('key')!r} ignored")
        elif _ONLY_LINKS.match(ln):
            # A bare bracketed link under the dateline names the original source.
            rec["original_outlet"] = rec["original_outlet"] or plain
        else:
            break
        i += 1
    body = lines[i:]
    # Footer: strip from the end while lines are boilerplate.
    plain_body = [reduce_links(ln) for ln in body]
    end = len(plain_body)
    while end > 0 and _is_footer(plain_body[end - 1], plain_body[end] if end < len(plain_body) else None):
        end -= 1
    footer = plain_body[end:]
    for ln in footer:
        if m := re.match(r"^the original source of this article is\s+(.+?)\.?$", ln, re.I):
            rec["original_outlet"] = m.group(1).strip()
        elif re.match(r"^(copyright\s*(©|\(c\)|\d{4})|©)", ln, re.I):
            rec["copyright"] = ln
        elif (m := re.match(r"^articles by:\s*(.+)$", ln, re.I)) and not rec["author"]:
            rec["author"] = m.group(1).strip()
    rec["text"] = "\n\n".join(plain_body[:end])
    rec["removed_lines"] = i - 1 + len(footer)
    if not rec["outlet"]:
        notes.append("no 'Site, Month D, YYYY' dateline found: outlet and date unknown")
    return rec, notes
