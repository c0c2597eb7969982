"""Prove four structural rules of the `lms` package ("Rules that keep it easy to change" in the architecture guide).

1. No import cycles between modules at module level.
2. Route modules never commit.
3. Pure cores (and every module they import from the package) load no database code.
4. No module over MAX_LINES lines.

Run `python tools/check_structure.py`; it prints a summary with a count per rule, the details
of each violation, and exits 1 if there is any. Every check takes the project root and the
package name, so the tests can run it on small synthetic packages and prove that it catches
what it claims to catch.
"""
from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from import_graph import (
    ImportGraph,
    SourceModule,
    ancestors,
    build_import_graph,
    find_import_cycles,
    find_unparsable,
    from_base,
    in_package,
    load_package,
    nearest_known,
)

PURE_CORES = (
    "lms.quizzes.gift",
    "lms.quizzes.moodle_xml",
    "lms.quizzes.types",
    "lms.quizzes.grading",
    "lms.quizzes.statistics",
    "lms.certificates.pdf",
    "lms.certificates.signing",
    "lms.reports.charts",
    "lms.reports.figures",
    "lms.roster.parse",
    "lms.courses.packs",
    "lms.courses.markdown",
    "lms.target_rules",
    "lms.quizzes.gift_writer",
    "lms.quizzes.moodle_xml_writer",
    "lms.courses.pack_writer",
    "lms.roster.template",
    "lms.auth.passwords",
    "lms.auth.guessable",
)
# A pure core must not cause any of these to be imported (module or any submodule of it).
FORBIDDEN = ("flask_sqlalchemy", "lms.extensions", "lms.models")
MAX_LINES = 400
PACKAGE = "lms"
PROJECT_ROOT = Path(__file__).resolve().parents[1]

ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "patch", "delete"})
_PROBE_TIMEOUT = 300
_PROBE_SCRIPT = Path(__file__).resolve().with_name("import_probe.py")


# --- rule 2: route modules never commit ------------------------------------------------------


def _is_route_decorator(decorator: ast.expr) -> bool:
    call = decorator.func if isinstance(decorator, ast.Call) else None
    return isinstance(call, ast.Attribute) and call.attr in ROUTE_DECORATORS


def _defines_routes(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        definition = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        if definition and any(_is_route_decorator(d) for d in node.decorator_list):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_url_rule":
            return True
    return False


def _bindings(module: SourceModule, package: str) -> dict[str, str]:
    """Local name -> dotted name it stands for, from every import in the file."""
    names = {}
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.name if alias.asname else alias.name.split(".")[0]  # `import a.b` binds `a`
                names[alias.asname or bound] = bound
        elif isinstance(node, ast.ImportFrom) and (base := from_base(node, module)):
            for alias in node.names:
                names[alias.asname or alias.name] = f"{base}.{alias.name}"
    return {local: dotted for local, dotted in names.items() if in_package(dotted, package)}


def _dotted(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute) and (owner := _dotted(expr.value)):
        return f"{owner}.{expr.attr}"
    return None


def _view_expressions(expr: ast.expr) -> Iterator[ast.expr]:
    """The function references inside a `view_func=` value: `views.f`, `View.as_view(...)`, `wrap(views.f)`."""
    if isinstance(expr, ast.Call):
        if isinstance(expr.func, ast.Attribute) and expr.func.attr == "as_view":
            yield from _view_expressions(expr.func.value)
        else:
            for arg in expr.args:
                yield from _view_expressions(arg)
    elif _dotted(expr):
        yield expr


def _view_providers(module: SourceModule, known: dict[str, SourceModule], package: str) -> set[str]:
    """Modules whose functions this module registers with `add_url_rule(..., view_func=...)`."""
    bindings = _bindings(module, package)
    providers = set()
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_url_rule":
            for keyword in node.keywords:
                for expr in _view_expressions(keyword.value) if keyword.arg == "view_func" else ():
                    head, _, rest = _dotted(expr).partition(".")
                    dotted = f"{bindings[head]}.{rest}".rstrip(".") if head in bindings else None
                    provider = nearest_known(dotted, known) if dotted else module.name
                    providers.update([provider] if provider else [])
    return providers


def find_route_modules(root: Path, package: str) -> dict[str, str]:
    """Route modules, each with why it counts as one.

    A module that declares routes (`@x.route`, `@x.get/post/...`, `x.add_url_rule`) is one; so
    is every module whose functions a blueprint registers through `view_func=`. Without the
    second kind a project that keeps its URL rules in `blueprint.py` would pass vacuously.
    """
    modules = load_package(root, package)
    routes: dict[str, str] = {}
    for name, module in modules.items():
        if module.tree is None:
            continue
        if _defines_routes(module.tree):
            routes.setdefault(name, "declares routes")
        for provider in sorted(_view_providers(module, modules, package)):
            routes.setdefault(provider, f"view functions registered in {module.display}")
    return routes


@dataclass(frozen=True, order=True)
class RouteCommit:
    path: str
    line: int
    call: str
    module: str
    reason: str

    def describe(self) -> str:
        return f"{self.path}:{self.line}: {self.call} in route module {self.module} ({self.reason})"


def find_route_commits(root: Path, package: str) -> list[RouteCommit]:
    """Every `<anything>.commit()` call in a route module."""
    modules = load_package(root, package)
    found = []
    for name, reason in find_route_modules(root, package).items():
        module = modules[name]
        for node in ast.walk(module.tree) if module.tree else ():
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "commit":
                found.append(RouteCommit(module.display, node.lineno, f"{ast.unparse(node.func)}()", name, reason))
    return sorted(found)


# --- rule 3: pure cores load no database code ------------------------------------------------


def _is_forbidden(name: str, forbidden: Sequence[str]) -> bool:
    return any(in_package(name, f) for f in forbidden)


def pure_core_closure(graph: ImportGraph, cores: Sequence[str], forbidden: Sequence[str]) -> list[str]:
    """The listed cores plus every package module they import, transitively, at module level.

    Follows the modules the import statements name (not the package `__init__`s they imply),
    so parts split out of a core are checked too; forbidden modules themselves are the thing
    looked for, not checked.
    """
    seen = [c for c in cores if c in graph.modules]
    queue = deque(seen)
    while queue:
        for target in sorted(graph.explicit.get(queue.popleft(), ())):
            if target not in seen and not _is_forbidden(target, forbidden):
                seen.append(target)
                queue.append(target)
    return seen


def import_chain(graph: ImportGraph, start: str, forbidden_name: str) -> tuple[str, ...] | None:
    """A shortest module-level chain from `start` to `forbidden_name` in the ast graph (BFS).

    Importing `start` first runs its enclosing packages' `__init__`s, so the search starts
    from them too (shown as the step `start -> its package`).
    """
    previous: dict[str, str | None] = {start: None} | dict.fromkeys(ancestors(start), start)
    queue = deque([start, *reversed(ancestors(start))])
    while queue:
        node = queue.popleft()
        if node == forbidden_name or any(in_package(e, forbidden_name) for e in graph.external.get(node, ())):
            chain = [forbidden_name] if node != forbidden_name else []
            while node is not None:
                chain.append(node)
                node = previous[node]
            return tuple(reversed(chain))
        for child in sorted(graph.successors(node)):
            if child not in previous:
                previous[child] = node
                queue.append(child)
    return None


def forbidden_loaded(root: Path, package: str, modules: Sequence[str],
                     forbidden: Sequence[str]) -> dict[str, dict]:
    """{module: {"loaded": [forbidden modules its import loads]} or {"error": why it failed}}.

    One fresh interpreter (isolated: no environment, no working directory on the path) runs
    tools/import_probe.py, which forks a child per module after importing only the package root.
    """
    command = [sys.executable, "-I", str(_PROBE_SCRIPT), str(root), package, json.dumps(list(forbidden)), *modules]
    try:
        result = subprocess.run(command, capture_output=True, text=True,  # noqa: S603 - our own probe script
                                timeout=_PROBE_TIMEOUT, check=False)
        lines = result.stdout.strip().splitlines()
        if result.returncode == 0 and lines:
            return json.loads(lines[-1])
        why = (result.stderr.strip().splitlines() or ["no output"])[-1]
    except (subprocess.TimeoutExpired, ValueError) as exc:
        why = str(exc)
    return {module: {"error": f"probe failed: {why}"} for module in modules}


@dataclass(frozen=True)
class Impurity:
    module: str
    loaded: tuple[str, ...] = ()
    chains: tuple[tuple[str, ...], ...] = ()
    error: str = ""

    def describe(self) -> str:
        if self.error:
            return f"{self.module}: {self.error}"
        lines = [f"{self.module} loads {', '.join(self.loaded)}"]
        lines += [f"    via {' -> '.join(chain)}" for chain in self.chains]
        return "\n".join(lines)


def _impurity(graph: ImportGraph, module: str, outcome: dict) -> Impurity | None:
    if "error" in outcome:
        return Impurity(module, error=outcome["error"])
    hits = tuple(outcome["loaded"])
    if not hits:
        return None
    chains = [c for c in (import_chain(graph, module, f) for f in hits) if c]
    return Impurity(module, hits, tuple(c for c in chains if not _leads_on(c, chains)))


def _leads_on(chain: tuple[str, ...], chains: list[tuple[str, ...]]) -> bool:
    """Whether another chain continues this one (module -> lms.extensions -> flask_sqlalchemy)."""
    return any(len(other) > len(chain) and other[: len(chain)] == chain for other in chains)


def find_impure_modules(root: Path, package: str, cores: Sequence[str] = PURE_CORES,
                        forbidden: Sequence[str] = FORBIDDEN) -> tuple[list[Impurity], int]:
    """(impure or unimportable modules, how many were checked)."""
    graph = build_import_graph(root, package)
    missing = [Impurity(c, error="listed as a pure core but not found") for c in cores if c not in graph.modules]
    checked = pure_core_closure(graph, cores, forbidden)
    outcomes = forbidden_loaded(root, package, checked, forbidden) if checked else {}
    found = [_impurity(graph, module, outcomes.get(module, {"error": "not probed"})) for module in checked]
    return missing + [i for i in found if i], len(checked) + len(missing)


# --- rule 4: short modules ---------------------------------------------------------------------


def find_long_modules(root: Path, package: str, max_lines: int = MAX_LINES) -> list[tuple[str, int]]:
    """(path, line count) of each module over `max_lines`, longest first."""
    counts = [(m.display, len(m.text.splitlines())) for m in load_package(root, package).values()]
    return sorted(((path, n) for path, n in counts if n > max_lines), key=lambda item: (-item[1], item[0]))


# --- the report ----------------------------------------------------------------------------------


def run_checks(root: Path, package: str, cores: Sequence[str] = PURE_CORES, forbidden: Sequence[str] = FORBIDDEN,
               max_lines: int = MAX_LINES) -> tuple[list[str], list[str]]:
    """(summary lines, detail lines); any detail line means a violation."""
    modules = load_package(root, package)
    unparsable = find_unparsable(root, package)
    cycles = find_import_cycles(root, package)
    commits = find_route_commits(root, package)
    route_count = len(find_route_modules(root, package))
    impure, checked = find_impure_modules(root, package, cores, forbidden)
    long_modules = find_long_modules(root, package, max_lines)
    summary = [
        f"modules: {len(modules)}" + (f" ({len(unparsable)} unparsable)" if unparsable else ""),
        f"import cycles: {len(cycles)}",
        f"commits in route modules: {len(commits)} (in {route_count} route modules)",
        f"impure cores: {len(impure)} of {checked}",
        f"modules over {max_lines} lines: {len(long_modules)}",
    ]
    details = _section("unparsable modules", unparsable)
    details += _section("import cycles", [c.describe() for c in cycles])
    details += _section("commits in route modules", [c.describe() for c in commits])
    details += _section("impure cores", [i.describe() for i in impure])
    details += _section(f"modules over {max_lines} lines", [f"{path}: {n} lines" for path, n in long_modules])
    return summary, details


def _section(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    return ["", f"{title}:"] + [f"  {i}. {item}" for i, item in enumerate(items, 1)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help="project root (holds the package)")
    parser.add_argument("--package", default=PACKAGE)
    args = parser.parse_args(argv)
    if not load_package(args.root, args.package):
        print(f"no modules found in {args.root / args.package}", file=sys.stderr)
        return 1
    summary, details = run_checks(args.root.resolve(), args.package)
    print("\n".join(summary + details))
    return 1 if details else 0


if __name__ == "__main__":
    sys.exit(main())
