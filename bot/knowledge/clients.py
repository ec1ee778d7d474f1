"""Reading `knowledge/slots/clients.yaml`: which literal text in a paste shows which client, so a
slot's per-client fix step (`bot.core.slots`) can be chosen.
"""

from __future__ import annotations

from pathlib import Path

from bot.knowledge.yaml_lines import YamlError, load_plain

CLIENTS_FILE = Path("slots") / "clients.yaml"


class SlotError(ValueError):
    """The client markers file is unusable; the message says why."""


def load_client_markers(directory: Path) -> dict[str, tuple[str, ...]]:
    """The client markers in `directory`, in order; none when the knowledge ships none."""
    path = directory / CLIENTS_FILE
    if not path.is_file():
        return {}
    try:
        document = load_plain(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YamlError) as error:
        raise SlotError(f"can't read it: {error}") from None
    if not isinstance(document, dict) or not all(
        isinstance(marks, list) and marks and all(isinstance(m, str) and m for m in marks)
        for marks in document.values()
    ):
        raise SlotError("each client maps to a list of the literal texts it prints")
    return {str(name): tuple(marks) for name, marks in document.items()}
