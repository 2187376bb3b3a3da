"""Headline findings a notebook writes for the report's front page.

Each notebook ends by writing ``findings.json`` into its output folder: three to five
sentences computed from its own tables (never typed in), each naming the method that produced
it and that method's validation score, plus the file name of its main figure. The report's
index shows them beside a thumbnail of that figure, so the page a person forwards says what
was found, not only which files exist.

>>> import tempfile
>>> d = tempfile.mkdtemp()
>>> _ = write_findings(d, [Finding("Most frequent frame: conflict (42 % of sentences)", "dictionary")], "f.png")
>>> read_findings(d)["findings"][0]["text"]
'Most frequent frame: conflict (42 % of sentences)'
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from .validation import load_results, stale_resources

FINDINGS_FILE = "findings.json"


@dataclass
class Finding:
    """One headline: the sentence, the method behind it, and that method's validation."""

    text: str
    method: str = ""
    validation: str = ""


def write_findings(out_dir: str | os.PathLike, findings: list[Finding | dict], figure: str | None = None) -> Path:
    """Write ``findings.json`` (findings in order, the main figure's file name) into ``out_dir``."""
    items = [asdict(f) if isinstance(f, Finding) else {"text": str(f["text"]), "method": str(f.get("method", "")),
                                                       "validation": str(f.get("validation", ""))}
             for f in findings]
    path = Path(out_dir) / FINDINGS_FILE
    path.write_text(json.dumps({"figure": figure, "findings": items}, indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def read_findings(out_dir: str | os.PathLike) -> dict | None:
    """The findings a notebook wrote, or ``None`` when there are none (or the file is unreadable)."""
    path = Path(out_dir) / FINDINGS_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list):
        return None
    return doc


def validation_note(measure: str, method: str | None = None, dataset: str | None = None) -> str:
    """"macro-F1 0.61 [0.55, 0.67] on NewsMTSC dev_rw (locked part, 343 sentences)" for the
    first matching record of the results file; says so when there is none or it is stale."""
    for r in load_results():
        if r["measure"] != measure or (method and r["method"] != method) or (dataset and dataset not in r["dataset"]):
            continue
        if stale_resources(r):
            return "not validated for these resources (changed since `validate all`)"
        lo, hi = r["ci"] if r.get("ci") else (None, None)
        ci = f" [{lo:.2f}, {hi:.2f}]" if lo is not None else ""
        return f"{r['metric']} {r['score']:.2f}{ci} on {r['dataset']} ({r['part']}, {r['n_units']} {r['unit']}s)"
    return "no validation on labelled data"
