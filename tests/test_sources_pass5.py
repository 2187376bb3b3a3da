"""CPU (issue 12, fifth pass): attributions, naming and keyness give what the earlier code gave.

- ``sources.attribution._sentence_verbs`` visits only the sentences holding a possible verb
  start (found by bisection on the sentence starts) instead of every sentence, and checks in two
  C-level passes whether any sentence borders a word character (such a document is read
  sentence by sentence, as before);
- ``framing.naming`` finds the first possible name of a plain text with its letter tree after a
  character other than ``[a-z]`` (and at the start) instead of a look-behind tried everywhere;
- ``keyness._all_counts`` lower-cases, splits and counts the chunks of plain texts with
  pyarrow's kernels (batches summed by chunk) and tokenizes each distinct chunk once (other
  texts' tokens marked in the same stream): the same counts, number of tokens and order of
  first occurrence.

The earlier code is kept below verbatim but for the ``_reference_`` names (HEAD at 3d5b346) and
run beside the new on the seed, corpus-2k and a sample of corpus-10k-distinct (when built),
recombined documents, arbitrary sentence spans and adversarial texts.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from helpers import keyness, text
from helpers.framing import naming
from helpers.framing.naming import _first_name_start, _naming_screen, _naming_screens, load_naming
from helpers.sources import attribution, attributions
from helpers.sources.attribution import _WORDISH, _sentence_verbs, _verb_candidates
from helpers.sources.lexicon import Lexicon, _verb_scan, load_lexicon
from helpers.sources.lexicon import _verb_candidates as _verb_candidates_patterns
from helpers.text import _NOT_PLAIN_RE, _plain_tokens, sentence_spans

SCALE = Path(__file__).parents[1] / "benchmarks" / "results" / "scale"

# ---- the earlier code ----


def _reference_sentence_verbs(text: str, spans, lex: Lexicon):
    cands = _verb_candidates(text, lex)
    if cands is None:
        for si, (ss, se) in enumerate(spans):
            sent = text[ss:se]
            vms = list(lex.verb_matches(sent))
            if vms:
                yield si, ss, se, sent, vms
        return
    n = len(text)
    match = lex.verb_re.match
    k, nc = 0, len(cands)
    for si, (ss, se) in enumerate(spans):
        while k < nc and cands[k] < ss:
            k += 1
        edge = (ss and (text[ss - 1].isalnum() or text[ss - 1] in _WORDISH)) or (
            se < n and (text[se].isalnum() or text[se] in _WORDISH)
        )
        if edge:
            sent = text[ss:se]
            vms = list(lex.verb_matches(sent))
            while k < nc and cands[k] < se:
                k += 1
            if vms:
                yield si, ss, se, sent, vms
            continue
        if k == nc or cands[k] >= se:
            continue
        sent, vms, pos = text[ss:se], [], 0
        while k < nc and (c := cands[k]) < se:
            k += 1
            r = c - ss
            if r < pos:
                continue
            vm = match(sent, r)
            if vm is not None:
                vms.append(vm)
                pos = vm.end()
        if vms:
            yield si, ss, se, sent, vms


def _reference_all_counts(texts):
    c: Counter = Counter()
    n = 0
    for t in texts:
        toks = _plain_tokens(t if isinstance(t, str) else "")
        n += len(toks)
        c.update(toks)
    return c, n


# ---- inputs ----

SHAPES = [
    'Japan will act, NHK reported. "We will not yield," said Prime Minister Shinzo Abe.',
    "Lü Chao, a researcher with the Liaoning Academy of Social Sciences, told the Global Times "
    'that "the islands are ours". He added that talks were over.',
    "According to Xinhua, the patrols were routine. The ministry said it expects calm.",
    "Shinzo Abe visited Manila. Abe said the sea was calm; Abe later denied it.",
    "“Nested ‘single’ quotes,” Liu claimed. «Non», a déclaré Macron, said Le Monde.",
    "Officials said. Said officials. Unsaid, hearsay-said, re-said, said-so.",
    "Liu said.Wang said.Li told reporters.Park said",
    "Liu saidWang said. (said) -said 'said ’said Li said—Wang said–Park said/so",
    "according\n\nto Liu, the talks failed. Liu pointed\n\nout that. Liu pointed out that.",
    "Liu\u00a0said it.\u2003Wang\u2009said so.\tLi said\u3000so.\nsaid Liu\n\"said\" Wang.",
    "", " ", "said", "Said Liu.", "he said", "According to", "A spokesman said, according to Reuters.",
]


def _corpus(name: str, n: int) -> list[str]:
    path = SCALE / f"{name}.jsonl"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as f:
        return [json.loads(line).get("text") for line, _ in zip(f, range(n), strict=False)]


def _recombined(pool: list[str], n: int, seed: int) -> list[str]:
    """Documents glued from sentences with odd separators (none, a letter, a quote, a dash), so
    sentences border word characters."""
    rng = random.Random(seed)
    joins = [" ", "\n\n", "\n", "", '"', "“", "x", "-", "’", " - ", "\n \n", "'"]
    docs = []
    for _ in range(n):
        parts = rng.sample(pool, min(len(pool), rng.randint(1, 15)))
        doc = parts[0]
        for p in parts[1:]:
            doc += rng.choice(joins) + p
        docs.append(doc)
    return docs


@pytest.fixture(scope="module")
def texts(seed_corpus) -> list[str]:
    seed = [t for t in seed_corpus["text"] if isinstance(t, str)]
    pool = [*SHAPES] + [t[s:e] for t in seed for s, e in sentence_spans(t)]
    return [*SHAPES, *seed, *_recombined(pool, 150, seed=3)]


def _frame(docs: list) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(docs))], "text": docs})


# ---- attributions ----


def _verbs(gen) -> list:
    return [(si, ss, se, sent, [(m.start(), m.end()) for m in vms]) for si, ss, se, sent, vms in gen]


def _odd_lexicon(forms: list[str]) -> Lexicon:
    verb_re = re.compile(
        r"(?<![\w'’-])(?:"
        + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
        + r")(?![\w'’-])"
    )
    return dataclasses.replace(
        load_lexicon(), verb_re=verb_re, verb_scan=_verb_scan(forms),
        verb_candidates=_verb_candidates_patterns(forms),
    )


@pytest.mark.parametrize("which", ["shipped", "no scan", "odd forms"])
def test_sentence_verbs_equal_the_reference_on_any_spans(texts, which):
    lex = load_lexicon()
    if which == "no scan":
        lex = dataclasses.replace(lex, verb_candidates=None)
    elif which == "odd forms":
        forms = ["said", "sai", "to", "told", "according to", "out", "pointed out", "a", "he said"]
        lex = _odd_lexicon(sorted(forms, key=len, reverse=True))
    rng = random.Random(7)
    glued = 0
    for t in [*texts, "he said to a man, pointed  out, sai-said", "x" * 50 + "said"]:
        cuts = sorted({0, len(t), *(rng.randrange(len(t) + 1) for _ in range(10))})
        some = sorted(rng.sample(range(len(cuts) - 1), (len(cuts) - 1) // 2))
        for spans in (
            sentence_spans(t),
            list(zip(cuts, cuts[1:], strict=False)),  # contiguous, cut mid-word
            [(cuts[i], cuts[i + 1]) for i in some],  # gaps between them
            [(0, len(t))],
            [],
        ):
            got = _verbs(_sentence_verbs(t, spans, lex))
            assert got == _verbs(_reference_sentence_verbs(t, spans, lex)), (t[:80], spans)
            glued += bool(got)
    assert glued > 50


def test_attributions_equal_the_reference(texts, monkeypatch):
    docs = [*texts, *_corpus("corpus-2k", 2000), *_corpus("corpus-10k-distinct", 600)]
    docs += [None, float("nan")]
    corpus = _frame(docs)
    got = attributions(corpus)
    monkeypatch.setattr(attribution, "_sentence_verbs", _reference_sentence_verbs)
    want = attributions(corpus)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert len(got) > 300
    # the naming table over the same texts and attributions (screen and mentions)
    pd.testing.assert_frame_equal(
        naming.naming_mentions(corpus, attributions=got), _reference_naming_mentions(corpus, got)
    )


# ---- naming: the first possible name ----


def _reference_naming_mentions(corpus: pd.DataFrame, att: pd.DataFrame) -> pd.DataFrame:
    """naming_mentions with the earlier screen (the look-behind pattern's search)."""
    original = naming._first_name_start
    pattern = _naming_screen(load_naming())

    def earlier(screens, s):
        hit = pattern.search(s)
        return None if hit is None else hit.start()

    naming._first_name_start = earlier
    try:
        return naming.naming_mentions(corpus, attributions=att)
    finally:
        naming._first_name_start = original


def _screen_inputs(tab, rng: random.Random, n: int) -> list[str]:
    terms = [str(t).lower() for vs in tab.concepts.values() for v in vs.values() for t in v["terms"]]
    bits = [*terms, "a", "z", "'s", "’s", " ", "\n", "-", ".", "x", "9", "é", "’", "'", "*", "?"]
    return ["".join(rng.choice(bits) for _ in range(rng.randint(0, 8))) for _ in range(n)]


@pytest.mark.parametrize("table", ["shipped", "user", "user, a glob first"])
def test_first_name_start_equals_the_screen_search(texts, table):
    tab = load_naming() if table == "shipped" else load_naming({"concepts": {"c": {"variants": {
        "a": {"terms": ["ab?c de*", "x y z", "q", *(["*land"] if "glob" in table else [])]},
        "b": {"terms": ["east china sea", "nation's pride"]}}}}})
    screen, screens = _naming_screen(tab), _naming_screens(tab)
    rng = random.Random(11)
    found = 0
    for s in [*texts, *_corpus("corpus-2k", 300), *_screen_inputs(tab, rng, 20000)]:
        s = s.lower().replace("’", "'")
        hit = screen.search(s)
        want = None if hit is None else hit.start()
        assert _first_name_start(screens, s) == want, s[:80]
        found += want is not None and (want > 0 or "glob" in table)
    assert found > 100


# ---- keyness ----

ODD = [
    "", None, float("nan"), "a's's b's-c x's- 's 'S a’s’s ’s-", "a--b -a- a-b-c ab'- 'ab' a'-b don’t",
    "İZMİR ΟΔΟΣ'S x y", "Café's owner’s café-bar's", "tab\tsep\x1csep\x85sep\u00a0nbsp\u200bzw",
    "\ue000mark \ue000 x\ue000y", "NATO's NATO’S nato's-x", "2,000 men 3.5% A1 b2b", "\ud800 lone surrogate's",
    "UPPER Case MiXeD's words", "—dash—words…and“quotes”£5 ‘single’",
]


@pytest.mark.parametrize("batch, rows", [(None, None), (1, None), (40, None), (40, 3), (500, 50)])
def test_all_counts_equal_the_reference(texts, batch, rows, monkeypatch):
    if batch is not None:  # many small batches: the order of first occurrence across them
        monkeypatch.setattr(keyness, "_BATCH_CHARS", batch)
    if rows is not None:  # their counts summed every few batches
        monkeypatch.setattr(keyness, "_MAX_ROWS", rows)
    rng = random.Random(5)
    mixed = [*ODD, *texts[:60]]
    rng.shuffle(mixed)
    for docs in ([], [""], [None], ODD, mixed, [*ODD[3:5]] * 3, texts):
        got, want = keyness._all_counts(docs), _reference_all_counts(docs)
        assert got == want and list(got[0]) == list(want[0]), docs[:3]


def test_all_counts_equal_the_reference_on_corpora():
    docs = [*_corpus("corpus-2k", 2000), *_corpus("corpus-10k-distinct", 1500)]
    if not docs:
        pytest.skip("benchmarks/results/scale corpora not built")
    assert sum(bool(_NOT_PLAIN_RE.search(t)) for t in docs if isinstance(t, str)) > 5
    got, want = keyness._all_counts(docs), _reference_all_counts(docs)
    assert got == want and list(got[0]) == list(want[0])


def test_term_counts_and_tables_unchanged(texts):
    docs = [*ODD, *texts]
    want = Counter()
    for t in docs:
        toks = text.tokenize(t if isinstance(t, str) else "", stop_words=text.STOP_WORDS)
        want.update(w for w in toks if len(w) >= 2)
    got = keyness.term_counts(docs)
    assert got == want and list(got) == list(want)
