"""Units of analysis: a corpus split at a level, or each story cut into headline, lead, body.

:func:`as_units` gives every measure the same input: a units table from
:func:`helpers.text.units` (document, paragraph or sentence), or one passed through unchanged.
:func:`section_units` cuts each document into its :data:`SECTIONS`, for frame flow through a
story.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..text import paragraph_spans, sentence_spans, sentence_spans_each, units


def as_units(data: pd.DataFrame, level: str = "document") -> pd.DataFrame:
    """A units table from a corpus (split at ``level``) or a units table passed through.

    A table that already has ``unit_id`` is returned unchanged; otherwise it needs ``doc_id``
    and ``text`` and is split with :func:`helpers.text.units`. A table with ``text`` but no
    ``doc_id`` (e.g. a labelled file) gets ``doc_id`` = row number.
    """
    if "unit_id" in data.columns:
        return data
    if "text" not in data.columns:
        raise ValueError(f"need a 'text' column (got {list(data.columns)})")
    if "doc_id" not in data.columns:
        data = data.assign(doc_id=[str(i) for i in range(len(data))])
    return units(data, level)


SECTIONS = ("headline", "lead", "body")


def section_units(corpus: pd.DataFrame) -> pd.DataFrame:
    """Split each document into headline, lead and body, for frame flow through a story.

    The headline is the ``title`` column (dropped from the body when the text repeats it as its
    first paragraph); the lead is the first paragraph, or the first sentence when the text has
    no paragraph breaks; the body is the rest. Out, up to three rows per document: ``unit_id``
    (``<doc_id>:h`` / ``:l`` / ``:b``), ``doc_id``, ``level`` ("section"), ``position`` (0, 1,
    2), ``section``, ``start``, ``end`` (offsets in the text; -1 for the headline), ``text``.

    >>> section_units(pd.DataFrame({"doc_id": ["a"], "title": ["Row"], "text": ["Lead.\\n\\nBody one."]})).section.tolist()
    ['headline', 'lead', 'body']
    """
    rows = []
    titles = (
        corpus["title"]
        if "title" in corpus.columns
        else pd.Series([""] * len(corpus), index=corpus.index)
    )
    for doc_id, title, text in zip(corpus["doc_id"], titles, corpus["text"], strict=True):
        text = text if isinstance(text, str) else ""
        title = title.strip() if isinstance(title, str) else ""
        paras = paragraph_spans(text)
        if title and paras and text[paras[0][0] : paras[0][1]].strip() == title:
            paras = paras[1:]
        if title:
            rows.append((f"{doc_id}:h", doc_id, "section", 0, "headline", -1, -1, title))
        if not paras:
            continue
        if len(paras) >= 2:
            lead = paras[0]
        else:
            sents = [sp for sp in sentence_spans(text) if sp[0] >= paras[0][0]]
            lead = sents[0] if sents else paras[0]
        rows.append(
            (f"{doc_id}:l", doc_id, "section", 1, "lead", lead[0], lead[1], text[lead[0] : lead[1]])
        )
        body_start = lead[1]
        body_end = paras[-1][1]
        if text[body_start:body_end].strip():
            rows.append(
                (
                    f"{doc_id}:b",
                    doc_id,
                    "section",
                    2,
                    "body",
                    body_start,
                    body_end,
                    text[body_start:body_end].strip(),
                )
            )
    return pd.DataFrame(
        rows, columns=["unit_id", "doc_id", "level", "position", "section", "start", "end", "text"]
    )


def sentence_counts(corpus: pd.DataFrame) -> pd.DataFrame:
    """Per document, its sentences with text: the rows of ``units(corpus, "sentence")`` whose text
    is not blank. Out: ``doc_id``, ``n_sentences`` (one row per document, in order, 0 included).
    Document-separable; :func:`sample_sentences` draws from it."""
    texts = [text if isinstance(text, str) else "" for text in corpus["text"]]
    ns = [
        n_with_text(text, spans)
        for text, spans in zip(texts, sentence_spans_each(texts), strict=True)  # looked up together
    ]
    return pd.DataFrame({"doc_id": corpus["doc_id"].to_numpy(), "n_sentences": ns})


def n_with_text(text: str, spans) -> int:
    """How many of the spans ``spans`` of ``text`` hold more than white space."""
    return sum(1 for s, e in spans if text[s:e].strip())


def sample_sentences(corpus: pd.DataFrame, counts: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """``n`` random sentence units of ``corpus``, splitting only the documents drawn.

    In: a corpus (``doc_id`` unique, ``text``), its :func:`sentence_counts`, the sample size and
    seed. Out: the rows (``unit_id`` ... ``text``) that
    ``u[u["text"].str.strip() != ""].sample(n, random_state=seed).sort_index()`` gives for
    ``u = units(corpus, "sentence")`` (all of them when there are at most ``n``), in that order,
    index 0..: pandas draws the positions with ``RandomState(seed).choice``; the same draw over
    the per-document counts says which documents to split and which of their sentences to keep.
    """
    sizes = counts["n_sentences"].to_numpy(dtype=np.int64)
    if len(sizes) != len(corpus) or not counts["doc_id"].equals(corpus["doc_id"].reset_index(drop=True)):
        raise ValueError("counts must be sentence_counts(corpus): one row per document, in order")
    docs = corpus
    total = int(sizes.sum())
    if total > n:
        pos = np.sort(np.random.RandomState(seed).choice(total, size=n, replace=False))
        ends = np.cumsum(sizes)
        doc = np.searchsorted(ends, pos, side="right")  # the document of each drawn sentence
        keep = pd.MultiIndex.from_arrays([doc, pos - (ends - sizes)[doc]])
        docs = corpus.iloc[np.unique(doc)]
    u = units(docs[["doc_id", "text"]], "sentence")
    u = u[u["text"].str.strip() != ""].reset_index(drop=True)
    if total > n:
        rank = u.groupby("doc_id", sort=False).cumcount().to_numpy()
        row_doc = pd.Index(corpus["doc_id"]).get_indexer(u["doc_id"])
        u = u[pd.MultiIndex.from_arrays([row_doc, rank]).isin(keep)].reset_index(drop=True)
    return u
