"""No import cycles in src/sitroom, between modules or between top-level packages.

The graph is built from the source's AST, not by importing it: every ``import`` and ``from
... import`` counts, at module level or inside a function (a deferred import still ties the
two modules together), except those under ``if TYPE_CHECKING:``, which never run. An import
of ``a.b.c`` is an edge to the module ``a.b.c`` (not to the packages ``a`` and ``a.b`` that
Python also runs first). Top-level packages are ``sitroom.read``, ``sitroom.events``,
``sitroom.cli`` ...: the first two parts of a module's name.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = "sitroom"

# No cycle between packages is allowed (the last one, read.selective -> events.protection,
# went when the protection cues moved to read.protection_cues).
KNOWN_PACKAGE_EDGES: dict[tuple[str, str], str] = {}

Graph = dict[str, dict[str, int]]  # module -> imported module -> line of the first import


def module_files(src: Path = SRC) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    found = {}
    for path in sorted((src / ROOT).rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements under ``node`` at any depth, ``if TYPE_CHECKING:`` bodies left out."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        elif isinstance(child, ast.If) and _type_checking(child.test):
            for other in child.orelse:
                yield from _imports(ast.Module(body=[other], type_ignores=[]))
        else:
            yield from _imports(child)


def import_graph(modules: dict[str, Path]) -> Graph:
    """Module -> the package's modules it imports."""

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: Graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: dict[str, int] = {}
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [known(alias.name) for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                # "from a import b": the module a.b where there is one, else a
                targets = [
                    known(f"{base}.{alias.name}") if f"{base}.{alias.name}" in modules else known(base)
                    for alias in node.names
                ]
            for target in targets:
                if target and target != name:
                    edges.setdefault(target, node.lineno)
        graph[name] = edges
    return graph


def package_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def package_graph(graph: Graph, allowed: dict[tuple[str, str], str]) -> dict[str, dict[str, str]]:
    """Top-level package -> imported package -> one module import that makes the edge."""
    packages: dict[str, dict[str, str]] = {}
    for module, edges in graph.items():
        here = package_of(module)
        for target in edges:
            there = package_of(target)
            if there != here and (module, there) not in allowed:
                packages.setdefault(here, {}).setdefault(there, f"{module} -> {target}")
    return packages


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (first node repeated at the end) of every strongly connected component
    with more than one node (Tarjan's algorithm, then a shortest way round)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    found = []
    for component in components:
        start = min(component)
        paths = {start: [start]}
        queue = [start]
        while queue:
            node = queue.pop(0)
            for nxt in sorted(edges.get(node, ())):
                if nxt == start:
                    found.append([*paths[node], start])
                    queue = []
                    break
                if nxt in component and nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    queue.append(nxt)
    return found


@pytest.fixture(scope="module")
def graph() -> Graph:
    return import_graph(module_files())


def described(found: list[list[str]], hop: Callable[[str, str], str]) -> str:
    """Each cycle on a line, then the import that makes each of its steps."""
    return "\n".join(
        " -> ".join(cycle) + "".join(f"\n    {hop(a, b)}" for a, b in itertools.pairwise(cycle))
        for cycle in found
    )


def test_no_cycle_between_modules(graph: Graph) -> None:
    found = cycles({m: set(e) for m, e in graph.items()})
    assert not found, "import cycles between modules:\n" + described(
        found, lambda a, b: f"{a} imports {b} (line {graph[a][b]})"
    )


def test_no_cycle_between_packages(graph: Graph) -> None:
    packages = package_graph(graph, KNOWN_PACKAGE_EDGES)
    found = cycles({p: set(e) for p, e in packages.items()})
    assert not found, "import cycles between top-level packages:\n" + described(
        found, lambda a, b: f"{a} -> {b}: {packages[a][b]}"
    )


def write_package(root: Path, files: dict[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        path = root / ROOT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return module_files(root)


def test_the_graph_counts_deferred_and_relative_imports_not_type_checking_ones(tmp_path: Path) -> None:
    modules = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "a/__init__.py": "",
            "a/x.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from sitroom.b import y\n",
            "a/z.py": "def f():\n    from . import x\n    from ..b.y import thing\n",
            "b/__init__.py": "",
            "b/y.py": "import sitroom.a.z\nthing = 1\n",
            "c.py": "from sitroom import b\n",
        },
    )
    graph = import_graph(modules)
    assert graph["sitroom.a.x"] == {}
    assert set(graph["sitroom.a.z"]) == {"sitroom.a.x", "sitroom.b.y"}
    assert set(graph["sitroom.c"]) == {"sitroom.b"}
    assert cycles({m: set(e) for m, e in graph.items()}) == [["sitroom.a.z", "sitroom.b.y", "sitroom.a.z"]]
    packages = package_graph(graph, {})
    assert cycles({p: set(e) for p, e in packages.items()}) == [["sitroom.a", "sitroom.b", "sitroom.a"]]
    assert (
        cycles({p: set(e) for p, e in package_graph(graph, {("sitroom.b.y", "sitroom.a"): "known"}).items()})
        == []
    )
