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
from helpers.corpus.minhash import _token_hashes, _word_hashes, shingle_sets
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
