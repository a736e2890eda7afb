"""No import cycle anywhere in the ``scorecard`` package, ``scorecard.checks`` (``checks/``)
included.

Every module's source is read with :mod:`ast` (nothing is imported) and each import of a
``scorecard`` module is an edge of the import graph: absolute ones (``import scorecard.x``,
``from scorecard.x import y``) and relative ones (``from . import y``, ``from ..x import y``),
at module level and inside functions alike: an import deferred into a function is still a
dependency, and a cycle through it is still a cycle. Two kinds of import are left out:

- imports under ``if TYPE_CHECKING:`` (they never run);
- the implicit import of a module's parent packages: ``import scorecard.a.b`` runs
  ``scorecard/a/__init__.py`` first, but a package that re-exports its modules' names is the
  usual shape, not a cycle. An explicit ``from scorecard.a import name``, where ``name`` is not
  a module, does count as an import of the package's ``__init__``; so inside a package, modules
  import their siblings, never the package itself.

``from scorecard.a import b`` counts as an import of the module ``scorecard.a.b`` when there is
one, else of ``scorecard.a``. A cycle is a strongly connected component of more than one module;
the test prints each one as a path that closes on itself.
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT_PACKAGE = "scorecard"

# Cycles known and not yet broken: each a frozenset of the modules of one strongly connected
# component. This list may only shrink (a test below fails on an entry that is no longer a
# cycle).
KNOWN_CYCLES: frozenset[frozenset[str]] = frozenset()


def _package_dirs() -> dict[str, Path]:
    """Each package of the project and its folder, found where Python finds them (the
    ``scorecard.checks`` package lives in ``checks/``)."""
    found: dict[str, Path] = {}
    for name in (ROOT_PACKAGE, f"{ROOT_PACKAGE}.checks"):
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.submodule_search_locations, name
        found[name] = Path(next(iter(spec.submodule_search_locations)))
    return found


def project_modules() -> dict[str, Path]:
    """Every module of the project by dotted name (a package by its ``__init__.py``)."""
    modules: dict[str, Path] = {}
    for package, folder in _package_dirs().items():
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join([package, *parts])] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except in the body of ``if TYPE_CHECKING:``."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _owner(name: str, modules: Mapping[str, Path]) -> str | None:
    """The project module that ``name`` is, or is in (``scorecard.x.func`` is in
    ``scorecard.x``); None outside the project."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str, modules: Mapping[str, Path]) -> set[str]:
    """The project modules that ``module`` imports (itself excluded)."""
    path = modules[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets: set[str] = set()
    for node in _imports(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            names = [f"{base}.{alias.name}" for alias in node.names]
            if not any(n in modules for n in names):
                names = [base]
        for name in names:
            owner = _owner(name, modules)
            if owner is not None and owner != module:
                targets.add(owner)
    return targets


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {m: imports_of(m, modules) for m in modules}


def strongly_connected(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, each sorted, iteratively (no recursion
    limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(sorted(component))
    return found


def cycle_path(component: list[str], graph: Mapping[str, set[str]]) -> str:
    """One cycle through the component's first module, as ``a -> b -> a`` (breadth-first, so
    the shortest)."""
    members = set(component)
    start = component[0]
    previous: dict[str, str] = {}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & members):
            if child == start:
                path = [start]
                while node != start:
                    path.append(node)
                    node = previous[node]
                return " -> ".join([start, *reversed(path[1:]), start])
            if child not in previous:
                previous[child] = node
                queue.append(child)
    raise AssertionError(f"no cycle through {start}")


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    return [c for c in strongly_connected(graph) if len(c) > 1]


# ---- the finder itself --------------------------------------------------------------------


def test_the_finder_sees_a_cycle_through_a_function_level_import():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycle_path(["a", "b", "c"], graph) == "a -> b -> c -> a"
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_finder_reads_every_kind_of_import(tmp_path):
    pkg = tmp_path / "scorecard" / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("from scorecard.pkg.one import f\n")
    (pkg / "one.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from scorecard.pkg import three\n"
        "def f():\n    from . import two\n    return two\n"
    )
    (pkg / "two.py").write_text("import scorecard.pkg.one\nfrom scorecard.pkg import VALUE\n")
    (pkg / "three.py").write_text("from ..pkg.one import f\n")
    modules = {
        "scorecard.pkg": pkg / "__init__.py",
        "scorecard.pkg.one": pkg / "one.py",
        "scorecard.pkg.two": pkg / "two.py",
        "scorecard.pkg.three": pkg / "three.py",
    }
    assert imports_of("scorecard.pkg", modules) == {"scorecard.pkg.one"}
    assert imports_of("scorecard.pkg.one", modules) == {"scorecard.pkg.two"}
    assert imports_of("scorecard.pkg.two", modules) == {"scorecard.pkg.one", "scorecard.pkg"}
    assert imports_of("scorecard.pkg.three", modules) == {"scorecard.pkg.one"}


def test_every_module_of_the_project_is_seen():
    modules = project_modules()
    assert "scorecard.cli" in modules and "scorecard.checks.readme_present" in modules
    assert "scorecard.action" in modules and "scorecard.report.command" in modules


# ---- the project --------------------------------------------------------------------------


def test_no_import_cycle():
    graph = import_graph()
    new = [c for c in cycles(graph) if frozenset(c) not in KNOWN_CYCLES]
    assert not new, "import cycles:\n" + "\n".join(
        f"  {cycle_path(c, graph)}   (all of: {', '.join(c)})" for c in new
    )


def test_the_known_cycles_are_still_cycles():
    """The allow-list only shrinks: a cycle that was broken leaves it."""
    found = {frozenset(c) for c in cycles(import_graph())}
    stale = [sorted(c) for c in KNOWN_CYCLES if c not in found]
    assert not stale, f"no longer cycles, remove them from KNOWN_CYCLES: {stale}"
