"""Syndication and provenance: near-duplicate clusters (MinHash/LSH checked against the exact
method), the detector on labelled pairs, and republication chains from explicit signals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from dedup_pairs import (
    COPY_KINDS,
    NON_COPY_KINDS,
    eval_pairs,
    own_pairs,
    precision_recall,
    score_pairs,
)

from helpers import corpus as corpus_mod
from helpers.corpus import NEAR_DUPLICATE_JACCARD, flag_duplicates, load_corpus, normalise_for_hash
from helpers.corpus.duplicates import near_duplicate_groups
from helpers.corpus.minhash import (
    band_layout,
    candidate_probability,
    exact_jaccard,
    shingle_sets,
    signatures,
)

# --- the detector against the exact all-pairs method --------------------------------------------


def _exact_groups(texts: list[str], threshold: float) -> list[frozenset[int]]:
    """Connected components of all pairs with exact Jaccard >= threshold (quadratic; small inputs)."""
    sh = shingle_sets([normalise_for_hash(t) for t in texts])
    n = len(texts)
    i, j = np.triu_indices(n, 1)
    jac = exact_jaccard(sh, i, j)
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in zip(i[jac >= threshold], j[jac >= threshold], strict=True):
        parent[find(int(a))] = find(int(b))
    groups: dict[int, set[int]] = {}
    for x in range(n):
        groups.setdefault(find(x), set()).add(x)
    return sorted((frozenset(g) for g in groups.values()), key=min)


def _groups(labels: np.ndarray) -> list[frozenset[int]]:
    out: dict[int, set[int]] = {}
    for i, g in enumerate(labels.tolist()):
        out.setdefault(g, set()).add(i)
    return sorted((frozenset(g) for g in out.values()), key=min)


def _variants(seed: int = 7) -> list[str]:
    """Sixty texts: twelve stories, each with copies edited by 0-20 % of words, plus shared boilerplate."""
    rng = np.random.default_rng(seed)
    vocab = [f"w{i}" for i in range(3000)]
    footer = " ".join(f"footer{i}" for i in range(40))
    texts = []
    for _ in range(12):
        base = list(rng.choice(vocab, size=int(rng.integers(40, 300))))
        for rate in (0.0, 0.01, 0.03, 0.08, 0.2):
            words = list(base)
            for p in rng.choice(len(words), size=int(len(words) * rate), replace=False):
                words[int(p)] = str(rng.choice(vocab))
            texts.append(" ".join(words) + " " + footer)
    return texts


@pytest.mark.parametrize("threshold", [0.5, NEAR_DUPLICATE_JACCARD, 0.9])
def test_lsh_groups_equal_exact_all_pairs_groups(threshold):
    texts = _variants()
    assert _groups(near_duplicate_groups([normalise_for_hash(t) for t in texts], threshold)) == \
        _exact_groups(texts, threshold)


def test_groups_do_not_depend_on_corpus_order():
    texts = _variants(11)
    order = np.random.default_rng(3).permutation(len(texts))
    a = _groups(near_duplicate_groups([normalise_for_hash(t) for t in texts]))
    b = _groups(near_duplicate_groups([normalise_for_hash(texts[i]) for i in order]))
    assert a == sorted((frozenset(int(order[i]) for i in g) for g in b), key=min)


def test_signatures_are_deterministic_and_estimate_jaccard():
    texts = [normalise_for_hash(t) for t in _variants(5)]
    sh = shingle_sets(texts)
    s1, s2 = signatures(sh), signatures(shingle_sets(texts))
    assert np.array_equal(s1, s2)
    i, j = np.triu_indices(len(texts), 1)
    est = (s1[i] == s1[j]).mean(axis=1)
    exact = exact_jaccard(sh, i, j)
    assert np.abs(est - exact).mean() < 0.03  # 256 values: standard error about 0.03 at worst


def test_band_layout_reaches_its_recall_target():
    for t in (0.5, 0.7, 0.8, 0.9):
        bands, rows = band_layout(t)
        assert bands * rows <= 256 and candidate_probability(t, bands, rows) >= 0.9999


def test_flags_keep_the_contract(tmp_path):
    """Earliest copy by date (unknown dates last), then source path; copies grouped transitively."""
    base = " ".join(f"word{i}" for i in range(200))
    c = pd.DataFrame({"doc_id": list("abcde"), "source_path": ["e.txt", "d.txt", "c.txt", "b.txt", "a.txt"],
                      "date": pd.to_datetime(["2013-01-03", None, "2013-01-01", None, "2013-01-02"]),
                      "text": [base, base + " extra", base.replace("word5 ", "x "), base, "unrelated " * 30]})
    assert flag_duplicates(c).tolist() == ["c", "c", "", "c", ""]
    same = pd.DataFrame({"doc_id": ["x", "y"], "source_path": ["b", "a"], "date": pd.to_datetime([None, None]),
                         "text": [base, base]})
    assert flag_duplicates(same).tolist() == ["y", ""]  # no dates: the first source path ("a") wins
    assert flag_duplicates(c.assign(text=["", "", "", "", ""])).tolist() == [""] * 5  # no words, no copies


def test_duplicate_clusters_on_a_loaded_folder(tmp_path):
    story = " ".join(f"word{i}" for i in range(120))
    pd.DataFrame({"text": [story, story + " agencies", "other " * 50, story],
                  "source": ["Wire A", "Paper B", "Paper C", "Paper D"],
                  "date": ["2013-01-01", "2013-01-02", "2013-01-02", "2013-01-05"]}).to_csv(tmp_path / "c.csv",
                                                                                            index=False)
    corpus = load_corpus(tmp_path).corpus
    clusters = corpus_mod.duplicate_clusters(corpus)
    assert len(clusters) == 1
    row = clusters.iloc[0]
    assert row["size"] == 3 and row["canonical_outlet"] == "Wire A" and row["outlets"] == "Wire A; Paper B; Paper D"
    assert row["days_spread"] == 4
    assert len(corpus_mod.one_per_story(corpus)) == 2
    assert corpus_mod.duplicate_clusters(corpus.iloc[:0]).empty


# --- the threshold on labelled pairs ------------------------------------------------------------


def test_labelled_pairs_cover_every_kind():
    pairs = own_pairs()
    assert set(pairs["kind"]) == set(COPY_KINDS) | set(NON_COPY_KINDS)
    assert (pairs.loc[pairs["kind"].isin(COPY_KINDS), "label"] == 1).all()


def test_detector_on_own_labelled_pairs():
    scored = score_pairs(own_pairs())
    pr = precision_recall(scored, NEAR_DUPLICATE_JACCARD)
    assert pr["precision"] == 1.0 and pr["recall"] >= 0.8, pr
    above = scored[scored["jaccard"] >= NEAR_DUPLICATE_JACCARD]
    assert above["candidate"].all()  # LSH proposes every pair the exact method would link
    assert (scored["detected"] == (scored["jaccard"] >= NEAR_DUPLICATE_JACCARD)).all()


@pytest.mark.eval
def test_detector_on_pairs_built_from_eval_articles(eval_dir):
    pairs = eval_pairs(limit=60)
    assert pairs is not None
    scored = score_pairs(pairs)
    pr = precision_recall(scored, NEAR_DUPLICATE_JACCARD)
    assert pr["precision"] >= 0.99 and pr["recall"] >= 0.97, pr
    assert scored.loc[scored["jaccard"] >= NEAR_DUPLICATE_JACCARD, "candidate"].all()


# --- republication chains -----------------------------------------------------------------------


def test_seed_chain_golden(seed_corpus):
    chains = corpus_mod.republication_chain(seed_corpus)
    row = chains.iloc[0]
    assert row["chain"] == "Global Times -> Stop NATO -> Global Research" and row["n_steps"] == 3
    assert (row["outlet"], row["reposted_by"], row["original_outlet"], row["original_author"]) == (
        "Global Research", "Stop NATO", "Global Times", "Liu Sha")
    assert row["wire_source"] == "" and row["wire_contributors"] == "agencies"
    assert "Copyright © Stop NATO, Global Times, 2013" in row["evidence"]
    assert "Agencies contributed to this story" in row["evidence"]
    counts = corpus_mod.wire_credit_counts(chains)
    assert counts.to_dict("records") == [{"agency": "agencies", "as_source": 0, "as_contributor": 1, "documents": 1}]
    # "..., Reuters reported." in the seed's body is a citation, not a credit
    assert "Reuters" not in row["wire_source"] + row["wire_contributors"]


WIRE_CASES = [
    ("BEIJING, Jan. 14 (Xinhua) -- China said on Monday it would not accept the move.\n\nMore text.",
     "Daily Paper", "Xinhua", "", "Xinhua -> Daily Paper"),
    ("TOKYO (Reuters) - Japan's prime minister will write to NATO.\n\nMore.\n\n(Reporting by A; Editing by B)",
     "Portal", "Reuters", "", "Reuters -> Portal"),
    ("By Mari Yamaguchi, Associated Press\nTOKYO — The letter will be delivered next week.\n\nMore.",
     "Local News", "AP", "", "AP -> Local News"),
    ("The minister spoke on Friday.\n\nLater the ministry clarified.\n\nAFP and Kyodo News contributed to this report.",
     "Herald", "", "AFP, Kyodo", "Herald"),
    ("The minister spoke.\n\nMore text.\n\n— With agencies", "Times", "", "agencies", "Times"),
    ("Body text.\n\nThis article was originally published on The Conversation.", "Aggregator", "", "",
     "The Conversation -> Aggregator"),
    ("Officials said the talks failed, Reuters reported, and AFP said more was expected.\n\nMore.", "Paper", "", "",
     "Paper"),
]


@pytest.mark.parametrize("text,outlet,source,contributors,chain", WIRE_CASES)
def test_wire_credits_and_chains_on_synthetic_texts(text, outlet, source, contributors, chain):
    doc = pd.DataFrame([{"doc_id": "d", "outlet": outlet, "author": "", "original_outlet": "",
                         "original_author": "", "text": text, "duplicate_of": ""}])
    row = corpus_mod.republication_chain(doc).iloc[0]
    assert (row["wire_source"], row["wire_contributors"], row["chain"]) == (source, contributors, chain)


def test_chain_with_two_bylines_outside_the_aggregator_format():
    doc = pd.DataFrame([{"doc_id": "d", "outlet": "Portal", "author": "Jane Roe", "original_outlet": "Kyodo News",
                         "original_author": "Taro Sato", "text": "KYOTO (Kyodo) -- Text.", "format": "html"}])
    row = corpus_mod.republication_chain(doc).iloc[0]
    assert row["chain"] == "Kyodo -> Jane Roe -> Portal"  # "Kyodo News" is the agency credited already
    assert row["story"] == "d"


def test_chain_table_on_an_empty_corpus():
    assert list(corpus_mod.republication_chain(pd.DataFrame()).columns) == corpus_mod.provenance.CHAIN_COLUMNS


def test_contributed_precheck_changes_no_credit(monkeypatch, seed_corpus):
    """Skipping the full "contributed to this" search in sentences without that phrase finds the
    same credits as searching every closing sentence (the reference: a pre-check that passes all)."""
    import re

    texts = [t for t, *_ in WIRE_CASES] + list(seed_corpus["text"]) + [
        "Text.\n\nReporting by Jane Roe; Reuters and AFP also contributed to this story.",
        "Text.\n\nAP Contributed  To\tThis ARTICLE.", "Text.\n\nNobody contributed to this.", ""]
    fast = [corpus_mod.provenance.wire_credits(t) for t in texts]
    monkeypatch.setattr(corpus_mod.provenance, "_CONTRIBUTED_TAIL", re.compile(""))
    assert fast == [corpus_mod.provenance.wire_credits(t) for t in texts]
    assert fast[-3]["wire_contributors"] == ["AP"]
