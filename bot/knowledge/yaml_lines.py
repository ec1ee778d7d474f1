"""Read a YAML mapping and remember the line of every key and list item.

Validation messages point at `file:line`, so values are built from the composed node tree
(which carries marks) instead of from `yaml.safe_load` (which drops them).

Knowledge is plain data: anchors, aliases and complex keys (a list or mapping as a key) are
refused from the parser's events, before anything is built. A few hundred bytes of nested
aliases expand to billions of items (an "alias bomb"), which would stall a reload.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

_NO_REFERENCES = "anchors (&) and aliases (*) are not allowed — write the value out in full"
_COMPLEX_KEY = "a key must be a plain word, not a list or a mapping — write it as 'key: value'"
# libyaml is several times faster and keeps the same marks; fall back when it isn't compiled in.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(Exception):
    """The text is not a readable YAML mapping; `message` says how to fix it."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class Field:
    """One top-level key: its plain Python value, its line, and the line of each list item."""

    key: str
    value: Any
    line: int
    item_lines: tuple[int, ...] = ()

    def item_line(self, index: int) -> int:
        """The line of list item `index`, or the key's line when it is not a list."""
        return self.item_lines[index] if index < len(self.item_lines) else self.line


@dataclass(frozen=True, slots=True)
class Document:
    """A YAML mapping read with line numbers; a repeated key is kept once and listed apart."""

    fields: dict[str, Field]
    repeated: tuple[Field, ...] = ()


def _refuse_references(text: str) -> None:
    """Raise `YamlError` at the first anchor, alias or complex key, reading events only."""
    waits_for_key: list[bool | None] = []  # per open collection; None for a list
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise YamlError(line, f"alias '*{event.anchor}': {_NO_REFERENCES}")
        if isinstance(event, yaml.CollectionEndEvent):
            waits_for_key.pop()
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        if event.anchor is not None:
            raise YamlError(line, f"anchor '&{event.anchor}': {_NO_REFERENCES}")
        is_collection = isinstance(event, yaml.CollectionStartEvent)
        top = waits_for_key[-1] if waits_for_key else None
        if top is not None:  # in a mapping, keys and values take turns
            if top and is_collection:
                raise YamlError(line, _COMPLEX_KEY)
            waits_for_key[-1] = not top
        if is_collection:
            waits_for_key.append(True if isinstance(event, yaml.MappingStartEvent) else None)


def load_plain(text: str) -> Any:
    """`text` as plain data (no line numbers), for the small knowledge files read whole;
    anchors, aliases and complex keys are refused first, before anything is built."""
    try:
        _refuse_references(text)
    except yaml.YAMLError as error:
        raise YamlError(_error_line(error, text), _syntax_message(error)) from error
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise YamlError(_error_line(error, text), _syntax_message(error)) from error


def read_mapping(text: str) -> Document:
    """Parse `text` as one YAML mapping; raise `YamlError` for syntax errors or another shape."""
    try:
        _refuse_references(text)
    except yaml.YAMLError as error:
        raise YamlError(_error_line(error, text), _syntax_message(error)) from error
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlError(1, "the file is empty — write the fields as 'key: value' lines")
        if not isinstance(node, yaml.MappingNode):
            found = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            raise YamlError(
                _line(node),
                f"the file must be a mapping of 'key: value' lines, but it holds {found}",
            )
        return _document(loader, node)
    except yaml.YAMLError as error:
        raise YamlError(_error_line(error, text), _syntax_message(error)) from error
    finally:
        loader.dispose()


def _document(loader: Any, node: yaml.MappingNode) -> Document:
    fields: dict[str, Field] = {}
    repeated: list[Field] = []
    for key_node, value_node in node.value:
        key = str(loader.construct_object(key_node, deep=True))
        items = value_node.value if isinstance(value_node, yaml.SequenceNode) else ()
        field = Field(
            key=key,
            value=loader.construct_object(value_node, deep=True),
            line=_line(key_node),
            item_lines=tuple(_line(item) for item in items),
        )
        if key in fields:
            repeated.append(field)
        else:
            fields[key] = field
    return Document(fields, tuple(repeated))


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _error_line(error: yaml.YAMLError, text: str) -> int:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        return mark.line + 1
    position = getattr(error, "position", None)  # ReaderError: a character offset, no mark
    return text.count("\n", 0, position) + 1 if isinstance(position, int) else 1


def _syntax_message(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.reader.ReaderError):
        return (
            "the file contains a control character YAML does not allow — delete it "
            "(it is often invisible; retype the line)"
        )
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    where = f" ({context})" if context else ""
    return (
        f"YAML syntax error: {problem}{where} — check the indentation, and quote values "
        "that contain ': ' or ' #' or start with a quote, '{', '[', '*', '&' or '@'"
    )
