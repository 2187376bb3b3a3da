"""Classifier features: dictionary rates, indicator answers, surface cues, sentence peaks, words.

:func:`lexicon_features` gives each text the frame rates of every scheme and the indicator
answers (cached per text, so cross-validation pays once), plus :func:`style_features` (money,
percentages, pronouns, ages, emotive words ...) and :func:`sentence_peak_features` (where a
frame concentrates). :class:`FeatureStack` stacks tf-idf words next to the scaled dictionary
features for :class:`helpers.framing.FrameClassifier`, fitted on training texts only.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from .. import artifacts
from ..text import sentence_spans
from .dictionaries import as_dictionary
from .indicators import indicator_answers
from .scores import document_peaks, scores_each
from .style import (  # noqa: F401  (the style cues live in .style; these names stay importable here)
    _CHAR_COUNTS,
    _DIGIT_RUNS,
    _PRONOUN_BEGINS,
    _PRONOUN_RE,
    _PRONOUN_SCAN,
    _PRONOUN_STARTS,
    _STYLE_COLUMNS,
    _STYLE_PATTERNS,
    _count_row,
    _counts,
    _emotive_kinds,
    _emotive_words,
    _vader_lexicon,
    style_features,
)

_LEX_CACHE: dict[tuple[str, str], np.ndarray] = {}
_LEX_NAMES: dict[str, list[str]] = {}


def lexicon_features(
    texts, schemes=("generic", "policy", "territorial"), indicators: bool = True,
    known: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Dictionary features for a list of texts: per-1,000-token rates of every frame of each
    scheme (``<scheme>:<frame>``); with ``indicators=True`` also the indicator answers
    (``ind:<question>``, 0/1), indicator frame scores (``indscore:<frame>``), surface cues
    (:func:`style_features`) and sentence peaks (:func:`sentence_peak_features`). Cached per
    text, so cross-validation pays once. ``known``: one row per text (same order) with the rate
    and indicator columns already computed (:func:`lexicon_columns`); only the rest is computed,
    and those rows are not cached.
    """
    texts = ["" if not isinstance(t, str) else t for t in texts]
    key = "|".join(schemes) + (":ind" if indicators else "")
    _names(key, schemes, indicators)
    hashes = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    todo = [i for i, h in enumerate(hashes) if (key, h) not in _LEX_CACHE]
    if todo:
        uniq = {hashes[i]: texts[i] for i in todo}
        given = None
        if known is not None:
            missing = [c for c in _LEX_NAMES[key] if c not in known.columns
                       and (c.split(":", 1)[0] in schemes or c.startswith(("ind:", "indscore:")))]
            if missing:
                raise ValueError(f"known features lack {len(missing)} column(s) the model needs, "
                                 f"e.g. {missing[:3]} (give lexicon_columns of every scheme: {list(schemes)})")
            wanted = set(_LEX_NAMES[key])  # the other columns given are dropped at the end anyway
            given = known[[c for c in known.columns if c in wanted]].iloc[todo].set_axis([hashes[i] for i in todo])
            given = given[~given.index.duplicated()]
        feats = _compute(uniq, schemes, indicators, given).reindex(columns=_LEX_NAMES[key], fill_value=0.0)
        if given is not None:
            # rows made from features given are not kept: the caller holds those features (a
            # notebook's documents pass once; at 100k documents the rows held ~0.45 GB)
            fresh = dict(zip(feats.index, feats.to_numpy(dtype=float), strict=True))
            rows = [fresh[h] if h in fresh else _LEX_CACHE[(key, h)] for h in hashes]
            return pd.DataFrame(np.vstack(rows), columns=_LEX_NAMES[key])
        _remember(key, feats)
        if len(schemes) > 1 or indicators:  # each scheme's rates alone are columns of these
            for s in schemes:
                _remember(s, feats.reindex(columns=_names(s, (s,), False), fill_value=0.0))
        if len(_LEX_CACHE) > 200_000:
            _LEX_CACHE.clear()
            return lexicon_features(texts, schemes, indicators, known)
    rows = [_LEX_CACHE[(key, h)] for h in hashes]
    # one 2-D array (the float rows stacked) instead of pandas reading a list of rows
    return pd.DataFrame(np.vstack(rows) if rows else rows, columns=_LEX_NAMES[key])


def _remember(key: str, feats: pd.DataFrame) -> None:
    """Keep each text's feature row (``feats`` is indexed by text hash) under ``key``."""
    for h, row in zip(feats.index, feats.to_numpy(dtype=float), strict=True):
        _LEX_CACHE[(key, h)] = row


def _names(key: str, schemes, indicators: bool) -> list[str]:
    """The columns :func:`lexicon_features` gives (cache ``key``). They come from a probe text,
    never from a batch: an empty text has no indicator answers and no sentences, but must get
    the same columns."""
    if key not in _LEX_NAMES:
        _LEX_NAMES[key] = list(_compute({"probe": "A probe sentence."}, schemes, indicators).columns)
    return _LEX_NAMES[key]


def lexicon_columns(scores: pd.DataFrame, answers: pd.DataFrame | None, schemes,
                    peaks: pd.DataFrame | None = None) -> pd.DataFrame:
    """The dictionary-rate and indicator columns of :func:`lexicon_features` from tables already
    computed: ``scores`` (:func:`frame_scores` at document level, a ``scheme`` column naming each
    of ``schemes``) and ``answers`` (:func:`indicator_answers`, or None). One row per
    ``doc_id``; pass them as ``known`` to :func:`lexicon_features` (the values are those it
    computes itself, by the same code) so the text is not scored again. ``peaks``: the
    ``peak:``/``dense:`` columns by ``doc_id`` (:func:`~helpers.framing.scores.split_peaks`), with
    the ``style:`` columns when :func:`~helpers.framing.scores.unpack_scores` put them beside."""
    # only the three columns read are selected per scheme (a row selection of the whole table
    # copied its evidence and the titles notebook 10 joins to it)
    read, scheme = scores[["doc_id", "frame", "per_1000"]], scores["scheme"]
    parts = _rate_parts([(s, read[(scheme == s).to_numpy()]) for s in schemes])
    if answers is not None:
        parts += _indicator_parts(answers)
    if peaks is not None and peaks.index.is_unique:  # repeated ids: the model computes its own
        parts.append(peaks)
    return pd.concat(parts, axis=1)


def lexicon_table(docs: pd.DataFrame, scores: pd.DataFrame, answers: pd.DataFrame | None, schemes,
                  peaks: pd.DataFrame | None = None) -> pd.DataFrame:
    """``docs`` (a ``doc_id`` column, e.g. with ``text``) with :func:`lexicon_columns` beside,
    row for row: the table ``docs.merge(lexicon_columns(...).reset_index(), on="doc_id",
    how="left")`` gives (index 0..n-1; NaN where a document has no features), the table
    :func:`~helpers.framing.evaluation.model_frames` and
    :func:`~helpers.framing.evaluation.dictionary_frames` take, without copying ``docs``'
    columns: the merge took every row of the text column (a copy of the corpus's text). At 100k
    articles (corpus-100k-distinct, 92k documents; /tmp/s20/f/funcs.py, one process) the step's
    transient peak went from +0.87 to +0.36 GB, 1.8 to 1.3 s CPU.
    """
    known = lexicon_columns(scores, answers, schemes, peaks).reset_index()
    if not known["doc_id"].is_unique or known.columns.drop("doc_id").isin(docs.columns).any():
        return docs.merge(known, on="doc_id", how="left")  # rows or columns the merge multiplies
    # the merge of the ids alone (the key's dtype and the features' as the merge makes them); a
    # left join on unique keys keeps the other columns of ``docs`` as they are
    ids = docs[["doc_id"]].merge(known, on="doc_id", how="left")
    rest = docs.drop(columns="doc_id").reset_index(drop=True)
    both = pd.concat([ids, rest], axis=1)
    return both[[*docs.columns, *ids.columns.drop("doc_id")]]


def _rate_parts(scored) -> list[pd.DataFrame]:
    """Per scheme, per-1,000-token rates by document (``<scheme>:<frame>`` columns)."""
    return [
        sc.pivot_table(index="doc_id", columns="frame", values="per_1000", aggfunc="sum", sort=False)
        .add_prefix(f"{s}:")
        for s, sc in scored
    ]


def _indicator_parts(a: pd.DataFrame) -> list[pd.DataFrame]:
    """Indicator answers (``ind:<question>``, 0/1) and frame scores (``indscore:<frame>``)."""
    w = a.pivot_table(index="doc_id", columns="question_id", values="answer", aggfunc="max", sort=False)
    fs = a.groupby(["doc_id", "frame"])["answer"].mean().unstack()
    return [w.astype(float).add_prefix("ind:"), fs.add_prefix("indscore:")]


def _compute(uniq: dict[str, str], schemes, indicators: bool, known: pd.DataFrame | None = None) -> pd.DataFrame:
    """The dictionary features of texts keyed by id (rows in the order given); ``known``: the
    rate (and, with ``indicators``, indicator) columns of these ids (:func:`lexicon_columns`)."""
    if known is not None:
        parts = [known]
    else:  # the table of texts only to score them (a text column of a chunk's documents)
        corpus = pd.DataFrame({"doc_id": list(uniq), "text": list(uniq.values())})
        parts = _rate_parts(zip(schemes, scores_each(corpus, list(schemes), "document"), strict=True))
        if indicators:
            parts += _indicator_parts(indicator_answers(corpus))
    if indicators:
        texts_u = list(uniq.values())
        if known is None or not any(c.startswith("style:") for c in known.columns):
            parts.append(style_features(texts_u).set_index(pd.Index(list(uniq), name="doc_id")))
        if known is None or not any(c.startswith("peak:") for c in known.columns):
            parts.append(sentence_peak_features(texts_u).set_index(pd.Index(list(uniq), name="doc_id")))
    return pd.concat(parts, axis=1).reindex(list(uniq)).fillna(0.0)


def sentence_peak_features(texts, scheme: str = "generic") -> pd.DataFrame:
    """Where in a text a frame concentrates: per frame, the most matches in one sentence
    (``peak:<frame>``) and the share of sentences with at least two matches (``dense:<frame>``);
    a personal vignette or a moral aside is local, so document rates dilute it.

    The counts are :func:`frame_scores`' ``n_matches`` at sentence level (negated matches left
    out), taken straight from the matcher: no score table per sentence and frame is built."""
    ids = [str(i) for i in range(len(texts))]
    texts = ["" if not isinstance(t, str) else t for t in texts]
    d = as_dictionary(scheme)
    frames = sorted(d.categories)  # the column order a groupby + unstack gives
    spans = [sentence_spans(t) for t in texts]  # the sentence units of each text
    if not any(spans):  # no sentence anywhere: every column, all zero (names never depend on the batch)
        cols = [f"peak:{f}" for f in d.categories] + [f"dense:{f}" for f in d.categories]
        return pd.DataFrame(0.0, index=range(len(texts)), columns=cols)
    has = [i for i, sp in enumerate(spans) if sp]  # texts without a sentence are filled with 0.0
    per = [document_peaks(texts[i], scheme, spans[i]) for i in has]
    docs = [ids[i] for i in has]
    agg = pd.concat(
        [pd.DataFrame([p for _, p, _ in per], index=docs, columns=[f"peak:{f}" for f in frames]),
         pd.DataFrame([x for _, _, x in per], index=docs, columns=[f"dense:{f}" for f in frames])], axis=1)
    return agg.reindex(ids).fillna(0.0).reset_index(drop=True)


class FeatureStack:
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

    def transform(self, texts, known: pd.DataFrame | None = None):
        """The stacked features of ``texts``; ``known``: see :func:`lexicon_features`."""
        mats = []
        if self.use_words:
            mats.append(self.vec.transform(texts))
        if self.use_lexicon:
            # by name, so a feature table computed in another order or batch lines up
            lex = lexicon_features(texts, self.schemes, known=known).reindex(
                columns=self.lex_names, fill_value=0.0
            )
            x = np.log1p(lex.to_numpy())
            mats.append(sparse.csr_matrix(self.lexicon_weight * (x - self.mu) / self.sd))
        return sparse.hstack(mats).tocsr()

    def to_arrays(self, prefix: str) -> tuple[dict[str, np.ndarray], dict]:
        """The fitted stack as arrays (tf-idf vocabulary and idf, dictionary-feature names, the
        scaler's means and spreads) and JSON-ready settings; :meth:`from_arrays` rebuilds it."""
        params = {
            "use_words": self.use_words,
            "use_lexicon": self.use_lexicon,
            "lexicon_weight": self.lexicon_weight,
            "schemes": list(self.schemes),
        }
        arrays: dict[str, np.ndarray] = {}
        if self.use_words:
            vec_arrays, params["tfidf"] = artifacts.tfidf_to_arrays(self.vec, f"{prefix}.tfidf")
            arrays |= vec_arrays
        if self.use_lexicon:
            arrays |= {
                f"{prefix}.lex.names": np.asarray(self.lex_names, dtype=str),
                f"{prefix}.lex.mean": self.mu,
                f"{prefix}.lex.sd": self.sd,
            }
        return arrays, params

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str, params: dict) -> FeatureStack:
        """Rebuild a stack saved with :meth:`to_arrays`; it transforms exactly as the saved one."""
        stack = cls(
            params["use_words"],
            params["use_lexicon"],
            params["lexicon_weight"],
            schemes=tuple(params["schemes"]),
        )
        if stack.use_words:
            stack.vec = artifacts.tfidf_from_arrays(arrays, f"{prefix}.tfidf", params["tfidf"])
        if stack.use_lexicon:
            stack.lex_names = arrays[f"{prefix}.lex.names"].tolist()
            stack.mu = np.asarray(arrays[f"{prefix}.lex.mean"], dtype=float)
            stack.sd = np.asarray(arrays[f"{prefix}.lex.sd"], dtype=float)
        return stack

    def missing_features(self) -> list[str]:
        """Dictionary features the model knows but today's dictionaries no longer produce (a
        category renamed or removed since training: such a feature is read as 0)."""
        if not self.use_lexicon:
            return []
        have = set(lexicon_features(["A test."], self.schemes).columns)
        return [n for n in self.lex_names if n not in have]

    def names(self) -> list[str]:
        out = []
        if self.use_words:
            out += [f"word:{w}" for w in self.vec.get_feature_names_out()]
        if self.use_lexicon:
            out += [f"dict:{n}" for n in self.lex_names]
        return out
