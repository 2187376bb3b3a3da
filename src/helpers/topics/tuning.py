"""Every choice that looks at the labels, made on the *tune* part only.

The BBC News dev split is split once (:func:`helpers.topics.locked.bbc_parts`) into a tune
part and a locked part; this module sees only the tune part (callers pass its texts and
sections; nothing here reads a file) and makes, in this order:

1. **The news stop list** (``resources/stopwords_news.yml``). Its genre words were listed by
   reading topics (no labels); three groups of candidate words were then kept or dropped by
   agreement with the sections (:data:`STOP_CANDIDATES`). Each group is compared with the
   list without any candidate ("core") and stays listed only if listing it does not lower
   the mean tune NMI.
2. **The preprocessing** (:data:`PREPROCESSING_ALTERNATIVES`): the project's default is kept
   unless an alternative beats it on the tune part by more than two standard errors of the
   paired per-fit differences (each alternative is fitted on the same subsamples).
3. **k**: the number of sections in the tune part, unless another k in :data:`K_GRID`
   beats it by the same rule.

The tune score of a setting: NMI between the sections and the dominant topic of every tune
document, for each of ``n_fits`` NMF fits on a seeded 90 % subsample of the tune documents
(the project's start, so the subsample is what varies), averaged. :func:`tune_topics`
returns the choices with the tables behind them (``python -m helpers train topics`` prints
them); :func:`stop_list_agrees` says whether the shipped list is the one the procedure picks.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from helpers.config import SEED

from .preprocess import TopicVectorizer
from .stopwords import NEWS_STOPWORDS_FILE, load_news_stop_words
from .sweep import sweep_topics

__all__ = [
    "K_GRID",
    "PREPROCESSING_ALTERNATIVES",
    "PROJECT_PREPROCESSING",
    "STOP_CANDIDATES",
    "TuneResult",
    "stop_list_agrees",
    "tune_topics",
]

#: Words whose listing was decided by agreement with the sections (first by NMI on the whole
#: BBC dev split; now by :func:`tune_topics` on its tune part). Group -> (YAML category, words).
STOP_CANDIDATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "byline words that are also subject words": (
        "wire_and_byline",
        ("press", "staff", "writer", "image", "images", "rights"),
    ),
    "web words that are also subject words": (
        "web_furniture",
        ("sign", "share", "shares", "page", "reading", "video", "watch"),
    ),
    "generic words": ("generic", ("government", "people", "year")),
}
#: The project's default preprocessing (``TopicVectorizer`` keywords) and NMF weighting.
PROJECT_PREPROCESSING: dict = dict(
    stop_words="news", min_df=5, max_df=0.5, lemmatize=False, collocations=False
)
#: One change at a time from the default: name -> (vectorizer keywords, sublinear tf).
PREPROCESSING_ALTERNATIVES: dict[str, tuple[dict, bool]] = {
    "reference tokens and stop words ([a-z]{3,}, English list only)": (
        dict(token_pattern=r"(?u)\b[a-z]{3,}\b", stop_words="english"),
        True,
    ),
    "plain tf (no sublinear tf)": ({}, False),
    "lemmatising": (dict(lemmatize=True), True),
    "collocations": (dict(collocations=True), True),
    "max_df 0.3": (dict(max_df=0.3), True),
    "min_df 10": (dict(min_df=10), True),
}
#: Numbers of topics compared with the number of sections.
K_GRID: tuple[int, ...] = (3, 4, 5, 6, 7, 8)
N_FITS = 8
SUBSAMPLE = 0.9


@dataclass
class TuneResult:
    """The tune part's choices and the tables behind them.

    ``listed_groups``: candidate groups the stop list keeps; ``vectorizer_kw`` and
    ``sublinear_tf``: the chosen preprocessing (the default unless ``preprocessing_choice``
    names an alternative); ``k``; ``stop_table``, ``preprocessing_table``, ``k_table``: one
    row per setting with ``nmi_mean``, ``nmi_sd`` (over the fits), ``gain`` and ``gain_se``
    (paired difference from the reference row and its standard error) and ``npmi_mean``.
    """

    n_docs: int
    n_sections: int
    listed_groups: list[str]
    vectorizer_kw: dict
    sublinear_tf: bool
    preprocessing_choice: str
    k: int
    stop_table: pd.DataFrame
    preprocessing_table: pd.DataFrame
    k_table: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready summary (tables as lists of rows, floats rounded to 4 decimals)."""

        def rows(df):
            return [
                {
                    k: (round(float(v), 4) if isinstance(v, float | np.floating) else v)
                    for k, v in r.items()
                }
                for r in df.to_dict(orient="records")
            ]

        return {
            "part": "tune",
            "n_docs": self.n_docs,
            "n_sections": self.n_sections,
            "listed_groups": self.listed_groups,
            "preprocessing": self.preprocessing_choice,
            "vectorizer_kw": self.vectorizer_kw,
            "sublinear_tf": self.sublinear_tf,
            "k": self.k,
            "fits_per_setting": N_FITS,
            "subsample": SUBSAMPLE,
            "stop_list": rows(self.stop_table),
            "preprocessing_table": rows(self.preprocessing_table),
            "k_table": rows(self.k_table),
            "notes": self.notes,
        }


def _fit_scores(
    texts, labels, vec_kw: dict, sublinear: bool, ks: Sequence[int], seeds
) -> pd.DataFrame:
    """Per (k, seed): tune NMI and NPMI of an NMF fit on the seed's subsample (project start)."""
    vec = TopicVectorizer(**vec_kw)
    counts = vec.fit_transform(texts)
    sw = sweep_topics(
        counts,
        ks=ks,
        seeds=seeds,
        vectorizer=vec,
        perturb="subsample",
        subsample=SUBSAMPLE,
        labels=labels,
        top_by="probability",
        sublinear_tf=sublinear,
    )
    return sw.runs[["k", "seed", "nmi", "npmi"]]


def _row(name: str, runs: pd.DataFrame, ref: pd.DataFrame | None) -> dict:
    nmi = runs["nmi"].to_numpy()
    row = {
        "setting": name,
        "nmi_mean": float(nmi.mean()),
        "nmi_sd": float(nmi.std(ddof=1)),
        "npmi_mean": float(runs["npmi"].mean()),
    }
    if ref is not None:
        d = nmi - ref["nmi"].to_numpy()  # paired: the same seeds fit the same subsamples
        row["gain"] = float(d.mean())
        row["gain_se"] = float(d.std(ddof=1) / np.sqrt(len(d)))
    else:
        row["gain"], row["gain_se"] = 0.0, 0.0
    return row


def _core_file(folder: Path) -> Path:
    """The shipped stop list without any candidate word, as a YAML file in ``folder``."""
    data = yaml.safe_load(Path(NEWS_STOPWORDS_FILE).read_text(encoding="utf-8")) or {}
    drop = {w for _, words in STOP_CANDIDATES.values() for w in words}
    core = {
        cat: [w for w in words if str(w).strip().lower() not in drop] for cat, words in data.items()
    }
    path = folder / "stopwords_core.yml"
    path.write_text(yaml.safe_dump(core, sort_keys=False), encoding="utf-8")
    return path


def _choose_stop_groups(
    texts, labels, k, seeds, folder: Path
) -> tuple[list[str], pd.DataFrame, Path]:
    core = _core_file(folder)
    base_kw = dict(PROJECT_PREPROCESSING, stop_words_file=str(core))
    ref = _fit_scores(texts, labels, base_kw, True, [k], seeds)
    rows, listed = [_row("core list (no candidate listed)", ref, None)], []
    for group, (_, words) in STOP_CANDIDATES.items():
        runs = _fit_scores(
            texts, labels, dict(base_kw, extra_stop_words=list(words)), True, [k], seeds
        )
        row = _row(f"core + {group}: {', '.join(words)}", runs, ref)
        row["listed"] = row["gain"] >= 0.0
        rows.append(row)
        if row["listed"]:
            listed.append(group)
    table = pd.DataFrame(rows)
    table.loc[0, "listed"] = True
    return listed, table, core


def _beats(row: dict) -> bool:
    return row["gain"] > 2.0 * row["gain_se"] and row["gain"] > 0


def tune_topics(
    texts: Sequence[str], labels: Sequence, n_fits: int = N_FITS, seed: int = SEED
) -> TuneResult:
    """Make the label-guided choices (stop list, preprocessing, k) on the tune part.

    ``texts`` and ``labels``: the tune part's documents and sections only.
    """
    texts = list(texts)
    labels = pd.Series(list(labels)).astype(str)
    seeds = [seed + i for i in range(n_fits)]
    n_sections = int(labels.nunique())
    notes = []
    with tempfile.TemporaryDirectory() as tmp:
        listed, stop_table, core = _choose_stop_groups(texts, labels, n_sections, seeds, Path(tmp))
        extra = [w for g in listed for w in STOP_CANDIDATES[g][1]]
        chosen_list = dict(stop_words_file=str(core), extra_stop_words=extra)
        base = dict(PROJECT_PREPROCESSING, **chosen_list)
        ref = _fit_scores(texts, labels, base, True, [n_sections], seeds)
        rows = [_row("project default", ref, None)]
        for name, (kw, sublinear) in PREPROCESSING_ALTERNATIVES.items():
            runs = _fit_scores(texts, labels, dict(base, **kw), sublinear, [n_sections], seeds)
            rows.append(_row(name, runs, ref))
    prep = pd.DataFrame(rows)
    winners = [r for r in rows[1:] if _beats(r)]
    choice, vec_kw, sublinear = "project default", dict(PROJECT_PREPROCESSING), True
    if winners:
        best = max(winners, key=lambda r: r["gain"])
        choice = best["setting"]
        kw, sublinear = PREPROCESSING_ALTERNATIVES[choice]
        vec_kw = dict(PROJECT_PREPROCESSING, **kw)
        notes.append(f"the tune part prefers '{choice}' to the project default")
    k_runs = _fit_scores(
        texts,
        labels,
        dict(vec_kw, **chosen_list),
        sublinear,
        sorted(set(K_GRID) | {n_sections}),
        seeds,
    )
    ref_k = k_runs[k_runs["k"] == n_sections]
    k_rows = []
    for k, g in k_runs.groupby("k", sort=True):
        r = _row(f"k = {k}", g, None if k == n_sections else ref_k)
        r["k"] = int(k)
        k_rows.append(r)
    k_winners = [r for r in k_rows if r["k"] != n_sections and _beats(r)]
    k = max(k_winners, key=lambda r: r["gain"])["k"] if k_winners else n_sections
    return TuneResult(
        n_docs=len(texts),
        n_sections=n_sections,
        listed_groups=listed,
        vectorizer_kw=vec_kw,
        sublinear_tf=sublinear,
        preprocessing_choice=choice,
        k=int(k),
        stop_table=stop_table,
        preprocessing_table=prep,
        k_table=pd.DataFrame(k_rows),
        notes=notes,
    )


def stop_list_agrees(listed_groups: Sequence[str], path: str | Path | None = None) -> list[str]:
    """Differences between the shipped stop list and the tune part's choice ([] if none).

    A group the procedure keeps must be listed word for word; a group it drops must have no
    word listed.
    """
    words, _ = load_news_stop_words(path)
    problems = []
    for group, (_, cands) in STOP_CANDIDATES.items():
        present = [w for w in cands if w in words]
        if group in listed_groups and len(present) < len(cands):
            problems.append(
                f"'{group}' is chosen but {sorted(set(cands) - set(present))} not listed"
            )
        if group not in listed_groups and present:
            problems.append(f"'{group}' is dropped but {present} are listed")
    return problems
