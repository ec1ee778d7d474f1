"""The core must stay usable without Discord: by the CLI, CI checks and benchmarks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import bot

# A fresh interpreter: the test session itself may already have imported discord.
IMPORT_ALL = """
import importlib, pkgutil, sys
import bot.core
names = [m.name for m in pkgutil.walk_packages(bot.core.__path__, "bot.core.")]
for name in names:
    importlib.import_module(name)
print(len(names))
assert "discord" not in sys.modules, "a bot.core module imports discord"
"""


def test_core_modules_do_not_import_discord() -> None:
    core = Path(bot.__file__).parent / "core"
    core_modules = [path for path in core.rglob("*.py") if path != core / "__init__.py"]

    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL],
        cwd=core.parent.parent,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == len(core_modules)
