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

Run: .venv/bin/python benchmarks/bench_sentiment.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
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


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--repeat", type=int, default=3, help="runs per side; the best time counts")
    args = p.parse_args(argv)
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
