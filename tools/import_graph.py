"""The `lms` package as data: its modules parsed once, and the graph of what each imports when
it is imported (module level only), with its cycles. Used by check_structure.py.
"""
from __future__ import annotations

import ast
import functools
import itertools
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


# --- reading the package -------------------------------------------------------------------


@dataclass(frozen=True)
class SourceModule:
    name: str
    path: Path
    display: str  # path relative to the project root, for messages
    is_package: bool
    text: str
    tree: ast.Module | None  # None when the file does not parse
    error: str = ""


def load_package(root: Path, package: str) -> dict[str, SourceModule]:
    """Every `<package>/**/*.py` under `root`, by dotted module name.

    Parsed once per state of the files (keyed on their paths, sizes and modification times), so
    the checks can each ask for the package without parsing it again, yet see any edit.
    """
    base = Path(root) / package
    if not base.is_dir():
        raise FileNotFoundError(f"no package directory {base}")
    paths = sorted(p for p in base.rglob("*.py") if "__pycache__" not in p.parts)
    fingerprint = tuple((p, p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    return dict(_parse_all(Path(root), fingerprint))


@functools.lru_cache(maxsize=8)
def _parse_all(root: Path, fingerprint: tuple[tuple[Path, int, int], ...]) -> tuple[tuple[str, SourceModule], ...]:
    modules = (_read_module(root, path) for path, _, _ in fingerprint)
    return tuple((module.name, module) for module in modules)


def _read_module(root: Path, path: Path) -> SourceModule:
    relative = path.relative_to(root)
    parts = list(relative.with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    text = path.read_text(encoding="utf-8")
    try:
        tree, error = ast.parse(text, filename=str(path)), ""
    except SyntaxError as exc:
        tree, error = None, f"{exc.msg} (line {exc.lineno})"
    return SourceModule(".".join(parts), path, relative.as_posix(), is_package, text, tree, error)


def find_unparsable(root: Path, package: str) -> list[str]:
    """Files the other checks cannot read; counted as violations so nothing passes by omission."""
    return [f"{m.display}: {m.error}" for m in load_package(root, package).values() if m.tree is None]


# --- rule 1: the module-level import graph and its cycles ------------------------------------


@dataclass(frozen=True)
class EdgeInfo:
    line: int
    via: str  # the module the import statement names; differs from the target for package edges


@dataclass
class ImportGraph:
    edges: dict[str, dict[str, EdgeInfo]]  # importer -> imported package module -> where
    explicit: dict[str, set[str]]  # importer -> package modules its import statements name
    external: dict[str, set[str]]  # importer -> other modules it imports (dotted names)
    modules: dict[str, SourceModule]

    def successors(self, name: str) -> Iterable[str]:
        return self.edges.get(name, {}).keys()


def executed_statements(statements: Iterable[ast.stmt]) -> Iterator[ast.AST]:
    """Statements that run when the module is imported.

    Descends into `if`/`try`/`with`/loops/`match` and class bodies (all run at import time),
    never into function bodies, and skips the body of `if TYPE_CHECKING:` (never runs).
    """
    for node in statements:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from executed_statements(node.orelse)
            continue
        for field in _BLOCK_FIELDS:
            yield from executed_statements(getattr(node, field, ()))


def _is_type_checking(test: ast.expr) -> bool:
    name = test.attr if isinstance(test, ast.Attribute) else getattr(test, "id", None)
    return name == "TYPE_CHECKING"


def in_package(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def nearest_known(name: str, known: dict[str, SourceModule]) -> str | None:
    """`name` itself, or its closest enclosing package that exists (for `import lms.a.Name`-like slips)."""
    while name not in known and "." in name:
        name = name.rsplit(".", 1)[0]
    return name if name in known else None


def from_base(node: ast.ImportFrom, module: SourceModule) -> str | None:
    """The absolute module a `from ... import` reads from, resolving relative levels."""
    if node.level == 0:
        return node.module
    package_parts = module.name.split(".") if module.is_package else module.name.split(".")[:-1]
    keep = len(package_parts) - (node.level - 1)
    if keep <= 0:
        return None
    base = ".".join(package_parts[:keep])
    return f"{base}.{node.module}" if node.module else base


def import_targets(node: ast.Import | ast.ImportFrom, module: SourceModule, known: dict[str, SourceModule],
                   package: str) -> tuple[list[str], list[str]]:
    """(package modules named by one import statement, other modules it imports)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
        inside = [n for n in names if in_package(n, package)]
        return [t for t in (nearest_known(n, known) for n in inside) if t], [n for n in names if n not in inside]
    base = from_base(node, module)
    if base is None or not in_package(base, package):
        return [], [base] if base else []
    targets = []
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        targets.append(submodule if submodule in known else nearest_known(base, known))
    return [t for t in targets if t], []


def ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]


def _implied_packages(target: str, importer: str) -> list[str]:
    """Packages that importing `target` also executes (their `__init__.py`).

    An importer's own enclosing packages are left out: Python has already started them
    before the importer's first line runs, so they cannot be reached "again" through it.
    (Without this, every `models/__init__.py` that re-exports its submodules would look
    like a cycle with each submodule that imports a sibling.)
    """
    own = {importer, *ancestors(importer)}
    return [p for p in ancestors(target) if p not in own]


def build_import_graph(root: Path, package: str) -> ImportGraph:
    """The module-level import graph of `package`, with package `__init__` edges implied."""
    modules = load_package(root, package)
    graph = ImportGraph({}, {}, {}, modules)
    for name, module in modules.items():
        edges, explicit, external = graph.edges.setdefault(name, {}), set(), set()
        for node in executed_statements(module.tree.body if module.tree else ()):
            if isinstance(node, ast.Import | ast.ImportFrom):
                targets, others = import_targets(node, module, modules, package)
                external.update(others)
                for target in targets:
                    explicit.add(target)
                    edges.setdefault(target, EdgeInfo(node.lineno, target))
                    for implied in _implied_packages(target, name):
                        edges.setdefault(implied, EdgeInfo(node.lineno, target))
        graph.explicit[name], graph.external[name] = explicit, external
    return graph


def strongly_connected_components(successors: dict[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (no recursion limit), nodes visited in sorted order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = itertools.count()

    def visit(node: str) -> Iterator[str]:
        index[node] = low[node] = next(counter)
        stack.append(node)
        on_stack.add(node)
        return iter(sorted(successors.get(node, ())))

    for start in sorted(successors):
        if start in index:
            continue
        work = [(start, visit(start))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    work.append((child, visit(child)))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    components.append(_pop_component(stack, on_stack, node))
    return components


def _pop_component(stack: list[str], on_stack: set[str], root: str) -> list[str]:
    component = []
    while True:
        member = stack.pop()
        on_stack.discard(member)
        component.append(member)
        if member == root:
            return sorted(component)


@dataclass(frozen=True)
class ImportCycle:
    members: tuple[str, ...]  # the whole strongly connected component
    path: tuple[str, ...]  # one concrete cycle through it, first module repeated at the end
    graph: ImportGraph

    def describe(self) -> str:
        lines = [f"{len(self.members)} module(s): {', '.join(self.members)}", "  for example:"]
        for source, target in itertools.pairwise(self.path):
            info = self.graph.edges[source][target]
            how = "" if info.via == target else f"  (imports {info.via}, which runs {target}/__init__)"
            lines.append(f"    {self.graph.modules[source].display}:{info.line}  {source} -> {target}{how}")
        return "\n".join(lines)


def shortest_cycle(graph: ImportGraph, members: Sequence[str]) -> tuple[str, ...]:
    """A shortest cycle through the first member, staying inside the component (BFS)."""
    start, inside = members[0], set(members)
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(graph.successors(node)):
            if child == start:
                return (*_walk_back(previous, node, start), start)
            if child in inside and child not in previous:
                previous[child] = node
                queue.append(child)
    raise AssertionError(f"no cycle through {start}")  # unreachable for a real component


def _walk_back(previous: dict[str, str], node: str, start: str) -> tuple[str, ...]:
    path = [node]
    while path[-1] != start:
        path.append(previous[path[-1]])
    return tuple(reversed(path))


def find_import_cycles(root: Path, package: str) -> list[ImportCycle]:
    """Components of more than one module, or a module importing itself, at module level."""
    graph = build_import_graph(root, package)
    cycles = []
    for members in strongly_connected_components({n: list(graph.successors(n)) for n in graph.edges}):
        if len(members) > 1 or members[0] in graph.edges[members[0]]:
            cycles.append(ImportCycle(tuple(members), shortest_cycle(graph, members), graph))
    return cycles
