"""Quote attribution checked against hand-coded paragraphs that are not the seed article.

The attribution rules (:func:`helpers.sources.attributions`) were written on the seed article
(and a handful of sentences from three BBC articles, left out here). This module scores them
on paragraphs of BBC News (``bbc_news/bbc_dev.csv`` in the labelled data folder) that one
project developer coded by hand, following ``docs/annotation/quotes.md``, before the rules
were ever run on them. Nothing is tuned on these paragraphs: the whole coded sample is a
locked set.

- :func:`sample_paragraphs`: the reproducible sample (fixed seed, one paragraph per article,
  two thirds with a quotation mark or a reporting verb, one third at random).
- :data:`ANNOTATIONS`: the codes, JSON lines without article text (offsets, SHA-1 hashes).
- :func:`coded_paragraphs`: the coded paragraphs read back from the eval data, hashes checked.
- :func:`match_attributions` / :func:`score_counts`: predicted vs coded attributions.
- :func:`validation_records`: the record for ``python -m helpers validate all``.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import PROJECT_ROOT, SEED

#: the labelled file the paragraphs come from (relative to the eval folder)
DATASET = "bbc_news/bbc_dev.csv"
#: the hand codes, one JSON object per paragraph
ANNOTATIONS = PROJECT_ROOT / "tests" / "data" / "quotes" / "bbc_paragraphs.jsonl"
#: paragraphs sampled with a quotation mark or a reporting verb, and at random
N_CUE, N_RANDOM = 24, 12
#: BBC articles whose sentences were used when the rules were written (tests/test_quotes.py):
#: never sampled
SEEN_IN_RULES = ("business/061", "business/321", "business/334")
#: a paragraph "with a cue": a quotation mark or a common reporting verb. Deliberately a short
#: fixed list, independent of the rules' own verb lexicon.
CUE_RE = re.compile(
    r"[\"“”]|\b(?:said|says|say|told|tells|according to|added|adds|stated|explained|claimed|"
    r"argued|warned|insisted)\b",
    re.I,
)


def paragraph_sha1(text: str) -> str:
    """SHA-1 (hex) of a paragraph's (or span's) text, to notice a changed source."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def load_bbc(eval_dir: Path) -> pd.DataFrame:
    """The BBC dev articles as a corpus, each story once (``source_id`` is the file's doc_id)."""
    from ..corpus import load_corpus, one_per_story

    return one_per_story(load_corpus(Path(eval_dir) / DATASET).corpus)


def sample_paragraphs(
    corpus: pd.DataFrame, n_cue: int = N_CUE, n_random: int = N_RANDOM, seed: int = SEED
) -> pd.DataFrame:
    """The paragraphs to code: ``n_cue`` with a cue, then ``n_random`` from all the others.

    One paragraph per article (so paragraphs are independent units); the first paragraph
    (the headline) and the articles in :data:`SEEN_IN_RULES` are never drawn. Out: one row
    per paragraph with ``source_id``, ``doc_id``, ``paragraph`` (0-based index in the
    article), ``start``, ``end``, ``text``, ``stratum`` ("cue" / "random"), in draw order.
    """
    from ..text import units

    corpus = corpus[~corpus["source_id"].astype(str).isin(SEEN_IN_RULES)]
    u = units(corpus, "paragraph")
    u = u[u["paragraph"] > 0].merge(corpus[["doc_id", "source_id"]], on="doc_id")
    u = u.sort_values(["source_id", "paragraph"]).reset_index(drop=True)
    rng = np.random.default_rng(seed)
    has_cue = u["text"].str.contains(CUE_RE)
    picked, used = [], set()
    for stratum, pool, n in (("cue", u[has_cue], n_cue), ("random", u, n_random)):
        order = rng.permutation(len(pool))
        k = 0
        for i in order:
            row = pool.iloc[i]
            if k == n:
                break
            if row["source_id"] in used:
                continue
            used.add(row["source_id"])
            picked.append({**row.to_dict(), "stratum": stratum})
            k += 1
    cols = ["source_id", "doc_id", "paragraph", "start", "end", "text", "stratum"]
    return pd.DataFrame(picked)[cols]


# --- the hand codes ------------------------------------------------------------------------

KINDS = ("direct", "indirect", "according_to")


def load_annotations(path: Path = ANNOTATIONS) -> list[dict]:
    """The coded paragraphs (one dict per paragraph, in draw order); see docs/annotation/quotes.md."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"no quote annotations at {path} (they live in the repository's tests/data/quotes/)"
        )
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def check_annotation(ann: dict, text: str) -> list[str]:
    """What is wrong with one paragraph's codes against its text ([] when every offset holds).

    The paragraph's SHA-1 must match, and every speaker and quote span must lie inside the
    paragraph and cover exactly the text whose SHA-1 was recorded when it was coded.
    """
    where = f"{ann['article']} paragraph {ann['paragraph']}"
    if paragraph_sha1(text) != ann["sha1"]:
        return [
            f"{where}: the paragraph text changed (SHA-1 differs): re-code it or restore the data"
        ]
    problems = []
    for k, a in enumerate(ann["attributions"]):
        if a["kind"] not in KINDS:
            problems.append(f"{where} #{k}: unknown kind {a['kind']!r}")
        for part in ("speaker", "quote"):
            s, e = a[f"{part}_span"]
            if not 0 <= s < e <= len(text):
                problems.append(f"{where} #{k}: {part} span {s}-{e} outside the paragraph")
            elif paragraph_sha1(text[s:e]) != a[f"{part}_sha1"]:
                problems.append(f"{where} #{k}: {part} span {s}-{e} does not cover the coded text")
    return problems


def coded_paragraphs(eval_dir: Path, annotations: list[dict] | None = None) -> pd.DataFrame:
    """The coded paragraphs read back from the labelled data, every hash and offset checked.

    Out: one row per annotation with ``article``, ``doc_id``, ``paragraph``, ``stratum``,
    ``article_text``, ``start``, ``end`` (the paragraph's offsets in the article), ``text``,
    ``codes`` (the list of coded attributions). Raises ValueError when the data changed.
    """
    from ..corpus import load_corpus
    from ..text import paragraph_spans

    annotations = load_annotations() if annotations is None else annotations
    datasets = {a["dataset"] for a in annotations}
    corpora = {d: load_corpus(Path(eval_dir) / d).corpus for d in datasets}
    rows, problems = [], []
    for ann in annotations:
        corpus = corpora[ann["dataset"]]
        hit = corpus[corpus["source_id"].astype(str) == ann["article"]]
        if hit.empty:
            problems.append(f"{ann['article']}: not in {ann['dataset']}")
            continue
        doc = hit.iloc[0]
        spans = paragraph_spans(doc["text"])
        if ann["paragraph"] >= len(spans):
            problems.append(f"{ann['article']}: has no paragraph {ann['paragraph']}")
            continue
        s, e = spans[ann["paragraph"]]
        text = doc["text"][s:e]
        problems += check_annotation(ann, text)
        rows.append(
            {
                "article": ann["article"],
                "doc_id": doc["doc_id"],
                "paragraph": ann["paragraph"],
                "stratum": ann.get("stratum", ""),
                "article_text": doc["text"],
                "start": s,
                "end": e,
                "text": text,
                "codes": ann["attributions"],
            }
        )
    if problems:
        raise ValueError(
            "the quote annotations do not fit the labelled data:\n" + "\n".join(problems)
        )
    return pd.DataFrame(rows)


# --- predictions as spans in the paragraph -----------------------------------------------------


def _locate(piece: str, text: str, near: int) -> tuple[int, int] | None:
    """The occurrence of ``piece`` in ``text`` closest to offset ``near`` (None if absent)."""
    best = None
    for m in re.finditer(re.escape(piece), text):
        if best is None or abs(m.start() - near) < abs(best[0] - near):
            best = (m.start(), m.end())
    return best


def rule_predictions(table: pd.DataFrame, article_text: str, start: int, end: int) -> list[dict]:
    """The rows of :func:`attributions` whose sentence starts in the paragraph, as spans.

    Each prediction: ``speaker`` (the resolved name), ``kind`` (the row's mode), ``spans``
    (list of ``(s, e)`` in paragraph offsets: the located quote, or the union of the pieces of
    a paraphrase "A [adding] B"; empty when the quote cannot be located).
    """
    out = []
    for r in table.itertuples(index=False):
        if not start <= r.sent_start < end:
            continue
        spans = []
        for piece in str(r.quote or "").split(" [adding] "):
            piece = piece.strip()
            hit = _locate(piece, article_text, r.sent_start) if piece else None
            if hit is not None:
                s, e = max(hit[0], start) - start, min(hit[1], end) - start
                if s < e:
                    spans.append((s, e))
        out.append({"speaker": r.speaker_resolved or r.speaker, "kind": r.mode, "spans": spans})
    return out


_CAP_RUN = re.compile(r"[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*")


def quote_marks_baseline(article_text: str, start: int, end: int) -> list[dict]:
    """Baseline: every quotation in the paragraph is an attribution; the speaker is the nearest
    capitalised name before it (outside quotation marks; leading stop words dropped)."""
    from ..text import STOP_WORDS
    from .spans import quote_spans

    qspans = quote_spans(article_text)
    out = []
    for qs, qe in qspans:
        if not start <= qs < end:
            continue
        speaker = ""
        for m in reversed(list(_CAP_RUN.finditer(article_text, 0, max(qs - 1, 0)))):
            if any(s <= m.start() < e for s, e in qspans):
                continue
            words = m.group().split()
            while words and words[0].lower() in STOP_WORDS:
                words = words[1:]
            if words:
                speaker = " ".join(words)
                break
        out.append(
            {"speaker": speaker, "kind": "direct", "spans": [(qs - start, min(qe, end) - start)]}
        )
    return out


# --- matching and scores ---------------------------------------------------------------------


def _norm_name(name: str) -> list[str]:
    s = unicodedata.normalize("NFKD", str(name))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"['’]s\b", "", s)
    words = re.sub(r"[^\w]+", " ", s).split()
    while words and words[0] in {"the", "a", "an"}:
        words = words[1:]
    return words


def speaker_match(predicted: str, coded: str, aliases: list[str] | tuple = ()) -> bool:
    """Whether a predicted speaker names the coded one (last words or space-free names agree).

    >>> speaker_match("Mr Graczyk", "Ed Graczyk"), speaker_match("FCC", "Federal Communications Commission", ["FCC"])
    (True, True)
    >>> speaker_match("(unresolved pronoun)", "Ed Graczyk"), speaker_match("Reuters", "Ed Graczyk")
    (False, False)
    """
    from .coreference import UNRESOLVED

    p = _norm_name(predicted)
    if not p or predicted == UNRESOLVED:
        return False
    for name in (coded, *aliases):
        g = _norm_name(name)
        if g and (p[-1] == g[-1] or "".join(p) == "".join(g)):
            return True
    return False


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> tuple[int, int, int]:
    """(overlap, length of a, length of b) of two span lists (character sets)."""
    sa = set().union(*(range(s, e) for s, e in a)) if a else set()
    sb = set().union(*(range(s, e) for s, e in b)) if b else set()
    return len(sa & sb), len(sa), len(sb)


def match_attributions(predicted: list[dict], codes: list[dict]) -> dict:
    """Pair predictions with codes one to one and count (see docs/annotation/quotes.md).

    ``predicted``: dicts with ``speaker`` and ``spans``; ``codes``: the annotation's
    attributions (``speaker``, ``aliases``, ``quote_span``, ``kind``). A pair span-matches when
    the quote spans overlap by at least half of the shorter; it is correct when the speakers
    match too. Out: ``n_pred``, ``n_coded``, ``n_span`` (span-matched pairs), ``n_correct``,
    and ``coded_<kind>`` / ``correct_<kind>`` per coded kind.
    """
    cands = []
    for i, p in enumerate(predicted):
        for j, c in enumerate(codes):
            ov, lp, lc = _overlap(p["spans"], [tuple(c["quote_span"])])
            if lp and lc and ov >= 0.5 * min(lp, lc):
                same = speaker_match(p["speaker"], c["speaker"], c.get("aliases", ()))
                cands.append((same, ov, i, j))
    cands.sort(key=lambda t: (-t[0], -t[1], t[2], t[3]))
    used_p, used_c, n_span, correct = set(), set(), 0, []
    for same, _, i, j in cands:
        if i in used_p or j in used_c:
            continue
        used_p.add(i)
        used_c.add(j)
        n_span += 1
        if same:
            correct.append(j)
    out = {
        "n_pred": len(predicted),
        "n_coded": len(codes),
        "n_span": n_span,
        "n_correct": len(correct),
    }
    for kind in KINDS:
        out[f"coded_{kind}"] = sum(c["kind"] == kind for c in codes)
        out[f"correct_{kind}"] = sum(codes[j]["kind"] == kind for j in correct)
    return out


def score_counts(counts: pd.DataFrame) -> dict:
    """Pooled precision, recall, F1 and speaker accuracy from per-paragraph counts.

    Precision is NaN without predictions; F1 is 0 when nothing is correct.

    >>> score_counts(pd.DataFrame({"n_pred": [2, 1], "n_coded": [2, 2], "n_span": [2, 0], "n_correct": [1, 0]}))
    {'precision': 0.3333333333333333, 'recall': 0.25, 'f1': 0.28571428571428575, 'speaker_accuracy': 0.5}
    """
    tp, n_pred, n_coded, n_span = (
        float(counts[c].sum()) for c in ("n_correct", "n_pred", "n_coded", "n_span")
    )
    p = tp / n_pred if n_pred else float("nan")
    r = tp / n_coded if n_coded else float("nan")
    f1 = 2 * p * r / (p + r) if tp else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": f1,
        "speaker_accuracy": tp / n_span if n_span else float("nan"),
    }


# --- the record for ``python -m helpers validate all`` --------------------------------------------

PROTOCOL = (
    "Rules written on the seed article (and three BBC sentences, whose articles are never sampled), never "
    "tuned on these paragraphs; annotations by one developer (no second coder yet) before running the rules, "
    "following docs/annotation/quotes.md. Sample: 36 BBC dev paragraphs, one per article, fixed seed: 24 with a "
    "quotation mark or reporting verb, 12 at random. A prediction is correct when its quote overlaps a coded "
    "quote by at least half of the shorter span and its (resolved) speaker matches the coded name; F1 pooled "
    "over paragraphs, 95 % bootstrap over paragraphs. The whole coded sample is locked (nothing is tuned)."
)
METHODS = {
    "rules": "rule-based attribution (sources.attributions)",
    "marks": "quote marks + nearest preceding name",
    "nothing": "nothing found",
}


def paragraph_counts(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Per paragraph and method ("rules", "marks", "nothing"): the counts of :func:`match_attributions`."""
    from .attribution import attributions

    docs = paragraphs.drop_duplicates("doc_id")
    table = attributions(pd.DataFrame({"doc_id": docs["doc_id"], "text": docs["article_text"]}))
    by_doc = {d: g for d, g in table.groupby("doc_id")}
    rows = []
    for k, p in enumerate(paragraphs.itertuples(index=False)):
        preds = {
            "rules": rule_predictions(
                by_doc.get(p.doc_id, table.iloc[:0]), p.article_text, p.start, p.end
            ),
            "marks": quote_marks_baseline(p.article_text, p.start, p.end),
            "nothing": [],
        }
        for method, pred in preds.items():
            rows.append(
                {
                    "unit": k,
                    "article": p.article,
                    "stratum": p.stratum,
                    "method": method,
                    **match_attributions(pred, p.codes),
                }
            )
    return pd.DataFrame(rows)


def _method_scores(counts: pd.DataFrame, n_boot: int) -> dict:
    """Point scores and 95 % paragraph-bootstrap intervals of F1, precision and recall."""
    from ..validation import cluster_bootstrap

    counts = counts.sort_values("unit").reset_index(drop=True)
    out = score_counts(counts)
    for m in ("f1", "precision", "recall"):
        if np.isnan(out[m]):  # precision of a method that predicts nothing: undefined
            out[f"{m}_ci"] = [None, None]
            continue
        out[f"{m}_ci"] = list(
            cluster_bootstrap(
                lambda i, m=m: score_counts(counts.iloc[i])[m], counts["unit"], n_boot=n_boot
            )
        )
    return out


def _no_nan(v):
    """NaN -> None, recursively (the results file is JSON)."""
    if isinstance(v, dict):
        return {k: _no_nan(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_no_nan(x) for x in v]
    return None if isinstance(v, float) and np.isnan(v) else v


def _details(counts: pd.DataFrame, scores: dict) -> dict:
    per_kind = {
        k: {"coded": int(counts[f"coded_{k}"].sum()), "correct": int(counts[f"correct_{k}"].sum())}
        for k in KINDS
    }
    per_stratum = {
        s: {c: int(g[c].sum()) for c in ("n_pred", "n_coded", "n_span", "n_correct")}
        for s, g in counts.groupby("stratum")
    }
    return {
        **_no_nan(scores),
        "predicted": int(counts["n_pred"].sum()),
        "coded": int(counts["n_coded"].sum()),
        "span_matched": int(counts["n_span"].sum()),
        "correct": int(counts["n_correct"].sum()),
        "recall_by_kind": per_kind,
        "by_stratum": per_stratum,
    }


def _notes(scores: dict, details: dict) -> str:
    by_kind = ", ".join(
        f"{k.replace('_', '-')} {v['correct']}/{v['coded']}"
        for k, v in details["recall_by_kind"].items()
    )
    return (
        f"precision {scores['precision']:.3f}, recall {scores['recall']:.3f}, speaker accuracy "
        f"{scores['speaker_accuracy']:.3f} among span-matched; found by kind: {by_kind}; "
        "single coder, no second-coder agreement yet"
    )


def validation_records(eval_dir: Path, n_boot: int = 1000):
    """Quote attribution on the hand-coded BBC paragraphs: the rules beside two baselines.

    One :class:`helpers.validation.ValidationRecord` (measure ``quote_attribution``): F1 of
    attributions (precision, recall, speaker accuracy among span-matched pairs in
    ``details``), 95 % interval over paragraphs, baselines "quote marks + nearest preceding
    name" and "nothing found" (precision undefined, recall 0).
    """
    from ..validation import ValidationRecord

    paragraphs = coded_paragraphs(eval_dir)
    counts = paragraph_counts(paragraphs)
    scores = {m: _method_scores(counts[counts["method"] == m], n_boot) for m in METHODS}
    details = {m: _details(counts[counts["method"] == m], scores[m]) for m in METHODS}
    baselines = [
        {"name": METHODS[m], "score": scores[m]["f1"], "ci": scores[m]["f1_ci"]}
        for m in ("marks", "nothing")
    ]
    rules = scores["rules"]
    return [
        ValidationRecord(
            measure="quote_attribution",
            method=METHODS["rules"],
            dataset="BBC News dev, hand-coded paragraphs",
            part="locked (coded sample)",
            unit="paragraph",
            n_units=len(paragraphs),
            n_items=int(counts.loc[counts["method"] == "rules", "n_coded"].sum()),
            metric="F1 of attributions (P, R in details)",
            score=rules["f1"],
            ci=tuple(rules["f1_ci"]),
            baselines=baselines,
            protocol=PROTOCOL,
            command="python -m helpers validate all --only quotes",
            resources=["reporting_verbs.yml", "speakers.yml", "abbreviations.txt"],
            code=["sources", "text.py"],
            data_files=[DATASET],
            details={
                **details["rules"],
                "baselines": {METHODS[m]: details[m] for m in ("marks", "nothing")},
                "annotations": "tests/data/quotes/bbc_paragraphs.jsonl",
                "annotations_sha1": paragraph_sha1(ANNOTATIONS.read_text(encoding="utf-8")),
                "guidelines": "docs/annotation/quotes.md",
                "coders": 1,
            },
            notes=_notes(rules, details["rules"]),
        )
    ]
