"""Run every notebook on a corpus and render a report people without Python can open.

>>> from helpers import report
>>> manifest = report.run(data="data/raw", out="reports/latest")   # doctest: +SKIP

Modules, one idea each:

- ``notebooks``: finding, describing and executing the notebooks (papermill).
- ``render``: executed notebooks made reproducible and rendered to script-free HTML.
- ``index``: the front page (``index.html``).
- ``manifest``: package versions recorded with a run.
- ``run``: :func:`run`, which loads the corpus once for the load report, runs the notebooks
  (several at once) and writes the pages, ``load_report.csv`` and ``manifest.json``.
"""

from .manifest import build_manifest, package_versions
from .notebooks import NotebookResult, describe_notebook, list_notebooks, run_notebook
from .run import default_jobs, run, select_notebooks

__all__ = ["NotebookResult", "build_manifest", "default_jobs", "describe_notebook", "list_notebooks", "package_versions", "run",
           "run_notebook", "select_notebooks"]
