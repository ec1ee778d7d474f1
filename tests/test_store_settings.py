"""FWERROR_DATABASE_URL (or Heroku's DATABASE_URL) and FWERROR_RETENTION_DAYS."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings
from bot.store.url import describe, engine_url

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("env", "url"),
    [
        ({}, "sqlite:///fwerror.db"),
        ({"DATABASE_URL": "postgres://u:p@db:5432/x"}, "postgres://u:p@db:5432/x"),
        (
            {"DATABASE_URL": "postgres://u@h/x", "FWERROR_DATABASE_URL": "sqlite:////data/f.db"},
            "sqlite:////data/f.db",
        ),
        ({"FWERROR_DATABASE_URL": "none"}, None),
    ],
)
def test_database_url_and_its_fallback(env: dict[str, str], url: str | None) -> None:
    assert load_settings(env, dotenv=None).database_url == url


def test_heroku_and_plain_urls_map_to_the_async_drivers() -> None:
    assert engine_url("postgres://u:p@h:5432/d") == "postgresql+asyncpg://u:p@h:5432/d"
    assert engine_url("postgresql://u@h/d") == "postgresql+asyncpg://u@h/d"
    assert engine_url("sqlite:///fwerror.db") == "sqlite+aiosqlite:///fwerror.db"
    assert describe("postgres://u:secret@h/d") == "postgres://u:***@h/d"


def test_retention_days() -> None:
    assert load_settings({}, dotenv=None).retention_days == 90
    assert load_settings({"FWERROR_RETENTION_DAYS": "30"}, dotenv=None).retention_days == 30


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FWERROR_DATABASE_URL", "mysql://u@h/d"),
        ("DATABASE_URL", "sqlite://relative.db"),
        ("FWERROR_RETENTION_DAYS", "ninety"),
        ("FWERROR_RETENTION_DAYS", "0"),
    ],
)
def test_a_bad_value_exits_2_from_the_real_entry_point_naming_it(
    tmp_path: Path, name: str, value: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.endswith("DATABASE_URL")}
    env.update({"DISCORD_TOKEN": "x", name: value, "PYTHONPATH": str(ROOT)})
    done = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert name in done.stderr
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value}, dotenv=None)


@pytest.mark.parametrize("name", ["FWERROR_DATABASE_URL", "FWERROR_RETENTION_DAYS"])
def test_the_store_settings_are_documented(name: str) -> None:
    assert f"\n{name}=" in (ROOT / ".env.example").read_text(encoding="utf-8")
    assert f"| `{name}` |" in (ROOT / "README.md").read_text(encoding="utf-8")
