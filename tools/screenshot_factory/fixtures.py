"""The small pictures committed under tests/corpus/screenshots/fixtures/.

The end-to-end tests post these (a 429 in a terminal, a 502 HTML page in a browser, a TLS
failure in a Windows console, a chart, a terminal showing a fake key), and a few dozen
corpus pictures drawn small let the reading tests run without drawing anything.
"""

from __future__ import annotations

import random
from pathlib import Path

from tools.screenshot_factory.chatter import chart
from tools.screenshot_factory.generate import FIXTURES, Shot, read_manifest, render
from tools.screenshot_factory.looks import LOOKS, Style

FAKE_KEY = "fw_FAKETESTKEY7Qm2Lp9Rt4Xc"  # shaped like a Fireworks key; not one
CORPUS_FIXTURES = 24

RATE_LIMIT = [
    "Traceback (most recent call last):",
    '  File "/home/dev/app/main.py", line 14, in <module>',
    "    resp = client.chat.completions.create(model=MODEL, messages=messages)",
    "openai.RateLimitError: Error code: 429 - {'error': {'message': 'rate limit exceeded, "
    "please try again later'}}",
]
BAD_GATEWAY = [
    "<html>",
    "<head><title>502 Bad Gateway</title></head>",
    "<body>",
    "<center><h1>502 Bad Gateway</h1></center>",
    "<hr><center>nginx</center>",
    "</body>",
    "</html>",
]
TLS = [
    "Traceback (most recent call last):",
    '  File "C:\\Users\\dev\\app\\main.py", line 9, in <module>',
    "    r = requests.post(URL, json=body, headers=headers)",
    "requests.exceptions.SSLError: HTTPSConnectionPool(host='api.fireworks.ai', port=443): Max "
    "retries exceeded (Caused by SSLError(SSLCertVerificationError(1, '[SSL: "
    "CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer "
    "certificate (_ssl.c:1006)')))",
]
LEAKED = [
    f"$ export FIREWORKS_API_KEY={FAKE_KEY}",
    "$ python main.py",
    *RATE_LIMIT,
]

STYLE = Style("dejavu-mono", 16, 1280, 720)
NAMED = {
    "e2e-429-dark-terminal.png": lambda rng: LOOKS["dark-terminal"](RATE_LIMIT, STYLE, rng),
    "e2e-502-browser.png": lambda rng: LOOKS["browser-json"](BAD_GATEWAY, STYLE, rng),
    "e2e-tls-windows-console.png": lambda rng: LOOKS["windows-console"](TLS, STYLE, rng),
    "e2e-chatter-chart.png": lambda rng: chart(STYLE, rng),
    "e2e-fake-key-terminal.png": lambda rng: LOOKS["light-terminal"](LEAKED, STYLE, rng),
}


def _small(shot: Shot) -> Shot:
    """The shot on a 1280x720 screen, so the committed file stays small."""
    from dataclasses import replace

    scale = 1280 / shot.width
    return replace(shot, width=1280, height=720, size=max(13, round(shot.size * scale)))


def write_fixtures(directory: Path = FIXTURES) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in NAMED.items():
        path = directory / name
        draw(random.Random(name)).image.save(path, "PNG", optimize=True)
        written.append(path)
    shots = read_manifest()
    step = len(shots) // CORPUS_FIXTURES
    for shot in shots[::step][:CORPUS_FIXTURES]:
        small = _small(shot)
        picture = render(small)
        path = directory / f"{shot.id}.{'jpg' if shot.phone else 'png'}"
        if shot.phone:
            picture.image.save(path, "JPEG", quality=60)
        else:
            picture.image.save(path, "PNG", optimize=True)
        written.append(path)
    return written
