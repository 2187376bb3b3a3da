"""Build an N-article JSON-lines corpus from real text, reproducibly, for the scale benchmarks.

Real sentences, recombined: the paragraphs of the seed article (data/raw) and, when the eval
folder is present, of ``../shared/eval`` (``climate_frames/articles_dev.tsv``,
``bbc_news/bbc_dev.csv``) form a pool; articles without blank-line paragraphs are split into
sentences and regrouped into paragraphs of 2-5 sentences. Each generated document takes runs of
consecutive paragraphs (8-30 in all, skewed short: median about 10
paragraphs, 800 words) from random places in the pool, so it reads like prose of
a realistic length. Outlets: a few dozen, with Zipf-like sizes; dates spread over 2013; some
documents are reposts of a recent one by another outlet, a few days later - exact copies, or
near copies with an agency header, a boilerplate footer and a paragraph dropped - so duplicate
detection and provenance have work to do.

Recombined sentences repeat: at 10k articles only about a fifth of the sentences are distinct,
where real coverage repeats far less (boilerplate, wire copy, quotes). Code that does work once
per distinct text would look faster on such a corpus than on real coverage. ``--distinct``
therefore edits each new document's words as it is made: every lower-case word is replaced,
with probability ``EDIT_RATE``, by a word drawn from the pool's own lower-case words (so word
frequencies, sentence lengths, capitals and punctuation - and so sentence splits - stay as they
were). About nine in ten sentences are then distinct; reposts still copy their original exactly.

Output: one JSON object per line with ``text``, ``title``, ``outlet``, ``date``, ``url``
(``.jsonl``, or gzipped when the name ends in ``.gz``; the gzip header carries no time or
name, so the same seed gives the same bytes). ``helpers.load_corpus`` reads it as a table.
Memory stays constant in N: the pool and a ring of recent documents for reposts are all that
is held, and lines are written as they are made, so 1,000,000 articles work (about 4 GB of
JSON lines; use ``.jsonl.gz`` for about a third of that).

Never commit a generated corpus: write under benchmarks/results/ (git-ignored) or /tmp.

Run: .venv/bin/python benchmarks/make_corpus.py 10000 benchmarks/results/corpus-10k.jsonl
     .venv/bin/python benchmarks/make_corpus.py 10000 benchmarks/results/corpus-10k-distinct.jsonl --distinct
     .venv/bin/python benchmarks/make_corpus.py 1000000 /tmp/corpus-1m.jsonl.gz --seed 7
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import re
import sys
import time
from collections import deque
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

DEFAULT_SEED = 20130114
N_OUTLETS = 36
ZIPF_S = 1.1
REPOST_EXACT = 0.04  # share of documents that are exact reposts of a recent one
REPOST_NEAR = 0.04  # share that are near copies (agency header, footer, one paragraph dropped)
EDIT_RATE = 0.15  # --distinct: chance that a lower-case word is replaced by another pool word
RECENT = 2000  # reposts copy one of the last RECENT documents (the ring held in memory)
YEAR = date(2013, 1, 1)

_WORDS = ("Daily", "Global", "Evening", "Pacific", "Northern", "Capital", "Harbour", "Union", "Morning",
          "Continental", "Metro", "Coastal", "Central", "Western", "Eastern", "Sunday")
_NOUNS = ("Ledger", "Herald", "Observer", "Courier", "Tribune", "Review", "Chronicle", "Post", "Wire",
          "Monitor", "Gazette", "Times", "Dispatch", "Standard", "Record", "Journal")
_FOOTERS = (
    "Copyright {year} {orig}. Republished with permission. All rights reserved.",
    "This article was originally published by {orig}. Read the original article.",
    "Distributed by {orig} news service. Reproduction without permission is prohibited.",
)
_HEADERS = ("({orig}) -", "{orig} reports:", "Via {orig}:")


def outlet_names(n: int = N_OUTLETS) -> list[str]:
    """``n`` distinct outlet names, the same every time."""
    names = [f"The {w} {x}" for x in _NOUNS for w in _WORDS]
    rng = random.Random(0)
    rng.shuffle(names)
    return names[:n]


def zipf_weights(n: int, s: float = ZIPF_S) -> list[float]:
    """Zipf-like outlet sizes: the r-th outlet publishes in proportion to 1 / r**s."""
    return [1.0 / (r ** s) for r in range(1, n + 1)]


def _paragraphs(text: str) -> list[str]:
    """Blank-line paragraphs of a text; one long block is split into sentences and regrouped."""
    paras = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
    paras = [p for p in paras if len(p) >= 40]
    if len(paras) >= 3:
        return paras
    from helpers.text import split_sentences

    sents = [s.strip() for s in split_sentences(re.sub(r"\s+", " ", text)) if len(s.strip()) > 15]
    out, i, k = [], 0, 0
    while i < len(sents):
        size = 2 + (k % 4)  # 2-5 sentences, fixed pattern (no randomness in the pool)
        out.append(" ".join(sents[i:i + size]))
        i, k = i + size, k + 1
    return [p for p in out if len(p) >= 40]


def source_texts(eval_dir: Path | None = None, data_raw: Path | None = None) -> list[str]:
    """The real article bodies the pool is made from, in a fixed order."""
    from helpers import config
    from helpers.corpus import load_corpus

    data_raw = Path(data_raw or config.DATA_RAW)
    texts = [t for t in load_corpus(data_raw).corpus.sort_values("source_path")["text"] if t]
    eval_dir = Path(eval_dir) if eval_dir is not None else config.EVAL_DIR
    climate = eval_dir / "climate_frames" / "articles_dev.tsv"
    bbc = eval_dir / "bbc_news" / "bbc_dev.csv"
    csv.field_size_limit(sys.maxsize)
    if climate.is_file():
        with climate.open(encoding="utf-8", newline="") as fh:
            texts += [r["text"] for r in csv.DictReader(fh, delimiter="\t") if r.get("text")]
    if bbc.is_file():
        with bbc.open(encoding="utf-8", newline="") as fh:
            # drop the first line (the BBC title, repeated in the text)
            texts += [r["text"].split("\n", 1)[-1] for r in csv.DictReader(fh) if r.get("text")]
    return texts


def paragraph_pool(texts: list[str]) -> list[str]:
    return [p for t in texts for p in _paragraphs(t)]


def _title(first: str) -> str:
    words = first.split()[:6 + len(first) % 7]
    return " ".join(words).rstrip(",;:.") or "Untitled"


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")[:60]


_LOWER_WORD = re.compile(r"[a-z]+\Z")


def pool_words(pool: list[str]) -> list[str]:
    """Every lower-case word of the pool, as often as it occurs (draws follow its frequencies)."""
    return [w for p in pool for w in p.split(" ") if _LOWER_WORD.match(w)]


def _edited(paragraph: str, words: list[str], rng: random.Random) -> str:
    """``paragraph`` with each lower-case word replaced by a random pool word with probability
    ``EDIT_RATE`` (capitalised words, numbers and words carrying punctuation are kept)."""
    toks = paragraph.split(" ")
    for i, tok in enumerate(toks):
        if rng.random() < EDIT_RATE and _LOWER_WORD.match(tok):
            toks[i] = words[rng.randrange(len(words))]
    return " ".join(toks)


def generate(n: int, pool: list[str], seed: int = DEFAULT_SEED, distinct: bool = False) -> Iterator[dict]:
    """Yield ``n`` documents (dicts with text, title, outlet, date, url), deterministic in ``seed``;
    ``distinct``: new documents' words edited so that their sentences rarely repeat (module doc)."""
    if not pool:
        raise ValueError("no source paragraphs (is data/raw empty?)")
    rng = random.Random(seed)
    words = pool_words(pool) if distinct else []
    outlets = outlet_names()
    weights = zipf_weights(len(outlets))
    recent: deque[dict] = deque(maxlen=RECENT)
    for i in range(n):
        outlet = rng.choices(outlets, weights)[0]
        r = rng.random()
        if recent and r < REPOST_EXACT + REPOST_NEAR:
            orig = recent[rng.randrange(len(recent))]
            if orig["outlet"] == outlet:
                outlet = outlets[(outlets.index(outlet) + 1) % len(outlets)]
            day = date.fromisoformat(orig["date"]) + timedelta(days=rng.randint(0, 5))
            paras = orig["text"].split("\n\n")
            if r >= REPOST_EXACT:  # near copy: agency header, one paragraph dropped, footer
                paras = list(paras)
                if len(paras) > 4:
                    del paras[rng.randrange(1, len(paras))]
                paras[0] = f"{rng.choice(_HEADERS).format(orig=orig['outlet'])} {paras[0]}"
                paras.append(rng.choice(_FOOTERS).format(year=day.year, orig=orig["outlet"]))
            title = orig["title"]
        else:
            target = 8 + int(23 * rng.random() ** 3)  # 8-30 paragraphs, most near 10 (~800 words)
            paras = []
            while len(paras) < target:
                start = rng.randrange(len(pool))
                paras.extend(pool[start:start + min(rng.randint(2, 6), target - len(paras))])
            if words:
                paras = [_edited(p, words, rng) for p in paras]
            day = YEAR + timedelta(days=rng.randrange(365))
            title = _title(paras[0])
        doc = {"text": "\n\n".join(paras), "title": title, "outlet": outlet, "date": day.isoformat(),
               "url": f"https://{_slug(outlet)}.example/{day.isoformat()}/{_slug(title)}-{i}"}
        recent.append(doc)
        yield doc


def write_corpus(n: int, out: str | Path, seed: int = DEFAULT_SEED, pool: list[str] | None = None,
                 eval_dir: Path | None = None, distinct: bool = False) -> dict:
    """Write ``n`` documents to ``out`` (.jsonl, or .jsonl.gz); returns {docs, bytes, seconds, pool}."""
    t0 = time.perf_counter()
    pool = paragraph_pool(source_texts(eval_dir)) if pool is None else pool
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with open(tmp, "wb") as raw:
        fh = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) if out.name.endswith(".gz") else raw
        try:
            for doc in generate(n, pool, seed, distinct=distinct):
                fh.write(json.dumps(doc, ensure_ascii=False).encode("utf-8") + b"\n")
        finally:
            if fh is not raw:
                fh.close()
    tmp.replace(out)
    return {"docs": n, "bytes": out.stat().st_size, "seconds": time.perf_counter() - t0, "pool": len(pool)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of articles (e.g. 10000, 100000, 1000000)")
    ap.add_argument("out", help="output file, .jsonl or .jsonl.gz (under benchmarks/results/ or /tmp)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--distinct", action="store_true",
                    help="edit new documents' words so sentences rarely repeat, as in real coverage")
    args = ap.parse_args(argv)
    info = write_corpus(args.n, args.out, seed=args.seed, distinct=args.distinct)
    print(f"{info['docs']:,} articles from {info['pool']:,} real paragraphs -> {args.out}: "
          f"{info['bytes'] / 1e6:.1f} MB in {info['seconds']:.1f} s "
          f"({info['docs'] / info['seconds']:,.0f} articles/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
