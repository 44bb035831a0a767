"""The packages import downward only: no cycles, and the infrastructure at the bottom imports none
of the features. Every import counts, also one inside a function."""

import ast
import graphlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "db",
    "auth",
    "memory",
    "personas",
    "crm",
    "tools",
    "prompts",
    "agent",
    "evals",
    "bench",
    "server",
    "cli",
)
# What each package may import, besides itself: the layers below it.
ALLOWED = {
    "db": set(),
    "auth": {"db"},
    "memory": {"db", "auth"},
    "personas": {"db", "auth"},
    "crm": {"db", "auth", "memory"},
    "tools": {"db", "auth", "memory", "crm"},
    "prompts": {"personas"},
}


def _modules(package: str) -> list[Path]:
    single = ROOT / f"{package}.py"
    return [single] if single.exists() else sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """The project packages `path` imports (absolute imports; relative ones stay inside)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found |= {name.split(".")[0] for name in names} & set(PACKAGES)
    return found


def package_graph() -> dict[str, set[str]]:
    return {
        package: set().union(*(_imports(p) for p in _modules(package))) - {package}
        for package in PACKAGES
    }


def test_every_package_is_found() -> None:
    assert all(_modules(package) for package in PACKAGES)


def test_the_packages_import_each_other_without_a_cycle() -> None:
    graph = package_graph()
    order = list(graphlib.TopologicalSorter(graph).static_order())  # CycleError on a cycle
    assert order.index("db") < order.index("crm") < order.index("agent") < order.index("server")


def test_the_lower_layers_import_only_what_is_below_them() -> None:
    graph = package_graph()
    wrong = {
        package: sorted(graph[package] - allowed)
        for package, allowed in ALLOWED.items()
        if graph[package] - allowed
    }
    assert wrong == {}


def test_the_graph_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from agent.service import DraftService\n")
    assert _imports(module) == {"agent"}
