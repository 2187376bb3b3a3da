import pandas as pd
import pytest

from helpers import text, textstats


def test_sentences_respect_abbreviations():
    s = "Mr. Abe met U.S. officials on Jan. 14 in Washington. Dr. Liu disagreed. Prof. Lü said no."
    assert text.split_sentences(s) == [
        "Mr. Abe met U.S. officials on Jan. 14 in Washington.", "Dr. Liu disagreed.", "Prof. Lü said no."]


def test_sentences_never_cross_paragraphs():
    s = "A headline without a period\n\nThe body starts here. It ends here."
    assert text.split_sentences(s) == ["A headline without a period", "The body starts here.", "It ends here."]


def test_quoted_sentence_end():
    s = '"NATO\'s task was peace," Liu told the Global Times. He left.'
    assert text.split_sentences(s) == ['"NATO\'s task was peace," Liu told the Global Times.', "He left."]


def test_paragraph_spans_single_newlines_when_no_blank_lines():
    s = "First para.\nSecond para.\n"
    assert [s[a:b] for a, b in text.paragraph_spans(s)] == ["First para.", "Second para."]
    assert text.paragraph_spans("   \n\n ") == []


@pytest.mark.parametrize("level", text.LEVELS)
def test_units_offsets_point_into_text(seed_corpus, level):
    u = text.units(seed_corpus, level)
    assert len(u) > 0 and u["unit_id"].is_unique
    doc = seed_corpus.set_index("doc_id")["text"]
    for row in u.itertuples():
        assert doc[row.doc_id][row.start:row.end] == row.text
    assert list(u["position"]) == list(range(len(u)))


def test_units_counts_on_seed(seed_corpus):
    assert len(text.units(seed_corpus, "document")) == 1
    assert len(text.units(seed_corpus, "paragraph")) == 16
    sents = text.units(seed_corpus, "sentence")
    assert len(sents) == 16  # every paragraph of this article is one sentence
    assert sents["text"].iloc[0].startswith("Japanese Prime Minister Shinzo Abe will write a letter")


def test_units_rejects_bad_input():
    with pytest.raises(ValueError, match="level must be"):
        text.units(pd.DataFrame({"doc_id": [], "text": []}), "chapter")
    with pytest.raises(ValueError, match="needs the columns"):
        text.units(pd.DataFrame({"id": ["a"]}), "sentence")
    empty = text.units(pd.DataFrame({"doc_id": ["a"], "text": [None]}), "sentence")
    assert empty.empty and list(empty.columns)[:3] == ["unit_id", "doc_id", "level"]


def test_tokenize_and_stop_words():
    assert text.tokenize("The Diaoyu/Senkaku islands, 2,000-man drill!") == ["the", "diaoyu", "senkaku", "islands",
                                                                            "man", "drill"]
    assert text.tokenize("2,000 troops", keep_numbers=True) == ["2,000", "troops"]
    assert text.tokenize("The islands of Japan", stop_words=text.STOP_WORDS) == ["islands", "japan"]
    assert text.tokenize("Lü Chao", lower=False) == ["Lü", "Chao"]
    assert text.tokenize("NATO's O'Neill") == ["nato", "o'neill"]
    assert text.tokenize("NATO's", possessive=True) == ["nato's"]


def test_ngrams():
    assert text.ngrams(["a", "b", "c"], 3) == [("a", "b", "c")]
    assert text.ngrams(["a"], 2) == []
    with pytest.raises(ValueError):
        text.ngrams(["a"], 0)


def test_kwic_globs_and_phrases(seed_corpus):
    k = text.kwic(seed_corpus, "Diaoyu Islands", window=3)
    assert len(k) == 2
    assert (k["match"].str.lower() == "diaoyu islands").all()
    g = text.kwic(seed_corpus, "secur*")
    assert set(g["match"].str.lower()) == {"security"}
    row = g.iloc[0]
    doc = seed_corpus["text"].iloc[0]
    assert doc[row.start:row.end] == row.match
    assert text.kwic(seed_corpus, "Senkaku").empty


def test_term_frequencies_and_collocations(seed_corpus):
    f = textstats.term_frequencies(seed_corpus)
    top = f.set_index("term")["count"]
    assert top["nato"] == 8  # "NATO's" counts as NATO
    assert top["japan"] == 8 and top["japanese"] == 4
    assert "the" not in top.index
    bi = textstats.term_frequencies(seed_corpus, n=2)
    assert bi.set_index("term").loc["diaoyu islands", "count"] == 2
    two = pd.DataFrame({"doc_id": ["a"], "text": ["Ships sailed to Asia. NHK reported it."]})
    assert "asia nhk" not in set(textstats.term_frequencies(two, n=2)["term"])  # no n-gram across a sentence end
    c = textstats.collocations(seed_corpus, min_count=2)
    assert "diaoyu islands" in set(c["bigram"]) and "global times" in set(c["bigram"])
    assert c["g2"].is_monotonic_decreasing


def test_term_frequencies_by_group():
    df = pd.DataFrame({"doc_id": ["a", "b"], "text": ["islands islands", "sea"], "outlet": ["X", "Y"]})
    f = textstats.term_frequencies(df, by="outlet")
    assert f.to_dict("records") == [
        {"outlet": "X", "term": "islands", "count": 2, "docs": 1, "per_1000": 1000.0},
        {"outlet": "Y", "term": "sea", "count": 1, "docs": 1, "per_1000": 1000.0}]


def test_trained_splitter_keeps_shipped_abbreviations():
    sp = text.sentence_splitter(["Some text. More text here. And Mr. Smith went."] * 5)
    assert text.split_sentences("Mr. Smith arrived. He sat.", sp) == ["Mr. Smith arrived.", "He sat."]
