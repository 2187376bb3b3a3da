"""The package's shape, checked from its source: arrows point down, rooms stay small.

The import graph is read from the source (every ``import`` and ``from ... import``, including
the ones inside functions: a lazy import is still an arrow). The implicit import of a parent
package when a submodule loads is not an arrow; an explicit ``from helpers.sentiment import x``
inside ``helpers.sentiment.targets`` is, and closes a cycle through the package's ``__init__``.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from helpers import config

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "helpers"
NOTEBOOKS = config.NOTEBOOKS_DIR

#: Shared pieces at the bottom: they import no area, no command, no report.
BOTTOM = ("helpers.config", "helpers.compute", "helpers.text", "helpers.splitter", "helpers.agreement", "helpers.keyness", "helpers.readers", "helpers.validation", "helpers.findings", "helpers.artifacts",
          "helpers.plots")
#: Commands and orchestration at the top: nothing below imports them.
TOP = ("helpers.cli", "helpers.report", "helpers.__main__")
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
LONG_MODULE_REASON = "Why this module is long:"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return _modules()[name].name == "__init__.py"


def _resolve(importer: str, level: int, module: str | None) -> str:
    if level == 0:
        return module or ""
    base = importer.split(".")
    if not _is_package(importer):
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _imports(name: str) -> set[str]:
    """Every module of ``helpers`` that module ``name`` imports, anywhere in its body."""
    tree = ast.parse(_modules()[name].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(name, node.level, node.module)
            # ``from pkg import sub`` imports the submodule; ``from pkg import func`` imports pkg.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in _modules() else base for a in node.names]
        for t in targets:
            while t and t not in _modules():  # ``import helpers.x.y`` where y is an attribute
                t = t.rpartition(".")[0]
            if t.startswith("helpers") and t != name:
                found.add(t)
    return found


@cache
def _graph() -> dict[str, frozenset[str]]:
    return {m: frozenset(_imports(m)) for m in _modules()}


def _cycles(graph: dict[str, frozenset[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == node:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return out


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_the_graph_reader_sees_lazy_and_relative_imports():
    graph = _graph()
    assert "helpers.cli" in graph["helpers.__main__"]
    assert "helpers.config" in graph["helpers.splitter"]
    assert "helpers.splitter" in graph["helpers.text"]
    # A made-up cycle is found: the checker can fail.
    assert _cycles({"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset()}) == [
        ["a", "b", "c"]]


def test_no_import_cycle():
    cycles = _cycles(_graph())
    assert not cycles, "import cycles (each line a set of modules that import each other):\n" + "\n".join(
        " ⇄ ".join(c) for c in cycles)


def test_shared_pieces_import_no_area_or_command():
    areas = tuple(sorted({".".join(m.split(".")[:2]) for m in _modules()} - set(BOTTOM) - set(TOP) - {"helpers"}))
    bad = [(m, t) for m, deps in _graph().items() if _under(m, BOTTOM)
           for t in deps if _under(t, areas + TOP)]
    assert not bad, f"shared modules reaching up into areas or commands: {bad}"


def test_measures_never_import_commands():
    bad = [(m, t) for m, deps in _graph().items() if not _under(m, TOP) for t in deps if _under(t, TOP)]
    assert not bad, f"measure modules importing command or report code: {bad}"


def test_main_only_dispatches():
    assert _graph()["helpers.__main__"] == {"helpers.cli"}
    assert len(_modules()["helpers.__main__"].read_text().splitlines()) < 15


def test_no_module_is_a_grab_bag():
    too_long = []
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        n = len(text.splitlines())
        doc = ast.get_docstring(ast.parse(text)) or ""
        if n > MAX_MODULE_LINES and LONG_MODULE_REASON not in doc:
            too_long.append(f"{name}: {n} lines")
    assert not too_long, (f"modules over {MAX_MODULE_LINES} lines without '{LONG_MODULE_REASON}' in their "
                          f"docstring: {too_long}")


def test_no_function_over_80_lines():
    long = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{name}.{node.name}: {n} lines")
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_every_subpackage_names_its_public_functions():
    for name in _modules():
        if not _is_package(name) or name == "helpers":
            continue
        module = __import__(name, fromlist=["__all__"])
        public = getattr(module, "__all__", None)
        assert public, f"{name}/__init__.py has no __all__ naming its public functions"
        assert not [p for p in public if p.startswith("_")], f"{name}.__all__ lists private names"
        missing = [p for p in public if not hasattr(module, p)]
        assert not missing, f"{name}.__all__ names what it does not define: {missing}"


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS.glob("[0-9][0-9]-*.py")), ids=lambda p: p.stem)
def test_notebooks_import_only_public_names(notebook):
    """Notebooks use a subpackage's ``__init__`` (or a figure module of ``helpers.plots``), no private name."""
    bad = []
    for node in ast.walk(ast.parse(notebook.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers"):
            mod = node.module
            depth_ok = mod.count(".") <= 1 or mod.startswith("helpers.plots")
            if not depth_ok:
                bad.append(f"from {mod} import … (a module inside a subpackage: import from the package)")
            bad += [f"from {mod} import {a.name}" for a in node.names if a.name.startswith("_")]
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if isinstance(node.value, ast.Name) and node.value.id not in ("self",):
                bad.append(f"{node.value.id}.{node.attr}")
    assert not bad, f"{notebook.name} reaches into private code: {sorted(set(bad))}"
