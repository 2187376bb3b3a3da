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

Modules:

- ``lexicon``: the word lists (reporting verbs and speaker lists from ``resources/``, titles,
  places, auxiliaries).
- ``spans``: :func:`quote_spans`, the text inside quotation marks.
- ``names``: a speaker's name, description (title, institution, nationality) and kind.
- ``parsing``: one sentence around a reporting verb: speaker, verb, mode, content.
- ``coreference``: "Liu said" / "he said" resolved to the full name (:data:`UNRESOLVED`).
- ``attribution``: :func:`attributions`, the table for a corpus.
- ``summary``: :func:`voice_balance` and :func:`speaker_table`.
- ``validation``: :func:`validation_records`, the rules scored on hand-coded BBC paragraphs
  (``docs/annotation/quotes.md``), beside two baselines.
"""

from .attribution import attributions
from .coreference import UNRESOLVED
from .spans import CLOSE_QUOTES, OPEN_QUOTES, quote_spans
from .summary import speaker_table, voice_balance
from .validation import validation_records

__all__ = [
    "CLOSE_QUOTES",
    "OPEN_QUOTES",
    "UNRESOLVED",
    "attributions",
    "quote_spans",
    "speaker_table",
    "validation_records",
    "voice_balance",
]
