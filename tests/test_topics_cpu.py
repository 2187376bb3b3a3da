"""Topics CPU (issue 12): tokenising a corpus's paragraphs once for its documents and passages.

Each test compares the new path with the code it replaces (``_reference_*``: verbatim copies
of the functions before the change), on the seed article, corpus-2k (when present) and edge
texts.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from helpers import config
from helpers import topics as tp
from helpers.text import units
from helpers.topics import tokens as ttokens
from helpers.topics.preprocess import REPORT_COLUMNS, TopicVectorizer
from helpers.topics.tokens import count_tokens, select_columns

# paragraph edges: blank lines, single line breaks, CRLF, tabs, no-break spaces, Greek capital
# sigma at paragraph ends (lower() is context-dependent there), tokens touching the edges
EDGE = [
    "",
    "   \n\n  ",
    None,
    float("nan"),
    "one line only, the said words",
    "Alpha beta gamma\n\nDelta epsilon zeta\n\n\n\nEta theta",
    "First line here\nsecond line there\n  third line everywhere  ",
    "Windows\r\n\r\nline endings\r\n\r\nagain",
    "\ttabbed start\n\t\nnext block\u00a0\n\n\u00a0after nbsp",
    "ΟΔΟΣ\n\nΣΟΦΟΣ ΛΟΓΟΣ\nΑΣ\n\nΣΣΣ ΟΔΟΣΣ",
    "“Quoted” words — don’t stop «here»\n\nmixed123abc café naïve Zürich",
    "the of and\n\nsaid\n\nthe",
    "word\n\nword\n\nword word",
]


def _seed_texts() -> list[str]:
    text = next(config.PROJECT_ROOT.joinpath("data", "raw").glob("*.txt")).read_text(encoding="utf-8")
    paras = text.split("\n\n")
    # documents of a few of the seed's paragraphs each, joined with blank or single line breaks
    return ["\n\n".join(paras[i : i + 4]) for i in range(0, len(paras), 3)] + [
        "\n".join(paras[i : i + 3]) for i in range(0, len(paras), 5)
    ]


def _real_texts(n: int = 400) -> list[str]:
    path = config.PROJECT_ROOT / "benchmarks" / "results" / "scale" / "corpus-2k.jsonl"
    texts = []
    if path.exists():
        with path.open(encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for _, line in zip(range(n), f, strict=False)]
    return texts


@pytest.fixture(scope="module")
def docs():
    return _seed_texts() + EDGE + _real_texts() + EDGE[:6]


# ---------------------------------------------------------------- verbatim references (old code)
def _reference_fit_transform(self, texts, y=None):
    docs = [
        "" if (t is None or (isinstance(t, float) and t != t)) else str(t) for t in texts
    ]
    self._prepare()
    self.notes_: list[str] = []
    if self._fast():
        self.collocations_ = set()
        trace, tc = self._count_corpus(docs)
        self._fit_vocabulary(trace)
        X = select_columns(tc, self.vocabulary_)
    else:
        trace = self._tokenize_corpus(docs)
        self.collocations_ = self._find_collocations(trace.all_segs) if self.collocations else set()
        self._finish_corpus(trace)
        self._fit_vocabulary(trace)
        X = self._count_matrix(trace.term_docs)
    empty_final = int((np.asarray(X.sum(axis=1)).ravel() == 0).sum())
    rows = self._token_step_rows(trace) + self._trim_step_rows(trace)
    rows.append(("final", 0, 0, empty_final, len(self.vocabulary_), int(X.sum()), ""))
    self.report_ = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    if empty_final:
        self.notes_.append(
            f"{empty_final} of {self.n_docs_} documents have no term left after preprocessing; "
            "they get no topic (dominant_topic -1)"
        )
    if not self.vocabulary_:
        self.notes_.append("No term survived preprocessing: check stop words and min_df/max_df")
    return X


def _reference_transform_with_lengths(self, texts):
    self._check_fitted()
    if self._fast():
        tc = self._token_counts(texts)
        n_terms = np.asarray(tc.doc_term.sum(axis=1)).ravel().astype(np.int64)
        return select_columns(tc, self.vocabulary_), n_terms
    term_docs = [self.analyze(d) for d in texts]
    lengths = np.array([len(t) for t in term_docs], dtype=np.int64)
    return self._count_matrix(term_docs), lengths


def _same_token_counts(a, b):
    assert a.types == b.types and a.n_raw == b.n_raw
    np.testing.assert_array_equal(a.stop, b.stop)
    np.testing.assert_array_equal(a.stop_counts, b.stop_counts)
    assert a.doc_term.shape == b.doc_term.shape and a.doc_term.dtype == b.doc_term.dtype
    for name in ("indptr", "indices", "data"):
        x, y = getattr(a.doc_term, name), getattr(b.doc_term, name)
        assert x.dtype == y.dtype, name
        np.testing.assert_array_equal(x, y)


def _same_matrix(A, B):
    assert A.shape == B.shape and A.format == B.format == "csr"
    for name in ("indptr", "indices", "data"):
        x, y = getattr(A, name), getattr(B, name)
        assert x.dtype == y.dtype, name
        np.testing.assert_array_equal(x, y)


def _split(docs):
    corpus = pd.DataFrame({"doc_id": [f"d{i % 7}" for i in range(len(docs))], "text": docs})
    return corpus, units(corpus, "paragraph")


# ---------------------------------------------------------------- tests
@pytest.mark.parametrize("kw", [{}, {"stop_words": "english", "outlets": ["Global Times"]}, {"stop_words": None}])
def test_document_counts_equal_tokenising_documents(docs, kw, monkeypatch):
    """A document's counts from its paragraphs' are those of tokenising it (types in the same
    order of first appearance, the same stop counts, the same CSR arrays), in chunks or not;
    the doc_ids repeat (d0..d6) so documents are told apart by position, not id."""
    corpus, paras = _split(docs)
    vec = TopicVectorizer(**kw)
    texts = ["" if not isinstance(t, str) else t for t in docs]
    ref = count_tokens(texts, re_pattern(vec), vec._is_stop)
    for chars in (ttokens.CHUNK_CHARS, 3_000):
        monkeypatch.setattr(ttokens, "CHUNK_CHARS", chars)
        unit_tc = vec.token_counts(paras["text"])
        _same_token_counts(tp.document_counts(unit_tc, paras, corpus["text"]), ref)
    assert ref.n_raw > 1000 and len(paras) > len(docs)


def re_pattern(vec):
    vec._prepare()
    return vec._pattern


def test_document_counts_checks_its_input(docs):
    corpus, paras = _split(docs)
    vec = TopicVectorizer()
    unit_tc = vec.token_counts(paras["text"])
    with pytest.raises(ValueError):  # units of other texts
        tp.document_counts(unit_tc, paras, corpus["text"].iloc[:-3])
    with pytest.raises(ValueError):  # counts of other units
        tp.document_counts(vec.token_counts(paras["text"].iloc[:-1]), paras, corpus["text"])
    first_docs = paras[np.cumsum(paras["position"].to_numpy() == 0) < 5]  # a document missing
    with pytest.raises(ValueError):
        tp.document_counts(vec.token_counts(first_docs["text"]), first_docs, corpus["text"])
    sents = units(corpus.iloc[:5], "sentence")
    with pytest.raises(ValueError):
        tp.document_counts(vec.token_counts(sents["text"]), sents, corpus["text"].iloc[:5])
    with pytest.raises(TypeError):
        tp.document_counts(unit_tc, paras, list(corpus["text"].iloc[:-1]) + [12])
    empty = tp.document_counts(vec.token_counts([]), paras.iloc[:0], ["", None, "  "])
    assert empty.doc_term.shape == (3, 0) and empty.n_raw == 0


@pytest.mark.parametrize("kw", [{"min_df": 2}, {"min_df": 3, "max_df": 0.3, "max_features": 40}, {"min_df": 50}])
def test_fit_with_paragraph_tokens_equals_reference(docs, kw):
    """fit_transform(tokens=document_counts(...)) = the old fit_transform on the texts: matrix,
    vocabulary, report (stop-word examples in the same tie order), notes, frequencies."""
    corpus, paras = _split(docs)
    ref_vec = TopicVectorizer(outlets=["Global Times"], **kw)
    ref = _reference_fit_transform(ref_vec, corpus["text"])
    vec = TopicVectorizer(outlets=["Global Times"], **kw)
    unit_tc = vec.token_counts(paras["text"])
    got = vec.fit_transform(corpus["text"], tokens=tp.document_counts(unit_tc, paras, corpus["text"]))
    _same_matrix(got, ref)
    assert vec.vocabulary_ == ref_vec.vocabulary_ and vec.notes_ == ref_vec.notes_
    assert vec.seen_terms_ == ref_vec.seen_terms_
    pd.testing.assert_frame_equal(vec.report_, ref_vec.report_)
    np.testing.assert_array_equal(vec.term_frequency_, ref_vec.term_frequency_)
    np.testing.assert_array_equal(vec.document_frequency_, ref_vec.document_frequency_)
    # the passages read the same paragraph counts
    m, n = vec.transform_with_lengths(paras["text"], tokens=unit_tc)
    rm, rn = _reference_transform_with_lengths(ref_vec, paras["text"].tolist())
    _same_matrix(m, rm)
    np.testing.assert_array_equal(n, rn)
    with pytest.raises(ValueError):
        vec.transform_with_lengths(paras["text"].iloc[:-1], tokens=unit_tc)
    with pytest.raises(ValueError):
        TopicVectorizer().fit_transform(corpus["text"].iloc[:-1], tokens=tp.document_counts(unit_tc, paras, corpus["text"]))


def test_slow_path_refuses_tokens(docs):
    corpus, paras = _split(docs[:20])
    vec = TopicVectorizer(lemmatize=True, min_df=1)
    with pytest.raises(ValueError):
        vec.token_counts(paras["text"])
    tc = TopicVectorizer(min_df=1).token_counts(paras["text"])
    with pytest.raises(ValueError):
        vec.fit_transform(corpus["text"], tokens=tp.document_counts(tc, paras, corpus["text"]))


def test_passages_with_paragraph_tokens_equal_reference(docs):
    """representative_passages with the paragraphs' counts made once = tokenising them there."""
    corpus, paras = _split(docs)
    vec = TopicVectorizer(min_df=2)
    unit_tc = vec.token_counts(paras["text"])
    counts = vec.fit_transform(corpus["text"], tokens=tp.document_counts(unit_tc, paras, corpus["text"]))
    model = tp.TopicModel(4, vectorizer=vec).fit(counts)
    got = tp.representative_passages(model, paras, n=3, min_terms=4, tokens=unit_tc)
    ref = tp.representative_passages(model, paras, n=3, min_terms=4)
    assert len(ref) > 5
    pd.testing.assert_frame_equal(got, ref)
