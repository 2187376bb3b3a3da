"""The report runner's own process stays light: the input's keys come from
``helpers.corpus.inputs`` (standard library and ``helpers.compute``), and the corpus package
imports its public names when first used, so the runner does not import the readers, nltk or
scikit-learn when the corpus loads in a process of its own (0.24 -> 0.12 GB at import)."""

from __future__ import annotations

import hashlib
import importlib
import subprocess
import sys

import helpers.corpus as corpus_pkg
from helpers.config import DATA_RAW
from helpers.corpus import inputs


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_runner_imports_no_readers_nltk_or_sklearn():
    loaded = _modules_after("import helpers.report.runner, helpers.report.manifest")
    assert {"helpers.corpus.inputs", "pandas"} <= loaded
    assert not {"nltk", "sklearn", "helpers.readers", "helpers.corpus.load", "helpers.text"} & loaded


def test_every_public_corpus_name_resolves_from_its_module():
    assert set(corpus_pkg._HOMES) == set(corpus_pkg.__all__)
    for name, home in corpus_pkg._HOMES.items():
        module = importlib.import_module(f"helpers.corpus.{home}")
        assert getattr(corpus_pkg, name) is getattr(module, name)
    assert set(corpus_pkg.__all__) <= set(dir(corpus_pkg))
    try:
        corpus_pkg.no_such_name  # noqa: B018
    except AttributeError as err:
        assert "no_such_name" in str(err)
    else:
        raise AssertionError("an unknown name must raise AttributeError")


def _reference_corpus_fingerprint(root):
    """The fingerprint as the manifest computed it before (helpers.corpus.files), verbatim."""
    h = hashlib.sha256()
    files = [root] if root.is_file() else sorted((p for p in root.rglob("*") if p.is_file()),
                                                 key=lambda p: p.relative_to(root).as_posix())
    for f in files:
        rel = f.name if root.is_file() else f.relative_to(root).as_posix()
        h.update(rel.encode() + b"\x00")
        with open(f, "rb") as fh:
            for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\x00")
    return h.hexdigest()


def test_keys_are_unchanged_by_the_move(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.txt").write_text("second")
    (tmp_path / "a.txt").write_text("first")
    for root in (DATA_RAW, tmp_path, tmp_path / "a.txt"):
        assert inputs.corpus_fingerprint(root) == _reference_corpus_fingerprint(root)
    assert [p.name for p in inputs.iter_files(tmp_path)] == ["a.txt", "x.txt"]
    # the load caches under the key the runner computes
    from helpers.corpus import load

    assert load.corpus_key is inputs.corpus_key and corpus_pkg.input_key is inputs.input_key
    assert inputs.input_key(tmp_path) != inputs.input_key(tmp_path / "a.txt")


def test_the_package_modules_resolve_as_attributes():
    code = ("import helpers.corpus as c\nassert c.provenance.canonical_outlets is c.canonical_outlets\n"
            "assert c.duplicates.flag_duplicates is c.flag_duplicates")
    subprocess.run([sys.executable, "-c", code], check=True)
