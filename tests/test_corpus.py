"""Corpus loading: the seed golden test, every format, bad inputs, duplicates."""

import json

import pandas as pd
import pytest

from helpers import corpus as corpus_mod
from helpers.corpus import CORPUS_COLUMNS, REPORT_COLUMNS, load_corpus
from helpers.readers import aggregator, decode_bytes, detect_format

SEED_FIRST = ("Japanese Prime Minister Shinzo Abe will write a letter to the North Atlantic Treaty Organization "
              "(NATO) to call for closer ties in the face of China's rising maritime power.")
SEED_LAST_STORY = ("Abe gave a speech on Friday, accusing China of deliberately targeting Japanese companies during "
                   "protests against Japan as part of a strategy of confrontation over the territorial dispute.")


# --- the seed -------------------------------------------------------------------------------

def test_seed_fields(seed_loaded):
    corpus, report = seed_loaded
    assert list(corpus.columns[: len(CORPUS_COLUMNS)]) == CORPUS_COLUMNS
    assert len(corpus) == 1
    doc = corpus.iloc[0]
    assert doc.title == "Dangerous Crossroads: Japan to Seek NATO Support Against China"
    assert doc.outlet == "Global Research"
    assert doc.author == "Stop NATO"
    assert doc.date == pd.Timestamp("2013-01-14")
    assert doc.original_outlet == "Global Times"
    assert doc.original_author == "Liu Sha"
    assert doc.region == "Asia"
    assert doc.theme == "US NATO War Agenda"
    assert doc.format == "aggregator"
    assert doc.lang == "en"
    assert doc.duplicate_of == ""
    assert doc.copyright == "Copyright © Stop NATO, Global Times, 2013"
    assert doc.source_path == "dangerous-crossroads-japan-nato-china.txt"
    assert doc.n_words == 474
    assert list(report.columns) == REPORT_COLUMNS
    assert report.to_dict("records") == [{
        "source_path": "dangerous-crossroads-japan-nato-china.txt", "format": "aggregator", "status": "loaded",
        "reason": "", "n_docs": 1, "repairs": ""}]


def test_seed_body_complete_and_clean(seed_corpus, seed_path):
    body = seed_corpus["text"].iloc[0]
    assert body.startswith(SEED_FIRST)
    assert SEED_LAST_STORY in body
    assert body.endswith("Agencies contributed to this story")  # the original's credit line is the story's
    assert "Lü Chao, a researcher with the Liaoning Academy of Social Sciences" in body
    for boiler in ("Stop NATO e-mail list", "rickrozoff", "groups.yahoo", "original source of this article",
                   "Copyright", "Comment on Global Research", "Become a Member", "Articles by", "Disclaimer",
                   "fair use", "media inquiries", "Region:", "Theme:", "By Liu Sha", "](#)", "Global Research,"):
        assert boiler not in body, boiler
    # nothing of the body is lost: every body paragraph of the raw file is in the text verbatim
    raw = seed_path.read_text(encoding="utf-8")
    start = raw.index(SEED_FIRST)
    end = raw.index("Agencies contributed to this story") + len("Agencies contributed to this story")
    raw_paras = [p.strip() for p in raw[start:end].split("\n\n") if p.strip()]
    assert body.split("\n\n") == raw_paras


def test_seed_file_is_the_shared_seed(seed_path):
    from conftest import SHARED

    shared = SHARED / "seed" / seed_path.name
    if not shared.exists():
        pytest.skip("../shared/seed not available")
    assert seed_path.read_bytes() == shared.read_bytes()


def test_doc_id_stable_and_independent_of_path(tmp_path, seed_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "renamed.txt").write_bytes(seed_path.read_bytes())
    a = load_corpus(seed_path).corpus
    b = load_corpus(tmp_path).corpus
    assert a["doc_id"].iloc[0] == b["doc_id"].iloc[0]
    assert b["source_path"].iloc[0] == "sub/renamed.txt"


# --- generalising the aggregator parser ------------------------------------------------------

VARIANT = """Washington's Pivot: A New Military Build-up in the Pacific

By [Jane Roe](#)

Global Research, March 3, 2014

Theme: [Militarization and WMD](#)

The Pentagon announced on Monday that it would station more ships in the region.

Officials said the decision was final. "We will not back down," one of them said.

Support independent media: donate today.

The original source of this article is [Asia Times](https://atimes.com/x)

Copyright © [Jane Roe](#), [Asia Times](#), 2014
"""


def test_aggregator_variant_without_region_and_with_other_footers():
    rec, notes = aggregator.parse_aggregator(VARIANT)
    assert rec["title"] == "Washington's Pivot: A New Military Build-up in the Pacific"
    assert rec["author"] == "Jane Roe" and rec["outlet"] == "Global Research"
    assert rec["date"] == pd.Timestamp("2014-03-03")
    assert rec["region"] == "" and rec["theme"] == "Militarization and WMD"
    assert rec["original_outlet"] == "Asia Times"
    assert rec["text"] == ("The Pentagon announced on Monday that it would station more ships in the region.\n\n"
                           'Officials said the decision was final. "We will not back down," one of them said.')
    assert notes == []


def test_aggregator_footer_phrase_inside_body_is_kept():
    text = VARIANT.replace("Officials said", "Copyright law aside, officials said")
    rec, _ = aggregator.parse_aggregator(text)
    assert "Copyright law aside, officials said" in rec["text"]


def test_detects_aggregator_by_content_whatever_the_suffix(tmp_path, seed_path):
    f = tmp_path / "article.dat"
    f.write_bytes(seed_path.read_bytes())
    corpus, report = load_corpus(f)
    assert report["format"].iloc[0] == "aggregator" and corpus["original_author"].iloc[0] == "Liu Sha"


# --- other formats ---------------------------------------------------------------------------

def test_plain_text_and_markdown_with_front_matter(tmp_path):
    (tmp_path / "a.txt").write_text("Islands row deepens\n\nTokyo and Beijing traded protests on Monday.\n")
    (tmp_path / "b.md").write_text("---\ntitle: Row over islands\noutlet: Example Times\ndate: 2013-01-15\n"
                                   "author: A. Writer\n---\n# Ignored heading\n\nChina sent [ships](http://x) again.\n")
    corpus, report = load_corpus(tmp_path)
    assert list(report["status"]) == ["loaded", "loaded"]
    a, b = corpus.iloc[0], corpus.iloc[1]
    assert a.title == "Islands row deepens" and a.text == "Tokyo and Beijing traded protests on Monday."
    assert b.title == "Row over islands" and b.outlet == "Example Times" and b.author == "A. Writer"
    assert b.date == pd.Timestamp("2013-01-15")
    assert b.text == "Ignored heading\n\nChina sent ships again." and b.format == "markdown"


HTML = """<!doctype html><html><head><title>Japan seeks NATO ties | Example News</title>
<meta property="og:site_name" content="Example News"><meta name="author" content="Liu Sha">
<meta property="article:published_time" content="2013-01-14"></head>
<body><nav>Home | World | Sport</nav><article><h1>Japan seeks NATO ties</h1>
<p>Japanese Prime Minister Shinzo Abe will write a letter to NATO to call for closer ties, officials said on Sunday.</p>
<p>The letter will say that China's frequent patrols near the disputed islands have intensified the security situation in East Asia.</p>
<p>Analysts in Beijing said the move was unlikely to win support among European members of the alliance.</p>
</article><footer>© Example News. All rights reserved.</footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path):
    (tmp_path / "page.html").write_text(HTML)
    corpus, report = load_corpus(tmp_path)
    doc = corpus.iloc[0]
    assert report["status"].iloc[0] == "loaded" and doc.format == "html"
    assert "Shinzo Abe will write a letter" in doc.text and "European members" in doc.text
    assert "Home | World" not in doc.text and "All rights reserved" not in doc.text
    assert doc.outlet == "Example News" and doc.date == pd.Timestamp("2013-01-14")


def test_truncated_html_with_text_is_loaded_with_a_note(tmp_path):
    (tmp_path / "cut.html").write_text(HTML[: HTML.index("Analysts in Beijing")])
    corpus, report = load_corpus(tmp_path)
    assert report["status"].iloc[0] == "loaded" and "truncated HTML" in report["reason"].iloc[0]
    assert "Shinzo Abe will write a letter" in corpus["text"].iloc[0]


def test_html_saved_as_txt_is_detected(tmp_path):
    (tmp_path / "page.txt").write_text(HTML)
    _, report = load_corpus(tmp_path)
    assert report["format"].iloc[0] == "html"


def test_tables_map_columns_case_insensitively(tmp_path):
    rows = [{"Headline": "One", "BODY": "First article text here.", "Published": "2013-01-14", "Media": "A",
             "Link": "http://a", "Byline": "X", "frame": "conflict"},
            {"Headline": "Two", "BODY": "Second article text here.", "Published": "2013-02-01", "Media": "B",
             "Link": "http://b", "Byline": "Y", "frame": "economic"}]
    df = pd.DataFrame(rows)
    df.to_csv(tmp_path / "t.csv", index=False)
    df.to_csv(tmp_path / "t.tsv", sep="\t", index=False)
    (tmp_path / "t.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    (tmp_path / "t.json").write_text(json.dumps({"articles": rows}))
    df.to_parquet(tmp_path / "t.parquet")
    corpus, report = load_corpus(tmp_path)
    assert sorted(report["format"]) == ["csv", "json", "jsonl", "parquet", "tsv"]
    assert (report["n_docs"] == 2).all() and (report["status"] == "loaded").all()
    assert len(corpus) == 10
    first = corpus[corpus["title"] == "One"]
    assert set(first["outlet"]) == {"A"} and set(first["author"]) == {"X"} and set(first["url"]) == {"http://a"}
    assert set(first["date"]) == {pd.Timestamp("2013-01-14")} and set(first["frame"]) == {"conflict"}
    # the same article from the same outlet in five files: one original, four flagged copies
    assert (first["duplicate_of"] != "").sum() == 4


def test_jsonl_detected_by_content(tmp_path):
    (tmp_path / "feed.data").write_text('{"text": "An article about the islands.", "source": "Z"}\n'
                                        '{"text": "Another one about the sea.", "source": "Z"}\n')
    corpus, report = load_corpus(tmp_path)
    assert report["format"].iloc[0] == "jsonl" and len(corpus) == 2


def test_table_rows_with_empty_text_are_reported(tmp_path):
    pd.DataFrame({"text": ["Real text.", "", "More text."], "title": ["a", "b", "c"]}).to_csv(tmp_path / "x.csv",
                                                                                          index=False)
    corpus, report = load_corpus(tmp_path)
    assert len(corpus) == 2
    assert report["reason"].iloc[0] == "1 row(s) with empty text skipped (data rows 2)"


# --- bad inputs --------------------------------------------------------------------------------

def test_bad_inputs_are_reported_never_raised(tmp_path, seed_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n \t\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (tmp_path / "truncated.html").write_text("<html><head><title>Cut</title></head><body><div><p>Only")
    (tmp_path / "notext.csv").write_text("headline,date\nA,2013-01-01\n")
    (tmp_path / "broken.jsonl").write_text('{"text": "fine"}\n{"text": oops}\n')
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (tmp_path / "good.txt").write_bytes(seed_path.read_bytes())
    corpus, report = load_corpus(tmp_path)
    assert len(report) == 8, "every file must appear in the load report"
    by = report.set_index("source_path")
    assert by.loc["good.txt", "status"] == "loaded" and len(corpus) == 1
    assert by.loc["empty.txt", "status"] == "skipped" and "empty file" in by.loc["empty.txt", "reason"]
    assert by.loc["blank.txt", "status"] == "skipped" and "whitespace" in by.loc["blank.txt", "reason"]
    assert by.loc["image.png", "status"] == "skipped" and "binary" in by.loc["image.png", "reason"]
    assert by.loc["truncated.html", "status"] == "skipped"
    assert "truncated HTML" in by.loc["truncated.html", "reason"]
    assert "only 1 word(s) of main text" in by.loc["truncated.html", "reason"]
    assert by.loc["notext.csv", "status"] == "failed"
    assert "no text column" in by.loc["notext.csv", "reason"] and "headline, date" in by.loc["notext.csv", "reason"]
    assert by.loc["broken.jsonl", "status"] == "failed" and "line 2" in by.loc["broken.jsonl", "reason"]
    assert by.loc[".DS_Store", "status"] == "skipped" and "hidden" in by.loc[".DS_Store", "reason"]


def test_wrong_encodings_are_repaired_and_recorded(tmp_path):
    text = "Lü Chao said the Diaoyu dispute – and Japan’s drill – raised tension.\n\nSecond paragraph here."
    (tmp_path / "cp1252.txt").write_bytes(("Title line\n\n" + text).encode("cp1252"))
    (tmp_path / "bom_crlf.txt").write_bytes(b"\xef\xbb\xbf" + ("Title line\n\n" + text).replace("\n", "\r\n").encode())
    (tmp_path / "mojibake.txt").write_text("Title line\n\n" + text.encode("utf-8").decode("cp1252", errors="replace"),
                                           encoding="utf-8")
    (tmp_path / "utf16.txt").write_bytes(("Title line\n\n" + text).encode("utf-16"))
    corpus, report = load_corpus(tmp_path)
    by = report.set_index("source_path")
    assert "decoded as cp1252" in by.loc["cp1252.txt", "repairs"] or "decoded as windows-1252" in by.loc[
        "cp1252.txt", "repairs"]
    assert by.loc["bom_crlf.txt", "repairs"] == "byte-order mark removed; CRLF/CR line endings normalised to LF"
    assert "mojibake repaired" in by.loc["mojibake.txt", "repairs"]
    assert "utf-16" in by.loc["utf16.txt", "repairs"]
    assert (corpus["text"] == text).all(), corpus["text"].tolist()
    # four copies of one text: all but the first flagged as duplicates, none dropped
    assert (corpus["duplicate_of"] != "").sum() == 3


def test_fifty_megabyte_file_is_skipped_with_reason(tmp_path):
    big = tmp_path / "dump.txt"
    with open(big, "wb") as fh:
        fh.write(b"Title\n\n")
        fh.write((b"word " * 200 + b"\n") * 52_000)
    corpus, report = load_corpus(tmp_path)
    assert corpus.empty
    assert report["status"].iloc[0] == "skipped"
    assert "MB, over the 25 MB limit for a single article" in report["reason"].iloc[0]


def test_missing_path_raises_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        load_corpus(tmp_path / "nope")


def test_empty_folder_gives_empty_corpus_with_schema(tmp_path):
    corpus, report = load_corpus(tmp_path)
    assert corpus.empty and list(corpus.columns) == CORPUS_COLUMNS and report.empty


# --- duplicates --------------------------------------------------------------------------------

def test_near_duplicates_flagged_to_earliest(tmp_path):
    base = " ".join(f"word{i}" for i in range(300))
    near = base.replace("word150", "changed")
    other = " ".join(f"other{i}" for i in range(300))
    pd.DataFrame({"text": [near, base, other], "date": ["2013-02-01", "2013-01-01", "2013-01-05"],
                  "source": ["B", "A", "C"]}).to_csv(tmp_path / "d.csv", index=False)
    corpus = load_corpus(tmp_path).corpus
    orig = corpus.loc[corpus["outlet"] == "A", "doc_id"].iloc[0]
    assert corpus.set_index("outlet").loc["B", "duplicate_of"] == orig
    assert corpus.set_index("outlet").loc["A", "duplicate_of"] == ""
    assert corpus.set_index("outlet").loc["C", "duplicate_of"] == ""
    groups = corpus_mod.duplicate_groups(corpus)
    assert groups[["original", "outlet_original"]].to_dict("records") == [{"original": orig, "outlet_original": "A"}]


def test_outlet_spellings_are_merged_and_raw_kept(tmp_path):
    pd.DataFrame({"text": ["One story here.", "Another story.", "Third story."],
                  "source": ["The Guardian", "theguardian", "Breitbart"]}).to_csv(tmp_path / "o.csv", index=False)
    corpus = load_corpus(tmp_path).corpus
    assert corpus["outlet"].tolist() == ["The Guardian", "The Guardian", "Breitbart"]
    assert corpus["outlet_raw"].tolist() == ["The Guardian", "theguardian", "Breitbart"]


def test_provenance_table(seed_corpus):
    p = corpus_mod.provenance_table(seed_corpus)
    assert p[["outlet", "author", "original_outlet", "original_author", "n_docs"]].to_dict("records") == [
        {"outlet": "Global Research", "author": "Stop NATO", "original_outlet": "Global Times",
         "original_author": "Liu Sha", "n_docs": 1}]


def test_eval_corpora_load_as_tables(climate_corpus, bbc_corpus):
    assert len(climate_corpus) == 274 and climate_corpus["outlet"].nunique() > 10
    assert climate_corpus["date"].notna().all()
    assert len(bbc_corpus) == 1114 and set(bbc_corpus["category"]) == {"business", "entertainment", "politics",
                                                                       "sport", "tech"}
    assert bbc_corpus["source_id"].str.contains("/").all()


def test_decode_and_detect_units():
    assert decode_bytes(b"plain")[1] == []
    from pathlib import Path
    assert detect_format(Path("x.bin"), b"PAR1....", None) == "parquet"
    assert detect_format(Path("x.bin"), b"\x00\x01", None) == "binary"
