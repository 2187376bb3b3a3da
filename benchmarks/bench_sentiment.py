"""VADER throughput: the project's scorer against a plain per-sentence vaderSentiment loop.

Both score the same texts on one core (pure Python, no threads):

- baseline: ``SentimentIntensityAnalyzer().polarity_scores(s)`` for every text, in a loop;
- project:  ``helpers.sentiment.VaderScorer().score_texts(texts)`` with a *fresh* scorer for
            every run (cold token and text caches, so the speed is not bought by re-scoring
            texts it has seen before).

Times are the best CPU seconds of this process over ``--repeat`` runs (robust to other load on
a shared machine; both sides run on one core). Every run checks that neg, neu, pos and compound
are identical for every text (not close: equal), then prints texts/s side by side and the
ratio. Text sets: the sentences of the seed article, and where ../shared/eval exists the
NewsMTSC *train* sentences (news; the dev splits are locked and never read here), the BBC dev
articles split into sentences (a whole corpus, as the notebook scores it), and the same BBC
articles as whole documents.

With ``--corpus FILE`` (e.g. benchmarks/results/scale/corpus-10k.jsonl) it instead times the
corpus-wide steps of notebook 20 (units, VADER per level, driver terms, dictionary, mentions,
target model, aggregation) in CPU seconds, for the working tree and for the package as of
``--baseline REV`` (extracted with ``git archive``), each in a fresh process on the same loaded
corpus, one after the other in this run, and checks that both give the same tables.

Run: .venv/bin/python benchmarks/bench_sentiment.py [--repeat 3]
     .venv/bin/python benchmarks/bench_sentiment.py --corpus FILE [--baseline 2c27e2c]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import print_side_by_side  # noqa: E402
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from helpers import config, load_corpus, text  # noqa: E402
from helpers.sentiment import VaderScorer  # noqa: E402


def best_cpu(fn, repeat: int):
    """Best CPU time of this process over ``repeat`` runs: both sides are single-threaded
    Python, and CPU time is not inflated by other jobs sharing the machine."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.process_time()
        result = fn()
        times.append(time.process_time() - t0)
    return min(times), result


def text_sets() -> dict[str, list[str]]:
    sets = {}
    seed = load_corpus(config.DATA_RAW).corpus
    sets["seed article, sentences"] = text.units(seed, "sentence")["text"].tolist()
    mtsc = config.eval_path("newsmtsc", "train.jsonl")
    if mtsc:  # the tuning part only: the dev splits are locked, read by `validate all` alone
        sents = [json.loads(line)["sentence"] for line in mtsc.open(encoding="utf-8")]
        sets["NewsMTSC train sentences (unique)"] = list(dict.fromkeys(sents))
    bbc = config.eval_path("bbc_news", "bbc_dev.csv")
    if bbc:
        corpus = load_corpus(bbc).corpus
        sets["BBC dev corpus, all sentences"] = text.units(corpus, "sentence")["text"].tolist()
        sets["BBC dev corpus, documents"] = corpus["text"].tolist()
    return sets


STEPS = """
import hashlib, pickle, sys, time
import pandas as pd
from helpers import sentiment, text
corpus = pd.read_pickle(sys.argv[1])
times, tables = {}, {}
def step(name, fn):
    t0 = time.process_time()
    out = fn()
    times[name] = time.process_time() - t0
    tables[name] = hashlib.sha256(pd.util.hash_pandas_object(out.astype(str), index=False).values).hexdigest()
    return out
levels = {lv: step(f"units {lv}", lambda lv=lv: text.units(corpus, lv)) for lv in ("sentence", "paragraph", "document")}
scores = {lv: step(f"VADER {lv}s", lambda lv=lv: sentiment.vader_scores(u)) for lv, u in levels.items()}
step("driver terms", lambda: sentiment.driver_terms(scores["sentence"]))
step("dictionary (sentences)", lambda: sentiment.dictionary_scores(levels["sentence"], sentiment.load_dictionary()))
mentions = step("find_mentions", lambda: sentiment.find_mentions(levels["sentence"]))
model = sentiment.load_target_model(sentiment.SHIPPED_DIR)
tone = step("entity_sentiment (model)", lambda: sentiment.entity_sentiment(mentions, model=model))
sent = scores["sentence"].merge(corpus[["doc_id", "outlet"]], on="doc_id")
step("aggregate by outlet", lambda: sentiment.aggregate_sentiment(sent, "outlet"))
pickle.dump((times, tables), sys.stdout.buffer)
"""


def _run_steps(src: Path, corpus_pkl: str) -> tuple[dict, dict]:
    """CPU seconds and table digests of every step, in a fresh process importing ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, "-c", STEPS, corpus_pkl], env=env, capture_output=True, check=True)
    return pickle.loads(out.stdout)


def scale_main(corpus_file: str, baseline: str) -> int:
    """Old (``baseline``) and new package on the same corpus: CPU seconds per step, same tables."""
    from helpers import corpus as corpus_mod

    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = corpus_mod.one_per_story(load_corpus(corpus_file).corpus)
        pkl = str(Path(tmp) / "corpus.pkl")
        corpus.to_pickle(pkl)
        archive = subprocess.run(["git", "archive", baseline, "src/helpers"], cwd=root, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        old_t, old_tables = _run_steps(Path(tmp) / "src", pkl)
        new_t, new_tables = _run_steps(root / "src", pkl)
    n = len(corpus)
    rows = [(name, old_t[name], new_t[name],
             f"{n / new_t[name]:,.0f} docs/s; {'same table' if old_tables[name] == new_tables[name] else 'DIFFERENT'}")
            for name in new_t]
    print_side_by_side(f"notebook 20 steps on {Path(corpus_file).name} ({n} stories), CPU s: {baseline} vs working tree", rows)
    print(f"{'total':34s} {sum(old_t.values()):12.1f} {sum(new_t.values()):12.1f}")
    return int(any(old_tables[k] != new_tables[k] for k in new_tables))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--repeat", type=int, default=3, help="runs per side; the best time counts")
    p.add_argument("--corpus", help="time notebook 20's steps on this corpus, old vs new")
    p.add_argument("--baseline", default="2c27e2c", help="git revision of the old package (--corpus)")
    args = p.parse_args(argv)
    if args.corpus:
        return scale_main(args.corpus, args.baseline)
    analyzer = SentimentIntensityAnalyzer()
    rows, failures = [], 0
    for name, texts in text_sets().items():
        base_t, base = best_cpu(
            lambda texts=texts: [analyzer.polarity_scores(t) for t in texts], args.repeat
        )

        def project(texts=texts):
            scored = VaderScorer().score_texts(texts)
            return scored[["neg", "neu", "pos", "compound"]].to_dict("records")

        proj_t, proj = best_cpu(project, args.repeat)
        mismatches = sum(a != b for a, b in zip(base, proj, strict=True))
        failures += mismatches
        note = (
            f"{len(texts)} texts, {len(texts) / proj_t:,.0f}/s vs {len(texts) / base_t:,.0f}/s, "
            f"{'identical' if not mismatches else f'{mismatches} MISMATCHES'}"
        )
        rows.append((name, base_t, proj_t, note))
    print_side_by_side(
        "VADER: plain vaderSentiment loop (baseline) vs helpers.sentiment.VaderScorer", rows
    )
    if failures:
        print(f"\nFAILED: {failures} texts scored differently")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
