"""The report's front page: what each notebook found, its main figure, then files and the load report.

Per notebook: a thumbnail of its main figure (embedded, linked to the notebook's page) and the
headline findings it wrote (``findings.json``, see :mod:`helpers.findings`), each with its
method and validation; the list of figure and table files is folded below. Everything that
comes from the corpus or a notebook is escaped.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

from ..findings import read_findings
from .notebooks import NotebookResult

esc = html.escape


def _thumbnail(out: Path, r: NotebookResult, figure: str | None) -> str:
    """The main figure as an embedded image linking to the notebook's page ("" when missing)."""
    if not figure:
        return ""
    png = out / r.name / Path(figure).name
    if png.suffix.lower() != ".png" or not png.is_file():
        return ""
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return (f'<a class="thumb" href="{esc(r.html)}"><img src="data:image/png;base64,{data}" '
            f'alt="{esc(r.name)}: {esc(png.stem.replace("_", " "))} (open the page)"></a>')


def _card(out: Path, r: NotebookResult) -> str:
    """One notebook's section: title, status, thumbnail, findings, folded file list."""
    state = "" if r.status == "ok" else (f"FAILED at cell {r.cell}: {r.error}" if r.cell is not None
                                         else f"FAILED: {r.error}")
    doc = read_findings(out / r.name) if r.status == "ok" else None
    items = "".join(
        f"<li>{esc(f['text'])}<br><span class=\"how\">{esc(f['method'])}"
        f"{' — ' + esc(f['validation']) if f.get('validation') else ''}</span></li>"
        for f in (doc or {}).get("findings", []))
    findings = f"<ul class=\"findings\">{items}</ul>" if items else ""
    files = [p for p in r.outputs if p.endswith((".csv", ".png", ".svg"))]
    links = " ".join(f'<a href="{esc(p)}">{esc(Path(p).name)}</a>' for p in files)
    folded = (f"<details><summary>Figures and tables ({len(files)} files)</summary>"
              f'<p class="files">{links}</p></details>') if files else ""
    return (f'<section class="nb {esc(r.status)}"><h3><a href="{esc(r.html)}">{esc(r.name)}</a></h3>'
            f"<p>{esc(r.description)}</p>" + (f'<p class="fail">{esc(state)}</p>' if state else "")
            + _thumbnail(out, r, (doc or {}).get("figure")) + findings + folded + "</section>")


def index_html(results: list[NotebookResult], report_rows: list[dict], manifest: dict, out: Path) -> str:
    """The whole front page for a run written into ``out``."""
    cards = "".join(_card(out, r) for r in results)
    load_rows = "".join(
        f"<tr><td>{esc(str(x['source_path']))}</td><td>{esc(str(x['format']))}</td><td>{esc(str(x['status']))}</td>"
        f"<td>{esc(str(x['n_docs']))}</td><td>{esc(str(x['reason']))}</td><td>{esc(str(x['repairs']))}</td></tr>"
        for x in report_rows)
    n_fail = sum(r.status != "ok" for r in results)
    summary = "All notebooks ran." if not n_fail else f"{n_fail} notebook(s) failed; see below."
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Coverage Lab report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'">
<style>body{{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}}
table{{border-collapse:collapse;width:100%;margin:1rem 0}}td,th{{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}}
section.nb{{border-top:1px solid #ddd;padding:.5rem 0 1rem;overflow:hidden}}section.failed{{background:#fde8e8}}
a.thumb img{{float:right;width:22rem;max-width:45%;margin:0 0 .5rem 1rem;border:1px solid #ddd}}
ul.findings li{{margin:.4rem 0}}span.how{{color:#555;font-size:.85em}}p.fail{{color:#a00}}
p.files a{{margin-right:.4rem;font-size:.85em}}code{{background:#f4f4f4}}</style></head>
<body><h1>Coverage Lab report</h1>
<p>Corpus: <code>{esc(manifest['data'])}</code> — {manifest['n_documents']} document(s) from {len(report_rows)} file(s);
corpus hash <code>{esc(manifest['corpus_hash'][:16])}</code>. {esc(summary)}</p>
<h2>What the notebooks found</h2>
{cards}
<h2>Load report</h2><p>Every file found in the corpus folder, and what happened to it.</p>
<table><thead><tr><th>file</th><th>format</th><th>status</th><th>documents</th><th>notes</th><th>repairs</th></tr></thead>
<tbody>{load_rows}</tbody></table>
<p>Run details (package versions, parameters, timings — kept out of the pages so identical input
gives identical pages): <a href="manifest.json">manifest.json</a>.</p>
</body></html>
"""
