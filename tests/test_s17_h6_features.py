"""The generic model's features, faster (sixth session, H6): the same counts, rows and probabilities.

``helpers.framing.features`` now (1) finds the pronouns in one scan that opens with a plain class
(a look-behind over the letter gives the ``\\b``) instead of listing possible starts and matching
at each in Python; (2) scans for money, percentages and ages only where the lower-cased text can
hold one (a currency sign or word, a '%' or 'per cent', 'aged'/'-year-old'; a number is a possible
start only when a currency word or '-year-old' occurs); (3) counts the emotive words from one
map of the tokens to their sets' bits and builds the table from one array; (4) does not keep the
rows made from features given (``known``: a notebook's documents pass once; at 100k documents
those rows held ~0.45 GB). The earlier code is kept below verbatim but for the ``_reference_``
names (and ``features.`` before the helpers it shares) and run beside the new on the seed,
random strings, every odd character in each place that decides a start or a hint, and the
shipped generic model (probabilities and decisions, dictionary rule). Needs no benchmark corpus
and no evaluation data.
"""

from __future__ import annotations

import hashlib
import random
import re
from functools import lru_cache

import numpy as np
import pandas as pd
import pytest

from helpers import framing
from helpers.framing import evaluation, features
from helpers.text import _plain_tokens

# ---- old helpers/framing/features.py (HEAD 20a3aa9; verbatim but for the names) ----

_reference_LEX_CACHE: dict = {}

_reference_STYLE_PATTERNS = {
    # money amounts and percentages: economic consequences are told in numbers
    "money": re.compile(r"[$£€¥]\s?\d|\b\d[\d,.]*\s?(?:dollars|euros|pounds|yuan|yen)\b", re.I),
    "percent": re.compile(r"\d\s?%|\bper ?cent\b", re.I),
    "quote_marks": re.compile(r"[\"“”]"),
    # first/second person: personal voices and prescriptions ("we must", "you should")
    "first_singular": re.compile(r"\b(?:I|me|my|mine|I'm|I’m|I've|I’ve)\b"),
    "first_plural": re.compile(r"\b(?:we|our|us|ours)\b", re.I),
    "second_person": re.compile(r"\b(?:you|your|yours)\b", re.I),
    # a human face: "a 52-year-old farmer", "aged 7"
    "ages": re.compile(r"\b\d{1,3}-year-old|\baged? \d{1,3}\b", re.I),
    "question_marks": re.compile(r"\?"),
    "exclamations": re.compile(r"!"),
    "digits": re.compile(r"\d+"),
}


# cues that are single characters: str.count gives exactly the regex's number of matches, faster
_reference_CHAR_COUNTS = {"quote_marks": ('"', "“", "”"), "question_marks": ("?",), "exclamations": ("!",)}


# The pronoun cues in one pass: their words are whole words (\b on both sides), no two of them
# start with the same letter in either case, so matches of different cues never start at the same
# place or overlap, and one scan finds exactly the matches of each pattern alone (tested).
_reference_PRONOUNS = ("first_singular", "first_plural", "second_person")
_reference_PRONOUN_RE = re.compile(
    r"\b(?:(?P<first_singular>I|me|my|mine|I'm|I’m|I've|I’ve)"
    r"|(?i:(?P<first_plural>we|our|us|ours)|(?P<second_person>you|your|yours)))\b"
)

# Where the other cues can start. Their patterns open with \b or a class under re.I, which gives re
# no first-character scan: findall tries a match at every character (~40 ns each). These scans
# start with a literal or a plain class, which re skips to, and find a superset of the places a
# match can start; matching there only, left to right from the end of the last match, finds
# findall's matches exactly (none is empty). Under re.I the letters below match only their two
# ASCII cases, 's' also U+017F (tests go through every character).
_reference_DIGIT_RUNS = re.compile(r"\d\d*")  # \d+ (\b\d starts a run), with the class first
_reference_CURRENCY = re.compile(r"[$£€¥]")
_reference_PER_CENT = re.compile(r"[Pp][Ee][Rr] ?[Cc][Ee][Nn][Tt]")
_reference_AGED = re.compile(r"[Aa][Gg][Ee][Dd]? \d")
# A pronoun starts a word (at 0, or after a character \W matches) with one of these beginnings.
# Two scans, after a space (a literal: re skips to it) and after any other character but an
# ASCII letter, digit or '_' (a plain class), cover every \W and are faster than \W's one.
_reference_PRONOUN_BEGINS = r"(?:I|m[eyi]|[Ww][Ee]|[Oo][Uu][Rr]|[Uu][Ssſ]|[Yy][Oo][Uu])"
_reference_PRONOUN_STARTS = (re.compile(" " + _reference_PRONOUN_BEGINS),
                   re.compile(r"[\x00-\x1f!-/:-@\[-^`{-\U0010ffff]" + _reference_PRONOUN_BEGINS))


def _reference_count(name: str, rx: re.Pattern, text: str) -> int:
    """How often a style cue occurs in ``text`` (``len(rx.findall(text))``)."""
    chars = _reference_CHAR_COUNTS.get(name)
    return sum(map(text.count, chars)) if chars else len(rx.findall(text))


def _reference_matches_at(rx: re.Pattern, text: str, starts):
    """``rx.finditer(text)``'s matches when ``starts`` (ascending) holds every place a match of
    ``rx`` can start and no match is empty: the first match at or after the last one's end, in turn."""
    end = 0
    for c in starts:
        if c >= end and (m := rx.match(text, c)):
            end = m.end()
            yield m


def _reference_n_matches_at(rx: re.Pattern, text: str, starts) -> int:
    """``len(rx.findall(text))`` from :func:`_reference_matches_at`."""
    return sum(1 for _ in _reference_matches_at(rx, text, starts))


def _reference_percent_starts(text: str) -> list[int]:
    """Where ``\\d\\s?%|\\bper ?cent\\b`` can start: one or two before a '%', or a 'per cent'."""
    starts = {m.start() for m in _reference_PER_CENT.finditer(text)}
    q = text.find("%")
    while q >= 0:
        starts.update(c for c in (q - 2, q - 1) if c >= 0)
        q = text.find("%", q + 1)
    return sorted(starts)


def _reference_counts(text: str) -> dict[str, int]:
    """Every style cue's :func:`_reference_count` in ``text``, each matched only where it can start."""
    runs = [m.start() for m in _reference_DIGIT_RUNS.finditer(text)]
    found = dict.fromkeys(_reference_PRONOUNS, 0)
    for m in _reference_matches_at(_reference_PRONOUN_RE, text,
                         sorted([0, *(m.start() + 1 for rx in _reference_PRONOUN_STARTS for m in rx.finditer(text))])):
        found[m.lastgroup] += 1
    found["money"] = _reference_n_matches_at(_reference_STYLE_PATTERNS["money"], text,
                                   sorted([*runs, *(m.start() for m in _reference_CURRENCY.finditer(text))]))
    found["percent"] = _reference_n_matches_at(_reference_STYLE_PATTERNS["percent"], text, _reference_percent_starts(text))
    found["ages"] = _reference_n_matches_at(_reference_STYLE_PATTERNS["ages"], text,
                                  sorted([*runs, *(m.start() for m in _reference_AGED.finditer(text))]))
    found["digits"] = len(runs)
    return {k: found[k] if k in found else _reference_count(k, rx, text) for k, rx in _reference_STYLE_PATTERNS.items()}


def _reference_style_features(texts) -> pd.DataFrame:
    """Surface cues per 1,000 tokens that dictionaries of words miss: money amounts, percentages,
    quotation marks, first/second-person pronouns, ages, question and exclamation marks, digits,
    and emotional wording (VADER lexicon: words with |valence| >= 2, and negative/positive ones).
    """
    strong, negative, positive, emotive = features._emotive_words()
    rows = []
    for t in texts:
        t = t if isinstance(t, str) else ""
        toks = _plain_tokens(t)  # tokenize(t)'s tokens
        n = max(len(toks), 1)
        f = {f"style:{k}": 1000 * c / n for k, c in _reference_counts(t).items()}
        # the tokens in any of the word sets (one C-level filter), then each set's count among them
        hits = list(filter(emotive.__contains__, toks))
        f["style:emotive_strong"] = 1000 * sum(map(strong.__contains__, hits)) / n
        f["style:emotive_negative"] = 1000 * sum(map(negative.__contains__, hits)) / n
        f["style:emotive_positive"] = 1000 * sum(map(positive.__contains__, hits)) / n
        rows.append(f)
    return pd.DataFrame(rows)


def _reference_lexicon_features(
    texts, schemes=("generic", "policy", "territorial"), indicators: bool = True,
    known: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Dictionary features for a list of texts: per-1,000-token rates of every frame of each
    scheme (``<scheme>:<frame>``); with ``indicators=True`` also the indicator answers
    (``ind:<question>``, 0/1), indicator frame scores (``indscore:<frame>``), surface cues
    (:func:`_reference_style_features`) and sentence peaks (:func:`sentence_peak_features`). Cached per
    text, so cross-validation pays once. ``known``: one row per text (same order) with the rate
    and indicator columns already computed (:func:`lexicon_columns`); only the rest is computed.
    """
    texts = ["" if not isinstance(t, str) else t for t in texts]
    key = "|".join(schemes) + (":ind" if indicators else "")
    features._names(key, schemes, indicators)
    hashes = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    todo = [i for i, h in enumerate(hashes) if (key, h) not in _reference_LEX_CACHE]
    if todo:
        uniq = {hashes[i]: texts[i] for i in todo}
        given = None
        if known is not None:
            missing = [c for c in features._LEX_NAMES[key] if c not in known.columns
                       and (c.split(":", 1)[0] in schemes or c.startswith(("ind:", "indscore:")))]
            if missing:
                raise ValueError(f"known features lack {len(missing)} column(s) the model needs, "
                                 f"e.g. {missing[:3]} (give lexicon_columns of every scheme: {list(schemes)})")
            given = known.iloc[todo].set_axis([hashes[i] for i in todo])
            given = given[~given.index.duplicated()]
        feats = features._compute(uniq, schemes, indicators, given).reindex(columns=features._LEX_NAMES[key], fill_value=0.0)
        _reference_remember(key, feats)
        if len(schemes) > 1 or indicators:  # each scheme's rates alone are columns of these
            for s in schemes:
                _reference_remember(s, feats.reindex(columns=features._names(s, (s,), False), fill_value=0.0))
        if len(_reference_LEX_CACHE) > 200_000:
            _reference_LEX_CACHE.clear()
            return _reference_lexicon_features(texts, schemes, indicators, known)
    rows = [_reference_LEX_CACHE[(key, h)] for h in hashes]
    # one 2-D array (the float rows stacked) instead of pandas reading a list of rows
    return pd.DataFrame(np.vstack(rows) if rows else rows, columns=features._LEX_NAMES[key])


def _reference_remember(key: str, feats: pd.DataFrame) -> None:
    """Keep each text's feature row (``feats`` is indexed by text hash) under ``key``."""
    for h, row in zip(feats.index, feats.to_numpy(dtype=float), strict=True):
        _reference_LEX_CACHE[(key, h)] = row



# ---- end of the old code ----

ALL_CHARS = "".join(map(chr, range(0x110000)))


@lru_cache(maxsize=1)
def _odd_chars() -> str:
    """ASCII, Latin-1, every character re takes for a digit or white space, every one re.I lets
    match an ASCII character, and cased letters below U+2000 (the rest behave as punctuation)."""
    digits = set(re.findall(r"\d", ALL_CHARS)) | set(re.findall(r"\s", ALL_CHARS))
    folds = {c for c in ALL_CHARS if c.lower() != c or c.upper() != c}
    ascii_i = {c for c in re.findall(r"[\x00-\x7f]", ALL_CHARS, re.I) if ord(c) > 0x7f}
    return "".join(sorted(set(map(chr, range(0x100))) | digits | ascii_i | set("“”’‘—–…％＄") | {
        c for c in folds if ord(c) < 0x2000 or c in "\u212a\u212b"}))


def test_counts_on_the_seed(seed_corpus):
    for t in [*seed_corpus["text"], ""]:
        assert features._counts(t) == _reference_counts(t)


def test_style_features_equal_the_reference(seed_corpus):
    texts = [*seed_corpus["text"], "", None, "$", "%", "5%", "per cent", "aged 5", "I", "us", "uſ",
             "We’re 52-year-old $5 £ 3 ¥7 €1,2.5 dollars 7 pounds 100 per cent 4percent aged 123 aged 1234",
             "Imine myself, Iyou, our-us-we, 'I' “me” (you) I\nme\tYOURS; ussr Uses yourself! Why?",
             "٣٤ ١٢% \u0663\u0664-year-old €٣ $\u00a05 AGED 9 Aged 10 5 DOLLARſ 6 YEN 7-YEAR-OLD",
             "It's love's hate, a terrible, wonderful war: we grieve, you celebrate."]
    got = features.style_features(texts)
    pd.testing.assert_frame_equal(got, _reference_style_features(texts), check_exact=True)
    assert (got.to_numpy() > 0).any(axis=0).all()  # every cue found somewhere
    pd.testing.assert_frame_equal(features.style_features([]), _reference_style_features([]))
    pd.testing.assert_frame_equal(features.style_features(texts[:1]), _reference_style_features(texts[:1]))


_ALPHABET = ("0123456789$£€¥% \n\t\u00a0,.-_'’IimMeEyYwWoOuUrRsSſcCnNtTpPaAgGdDlL?!\"“”é٣²Kı")
_WORDS = ["per cent", "percent", "aged ", "age ", "-year-old", "dollars", "euros", "yen", "yuan", "pounds",
          "Dollars", "EUROS", "pounds", "I'm", "I’ve", "mine", "my", "me", "we", "our", "ours", "us", "you",
          "your", "yours", "Me", "WE", "Our", "yOu", "-Year-Old", "AGED ", "Per Cent", "dollar", "pound"]


def test_counts_on_random_strings():
    rng = random.Random(20130114)
    for _ in range(30_000):
        t = "".join(rng.choice(_WORDS) if rng.random() < 0.35 else rng.choice(_ALPHABET)
                    for _ in range(rng.randrange(0, 25)))
        assert features._counts(t) == _reference_counts(t), t


# each template's "{}" is filled with every character of _odd_chars, one copy per character; the
# hint words (currency words, 'per cent', 'aged', '-year-old') with one letter replaced, and the
# pronouns with an odd character before, inside or after them
_TEMPLATES = ["{}I ", "{}me ", "{}my ", "{}mine ", "{}we ", "{}us ", "{}our ", "{}ours ", "{}you ", "{}yours ",
              "I{} ", "m{} ", "me{} ", " {}e ", " w{} ", " {}s ", " u{} ", " {}ur ", " o{}r ", " ou{} ",
              " our{} ", " {}ou ", " y{}u ", " yo{} ", " you{} ", " your{} ", " m{}ne ", " {}ine ",
              "{}5 dollars ", "5 {}ollars ", "5 d{}llars ", "5 dollar{} ", "5 {}uros ", "5 eur{}s ",
              "5 {}ounds ", "5 po{}nds ", "5 pound{} ", "5 euro{} ", "5 {}uan ", "5 yua{} ", "5 {}en ", "5 y{}n ", "{}5 yen ",
              "{}5 ", "{}5% ", "5{}% ", "{}er cent ", "pe{} cent ", "per{}cent ", "per c{}nt ",
              "{}ged 5 ", "a{}ed 5 ", "ag{}d 5 ", "age{} 5 ", "aged{}5 ", "aged {} ",
              "5{}year-old ", "5-{}ear-old ", "5-ye{}r-old ", "5-year{}old ", "5-year-{}ld ", "5-year-ol{} ",
              "{}5-year-old ", "$ {}5 dollars "]


@pytest.mark.parametrize("template", _TEMPLATES)
def test_counts_with_every_odd_character_in_a_deciding_place(template):
    t = "".join(template.replace("{}", c) for c in _odd_chars())
    assert features._counts(t) == _reference_counts(t)


@pytest.mark.parametrize("template", _TEMPLATES)
def test_counts_with_each_odd_character_alone(template):
    """One character per text: a hint or a start found by another character of the same text
    cannot hide a miss."""
    for c in _odd_chars():
        t = template.replace("{}", c)
        assert features._counts(t) == _reference_counts(t), repr(t)


def test_hint_premises_over_every_code_point():
    """The hints read the lower-cased text: under re.I the hint words' letters match only their
    two ASCII cases ('s', left out of the hints, also U+017F), whose lower case is the letter, and
    a character re takes for a digit is its own lower case."""
    for c in "dolarupnyegct":
        assert set(re.findall(re.escape(c), ALL_CHARS, re.I)) == {c, c.upper()}, c
    assert {c.lower() for c in re.findall("s", ALL_CHARS, re.I)} == {"s", "\u017f"}
    assert all(c.lower() == c for c in re.findall(r"\d", ALL_CHARS))
    assert re.findall("-", ALL_CHARS, re.I) == ["-"] and re.findall("%", ALL_CHARS, re.I) == ["%"]


def test_pronoun_scan_letters():
    """The scan's first letters are each pronoun's first letter in the cases its pattern lets it
    match (re.I: the two ASCII cases only), and \\w before a letter is what \\b rules out."""
    for c in "wouy":
        assert set(re.findall(c, ALL_CHARS, re.I)) == {c, c.upper()}
    first = set(features._PRONOUN_SCAN.pattern[1:features._PRONOUN_SCAN.pattern.index("]")])
    assert first == set("ImwWoOuUyY")


def _cell_inputs(corpus):
    fm = framing.load_frame_model("generic")
    if fm.classifier is None:
        pytest.skip("no generic frame model shipped")
    schemes = list(fm.classifier.feat_.schemes)
    part = corpus[["doc_id", "title", "text"]].copy()
    part["title"] = part["title"].fillna("")
    long = framing.frame_scores_by_level(part, schemes, ("document",), answers=True, peaks=True)
    rest, peaks = framing.split_peaks(long)
    scores, answers = framing.split_answers(rest)
    known = framing.lexicon_columns(scores, answers, schemes, peaks)
    given = part[["doc_id", "text"]].merge(known.reset_index(), on="doc_id", how="left")
    return fm, given


@pytest.fixture(scope="module")
def cell(seed_corpus):
    texts = [seed_corpus["text"].iloc[0], "", "We lost $5 billion, aged 52; I blame you.",
             "The war and the conflict cost the economy $5 billion. Troops clashed; rivals attacked.",
             "Blame the government: it is responsible, we say. Officials must act, the minister said.",
             "Families grieve; a 52-year-old mother asks why. Her son, aged 7, was a hopeful child.",
             "Jobs, taxes and the budget: 40 per cent of firms cut wages, costs rose 5%.",
             "Is it moral? Churches call the policy a sin, unjust and wrong! God help us.",
             "Jobs, taxes and the budget: 40 per cent of firms cut wages, costs rose 5%."]
    extra = pd.DataFrame({"doc_id": [f"x{i}" for i in range(len(texts))], "title": "", "text": texts})
    corpus = pd.concat([seed_corpus[["doc_id", "title", "text"]], extra], ignore_index=True)
    return _cell_inputs(corpus)


def _run_cell(fm, given, codes):
    kind = framing.KINDS["generic"]
    chunks = [given.iloc[i:i + 3] for i in range(0, len(given), 3)]
    model = pd.concat([evaluation.model_frames(c, str(fm.folder), kind) for c in chunks], ignore_index=True)
    rule = pd.concat([evaluation.dictionary_frames(c, codes, "generic", {codes[0]: 5.0}) for c in chunks],
                     ignore_index=True)
    return model, rule


def test_the_generic_model_cell_equals_the_reference(cell, monkeypatch):
    """Notebook 10's generic-model cell (model_frames then dictionary_frames on the features
    given, in chunks, a text repeated and an empty one): the same probabilities, decisions and
    dictionary columns, bit for bit, as the earlier lexicon_features (and its cache); the new keeps
    no row of the features given, the earlier kept every text's."""
    fm, given = cell
    codes = [c for c in framing.GENERIC_CODES if c in fm.classifier.labels_]
    features._LEX_CACHE.clear()
    got = _run_cell(fm, given, codes)
    assert not features._LEX_CACHE
    monkeypatch.setattr(features, "lexicon_features", _reference_lexicon_features)
    monkeypatch.setattr(evaluation, "lexicon_features", _reference_lexicon_features)
    monkeypatch.setattr(features, "style_features", _reference_style_features)
    _reference_LEX_CACHE.clear()
    want = _run_cell(fm, given, codes)
    assert len(_reference_LEX_CACHE) > len(given)
    _reference_LEX_CACHE.clear()
    for g, w in zip(got, want, strict=True):
        pd.testing.assert_frame_equal(g, w, check_exact=True)
    assert got[0].filter(like="p_").to_numpy().std() > 0 and got[1][codes].to_numpy().sum() > 0


def test_features_given_after_cached_ones(cell):
    """Texts cached by a call without features given are read from the cache; the rest computed
    from the features given, in the caller's order, repeats included (same as the earlier)."""
    fm, given = cell
    texts = given["text"].tolist()
    known = given.drop(columns=["doc_id", "text"])
    features._LEX_CACHE.clear()
    _reference_LEX_CACHE.clear()
    features.lexicon_features(texts[:3])
    _reference_lexicon_features(texts[:3])
    n = len(texts)
    order = [7, 0, 3, 7, 1, n - 1, 2, 5, n - 2, 4]
    sub = [texts[i] for i in order]
    sub_known = known.iloc[order].reset_index(drop=True)
    before = len(features._LEX_CACHE)
    got = features.lexicon_features(sub, known=sub_known)
    assert len(features._LEX_CACHE) == before
    want = _reference_lexicon_features(sub, known=sub_known)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    # without features given, rows are cached as before
    pd.testing.assert_frame_equal(features.lexicon_features(sub, ("generic",), indicators=False),
                                  _reference_lexicon_features(sub, ("generic",), indicators=False))
    features._LEX_CACHE.clear()
    _reference_LEX_CACHE.clear()


def test_emotive_bits_are_the_word_sets():
    strong, negative, positive, emotive = features._emotive_words()
    kinds = features._emotive_kinds()
    assert set(kinds) == emotive and all(kinds.values())
    for w, b in kinds.items():
        assert (bool(b & 1), bool(b & 2), bool(b & 4)) == (w in strong, w in negative, w in positive)


def test_reference_helpers_are_used(seed_corpus):
    """The references above run (a guard against an import that shadows them)."""
    t = seed_corpus["text"].iloc[0]
    assert _reference_counts(t) == {k: len(rx.findall(t)) for k, rx in _reference_STYLE_PATTERNS.items()}
    assert hashlib.sha1(b"").hexdigest() and np.isfinite(_reference_style_features([t]).to_numpy()).all()
    assert _plain_tokens("A b")
