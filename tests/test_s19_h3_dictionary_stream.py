"""Eighth session (H3): notebook 20's dictionary scored on VADER's tokens, in the levels step.

``level_scores(..., dictionary=d, negation_window=w)`` adds the dictionary's columns to the
sentences (``sentiment.DICTIONARY_COLUMNS``) from the whitespace tokens VADER already split
(``dictionary_stream``), and ``sentiment.dictionary_table`` forms ``dictionary_scores``' table
from them; ``dictionaries._score_columns`` now goes through the shared ``score_stream``.
Each is checked against a verbatim copy of the code before the change (``_reference_*``) or
against ``dictionary_scores`` / the plain per-text path, on the seed article and on generated
texts with negation, empty texts, non-ASCII, emoji, ALL CAPS, punctuation emphasis, curly
quotes, separators and dictionary phrases/globs; and the notebook's dictionary CSV bytes
(earlier cell, verbatim, vs the new cell).
"""

from __future__ import annotations

import pickle
from functools import partial

import numpy as np
import pandas as pd
import pytest

from helpers import config, sentiment
from helpers.compute import map_documents, stable_key
from helpers.corpus import load_corpus
from helpers.sentiment import dictionaries as dict_mod
from helpers.sentiment import vader_batch
from helpers.sentiment.dictionaries import (
    _BATCH_TEXTS,
    _BREAK,
    _NEG,
    _PHRASE,
    _SEPARATOR,
    _START,
    SentimentDictionary,
    _bulk_tokens,
    _columns_of,
    _score_texts,
    _score_tokens,
    _token_ids,
    _Vocabulary,
)
from helpers.sentiment.scores import (
    _ID_COLS,
    _distinct,
    _level_units,
    _parent_level,
    _scorer,
    polarity_from_score,
)
from helpers.sentiment.vader_batch import _slow_texts, _token_stream

# -- verbatim copies of the code before this session ---------------------------------------------


def _reference_level_scores(corpus: pd.DataFrame, neutral_band: float = 0.05,
                 drivers: tuple[str, ...] = ("sentence", "paragraph", "document")) -> pd.DataFrame:
    """:func:`unit_scores` at the three levels in one step: the sentences, paragraphs and
    document of each document, each document's rows together (sentences, paragraphs, then the
    document), ``level`` saying which; paragraph and document rows have an empty ``text``, and
    the rows of a level not in ``drivers`` an empty ``drivers`` (long strings, not formed when
    not read: a document's drivers list every word of it that carries valence).

    The same rows and numbers as ``unit_scores`` at each level (``text`` aside): the documents
    are split once, each distinct text of a level is scored once, and only the distinct
    sentences are tokenised: a paragraph's tokens are its sentences' tokens and a document's its
    paragraphs' (checked per unit: units whose text is more than their parts with whitespace
    between are split on their own), and a unit has an emoji when one of its parts has.
    :func:`split_levels` gives the three tables.

    """
    rows, texts, span, ok = _level_units(corpus)
    scorer = _scorer()
    doc_ids = corpus["doc_id"].tolist()
    parts, child = [], None  # child: the previous level's (stream, emoji mask), per unit
    for level, key in (("sentence", "s"), ("paragraph", "p"), ("document", "d")):
        uniq, inv, first = _distinct(texts[key])
        if child is None:
            stream = _token_stream(scorer._tokens, uniq)[1:]
            slow = _slow_texts(uniq, scorer._emoji_chars)
        else:
            stream, slow = _parent_level(scorer, child, span[key][first], ok[key][first], uniq)
        cols = scorer.score_stream(uniq, stream, slow, drivers=level in drivers)
        child = ((stream[0], stream[1][inv], stream[2][inv]), slow[inv])
        formed = cols.pop("drivers")
        cols = {k: np.asarray(v)[inv] for k, v in cols.items()}
        cols["drivers"] = [formed[i] for i in inv.tolist()] if level in drivers else [""] * len(inv)
        parts.append(_reference_level_table(level, rows[key], doc_ids, texts["s"] if key == "s" else None,
                                  cols, neutral_band))
    order = np.argsort(np.concatenate([[u[0] for u in rows[k]] for k in "spd"]).astype(np.int64), kind="stable")
    out = pd.concat(parts, ignore_index=True)
    return out.iloc[order].reset_index(drop=True) if len(out) else out


def _reference_level_table(level, units, doc_ids, texts, cols, neutral_band) -> pd.DataFrame:
    """One level's rows: the columns of :func:`vader_scores`, ``text`` only for sentences."""
    mark = {"document": "d", "paragraph": "p", "sentence": "s"}[level]
    ids = [doc_ids[u[0]] for u in units]
    out = pd.DataFrame({
        "unit_id": [f"{d}:d" for d in ids] if level == "document"
        else [f"{d}:{mark}{u[1]}" for d, u in zip(ids, units, strict=True)],
        "doc_id": ids, "level": [level] * len(ids),
    })
    out["position"] = pd.Series([u[1] for u in units], dtype="int64")
    out["paragraph"] = pd.Series([u[2] for u in units], dtype="int64")
    out["text"] = texts if texts is not None else [""] * len(ids)
    out["n_words"] = np.asarray(cols["n_words"], dtype=np.int64)
    scored = pd.DataFrame({k: cols[k] for k in ("compound", "pos", "neu", "neg", "drivers")})
    out = pd.concat([out, scored], axis=1)
    out["polarity"] = polarity_from_score(out["compound"].to_numpy(), neutral_band)
    return out[[*_ID_COLS, "text", "n_words", "compound", "pos", "neu", "neg", "polarity", "drivers"]]


def _reference_split_levels(scores: pd.DataFrame, consume: bool = False) -> dict[str, pd.DataFrame]:
    """:func:`level_scores` as one table per level (index 0..n-1): ``sentence`` with its
    ``text``, ``paragraph`` and ``document`` without.

    Column by column, as :func:`helpers.compute.filter_rows` selects rows (a whole-table
    selection peaked ~2 GB higher at 100k). ``consume=True`` deletes each text column (ids,
    text, drivers) from ``scores`` once its levels are taken, so a table no one else holds
    (``split_levels(map_documents(...), consume=True)``) is not held twice at its peak: at 100k
    its texts are a gigabyte or more. The tables are the same either way."""
    level = scores["level"].to_numpy()
    names = ("sentence", "paragraph", "document")
    keep = {name: level == name for name in names}
    columns = list(scores.columns)
    texts = [c for c in columns if not isinstance(scores[c].dtype, np.dtype)]
    parts: dict[str, dict] = {name: {} for name in names}
    for c in [c for c in columns if c not in texts] + texts:  # numbers first: they stay
        col = scores[c]
        for name in names:
            if c != "text" or name == "sentence":
                parts[name][c] = col[keep[name]]
        del col
        if consume and c in texts:
            del scores[c]
    out = {}
    for name in names:
        cols = [parts[name][c] for c in columns if c in parts[name]]
        part = pd.concat(cols, axis=1) if cols else scores.iloc[0:0]
        part.columns = [c for c in columns if c in parts[name]]
        out[name] = part.reset_index(drop=True)
    return out


def _reference_score_columns(
    texts: list, dictionary: SentimentDictionary, negation_window: int
) -> dict[str, list]:
    """Columns ``n_words``, ``positive``, ``negative``, ``drivers`` of every text, the same
    values as :func:`_score_texts`, in bulk: a batch of texts is tokenised as one stream, every
    distinct token gets flags once, and one-word matches, negation, the sums and the drivers are
    array operations over all matches of the batch; texts where a phrase can start take the
    per-text path."""
    texts = [t if isinstance(t, str) else "" for t in texts]
    n_words = np.zeros(len(texts), dtype=np.int64)
    pos = np.zeros(len(texts))
    neg = np.zeros(len(texts))
    drivers = [""] * len(texts)
    if not isinstance(negation_window, int):
        rows = _score_texts(texts, dictionary, negation_window)
        return _columns_of(rows)
    if dictionary._vocab is None:
        dictionary._vocab = _Vocabulary()
    vocab = dictionary._vocab
    for lo in range(0, len(texts), _BATCH_TEXTS):
        batch = texts[lo : lo + _BATCH_TEXTS]
        got = _bulk_tokens(batch)
        if got is None:
            rows = _score_texts(batch, dictionary, negation_window)
            cols = _columns_of(rows)
            n_words[lo : lo + len(batch)] = cols["n_words"]
            pos[lo : lo + len(batch)] = cols["positive"]
            neg[lo : lo + len(batch)] = cols["negative"]
            drivers[lo : lo + len(batch)] = cols["drivers"]
            continue
        flat, order = got
        ids = _token_ids(vocab, flat, dictionary)
        flags = vocab.flags[ids]
        seps = np.flatnonzero(flags & _SEPARATOR)
        starts = np.concatenate([[0], seps + 1])
        ends = np.concatenate([seps, [len(flat)]])
        where = np.asarray(order, dtype=np.int64) + lo
        words = np.concatenate([[0], np.cumsum((flags & (_BREAK | _SEPARATOR)) == 0)])
        n_words[where] = words[ends] - words[starts]
        hits = np.flatnonzero(flags & _START)
        text_of = np.searchsorted(ends, hits, side="left")
        # texts where a phrase (or a glob-only word) can start: the per-text path
        phrase_texts = np.unique(text_of[(flags[hits] & _PHRASE) != 0])
        for t in phrase_texts.tolist():
            row = _score_tokens(flat[starts[t] : ends[t]], dictionary, negation_window)
            k = int(where[t])
            n_words[k], pos[k], neg[k], drivers[k] = row
        keep = ~np.isin(text_of, phrase_texts)
        hits, text_of = hits[keep], text_of[keep]
        if not len(hits):
            continue
        negated = np.zeros(len(hits), dtype=bool)
        decided = np.zeros(len(hits), dtype=bool)
        first = starts[text_of]
        for d in range(1, negation_window + 1):
            q = hits - d
            f = flags[np.maximum(q, 0)]
            open_ = (q >= first) & ~decided
            is_neg = open_ & ((f & _NEG) != 0)
            negated |= is_neg
            decided |= is_neg | (open_ & ((f & _BREAK) != 0))
        w = vocab.weight[ids[hits]]
        w = np.where(negated, -w, w)
        n_texts = len(order)
        pos_t = np.bincount(text_of, weights=np.where(w > 0, w, 0.0), minlength=n_texts)
        neg_t = np.bincount(text_of, weights=np.where(w > 0, 0.0, -w), minlength=n_texts)
        hit_texts = np.unique(text_of)
        pos[where[hit_texts]] = pos_t[hit_texts]
        neg[where[hit_texts]] = neg_t[hit_texts]
        fmt, fmt_not = vocab.fmt, vocab.fmt_not
        strs = [
            fmt_not[i] if n else fmt[i]
            for i, n in zip(ids[hits].tolist(), negated.tolist(), strict=True)
        ]
        bounds = np.searchsorted(text_of, np.arange(n_texts + 1)).tolist()
        for t in hit_texts.tolist():
            drivers[int(where[t])] = "; ".join(strs[bounds[t] : bounds[t + 1]])
    return {"n_words": n_words, "positive": pos, "negative": neg, "drivers": drivers}


def _reference_dictionary_cell(sentences, dictionary, negation_window, path, block_rows):
    """Notebook 20's dictionary cell before this session (its CSV and ``score``), verbatim but for
    the cell's ``OUT / ...`` path and ``BLOCK_ROWS``."""
    dictionary_score = partial(  # the dictionary's scores of a block of sentences, without their texts
        map_documents,
        partial(sentiment.dictionary_scores, dictionary=dictionary, negation_window=negation_window, text=False),
        name="sentiment.dictionary_scores",
        params={"dictionary": stable_key(dictionary.entries, dictionary.weights), "negation_window": negation_window,
                "text": False},
        columns=["unit_id", "level", "position", "paragraph", "text"],
    )
    score = np.empty(len(sentences))  # the only column read again; every row goes to the CSV block by block
    with sentiment.CsvPieces(path) as csv:  # as to_csv(index=False) writes it
        for lo, hi in sentiment.document_blocks(sentences, rows=block_rows) or [(0, 0)]:
            part = dictionary_score(sentences.iloc[lo:hi])
            # the same units in the same order (map_documents keeps each document's rows in order)
            assert len(part) == hi - lo and (part["unit_id"].array == sentences["unit_id"].array[lo:hi]).all()
            score[lo:hi] = part["score"].to_numpy()
            part.insert(5, "text", sentences["text"].array[lo:hi])  # the sentences' own texts, not a copy
            csv.add(part)
            del part
    return score


# -- inputs ---------------------------------------------------------------------------------------

TRICKY = [
    "They did not agree. They never agreed, citing threats!!! Hardly a success?? NOT GOOD AT ALL.",
    "",
    "   ",
    "China’s envoy didn’t agree; Japan's minister wasn't happy – and no one was — really.",
    "The peaceful resolution failed. A peaceful   resolution at last: a great deal of hope.",
    "Émile’s café était très bon, naïve façade! Ünïcödé wörds ÀND CAPS. Ça va?",
    "Emoji 😀 joy 😢 grief 🙂 and :) smiles. WAR is TERRIBLE, peace is GREAT!!!!",
    "µ-law and 5µm µ agree; the \x00 separator \x00 inside, \u00a0non-breaking\u2003spaces\u2028here.",
    "Numbers 1,000.5 and 3.14 agree-ish; well-known co-operation isn't bad-tempered at all.",
    "No. Not. Never? Without doubt the threat was grave, but support grew; kind of good, sort of bad.",
    "ALL CAPS HEADLINE: CRISIS DEEPENS AS TALKS COLLAPSE",
    "Tab\tseparated\ttrust and\nnew\nline hope (parenthesised threat) [bracketed love] {curly hate}",
]


def _texts_corpus() -> pd.DataFrame:
    docs = []
    for k in range(len(TRICKY)):
        paras = [TRICKY[k], TRICKY[(k + 3) % len(TRICKY)] + " " + TRICKY[(k + 5) % len(TRICKY)]]
        docs.append("\n\n".join(paras) if k % 4 else TRICKY[k])
    docs += [TRICKY[0], "", "Just one.", TRICKY[6] + "\n" + TRICKY[7]]  # a repeated text, an empty one
    return pd.DataFrame({"doc_id": [f"t{k:02d}" for k in range(len(docs))], "text": docs})


def _seed_corpus() -> pd.DataFrame:
    return load_corpus(config.DATA_RAW).corpus


def _generated_corpus(n_docs=60, seed=3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    words = ["good", "bad", "war", "peace", "not", "never", "very", "the", "talks", "failed", "agree",
             "ATTACK", "!", "threat,", "hope.", "didn't", "peaceful", "resolution", "secure", "security",
             "Great", "µ", "café", "😀", "—", "(crisis)", "co-operation", "don’t", "1,000", "?"]
    texts = []
    for d in range(n_docs):
        paras = []
        for _ in range(1 + d % 4):
            sents = [" ".join(rng.choice(words, size=rng.integers(1, 14))).capitalize() + rng.choice([".", "!", "?"])
                     for _ in range(1 + d % 5)]
            paras.append(" ".join(sents))
        texts.append("\n\n".join(paras))
    return pd.DataFrame({"doc_id": [f"g{d:03d}" for d in range(n_docs)], "text": texts})


CORPORA = {"seed": _seed_corpus, "tricky": _texts_corpus, "generated": _generated_corpus}


def _dictionaries() -> dict[str, SentimentDictionary]:
    """The shipped dictionary, and one with phrases, globs, odd weights and µ."""
    custom = SentimentDictionary(
        "custom",
        {"positive": ["agree*", "peaceful resolution", "great deal", "hope", "secur*", "café", "µ"],
         "negative": ["threat*", "crisis", "war", "not good", "bad*", "terribl*"],
         "neg_positive": ["not agree*"]},
        {"positive": 1.5, "negative": -0.7, "neg_positive": -2.25},
    )
    return {"shipped": sentiment.load_dictionary(None), "custom": custom}


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    assert list(a.dtypes) == list(b.dtypes)
    assert a.index.equals(b.index)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


# -- tests ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", list(CORPORA))
def test_level_scores_without_dictionary_unchanged(which):
    corpus = CORPORA[which]()
    for drivers in (("sentence",), ("sentence", "paragraph", "document")):
        _same(sentiment.level_scores(corpus, drivers=drivers), _reference_level_scores(corpus, drivers=drivers))
        new = sentiment.split_levels(sentiment.level_scores(corpus, drivers=drivers), consume=True)
        old = _reference_split_levels(_reference_level_scores(corpus, drivers=drivers), consume=True)
        assert list(new) == list(old)
        for level in new:
            _same(new[level], old[level])


@pytest.mark.parametrize("which", list(CORPORA))
@pytest.mark.parametrize("dict_kind", ["shipped", "custom"])
@pytest.mark.parametrize("negation_window", [0, 3, 5])
def test_dictionary_on_vader_tokens_is_dictionary_scores(which, dict_kind, negation_window):
    corpus = CORPORA[which]()
    d = _dictionaries()[dict_kind]
    with_dict = sentiment.level_scores(corpus, drivers=("sentence",), dictionary=d, negation_window=negation_window)
    plain = _reference_level_scores(corpus, drivers=("sentence",))
    _same(with_dict.drop(columns=sentiment.DICTIONARY_COLUMNS), plain)  # VADER's columns unchanged
    other = with_dict[with_dict["level"] != "sentence"]
    assert (other["dictionary_n_words"] == 0).all() and (other["dictionary_drivers"] == "").all()
    assert (other[["dictionary_positive", "dictionary_negative"]].to_numpy() == 0).all()
    levels = sentiment.split_levels(with_dict, consume=True)
    old_levels = _reference_split_levels(plain)
    for level in ("paragraph", "document"):
        _same(levels[level], old_levels[level])  # no dictionary columns there
    sentences = levels["sentence"]
    _same(sentences.drop(columns=sentiment.DICTIONARY_COLUMNS), old_levels["sentence"])
    got = sentiment.dictionary_table(sentences, sentences[sentiment.DICTIONARY_COLUMNS])
    fresh = _dictionaries()[dict_kind]  # no caches shared with the path under test
    want = sentiment.dictionary_scores(old_levels["sentence"], fresh, negation_window)
    _same(got, want)
    plain_rows = _columns_of(_score_texts(old_levels["sentence"]["text"].tolist(), _dictionaries()[dict_kind],
                                          negation_window))  # the per-text path
    assert got["n_words"].tolist() == plain_rows["n_words"].tolist()
    assert got["positive"].tolist() == plain_rows["positive"].tolist()
    assert got["negative"].tolist() == plain_rows["negative"].tolist()
    assert got["drivers"].tolist() == plain_rows["drivers"]


@pytest.mark.parametrize("dict_kind", ["shipped", "custom"])
@pytest.mark.parametrize("negation_window", [0, 3])
@pytest.mark.parametrize("batch", [3, _BATCH_TEXTS])
def test_score_columns_equal_reference(dict_kind, negation_window, batch, monkeypatch):
    monkeypatch.setattr(dict_mod, "_BATCH_TEXTS", batch)
    texts = [*TRICKY, None, *_generated_corpus(20)["text"].str.split("\n\n").explode().tolist(), "µ alone"]
    texts += [t.encode("ascii", "ignore").decode() for t in TRICKY]  # ASCII: the bulk path throughout
    new = dict_mod._score_columns(texts, _dictionaries()[dict_kind], negation_window)
    old = _reference_score_columns_at(texts, _dictionaries()[dict_kind], negation_window, batch)
    for k in ("n_words", "positive", "negative"):
        assert np.asarray(new[k]).tolist() == np.asarray(old[k]).tolist()
    assert list(new["drivers"]) == list(old["drivers"])


def _reference_score_columns_at(texts, dictionary, negation_window, batch):
    saved = globals().get("_BATCH_TEXTS")
    globals()["_BATCH_TEXTS"] = batch
    try:
        return _reference_score_columns(texts, dictionary, negation_window)
    finally:
        globals()["_BATCH_TEXTS"] = saved


def test_stream_columns_grow_with_the_vocabulary_and_survive_pickling():
    """One dictionary over several calls (VADER's vocabulary grows between them), a pickled copy
    (its token map is not carried), and a fresh scorer's vocabulary (the map is rebuilt)."""
    d = _dictionaries()["custom"]
    scorer = _scorer()
    for k in range(0, len(TRICKY), 4):
        texts = TRICKY[k : k + 4] + [f"new{k} agree threat"]
        got = sentiment.dictionary_stream.stream_columns(texts, _token_stream(scorer._tokens, texts)[1:],
                                                         scorer._tokens, d, 3)
        want = _columns_of(_score_texts(texts, _dictionaries()["custom"], 3))
        assert got["positive"].tolist() == want["positive"].tolist() and got["drivers"] == want["drivers"]
        assert got["n_words"].tolist() == want["n_words"].tolist()
    assert d._words is not None
    copy = pickle.loads(pickle.dumps(d))
    assert copy._words is None and copy == d
    other = sentiment.VaderScorer()._tokens  # another vocabulary: other ids
    texts = list(reversed(TRICKY))
    got = sentiment.dictionary_stream.stream_columns(texts, _token_stream(other, texts)[1:], other, d, 3)
    assert d._words.source is other
    assert got["drivers"] == _columns_of(_score_texts(texts, _dictionaries()["custom"], 3))["drivers"]


@pytest.mark.parametrize("which", list(CORPORA))
@pytest.mark.parametrize("block_rows", [1, 7, 250_000])
def test_notebook_dictionary_csv_bytes_unchanged(which, block_rows, tmp_path, monkeypatch):
    """The dictionary CSV and scores: the earlier cell (map_documents over the sentences,
    verbatim) against the new levels cell (each block's dictionary table written as the block is
    split, as in notebook 20), byte for byte; the sentence tables the same."""
    monkeypatch.setenv("COVERAGE_LAB_CACHE", str(tmp_path / "cache"))
    corpus = CORPORA[which]()
    negation_window, neutral_band = 3, 0.05
    levels, dictionary_score = [], []  # the new levels cell, as in notebook 20 (blocks of block_rows documents)
    dictionary = sentiment.load_dictionary(None)
    with sentiment.CsvPieces(tmp_path / "new.csv") as csv:
        for lo, hi in sentiment.document_blocks(corpus, rows=block_rows) or [(0, 0)]:
            block = sentiment.split_levels(map_documents(
                partial(sentiment.level_scores, neutral_band=neutral_band, drivers=("sentence",), dictionary=dictionary,
                        negation_window=negation_window), corpus.iloc[lo:hi],
                name="sentiment.vader.levels", columns=["text"], workers=1, progress=False,
                params={"neutral_band": neutral_band, "drivers": ["sentence"], "negation_window": negation_window,
                        "dictionary": stable_key(dictionary.entries, dictionary.weights)},
            ), consume=True)
            part = sentiment.dictionary_table(block["sentence"], block["sentence"][sentiment.DICTIONARY_COLUMNS])
            dictionary_score.append(part["score"].to_numpy())
            csv.add(part)
            del part
            block["sentence"] = block["sentence"].drop(columns=sentiment.DICTIONARY_COLUMNS)
            levels.append(block)
    scores = {level: sentiment.concat_blocks([b[level] for b in levels]) for level in levels[0]}
    score = np.concatenate(dictionary_score)
    old_levels = _reference_split_levels(_reference_level_scores(corpus, neutral_band, drivers=("sentence",)))
    for level in old_levels:
        _same(scores[level].astype(old_levels[level].dtypes.to_dict()), old_levels[level])
    sentences = scores["sentence"]
    old_score = _reference_dictionary_cell(sentences, sentiment.load_dictionary(None), negation_window,
                                           tmp_path / "old.csv", block_rows)
    assert (tmp_path / "new.csv").read_bytes() == (tmp_path / "old.csv").read_bytes()
    assert score.tolist() == old_score.tolist()


def test_empty_corpus():
    corpus = pd.DataFrame({"doc_id": pd.Series([], dtype=object), "text": pd.Series([], dtype=object)})
    d = sentiment.load_dictionary(None)
    got = sentiment.level_scores(corpus, dictionary=d)
    assert list(got.columns) == [*_reference_level_scores(corpus).columns, *sentiment.DICTIONARY_COLUMNS]
    sentences = sentiment.split_levels(got)["sentence"]
    table = sentiment.dictionary_table(sentences, sentences[sentiment.DICTIONARY_COLUMNS])
    assert list(table.columns) == list(sentiment.dictionary_scores(sentences.iloc[:0].drop(
        columns=sentiment.DICTIONARY_COLUMNS), d, 3).columns)


def _whitespace_texts() -> list[str]:
    import sys

    spaces = "".join(chr(i) for i in range(sys.maxunicode + 1) if chr(i).isspace())
    return [f"a{c}b" for c in spaces] + [spaces, f"{spaces}x{spaces}", "\u200b zero\u200bwidth \ufeffbom", "\x00",
                                         "a \x00 b", "", " ", "nbsp\u00a0inside", "\x1c\x1d\x1e\x1f sep"]


@pytest.mark.parametrize("texts", ["tricky", "whitespace", "surrogate", "empty", "generated"])
def test_split_stream_is_token_stream(texts):
    """The Arrow split: every text's tokens (as ids with the same properties) and nothing else,
    against ``_token_stream`` (in the code before this session) on a cold and a warm vocabulary."""
    batch = {"tricky": TRICKY, "whitespace": _whitespace_texts(), "surrogate": ["bad \udcff byte", "good"],
             "empty": [], "generated": _generated_corpus(30)["text"].tolist()}[texts]
    new, old = sentiment.VaderScorer()._tokens, sentiment.VaderScorer()._tokens
    for _ in range(2):
        ids, starts, ends = vader_batch.split_stream(new, batch)
        _, want_ids, want_starts, want_ends = _token_stream(old, batch)
        assert len(starts) == len(ends) == len(batch)
        for k in range(len(batch)):
            got_toks = [new.tokens[i] for i in ids[starts[k] : ends[k]].tolist()]
            want_toks = [old.tokens[i] for i in want_ids[want_starts[k] : want_ends[k]].tolist()]
            assert got_toks == want_toks == batch[k].split()
            assert new.code[ids[starts[k] : ends[k]]].tolist() == old.code[want_ids[want_starts[k] : want_ends[k]]].tolist()
        toks = {tok for b in batch for tok in b.split()}
        assert set(new.ids) == (toks if texts != "surrogate" else toks | {"\x00"})  # no separator unless _token_stream's
