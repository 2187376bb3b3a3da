"""Executed notebooks made reproducible and rendered to standalone, script-free HTML.

Identical inputs render to identical bytes: papermill's random cell id and run timestamps are
removed. Pages embed their images, carry alt texts, and a Content-Security-Policy forbids any
script or remote load, whatever text the articles contained.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.S | re.I)
_CSP = ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src \'self\' data:; '
        'style-src \'unsafe-inline\'; font-src data:">')


def render_html(nb: nbformat.NotebookNode, target: Path) -> None:
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
    # make_reproducible back, in output order (images are embedded in the same order).
    alts = iter([out["metadata"]["image/png"]["alt"] for cell in nb.cells for out in cell.get("outputs", [])
                 if "image/png" in out.get("data", {}) and out.get("metadata", {}).get("image/png", {}).get("alt")])
    body = re.sub(r'alt="No description has been provided for this image"',
                  lambda m: f'alt="{html.escape(next(alts, "figure"), quote=True)}"', body)
    body = body.replace("<head>", "<head>\n" + _CSP, 1)
    target.write_text(body, encoding="utf-8")


def coalesce_streams(cell) -> None:
    """Merge adjacent stdout (or stderr) outputs of a cell into one, in place.

    How the kernel chunks printed text into messages depends on timing (a ``print`` followed by
    a ``display`` can arrive as one chunk or as the text and its newline apart, under load), and
    each chunk renders as its own block: merged, identical input gives identical pages.

    >>> from nbformat.v4 import new_code_cell, new_output
    >>> c = new_code_cell(outputs=[new_output("stream", name="stdout", text="a."),
    ...                            new_output("stream", name="stdout", text="\\n"),
    ...                            new_output("stream", name="stderr", text="w")])
    >>> coalesce_streams(c); [(o.name, o.text) for o in c.outputs]
    [('stdout', 'a.\\n'), ('stderr', 'w')]
    """
    merged = []
    for out in cell.get("outputs", []):
        prev = merged[-1] if merged else None
        if (prev is not None and out.get("output_type") == "stream" and prev.get("output_type") == "stream"
                and prev.get("name") == out.get("name")):
            prev["text"] = prev["text"] + out["text"]
        else:
            merged.append(out)
    if "outputs" in cell:
        cell["outputs"] = merged


def slowest_cells(nb: nbformat.NotebookNode, n: int = 5) -> list[dict]:
    """The ``n`` code cells papermill timed longest: ``cell`` (index), ``seconds``, ``first_line``.

    >>> from nbformat.v4 import new_notebook, new_code_cell
    >>> nb = new_notebook(cells=[new_code_cell("a = 1"), new_code_cell("b = 2")])
    >>> nb.cells[0].metadata["papermill"] = {"duration": 0.5}
    >>> nb.cells[1].metadata["papermill"] = {"duration": 2.25}
    >>> slowest_cells(nb, 1)
    [{'cell': 1, 'seconds': 2.25, 'first_line': 'b = 2'}]
    """
    rows = []
    for i, cell in enumerate(nb.cells):
        seconds = (cell.metadata.get("papermill") or {}).get("duration")
        if cell.cell_type != "code" or not isinstance(seconds, int | float):
            continue
        lines = [ln.strip() for ln in cell.source.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        rows.append({"cell": i, "seconds": round(float(seconds), 2), "first_line": (lines[0] if lines else "")[:80]})
    return sorted(rows, key=lambda r: (-r["seconds"], r["cell"]))[:n]


def make_reproducible(ipynb: Path, timings: list | None = None, n_slowest: int = 5) -> nbformat.NotebookNode | None:
    """Give papermill's injected cell a fixed id and drop run timestamps, so identical inputs
    render to identical files (papermill draws a random id for the cell it inserts); give
    every figure an alt text. Returns the notebook as written (None if there is none).

    ``timings``, when given, receives the ``n_slowest`` cells (``cell``: index among all
    cells, ``seconds``, ``first_line``) before their durations are dropped: the manifest keeps
    them (where a large corpus spends its time), the pages do not."""
    if not ipynb.exists():
        return None
    nb = nbformat.read(ipynb, as_version=4)
    if timings is not None:
        timings.extend(slowest_cells(nb, n_slowest))
    section = nb.metadata.get("title", "") or ipynb.stem
    n_fig = 0
    for cell in nb.cells:
        coalesce_streams(cell)
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
