"""One worker per token, on one host: an exclusive lock file named after a hash of the token.

Two processes with the same token answer every message twice, and with no shared store
neither can know what the other answered. The second one to start can't take the lock, and
logs an ERROR saying what to do; it keeps running, as a deploy that overlaps briefly must.
The file holds the owner's pid, never the token; the lock goes when the process exits.
Only processes that share the lock directory (one host, one container) see each other.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

SECOND_WORKER = (
    "Another fwerror process (pid %s) is running with the same DISCORD_TOKEN on this host: "
    "both will answer every message twice. Stop one of them (run exactly one worker per token; "
    "see README 'Deploying'). This process keeps running. Lock file: %s"
)


def lock_path(token: str, directory: Path | None = None) -> Path:
    """`fwerror-<hash>.lock` in `directory` (the temp dir by default); the hash hides the token."""
    digest = hashlib.sha256(f"fwerror worker lock\0{token}".encode()).hexdigest()[:24]
    return (directory or Path(tempfile.gettempdir())) / f"fwerror-{digest}.lock"


def _open(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)  # private, as every file the bot makes


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _owner(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 32).decode(errors="replace").strip() or "unknown"


@contextlib.contextmanager
def worker_lock(token: str, directory: Path | None = None) -> Iterator[bool]:
    """Hold the token's lock while the block runs; yields False (after an ERROR) if it is taken."""
    path = lock_path(token, directory)
    try:
        fd = _open(path)
    except OSError as error:
        log.warning("Could not check for a second worker with this token (%s): %s", path, error)
        yield False
        return
    try:
        if not _try_lock(fd):
            log.error(SECOND_WORKER, _owner(fd), path)
            yield False
            return
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield True
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def held_elsewhere(token: str, directory: Path | None = None) -> bool:
    """Whether some process holds the token's lock right now (for the container health check)."""
    path = lock_path(token, directory)
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        return not _try_lock(fd)
    finally:
        os.close(fd)
