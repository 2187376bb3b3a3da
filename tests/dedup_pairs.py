"""Labelled pairs for the near-duplicate detector: true copies and non-copies, built by rule.

Texts: the seed article's body (data/raw), six short news stories written for this file (three
invented events, each told by two outlets in their own words), and, when ../shared/eval is
present, the BBC and climate dev articles (read at run time, never stored here).

True copies (label 1), each derived from one article:
- ``boilerplate``: a repost with a header and a footer the reader does not strip (share
  buttons, "originally published" note, newsletter pitch), about 45 words;
- ``light_edit``: about 1 % of words changed (spelling variants, a number, a word swapped);
- ``truncate_80``: the first 80 % of the words (a repost cut short);
- ``line_breaks``: the same words re-wrapped at 60 characters, paragraphs merged;
- ``edit_and_boilerplate``: a light edit plus the header and footer.

Non-copies (label 0):
- ``same_story``: two different articles on one event (the hand-written pairs; for the eval
  articles, two articles of the same BBC section or climate outlet);
- ``heavy_rewrite``: one wire story rewritten: a third of its sentences kept verbatim, the
  rest replaced by sentences from another article, paragraphs reordered;
- ``shared_boilerplate``: two different articles wrapped in the same header and footer;
- ``quoted_excerpt``: an article that quotes two paragraphs of another inside its own text.

Run ``.venv/bin/python tests/dedup_pairs.py`` to print the detector's precision and recall on
these pairs at several thresholds and the recall of LSH candidate generation (the numbers in
docs/provenance.md).
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import config
from helpers.corpus import load_corpus, normalise_for_hash
from helpers.corpus.duplicates import NEAR_DUPLICATE_JACCARD, near_duplicate_groups
from helpers.corpus.minhash import band_layout, exact_jaccard, shingle_sets, signatures

COPY_KINDS = ("boilerplate", "light_edit", "truncate_80", "line_breaks", "edit_and_boilerplate")
NON_COPY_KINDS = ("same_story", "heavy_rewrite", "shared_boilerplate", "quoted_excerpt")

HEADER = ("Share this article on Facebook, X and WhatsApp. Listen to this story. "
          "Republished with permission from our partner site.")
FOOTER = ("This story was originally published by our partners and is republished here under their "
          "sharing terms. Sign up for our free daily newsletter to get the top stories in your inbox "
          "every morning.")

#: Three invented events, each told by two outlets in their own words (written for this file).
OWN_STORIES = {
    "flood_barrier": (
        """The new tidal barrier at the mouth of the Arlen river was closed for the first time on Tuesday night, as a storm surge pushed sea levels in the estuary to their highest point in eleven years.

Engineers lowered the six steel gates shortly after nine in the evening. By midnight the water on the seaward side stood almost two metres above the level inside the harbour, according to the port authority.

The barrier, which took four years to build and cost about 310 million euros, was designed to protect roughly 40,000 homes in the low-lying districts of Port Marrow. Residents in the old quarter, flooded twice in the past decade, watched from the embankment.

"We used to spend nights like this carrying furniture upstairs," said one shopkeeper, who has run a bakery near the quay for thirty years. "Tonight I went home and slept."

The port authority said the gates would be reopened once the tide turned on Wednesday morning, and that a full inspection would follow before the next spring tide.""",
        """Port Marrow stayed dry overnight after its long-delayed flood defences faced their first real test, officials said on Wednesday.

A surge driven by gale-force westerly winds raised water in the Arlen estuary to a level not recorded since 2013. The city's tidal barrier, finished in the spring after repeated delays and cost overruns, held the sea back for close to eleven hours.

Critics of the project had argued that the money would have been better spent on raising the quay walls. The deputy mayor responsible for infrastructure said the night had settled that debate. "Every street that flooded in 2013 and 2018 was dry this morning," she told reporters outside city hall.

Insurers have been watching the scheme closely. Premiums in the old harbour district roughly tripled after the last floods, and several companies stopped offering cover to new customers there altogether.

A full report on the barrier's performance is expected to go to the city council next month.""",
    ),
    "rail_strike": (
        """Train drivers on the Vellmark regional network began a 48-hour strike at dawn on Monday, leaving tens of thousands of commuters to find other ways to work.

The drivers' union says its members have not had a pay rise that matches inflation for three years and that new rosters introduced in January cut rest time between shifts. The operator, Vellmark Regional Rail, says it has offered a 4 per cent increase and a review of the rosters.

Only one train an hour ran on the main line between Hollin and the coast, and branch lines were closed entirely. Bus companies laid on extra services, but queues at the central bus station stretched around the block for much of the morning.

The regional transport minister called on both sides to return to talks, saying the dispute was "hurting people who have no say in it." Negotiations are due to resume on Thursday.""",
        """Commuters across Vellmark faced packed buses and long waits on Monday as a two-day walkout by train drivers brought most regional services to a halt.

At Hollin central station the departure boards showed a column of cancellations. A nurse travelling to the district hospital said her usual 25-minute journey had taken almost two hours.

The dispute centres on pay and working hours. Union leaders said drivers had fallen behind rising prices and that a roster change earlier this year left some with as little as ten hours between shifts. Management said its latest offer was fair and affordable, and accused the union of walking away from talks.

Business groups warned that a longer dispute would cost shops and restaurants in the city centre. The union has not ruled out further strike days next month if no agreement is reached.""",
    ),
    "fishing_quota": (
        """Fishermen from the island of Osk blockaded the harbour of its main town on Friday in protest against a cut of almost a fifth in this year's herring quota.

About sixty boats tied up across the harbour entrance, stopping the morning ferry from leaving for two hours. Coast guard officers spoke with the organisers but made no arrests.

The quota was set last month by the regional fisheries council after scientists reported that the herring stock in the northern banks had fallen for the third year running. Fishing families say the cut will push some crews out of business, and that larger trawlers from the mainland take a bigger share of the catch.

The fisheries council said the reduction was needed to let the stock recover and that it would review the figures in the autumn.""",
        """A protest by island fishing crews disrupted ferry services to Osk on Friday, the latest sign of anger over new limits on herring catches.

The regional fisheries council cut the quota for the northern banks by 18 per cent after a scientific survey found spawning fish at their lowest level since records began. Conservation groups welcomed the decision and said it should have come sooner.

For the island's small boat owners, the numbers are stark. One skipper said he had borrowed to buy a new engine last year and now expected to lose a third of his income. Many on Osk say the burden falls unfairly on them rather than on the mainland's industrial fleet.

Ferry passengers were delayed by about two hours. The council has promised to meet the fishermen's association next week.""",
    ),
}

_VARIANTS = {"organisation": "organization", "organization": "organisation", "per cent": "percent",
             "centre": "center", "said": "says", "about": "around", "almost": "nearly", "on": "on", "Monday": "Tuesday"}


def _words(text: str) -> list[str]:
    return text.split(" ")


def light_edit(text: str, rate: float, rng: np.random.Generator) -> str:
    """Change about ``rate`` of the words (at least one): a spelling variant, a number, a swap."""
    words = _words(text)
    n = max(1, round(len(words) * rate))
    for pos in sorted(rng.choice(len(words), size=min(n, len(words)), replace=False).tolist()):
        w = words[pos]
        if w in _VARIANTS:
            words[pos] = _VARIANTS[w]
        elif w.isdigit():
            words[pos] = str(int(w) + 1)
        else:
            words[pos] = w + "s" if not w.endswith("s") else w[:-1]
    return " ".join(words)


def with_boilerplate(text: str) -> str:
    return f"{HEADER}\n\n{text}\n\n{FOOTER}"


def truncate(text: str, share: float) -> str:
    words = _words(text)
    return " ".join(words[: max(1, int(len(words) * share))])


def rewrap(text: str) -> str:
    return "\n".join(textwrap.wrap(" ".join(text.split()), 60))


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?\"])\s+(?=[A-Z\"])", " ".join(text.split())) if s]


def heavy_rewrite(text: str, other: str, rng: np.random.Generator) -> str:
    """A third of the sentences kept verbatim, the others replaced from ``other``, order shuffled."""
    own, alien = sentences(text), sentences(other)
    keep = set(rng.choice(len(own), size=max(1, len(own) // 3), replace=False).tolist())
    out = [s if i in keep else alien[i % len(alien)] for i, s in enumerate(own)]
    rng.shuffle(out)
    return " ".join(out)


def quoted_excerpt(text: str, other: str) -> str:
    """``other`` with two paragraphs of ``text`` quoted in the middle."""
    paras = [p for p in text.split("\n\n") if p.strip()] or [text]
    mine = [p for p in other.split("\n\n") if p.strip()] or [other]
    mid = len(mine) // 2
    return "\n\n".join(mine[:mid] + ['As another outlet reported: "' + " ".join(paras[:2]) + '"'] + mine[mid:])


def copies_of(text: str, rng: np.random.Generator) -> list[tuple[str, str]]:
    """(kind, copy) for each true-copy transformation of one article."""
    return [("boilerplate", with_boilerplate(text)), ("light_edit", light_edit(text, 0.01, rng)),
            ("truncate_80", truncate(text, 0.8)), ("line_breaks", rewrap(text)),
            ("edit_and_boilerplate", with_boilerplate(light_edit(text, 0.01, rng)))]


def pairs_from(articles: list[str], groups: list[str], source: str, seed: int = config.SEED,
               limit: int | None = None) -> pd.DataFrame:
    """Labelled pairs from a list of articles; ``groups`` (section, outlet or event) pair each
    article with a different article of the same group for the non-copies."""
    rng = np.random.default_rng(seed)
    idx = np.arange(len(articles))
    if limit is not None and len(idx) > limit:
        idx = np.sort(rng.choice(len(idx), size=limit, replace=False))
    by_group: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        by_group.setdefault(g, []).append(i)
    rows = []
    for i in idx.tolist():
        a = articles[i]
        for kind, b in copies_of(a, rng):
            rows.append({"source": source, "kind": kind, "label": 1, "a": a, "b": b})
        mates = [j for j in by_group[groups[i]] if j != i]
        if not mates:
            continue
        other = articles[mates[int(rng.integers(0, len(mates)))]]
        rows += [{"source": source, "kind": "same_story", "label": 0, "a": a, "b": other},
                 {"source": source, "kind": "heavy_rewrite", "label": 0, "a": a, "b": heavy_rewrite(a, other, rng)},
                 {"source": source, "kind": "shared_boilerplate", "label": 0, "a": with_boilerplate(a),
                  "b": with_boilerplate(other)},
                 {"source": source, "kind": "quoted_excerpt", "label": 0, "a": a, "b": quoted_excerpt(a, other)}]
    return pd.DataFrame(rows)


def own_pairs() -> pd.DataFrame:
    """Pairs from the seed body and the six hand-written stories (always available)."""
    seed = load_corpus(config.DATA_RAW / "dangerous-crossroads-japan-nato-china.txt").corpus["text"].iloc[0]
    texts, groups = [seed], ["seed"]
    for event, versions in OWN_STORIES.items():
        texts += list(versions)
        groups += [event, event]
    pairs = pairs_from(texts, groups, "seed and own texts")
    return pairs


def eval_pairs(limit: int = 200) -> pd.DataFrame | None:
    """Pairs from up to ``limit`` BBC and ``limit`` climate dev articles; None when absent."""
    bbc_path = config.eval_path("bbc_news", "bbc_dev.csv")
    climate_path = config.eval_path("climate_frames", "articles_dev.tsv")
    if bbc_path is None or climate_path is None or not bbc_path.exists() or not climate_path.exists():
        return None
    bbc = pd.read_csv(bbc_path)
    climate = pd.read_csv(climate_path, sep="\t")
    return pd.concat([
        pairs_from([str(t) for t in bbc["text"]], bbc["category"].astype(str).tolist(), "BBC dev", limit=limit),
        pairs_from([str(t) for t in climate["text"]], climate["source"].astype(str).tolist(), "climate dev",
                   limit=limit)], ignore_index=True)


def score_pairs(pairs: pd.DataFrame, threshold: float = NEAR_DUPLICATE_JACCARD) -> pd.DataFrame:
    """Adds ``jaccard`` (exact), ``candidate`` (shares an LSH bucket at ``threshold``'s band
    layout) and ``detected`` (the detector links the two texts)."""
    out = pairs.copy()
    bands, rows = band_layout(threshold)
    jac, cand, det = [], [], []
    for a, b in zip(pairs["a"], pairs["b"], strict=True):
        norm = [normalise_for_hash(a), normalise_for_hash(b)]
        sh = shingle_sets(norm)
        jac.append(float(exact_jaccard(sh, np.array([0]), np.array([1]))[0]))
        sig = signatures(sh)[:, : bands * rows].reshape(2, bands, rows)
        cand.append(bool((sig[0] == sig[1]).all(axis=1).any()))
        det.append(bool(near_duplicate_groups(norm, threshold)[1] == 0))
    out["jaccard"], out["candidate"], out["detected"] = jac, cand, det
    return out


def precision_recall(scored: pd.DataFrame, threshold: float) -> dict:
    """Precision, recall and F1 of "exact Jaccard >= threshold" against the labels."""
    pred = scored["jaccard"] >= threshold
    tp = int((pred & (scored["label"] == 1)).sum())
    fp = int((pred & (scored["label"] == 0)).sum())
    fn = int((~pred & (scored["label"] == 1)).sum())
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    return {"threshold": threshold, "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def main() -> int:
    pairs = [own_pairs()]
    ev = eval_pairs()
    if ev is None:
        print(f"(evaluation data not found at {config.EVAL_DIR}: seed and own texts only)")
    else:
        pairs.append(ev)
    scored = score_pairs(pd.concat(pairs, ignore_index=True))
    pd.set_option("display.width", 140)
    print(f"{len(scored)} labelled pairs ({int(scored['label'].sum())} copies) from: "
          f"{', '.join(scored['source'].unique())}\n")
    print("Exact word 5-gram Jaccard by kind (min, median, max):")
    print(scored.groupby(["label", "kind"])["jaccard"].describe()[["count", "min", "50%", "max"]].round(3), "\n")
    table = pd.DataFrame([precision_recall(scored, t) for t in (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9)])
    print("Precision / recall of 'Jaccard >= threshold' (all sources):")
    print(table.round(3).to_string(index=False), "\n")
    for src, part in scored.groupby("source"):
        pr = precision_recall(part, NEAR_DUPLICATE_JACCARD)
        print(f"at {NEAR_DUPLICATE_JACCARD}, {src}: precision {pr['precision']:.3f}, recall {pr['recall']:.3f} "
              f"({len(part)} pairs)")
    above = scored[scored["jaccard"] >= NEAR_DUPLICATE_JACCARD]
    print(f"\nLSH candidate recall at {NEAR_DUPLICATE_JACCARD} (layout {band_layout(NEAR_DUPLICATE_JACCARD)}): "
          f"{above['candidate'].mean():.4f} of {len(above)} pairs with exact Jaccard >= threshold; "
          f"detector agrees with exact on {(scored['detected'] == (scored['jaccard'] >= NEAR_DUPLICATE_JACCARD)).mean():.4f}"
          f" of all {len(scored)} pairs")
    print("\nPer kind at the threshold (share detected):")
    print(scored.groupby(["label", "kind"])["detected"].mean().round(3).to_string())
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    sys.exit(main())
