"""Model folders as arrays + JSON: exact round trips, refusal of older formats, loading order."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from helpers import artifacts
from helpers.artifacts import (
    FORMAT_VERSION,
    ArtifactError,
    load_artifact,
    logistic_from_arrays,
    logistic_to_arrays,
    resolve_model,
    save_artifact,
    scaler_from_arrays,
    scaler_to_arrays,
    tfidf_from_arrays,
    tfidf_to_arrays,
)

DOCS = ["Japan seeks NATO support against China", "China protests the purchase of the islands",
        "NATO and Japan sign a pact", "Beijing says Tokyo provokes", "Talks on the East China Sea stall",
        "Abe writes to NATO's chief"]
LABELS = [1, 0, 1, 0, 0, 1]


def _fit():
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    x = vec.fit_transform(DOCS).toarray()
    scaler = StandardScaler().fit(x)
    lr = LogisticRegression(C=3.0).fit(scaler.transform(x), LABELS)
    return vec, scaler, lr


def test_round_trip_predicts_identically(tmp_path):
    vec, scaler, lr = _fit()
    arrays, params = tfidf_to_arrays(vec, "vec")
    arrays |= scaler_to_arrays(scaler, "scaler") | logistic_to_arrays(lr, "lr")
    save_artifact(tmp_path / "m", "demo", arrays, {"params": {"vec": params}}, "# card")
    back, meta = load_artifact(tmp_path / "m", "demo")
    vec2 = tfidf_from_arrays(back, "vec", meta["params"]["vec"])
    scaler2, lr2 = scaler_from_arrays(back, "scaler"), logistic_from_arrays(back, "lr")
    new = DOCS + ["an unseen sentence about NATO and the islands"]
    p1 = lr.predict_proba(scaler.transform(vec.transform(new).toarray()))
    p2 = lr2.predict_proba(scaler2.transform(vec2.transform(new).toarray()))
    assert np.array_equal(p1, p2)
    assert (tmp_path / "m" / "MODEL_CARD.md").read_text().startswith("# card")
    assert meta["format_version"] == FORMAT_VERSION and meta["versions"]["scikit-learn"]


def test_no_pickle_inside(tmp_path):
    with pytest.raises(ArtifactError, match="dtype object"):
        save_artifact(tmp_path / "m", "demo", {"x": np.array([{"a": 1}], dtype=object)}, {}, "card")
    _, scaler, lr = _fit()
    save_artifact(tmp_path / "ok", "demo", logistic_to_arrays(lr, "lr"), {}, "card")
    with np.load(tmp_path / "ok" / "arrays.npz", allow_pickle=False) as npz:  # loads without pickle
        assert set(npz.files) == {"lr.coef", "lr.intercept", "lr.classes"}


def test_older_format_and_other_kind_are_refused(tmp_path):
    _, _, lr = _fit()
    save_artifact(tmp_path / "m", "demo", logistic_to_arrays(lr, "lr"), {}, "card")
    with pytest.raises(ArtifactError, match="not 'other'"):
        load_artifact(tmp_path / "m", "other")
    meta = json.loads((tmp_path / "m" / "meta.json").read_text())
    meta["format_version"] = FORMAT_VERSION - 1
    (tmp_path / "m" / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ArtifactError, match="retrain"):
        load_artifact(tmp_path / "m", "demo")
    with pytest.raises(ArtifactError, match="no model"):
        load_artifact(tmp_path / "missing", "demo")


def test_callables_outside_helpers_are_neither_stored_nor_imported():
    vec = TfidfVectorizer(tokenizer=str.split, token_pattern=None).fit(DOCS)
    with pytest.raises(ArtifactError, match="not a module-level function of helpers"):
        tfidf_to_arrays(vec, "v")
    with pytest.raises(ArtifactError, match="refusing to import"):
        tfidf_from_arrays({"v.terms": np.array(["a"]), "v.idf": np.array([1.0])}, "v",
                          {"tokenizer": {"callable": "os:system"}})


def test_loading_order_user_then_shipped_then_none(tmp_path, monkeypatch):
    shipped, user = tmp_path / "shipped", tmp_path / "user"
    monkeypatch.setattr(artifacts, "SHIPPED_MODELS", shipped)
    _, _, lr = _fit()
    assert resolve_model("targets", user) == (None, "none")
    save_artifact(shipped / "targets", "demo", logistic_to_arrays(lr, "lr"), {}, "card")
    assert resolve_model("targets", user) == (shipped / "targets", "shipped")
    save_artifact(user / "targets", "demo", logistic_to_arrays(lr, "lr"), {}, "card")
    assert resolve_model("targets", user) == (user / "targets", "user")


def test_saving_the_same_model_twice_gives_the_same_bytes(tmp_path):
    _, _, lr = _fit()
    for name in ("a", "b"):
        save_artifact(tmp_path / name, "demo", logistic_to_arrays(lr, "lr"), {}, "card")
    assert (tmp_path / "a" / "arrays.npz").read_bytes() == (tmp_path / "b" / "arrays.npz").read_bytes()
