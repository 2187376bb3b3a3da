"""Every notebook runs on the multi-document evaluation corpora too (outlets, dates, groups).

The seed run is in test_report.py (through the report command). Here each notebook is
executed with papermill on the climate articles (274, outlets and dates) and the BBC articles
(1,114, sections as groups); skipped with a reason where ../shared/eval is absent.
"""

from __future__ import annotations

import nbformat
import papermill as pm
import pytest

from helpers import report

pytestmark = pytest.mark.slow

NOTEBOOKS = report.list_notebooks()
CORPORA = {
    "climate": ("climate_frames/articles_dev.tsv", {}),
    "bbc": ("bbc_news/bbc_dev.csv", {"group_column": "category"}),
}


def _params(nb, extra):
    """Only pass parameters the notebook declares (papermill would inject unknown ones too)."""
    names = set(pm.inspect_notebook(str(nb)).keys())
    return {k: v for k, v in extra.items() if k in names}


@pytest.mark.parametrize("corpus", sorted(CORPORA))
@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_on_eval_corpus(nb, corpus, eval_dir, tmp_path):
    rel, extra = CORPORA[corpus]
    data = eval_dir / rel
    if not data.exists():
        pytest.skip(f"{data} not available")
    out = tmp_path / nb.stem
    pm.execute_notebook(str(nb), str(tmp_path / nb.name), kernel_name="python3", progress_bar=False,
                        cwd=str(nb.parent), parameters={"data_path": str(data), "out_dir": str(out),
                                                        **_params(nb, extra)})
    written = list(out.glob("*.csv"))
    assert written, f"{nb.stem} wrote no tables for {corpus}"
    # warnings name the kernel's temporary file (/tmp/ipykernel_<pid>/...): on a page they make
    # two runs on identical input differ, so a notebook must not raise them
    shown = [o.get("text", "") for c in nbformat.read(tmp_path / nb.name, as_version=4).cells
             for o in c.get("outputs", []) if o.get("output_type") == "stream"]
    assert not [t for t in shown if "ipykernel_" in t], f"{nb.stem} on {corpus} printed: {shown}"


def test_notebook_defaults_resolve_from_any_start_folder(tmp_path):
    """Interactive use: default parameters (data/raw) work wherever the kernel starts."""
    nb = report.list_notebooks()[0]
    out = tmp_path / "out"
    pm.execute_notebook(str(nb), str(tmp_path / nb.name), kernel_name="python3", progress_bar=False,
                        cwd=str(tmp_path), parameters={"out_dir": str(out)})
    executed = (tmp_path / nb.name).read_text()
    assert "dangerous-crossroads-japan-nato-china.txt" in executed
    assert (out / "load_report.csv").is_file()
