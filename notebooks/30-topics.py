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
# # 30 · What is the coverage about?
#
# **Question.** Which subjects does the coverage return to, how much of it does each take up,
# and do outlets and periods differ in that mix?
#
# **Method, and why.** A topic model describes each document as a mixture of a few topics and
# each topic as a weighting of words. We use non-negative matrix factorisation (NMF) of a tf-idf
# matrix, started deterministically (NNDSVD), because on labelled news (BBC sections) it
# recovers the sections better and much faster than LDA (see *Validation*), and because a rerun
# gives the same topics. LDA (batch or online) is one parameter away (`method`).
# Preprocessing is one step (`TopicVectorizer`) whose report says what it removed; news
# boilerplate ("said", bylines, weekdays, months, outlet names) is removed because it otherwise
# floats to the top of every topic.
#
# **Data.** `data_path` (default `data/raw`: a single Global Research repost of a Global Times
# story on Japan seeking NATO support against China). With one article there is nothing to
# compare, so the notebook models its paragraphs instead and says so: the output then describes
# the article's internal structure, nothing more. A story reposted by several outlets is counted
# once (`one_per_story`), so a syndicated wire story does not weigh ten times in the topics and
# their shares.

# %%
# %load_ext autoreload
# %autoreload 2

import warnings

import numpy as np
import pandas as pd
from IPython.display import Markdown, display

import helpers
from helpers import config, text
from helpers import topics as tp
from helpers.compute import release_after_cells
from helpers.corpus import one_per_story as drop_copies
from helpers.corpus import select_language
from helpers.findings import Finding, validation_note, write_findings
from helpers.plots import save_figure
from helpers.plots import topics as tplots
from helpers.validation import load_results, validation_table

pd.set_option("display.max_colwidth", 160)
release_after_cells()  # memory a long cell freed goes back to the system (docs/scale.md)

# %% tags=["parameters"]
data_path = None  # folder or file of coverage; None means data/raw
out_dir = None  # figures and tables; None means reports/interactive/30-topics
one_per_story = True  # leave out flagged copies (reposts, near-duplicates): each story once
languages = ["en"]  # ISO 639-1 codes this notebook measures (its dictionaries and lexicons are English)
unit_level = (
    "auto"  # "document", "paragraph", "sentence"; auto: documents if at least min_documents
)
min_documents = 30  # below this many documents, model paragraphs (then sentences) instead
method = "nmf"  # "nmf", "lda", "online-lda", "minibatch-nmf"
sweep_ks = [
    3,
    5,
    8,
    10,
    15,
    20,
]  # numbers of topics to compare (kept small: the full 5..30 sweep is the validate command)
sweep_seeds = 3  # seeds per k (stability needs at least 2)
sweep_tol = 1e-3  # NMF stopping tolerance of the sweep fits (final model: 1e-4; see docs/topics.md)
sweep_perturb = (
    "both"  # what a seed changes: "init" (random start), "subsample" (90 % of docs), both
)
n_topics = None  # None: rule below; or set k yourself after reading the sweep
min_stability = 0.8  # the rule: among k whose (lower) stability reaches this, the most coherent
lemmatize = False  # simplemma, offline; off: no gain on the BBC tune part (docs/topics.md)
collocations = False  # join frequent word pairs ("prime_minister"); off: no gain on the tune part
min_df = 5  # drop terms in fewer documents (capped automatically on small corpora)
max_df = 0.5  # drop terms in more than this share of documents
extra_stop_words = []  # words you want removed on top of the general and news lists
n_top_words = 10
relevance_lambda = 0.6  # 1.0 ranks by probability alone; lower favours topic-specific words
group_column = (
    "auto"  # compare topics by this column; auto: outlet if it varies, else a label column
)
time_freq = "auto"  # "M", "Q", "Y" or auto (at most 24 bins)
n_boot = 500  # bootstrap resamples for prevalence intervals
seed = config.SEED
n_jobs = 2  # seeds in parallel threads (faster on an idle 2-core machine, see docs/topics.md)
sweep_docs = 2_000  # above this many units, sweep k and stability on a seeded sample of this size
large_corpus = 20_000  # above this many units, the final model streams (MiniBatchNMF / online LDA)
passage_docs = 50  # large corpora: passages are read from each topic's top documents only
show_groups = 12  # tables on the page show the largest groups; the CSV files hold all of them

# %%
DATA = config.resolve_data(data_path)
OUT = config.resolve_out(out_dir, "30-topics")
corpus, load_report = helpers.load_corpus(DATA)
n_loaded = len(corpus)
n_copies = int((corpus["duplicate_of"].fillna("") != "").sum())
if one_per_story:
    corpus = drop_copies(corpus)
    print(
        f"one_per_story: {n_loaded - len(corpus)} of {n_loaded} document(s) left out as flagged "
        "copies of another story (reposts, near-duplicates)."
    )
else:
    print(f"one_per_story is off: {n_copies} flagged copies are modelled and counted as stories.")
corpus, left_out_language = select_language(corpus, tuple(languages))
if len(left_out_language):
    print(f"Left out for language or missing text: {len(left_out_language)} document(s) "
          f"(measured: {', '.join(languages)}); listed in left_out_language.csv")
left_out_language.to_csv(OUT / "left_out_language.csv", index=False)
print(f"Corpus: {DATA.name}: {len(corpus)} document(s) modelled; outputs go to {OUT.name}/")

# %% [markdown]
# ## Units: documents, or paragraphs of a small corpus
#
# Topic models need many documents: with fewer documents than topics there is nothing to
# separate, and with a few dozen the topics mostly reflect single articles. Below
# `min_documents` documents we model paragraphs (or sentences, if there are still too few)
# from `helpers.text.units`. **Results on such units are descriptive of those texts only.**


# %%
def choose_units(corpus, level, min_docs):
    if level != "auto":
        return level, text.units(corpus, level) if level != "document" else None
    if len(corpus) >= min_docs:
        return "document", None
    paras = text.units(corpus, "paragraph")
    if len(paras) >= min_docs:
        return "paragraph", paras
    sents = text.units(corpus, "sentence")
    return ("sentence", sents) if len(sents) > len(paras) else ("paragraph", paras)


level, units_table = choose_units(corpus, unit_level, min_documents)
if level == "document":
    table = corpus.assign(unit_id=corpus["doc_id"])
else:
    meta = corpus.drop(columns=["text"])
    table = units_table.merge(meta, on="doc_id", how="left")
SMALL = len(corpus) < min_documents
print(f"Modelling {len(table)} {level} unit(s) from {len(corpus)} document(s).")
if SMALL:
    display(
        Markdown(
            f"> **Small corpus ({len(corpus)} document(s)).** Topics below are fitted on {len(table)} "
            f"{level}s of these documents. They describe how these texts are organised, not what "
            "coverage in general is about; prevalence by outlet or period and stability need many "
            "more documents."
        )
    )

# %% [markdown]
# ## Preprocessing, and what it removed
#
# One configurable step: letters-only tokens of 3+ characters, general English stop words
# (`helpers.text.STOP_WORDS`) plus the news boilerplate list `resources/stopwords_news.yml`
# plus this corpus's outlet names; optional lemmatising with simplemma (off by default); terms in fewer than `min_df`
# documents or more than `max_df` of them are dropped. Each row says how many distinct terms and
# token occurrences a step removed and which documents it left empty.


# %%
def make_vectorizer():
    """The preprocessing set in the parameters cell, unfitted (used again for new data below)."""
    return tp.TopicVectorizer(
        stop_words="news",
        outlets=tp.outlet_stop_words(corpus),
        extra_stop_words=extra_stop_words,
        min_df=min_df,
        max_df=max_df,
        lemmatize=lemmatize,
        collocations=collocations,
    )


vectorizer = make_vectorizer()
plan = tp.plan_scale(
    len(table), method=method, large_corpus=large_corpus, sweep_docs=sweep_docs, random_state=seed,
)
# Documents modelled whole, not a large corpus, default tokenising: their paragraphs (the
# passages read below) are tokenised once, and a document's counts are its paragraphs' summed
# (the same counts as tokenising the documents).
passage_units = passage_tokens = None
if level == "document" and not plan.large and not (lemmatize or collocations):
    passage_units = text.units(corpus, "paragraph")
    passage_tokens = vectorizer.token_counts(passage_units["text"])
    counts = vectorizer.fit_transform(
        table["text"], tokens=tp.document_counts(passage_tokens, passage_units, table["text"])
    )
else:
    counts = vectorizer.fit_transform(table["text"])
display(vectorizer.report_)
vectorizer.report_.to_csv(OUT / "preprocessing_report.csv", index=False)
for note in vectorizer.notes_:
    print("Note:", note)
print(f"Vocabulary: {counts.shape[1]} terms; document-term matrix {counts.shape}")

# %% [markdown]
# ## Corpus size: which path runs
#
# Up to `sweep_docs` units every fit uses all of them. Above it, the sweep over k and its
# stability refits (k × seeds × 2 fits) run on a fixed seeded sample of `sweep_docs` units, and
# the final model on all units. Above `large_corpus` units the final model is the streaming
# variant of the method (MiniBatchNMF for NMF, online LDA for LDA), document-topic shares are
# computed in chunks and passages are read from each topic's highest-share documents
# (`docs/topics.md`, *Large corpora*).

# %%
display(Markdown(plan.note))
sample = table.iloc[plan.sweep_rows]
if plan.sampled:  # the sample is preprocessed as a corpus of its own (its own min_df, vocabulary)
    sample_vectorizer = make_vectorizer()
    sample_counts = sample_vectorizer.fit_transform(sample["text"])
else:
    sample_vectorizer, sample_counts = vectorizer, counts

# %% [markdown]
# ## Choosing the number of topics
#
# There is no true k; there are trade-offs. For each k we fit `sweep_seeds` models and report:
#
# - **NPMI coherence**: do a topic's top-10 words occur in the same documents? For each pair,
#   NPMI = log(P(a,b) / (P(a)P(b))) / −log P(a,b) over documents (−1 never together, 0
#   independent, 1 always together), averaged over the 45 pairs and the topics.
# - **Diversity** (top 25): share of unique words among all topics' top words; low values mean
#   topics repeat each other, typical when k is too large.
# - **Stability**, measured two ways, because the project's NMF start is deterministic (a refit
#   of the same documents with another seed is identical, so "stability across seeds" of the
#   fit itself would be 1 by construction): (a) **random starts**: NMF from a random start
#   drawn with each seed, on all units: does the answer depend on where the optimiser starts?
#   (b) **subsamples**: the project's start on each seed's own 90 % of the units: would slightly
#   different coverage give the same topics? For each pair of fits, topics are matched
#   one-to-one (Hungarian algorithm) by the Jaccard similarity of their top-10 word sets; 1 =
#   identical topics. `stability` is the lower of the two; a k whose topics change with the
#   start or the sample is not one to interpret.
# - For LDA, held-out perplexity (lower is better, but it tends to keep improving with k and
#   correlates poorly with what people find interpretable).
#
# Small k gives broad, stable topics; larger k splits them into narrower, more coherent ones
# but stability and diversity usually drop. Read the curves together.

# %%
# at least ~4 units per topic, or every topic is a single unit
k_cap = max(2, sample_counts.shape[0] // 4)
ks = sorted({k for k in sweep_ks if k <= k_cap})
if len(ks) < 3:  # a sweep needs a few points: take every k from 2 to the cap
    ks = list(range(2, k_cap + 1)) if sample_counts.shape[0] >= 2 else [1]
if max(sweep_ks) > k_cap:
    print(f"Only {sample_counts.shape[0]} units: sweeping k = {ks[0]}..{ks[-1]}.")
seeds = [seed + i for i in range(sweep_seeds)]
label_col = next((c for c in ("category", "label") if c in table.columns), None)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    sweep = tp.sweep_topics(
        sample_counts,
        ks=ks,
        seeds=seeds,
        method=method,
        vectorizer=sample_vectorizer,
        perturb=sweep_perturb,
        labels=sample[label_col] if label_col else None,
        top_by="relevance",
        n_jobs=n_jobs,
        tol=sweep_tol,  # NMF only
    )
for note in [n for n in sweep.notes if n not in sample_vectorizer.notes_]:
    print("Note:", note)
# Fit times vary from run to run; they belong to the benchmarks and the run manifest, not to a
# report whose tables must be identical for identical input.
summary = sweep.summary.drop(columns=["fit_seconds"], errors="ignore")
display(summary.round(3))
fig = tplots.plot_topic_sweep(summary, sweep.runs)
_ = save_figure(fig, "topic_sweep", OUT, table=summary)

# %% [markdown]
# **The default rule for k** uses only quantities that vary with k and with the data: among the
# k whose stability (the lower of the two) reaches `min_stability`, the most coherent (NPMI);
# if none does, the most stable k. It uses no labels.

# %%
ok = summary[summary["stability"].fillna(0) >= min_stability]
if n_topics is not None:
    k_chosen, why = int(n_topics), "set by the `n_topics` parameter"
elif len(ok):
    k_chosen = int(ok.sort_values(["npmi", "k"], ascending=[False, True]).iloc[0]["k"])
    why = f"the most coherent k among those with stability (random starts and subsamples) ≥ {min_stability}"
else:
    k_chosen = int(summary.sort_values("stability", ascending=False).iloc[0]["k"])
    why = f"no k reached stability {min_stability}; the most stable one"
row = summary.set_index("k").loc[k_chosen]
if n_topics is None and k_chosen == max(ks) and len(ks) > 1:
    why += "; it is the largest k tried, so coherence may still rise beyond it (extend `sweep_ks`)"
display(
    Markdown(
        f"**k = {k_chosen}**: {why} (NPMI {row['npmi']:.2f}, diversity {row['diversity_25']:.2f}, "
        f"stability {row['stability']:.2f}: random starts {row.get('stability_init', np.nan):.2f}, "
        f"subsamples {row.get('stability_subsample', np.nan):.2f}). "
        "This is a default, not a finding: neighbouring k with "
        "similar scores are equally defensible; rerun with `n_topics` set to see them."
    )
)

# %% [markdown]
# ## The topics
#
# Each topic is shown three ways: the most probable words (what it is mostly made of), the
# words by **relevance** λ·log p(w|t) + (1−λ)·log(p(w|t)/p(w)) (Sievert & Shirley 2014; λ = 0.6
# favours words typical of this topic over words frequent everywhere), and **FREX** words
# (frequent *and* exclusive, as in R's stm). The automatic label is the top three FREX words.

# %%
model = tp.TopicModel(k_chosen, method=plan.method, vectorizer=vectorizer, random_state=seed)
model = model.fit(counts)
for note in [n for n in model.notes_ if n not in vectorizer.notes_]:
    print("Note:", note)
terms_rel = model.topic_terms(n_top_words, by="relevance", lam=relevance_lambda)
views = pd.DataFrame(
    {
        "label": model.labels_,
        "prevalence": model.prevalence_.round(3),
        "by probability": [" ".join(w) for w in model.top_words(n_top_words, by="probability")],
        f"by relevance (λ={relevance_lambda})": [
            " ".join(w) for w in model.top_words(n_top_words, by="relevance", lam=relevance_lambda)
        ],
        "FREX": [" ".join(w) for w in model.top_words(n_top_words, by="frex")],
    }
)
display(views)
views.to_csv(OUT / "topics.csv", index_label="topic")
fig = tplots.plot_topic_terms(terms_rel, n=n_top_words)
_ = save_figure(fig, "topic_terms", OUT, table=terms_rel)
metrics = model.metrics(counts, n_top=n_top_words)
display(metrics.round(3))

# %% [markdown]
# ## Representative documents and passages
#
# The words alone can mislead; read the texts. For each topic: the units with the highest share
# of it, and the paragraphs/sentences that express it most (share × share of known words, at
# most one per document). Text is shown in tables, escaped.

# %%
doc_topics = model.doc_topics(counts, ids=table["unit_id"], chunk_docs=plan.chunk_docs)
reps = tp.representative_documents(model, table, n=3, id_col="unit_id", doc_topics=doc_topics)
display(reps[["topic", "label", "rank", "share", "title", "excerpt"]])
reps.to_csv(OUT / "representative_documents.csv", index=False)

# large corpora: split only each topic's top documents into passages, not the whole corpus
passage_docs_ = (
    corpus[corpus["doc_id"].isin(tp.top_documents(doc_topics.assign(doc_id=table["doc_id"].to_numpy()),
                                                   n=passage_docs))]
    if plan.large
    else corpus
)
if passage_units is None:  # tokenised with the documents above when they were whole
    passage_units = text.units(passage_docs_, "paragraph")
if passage_units["doc_id"].value_counts().max() <= 1:  # no paragraph breaks: use sentences
    passage_units, passage_tokens = text.units(passage_docs_, "sentence"), None
passages = tp.representative_passages(model, passage_units, n=3, min_terms=4, max_per_doc=1,
                                      tokens=passage_tokens)
passage_tokens = None  # not needed further: free the paragraphs' counts
display(passages[["topic", "label", "rank", "share", "text"]])
passages.to_csv(OUT / "representative_passages.csv", index=False)

# %% [markdown]
# ## How the topics relate: the intertopic distance map
#
# Distances are Jensen–Shannon distances between the topics' word distributions, laid out in
# two dimensions with multidimensional scaling (as in LDAvis). **How to read it:** topics close
# together share vocabulary (possibly one subject split in two, or two subjects often covered
# together); the axes have no meaning of their own; circle area is the topic's share of the
# corpus. MDS distorts distances when k is large — check `js_nearest` in the table for the
# actual distance to the nearest topic.

# %%
tmap = tp.topic_map(model, random_state=seed)
display(tmap.round(3))
fig = tplots.plot_topic_map(tmap)
_ = save_figure(fig, "topic_map", OUT, table=tmap)

# %% [markdown]
# ## Topics by outlet (or label) and over time
#
# Prevalence = mean topic share of the group's units, with 95 % percentile bootstrap intervals
# that resample **documents** within the group (when the units are paragraphs, each draw takes
# whole documents with all their paragraphs: paragraphs of one article are not independent).
# Overlapping intervals mean the data cannot tell the groups apart. Groups with fewer than 5
# documents are left out.


# %%
def pick_group_column(table, wanted):
    if wanted != "auto":
        return wanted if wanted in table.columns else None
    for col in ("outlet", "source", "category", "label"):
        if col in table.columns and table[col].replace("", np.nan).dropna().nunique() >= 2:
            return col
    return None


group_col = pick_group_column(table, group_column)
if group_col is None or SMALL:
    print(
        "No comparison by group: "
        + ("too few documents." if SMALL else "no column with at least two groups.")
    )
    prev_group = pd.DataFrame()
else:
    prev_group = tp.topic_prevalence(
        doc_topics,
        table[group_col].replace("", np.nan),
        n_boot=n_boot,
        random_state=seed,
        labels=model.labels_,
        min_docs=5,
        documents=table["doc_id"],
    )
    biggest = prev_group.groupby("group")["n_docs"].first().nlargest(show_groups).index
    if prev_group["group"].nunique() > show_groups:
        print(f"The {show_groups} largest of {prev_group['group'].nunique()} groups; all are in "
              "topic_prevalence_by_group.csv.")
    display(prev_group[prev_group["group"].isin(biggest)]
            .pivot(index="group", columns="label", values="prevalence").round(3))
    fig = tplots.plot_topic_prevalence(
        prev_group, kind="dots", title=f"Topic share by {group_col} (95 % bootstrap interval)"
    )
    _ = save_figure(fig, "topic_prevalence_by_group", OUT, table=prev_group)

# %%
bins = (
    tp.date_bins(table["date"], freq=time_freq)
    if "date" in table.columns
    else pd.Series(dtype=object)
)
if SMALL or bins.dropna().nunique() < 2:
    print(
        "No comparison over time: "
        + ("too few documents." if SMALL else "fewer than two dated periods.")
    )
    prev_time = pd.DataFrame()
else:
    prev_time = tp.topic_prevalence(
        doc_topics,
        bins,
        n_boot=n_boot,
        random_state=seed,
        labels=model.labels_,
        min_docs=5,
        documents=table["doc_id"],
    )
    # every period (at most 24 bins): a time line with the smaller months left out would mislead
    fig = tplots.plot_topic_prevalence(prev_time, kind="line", max_groups=prev_time["group"].nunique())
    _ = save_figure(fig, "topic_prevalence_over_time", OUT, table=prev_time)

# %% [markdown]
# ### Words that distinguish groups *within* a topic
#
# Two outlets can cover the same topic in different words. Each word occurrence is attributed to
# the topic in proportion to the topic's responsibility for it, and the groups' topic-attributed
# counts are compared by log-odds with an informative Dirichlet prior (Monroe et al. 2008);
# z > 1.96 is distinctive at roughly the 5 % level. Shown for the largest topic.

# %%
if group_col is not None and not SMALL:
    big = int(np.argmax(model.prevalence_))
    dist = tp.distinguishing_terms(
        model, counts, table[group_col].replace("", np.nan), topic=big, n=8, doc_topics=doc_topics
    )
    print(f"Topic {big}: {model.labels_[big]}")
    shown = table[group_col].replace("", np.nan).value_counts().index[:show_groups]
    if dist["group"].nunique() > show_groups:
        print(f"The {show_groups} largest groups; all are in distinguishing_terms.csv.")
    display(dist[dist["group"].isin(shown)]
            .pivot_table(index="rank", columns="group", values="term", aggfunc="first"))
    dist.to_csv(OUT / "distinguishing_terms.csv", index=False)

# %% [markdown]
# ## Stability of the chosen model
#
# The chosen k fitted from two random starts (the first two sweep seeds), and on two different
# 90 % subsamples with the project's start; topics matched one-to-one. Jaccard below ~0.5 means
# that topic's top words change with the start or with the sample: read it with care.

# %%
for kind, what in (("init", "random starts"), ("subsample", "90 % subsamples")):
    runs_k = [
        sweep.top_words[(k_chosen, s, kind)]
        for s in seeds
        if (k_chosen, s, kind) in sweep.top_words
    ]
    if len(runs_k) < 2:
        print(f"Stability ({what}) needs at least two seeds.")
        continue
    align = tp.match_topics(runs_k[0], runs_k[1], n_top=n_top_words)
    align["words_seed_0"] = [" ".join(runs_k[0][i]) if i >= 0 else "" for i in align["topic_a"]]
    align["words_seed_1"] = [" ".join(runs_k[1][j]) if j >= 0 else "" for j in align["topic_b"]]
    print(f"Two fits, {what}:")
    display(align.round(2))

# %% [markdown]
# ## Validation
#
# Does the method find known structure? The numbers come from one generated file
# (`python -m helpers validate all`; see `docs/VALIDATION.md`), not from this run. **Protocol:**
# the BBC News dev split (five sections) is split once into a *tune* part, where every choice
# that looks at the sections was made (the news stop-list candidates, the preprocessing, k), and
# a *locked* part, on which the model is fitted without labels and each article's dominant topic
# is compared with its section (NMI; 95 % bootstrap over articles). Beside it: a random
# assignment to k clusters and the plain scikit-learn NMF pipeline of the evaluation README. A row
# whose resources (the stop list) changed since it was validated shows no numbers.

# %%
validation = validation_table("topics")
if validation.empty:
    print("No topics record in the results file yet: `python -m helpers validate all` writes it.")
display(validation)

# %% [markdown]
# **Where it is weak.** Agreement with five broad sections says little about finer topics: at
# larger k, topics split sections and NMI with them falls, without the topics being worse. The
# top words at ranks 8-10 change when a tenth of the documents change (subsample stability is
# below the random-start stability; see `details` in the results file), so do not over-read the
# tail of a word list. LDA (scikit-learn's variational Bayes) depends on its start and recovers
# the sections less well here. The labelled data are older BBC articles; coverage scraped from
# other outlets has more boilerplate and less clear-cut subjects.

# %% [markdown]
# ## Headline findings
#
# Computed from the tables above for the report's front page, with the method and its
# validation on labelled data.

# %%
order = np.argsort(-model.prevalence_)
headline = [Finding(
    f"{len(model.labels_)} topics ({method.upper()}, k chosen by the sweep); largest: "
    + "; ".join(f"“{model.labels_[i]}” {model.prevalence_[i]:.0%}" for i in order[:3]),
    f"{method.upper()} topic model on {len(table)} {level} unit(s)",
    validation_note("topics", method=next((r["method"] for r in load_results() if r["measure"] == "topics"
                                           and r["method"].lower().startswith(method[:3].lower())), "none")),
)]
if len(prev_group):
    spread = prev_group.groupby("label")["prevalence"].agg(lambda s: s.max() - s.min()).sort_values()
    headline.append(Finding(
        f"Topic share differs most by {group_col} for “{spread.index[-1]}” "
        f"(range {spread.iloc[-1]:.0%} across groups)",
        "prevalence with 95 % bootstrap over documents", ""))
write_findings(OUT, headline, figure="topic_terms.png")
pd.DataFrame([vars(f) for f in headline])

# %% [markdown]
# ## Rerunning on new data
#
# A fitted model reads new coverage with its **frozen vocabulary**: words it never saw are
# ignored, so check the out-of-vocabulary (OOV) rate first — above roughly 30 % the model
# is reading a different discourse and should be refitted. After refitting, match the new
# topics to the old ones (Hungarian matching on top words) to see which topics persist, which
# changed and which are new. Demonstrated here by splitting the corpus (above `sweep_docs`
# units, the sweep's sample) in two halves (by date when dates exist).

# %%
if len(sample) >= 2 * max(k_chosen, 10) and not SMALL:
    order = (
        sample["date"].sort_values(kind="stable").index
        if sample["date"].notna().any()
        else sample.index
    )
    half = len(order) // 2
    old, new = sample.loc[order[:half]], sample.loc[order[half:]]

    def fresh_model():
        """The notebook's preprocessing and model settings, unfitted."""
        return tp.TopicModel(
            k_chosen, method=method, vectorizer=make_vectorizer(), random_state=seed
        )

    m_old = fresh_model().fit(old["text"])
    oov = m_old.oov_report(new["text"], ids=new["unit_id"])
    print(
        f"New half read by the old model: median OOV rate {oov['oov_rate'].median():.1%} (terms never seen), "
        f"median trimmed {oov['trimmed_rate'].median():.1%} (seen but dropped by min_df/max_df); "
        f"{(oov['oov_rate'] > 0.3).mean():.1%} of units above 30 % OOV"
    )
    display(oov.sort_values("oov_rate", ascending=False).head(5))
    m_new = fresh_model().fit(new["text"])
    aligned = tp.align_models(m_old, m_new, n_top=n_top_words)
    display(aligned.round(2))
    aligned.to_csv(OUT / "topic_alignment_old_new.csv", index=False)
else:
    print("Too few units to demonstrate a rerun on new data (needs at least two halves of 10+).")

# %% [markdown]
# ## Limits
#
# - **Small corpora.** On a handful of documents the "topics" are the sections of those
#   documents; prevalence, stability and group comparisons need hundreds of documents.
# - **Preprocessing sensitivity.** Stop words, lemmatising and document-frequency limits change
#   the top words; the tune-part comparison in `docs/topics.md` shows how much (most of it from
#   the tf weighting). Report the settings with any result (they are in `preprocessing_report.csv`).
# - **Topics are not frames.** A topic groups words that co-occur; whether coverage treats a
#   subject as conflict or as economics is the framing notebook's question.
# - **Bag of words.** Word order and negation are ignored; quotes and reported speech count as
#   the outlet's words.
#
# **Rerun on your data:** put files in `data/raw/` (or pass `data_path`), then
# `python -m helpers report`; or in this notebook set `n_topics` after reading the sweep.
