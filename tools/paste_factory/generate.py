"""Drive every installed client against the fake API and write the labelled pastes.

`bash tools/paste_factory/run` (or `python -m tools.paste_factory`) installs nothing: it runs
what `tools/paste_factory/install` put in `.venv` and `node/node_modules`, inside an isolated
network namespace, and rewrites `tests/corpus/clients/*.jsonl` and `manifest.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tools.paste_factory import isolation
from tools.paste_factory.clients import (
    CLIENTS,
    DRIVERS,
    GO_DIR,
    HERE,
    NODE_DIR,
    VENV_PYTHON,
    Client,
    versions,
)
from tools.paste_factory.fake_fireworks import API, GET_ROUTES, POST_ROUTES, FakeState, start
from tools.paste_factory.scenarios import DNS, SCENARIOS, TLS, Scenario
from tools.paste_factory.variants import label_shared_headlines, shapes

ROOT = HERE.parent.parent
OUT = ROOT / "tests" / "corpus" / "clients"
FAKE_KEY = "fw_PASTEFACTORYfakeTESTkey0000"  # obviously fake; the bot redacts it like a real one
USER_HOME = "/home/dev/app"
INVALID_HOST = "api.fireworks.invalid"
RUN_TIMEOUT = 90.0
STREAM_SAMPLE = {"400", "401", "429", "503", "520"}
ROUTES = POST_ROUTES | GET_ROUTES


@dataclass(frozen=True, slots=True)
class Job:
    client: Client
    scenario: Scenario
    route: str
    wrap: bool = False


@dataclass(frozen=True, slots=True)
class Capture:
    job: Job
    output: str
    exit_code: int
    reached: bool  # the client's request reached one of the fake's API routes


def jobs(clients: tuple[Client, ...], available: set[str]) -> list[Job]:
    """What each client runs: few and realistic rather than every combination.

    Every client gets each status once (its first documented body) and each transport fault.
    The most used clients (`every_body`) get every documented body. A streamed request fails
    before its first chunk as a plain one does, so streaming gets a sample of statuses (all
    of them for `every_body` clients) plus the cut stream; the user's own wrapper is run
    once per status.
    """
    firsts = {}  # (label, route) -> the first scenario of that status the route can show
    for scenario in SCENARIOS:
        for route in scenario.routes:
            firsts.setdefault((scenario.label, route), scenario.name)
    out = []
    for client in clients:
        if client.slug not in available:
            continue
        for scenario in SCENARIOS:
            for route in client.routes:
                if route not in scenario.routes:
                    continue
                first = firsts[(scenario.label, route)] == scenario.name
                if scenario.status and not (first or (client.every_body and route == "chat")):
                    continue
                sampled = client.every_body or scenario.label in STREAM_SAMPLE
                if route == "stream" and scenario.status and not sampled:
                    continue
                out.append(Job(client, scenario, route))
                if client.wraps and route == "chat" and scenario.status and first:
                    out.append(Job(client, scenario, route, wrap=True))
    return out


def base_url(job: Job, port: int, tls_port: int) -> str:
    if job.scenario.name == DNS:
        return f"https://{INVALID_HOST}/inference/v1"
    if job.scenario.name == TLS:
        return f"https://127.0.0.1:{tls_port}/inference/v1"
    return f"http://127.0.0.1:{port}{job.scenario.base_path}"


def command(job: Job, url: str, go_binary: Path) -> tuple[list[str], str]:
    """The argv to run, and the command line a user would show above curl's output."""
    client = job.client
    if client.kind == "py":
        return [str(VENV_PYTHON), str(DRIVERS / client.script)], ""
    if client.kind == "node":
        return ["node", str(NODE_DIR / client.script)], ""
    if client.kind == "go":
        return [str(go_binary)], ""
    body = (
        '{"model": "accounts/fireworks/models/llama-v3p1-8b-instruct", '
        '"messages": [{"role": "user", "content": "Say hello"}]}'
    )
    flags = shlex.split(client.script)
    argv = ["curl", *flags, "--max-time", "2", f"{url}/chat/completions"]
    argv += ["-H", f"Authorization: Bearer {FAKE_KEY}", "-H", "Content-Type: application/json"]
    argv += ["-d", body]
    shown = (
        f"$ curl {client.script} {url}/chat/completions \\\n"
        '    -H "Authorization: Bearer $FIREWORKS_API_KEY" \\\n'
        '    -H "Content-Type: application/json" \\\n'
        f"    -d '{body}'"
    )
    return argv, shown


def child_env(job: Job, url: str, home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "FIREWORKS_API_KEY": FAKE_KEY,
        "FIREWORKS_BASE_URL": url,
        "ROUTE": job.route,
        "WRAP": "1" if job.wrap else "0",
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "NODE_PATH": str(NODE_DIR / "node_modules"),
        "GOCACHE": str(home / "gocache"),
    }


async def run_job(job: Job, state: FakeState, ports: tuple[int, int], ctx: dict) -> Capture:
    state.scenario = job.scenario if job.scenario.name != DNS else None
    seen = len(state.requests)
    url = base_url(job, *ports)
    argv, shown = command(job, url, ctx["go_binary"])
    cwd = NODE_DIR if job.client.kind == "node" else HERE
    proc = await asyncio.create_subprocess_exec(
        *argv,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=child_env(job, url, ctx["home"]),
        cwd=cwd,
    )
    try:
        raw, _ = await asyncio.wait_for(proc.communicate(), RUN_TIMEOUT)
    except TimeoutError:
        proc.kill()
        raw, _ = await proc.communicate()
    text = raw.decode("utf-8", errors="replace")
    if shown:
        text = f"{shown}\n{text}"
    paths = [path for _, path in state.requests[seen:]]
    expected = {job.scenario.base_path + route.removeprefix(API) for route in ROUTES}
    reached = any(path in expected for path in paths)
    return Capture(job, normalize(text, ports), proc.returncode or 0, reached)


def normalize(text: str, ports: tuple[int, int]) -> str:
    """What the user would have seen calling the real API from their own machine."""
    port, tls_port = ports
    for p, scheme in ((port, "http"), (tls_port, "https")):
        text = text.replace(f"{scheme}://127.0.0.1:{p}", "https://api.fireworks.ai")
        text = text.replace(f"127.0.0.1:{p}", "api.fireworks.ai:443")
        text = re.sub(rf"\b{p}\b", "443", text)
    text = text.replace("on 127.0.0.1:53", "on 127.0.0.53:53")  # Go names the resolver
    text = text.replace("localAddress: '127.0.0.1'", "localAddress: '192.168.1.23'")
    text = text.replace("127.0.0.1", "api.fireworks.ai")
    text = text.replace(INVALID_HOST, "api.fireworks.ai")
    text = text.replace("HTTPConnectionPool", "HTTPSConnectionPool")
    text = text.replace(str(DRIVERS), USER_HOME).replace(str(NODE_DIR), USER_HOME)
    text = text.replace(str(HERE), USER_HOME)
    text = re.sub(r"/tmp/paste-factory-home-\w+", "/home/dev", text)
    return text


async def worker(queue: asyncio.Queue, results: list[Capture], ctx: dict) -> None:
    state = FakeState()
    runner, port, tls_port = await start(tls_context=ctx["tls"], state=state)
    try:
        while True:
            try:
                job = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            results.append(await run_job(job, state, (port, tls_port), ctx))
            done = len(results)
            if done % 25 == 0:
                print(f"  {done}/{ctx['total']} runs", flush=True)
    finally:
        await runner.cleanup()


def tls_context(directory: Path):
    import ssl

    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-subj", "/CN=api.fireworks.ai", "-keyout", str(key), "-out", str(cert)),
            *("-addext", "subjectAltName=DNS:api.fireworks.ai,IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def build_go(home: Path) -> Path | None:
    if not shutil.which("go"):
        return None
    binary = home / "fireworks-go-client"
    env = {**os.environ, "GOCACHE": str(home / "gocache"), "GOFLAGS": "-mod=mod"}
    subprocess.run(["go", "build", "-o", str(binary), "."], cwd=GO_DIR, env=env, check=True)
    return binary


def available_clients(found: dict[str, str], go_binary: Path | None) -> tuple[set[str], dict]:
    """Slugs that can run, and a reason for each that can't."""
    ok, skipped = set(), {}
    for client in CLIENTS:
        key = f"{client.kind}:{client.package}" if client.kind != "go" else "go:go net/http"
        if client.kind == "go" and go_binary is None:
            skipped[client.slug] = "no Go toolchain (apt-get install golang-go)"
        elif key not in found:
            skipped[client.slug] = (
                f"{client.package} is not installed (tools/paste_factory/install)"
            )
        else:
            ok.add(client.slug)
    return ok, skipped


def package_name(client: Client, name: str) -> str:
    """PyPI names as they are; npm packages as `npm:<name>` (Python's and Node's `openai`
    differ), Node's built-in fetch as `node:fetch`, Go's standard library as `go:net/http`."""
    if client.kind == "node":
        return "node:fetch" if name == "fetch" else f"npm:{name}"
    if client.kind == "go":
        return "go:net/http"
    return name


def client_label(client: Client, found: dict[str, str]) -> tuple[str, str]:
    """`"<package> <version>"` and the note's list of every package involved."""
    names = (client.package, *client.extra)
    pinned = [
        f"{package_name(client, name)} {found[f'{client.kind}:{name}'].lstrip('v')}"
        for name in names
        if f"{client.kind}:{name}" in found
    ]
    return pinned[0], ", ".join(pinned)


def cases_of(capture: Capture, index: int, found: dict[str, str]) -> list[dict]:
    job = capture.job
    label, stack = client_label(job.client, found)
    flavour = f" {job.client.flavour}" if job.client.flavour else ""
    scenario = f"{job.scenario.name}/{job.route}" + ("/user-wrapper" if job.wrap else "")
    out = []
    for variant, text in shapes(capture.output, job.client.kind, index):
        out.append(
            {
                "text": text,
                "expected": job.scenario.label,
                "note": f"{stack}{flavour}, {job.scenario.source}",
                "client": label,
                "scenario": scenario,
                "variant": variant,
            }
        )
    return out


def label_holds(capture: Capture) -> bool:
    """The label is true by construction only if the request met the scenario.

    A driver that broke before sending (a wrong argument) or sent to a wrong path would
    otherwise be labelled with a status it never received. DNS and TLS fail before any request.
    """
    return capture.reached or capture.job.scenario.name in (DNS, TLS)


def looks_failed(capture: Capture) -> bool:
    """A run counts only if the client reported the failure (no silent success).

    `curl -i` and `-v` exit 0 on an HTTP error: their paste is the status dump itself.
    The AI SDK's `streamText` logs a failed stream (its default `onError`) and exits 0.
    """
    if capture.job.client.kind == "curl":
        return " 200 OK" not in capture.output
    return capture.exit_code != 0 or "Error" in capture.output


def write(captures: list[Capture], found: dict[str, str], skipped: dict) -> dict:
    """Rewrite the corpus file of each client that ran, then the manifest over all files."""
    OUT.mkdir(parents=True, exist_ok=True)
    per_file: dict[str, list[dict]] = {c.job.client.slug: [] for c in captures}
    silent, astray = [], []
    counts: Counter[str] = Counter()
    order = sorted(captures, key=lambda c: (c.job.client.slug, c.job.scenario.name, c.job.route))
    for capture in order:
        job = capture.job
        index = counts[job.client.slug]  # the shapes rotate per client, run alone or not
        counts[job.client.slug] += 1
        if not label_holds(capture):
            astray.append(f"{job.client.slug} {job.scenario.name}/{job.route}")
            continue
        if not looks_failed(capture):
            silent.append(f"{job.client.slug} {job.scenario.name}/{job.route}")
            continue
        per_file[job.client.slug].extend(cases_of(capture, index, found))
    for slug, cases in per_file.items():
        label_shared_headlines(cases)
        lines = [json.dumps(case, ensure_ascii=False) for case in cases]
        (OUT / f"{slug}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    all_cases = [
        json.loads(line)
        for file in sorted(OUT.glob("*.jsonl"))
        for line in file.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    previous = _previous_manifest()
    ran = set(per_file)

    def kept(key: str, fresh: list[str]) -> list[str]:
        """This run's entries, plus earlier ones of the clients it didn't run (`--only`)."""
        old = [entry for entry in previous.get(key, []) if entry.split()[0] not in ran]
        return sorted(old + fresh)

    manifest = {
        "generated_by": "bash tools/paste_factory/run",
        "versions": dict(sorted(found.items())),
        "cases": len(all_cases),
        "per_client": dict(sorted(Counter(c["client"] for c in all_cases).items())),
        "per_label": dict(sorted(Counter(c["expected"] for c in all_cases).items())),
        "skipped_clients": skipped,
        "runs_without_error": kept("runs_without_error", silent),
        "runs_that_never_reached_the_fake": kept("runs_that_never_reached_the_fake", astray),
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _previous_manifest() -> dict:
    path = OUT / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


async def generate(only: set[str] | None, workers: int) -> dict:
    home = Path(tempfile.mkdtemp(prefix="paste-factory-home-"))
    dns = await isolation.start_dns_stub()
    go_binary = build_go(home)
    found = versions()
    ok, skipped = available_clients(found, go_binary)
    if only:
        ok &= only
    todo = jobs(CLIENTS, ok)
    queue: asyncio.Queue = asyncio.Queue()
    for job in todo:
        queue.put_nowait(job)
    ctx = {"tls": tls_context(home), "home": home, "go_binary": go_binary, "total": len(todo)}
    print(f"{len(todo)} runs over {len(ok)} clients; skipped: {skipped or 'none'}", flush=True)
    results: list[Capture] = []
    started = time.monotonic()
    await asyncio.gather(*(worker(queue, results, ctx) for _ in range(workers)))
    dns.close()
    print(f"runs took {time.monotonic() - started:.0f} s", flush=True)
    return write(results, found, skipped)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.paste_factory", description=__doc__)
    parser.add_argument("--only", nargs="*", metavar="SLUG", help="run only these clients")
    parser.add_argument("--workers", type=int, default=2, help="clients run at once (default 2)")
    args = parser.parse_args(argv)
    isolation.reexec_isolated(["-m", "tools.paste_factory", *(argv or sys.argv[1:])])
    isolation.enter_namespace()
    manifest = asyncio.run(generate(set(args.only) if args.only else None, args.workers))
    print(json.dumps({k: manifest[k] for k in ("cases", "per_client", "per_label")}, indent=2))
    return 0
