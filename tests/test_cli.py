import json
import subprocess
import sys

import pandas as pd

from helpers import config
from helpers.__main__ import main
from helpers.collect import collect, filename_for


def test_unknown_kind_is_rejected(capsys):
    try:
        main(["validate", "nonsense", "x"])
    except SystemExit as err:
        assert err.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_report_on_missing_folder_fails_clearly(tmp_path):
    res = subprocess.run([sys.executable, "-m", "helpers", "report", "--data", str(tmp_path / "missing"),
                          "--out", str(tmp_path / "o")], capture_output=True, text=True, cwd=config.PROJECT_ROOT)
    assert res.returncode != 0 and "no such corpus folder or file" in res.stderr


def test_collect_saves_pages_and_logs_failures(tmp_path):
    pages = {"https://example.org/news/japan-nato.html": "<html><body><p>text</p></body></html>"}

    def fake_fetch(url):
        if "fail" in url:
            raise OSError("connection refused")
        return pages.get(url)

    table = collect(["https://example.org/news/japan-nato.html", "https://example.org/fail", "ftp://x/y",
                     "https://example.org/empty"], tmp_path, fetch=fake_fetch)
    assert table["status"].tolist() == ["saved", "failed", "failed", "failed"]
    assert "connection refused" in table["reason"].iloc[1] and "http" in table["reason"].iloc[2]
    saved = tmp_path / filename_for("https://example.org/news/japan-nato.html")
    assert saved.read_text() == pages["https://example.org/news/japan-nato.html"]
    log = pd.read_csv(tmp_path / ".collect-log.csv")
    assert len(log) == 4
    assert json.dumps(table["url"].tolist())


def test_report_keeps_kernel_transport_warnings_off_the_terminal(tmp_path):
    """Kernels get CurveZMQ keys, so no "running over TCP without encryption" reaches the user."""
    res = subprocess.run([sys.executable, "-m", "helpers", "report", "--only", "00", "--out", str(tmp_path / "o")],
                         capture_output=True, text=True, cwd=config.PROJECT_ROOT, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "00-corpus: ok" in res.stderr + res.stdout
    assert "without encryption" not in res.stderr + res.stdout
