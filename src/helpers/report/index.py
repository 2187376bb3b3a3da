"""The report's front page: one row per notebook with its figures and tables, and the load report."""

from __future__ import annotations

import html
from pathlib import Path

from .notebooks import NotebookResult


def index_html(results: list[NotebookResult], report_rows: list[dict], manifest: dict) -> str:
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
