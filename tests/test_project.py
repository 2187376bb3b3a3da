"""Project hygiene: setup files agree, notebooks are paired and stripped, the seed is intact."""

from __future__ import annotations

import re
import tomllib

import nbformat
import pytest
import yaml

from helpers import config

ROOT = config.PROJECT_ROOT


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())
    deps = {_name(d) for d in py["project"]["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = set()
    for item in env["dependencies"]:
        if isinstance(item, dict):
            listed |= {_name(d) for d in item.get("pip", []) if not d.startswith("-e")}
        else:
            listed.add(_name(item))
    aliases = {"vadersentiment": "vadersentiment"}
    listed = {aliases.get(x, x) for x in listed}
    assert "python" in listed
    assert deps - listed == set(), f"in pyproject.toml but not environment.yml: {sorted(deps - listed)}"
    assert listed - deps - {"python", "pip"} == set(), f"only in environment.yml: {sorted(listed - deps)}"
    assert {"-e ."} <= {d for item in env["dependencies"] if isinstance(item, dict) for d in item.get("pip", [])}
    last = env["dependencies"][-1]
    assert isinstance(last, dict) and set(last) == {"pip"}, "environment.yml must end with the pip: [...] block"
    assert last["pip"][-1] == "-e .", "the pip block must end by installing the project itself (-e .)"
    assert "conda-forge" in env["channels"]


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_paired_stripped_and_parameterised(nb):
    py = nb.with_suffix(".py")
    assert py.is_file(), f"{nb.name} has no jupytext .py pair"
    book = nbformat.read(nb, as_version=4)
    for cell in book.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{nb.name} is committed with outputs"
    tagged = [c for c in book.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{nb.name} needs exactly one cell tagged 'parameters'"
    assert "data_path" in tagged[0].source and "out_dir" in tagged[0].source
    import jupytext

    paired = jupytext.read(py)
    strip = [c.source.strip() for c in paired.cells]
    assert strip == [c.source.strip() for c in book.cells], f"{nb.name} and {py.name} are out of sync (make sync)"


def test_seed_and_datasheet():
    raw = sorted(p.name for p in (ROOT / "data" / "raw").iterdir())
    assert "dangerous-crossroads-japan-nato-china.txt" in raw
    sheet = (ROOT / "data" / "README.md").read_text()
    import hashlib

    digest = hashlib.sha256((ROOT / "data" / "raw" / "dangerous-crossroads-japan-nato-china.txt").read_bytes()).hexdigest()
    assert digest in sheet, "data/README.md must record the seed's SHA-256 (the file is never edited)"


def test_network_guard_is_active():
    """conftest blocks every non-loopback connection, so any test that reached the network fails."""
    import socket

    with pytest.raises(RuntimeError, match="network access during tests"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
