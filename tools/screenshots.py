"""Render the bot's real answers as phone-width screenshots (docs/screenshots/*.png).

Each picture starts from the JSON the bot would send: the core's short embed and the answer's
buttons, the moderators' queue card, the report's Discord message. A small HTML page
imitates Discord's dark theme and embed look, and headless Chromium photographs it at 390 px
wide. Not a test dependency; run it by hand after changing what answers look like:

    apt-get install -y chromium   # Debian
    python -m tools.screenshots   # writes docs/screenshots/

Nothing leaves the machine: the pages are local files with no remote fonts or images, and
Chromium runs with networking features off and a fresh profile.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.core.explain import explain
from bot.core.handoff import narrowed
from bot.core.render import render_short_embed
from bot.core.support import with_sent_time
from bot.knowledge.load import load_knowledge

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
WIDTH = 390  # an ordinary phone, in CSS pixels
CHANNEL, MESSAGE = 1111, 2222

ANSWERS = {
    "answer-429": (
        "Traceback (most recent call last):\n"
        '  File "/app/batch.py", line 73, in worker\n'
        "    resp = client.chat.completions.create(model=MODEL, messages=msgs)\n"
        "openai.RateLimitError: Error code: 429 - {'error': {'object': 'error', 'type': "
        "'invalid_request_error', 'message': 'rate limit exceeded, please try again later'}}"
    ),
    "answer-500": (
        "2026-11-30T10:00:00Z x-request-id: 7f3a9c1e-55aa\n"
        "openai.InternalServerError: Error code: 500 - {'error': {'object': 'error', 'type': "
        "'internal_server_error', 'message': 'Internal server error'}}"
    ),
    "answer-vague": "fireworks is broken",
    "answer-prompt-too-long": (
        "openai.BadRequestError: Error code: 400 - {'error': {'object': 'error', 'type': "
        "'invalid_request_error', 'message': 'The prompt is too long: 140213, model maximum "
        "context length: 131072'}}"
    ),
    "answer-429-chinese": (
        "一直报 429, 怎么办?\n"
        "openai.RateLimitError: Error code: 429 - {'error': {'message': 'rate limit exceeded, "
        "please try again later'}}"
    ),
}

CSS = """
body { margin: 0; background: #313338; color: #dbdee1; width: 390px;
  font: 15px/1.375 "gg sans", "Noto Sans", Arial, "WenQuanYi Zen Hei", sans-serif; }
.msg { display: flex; padding: 12px 12px 16px 8px; }
.avatar { width: 40px; height: 40px; border-radius: 50%; background: #5865f2; flex: none;
  margin-right: 12px; color: white; font-weight: 700; text-align: center; line-height: 40px; }
.name { color: #f2f3f5; font-weight: 600; } .bot { background: #5865f2; color: white;
  font-size: 10px; border-radius: 3px; padding: 1px 4px; margin-left: 4px; }
.time { color: #949ba4; font-size: 12px; margin-left: 6px; }
.body { min-width: 0; flex: 1; }
.embed { background: #2b2d31; border-left: 4px solid; border-radius: 4px; padding: 8px 12px 12px;
  margin-top: 4px; max-width: 100%; box-sizing: border-box; word-wrap: break-word; }
.title { color: #00a8fc; font-weight: 600; margin: 4px 0 8px; }
.field-name { color: #f2f3f5; font-weight: 600; margin-top: 8px; font-size: 14px; }
.field, .desc { font-size: 14px; white-space: normal; }
.footer { color: #b5bac1; font-size: 12px; margin-top: 8px; }
code { background: #1e1f22; border-radius: 3px; padding: 0 3px; font: 13px Consolas, monospace; }
a { color: #00a8fc; text-decoration: none; }
blockquote { margin: 2px 0; padding-left: 10px; border-left: 4px solid #4e5058; }
ul { margin: 2px 0; padding-left: 18px; } li { margin: 1px 0; }
.buttons { margin-top: 8px; display: flex; flex-wrap: wrap; gap: 8px; }
.button { border-radius: 3px; padding: 3px 12px; font-size: 14px; font-weight: 500; color: white; }
.s1 { background: #5865f2; } .s2 { background: #4e5058; } .s3 { background: #248046; }
.disabled { opacity: 0.5; }
.mention { background: rgba(88,101,242,.3); color: #c9cdfb; border-radius: 3px; padding: 0 2px; }
"""


def _inline(text: str) -> str:
    """Discord's inline Markdown: escapes, code, bold, links, mentions."""
    stash: list[str] = []

    def keep(piece: str) -> str:
        stash.append(piece)
        return f"\x00{len(stash) - 1}\x00"

    text = re.sub(r"\\([\\`*_~|>#\[\]()-])", lambda m: keep(html.escape(m[1])), text)
    text = re.sub(r"`([^`]+)`", lambda m: keep(f"<code>{html.escape(m[1])}</code>"), text)
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"\*(.+?)\*", r"<i>\1</i>", text)
    text = re.sub(r"\[([^\]]+)\]\((?:&lt;)?([^)]+?)(?:&gt;)?\)", r'<a href="\2">\1</a>', text)
    text = re.sub(r"&lt;@&amp;\d+&gt;", '<span class="mention">@support</span>', text)
    text = re.sub(r"&lt;@\d+&gt;", '<span class="mention">@ana</span>', text)
    return re.sub("\x00(\\d+)\x00", lambda m: stash[int(m[1])], text)


def markdown(text: str) -> str:
    """Lines of Discord Markdown as HTML: quotes, bullets, paragraphs."""
    out: list[str] = []
    bullets: list[str] = []
    for line in text.split("\n"):
        if line.startswith("- "):
            bullets.append(f"<li>{_inline(line[2:])}</li>")
            continue
        if bullets:
            out.append("<ul>" + "".join(bullets) + "</ul>")
            bullets = []
        if line.startswith("> "):
            out.append(f"<blockquote>{_inline(line[2:])}</blockquote>")
        elif line.strip():
            out.append(f"<div>{_inline(line)}</div>")
        else:
            out.append("<div>&nbsp;</div>")
    if bullets:
        out.append("<ul>" + "".join(bullets) + "</ul>")
    return "".join(out)


def embed_html(embed: dict[str, Any]) -> str:
    colour = f"#{embed.get('color', 0x5865F2):06x}"
    parts = [f'<div class="embed" style="border-color:{colour}">']
    if embed.get("title"):
        parts.append(f'<div class="title">{_inline(embed["title"])}</div>')
    if embed.get("description"):
        parts.append(f'<div class="desc">{markdown(embed["description"])}</div>')
    for field in embed.get("fields", []):
        parts.append(f'<div class="field-name">{_inline(field["name"])}</div>')
        parts.append(f'<div class="field">{markdown(field["value"])}</div>')
    if embed.get("footer"):
        parts.append(f'<div class="footer">{html.escape(embed["footer"]["text"])}</div>')
    return "".join(parts) + "</div>"


def _off(item: dict[str, Any]) -> str:
    return " disabled" if item.get("disabled") else ""


def buttons_html(components: list[dict[str, Any]]) -> str:
    items = [child for row in components for child in row.get("components", [])]
    if not items:
        return ""
    spans = [
        f'<span class="button s{item.get("style", 2)}{_off(item)}">'
        f"{html.escape(item.get('label', ''))}</span>"
        for item in items
    ]
    return f'<div class="buttons">{"".join(spans)}</div>'


def page(content: str, embeds: list[dict[str, Any]], components: list[dict[str, Any]]) -> str:
    body = markdown(content) if content else ""
    body += "".join(embed_html(embed) for embed in embeds) + buttons_html(components)
    return (
        f"<!doctype html><meta charset=utf-8><style>{CSS}</style>"
        '<div class="msg"><div class="avatar">fw</div><div class="body">'
        '<span class="name">fwerror</span><span class="bot">APP</span>'
        f'<span class="time">Today at 10:00</span>{body}</div></div>'
    )


def answer_message(name: str, paste: str) -> tuple[str, list[dict], list[dict]]:
    """What the help-channel listener sends for `paste` (support role and queue configured)."""
    import datetime

    from bot.views.answer import answer_view, more_id, more_label

    knowledge = load_knowledge()
    reply = explain(paste, knowledge, "passive").reply
    if reply is None:
        raise SystemExit(f"{name}: the listener would stay quiet on this paste")
    sent = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)
    handoff = narrowed(reply.handoff, can_ping=True, can_queue=True) if reply.handoff else None
    reply = replace(reply, handoff=handoff, support=with_sent_time(reply.support, sent))
    view = answer_view(
        CHANNEL, MESSAGE, more=more_id(reply), handoff=reply.handoff, more_label=more_label(reply)
    )
    return "<@42>", [render_short_embed(reply)], view.to_components()


def queue_message() -> tuple[str, list[dict], list[dict]]:
    from bot.cases import Case, case_for
    from bot.views.queue import queue_view

    class Reporter:  # what the card reads from the reporter: their mention
        mention = "<@42>"

    knowledge = load_knowledge()
    result = explain(ANSWERS["answer-500"], knowledge, "passive")
    jump = "https://discord.com/channels/1/1111/2222"
    case: Case = case_for(
        result, channel=None, anchor=None, reporter=Reporter(), jump_url=jump, key=MESSAGE
    )
    from bot.exts.escalation.handoff import queue_card

    return "", [queue_card(case).to_dict()], queue_view(case.key).to_components()


def report_message() -> tuple[str, list[dict], list[dict]]:
    from bot.report import build_report, discord_report

    now = time.time()
    unknown = (
        'Traceback (most recent call last):\n  File "/srv/deploy.py", line 88, in <module>\n'
        "    client.deployments.update(name, config)\nopenai.ConflictError: Error code: 409 - "
        "{'error': {'message': 'Deployment update in progress'}}"
    )

    def row(excerpt: str, n: int, entry: str | None, feature: str = "listener", **more: Any):
        base = {
            "excerpt": excerpt, "created_at": now - n * 60, "feature": feature,
            "jump_url": f"https://discord.com/channels/1/1111/{3000 + n}", "entry": entry,
            "confidence": 0.99, "votes": 0, "helped": 0, "message_id": 3000 + n,
        }  # fmt: skip
        return base | more

    flagged = [row(unknown, n, None) for n in range(3)]
    flagged += [row("my toaster says zzkqx", 9, None, "command")]
    flagged += [row(ANSWERS["answer-429"], 12, "429-rate-limit", votes=1, helped=0)]
    entries = [{"entry": "429-rate-limit", "code": "429", "answers": 14, "votes": 3, "helped": 2}]
    data = {"flagged": flagged, "entries": entries, "escalations": []}
    report = build_report(data, now - 7 * 86400)
    return discord_report(report), [], []


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    raise SystemExit("no Chromium: apt-get install -y chromium")


def shoot(browser: str, html_text: str, out: Path, height: int) -> None:
    with tempfile.TemporaryDirectory() as work:
        page_file = Path(work) / "page.html"
        page_file.write_text(html_text, encoding="utf-8")
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={work}/profile",
                "--hide-scrollbars",
                "--force-device-scale-factor=2",
                f"--window-size={WIDTH},{height}",
                f"--screenshot={out}",
                page_file.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def height_of(content: str, embeds: list[dict[str, Any]]) -> int:
    """A generous estimate of the page's height at phone width (the rest is background)."""
    text = content + "".join(
        " ".join([e.get("title", ""), e.get("description", "")])
        + "".join(f["name"] + "\n" + f["value"] + "\n" for f in e.get("fields", []))
        for e in embeds
    )
    wide = [sum(2 if ord(c) > 0x2E80 else 1 for c in line) for line in text.split("\n")]
    return 160 + 21 * sum(units // 34 + 1 for units in wide)  # a CJK character is two wide


def main() -> int:
    browser = chromium()
    OUT.mkdir(parents=True, exist_ok=True)
    shots = {name: answer_message(name, paste) for name, paste in ANSWERS.items()}
    shots["queue-card"] = queue_message()
    shots["report"] = report_message()
    for name, (content, embeds, components) in shots.items():
        out = OUT / f"{name}.png"
        shoot(browser, page(content, embeds, components), out, height_of(content, embeds))
        print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
