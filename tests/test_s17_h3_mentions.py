"""Mention tone, sixth session: find_mentions searches only the texts an RE2 prescreen over the
Arrow strings finds an alias in, and mention_tone looks each mention's sentence compound up from
the units holding mentions. The same tables as the earlier code, kept here verbatim
(``_reference_*``): seed sentences recombined, odd aliases and texts (case folds, Unicode white
space, boundaries at new lines, apostrophes, hyphens, the unit separator, missing texts),
generated texts, object and Arrow string columns, tables without ``unit_id``."""

from __future__ import annotations

import random
import re
from itertools import repeat

import numpy as np
import pandas as pd
import pytest

from helpers import text
from helpers.sentiment import (
    SHIPPED_DIR,
    entity_sentiment,
    find_mentions,
    load_aliases,
    load_target_model,
    mentions,
)
from helpers.sentiment.mentions import (
    _BATCH_UNITS,
    _alias_key,
    _alias_regex,
    _candidate_regex,
    _matches,
    _prescreen,
    _prescreen_pattern,
)
from helpers.sentiment.target_models import mention_tone


def _reference_find_mentions(table, aliases=None):
    """find_mentions before the prescreen (verbatim but for the name)."""
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
    unit_ids = (
        table["unit_id"] if "unit_id" in table.columns else table["doc_id"].astype(str) + ":d"
    ).tolist()
    doc_ids = table["doc_id"].tolist() if "doc_id" in table.columns else unit_ids
    texts = table["text"].tolist()
    lookup = (exact, folded)
    # each distinct text is searched once (boilerplate and reposted sentences repeat)
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
    rows = []
    for row in np.flatnonzero(has[inv]).tolist():
        uid = unit_ids[row]
        for k, s, e, mention, target, kind, alias in found[int(inv[row])]:
            rows.append((f"{uid}:m{k}", uid, doc_ids[row], target, kind, alias, mention, s, e, texts[row]))
    return pd.DataFrame(
        rows,
        columns=["mention_id", "unit_id", "doc_id", "target", "kind", "alias", "mention", "from", "to",
                 "sentence"],
    )


def _reference_mention_tone(units, aliases=None, model=None, window=10, sentence_compound=None):
    """mention_tone before this session (verbatim but for the names)."""
    mentions_ = _reference_find_mentions(units, aliases)
    known = None
    if sentence_compound is not None and len(mentions_):
        by_text = dict(zip(units["text"].tolist(), units[sentence_compound].tolist(), strict=True))
        known = np.fromiter(map(by_text.get, mentions_["sentence"].tolist(), repeat(np.nan)), dtype=float,
                            count=len(mentions_))
    return entity_sentiment(mentions_, model=model, window=window, sentence_compound=known)


ODD_ALIASES = pd.DataFrame(
    [("NATO", "names", "the alliance"), ("NATO", "names", "Atlantic alliance"), ("US", "names", "U.S."),
     ("US", "names", "US"), ("US", "names", "U.S. military"), ("China", "bodies", "People's Liberation Army"),
     ("China", "names", "China"), ("X", "names", "kim jong-un"), ("X", "names", "a"), ("X", "names", "thé"),
     ("X", "names", "ſtar"), ("X", "names", "k"), ("X", "names", "Abe"), ("X", "names", "it’s"),
     ("X", "names", "İstanbul"), ("US", "exclude", "the alliance of"), ("US", "exclude", "Latin America")],
    columns=["target", "kind", "alias"],
)
ODD_TEXTS = [
    "The alliance met THE ALLIANCE and the\nalliance and tHe   Alliance; the allianced no.",
    "the alliance of states, Atlantic\u2028alliance, the-alliance, the\u00a0alliance, the\x1calliance.",
    "U.S. and US-led U.S. military in U.S.A; US’s People’s Liberation Army, People's Liberation Army.",
    "Kim Jong-un, KIM JONG-UN, kim jong-unx, a A a-b ba THÉ Thé thé the China Chinese Chinesey.",
    "ΤΗΕ alliance, ǅ, ﬀ, K\u212a \u212a, \u212a. STAR ſtar Star, Latin America the alliance",
    "x\nAbe", "Abe", "aAbe", "Abe\n", "_Abe", "Abe_", "-Abe", "Abe-", "é Abe é", "\nAbe\n", "ABE abe",
    "it's it’s IT’S İstanbul i̇stanbul ISTANBUL", "no alias here at all", "", " ",
    "Japan\n\x00\nChina and the alliance",  # holds the unit separator: searched alone
]


def _generated_texts(n, rng):
    words = ["Japan", "China", "the", "alliance", "The", "ALLIANCE", "U.S.", "US", "us", "Abe", "abe", "k", "K",
             "\u212a", "ſtar", "Kim", "jong-un", "a", "A", "thé", "THÉ", "it’s", "it's", "İstanbul", "x", "-",
             "'", "’", ".", "\n", "\u2028", "\u00a0", "\x1c", "é", "_", "Latin", "America", "of", "military",
             "People's", "Liberation", "Army", "Atlantic", "star"]
    seps = [" ", "", "-", "\n", "  ", "\u3000"]
    return [rng.choice(seps).join(rng.choices(words, k=rng.randint(0, 14))) for _ in range(n)]


@pytest.fixture(scope="module")
def table(seed_corpus) -> pd.DataFrame:
    rng = random.Random(17)
    sents = text.units(seed_corpus, "sentence")["text"].tolist()
    texts = [*sents, *ODD_TEXTS, *_generated_texts(600, rng)]
    texts += rng.sample(texts, 200)  # repeats
    rng.shuffle(texts)
    return pd.DataFrame({"unit_id": [f"d{i // 7}:s{i % 7}" for i in range(len(texts))],
                         "doc_id": [f"d{i // 7}" for i in range(len(texts))], "text": texts,
                         "compound": [round(rng.uniform(-1, 1), 4) for _ in texts]})


@pytest.mark.parametrize("aliases_kind", ["shipped", "odd"])
@pytest.mark.parametrize("storage", ["arrow", "object", "missing", "no_unit_id"])
def test_find_mentions_equals_reference(table, aliases_kind, storage):
    aliases = load_aliases() if aliases_kind == "shipped" else ODD_ALIASES
    t = table
    if storage == "object":
        t = t.astype({"text": object, "unit_id": object, "doc_id": object})
    elif storage == "missing":  # missing texts: object column with None and NaN
        t = t.astype({"text": object})
        t.loc[t.index[::50], "text"] = None
        t.loc[t.index[3::50], "text"] = np.nan
    elif storage == "no_unit_id":
        t = t.drop(columns="unit_id")
    got = find_mentions(t, aliases)
    want = _reference_find_mentions(t, aliases)
    assert len(want) > 100
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_prescreen_finds_every_text_with_a_match(table):
    """A necessary condition: every text in which the alias regex matches is kept (and most
    texts without a match are not)."""
    rng = random.Random(3)
    pool = [*ODD_ALIASES["alias"], *load_aliases()["alias"], "'em", "K", "Ｋorea", "s’s", "X Y"]
    texts = table["text"].tolist() + _generated_texts(2000, rng)
    for k in range(8):
        aliases = tuple(sorted(set(rng.sample(pool, rng.randint(1, 12)) if k else pool)))
        rx = _alias_regex(list(aliases))
        kept = _prescreen(pd.Series(texts, dtype="str"), aliases)
        assert kept is not None
        has = np.array([rx.search(t) is not None for t in texts])
        assert not (has & ~kept).any(), [t for t, h, p in zip(texts, has, kept, strict=True) if h and not p][:5]
        assert kept.sum() < 2 * has.sum() + 50


def test_prescreen_falls_back_to_every_text():
    assert _prescreen(pd.Series(["Japan", 3], dtype=object), ("Japan",)) is None  # not all strings
    assert _prescreen(pd.Series([1, 2]), ("Japan",)) is None
    assert _prescreen_pattern(()) is None
    assert re.search(r"\\x\{2028\}", _prescreen_pattern(("the alliance",)))  # re's \s, not RE2's


@pytest.mark.parametrize("use_model", [True, False])
def test_mention_tone_equals_reference(table, use_model):
    model = load_target_model(SHIPPED_DIR) if use_model else None
    # the same text with another compound (earlier and later): the last unit's is looked up, as before
    at = int(np.flatnonzero(table["text"] == ODD_TEXTS[2])[0])
    twin = table.iloc[[at]].assign(compound=0.5)
    t = pd.concat([twin.assign(unit_id="a:s0", doc_id="a"), table, twin.assign(unit_id="z:s0", doc_id="z")],
                  ignore_index=True)
    for aliases in (load_aliases(), ODD_ALIASES):
        got = mention_tone(t, aliases=aliases, model=model, window=10, sentence_compound="compound")
        want = _reference_mention_tone(t, aliases=aliases, model=model, window=10, sentence_compound="compound")
        assert len(want) > 100
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        got = mention_tone(t, aliases=aliases, model=model, window=6)
        want = _reference_mention_tone(t, aliases=aliases, model=model, window=6)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    empty = t.iloc[:0]
    pd.testing.assert_frame_equal(mention_tone(empty, model=model, sentence_compound="compound"),
                                  _reference_mention_tone(empty, model=model, sentence_compound="compound"))


def test_mentions_module_keeps_its_public_names():
    assert mentions.find_mentions is find_mentions
