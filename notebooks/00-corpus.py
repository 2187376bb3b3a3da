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
# (reposts), when, how long the documents are, which are copies of each other and which parties a
# story passed through, the most frequent words and word pairs, and every place a chosen term
# occurs in context.
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
from helpers import config, textstats
from helpers import corpus as corpus_mod
from helpers.compute import release_after_cells
from helpers.findings import Finding, write_findings
from helpers.plots import corpus as corpus_plots
from helpers.plots import save_figure

pd.set_option("display.max_colwidth", 120)
release_after_cells()  # memory a long cell freed goes back to the system (docs/scale.md)

# %% tags=["parameters"]
data_path = None  # folder or file of coverage; None means data/raw
out_dir = None  # where figures and tables go; None means reports/interactive/00-corpus
kwic_term = "NATO"  # term for the concordance: globs (secur*) and phrases ("Diaoyu Islands") work
kwic_window = 8  # words of context on each side
top_n_terms = 25  # how many frequent terms and collocations to show
collocation_min_count = 2  # a word pair must occur this often to count as a collocation
time_freq = "MS"  # period for documents over time: "MS" month, "W" week, "YS" year
group_column = "outlet"  # column to compare groups by (outlet, original_outlet, category, ...)
top_n_chains = 20  # how many republication chains to list
top_n_rows = 30  # longer tables show their first rows here; the CSV files hold every row

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
if len(load_report) > top_n_rows:
    print(f"First {top_n_rows} of {len(load_report)} files (all in load_report.csv):")
display(load_report.head(top_n_rows))
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
# ## Outlets, dates and lengths

# %%
by_group = (corpus.assign(**{group_column: corpus[group_column].replace("", "(unknown)")})
            .groupby(group_column).agg(documents=("doc_id", "size"), words=("n_words", "sum"),
                                        median_words=("n_words", "median"), first=("date", "min"),
                                        last=("date", "max"))
            .sort_values("documents", ascending=False)) if group_column in corpus else pd.DataFrame()
by_group.to_csv(OUT / "groups.csv")
display(by_group.head(top_n_rows))

# %%
fig, table = corpus_plots.plot_documents_over_time(corpus, freq=time_freq, by=group_column)
save_figure(fig, "documents_over_time", OUT, table)

# %%
fig, table = corpus_plots.plot_lengths(corpus)
save_figure(fig, "lengths", OUT, table)

# %% [markdown]
# ## Provenance and syndication
#
# The same story often reaches a corpus several times: a wire report run by many outlets, an
# article reposted by an aggregator, a page crawled twice. Two questions are kept apart here.
#
# **Which documents are copies of each other?** Found from the text alone: two documents are
# near-duplicates when their word 5-gram shingle sets have a Jaccard similarity at or above the
# threshold printed below. Candidate pairs come from MinHash signatures cut into LSH bands, which
# keeps the work linear in the number of documents even when every document carries the same
# footer; each candidate is then checked with the exact Jaccard, so nothing is linked on an
# estimate. Copies are grouped transitively and the **earliest** copy (by date, then file) is the
# canonical one; the others are flagged with `duplicate_of` and kept. The threshold was chosen on
# labelled pairs (reposts with boilerplate, light edits, truncations against different articles on
# the same story and heavy rewrites): see `docs/provenance.md` for its precision and recall.
#
# **Who did a story pass through?** Read from explicit signals only, never guessed from
# similarity: the reader's original outlet and author ("The original source of this article is
# Global Times"), a second byline (the reposter), wire credits at the start or end of the body
# (a "TOKYO (Reuters) -" dateline, "By ..., Associated Press", "Source: Xinhua", "AFP contributed
# to this report", "Agencies contributed to this story") and the outlet that published the copy.
# On the seed this gives Global Times -> Stop NATO -> Global Research: the Global Times story by
# Liu Sha, circulated by the Stop NATO list, posted on Global Research. "..., Reuters reported"
# inside the body is a citation and is not counted.
#
# **Counting each story once.** The later notebooks (10 framing, 20 sentiment, 30 topics) have a
# parameter `one_per_story`, on by default: they measure the earliest copy of each cluster only
# (`helpers.corpus.one_per_story`), so a story reposted by ten outlets does not weigh ten times.
# Set it to `False` there to study syndication itself. This notebook describes every document.

# %%
print(f"Near-duplicate threshold: word 5-gram Jaccard >= {corpus_mod.NEAR_DUPLICATE_JACCARD}")
# both read a few columns: handing them only those keeps the texts from being copied (at 100,000 documents
# the copies took over 1 GB)
stories = corpus_mod.one_per_story(corpus.filter(["doc_id", "duplicate_of"]))
print(f"{len(corpus)} document(s), {len(stories)} distinct {'story' if len(stories) == 1 else 'stories'} "
      "after grouping copies")
clusters = corpus_mod.duplicate_clusters(corpus.filter(["doc_id", "duplicate_of", "outlet", "title", "date"]))
clusters.to_csv(OUT / "duplicate_clusters.csv", index=False)
print(f"{len(clusters)} {'story appears' if len(clusters) == 1 else 'stories appear'} more than once.")
display(clusters.head(20))

# %%
fig, table = corpus_plots.plot_cluster_sizes(clusters)
save_figure(fig, "cluster_sizes", OUT, table)

# %% [markdown]
# Every copy beside the copy it repeats, with both sources, to check a cluster by reading:

# %%
dups = corpus_mod.duplicate_groups(corpus)
dups.to_csv(OUT / "duplicates.csv", index=False)
print(f"{len(dups)} document(s) are copies of an earlier one.")
display(dups.head(20))

# %% [markdown]
# ### Republication chains
#
# One row per document: the chain from the earliest party named to the publisher of this copy,
# with the signals quoted in `evidence`. `story` is the canonical copy's `doc_id`, so chains of
# copies can be compared. Agencies that only contributed are listed in `wire_contributors`, not
# as a step.

# %%
chains = corpus_mod.republication_chain(corpus)
chains.to_csv(OUT / "republication_chains.csv", index=False)
chain_counts = (chains.loc[chains["n_steps"] > 1].groupby("chain").agg(documents=("doc_id", "size"))
                .sort_values("documents", ascending=False).reset_index())
print(f"{len(chains.loc[chains['n_steps'] > 1])} document(s) name at least one party before their publisher.")
display(chain_counts.head(top_n_chains))
display(chains.loc[chains["n_steps"] > 1, ["doc_id", "chain", "original_author", "wire_contributors",
                                            "evidence"]].head(top_n_chains))

# %% [markdown]
# Wire credits: documents crediting each agency as the source of the story or as a contributor.

# %%
wire_counts = corpus_mod.wire_credit_counts(chains)
wire_counts.to_csv(OUT / "wire_credits.csv", index=False)
display(wire_counts)

# %% [markdown]
# Who reposted whom, one row per combination of publisher, reposting author and original
# source, with the dates it happened:

# %%
provenance = corpus_mod.provenance_table(corpus)
provenance.to_csv(OUT / "provenance.csv", index=False)
if len(provenance) > top_n_rows:
    print(f"The {top_n_rows} most frequent of {len(provenance)} combinations (all in provenance.csv):")
    display(provenance.sort_values("n_docs", ascending=False, kind="stable").head(top_n_rows))
else:
    display(provenance)

# %% [markdown]
# ## Frequent terms and collocations
#
# The documents are split into sentences a few thousand at a time and each sentence's words are
# counted as it comes (no table of every sentence is kept): the term counts, the collocations and
# the unit counts below come from this one pass; the concordance splits only the documents that
# hold its term. Counts exclude English stop words. Collocations are word pairs that occur
# together more than their separate frequencies predict, ranked by log-likelihood (G²); on one article they mostly
# recover names ("Diaoyu Islands", "Global Times"), which is what they should do.

# %%
counted = textstats.corpus_counts(corpus, min_count=collocation_min_count, top=top_n_terms)
freqs, colls = counted.terms, counted.collocations
freqs.to_csv(OUT / "term_frequencies.csv", index=False)
fig, table = corpus_plots.plot_top_terms(freqs, n=top_n_terms)
save_figure(fig, "top_terms", OUT, table)

# %%
colls.to_csv(OUT / "collocations.csv", index=False)
display(colls)

# %% [markdown]
# ## Keyword in context
#
# Every occurrence of the term set in the parameters cell, with its surrounding words, so any
# count above can be checked by reading.

# %%
conc = textstats.sentence_kwic(corpus, kwic_term, window=kwic_window)
conc.to_csv(OUT / "kwic.csv", index=False)
print(f"{len(conc)} occurrence(s) of {kwic_term!r} in {conc['doc_id'].nunique()} document(s)")
display(conc[["unit_id", "left", "match", "right"]].head(40))

# %% [markdown]
# ## Units for the other notebooks
#
# Measures run on documents, paragraphs or sentences. This is how the corpus splits.

# %%
# counted with the words above (every paragraph holds at least one sentence) instead of building the unit
# tables; documents with more than white space (corpus_mod.non_blank strips a block of texts at a time)
unit_counts = pd.DataFrame({"document": [int(corpus_mod.non_blank(corpus["text"]).sum())],
                            "paragraph": [counted.paragraphs], "sentence": [counted.sentences]}, index=["units"])
display(unit_counts)

# %% [markdown]
# ## Headline findings
#
# A few sentences computed from the tables above, for the report's front page.

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
    Finding(f"{n_copies} document(s) flagged as copies of an earlier one ({len(clusters)} "
            f"{'story' if len(clusters) == 1 else 'stories'} with copies); later notebooks count each story once",
            f"word 5-gram Jaccard ≥ "
            f"{corpus_mod.NEAR_DUPLICATE_JACCARD} (MinHash/LSH candidates checked exactly), earliest copy kept",
            "at 0.7 on 3,619 constructed pairs (reposts, edits, truncations vs. other articles and rewrites): "
            "precision 0.999, recall 0.990 (python tests/dedup_pairs.py; docs/provenance.md)"),
]
if len(chain_counts):
    headline.append(Finding(f"Republication: {int(chain_counts['documents'].sum())} document(s) name the parties "
                            f"a story passed through; most common chain: {chain_counts['chain'].iloc[0]}",
                            "explicit signals only (original-source lines, bylines, wire credits)"))
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
#   threshold and count as separate documents, and a short article wrapped in long boilerplate
#   the reader did not strip can too (Jaccard measures the whole text).
# - Republication chains use only what the text says: a repost that does not credit its source
#   has a one-step chain even when it is a copy (its `duplicate_of` still points to the earlier
#   copy). Credits are recognised for the agencies listed in
#   `helpers.corpus.provenance.WIRE_AGENCIES`.
#
# **Rerun on your data:** put files (txt, md, html, csv/tsv, jsonl/json, parquet) in a folder and
# run `make report DATA=path/to/folder`, or set `data_path` above and run all cells.
