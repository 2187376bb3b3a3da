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
"""

from __future__ import annotations

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


def main() -> int:
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
