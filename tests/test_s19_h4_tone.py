"""Mention tone, s19 (H4): entity_sentiment keeps the rows it scored for a model with a file
fingerprint (or the VADER window baseline) across calls, so the chunks of one corpus score a
repeated sentence's mentions once. The same tables as the code before, kept here verbatim
(``_reference_*``): seed sentences, lexicon-heavy and repeated sentences, known and unknown
sentence compounds (including made-up ones: a remembered row must not answer for another
compound), other windows, a model fitted now (not remembered), chunked through map_documents
in any order, and a VADER scorer replaced."""

from __future__ import annotations

import random
from functools import partial

import numpy as np
import pandas as pd
import pytest

from helpers import text
from helpers.compute import map_documents
from helpers.sentiment import (
    SHIPPED_DIR,
    find_mentions,
    load_aliases,
    load_target_model,
    scores,
    target_models,
    train_target_model,
)
from helpers.sentiment import mentions as mentions_mod
from helpers.sentiment.mentions import (
    _BATCH_UNITS,
    _SEP,
    MENTION_COLUMNS,
    _alias_key,
    _alias_regex,
    _candidate_regex,
    _matches,
    _prescreen,
)
from helpers.sentiment.scores import _scorer
from helpers.sentiment.target_models import _scored_mentions, entity_sentiment, mention_tone


def _reference_entity_sentiment(mentions: pd.DataFrame, model=None, window: int = 10,
                                sentence_compound=None) -> pd.DataFrame:
    """target_models.entity_sentiment before s19 (verbatim but for the name and docstring)."""
    cols = [*mentions.columns, "polarity", "label", "method", "drivers", "compound_window", "p_pos_minus_p_neg"]
    if mentions.empty:
        return pd.DataFrame(columns=cols)
    # every score depends on (sentence, from, to) alone: each distinct mention is scored once
    where: dict = {}
    keys = list(zip(mentions["sentence"].tolist(), mentions["from"].tolist(), mentions["to"].tolist(), strict=True))
    firsts = np.fromiter(map(where.setdefault, keys, range(len(keys))), dtype=np.int64, count=len(keys))
    if len(where) < len(keys):
        first, inv = np.unique(firsts, return_inverse=True)
        known = None if sentence_compound is None else np.asarray(sentence_compound, dtype=float)[first]
        scored = _scored_mentions(mentions.iloc[first], model, window, cols, known)
        out = mentions.copy()
        for c in cols[len(mentions.columns):]:
            out[c] = scored[c].to_numpy()[inv.reshape(-1)]
        return out[cols]
    return _scored_mentions(mentions, model, window, cols, sentence_compound)


def _reference_find_mentions(table: pd.DataFrame, aliases) -> tuple[pd.DataFrame, np.ndarray]:
    """mentions._find_mentions before s19 (verbatim but for the names)."""
    if not isinstance(aliases, pd.DataFrame):
        aliases = load_aliases(aliases)
    for col in ("text",):
        if col not in table.columns:
            raise ValueError(f"find_mentions needs a '{col}' column (got {list(table.columns)})")
    keep = aliases[aliases["kind"] != "exclude"]
    excl = aliases[aliases["kind"] == "exclude"]["alias"].tolist()
    rx = _alias_regex(keep["alias"].tolist())
    rx_excl = _alias_regex(excl) if excl else None
    screens = (_candidate_regex(tuple(sorted(set(keep["alias"])))),
               _candidate_regex(tuple(sorted(set(excl)))) if excl else None)
    exact = {a: (t, k, a) for t, k, a in keep[["target", "kind", "alias"]].itertuples(index=False)}
    folded = {_alias_key(a).lower(): v for a, v in exact.items() if a == a.lower()}
    exact = {_alias_key(a): v for a, v in exact.items()}
    rows, positions = _reference_mention_rows(table, keep, rx, rx_excl, screens, (exact, folded))
    return pd.DataFrame(rows, columns=MENTION_COLUMNS), positions


def _reference_mention_rows(table: pd.DataFrame, keep: pd.DataFrame, rx, rx_excl, screens, lookup
                            ) -> tuple[list[tuple], np.ndarray]:
    """mentions._mention_rows before s19 (verbatim but for the name)."""
    screened = _prescreen(table["text"], tuple(sorted(set(keep["alias"]))))
    cand = np.arange(len(table)) if screened is None else np.flatnonzero(screened)
    texts = table["text"].tolist() if screened is None else table["text"].take(cand).tolist()
    where: dict = {}
    keys = [t if isinstance(t, str) else None for t in texts]
    firsts = np.fromiter(map(where.setdefault, keys, range(len(keys))), dtype=np.int64, count=len(keys))
    first, inv = np.unique(firsts, return_inverse=True)  # distinct texts in order of appearance
    distinct = [texts[i] for i in first.tolist()]
    found: dict[int, list] = {}  # distinct index -> its (k, start, end, mention, target, kind, alias)
    for lo in range(0, len(distinct), _BATCH_UNITS):
        for i, k, s, e, mention, hit in _matches(distinct[lo : lo + _BATCH_UNITS], rx, rx_excl,
                                                lookup, screens):
            found.setdefault(lo + i, []).append((k, s, e, mention, *hit))
    has = np.zeros(len(distinct), dtype=bool)
    has[list(found)] = True
    inv = inv.reshape(-1)
    local = np.flatnonzero(has[inv])
    at = cand[local]  # the units holding a mention, by position in ``table``
    if "unit_id" in table.columns:
        unit_ids = table["unit_id"].take(at).tolist()
    else:
        unit_ids = (table["doc_id"].take(at).astype(str) + ":d").tolist()
    doc_ids = table["doc_id"].take(at).tolist() if "doc_id" in table.columns else unit_ids
    rows, positions = [], []
    for j, row in enumerate(local.tolist()):
        uid, doc, sentence = unit_ids[j], doc_ids[j], texts[row]
        for k, s, e, mention, target, kind, alias in found[int(inv[row])]:
            rows.append((f"{uid}:m{k}", uid, doc, target, kind, alias, mention, s, e, sentence))
            positions.append(at[j])
    return rows, np.asarray(positions, dtype=np.int64)


EXTRA = [
    "Japan is great 😀 but China is awful 😡!!",
    "Tokyo praised the deal, but Beijing WARNED it was a terrible, terrible mistake.",
    "Not good at all: Japan was never so bad, kind of sad, without doubt the worst.",
    "Japan",
    "China :) China :( China",
    "The U.S. and Japan and China and NATO and Russia, but not the U.S. Is it?",
    "China's  leaders   don't like Japan's; Russia isn't happy, nor is the EU.",
]


@pytest.fixture(scope="module")
def units(seed_corpus) -> pd.DataFrame:
    rng = random.Random(19)
    lex = sorted(_scorer().lexicon)
    sents = [*text.units(seed_corpus, "sentence")["text"].tolist(), *EXTRA]
    heavy = [" ".join([*rng.choices(lex, k=rng.randint(0, 30)), rng.choice(["China", "Japan", "Tokyo"]),
                       *rng.choices(lex + ["not", "never", "isn't"], k=rng.randint(0, 30))]) for _ in range(200)]
    # repeats across documents (reposts): what the remembered rows are for
    texts = sents + heavy + rng.choices(sents + heavy, k=400)
    n = len(texts)
    compound = _scorer().score_texts(texts)["compound"].to_numpy()
    return pd.DataFrame({"unit_id": [f"d{i // 7}:s{i}" for i in range(n)], "doc_id": [f"d{i // 7}" for i in range(n)],
                         "text": texts, "compound": compound})


@pytest.fixture()
def model():
    return load_target_model(SHIPPED_DIR)  # a fresh object: nothing remembered yet


def _reference_mention_tone(units, aliases, model, window, sentence_compound=None):
    """mention_tone with the reference entity_sentiment (its other steps unchanged)."""
    mentions, at = _reference_find_mentions(units, aliases)
    known = None
    if sentence_compound is not None and len(mentions):
        sentences = mentions["sentence"].tolist()
        by_text = dict(zip(sentences, units[sentence_compound].take(at).tolist(), strict=True))
        known = np.array([by_text.get(s, np.nan) for s in sentences], dtype=float)
    return _reference_entity_sentiment(mentions, model=model, window=window, sentence_compound=known)


@pytest.mark.parametrize("use_model", [True, False])
@pytest.mark.parametrize("window", [10, 6])
def test_mention_tone_equals_reference_chunked_and_repeated(units, model, use_model, window):
    m = model if use_model else None
    aliases = load_aliases()
    for compound in ("compound", None):
        want = _reference_mention_tone(units, aliases, m, window, compound)
        assert len(want) > 500 and want["p_pos_minus_p_neg"].notna().all() == use_model
        for _ in range(2):  # the second time every row is remembered
            got = mention_tone(units, aliases=aliases, model=m, window=window, sentence_compound=compound)
            pd.testing.assert_frame_equal(got, want, check_exact=True)
        for chunk_docs in (3, 50):
            mapped = map_documents(partial(mention_tone, aliases=aliases, model=m, window=window,
                                           sentence_compound=compound),
                                   units, name="t.s19.h4", cache=False, workers=1, chunk_docs=chunk_docs,
                                   progress=False)
            pd.testing.assert_frame_equal(mapped, want, check_exact=True)


def test_entity_sentiment_equals_reference(units, model):
    """Repeats out of order, a non-range index, no repeats at all, made-up compounds that differ
    between two calls on the same mentions (a remembered row answers only for its compound)."""
    found = find_mentions(units, load_aliases())
    rng = np.random.default_rng(3)
    shuffled = found.iloc[rng.permutation(len(found))].set_index(pd.Index(rng.permutation(len(found)) * 3))
    distinct = found.drop_duplicates(["sentence", "from", "to"])
    for frame in (found, shuffled, distinct, distinct.head(1), found.iloc[:0]):
        for compound in (None, np.where(np.arange(len(frame)) % 3 == 0, np.nan, 0.25),
                         np.where(np.arange(len(frame)) % 2 == 0, -0.5, np.nan), np.full(len(frame), np.nan)):
            for m in (model, None):
                want = _reference_entity_sentiment(frame, model=m, sentence_compound=compound)
                got = entity_sentiment(frame, model=m, sentence_compound=compound)
                pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert len(target_models._memo(model, 10)) > 100


def test_model_fitted_now_is_not_remembered(units):
    rows = find_mentions(units, load_aliases()).drop_duplicates(["sentence", "from", "to"]).head(60)
    train = rows.assign(polarity=[-1, 0, 1] * 20)
    fitted = train_target_model(train, kind="light")
    assert target_models._memo(fitted, 10) is None
    found = find_mentions(units, load_aliases())
    pd.testing.assert_frame_equal(entity_sentiment(found, model=fitted),
                                  _reference_entity_sentiment(found, model=fitted), check_exact=True)


def test_remembered_rows_follow_the_scorer(units, model, monkeypatch):
    """A new VADER scorer (the baseline's owner) or another window starts afresh; a model whose
    fingerprint changed does not answer from its old rows; the memory is bounded."""
    found = find_mentions(units, load_aliases())
    entity_sentiment(found, model=None, window=10)
    old = target_models._memo(None, 10)
    assert len(old) > 100
    monkeypatch.setattr(scores, "_DEFAULT_SCORER", None)
    assert target_models._memo(None, 10) == {} and target_models._memo(None, 10) is not old
    entity_sentiment(found, model=model, window=10)
    assert len(target_models._memo(model, 10)) > 100 and target_models._memo(model, 6) == {}
    monkeypatch.setitem(model.origin_, "sha256", "changed")
    assert target_models._memo(model, 10) == {}
    monkeypatch.setattr(target_models, "_MEMO_ROWS", 50)
    pd.testing.assert_frame_equal(entity_sentiment(found, model=model), _reference_entity_sentiment(found, model=model),
                                  check_exact=True)
    assert len(target_models._memo(model, 10)) == 50
    pd.testing.assert_frame_equal(entity_sentiment(found, model=model), _reference_entity_sentiment(found, model=model),
                                  check_exact=True)


def _other_aliases() -> pd.DataFrame:
    """An alias table finding other mentions in the same texts (other targets, an exclude)."""
    return pd.DataFrame([("Japan", "names", "Japan"), ("Japan", "capitals", "tokyo"), ("Asia", "names", "China"),
                         ("Asia", "exclude", "China Daily"), ("Words", "names", "deal"), ("Words", "names", "the U.S.")],
                        columns=["target", "kind", "alias"])


def test_find_mentions_equals_reference_across_calls_and_tables(units, monkeypatch):
    """Repeated calls, chunks, alternating alias tables (a kept text answers only for its table),
    odd texts (missing, empty, not strings, holding the unit separator), object and Arrow
    strings, no unit_id, a small bound on the kept texts."""
    odd = pd.DataFrame({"unit_id": ["x:s0", "x:s1", "x:s2", "x:s3", "x:s4", "x:s5"], "doc_id": ["x"] * 6,
                        "text": [None, "", f"Japan{_SEP}China", "China Daily says Japan", "Tokyo", "tokyo deal"]})
    table = pd.concat([units[["unit_id", "doc_id", "text"]], odd], ignore_index=True)
    tables = [table, table.astype({"text": object}), table.drop(columns="unit_id"), table.iloc[::-1]]
    for bound in (100_000, 40):
        monkeypatch.setattr(mentions_mod, "_MEMO_TEXTS", bound)
        for aliases in (load_aliases(), _other_aliases(), load_aliases(), _other_aliases()):
            for t in tables:
                for part in (t, t.iloc[: len(t) // 3], t.iloc[len(t) // 3 :]):
                    got, got_at = mentions_mod._find_mentions(part, aliases)
                    want, want_at = _reference_find_mentions(part, aliases)
                    pd.testing.assert_frame_equal(got, want, check_exact=True)
                    np.testing.assert_array_equal(got_at, want_at)
                    assert got_at.dtype == want_at.dtype
            assert 0 < len(mentions_mod._MEMO["texts"]) <= bound
    assert len(want) > 100
