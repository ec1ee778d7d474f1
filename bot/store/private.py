"""Files the bot writes that hold users' text are readable by its own user only (0600)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger("bot.store")

PRIVATE = 0o600
# SQLite's companions of a database file; it creates them with the database file's mode.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def make_private(database: str) -> None:
    """Create the SQLite database file 0600 before SQLite does (SQLite would follow the umask,
    usually 0644, and gives its -wal and -shm files the database's mode); an existing one
    and its companions that others could read are made private."""
    os.close(os.open(database, os.O_RDWR | os.O_CREAT, PRIVATE))
    for path in (database, *(database + suffix for suffix in SQLITE_COMPANIONS)):
        try:
            mode = os.stat(path).st_mode
            if mode & 0o077:
                os.chmod(path, mode & 0o700)
                log.warning("store: %s was readable by other users; it is private now", path)
        except FileNotFoundError:
            continue
        except OSError as error:  # another user's file, a read-only volume
            log.warning("store: %s is readable by other users and stays so: %s", path, error)


def write_private(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path`, created or truncated, readable by this user only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    os.fchmod(descriptor, PRIVATE)  # an existing file keeps its mode through O_CREAT
    with open(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
