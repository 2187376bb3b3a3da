"""Input readers, one module per format, and detection of the format from content.

Formats: ``aggregator`` (scraped reposts with header and footers, see
:mod:`helpers.readers.aggregator`), ``text`` and ``markdown``, ``html``, and the tables
``csv``, ``tsv``, ``jsonl``, ``json`` and ``parquet``. :func:`detect_format` (module
``detect``) decides which from the content; ``encoding`` turns bytes into text with repairs.
"""

from .aggregator import looks_like_aggregator, parse_aggregator
from .detect import TABLE_FORMATS, TEXT_SUFFIXES, detect_format
from .encoding import UnreadableFile, decode_bytes, looks_binary
from .html import parse_html
from .plaintext import parse_plaintext
from .tables import TableError, map_columns, read_table

__all__ = ["TABLE_FORMATS", "TEXT_SUFFIXES", "TableError", "UnreadableFile", "decode_bytes", "detect_format", "looks_binary",
           "looks_like_aggregator", "map_columns", "parse_aggregator", "parse_html", "parse_plaintext", "read_table"]
