"""Shared fixtures: the seed corpus and the evaluation corpora (skipped when absent)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from helpers import config
from helpers.corpus import load_corpus

# Every cache (loaded corpora, per-document measures) goes to a fresh folder per test run,
# never into the checkout; notebook kernels started by tests inherit it. The process that made
# the folder deletes it when it exits (runs used to leave one behind in /tmp each time).
if "COVERAGE_LAB_CACHE" not in os.environ:
    os.environ["COVERAGE_LAB_CACHE"] = _TEST_CACHE = tempfile.mkdtemp(prefix="coverage-lab-cache-")
    atexit.register(shutil.rmtree, _TEST_CACHE, ignore_errors=True)

ROOT = config.PROJECT_ROOT
SEED_FILE = ROOT / "data" / "raw" / "dangerous-crossroads-japan-nato-china.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Analysis must never touch the network: any non-loopback connection fails the test.

    Loopback stays open because Jupyter kernels talk to papermill over localhost.
    """
    import socket

    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1", "")) \
                and self.family in (socket.AF_INET, socket.AF_INET6):
            raise RuntimeError(f"network access during tests: connect to {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED_FILE


@pytest.fixture(scope="session")
def seed_loaded():
    return load_corpus(config.DATA_RAW)


@pytest.fixture(scope="session")
def seed_corpus(seed_loaded):
    return seed_loaded.corpus


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    if not config.EVAL_DIR.is_dir():
        pytest.skip(f"evaluation data not available at {config.EVAL_DIR} (only on developer/CI machines)")
    return config.EVAL_DIR


def _eval_file(eval_dir: Path, *parts: str) -> Path:
    p = eval_dir.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} not available")
    return p


@pytest.fixture(scope="session")
def climate_path(eval_dir) -> Path:
    return _eval_file(eval_dir, "climate_frames", "articles_dev.tsv")


@pytest.fixture(scope="session")
def bbc_path(eval_dir) -> Path:
    return _eval_file(eval_dir, "bbc_news", "bbc_dev.csv")


@pytest.fixture(scope="session")
def climate_corpus(climate_path):
    return load_corpus(climate_path).corpus


@pytest.fixture(scope="session")
def bbc_corpus(bbc_path):
    return load_corpus(bbc_path).corpus


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    found = chromium_binary()
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("CI must check the rendered report in a browser, but no chromium is installed "
                    "(scripts/ensure-chromium installs it)")
    pytest.skip("no chromium installed: browser checks of the rendered report skipped (apt-get install chromium)")
