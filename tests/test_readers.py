"""Research exports: each reader on its fixture, the mixed folder in one call, language identification.

Fixtures are in tests/fixtures/exports/, one folder per database, written from the public
documentation and published samples of each format (invented articles): BOM and CRLF, many
documents per file, missing fields, non-English documents, a cut-off download and a malformed
ProQuest e-mail. The two Word files are built by :func:`write_docx_fixtures` (run this file
with ``--write-docx`` to rebuild them).
"""

from __future__ import annotations

import gzip
import io
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.corpus import METADATA_ONLY, detect_languages, load_corpus, select_language
from helpers.readers import detect_format, normalise_language, parse_date_text, read_documents

FIXTURES = Path(__file__).parent / "fixtures" / "exports"

#: Every fixture file: (format, status, documents in the corpus).
EXPECTED = {
    "factiva/Factiva-20100113-1204.html": ("factiva", "loaded", 3),
    "feeds/example-times-environment.rss": ("feed", "loaded", 3),
    "feeds/exemple-journal-planete.atom": ("feed", "loaded", 2),
    "gdelt/20240115120000.export.CSV": ("gdelt-events", METADATA_ONLY, 3),
    "gdelt/20240115120000.mentions.CSV": ("gdelt-mentions", METADATA_ONLY, 2),
    "gdelt/bigquery-events-export.csv": ("gdelt-events", METADATA_ONLY, 2),
    "gdelt/doc-artlist-2024-01-16.jsonl.gz": ("gdelt-doc-lines", METADATA_ONLY, 3),
    "gdelt/doc-artlist-climate.json": ("gdelt-doc", METADATA_ONLY, 3),
    "lexisnexis/LexisNexis_climate_2010-01.TXT": ("lexisnexis", "loaded", 3),
    "lexisnexis/LexisNexis_cut_off.txt": ("lexisnexis", "loaded", 2),
    "mediacloud/mediacloud-climate-stories.csv": ("mediacloud", METADATA_ONLY, 5),
    "nexis_uni/Files(3).DOCX": ("nexis-uni", "loaded", 3),
    "nexis_uni/single_article.docx": ("nexis-uni", "loaded", 1),
    "proquest/ProQuest_email_2010-01-12.eml": ("proquest", "loaded", 3),
    "proquest/ProQuest_email_malformed.eml": ("proquest", "loaded", 2),
    "proquest/ProQuest_saved_results.html": ("proquest", "loaded", 2),
}


@pytest.fixture(scope="module")
def mixed():
    return load_corpus(FIXTURES)


def _docs(corpus: pd.DataFrame, rel: str) -> pd.DataFrame:
    return corpus[corpus["source_path"] == rel].sort_values("doc_number").reset_index(drop=True)


# --- the mixed folder -----------------------------------------------------------------------

def test_mixed_folder_loads_in_one_call_with_every_file_accounted_for(mixed):
    corpus, report = mixed
    on_disk = sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*") if p.is_file())
    assert sorted(report["source_path"]) == on_disk == sorted(EXPECTED)
    got = {r.source_path: (r.format, r.status, r.n_docs) for r in report.itertuples()}
    assert got == EXPECTED
    counts = corpus.groupby("source_path").size().to_dict()
    assert counts == {k: v[2] for k, v in EXPECTED.items()}
    assert corpus["doc_id"].is_unique


def test_metadata_only_rows_are_kept_with_a_collect_hint(mixed):
    corpus, report = mixed
    by = report.set_index("source_path")
    for rel, (_, status, n) in EXPECTED.items():
        if status == METADATA_ONLY:
            reason = by.loc[rel, "reason"]
            assert f"metadata only: {n} row(s) need their text collected" in reason
            assert "python -m helpers collect --fill" in reason and str(FIXTURES) in reason
    meta = corpus[corpus["format"].isin(["mediacloud", "gdelt-doc", "gdelt-doc-lines", "gdelt-events",
                                         "gdelt-mentions"])]
    assert (meta["text"] == "").all() and (meta["n_words"] == 0).all()
    assert (meta["duplicate_of"] == "").all(), "empty texts are not copies of each other"
    # a feed item with a summary only is a metadata row inside an otherwise loaded file
    assert "metadata only: 1 row(s)" in by.loc["feeds/example-times-environment.rss", "reason"]


def test_measures_cope_with_empty_text(mixed):
    from helpers.text import tokenize, units

    corpus, _ = mixed
    for level in ("document", "paragraph", "sentence"):
        u = units(corpus, level)
        assert set(u["doc_id"]) == set(corpus.loc[corpus["text"] != "", "doc_id"])
    assert tokenize("") == []


def test_languages_from_source_or_text(mixed):
    corpus, _ = mixed
    lang = corpus.set_index("title")["lang"].to_dict()
    assert lang["Regierung beschließt Klimaprogramm"] == "de"  # LexisNexis "GERMAN; DEUTSCH"
    assert lang["Versicherer beziffern Unwetterschäden"] == "de"  # Factiva "Deutsch"
    assert lang["El Gobierno aprueba ayudas por la sequía"] == "es"  # ProQuest "Spanish"
    assert lang["Le littoral atlantique face à l'érosion"] == "fr"  # Atom xml:lang
    assert lang["Klimagipfel beginnt mit Streit ums Geld"] == "de"  # GDELT "German"
    assert lang["Talks on climate stall in Bonn"] == "en"
    with_text = corpus[corpus["text"] != ""]
    assert set(with_text["lang"]) <= {"en", "de", "fr", "es", "nl"} and "und" not in set(corpus["lang"])


# --- LexisNexis -------------------------------------------------------------------------------

def test_lexisnexis_fields_bom_and_crlf(mixed):
    corpus, report = mixed
    rel = "lexisnexis/LexisNexis_climate_2010-01.TXT"
    assert report.set_index("source_path").loc[rel, "repairs"] == (
        "byte-order mark removed; CRLF/CR line endings normalised to LF")
    d = _docs(corpus, rel)
    first = d.iloc[0]
    assert first.title == "Climate talks stall as ministers fail to agree timetable"
    assert first.outlet == "The Guardian (London)" and first.date == pd.Timestamp("2010-01-11")
    assert first.author == "Fiona Harvey, environment correspondent"
    assert first.section == "GUARDIAN HOME PAGES; Pg. 14" and first.word_count == 412
    assert first.load_date == "2010-01-11" and first.publication_type == "Newspaper" and first.journal_code == "GDN"
    assert first.copyright == "Copyright 2010 Guardian Newspapers Limited All Rights Reserved"
    assert first.edition == "Final Edition" and first.lang == "en"
    assert first.query.startswith("(climate w/5 (talks or summit))")
    assert first.text.startswith("Ministers from more than forty countries failed on Sunday")
    assert first.text.count("\n\n") == 3 and "\n" not in first.text.replace("\n\n", "")  # wrapped lines joined
    for boiler in ("BYLINE", "LOAD-DATE", "LANGUAGE", "Copyright", "DOCUMENTS"):
        assert boiler not in first.text
    second = d.iloc[1]
    assert second.author == "" and second.edition == "Edition 1; Scotland"
    assert "NOTE: The regulator's full report is due to be published next month." in second.text
    third = d.iloc[2]
    assert third.lang == "de" and third.copyright == "Süddeutsche Zeitung GmbH" and third.author == "Michael Bauchmüller"


def test_lexisnexis_cut_off_download_is_reported(mixed):
    corpus, report = mixed
    reason = report.set_index("source_path").loc["lexisnexis/LexisNexis_cut_off.txt", "reason"]
    assert "the download says 4 documents but holds 2" in reason
    assert _docs(corpus, "lexisnexis/LexisNexis_cut_off.txt")["outlet"].tolist() == [
        "The Independent (London)", "The Times (London)"]


# --- Nexis Uni DOCX ---------------------------------------------------------------------------

def test_nexis_uni_docx_many_documents_and_cover_page(mixed):
    corpus, _ = mixed
    d = _docs(corpus, "nexis_uni/Files(3).DOCX")
    assert d["title"].tolist() == [NEXIS_DOCS[0]["title"], NEXIS_DOCS[1]["title"], NEXIS_DOCS[2]["title"]]
    first = d.iloc[0]
    assert first.outlet == "The Guardian (London)" and first.date == pd.Timestamp("2021-01-11")
    assert first.author == "Damian Carrington Environment editor" and first.section == "ENVIRONMENT; Version:1"
    assert first.word_count == 412 and first.load_date == "2021-01-12" and first.lang == "en"
    assert first.copyright == "Copyright 2021 The Guardian, a division of Transcript Media Ltd All Rights Reserved"
    assert first.text.split("\n\n")[0].startswith("Ministers from more than forty countries")
    dutch = d.iloc[1]
    assert dutch.date == pd.Timestamp("2021-01-14") and dutch.lang == "nl" and dutch.outlet == "De Voorbeeldkrant"
    third = d.iloc[2]
    assert third.author == "" and "PHOTO" not in third.text and "Classification" not in third.text
    assert third.subject.startswith("CLIMATE CHANGE")
    for text in d["text"]:
        assert "User Name" not in text and "End of Document" not in text and "Load-Date" not in text


def test_single_nexis_uni_document(mixed):
    corpus, _ = mixed
    d = _docs(corpus, "nexis_uni/single_article.docx")
    assert d.iloc[0].title == "Farmers plant earlier as springs warm" and d.iloc[0].outlet == "Example Herald"


def test_plain_word_document_is_one_document(tmp_path):
    build_docx(tmp_path / "notes.docx", ["Interview notes", "The minister said the plan would be published soon.",
                                         "She declined to give a date."])
    corpus, report = load_corpus(tmp_path)
    assert report["format"].iloc[0] == "docx" and corpus["title"].iloc[0] == "Interview notes"
    assert corpus["text"].iloc[0].endswith("She declined to give a date.")


# --- Factiva ------------------------------------------------------------------------------------

def test_factiva_articles_inside_a_page_of_scripts(mixed):
    corpus, _ = mixed
    d = _docs(corpus, "factiva/Factiva-20100113-1204.html")
    first, german, third = d.iloc[0], d.iloc[1], d.iloc[2]
    assert first.title == "Bonn talks end without deal on emissions timetable" and first.author == "Pilita Clark"
    assert first.word_count == 1024 and first.date == pd.Timestamp("2010-01-11") and first.outlet == "Financial Times"
    assert first.source_code == "FTFT" and first.source_id == "FTFT000020100111e61b0000a" and first.edition == "Page 6"
    assert first.copyright.startswith("(c) 2010 The Financial Times")
    assert german.word_count == 1234 and german.date == pd.Timestamp("2010-01-12") and german.time == "14:25"
    assert german.author == "Anna Weber" and german.lang == "de" and german.source_id == "FAZ0000020100112e61c0000b"
    assert third.author == "" and third.edition == "A3"
    for text in d["text"]:
        assert "NREUM" not in text and "Search" not in text and "Document " not in text and "Factiva" not in text


# --- ProQuest -----------------------------------------------------------------------------------

def test_proquest_email_fields(mixed):
    corpus, _ = mixed
    d = _docs(corpus, "proquest/ProQuest_email_2010-01-12.eml")
    first = d.iloc[0]
    assert first.title == "Talks on climate stall in Bonn" and first.author == "John M Broder"
    assert first.outlet == "New York Times" and first.date == pd.Timestamp("2010-01-11")
    assert first.section == "A; Foreign Desk" and first.source_id == "251400001"
    assert first.url == "https://www.proquest.com/docview/251400001?accountid=00000"
    assert first.abstract == "Ministers failed to agree a timetable." and first.copyright.startswith("(Copyright (c) 2010")
    assert first.text.startswith("Ministers from more than forty countries") and "Subject" not in first.text
    assert d.iloc[1].author == "Justin Gillis; Michael Wines" and d.iloc[1].abstract == ""
    assert d.iloc[2].lang == "es"
    saved = _docs(corpus, "proquest/ProQuest_saved_results.html")
    assert saved["text"].tolist() == d["text"].tolist()[:2]


def test_malformed_proquest_is_partly_recovered_with_what_failed(mixed):
    corpus, report = mixed
    rel = "proquest/ProQuest_email_malformed.eml"
    reason = report.set_index("source_path").loc[rel, "reason"]
    assert "document 1 (Coal plants to close early): broken <html> tag at the start of the full text repaired" in reason
    assert "document 2 (Letters: the cost of delay): no full text (citation or abstract only), not loaded" in reason
    assert "document 3 (Insurers count the cost of storms): full text has no closing </Text>" in reason
    assert "fields after it (publication, date, URL ...) are missing" in reason
    d = _docs(corpus, rel)
    assert d["title"].tolist() == ["Coal plants to close early", "Insurers count the cost of storms"]
    assert not d.iloc[0].text.startswith("html")
    assert d.iloc[1].text.endswith("rise in the coastal states that")
    assert d.iloc[1].date == pd.Timestamp("2010-01-14")  # from "Publication info", the date field was cut off


# --- Media Cloud and GDELT ----------------------------------------------------------------------

def test_mediacloud_rows(mixed):
    corpus, report = mixed
    d = _docs(corpus, "mediacloud/mediacloud-climate-stories.csv")
    assert d["source_id"].tolist() == [f"151234500{i}" for i in range(1, 6)]
    assert d.iloc[0].outlet == "Example Times" and d.iloc[0].date == pd.Timestamp("2020-01-15 13:45:00")
    assert d["lang"].tolist() == ["en", "en", "de", "fr", "en"] and d.iloc[0].media_url == "https://www.example-times.com"
    reason = report.set_index("source_path").loc["mediacloud/mediacloud-climate-stories.csv", "reason"]
    assert "1 row(s) have neither text nor URL" in reason


def test_gdelt_doc_api_lists_plain_and_gzipped(mixed):
    corpus, report = mixed
    plain = _docs(corpus, "gdelt/doc-artlist-climate.json")
    assert plain["outlet"].tolist() == ["example-times.com", "beispiel-zeitung.de", "exemple-journal.fr"]
    assert plain["lang"].tolist() == ["en", "de", "fr"] and plain.iloc[1].source_country == "Germany"
    assert plain.iloc[0].date == pd.Timestamp("2024-01-15 12:30:00")
    gz = _docs(corpus, "gdelt/doc-artlist-2024-01-16.jsonl.gz")
    assert len(gz) == 3 and gz.iloc[0].url.endswith("-day2")
    assert report.set_index("source_path").loc["gdelt/doc-artlist-2024-01-16.jsonl.gz", "repairs"] == "gzip unpacked"


def test_gdelt_events_and_mentions_grouped_by_url(mixed):
    corpus, report = mixed
    ev = _docs(corpus, "gdelt/20240115120000.export.CSV")
    assert ev["url"].tolist() == ["https://www.example-times.com/2024/01/15/climate-summit",
                                  "https://www.beispiel-zeitung.de/politik/klimagipfel-2024",
                                  "https://news.example.org/2024/01/15/un-finance-pledge"]
    assert ev.iloc[0].gdelt_event_ids == "1150000001; 1150000002" and ev.iloc[0].n_events == 2
    assert ev.iloc[0].date == pd.Timestamp("2024-01-15 12:00:00") and ev.iloc[0].outlet == "example-times.com"
    bq = _docs(corpus, "gdelt/bigquery-events-export.csv")
    assert bq["gdelt_event_ids"].tolist() == ["1160000003", "1160000004"]
    men = _docs(corpus, "gdelt/20240115120000.mentions.CSV")
    assert men["lang"].tolist() == ["en", "de"] and men.iloc[0].n_mentions == 2
    reason = report.set_index("source_path").loc["gdelt/20240115120000.mentions.CSV", "reason"]
    assert "1 mention(s) of non-web sources" in reason


# --- feeds --------------------------------------------------------------------------------------

def test_rss_and_atom_items(mixed):
    corpus, _ = mixed
    rss = _docs(corpus, "feeds/example-times-environment.rss")
    assert rss["author"].tolist() == ["Fiona Harvey", "Environment desk", ""]
    assert rss.iloc[0].categories == "Climate change; Environment" and rss.iloc[0].lang == "en"
    assert rss.iloc[0].date == pd.Timestamp("2010-01-11 18:30:00") and rss.iloc[2].date == pd.Timestamp("2010-01-13 09:00")
    assert rss.iloc[1].text == "" and rss.iloc[1].summary.startswith("Coal-fired power stations")
    assert rss.iloc[0].text.startswith("Ministers from") and rss.iloc[0].outlet == "Example Times - Environment"
    atom = _docs(corpus, "feeds/exemple-journal-planete.atom")
    assert atom.iloc[0].author == "Claire Martin" and atom.iloc[0].lang == "fr" and atom.iloc[0].categories == "Climat"
    assert atom.iloc[0].url == "https://www.exemple-journal.fr/planete/2010/01/13/littoral"
    assert atom.iloc[1].text == "" and "plan d'aide" in atom.iloc[1].summary


def test_broken_feed_is_recovered_and_noted():
    text = ("<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><item><title>A &amp B</title>"
            "<link>https://x.example/a</link><description>Short &nbsp; teaser</description></item></channel>")
    records, notes = read_documents("feed", text, None)
    assert len(records) == 1 and records[0]["url"] == "https://x.example/a"
    assert notes and "not well-formed XML" in notes[0]


# --- containers and detection -------------------------------------------------------------------

def test_archives_opened_or_reported(tmp_path):
    (tmp_path / "broken.json.gz").write_bytes(gzip.compress(b'{"articles": []}')[:-12])
    two = io.BytesIO()
    with zipfile.ZipFile(two, "w") as z:
        z.writestr("a.txt", "One article here.")
        z.writestr("b.txt", "Another article here.")
    (tmp_path / "two.zip").write_bytes(two.getvalue())
    one = io.BytesIO()
    with zipfile.ZipFile(one, "w") as z:
        z.writestr("20240115120000.export.CSV", (FIXTURES / "gdelt" / "20240115120000.export.CSV").read_text())
    (tmp_path / "events.CSV.zip").write_bytes(one.getvalue())
    corpus, report = load_corpus(tmp_path)
    by = report.set_index("source_path")
    assert by.loc["broken.json.gz", "status"] == "failed" and "gzip" in by.loc["broken.json.gz", "reason"]
    assert by.loc["two.zip", "status"] == "failed" and "zip archive holding 2 files" in by.loc["two.zip", "reason"]
    assert by.loc["events.CSV.zip", "format"] == "gdelt-events" and by.loc["events.CSV.zip", "n_docs"] == 3
    assert "zip archive opened" in by.loc["events.CSV.zip", "repairs"]


def test_rtf_is_recognised_and_skipped_with_advice(tmp_path):
    (tmp_path / "download.rtf").write_text("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Climate talks stall.}")
    corpus, report = load_corpus(tmp_path)
    assert corpus.empty and report["status"].iloc[0] == "skipped" and "save the download as DOCX" in report["reason"].iloc[0]


def test_detection_is_by_content_not_suffix(tmp_path):
    for rel in ("lexisnexis/LexisNexis_climate_2010-01.TXT", "factiva/Factiva-20100113-1204.html",
                "proquest/ProQuest_email_2010-01-12.eml", "feeds/example-times-environment.rss"):
        (tmp_path / (Path(rel).stem + ".dat")).write_bytes((FIXTURES / rel).read_bytes())
    _, report = load_corpus(tmp_path)
    assert sorted(report["format"]) == ["factiva", "feed", "lexisnexis", "proquest"]
    assert detect_format(Path("x.txt"), b"", "stories_id,publish_date,title,url,media_name\n1,2,3,4,5\n") == "mediacloud"


# --- dates and languages ------------------------------------------------------------------------

@pytest.mark.parametrize("printed, expected", [
    ("January 11, 2010 Monday", "2010-01-11"), ("11 Januar 2010", "2010-01-11"), ("14 januari 2021 donderdag", "2021-01-14"),
    ("8 mai 2010", "2010-05-08"), ("May 8, 2010", "2010-05-08"), ("Jan 11, 2010", "2010-01-11"),
    ("20240115T123000Z", "2024-01-15 12:30:00"), ("Mon, 11 Jan 2010 18:30:00 GMT", "2010-01-11 18:30:00"),
    ("2010-01-13T08:15:00+01:00", "2010-01-13 08:15:00"), ("Final Edition", None)])
def test_printed_dates(printed, expected):
    got = parse_date_text(printed)
    assert (pd.isna(got) and expected is None) or got == pd.Timestamp(expected)


def test_language_names_normalised_to_iso_639_1():
    assert [normalise_language(v) for v in ("ENGLISH", "Deutsch", "GERMAN; DEUTSCH", "fr-FR", "spa", "Français",
                                             "Chinese (Simplified)", "", None, "Klingon")] == [
        "en", "de", "de", "fr", "es", "fr", "zh", "", "", ""]


SNIPPETS = {
    "de": "Die Bundesregierung hat am Montag ein neues Klimaschutzprogramm beschlossen.",
    "fr": "Le gouvernement a présenté mercredi un plan destiné à protéger le littoral atlantique.",
    "es": "El Gobierno aprobó el martes un paquete de ayudas para los agricultores afectados por la sequía.",
    "zh": "国家气象局周一发布报告称，今年夏季全国平均气温较常年偏高。",
    "en": "The government announced new climate targets on Monday, officials said.",
}


def test_language_identification_of_snippets():
    assert detect_languages(list(SNIPPETS.values())) == list(SNIPPETS)
    assert detect_languages(["", "ok", None]) == ["", "", ""]
    assert detect_languages(list(SNIPPETS.values())) == detect_languages(list(SNIPPETS.values()))  # deterministic


def test_batched_identifier_matches_py3langid():
    import py3langid

    from helpers.corpus import identity

    model = identity._model()
    assert model["fast"], "the batched path fell back to the reference code: check the py3langid version"
    texts = list(SNIPPETS.values()) + [p.read_text(encoding="utf-8", errors="replace")[:3000]
                                       for p in sorted(FIXTURES.rglob("*")) if p.suffix in (".txt", ".html", ".rss")]
    texts += ["Mixed: the talks in Bonn, die Gespräche in Bonn, les négociations à Bonn. " * 3]
    fast = identity._scores(model, [identity._encode(t) for t in texts])
    ref = np.vstack([model["ident"]._raw_score(identity._encode(t)) for t in texts])
    assert np.allclose(fast, ref, rtol=1e-3, atol=1e-2)
    assert [py3langid.classify(t)[0] for t in texts] == [model["classes"][i] for i in fast.argmax(axis=1)]


def test_automaton_depth_within_the_walk():
    """The batched walk assumes a state depends only on the last few bytes (trie depth < _WALK)."""
    from helpers.corpus import identity

    model = identity._model()
    nm, rowbase = model["nm"], model["rowbase"]
    depth = np.full(len(rowbase), -1)
    depth[0], frontier, d = 0, np.array([0]), 0
    while len(frontier):
        nxt = np.unique(nm[(rowbase[frontier][:, None] + np.arange(256)).ravel()])
        nxt = nxt[depth[nxt] < 0]
        d += 1
        depth[nxt] = d
        frontier = nxt
    assert depth.max() < identity._WALK


def test_eval_articles_identified_as_english(climate_corpus):
    assert (climate_corpus["lang"] == "en").all()


def test_select_language_lists_what_it_left_out(mixed):
    corpus, _ = mixed
    kept, left = select_language(corpus, ("en",))
    assert (kept["lang"] == "en").all() and (kept["text"] != "").all()
    assert len(kept) + len(left) == len(corpus)
    assert "language de, not en" in set(left["reason"]) and "no text (metadata only)" in set(left["reason"])


# --- building the Word fixtures -----------------------------------------------------------------

COVER = ["User Name: =Researcher", "Date and Time: Jan 14, 2021 09:12", "Job Number: 132456789", "Documents (3)",
         "1. Climate talks stall as ministers fail to agree timetable", "Client/Matter: -None-",
         "2. Kabinet presenteert klimaatplan", "Client/Matter: -None-", "3. Coal plants to close early",
         "Client/Matter: -None-", "Search Terms: climate AND (talks OR plan)", "Search Type: Terms and Connectors",
         "Narrowed by: Content Type News; Timeline: Jan 01, 2021 to Jan 31, 2021"]
NEXIS_DOCS = [
    {"title": "Climate talks stall as ministers fail to agree timetable", "outlet": "The Guardian (London)",
     "date": "January 11, 2021 Monday 6:53 PM GMT",
     "copyright": "Copyright 2021 The Guardian, a division of Transcript Media Ltd All Rights Reserved",
     "head": ["Section: ENVIRONMENT; Version:1", "Length: 412 words", "Byline: Damian Carrington Environment editor"],
     "body": ["Ministers from more than forty countries failed on Sunday to agree a timetable for cutting emissions.",
              "The talks stalled over how much money richer countries should promise to help poorer ones adapt.",
              "Campaigners said the delay would make it harder to keep warming below two degrees."],
     "tail": ["Classification", "Language: ENGLISH", "Publication-Type: Web Publication",
              "Subject: CLIMATE CHANGE (94%); EMISSIONS (90%)", "Load-Date: January 12, 2021"]},
    {"title": "Kabinet presenteert klimaatplan", "outlet": "De Voorbeeldkrant", "date": "14 januari 2021 donderdag",
     "copyright": "Copyright 2021 De Voorbeeldkrant B.V. Alle rechten voorbehouden",
     "head": ["Section: Binnenland; Blz. 4", "Length: 180 words", "Byline: Jan de Vries"],
     "body": ["Het kabinet heeft donderdag een nieuw klimaatplan gepresenteerd dat de uitstoot van broeikasgassen "
              "voor het einde van het decennium sterk moet verminderen.",
              "Milieuorganisaties noemen de plannen onvoldoende en willen een snellere sluiting van kolencentrales."],
     "tail": ["Classification", "Language: DUTCH; FLEMISH", "Publication-Type: Krant", "Load-Date: January 15, 2021"]},
    {"title": "Coal plants to close early", "outlet": "Example Herald", "date": "January 12, 2021 Tuesday",
     "copyright": "",
     "head": ["Section: BUSINESS; Pg. B3", "Length: 96 words"],
     "body": ["Coal-fired power stations in the north will close two years earlier than planned, the regulator said.",
              "Unions warned that up to 1,200 jobs were at risk."],
     "tail": ["Graphic", "PHOTO: The power station at dawn.", "Classification", "Language: ENGLISH",
              "Subject: CLIMATE CHANGE (91%); COAL INDUSTRY (90%)", "Load-Date: January 13, 2021"]},
]
SINGLE = {"title": "Farmers plant earlier as springs warm", "outlet": "Example Herald", "date": "March 3, 2021 Wednesday",
          "copyright": "Copyright 2021 Example Herald", "head": ["Section: SCIENCE", "Length: 70 words", "Byline: Ann Lee"],
          "body": ["Farmers across the Midwest are planting earlier than at any time in the past century.",
                   "Researchers said the shift was consistent with a warming climate."],
          "tail": ["Classification", "Language: ENGLISH", "Load-Date: March 4, 2021"]}


def build_docx(path: Path, paragraphs: list[str]) -> None:
    """A Word file with one paragraph per string ("Body" and labels as Nexis Uni writes them)."""
    import docx

    document = docx.Document()
    for p in paragraphs:
        para = document.add_paragraph()
        if ":" in p and p.split(":", 1)[0] in ("Section", "Length", "Byline", "Language", "Publication-Type",
                                                "Subject", "Load-Date"):
            label, value = p.split(":", 1)
            para.add_run(label + ":").bold = True
            para.add_run(value)
        else:
            para.add_run(p).bold = p in ("Body", "Classification", "Graphic")
    document.core_properties.created = pd.Timestamp("2021-01-14").to_pydatetime()
    document.save(path)


def _nexis_paragraphs(doc: dict) -> list[str]:
    return ([doc["title"], doc["outlet"], doc["date"]] + ([doc["copyright"]] if doc["copyright"] else [])
            + doc["head"] + ["Body"] + doc["body"] + doc["tail"] + ["End of Document"])


def write_docx_fixtures(folder: Path = FIXTURES / "nexis_uni") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    build_docx(folder / "Files(3).DOCX", COVER + [p for d in NEXIS_DOCS for p in _nexis_paragraphs(d)])
    build_docx(folder / "single_article.docx", _nexis_paragraphs(SINGLE))


if __name__ == "__main__" and "--write-docx" in sys.argv:
    write_docx_fixtures()
