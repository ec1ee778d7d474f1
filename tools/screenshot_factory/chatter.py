"""Pictures people post that hold no error: working code, charts, memes with numbers."""

from __future__ import annotations

import random

from PIL import Image, ImageDraw

from tools.screenshot_factory.fonts import font
from tools.screenshot_factory.looks import LOOKS, Picture, Style

WORKING_CODE = [
    [
        "import os",
        "from openai import OpenAI",
        "",
        'client = OpenAI(base_url="https://api.fireworks.ai/inference/v1",',
        '                api_key=os.environ["FIREWORKS_API_KEY"])',
        "resp = client.chat.completions.create(",
        '    model="accounts/fireworks/models/llama-v3p1-8b-instruct",',
        '    messages=[{"role": "user", "content": "Say hi"}],',
        ")",
        "print(resp.choices[0].message.content)",
        "Hi! How can I help you today?",
    ],
    [
        "$ curl -s https://api.fireworks.ai/inference/v1/models -o models.json -w '%{http_code}'",
        "200",
        "$ jq '.data | length' models.json",
        "412",
        "$ jq -r '.data[0].id' models.json",
        "accounts/fireworks/models/deepseek-v3",
    ],
    [
        "for i, chunk in enumerate(stream):",
        "    print(chunk.choices[0].delta.content or '', end='')",
        "",
        "Tokens/sec: 502.4   time to first token: 0.41 s",
        "Total tokens: 429 prompt + 503 completion",
    ],
    [
        "const res = await fetch(url, { method: 'POST', headers, body });",
        "console.log(res.status, res.statusText);",
        "200 OK",
        "console.log(data.usage);",
        "{ prompt_tokens: 413, completion_tokens: 520, total_tokens: 933 }",
    ],
    [
        "pytest -q tests/test_client.py",
        "........................................  [100%]",
        "40 passed in 5.02s",
    ],
]

MEMES = [
    ("ME AFTER FIXING THE BUG", "AT 4:04 AM"),
    ("WHEN THE DEMO WORKS", "ON THE FIRST TRY"),
    ("503 TABS OPEN", "AND STILL NO IDEA"),
    ("SHIPPED IT", "FRIDAY 5:02 PM"),
    ("MY GPU BILL", "$429.00 THIS MONTH"),
    ("NEW MODEL DROPPED", "400B PARAMETERS"),
    ("ONE DOES NOT SIMPLY", "READ THE DOCS"),
    ("TOKENS PER SECOND", "GO BRRR 500+"),
]

CHART_TITLES = [
    "p95 latency by model (ms)",
    "Tokens per second, last 7 days",
    "Monthly spend (USD)",
    "Requests per minute",
]
CHART_LABELS = ["llama-8b", "llama-70b", "qwen-72b", "deepseek-v3", "mixtral", "gemma"]


def working_code(style: Style, rng: random.Random) -> Picture:
    look = rng.choice(["dark-terminal", "light-terminal", "ide-panel", "jupyter"])
    return LOOKS[look](rng.choice(WORKING_CODE), style, rng)


def meme(style: Style, rng: random.Random) -> Picture:
    top, bottom = rng.choice(MEMES)
    width, height = rng.choice([(900, 900), (1080, 1080), (1200, 900)])
    shade = rng.randrange(40, 200)
    image = Image.new("RGB", (width, height), (shade, shade // 2 + 40, 255 - shade))
    draw = ImageDraw.Draw(image)
    for _ in range(12):  # a busy "photo" behind the caption
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(40, 200)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    face = font("bold-sans", width // 14)
    for text, y in ((top, 30), (bottom, height - width // 14 - 50)):
        x = (width - draw.textlength(text, font=face)) / 2
        draw.text((x, y), text, font=face, fill="white", stroke_width=4, stroke_fill="black")
    return Picture(image, [top, bottom])


def chart(style: Style, rng: random.Random) -> Picture:
    width, height = 1600, 900
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    ui = font("dejavu-sans", 20)
    title = rng.choice(CHART_TITLES)
    draw.text((80, 30), title, font=font("bold-sans", 30), fill=(20, 20, 20))
    labels = rng.sample(CHART_LABELS, 5)
    values = [rng.randrange(120, 620) for _ in labels]
    base, top = height - 120, 120
    draw.line((100, top, 100, base), fill=(0, 0, 0), width=2)
    draw.line((100, base, width - 60, base), fill=(0, 0, 0), width=2)
    for tick in range(0, 700, 100):
        y = base - (base - top) * tick / 700
        draw.text((40, y - 10), str(tick), font=ui, fill=(60, 60, 60))
    step = (width - 200) // len(labels)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = 140 + i * step
        y = base - (base - top) * value / 700
        draw.rectangle((x, y, x + step // 2, base), fill=(66, 133, 244))
        draw.text((x, y - 30), str(value), font=ui, fill=(0, 0, 0))
        draw.text((x, base + 12), label, font=ui, fill=(0, 0, 0))
    return Picture(image, [title])


KINDS = {"working-code": working_code, "meme": meme, "chart": chart}
