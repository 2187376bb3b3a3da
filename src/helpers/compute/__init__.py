"""Compute: run per-document measures once, in parallel, and keep their results by content.

- :mod:`.keys` — content keys: files' digests, the code fingerprint (package source, resources,
  shipped models and library versions), stable keys for parameters, one key per document.
- :mod:`.store` — the Parquet store behind every cache: measure parts keyed by document content,
  whole tables (the loaded corpus) keyed by input content; atomic writes, no timestamps.
- :mod:`.backends` — where chunks run: in this process, on local worker processes (joblib/loky)
  or on a Dask cluster (``COVERAGE_LAB_SCHEDULER``); progress bars.
- :mod:`.docmap` — :func:`map_documents`: split a table by document, reuse cached documents,
  compute the rest, give the rows back in input order.
- :mod:`.csvfile` — :func:`write_csv`: ``to_csv(index=False)``'s bytes for long tables, formatted by pyarrow.

Settings (environment): ``COVERAGE_LAB_CACHE`` (folder, or ``off``), ``COVERAGE_LAB_WORKERS``
(local processes), ``COVERAGE_LAB_SCHEDULER`` (a Dask scheduler address),
``COVERAGE_LAB_PROGRESS`` (``0`` hides progress bars); the report runner sets
``COVERAGE_LAB_RUNNING`` (a file holding how many notebooks run at the moment: each kernel's
share of the cores follows it).
"""

from .backends import (
           configured_workers,
           progress_enabled,
           release_after_cells,
           release_memory,
           run_chunks,
           running_kernels,
           scheduler_address,
           set_running_kernels,
           shared_chunks,
           use_scheduler,
           worker_executor,
)
from .csvfile import write_csv
from .docmap import map_documents
from .keys import code_fingerprint, document_keys, file_digests, folder_fingerprint, stable_key
from .store import (
           cache_root,
           cache_summary,
           clear_cache,
           filter_rows,
           read_table,
           roundtrip,
           string_columns,
           table_dir,
           warn_unwritable,
           write_table,
)

__all__ = ["cache_root", "cache_summary", "clear_cache", "code_fingerprint", "configured_workers",
           "document_keys", "file_digests", "filter_rows", "folder_fingerprint", "map_documents", "progress_enabled", "read_table", "release_after_cells", "release_memory", "roundtrip", "run_chunks",
           "running_kernels", "scheduler_address", "set_running_kernels", "shared_chunks", "stable_key", "string_columns", "table_dir", "use_scheduler", "warn_unwritable", "worker_executor", "write_csv", "write_table"]
