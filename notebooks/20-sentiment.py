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
# and show what they would compute; pass a folder of your own coverage as `data_path`.
#
# **Method, and why.** Three measures, each with its evidence:
# 1. *Lexicon tone* of every sentence, paragraph and document with VADER (rules for negation,
#    boosters, "but", capitals; the lexicon ships inside the `vaderSentiment` package, nothing is
#    downloaded) and with a counting dictionary in YAML (the shipped one, or e.g. the Lexicoder
#    Sentiment Dictionary in quanteda's YAML). Every score lists the words that drove it.
# 2. *Entity-targeted tone*: an editable alias table finds the mentions of each target; each
#    mention gets a polarity (negative/neutral/positive) and a score, from a model trained on
#    NewsMTSC (news sentences hand-labelled for the sentiment *toward* a named target) when one
#    is available, else from VADER on a ±10-word window around the mention.
# 3. *Aggregation* by outlet, date and target with bootstrap intervals over documents, and the
#    sentences behind each number.
#
# Validation against hand-labelled news comes after the results, with the numbers that tell how
# far each method can be trusted.

# %%
# %load_ext autoreload
# %autoreload 2

import json

import numpy as np
import pandas as pd
from IPython.display import Markdown, display

import helpers
from helpers import config, sentiment, text
from helpers.plots import save_figure
from helpers.plots import sentiment as sentiment_plots

pd.set_option("display.max_colwidth", 160)

# %% tags=["parameters"]
data_path = None  # folder or file of coverage, None means data/raw
out_dir = None  # figures and tables, None means reports/interactive/20-sentiment
neutral_band = 0.05  # |VADER compound| below this counts as neutral (VADER's convention)
target_window = 10  # words either side of a mention for the lexicon baseline
dictionary_path = None  # YAML dictionary (project or quanteda layout), None is the shipped one
negation_window = 3  # a negator this many words before a dictionary match flips it
aliases_path = None  # entity alias table, None is resources/sentiment_targets.yml
model_dir = None  # trained target model folder, None is MODELS_DIR/targets
fit_light_model = True  # no saved model: fit the light model on NewsMTSC train if present
group_column = "outlet"  # column to compare groups by (outlet, category, source ...)
group_fallbacks = ["source", "category", "original_outlet"]  # used if group_column has 1 value
time_freq = "MS"  # period for tone over time: "MS" month, "W" week, "YS" year
n_boot = 1000  # bootstrap resamples for the tone intervals
validation_boot = 300  # bootstrap resamples for the validation intervals
n_evidence = 5  # sentences shown at each extreme
max_groups = 20  # groups shown in the outlet figure
seed = config.SEED

# %%
DATA = config.resolve_data(data_path)
OUT = config.resolve_out(out_dir, "20-sentiment")
corpus, load_report = helpers.load_corpus(DATA)
print(f"Corpus: {DATA.name}: {len(corpus)} document(s); figures and tables go to {OUT.name}/")
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
# cruder than the mean of their sentences; we report both.

# %%
levels = {level: text.units(corpus, level) for level in ("sentence", "paragraph", "document")}
scores = {
    level: sentiment.vader_scores(u, neutral_band=neutral_band) for level, u in levels.items()
}


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
sent = scores["sentence"].merge(meta, on="doc_id", how="left")
summary = pd.DataFrame(
    [
        {
            "level": level,
            "units": len(s),
            "mean compound": s["compound"].mean(),
            "share negative": (s["polarity"] == -1).mean(),
            "share neutral": (s["polarity"] == 0).mean(),
            "share positive": (s["polarity"] == 1).mean(),
        }
        for level, s in scores.items()
    ]
).round(3)
summary.to_csv(OUT / "tone_by_level.csv", index=False)
display(summary)

# %%
fig = sentiment_plots.plot_tone_distribution(sent, title="VADER compound of each sentence")
save_figure(
    fig,
    "sentence_tone_distribution",
    OUT,
    table=sent[["unit_id", "doc_id", "compound", "polarity"]],
)
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
terms = sentiment.driver_terms(scores["sentence"])
top_terms = (
    terms.groupby("term")
    .agg(occurrences=("valence", "size"), mean_valence=("valence", "mean"))
    .assign(total=lambda d: d.occurrences * d.mean_valence)
    .sort_values("total", key=np.abs, ascending=False)
    .head(25)
    .round(2)
    .reset_index()
)
top_terms.to_csv(OUT / "driver_terms.csv", index=False)
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
dictionary = sentiment.load_dictionary(dictionary_path)
dict_scores = sentiment.dictionary_scores(
    levels["sentence"], dictionary, negation_window=negation_window
)
both = scores["sentence"][["unit_id", "compound"]].merge(
    dict_scores[["unit_id", "score", "drivers"]], on="unit_id"
)
corr = (
    both[["compound", "score"]].corr(method="spearman").iloc[0, 1]
    if len(both) > 2
    else float("nan")
)
print(
    f"Dictionary: {dictionary.name} ({sum(len(v) for v in dictionary.entries.values())} entries, "
    f"source {dictionary.source})"
)
print(f"Sentences: {len(both)}; Spearman correlation VADER vs dictionary: {corr:.2f}")
dict_scores.to_csv(OUT / "dictionary_scores_sentences.csv", index=False)
display(dict_scores.sort_values("score").head(n_evidence)[["unit_id", "text", "score", "drivers"]])

# %% [markdown]
# ## 2 · Tone by outlet and over time, with intervals
#
# Sentences of one article share an author and a slant, so they are not independent: each
# document's sentences are averaged first and the 95 % interval resamples *documents*
# (percentile bootstrap). A group with one document has no interval worth the name: read `n_docs`.

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
    by_group.to_csv(OUT / f"tone_by_{group_column}.csv", index=False)
    display(by_group.round(3).head(max_groups))
    fig = sentiment_plots.plot_group_tone(
        by_group,
        group_column,
        max_groups=max_groups,
        title=f"Sentence tone by {group_column} (mean of document means)",
    )
    save_figure(fig, f"tone_by_{group_column}", OUT, table=by_group)

# %%
dated = sent.dropna(subset=["date"]) if "date" in sent.columns else sent.iloc[0:0]
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
    display(by_time.round(3))

# %% [markdown]
# ## 3 · Tone toward each target
#
# The alias table (`resources/sentiment_targets.yml`, editable; set `aliases_path` to your own)
# maps names, capitals, adjectives, bodies and leaders to a target: *Beijing*, *Chinese* and
# *Xi Jinping* all count as China. Each mention gets a polarity from the best scorer available:
# a saved model in `MODELS_DIR/targets` (train it with `python -m helpers train targets`), else
# the light scikit-learn model fitted here on NewsMTSC's training split when the evaluation data
# are on this machine (about ten seconds), else VADER on a ±10-word window (the lexicon baseline).

# %%
mentions = sentiment.find_mentions(levels["sentence"], aliases_path)
model, model_note = None, ""
try:
    model = sentiment.load_target_model(model_dir)
    if model is not None:
        model_note = (
            f"saved model from {model_dir or sentiment.DEFAULT_MODEL_DIR}: {model.describe()}"
        )
except ImportError as exc:
    model_note = f"a saved model exists but cannot be used here ({exc}); "
if model is None and fit_light_model and config.eval_path("newsmtsc", "train.jsonl"):
    newsmtsc_train = sentiment.read_newsmtsc(config.eval_path("newsmtsc", "train.jsonl"))
    model = sentiment.train_target_model(newsmtsc_train, kind="light", random_state=seed)
    model_note += f"light model fitted now on NewsMTSC train ({len(newsmtsc_train)} targets)"
if model is None:
    model_note += (
        "no trained model and no NewsMTSC training data on this machine: using the VADER "
        f"±{target_window}-word window baseline, which is weak on news (see validation)"
    )
ok, why = sentiment.embeddings_available()
print(f"Target scorer: {model_note}\nEmbedding models: {why}")
tone = sentiment.entity_sentiment(mentions, model=model, window=target_window).merge(
    meta, on="doc_id", how="left"
)
tone.to_csv(OUT / "target_mentions.csv", index=False)
print(
    f"{len(mentions)} mentions of {mentions['target'].nunique() if len(mentions) else 0} targets "
    f"in {mentions['doc_id'].nunique() if len(mentions) else 0} document(s)"
)
display(tone.head(10)[["target", "kind", "mention", "sentence", "label", "score", "vader_window"]])

# %%
by_target = sentiment.aggregate_sentiment(
    tone, "target", value="score", n_boot=n_boot, random_state=seed
)
if by_target.empty:
    display(Markdown("No target was mentioned: edit the alias table or check the corpus language."))
else:
    by_target.to_csv(OUT / "tone_by_target.csv", index=False)
    display(by_target.round(3))
    fig = sentiment_plots.plot_target_tone(
        by_target, title=f"Polarity toward each target ({tone['method'].iloc[0]})"
    )
    save_figure(fig, "tone_by_target", OUT, table=by_target)

# %%
if len(tone) and group_column in tone.columns and tone[group_column].nunique() > 1:
    by_target_group = sentiment.aggregate_sentiment(
        tone, ["target", group_column], value="score", n_boot=n_boot, random_state=seed
    )
    by_target_group.to_csv(OUT / f"tone_by_target_and_{group_column}.csv", index=False)
    display(by_target_group[by_target_group["n_docs"] >= 2].round(3).head(40))
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
display(sentiment.evidence(sent, "compound", n=n_evidence))

# %%
for target_name in by_target["target"] if not by_target.empty else []:
    ev = sentiment.evidence(
        tone,
        "score",
        n=min(3, n_evidence),
        where={"target": target_name},
        columns=["doc_id", "mention", "sentence", "score", "vader_window"],
    )
    if len(ev):
        display(Markdown(f"**{target_name}**"))
        display(ev)

# %% [markdown]
# ## 5 · Validation: how far can these numbers be trusted?
#
# NewsMTSC (Hamborg & Donnay 2021) holds news sentences in which trained coders rated the
# sentiment toward one named target (−1/0/1). Its development splits are `dev_rw` (the
# real-world distribution, mostly neutral) and `dev_mt` (sentences with several targets). Macro-F1
# averages the F1 of the three classes, so a scorer that calls everything neutral gets about 0.3.
# The intervals resample sentences (95 % percentile bootstrap). Computed live when the evaluation
# folder is present; otherwise the recorded numbers from `docs/sentiment.md` are shown.

# %%
validation_rows, reports = [], {}
if config.eval_path("newsmtsc", "dev_rw.jsonl"):
    for split in ("dev_rw", "dev_mt"):
        dev = sentiment.read_newsmtsc(config.eval_path("newsmtsc", f"{split}.jsonl"))
        truth = dev["polarity"].astype(int).tolist()
        candidates = [
            ("VADER, whole sentence", "vader-sentence", None),
            (f"VADER, ±{target_window} words", "vader-window", None),
        ]
        if model is not None:
            candidates.append(
                (f"trained: {model.describe()['kind']}", model.describe()["kind"], model)
            )
        for name, method, mdl in candidates:
            pred = sentiment.predict_polarity(dev, method=method, model=mdl, window=target_window)
            rep = sentiment.validation_report(
                truth,
                pred["polarity"].tolist(),
                labels=[-1, 0, 1],
                n_boot=validation_boot,
                random_state=seed,
            )
            reports[(split, name)] = rep
            validation_rows.append(
                {
                    "split": split,
                    "scorer": name,
                    "n": rep["n"],
                    "accuracy": rep["accuracy"],
                    "macro_F1": rep["macro_f1"],
                    "macro_F1 95% CI": f"{rep['ci']['macro_f1'][0]:.2f}–{rep['ci']['macro_f1'][1]:.2f}",
                    "F1 neg": rep["per_class"]["-1"]["f1"],
                    "F1 neu": rep["per_class"]["0"]["f1"],
                    "F1 pos": rep["per_class"]["1"]["f1"],
                    "kappa": rep["cohen_kappa"],
                    "alpha": rep["krippendorff_alpha"],
                }
            )
    validation = pd.DataFrame(validation_rows).round(3)
    validation.to_csv(OUT / "validation_newsmtsc.csv", index=False)
    display(validation)
    best = max(reports, key=lambda k: (k[0] == "dev_rw", reports[k]["macro_f1"]))
    fig = sentiment_plots.plot_confusion(
        reports[best], title=f"{best[1]} on {best[0]}: macro-F1 {reports[best]['macro_f1']:.2f}"
    )
    save_figure(
        fig,
        "validation_confusion",
        OUT,
        table=pd.DataFrame(
            reports[best]["confusion"],
            index=reports[best]["labels"],
            columns=reports[best]["labels"],
        ),
    )
else:
    display(
        Markdown("""The evaluation data are not on this machine. Recorded on NewsMTSC dev_rw / dev_mt
(macro-F1) with `python -m helpers validate targets ../shared/eval/newsmtsc/dev_rw.jsonl --method M`;
see docs/sentiment.md for the full ablation and the commands:

| scorer | dev_rw | dev_mt |
|---|---|---|
| VADER, whole sentence | 0.51 | 0.53 |
| VADER, ±10 words | 0.50 | 0.53 |
| light model (tf-idf + context + lexicon + role, logistic regression) | 0.70 | 0.66 |
| embedding model (light + frozen MiniLM, `train targets --kind embedding`) | 0.73 | 0.75 |
""")
    )

# %% [markdown]
# **Reading the validation.** The lexicon scorers reach a macro-F1 of about 0.5 on news: they
# confuse the tone of the *event* with the stance toward the *target* (a sentence about an attack
# *on* Japan is negative in words but not negative toward Japan), and the ±10-word window does
# not fix that. Treat VADER and dictionary tone as a rough measure of how charged the language
# is, not as stance. The trained target models roughly double the kappa over the lexicons
# (light 0.70/0.66 macro-F1 on dev_rw/dev_mt; with frozen MiniLM features 0.73/0.75) but stay
# below the published RoBERTa model (0.83 on the test split) and far from human coders;
# compare groups only where intervals clearly separate, and read the sentences behind a
# difference before reporting it. NewsMTSC is US political news (2017-2019); agreement on
# East Asian security coverage may be lower: check it on your own sample (below).

# %% [markdown]
# ## 6 · Validate on your own hand-coded sample
#
# 1. Draw a stratified sample of your mentions in NewsMTSC's layout and write it out:

# %%
coding = sentiment.sample_for_coding(tone, n=100, random_state=seed)
coding_path = OUT / "mentions_to_code.jsonl"
coding.to_json(coding_path, orient="records", lines=True, force_ascii=False)
print(f"{len(coding)} mentions written to {coding_path}")
display(coding.head(5))

# %% [markdown]
# 2. Code `polarity` by hand (−1 negative, 0 neutral, 1 positive *toward the mention*), ideally
#    twice by two coders; `helpers.agreement.cohen_kappa` / `krippendorff_alpha` give their
#    agreement, which is the ceiling any method can be held to.
# 3. Score the model against the codes: `python -m helpers validate targets mentions_to_code.jsonl`
#    (add `--method vader-window` for the baseline), or in Python
#    `sentiment.validation_report(codes, predictions)`. To retrain on your own codes:
#    `python -m helpers train targets --train my_codes.jsonl --out models/targets`.

# %%
if coding["polarity"].notna().any():
    rep = sentiment.validation_report(
        coding["polarity"], tone.set_index("mention_id").loc[coding["id"], "polarity"]
    )
    print(json.dumps({k: rep[k] for k in ("n", "accuracy", "macro_f1", "cohen_kappa")}, indent=1))
else:
    print("No hand codes in the sample yet (polarity is empty): nothing to validate.")

# %% [markdown]
# ## Limitations
#
# * Lexicons (VADER, the shipped dictionary) score the words, not the stance; on news their
#   macro-F1 against stance labels is about 0.5. Their tone numbers say how charged the
#   language is.
# * The alias table decides what counts as a mention: bare surnames (Abe, Kim, Li) and
#   metonyms (Washington, Tokyo) can be wrong; check `target_mentions.csv`.
# * Intervals resample documents and assume the documents are a sample of the coverage you
#   want to describe; they do not cover errors of the scorer itself (see validation).
# * With one article (the seed) there is nothing to compare: the outlet and time sections only
#   become meaningful with more coverage.
#
# ## Rerun on your data
#
# `python -m helpers report --data path/to/your/coverage` runs this notebook with the other
# ones; or set `data_path` above. Edit `src/helpers/resources/sentiment_targets.yml` to add
# targets and leaders, pass a quanteda YAML dictionary as `dictionary_path`, and train a target
# model on your own codes with `python -m helpers train targets`.
