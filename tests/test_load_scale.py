"""Fast paths of loading and of notebook 00's figures against plain references.

Word hashes for shingles come from Arrow (split, dictionary-encode) instead of one Python string
per word: the reference is ``str.split`` + :func:`_word_hashes`, on normalised real text, on
generated text and on texts whose spacing makes the two splits differ (those take the reference
path).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.corpus.identity import normalise_for_hash
from helpers.corpus.minhash import _irregular_spacing, _token_hashes, _word_hashes, shingle_sets
from helpers.plots import corpus as corpus_plots


def _reference_token_hashes(normalised):
    split = [t.split() for t in normalised]
    lengths = np.array([len(w) for w in split], dtype=np.int64)
    return lengths, _word_hashes([w for ws in split for w in ws])


def _cases(seed_text: str) -> list[list[str]]:
    norm = normalise_for_hash(seed_text)
    words = norm.split()
    rng = np.random.default_rng(3)
    generated = [" ".join(rng.choice(words, size=int(k))) for k in rng.integers(0, 40, size=50)]
    return [[norm, "", norm, "nato’s 2,000 i̇zmi̇r"], generated, [], ["", ""], ["a"],
            [norm, " leading space"], ["trailing "], ["two  spaces"], ["tab\there"], ["nbsp\u00a0x y"],
            ["line\u2028sep", "ok words"], ["x\x1cy"]]


def test_token_hashes_match_str_split(seed_corpus):
    for texts in _cases(seed_corpus["text"].iloc[0]):
        got, ref = _token_hashes(texts), _reference_token_hashes(texts)
        assert np.array_equal(got[0], ref[0]) and np.array_equal(got[1], ref[1]), texts[:2]
        assert got[0].dtype == np.int64 and got[1].dtype == np.uint64


def _reference_irregular_spacing() -> str:
    import sys

    other = "".join(f"\\x{{{ord(c):x}}}" for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c != " ")
    return f"^ | $|  |[{other}]"


def test_irregular_spacing_pattern_lists_every_other_whitespace():
    assert _irregular_spacing() == _reference_irregular_spacing()


def test_shingle_sets_unchanged_on_irregular_spacing():
    # the same words with irregular spacing give the same shingles (str.split semantics)
    a = shingle_sets(["a b c d e f g", "x y"])
    b = shingle_sets([" a  b c\td e f g ", "x\u00a0y"])
    assert np.array_equal(a.hashes, b.hashes) and np.array_equal(a.offsets, b.offsets)


@pytest.mark.parametrize("freq,width", [("D", 0.8), ("W", 5.6), ("MS", 20), ("YS", 5)])  # one year: one bar
def test_timeline_bars_do_not_overlap(freq, width):
    dates = pd.date_range("2024-01-01", "2024-12-31", freq="D")
    corpus = pd.DataFrame({"date": dates, "outlet": [f"o{i % 30}" for i in range(len(dates))]})
    fig, table = corpus_plots.plot_documents_over_time(corpus, freq=freq)
    bars = fig.axes[0].patches
    assert bars and bars[0].get_width() == pytest.approx(width)
    assert table[table.columns[1]].nunique() <= 9  # top 8 outlets + "(other)"


def test_cluster_sizes_lump_the_tail_in_the_figure_not_the_table():
    clusters = pd.DataFrame({"size": list(range(2, 42)) + [2, 2]})
    fig, table = corpus_plots.plot_cluster_sizes(clusters)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert len(fig.axes[0].patches) == corpus_plots.CLUSTER_SIZE_BARS and labels[-1] == "≥ 16"
    assert len(table) == 40 and int(table["stories"].sum()) == 42
    assert fig.axes[0].patches[-1].get_height() == 26
    few = corpus_plots.plot_cluster_sizes(pd.DataFrame({"size": [2, 3, 3]}))[0]
    assert [t.get_text() for t in few.axes[0].get_xticklabels()] == ["2", "3"]


def _reference_normalise_for_hash(text: str) -> str:
    from helpers.text import tokenize

    return " ".join(tokenize(text, keep_numbers=True))


def test_normalise_for_hash_matches_reference():
    texts = ["", "NATO's 2,000 men — “quoted” £5.50 50%", "Café İstanbul's ΣΟΦΙΑ'S", "a\x00b's\u00a0c–d",
             "U.S.-based K-pop’s 1990's rock'n'roll", "x_y a1b2 ½ ²", "\u200bzero-width\u200bspace"]
    for t in texts:
        assert normalise_for_hash(t) == _reference_normalise_for_hash(t), t


def _reference_scores(model, encoded, walk=8):
    """The previous :func:`identity._scores`: an 8-byte walk and COO -> CSR counts."""
    from scipy.sparse import coo_matrix

    nm, rowbase = model["nm"], model["rowbase"]
    lens = np.fromiter((len(e) for e in encoded), dtype=np.int64, count=len(encoded))
    b = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.int64)
    n = len(b)
    state = np.zeros(n, dtype=np.int64)
    for k in range(walk):
        lag = walk - 1 - k
        state[lag:] = nm[rowbase[state[lag:]] + b[: n - lag]]
    starts, prev = np.cumsum(lens) - lens, np.zeros(len(encoded), dtype=np.int64)
    for j in range(walk - 1):
        ok = lens > j
        pos = starts[ok] + j
        prev[ok] = nm[rowbase[prev[ok]] + b[pos]]
        state[pos] = prev[ok]
    feats = model["out"][state]
    keep = feats >= 0
    docs = np.repeat(np.arange(len(encoded)), lens)[keep]
    counts = coo_matrix((np.ones(int(keep.sum()), dtype=np.float32), (docs, feats[keep])),
                        shape=(len(encoded), len(model["ptc"]))).tocsr()
    counts.sum_duplicates()
    counts.data = np.log1p(counts.data)
    return np.asarray(counts @ model["ptc"]) + model["pc"]


def test_language_scores_equal_reference_exactly():
    import random

    from helpers.corpus import identity

    model = identity._model()
    rng = random.Random(5)
    alphabet = "abcdefghij klmnop.,'’ éüß日本語中文Ελληνικάрусский\n"
    texts = ["a", "ab", "abcdef", "abcdefg", "Die Regierung hat am Montag neue Klimaziele beschlossen.",
             "政府周一宣布了新的气候目标。", "the the the the the", "x" * 3000, "\u00e9" * 7]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 300))) for _ in range(300)]
    encoded = [identity._encode(t) for t in texts]
    for lo, hi in ((0, len(encoded)), (0, 1), (3, 4), (5, 9)):
        assert np.array_equal(identity._scores(model, encoded[lo:hi]), _reference_scores(model, encoded[lo:hi]))
