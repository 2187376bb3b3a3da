# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 00 · What is in the corpus?
#
# This notebook answers one question before any measurement: what did we actually load? It lists
# every input file and what happened to it, who published each document and who first wrote it
# (reposts), when, how long the documents are, which are copies of each other, the most frequent
# words and word pairs, and every place a chosen term occurs in context.
#
# **Data and provenance.** By default the corpus is `data/raw/`: one article as received, a Global
# Research repost (14 January 2013) of a Global Times story by Liu Sha on Japan seeking NATO
# support against China. The parser separates the aggregator's header and footers from the
# article body and keeps who reposted it (Global Research, by "Stop NATO") apart from who first
# published it (Global Times). Pass another folder as `data_path` to describe your own coverage.

# %%
# %load_ext autoreload
# %autoreload 2

import pandas as pd
from IPython.display import display

import helpers
from helpers import config, corpus as corpus_mod, text
from helpers.findings import Finding, write_findings
from helpers.plots import corpus as corpus_plots, save_figure

pd.set_option("display.max_colwidth", 120)

# %% tags=["parameters"]
data_path = None  # folder or file of coverage; None means data/raw
out_dir = None  # where figures and tables go; None means reports/interactive/00-corpus
kwic_term = "NATO"  # term for the concordance: globs (secur*) and phrases ("Diaoyu Islands") work
kwic_window = 8  # words of context on each side
top_n_terms = 25  # how many frequent terms and collocations to show
collocation_min_count = 2  # a word pair must occur this often to count as a collocation
time_freq = "MS"  # period for documents over time: "MS" month, "W" week, "YS" year
group_column = "outlet"  # column to compare groups by (outlet, original_outlet, category, ...)

# %%
DATA = config.resolve_data(data_path)
OUT = config.resolve_out(out_dir, "00-corpus")
corpus, load_report = helpers.load_corpus(DATA)
print(f"Corpus: {DATA.name}: {len(corpus)} document(s) from {len(load_report)} file(s)")

# %% [markdown]
# ## The load report: every file, and what happened to it
#
# Each file found under the corpus folder is one row. Files that could not be used are listed as
# `skipped` or `failed` with the reason, and repairs made on the way (encoding, line endings)
# are recorded; nothing is dropped silently.

# %%
load_report.to_csv(OUT / "load_report.csv", index=False)
display(load_report)
display(load_report.groupby("status").agg(files=("source_path", "size"), documents=("n_docs", "sum")))

# %% [markdown]
# ## The documents
#
# One row per document with the metadata the readers found. `outlet` is who published this copy,
# `original_outlet`/`original_author` who first published it (for reposts).

# %%
overview_cols = ["doc_id", "title", "outlet", "author", "date", "original_outlet", "original_author",
                 "region", "theme", "n_words", "duplicate_of"]
display(corpus[overview_cols].head(20))

# %% [markdown]
# ## Provenance: who reposted whom
#
# Aggregators republish other outlets' stories under their own banner. Framing or tone found
# in a repost belongs to the original author unless the aggregator changed the text, so the two
# are kept apart. Each row is one combination of publisher and original source.

# %%
provenance = corpus_mod.provenance_table(corpus)
provenance.to_csv(OUT / "provenance.csv", index=False)
display(provenance)

# %% [markdown]
# ## Outlets, dates and lengths

# %%
by_group = (corpus.assign(**{group_column: corpus[group_column].replace("", "(unknown)")})
            .groupby(group_column).agg(documents=("doc_id", "size"), words=("n_words", "sum"),
                                        median_words=("n_words", "median"), first=("date", "min"),
                                        last=("date", "max"))
            .sort_values("documents", ascending=False)) if group_column in corpus else pd.DataFrame()
by_group.to_csv(OUT / "groups.csv")
display(by_group.head(30))

# %%
fig, table = corpus_plots.plot_documents_over_time(corpus, freq=time_freq, by=group_column)
save_figure(fig, "documents_over_time", OUT, table)

# %%
fig, table = corpus_plots.plot_lengths(corpus)
save_figure(fig, "lengths", OUT, table)

# %% [markdown]
# ## Duplicates
#
# The same story is often reposted or crawled twice. Copies (word 5-gram Jaccard ≥ 0.8) are
# flagged with `duplicate_of` — the earliest copy's `doc_id` — and **kept**: decide per
# analysis whether a repost counts as a separate voice. Later notebooks count each story once
# unless told otherwise.

# %%
dups = corpus_mod.duplicate_groups(corpus)
dups.to_csv(OUT / "duplicates.csv", index=False)
print(f"{len(dups)} document(s) are copies of an earlier one.")
display(dups.head(20))

# %% [markdown]
# ## Frequent terms and collocations
#
# Counts exclude English stop words. Collocations are word pairs that occur together more than
# their separate frequencies predict, ranked by log-likelihood (G²); on one article they mostly
# recover names ("Diaoyu Islands", "Global Times"), which is what they should do.

# %%
freqs = text.term_frequencies(corpus)
freqs.to_csv(OUT / "term_frequencies.csv", index=False)
fig, table = corpus_plots.plot_top_terms(freqs, n=top_n_terms)
save_figure(fig, "top_terms", OUT, table)

# %%
colls = text.collocations(corpus, min_count=collocation_min_count, top=top_n_terms)
colls.to_csv(OUT / "collocations.csv", index=False)
display(colls)

# %% [markdown]
# ## Keyword in context
#
# Every occurrence of the term set in the parameters cell, with its surrounding words, so any
# count above can be checked by reading.

# %%
sentences = text.units(corpus, "sentence")
conc = text.kwic(sentences, kwic_term, window=kwic_window)
conc.to_csv(OUT / "kwic.csv", index=False)
print(f"{len(conc)} occurrence(s) of {kwic_term!r} in {conc['doc_id'].nunique()} document(s)")
display(conc[["unit_id", "left", "match", "right"]].head(40))

# %% [markdown]
# ## Units for the other notebooks
#
# Measures run on documents, paragraphs or sentences. This is how the corpus splits.

# %%
unit_counts = pd.DataFrame({level: [len(text.units(corpus, level))] for level in text.LEVELS}, index=["units"])
display(unit_counts)

# %% [markdown]
# ## Headline findings
#
# Three sentences computed from the tables above, for the report's front page.

# %%
n_copies = int((corpus["duplicate_of"] != "").sum())
known_dates = corpus["date"].dropna()
span = (f"{known_dates.min():%d %b %Y} to {known_dates.max():%d %b %Y}" if len(known_dates)
        else "no known dates")
n_groups = corpus[group_column].replace("", pd.NA).nunique() if group_column in corpus else 0
headline = [
    Finding(f"Documents: {len(corpus)} from {len(load_report)} file(s); {group_column}: {n_groups} distinct; "
            f"dates: {span}; files skipped or failed: {int((load_report['status'] != 'loaded').sum())} "
            "(see the load report)", "loader with load report"),
    Finding(f"{n_copies} document(s) flagged as copies of an earlier one; later notebooks count each story once",
            "word 5-gram Jaccard ≥ 0.8, earliest copy kept"),
]
if len(freqs):
    headline.append(Finding("Most frequent terms: " + ", ".join(freqs["term"].head(5)),
                            "term counts without English stop words"))
write_findings(OUT, headline, figure="top_terms.png")
display(pd.DataFrame([vars(f) for f in headline]))

# %% [markdown]
# ## Limitations and rerunning on your data
#
# - Boilerplate removal for aggregator reposts is rule-based: header lines (byline, dateline,
#   source, region, theme) and trailing footers (promotion, copyright, disclaimer) are removed;
#   check `removed_lines` and the body's first and last paragraphs when adding a new site.
# - HTML pages go through trafilatura's main-text extraction; pages where it finds no article
#   text are listed as skipped in the load report rather than loaded empty.
# - Near-duplicate detection compares word 5-grams; heavily edited reposts fall below the
#   threshold and count as separate documents.
#
# **Rerun on your data:** put files (txt, md, html, csv/tsv, jsonl/json, parquet) in a folder and
# run `make report DATA=path/to/folder`, or set `data_path` above and run all cells.
