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
# # 10 · How is the story framed, in whose words, with which names?
#
# **Question.** Which frames organise the coverage — conflict, economic consequences, human
# interest, morality, responsibility; the policy frames of the Media Frames Corpus; the themes
# of a territorial dispute (sovereignty, military escalation, alliances, diplomacy, history,
# economic ties)? How do frames move from headline to lead to body? Which names does a story
# use for contested places (Diaoyu, Diaoyutai, Senkaku), and in whose voice? Who is quoted, with
# which verbs? Which words set one group of stories apart from another?
#
# **Data and provenance.** By default the corpus is `data/raw/`: one Global Research repost
# (14 January 2013) of a Global Times story on Japan seeking NATO support against China. With a
# single article this notebook works at paragraph and sentence level, and says plainly which
# comparisons (outlets, time, keyness between groups) need more documents. Pass a folder or
# table of your own coverage as `data_path`.
#
# **Method, and why.** Transparent measures first, each returning the evidence behind its
# numbers:
# 1. *Dictionary frames* — three editable YAML dictionaries in `src/helpers/resources/`
#    (`frames_generic.yml`, `frames_policy.yml`, `frames_territorial.yml`; their headers say
#    where the categories come from and how the words were chosen). Globs, phrases, negation
#    ("no conflict" does not count), scores per 1,000 tokens.
# 2. *Indicator battery* — Semetko & Valkenburg's yes/no questions as cue rules; each generic
#    frame gets the share of its questions answered yes, with the answers kept.
# 3. *Naming* (`naming.yml`) and *sources and quotes* (`reporting_verbs.yml`, `speakers.yml`):
#    pattern rules, no model.
# 4. *Keyness* — between groups: log-likelihood G² with the log ratio as effect size; against
#    general English: an exact binomial test of each word's count against its `wordfreq`
#    frequency. Both correct for testing many words at once (Benjamini-Hochberg q-values).
# 5. *Trained frame models* — logistic regressions over words and the dictionary features,
#    shipped with the package (generic frames per article, policy frames per sentence), each
#    trained on the tune part of a human-labelled set and scored on its locked part; or your
#    own, trained on a hand-coded sample of your coverage (section 8).
#
# Frames are counted once per story: with `one_per_story = True` reposts and near-duplicates
# flagged by the loader are left out before counting (a wire story reposted ten times would
# otherwise weigh ten times).

# %%
# %load_ext autoreload
# %autoreload 2

from functools import partial

import pandas as pd
from IPython.display import Markdown, display

from helpers import config, framing, keyness, sources
from helpers.compute import map_documents, release_after_cells, write_csv
from helpers.corpus import load_corpus, select_language
from helpers.corpus import one_per_story as drop_copies
from helpers.findings import Finding, validation_note, write_findings
from helpers.framing import FrameClassifier, coding_agreement, read_labelled
from helpers.plots import framing as framing_plots
from helpers.plots import save_figure
from helpers.text import units
from helpers.validation import load_results, stale_resources, validation_table

pd.set_option("display.max_colwidth", 140)
release_after_cells()  # memory a long cell freed goes back to the system (docs/scale.md)

# %% tags=["parameters"]
data_path = None  # folder or file of coverage, None means data/raw
out_dir = None  # where figures and tables go, None means reports/interactive/10-framing
one_per_story = True  # leave out flagged reposts/near-duplicates before counting frames
languages = ["en"]  # ISO 639-1 codes this notebook measures (its dictionaries and lexicons are English)
schemes = ["generic", "policy", "territorial"]  # dictionaries to score (or YAML paths)
user_dictionary = None  # optional extra dictionary: project YAML or quanteda YAML path
negation_window = 3  # a negator this many tokens before a match removes it from the score
group_column = "outlet"  # column to compare groups by (outlet, source, category, ...)
min_docs_for_groups = 2  # documents a group needs before it is compared
max_groups = 12  # groups shown in the outlet figures (the rest are pooled as "other")
top_rows = 25  # rows shown of a long table (the CSV beside it has them all)
keyness_min_count = 3  # minimum count of a term for keyness between groups
keyness_alpha = 0.05  # a word is key when its q-value (Benjamini-Hochberg) is below this
keyness_min_log_ratio = 1.0  # and its log2 ratio reaches this (1 means twice as frequent)
keyness_top = 15  # terms shown on each side of the keyness plot
n_detail_docs = 3  # documents shown at sentence level
generic_method = "model"  # generic frames per document: "model" (yours, else the shipped one) or "dictionary"
policy_method = "dictionary"  # policy frames per sentence: "dictionary" (see section 1) or "model"
max_policy_sentences = 2000  # sentences (random, seeded) on which the policy methods are compared
labelled_path = None  # your hand-coded sample (text + label columns) to train a classifier on
save_model = False  # save that classifier in MODELS_DIR, where this page then finds it first
coding_sample_size = 50  # units in the coding sheet written for validating on your own sample
coding_level = "document"  # unit of the coding sheet: document, paragraph or sentence
coded_path = None  # your filled-in coding sheet: scored against the shipped dictionary and rules
seed = config.SEED

# %%
DATA = config.resolve_data(data_path)
OUT = config.resolve_out(out_dir, "10-framing")
corpus, load_report = load_corpus(DATA)
n_loaded = len(corpus)
n_flagged = int((corpus["duplicate_of"].fillna("") != "").sum()) if "duplicate_of" in corpus else 0
if one_per_story:
    corpus = drop_copies(corpus)
n_stories = len(corpus)
corpus, left_out_language = select_language(corpus, tuple(languages))
if len(left_out_language):
    print(f"Left out for language or missing text: {len(left_out_language)} document(s) "
          f"(measured: {', '.join(languages)}); listed in left_out_language.csv")
left_out_language.to_csv(OUT / "left_out_language.csv", index=False)
n_docs = len(corpus)
groups = (
    corpus[group_column].fillna("").astype(str)
    if group_column in corpus
    else pd.Series([""] * n_docs)
)
group_sizes = groups[groups != ""].value_counts()
comparable = group_sizes[group_sizes >= min_docs_for_groups]
few_docs = n_docs < 2 or len(comparable) < 2
display(
    Markdown(
        f"**Corpus:** {n_docs} document(s) from `{DATA.name}`"
        + (
            f" ({n_loaded - n_stories} flagged repost(s)/near-duplicate(s) of {n_loaded} left out: "
            "one per story)"
            if one_per_story
            else f" (all {n_loaded} kept, `one_per_story = False`: {n_flagged} flagged copies counted)"
        )
        + f"; {len(group_sizes)} value(s) of "
        f"`{group_column}`, {len(comparable)} with at least {min_docs_for_groups} documents."
        + (
            "\n\n> With fewer than two comparable groups, comparisons between outlets, keyness between "
            "groups and frame shares by group are not meaningful; this run shows paragraph- and "
            "sentence-level results instead and compares the text with general English."
            if few_docs
            else ""
        )
    )
)
load_report[["source_path", "format", "status", "n_docs", "reason"]].head(10)

# %% [markdown]
# ## 1. Dictionary frames across the corpus
#
# One row per document and frame: matches per 1,000 tokens and the words that matched (the
# evidence). Negated matches ("no conflict") are listed in `n_negated` and left out of the score.

# %%
dictionaries = {s: framing.load_dictionary(s) for s in schemes}
dictionary_source = {s: s for s in schemes}  # what each worker loads the dictionary from
if user_dictionary:
    d = framing.load_dictionary(user_dictionary)
    dictionaries[d.name] = d
    dictionary_source[d.name] = str(user_dictionary)


def scores_by_level(table, levels, answers=False, columns=None):
    """Frame scores of every dictionary at each level (document, section: headline, lead, body),
    from one pass over the text per document (cached by content, in parallel); per level, rows by
    dictionary, then document, as `frame_scores` gives them. With `answers`, also the indicator
    answers per document (the generic cues matched on the same tokens; None otherwise), the
    sentence peaks, the style cues (model features) and sentences with text, beside the peaks.
    The rows travel packed (codes, a third of the memory) and are unpacked here (`columns`: per
    level, only these columns are made)."""
    names = list(dictionaries)
    schemes = [dictionary_source[n] for n in names]
    packed = map_documents(
        partial(framing.frame_scores_by_level, scheme=schemes, levels=levels, negation_window=negation_window,
                answers=answers, peaks=answers, packed=True, style=answers),
        table, name="framing.frame_scores_by_level",
        params={"schemes": names, "entries": {n: dictionaries[n].categories for n in names},
                "meta": {n: dictionaries[n].meta for n in names}, "levels": list(levels),
                "negation_window": negation_window, "answers": answers, "peaks": answers, "packed": True,
                "style": answers,
                "indicators": framing.load_dictionary("generic").indicators if answers else None})
    return framing.unpack_scores(packed, schemes, levels, answers=answers, peaks=answers, columns=columns)


# sections: section 2; the indicator answers (section 3 and the generic model) and the sentence
# peaks (the generic model's features) use the default negation window
# the section scores wait for section 2, which reads only these columns (the table is large at scale)
section_columns = ["unit_id", "scheme", "label", "n_matches", "per_1000"]
level_scores, answers, peaks = scores_by_level(corpus[["doc_id", "title", "text"]], ("document", "section"),
                                               answers=negation_window == 3, columns={"section": section_columns})
n_sentences = peaks.pop("n_sentences") if peaks is not None else None  # sentences with text, for the policy sample
doc_scores = level_scores.pop("document").merge(
    corpus[["doc_id", "title"]].assign(group=groups.values), on="doc_id", how="left"
)
write_csv(doc_scores, OUT / "frame_scores_document.csv")  # to_csv(index=False)'s bytes, faster on long tables
overview = (
    doc_scores.groupby(["scheme", "label"], sort=False)
    .agg(
        mean_per_1000=("per_1000", "mean"),
        docs_with_frame=("n_matches", lambda s: int((s > 0).sum())),
        negated=("n_negated", "sum"),
    )
    .reset_index()
)
overview["share_of_docs"] = overview["docs_with_frame"] / max(n_docs, 1)
overview.round(2)

# %%
profiled = doc_scores[["scheme", "label", "per_1000"]]  # what the profiles read (not the evidence, titles)
for name in dictionaries:
    sc = profiled[profiled["scheme"] == name]
    fig, tab = framing_plots.plot_frame_profile(
        sc,
        title=f"{name.title()} frames: matches per 1,000 tokens (mean over {n_docs} document(s))",
    )
    save_figure(fig, f"frame_profile_{name}", OUT, tab)
del sc, profiled  # tables of a row per document and frame (or per section) are large at scale: freed after use

# %% [markdown]
# The evidence behind the scores of the first documents (the words each frame matched):

# %%
first_ids = corpus["doc_id"].head(n_detail_docs).tolist()
doc_scores[doc_scores["doc_id"].isin(first_ids) & (doc_scores["n_matches"] > 0)][
    ["doc_id", "scheme", "label", "n_matches", "n_negated", "per_1000", "evidence"]
].round(1)

# %% [markdown]
# ### Frames by group
#
# Mean rates per group (`group_column`), only for groups with enough documents.

# %%
if few_docs:
    display(
        Markdown(
            f"*Skipped: needs at least two values of `{group_column}` with "
            f"{min_docs_for_groups}+ documents each (this corpus has {len(comparable)}).*"
        )
    )
else:
    # the largest groups by name, the rest of the comparable ones pooled as "other"
    keep = comparable.index[: max_groups - 1] if len(comparable) > max_groups else comparable.index
    by = doc_scores[["scheme", "label", "per_1000", "group"]]  # the columns read (a row selection copies each)
    by = by[by["group"].isin(comparable.index)].rename(columns={"group": group_column})
    by[group_column] = by[group_column].where(by[group_column].isin(keep), "other")
    for name in dictionaries:
        fig, tab = framing_plots.plot_frame_profile(by[by["scheme"] == name], by=group_column)
        save_figure(fig, f"frame_profile_{name}_by_{group_column}", OUT, tab)
    # groups as columns: one row per frame stays readable with many frames and groups
    display(
        by.groupby(["scheme", "label", group_column], sort=False)["per_1000"].mean()
        .unstack(group_column).round(1)
    )
    del by

# %% [markdown]
# ### Frames from the trained models
#
# Two trained models ship with the package (`src/helpers/models/*/MODEL_CARD.md`): generic
# frames per article, trained on the tune part of the labelled climate articles, and policy
# frames per sentence, trained on the tune part of the FrAC sentences. Neither saw the locked
# part of its data, so the validation score beside each is a fair estimate for exactly the
# file used here — on those topics. Loading order: a model you trained
# (`python -m helpers train frames my_coding.csv` saves it in `MODELS_DIR`), then the shipped
# model, then the dictionary.
#
# Which method the page uses, and why. **Generic frames:** the trained model
# (`generic_method = "model"`): on the locked climate articles it scored above the dictionary.
# **Policy frames:** the dictionary (`policy_method = "dictionary"`): on the locked FrAC
# sentences the shipped model did *not* beat the dictionary (see the validation table in
# section 7), and the dictionary shows the words behind every label, so the model would add
# opacity without a measured gain; it is shown beside the dictionary instead. Both are
# parameters. The dictionary columns here use the rule that was validated: generic frames
# present at the per-frame rate chosen on the tune articles, the policy frame with the highest
# rate per sentence ("other" when nothing matches).

# %%
frame_models = {s: framing.load_frame_model(s) for s in ("generic", "policy")}
frame_measure = {"generic": "generic_frames", "policy": "policy_frames"}
uses_model = {
    "generic": generic_method == "model" and frame_models["generic"].classifier is not None,
    "policy": policy_method == "model" and frame_models["policy"].classifier is not None,
}
lines = []
for s, fm in frame_models.items():
    dictionary_line = (f"the {s} frame dictionary — validation: "
                       f"{validation_note(frame_measure[s], method='dictionary')}")
    model_line = (f"{fm.describe()} — validation: {fm.validation()}" if fm.classifier is not None
                  else "no trained model found")
    used, beside = (model_line, dictionary_line) if uses_model[s] else (dictionary_line, model_line)
    lines.append(f"- **{s.title()} frames — used on this page:** {used}.\n  *Beside it:* {beside}.")
    lines += [f"  - note: {p}" for p in fm.problems]
display(Markdown("\n".join(lines)))


def validated_dictionary_rates(measure):
    """The dictionary's per-frame rate thresholds chosen on tune, from the results file."""
    rec = [r for r in load_results() if r["measure"] == measure and r["method"] == "dictionary"]
    return (rec[0].get("details", {}).get("rate_thresholds") or None) if rec else None

# %% [markdown]
# Generic frames per document: the share of documents with each frame, by the trained model and
# by the dictionary (probabilities and 0/1 per document in `generic_frames_document.csv`).

# %%
gen_dict = framing.load_dictionary("generic")
gen_codes = [c for c, key in framing.GENERIC_CODES.items() if key in gen_dict.categories]
code_label = {c: gen_dict.label(framing.GENERIC_CODES[c]) for c in gen_codes}
gen_rates = validated_dictionary_rates("generic_frames")
if answers is None:  # made with the document scores (section 1) when the negation window is 3
    answers = map_documents(framing.indicator_answers, corpus, name="framing.indicator_answers",
                            columns=["text"])  # shown in section 3; the model's features use them too
# The document scores and indicator answers above are the model's and the dictionary rule's own
# features (same functions, default settings, shipped dictionaries): given to them, the text is
# not scored again. Otherwise (another negation window, a dictionary of yours under a shipped
# name) they score the text themselves.
shipped = [n for n in dictionaries if dictionary_source[n] == n and n in framing.SCHEMES]
with_features = corpus[["doc_id", "text"]]
if negation_window == 3:  # the features beside the corpus's text (not a copy of it)
    with_features = framing.lexicon_table(with_features, doc_scores, answers, shipped, peaks)
del peaks, doc_scores  # not used below (a row per document and frame: freed before the models run)
gen_model = gen_proba = None
if frame_models["generic"].classifier is not None:
    fm_gen = frame_models["generic"]
    given = negation_window == 3 and set(fm_gen.classifier.feat_.schemes) <= set(shipped)
    gen_model = map_documents(
        partial(framing.model_frames, folder=str(fm_gen.folder), kind=framing.KINDS["generic"]),
        with_features if given else corpus[["doc_id", "text"]], name="framing.model_frames",
        params={"source": fm_gen.source, "meta": fm_gen.meta})
    gen_proba = gen_model[[f"p_{c}" for c in gen_codes]]
given = negation_window == 3 and "generic" in shipped
gen_present = {"dictionary": map_documents(
    partial(framing.dictionary_frames, labels=gen_codes, scheme="generic", thresholds=gen_rates),
    with_features if given else corpus[["doc_id", "text"]], name="framing.dictionary_frames",
    params={"labels": gen_codes, "scheme": "generic", "thresholds": gen_rates})[gen_codes]}
if gen_model is not None:
    gen_present["trained model"] = gen_model[gen_codes]
share_rows = [
    {"label": code_label[c], "method": m, "n": int(P[c].sum()), "n_units": len(P),
     "share": float(P[c].mean()) if len(P) else 0.0}
    for m, P in gen_present.items() for c in gen_codes
]
gen_shares = pd.DataFrame(share_rows)
fig, tab = framing_plots.plot_frame_shares(
    gen_shares, "documents", title=f"Generic frames: share of {n_docs} document(s) (page uses the "
    + ("trained model" if uses_model["generic"] else "dictionary") + ")")
save_figure(fig, "frame_shares_generic", OUT, tab)
per_doc = corpus[["doc_id"]].reset_index(drop=True)
for m, P in gen_present.items():
    per_doc = per_doc.join(P.add_suffix(f" ({m})"))
if gen_proba is not None:
    per_doc = per_doc.join(gen_proba.round(3))
per_doc.to_csv(OUT / "generic_frames_document.csv", index=False)
del with_features  # not used below
gen_shares.pivot_table(index="label", columns="method", values="share", sort=False).round(2)

# %% [markdown]
# Policy frames per sentence (at most `max_policy_sentences`, drawn at random with the seed):
# the dictionary and the trained model side by side, and how often they agree.

# %%
# the sentences with text, max_policy_sentences of them drawn at random (seeded): only the documents
# drawn are split into sentence units (the draw is made over each document's count)
if n_sentences is not None and n_sentences.index.tolist() == corpus["doc_id"].tolist():  # counted in section 1
    sent_counts = pd.DataFrame({"doc_id": corpus["doc_id"].to_numpy(), "n_sentences": n_sentences.to_numpy()})
else:  # another negation window, or repeated document ids: counted here
    sent_counts = map_documents(framing.sentence_counts, corpus, name="framing.sentence_counts",
                                columns=["text"])
del n_sentences
sent_all = framing.sample_sentences(corpus, sent_counts, max_policy_sentences, seed)
sent_texts = sent_all["text"].tolist()
frac_codes = list(framing.FRAC_LABELS)  # the FrAC categories (merged codebook frames)
pol_label = framing.FRAC_LABELS
pol_pred = pd.DataFrame({"unit_id": sent_all["unit_id"].to_numpy(),
                         "dictionary": framing.dictionary_predict(sent_texts, frac_codes, "policy",
                                                                  "multiclass")})
if frame_models["policy"].classifier is not None and len(sent_texts):
    pol_pred["trained model"] = frame_models["policy"].classifier.predict(sent_texts).iloc[:, 0].to_numpy()
pol_pred.to_csv(OUT / "policy_frames_sentence.csv", index=False)
pol_methods = [c for c in ("dictionary", "trained model") if c in pol_pred]
pol_shares = pd.DataFrame([
    {"label": pol_label.get(code, code), "method": m, "n": int((pol_pred[m] == code).sum()),
     "n_units": len(pol_pred), "share": float((pol_pred[m] == code).mean()) if len(pol_pred) else 0.0}
    for m in pol_methods for code in frac_codes
])
fig, tab = framing_plots.plot_frame_shares(
    pol_shares, "sentences", title=f"Policy frames: share of {len(pol_pred)} sentence(s) (page uses the "
    + ("trained model" if uses_model["policy"] else "dictionary") + ")")
save_figure(fig, "frame_shares_policy", OUT, tab)
if len(pol_methods) == 2 and len(pol_pred):
    agree = float((pol_pred["dictionary"] == pol_pred["trained model"]).mean())
    display(Markdown(f"Dictionary and trained model give the same policy frame to {agree:.0%} of "
                     f"{len(pol_pred)} sentence(s)."))
pol_shares.pivot_table(index="label", columns="method", values="share", sort=False).round(2)

# %% [markdown]
# ## 2. Frame flow: headline → lead → body
#
# News writing puts the frame a journalist chose into the headline and the lead. Here each
# document is cut into its headline (the title), lead (first paragraph, or first sentence when
# the text has no paragraphs) and body, and the frame rates are compared across the three.

# %%
flow = level_scores["section"]  # scored with the documents in section 1
flow["section"] = flow["unit_id"].str[-1].map({"h": "headline", "l": "lead", "b": "body"})
for name in dictionaries:
    f = flow[flow["scheme"] == name]
    fig, tab = framing_plots.plot_frame_flow(
        f,
        section=f["section"],
        title=f"{name.title()} frames from headline to body (per 1,000 tokens)",
    )
    save_figure(fig, f"frame_flow_sections_{name}", OUT, tab)
flow.pivot_table(
    index=["scheme", "label"], columns="section", values="per_1000", aggfunc="mean", sort=False
).reindex(columns=["headline", "lead", "body"]).round(1)

# %% [markdown]
# ### Paragraph by paragraph
#
# For the first document, the territorial-dispute frames paragraph by paragraph (x-axis: the
# paragraph's order in the text), and the dominant frame of each paragraph with its evidence.

# %%
del flow, f, level_scores  # the section scores (the page's largest table) are not used below
detail = corpus[corpus["doc_id"].isin(first_ids)]
para_units = units(detail.head(1), "paragraph")
flow_scheme = "territorial" if "territorial" in dictionaries else next(iter(dictionaries))
para_scores = framing.frame_scores(
    para_units, dictionaries[flow_scheme], negation_window=negation_window
)
fig, tab = framing_plots.plot_frame_flow(
    para_scores, title=f"{flow_scheme.title()} frames by paragraph (first document)"
)
save_figure(fig, "frame_flow_paragraphs", OUT, tab)
framing.dominant_frame(para_scores).merge(para_units[["unit_id", "text"]], on="unit_id").assign(
    text=lambda d: d["text"].str.slice(0, 110)
)[["position", "frame", "per_1000", "evidence", "text"]].round(1)

# %% [markdown]
# At sentence level every sentence gets a score for each frame; the table lists the sentences
# with the most generic-frame matches.

# %%
sent_units = units(detail, "sentence")
sent_scores = framing.frame_scores(
    sent_units,
    dictionaries.get("generic", next(iter(dictionaries.values()))),
    negation_window=negation_window,
)
sent_scores.to_csv(OUT / "frame_scores_sentence.csv", index=False)
top_sent = (
    sent_scores[sent_scores["n_matches"] > 0]
    .sort_values("n_matches", ascending=False)
    .head(8)
    .merge(sent_units[["unit_id", "text"]], on="unit_id")
)
top_sent[["unit_id", "label", "n_matches", "evidence", "text"]]

# %% [markdown]
# ## 3. The indicator battery (generic frames)
#
# Each generic frame is scored 0–1 as the share of its Semetko & Valkenburg questions that the
# cue rules answer "yes". The answers and the cues that triggered them are kept, so a score can
# be checked by reading the cues.

# %%
ind = framing.indicator_scores(answers)  # the answers were computed with the generic frames
ind.to_csv(OUT / "indicator_scores.csv", index=False)
ind_mean = ind.groupby("frame")["score"].mean().round(2).rename("mean indicator score")
display(ind_mean.to_frame())
answers[answers["doc_id"] == corpus["doc_id"].iloc[0]][
    ["frame", "question_id", "question", "answer", "evidence"]
] if n_docs else answers

# %% [markdown]
# ## 4. Naming and lexical choice
#
# The naming table (`naming.yml`) lists competing names for the same thing — Diaoyu (PRC),
# Diaoyutai (Taiwan), Senkaku (Japan), or a neutral "disputed islands" — and loaded terms
# (purchase vs nationalization of the islands, Self-Defense Forces vs military, ...). Each
# mention is marked as the author's voice, inside a quotation, or in a sentence that reports a
# source ("attributed").

# %%
del answers  # not used below
del ind  # the indicator scores were written in section 3
att = map_documents(sources.attributions, corpus, name="sources.attributions", columns=["text"])
mentions = framing.naming_mentions(corpus, attributions=att)
mentions.to_csv(OUT / "naming_mentions.csv", index=False)
naming_by = group_column if (not few_docs and group_column in corpus) else None
naming = framing.naming_summary(mentions, corpus, by=naming_by)
naming.to_csv(OUT / "naming_summary.csv", index=False)
fig, tab = framing_plots.plot_naming(naming.head(40), by=naming_by)
save_figure(fig, "naming", OUT, tab)
naming.head(top_rows).round(2)

# %% [markdown]
# Which name comes first in each document (the first mention sets the frame for the reader):

# %%
first_names = mentions[mentions["order"] == 0][
    ["doc_id", "concept", "label", "term", "voice", "speaker"]
]
first_names.head(20)

# %% [markdown]
# ## 5. Who speaks: sources and quotes
#
# Every attribution ("X said", "X told the Global Times", "according to X", "..., X
# reported"), with the speaker, their description (title, institution, nationality where the
# text states it), the reporting verb and its connotation (neutral *said* versus *claimed*,
# *admitted*, *insisted* ...), and the quote or paraphrase. "Liu said" is resolved to the full
# name given earlier.

# %%
att.to_csv(OUT / "attributions.csv", index=False)
att[
    [
        "doc_id",
        "sentence",
        "speaker",
        "speaker_resolved",
        "kind",
        "title",
        "institution",
        "nationality",
        "verb",
        "verb_class",
        "mode",
        "quote",
    ]
].head(30)

# %%
speakers = sources.speaker_table(att)
speakers.to_csv(OUT / "speakers.csv", index=False)
speakers.head(top_rows)

# %%
for by_col in ("kind", "nationality", "verb_class"):
    vb = sources.voice_balance(att, by=by_col)
    fig, tab = framing_plots.plot_voice_balance(vb, by=by_col, top=max_groups)
    save_figure(fig, f"voice_balance_{by_col}", OUT, tab)
    display(vb.head(top_rows).round(2))

# %% [markdown]
# ### How far the attributions can be trusted
#
# The rules were written on the seed article and never tuned on the paragraphs below: BBC News
# paragraphs (one per article, fixed seed; two thirds with a quotation mark or reporting verb,
# the rest at random), coded by one developer following `docs/annotation/quotes.md` before the
# rules were run on them. An attribution counts as found when its quote overlaps a coded quote
# by at least half and its resolved speaker matches. Precision is higher than recall: the rules
# miss direct quotes whose speaker follows the verb with a description ("said Spanish teenager
# Nadal"), speakers referred to as "she", and statements as speakers.

# %%
validation_table("quote_attribution")

# %% [markdown]
# ## 6. Keyness
#
# Which words set one side apart, and by how much. Between groups (the largest group against
# the rest): the log-likelihood G² (1 d.f.) gives a p-value per word and the log ratio the
# effect (+1 = twice as frequent). Against general English: `wordfreq`'s frequency of a word is
# taken as its known English rate *p* (it blends billions of tokens, so its own sampling error
# is negligible beside this corpus's), and the word's count *k* in the corpus's *n* tokens is
# tested with an exact one-sided binomial test; no reference size is assumed. Words `wordfreq`
# does not list get its lowest listed frequency (about 1 in 100 million), so for them the test
# is conservative. Many words are tested at once, so p-values become Benjamini-Hochberg
# q-values (the expected share of false discoveries among the words called key); a word is
# **key** when q < `keyness_alpha` *and* its log ratio reaches `keyness_min_log_ratio`.

# %%
if few_docs:
    display(
        Markdown(
            f"*Keyness between groups skipped: needs two groups of `{group_column}` with "
            f"{min_docs_for_groups}+ documents (found {len(comparable)}).*"
        )
    )
else:
    target_group = comparable.index[0]
    kg = keyness.compare_groups(
        corpus.assign(**{group_column: groups.values}),
        group_column,
        target_group,
        min_count=keyness_min_count,
        alpha=keyness_alpha,
        min_log_ratio=keyness_min_log_ratio,
    )
    kg.to_csv(OUT / "keyness_groups.csv", index=False)
    fig, tab = framing_plots.plot_keyness(
        kg,
        n=keyness_top,
        target_label=str(target_group),
        reference_label="rest",
        title=f"Keyness: {target_group} vs the rest of the corpus",
    )
    save_figure(fig, "keyness_groups", OUT, tab)
    display(
        Markdown(
            f"{int(kg['key'].sum())} of {len(kg)} tested words are key "
            f"(q < {keyness_alpha}, |log ratio| ≥ {keyness_min_log_ratio})."
        )
    )
    display(kg.head(keyness_top).round(3))

# %%
ke = keyness.keyness_vs_english(
    corpus, min_count=2, alpha=keyness_alpha, min_log_ratio=keyness_min_log_ratio
)
ke.to_csv(OUT / "keyness_vs_english.csv", index=False)
fig, tab = framing_plots.plot_keyness(
    ke,
    n=keyness_top,
    target_label="this corpus",
    reference_label="general English",
    title="Keyness: this corpus vs general English (wordfreq)",
)
save_figure(fig, "keyness_vs_english", OUT, tab)
display(
    Markdown(
        f"{int(ke['key'].sum())} of {len(ke)} tested words are key against general English "
        f"({int((ke['key'] & ~ke['in_wordfreq']).sum())} of them unknown to `wordfreq`)."
    )
)
ke.head(keyness_top).round(4)

# %% [markdown]
# ## 7. Validation: how far can the frame measures be trusted?
#
# Two human-labelled development sets (in `../shared/eval`, never copied into the project):
# climate-change articles from US/UK outlets coded for the five generic frames and answers to
# the indicator questions (Frermann et al. 2023), and FrAC sentences coded with one policy frame
# each (Guida et al. 2025). Each set is split once into a *tune* part and a *locked* part (40 %).
# Everything chosen — the classifier's setting, C and thresholds, the dictionary's rate
# thresholds, the indicator rules' cue thresholds — is chosen on the tune part; the shipped
# models are trained on the tune part only, and the "trained classifier" rows score exactly
# those files on the locked part, once, by `python -m helpers validate all`, beside trivial
# baselines (always-yes, the tune majority) and the dictionary. Intervals are 95 % bootstraps over articles or
# sentences. The table below is read from the project's one results file; a row whose
# dictionaries changed since shows "not validated for these resources" instead of numbers.
#
# Where the measures are weak: the rare frames (human interest, morality) have few locked
# articles, so their F1 is unstable and close to the always-yes baseline; several indicator
# questions of the annotators' battery are worded differently from Semetko & Valkenburg's, so
# low agreement can mean a different question. Both sets are other topics than territorial
# disputes: the territorial dictionary and the naming table are **not** validated.

# %%
frame_measures = ["generic_frames", "frame_indicators", "policy_frames"]
validation = pd.concat([validation_table(m) for m in frame_measures], ignore_index=True)
if validation.empty:
    display(
        Markdown(
            "*No validation results recorded for the frame measures yet: "
            "`python -m helpers validate all --only frames` writes them.*"
        )
    )
else:
    display(validation)

# %%
current = [r for r in load_results() if r["measure"] in frame_measures and not stale_resources(r)]
fig, tab = framing_plots.plot_validation(
    current, "generic_frames", title="Generic frames: per-frame F1 on the locked articles"
)
save_figure(fig, "validation_generic", OUT, tab)
notes = sorted({n for r in current for n in r.get("details", {}).get("data_notes", [])})
if notes:
    display(
        Markdown(
            "Data problems found in the labelled files and how they were handled: "
            + "; ".join(notes)
        )
    )

# %% [markdown]
# ## 8. Train a classifier on your own hand-coded sample
#
# The shipped models were trained on other topics. Code a sample of your own units (articles,
# paragraphs or sentences) in a spreadsheet with one text column and one 0/1 column per frame
# (or one `label` column; several labels may be separated by `;`), save it as CSV/TSV, then
#
# ```
# python -m helpers train frames my_coding.csv      # tuned fit; saved in MODELS_DIR/frames_generic
# python -m helpers validate frames second_sample.csv   # scores it (nothing fitted on that file)
# ```
#
# From then on this page (and `validate frames`) uses your model before the shipped one, and
# says so at the top of section 1. Here, with `labelled_path` set, a quick untuned fit on your
# file (saved to `MODELS_DIR` with `save_model = True`). Without it, the cell shows what the
# generic model in use learned: its strongest features per frame (`word:` a word,
# `dict:<scheme>:<frame>` a dictionary rate, `dict:ind:<question>` an indicator answer).

# %%
model = None
if labelled_path is not None:
    sample = read_labelled(labelled_path)
    display(Markdown(f"Labelled sample: {len(sample.texts)} units, labels "
                     f"{', '.join(map(str, sample.label_names))}"
                     + (f"; notes: {'; '.join(sample.notes)}" if sample.notes else "")))
    model = FrameClassifier(tune=False, Cs=(0.1,), random_state=seed).fit(
        sample.texts.tolist(), sample.labels.reset_index(drop=True))
    if save_model:
        folder = framing.save_user_model(model, sample, config.resolve_data(labelled_path).name,
                                         command="notebook 10 (quick fit)")
        display(Markdown(f"Model saved to `MODELS_DIR/{folder.name}`; this page uses it from the next run."))
elif frame_models["generic"].classifier is not None:
    model = frame_models["generic"].classifier
    display(Markdown(f"Strongest features of {frame_models['generic'].describe()}:"))
else:
    display(Markdown("*No labelled sample given and no trained generic model found: nothing to show.*"))
if model is not None:
    display(
        model.top_features(8).pivot_table(
            index="rank", columns="frame", values="feature", aggfunc="first"
        )
    )

# %%
if model is not None and labelled_path is not None:
    para_all = units(corpus.head(max(n_detail_docs, 1)), "paragraph")
    pred = model.predict_units(para_all)
    pred.to_csv(OUT / "classifier_predictions_paragraph.csv", index=False)
    wide_pred = pred.pivot_table(
        index="unit_id", columns="frame", values="probability", sort=False
    ).round(2)
    display(wide_pred.head(20))
    # Agreement of two codings: here the classifier vs the indicator battery (both 0/1 per frame)
    codes = {code: frame for frame, code in framing.FRAME_CODES.items()}
    if set(pred["frame"]) == set(codes):
        ind_par = framing.indicator_scores(para_all)
        ind_bin = (
            ind_par.pivot_table(index="unit_id", columns="frame", values="score", sort=False) >= 0.5
        )
        ind_bin = ind_bin.astype(int).rename(columns=framing.FRAME_CODES)
        clf_bin = pred.pivot_table(index="unit_id", columns="frame", values="predicted", sort=False)
        common = clf_bin.index.intersection(ind_bin.index)
        display(
            Markdown(
                "Agreement between your classifier and the indicator rules on these paragraphs "
                "(two 'coders'; Cohen's kappa and Krippendorff's alpha):"
            )
        )
        display(
            coding_agreement(
                clf_bin.loc[common, sorted(codes)], ind_bin.loc[common, sorted(codes)]
            ).round(2)
        )

# %% [markdown]
# ## 9. Validate on your own sample
#
# The numbers above come from other topics. Before reporting frame shares for your coverage,
# code a random sample of it by hand and score the shipped measures against your codes:
#
# 1. the cell below writes `coding_sheet.csv` to the output folder: `coding_sample_size` random
#    units (`coding_level`) of this corpus with empty `CO EC HI MO RE` columns;
# 2. fill each with 1 (frame present) or 0, ideally two coders independently
#    (`coding_agreement` gives their kappa and alpha); rows left empty are skipped;
# 3. set `coded_path` to the filled file and rerun: the trained generic model in use (yours,
#    else the shipped one), the dictionary and the indicator rules are scored against your
#    codes, fitting nothing on them (macro-F1 with a bootstrap interval, beside always-yes and
#    the majority of the model's training labels), the same as
#    `python -m helpers validate frames coded.csv`.

# %%
sheet = framing.coding_sheet(corpus, "generic", level=coding_level, n=coding_sample_size, seed=seed)
sheet_path = framing.write_coding_sheet(sheet, OUT / "coding_sheet.csv")
display(Markdown(f"Coding sheet with {len(sheet)} unit(s) written to `{sheet_path.name}`."))
if coded_path is not None:
    own = framing.score_coding(coded_path)
    rows = [
        {"method": name, "macro-F1": r["macro_f1"], "95 % CI": r["ci"], "n": r["n"]}
        for name, r in [
            (f"trained model ({own['model']['source']})" if "model" in own else "trained model",
             own.get("trained")),
            ("dictionary", own["dictionary_only"]),
            ("indicator rules", own.get("indicators_only")),
            *own["baselines"].items(),
        ]
        if r
    ]
    display(pd.DataFrame(rows))
    if own["data_notes"]:
        display(Markdown("Notes on the coded file: " + "; ".join(own["data_notes"])))

# %% [markdown]
# ## Headline findings
#
# Computed from the tables above for the report's front page, each with the method and its
# validation on labelled data.

# %%
headline = []
if uses_model["generic"] and n_docs:
    top = gen_shares[gen_shares["method"] == "trained model"].sort_values(["share", "label"],
                                                                          ascending=[False, True]).iloc[0]
    headline.append(Finding(
        f"Most frequent generic frame: {top['label']} (in {int(top['n'])} of {n_docs} document(s), "
        f"{top['share']:.0%}; trained model)", frame_models["generic"].describe(),
        frame_models["generic"].validation()))
for scheme_name, note in ((("generic", validation_note("generic_frames", method="dictionary")),)
                          if not uses_model["generic"] else ()) + (
        ("territorial", "not validated: no labelled data for territorial frames"),):
    rows = overview[(overview["scheme"] == scheme_name) & (overview["docs_with_frame"] > 0)]
    if len(rows):
        top = rows.sort_values(["mean_per_1000", "label"], ascending=[False, True]).iloc[0]
        headline.append(Finding(
            f"Most prominent {scheme_name} frame: {top['label']} ({top['mean_per_1000']:.1f} matches per 1,000 "
            f"tokens; in {int(top['docs_with_frame'])} of {n_docs} document(s))",
            f"{scheme_name} frame dictionary", note))
pol_used = "trained model" if uses_model["policy"] else "dictionary"
pol_top = pol_shares[(pol_shares["method"] == pol_used) & (pol_shares["label"] != pol_label["15"])]
if len(pol_top) and pol_top["n"].max() > 0:
    top = pol_top.sort_values(["share", "label"], ascending=[False, True]).iloc[0]
    headline.append(Finding(
        f"Most frequent policy frame: {top['label']} ({int(top['n'])} of {int(top['n_units'])} sentence(s), "
        f"{top['share']:.0%}; {pol_used})",
        frame_models["policy"].describe() if uses_model["policy"] else "policy frame dictionary",
        frame_models["policy"].validation() if uses_model["policy"]
        else validation_note("policy_frames", method="dictionary")))
if len(att):
    top_speakers = speakers.head(3)
    headline.append(Finding(
        f"{len(att)} attribution(s) to {len(speakers)} speaker(s); most quoted: "
        + ", ".join(f"{r.speaker} ({r.n_attributions})" for r in top_speakers.itertuples()),
        "rule-based quote attribution", validation_note("quote_attribution")))
write_findings(OUT, headline, figure="frame_profile_generic.png")
pd.DataFrame([vars(f) for f in headline])

# %% [markdown]
# ## Limitations
#
# - Dictionaries count words, not meaning: "war" in "price war" counts as conflict. Read the
#   evidence columns; edit the YAML when a word misleads in your coverage.
# - The indicator rules approximate questions a human answers by reading the whole story; they
#   miss irony, implicature and visual information (question hi5 is about pictures we never see).
# - Quote attribution is rule-based English news style: it prefers missing an attribution to
#   inventing a speaker, resolves "Liu said" only to a name given earlier in the same document,
#   and states nationality only when the text (or the outlet list) says it.
# - Keyness needs two groups with enough text; against general English, proper names and
#   topic words dominate by design, and in a single article nearly every repeated content word
#   is "key": English is a poor reference for one story's vocabulary.
# - The trained models' numbers are measured on the locked part of development data of other
#   topics (climate articles, Canadian/US op-eds); expect lower accuracy on territorial-dispute
#   coverage until you validate on a sample of your own (section 9). The generic model was
#   trained on whole articles and the policy model on sentences: use them at those levels.
# - Policy frames: the shipped model did not beat the dictionary on its locked sentences, so
#   the page reports the dictionary and shows the model beside it.
#
# ## Rerun on your data
#
# `python -m helpers report --data path/to/coverage` runs this notebook with your corpus;
# `python -m helpers train frames my_coding.csv` trains a model on your own coded sample that
# this page then uses first; pass `-p labelled_path my_coding.csv` to papermill (or edit the
# parameters cell) for a quick fit here, and `-p user_dictionary my_dictionary.yml` to add a dictionary.
