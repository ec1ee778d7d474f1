"""Every button and menu the bot posts has the per-user rate (issue 16): each component class
checks `allow_press` before its callback does any work. The list's buttons and the incident
card's buttons were added without it once; a new component can't be."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import discord

import bot


def _components() -> list[type]:
    for module in pkgutil.walk_packages(bot.__path__, "bot."):
        if module.name != "bot.__main__":  # importing it would start the CLI
            importlib.import_module(module.name)
    found, queue = [], [discord.ui.DynamicItem]
    while queue:
        for sub in queue.pop().__subclasses__():
            queue.append(sub)
            if sub.__module__.startswith("bot."):
                found.append(sub)
    return found


def test_every_component_checks_the_button_rate_first() -> None:
    components = _components()
    assert len(components) >= 7  # votes, More, human, queue, incident, page, picker
    missing = [
        cls.__qualname__
        for cls in components
        if "allow_press" not in inspect.getsource(cls.interaction_check)
    ]
    assert not missing, missing
