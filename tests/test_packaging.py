"""Installs that hold: every runtime import is declared; CI tests the lowest allowed versions."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
OLDEST = ROOT / "constraints" / "oldest.txt"
_LOWER_BOUND = re.compile(
    r"^([A-Za-z0-9._-]+)(?:\[[A-Za-z0-9,_-]+\])?\s*(?:>=|==)\s*([0-9][^,;\s]*)"  # name[extra]>=1.0
)


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lower_bounds(requirements: list[str]) -> dict[str, str]:
    """{distribution: lowest version} of requirements written `name>=X` or `name==X`."""
    bounds = {}
    for requirement in requirements:
        found = _LOWER_BOUND.match(requirement)
        assert found, f"{requirement!r} has no lower bound"
        bounds[normalized(found[1])] = found[2]
    return bounds


NOT_INSTALLED_OWNERS = {"PIL": "pillow"}


def imported_distributions() -> set[str]:
    """The distributions whose modules `bot/` imports (the standard library left out)."""
    modules = set()
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    third_party = modules - set(sys.stdlib_module_names) - {"bot", "__future__"}
    owners = importlib.metadata.packages_distributions()
    # An extra that isn't installed here (ocr without `.[ocr]`) has no owner to look up: its
    # module is named as its distribution, but for these.
    absent = {module: [NOT_INSTALLED_OWNERS.get(module, module)] for module in third_party}
    return {normalized((owners.get(module) or absent[module])[0]) for module in third_party}


def test_every_runtime_import_is_a_declared_dependency() -> None:
    # An optional feature's import (asyncpg for PostgreSQL) may come from its extra instead.
    extras = PROJECT["optional-dependencies"]
    optional = [req for name, reqs in extras.items() if name != "test" for req in reqs]
    declared = set(lower_bounds(PROJECT["dependencies"] + optional))
    assert imported_distributions() <= declared


def test_every_dependency_and_test_tool_has_a_lower_bound_pinned_in_oldest_txt() -> None:
    pinned = dict(
        line.split("==")
        for line in OLDEST.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    wanted = lower_bounds(PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"])
    assert {normalized(name): version for name, version in pinned.items()} == wanted


def test_lint_is_pinned_so_a_new_rule_cant_fail_an_unrelated_change() -> None:
    assert any(
        re.fullmatch(r"ruff==[0-9.]+", tool) for tool in PROJECT["optional-dependencies"]["test"]
    )
