"""Dictionary frame scoring throughput on the BBC development articles (1,114 documents).

- baseline: the straightforward way to count a YAML dictionary: one compiled regular
            expression per entry (helpers.text.term_pattern: globs, phrases, whole words),
            ``len(findall)`` per document and entry; no negation, no evidence, no overlap
            resolution.
- project:  helpers.framing.frame_scores (token index + glob cache, longest match wins,
            negation, evidence strings, per-1,000-token rates) on the same documents.

Both are timed for the policy scheme (15 frames, ~700 entries) at document level, and the
project also at sentence level. Then the shipped frame models (helpers/models): loading both
(arrays + JSON, no pickle), the generic model on the 1,114 articles and the policy model on
2,000 of their sentences, each beside the dictionary rule it is compared with on notebook 10. Counts are compared to show that the two agree where they
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
from helpers.framing import (  # noqa: E402
    GENERIC_CODES,
    dictionary_predict,
    frame_scores,
    load_dictionary,
    load_frame_model,
)
from helpers.text import term_pattern, units  # noqa: E402


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
    bench_models(corpus)
    return 0


def bench_models(corpus) -> None:
    """Seconds to load the shipped models and to predict with them (features included)."""
    t_load, models = best_of(lambda: [load_frame_model(s) for s in ("generic", "policy")], repeat=1)
    generic, policy = models
    texts = corpus["text"].tolist()
    sents = units(corpus, "sentence").sample(2000, random_state=1)["text"].tolist()
    codes = ["1", "3", "4", "5", "6", "8", "9", "11", "12", "15"]
    # first calls in this process: the dictionary features are computed, not read from the cache
    t_gen, _ = best_of(lambda: generic.classifier.predict(texts), repeat=1)
    t_gen_d, _ = best_of(
        lambda: dictionary_predict(texts, list(GENERIC_CODES), "generic", "multilabel"), 1
    )
    t_pol, _ = best_of(lambda: policy.classifier.predict(sents), repeat=1)
    t_pol_d, _ = best_of(lambda: dictionary_predict(sents, codes, "policy", "multiclass"), repeat=1)
    print(f"\nShipped frame models ({generic.source} generic, {policy.source} policy)")
    print(f"load both (arrays + JSON, cold)        {t_load:8.3f} s")
    print(
        f"generic model, {len(texts)} articles        {t_gen:8.3f} s   (dictionary rule {t_gen_d:.3f} s)"
    )
    print(
        f"policy model, {len(sents)} sentences       {t_pol:8.3f} s   (dictionary rule {t_pol_d:.3f} s)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
