"""Load the knowledge directory into a validated, immutable `Knowledge`, or say all that is wrong.

A broken file never reaches the bot: `load_knowledge` raises `KnowledgeError` listing every
problem as `knowledge/<file>:<line>: <message>`, which CI prints for the moderator.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import bot
from bot.core.entry import Tips
from bot.core.model import Knowledge
from bot.knowledge.calibration import CALIBRATION_FILE, CalibrationError, load_calibration
from bot.knowledge.clients import CLIENTS_FILE, SlotError, load_client_markers
from bot.knowledge.language import LanguageError, load_labels, load_words
from bot.knowledge.signals import FILES as SIGNAL_FILES
from bot.knowledge.signals import Signals, load_signals, signals_dir
from bot.knowledge.validate import (
    Draft,
    Problem,
    entries_from,
    validate_entry,
    validate_tips,
    validate_together,
)
from bot.knowledge.yaml_lines import Document, YamlError, read_mapping

__all__ = [
    "ENV_VAR",
    "TIPS_FILE",
    "KnowledgeError",
    "Located",
    "Problem",
    "default_knowledge_dir",
    "load_knowledge",
    "load_located",
]

ENV_VAR = "FWERROR_KNOWLEDGE_DIR"
TIPS_FILE = "tips.yaml"
SUFFIXES = (".yaml", ".yml")
VERSION_LENGTH = 12
MAX_FILE_BYTES = 256 * 1024  # the largest shipped entry is a few KiB


class KnowledgeError(Exception):
    """The knowledge directory is unusable; `problems` lists every reason, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(map(str, self.problems)))


@dataclass(frozen=True, slots=True)
class Located:
    """Loaded knowledge plus each entry's parsed file, so `check` can point at lines."""

    knowledge: Knowledge
    documents: Mapping[str, Document]  # by entry id


def default_knowledge_dir() -> Path:
    """$FWERROR_KNOWLEDGE_DIR, else the checkout's `knowledge/`, else the copy in the wheel."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        path = Path(configured).expanduser()
        if not _is_dir(path):
            raise KnowledgeError(
                [
                    Problem(
                        path,
                        None,
                        f"{ENV_VAR} is set to {configured!r}, which is not a directory — "
                        "point it at a knowledge directory, or unset it to use the bundled one",
                    )
                ]
            )
        return path
    package = Path(bot.__file__).parent
    checkout = package.parent / "knowledge"
    return checkout if checkout.is_dir() else package / "_knowledge"


def load_knowledge(directory: Path | None = None) -> Knowledge:
    """Read and validate every entry and `tips.yaml`; raise `KnowledgeError` with all problems."""
    return load_located(directory).knowledge


def load_located(directory: Path | None = None) -> Located:
    """`load_knowledge`, also keeping each entry's parsed file (with line numbers)."""
    directory = (directory if directory is not None else default_knowledge_dir()).resolve()
    if not _is_dir(directory):
        raise KnowledgeError(
            [
                Problem(
                    directory,
                    None,
                    "the knowledge directory does not exist — create it, or pass the right path",
                )
            ]
        )
    paths, problems = _knowledge_files(directory)
    drafts: list[Draft] = []
    tips: Tips | None = None
    digest = hashlib.sha256()
    for path in paths:
        try:
            data = _read(path)
            digest.update(path.name.encode() + b"\0" + data + b"\0")
            document = read_mapping(_decode(data))
        except YamlError as error:
            problems.append(Problem(path, error.line, error.message))
            continue
        if path.name == TIPS_FILE:
            tips, found = validate_tips(document, path)
        else:
            draft, found = validate_entry(document, path)
            drafts.append(draft)
        problems += found
    problems += _missing(directory, [*paths, *(problem.file for problem in problems)])
    problems += validate_together(drafts)
    signals, found = _signals(directory, drafts, digest)
    problems += found
    try:
        calibration = load_calibration(directory)
    except CalibrationError as error:
        problems.append(Problem(directory / CALIBRATION_FILE, None, str(error)))
    try:
        clients = load_client_markers(directory)
    except SlotError as error:
        problems.append(Problem(directory / CLIENTS_FILE, None, str(error)))
        clients = {}
    problems += _clients_named(drafts, clients)
    words: dict[str, frozenset[str]] = {}
    labels: dict[str, dict[str, str]] = {}
    try:
        words = load_words(directory)
        labels = load_labels(directory)
    except LanguageError as error:
        problems.append(Problem(directory / "languages", None, str(error)))
    if problems or tips is None:
        raise KnowledgeError(sorted(problems, key=Problem.sort_key))
    knowledge = Knowledge(
        entries=entries_from(drafts),
        tips=tips,
        version=digest.hexdigest()[:VERSION_LENGTH],
        loaded_at=datetime.now(UTC),
        directory=directory,
        signals=signals,
        calibration=calibration,
        clients=clients,
        words=words,
        labels=labels,
    )
    return Located(knowledge, {draft.id: draft.document for draft in drafts})


def _signals(directory: Path, drafts: list[Draft], digest: Any) -> tuple[Signals, list[Problem]]:
    """The vocabulary of `signals/` (the bundled one if the directory has none)."""
    codes = {d.values["id"]: str(d.values.get("code")) for d in drafts if d.values.get("id")}
    signal_dir = signals_dir(directory)
    own = signal_dir.parent == directory
    signals, problems = load_signals(signal_dir, codes, strict=own)
    problems += _entries_named(signals, codes, signal_dir) if own else []
    for name in SIGNAL_FILES:  # a vocabulary change is a knowledge change
        with contextlib.suppress(OSError):
            digest.update(name.encode() + b"\0" + (signal_dir / name).read_bytes() + b"\0")
    return signals, problems


def _clients_named(drafts: list[Draft], clients: dict[str, tuple[str, ...]]) -> list[Problem]:
    """An entry's `slots: clients` may name only clients `slots/clients.yaml` can detect."""
    problems = []
    for draft in drafts:
        slots = draft.values.get("slots")
        for name, _ in slots.clients if slots else ():
            if name not in clients:
                known = ", ".join(clients) or "none: add knowledge/slots/clients.yaml"
                problems.append(
                    Problem(draft.path, draft.line("slots"), f"no client {name!r}; known: {known}")
                )
    return problems


def _entries_named(signals: Signals, codes: dict[str, str], directory: Path) -> list[Problem]:
    """A signal may name only an entry with no status: a status comes from the status itself."""
    problems = []
    terms = [*signals.exceptions.values(), *signals.transport, *signals.proxies]
    for term in terms:
        if term.meaning in codes and codes[term.meaning] != "none":
            problems.append(
                Problem(
                    directory / term.file,
                    term.line,
                    f"'{term.text}' names {term.meaning}, an entry with a status code — name "
                    f"the code ({codes[term.meaning]}) instead, or an entry with 'code: none'",
                )
            )
    return problems


def _is_dir(path: Path) -> bool:
    """`Path.is_dir`, but a name too long for the system is no directory rather than a crash."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _knowledge_files(directory: Path) -> tuple[list[Path], list[Problem]]:
    """The YAML files to read, and a problem for each one that must not be read."""
    try:
        names = sorted(
            path
            for path in directory.iterdir()
            if path.suffix in SUFFIXES and not path.name.startswith(".")
        )
    except OSError as error:
        return [], [Problem(directory, None, f"can't list the directory: {error.strerror}")]
    paths: list[Path] = []
    problems: list[Problem] = []
    for path in names:
        refusal = _refusal(directory, path)
        if refusal is None:
            paths.append(path)
        else:
            problems.append(Problem(path, None, refusal))
    return paths, problems


def _refusal(directory: Path, path: Path) -> str | None:
    """Why `path` is not read, if it isn't: a link out of `directory` could quote any file."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a loop of links
        return "is a symbolic link that leads to no file — restore its target, or delete the link"
    if directory not in target.parents:
        return (
            "is a symbolic link to a file outside the knowledge directory — copy the file "
            "into the directory instead of linking to it"
        )
    if not target.is_file():
        return "is not a regular file — a knowledge entry is one YAML file"
    return None


def _read(path: Path) -> bytes:
    """The file's bytes, refusing one too big to be an entry (it would slow every check)."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise YamlError(1, f"the file can't be read: {error.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise YamlError(
            1,
            f"the file is over {MAX_FILE_BYTES // 1024} KiB; a knowledge entry is a few KiB — "
            "keep one error per file and cut long examples down to the lines that matter",
        )
    return data


def _decode(data: bytes) -> str:
    if b"\0" in data:
        raise YamlError(1, "the file is binary, not text — knowledge files must be UTF-8 YAML text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise YamlError(
            line,
            f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} on this line) — "
            "save it with UTF-8 encoding",
        ) from error


def _missing(directory: Path, paths: list[Path]) -> list[Problem]:
    names = {path.name for path in paths}
    problems = []
    if TIPS_FILE not in names:
        problems.append(
            Problem(
                directory / TIPS_FILE,
                None,
                "missing — create it with support_email, status_url, docs_url and general "
                "(see knowledge/README.md)",
            )
        )
    if not names - {TIPS_FILE}:
        problems.append(
            Problem(
                directory,
                None,
                "no entries — add one <code>-<slug>.yaml file per known error",
            )
        )
    return problems
