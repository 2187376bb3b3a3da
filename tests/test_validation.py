"""The validation protocol: one split, intervals over the sampled unit, one results file."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd

from helpers import config
from helpers.cli import validate_all
from helpers.validation import (
    RESULTS_FILE,
    ValidationRecord,
    always_yes,
    cluster_bootstrap,
    load_results,
    majority_class,
    markdown_table,
    split_parts,
    stale_resources,
    text_key,
    validation_table,
    write_results,
)
from helpers.validation.records import verdict


def _groups(n=200):
    return [f"g{i // 2}" for i in range(n)], [("a", "b", "c")[i % 3] for i in range(n)]


def test_split_is_deterministic_and_independent_of_row_order():
    groups, strata = _groups()
    first = split_parts(groups, strata)
    assert first.tolist() == split_parts(groups, strata).tolist()
    order = np.random.default_rng(0).permutation(len(groups))
    shuffled = split_parts([groups[i] for i in order], [strata[i] for i in order])
    assert dict(zip([groups[i] for i in order], shuffled, strict=True)) == dict(zip(groups, first, strict=True))


def test_split_keeps_groups_together_and_is_stratified():
    groups, strata = _groups()
    parts = split_parts(groups, strata, locked_fraction=0.4)
    frame = pd.DataFrame({"g": groups, "s": strata, "part": parts})
    assert (frame.groupby("g")["part"].nunique() == 1).all()
    share = frame.drop_duplicates("g").groupby("s")["part"].apply(lambda p: (p == "locked").mean())
    assert share.between(0.3, 0.5).all(), share
    # a different seed gives a different split: the seed is used
    assert split_parts(groups, strata, seed=1).tolist() != parts.tolist()


def test_split_treats_copies_of_one_text_as_one_group():
    texts = ["Japan seeks NATO support.", "JAPAN seeks NATO support", "Something else entirely."] * 5
    parts = split_parts([text_key(t) for t in texts])
    by_key = pd.Series(parts.values).groupby([text_key(t) for t in texts]).nunique()
    assert (by_key == 1).all()


def test_cluster_bootstrap_resamples_clusters_not_rows():
    # Two clusters of 50 rows each: one all correct, one all wrong. Resampling clusters can only
    # give accuracy 0, 0.5 or 1; resampling rows would give values near 0.5 only.
    correct = np.array([1.0] * 50 + [0.0] * 50)
    lo, hi = cluster_bootstrap(lambda i: float(correct[i].mean()), ["a"] * 50 + ["b"] * 50, n_boot=400)
    assert (lo, hi) == (0.0, 1.0)
    rows_lo, rows_hi = cluster_bootstrap(lambda i: float(correct[i].mean()), list(range(100)), n_boot=400)
    assert 0.35 < rows_lo < 0.5 < rows_hi < 0.65


def test_baselines():
    assert majority_class([0, 0, 1, -1], 3) == [0, 0, 0]
    assert majority_class(["b", "a"], 1) == ["a"]  # ties: the smallest label, deterministic
    assert always_yes(3, ["CO", "EC"]).sum() == 6


def _record(score=0.7, base=0.5, resources=("frames_generic.yml",)):
    return ValidationRecord(measure="demo", method="m", dataset="d", part="locked", unit="article", n_units=10,
                            metric="macro-F1", score=score, ci=(score - 0.05, score + 0.05),
                            baselines=[{"name": "always-yes", "score": base, "ci": [base - 0.1, base + 0.1]}],
                            protocol="p", command="c", resources=list(resources))


def test_verdict_says_when_a_method_does_not_beat_its_baseline():
    assert verdict(_record(0.7, 0.5).to_dict()) == "beats every baseline"
    assert verdict(_record(0.7, 0.68).to_dict()).startswith("above always-yes, intervals overlap")
    assert verdict(_record(0.4, 0.45).to_dict()) == "does NOT beat always-yes"


def test_changed_resources_hide_the_numbers(tmp_path):
    resources = tmp_path / "resources"
    shutil.copytree(config.RESOURCES, resources)
    out = tmp_path / "validation.json"
    write_results([_record()], tmp_path, path=out, resources_dir=resources)
    table = validation_table("demo", path=out, resources_dir=resources)
    assert table["status"].tolist() == ["validated"] and table["score"].iloc[0].startswith("0.700")
    with open(resources / "frames_generic.yml", "a", encoding="utf-8") as fh:
        fh.write("\n# an edited dictionary\n")
    assert stale_resources(load_results(out)[0], resources) == ["frames_generic.yml"]
    table = validation_table("demo", path=out, resources_dir=resources)
    assert table["status"].iloc[0].startswith("not validated for these resources: frames_generic.yml")
    assert table["score"].iloc[0] == "—" and table["baselines"].iloc[0] == "—"


def test_results_file_records_hashes_of_code_resources_and_data(tmp_path):
    data = tmp_path / "eval"
    data.mkdir()
    (data / "x.csv").write_text("a,b\n1,2\n")
    rec = _record()
    rec.data_files, rec.code = ["x.csv"], ["validation"]
    doc = write_results([rec], data, path=tmp_path / "v.json")
    hashes = doc["records"][0]["hashes"]
    assert set(hashes) == {"code", "resources", "data"} and len(hashes["code"]) == 64
    assert list(hashes["data"]) == ["x.csv"] and list(hashes["resources"]) == ["frames_generic.yml"]
    assert json.loads((tmp_path / "v.json").read_text())["records"][0]["score"] == 0.7


# --- the committed results file and the pages generated from it ---------------------------

def test_the_results_file_is_shipped():
    """Users have no ../shared/eval: the numbers every page shows come with the package."""
    assert RESULTS_FILE.is_file(), "run `python -m helpers validate all` and commit resources/validation.json"


def test_committed_results_are_current_for_the_shipped_resources():
    """Fails when a dictionary, lexicon or stop list changed without `validate all` being rerun."""
    stale = {r["measure"] + "/" + r["method"]: stale_resources(r) for r in load_results()}
    assert not {k: v for k, v in stale.items() if v}, f"rerun `python -m helpers validate all`: {stale}"


def test_readme_and_validation_doc_are_generated_from_the_results_file():
    readme, doc = validate_all.render_docs(load_results())
    assert validate_all.START in readme, "README needs the generated validation-table markers"
    assert (config.PROJECT_ROOT / "README.md").read_text(encoding="utf-8") == readme, \
        "README's validation table differs from the results file: rerun `python -m helpers validate all`"
    assert (config.PROJECT_ROOT / "docs" / "VALIDATION.md").read_text(encoding="utf-8") == doc
    assert markdown_table() in readme


def test_every_measure_shows_baselines_and_an_interval():
    records = load_results()
    assert {r["measure"] for r in records} >= {"target_sentiment", "generic_frames", "policy_frames", "topics",
                                                "quote_attribution"}
    for r in records:
        assert r["baselines"], f"{r['measure']}/{r['method']} has no baseline"
        assert r["ci"] and r["ci"][0] <= r["score"] <= r["ci"][1], f"{r['measure']}/{r['method']} interval"
        assert r["part"].startswith("locked"), r["part"]
