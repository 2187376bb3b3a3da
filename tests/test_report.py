"""The run-and-render loop: every notebook on data/raw, the HTML checked in headless Chromium."""

from __future__ import annotations

import base64
import importlib
import io
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.image as mpimg
import nbformat
import pytest

from helpers import report
from helpers.compute import configured_workers, running_kernels, set_running_kernels

report_run = importlib.import_module("helpers.report.runner")  # the module of ``report.run``

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("report")]

EVIL_TITLE = "<script>document.body.setAttribute('data-pwned','script')</script>"
EVIL_BODY = ("Tokyo <img src=x onerror=\"document.body.setAttribute('data-pwned','img')\"> and Beijing "
             "traded accusations over the disputed islands on Monday, officials said. " * 6)


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    manifest = report.run(out=out, progress=False)
    return out, manifest


@pytest.fixture(scope="module")
def evil_report(tmp_path_factory, seed_path):
    data = tmp_path_factory.mktemp("evil-data")
    shutil.copy(seed_path, data / seed_path.name)
    (data / "evil.md").write_text(f"---\ntitle: \"{EVIL_TITLE}\"\noutlet: \"<b>Evil</b> Times\"\n"
                                  f"date: 2013-01-15\n---\n{EVIL_BODY}\n\n{EVIL_BODY}\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("evil-report")
    return out, report.run(data=data, out=out, progress=False)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.imgs = [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag == "img" and a.get("src"):
            self.imgs.append(a["src"])


def _parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_every_notebook_runs_on_data_raw(seed_report):
    out, manifest = seed_report
    names = [p.stem for p in report.list_notebooks()]
    assert names and names[0] == "00-corpus"
    assert [n["name"] for n in manifest["notebooks"]] == names
    assert manifest["failed"] == [], [(n["name"], n["cell"], n["error"]) for n in manifest["notebooks"]]
    assert manifest["n_documents"] == 1 and len(manifest["corpus_hash"]) == 64
    assert manifest["versions"]["pandas"] != "not installed"
    for nb in manifest["notebooks"]:  # where the time went: the slowest cells, longest first
        cells = nb["slowest_cells"]
        assert 1 <= len(cells) <= 5 and all(c["seconds"] >= 0 and c["first_line"] for c in cells), nb["name"]
        assert [c["seconds"] for c in cells] == sorted((c["seconds"] for c in cells), reverse=True)
    for name in names:
        assert (out / f"{name}.html").is_file()


def test_index_links_work_and_pages_have_images(seed_report):
    out, _ = seed_report
    links = _parse(out / "index.html")
    local = [h for h in links.hrefs if not h.startswith(("http:", "https:", "#", "mailto:"))]
    assert any(h.endswith(".html") for h in local) and any(h.endswith(".csv") for h in local)
    for href in local:
        assert (out / href).is_file(), f"index links to missing {href}"
    page = _parse(out / "00-corpus.html")
    pngs = [s for s in page.imgs if s.startswith("data:image/png;base64,")]
    assert "No description has been provided" not in (out / "00-corpus.html").read_text()
    assert 'alt="Figure 1: Outlets, dates and lengths"' in (out / "00-corpus.html").read_text()
    assert len(pngs) >= 3
    for src in pngs:
        img = mpimg.imread(io.BytesIO(base64.b64decode(src.split(",", 1)[1])), format="png")
        assert img.shape[0] > 50 and img.shape[1] > 50 and img.std() > 0  # a real, non-blank picture
    for html_file in out.glob("*.html"):
        page_text = html_file.read_text(encoding="utf-8")
        assert "<script" not in page_text.lower(), html_file.name
        # markdown and tables are rendered, not shown as escaped tags
        assert "&lt;h2" not in page_text and "&lt;style scoped" not in page_text and "&lt;table" not in page_text
    # figures come with the numbers behind them
    for png in (out / "00-corpus").glob("*.png"):
        assert png.with_suffix(".csv").is_file() and png.with_suffix(".svg").is_file()


def test_report_is_deterministic(seed_report, monkeypatch, tmp_path):
    """Identical input and parameters (the output folder is one) give identical files, also when
    everything is computed again (no cached corpus, measures or pages). A cold run reads and
    keeps nothing of the user's cache: its kernels share a cache folder of the run's own,
    deleted afterwards."""
    out, _ = seed_report
    before = {f.relative_to(out): f.read_bytes() for f in sorted(out.rglob("*"))
              if f.is_file() and f.suffix in (".csv", ".svg", ".html")}
    user_cache = tmp_path / "user-cache"  # the user's cache for this run (other tests write the shared one)
    monkeypatch.setenv("COVERAGE_LAB_CACHE", str(user_cache))
    made = []

    def mkdtemp(prefix):
        made.append(tmp_path / f"{prefix}x")
        made[-1].mkdir()
        return str(made[-1])

    monkeypatch.setattr(report_run.tempfile, "mkdtemp", mkdtemp)
    manifest = report.run(out=out, progress=False, cache=False)
    assert manifest["compute"]["cached_pages"] == [] and manifest["compute"]["cache"] == "off"
    # the run's own cache, the folder of its running-notebooks count and of its corpus-ready flag
    # were made, and are gone
    assert sorted(p.name for p in made) == ["coverage-lab-ready-x", "coverage-lab-run-x", "coverage-lab-share-x"]
    assert not any(p.exists() for p in made)
    assert not user_cache.exists()  # and nothing was kept in the user's
    assert len(before) > 10
    differing = []
    for rel, data in before.items():
        now = (out / rel).read_bytes()
        if now != data:  # no assert on the bytes themselves: pytest's diff of megabytes takes ages
            at = next((i for i, (x, y) in enumerate(zip(now, data, strict=False)) if x != y), min(len(now), len(data)))
            differing.append(f"{rel} at byte {at}: {data[max(0, at - 80):at + 80]!r} vs {now[max(0, at - 80):at + 80]!r}")
    assert not differing, "differ between identical runs:\n" + "\n".join(differing)


def _dump_dom(chromium: str, page: Path, profile: Path) -> str:
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--virtual-time-budget=3000", "--dump-dom", page.as_uri()]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


def test_article_text_is_escaped_and_no_script_runs(evil_report, chromium, tmp_path):
    out, manifest = evil_report
    assert manifest["failed"] == [], [(n["name"], n["cell"], n["error"]) for n in manifest["notebooks"]]
    pages = sorted(out.glob("*.html"))
    assert len(pages) == len(manifest["notebooks"]) + 1
    shown = False
    for page in pages:
        dom = _dump_dom(chromium, page, tmp_path / "profile")
        assert "<body" in dom, f"{page.name} did not render"
        assert not re.search(r"<body[^>]*data-pwned", dom), f"script from article text ran in {page.name}"
        assert "<b>Evil</b>" not in dom  # markup in metadata is shown as text, not applied
        shown |= "&lt;script&gt;document.body.setAttribute" in dom
    assert shown, "the malicious title should be visible as text somewhere in the report"


def test_index_renders_in_browser(seed_report, chromium, tmp_path):
    out, _ = seed_report
    shot = tmp_path / "index.png"
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1200,900",
           (out / "index.html").as_uri()]
    subprocess.run(cmd, capture_output=True, timeout=120, check=True)
    img = mpimg.imread(shot)
    assert img.std() > 0.01  # not a blank page


def test_failing_notebook_is_reported_and_others_still_run(tmp_path):
    books = tmp_path / "nbs"
    books.mkdir()
    for name, code in (("00-good", "x = 1"), ("10-bad", "raise RuntimeError('boom in cell')"), ("20-after", "y = 2")):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}\n\n**Question.** Does a *test* notebook run? More."),
                    nbformat.v4.new_code_cell("data_path = None\nout_dir = None", metadata={"tags": ["parameters"]}),
                    nbformat.v4.new_code_cell(code)]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, books / f"{name}.ipynb")
    out = tmp_path / "out"
    manifest = report.run(out=out, progress=False, notebooks_dir=books)
    status = {n["name"]: (n["status"], n["cell"], n["error"]) for n in manifest["notebooks"]}
    assert status["00-good"][0] == "ok" and status["20-after"][0] == "ok"
    assert status["10-bad"][0] == "failed" and "RuntimeError: boom in cell" in status["10-bad"][2]
    assert status["10-bad"][1] is not None
    assert manifest["failed"] == ["10-bad"]
    assert manifest["notebooks"][0]["description"] == "Does a test notebook run?"
    index = (out / "index.html").read_text()
    assert "FAILED at cell" in index and "boom in cell" in index
    assert (out / "10-bad.html").is_file()


def test_index_leads_with_findings_and_a_thumbnail(seed_report):
    out, _ = seed_report
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.index("What the notebooks found") < page.index("Load report")
    assert '<ul class="findings">' in page and "Documents: 1 from 1 file(s)" in page
    thumbs = re.findall(r'<a class="thumb" href="([^"]+)"><img src="data:image/png;base64,([^"]+)"', page)
    assert thumbs, "no thumbnail of a main figure"
    for href, data in thumbs:
        assert (out / href).is_file()
        img = mpimg.imread(io.BytesIO(base64.b64decode(data)), format="png")
        assert img.shape[0] > 50 and img.std() > 0
    # the file list is folded below the findings, one <details> per notebook
    assert page.count("<details>") == len(list(out.glob("[0-9][0-9]-*.html")))


def test_findings_text_is_escaped_on_the_index(tmp_path):
    from helpers.findings import Finding, write_findings
    from helpers.report.index import index_html
    from helpers.report.notebooks import NotebookResult

    (tmp_path / "00-x").mkdir()
    write_findings(tmp_path / "00-x", [Finding("<script>alert(1)</script> tone", "<b>m</b>", "v")], figure="nope.png")
    res = NotebookResult(name="00-x", status="ok", seconds=0.0, html="00-x.html")
    page = index_html([res], [], {"data": "d", "n_documents": 0, "corpus_hash": "0" * 16}, tmp_path)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; tone" in page
    assert "&lt;b&gt;m&lt;/b&gt;" in page and 'class="thumb"' not in page  # a missing figure: no broken image


def test_pages_print_no_absolute_paths(seed_report):
    """A forwarded page must not show where the report was made (home folders, temp folders)."""
    from helpers import config

    out, _ = seed_report
    machine_paths = {str(config.PROJECT_ROOT), str(out), str(out.resolve()), str(Path.home())}
    for page in sorted(out.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        found = [p for p in machine_paths if p and p != "/" and p in text]
        assert not found, f"{page.name} shows machine paths {found}"


def test_a_kernel_that_dies_at_start_is_started_again(tmp_path, monkeypatch):
    """The port race between kernels starting at once costs a retry, not a failed notebook."""
    import papermill

    from helpers.report import notebooks as nbmod

    calls = []
    real = papermill.execute_notebook

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(*args, **kwargs)

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("data_path = None\nout_dir = None", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("x = 1")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / "00-x.ipynb")
    res = nbmod.run_notebook(tmp_path / "00-x.ipynb", tmp_path, tmp_path / "out")
    assert res.status == "ok" and len(calls) == 2
    # any other error is not retried
    calls.clear()
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: calls.append(1) or (_ for _ in ()).throw(
        RuntimeError("something else")))
    assert nbmod.run_notebook(tmp_path / "00-x.ipynb", tmp_path, tmp_path / "out2").status == "failed"
    assert len(calls) == 1


def test_report_on_a_users_machine_without_eval_data(tmp_path):
    """A user has no ../shared/eval and no models of their own: every notebook still runs, the
    shipped models are used and named with their recorded validation, and every notebook writes
    its findings for the index."""
    import json
    import os
    import sys

    from helpers import config

    env = {**os.environ, "COVERAGE_LAB_EVAL": str(tmp_path / "no-eval"),
           "COVERAGE_LAB_MODELS": str(tmp_path / "no-models")}
    out = tmp_path / "report"
    res = subprocess.run([sys.executable, "-m", "helpers", "report", "--out", str(out)], env=env,
                         capture_output=True, text=True, cwd=config.PROJECT_ROOT, timeout=1200)
    assert res.returncode == 0, res.stderr[-3000:]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["failed"] == [] and len(manifest["notebooks"]) == len(report.list_notebooks())
    for nb in manifest["notebooks"]:
        findings = json.loads((out / nb["name"] / "findings.json").read_text())
        assert findings["findings"], f"{nb['name']} wrote no findings"
    framing_page = (out / "10-framing.html").read_text(encoding="utf-8")
    sentiment_page = (out / "20-sentiment.html").read_text(encoding="utf-8")
    assert "frames_generic" in framing_page and "shipped" in framing_page
    assert "shipped light target model" in sentiment_page and "macro-F1" in sentiment_page
    assert "VADER ±10-word window baseline" not in sentiment_page.split("Validation")[0]


def _files(folder: Path) -> dict[Path, bytes]:
    return {f.relative_to(folder): f.read_bytes() for f in sorted(folder.rglob("*"))
            if f.is_file() and f.name != "manifest.json"}


def test_an_unchanged_rerun_restores_every_page_byte_for_byte(seed_report, tmp_path):
    """Same files, notebooks, code and settings: pages come from the cache, identical to a run."""
    out, first = seed_report
    again = report.run(out=tmp_path / "again", progress=False)
    names = [nb["name"] for nb in first["notebooks"]]
    assert again["compute"]["cached_pages"] == names
    assert all(nb["cached"] for nb in again["notebooks"])
    restored, original = _files(tmp_path / "again"), _files(out)
    assert sorted(restored) == sorted(original)
    # the executed notebooks name their out_dir: the folder they were restored to, as a run there would
    for rel in [r for r in restored if r.suffix == ".ipynb"]:
        assert str(tmp_path / "again" / rel.parent).encode() in restored[rel]
        restored[rel] = restored[rel].replace(str(tmp_path / "again").encode(), str(out).encode())
    differing = [str(rel) for rel, data in original.items() if restored[rel] != data]
    assert not differing, f"restored pages differ from the run's: {differing[:5]}"


def test_page_keys_change_with_the_notebook_and_the_files_it_names(tmp_path):
    from helpers.report.pages import page_key, run_key

    books = tmp_path / "notebooks"
    shutil.copytree(report.list_notebooks()[0].parent, books, ignore=shutil.ignore_patterns("*.py"))
    nb_path = sorted(books.glob("10-*.ipynb"))[0]
    base = page_key(nb_path, run_key("corpus-a", {}))
    assert page_key(nb_path, run_key("corpus-b", {})) != base, "another corpus is another page"
    assert page_key(nb_path, run_key("corpus-a", {"timeout": 5})) != base
    nb = nbformat.read(nb_path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    sheet = tmp_path / "coded.csv"
    sheet.write_text("unit_id,code\na,1\n")
    cell.source = cell.source.replace("coded_path = None", f"coded_path = {str(sheet)!r}")
    nbformat.write(nb, nb_path)
    named = page_key(nb_path, run_key("corpus-a", {}))
    assert named != base
    sheet.write_text("unit_id,code\na,0\n")
    assert page_key(nb_path, run_key("corpus-a", {})) != named, "editing a file the notebook reads reruns it"


def test_report_on_a_local_dask_cluster_gives_the_local_tables(seed_report, tmp_path):
    """``report --scheduler``: per-document measures run on a distributed.LocalCluster with two
    worker processes (the scheduler counts the work it did); every table equals the local run's."""
    import logging

    from distributed import LocalCluster

    out, _ = seed_report
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster:
        manifest = report.run(out=tmp_path / "dask", notebooks=["20"], progress=False, cache=False,
                              scheduler=cluster.scheduler_address)
        transitions = cluster.scheduler.transition_counter
    assert manifest["failed"] == [] and manifest["compute"]["scheduler"]
    assert transitions > 0, "no work reached the Dask cluster"
    tables = sorted((tmp_path / "dask" / "20-sentiment").rglob("*.csv"))
    assert tables
    for t in tables:
        rel = t.relative_to(tmp_path / "dask")
        assert t.read_bytes() == (out / rel).read_bytes(), f"{rel} differs on Dask"


def test_the_runner_loads_on_every_core_and_gives_kernels_their_share(tmp_path, monkeypatch):
    """No kernel runs while the runner loads the corpus, so the load's per-document steps get all
    cores (or the user's COVERAGE_LAB_WORKERS); the kernels then get cores // jobs each."""
    seen = {}

    def fake_load(path, workers=None, **kw):
        seen["load_workers"] = workers
        raise RuntimeError("stop after the load")

    monkeypatch.setattr(report_run, "load_apart", fake_load)
    monkeypatch.delenv("COVERAGE_LAB_WORKERS", raising=False)
    monkeypatch.setattr(report_run.os, "cpu_count", lambda: 4)
    with pytest.raises(RuntimeError, match="stop after the load"):
        report.run(out=tmp_path / "out", progress=False, jobs=2)
    assert seen["load_workers"] == 4
    monkeypatch.setenv("COVERAGE_LAB_WORKERS", "3")
    with pytest.raises(RuntimeError, match="stop after the load"):
        report.run(out=tmp_path / "out", progress=False, jobs=2)
    assert seen["load_workers"] == 3
    with report_run._compute_settings(2, True, None, None):
        assert os.environ["COVERAGE_LAB_WORKERS"] == "3"  # the user's setting is kept for kernels
        assert "COVERAGE_LAB_RUNNING" not in os.environ  # a fixed number: no sharing
    monkeypatch.delenv("COVERAGE_LAB_WORKERS")
    with report_run._compute_settings(2, True, None, None):
        assert "COVERAGE_LAB_WORKERS" not in os.environ
        share = os.environ["COVERAGE_LAB_RUNNING"]
        assert configured_workers() == 4  # nothing recorded yet (as before any notebook starts)
        set_running_kernels(2)
        assert configured_workers() == 2  # 4 cores, 2 kernels
        set_running_kernels(1)
        assert configured_workers() == 4  # the last one running takes every core
        assert configured_workers(3) == 3  # an explicit number always wins
    assert "COVERAGE_LAB_RUNNING" not in os.environ and not os.path.exists(share)
    assert configured_workers() == 4


def test_kernels_start_longest_first_and_the_shortest_last(tmp_path):
    books = [tmp_path / f"{n}.ipynb" for n in ("00-corpus", "10-framing", "20-sentiment", "30-topics", "40-mine")]
    assert [b.stem for b in report_run.run_order(books)] == [
        "10-framing", "30-topics", "20-sentiment", "00-corpus", "40-mine"]


def test_running_count_follows_the_runner(tmp_path, monkeypatch):
    """The count each kernel reads: jobs while the queue lasts, then what is left; unreadable: 1."""
    path = tmp_path / "running"
    monkeypatch.setenv("COVERAGE_LAB_RUNNING", str(path))
    assert running_kernels() == 1  # no file yet
    seen = []

    def fake_run(nb, data_path, out_path, timeout=0, extra=None, ready=None):
        seen.append((nb.stem, running_kernels()))
        return report_run.NotebookResult(name=nb.stem, status="ok", seconds=0.0, html=f"{nb.stem}.html",
                                         description="")

    monkeypatch.setattr(report_run, "run_notebook", fake_run)
    books = [tmp_path / f"{n}.ipynb" for n in ("a", "b", "c")]
    report_run._execute_all(books, tmp_path, tmp_path, 10, 1, lambda r: None)
    assert seen == [("a", 1), ("b", 1), ("c", 1)]
    path.write_text("two")
    assert running_kernels() == 1

    class ThreadPool(ThreadPoolExecutor):  # the pool path, without spawning processes
        def __init__(self, max_workers, mp_context=None):
            super().__init__(max_workers)

    calls = []
    monkeypatch.setattr(report_run, "ProcessPoolExecutor", ThreadPool)
    monkeypatch.setattr(report_run, "set_running_kernels", calls.append)
    report_run._execute_all(books, tmp_path, tmp_path, 10, 2, lambda r: None)
    assert calls == [2, 2, 1]  # two start; the third takes the first's place; then one is left
