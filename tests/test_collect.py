"""Collecting: a local HTTP server on 127.0.0.1 serves recorded answers; nothing leaves the machine.

The server (a thread, random port, stopped after each test) answers from a table of
path -> list of responses (the last one repeats) and logs every request, so the tests can check
what was asked, how often and with which headers.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from helpers import collect
from helpers.cli import main
from helpers.corpus import load_corpus

ROBOTS = "User-agent: *\nDisallow: /private/\n"


def page(title: str, paras: list[str], author: str = "", date: str = "") -> str:
    meta = (f'<meta name="author" content="{author}">' if author else "") + (
        f'<meta property="article:published_time" content="{date}">' if date else "")
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<!DOCTYPE html><html><head><title>{title}</title>{meta}</head><body><nav>Home | World | Sport</nav>"
            f"<article><h1>{title}</h1>{body}</article><footer>All rights reserved.</footer></body></html>")


BARRIER = page("Tidal barrier closes for the first time", [
    "The new tidal barrier at the mouth of the Arlen river was closed for the first time on Tuesday night, as a "
    "storm surge pushed sea levels in the estuary to their highest point in eleven years.",
    "Engineers lowered the six steel gates shortly after nine in the evening. By midnight the water on the seaward "
    "side stood almost two metres above the level inside the harbour, the port authority said.",
    "The barrier took four years to build and was designed to protect roughly 40,000 homes in Port Marrow."],
    author="Ada Quay", date="2024-03-05")
STRIKE = page("Rail drivers strike for two days", [
    "Train drivers on the Vellmark regional network began a 48-hour strike at dawn on Monday, leaving tens of "
    "thousands of commuters to find other ways to work.",
    "The drivers' union says its members have not had a pay rise that matches inflation for three years and that "
    "new rosters cut rest time between shifts. The operator says it has offered a four per cent increase."])
QUOTA = page("Island crews protest herring quota cut", [
    "Fishermen from the island of Osk blockaded the harbour of its main town on Friday in protest against a cut of "
    "almost a fifth in this year's herring quota.",
    "About sixty boats tied up across the harbour entrance, stopping the morning ferry from leaving for two hours. "
    "The fisheries council said the reduction was needed to let the stock recover."])
FULL_CONTENT = " ".join(["The council met on Thursday evening and agreed the new harbour plan after a long debate "
                         "about costs, timing and the views of residents who live close to the quay."] * 3)


def _feed(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Harbour Gazette</title><link>{base}/</link><language>en</language>
<item><title>Tidal barrier closes</title><link>{base}/news/barrier.html</link>
<pubDate>Tue, 05 Mar 2024 21:00:00 GMT</pubDate><description>The barrier was closed.</description></item>
<item><title>Council agrees harbour plan</title><link>{base}/news/council.html</link>
<pubDate>Thu, 07 Mar 2024 20:00:00 GMT</pubDate><content:encoded><![CDATA[<p>{FULL_CONTENT}</p>]]></content:encoded></item>
</channel></rss>"""


class Server:
    """Recorded answers by path; ``log`` holds (path, query, headers) of every request."""

    def __init__(self):
        self.routes: dict[str, list[tuple[int, dict, bytes]]] = {}
        self.log: list[tuple[str, dict, dict]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                parts = urlparse(self.path)
                outer.log.append((parts.path, parse_qs(parts.query), dict(self.headers.items())))
                answers = outer.routes.get(parts.path) or [(404, {"Content-Type": "text/plain"}, b"not found")]
                status, headers, body = answers.pop(0) if len(answers) > 1 else answers[0]
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def add(self, path: str, *answers) -> None:
        self.routes[path] = [(s, h, b.encode() if isinstance(b, str) else b) for s, h, b in answers]

    def hits(self, path: str) -> int:
        return sum(1 for p, _, _ in self.log if p == path)


HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def server():
    s = Server()
    s.add("/robots.txt", (200, {"Content-Type": "text/plain"}, ROBOTS))
    s.add("/news/barrier.html", (200, HTML, BARRIER))
    s.add("/news/strike.html", (200, HTML, STRIKE))
    s.add("/news/quota.html", (200, HTML, QUOTA))
    s.add("/private/secret.html", (200, HTML, QUOTA))
    s.add("/flaky.html", (503, {}, "busy"), (200, HTML, STRIKE))
    s.add("/slow-down.html", (429, {"Retry-After": "3"}, "slow down"), (200, HTML, QUOTA))
    s.add("/go-away.html", (429, {"Retry-After": "9999"}, "come back tomorrow"))
    s.add("/report.pdf", (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 ..."))
    s.add("/sneaky.html", (302, {"Location": "file:///etc/passwd"}, ""))
    s.thread.start()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()
    s.thread.join(timeout=5)


def client(**kw) -> collect.PoliteClient:
    """A client that records its waits instead of sleeping."""
    return collect.PoliteClient(rate=kw.pop("rate", 1000.0), backoff=0.01, sleep=lambda s: None, **kw)


# --- saving, manifest, loading -------------------------------------------------------------------

def test_pages_saved_one_file_each_with_manifest_and_loadable(server, tmp_path):
    urls = [f"{server.base}/news/barrier.html", f"{server.base}/news/strike.html", f"{server.base}/missing.html",
            f"{server.base}/report.pdf", "ftp://example.org/x", f"{server.base}/news/barrier.html"]
    table = collect.save_articles(collect.url_items(urls), tmp_path, client())
    assert table["status"].tolist() == ["saved", "saved", "failed", "failed", "failed", "skipped"]
    assert "HTTP 404" in table["reason"].iloc[2] and "application/pdf" in table["reason"].iloc[3]
    assert "not an http(s) address" in table["reason"].iloc[4] and "more than once" in table["reason"].iloc[5]
    saved = sorted(p.name for p in tmp_path.glob("*.md"))
    assert saved == sorted([collect.filename_for(urls[0]), collect.filename_for(urls[1])])
    manifest = pd.read_csv(tmp_path / collect.MANIFEST_NAME, keep_default_na=False)
    assert list(manifest.columns) == collect.MANIFEST_COLUMNS and len(manifest) == 6
    assert manifest["fetched_at"].str.match(r"\d{4}-\d\d-\d\dT").all()
    corpus, report = load_corpus(tmp_path)
    assert len(corpus) == 2 and set(corpus["format"]) == {"markdown"}
    doc = corpus.set_index("url").loc[urls[0]]
    assert doc["title"] == "Tidal barrier closes for the first time"
    assert doc["author"] == "Ada Quay" and doc["date"] == pd.Timestamp("2024-03-05")
    assert doc["text"].startswith("The new tidal barrier") and "Home | World" not in doc["text"]
    assert len(doc["text"].split("\n\n")) == 3  # paragraphs kept, one blank line apart
    by = report.set_index("source_path")
    assert by.loc[collect.MANIFEST_NAME, "status"] == "skipped"  # the log is listed, not read as articles


def test_requests_name_the_project(server, tmp_path):
    collect.save_articles(collect.url_items([f"{server.base}/news/quota.html"]), tmp_path, client(contact="me@x.org"))
    agents = {h.get("User-Agent") for _, _, h in server.log}
    assert agents == {collect.USER_AGENT + " contact: me@x.org"}
    assert collect.USER_AGENT.startswith("coverage-lab/")


def test_robots_refusal_is_recorded_and_the_page_never_requested(server, tmp_path):
    table = collect.save_articles(collect.url_items([f"{server.base}/private/secret.html"]), tmp_path, client())
    assert table["status"].tolist() == ["refused"]
    assert "robots.txt" in table["reason"].iloc[0]
    assert server.hits("/private/secret.html") == 0 and server.hits("/robots.txt") == 1


def test_robots_txt_fetched_once_per_host(server, tmp_path):
    urls = [f"{server.base}/news/{n}.html" for n in ("barrier", "strike", "quota")]
    collect.save_articles(collect.url_items(urls), tmp_path, client())
    assert server.hits("/robots.txt") == 1


def test_unreadable_robots_txt_means_nothing_is_fetched(server, tmp_path):
    server.add("/robots.txt", (500, {}, "broken"))
    table = collect.save_articles(collect.url_items([f"{server.base}/news/quota.html"]), tmp_path,
                                  client(retries=1))
    assert table["status"].tolist() == ["refused"] and "robots.txt could not be read" in table["reason"].iloc[0]
    assert server.hits("/news/quota.html") == 0


def test_503_is_retried_with_backoff(server, tmp_path):
    c = client()
    table = collect.save_articles(collect.url_items([f"{server.base}/flaky.html"]), tmp_path, c)
    assert table["status"].tolist() == ["saved"]
    assert server.hits("/flaky.html") == 2
    assert 0.01 in c.waits  # backoff * 2**0 before the second attempt


def test_429_waits_as_long_as_retry_after_asks(server, tmp_path):
    c = client()
    table = collect.save_articles(collect.url_items([f"{server.base}/slow-down.html"]), tmp_path, c)
    assert table["status"].tolist() == ["saved"] and server.hits("/slow-down.html") == 2
    assert 3.0 in c.waits


def test_429_asking_for_too_long_gives_up_with_the_reason(server, tmp_path):
    table = collect.save_articles(collect.url_items([f"{server.base}/go-away.html"]), tmp_path, client())
    assert table["status"].tolist() == ["failed"]
    assert "HTTP 429" in table["reason"].iloc[0] and "asks to wait 9999 s" in table["reason"].iloc[0]
    assert server.hits("/go-away.html") == 1


def test_retries_are_bounded(server, tmp_path):
    server.add("/down.html", (503, {}, "down"))
    table = collect.save_articles(collect.url_items([f"{server.base}/down.html"]), tmp_path, client(retries=2))
    assert table["status"].tolist() == ["failed"] and "HTTP 503" in table["reason"].iloc[0]
    assert server.hits("/down.html") == 3


def test_redirects_away_from_http_are_refused(server, tmp_path):
    server.add("/to-ftp.html", (302, {"Location": "ftp://127.0.0.1/file"}, ""))
    urls = [f"{server.base}/sneaky.html", f"{server.base}/to-ftp.html"]
    table = collect.save_articles(collect.url_items(urls), tmp_path, client())
    assert table["status"].tolist() == ["failed", "failed"]
    assert "file:///etc/passwd" in table["reason"].iloc[0] and "non-http" in table["reason"].iloc[1]
    assert not list(tmp_path.glob("*.md"))


def test_rerun_skips_existing_files_without_a_request(server, tmp_path):
    urls = [f"{server.base}/news/barrier.html", f"{server.base}/news/strike.html"]
    collect.save_articles(collect.url_items(urls), tmp_path, client())
    before = len(server.log)
    again = collect.save_articles(collect.url_items(urls), tmp_path, client())
    assert again["status"].tolist() == ["exists", "exists"]
    assert len(server.log) == before  # not even robots.txt
    assert len(pd.read_csv(tmp_path / collect.MANIFEST_NAME)) == 4  # both runs logged


def test_pause_between_requests_to_one_host(server, tmp_path):
    c = collect.PoliteClient(rate=0.5, sleep=lambda s: None)  # one request every two seconds
    collect.save_articles(collect.url_items([f"{server.base}/news/barrier.html"]), tmp_path, c)
    assert c.waits and all(1.9 < w <= 2.0 for w in c.waits)  # robots.txt, then the page two seconds later


# --- listings ------------------------------------------------------------------------------------

def test_feed_items_fetched_or_taken_from_the_feed(server, tmp_path):
    server.add("/feed.xml", (200, {"Content-Type": "application/rss+xml"}, _feed(server.base)))
    server.add("/news/council.html", (500, {}, "must not be asked"))
    c = client()
    items = collect.feed_items(c, f"{server.base}/feed.xml")
    assert [i["title"] for i in items] == ["Tidal barrier closes", "Council agrees harbour plan"]
    table = collect.save_articles(items, tmp_path, c)
    assert table["status"].tolist() == ["saved", "saved"]
    assert "from the listing" in table["reason"].iloc[1] and server.hits("/news/council.html") == 0
    corpus = load_corpus(tmp_path).corpus.set_index("title")
    assert corpus.loc["Tidal barrier closes", "outlet"] == "Harbour Gazette"  # the listing's metadata win
    assert corpus.loc["Tidal barrier closes", "date"] == pd.Timestamp("2024-03-05 21:00:00")
    assert corpus.loc["Council agrees harbour plan", "text"].startswith("The council met on Thursday")


def test_gdelt_query_lists_articles_and_pages_are_fetched(server, tmp_path):
    answer = {"articles": [
        {"url": f"{server.base}/news/barrier.html", "url_mobile": "", "title": "Barrier closes in Port Marrow",
         "seendate": "20240305T213000Z", "socialimage": "", "domain": "harbourgazette.example", "language": "English",
         "sourcecountry": "Netherlands"},
        {"url": f"{server.base}/news/quota.html", "url_mobile": "", "title": "Osk crews protest",
         "seendate": "20240308T090000Z", "socialimage": "", "domain": "islandpost.example", "language": "English",
         "sourcecountry": "Norway"}]}
    server.add("/api/v2/doc/doc", (200, {"Content-Type": "application/json"}, json.dumps(answer)))
    c = client()
    items = collect.gdelt_items(c, '"tidal barrier"', timespan="1w", base=f"{server.base}/api/v2/doc/doc")
    (path, query, _), = [e for e in server.log if e[0] == "/api/v2/doc/doc"]
    assert query["query"] == ['"tidal barrier"'] and query["mode"] == ["ArtList"] and query["format"] == ["json"]
    assert query["timespan"] == ["1w"] and server.hits("/robots.txt") == 0  # the API is not crawled
    table = collect.save_articles(items, tmp_path, c)
    assert table["status"].tolist() == ["saved", "saved"]
    corpus = load_corpus(tmp_path).corpus.set_index("outlet")
    assert set(corpus.index) == {"harbourgazette.example", "islandpost.example"}
    assert corpus.loc["islandpost.example", "title"] == "Osk crews protest"
    assert corpus.loc["islandpost.example", "date"] == pd.Timestamp("2024-03-08 09:00:00")
    assert set(corpus["lang"]) == {"en"}


def test_gdelt_error_text_is_reported(server):
    server.add("/api/v2/doc/doc", (200, {"Content-Type": "text/html"}, "The specified phrase is too short."))
    with pytest.raises(collect.SourceError, match="phrase is too short"):
        collect.gdelt_items(client(), "a", base=f"{server.base}/api/v2/doc/doc")


def test_mediacloud_search_pages_through_results(server, tmp_path, monkeypatch):
    monkeypatch.setenv(collect.MEDIACLOUD_KEY_ENV, "test-key")
    monkeypatch.setenv("MEDIACLOUD_API_URL", f"{server.base}/mc/api/")
    story = {"id": "a1", "media_name": "Vellmark Herald", "media_url": "vellmark.example",
             "title": "Drivers walk out", "publish_date": "2024-02-12 06:00:00",
             "url": f"{server.base}/news/strike.html", "language": "en", "indexed_date": "2024-02-12 07:00:00"}
    second = dict(story, id="a2", title="Barrier holds", media_name="Marrow Times",
                  url=f"{server.base}/news/barrier.html", publish_date="2024-03-06")
    server.add("/mc/api/search/story-list",
               (200, {"Content-Type": "application/json"}, json.dumps({"stories": [story], "pagination_token": "p2"})),
               (200, {"Content-Type": "application/json"}, json.dumps({"stories": [second], "pagination_token": None})))
    c = client()
    items = collect.mediacloud_items(c, "strike OR barrier", start="2024-02-01", end="2024-03-31")
    calls = [e for e in server.log if e[0] == "/mc/api/search/story-list"]
    assert len(calls) == 2 and calls[1][1]["pagination_token"] == ["p2"]
    assert calls[0][2]["Authorization"] == "Token test-key" and calls[0][1]["start"] == ["2024-02-01"]
    table = collect.save_articles(items, tmp_path, c)
    assert table["status"].tolist() == ["saved", "saved"]
    corpus = load_corpus(tmp_path).corpus.set_index("outlet")
    assert corpus.loc["Vellmark Herald", "title"] == "Drivers walk out"
    assert corpus.loc["Marrow Times", "date"] == pd.Timestamp("2024-03-06")


def test_mediacloud_without_key_fails_clearly(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv(collect.MEDIACLOUD_KEY_ENV, raising=False)
    assert main(["collect", "--mediacloud", "NATO", "--out", str(tmp_path / "o")]) == 2
    assert "MEDIACLOUD_API_KEY" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


# --- fill in the text ----------------------------------------------------------------------------

def _metadata_folder(tmp_path, server):
    lists = tmp_path / "lists"
    lists.mkdir()
    pd.DataFrame({"id": ["1", "2", "3"], "indexed_date": ["2024-03-06"] * 3, "language": ["en"] * 3,
                  "media_name": ["Marrow Times", "Vellmark Herald", "Island Post"],
                  "media_url": ["marrow.example", "vellmark.example", "island.example"],
                  "publish_date": ["2024-03-05", "2024-02-12", "2024-03-08"],
                  "title": ["Barrier holds", "Drivers walk out", "No link here"],
                  "url": [f"{server.base}/news/barrier.html", f"{server.base}/news/strike.html", ""]}
                 ).to_csv(lists / "mediacloud-stories.csv", index=False)
    return lists


def test_fill_collects_text_for_metadata_rows(server, tmp_path):
    lists = _metadata_folder(tmp_path, server)
    rows = collect.metadata_rows(lists)
    if rows.empty:
        pytest.fail("load_corpus dropped the metadata-only Media Cloud rows (they must be kept with empty text)")
    table = collect.fill_texts(lists, tmp_path / "filled", client())
    assert sorted(table["status"]) == ["saved", "saved", "skipped"]
    assert "no URL" in table.loc[table["status"] == "skipped", "reason"].iloc[0]
    filled = load_corpus(tmp_path / "filled").corpus.set_index("outlet")
    assert sorted(filled.index) == ["Marrow Times", "Vellmark Herald"]
    assert filled.loc["Marrow Times", "title"] == "Barrier holds"  # the metadata row's title, not the page's
    assert filled.loc["Marrow Times", "date"] == pd.Timestamp("2024-03-05")
    assert filled.loc["Vellmark Herald", "text"].startswith("Train drivers on the Vellmark")


def test_fill_refuses_to_write_inside_the_folder(server, tmp_path):
    lists = _metadata_folder(tmp_path, server)
    with pytest.raises(collect.FillError, match="twice"):
        collect.fill_texts(lists, lists / "filled", client())


# --- the command ---------------------------------------------------------------------------------

def test_command_collects_from_a_url_file(server, tmp_path, capsys):
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# two articles\n{server.base}/news/barrier.html\n\n{server.base}/private/secret.html\n")
    out = tmp_path / "out"
    code = main(["collect", "--from-file", str(listing), "--out", str(out), "--rate", "100"])
    printed = capsys.readouterr().out
    assert code == 1  # one address was refused
    assert "2 address(es): 1 saved, 1 refused" in printed and "robots.txt" in printed
    assert len(list(out.glob("*.md"))) == 1
    assert main(["collect", "--from-file", str(listing), "--out", str(out), "--rate", "100"]) == 1
    assert "1 exists, 1 refused" in capsys.readouterr().out


def test_command_gdelt_base_from_the_environment(server, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GDELT_DOC_API", f"{server.base}/gd")
    server.add("/gd", (200, {"Content-Type": "application/json"}, json.dumps({"articles": [
        {"url": f"{server.base}/news/quota.html", "title": "Osk", "seendate": "20240308T090000Z",
         "domain": "islandpost.example", "language": "English"}]})))
    assert main(["collect", "--gdelt", "herring", "--timespan", "3d", "--out", str(tmp_path), "--rate", "100"]) == 0
    assert "1 saved" in capsys.readouterr().out


def test_command_without_addresses_says_what_it_needs(tmp_path, capsys):
    assert main(["collect", "--out", str(tmp_path)]) == 2
    assert "--gdelt" in capsys.readouterr().err


def test_command_fill_writes_next_to_the_folder_by_default(server, tmp_path, capsys):
    lists = _metadata_folder(tmp_path, server)
    assert main(["collect", "--fill", str(lists), "--rate", "100"]) == 1  # the row without a URL is skipped
    assert "2 saved, 1 skipped" in capsys.readouterr().out
    assert len(load_corpus(tmp_path / "lists-text").corpus) == 2
