"""Keep every byte the factory and its clients send on this machine.

The factory re-runs itself under `unshare --net --mount`: a network namespace whose only
interface is loopback, and a private /etc/resolv.conf naming a stub on 127.0.0.1 that answers
NXDOMAIN to every query. A client that tried to reach anything else would fail instead of
leaving the machine, and the `.invalid` host name fails exactly as an unknown host does.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

MARKER = "PASTE_FACTORY_ISOLATED"
RESOLV = "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n"


def reexec_isolated(argv: list[str]) -> None:
    """Replace this process with itself inside a fresh network and mount namespace."""
    if os.environ.get(MARKER) == "1":
        return
    if not shutil.which("unshare") or os.geteuid() != 0:
        sys.exit(
            "paste factory: needs root and unshare(1) to run in an isolated network namespace "
            "(so nothing leaves 127.0.0.1); run it as root, e.g. in the dev container"
        )
    env = {**os.environ, MARKER: "1"}
    os.execvpe("unshare", ["unshare", "--net", "--mount", "--", sys.executable, *argv], env)


def enter_namespace() -> None:
    """Inside the namespace: bring loopback up and point the resolver at the local stub."""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    resolv = Path(tempfile.mkdtemp(prefix="paste-factory-")) / "resolv.conf"
    resolv.write_text(RESOLV)
    subprocess.run(["mount", "--bind", str(resolv), "/etc/resolv.conf"], check=True)


class NxdomainStub(asyncio.DatagramProtocol):
    """A DNS server that says every name doesn't exist."""

    def connection_made(self, transport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr) -> None:
        if len(data) < 12:
            return
        end = 12
        while end < len(data) and data[end]:  # the question's name: length-prefixed labels
            end += data[end] + 1
        question = data[12 : end + 5]  # name, its 0 byte, type and class
        flags = struct.pack(">H", 0x8180 | 3)  # a response, recursion available, NXDOMAIN
        header = data[:2] + flags + struct.pack(">HHHH", 1, 0, 0, 0)
        self.transport.sendto(header + question, addr)


async def start_dns_stub() -> asyncio.DatagramTransport:
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(NxdomainStub, local_addr=("127.0.0.1", 53))
    return transport
