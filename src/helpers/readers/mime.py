"""E-mail messages saved to disk (``.eml``, MIME): the HTML or plain-text body, decoded.

Databases such as ProQuest send results by e-mail: a MIME message whose HTML part (quoted-
printable or base64, any charset) holds the documents. :func:`message_body` returns that part
as text, with notes on anything that had to be repaired.
"""

from __future__ import annotations

import email
import email.policy
import re

_HEADER = re.compile(r"^[A-Za-z][A-Za-z0-9-]*:[ \t]")


def looks_like_email(text: str) -> bool:
    """Content test: the file starts with a mail header block naming a MIME content type."""
    head = text.lstrip("\ufeff")[:20000].split("\n\n", 1)[0]
    lines = head.split("\n")
    if not lines or not _HEADER.match(lines[0]):
        return False
    names = {ln.split(":", 1)[0].lower() for ln in lines if _HEADER.match(ln)}
    return ("content-type" in names or "mime-version" in names) and len(names) >= 2


def message_body(text: str) -> tuple[str, str, list[str]]:
    """``(body, subtype, notes)``: the first text/html part, else the first text/plain part.

    ``subtype`` is "html" or "plain" ("" when the message has no text part).
    """
    # bytes, not str: 8-bit parts then decode with their declared charset (the file was UTF-8 or repaired)
    msg = email.message_from_bytes(text.encode("utf-8", "surrogateescape"), policy=email.policy.default)
    notes: list[str] = []
    parts = {"html": None, "plain": None}
    for part in msg.walk():
        if part.is_multipart():
            continue
        sub = part.get_content_subtype()
        if part.get_content_maintype() == "text" and sub in parts and parts[sub] is None:
            parts[sub] = part
    for sub in ("html", "plain"):
        part = parts[sub]
        if part is None:
            continue
        try:
            return part.get_content(), sub, notes
        except (LookupError, UnicodeError, ValueError) as err:
            raw = part.get_payload(decode=True) or b""
            notes.append(f"e-mail {sub} part could not be decoded as declared ({type(err).__name__}); "
                         "decoded as UTF-8 with replacement characters")
            return raw.decode("utf-8", "replace"), sub, notes
    if msg.defects:
        notes.append("malformed e-mail: " + "; ".join(type(d).__name__ for d in msg.defects[:3]))
    return "", "", notes + ["e-mail has no text or HTML part"]
