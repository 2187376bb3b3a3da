"""Target models in use: train, save, load, choose one, and apply it to mentions.

:func:`train_target_model` fits the light, embedding or fine-tuned model on labelled rows
(saving and loading are in :mod:`.model_files`: arrays + JSON, no pickle);
:func:`resolve_method` picks a scorer (the user's model, the shipped model, or the VADER window
baseline); :func:`predict_polarity` and :func:`entity_sentiment` give the polarity toward each
mention, :func:`mention_tone` finds and scores the mentions of some documents in one step.
"""

from __future__ import annotations

import gc
import weakref
from itertools import repeat
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import MODELS_DIR, SEED
from .embeddings import EmbeddingTargetClassifier, FineTunedTargetClassifier, embeddings_available
from .light_model import TargetSentimentClassifier, _Prepared
from .mentions import _find_mentions
from .model_files import MODEL_NAME, load_target_model, model_fingerprint
from .newsmtsc import read_newsmtsc
from .scores import _scorer, vader_target_scores

#: Label of each polarity in ``entity_sentiment`` output.
POLARITY_NAMES = {-1: "negative", 0: "neutral", 1: "positive"}
#: Where trained target models are saved and looked for (git-ignored).
DEFAULT_MODEL_DIR = MODELS_DIR / MODEL_NAME


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


def resolve_method(
    method: str = "auto", model_dir: str | Path | None = None, train_path: str | Path | None = None
):
    """Pick a scorer: returns ``(method_name, model_or_None)``.

    ``vader-window`` / ``vader-sentence``: the lexicon baselines. Otherwise: the light model
    fitted now on ``train_path`` if given; else the model in ``model_dir`` if given (an error if
    it holds none); else the loading order of :func:`.model_files.load_target_model` — the
    user's model in ``MODELS_DIR/targets``, then the model shipped in the package — and, for
    ``auto`` only, the VADER window baseline when neither exists. The model's ``origin_`` says
    which one was used (:func:`.model_files.scorer_note` turns it into a sentence)."""
    if method in ("vader-window", "vader-sentence"):
        return method, None
    if train_path is not None:
        kind = "light" if method in ("auto",) else method
        model = train_target_model(read_newsmtsc(train_path), kind=kind)
        return kind, model
    model = load_target_model(model_dir)
    if model is None and model_dir is not None:
        raise FileNotFoundError(f"{Path(model_dir).name}/ holds no target model (no meta.json); train one with "
                                "python -m helpers train targets --train FILE --out DIR")
    if model is not None:
        kind = model.describe()["kind"]
        if method not in ("auto", kind):
            raise ValueError(f"--method {method} asked for, but the model found is a {kind} model "
                             f"({model.origin_['folder']})")
        return kind, model
    if method == "auto":
        return "vader-window", None
    raise FileNotFoundError(
        f"no {method} model in {DEFAULT_MODEL_DIR.name}/ nor shipped; train one with "
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


def entity_sentiment(mentions: pd.DataFrame, model=None, window: int = 10,
                     sentence_compound=None) -> pd.DataFrame:
    """Polarity toward each mention (``find_mentions`` output), each score in its own column.

    With a trained ``model`` (see :func:`load_target_model`) its prediction gives ``polarity``,
    else the VADER window baseline does. Out: the mentions plus ``polarity`` (-1/0/1),
    ``label`` (negative/neutral/positive), ``method``, ``drivers`` (window words that drove the
    lexicon score), ``compound_window`` (VADER compound of the ±``window`` words: always
    computed, the lexicon baseline) and ``p_pos_minus_p_neg`` (the model's P(positive) −
    P(negative); empty without a model). The two scores have different scales and are never
    merged into one column. ``sentence_compound``: the VADER compound of each mention's
    sentence, aligned with ``mentions`` (NaN where unknown), when already known; the light
    model's sentence feature then takes it instead of scoring the sentence again.

    >>> from helpers.sentiment import find_mentions
    >>> m = find_mentions(pd.DataFrame({"unit_id": ["d:s0"], "doc_id": ["d"],
    ...                                 "text": ["Tokyo praised the deal."]}))
    >>> entity_sentiment(m)[["target", "label", "p_pos_minus_p_neg"]].values.tolist()
    [['Japan', 'positive', nan]]
    """
    cols = [*mentions.columns, *_SCORE_COLUMNS]
    if mentions.empty:
        return pd.DataFrame(columns=cols)
    # every score depends on (sentence, from, to) alone: each distinct mention is scored once
    where: dict = {}
    keys = list(zip(mentions["sentence"].tolist(), mentions["from"].tolist(), mentions["to"].tolist(), strict=True))
    firsts = np.fromiter(map(where.setdefault, keys, range(len(keys))), dtype=np.int64, count=len(keys))
    memo = _memo(model, window)
    if memo is not None:
        return _remembered(mentions, keys, firsts, memo, model, window, cols, sentence_compound)
    if len(where) < len(keys):
        first, inv = np.unique(firsts, return_inverse=True)
        known = None if sentence_compound is None else np.asarray(sentence_compound, dtype=float)[first]
        scored = _scored_mentions(mentions.iloc[first], model, window, cols, known)
        out = mentions.copy()
        for c in cols[len(mentions.columns):]:
            out[c] = scored[c].to_numpy()[inv.reshape(-1)]
        return out[cols]
    return _scored_mentions(mentions, model, window, cols, sentence_compound)


#: The columns :func:`entity_sentiment` adds, and the dtype of each as it forms them.
_SCORE_COLUMNS = ["polarity", "label", "method", "drivers", "compound_window", "p_pos_minus_p_neg"]
_SCORE_DTYPES = [np.int64, object, object, object, np.float64, np.float64]
#: Mentions scored by :func:`entity_sentiment`, kept across calls for the scorer they were scored
#: with (its file fingerprint and window; at most :data:`_MEMO_ROWS`): the chunks of a corpus
#: repeat sentences (reposts, boilerplate, wire copy), and each is then scored once per corpus
#: instead of once per chunk. Weakly keyed: the rows go with the model (or VADER scorer) object.
_MEMO: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_MEMO_ROWS = 100_000


def _memo(model, window) -> dict | None:
    """The kept scores of ``model`` (``None``: the VADER window baseline) at ``window``, or
    ``None`` when its scores are not kept: a model without a file fingerprint (fitted in this
    session, so its predictions are not known to be those of fixed files)."""
    stamp = model_fingerprint(model)
    if stamp is None:
        return None
    owner = _scorer() if model is None else model
    try:
        kept = _MEMO.get(owner)
        if kept is None or kept[0] != stamp:
            kept = _MEMO[owner] = (stamp, {})
    except TypeError:  # an object that cannot be weakly referenced
        return None
    return kept[1].setdefault(window, {})


def _remembered(mentions: pd.DataFrame, keys: list, firsts: np.ndarray, memo: dict, model, window,
                cols: list[str], sentence_compound) -> pd.DataFrame:
    """:func:`entity_sentiment` of ``mentions`` whose distinct mentions (``keys``, the first
    of each at ``firsts``) are looked up in ``memo`` (with the sentence compound they were
    scored with) and only the others scored, then kept there."""
    first, inv = np.unique(firsts, return_inverse=True)
    known = None if sentence_compound is None else np.asarray(sentence_compound, dtype=float)[first]
    tags = repeat(None) if known is None else [None if k != k else k for k in known.tolist()]
    mkeys = [(*keys[i], k) for i, k in zip(first.tolist(), tags, strict=False)]
    got = list(map(memo.get, mkeys))
    miss = [i for i, v in enumerate(got) if v is None]
    if miss:
        at = np.asarray(miss, dtype=np.int64)
        scored = _scored_mentions(mentions.iloc[first[at]], model, window, cols,
                                  None if known is None else known[at])
        fresh = list(zip(*(scored[c].to_numpy().tolist() for c in _SCORE_COLUMNS), strict=True))
        for i, v in zip(miss, fresh, strict=True):
            got[i] = v
        room = _MEMO_ROWS - len(memo)
        if room > 0:
            memo.update(zip(map(mkeys.__getitem__, miss[:room]), fresh[:room], strict=True))
    out = mentions.copy()
    inv = inv.reshape(-1)
    for c, values, dtype in zip(_SCORE_COLUMNS, zip(*got, strict=True), _SCORE_DTYPES, strict=True):
        out[c] = np.asarray(values, dtype=dtype)[inv]
    return out[cols]


def _scored_mentions(mentions: pd.DataFrame, model, window, cols: list[str], sentence_compound=None
                     ) -> pd.DataFrame:
    """:func:`entity_sentiment` of mentions (``cols``: its output columns; ``sentence_compound``
    as there)."""
    out = mentions.copy()
    shared = type(model) is TargetSentimentClassifier and "lexicon" in model.features and window is not None
    if shared:
        # the model's lexicon features and the window baseline share one pass over the mentions
        prepared = _Prepared(mentions, _scorer(), base_window=window, sentence_compound=sentence_compound)
        proba = model.predict_proba(mentions, prepared=prepared)
        classes = list(model.classes_)
        out["polarity"] = np.asarray(model.classes_)[np.argmax(proba, axis=1)].astype(int)
        out["method"] = model.describe()["kind"]
        out["p_pos_minus_p_neg"] = proba[:, classes.index(1)] - proba[:, classes.index(-1)]
        compound, drivers = prepared.base
        base = pd.DataFrame({"score": compound, "drivers": drivers})
    else:
        base = vader_target_scores(mentions, window=window)
    if model is None:
        out["polarity"] = base["polarity"].astype(int).to_numpy()
        out["method"] = "vader-window"
        out["p_pos_minus_p_neg"] = np.nan
    elif not shared:
        pred = predict_polarity(mentions, method=model.describe()["kind"], model=model)
        out["polarity"] = pred["polarity"].astype(int).to_numpy()
        out["method"] = pred["method"].to_numpy()
        out["p_pos_minus_p_neg"] = pred["score"].to_numpy()
    out["label"] = out["polarity"].map(POLARITY_NAMES)
    out["drivers"] = base["drivers"].to_numpy()
    out["compound_window"] = base["score"].to_numpy()
    return out[cols]


def mention_tone(
    units: pd.DataFrame, aliases: pd.DataFrame | None = None, model=None, window: int = 10,
    sentence_compound: str | None = None,
) -> pd.DataFrame:
    """The mentions of ``units`` (:func:`.mentions.find_mentions`) with their polarity
    (:func:`entity_sentiment`), in one document-separable step for
    ``helpers.compute.map_documents`` (every mention is scored from its own sentence).
    ``sentence_compound``: the column of ``units`` holding each unit's VADER compound (the
    sentence level of :func:`.scores.level_scores`), so the model does not score the sentences
    again; the same result.

    >>> u = pd.DataFrame({"unit_id": ["d:s0"], "doc_id": ["d"], "text": ["Tokyo praised the deal."]})
    >>> mention_tone(u)[["target", "label"]].values.tolist()
    [['Japan', 'positive']]
    """
    gc_was_enabled = gc.isenabled()
    gc.disable()  # as score_texts: a chunk forms many small objects (any cyclic garbage waits for the end)
    try:
        return _mention_tone(units, aliases, model, window, sentence_compound)
    finally:
        if gc_was_enabled:
            gc.enable()


def _mention_tone(units: pd.DataFrame, aliases, model, window, sentence_compound) -> pd.DataFrame:
    """:func:`mention_tone` (with the cyclic garbage collector paused)."""
    mentions, at = _find_mentions(units, aliases)
    known = None
    if sentence_compound is not None and len(mentions):
        # a unit's compound depends on its text alone: look it up by the mention's sentence (the
        # last unit of that text; every unit of a mention's text holds mentions, so is in ``at``)
        sentences = mentions["sentence"].tolist()
        by_text = dict(zip(sentences, units[sentence_compound].take(at).tolist(), strict=True))
        known = np.fromiter(map(by_text.get, sentences, repeat(np.nan)), dtype=float, count=len(mentions))
    return entity_sentiment(mentions, model=model, window=window, sentence_compound=known)
