"""Supervised frame classifiers, labelled-file reading and the ``validate frames`` command.

Train from any labelled file (one text column, one or several label columns, multi-label
allowed) with :func:`read_labelled` and :class:`FrameClassifier`; get cross-validated
per-frame precision/recall/F1 with :func:`cross_validate_frames` (thresholds and the
regularisation strength are chosen inside each training fold, never on the fold scored);
inspect :meth:`FrameClassifier.top_features`; predict on a corpus with
:meth:`FrameClassifier.predict_units`.

Features: tf-idf word uni- and bigrams plus the project's frame dictionaries (rates per
1,000 tokens for the generic, policy and territorial schemes) and the Semetko & Valkenburg
indicator answers, scaled and stacked next to the words. On small labelled sets the
dictionary features carry the rare frames (morality, human interest) that words alone miss.

Command line (``python -m helpers validate frames FILE [--scheme generic|policy]
[--train FILE] [--folds 5] [--quick]``) prints JSON with per-frame precision/recall/F1 and
macro-F1 for the trained model and for the dictionary alone.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.model_selection import KFold, StratifiedKFold

from .config import MODELS_DIR, SEED

GENERIC_CODES = {
    "CO": "conflict",
    "EC": "economic",
    "HI": "human_interest",
    "MO": "morality",
    "RE": "responsibility",
}
#: Media Frames Corpus / Policy Frames Codebook codes and names.
MFC_CODES = {
    1: "economic",
    2: "capacity_resources",
    3: "morality",
    4: "fairness_equality",
    5: "legality",
    6: "policy_prescription",
    7: "crime_punishment",
    8: "security_defense",
    9: "health_safety",
    10: "quality_of_life",
    11: "cultural_identity",
    12: "public_opinion",
    13: "political",
    14: "external_regulation",
    15: "other",
}
#: FrAC merges codebook frames: 5+7 "Legality & crime", 6+13 "Political & policy"; 2, 10 and 14
#: are not used there, so dictionary hits on them count as the closest FrAC category.
FRAC_MERGE = {7: 5, 13: 6, 2: 1, 10: 9, 14: 8}

_TEXT_COLUMNS = ("text", "sentence", "body", "content", "article")
_TRUE = {"true", "1", "yes", "y", "t", "x"}
_FALSE = {"false", "0", "no", "n", "f", ""}


# --------------------------------------------------------------------------------------------
# Reading labelled files
# --------------------------------------------------------------------------------------------


@dataclass
class Labelled:
    """A labelled sample: ``texts`` (Series), ``labels`` (DataFrame of 0/1 columns for
    multi-label, or a one-column DataFrame for single-label multi-class), ``task``
    (``"multilabel"`` / ``"multiclass"``), ``layout`` and ``notes`` (data problems found and
    how they were handled)."""

    texts: pd.Series
    labels: pd.DataFrame
    task: str
    layout: str
    notes: list[str] = field(default_factory=list)
    path: str = ""

    @property
    def label_names(self) -> list[str]:
        if self.task == "multilabel":
            return list(self.labels.columns)
        return sorted(self.labels.iloc[:, 0].unique(), key=str)


def _parse_bool(v) -> bool | None:
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, (int, np.integer, float)):
        return bool(v)
    s = str(v).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE and s != "":
        return False
    cleaned = re.sub(r"[^a-z0-9]", "", s)
    if cleaned in _TRUE:
        return True
    if cleaned in _FALSE and cleaned != "":
        return False
    return None


def read_labelled(
    path: str | os.PathLike,
    text_col: str | None = None,
    label_cols: list[str] | None = None,
    sep: str | None = None,
) -> Labelled:
    """Read a labelled file for frame classification.

    Layouts recognised: a TSV/CSV with ``text`` and binary columns ``CO EC HI MO RE`` (generic
    frames, multi-label); a CSV ``sentence,label`` with Media Frames Corpus codes (one label
    per row); or any table with a text column (``text_col`` or one of text/sentence/body/
    content) and ``label_cols``: several 0/1 (True/False, yes/no) columns for multi-label, or
    one column of category names (``;``- or ``|``-separated for several labels per row).
    Rows without text or without labels are dropped, and malformed values repaired where the
    intent is clear (e.g. ``False)`` read as False); every such case is listed in ``notes``.
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"labelled file not found: {p}")
    if sep is None:
        head = p.open(encoding="utf-8", errors="replace").readline()
        sep = "\t" if head.count("\t") > head.count(",") else ","
    df = pd.read_csv(p, sep=sep, dtype=str, keep_default_na=False, na_values=[""])
    notes: list[str] = []
    if text_col is None:
        text_col = next((c for c in df.columns if c.lower() in _TEXT_COLUMNS), None)
        if text_col is None:
            raise ValueError(
                f"{p}: no text column found (columns: {list(df.columns)}); "
                f"pass text_col= or name it 'text' or 'sentence'"
            )
    elif text_col not in df.columns:
        raise ValueError(f"{p}: text column {text_col!r} not in {list(df.columns)}")
    if label_cols is None:
        generic = [c for c in GENERIC_CODES if c in df.columns]
        if generic:
            label_cols = generic
        elif "label" in df.columns:
            label_cols = ["label"]
        else:
            raise ValueError(
                f"{p}: no label columns found (columns: {list(df.columns)}); pass "
                f"label_cols= (e.g. the CO EC HI MO RE columns or one 'label' column)"
            )
    missing = [c for c in label_cols if c not in df.columns]
    if missing:
        raise ValueError(f"{p}: label column(s) {missing} not in {list(df.columns)}")
    no_text = df[text_col].isna() | (df[text_col].fillna("").str.strip() == "")
    if no_text.any():
        notes.append(
            f"{int(no_text.sum())} row(s) without text dropped (lines {list(np.where(no_text)[0] + 2)[:10]})"
        )
    df = df[~no_text]
    if (
        len(label_cols) > 1
        or all(_parse_bool(v) is not None for v in df[label_cols[0]].dropna().head(50))
        and df[label_cols[0]].dropna().str.lower().isin(list(_TRUE | _FALSE)).mean() > 0.9
    ):
        parsed = pd.DataFrame(index=df.index)
        bad_rows = pd.Series(False, index=df.index)
        for c in label_cols:
            vals = df[c]
            out = vals.map(_parse_bool)
            repaired = (
                vals.notna()
                & out.notna()
                & ~vals.fillna("").str.strip().str.lower().isin(list(_TRUE | _FALSE))
            )
            for i in np.where(repaired)[0]:
                notes.append(
                    f"column {c}, line {df.index[i] + 2}: value {vals.iloc[i]!r} read as {out.iloc[i]}"
                )
            bad_rows |= out.isna()
            parsed[c] = out
        if bad_rows.any():
            lines = [int(i) + 2 for i in df.index[bad_rows]]
            notes.append(
                f"{int(bad_rows.sum())} row(s) without usable labels dropped (file lines {lines[:10]})"
            )
        df, parsed = df[~bad_rows], parsed[~bad_rows].astype(int)
        layout = "generic_frames" if set(label_cols) <= set(GENERIC_CODES) else "multilabel"
        return Labelled(
            df[text_col].reset_index(drop=True),
            parsed.reset_index(drop=True),
            "multilabel",
            layout,
            notes,
            str(p),
        )
    col = df[label_cols[0]]
    no_label = col.isna() | (col.fillna("").str.strip() == "")
    if no_label.any():
        notes.append(f"{int(no_label.sum())} row(s) without a label dropped")
    df = df[~no_label]
    col = df[label_cols[0]].str.strip()
    if col.str.contains(r"[;|]").any():
        lists = col.str.split(r"\s*[;|]\s*")
        names = sorted({x for xs in lists for x in xs if x})
        Y = pd.DataFrame({n: lists.map(lambda xs, n=n: int(n in xs)) for n in names})
        return Labelled(
            df[text_col].reset_index(drop=True),
            Y.reset_index(drop=True),
            "multilabel",
            "multilabel",
            notes,
            str(p),
        )
    is_mfc = (
        col.str.fullmatch(r"\d+(?:\.0)?").all()
        and col.astype(float).astype(int).isin(list(MFC_CODES)).all()
    )
    labels = col.astype(float).astype(int).astype(str) if is_mfc else col
    return Labelled(
        df[text_col].reset_index(drop=True),
        pd.DataFrame({"label": labels.values}),
        "multiclass",
        "mfc_codes" if is_mfc else "multiclass",
        notes,
        str(p),
    )


# --------------------------------------------------------------------------------------------
# Features
# --------------------------------------------------------------------------------------------

_LEX_CACHE: dict[tuple[str, str], np.ndarray] = {}
_LEX_NAMES: dict[str, list[str]] = {}


def lexicon_features(
    texts, schemes=("generic", "policy", "territorial"), indicators: bool = True
) -> pd.DataFrame:
    """Dictionary features for a list of texts: per-1,000-token rates of every frame of each
    scheme (``<scheme>:<frame>``); with ``indicators=True`` also the indicator answers
    (``ind:<question>``, 0/1), indicator frame scores (``indscore:<frame>``), surface cues
    (:func:`style_features`) and sentence peaks (:func:`sentence_peak_features`). Cached per
    text, so cross-validation pays once.
    """
    from .framing import frame_scores, indicator_answers

    texts = ["" if not isinstance(t, str) else t for t in texts]
    key = "|".join(schemes) + (":ind" if indicators else "")
    hashes = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    todo = [i for i, h in enumerate(hashes) if (key, h) not in _LEX_CACHE]
    if todo:
        uniq = {hashes[i]: texts[i] for i in todo}
        corpus = pd.DataFrame({"doc_id": list(uniq), "text": list(uniq.values())})
        parts = []
        for s in schemes:
            sc = frame_scores(corpus, s, "document")
            w = sc.pivot_table(
                index="doc_id", columns="frame", values="per_1000", aggfunc="sum", sort=False
            )
            parts.append(w.add_prefix(f"{s}:"))
        if indicators:
            a = indicator_answers(corpus)
            w = a.pivot_table(
                index="doc_id", columns="question_id", values="answer", aggfunc="max", sort=False
            )
            parts.append(w.astype(float).add_prefix("ind:"))
            fs = a.groupby(["doc_id", "frame"])["answer"].mean().unstack()
            parts.append(fs.add_prefix("indscore:"))
            texts_u = list(uniq.values())
            parts.append(style_features(texts_u).set_index(pd.Index(list(uniq), name="doc_id")))
            parts.append(
                sentence_peak_features(texts_u).set_index(pd.Index(list(uniq), name="doc_id"))
            )
        feats = pd.concat(parts, axis=1).reindex(list(uniq)).fillna(0.0)
        _LEX_NAMES[key] = list(feats.columns)
        for h, row in zip(feats.index, feats.to_numpy(dtype=float), strict=True):
            _LEX_CACHE[(key, h)] = row
        if len(_LEX_CACHE) > 200_000:
            _LEX_CACHE.clear()
            return lexicon_features(texts, schemes, indicators)
    return pd.DataFrame([_LEX_CACHE[(key, h)] for h in hashes], columns=_LEX_NAMES[key])


_STYLE_PATTERNS = {
    # money amounts and percentages: economic consequences are told in numbers
    "money": re.compile(r"[$£€¥]\s?\d|\b\d[\d,.]*\s?(?:dollars|euros|pounds|yuan|yen)\b", re.I),
    "percent": re.compile(r"\d\s?%|\bper ?cent\b", re.I),
    "quote_marks": re.compile(r"[\"“”]"),
    # first/second person: personal voices and prescriptions ("we must", "you should")
    "first_singular": re.compile(r"\b(?:I|me|my|mine|I'm|I’m|I've|I’ve)\b"),
    "first_plural": re.compile(r"\b(?:we|our|us|ours)\b", re.I),
    "second_person": re.compile(r"\b(?:you|your|yours)\b", re.I),
    # a human face: "a 52-year-old farmer", "aged 7"
    "ages": re.compile(r"\b\d{1,3}-year-old|\baged? \d{1,3}\b", re.I),
    "question_marks": re.compile(r"\?"),
    "exclamations": re.compile(r"!"),
    "digits": re.compile(r"\d+"),
}


@lru_cache(maxsize=1)
def _vader_lexicon() -> dict[str, float]:
    # VADER's valence lexicon ships inside the vaderSentiment package (no download)
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return {w: v for w, v in SentimentIntensityAnalyzer().lexicon.items() if w.isalpha()}


def style_features(texts) -> pd.DataFrame:
    """Surface cues per 1,000 tokens that dictionaries of words miss: money amounts, percentages,
    quotation marks, first/second-person pronouns, ages, question and exclamation marks, digits,
    and emotional wording (VADER lexicon: words with |valence| >= 2, and negative/positive ones).
    """
    from .text import tokenize

    lex = _vader_lexicon()
    rows = []
    for t in texts:
        t = t if isinstance(t, str) else ""
        toks = tokenize(t)
        n = max(len(toks), 1)
        f = {f"style:{k}": 1000 * len(rx.findall(t)) / n for k, rx in _STYLE_PATTERNS.items()}
        vals = [lex[w] for w in toks if w in lex]
        f["style:emotive_strong"] = 1000 * sum(abs(v) >= 2 for v in vals) / n
        f["style:emotive_negative"] = 1000 * sum(v <= -1 for v in vals) / n
        f["style:emotive_positive"] = 1000 * sum(v >= 1 for v in vals) / n
        rows.append(f)
    return pd.DataFrame(rows)


def sentence_peak_features(texts, scheme: str = "generic") -> pd.DataFrame:
    """Where in a text a frame concentrates: per frame, the most matches in one sentence
    (``peak:<frame>``) and the share of sentences with at least two matches (``dense:<frame>``);
    a personal vignette or a moral aside is local, so document rates dilute it."""
    from .framing import frame_scores

    ids = [str(i) for i in range(len(texts))]
    corpus = pd.DataFrame(
        {"doc_id": ids, "text": ["" if not isinstance(t, str) else t for t in texts]}
    )
    ss = frame_scores(corpus, scheme, "sentence")
    if ss.empty:
        return pd.DataFrame(index=range(len(texts)))
    ss = ss.assign(dense=(ss["n_matches"] >= 2).astype(float))
    agg = (
        ss.groupby(["doc_id", "frame"])
        .agg(peak=("n_matches", "max"), dense=("dense", "mean"))
        .unstack()
    )
    agg.columns = [f"{a}:{b}" for a, b in agg.columns]
    return agg.reindex(ids).fillna(0.0).reset_index(drop=True)


class _Features:
    """tf-idf words + scaled dictionary features, stacked (fit on training texts only)."""

    def __init__(
        self,
        use_words=True,
        use_lexicon=True,
        lexicon_weight=0.3,
        ngram_range=(1, 1),
        min_df=2,
        schemes=("generic", "policy", "territorial"),
    ):
        self.use_words, self.use_lexicon = use_words, use_lexicon
        self.lexicon_weight, self.schemes = lexicon_weight, tuple(schemes)
        self.vec = (
            TfidfVectorizer(
                sublinear_tf=True,
                ngram_range=ngram_range,
                min_df=min_df,
                stop_words="english",
                max_features=50_000,
                token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b",
            )
            if use_words
            else None
        )

    def fit_transform(self, texts):
        mats = []
        if self.use_words:
            try:
                mats.append(self.vec.fit_transform(texts))
            except ValueError:  # tiny samples: min_df leaves no words
                self.vec.set_params(min_df=1)
                mats.append(self.vec.fit_transform(texts))
        if self.use_lexicon:
            lex = lexicon_features(texts, self.schemes)
            self.lex_names = list(lex.columns)
            x = np.log1p(lex.to_numpy())
            self.mu, self.sd = x.mean(0), x.std(0) + 1e-6
            mats.append(sparse.csr_matrix(self.lexicon_weight * (x - self.mu) / self.sd))
        return sparse.hstack(mats).tocsr()

    def transform(self, texts):
        mats = []
        if self.use_words:
            mats.append(self.vec.transform(texts))
        if self.use_lexicon:
            x = np.log1p(lexicon_features(texts, self.schemes).to_numpy())
            mats.append(sparse.csr_matrix(self.lexicon_weight * (x - self.mu) / self.sd))
        return sparse.hstack(mats).tocsr()

    def names(self) -> list[str]:
        out = []
        if self.use_words:
            out += [f"word:{w}" for w in self.vec.get_feature_names_out()]
        if self.use_lexicon:
            out += [f"dict:{n}" for n in self.lex_names]
        return out


# --------------------------------------------------------------------------------------------
# Classifier
# --------------------------------------------------------------------------------------------


def _best_threshold(y, p) -> tuple[float, float]:
    best_t, best_f = 0.5, -1.0
    for t in np.unique(np.round(p, 3)):
        f = f1_score(y, p >= t, zero_division=0)
        if f > best_f + 1e-9:
            best_t, best_f = float(t), f
    return best_t, best_f


class FrameClassifier:
    """Logistic-regression frame classifier over words + dictionary features.

    Multi-label (one binary model per frame, each with its own decision threshold) or
    multi-class (one multinomial model). With ``tune=True`` (default) the regularisation ``C``
    (from ``Cs``) and the per-frame thresholds are chosen by an inner ``inner_folds``-fold
    cross-validation on the training data; ``tune=False`` uses ``C=Cs[0]`` and threshold 0.5
    (fast, for notebooks).

    >>> clf = FrameClassifier(tune=False).fit(["war and conflict", "peace and money"] * 4,
    ...                                       pd.DataFrame({"CO": [1, 0] * 4}))
    >>> clf.predict(["a bitter conflict"])["CO"].tolist()
    [1]
    """

    def __init__(
        self,
        Cs=(0.03, 0.1, 0.3),
        tune: bool = True,
        inner_folds: int = 4,
        use_words: bool = True,
        use_lexicon: bool = True,
        lexicon_weight: float = 0.2,
        schemes=("generic", "policy", "territorial"),
        random_state: int = SEED,
    ):
        self.Cs, self.tune, self.inner_folds = tuple(Cs), tune, inner_folds
        self.use_words, self.use_lexicon, self.lexicon_weight = (
            use_words,
            use_lexicon,
            lexicon_weight,
        )
        self.schemes, self.random_state = tuple(schemes), random_state

    def _model(self, C, multiclass=False):
        if multiclass:
            return LogisticRegression(
                C=C, class_weight="balanced", max_iter=3000, random_state=self.random_state
            )
        # liblinear: fast and stable for the many small binary fits of the inner CV
        return LogisticRegression(
            C=C,
            class_weight="balanced",
            solver="liblinear",
            max_iter=3000,
            random_state=self.random_state,
        )

    def _featurizer(self):
        return _Features(
            self.use_words, self.use_lexicon, self.lexicon_weight, schemes=self.schemes
        )

    def fit(self, texts, labels: pd.DataFrame | pd.Series):
        texts = list(texts)
        if isinstance(labels, pd.Series):
            labels = labels.to_frame("label")
        labels = labels.reset_index(drop=True)
        self.multiclass_ = labels.shape[1] == 1 and not set(pd.unique(labels.iloc[:, 0])) <= {0, 1}
        self.labels_ = (
            sorted(labels.iloc[:, 0].astype(str).unique())
            if self.multiclass_
            else list(labels.columns)
        )
        self.label_column_ = labels.columns[0]
        self.C_, self.threshold_ = {}, {}
        if self.multiclass_:
            y = labels.iloc[:, 0].astype(str).to_numpy()
            self.C_["*"] = self._select_C_multiclass(texts, y) if self.tune else self.Cs[0]
            self.feat_ = self._featurizer()
            X = self.feat_.fit_transform(texts)
            self.model_ = self._model(self.C_["*"], multiclass=True).fit(X, y)
            return self
        Y = labels.astype(int).to_numpy()
        if self.tune:
            oof = self._inner_oof(texts, Y)
        self.feat_ = self._featurizer()
        X = self.feat_.fit_transform(texts)
        self.models_ = {}
        for j, lab in enumerate(self.labels_):
            y = Y[:, j]
            if y.min() == y.max():
                self.models_[lab] = float(y[0])  # constant label in training data
                self.C_[lab], self.threshold_[lab] = None, 0.5
                continue
            if self.tune:
                best = max(
                    ((C, *_best_threshold(y, oof[C][:, j])) for C in self.Cs), key=lambda r: r[2]
                )
                self.C_[lab], self.threshold_[lab] = best[0], best[1]
            else:
                self.C_[lab], self.threshold_[lab] = self.Cs[0], 0.5
            self.models_[lab] = self._model(self.C_[lab]).fit(X, y)
        return self

    def _inner_oof(self, texts, Y):
        n = len(texts)
        k = max(
            2,
            min(
                self.inner_folds,
                int(Y.sum(0)[Y.sum(0) > 0].min()) if (Y.sum(0) > 0).any() else 2,
                n,
            ),
        )
        folds = list(KFold(k, shuffle=True, random_state=self.random_state).split(np.zeros(n)))
        oof = {C: np.full(Y.shape, 0.5) for C in self.Cs}
        for tr, te in folds:
            f = self._featurizer()
            Xtr = f.fit_transform([texts[i] for i in tr])
            Xte = f.transform([texts[i] for i in te])
            for j in range(Y.shape[1]):
                if Y[tr, j].min() == Y[tr, j].max():
                    continue
                for C in self.Cs:
                    oof[C][te, j] = self._model(C).fit(Xtr, Y[tr, j]).predict_proba(Xte)[:, 1]
        return oof

    def _select_C_multiclass(self, texts, y):
        if len(self.Cs) == 1:
            return self.Cs[0]
        counts = pd.Series(y).value_counts()
        k = max(2, min(self.inner_folds, int(counts.min())))
        skf = (
            StratifiedKFold(k, shuffle=True, random_state=self.random_state)
            if counts.min() >= 2
            else KFold(k, shuffle=True, random_state=self.random_state)
        )
        scores = {C: [] for C in self.Cs}
        for tr, te in skf.split(np.zeros(len(y)), y):
            f = self._featurizer()
            Xtr = f.fit_transform([texts[i] for i in tr])
            Xte = f.transform([texts[i] for i in te])
            for C in self.Cs:
                pred = self._model(C, multiclass=True).fit(Xtr, y[tr]).predict(Xte)
                scores[C].append(f1_score(y[te], pred, average="macro", zero_division=0))
        return max(self.Cs, key=lambda C: np.mean(scores[C]))

    def predict_proba(self, texts) -> pd.DataFrame:
        """Probability per frame (multi-label) or per class (multi-class), one row per text."""
        texts = list(texts)
        X = self.feat_.transform(texts)
        if self.multiclass_:
            return pd.DataFrame(
                self.model_.predict_proba(X), columns=[str(c) for c in self.model_.classes_]
            )
        out = {}
        for lab in self.labels_:
            m = self.models_[lab]
            out[lab] = np.full(len(texts), m) if isinstance(m, float) else m.predict_proba(X)[:, 1]
        return pd.DataFrame(out)

    def predict(self, texts) -> pd.DataFrame:
        """0/1 per frame (thresholds applied) or, multi-class, one ``label`` column."""
        proba = self.predict_proba(texts)
        if self.multiclass_:
            return pd.DataFrame({self.label_column_: proba.columns[proba.to_numpy().argmax(1)]})
        return pd.DataFrame(
            {lab: (proba[lab] >= self.threshold_[lab]).astype(int) for lab in self.labels_}
        )

    def predict_units(self, data: pd.DataFrame, level: str = "document") -> pd.DataFrame:
        """Predict on a corpus or units table. Out, one row per unit x frame: ``unit_id``,
        ``doc_id``, ``level``, ``position``, ``frame``, ``probability``, ``predicted`` (0/1)."""
        from .framing import as_units

        u = as_units(data, level)
        proba = self.predict_proba(u["text"].tolist())
        pred = self.predict(u["text"].tolist())
        meta = u[
            [c for c in ("unit_id", "doc_id", "level", "position") if c in u.columns]
        ].reset_index(drop=True)
        rows = []
        for lab in proba.columns:
            d = meta.copy()
            d["frame"] = lab
            d["probability"] = proba[lab].to_numpy()
            d["predicted"] = (
                (pred.iloc[:, 0] == lab).astype(int) if self.multiclass_ else pred[lab]
            ).to_numpy()
            rows.append(d)
        return pd.concat(rows, ignore_index=True)

    def top_features(self, n: int = 15) -> pd.DataFrame:
        """Strongest positive features per frame: ``frame``, ``rank``, ``feature``, ``weight``
        (``word:...`` for words, ``dict:<scheme>:<frame>`` / ``dict:ind:<question>`` for
        dictionary features)."""
        names = np.array(self.feat_.names())
        rows = []
        if self.multiclass_:
            coefs = {str(c): self.model_.coef_[i] for i, c in enumerate(self.model_.classes_)}
            if self.model_.coef_.shape[0] == 1:  # binary multiclass
                coefs = {
                    str(self.model_.classes_[1]): self.model_.coef_[0],
                    str(self.model_.classes_[0]): -self.model_.coef_[0],
                }
        else:
            coefs = {lab: m.coef_[0] for lab, m in self.models_.items() if not isinstance(m, float)}
        for lab, w in coefs.items():
            for r, i in enumerate(np.argsort(-w)[:n]):
                rows.append((lab, r + 1, names[i], float(w[i])))
        return pd.DataFrame(rows, columns=["frame", "rank", "feature", "weight"])

    def save(self, path: str | os.PathLike | None = None) -> Path:
        """Pickle the fitted model (default ``MODELS_DIR/frame_classifier.pkl``)."""
        import pickle

        p = Path(path) if path else MODELS_DIR / "frame_classifier.pkl"
        p.parent.mkdir(parents=True, exist_ok=True)
        with open(p, "wb") as fh:
            pickle.dump(self, fh)
        return p

    @staticmethod
    def load(path: str | os.PathLike | None = None) -> FrameClassifier:
        """Load a model saved with :meth:`save` (only load files you trust: pickle)."""
        import pickle

        p = Path(path) if path else MODELS_DIR / "frame_classifier.pkl"
        if not p.is_file():
            raise FileNotFoundError(
                f"no saved frame classifier at {p}; train one with "
                f"`python -m helpers train frames FILE`"
            )
        with open(p, "rb") as fh:
            return pickle.load(fh)


# --------------------------------------------------------------------------------------------
# Scores and cross-validation
# --------------------------------------------------------------------------------------------


def _scores_multilabel(Y: np.ndarray, P: np.ndarray, labels: list[str]) -> dict:
    per = {}
    for j, lab in enumerate(labels):
        p, r, f, _ = precision_recall_fscore_support(
            Y[:, j], P[:, j], average="binary", zero_division=0
        )
        per[lab] = {
            "precision": round(float(p), 3),
            "recall": round(float(r), 3),
            "f1": round(float(f), 3),
            "support": int(Y[:, j].sum()),
        }
    return {
        "per_frame": per,
        "macro_f1": round(float(np.mean([v["f1"] for v in per.values()])), 3),
        "min_f1": round(float(min(v["f1"] for v in per.values())), 3),
    }


def _scores_multiclass(y, pred, labels) -> dict:
    from .agreement import classification_scores

    s = classification_scores(list(y), list(pred), labels=labels)
    per = {
        k: {kk: (round(vv, 3) if isinstance(vv, float) else vv) for kk, vv in v.items()}
        for k, v in s["per_class"].items()
    }
    return {
        "per_frame": per,
        "macro_f1": round(s["macro_f1"], 3),
        "accuracy": round(s["accuracy"], 3),
        "min_f1": round(float(min(v["f1"] for v in per.values())), 3),
    }


def _folds(data: Labelled, k: int, random_state: int):
    n = len(data.texts)
    if data.task == "multiclass":
        y = data.labels.iloc[:, 0].to_numpy()
        k = max(2, min(k, int(pd.Series(y).value_counts().min())))
        return list(
            StratifiedKFold(k, shuffle=True, random_state=random_state).split(np.zeros(n), y)
        )
    # stratify on the rarest positive label so every fold sees some of it
    Y = data.labels.to_numpy()
    rare = Y[:, Y.sum(0).argmin()]
    k = max(2, min(k, int(rare.sum()) if rare.sum() >= 2 else 2))
    return list(
        StratifiedKFold(k, shuffle=True, random_state=random_state).split(np.zeros(n), rare)
    )


def dictionary_predict(
    texts, labels: list[str], scheme: str, task: str, thresholds: dict[str, float] | None = None
) -> np.ndarray:
    """Dictionary-only predictions. Multi-label generic frames: a frame is present when its rate
    per 1,000 tokens reaches its threshold (default: at least one match). Multi-class (MFC codes):
    the category with the highest rate (merged to the label set; "15"/other when nothing matches).
    """
    lex = lexicon_features(texts, (scheme,), indicators=False)
    if task == "multilabel":
        out = np.zeros((len(lex), len(labels)), dtype=int)
        for j, lab in enumerate(labels):
            frame = GENERIC_CODES.get(lab, lab)
            col = f"{scheme}:{frame}"
            if col in lex:
                out[:, j] = (lex[col].to_numpy() >= (thresholds or {}).get(lab, 1e-9)).astype(int)
        return out
    from .framing import load_dictionary

    d = load_dictionary(scheme)
    label_set = set(labels)
    cols = [c for c in lex.columns if c.split(":", 1)[1] in d.categories]
    codes = []
    for c in cols:
        code = d.code(c.split(":", 1)[1])
        try:
            code = int(code)
            code = FRAC_MERGE.get(code, code) if str(code) not in label_set else code
        except (TypeError, ValueError):
            pass
        codes.append(str(code))
    vals = lex[cols].to_numpy()
    fallback = "15" if "15" in label_set else sorted(label_set)[0]
    pred = []
    for row in vals:
        if row.max() <= 0:
            pred.append(fallback)
            continue
        agg: dict[str, float] = {}
        for code, v in zip(codes, row, strict=True):
            agg[code] = agg.get(code, 0.0) + v
        best = max(agg, key=agg.get)
        pred.append(best if best in label_set else fallback)
    return np.array(pred)


def cross_validate_frames(
    data: Labelled,
    folds: int = 5,
    scheme: str | None = None,
    tune: bool = True,
    random_state: int = SEED,
    **clf_params,
) -> dict:
    """Cross-validated scores of :class:`FrameClassifier` and of the dictionary alone.

    Everything tuned (C, per-frame thresholds, dictionary thresholds) is chosen on the training
    folds only. Returns a JSON-ready dict: ``trained`` and ``dictionary_only`` (each
    ``per_frame`` precision/recall/F1/support, ``macro_f1``, ``min_f1``), ``indicators_only``
    for the generic layout, ``folds``, ``n``.
    """
    scheme = scheme or ("generic" if data.task == "multilabel" else "policy")
    texts = data.texts.tolist()
    labels = data.label_names
    splits = _folds(data, folds, random_state)
    if data.task == "multiclass":
        y = data.labels.iloc[:, 0].to_numpy()
        pred = np.empty(len(y), dtype=object)
        for tr, te in splits:
            clf = FrameClassifier(tune=tune, random_state=random_state, **clf_params)
            clf.fit([texts[i] for i in tr], pd.DataFrame({"label": y[tr]}))
            pred[te] = clf.predict([texts[i] for i in te])["label"].to_numpy()
        dict_pred = dictionary_predict(texts, labels, scheme, "multiclass")
        return {
            "n": len(y),
            "folds": len(splits),
            "trained": _scores_multiclass(y, pred, labels),
            "dictionary_only": _scores_multiclass(y, dict_pred, labels),
        }
    Y = data.labels.to_numpy()
    P = np.zeros_like(Y)
    D = np.zeros_like(Y)
    lex = lexicon_features(texts, (scheme,), indicators=False)
    for tr, te in splits:
        clf = FrameClassifier(tune=tune, random_state=random_state, **clf_params)
        clf.fit([texts[i] for i in tr], pd.DataFrame(Y[tr], columns=labels))
        P[te] = clf.predict([texts[i] for i in te]).to_numpy()
        # dictionary-only: per-frame rate threshold chosen on the training folds
        for j, lab in enumerate(labels):
            col = f"{scheme}:{GENERIC_CODES.get(lab, lab)}"
            if col not in lex:
                continue
            t, _ = _best_threshold(Y[tr, j], lex[col].to_numpy()[tr])
            D[te, j] = (lex[col].to_numpy()[te] >= t).astype(int)
    out = {
        "n": int(len(Y)),
        "folds": len(splits),
        "trained": _scores_multilabel(Y, P, labels),
        "dictionary_only": _scores_multilabel(Y, D, labels),
    }
    if data.layout == "generic_frames":
        from .framing import indicator_scores

        ind = indicator_scores(
            pd.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts})
        )
        wide = ind.pivot_table(index="doc_id", columns="frame", values="score", sort=False)
        wide = wide.reindex([str(i) for i in range(len(texts))])
        ind_pred = np.column_stack(
            [(wide[GENERIC_CODES[lab]].to_numpy() >= 0.5).astype(int) for lab in labels]
        )
        out["indicators_only"] = _scores_multilabel(Y, ind_pred, labels)
    return out


def score_on(
    train: Labelled,
    test: Labelled,
    scheme: str | None = None,
    tune: bool = True,
    random_state: int = SEED,
    **clf_params,
) -> dict:
    """Train on ``train`` and score on ``test`` (same label set). Same dict shape as
    :func:`cross_validate_frames` (without ``folds``)."""
    scheme = scheme or ("generic" if test.task == "multilabel" else "policy")
    if train.task != test.task:
        raise ValueError(
            f"--train file is {train.task} but FILE is {test.task}; use files with the same labels"
        )
    clf = FrameClassifier(tune=tune, random_state=random_state, **clf_params).fit(
        train.texts.tolist(), train.labels
    )
    texts = test.texts.tolist()
    labels = test.label_names
    if test.task == "multiclass":
        y = test.labels.iloc[:, 0].to_numpy()
        pred = clf.predict(texts)["label"].to_numpy()
        return {
            "n": len(y),
            "trained": _scores_multiclass(y, pred, labels),
            "dictionary_only": _scores_multiclass(
                y, dictionary_predict(texts, labels, scheme, "multiclass"), labels
            ),
        }
    missing = [lab for lab in labels if lab not in clf.labels_]
    if missing:
        raise ValueError(f"labels {missing} of FILE are not in the --train file ({clf.labels_})")
    Y = test.labels.to_numpy()
    P = clf.predict(texts)[labels].to_numpy()
    D = dictionary_predict(texts, labels, scheme, "multilabel")
    return {
        "n": int(len(Y)),
        "trained": _scores_multilabel(Y, P, labels),
        "dictionary_only": _scores_multilabel(Y, D, labels),
    }


REFERENCE_POINTS = {
    "generic_frames": {
        "source": "eval README: TF-IDF + logistic regression, 5-fold CV",
        "per_frame_f1": {"CO": 0.81, "RE": 0.61, "EC": 0.60, "HI": 0.11, "MO": 0.04},
        "macro_f1": 0.43,
    },
    "mfc_codes": {
        "source": "eval README: FrAC TF-IDF + logistic regression",
        "macro_f1": 0.44,
        "accuracy": 0.48,
    },
}


def _summarise_repeats(runs: list[dict], seeds: list[int]) -> dict:
    """Mean and standard deviation of macro-F1 and per-frame F1 over repeated CV runs."""
    out = {"seeds": seeds}
    for method in ("trained", "dictionary_only", "indicators_only"):
        if method not in runs[0]:
            continue
        macros = [r[method]["macro_f1"] for r in runs]
        frames = runs[0][method]["per_frame"]
        out[method] = {
            "macro_f1": [round(float(m), 3) for m in macros],
            "macro_f1_mean": round(float(np.mean(macros)), 3),
            "macro_f1_sd": round(float(np.std(macros, ddof=1)), 3) if len(macros) > 1 else 0.0,
            "per_frame_f1_mean": {
                f: round(float(np.mean([r[method]["per_frame"][f]["f1"] for r in runs])), 3)
                for f in frames
            },
        }
    return out


def validate_main(argv: list[str] | None = None) -> int:
    """``python -m helpers validate frames FILE [--scheme generic|policy] [--train FILE]``."""
    ap = argparse.ArgumentParser(
        prog="python -m helpers validate frames",
        description="Per-frame precision/recall/F1 of the frame classifier "
        "and of the dictionaries on a labelled file (JSON).",
    )
    ap.add_argument(
        "file", help="labelled file: TSV with text + CO EC HI MO RE, or CSV sentence,label"
    )
    ap.add_argument(
        "--scheme",
        choices=["generic", "policy", "territorial"],
        default=None,
        help="dictionary for the dictionary-only scores (default: by layout)",
    )
    ap.add_argument(
        "--train", default=None, help="train on this file and score FILE (else cross-validate FILE)"
    )
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument(
        "--quick",
        action="store_true",
        help="no inner tuning (threshold 0.5; C=0.1 multi-label, C=1 multi-class)",
    )
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument(
        "--repeats",
        type=int,
        default=1,
        help="repeat the cross-validation with this many fold seeds and report mean and spread",
    )
    args = ap.parse_args(argv)
    try:
        data = read_labelled(args.file)
        params = {}
        if args.quick:
            params = {"Cs": (1.0,) if data.task == "multiclass" else (0.1,)}
        if args.train:
            train = read_labelled(args.train)
            res = score_on(
                train, data, args.scheme, tune=not args.quick, random_state=args.seed, **params
            )
            res["train_file"], res["train_notes"] = args.train, train.notes
            res["protocol"] = "trained on --train, scored on FILE"
        else:
            res = cross_validate_frames(
                data, args.folds, args.scheme, tune=not args.quick, random_state=args.seed, **params
            )
            res["protocol"] = (
                f"{res['folds']}-fold cross-validation; C and per-frame thresholds chosen by "
                f"inner CV within each training fold"
                + (" (disabled: --quick)" if args.quick else "")
            )
            if args.repeats > 1:
                runs = [res] + [
                    cross_validate_frames(
                        data,
                        args.folds,
                        args.scheme,
                        tune=not args.quick,
                        random_state=args.seed + r,
                        **params,
                    )
                    for r in range(1, args.repeats)
                ]
                res["repeats"] = _summarise_repeats(
                    runs, [args.seed + r for r in range(args.repeats)]
                )
    except (FileNotFoundError, ValueError) as exc:
        print(json.dumps({"error": str(exc)}), file=sys.stderr)
        return 2
    res = {
        "file": args.file,
        "layout": data.layout,
        "task": data.task,
        "labels": data.label_names,
        "data_notes": data.notes,
        **res,
    }
    if data.layout in REFERENCE_POINTS:
        res["reference"] = REFERENCE_POINTS[data.layout]
    print(json.dumps(res, indent=2, default=str))
    return 0


def train_main(argv: list[str] | None = None) -> int:
    """``python -m helpers train frames FILE [--out PATH]``: fit on a labelled file and save
    the model (default ``MODELS_DIR/frame_classifier.pkl``); prints JSON with the path,
    labels, chosen C and thresholds."""
    ap = argparse.ArgumentParser(prog="python -m helpers train frames")
    ap.add_argument("file")
    ap.add_argument("--out", default=None)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    try:
        data = read_labelled(args.file)
        clf = FrameClassifier(tune=not args.quick).fit(data.texts.tolist(), data.labels)
    except (FileNotFoundError, ValueError) as exc:
        print(json.dumps({"error": str(exc)}), file=sys.stderr)
        return 2
    path = clf.save(args.out)
    print(
        json.dumps(
            {
                "model": str(path),
                "labels": clf.labels_,
                "C": clf.C_,
                "thresholds": clf.threshold_,
                "data_notes": data.notes,
            },
            indent=2,
            default=str,
        )
    )
    return 0


# --------------------------------------------------------------------------------------------
# Agreement between codings, and of the indicator rules with human answers
# --------------------------------------------------------------------------------------------


def coding_agreement(a: pd.DataFrame | pd.Series, b: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """Agreement between two codings of the same units (two coders, or a coder and a model).

    In: two tables with the same label columns (0/1 per frame, or one column of categories),
    rows aligned. Out, one row per label column: ``label``, ``n``, ``percent_agreement``,
    ``cohen_kappa``, ``krippendorff_alpha`` (nominal), via :mod:`helpers.agreement`.
    """
    from .agreement import cohen_kappa, krippendorff_alpha

    a = a.to_frame() if isinstance(a, pd.Series) else a
    b = b.to_frame() if isinstance(b, pd.Series) else b
    if len(a) != len(b):
        raise ValueError(
            f"the two codings have {len(a)} and {len(b)} rows; align them on the unit first"
        )
    rows = []
    for col in a.columns:
        if col not in b.columns:
            raise ValueError(
                f"label column {col!r} is missing from the second coding ({list(b.columns)})"
            )
        x, y = a[col], b[col]
        # 1 and 1.0 (or True) are the same code: compare numbers as numbers
        if pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y):
            x, y = x.astype(float), y.astype(float)
        x, y = x.to_numpy(), y.to_numpy()
        codes = {v: i for i, v in enumerate(sorted(set(map(str, x)) | set(map(str, y))))}
        data = np.array([[codes[str(v)] for v in x], [codes[str(v)] for v in y]], dtype=float)
        rows.append(
            (
                col,
                len(x),
                float(np.mean(x.astype(str) == y.astype(str))),
                cohen_kappa(list(x), list(y)),
                krippendorff_alpha(data, "nominal"),
            )
        )
    return pd.DataFrame(
        rows, columns=["label", "n", "percent_agreement", "cohen_kappa", "krippendorff_alpha"]
    )


def indicator_agreement(
    answers_json: str | os.PathLike, articles: str | os.PathLike
) -> pd.DataFrame:
    """How often the indicator rules agree with human answers (climate frames format).

    In: ``indicator_answers_dev.json`` (article ID -> {question: [majority answer, coder
    answers]}) and the articles TSV (``ID``, ``text``). Questions are matched by id (``co1``
    ...); the annotators' battery (Frermann et al. 2023) words some questions differently from
    Semetko & Valkenburg's, so a low agreement can mean a different question, not a bad rule.
    Only "yes"/"no" majority answers are used. Out, one row per shared question:
    ``question_id``, ``n``, ``human_yes``, ``rule_yes``, ``accuracy``, ``cohen_kappa``.
    """
    from .agreement import cohen_kappa
    from .framing import indicator_answers

    with open(answers_json, encoding="utf-8") as fh:
        human = json.load(fh)
    arts = pd.read_csv(articles, sep="\t", dtype={"ID": str})
    arts = arts[arts["ID"].isin(human)]
    rules = indicator_answers(pd.DataFrame({"doc_id": arts["ID"], "text": arts["text"]}))
    rows = []
    for qid, g in rules.groupby("question_id", sort=False):
        h = g["doc_id"].map(lambda i, q=qid: (human.get(i, {}).get(q) or [None])[0])
        keep = h.isin(["yes", "no"])
        if keep.sum() == 0:
            continue
        hy = (h[keep] == "yes").to_numpy()
        ry = g.loc[keep, "answer"].to_numpy()
        rows.append(
            (
                qid,
                int(keep.sum()),
                int(hy.sum()),
                int(ry.sum()),
                float(np.mean(hy == ry)),
                cohen_kappa(list(hy), list(ry)),
            )
        )
    return pd.DataFrame(
        rows, columns=["question_id", "n", "human_yes", "rule_yes", "accuracy", "cohen_kappa"]
    )
