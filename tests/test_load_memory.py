"""Loading in bounded memory gives the same corpus: shingles and signatures computed a batch of
documents at a time equal the one-pass result (a batch as large as the corpus is the unbatched
code), on real and generated text with empty, one-word and short documents."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.corpus.identity import normalise_for_hash
from helpers.corpus.minhash import shingle_sets, signatures


def _texts(seed_text: str) -> list[str]:
    norm = normalise_for_hash(seed_text)
    words = norm.split()
    rng = np.random.default_rng(12)
    generated = [" ".join(rng.choice(words, size=int(k))) for k in rng.integers(0, 30, size=60)]
    return [norm, "", "a", "a b", norm, "", *generated, "two  spaces here", "nato’s i̇zmi̇r", norm[: len(norm) // 2]]


@pytest.mark.parametrize("batch", [1, 2, 7, 33])
def test_batched_shingles_and_signatures_equal_one_pass(seed_corpus, batch):
    texts = _texts(seed_corpus["text"].iloc[0])
    whole = shingle_sets(texts, batch=len(texts))
    part = shingle_sets(texts, batch=batch)
    assert part.bits == whole.bits
    assert np.array_equal(part.offsets, whole.offsets) and np.array_equal(part.hashes, whole.hashes)
    assert part.hashes.dtype == np.uint64 and part.offsets.dtype == np.int64
    sig = signatures(whole, batch=len(texts))
    assert np.array_equal(signatures(part, batch=batch), sig)
    assert (sig[1] == np.iinfo(np.uint32).max).all() and not (sig[0] == np.iinfo(np.uint32).max).all()


def test_batches_of_only_empty_documents():
    texts = ["", "", "a b c d e f", "", ""]
    whole, part = shingle_sets(texts, batch=99), shingle_sets(texts, batch=2)
    assert np.array_equal(whole.offsets, part.offsets) and np.array_equal(whole.hashes, part.hashes)
    assert np.array_equal(signatures(whole, batch=99), signatures(part, batch=2))
    assert shingle_sets([]).hashes.size == 0 and signatures(shingle_sets([])).shape == (0, 256)
