"""Time the whole report on the seed, beside a baseline of bare notebook execution.

- baseline: papermill executing one empty notebook per project notebook (kernel start-up,
            parameter injection, no analysis): the floor any notebook-based report pays;
- project:  helpers.report.run (report/runner.py) on data/raw (all notebooks, HTML rendering, manifest).

Target from the foundation issue: the report on the seed under 30 s after setup.
Run: .venv/bin/python benchmarks/bench_report.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm

sys.path.insert(0, str(Path(__file__).parent))
from _common import print_side_by_side  # noqa: E402

from helpers import report  # noqa: E402


def main() -> int:
    books = report.list_notebooks()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        empty = nbformat.v4.new_notebook()
        empty.cells = [nbformat.v4.new_code_cell("data_path = None\nout_dir = None", metadata={"tags": ["parameters"]})]
        empty.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(empty, tmp / "empty.ipynb")
        t0 = time.perf_counter()
        for i in range(len(books)):
            pm.execute_notebook(str(tmp / "empty.ipynb"), str(tmp / f"e{i}.ipynb"), progress_bar=False,
                                parameters={"data_path": "x", "out_dir": str(tmp)}, kernel_name="python3")
        t_base = time.perf_counter() - t0
        t0 = time.perf_counter()
        manifest = report.run(out=tmp / "report", progress=False)
        t_proj = time.perf_counter() - t0
    print_side_by_side(f"Report on data/raw ({len(books)} notebooks; seconds)", [
        ("empty notebooks vs full report", t_base, t_proj, "ratio < 1: analysis and rendering cost"),
    ])
    for nb in manifest["notebooks"]:
        print(f"  {nb['name']:16s} {nb['seconds']:6.1f} s  {nb['status']}")
    print(f"report total {t_proj:.1f} s (target: under 30 s); failed: {manifest['failed'] or 'none'}")
    return 0 if not manifest["failed"] else 1


if __name__ == "__main__":
    sys.exit(main())
