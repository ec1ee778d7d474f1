"""Log formats; discord.py's payload dumps held back in whichever shape they reach the handler."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot.bot import RedactSecrets
from bot.observability.logs import JsonFormatter, OmitPayloads, configure_logging, log_handler

PASTE = "openai.RateLimitError: Error code: 429 secret-words-here"
KEY = "fw_" + "Zx9" * 9
EVENT = {"op": 0, "t": "MESSAGE_CREATE", "s": 7, "d": {"content": f"{PASTE} {KEY}"}}


def record(name: str, msg: str, *args: object, level: int = logging.DEBUG) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, args, None)


def shown(rec: logging.LogRecord, *filters: logging.Filter) -> str:
    """What a handler writes: the loggers' filters first, then the handler's."""
    for f in (*filters, OmitPayloads()):
        f.filter(rec)
    return rec.getMessage()


@pytest.mark.parametrize("before", [(), (RedactSecrets(),)], ids=["raw", "after-redaction"])
def test_gateway_event_is_summarised(before: tuple[logging.Filter, ...]) -> None:
    rec = record("discord.gateway", "For Shard ID %s: WebSocket Event: %s", None, EVENT)
    text = shown(rec, *before)
    assert "op=0 t=MESSAGE_CREATE s=7" in text and "payload not logged" in text
    assert "secret-words-here" not in text and KEY not in text


def test_http_bodies_are_dropped_and_interaction_tokens_masked() -> None:
    url = "https://discord.com/api/v10/interactions/123/aW50ZXJhY3Rpb24tdG9rZW4/callback"
    sent = record("discord.http", "%s %s with %s has returned %s", "POST", url, {"c": PASTE}, 200)
    received = record("discord.http", "%s %s has received %s", "POST", url, {"c": PASTE})
    for rec in (sent, received):
        text = shown(rec, RedactSecrets())
        assert "secret-words" not in text and "aW50ZXJhY3Rpb24tdG9rZW4" not in text
        assert "/interactions/123/…/callback" in text
    assert shown(sent).endswith("has returned 200 (body not logged)")


def test_the_bots_own_records_pass_untouched() -> None:
    rec = record("bot.decisions", "decision %s", "action=answer", level=logging.INFO)
    assert shown(rec) == "decision action=answer"


def test_json_formatter_keeps_extras_and_one_line_per_record() -> None:
    rec = record("bot.decisions", "a\nb", level=logging.INFO)
    rec.decision = {"entry": "429-rate-limit"}
    line = JsonFormatter().format(rec)
    assert "\n" not in line
    body = json.loads(line)
    assert body["message"] == "a\nb" and body["decision"] == {"entry": "429-rate-limit"}
    assert body["level"] == "INFO" and body["logger"] == "bot.decisions"
    assert body["time"].endswith("+00:00")


def test_handler_formats() -> None:
    stream = io.StringIO()
    handler = log_handler("text", stream)
    handler.handle(record("bot.x", "hello", level=logging.WARNING))
    assert stream.getvalue().rstrip().endswith("WARNING bot.x: hello")


def test_configure_logging_sends_discord_records_as_json(capsys: pytest.CaptureFixture) -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging("INFO", "json")
        logging.getLogger("discord.client").info("logging in using static token")
        logging.getLogger("discord.client").debug("below the level")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    lines = capsys.readouterr().err.splitlines()
    assert [json.loads(line)["logger"] for line in lines] == ["discord.client"]


@pytest.mark.asyncio
async def test_debug_logs_hold_no_users_text_from_the_database_libraries(
    database_url: str, capsys: pytest.CaptureFixture
) -> None:
    """aiosqlite logs each call with its parameters (excerpts, ids) at DEBUG: none of it may
    reach the log when the bot runs at DEBUG."""
    from bot.store.service import StoreService
    from tests.store.test_store import decision

    text, author, message = "USER-TEXT-MARKER in a paste", 987654321987654321, 123456789012345678
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging("DEBUG")
        service = StoreService(database_url)
        await service.start()
        service.record(decision(excerpt=text, author_id=author, message_id=message))
        await service.flush()
        await service.add_escalation(
            {"key": message, "matched": text, "excerpt": text, "jump_url": "", "reporter_id": 1}
        )
        assert service.store is not None
        await service.store.report_data(0.0, 1.0)  # reads the excerpt back
        logging.getLogger("bot.store").debug("the control line")
        await service.close()
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    written = capsys.readouterr().err
    assert "the control line" in written  # DEBUG was on
    for secret in (text, str(author), str(message)):
        assert secret not in written
