"""A database password, in `user:password@` or in `?password=`, is never shown: not in the
start-up log, not in the report's errors, not in a settings error."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings
from bot.store.service import StoreService
from bot.store.url import describe
from tests.store.pg_cluster import free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "FAKE-TEST-PASSWORD"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://u:pw@h/d", "postgresql://u:***@h/d"),
        ("postgresql://u@h/d?password=pw", "postgresql://u@h/d?password=***"),
        (
            "postgres://h/d?sslmode=require&PassWord=pw",
            "postgres://h/d?sslmode=require&PassWord=***",
        ),
        (
            "postgresql://h/d?pass%77ord=pw&sslpassword=pw",
            "postgresql://h/d?pass%77ord=***&sslpassword=***",
        ),
        ("postgresql://u:p@ss@h/d?options=a@b", "postgresql://u:***@h/d?options=a@b"),
        ("postgresql:u:pw@h/d", "postgresql:***@h/d"),
        ("sqlite:////var/lib/fwerror.db", "sqlite:////var/lib/fwerror.db"),
    ],
)
def test_one_function_shows_a_url_with_its_password_masked(url: str, shown: str) -> None:
    assert describe(url) == shown


def with_password(url: str, form: str) -> str:
    """`url` (postgresql://user@host:port/db) with a password in the given form."""
    if form == "query":
        return f"{url}?password={PASSWORD}"
    return url.replace("@", f":{PASSWORD}@", 1)


@pytest.mark.asyncio
@pytest.mark.parametrize("form", ["query", "userinfo"])
async def test_the_password_is_never_logged_at_start(
    postgres_url: str, form: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    unreachable = f"postgresql://fwerror@127.0.0.1:{free_port()}/fwerror"
    for url in (with_password(postgres_url, form), with_password(unreachable, form)):
        service = StoreService(url)
        await service.start()  # the test server trusts loopback: any password is accepted
        await service.close()
    said = "\n".join(r.getMessage() for r in caplog.records)
    assert "store: using postgresql://" in said and "can't open postgresql://" in said
    assert PASSWORD not in said


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://fwerror@127.0.0.1:{free_port()}/x?password={PASSWORD}",
        f"postgresql://fwerror:{PASSWORD}@127.0.0.1:{free_port()}/x",
        f"postgresql://fwerror:{PASSWORD}@db:port/x",  # SQLAlchemy's own error quotes the URL
        f"password={PASSWORD} host=db",  # libpq's key=value form isn't a URL
    ],
)
def test_report_errors_never_print_the_password(url: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "report", "--database", url],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("fwerror: ") and "Traceback" not in done.stderr
    assert PASSWORD not in done.stdout + done.stderr


@pytest.mark.parametrize(
    "url", [f"postgresql://u:{PASSWORD}@db:port/x", f"password={PASSWORD} host=db"]
)
def test_a_settings_error_never_quotes_the_password(url: str) -> None:
    with pytest.raises(SettingsError, match="FWERROR_DATABASE_URL") as raised:
        load_settings({"FWERROR_DATABASE_URL": url}, dotenv=None)
    assert PASSWORD not in str(raised.value)
