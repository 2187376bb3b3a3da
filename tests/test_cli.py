import json
import subprocess
import sys

import pandas as pd

from helpers import config
from helpers.__main__ import main


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


def test_collect_is_wired_to_its_command_module(tmp_path):
    """``python -m helpers collect`` parses with helpers.cli.collect (its options, its exit codes);
    the collecting itself is tested against a local server in tests/test_collect.py."""
    res = subprocess.run([sys.executable, "-m", "helpers", "collect", "--help"], capture_output=True, text=True,
                         cwd=config.PROJECT_ROOT)
    assert res.returncode == 0
    for option in ("--from-file", "--feed", "--gdelt", "--timespan", "--mediacloud", "--fill", "--out", "--rate",
                   "--retries"):
        assert option in res.stdout, option
    res = subprocess.run([sys.executable, "-m", "helpers", "collect", "ftp://example.org/x", "--out",
                          str(tmp_path)], capture_output=True, text=True, cwd=config.PROJECT_ROOT)
    assert res.returncode == 1 and "not an http(s) address" in res.stdout  # no request is made for it
    manifest = pd.read_csv(tmp_path / ".collect-manifest.csv")
    assert manifest[["url", "status"]].to_dict("records") == [{"url": "ftp://example.org/x", "status": "failed"}]
    assert json.dumps(manifest["url"].tolist())


def test_report_keeps_kernel_transport_warnings_off_the_terminal(tmp_path):
    """Kernels get CurveZMQ keys, so no "running over TCP without encryption" reaches the user."""
    res = subprocess.run([sys.executable, "-m", "helpers", "report", "--only", "00", "--out", str(tmp_path / "o")],
                         capture_output=True, text=True, cwd=config.PROJECT_ROOT, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "00-corpus: ok" in res.stderr + res.stdout
    assert "without encryption" not in res.stderr + res.stdout
