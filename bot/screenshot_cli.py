"""`python -m bot explain --image FILE`: explain a screenshot (and any text) offline."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.core.decision import Mode
from bot.core.explain import Explanation, explain
from bot.core.model import Knowledge
from bot.core.redact import leak_warning
from bot.message_text import MessageText
from bot.pictures import picture_quote, unsure_notice
from bot.prepared_message import prepare_message
from bot.screenshots.engine import EXTRA, available
from bot.screenshots.images import MAX_BYTES
from bot.screenshots.reading import read_now


def _picture_bytes(name: str) -> bytes | None:
    try:
        if name == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with Path(name).open("rb") as file:
                data = file.read(MAX_BYTES + 1)
    except OSError as error:
        print(f"fwerror: can't read {name}: {error.strerror or error}", file=sys.stderr)
        return None
    return data


def explain_picture(
    text: str, image: str, knowledge: Knowledge, mode: Mode
) -> tuple[Explanation, list[str]] | None:
    """The explanation of `text` and the screenshot together, and the notes to print first.

    None (after saying why on stderr) when the picture can't be read at all.
    """
    if not available():
        print(f"fwerror: reading screenshots needs the OCR engine: {EXTRA}", file=sys.stderr)
        return None
    data = _picture_bytes(image)
    if data is None:
        return None
    reading = read_now(data, knowledge)
    if reading.refused:
        print(f"fwerror: the picture was not read: {reading.refused}", file=sys.stderr)
        return None
    message = prepare_message(MessageText(text, pictures=(reading,)))
    result = explain(message.logs, knowledge, mode, prepared=message.matched)
    notes = []
    shown = message.pictured  # every line read, prompts included
    if shown.found and not result.redaction.found:  # else the caller warns, as for text
        warning = leak_warning(shown.secrets, "Your screenshot", "the screenshot")
        print(f"warning: {warning}", file=sys.stderr)
    if result.reply is not None and (quote := picture_quote(result, message.trusted_pictures)):
        notes.append(quote)
    if mode == "explicit" and (unsure := unsure_notice(message.pictures)):
        notes.append(unsure)
    return result, notes
