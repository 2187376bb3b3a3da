"""Scale: throughput of each step on a 10k (or 100k) article corpus, beside a baseline.

For each size: builds the corpus (benchmarks/make_corpus.py, real sentences recombined, fixed
seed) under benchmarks/results/scale/, then times

- load:   ``helpers.load_corpus`` in a fresh process (cold), then the same call again in that
          process; baseline: ``json.loads`` of every line (no parsing, ids, languages or copies).
          Peak memory of that process from ``resource.getrusage``.
- units:  ``helpers.text.units(corpus, "sentence")``.
- frames: ``helpers.framing.frame_scores(corpus, "generic", "document")``.
- VADER:  ``helpers.sentiment.vader_scores`` on every sentence; baseline: a plain
          ``vaderSentiment`` loop on the first 2,000 sentences, scaled to all of them.
- targets: ``find_mentions`` on the sentences + ``entity_sentiment`` with the shipped model.
- attributions: ``helpers.sources.attributions(corpus)``.
- topics: ``helpers.topics.TopicModel(10, method="nmf")`` fitted on every document; baseline:
          scikit-learn ``TfidfVectorizer`` + ``NMF(10)`` with its defaults.
- report: ``python -m helpers report --data FILE --out DIR`` wall time (all notebooks, two at a
          time); reference: the issue's recorded 505 s for 10,000 articles.

Every rate is documents per second; "peak MB" is this process's peak resident memory after the
step (a running maximum), or the child process's for load and report. Timings are single runs
(a 10k run took 12.5 minutes on the shared 2-core machine, 7.8 of them the report); they are not
asserted anywhere.

Run: .venv/bin/python benchmarks/bench_scale.py                 (10,000 articles)
     .venv/bin/python benchmarks/bench_scale.py --sizes 10000 100000 --skip-report
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from _common import peak_rss_mb, print_throughput  # noqa: E402
from make_corpus import DEFAULT_SEED, write_corpus  # noqa: E402

RESULTS = HERE / "results" / "scale"
ISSUE_REPORT_10K = 505.0  # seconds, issue 12's recorded report on 10,000 articles

_LOAD_CHILD = """
import json, os, pickle, resource, sys, time
t0 = time.perf_counter()
from helpers.corpus import load_corpus
t_import = time.perf_counter() - t0
cache = sys.argv[3] == "cache"
t0 = time.perf_counter(); corpus = load_corpus(sys.argv[1], cache=cache).corpus; cold = time.perf_counter() - t0
peak_cold = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if sys.argv[2] != "-":
    corpus.to_pickle(sys.argv[2])
print(json.dumps({"seconds": cold, "import": t_import, "peak_mb": peak_cold,
                  "docs": len(corpus), "copies": int((corpus["duplicate_of"] != "").sum())}))
"""


def _load_child(path: Path, pkl: str, cache: bool, env: dict) -> dict:
    proc = subprocess.run([sys.executable, "-c", _LOAD_CHILD, str(path), pkl, "cache" if cache else "off"],
                          capture_output=True, text=True, check=True, env=env)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def naive_json(path: Path) -> tuple[float, int]:
    """Baseline load: read and json.loads every line, nothing else."""
    import gzip

    t0 = time.perf_counter()
    n = 0
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            json.loads(line)
            n += 1
    return time.perf_counter() - t0, n


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t0, out


def bench_load(path: Path, tmp: Path, env: dict) -> tuple[list[tuple], object]:
    """Cold load (no cache) in a fresh process; then the same file with the cache: once to fill
    it, once more in another fresh process (what every notebook kernel of a report does)."""
    import pandas as pd

    pkl = tmp / "corpus.pkl"
    cold = _load_child(path, str(pkl), False, env)
    _load_child(path, "-", True, env)
    hit = _load_child(path, "-", True, env)
    t_base, n = naive_json(path)
    corpus = pd.read_pickle(pkl)
    pkl.unlink()
    return [
        ("load_corpus (cold process)", cold["docs"], cold["seconds"], cold["peak_mb"], "json.loads every line",
         t_base, f"{cold['copies']:,} flagged copies; import {cold['import']:.1f} s not included"),
        ("load_corpus (cache hit)", hit["docs"], hit["seconds"], hit["peak_mb"], "load_corpus cold (above)",
         cold["seconds"], "another process reads the Parquet written by a first cached load"),
    ], corpus


def per_document(part):
    """A typical per-document pipeline for the parallel rows: sentences, VADER, generic frames."""
    import pandas as pd

    from helpers.framing import frame_scores
    from helpers.sentiment import vader_scores
    from helpers.text import units

    sentences = units(part, "sentence")
    tone = vader_scores(sentences).groupby("doc_id", sort=False)["compound"].mean()
    frames = frame_scores(part, "generic", "document")
    return pd.DataFrame({"doc_id": part["doc_id"].to_numpy(),
                         "tone": tone.reindex(part["doc_id"]).to_numpy()}).merge(
        frames.drop(columns=[c for c in frames.columns if c in ("text",)]), on="doc_id", how="left")


def bench_parallel(corpus, workers_list: tuple[int, ...]) -> list[tuple]:
    """``per_document`` over the corpus: plain call, map_documents on local processes, on a Dask
    LocalCluster with 1, 2 and 4 workers, and from the cache; every result checked equal."""
    import logging

    import pandas as pd
    from distributed import LocalCluster

    from helpers.compute import map_documents, use_scheduler

    n = len(corpus)
    table = corpus[["doc_id", "text"]]
    t_plain, expected = timed(per_document, table)
    rows = [("per-document pipeline, 1 process", n, t_plain, peak_rss_mb(), None, None,
             "units + VADER + generic frames, plain call")]

    def check(got, what):
        pd.testing.assert_frame_equal(got, expected, obj=what)
        return "same rows as the plain call"

    for w in (2,):
        t, got = timed(map_documents, per_document, table, name="bench.pipeline", workers=w, cache=False,
                       progress=False)
        rows.append((f"map_documents, {w} local processes", n, t, peak_rss_mb(), "1 process (above)", t_plain,
                     check(got, "local")))
    for w in workers_list:
        with LocalCluster(n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=logging.ERROR) as cluster:
            use_scheduler(cluster.scheduler_address)
            try:
                t, got = timed(map_documents, per_document, table, name="bench.pipeline", cache=False,
                               progress=False)
            finally:
                use_scheduler(None)
        rows.append((f"Dask LocalCluster, {w} worker(s)", n, t, peak_rss_mb(), "1 process (above)", t_plain,
                     check(got, f"dask {w}") + f"; {os.cpu_count()} cores"))
    map_documents(per_document, table, name="bench.pipeline", progress=False)  # fill the cache
    t, got = timed(map_documents, per_document, table, name="bench.pipeline", progress=False)
    rows.append(("map_documents, cache hit", n, t, peak_rss_mb(), "1 process (above)", t_plain,
                 check(got, "cache hit")))
    return rows


def bench_measures(corpus) -> list[tuple]:
    from helpers import sources
    from helpers import topics as tp
    from helpers.framing import frame_scores
    from helpers.sentiment import (
        SHIPPED_DIR,
        entity_sentiment,
        find_mentions,
        load_target_model,
        vader_scores,
    )
    from helpers.text import units

    n = len(corpus)
    rows = []
    t, sent = timed(lambda: units(corpus, "sentence"))
    rows.append(("units(sentence)", n, t, peak_rss_mb(), None, None, f"{len(sent):,} sentences"))
    t, _ = timed(lambda: frame_scores(corpus, "generic", "document"))
    rows.append(("frame_scores (generic, doc)", n, t, peak_rss_mb(), None, None, ""))

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sample = sent["text"].head(2000).tolist()
    plain = SentimentIntensityAnalyzer()
    t_s, _ = timed(lambda: [plain.polarity_scores(s) for s in sample])
    t_base = t_s * len(sent) / max(len(sample), 1)
    t, _ = timed(vader_scores, sent)
    rows.append(("vader_scores (sentences)", n, t, peak_rss_mb(), "plain vaderSentiment loop (est.)", t_base,
                 f"baseline timed on {len(sample):,} sentences, scaled"))

    model = load_target_model(SHIPPED_DIR)
    t_m, mentions = timed(find_mentions, sent)
    t_e, _ = timed(entity_sentiment, mentions, model=model)
    rows.append(("find_mentions + entity_sent.", n, t_m + t_e, peak_rss_mb(), None, None,
                 f"{len(mentions):,} mentions; find {t_m:.1f} s, model {t_e:.1f} s"))
    t, att = timed(lambda: sources.attributions(corpus))
    rows.append(("attributions", n, t, peak_rss_mb(), None, None, f"{len(att):,} attributions"))
    del sent, mentions, att

    texts = corpus["text"].tolist()
    t, _ = timed(lambda: tp.TopicModel(10, method="nmf", vectorizer=tp.TopicVectorizer(),
                                       random_state=DEFAULT_SEED).fit(texts))
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    def naive():
        x = TfidfVectorizer(stop_words="english", min_df=5, max_df=0.5).fit_transform(texts)
        return NMF(n_components=10, random_state=DEFAULT_SEED).fit(x)

    t_base, _ = timed(naive)
    rows.append(("topic fit (NMF, k=10)", n, t, peak_rss_mb(), "sklearn Tfidf + NMF defaults", t_base, ""))
    return rows


def _report(path: Path, out: Path, timeout: int, env: dict, *extra: str) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "helpers", "report", "--data", str(path), "--out", str(out),
                           *extra], capture_output=True, text=True, timeout=timeout, env=env)
    t = time.perf_counter() - t0
    lines = proc.stdout.strip().splitlines() or ["(no output)"]
    tail = next((line for line in reversed(lines) if "failed" in line), lines[-1])
    return t, f"exit {proc.returncode}: " + tail.rsplit(" (", 1)[-1].rstrip(")")[:60]


def bench_report(folder: Path, n: int, tmp: Path, timeout: int, env: dict, seed: int) -> list[tuple]:
    """The whole report: cold (no cache), first cached run, unchanged rerun, rerun after 5 % more articles."""
    ref = ISSUE_REPORT_10K * n / 10_000  # scaled linearly from the issue's 10k figure
    t_cold, note = _report(folder, tmp / "r-cold", timeout, env, "--no-cache")
    rows = [("report, cold (--no-cache)", n, t_cold, peak_rss_mb(children=True), "issue 12 recorded (505 s / 10k)",
             ref, note)]
    t, note = _report(folder, tmp / "r-fill", timeout, env)
    rows.append(("report, first cached run", n, t, None, "report cold (above)", t_cold, note + "; fills the caches"))
    t, note = _report(folder, tmp / "r-hit", timeout, env)
    rows.append(("report, unchanged rerun", n, t, None, "report cold (above)", t_cold, note))
    extra = max(1, n // 20)
    write_corpus(extra, folder / "more.jsonl", seed=seed + 1)
    t, note = _report(folder, tmp / "r-more", timeout, env)
    rows.append((f"report, +{extra:,} articles", n + extra, t, None, "report cold (above)", t_cold,
                 note + "; only new documents measured"))
    return rows


def run_size(n: int, seed: int, skip_report: bool, report_timeout: int, keep: bool,
             dask_workers: tuple[int, ...]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=RESULTS) as tmp:
        tmp = Path(tmp)
        folder = tmp / "coverage"
        folder.mkdir()
        path = folder / f"corpus-{n}-s{seed}.jsonl"
        info = write_corpus(n, path, seed=seed)
        rows = [("build corpus (make_corpus)", n, info["seconds"], None, None, None,
                 f"{info['bytes'] / 1e6:,.0f} MB; incl. a pool of {info['pool']:,} real paragraphs")]
        env = {**os.environ, "COVERAGE_LAB_CACHE": str(tmp / "cache"), "COVERAGE_LAB_PROGRESS": "0"}
        os.environ.update(COVERAGE_LAB_CACHE=str(tmp / "cache-measures"), COVERAGE_LAB_PROGRESS="0")
        load_rows, corpus = bench_load(path, tmp, env)
        rows += load_rows
        rows += bench_measures(corpus)
        if dask_workers:
            rows += bench_parallel(corpus, dask_workers)
        del corpus
        if not skip_report:
            rows += bench_report(folder, n, tmp, report_timeout, env, seed)
        if keep:
            path.replace(RESULTS / path.name)
    print_throughput(f"Scale benchmark: {n:,} articles (seed {seed}; "
                     f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')})", rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000], help="corpus sizes (default: 10000)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--skip-report", action="store_true", help="leave out the full report run")
    ap.add_argument("--report-timeout", type=int, default=3600, help="seconds before the report run is stopped")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpus in benchmarks/results/scale")
    ap.add_argument("--dask-workers", type=int, nargs="*", default=[1, 2, 4],
                    help="Dask LocalCluster sizes for the parallel rows (none: skip them)")
    args = ap.parse_args(argv)
    for n in args.sizes:
        run_size(n, args.seed, args.skip_report, args.report_timeout, args.keep, tuple(args.dask_workers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
