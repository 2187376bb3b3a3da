"""Run every notebook on a corpus and render a report people without Python can open.

>>> from helpers import report
>>> manifest = report.run(data="data/raw", out="reports/latest")   # doctest: +SKIP

Modules, one idea each:

- ``notebooks``: finding, describing and executing the notebooks (papermill).
- ``render``: executed notebooks made reproducible and rendered to script-free HTML.
- ``index``: the front page (``index.html``).
- ``manifest``: package versions recorded with a run.
- ``runner``: :func:`run`, which loads the corpus once for the load report, runs the notebooks
  (several at once) and writes the pages, ``load_report.csv`` and ``manifest.json``.
"""

import sys

# jsonschema, which nbformat, papermill and nbconvert import, imports the optional package
# rfc3987_syntax when it is installed (jupyter-events pulls it in), and that package builds a Lark
# grammar at import time: 1.5-2 s on a quiet core, up to 7 s on a busy one, paid by the runner and by
# every notebook slot before its kernel starts. The runner never checks "iri" formats, so these
# processes do without it (jsonschema then leaves that one format unchecked); kernels are not affected.
sys.modules.setdefault("rfc3987_syntax", None)

__all__ = ["NotebookResult", "build_manifest", "default_jobs", "describe_notebook", "list_notebooks", "package_versions", "run",
           "run_notebook", "select_notebooks"]


def __getattr__(name: str):
    """The public names, imported when first used (PEP 562). A notebook slot process imports
    ``helpers.report.notebooks`` alone (papermill, nbconvert), not the runner's corpus loading,
    caches and pandas: 0.12 GB per slot process instead of 0.30 GB (measured at 100k articles)."""
    if name in ("build_manifest", "package_versions"):
        from .manifest import build_manifest, package_versions

        found = {"build_manifest": build_manifest, "package_versions": package_versions}
    elif name in ("NotebookResult", "describe_notebook", "list_notebooks", "run_notebook"):
        from .notebooks import NotebookResult, describe_notebook, list_notebooks, run_notebook

        found = {"NotebookResult": NotebookResult, "describe_notebook": describe_notebook,
                 "list_notebooks": list_notebooks, "run_notebook": run_notebook}
    elif name in ("default_jobs", "run", "select_notebooks"):
        from .runner import default_jobs, run, select_notebooks

        found = {"default_jobs": default_jobs, "run": run, "select_notebooks": select_notebooks}
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals().update(found)
    return found[name]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
