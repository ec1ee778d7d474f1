"""Discord's request limits, enforced as Discord does: a 400 "Invalid Form Body" naming the field.

A bot that overflows a limit here fails the same way it would in production, so the fake catches
rendering bugs that a permissive mock would hide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from tests.fake_discord import payloads
from tests.fake_discord.payloads import JSON, CommandType, ComponentType

Path = tuple[str | int, ...]

MESSAGE_CONTENT = 2000
EMBEDS = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
EMBED_FIELD_NAME = 256
EMBED_FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_AUTHOR = 256
EMBED_TOTAL = 6000
ACTION_ROWS = 5
ROW_COMPONENTS = 5
CUSTOM_ID = 100
BUTTON_LABEL = 80
CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
SELECT_OPTIONS = 25
SELECT_OPTION_TEXT = 100
SELECT_PLACEHOLDER = 150
THREAD_NAME = 100
COMMAND_NAME = 32
COMMAND_DESCRIPTION = 100
COMMAND_OPTIONS = 25
CHAT_INPUT_NAME = re.compile(r"^[-_\w]{1,32}$")

EMPTY_MESSAGE = payloads.error(50006, "Cannot send an empty message")


class FormErrors:
    """Collects field errors into Discord's nested `errors` tree."""

    def __init__(self) -> None:
        self.tree: JSON = {}

    def add(self, path: Path, code: str, message: str) -> None:
        node = self.tree
        for key in path:
            node = node.setdefault(str(key), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def max_length(self, path: Path, value: Any, limit: int) -> None:
        if value is not None and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def bad_length(self, path: Path, value: Any, low: int, high: int) -> None:
        if value is None or not low <= len(value) <= high:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def body(self) -> JSON | None:
        return payloads.error(50035, "Invalid Form Body", self.tree) if self.tree else None


def field_error(path: Path, code: str, message: str) -> JSON:
    errors = FormErrors()
    errors.add(path, code, message)
    return errors.body() or {}


def message_errors(body: JSON, *, has_files: bool = False, edit: bool = False) -> JSON | None:
    """The error Discord answers a message create/edit body with, or None if it is valid."""
    errors = FormErrors()
    errors.max_length(("content",), body.get("content"), MESSAGE_CONTENT)
    embeds = body.get("embeds") or []
    errors.max_length(("embeds",), embeds, EMBEDS)
    total = 0
    for index, embed in enumerate(embeds):
        total += _check_embed(errors, ("embeds", index), embed)
    if total > EMBED_TOTAL:
        errors.add(
            ("embeds",),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {EMBED_TOTAL}",
        )
    _check_components(errors, body.get("components") or [])
    if found := errors.body():
        return found
    empty = not (
        body.get("content")
        or embeds
        or body.get("components")
        or body.get("sticker_ids")
        or body.get("poll")
        or body.get("attachments")
        or has_files
    )
    # An edit may legitimately send only the fields it changes.
    return EMPTY_MESSAGE if empty and not edit else None


def _check_embed(errors: FormErrors, path: Path, embed: JSON) -> int:
    title, description = embed.get("title"), embed.get("description")
    footer = (embed.get("footer") or {}).get("text")
    author = (embed.get("author") or {}).get("name")
    errors.max_length((*path, "title"), title, EMBED_TITLE)
    errors.max_length((*path, "description"), description, EMBED_DESCRIPTION)
    errors.max_length((*path, "footer", "text"), footer, EMBED_FOOTER)
    errors.max_length((*path, "author", "name"), author, EMBED_AUTHOR)
    fields = embed.get("fields") or []
    errors.max_length((*path, "fields"), fields, EMBED_FIELDS)
    size = sum(len(text or "") for text in (title, description, footer, author))
    for index, field in enumerate(fields):
        errors.bad_length((*path, "fields", index, "name"), field.get("name"), 1, EMBED_FIELD_NAME)
        errors.bad_length(
            (*path, "fields", index, "value"), field.get("value"), 1, EMBED_FIELD_VALUE
        )
        size += len(field.get("name") or "") + len(field.get("value") or "")
    return size


def _check_components(errors: FormErrors, rows: list[JSON]) -> None:
    errors.max_length(("components",), rows, ACTION_ROWS)
    for row_index, row in enumerate(rows):
        if row.get("type") != ComponentType.ACTION_ROW:
            continue
        children = row.get("components") or []
        errors.max_length(("components", row_index, "components"), children, ROW_COMPONENTS)
        for index, child in enumerate(children):
            path = ("components", row_index, "components", index)
            if "custom_id" in child:
                errors.bad_length((*path, "custom_id"), child["custom_id"], 1, CUSTOM_ID)
            errors.max_length((*path, "label"), child.get("label"), BUTTON_LABEL)
            if child.get("type") == ComponentType.STRING_SELECT:
                _check_select(errors, path, child)


def _check_select(errors: FormErrors, path: tuple, select: JSON) -> None:
    """Discord's caps on a string select (docs: Component Reference, String Select)."""
    options = select.get("options") or []
    errors.bad_length((*path, "options"), options, 1, SELECT_OPTIONS)
    errors.max_length((*path, "placeholder"), select.get("placeholder"), SELECT_PLACEHOLDER)
    for index, option in enumerate(options):
        where = (*path, "options", index)
        errors.bad_length((*where, "label"), option.get("label"), 1, SELECT_OPTION_TEXT)
        errors.bad_length((*where, "value"), option.get("value"), 1, SELECT_OPTION_TEXT)
        errors.max_length((*where, "description"), option.get("description"), SELECT_OPTION_TEXT)


def autocomplete_errors(data: JSON) -> JSON | None:
    errors = FormErrors()
    choices = data.get("choices") or []
    errors.max_length(("data", "choices"), choices, CHOICES)
    for index, choice in enumerate(choices):
        errors.bad_length(("data", "choices", index, "name"), choice.get("name"), 1, CHOICE_NAME)
        if isinstance(choice.get("value"), str):
            errors.max_length(("data", "choices", index, "value"), choice["value"], CHOICE_VALUE)
    return errors.body()


def thread_name_errors(body: JSON) -> JSON | None:
    errors = FormErrors()
    errors.bad_length(("name",), body.get("name"), 1, THREAD_NAME)
    return errors.body()


def commands_errors(commands: Iterable[JSON]) -> JSON | None:
    """Bulk-overwrite validation: names, descriptions and option counts."""
    errors = FormErrors()
    for index, command in enumerate(commands):
        name = command.get("name") or ""
        if command.get("type", CommandType.CHAT_INPUT) == CommandType.CHAT_INPUT:
            if not CHAT_INPUT_NAME.match(name) or name != name.lower():
                errors.add(
                    (index, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
                )
            errors.bad_length(
                (index, "description"), command.get("description"), 1, COMMAND_DESCRIPTION
            )
        else:
            errors.bad_length((index, "name"), name, 1, COMMAND_NAME)
        errors.max_length((index, "options"), command.get("options") or [], COMMAND_OPTIONS)
    return errors.body()
