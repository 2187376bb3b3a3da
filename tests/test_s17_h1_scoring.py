"""Notebook 10's scoring cell, ninth round (issue 12, sixth session): the same tables as before.

``scores._tally_units`` gathers every unit's hits in one stream and builds the evidence from
factorised (cell, word) codes (no Counter, no per-cell Python but the joins of cells with two or
more words); ``Matcher._candidates`` tries only the globs whose literal head starts the token
(or its form without the possessive). The earlier code is kept below verbatim but for the
``_reference_`` names and compared on the seed, edge texts, a user dictionary with odd globs,
repeated unit ids, every evidence limit and both negation settings; corpus-2k when built.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from itertools import compress
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.framing import scores
from helpers.framing.dictionaries import FrameDictionary, as_dictionary
from helpers.framing.matcher import _TOKEN_SPLIT, Matcher, _bounds, _strip_possessive
from helpers.framing.units import as_units, section_units
from helpers.text import sentence_spans

ROOT = Path(__file__).resolve().parents[1]
SCALE = ROOT / "benchmarks" / "results" / "scale"
SCHEMES = ["generic", "policy", "territorial"]

# ---- old helpers/framing/scores.py _tally_units and matcher.py Matcher._candidates (verbatim but
# for the _reference_ names; _candidates' glob alternation built here, as the old __init__ did) ----


def _reference_tally_units(u: pd.DataFrame, found: list, ds: list[FrameDictionary], negation: bool, max_evidence):
    """Per unit (rows) and frame of every dictionary of ``ds`` (columns, in order): hits counted,
    hits negated (counted too when not ``negation``) and evidence (the distinct matched words, most
    frequent first, ties in order of first hit), from the units' matches ``found`` (keys ``(k,
    frame)``); and each unit's token count. Units sharing a ``unit_id`` share their cells (and
    the last one's token count). Only the cells with a hit are visited."""
    col = {(k, f): j for j, (k, f) in enumerate((k, f) for k, d in enumerate(ds) for f in d.categories)}
    n_f = len(col)
    codes, uniques = pd.factorize(u["unit_id"])
    n_tok = dict(zip(u["unit_id"], (c for _, c in found), strict=True))
    cols, reps, terms, negators = [], [], [], []  # per hit: its frame's column, unit code, text, negator
    for code, text, (hits, _) in zip(codes.tolist(), u["text"], found, strict=True):
        if hits:
            text = text if isinstance(text, str) else ""
            keys, _, starts, ends, _, negs = zip(*hits, strict=True)
            cols += map(col.__getitem__, keys)
            reps += [code] * len(hits)
            terms += map(text.__getitem__, map(slice, starts, ends))
            negators += negs
    n_cells = len(uniques) * n_f
    cell = np.array(reps, dtype=np.int64) * n_f + np.array(cols, dtype=np.int64)
    neg = np.fromiter(map(bool, negators), dtype=bool, count=len(negators))
    negated = np.bincount(cell[neg], minlength=n_cells)
    if negation:  # negated hits left out of the counts and evidence
        cell, terms = cell[~neg], list(compress(terms, (~neg).tolist()))
    hits = np.bincount(cell, minlength=n_cells)
    cells = cell.tolist()
    ev = np.full(n_cells, "", dtype=object)
    if max_evidence is None or max_evidence > 0:  # most_common(n <= 0) is empty
        by_cell: dict[int, list[tuple[str, int]]] = {}
        for (c, term), k in Counter(zip(cells, map(str.lower, terms), strict=True)).items():  # in order of first hit
            if (ts := by_cell.get(c)) is None:
                by_cell[c] = [(term, k)]
            else:
                ts.append((term, k))
        for c, ts in by_cell.items():  # Counter.most_common: by count, ties in order of first hit
            if len(ts) == 1:
                ev[c] = ts[0][0]
            else:
                ts.sort(key=itemgetter(1), reverse=True)
                ev[c] = "; ".join(t for t, _ in ts[:max_evidence])
    shape = (len(uniques), n_f)
    return (u["unit_id"].map(n_tok).to_numpy(), hits.reshape(shape)[codes], negated.reshape(shape)[codes],
            ev.reshape(shape)[codes])



def _reference_candidates(self, tok: str) -> list[int]:
    """Indices of the entries whose first word matches ``tok`` (exact ones first)."""
    alt = _strip_possessive(tok)
    cands = list(self._exact_first.get(tok, ()))
    if alt != tok:
        cands += [i for i in self._exact_first.get(alt, ()) if i not in cands]
    if self._glob_any is not None and (self._glob_any.match(tok) or self._glob_any.match(alt)):
        cands += [i for p, i in self._glob_first if p.match(tok) or p.match(alt)]
    return cands


def _reference_tokens(text: str) -> tuple[list[str], list[str]]:
    parts = _TOKEN_SPLIT.split(text)  # gap, token, gap, token, ..., gap
    toks = list(map(str.lower, parts[1::2]))
    if "’" in text:
        toks = [t.replace("’", "'") for t in toks]
    return parts, toks


def _with_glob_any(m: Matcher) -> Matcher:
    m._glob_any = (re.compile("|".join(f"(?:{p.pattern})" for p, _ in m._glob_first)) if m._glob_first else None)
    return m


EDGE = [
    "",
    "   \n\n  ",
    "No frame here at all",
    "China's claim. The East China's sea. Not a dispute, no conflict. Nobody's fault.",
    "A war. Of words followed. Both. Sides agreed on the other hand. Peace. Talks resumed.",
    "Not\n\nconflict, never. Money. Won't pay the costs! Costs rose; the price of war of words.",
    "The minister blamed the opposition for the crisis.\n\nCritics accused him. Families suffered.\n\n"
    "Costs rose; the dispute over the islands (Diaoyu/Senkaku) is not about money.",
    "Government’s fault, the administration’s failure. Don’t blame the government. We must act now.",
    "economically economic econ economy's; disputes disputed dispute's; clash-clashes CLASHES Clash clash.",
    "Sovereignty over the islands. Military escalation; alliance talks. Diplomacy.\n\nHistory matters.",
    "Δ unicode — conflict… “war of words” ‘both sides’. Years\nold victims. His\n\nfamily. ΣΑΣ İstanbul's Cost COST",
    "cost Cost COST costs Costs money Money MONEY cost money costs cost. Economy economy ECONOMY econ Econ.",
]
TITLES = ["Conflict", None, "", "China's claim.", "War of words", "x", "The minister blamed the opposition for the crisis.",
          "Government’s fault", "", "Sovereignty", "A title", "Cost cost"]


def _user_dictionary() -> FrameDictionary:
    """Globs with heads of every length (none, one letter, a wildcard inside, '?'), phrases, possessives."""
    return FrameDictionary("mine", {
        "cross": ["war of words", "peace talks", "both sides", "of words", "sides agreed", "not conflict"],
        "glob": ["econ*", "clash*", "disput?", "cost*", "money", "*ism", "?ost", "c*s", "e*", "co*t*", "i̇*"],
        "poss": ["china", "east china sea", "nobody", "government", "administration", "cost* rose"],
    }, {"cross": {"label": "Across"}}, {}, "<test>")


def _corpus() -> pd.DataFrame:
    seed = sorted((ROOT / "data" / "raw").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seed] + EDGE + [None]
    titles = ["Japan seeks NATO support"] * len(seed) + TITLES + ["None"]
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "title": titles, "text": texts})


def _found(u: pd.DataFrame, ds: list[FrameDictionary]) -> list:
    matcher, _ = scores._pass_matcher(ds, False, False)
    return [(matcher.scan(t if isinstance(t, str) else "", 3), matcher.last_n_tokens) for t in u["text"]]


def _tables(corpus: pd.DataFrame) -> list[pd.DataFrame]:
    doc = as_units(corpus[["doc_id", "text"]], "document")
    sec = section_units(corpus)
    sent = as_units(corpus[["doc_id", "text"]], "sentence")
    rep = pd.concat([sec, sec.iloc[::-2], doc.iloc[:3]], ignore_index=True)  # repeated unit ids
    odd = sec.assign(text=[None if i % 5 == 0 else t for i, t in enumerate(sec["text"])])
    return [doc, sec, sent, rep, odd, doc.iloc[:0]]


def _assert_tallies(corpus, ds, limits=(None, 0, -1, 1, 2, 3, 12)):
    for u in _tables(corpus):
        found = _found(u, ds)
        for negation in (True, False):
            for max_evidence in limits:
                got = scores._tally_units(u, found, ds, negation, max_evidence)
                want = _reference_tally_units(u, found, ds, negation, max_evidence)
                for g, w in zip(got, want, strict=True):
                    assert g.dtype == w.dtype and g.shape == w.shape
                    np.testing.assert_array_equal(g, w)


def test_tallies_equal_the_reference():
    c = _corpus()
    _assert_tallies(c, [as_dictionary(s) for s in SCHEMES])
    _assert_tallies(c, [_user_dictionary(), as_dictionary("generic")])


def test_tallies_on_corpus_2k_equal_the_reference():
    path = SCALE / "corpus-2k.jsonl"
    if not path.exists():
        pytest.skip("corpus-2k not built")
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for _, line in zip(range(60), f, strict=False)]
    c = pd.DataFrame({"doc_id": [str(i) for i in range(len(rows))], "title": [r.get("title") for r in rows],
                      "text": [r.get("text") for r in rows]})
    _assert_tallies(c, [as_dictionary(s) for s in SCHEMES], (None, 1, 12))


def _tokens_to_try(m: Matcher, corpus: pd.DataFrame) -> list[str]:
    rnd = random.Random(7)
    toks = set()
    for t in corpus["text"].dropna():
        toks.update(m._tokens(t)[1])
    heads = [e[1].split()[0].lower() for e in m._entries]
    for h in heads:
        bare = h.replace("*", "").replace("?", "")
        toks.update({h, bare, bare[:-1], bare + "s", bare + "'s", bare + "x's", "x" + bare, bare[:1], bare.upper()})
        toks.update(h.replace("*", rnd.choice(["", "a", "ab", "'s"])).replace("?", rnd.choice("aé'")) for _ in range(3))
    letters = "abcdeiostİıΣσς'’-"
    toks.update("".join(rnd.choice(letters) for _ in range(rnd.randint(1, 9))) for _ in range(3000))
    toks.update({"", "'s", "s", "'", "co", "cost's's", "i̇", "i̇stanbul"})
    return sorted(toks)


@pytest.mark.parametrize("which", ["pass", "user", "cues"])
def test_candidates_equal_the_reference(which):
    c = _corpus()
    if which == "pass":
        m, _ = scores._pass_matcher([as_dictionary(s) for s in SCHEMES], True, True)
    elif which == "user":
        m = Matcher(_user_dictionary().categories)
    else:
        m = Matcher({"a": ["*"], "b": ["?", "x*y", "*s"], "c": []})
    _with_glob_any(m)
    for tok in _tokens_to_try(m, c):
        assert m._candidates(tok) == _reference_candidates(m, tok), tok


def test_scoring_pass_equals_the_reference_code():
    """The whole packed pass and its unpacking with the earlier tallies and candidates patched in."""
    c = _corpus()
    for scheme in (SCHEMES, [_user_dictionary(), "generic"]):
        for kw in ({"answers": True, "peaks": True}, {"negation": False, "max_evidence": 2}, {}):
            scores._PASS.clear()
            got = scores.frame_scores_by_level(c, scheme, packed=True, **kw)
            unpacked = scores.frame_scores_by_level(c, scheme, **kw)
            scores._PASS.clear()
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(scores, "_tally_units", _reference_tally_units)
                mp.setattr(Matcher, "_candidates", lambda self, tok: _reference_candidates(_with_glob_any(self), tok))
                want = scores.frame_scores_by_level(c, scheme, packed=True, **kw)
                want_unpacked = scores.frame_scores_by_level(c, scheme, **kw)
            scores._PASS.clear()
            pd.testing.assert_frame_equal(got, want, check_exact=True)
            pd.testing.assert_frame_equal(unpacked, want_unpacked, check_exact=True)


def test_lower_casing_keeps_every_characters_class():
    """The premise of splitting the lower-cased text: a character that lower-cases to one
    character keeps its class for the token pattern (letter, joiner, other)."""
    letter, joiner = re.compile(r"[^\W\d_]"), re.compile(r"['’\-]")
    for cp in range(0x110000):
        c = chr(cp)
        lo = c.lower()
        if len(lo) == 1:
            assert bool(letter.match(c)) == bool(letter.match(lo)) and bool(joiner.match(c)) == bool(joiner.match(lo)), hex(cp)


def test_tokens_equal_the_reference():
    rnd = random.Random(3)
    odd = "aZ 'Σσςİıi̇ẞßǅǄꭰᏀ Ⅰⅰ ΑΣ.Β ΟΔΟΣ’ Ǉ—’-\n\t.,;1_é\u0345\u0130KK"  # sigma, dotted I, titlecase, Cherokee
    texts = [t for t in _corpus()["text"] if isinstance(t, str)] + EDGE
    texts += ["".join(rnd.choice(odd) for _ in range(rnd.randint(0, 40))) for _ in range(4000)]
    texts += ["ΑΣ ΟΔΟΣ. Σ σ ς", "İstanbul'un İ", "ΑΣ'Β ΑΣ-Β", "".join(map(chr, range(0x2000)))]
    for text in texts:
        want_parts, want = _reference_tokens(text)
        parts, toks = Matcher({"a": ["x"]})._tokens(text)
        assert toks == want, text
        assert _bounds(parts) == _bounds(want_parts), text


def test_keys_only_spans_keep_keys_and_negators():
    """scan_spans(keys_only=k): from span k on, each match's key and negator as without it."""
    rnd = random.Random(5)
    m, kg = scores._pass_matcher([as_dictionary(s) for s in SCHEMES], True, True)
    texts = [t for t in _corpus()["text"] if isinstance(t, str)] + [
        "No. Conflict. Not. Dispute over money. Never: war, crisis. Won't. Blame.",
        "There was no\n\nconflict. Nobody cost. Without. Economy.", "not conflict not conflict not conflict"]
    for text in texts:
        sp = sentence_spans(text)
        cuts = sorted(rnd.randint(0, len(text)) for _ in range(6))
        spans = [(0, len(text)), *zip(cuts[::2], cuts[1::2], strict=True), *sp]
        for k in range(len(spans) + 1):
            only = [None if rnd.random() < 0.3 else frozenset(x for x in m.keys if x[0] == kg)] * len(spans)
            want, wc = m.scan_spans(text, spans, 3, only)
            got, gc = m.scan_spans(text, spans, 3, only, k)
            assert gc == wc
            assert got[:k] == want[:k]
            assert [[(x[0], x[5]) for x in h] for h in got[k:]] == [[(x[0], x[5]) for x in h] for h in want[k:]]


def test_unpack_makes_only_the_columns_asked_for():
    c = _corpus()
    for levels in (("document", "section"), ("sentence",)):
        packed = scores.frame_scores_by_level(c, SCHEMES, levels, answers=True, peaks=True, packed=True)
        full = scores.unpack_scores(packed, SCHEMES, levels, answers=True, peaks=True)
        keep = {levels[-1]: ["unit_id", "scheme", "label", "n_matches", "per_1000"]}
        some = scores.unpack_scores(packed, SCHEMES, levels, answers=True, peaks=True, columns=keep)
        for lev in levels:
            want = full[0][lev][keep[lev]] if lev in keep else full[0][lev]
            pd.testing.assert_frame_equal(some[0][lev], want, check_exact=True)
        pd.testing.assert_frame_equal(some[1], full[1], check_exact=True)
        pd.testing.assert_frame_equal(some[2], full[2], check_exact=True)
