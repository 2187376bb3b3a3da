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
# # 20 · What tone does the coverage take, and toward whom?
#
# **Question.** Is the coverage negative or positive overall, and toward whom — China, Japan,
# NATO, the United States, North Korea and their leaders? Does that differ by outlet and over
# time, and which sentences carry the numbers?
#
# **Data and provenance.** By default the corpus is `data/raw/`: one Global Research repost
# (14 January 2013) of a Global Times story on Japan seeking NATO support against China. With
# one article there are no groups to compare, so the outlet and time comparisons below say so
# and show what they would compute; pass a folder of your own coverage as `data_path`. As in
# notebook 00, each story counts once: reposts and near-duplicates flagged by the loader are
# left out before measuring (`one_per_story = False` keeps them, to study syndication).
#
# **Method, and why.** Three measures, each with its evidence:
# 1. *Lexicon tone* of every sentence, paragraph and document with VADER (rules for negation,
#    boosters, "but", capitals; the lexicon ships inside the `vaderSentiment` package, nothing is
#    downloaded) and with a counting dictionary in YAML (the shipped one, or e.g. the Lexicoder
#    Sentiment Dictionary in quanteda's YAML). Every score lists the words that drove it.
# 2. *Entity-targeted tone*: an editable alias table finds the mentions of each target; each
#    mention gets a polarity (negative/neutral/positive) and a score from a model trained on
#    NewsMTSC (news sentences hand-labelled for the sentiment *toward* a named target): your own
#    model if you trained one, else the model shipped inside the package; VADER on a ±10-word
#    window around the mention only if neither can be loaded. The page says which one it used
#    and its validation score.
# 3. *Aggregation* by outlet, date and target with bootstrap intervals over documents, and the
#    sentences behind each number. Every column names its unit and its score: a lexicon's
#    compound and a model's P(positive) − P(negative) are different scales and never averaged
#    together.
#
# Validation against hand-labelled news comes after the results: the recorded locked-part scores
# of every scorer beside trivial and lexicon baselines.

# %%
# %load_ext autoreload
# %autoreload 2

import json
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import Markdown, display

import helpers
from helpers import config, sentiment
from helpers import corpus as corpus_mod
from helpers.compute import map_documents, release_after_cells, stable_key, write_csv
from helpers.findings import Finding, write_findings
from helpers.plots import save_figure
from helpers.plots import sentiment as sentiment_plots
from helpers.validation import validation_table

pd.set_option("display.max_colwidth", 160)
BLOCK_DOCUMENTS, BLOCK_ROWS = 5_000, 250_000  # documents / sentences mapped at a time (memory at 100k, docs/sentiment.md)
release_after_cells()  # memory a long cell freed goes back to the system (docs/scale.md)

# %% tags=["parameters"]
data_path = None  # folder or file of coverage, None means data/raw
out_dir = None  # figures and tables, None means reports/interactive/20-sentiment
one_per_story = True  # leave out flagged reposts/near-duplicates: each story counted once
languages = ["en"]  # ISO 639-1 codes this notebook measures (its dictionaries and lexicons are English)
neutral_band = 0.05  # |VADER compound| below this counts as neutral (VADER's convention)
target_window = 10  # words either side of a mention for the lexicon baseline
dictionary_path = None  # YAML dictionary (project or quanteda layout), None is the shipped one
negation_window = 3  # a negator this many words before a dictionary match flips it
aliases_path = None  # entity alias table, None is resources/sentiment_targets.yml
model_dir = None  # a target model folder; None: your model in MODELS_DIR/targets, else the shipped one
group_column = "outlet"  # column to compare groups by (outlet, category, source ...)
group_fallbacks = ["source", "category", "original_outlet"]  # used if group_column has 1 value
time_freq = "MS"  # period for tone over time: "MS" month, "W" week, "YS" year
n_boot = 1000  # bootstrap resamples for the tone intervals
coding_sample_size = 100  # mentions in the coding sheet for your own validation
coded_sheet = None  # your coded copy of the coding sheet (JSONL) to score, None means not coded yet
validation_boot = 300  # bootstrap resamples for the interval on your coded sample
n_evidence = 5  # sentences shown at each extreme
max_groups = 20  # groups shown in the outlet figure (the others pooled as "other") and tables
seed = config.SEED

# %%
DATA = config.resolve_data(data_path)
OUT = config.resolve_out(out_dir, "20-sentiment")
corpus, load_report = helpers.load_corpus(DATA)
n_loaded = len(corpus)
if one_per_story:
    corpus = corpus_mod.one_per_story(corpus)
n_stories = len(corpus)
corpus, left_out_language = corpus_mod.select_language(corpus, tuple(languages))
if len(left_out_language):
    print(f"Left out for language or missing text: {len(left_out_language)} document(s) "
          f"(measured: {', '.join(languages)}); listed in left_out_language.csv")
left_out_language.to_csv(OUT / "left_out_language.csv", index=False)
print(
    f"Corpus: {DATA.name}: {n_loaded} document(s) loaded; {n_loaded - n_stories} flagged "
    f"copies (reposts, near-duplicates) left out, {len(corpus)} stories measured"
    + ("" if one_per_story else " (one_per_story = False: copies kept)")
    + f"; figures and tables go to {OUT.name}/"
)
if corpus.empty:
    display(
        Markdown(
            "**No documents were loaded**; see the load report in notebook 00. The cells below "
            "run but have nothing to measure."
        )
    )

# %% [markdown]
# ## 1 · Overall tone: VADER at three levels
#
# VADER's *compound* score runs from −1 (most negative) to +1 (most positive); |compound| < 0.05
# counts as neutral. We score every sentence, every paragraph and every document. Documents are
# long, and VADER's compound saturates towards ±1 as words add up, so document scores are
# cruder than the mean of their sentences; we report both. Splitting and scoring run document by
# document on all cores and are kept by content (`helpers.compute.map_documents`): a rerun on the
# same documents reuses them.

# %%
levels, dictionary_score = [], []  # a block of documents at a time: no step holds every level's rows of every document at once
dictionary = sentiment.load_dictionary(dictionary_path)  # the counting dictionary (section below), scored on VADER's tokens
with sentiment.CsvPieces(OUT / "dictionary_scores_sentences.csv") as csv:  # its table, as to_csv(index=False) writes it
    for lo, hi in sentiment.document_blocks(corpus, rows=BLOCK_DOCUMENTS) or [(0, 0)]:
        block = sentiment.split_levels(map_documents(  # {level: its units}, text kept for sentences only
            partial(sentiment.level_scores, neutral_band=neutral_band, drivers=("sentence",), dictionary=dictionary,
                    negation_window=negation_window), corpus.iloc[lo:hi],
            name="sentiment.vader.levels", columns=["text"],
            params={"neutral_band": neutral_band, "drivers": ["sentence"], "negation_window": negation_window,
                    "dictionary": stable_key(dictionary.entries, dictionary.weights)},
        ), consume=True)  # drivers of sentences only (the others are never read here); the mapped table freed as it is split
        # the dictionary's table of these sentences (dictionary_scores' columns) goes to its CSV; its score is kept
        part = sentiment.dictionary_table(block["sentence"], block["sentence"][sentiment.DICTIONARY_COLUMNS])
        dictionary_score.append(part["score"].to_numpy())
        csv.add(part)
        del part
        block["sentence"] = block["sentence"].drop(columns=sentiment.DICTIONARY_COLUMNS)
        levels.append(block)
scores = {level: sentiment.concat_blocks([b[level] for b in levels]) for level in levels[0]}
del levels
# the documents' text is not read below (their sentences, with text, are in `sentences`): dropped,
# it is the largest column (at 100k articles 0.56 GB, held beside the framing notebook's peak)
corpus = corpus.drop(columns="text", errors="ignore")
sentences = scores["sentence"]  # the sentence units (ids, position, text) with their VADER scores


def _n_values(col):
    return corpus[col].replace("", np.nan).nunique() if col in corpus.columns else 0


if _n_values(group_column) < 2:
    usable = [c for c in group_fallbacks if _n_values(c) >= 2]
    if usable:
        print(
            f"`{group_column}` has fewer than two values here; comparing by `{usable[0]}` instead"
        )
        group_column = usable[0]
meta_cols = [c for c in ("doc_id", "title", "outlet", "date", group_column) if c in corpus.columns]
meta = corpus[list(dict.fromkeys(meta_cols))]
sent = sentiment.with_document_columns(  # no text or title per sentence: see `sentences`, `meta`
    scores["sentence"].drop(columns="text"),  # sentences' columns shared, not copied (a merge copied them)
    meta[[c for c in meta.columns if c != "title" or group_column == "title"]],
)
summary = pd.DataFrame(
    [
        {
            "level": level,
            "n_units": len(s),
            "mean_compound_per_unit": s["compound"].mean(),
            "share_negative_units": (s["polarity"] == -1).mean(),
            "share_neutral_units": (s["polarity"] == 0).mean(),
            "share_positive_units": (s["polarity"] == 1).mean(),
        }
        for level, s in scores.items()
    ]
).round(3)
summary.to_csv(OUT / "tone_by_level.csv", index=False)
display(summary)

# %%
fig = sentiment_plots.plot_tone_distribution(sent, title="VADER compound of each sentence")
save_figure(fig, "sentence_tone_distribution", OUT)
# the figure's table, one row per sentence: the bytes of to_csv(index=False), written faster
write_csv(sent[["unit_id", "doc_id", "compound", "polarity"]], OUT / "sentence_tone_distribution.csv")
fig = sentiment_plots.plot_tone_over_position(sent)
save_figure(
    fig,
    "tone_by_sentence_position",
    OUT,
    table=sent.groupby(sent["position"].clip(upper=30))["compound"].mean().reset_index(),
)

# %% [markdown]
# ### The words that drive the scores
#
# A lexicon score is only as good as the words behind it. In news, many "negative" words
# describe events (*war*, *attack*, *crisis*, *dispute*) rather than judge an actor, and
# "positive" ones are often institutional (*security*, *support*, *peace*). Read this table before
# reading any tone number: if the top words are event vocabulary, the score measures the topic,
# not the stance.

# %%
all_terms = (  # sentiment.driver_terms: one row per sentence and driving word
    sentiment.driver_terms(scores["sentence"], ids=False)  # terms and valences only: the totals need no ids
    .groupby("term")
    .agg(occurrences=("valence", "size"), mean_valence=("valence", "mean"))
    .assign(total=lambda d: d.occurrences * d.mean_valence)
    .sort_values("total", key=np.abs, ascending=False)
    .round(2)
    .reset_index()
)
top_terms = all_terms.head(25)
top_terms.to_csv(OUT / "driver_terms.csv", index=False)
all_terms.to_csv(OUT / "driver_terms_all.csv", index=False)
display(top_terms)

# %% [markdown]
# ### A second lexicon: the counting dictionary
#
# The shipped dictionary (`resources/sentiment_dictionary.yaml`, derived from VADER's word list,
# counted ±1 with negation in the three preceding words) is mainly a template: point
# `dictionary_path` at the Lexicoder Sentiment Dictionary in quanteda's YAML to use a lexicon built
# for news. Scores are on the logit scale `log((pos + 0.5) / (neg + 0.5))`; the correlation with
# VADER shows how much the choice of lexicon matters.

# %%
# the dictionary's counts of every sentence came with VADER's (section 1: one tokenisation of the sentences); its table
# (dictionary_scores_sentences.csv) was written there block by block, keeping only the score column read here
score = np.concatenate(dictionary_score)
del dictionary_score
both = pd.DataFrame({"compound": sentences["compound"], "score": score})
corr = both.corr(method="spearman").iloc[0, 1] if len(both) > 2 else float("nan")
print(
    f"Dictionary: {dictionary.name} ({sum(len(v) for v in dictionary.entries.values())} entries, "
    f"file {Path(dictionary.source).name})"
)
print(f"Sentences: {len(both)}; Spearman correlation VADER vs dictionary: {corr:.2f}")
lowest = both["score"].sort_values().index[:n_evidence]  # the rows sort_values("score").head(n) shows
lowest_rows = [sentences.iloc[i : i + 1] for i in lowest]  # slices: a take of rows joins every text chunk first
display(sentiment.dictionary_scores(pd.concat(lowest_rows) if len(lowest) else sentences.iloc[0:0], dictionary,
                                    negation_window).set_axis(lowest)[["unit_id", "text", "score", "drivers"]])
del lowest_rows
del both, score

# %% [markdown]
# ## 2 · Tone by outlet and over time, with intervals
#
# Sentences of one article share an author and a slant, so they are not independent: each
# document's sentences are averaged first (`mean_compound_per_document`) and the 95 % interval
# resamples *documents* (percentile bootstrap). The shares count sentences
# (`share_negative_sentences`). A group with one document has no interval worth the name: read
# `n_documents`.

# %%
n_groups = sent[group_column].replace("", np.nan).nunique() if group_column in sent.columns else 0
by_group = (
    sentiment.aggregate_sentiment(sent, group_column, n_boot=n_boot, random_state=seed)
    if n_groups >= 2
    else pd.DataFrame()
)
if n_groups < 2:
    display(
        Markdown(
            f"Only {n_groups} value(s) of `{group_column}` in this corpus: no comparison between "
            "groups is possible. With more coverage this cell shows mean tone per group with "
            "intervals."
        )
    )
if not by_group.empty:
    if len(by_group) > max_groups:
        print(f"{len(by_group)} values of `{group_column}`: the {max_groups} with most documents are "
              f"shown, the others pooled as one group in the figure; all of them are in tone_by_{group_column}.csv")
    display(sentiment.top_rows(by_group, max_groups).round(3))
    shown = (
        by_group
        if len(by_group) <= max_groups
        else sentiment.aggregate_sentiment(
            sentiment.pool_other_groups(sent, group_column, max_groups), group_column,
            n_boot=n_boot, random_state=seed,
        )
    )
    fig = sentiment_plots.plot_group_tone(
        shown,
        group_column,
        max_groups=max_groups + 1,
        title=f"Sentence tone by {group_column} (mean of document means of VADER compound)",
    )
    figure_name = f"tone_by_{group_column}" + ("" if shown is by_group else f"_top{max_groups}_and_other")
    saved = save_figure(fig, figure_name, OUT, table=shown)
    if saved["csv"] != OUT / f"tone_by_{group_column}.csv":  # else it is this table, written just now
        by_group.to_csv(OUT / f"tone_by_{group_column}.csv", index=False)

# %%
# the columns aggregate_sentiment reads, not a copy of `sent`
dated_cols = [c for c in ("doc_id", "level", "compound", "polarity", "date") if c in sent.columns]
dated = sent.loc[sent["date"].notna(), dated_cols] if "date" in sent.columns else sent.iloc[0:0]
n_periods = dated["date"].dt.to_period(time_freq.rstrip("S") or "M").nunique() if len(dated) else 0
if n_periods < 2:
    display(
        Markdown(
            f"{n_periods} dated period(s): tone over time needs documents from at least two periods "
            f"(`time_freq = {time_freq!r}`)."
        )
    )
else:
    dated = dated.assign(
        period=dated["date"].dt.to_period(time_freq.rstrip("S") or "M").dt.start_time
    )
    by_time = sentiment.aggregate_sentiment(dated, "period", n_boot=n_boot, random_state=seed)
    by_time.to_csv(OUT / "tone_by_period.csv", index=False)
    if len(by_time) > max_groups:
        print(f"{len(by_time)} periods: the last {max_groups} are shown; all are in tone_by_period.csv")
    display(by_time.tail(max_groups).round(dict.fromkeys(by_time.select_dtypes("number").columns, 3)))
del dated  # the dated sentences: only needed for by_time

# %% [markdown]
# ## 3 · Tone toward each target
#
# The alias table (`resources/sentiment_targets.yml`, editable; set `aliases_path` to your own)
# maps names, capitals, adjectives, bodies and leaders to a target: *Beijing*, *Chinese* and
# *Xi Jinping* all count as China. Each mention gets a polarity from the first scorer found, in
# this order: a model you trained (`MODELS_DIR/targets`, with `python -m helpers train targets
# --train YOUR_CODES.jsonl`), else the light model shipped inside the package
# (`helpers/models/targets`: trained on NewsMTSC's training split, with a model card beside it),
# else VADER on a ±10-word window (the lexicon baseline). Nothing is trained here. Two scores are
# kept in separate columns: `compound_window` (VADER compound of the window, always) and
# `p_pos_minus_p_neg` (the trained model's P(positive) − P(negative), empty without a model); the
# target table averages the one of the scorer in use.

# %%
aliases = sentiment.load_aliases(aliases_path)
model, load_problem = None, ""
try:
    model = sentiment.load_target_model(model_dir)
except (ImportError, ValueError) as exc:  # an embedding model without torch, an outdated model file
    load_problem = f"A saved target model could not be used ({exc}); "
    model = sentiment.load_target_model(sentiment.SHIPPED_DIR) if model_dir is None else None
scorer, scorer_validation = sentiment.scorer_note(model, window=target_window)
display(Markdown(f"{load_problem}**Target scorer:** {scorer}.  \n**Its validation:** {scorer_validation}."))
model_key = sentiment.model_fingerprint(model)  # None: a model without files, not cached
tone = map_documents(
    partial(sentiment.mention_tone, aliases=aliases, model=model, window=target_window,
            sentence_compound="compound"),  # the sentences' VADER compound, known: not scored again
    sentences, name="sentiment.mention_tone", columns=["unit_id", "text", "compound"],
    cache=model_key is not None,
    params={"aliases": stable_key(aliases.to_numpy().tolist()), "model": model_key, "window": target_window},
)
tone = tone.merge(meta, on="doc_id", how="left")
tone_value = "compound_window" if model is None else "p_pos_minus_p_neg"  # one scale per table
tone.to_csv(OUT / "target_mentions.csv", index=False)
print(
    f"{len(tone)} mentions of {tone['target'].nunique() if len(tone) else 0} targets "
    f"in {tone['doc_id'].nunique() if len(tone) else 0} document(s)"
)
display(
    tone.head(10)[
        ["target", "kind", "mention", "sentence", "label", "compound_window", "p_pos_minus_p_neg"]
    ]
)

# %%
by_target = sentiment.aggregate_sentiment(
    tone, "target", value=tone_value, n_boot=n_boot, random_state=seed
)
if by_target.empty:
    display(Markdown("No target was mentioned: edit the alias table or check the corpus language."))
else:
    display(by_target.round(3))
    fig = sentiment_plots.plot_target_tone(
        by_target, title=f"Polarity toward each target ({tone['method'].iloc[0]})"
    )
    save_figure(fig, "tone_by_target", OUT, table=by_target)  # writes tone_by_target.csv

# %%
if len(tone) and group_column in tone.columns and tone[group_column].nunique() > 1:
    by_target_group = sentiment.aggregate_sentiment(
        tone, ["target", group_column], value=tone_value, n_boot=n_boot, random_state=seed
    )
    by_target_group.to_csv(OUT / f"tone_by_target_and_{group_column}.csv", index=False)
    display(sentiment.top_rows(by_target_group[by_target_group["n_documents"] >= 2], 40).round(3))
else:
    display(
        Markdown(
            f"Tone toward targets by `{group_column}` needs mentions from at least two groups."
        )
    )

# %% [markdown]
# ## 4 · The sentences behind the numbers
#
# The most negative and most positive sentences overall, and for each target the mentions the
# scorer found most negative and most positive. Change `where=` in `sentiment.evidence(...)` to see
# the sentences behind any bar, e.g. `{"target": "China", "outlet": "Global Times"}`.

# %%
shown = [c for c in ("doc_id", "outlet", "date", "target", "mention", "sentence", "compound", "polarity", "drivers")
         if c in sent.columns]  # the columns evidence shows (and `text`)
display(sentiment.evidence(sent[shown].assign(text=sentences["text"]), "compound", n=n_evidence))  # no copy of all of `sent`
# the sentences' text is not read below (the mentions carry their sentence): dropped, as the
# documents' text above (at 100k articles 4.5 M sentences, about 0.55 GB)
sentences = scores["sentence"] = sentences.drop(columns="text", errors="ignore")

# %%
for target_name in by_target["target"] if not by_target.empty else []:
    ev = sentiment.evidence(
        tone,
        tone_value,
        n=min(3, n_evidence),
        where={"target": target_name},
        columns=list(dict.fromkeys(["doc_id", "mention", "sentence", tone_value, "compound_window"])),
    )
    if len(ev):
        display(Markdown(f"**{target_name}**"))
        display(ev)

# %% [markdown]
# ## 5 · Validation: how far can these numbers be trusted?
#
# NewsMTSC (Hamborg & Donnay 2021) holds news sentences in which trained coders rated the
# sentiment toward one named target (−1/0/1). It ships its own split, used as the project's
# protocol: `train.jsonl` is the tuning part — the light model's feature groups, `C` and
# context window were chosen by 5-fold cross-validation on it, grouped by sentence, and the
# shipped model was trained on it alone — and the dev splits `dev_rw` (real-world distribution)
# and `dev_mt` (several targets per sentence) are locked, scored only by `python -m helpers
# validate all`. The row "light model (default)" scores the *shipped file itself*
# (`helpers/models/targets`), so it is a fair estimate for the model this page used when the
# scorer line above says "shipped"; a model you trained yourself has no locked score here
# (check it on your own codes, section 6). The table shows the recorded scores (macro-F1, 95 %
# interval from a bootstrap over sentences) beside the majority class of the training labels and
# the lexicon baseline, with a verdict; this notebook computes none of them. A record whose
# resources changed since (e.g. a retrained shipped model) shows "not validated for these
# resources".

# %%
validation = validation_table("target_sentiment")
if validation.empty:
    display(
        Markdown(
            "No validation of tone toward targets is recorded yet: run "
            "`python -m helpers validate all --only targets` (needs the evaluation data)."
        )
    )
else:
    display(validation.drop(columns=["measure"]))

# %% [markdown]
# **Where it is weak.** The lexicon scorers confuse the tone of the *event* with the stance
# toward the *target* (a sentence about an attack *on* Japan is negative in words but not
# negative toward Japan), and a window around the mention does not fix that: treat VADER and
# dictionary tone as a measure of how charged the language is, not as stance. The trained model
# is better than both baselines but weakest on the positive class (praise in news is rare and
# often quoted or ironic) and far from human coders; compare groups only where intervals clearly
# separate, and read the sentences behind a difference before reporting it. NewsMTSC is US
# political news (2017–2019); agreement on other coverage may be lower: check it on your own
# sample (below).

# %% [markdown]
# ## 6 · Validate on your own hand-coded sample
#
# 1. Draw a stratified sample of your mentions and write the coding sheet (JSONL, NewsMTSC's
#    layout, `polarity` empty):

# %%
coding = sentiment.sample_for_coding(tone, n=coding_sample_size, random_state=seed)
coding_path = sentiment.write_coding_sheet(coding, OUT / "mentions_to_code.jsonl")
print(f"{len(coding)} mentions written to {coding_path.relative_to(OUT)} in the output folder")
display(coding.head(5))

# %% [markdown]
# 2. Code `polarity` in a copy of the sheet by hand (−1 negative, 0 neutral, 1 positive *toward
#    the mention*; rows left empty are skipped), ideally twice by two coders;
#    `helpers.agreement.cohen_kappa` / `krippendorff_alpha` give their agreement, which is the
#    ceiling any method can be held to.
# 3. Score against the codes: set `coded_sheet` to the coded file and rerun (the cell below
#    scores the scorer used above), or on the command line
#    `python -m helpers validate targets mentions_coded.jsonl` (your model in `models/targets`,
#    else the shipped model, else the VADER window — the output's `scorer` says which;
#    `--method vader-window` for the baseline). To train on your own codes (it then comes first
#    in the loading order, in this notebook too):
#    `python -m helpers train targets --train my_codes.jsonl --out models/targets`.

# %%
if coded_sheet is None:
    print("No coded sheet given (coded_sheet = None): nothing to score yet.")
else:
    own = sentiment.score_coded_file(
        coded_sheet,
        method="vader-window" if model is None else "auto",
        model=model,
        window=target_window,
        n_boot=validation_boot,
    )
    keys = ("method", "n", "n_uncoded", "n_sentences", "accuracy", "macro_f1", "cohen_kappa", "ci")
    print(json.dumps({k: own[k] for k in keys}, indent=1, default=str))
    fig = sentiment_plots.plot_confusion(own, title=f"{own['method']} on your codes")
    save_figure(
        fig,
        "own_sample_confusion",
        OUT,
        table=pd.DataFrame(own["confusion"], index=own["labels"], columns=own["labels"]),
    )

# %% [markdown]
# ## Headline findings
#
# Computed from the tables above for the report's front page, each with the method and its
# validation on labelled data.

# %%
headline = []
overall = sentiment.aggregate_sentiment(scores["sentence"], n_boot=n_boot, random_state=seed)
if len(overall):
    o = overall.iloc[0]
    headline.append(Finding(
        f"Overall sentence tone (VADER compound, mean of document means): "
        f"{o['mean_compound_per_document']:+.2f} [{o['ci_low']:+.2f}, {o['ci_high']:+.2f}], "
        f"n = {int(o['n_documents'])} document(s); negative sentences: {o['share_negative_sentences']:.0%}",
        "VADER compound (lexicon; measures charged language, not stance)",
        "not validated for sentence tone on news"))
if len(by_target):
    value_col = f"mean_{tone_value}_per_document"
    ranked = by_target.sort_values(["n_documents", "n_mentions", "target"], ascending=[False, False, True])
    for r in ranked.head(3).to_dict("records"):
        headline.append(Finding(
            f"Tone toward {r['target']}: {r[value_col]:+.2f} [{r['ci_low']:+.2f}, {r['ci_high']:+.2f}], "
            f"n = {r['n_documents']} document(s), {r['n_mentions']} mention(s)",
            scorer + (", P(positive) − P(negative)" if model is not None else ", VADER compound"),
            scorer_validation))
write_findings(OUT, headline, figure="tone_by_target.png" if len(by_target) else "sentence_tone_distribution.png")
pd.DataFrame([vars(f) for f in headline])

# %% [markdown]
# ## Limitations
#
# * Lexicons (VADER, the shipped dictionary) score the words, not the stance (see the
#   validation table: the lexicon baseline against stance labels). Their tone numbers say how
#   charged the language is.
# * The alias table decides what counts as a mention: bare surnames (Abe, Kim, Li) and
#   metonyms (Washington, Tokyo) can be wrong; check `target_mentions.csv`.
# * Intervals resample documents and assume the documents are a sample of the coverage you
#   want to describe; they do not cover errors of the scorer itself (see validation).
# * Reposts are left out by default (`one_per_story`); a story counts once, as its earliest
#   copy, whichever outlet reposted it.
# * With one article (the seed) there is nothing to compare: the outlet and time sections only
#   become meaningful with more coverage.
#
# ## Rerun on your data
#
# `python -m helpers report --data path/to/your/coverage` runs this notebook with the other
# ones; or set `data_path` above. Edit `src/helpers/resources/sentiment_targets.yml` to add
# targets and leaders, pass a quanteda YAML dictionary as `dictionary_path`, and train a target
# model on your own codes with `python -m helpers train targets`.
