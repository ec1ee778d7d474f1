"""No import circle anywhere in `bot/`: each module can be read after the ones it imports.

The graph counts every import grimp finds, including those inside functions and under
`TYPE_CHECKING`: an import moved into a function to dodge a circle still makes one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import grimp


def circles(imports: Mapping[str, Iterable[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in sorted(imports):
        if root in index:
            continue
        work = [(root, iter(sorted(imports.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(imports.get(child, ())))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == module:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def bot_imports() -> dict[str, set[str]]:
    graph = grimp.build_graph("bot", exclude_type_checking_imports=False, cache_dir=None)
    return {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}


def test_finds_a_circle_and_only_a_circle() -> None:
    # A control for the test below: a two-module circle, a three-module one, and a chain.
    imports = {"a": {"b"}, "b": {"a", "c"}, "c": {"d"}, "d": set(), "x": {"y"}, "y": {"z"}}
    imports["z"] = {"x"}
    assert sorted(map(sorted, circles(imports))) == [["a", "b"], ["x", "y", "z"]]


def test_the_graph_counts_imports_inside_functions_and_type_checking() -> None:
    imports = bot_imports()
    # bot.cli imports the screenshot scorer inside a function; bot.core.calibration imports
    # Mode only under TYPE_CHECKING.
    assert "bot.screenshots.score" in imports["bot.cli"]
    assert "bot.core.decision" in imports["bot.core.calibration"]


def test_no_import_circle_in_bot() -> None:
    assert [sorted(c) for c in circles(bot_imports())] == []
