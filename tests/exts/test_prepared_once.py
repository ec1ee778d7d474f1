"""A help-channel message is prepared once: each part redacted once, the joined text normalised
once, through the real path (the fake Discord, a fake paste host on loopback).

The counters wrap the module attributes the path calls; they count, and call the real function.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import pytest_asyncio

import bot.core.explain
import bot.core.matcher
import bot.core.prepare
import bot.prepared_message
from bot.sources.pastes import PasteReader
from tests.exts.conftest import MESSAGES, RATE_LIMIT_PASTE, Harness, is_reply_to
from tests.exts.test_paste_hosts import FakePasteHost

pytestmark = pytest.mark.asyncio(loop_scope="module")

LOG = f"2026-12-06 07:00:01 ERROR job 17 failed\n{RATE_LIMIT_PASTE}\n"
ASKED = "my batch job keeps failing, log attached, the run's output: https://pastebin.com/RateLim1"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def paste_host(harness: Harness) -> AsyncIterator[FakePasteHost]:
    host = FakePasteHost()
    await host.start()
    before = harness.bot.reader.pastes
    harness.bot.reader.pastes = PasteReader(
        bases={"pastebin.com": host.base},
        allow_private=True,  # the fake host is on loopback; production never allows it
        timeout=2.0,
    )
    yield host
    await harness.bot.reader.pastes.close()
    harness.bot.reader.pastes = before
    assert host.runner is not None
    await host.runner.cleanup()


def counted(calls: Counter[str], name: str, real: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(text: str, *args: Any, **kwargs: Any) -> Any:
        calls[f"{name}:{text}"] += 1
        calls[name] += 1
        return real(text, *args, **kwargs)

    return wrapper


async def test_each_part_is_redacted_once_and_the_text_normalised_once(
    harness: Harness, paste_host: FakePasteHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: Counter[str] = Counter()
    for module in (bot.prepared_message, bot.core.explain):
        monkeypatch.setattr(module, "redact", counted(calls, "redact", module.redact))
    for module in (bot.prepared_message, bot.core.explain, bot.core.matcher):
        monkeypatch.setattr(module, "prepare", counted(calls, "prepare", module.prepare))
    real_normalise = bot.core.prepare.normalise
    monkeypatch.setattr(bot.core.prepare, "normalise", counted(calls, "normalise", real_normalise))

    fake = harness.fake
    log = fake.attachment("job.log", LOG.encode())
    message = await fake.post_message(ASKED, attachments=[log])
    reply = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(message))

    # The control: the message was read whole (attachment and paste) and answered.
    assert "429-rate-limit" in reply.json["embeds"][0]["footer"]["text"]
    assert "/raw/RateLim1" in paste_host.paths
    # Three parts (the content, the attachment, the linked paste), each redacted once.
    assert calls["redact"] == 3
    assert calls[f"redact:{ASKED}"] == calls[f"redact:{LOG}"] == 1
    assert calls[f"redact:{RATE_LIMIT_PASTE}"] == 1
    # The joined text is made ready for the matcher once, and normalised once.
    assert calls["prepare"] == 1
    assert calls["normalise"] == 1
