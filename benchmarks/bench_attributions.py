"""Old vs new framing/quote measures on one corpus, in one run (issue 12).

The old code is the package at a git revision (default: the commit before the speed-ups),
unpacked with ``git archive`` into a temporary folder; each side runs in its own process on
the same corpus, one after the other, and prints CPU seconds (process time: fair on a busy
machine) and docs/s per step::

    .venv/bin/python benchmarks/bench_attributions.py benchmarks/results/scale/corpus-10k.jsonl
    .venv/bin/python benchmarks/bench_attributions.py corpus.pkl --old 2c27e2c --steps attributions

A ``.pkl`` corpus (``load_corpus`` output pickled) skips loading. Steps: frame_scores (generic,
document), attributions, naming_mentions (given the attributions), indicator_answers.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEPS = ("frame_scores", "attributions", "naming_mentions", "indicator_answers")

_CHILD = r"""
import json, sys, time
import pandas as pd
from helpers import framing, sources
from helpers.corpus import load_corpus
path, steps = sys.argv[1], sys.argv[2].split(",")
c = pd.read_pickle(path) if path.endswith(".pkl") else load_corpus(path)[0]
out, att = {}, None
def timed(name, f):
    t = time.process_time(); r = f(); out[name] = time.process_time() - t; return r
if "frame_scores" in steps:
    timed("frame_scores", lambda: framing.frame_scores(c, "generic", "document"))
if "attributions" in steps or "naming_mentions" in steps:
    att = timed("attributions", lambda: sources.attributions(c))
if "naming_mentions" in steps:
    timed("naming_mentions", lambda: framing.naming_mentions(c, attributions=att))
if "indicator_answers" in steps:
    timed("indicator_answers", lambda: framing.indicator_answers(c))
print(json.dumps({"n_docs": len(c), **out}))
"""


def run_side(src: Path, corpus: str, steps: list[str]) -> dict:
    """Seconds per step with the package at ``src`` first on the path (a fresh process)."""
    env_path = f"PYTHONPATH={src}"
    res = subprocess.run(
        ["env", env_path, sys.executable, "-c", _CHILD, corpus, ",".join(steps)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    """Print a table: step, old s, new s, speed-up, docs/s (new)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--old", default="2c27e2c", help="git revision of the old code")
    ap.add_argument("--steps", default=",".join(STEPS))
    a = ap.parse_args(argv)
    steps = a.steps.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "archive", a.old, "src"], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        old = run_side(Path(tmp) / "src", a.corpus, steps)
    new = run_side(ROOT / "src", a.corpus, steps)
    print(f"{'step':<20}{'old s':>9}{'new s':>9}{'x':>7}{'docs/s new':>12}   ({new['n_docs']} docs)")
    for s in (k for k in new if k != "n_docs"):
        print(f"{s:<20}{old[s]:>9.1f}{new[s]:>9.1f}{old[s] / new[s]:>7.1f}{new['n_docs'] / new[s]:>12.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
