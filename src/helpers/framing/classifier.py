"""The supervised frame classifier: logistic regression over words and dictionary features.

:class:`FrameClassifier` fits one binary model per frame (multi-label, each with its own
decision threshold) or one multinomial model (multi-class); with ``tune=True`` the
regularisation ``C`` and the thresholds are chosen by inner cross-validation on the training
data (:func:`best_threshold`). It predicts on texts or on a corpus at any unit level, lists
its strongest features, and saves/loads itself as plain arrays + JSON (no pickle,
:mod:`helpers.artifacts`).
"""

from __future__ import annotations

import json
import os
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold, StratifiedKFold

from .. import artifacts
from ..config import SEED
from .features import FeatureStack
from .units import as_units


def best_threshold(y, p) -> tuple[float, float]:
    """The cut on scores ``p`` with the best F1 for 0/1 labels ``y`` (the lowest on ties): (cut, F1)."""
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
        return FeatureStack(
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
                    ((C, *best_threshold(y, oof[C][:, j])) for C in self.Cs), key=lambda r: r[2]
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

    def predict_proba(self, texts, known: pd.DataFrame | None = None) -> pd.DataFrame:
        """Probability per frame (multi-label) or per class (multi-class), one row per text.
        ``known``: dictionary features already computed for these texts (see
        :func:`helpers.framing.features.lexicon_features`)."""
        texts = list(texts)
        X = self.feat_.transform(texts, known=known)
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
        return self.decide(self.predict_proba(texts))

    def decide(self, proba: pd.DataFrame) -> pd.DataFrame:
        """:meth:`predict` from probabilities already computed (:meth:`predict_proba`)."""
        if self.multiclass_:
            return pd.DataFrame({self.label_column_: proba.columns[proba.to_numpy().argmax(1)]})
        return pd.DataFrame(
            {lab: (proba[lab] >= self.threshold_[lab]).astype(int) for lab in self.labels_}
        )

    def predict_units(self, data: pd.DataFrame, level: str = "document") -> pd.DataFrame:
        """Predict on a corpus or units table. Out, one row per unit x frame: ``unit_id``,
        ``doc_id``, ``level``, ``position``, ``frame``, ``probability``, ``predicted`` (0/1)."""
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

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict]:
        """The fitted classifier as arrays and JSON-ready settings (no pickle): the feature stack
        (:meth:`FeatureStack.to_arrays`), one logistic regression per frame (or the multinomial
        one), the thresholds, the labels. :meth:`from_arrays` rebuilds it exactly."""
        arrays, feat = self.feat_.to_arrays("feat")
        params = {
            "features": feat,
            "multiclass": bool(self.multiclass_),
            "labels": [str(x) for x in self.labels_],
            "label_column": str(self.label_column_),
            "C": self.C_,
            "thresholds": self.threshold_,
            "constant": {},
            "settings": {
                "Cs": list(self.Cs),
                "tune": self.tune,
                "inner_folds": self.inner_folds,
                "random_state": self.random_state,
            },
        }
        if self.multiclass_:
            arrays |= artifacts.logistic_to_arrays(self.model_, "lr")
            return arrays, params
        for j, lab in enumerate(self.labels_):
            m = self.models_[lab]
            if isinstance(m, float):  # a frame constant in the training data
                params["constant"][str(lab)] = m
            else:
                arrays |= artifacts.logistic_to_arrays(m, f"lr.{j}")
        return arrays, params

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], params: dict) -> FrameClassifier:
        """Rebuild a classifier saved with :meth:`to_arrays`; it predicts exactly as the saved one."""
        feat = params["features"]
        st = params.get("settings", {})
        clf = cls(
            Cs=st.get("Cs", (0.1,)),
            tune=st.get("tune", False),
            inner_folds=st.get("inner_folds", 4),
            use_words=feat["use_words"],
            use_lexicon=feat["use_lexicon"],
            lexicon_weight=feat["lexicon_weight"],
            schemes=feat["schemes"],
            random_state=st.get("random_state", SEED),
        )
        clf.feat_ = FeatureStack.from_arrays(arrays, "feat", feat)
        clf.multiclass_, clf.labels_ = bool(params["multiclass"]), list(params["labels"])
        clf.label_column_, clf.C_ = params["label_column"], dict(params["C"])
        clf.threshold_ = {k: float(v) for k, v in (params["thresholds"] or {}).items()}
        if clf.multiclass_:
            clf.model_ = artifacts.logistic_from_arrays(arrays, "lr")
            return clf
        clf.models_ = {
            lab: (
                float(params["constant"][lab])
                if lab in params["constant"]
                else artifacts.logistic_from_arrays(arrays, f"lr.{j}")
            )
            for j, lab in enumerate(clf.labels_)
        }
        return clf

    def save(
        self,
        folder: str | os.PathLike,
        kind: str = "frames-custom",
        meta: dict | None = None,
        card: str | None = None,
    ) -> Path:
        """Save the fitted model as a model folder (``arrays.npz`` + ``meta.json`` +
        ``MODEL_CARD.md``, :func:`helpers.artifacts.save_artifact`; no pickle). ``kind`` is
        ``"frames-generic"`` (CO EC HI MO RE), ``"frames-policy"`` (FrAC codes) or
        ``"frames-custom"``; ``meta`` adds training data, scores and the like."""
        arrays, params = self.to_arrays()
        # the dictionary features read the VADER lexicon (emotive words): its version matters too
        meta = {
            "model": params,
            "feature_versions": {"vaderSentiment": _version("vaderSentiment")},
            **(meta or {}),
        }
        card = card or (
            f"# Frame classifier ({kind})\n\nLabels: {', '.join(map(str, self.labels_))}. "
            "Trained by the user; not validated by the project."
        )
        return artifacts.save_artifact(folder, kind, arrays, meta, card)

    @classmethod
    def load(cls, folder: str | os.PathLike, kind: str | None = None) -> FrameClassifier:
        """Load a model folder written by :meth:`save` (any ``frames-*`` kind unless ``kind`` is
        given); :class:`helpers.artifacts.ArtifactError` for another kind or an older format."""
        folder = Path(folder)
        if kind is None:
            kind = _kind_in(folder)
        arrays, meta = artifacts.load_artifact(folder, kind)
        clf = cls.from_arrays(arrays, meta["model"])
        clf.meta_ = meta
        return clf


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _kind_in(folder: Path) -> str:
    meta_path = folder / "meta.json"
    if not meta_path.is_file():
        raise artifacts.ArtifactError(
            f"{folder} holds no frame model (no meta.json); train one with `python -m helpers train frames FILE`"
        )
    kind = str(json.loads(meta_path.read_text(encoding="utf-8")).get("kind", ""))
    if not kind.startswith("frames-"):
        raise artifacts.ArtifactError(f"{folder} holds a {kind!r} model, not a frame model")
    return kind
