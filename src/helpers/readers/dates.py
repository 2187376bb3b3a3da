"""Dates as news databases print them, in several languages, to a Timestamp (NaT if unknown).

Exports print dates for people: ``January 11, 2010 Monday`` (LexisNexis), ``11 Januar 2010``
(Factiva in German), ``8 mei 2021 zaterdag`` (Nexis Uni in Dutch), ``May 8, 2010`` (ProQuest),
``20240115T123000Z`` (GDELT), RFC 822 in feeds. :func:`parse_date_text` reads all of them
without guessing day/month order from numbers alone (ISO order only).
"""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime

import pandas as pd

#: month name (lower case, without accents' variants listed separately) -> month number.
MONTHS: dict[str, int] = {}
for _names in (
    "january february march april may june july august september october november december",  # en
    "januar februar märz april mai juni juli august september oktober november dezember",  # de
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",  # fr
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",  # es
    "januari februari maart april mei juni juli augustus september oktober november december",  # nl
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",  # it
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",  # pt
):
    for _i, _name in enumerate(_names.split(), 1):
        MONTHS.setdefault(_name, _i)
for _abbr, _i in {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
                  "oct": 10, "nov": 11, "dec": 12, "mär": 3, "mrz": 3, "okt": 10, "dez": 12, "janv": 1,
                  "févr": 2, "fevr": 2, "avr": 4, "juil": 7, "déc": 12, "ene": 1, "dic": 12, "mei": 5,
                  "maerz": 3, "fevrier": 2, "aout": 8, "decembre": 12}.items():
    MONTHS.setdefault(_abbr, _i)

_WORD = r"[^\W\d_]+"
_DMY = re.compile(rf"\b(\d{{1,2}})\.?\s+(?:de\s+)?({_WORD})\.?,?\s+(?:de\s+)?(\d{{4}})\b")  # 11 January 2010, 8. Mai 2021
_MDY = re.compile(rf"\b({_WORD})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b")  # January 11, 2010
_MY = re.compile(rf"\b({_WORD})\s+(\d{{4}})\b")  # Winter 2010 / January 2010
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})Z?)?$")  # 20240115T123000Z, 20240115123000


def _ymd(year: str, month: int, day: str | int = 1, hh=None, mm=None, ss=None) -> pd.Timestamp:
    try:
        return pd.Timestamp(int(year), int(month), int(day), int(hh or 0), int(mm or 0), int(ss or 0))
    except (ValueError, OverflowError):
        return pd.NaT


def parse_date_text(value: object) -> pd.Timestamp:
    """A printed date to a naive Timestamp; NaT when nothing date-like is found.

    >>> parse_date_text("January 11, 2010 Monday")
    Timestamp('2010-01-11 00:00:00')
    >>> parse_date_text("11 Januar 2010"), parse_date_text("20240115T123000Z")
    (Timestamp('2010-01-11 00:00:00'), Timestamp('2024-01-15 12:30:00'))
    """
    if value is None or (isinstance(value, float) and value != value):
        return pd.NaT
    text = str(value).strip()
    if not text:
        return pd.NaT
    if m := _COMPACT.match(text):
        return _ymd(*m.groups()[:3], *m.groups()[3:])
    if m := _ISO.search(text):
        return _ymd(m.group(1), int(m.group(2)), m.group(3), m.group(4), m.group(5), m.group(6))
    if re.match(r"^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4}", text):  # RFC 822 (feeds, e-mail)
        try:
            stamp = pd.Timestamp(parsedate_to_datetime(text))
            return stamp.tz_convert(None) if stamp.tzinfo else stamp
        except (TypeError, ValueError):
            pass
    low = text.lower()
    if m := _DMY.search(low):
        if (month := MONTHS.get(m.group(2))) is not None:
            return _ymd(m.group(3), month, m.group(1))
    for m in _MDY.finditer(low):
        if (month := MONTHS.get(m.group(1))) is not None:
            return _ymd(m.group(3), month, m.group(2))
    for m in _MY.finditer(low):
        if (month := MONTHS.get(m.group(1))) is not None:
            return _ymd(m.group(2), month)
    return pd.NaT
