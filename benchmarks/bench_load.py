"""Loading throughput: documents per second on a folder of a few thousand articles.

Builds (once, in a temporary folder) a corpus of real articles from ../shared/eval: each BBC
and climate article as a .txt file, each also wrapped in the aggregator repost layout of the
seed (header + footers), plus the two source tables; about 2,800 files. Then times

- baseline: reading every file's bytes and decoding UTF-8, no parsing at all;
- project:  helpers.load_corpus on the same folder (format detection, parsing, boilerplate
            removal, encoding checks, language identification, n_words, doc ids, near-duplicate
            detection).

and language identification alone on the same real articles: py3langid's reference
``classify`` one document at a time (baseline) against the project's batched
``helpers.corpus.detect_languages`` (identical scores), both on the first 3,000 characters.

Run: .venv/bin/python benchmarks/bench_load.py   (prints docs/s side by side)

Scale mode (issue 12): ``--scale FILE [--baseline REV]`` times loading and notebook 00's text
steps on a JSON-lines corpus (e.g. benchmarks/results/scale/corpus-10k.jsonl) with the package
of git revision REV (default 2c27e2c, before issue 12; extracted with ``git archive``) and with
the working tree, one fresh process per step and side, alternating, caches off:
load_corpus; units(sentence); republication_chain; term_frequencies; collocations (baseline: of
the corpus, splitting sentences again; project: of the sentence units table, as notebook 00
does) and kwic over the sentences; the parts of loading (normalise_for_hash,
near_duplicate_groups) and detect_languages, unchanged by issue 12: a check of the noise.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import best_of, print_side_by_side  # noqa: E402

from helpers.config import EVAL_DIR  # noqa: E402
from helpers.corpus import detect_languages, load_corpus  # noqa: E402
from helpers.corpus.identity import LANG_SAMPLE_CHARS  # noqa: E402

WRAP = """{title}

By [Bench Author](#)

Global Research, January {day}, 2013

[Original Outlet {n}](#)

Region: [Asia](#)

{body}

The original source of this article is [Original Outlet {n}](#)

Copyright © [Bench Author](#), [Original Outlet {n}](#), 2013

[Comment on Global Research Articles on our Facebook page](#)

Disclaimer: The contents of this article are of sole responsibility of the author(s).
"""


def build(folder: Path) -> int:
    import pandas as pd

    bbc = pd.read_csv(EVAL_DIR / "bbc_news" / "bbc_dev.csv")
    climate = pd.read_csv(EVAL_DIR / "climate_frames" / "articles_dev.tsv", sep="\t")
    texts = [(f"bbc-{i}", r.title, r.text) for i, r in enumerate(bbc.itertuples())]
    texts += [(f"climate-{i}", str(r.text)[:80], str(r.text)) for i, r in enumerate(climate.itertuples())]
    (folder / "plain").mkdir()
    (folder / "reposts").mkdir()
    for i, (name, title, text) in enumerate(texts):
        (folder / "plain" / f"{name}.txt").write_text(f"{title}\n\n{text}", encoding="utf-8")
        (folder / "reposts" / f"{name}.txt").write_text(
            WRAP.format(title=title, day=1 + i % 28, n=i % 7, body=text.replace("\n", "\n\n")), encoding="utf-8")
    for src in (EVAL_DIR / "bbc_news" / "bbc_dev.csv", EVAL_DIR / "climate_frames" / "articles_dev.tsv"):
        (folder / src.name).write_bytes(src.read_bytes())
    return sum(1 for _ in folder.rglob("*") if _.is_file())


def baseline(folder: Path) -> int:
    n = 0
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            p.read_bytes().decode("utf-8")
            n += 1
    return n


def language_throughput(texts: list[str]) -> None:
    """Documents per second: py3langid one by one vs the batched identifier, same sample per text."""
    import py3langid

    sample = [t[:LANG_SAMPLE_CHARS] for t in texts]
    detect_languages(sample[:10])  # load the model outside the timing
    py3langid.classify(sample[0])
    t_ref, ref = best_of(lambda: [py3langid.classify(t)[0] for t in sample], repeat=1)
    t_fast, fast = best_of(lambda: detect_languages(sample), repeat=3)
    agree = sum(a == b for a, b in zip(ref, fast, strict=True)) / len(sample)
    print_side_by_side("Language identification (seconds, first 3,000 characters of each article)", [
        ("py3langid.classify vs batched", t_ref, t_fast, f"{agree:.1%} same label"),
    ])
    print(f"throughput: py3langid {len(sample) / t_ref:,.0f} documents/s; project {len(sample) / t_fast:,.0f} "
          f"documents/s ({100_000 / (len(sample) / t_fast):,.0f} s for 100,000 documents)")


SCALE_STEPS = ("load_corpus", "normalise_for_hash", "near_duplicate_groups", "detect_languages", "units_sentence",
               "republication_chain", "term_frequencies", "collocations", "kwic")

#: One step, run in a fresh process; the corpus comes from a pickle so only the step is timed.
_STEP = """
import sys, time, pandas as pd
from helpers import collocations, term_frequencies, text  # both revisions export these two
from helpers.corpus import load_corpus, republication_chain
from helpers.corpus.duplicates import near_duplicate_groups
from helpers.corpus.identity import detect_languages, normalise_for_hash
step, data, pickled, side = sys.argv[1:5]
corpus = pd.read_pickle(pickled)
texts = corpus["text"].tolist()
sentences = text.units(corpus, "sentence") if step in ("collocations", "kwic") else None
norms = [normalise_for_hash(t) for t in texts] if step == "near_duplicate_groups" else None
detect_languages(texts[:1])  # the model loads outside the timing
run = {"load_corpus": lambda: load_corpus(data),
       "normalise_for_hash": lambda: [normalise_for_hash(t) for t in texts],
       "near_duplicate_groups": lambda: near_duplicate_groups(norms),
       "detect_languages": lambda: detect_languages(texts),
       "units_sentence": lambda: text.units(corpus, "sentence"),
       "republication_chain": lambda: republication_chain(corpus),
       "term_frequencies": lambda: term_frequencies(corpus),
       "collocations": lambda: collocations(corpus if side == "baseline" else sentences, top=25),
       "kwic": lambda: text.kwic(sentences, "NATO")}[step]
t0 = time.perf_counter()
run()
print(time.perf_counter() - t0)
"""


def scale(data: Path, baseline: str) -> None:
    """Print baseline vs project seconds per step on ``data`` (see the module docstring)."""
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "baseline"
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(root), "archive", baseline, "src/helpers"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        pickled = Path(tmp) / "corpus.pkl"
        load_corpus(data, cache=False).corpus.to_pickle(pickled)
        env = {**os.environ, "COVERAGE_LAB_CACHE": "off", "COVERAGE_LAB_PROGRESS": "0"}
        rows = []
        for step in SCALE_STEPS:
            secs = {}
            for side, path in (("baseline", old / "src"), ("project", root / "src")):
                out = subprocess.run([sys.executable, "-c", _STEP, step, str(data), str(pickled), side], check=True,
                                     capture_output=True, text=True, env={**env, "PYTHONPATH": str(path)})
                secs[side] = float(out.stdout.split()[-1])
            rows.append((step, secs["baseline"], secs["project"], ""))
        print_side_by_side(f"{data.name}: baseline {baseline} vs working tree (seconds, one run each)", rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=Path, help="JSON-lines corpus: time issue 12's steps against --baseline")
    parser.add_argument("--baseline", default="2c27e2c", help="git revision of the baseline package")
    args = parser.parse_args()
    if args.scale:
        scale(args.scale, args.baseline)
        return 0
    if not EVAL_DIR.is_dir():
        print(f"skipped: evaluation data not found at {EVAL_DIR}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        n_files = build(folder)
        t_base, _ = best_of(lambda: baseline(folder))
        t_proj, (corpus, report) = best_of(lambda: load_corpus(folder), repeat=2)
        n_docs = len(corpus)
        print(f"{n_files} files -> {n_docs} documents ({(report['status'] == 'loaded').sum()} files loaded, "
              f"{(corpus['duplicate_of'] != '').sum()} flagged as copies)")
        print_side_by_side("Loading a folder of articles (seconds, best of runs)", [
            ("read+decode only vs load_corpus", t_base, t_proj, "ratio < 1: parsing costs this much more"),
        ])
        print(f"\nthroughput: baseline {n_files / t_base:,.0f} files/s; project {n_docs / t_proj:,.0f} documents/s "
              f"({n_files / t_proj:,.0f} files/s)")
        language_throughput([t for t in corpus["text"] if t])
    return 0


if __name__ == "__main__":
    sys.exit(main())
