"""Run every notebook on a corpus and render a report people without Python can open.

``run(data, out)`` executes ``notebooks/NN-*.ipynb`` in order with papermill (parameters
``data_path`` and ``out_dir``), renders each executed notebook to standalone HTML (images
embedded, article text escaped), writes ``index.html`` with the load report and a line per
notebook, and ``manifest.json`` (corpus hash, files, parameters, package versions, timings).
A failing notebook is reported with its cell and error; the others still run.
"""

from __future__ import annotations

import html
import json
import multiprocessing
import os
import platform
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

import nbformat

from .config import NOTEBOOKS_DIR, PROJECT_ROOT, resolve_data
from .corpus import corpus_fingerprint, load_corpus

PACKAGES = ["coverage-lab-helpers", "pandas", "numpy", "scipy", "scikit-learn", "matplotlib", "nltk",
            "vaderSentiment", "trafilatura", "wordfreq", "simplemma", "papermill", "nbconvert", "jupytext",
            "ftfy", "charset-normalizer", "pyarrow"]


@dataclass
class NotebookResult:
    name: str
    status: str  # "ok" or "failed"
    seconds: float
    html: str
    description: str = ""
    error: str = ""
    cell: int | None = None
    outputs: list[str] = field(default_factory=list)


def default_jobs() -> int:
    env = os.environ.get("COVERAGE_LAB_JOBS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(2, os.cpu_count() or 1))


def list_notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Notebooks to run, in name order (``00-corpus.ipynb``, ``10-framing.ipynb`` …)."""
    return sorted(p for p in folder.glob("[0-9][0-9]-*.ipynb") if not p.name.startswith("."))


def describe_notebook(path: Path, max_chars: int = 220) -> str:
    """One line on what a notebook shows: the first sentence of its first paragraph of prose,
    without Markdown markup or a leading label such as "**Question.**"."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = [ln.strip() for ln in cell.source.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        if not lines:
            continue
        text = " ".join(lines)
        text = re.sub(r"^\*\*[^*]{1,40}\*\*\s*", "", text)  # "**Question.** ..." -> "..."
        text = re.sub(r"[*_`]+", "", text)
        m = re.search(r"[.?!](\s|$)", text)
        sentence = text[: m.end()].strip() if m else text
        return sentence if len(sentence) <= max_chars else sentence[: max_chars - 1].rstrip() + "…"
    return ""


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.S | re.I)
_CSP = ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src \'self\' data:; '
        'style-src \'unsafe-inline\'; font-src data:">')


def _render_html(nb: nbformat.NotebookNode, target: Path) -> None:
    """Standalone HTML for readers without Python: no code cells, images embedded, no script.

    The template's own scripts (require.js, MathJax from a CDN) are removed and a
    Content-Security-Policy forbids any script or remote load, so the page works offline and
    nothing in it can execute, whatever text the articles contained (inline event handlers
    are blocked by the same policy). nbconvert's own ``sanitize_html`` is not used: it
    escapes the markdown and tables wholesale, so the page would show raw tags.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", embed_images=True, exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    body = _SCRIPT.sub("", body)
    # The lab template ignores alt metadata and writes a placeholder; put the alt texts set by
    # _make_reproducible back, in output order (images are embedded in the same order).
    alts = iter([out["metadata"]["image/png"]["alt"] for cell in nb.cells for out in cell.get("outputs", [])
                 if "image/png" in out.get("data", {}) and out.get("metadata", {}).get("image/png", {}).get("alt")])
    body = re.sub(r'alt="No description has been provided for this image"',
                  lambda m: f'alt="{html.escape(next(alts, "figure"), quote=True)}"', body)
    body = body.replace("<head>", "<head>\n" + _CSP, 1)
    target.write_text(body, encoding="utf-8")


def _make_reproducible(ipynb: Path) -> nbformat.NotebookNode | None:
    """Give papermill's injected cell a fixed id and drop run timestamps, so identical inputs
    render to identical files (papermill draws a random id for the cell it inserts); give
    every figure an alt text. Returns the notebook as written (None if there is none)."""
    if not ipynb.exists():
        return None
    nb = nbformat.read(ipynb, as_version=4)
    section = nb.metadata.get("title", "") or ipynb.stem
    n_fig = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            heads = re.findall(r"^#{1,3}\s+(.+)$", cell.source, flags=re.M)
            section = re.sub(r"[*_`]+", "", heads[-1]).strip() if heads else section
        for out in cell.get("outputs", []):
            # Screen readers get a description instead of nbconvert's "No description has been
            # provided for this image": the figure's number and the section it belongs to.
            if "image/png" in out.get("data", {}):
                n_fig += 1
                out.setdefault("metadata", {}).setdefault("image/png", {})["alt"] = f"Figure {n_fig}: {section}"
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
        cell.metadata.pop("execution", None)
        pm_meta = cell.metadata.get("papermill")
        if pm_meta:
            for key in ("start_time", "end_time", "duration"):
                pm_meta.pop(key, None)
    pm_meta = nb.metadata.get("papermill")
    if pm_meta:
        for key in ("start_time", "end_time", "duration", "input_path", "output_path"):
            pm_meta.pop(key, None)
    nbformat.write(nb, ipynb)
    return nb


def _failed_cell(ipynb: Path) -> tuple[int | None, str]:
    """The first cell with an error output: (cell number, 'Error: message')."""
    try:
        nb = nbformat.read(ipynb, as_version=4)
    except Exception:
        return None, ""
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and out.get("ename") != "PapermillExecutionError":
                return i, f"{out.get('ename')}: {out.get('evalue')}"
    return None, ""


def run_notebook(nb: Path, data: Path, out: Path, timeout: int = 900, extra: dict | None = None) -> NotebookResult:
    """Execute one notebook with papermill and render it; never raises for notebook errors."""
    import papermill as pm

    name = nb.stem
    nb_out = out / name
    nb_out.mkdir(parents=True, exist_ok=True)
    executed = nb_out / f"{name}.ipynb"
    params = {"data_path": str(data), "out_dir": str(nb_out), **(extra or {})}
    t0 = time.perf_counter()
    status, error, cell = "ok", "", None
    try:
        pm.execute_notebook(str(nb), str(executed), parameters=params, kernel_name="python3",
                            progress_bar=False, cwd=str(nb.parent), execution_timeout=timeout,
                            report_mode=False, log_output=False)
    except Exception as err:  # papermill raises PapermillExecutionError, kernels may die
        status = "failed"
        cell, error = _failed_cell(executed)
        if not error:
            error = f"{type(err).__name__}: {str(err).strip().splitlines()[-1] if str(err).strip() else ''}"
    seconds = time.perf_counter() - t0
    executed_nb = _make_reproducible(executed)
    html_path = out / f"{name}.html"
    try:
        if executed_nb is None:
            raise FileNotFoundError(f"papermill wrote no executed notebook {executed.name}")
        _render_html(executed_nb, html_path)
    except Exception as err:
        status, error = "failed", error or f"rendering failed: {type(err).__name__}: {err}"
        html_path.write_text(f"<!doctype html><meta charset='utf-8'><title>{html.escape(name)}</title>"
                             f"<p>Rendering failed: {html.escape(str(err))}</p>", encoding="utf-8")
    outputs = sorted(p.relative_to(out).as_posix() for p in nb_out.rglob("*") if p.is_file() and p != executed)
    return NotebookResult(name=name, status=status, seconds=round(seconds, 2), html=html_path.name,
                          description=describe_notebook(nb), error=error, cell=cell, outputs=outputs)


def _index_html(results: list[NotebookResult], report_rows: list[dict], manifest: dict) -> str:
    esc = html.escape
    rows = []
    for r in results:
        state = "ok" if r.status == "ok" else f"FAILED at cell {r.cell}: {r.error}" if r.cell is not None else f"FAILED: {r.error}"
        files = " ".join(f'<a href="{esc(p)}">{esc(Path(p).name)}</a>' for p in r.outputs if p.endswith((".csv", ".png", ".svg")))
        rows.append(f'<tr class="{esc(r.status)}"><td><a href="{esc(r.html)}">{esc(r.name)}</a></td>'
                    f"<td>{esc(r.description)}</td><td>{esc(state)}</td>"
                    f'<td class="files">{files}</td></tr>')
    load_rows = "".join(
        f"<tr><td>{esc(str(x['source_path']))}</td><td>{esc(str(x['format']))}</td><td>{esc(str(x['status']))}</td>"
        f"<td>{esc(str(x['n_docs']))}</td><td>{esc(str(x['reason']))}</td><td>{esc(str(x['repairs']))}</td></tr>"
        for x in report_rows)
    n_fail = sum(r.status != "ok" for r in results)
    summary = "All notebooks ran." if not n_fail else f"{n_fail} notebook(s) failed; see the table."
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Coverage Lab report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'">
<style>body{{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}}
table{{border-collapse:collapse;width:100%;margin:1rem 0}}td,th{{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}}
tr.failed td{{background:#fde8e8}}td.files a{{margin-right:.4rem;font-size:.85em}}code{{background:#f4f4f4}}</style></head>
<body><h1>Coverage Lab report</h1>
<p>Corpus: <code>{esc(manifest['data'])}</code> — {manifest['n_documents']} document(s) from {len(report_rows)} file(s);
corpus hash <code>{esc(manifest['corpus_hash'][:16])}</code>. {esc(summary)}</p>
<h2>Notebooks</h2>
<table><thead><tr><th>notebook</th><th>what it shows</th><th>status</th><th>figures and tables</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>
<h2>Load report</h2><p>Every file found in the corpus folder, and what happened to it.</p>
<table><thead><tr><th>file</th><th>format</th><th>status</th><th>documents</th><th>notes</th><th>repairs</th></tr></thead>
<tbody>{load_rows}</tbody></table>
<p>Run details (package versions, parameters, timings — kept out of the pages so identical input
gives identical pages): <a href="manifest.json">manifest.json</a>.</p>
</body></html>
"""


def run(data: str | Path | None = None, out: str | Path = "reports/latest", notebooks: list[str] | None = None,
        timeout: int = 900, progress: bool = True, notebooks_dir: Path = NOTEBOOKS_DIR,
        jobs: int | None = None) -> dict:
    """Run all (or the named) notebooks on ``data`` and render the report into ``out``.

    ``jobs`` notebooks run at once (default: one per core, at most two, env
    ``COVERAGE_LAB_JOBS`` overrides). Returns the manifest dict; ``manifest["failed"]`` lists
    failed notebooks.
    """
    data_path = resolve_data(data)
    if not data_path.exists():
        raise FileNotFoundError(f"no such corpus folder or file: {data_path}")
    out_path = Path(out)
    if not out_path.is_absolute():
        out_path = PROJECT_ROOT / out_path
    out_path.mkdir(parents=True, exist_ok=True)
    books = list_notebooks(notebooks_dir)
    if notebooks:
        wanted = set(notebooks)
        books = [b for b in books if b.stem in wanted or b.stem.split("-")[0] in wanted]
        if not books:
            raise ValueError(f"no notebook matches {sorted(wanted)}; available: {[b.stem for b in list_notebooks(notebooks_dir)]}")
    t0 = time.perf_counter()
    corpus, report = load_corpus(data_path)
    report.to_csv(out_path / "load_report.csv", index=False)
    results: dict[str, NotebookResult] = {}
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(books), desc="notebooks", unit="nb", file=sys.stderr)

    def done(res: NotebookResult) -> None:
        results[res.name] = res
        msg = f"{res.name}: {res.status} in {res.seconds:.1f} s" + (f" — cell {res.cell}: {res.error}" if res.error else "")
        if bar is not None:
            bar.update(1)
            bar.write(msg)
        else:
            print(msg)

    jobs = max(1, min(jobs or default_jobs(), len(books)))
    if jobs == 1:
        for nb in books:
            done(run_notebook(nb, data_path, out_path, timeout=timeout))
    else:
        # Notebooks are independent (each writes its own folder), so they run side by side in
        # separate processes; results are put back in notebook order below.
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            futures = {pool.submit(run_notebook, nb, data_path, out_path, timeout): nb for nb in books}
            for fut in as_completed(futures):
                nb = futures[fut]
                try:
                    done(fut.result())
                except Exception as err:  # the worker itself died: still report the notebook
                    done(NotebookResult(name=nb.stem, status="failed", seconds=0.0, html=f"{nb.stem}.html",
                                        description=describe_notebook(nb), error=f"{type(err).__name__}: {err}"))
    if bar is not None:
        bar.close()
    results = [results[nb.stem] for nb in books]
    manifest = {
        "data": str(data_path.relative_to(PROJECT_ROOT)) if data_path.is_relative_to(PROJECT_ROOT) else str(data_path),
        "corpus_hash": corpus_fingerprint(data_path),
        "n_documents": int(len(corpus)),
        "files": report.to_dict("records"),
        "parameters": {"data_path": str(data_path), "out_dir": "<out>/<notebook>"},
        "notebooks": [asdict(r) for r in results],
        "failed": [r.name for r in results if r.status != "ok"],
        "seconds_total": round(time.perf_counter() - t0, 2),
        "jobs": jobs,
        "versions": package_versions(),
        "command": " ".join(sys.argv),
    }
    (out_path / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
    (out_path / "index.html").write_text(_index_html(results, manifest["files"], manifest), encoding="utf-8")
    return manifest
