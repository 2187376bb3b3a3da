"""Near-duplicate detection: the old exact sparse method beside MinHash/LSH, on 2k/10k/30k documents.

Corpus (built reproducibly, seeded, in memory; nothing is written): sentences pooled from the
evaluation articles in ../shared/eval (BBC dev and climate dev). Each document is 12-18
sentences drawn at random, wrapped in one shared header and footer (about 110 words of
boilerplate that every document carries, as reposts on one site do). One document in ten is a
copy of an earlier one: exact, lightly edited (two words changed), truncated to 90 %, or with a
paragraph added.

- baseline: the method used before issue 10 (kept below as ``exact_sparse``): a binary
  documents x shingles matrix multiplied by its transpose, then a Python loop over every
  nonzero pair. With shared boilerplate every pair is nonzero, so time and memory grow with the
  square of the corpus; the baseline is skipped (and says why) when the product would hold more
  than ``--max-pairs`` entries.
- project: ``helpers.corpus.flag_duplicates`` (MinHash signatures, LSH bands, exact check of
  candidates).

Both get the same normalised texts (as ``load_corpus`` passes them) and the same threshold; the
script prints the seconds side by side, the ratio, and whether both flagged the same documents.

Run: .venv/bin/python benchmarks/bench_dedup.py [--sizes 2000,10000,30000] [--max-pairs 2e8]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

sys.path.insert(0, str(Path(__file__).parent))
from _common import best_of, print_side_by_side  # noqa: E402

from helpers.config import EVAL_DIR, SEED  # noqa: E402
from helpers.corpus import NEAR_DUPLICATE_JACCARD, flag_duplicates, normalise_for_hash  # noqa: E402

HEADER = ("Posted in World News | Share this story on social media | Listen to this article | "
          "Sign up for our free morning briefing and get the news that matters delivered to you each day")
FOOTER = ("This article is distributed by our syndication service. Opinions expressed are those of the "
          "authors and not necessarily of the publisher. You may republish this article in full, with a link "
          "to the original page and the byline intact, on a non-commercial website. For all other uses, "
          "including print and broadcast, please contact the rights desk. Comments are moderated and may "
          "take up to a day to appear. Follow us on social media for updates and corrections.")


def exact_sparse(corpus: pd.DataFrame, threshold: float, normalised: list[str]) -> pd.Series:
    """The method before issue 10 (verbatim logic): shingle matrix times its transpose, then a loop."""
    n = len(corpus)
    out = pd.Series([""] * n, index=corpus.index, dtype=object)
    x = _shingle_matrix(normalised)
    sizes = np.asarray(x.sum(axis=1)).ravel()
    inter = (x @ x.T).tocoo()
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, v in zip(inter.row, inter.col, inter.data, strict=True):
        if i < j:
            union = sizes[i] + sizes[j] - v
            if union > 0 and v / union >= threshold:
                parent[find(i)] = find(j)
    order = corpus.assign(_d=corpus["date"].fillna(pd.Timestamp.max)).reset_index(drop=True)
    rank = order.sort_values(["_d", "source_path"], kind="stable").index.tolist()
    first: dict[int, int] = {}
    for pos in rank:
        root = find(pos)
        if root in first:
            out.iloc[pos] = corpus["doc_id"].iloc[first[root]]
        else:
            first[root] = pos
    return out


def _shingle_matrix(normalised: list[str], k: int = 5) -> csr_matrix:
    split = [s.split() for s in normalised]
    lengths = np.fromiter((len(w) for w in split), dtype=np.int64, count=len(split))
    codes = pd.factorize(pd.Series([w for ws in split for w in ws], dtype=object))[0].astype(np.uint64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    rows, cols = [], []
    for i in range(len(normalised)):
        ids = codes[offsets[i]:offsets[i + 1]]
        if len(ids) == 0:
            continue
        if len(ids) < k:
            ids = np.concatenate([ids, np.full(k - len(ids), np.uint64(2**63 - 1), dtype=np.uint64)])
        h = np.zeros(len(ids) - k + 1, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for j in range(k):
                h = h * np.uint64(1_000_003) + ids[j:len(ids) - k + 1 + j]
        h = np.unique(h)
        rows.append(np.full(len(h), i))
        cols.append(h)
    all_cols = np.concatenate(cols)
    uniq, inv = np.unique(all_cols, return_inverse=True)
    return csr_matrix((np.ones(len(all_cols), dtype=np.float32), (np.concatenate(rows), inv)),
                      shape=(len(normalised), len(uniq)))


def estimated_pairs(normalised: list[str]) -> int:
    """Upper bound of the nonzeros of X X^T: the sum over shingles of (documents holding it)^2, at
    most n^2 (with shared boilerplate every pair is nonzero)."""
    df = np.asarray(_shingle_matrix(normalised).sum(axis=0)).ravel()
    return int(min((df.astype(np.float64) ** 2).sum(), float(len(normalised)) ** 2))


def sentence_pool() -> list[str]:
    bbc = pd.read_csv(EVAL_DIR / "bbc_news" / "bbc_dev.csv")
    climate = pd.read_csv(EVAL_DIR / "climate_frames" / "articles_dev.tsv", sep="\t")
    texts = [str(t) for t in bbc["text"]] + [str(t) for t in climate["text"]]
    pool = []
    for t in texts:
        pool += [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'])", t) if len(s.split()) >= 6]
    return pool


def build(n: int, pool: list[str], seed: int = SEED) -> pd.DataFrame:
    """n documents: sampled sentences inside shared boilerplate; one in ten a copy of an earlier one."""
    rng = np.random.default_rng(seed)
    texts, kinds = [], []
    for i in range(n):
        if i > 10 and rng.random() < 0.1:
            src = texts[int(rng.integers(0, i))].split(" ")
            kind = ["exact", "edit", "truncate", "extend"][int(rng.integers(0, 4))]
            if kind == "edit":
                for p in rng.integers(len(HEADER.split()), len(src) - len(FOOTER.split()), size=2):
                    src[int(p)] = "changed"
            elif kind == "truncate":
                src = src[: int(len(src) * 0.9)] + FOOTER.split(" ")
            elif kind == "extend":
                src = src + pool[int(rng.integers(0, len(pool)))].split(" ")
            texts.append(" ".join(src))
            kinds.append(kind)
            continue
        body = " ".join(pool[int(j)] for j in rng.integers(0, len(pool), size=int(rng.integers(12, 19))))
        texts.append(f"{HEADER}\n\n{body}\n\n{FOOTER}")
        kinds.append("original")
    dates = pd.Timestamp("2020-01-01") + pd.to_timedelta(np.arange(n) // 20, unit="D")
    return pd.DataFrame({"doc_id": [f"d{i:06d}" for i in range(n)], "source_path": [f"f{i:06d}.txt" for i in range(n)],
                         "date": dates, "text": texts, "kind": kinds})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="2000,10000,30000")
    ap.add_argument("--max-pairs", type=float, default=2e8, help="skip the baseline above this many pair entries")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args(argv)
    if not EVAL_DIR.is_dir():
        print(f"skipped: evaluation data not found at {EVAL_DIR}")
        return 0
    pool = sentence_pool()
    print(f"sentence pool: {len(pool):,} sentences from the BBC and climate dev articles; "
          f"threshold {NEAR_DUPLICATE_JACCARD}")
    rows = []
    measured: tuple[int, float] | None = None  # (pair entries, seconds) of the largest baseline run
    for n in (int(s) for s in args.sizes.split(",")):
        corpus = build(n, pool)
        norm = [normalise_for_hash(t) for t in corpus["text"]]
        t_new, new = best_of(lambda c=corpus, m=norm: flag_duplicates(c, normalised=m), repeat=args.repeat)
        pairs = estimated_pairs(norm)
        n_flag = int((new != "").sum())
        if pairs > args.max_pairs:
            guess = measured[1] * pairs / measured[0] if measured else float("nan")
            print(f"{n:>6} docs: project {t_new:.2f} s, {n_flag} flagged; baseline not run: X X^T would hold "
                  f"~{pairs:.2e} entries (> {args.max_pairs:.0e}; about {pairs * 12 / 1e9:.0f} GB as COO); "
                  f"its time estimated from the largest run, which grows with the entries: ~{guess:.0f} s")
            rows.append((f"{n:,} documents (baseline estimated)", guess, t_new, f"{n_flag} flagged"))
            continue
        t_old, old = best_of(lambda c=corpus, m=norm: exact_sparse(c, NEAR_DUPLICATE_JACCARD, m), repeat=args.repeat)
        same = bool((old == new).all())
        missed = int(((old != "") & (new == "")).sum())
        print(f"{n:>6} docs: {pairs:.2e} pair entries in X X^T; baseline {t_old:.2f} s, project {t_new:.2f} s; "
              f"same flags: {same} (baseline {int((old != '').sum())}, project {n_flag}, missed by project {missed})")
        rows.append((f"{n:,} documents", t_old, t_new, "same result" if same else f"{missed} missed"))
        measured = (pairs, t_old)
    print_side_by_side("Near-duplicate flags (seconds; ratio = baseline / project)", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
