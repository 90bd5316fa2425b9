"""The layering of docs/layout.md, read from the code's own imports (ast; nothing is imported):
entry points (inquirybot/) -> handlers/ -> bot/ -> storage/, never back; no import cycle between
modules; Slack's SDK and SQLAlchemy only where the layout allows them.

Every import counts for the direction, including those inside functions and under TYPE_CHECKING.
For cycles, every import that runs counts, late ones inside functions too (a cycle closed by a late
import is still a cycle); an annotation-only import under TYPE_CHECKING never runs, so it closes none."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("inquirybot", "handlers", "bot", "storage")  # top to bottom: a layer imports only those below
FORBIDDEN = {  # third-party packages a layer must not import (docs/layout.md)
    "bot": ("slack_bolt", "slack_sdk", "sqlalchemy", "alembic"),
    "handlers": ("sqlalchemy", "alembic"),
}


def _modules() -> dict[str, Path]:
    found = {}
    for layer in LAYERS:
        for path in (ROOT / layer).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the import statements inside `if TYPE_CHECKING:` blocks."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            found |= {id(inner) for stmt in node.body for inner in ast.walk(stmt)}
    return found


def _imported_names(module: str, path: Path, *, running: bool = False) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every import in the file (running: leave out TYPE_CHECKING blocks);
    `from a import b` names a.b when that is a module of ours, else a; relative imports are made
    absolute."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = _type_checking_only(tree) if running else set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield node.lineno, full if full in MODULES else base


def _ours(name: str) -> str | None:
    """The module of ours a dotted name lands in (its longest known prefix), or None."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _graph(*, running: bool = False, packages: bool = True) -> dict[str, set[str]]:
    """module -> the modules of ours it imports (running: only imports that run). Importing a.b.c
    runs a/__init__ and a/b/__init__ first, so with `packages` those count too (unless the importer
    is inside that package: it is loaded already)."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, path in MODULES.items():
        for _, name in _imported_names(module, path, running=running):
            target = _ours(name)
            if target is None or target == module:
                continue
            graph[module].add(target)
            parts = target.split(".")
            for n in range(1, len(parts)) if packages else ():
                package = ".".join(parts[:n])
                if package in MODULES and not (module == package or module.startswith(package + ".")):
                    graph[module].add(package)
    return graph


GRAPH = _graph()
RUNNING = _graph(running=True)


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_walker_sees_the_imports_it_judges():
    # Guards the test itself: a walker that found nothing would pass every rule below.
    assert len(MODULES) > 100
    assert "handlers.app" in GRAPH["inquirybot.bootstrap"]
    assert "storage.session" in GRAPH["bot.lifecycle.service"]
    assert "bot.lifecycle" in GRAPH["bot.scheduling.jobs"]  # the package's __init__ runs first
    assert "bot.lifecycle.views" in GRAPH["bot.rendering.card"]  # an annotation-only import ...
    assert "bot.lifecycle.views" not in RUNNING["bot.rendering.card"]  # ... that never runs
    assert sum(len(targets) for targets in GRAPH.values()) > 300


def test_imports_run_down_the_layers_only():
    upward = [
        f"{module} -> {target}"
        for module, targets in sorted(GRAPH.items())
        for target in sorted(targets)
        if _layer(target) < _layer(module)
    ]
    assert upward == [], "imports that run back up (docs/layout.md):\n" + "\n".join(upward)


def test_no_import_cycle_between_modules():
    assert _cycles(RUNNING) == []


def test_no_two_files_name_each_other_even_in_annotations():
    # What a reader sees file by file: not even an annotation-only import closes a loop of files
    # (a type both sides need lives in a module that imports neither, as bot/lifecycle/views.py does).
    assert _cycles(_graph(packages=False)) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_third_party_packages_stay_in_their_layer(layer: str):
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for module, path in sorted(MODULES.items())
        if module.split(".")[0] == layer
        for line, name in _imported_names(module, path)
        if name.split(".")[0] in FORBIDDEN[layer]
    ]
    assert found == []
