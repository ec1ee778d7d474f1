"""Where log records go and how they look: `text` for people, `json` (one object a line) for a log
system. Both formats hold back what users wrote: discord.py logs whole gateway and HTTP payloads
at DEBUG, which carry pastes, and interaction tokens sit in its request URLs; the database
libraries log statements' parameters and rows, so they stay quieter than the bot.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

import discord

from bot.core.linear_re import compile_linear

TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
# Attributes every LogRecord has; anything else on a record came from `extra=` and is kept.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}
_GATEWAY_EVENT = compile_linear(r"(For Shard ID \S+: WebSocket Event): (.*)", dot_all=True)
_HTTP_SENT = compile_linear(r"(\S+) (\S+) with .* (has returned \S+)", dot_all=True)
_HTTP_RECEIVED = compile_linear(r"(\S+) (\S+) has received .*", dot_all=True)
_FIELD = r"""["']{}["']\s*:\s*["']?([\w.-]+)"""
_OP, _TYPE, _SEQ = (compile_linear(_FIELD.format(name)) for name in ("op", "t", "s"))
# Interaction and webhook tokens in URLs answer as the bot for 15 minutes.
_URL_TOKEN = compile_linear(r"(/(?:interactions|webhooks)/\d+/)[^/?\s]+")
# Libraries whose lower levels write what the store holds, so they stay at these levels whatever
# the bot's: aiosqlite logs each call with its parameters at DEBUG; SQLAlchemy, once its loggers
# are on, logs statements at INFO and the rows it reads at DEBUG. Warnings and errors still pass.
QUIET_LIBRARIES = {"aiosqlite": logging.INFO, "sqlalchemy": logging.WARNING}


def _summary(payload: Any) -> str:
    """op, event type and sequence of a gateway payload (a dict, or its JSON or repr)."""
    if isinstance(payload, dict):
        found = {key: payload.get(key) for key in ("op", "t", "s")}
    else:
        text = str(payload)
        found = {
            key: (match.group(1) if (match := pattern.search(text)) else None)
            for key, pattern in (("op", _OP), ("t", _TYPE), ("s", _SEQ))
        }
    return " ".join(f"{key}={value}" for key, value in found.items() if value not in (None, "None"))


class OmitPayloads(logging.Filter):
    """Shorten discord.py's payload dumps to what an operator needs; mask tokens in URLs.

    A handler filter, so it sees every record the handler writes, whichever logger made it,
    after the loggers' own filters (the bot's secret redaction) ran.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("discord."):
            return True
        if record.name == "discord.gateway" and isinstance(record.args, tuple):
            args = record.args
            if record.msg == "For Shard ID %s: WebSocket Event: %s" and len(args) == 2:
                record.msg, record.args = (
                    "%s: WebSocket Event: %s (payload not logged)",
                    (
                        args[0],
                        _summary(args[1]),
                    ),
                )
                return True
        message = record.getMessage()
        if match := _GATEWAY_EVENT.fullmatch(message):
            message = f"{match[1]}: {_summary(match[2])} (payload not logged)"
        elif match := _HTTP_SENT.fullmatch(message):
            message = f"{match[1]} {match[2]} {match[3]} (body not logged)"
        elif match := _HTTP_RECEIVED.fullmatch(message):
            message = f"{match[1]} {match[2]} succeeded (response not logged)"
        masked = _URL_TOKEN.sub(lambda m: f"{m[1]}…", message)  # RE2 mangles a non-ASCII template
        if masked != record.getMessage():
            record.msg, record.args = masked, ()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line: time, level, logger, message and any extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def log_handler(log_format: str, stream: TextIO | None = None) -> logging.Handler:
    """A stream handler (stderr by default) in `log_format`, holding back users' payloads."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    handler.addFilter(OmitPayloads())
    return handler


def configure_logging(level: str, log_format: str = "text") -> None:
    """Send every record (discord.py's too) to stderr in `log_format`, at `level` and above."""
    logging.basicConfig(level=level, handlers=[log_handler(log_format)], force=True)
    for name, floor in QUIET_LIBRARIES.items():
        logging.getLogger(name).setLevel(max(floor, logging.getLevelName(level)))
    # The bot never joins voice; discord.py would warn that PyNaCl and davey are missing.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False
