"""The real clients the factory drives, how to run each, and how to read its pinned version."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_PYTHON = HERE / ".venv" / "bin" / "python"
DRIVERS = HERE / "drivers"
NODE_DIR = HERE / "node"
GO_DIR = HERE / "go"

ALL_ROUTES = ("chat", "stream", "completions", "embeddings", "models")


@dataclass(frozen=True, slots=True)
class Client:
    """One way a user calls Fireworks: the package, the script, the routes it exercises."""

    slug: str  # the corpus file: tests/corpus/clients/<slug>.jsonl
    package: str  # the package whose version the cases record
    kind: str  # "py", "node", "curl" or "go"
    script: str  # driver file (py, node), curl flags, or "" (go)
    routes: tuple[str, ...] = ("chat", "stream")
    wraps: bool = False  # also run with the user's own wrapper re-raising
    every_body: bool = False  # every documented body of a status, not just the first
    extra: tuple[str, ...] = ()  # further packages named in the case's note
    flavour: str = ""  # e.g. "async", distinguishing two drivers of one package


CLIENTS: tuple[Client, ...] = (
    Client(
        "python-openai", "openai", "py", "openai_sync.py", ALL_ROUTES, wraps=True, every_body=True
    ),
    Client("python-openai-async", "openai", "py", "openai_async.py", flavour="async"),
    Client("python-fireworks-ai", "fireworks-ai", "py", "fireworks_sdk.py"),
    Client("python-httpx", "httpx", "py", "httpx_client.py", wraps=True),
    Client("python-requests", "requests", "py", "requests_client.py", wraps=True, every_body=True),
    Client("python-aiohttp", "aiohttp", "py", "aiohttp_client.py"),
    Client("python-litellm", "litellm", "py", "litellm_client.py", wraps=True, every_body=True),
    Client(
        "python-langchain-fireworks",
        "langchain-fireworks",
        "py",
        "langchain_client.py",
        extra=("langchain-core",),
    ),
    Client(
        "python-llama-index",
        "llama-index-llms-fireworks",
        "py",
        "llamaindex_client.py",
        extra=("llama-index-core",),
    ),
    Client("python-instructor", "instructor", "py", "instructor_client.py", ("chat",)),
    Client(
        "node-openai",
        "openai",
        "node",
        "openai.mjs",
        ("chat", "stream", "embeddings", "models"),
        wraps=True,
    ),
    Client("node-ai-sdk", "ai", "node", "ai_sdk.mjs", extra=("@ai-sdk/fireworks",)),
    Client("node-langchain-openai", "@langchain/openai", "node", "langchain.mjs"),
    Client("node-axios", "axios", "node", "axios.mjs", ("chat",)),
    Client("node-fetch", "fetch", "node", "fetch.mjs", ("chat",)),
    Client("curl-i", "curl", "curl", "-i", ("chat",), flavour="-i", every_body=True),
    Client("curl-v", "curl", "curl", "-v", ("chat",), flavour="-v"),
    Client("curl-fail", "curl", "curl", "-sS --fail", ("chat",), flavour="--fail"),
    Client("go-net-http", "go net/http", "go", "", ("chat",)),
)


def python_versions(packages: list[str]) -> dict[str, str]:
    """Installed versions in the factory's venv (missing packages are left out)."""
    code = (
        "import json, sys\nfrom importlib.metadata import version, PackageNotFoundError\n"
        "out = {}\nfor name in sys.argv[1:]:\n    try:\n        out[name] = version(name)\n"
        "    except PackageNotFoundError:\n        pass\nprint(json.dumps(out))"
    )
    result = subprocess.run(
        [str(VENV_PYTHON), "-c", code, *packages], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def node_version(package: str) -> str | None:
    if package == "fetch":  # Node's built-in fetch: the version is Node's
        return subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    manifest = NODE_DIR / "node_modules" / package / "package.json"
    if not manifest.exists():
        return None
    return json.loads(manifest.read_text())["version"]


def tool_version(kind: str) -> str | None:
    try:
        if kind == "curl":
            out = subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout
            return out.split()[1]
        out = subprocess.run(["go", "version"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return None
    found = re.search(r"go(\d+\.\d+(?:\.\d+)?)", out)
    return found.group(1) if found else None


def versions(clients: tuple[Client, ...] = CLIENTS) -> dict[str, str]:
    """`package -> version` for every client package (and extras) that is installed."""
    py = sorted({n for c in clients if c.kind == "py" for n in (c.package, *c.extra)})
    found = python_versions(py) if VENV_PYTHON.exists() else {}
    out = {f"py:{name}": version for name, version in found.items()}
    for client in clients:
        if client.kind == "node":
            for name in (client.package, *client.extra):
                version = node_version(name)
                if version:
                    out[f"node:{name}"] = version
        elif client.kind in ("curl", "go"):
            version = tool_version(client.kind)
            if version:
                out[f"{client.kind}:{client.package}"] = version
    return out
