"""Decode bytes to text, repairing what commonly goes wrong in scraped news files.

Every repair is recorded in plain words so the load report can say what was changed.
"""

from __future__ import annotations

import codecs
import re

import ftfy
from charset_normalizer import from_bytes


class UnreadableFile(Exception):
    """The file cannot be read as text (binary, undecodable); the message says why."""


_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]


_LATIN_FAMILY = {"cp1250", "cp1252", "cp1257", "latin_1", "iso8859_2", "iso8859_15", "iso8859_9", "cp1254",
                 "mac_roman", "cp850", "cp1258", "iso8859_13", "iso8859_4"}


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)
# A UTF-8 lead byte read as Latin-1/cp1252 followed by a continuation byte read the same way:
# the signature of mojibake. ftfy's full check is slow, so it only runs where this matches.
_MOJIBAKE_HINT = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u2018-\u203a\u20ac\u0152\u0153\u0160\u0161"
                            "\u0178\u017d\u017e\u0192\u02c6\u02dc\u2122]")
#: :data:`_MOJIBAKE_HINT` on the UTF-8 bytes of a text (a match in the bytes of valid UTF-8 exactly
#: where the text has one): its literal first byte lets the search skip ahead at memchr speed, where
#: the text pattern tests every character (~3 s at 100,000 articles, on the load's single-core start).
_MOJIBAKE_HINT_UTF8 = re.compile(rb"\xc3[\x82-\xb4](?:\xc2[\x80-\xbf]|\xe2\x80[\x98-\xba]|\xe2\x82\xac"
                                 rb"|\xc5[\x92\x93\xa0\xa1\xb8\xbd\xbe]|\xc6\x92|\xcb[\x86\x9c]|\xe2\x84\xa2)")


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or mostly control characters (images, archives, PDFs)."""
    sample = data[:8192]
    if not sample:
        return False
    if any(sample.startswith(bom) for bom, _ in _BOMS[:2] + _BOMS[3:]):
        return False  # UTF-16/32 text has NUL bytes but is text
    if b"\x00" in sample:
        return True
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return control / len(sample) > 0.05


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """Decode ``data`` and return ``(text, repairs)``.

    Steps, each recorded when it changes something: byte-order mark removed; non-UTF-8 bytes
    decoded with the detected charset (charset-normalizer); mojibake (UTF-8 read as
    Latin-1/cp1252, e.g. ``Ã©`` for ``é``) repaired with ftfy's ``fix_encoding``; CRLF/CR line
    endings turned into LF. Raises :class:`UnreadableFile` for binary data.

    >>> decode_bytes(b"\\xef\\xbb\\xbfCaf\\xc3\\xa9\\r\\n")
    ('Café\\n', ['byte-order mark removed', 'CRLF/CR line endings normalised to LF'])
    """
    repairs: list[str] = []
    utf8 = False  # decoded as UTF-8 from ``data`` itself (no BOM): the hint is searched in the bytes
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data.decode(enc)
            repairs.append("byte-order mark removed" if enc == "utf-8-sig" else f"decoded as {enc} (byte-order mark)")
            break
    else:
        if looks_binary(data):
            raise UnreadableFile("binary content (NUL or control bytes), not text")
        try:
            text = data.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError as err:
            best = from_bytes(data[: 1 << 20]).best()
            if best is None:
                raise UnreadableFile(f"not valid UTF-8 (byte {err.start}) and no other encoding fits") from err
            enc = best.encoding
            if enc in _LATIN_FAMILY:
                # Short English texts are ambiguous between the single-byte Latin code pages;
                # Windows-1252 is by far the most common for English news, so prefer it when
                # it decodes the bytes at all.
                try:
                    data.decode("cp1252")
                    enc = "cp1252"
                except UnicodeDecodeError:
                    pass
            try:
                text = data.decode(enc)
            except (UnicodeDecodeError, LookupError) as err2:
                raise UnreadableFile(f"not valid UTF-8 and decoding as {enc} failed: {err2}") from err2
            repairs.append(f"not UTF-8: decoded as {enc}")
    hint = _MOJIBAKE_HINT_UTF8.search(data) if utf8 else _MOJIBAKE_HINT.search(text)
    fixed = ftfy.fix_encoding(text) if hint else text
    if fixed != text:
        n = sum(a != b for a, b in zip(fixed, text, strict=False)) + abs(len(fixed) - len(text))
        repairs.append(f"mojibake repaired (ftfy, about {n} characters changed)")
        text = fixed
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        repairs.append("CRLF/CR line endings normalised to LF")
    return text, repairs
