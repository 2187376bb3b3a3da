"""Topic-model preprocessing: :class:`TopicVectorizer`, texts -> document-term counts.

One configurable step (token pattern, general + news-boilerplate + outlet stop words,
optional collocations and lemmatising, document-frequency trimming) that reports what each
sub-step removed (``report_``) and which automatic adjustments it made on small corpora
(``notes_``); the fitted vectorizer freezes the vocabulary for new data (``transform``,
``oov_report``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from helpers.text import STOP_WORDS

from .stopwords import DEFAULT_TOKEN_PATTERN, load_news_stop_words
from .tokens import (
    FitTrace,
    TokenCounts,
    as_texts,
    blank_texts,
    count_tokens,
    emptied_counter,
    find_tokens,
    oov_table,
    select_columns,
    stored_per_column,
    text_source,
)

__all__ = ["TopicVectorizer"]

#: Columns of ``TopicVectorizer.report_``.
REPORT_COLUMNS = [
    "step",
    "terms_removed",
    "tokens_removed",
    "docs_emptied",
    "terms_left",
    "tokens_left",
    "examples",
]


class TopicVectorizer(BaseEstimator, TransformerMixin):
    """Topic-model preprocessing as one step: texts -> document-term count matrix.

    Steps, in order: lower-case and tokenise with ``token_pattern`` (or a ``tokenizer``
    callable such as ``helpers.text.tokenize``); drop stop words (general English from
    ``helpers.text.STOP_WORDS`` when ``stop_words`` is "english" or "news", plus the news
    boilerplate YAML when "news", plus ``outlets`` and ``extra_stop_words``); join
    collocations (adjacent non-stop pairs seen >= ``collocation_min_count`` times with
    token-level NPMI >= ``collocation_threshold``) into ``word_word`` terms; lemmatise the
    remaining words with simplemma (offline, no downloads) if ``lemmatize``; drop terms by
    document frequency (``min_df``/``max_df``, int = documents, float = share) and keep the
    ``max_features`` most frequent.

    Small corpora: ``min_df`` is capped at ``max(1, n_docs // 20)`` and ``max_df`` is not
    applied below 10 documents, so one article split into paragraphs still has a vocabulary;
    every such adjustment is listed in ``notes_``.

    Attributes after ``fit``:
        vocabulary_ (dict term -> column), collocations_ (set of "a b" pairs joined),
        report_ (DataFrame: ``step``, ``terms_removed``, ``tokens_removed``,
        ``docs_emptied``, ``terms_left``, ``tokens_left``, ``examples``), notes_ (list[str]),
        n_docs_ (int).

    Example:
        >>> v = TopicVectorizer(min_df=1, max_df=1.0).fit(["Ships patrol the islands", "He said ships sail"])
        >>> v.get_feature_names_out().tolist()
        ['islands', 'patrol', 'sail', 'ships']
    """

    def __init__(
        self,
        token_pattern: str = DEFAULT_TOKEN_PATTERN,
        tokenizer=None,
        stop_words: str | Iterable[str] | None = "news",
        news_categories: Iterable[str] | None = None,
        stop_words_file: str | Path | None = None,
        outlets: Iterable[str] = (),
        extra_stop_words: Iterable[str] = (),
        min_df: int | float = 5,
        max_df: int | float = 0.5,
        max_features: int | None = None,
        collocations: bool = False,
        collocation_min_count: int = 10,
        collocation_threshold: float = 0.5,
        lemmatize: bool = False,
        lang: str = "en",
    ):
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer
        self.stop_words = stop_words
        self.news_categories = news_categories
        self.stop_words_file = stop_words_file
        self.outlets = outlets
        self.extra_stop_words = extra_stop_words
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.collocations = collocations
        self.collocation_min_count = collocation_min_count
        self.collocation_threshold = collocation_threshold
        self.lemmatize = lemmatize
        self.lang = lang

    # -- stop words ------------------------------------------------------------------
    def _stop_sets(self) -> tuple[frozenset[str], tuple[str, ...]]:
        sw = self.stop_words
        exact: set[str] = set()
        prefixes: tuple[str, ...] = ()
        if sw is None or sw is False:
            pass
        elif isinstance(sw, str):
            if sw not in ("english", "news"):
                raise ValueError(
                    f"stop_words={sw!r}: use 'news', 'english', None or a list of words"
                )
            exact |= set(STOP_WORDS)
            if sw == "news":
                news, prefixes = load_news_stop_words(self.stop_words_file, self.news_categories)
                exact |= news
        else:
            exact |= {str(w).lower() for w in sw}
        exact |= {str(w).lower() for w in self.outlets}
        exact |= {str(w).lower() for w in self.extra_stop_words}
        return frozenset(exact), prefixes

    def _is_stop_fn(self):
        exact, prefixes = self._stop_sets()
        cache: dict[str, bool] = {}

        def is_stop(tok: str) -> bool:
            r = cache.get(tok)
            if r is None:
                r = tok in exact or (bool(prefixes) and tok.startswith(prefixes))
                cache[tok] = r
            return r

        return is_stop

    def _tokenize(self, text: str) -> list[str]:
        if self.tokenizer is not None:
            return [t.lower() for t in self.tokenizer(text)]
        return self._pattern.findall(text.lower())

    def _lemma_fn(self):
        if not self.lemmatize:
            return None
        import simplemma

        cache: dict[str, str] = {}

        def lemma(tok: str) -> str:
            r = cache.get(tok)
            if r is None:
                r = simplemma.lemmatize(tok, lang=self.lang).lower()
                cache[tok] = r
            return r

        return lemma

    # -- core analysis ---------------------------------------------------------------
    def _prepare(self):
        self._pattern = re.compile(self.token_pattern)
        self._find = find_tokens(self._pattern)
        self._is_stop = self._is_stop_fn()
        self._lemma = self._lemma_fn()

    def _segments(
        self, text: str, raw_types: set | None = None, stops: Counter | None = None
    ) -> tuple[list[list[str]], int, int]:
        """Runs of adjacent non-stop tokens (collocations never bridge a removed word).

        During fit, ``raw_types`` and ``stops`` collect the token types and the stop words
        removed, for the preprocessing report.
        """
        segs, cur, n_raw, n_stop = [], [], 0, 0
        for tok in self._tokenize(text):
            n_raw += 1
            if raw_types is not None:
                raw_types.add(tok)
            if self._is_stop(tok):
                n_stop += 1
                if stops is not None:
                    stops[tok] += 1
                if cur:
                    segs.append(cur)
                    cur = []
            else:
                cur.append(tok)
        if cur:
            segs.append(cur)
        return segs, n_raw, n_stop

    def _finish(self, segs: list[list[str]]) -> tuple[list[str], int, int]:
        """Join fitted collocations, lemmatise, drop lemmas that are stop words."""
        out, n_joined, n_lemma_stop = [], 0, 0
        coll = self.collocations_
        for seg in segs:
            i = 0
            while i < len(seg):
                if coll and i + 1 < len(seg) and (seg[i], seg[i + 1]) in coll:
                    out.append(f"{seg[i]}_{seg[i + 1]}")
                    n_joined += 1
                    i += 2
                    continue
                tok = seg[i]
                if self._lemma is not None:
                    tok = self._lemma(tok)
                    if self._is_stop(tok):
                        n_lemma_stop += 1
                        i += 1
                        continue
                out.append(tok)
                i += 1
        return out, n_joined, n_lemma_stop

    def _find_collocations(self, all_segs: list[list[list[str]]]) -> set[tuple[str, str]]:
        uni, bi = Counter(), Counter()
        for segs in all_segs:
            for seg in segs:
                uni.update(seg)
                bi.update(zip(seg, seg[1:], strict=False))
        n = sum(uni.values())
        if n == 0:
            return set()
        found = set()
        for (a, b), c in bi.items():
            if c < self.collocation_min_count:
                continue
            p_ab = c / n
            npmi = math.log(p_ab / ((uni[a] / n) * (uni[b] / n))) / -math.log(p_ab)
            if npmi >= self.collocation_threshold:
                found.add((a, b))
        return found

    def analyze(self, text: str) -> list[str]:
        """The fitted pipeline's terms for one text (before document-frequency trimming)."""
        self._check_fitted()
        if self._fast():  # no collocations, no lemmas: the terms are the non-stop tokens
            if not hasattr(self, "_pattern"):
                self._prepare()
            is_stop = self._is_stop
            return [t for t in self._find(text.lower()) if not is_stop(t)]
        segs, _, _ = self._segments(text)
        return self._finish(segs)[0]

    def _check_fitted(self):
        if not hasattr(self, "vocabulary_"):
            raise RuntimeError("TopicVectorizer is not fitted yet: call fit(texts) first")

    def fit(self, texts, y=None):
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts, y=None, tokens=None):
        """Fit on ``texts`` and return their counts. ``tokens``: their :class:`TokenCounts`
        made already (:meth:`token_counts`, or :func:`~helpers.topics.tokens.document_counts`
        from their paragraphs'), so they are not tokenised again (default path only)."""
        docs = text_source(texts)  # the default path makes the strings a chunk at a time
        self._prepare()
        self.notes_: list[str] = []
        if tokens is not None and not self._fast():
            raise ValueError("tokens= needs the default tokenising (no tokenizer, collocations or lemmas)")
        if self._fast():
            self.collocations_ = set()
            trace, tc = self._count_corpus(docs, tokens)
            self._fit_vocabulary(trace)
            rows = self._token_step_rows(trace) + self._trim_step_rows(trace)
            X = select_columns(tc, self.vocabulary_, consume=tokens is None)  # tc's arrays become X's
        else:
            trace = self._tokenize_corpus(as_texts(docs))
            self.collocations_ = self._find_collocations(trace.all_segs) if self.collocations else set()
            self._finish_corpus(trace)
            self._fit_vocabulary(trace)
            rows = self._token_step_rows(trace) + self._trim_step_rows(trace)
            X = self._count_matrix(trace.term_docs)
        empty_final = int((np.asarray(X.sum(axis=1)).ravel() == 0).sum())
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

    def _fast(self) -> bool:
        """A document's terms are its non-stop tokens: count them with array operations."""
        return self.tokenizer is None and not self.collocations and not self.lemmatize

    def _count_corpus(self, docs, tc: TokenCounts | None = None):
        """The fast path's trace (same fields, same report) and its token counts (``tc``: made
        already). ``docs``: a list or Series (:func:`~helpers.topics.tokens.text_source`)."""
        if tc is None:
            tc = count_tokens(docs, self._pattern, self._is_stop)
        elif tc.doc_term.shape[0] != len(docs):
            raise ValueError(f"tokens of {tc.doc_term.shape[0]} texts given for {len(docs)} texts")
        blank = tc.blank if tc.blank is not None else blank_texts(docs)
        trace = FitTrace(len(docs), int(blank.sum()))
        trace.n_raw, trace.n_raw_types = tc.n_raw, len(tc.types)
        trace.n_stop = int(tc.stop_counts.sum())
        # Counter order = first appearance, as a sequential pass would insert them
        trace.stop_examples = Counter({tc.types[i]: int(tc.stop_counts[i])
                                       for i in np.flatnonzero(tc.stop_counts)})
        tf = np.asarray(tc.doc_term.sum(axis=0)).ravel()
        df = stored_per_column(tc.doc_term)  # np.diff(tc.doc_term.tocsc().indptr), no CSC copy
        used = np.flatnonzero(df)
        trace.counts = Counter({tc.types[i]: int(tf[i]) for i in used})
        trace.dfreq = Counter({tc.types[i]: int(df[i]) for i in used})
        has_terms = np.diff(tc.doc_term.indptr) > 0
        trace.n_stop_emptied = int(np.count_nonzero(~blank & ~has_terms))
        trace.emptied = emptied_counter(tc)
        return trace, tc

    def _tokenize_corpus(self, docs: list[str]) -> FitTrace:
        """Tokenise every document and drop stop words, counting what was removed."""
        trace = FitTrace(len(docs), sum(1 for d in docs if not d.strip()))
        for d in docs:
            segs, r, s = self._segments(d, trace.raw_types, trace.stop_examples)
            trace.all_segs.append(segs)
            trace.n_raw += r
            trace.n_stop += s
        trace.n_raw_types = len(trace.raw_types)
        trace.n_stop_emptied = sum(
            1 for d, segs in zip(docs, trace.all_segs, strict=True) if d.strip() and not segs
        )
        return trace

    def _finish_corpus(self, trace: FitTrace) -> None:
        """Join collocations and lemmatise every document's segments into its terms; count
        terms and document frequencies."""
        for segs in trace.all_segs:
            terms, j, ls = self._finish(segs)
            trace.term_docs.append(terms)
            trace.n_joined += j
            trace.n_lemma_stop += ls
        for terms in trace.term_docs:
            c = Counter(terms)
            trace.counts.update(c)
            trace.dfreq.update(c.keys())
        doc_sets = [set(t) for t in trace.term_docs]

        def emptied(before: set[str], removed: set[str]) -> int:
            # documents that still had a term before this step and have none after it
            return sum(1 for d in doc_sets if (d & before) and not (d & before) - removed)

        trace.emptied = emptied

    def _fit_vocabulary(self, trace: FitTrace) -> None:
        """Trim terms by document frequency and ``max_features``; set the vocabulary."""
        counts, dfreq = trace.counts, trace.dfreq
        n_docs = trace.n_docs
        self.n_docs_ = n_docs
        min_df, max_df = self._effective_df(n_docs)
        too_rare = {t for t, d in dfreq.items() if d < min_df}
        too_common = {t for t, d in dfreq.items() if d > max_df and t not in too_rare}
        kept = [t for t in counts if t not in too_rare and t not in too_common]
        capped = []
        if self.max_features is not None and len(kept) > self.max_features:
            kept.sort(key=lambda t: (-counts[t], t))
            capped = kept[self.max_features :]
            kept = kept[: self.max_features]
        kept = sorted(kept)
        trace.min_df, trace.max_df = min_df, max_df
        trace.too_rare, trace.too_common, trace.capped = too_rare, too_common, capped
        self.vocabulary_ = {t: i for i, t in enumerate(kept)}
        # every term seen in training, kept or trimmed: "unknown" in new data means not in here
        self.seen_terms_ = frozenset(counts)
        self.term_frequency_ = np.array([counts[t] for t in kept], dtype=np.int64)
        self.document_frequency_ = np.array([dfreq[t] for t in kept], dtype=np.int64)

    def _token_step_rows(self, trace: FitTrace) -> list[tuple]:
        """Report rows of the token steps: documents, stop words, collocations, lemmas."""
        all_segs, counts = trace.all_segs, trace.counts
        n_raw, n_stop, n_joined = trace.n_raw, trace.n_stop, trace.n_joined
        stop_types = set(trace.stop_examples)
        rows = [
            (
                "documents",
                0,
                0,
                trace.n_blank,
                trace.n_raw_types,
                n_raw,
                "",
            ),
            (
                "stop words",
                len(stop_types),
                n_stop,
                trace.n_stop_emptied,
                trace.n_raw_types - len(stop_types),
                n_raw - n_stop,
                ", ".join(w for w, _ in trace.stop_examples.most_common(8)),
            ),
        ]
        if self.collocations:
            rows.append(
                (
                    "collocations joined",
                    0,
                    n_joined,  # each join turns two tokens into one term
                    0,
                    np.nan,
                    n_raw - n_stop - n_joined,
                    ", ".join(sorted(f"{a}_{b}" for a, b in self.collocations_)[:8]),
                )
            )
        if self.lemmatize:
            rows.append(
                (
                    "lemmatised",
                    0,
                    trace.n_lemma_stop,
                    sum(
                        1
                        for t, segs in zip(trace.term_docs, all_segs, strict=True)
                        if segs and not t
                    ),
                    len(counts),
                    sum(counts.values()),
                    "lemmas that are stop words dropped",
                )
            )
        return rows

    def _trim_step_rows(self, trace: FitTrace) -> list[tuple]:
        """Report rows of the document-frequency and ``max_features`` trimming."""
        counts, dfreq = trace.counts, trace.dfreq

        def tok_sum(terms):
            return int(sum(counts[t] for t in terms))

        def ex(terms, key):
            return ", ".join(sorted(terms, key=key)[:8])

        emptied = trace.emptied
        alive = set(counts)
        steps = [
            (f"min_df (< {trace.min_df} docs)", set(trace.too_rare), lambda t: (-counts[t], t)),
            (f"max_df (> {trace.max_df} docs)", set(trace.too_common), lambda t: (-dfreq[t], t)),
        ]
        if trace.capped:
            steps.append(
                (
                    f"max_features ({self.max_features})",
                    set(trace.capped),
                    lambda t: (-counts[t], t),
                )
            )
        rows = []
        for name, removed, key in steps:
            n_emptied = emptied(alive, removed)
            alive -= removed
            rows.append(
                (
                    name,
                    len(removed),
                    tok_sum(removed),
                    n_emptied,
                    len(alive),
                    tok_sum(alive),
                    ex(removed, key),
                )
            )
        return rows

    def _effective_df(self, n_docs: int) -> tuple[int, int]:
        min_df = self.min_df if isinstance(self.min_df, int) else math.ceil(self.min_df * n_docs)
        max_df = self.max_df if isinstance(self.max_df, int) else math.floor(self.max_df * n_docs)
        cap = max(1, n_docs // 20)
        if min_df > cap:
            self.notes_.append(
                f"min_df lowered from {min_df} to {cap} documents: only {n_docs} documents"
            )
            min_df = cap
        if n_docs < 10:
            if max_df < n_docs:
                self.notes_.append(f"max_df not applied: only {n_docs} documents")
            max_df = n_docs
        max_df = max(max_df, min_df)
        return int(min_df), int(max_df)

    def _count_matrix(self, term_docs: list[list[str]]) -> sparse.csr_matrix:
        voc = self.vocabulary_
        indptr, indices, data = [0], [], []
        for terms in term_docs:
            c = Counter(voc[t] for t in terms if t in voc)
            cols = sorted(c)
            indices.extend(cols)
            data.extend(c[j] for j in cols)
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
            shape=(len(term_docs), len(voc)),
        )

    def transform(self, texts):
        """Count matrix of new texts over the frozen vocabulary (unknown terms ignored)."""
        self._check_fitted()
        if self._fast():
            return select_columns(self._token_counts(texts), self.vocabulary_)
        return self._count_matrix([self.analyze(d) for d in as_texts(texts)])

    def _token_counts(self, texts):
        """Token counts of new texts with the fitted stop words (fast path)."""
        if not hasattr(self, "_pattern"):
            self._prepare()
        return count_tokens(texts, self._pattern, self._is_stop)

    def token_counts(self, texts) -> TokenCounts:
        """The :class:`~helpers.topics.tokens.TokenCounts` of ``texts`` with this vectorizer's
        token pattern and stop words (its settings, fitted or not; default path only), for
        ``fit_transform(..., tokens=)`` and ``transform_with_lengths(..., tokens=)``."""
        if not self._fast():
            raise ValueError("token_counts needs the default tokenising (no tokenizer, collocations or lemmas)")
        self._prepare()
        return count_tokens(texts, self._pattern, self._is_stop)

    def transform_with_lengths(self, texts, tokens=None) -> tuple[sparse.csr_matrix, np.ndarray]:
        """``(counts, n_terms)``: :meth:`transform` and each text's number of content terms
        (known or not, as ``oov_report``'s ``n_terms``) from one pass of the analyser.
        ``tokens``: the texts' :meth:`token_counts`, made already (not tokenised again)."""
        self._check_fitted()
        if tokens is not None and not self._fast():
            raise ValueError("tokens= needs the default tokenising (no tokenizer, collocations or lemmas)")
        if self._fast():
            tc = self._token_counts(texts) if tokens is None else tokens
            if tc.doc_term.shape[0] != len(texts):
                raise ValueError(f"tokens of {tc.doc_term.shape[0]} texts given for {len(texts)} texts")
            n_terms = np.asarray(tc.doc_term.sum(axis=1)).ravel().astype(np.int64)
            return select_columns(tc, self.vocabulary_), n_terms
        term_docs = [self.analyze(d) for d in as_texts(texts)]
        lengths = np.array([len(t) for t in term_docs], dtype=np.int64)
        return self._count_matrix(term_docs), lengths

    def get_feature_names_out(self, input_features=None):
        self._check_fitted()
        return np.array(sorted(self.vocabulary_, key=self.vocabulary_.get), dtype=object)

    def oov_report(self, texts, ids: Sequence | None = None) -> pd.DataFrame:
        """Out-of-vocabulary rates of new texts against the frozen vocabulary.

        Terms are counted after stop words/lemmatising (content terms). A term is
        *unseen* if it never occurred in the training texts (new names, new subjects) and
        *trimmed* if it occurred but was dropped by min_df/max_df/max_features (a choice,
        not a gap); the model reads neither.

        Returns:
            DataFrame with ``doc_id``, ``n_terms`` (content terms), ``n_in_vocab``,
            ``oov_rate`` (unseen / n_terms; NaN when the text has no content term),
            ``trimmed_rate`` (trimmed / n_terms), ``top_oov`` (most frequent unseen terms).
        """
        self._check_fitted()
        docs = as_texts(texts)
        ids = list(ids) if ids is not None else list(range(len(docs)))
        seen = getattr(self, "seen_terms_", frozenset(self.vocabulary_))
        if self._fast() and docs:  # one array pass (the same table)
            if not hasattr(self, "_pattern"):
                self._prepare()
            return oov_table(docs, ids, self._pattern, self._is_stop, seen, self.vocabulary_)
        rows = []
        for i, d in zip(ids, docs, strict=True):
            terms = self.analyze(d)
            unseen = Counter(t for t in terms if t not in seen)
            n = len(terms)
            n_in = sum(1 for t in terms if t in self.vocabulary_)
            n_unseen = sum(unseen.values())
            rows.append(
                {
                    "doc_id": i,
                    "n_terms": n,
                    "n_in_vocab": n_in,
                    "oov_rate": n_unseen / n if n else np.nan,
                    "trimmed_rate": (n - n_in - n_unseen) / n if n else np.nan,
                    "top_oov": ", ".join(t for t, _ in unseen.most_common(5)),
                }
            )
        return pd.DataFrame(
            rows,
            columns=["doc_id", "n_terms", "n_in_vocab", "oov_rate", "trimmed_rate", "top_oov"],
        )

