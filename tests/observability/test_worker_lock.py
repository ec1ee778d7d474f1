"""One worker per token: a second process with the same token logs an ERROR saying what to do."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.observability.worker_lock import held_elsewhere, lock_path, worker_lock

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "MTIz.fake-token-for-tests.abcdef"
HOLD = """
import sys
from pathlib import Path
from bot.observability.worker_lock import worker_lock
with worker_lock(sys.argv[1], Path(sys.argv[2])) as mine:
    print("held" if mine else "refused", flush=True)
    sys.stdin.read()
"""


def test_lock_file_is_named_by_a_hash_and_never_holds_the_token(tmp_path: Path) -> None:
    with worker_lock(TOKEN, tmp_path) as mine:
        path = lock_path(TOKEN, tmp_path)
        assert mine and path.parent == tmp_path
        assert TOKEN not in path.name and "fake-token" not in path.read_text()
        assert path.read_text().strip().isdigit()  # our pid, to name in the warning
    assert lock_path("another token", tmp_path) != path


def test_a_second_acquisition_warns_loudly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with worker_lock(TOKEN, tmp_path) as first, worker_lock(TOKEN, tmp_path) as second:
        assert first and not second
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR]
    message = error.getMessage()
    assert "same DISCORD_TOKEN" in message and "Stop one of them" in message
    assert TOKEN not in message
    with worker_lock(TOKEN, tmp_path) as again:  # released when the first one ended
        assert again


def test_other_tokens_do_not_collide(tmp_path: Path) -> None:
    with worker_lock(TOKEN, tmp_path) as one, worker_lock(TOKEN + "x", tmp_path) as two:
        assert one and two


def test_a_second_process_with_the_same_token_is_seen(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, TOKEN, str(tmp_path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert held_elsewhere(TOKEN, tmp_path)
        with worker_lock(TOKEN, tmp_path) as mine:
            assert not mine
        assert f"pid {holder.pid}" in caplog.text
    finally:
        holder.communicate("", timeout=30)
    assert not held_elsewhere(TOKEN, tmp_path)  # the lock went with the process


def test_an_unusable_lock_directory_only_warns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with worker_lock(TOKEN, tmp_path / "missing") as mine:
        assert not mine
    assert "Could not check for a second worker" in caplog.text
