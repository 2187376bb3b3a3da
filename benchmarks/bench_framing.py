"""Dictionary frame scoring throughput on the BBC development articles (1,114 documents).

- baseline: the straightforward way to count a YAML dictionary: one compiled regular
            expression per entry (helpers.text.term_pattern: globs, phrases, whole words),
            ``len(findall)`` per document and entry; no negation, no evidence, no overlap
            resolution.
- project:  helpers.framing.frame_scores (token index + glob cache, longest match wins,
            negation, evidence strings, per-1,000-token rates) on the same documents.

Both are timed for the policy scheme (15 frames, ~700 entries) at document level, and the
project also at sentence level. Counts are compared to show that the two agree where they
should (the project drops negated and overlapping matches, so it counts a little less).

Run: .venv/bin/python benchmarks/bench_framing.py   (needs ../shared/eval; prints seconds and ratios)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import best_of, print_side_by_side  # noqa: E402

from helpers.config import eval_path  # noqa: E402
from helpers.corpus import load_corpus  # noqa: E402
from helpers.framing import frame_scores, load_dictionary  # noqa: E402
from helpers.text import term_pattern  # noqa: E402


def baseline_counts(texts, dictionary) -> int:
    patterns = [
        (cat, term_pattern(t)) for cat, terms in dictionary.categories.items() for t in terms
    ]
    total = 0
    for text in texts:
        for _, rx in patterns:
            total += len(rx.findall(text))
    return total


def main() -> int:
    path = eval_path("bbc_news", "bbc_dev.csv")
    if path is None:
        print("../shared/eval/bbc_news/bbc_dev.csv not available: nothing to benchmark")
        return 0
    corpus = load_corpus(path).corpus
    d = load_dictionary("policy")
    texts = corpus["text"].tolist()
    t_base, n_base = best_of(lambda: baseline_counts(texts, d), repeat=1)
    d_fresh = load_dictionary("policy")  # a new object: the first call pays for building the index
    t_proj, scores = best_of(lambda: frame_scores(corpus, d_fresh, "document"), repeat=3)
    t_sent, _ = best_of(lambda: frame_scores(corpus, d_fresh, "sentence"), repeat=1)
    n_proj = int(scores["n_matches"].sum() + scores["n_negated"].sum())
    print_side_by_side(
        f"Policy-frame dictionary on {len(corpus)} BBC articles (seconds, best of runs)",
        [
            ("document level", t_base, t_proj, f"matches: baseline {n_base}, project {n_proj}"),
            ("project at sentence level", t_base, t_sent, "includes sentence splitting"),
        ],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
