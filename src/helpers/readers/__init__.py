"""Input readers, one module per format, and detection of the format from content.

Formats: ``aggregator`` (scraped reposts with header and footers), ``text`` and ``markdown``,
``html``, the tables ``csv``, ``tsv``, ``jsonl``, ``json`` and ``parquet``, and research
exports with many documents per file: ``lexisnexis`` (LexisNexis Academic text), ``nexis-uni``
(Nexis Uni DOCX; other Word files are ``docx``), ``factiva`` (Factiva HTML), ``proquest``
(ProQuest e-mail or HTML), ``email``, ``feed`` (RSS/Atom), and the metadata-only lists
``mediacloud``, ``gdelt-doc`` / ``gdelt-doc-lines``, ``gdelt-events`` and ``gdelt-mentions``.
:func:`detect_format` (module ``detect``) decides which from the content; ``containers`` opens
gzip and one-file zip archives first; ``encoding`` turns bytes into text with repairs;
:func:`read_documents` (module ``dispatch``) runs the reader; ``dates`` and ``language`` read
printed dates and language names in several languages. See docs/formats.md.
"""

from .aggregator import looks_like_aggregator, parse_aggregator
from .containers import GZIP_MAGIC, ZIP_MAGIC, unpack
from .dates import parse_date_text
from .detect import (
    BINARY_FORMATS,
    METADATA_FORMATS,
    TABLE_FORMATS,
    TEXT_SUFFIXES,
    UNSUPPORTED,
    detect_format,
)
from .dispatch import read_documents
from .encoding import UnreadableFile, decode_bytes, looks_binary
from .html import parse_html
from .jsonl_parts import read_jsonl_parts
from .language import normalise_language
from .nexisuni import is_docx
from .plaintext import parse_plaintext
from .tables import TableError, map_columns, read_table

__all__ = ["BINARY_FORMATS", "GZIP_MAGIC", "METADATA_FORMATS", "TABLE_FORMATS", "TEXT_SUFFIXES", "TableError",
           "UNSUPPORTED", "UnreadableFile", "ZIP_MAGIC", "decode_bytes", "detect_format", "is_docx", "looks_binary",
           "looks_like_aggregator", "map_columns", "normalise_language", "parse_aggregator", "parse_date_text",
           "parse_html", "parse_plaintext", "read_documents", "read_jsonl_parts", "read_table", "unpack"]
