"""The matcher's tokens of a plain text by ASCII classes (seventh session, G3): the same parts.

``Matcher._tokens`` splits a lower-cased text on the token pattern (``[^\\W\\d_]`` letters, inner
joiners); for a plain text (ASCII and ``helpers.text._PLAIN_EXTRA`` only, as
``helpers.text._plain_tokens`` already uses) it now splits on the ASCII pattern, which the regex
engine tests faster: lower-cased, such a text's letters are ``[a-z]`` and none of its other
characters is a letter. The old ``_tokens`` is kept below verbatim but for the ``_reference_``
name (and ``matcher.`` before the names it shares) and run beside the new on random texts of
every plain extra, joiners, digits, '_' and non-ASCII letters. Needs no benchmark corpus.
"""

from __future__ import annotations

import random

import pytest

from helpers.framing import matcher
from helpers.text import _PLAIN_EXTRA

# ---- old helpers/framing/matcher.py Matcher._tokens (HEAD b120b95; verbatim but for the names) ----


def _reference_tokens(text: str) -> tuple[list[str], list[str]]:
    low = text.lower()
    if len(low) == len(text) and "Σ" not in text:  # each character lower-cased alone, to one
        parts = matcher._TOKEN_SPLIT.split(low)  # the same places and lengths (no character changes class)
        toks = parts[1::2]
    else:
        parts = matcher._TOKEN_SPLIT.split(text)  # gap, token, gap, token, ..., gap
        toks = list(map(str.lower, parts[1::2]))
    if "’" in text:
        toks = [t.replace("’", "'") for t in toks]
    return parts, toks


# ---- the tests ----

_PIECES = ["China", "war", "A", "b", "Z", "x", "'", "’", "-", "'s", "_", "1", "2,000", " ", " ", "\n", ".",
           "é", "ß", "Σ", "İ", "ø", "\u00b2", "\u2160", *_PLAIN_EXTRA]


@pytest.mark.parametrize("seed", range(4))
def test_tokens_of_plain_and_other_texts_are_the_old(seed):
    rng = random.Random(seed)
    m = matcher.Matcher({"k": ["war"]})
    plain = [p for p in _PIECES if all(ord(ch) < 128 or ch in _PLAIN_EXTRA for ch in p)]
    for i in range(3000):
        pool = plain if i % 2 else _PIECES
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        matcher._LAST = (None, [], [])
        assert m._tokens(text) == _reference_tokens(text), repr(text)
    for ch in map(chr, range(128)):  # every ASCII character between letters and alone
        for text in (ch, f"ab{ch}cd", f"{ch}x{ch}"):
            matcher._LAST = (None, [], [])
            assert m._tokens(text) == _reference_tokens(text), repr(text)
