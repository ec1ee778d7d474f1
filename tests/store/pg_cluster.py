"""A throwaway PostgreSQL server for the tests: `initdb` + `pg_ctl` into a temp directory,
listening on 127.0.0.1 only, trust authentication, run as the `postgres` user when we are root.

`.ci/run` starts one and exports FWERROR_TEST_POSTGRES_URL; without it the tests start their
own when the server binaries are installed (Debian: `apt-get install postgresql`), and skip
with the reason otherwise, unless FWERROR_REQUIRE_POSTGRES=1 (CI), which turns that into a
failure.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ENV_URL = "FWERROR_TEST_POSTGRES_URL"
ENV_REQUIRE = "FWERROR_REQUIRE_POSTGRES"


class NoPostgres(RuntimeError):
    """No server can be started here; the message says why."""


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    path = found[-1] if found else shutil.which(name)
    if path is None:
        raise NoPostgres(
            f"no {name} found: install PostgreSQL (Debian: apt-get install postgresql) or set "
            f"{ENV_URL}"
        )
    return path


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser") is None:
        raise NoPostgres("running as root and no runuser to drop to the postgres user")
    return ["runuser", "-u", "postgres", "--", *command]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Cluster:
    directory: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        subprocess.run(
            _as_owner(
                [_bin("pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "stop"]
            ),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.directory, ignore_errors=True)


def start_cluster() -> Cluster:
    """Start a server on a free loopback port; raises `NoPostgres` if it can't."""
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    directory = Path(tempfile.mkdtemp(prefix="fwerror-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    data, port = directory / "data", free_port()
    steps = [
        [initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
        [
            pg_ctl,
            "-D",
            str(data),
            "-l",
            str(directory / "log"),
            "-w",
            "-o",
            f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=200",
            "start",
        ],
    ]
    for step in steps:
        done = subprocess.run(_as_owner(step), capture_output=True, text=True, check=False)
        if done.returncode != 0:
            shutil.rmtree(directory, ignore_errors=True)
            raise NoPostgres(f"{Path(step[0]).name} failed: {(done.stderr or done.stdout)[-500:]}")
    return Cluster(directory, port)


def with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + f"/{name}"
