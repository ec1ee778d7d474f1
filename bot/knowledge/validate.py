"""The rules a knowledge file must follow, reported as `file:line: what is wrong — how to fix`.

Every rule runs even when an earlier one failed, so a moderator sees all problems of a PR in
one CI run instead of one per push.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.core.entry import Entry, Pattern, Tips
from bot.core.language import LANGUAGES
from bot.core.linear_re import compile_linear, for_re2
from bot.core.render import first_sentence, shorten
from bot.core.slots import PLACEHOLDERS, SLOT_KEYS, Slots, placeholders
from bot.core.translation import Translation
from bot.core.words import alnum_runs
from bot.knowledge.regex_safety import compile_pattern
from bot.knowledge.yaml_lines import Document, Field

ENTRY_KEYS = (
    "id",
    "code",
    "title",
    "generic",
    "escalate",
    "outage",
    "cause",
    "fix",
    "tips",
    "notes",
    "docs",
    "aliases",
    "patterns",
    "examples",
    "slots",
    "translations",
)
REQUIRED_KEYS = ("id", "code", "title", "escalate", "cause", "fix", "docs", "examples")
TIPS_KEYS = ("support_email", "status_url", "docs_url", "general")

# Caps: Discord's embed limits (title 256, field value 1024) and our own for brevity. The
# fields users read (USER_FACING) are capped so an answer stays short; `notes` is for
# moderators (history, other spellings, which library raises what) and is never shown.
USER_FACING = ("title", "cause", "fix", "tips")
MODERATOR_ONLY = ("notes",)
ID_LENGTH = (3, 64)
CODE_RANGE = (400, 599)
TITLE_LENGTH = (1, 256)
TEXT_LENGTH = (20, 1024)
CAUSE_LENGTH = (20, 600)
FIRST_SENTENCE = 220  # a short answer shows the cause's first sentence alone
NOTES_LENGTH = (1, 2000)
# Words that speak to moderators about where a reading comes from: they belong in `notes`.
MODERATOR_PHRASES = ("original table", "seed table", "current guide")
TIP_LENGTH = (1, 300)
MAX_TIPS = 5
MAX_GENERAL_TIPS = 10
ALIAS_LENGTH = (2, 100)
LITERAL_MIN = 8
MIN_EXAMPLES = 3
URL_MAX = 512
PLACEHOLDER = "TODO"
NO_STATUS = "none"  # `code: none`: an error that happens before any HTTP status

_LIST_KEYS = ("aliases", "patterns", "tips", "examples")
_OPTIONAL_LISTS = ("aliases", "patterns", "tips")

SLUG = compile_linear(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_EMAIL = compile_linear(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# What each field holds, for "missing" and "fill in" messages.
HELP = {
    "id": "the file name without .yaml, e.g. 429-rate-limit",
    "code": "the HTTP status code, a number from 400 to 599, or none for an error that "
    "happens before any status (TLS, DNS, a refused connection)",
    "title": 'a one-line headline, e.g. "429 Too Many Requests: serverless rate limit"',
    "generic": "true when this entry answers for its code when nothing more specific fits",
    "escalate": "true only for server-side faults that need humans (500, 520), else false",
    "outage": "whether many people reporting this at once is an outage (default: true for a "
    "5xx, false otherwise)",
    "cause": "why this happens, in our own words",
    "fix": "what to do, as concrete steps",
    "tips": "an extra hint specific to this entry",
    "notes": "what moderators should know (history, other spellings, which library raises "
    "what); never shown to users",
    "docs": "an https link to the relevant documentation page",
    "aliases": "a phrase people type for this error",
    "patterns": "a message string that identifies this entry",
    "examples": "a realistic paste of this error",
    "slots": "templates filled from the paste: cause, fix, and clients (see knowledge/README.md)",
    "translations": "the title, cause and fix in another language, with the source hash",
    "support_email": "the support address, e.g. support@fireworks.ai",
    "status_url": "the https status page, e.g. https://status.fireworks.ai",
    "docs_url": "the https error-code docs page",
    "general": "a general troubleshooting tip",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a knowledge file; `str()` gives `knowledge/<file>:<line>: <message>`."""

    file: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = shown(self.file)
        return f"{where}:{self.line}: {self.message}" if self.line else f"{where}: {self.message}"

    def sort_key(self) -> tuple[str, int]:
        return (self.file.name, self.line or 0)


@dataclass(slots=True)
class Draft:
    """The fields of one entry file that passed their own rules, before cross-file rules."""

    path: Path
    document: Document
    values: dict[str, Any] = field(default_factory=dict)  # list fields hold (line, item) pairs

    @property
    def id(self) -> str:
        return self.values.get("id", self.path.stem)

    def line(self, key: str) -> int:
        found = self.document.fields.get(key)
        return found.line if found else 1

    def to_entry(self, generic: bool) -> Entry:
        """The validated entry; call only when no problem was found anywhere."""
        items = {key: tuple(item for _, item in self.values.get(key, ())) for key in _LIST_KEYS}
        return Entry(
            id=self.values["id"],
            code="" if self.values["code"] == NO_STATUS else str(self.values["code"]),
            title=self.values["title"],
            cause=self.values["cause"],
            fix=self.values["fix"],
            notes=self.values.get("notes", ""),
            docs=self.values["docs"],
            escalate=self.values["escalate"],
            outage=self.values.get("outage", str(self.values["code"]).startswith("5")),
            generic=generic,
            aliases=items["aliases"],
            patterns=items["patterns"],
            tips=items["tips"],
            examples=items["examples"],
            slots=self.values.get("slots"),
            translations=self.values.get("translations", ()),
            source=self.path,
            line=self.line("id"),
        )


def validate_entry(document: Document, path: Path) -> tuple[Draft, list[Problem]]:
    """Apply the per-file rules of an entry; cross-entry rules come later in `validate_together`."""
    rules = _Rules(path, document)
    rules.keys(ENTRY_KEYS, REQUIRED_KEYS)
    values: dict[str, Any] = {
        "id": rules.entry_id(),
        "code": rules.code(),
        "title": rules.text("title", TITLE_LENGTH, "Discord shows at most {max} in a title"),
        "generic": rules.flag("generic"),
        "escalate": rules.flag("escalate"),
        "outage": rules.flag("outage"),
        "cause": rules.cause(),
        "fix": rules.text("fix", TEXT_LENGTH, "Discord shows at most {max} in an embed field"),
        "docs": rules.url("docs"),
        "tips": rules.texts("tips", (0, MAX_TIPS), TIP_LENGTH),
        "notes": rules.text("notes", NOTES_LENGTH, "keep moderator notes at most {max}"),
        "aliases": rules.aliases(),
        "patterns": rules.patterns(),
        "examples": rules.texts("examples", (MIN_EXAMPLES, None), (1, None)),
        "slots": rules.slots(),
        "translations": rules.translations(),
    }
    valid = {key: value for key, value in values.items() if value is not None}
    rules.speaks_to_users(valid)
    return Draft(path, document, valid), rules.problems


def validate_tips(document: Document, path: Path) -> tuple[Tips | None, list[Problem]]:
    """Apply the rules of `tips.yaml`; the tips are returned only when all of them hold."""
    rules = _Rules(path, document)
    rules.keys(TIPS_KEYS, TIPS_KEYS)
    email = rules.email("support_email")
    status_url = rules.url("status_url")
    docs_url = rules.url("docs_url")
    general = rules.texts("general", (1, MAX_GENERAL_TIPS), TIP_LENGTH)
    if rules.problems or None in (email, status_url, docs_url, general):
        return None, rules.problems
    tips = Tips(tuple(tip for _, tip in general), email, status_url, docs_url)
    return tips, rules.problems


def validate_together(drafts: list[Draft]) -> list[Problem]:
    """Rules across entries: unique ids, aliases and patterns; one generic entry per code."""
    problems: list[Problem] = []
    first_with_id: dict[str, Draft] = {}
    for draft in drafts:
        entry_id = draft.values.get("id")
        if entry_id is None:
            continue
        owner = first_with_id.setdefault(entry_id, draft)
        if owner is not draft:
            problems.append(
                Problem(
                    draft.path,
                    draft.line("id"),
                    f"id '{entry_id}' is already used by {_where(owner.path, owner.line('id'))}"
                    " — ids must be unique; rename this file and its id",
                )
            )
    problems += _claimed_once(
        drafts, "aliases", "an alias", "on the generic entry if all entries of the code share it"
    )
    problems += _claimed_once(drafts, "patterns", "a pattern", "on the entry it identifies")
    problems += _one_generic_per_code(drafts)
    return problems


def entries_from(drafts: list[Draft]) -> tuple[Entry, ...]:
    """Entries from fully valid drafts; the only entry of a code is generic implicitly."""
    per_code = Counter(draft.values["code"] for draft in drafts)
    return tuple(
        draft.to_entry(
            draft.values["code"] != NO_STATUS
            and (draft.values.get("generic", False) or per_code[draft.values["code"]] == 1)
        )
        for draft in drafts
    )


def _claimed_once(drafts: list[Draft], key: str, noun: str, keep_where: str) -> list[Problem]:
    """Each alias or pattern belongs to one entry; compared the way the matcher compares them."""
    normal = _words if key == "aliases" else _normal
    kind = noun.split()[-1]
    problems = []
    owners: dict[str, tuple[Draft, int]] = {}
    for draft in drafts:
        for line, item in draft.values.get(key, ()):
            text = item.text if isinstance(item, Pattern) else item
            owner, owner_line = owners.setdefault(normal(text), (draft, line))
            if owner is not draft:
                problems.append(
                    Problem(
                        draft.path,
                        line,
                        f"{kind} '{text}' is already used by {owner.id} "
                        f"({_where(owner.path, owner_line)}); {noun} may belong to one entry"
                        f" — keep it only {keep_where}",
                    )
                )
    return problems


def _one_generic_per_code(drafts: list[Draft]) -> list[Problem]:
    problems = []
    by_code: dict[int, list[Draft]] = defaultdict(list)
    for draft in drafts:
        if draft.values.get("code") == NO_STATUS:
            if draft.values.get("generic") is True:
                problems.append(
                    Problem(
                        draft.path,
                        draft.line("generic"),
                        "an entry with 'code: none' can't be generic: it answers only the "
                        "errors its signals name — remove 'generic: true'",
                    )
                )
        elif draft.values.get("code") is not None:
            by_code[draft.values["code"]].append(draft)
    for code, group in sorted(by_code.items()):
        if len(group) < 2:
            continue
        ids = ", ".join(sorted(draft.id for draft in group))
        generic = [draft for draft in group if draft.values.get("generic") is True]
        if not generic:
            first = min(group, key=lambda draft: draft.id)
            problems.append(
                Problem(
                    first.path,
                    first.line("code"),
                    f"code {code} has {len(group)} entries ({ids}) but none has 'generic: true'"
                    " — mark exactly one, the entry that answers when nothing more specific fits",
                )
            )
        elif len(generic) > 1:
            marked = ", ".join(sorted(draft.id for draft in generic))
            problems += [
                Problem(
                    draft.path,
                    draft.line("generic"),
                    f"code {code} has {len(generic)} entries with 'generic: true' ({marked})"
                    " — exactly one may have it; set the others to 'generic: false'",
                )
                for draft in generic
            ]
    return problems


def shown(path: Path) -> str:
    """A knowledge file as people see it in messages: `knowledge/<file>`.

    A signals file keeps its folder: `knowledge/signals/<file>`.
    """
    if path.parent.name == "signals":
        return Path(path.parent.parent.name, "signals", path.name).as_posix()
    return Path(path.parent.name, path.name).as_posix()


def _where(path: Path, line: int) -> str:
    return f"{shown(path)}:{line}"


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _words(text: str) -> str:
    """An alias as the matcher sees it: lowercase words, punctuation dropped."""
    return " ".join(alnum_runs(text.lower()))


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return f"the text {_excerpt(value)!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, date):
        return "a date"
    return type(value).__name__


def _excerpt(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return shorten(flat, limit)


class _Rules:
    """Reads the fields of one document, collecting a problem for each rule it breaks."""

    def __init__(self, path: Path, document: Document) -> None:
        self.path = path
        self.fields = document.fields
        self.document = document
        self.problems: list[Problem] = []

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def keys(self, allowed: tuple[str, ...], required: tuple[str, ...]) -> None:
        for repeat in self.document.repeated:
            first = self.fields[repeat.key].line
            self.report(
                repeat.line,
                f"'{repeat.key}' appears again (first at line {first}) — keep only one",
            )
        for key, found in self.fields.items():
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" — did you mean '{close[0]}'?" if close else " —"
            self.report(found.line, f"unknown key '{key}'{hint} allowed keys: {', '.join(allowed)}")
        for key in required:
            if key not in self.fields:
                self.report(1, f"missing required field '{key}' — add '{key}:' with {HELP[key]}")

    def entry_id(self) -> str | None:
        found = self.fields.get("id")
        if found is None:
            return None
        value = found.value
        low, high = ID_LENGTH
        if not isinstance(value, str) or not SLUG.fullmatch(for_re2(value)):
            self.report(
                found.line,
                f"id must be a lowercase slug of letters, digits and dashes like 429-rate-limit,"
                f" not {_kind(value)}",
            )
        elif not low <= len(value) <= high:
            self.report(found.line, f"id is {len(value)} characters; it must be {low}..{high}")
        elif value != self.path.stem:
            self.report(
                found.line,
                f"id '{value}' does not match the file name '{self.path.name}' — rename the "
                f"file to {value}.yaml or set id: {self.path.stem}",
            )
        else:
            return value
        return None

    def code(self) -> int | str | None:
        found = self.fields.get("code")
        if found is None:
            return None
        value = found.value
        low, high = CODE_RANGE
        if isinstance(value, str) and value.strip().lower() == NO_STATUS:
            return NO_STATUS
        if isinstance(value, str) and value.strip().isdigit():
            self.report(
                found.line, f"code must be a number — write code: {value.strip()} without quotes"
            )
        elif isinstance(value, bool) or not isinstance(value, int):
            self.report(
                found.line,
                f"code must be a status code like 429, or none, not {_kind(value)}",
            )
        elif not low <= value <= high:
            self.report(
                found.line,
                f"code {value} is not an HTTP error status — use a number from {low} to {high}",
            )
        else:
            return value
        return None

    def flag(self, key: str) -> bool | None:
        found = self.fields.get(key)
        if found is None:
            return None
        if not isinstance(found.value, bool):
            self.report(
                found.line,
                f"'{key}' must be true or false, not {_kind(found.value)} — write "
                f"{key}: true or {key}: false, without quotes",
            )
            return None
        return found.value

    def text(self, key: str, length: tuple[int, int], too_long: str) -> str | None:
        found = self.fields.get(key)
        if found is None:
            return None
        return self._string(found.line, f"'{key}'", key, found.value, length, too_long)

    def translations(self) -> tuple[tuple[str, Translation], ...] | None:
        """Per language: title, cause and fix, and the `source` hash of the English they follow
        (whether that hash is current is `check`'s business: the bot falls back to English)."""
        found = self.fields.get("translations")
        if found is None:
            return None
        value = found.value
        if not isinstance(value, dict) or not value:
            self.report(found.line, "'translations' maps a language to its title, cause and fix")
            return None
        done = []
        for language, text in value.items():
            where = f"'translations: {language}'"
            if language not in LANGUAGES:
                self.report(found.line, f"{where}: languages are {', '.join(LANGUAGES)}")
                continue
            if not isinstance(text, dict) or set(text) != {"source", "title", "cause", "fix"}:
                self.report(found.line, f"{where} needs exactly source, title, cause and fix")
                continue
            limits = {"title": TITLE_LENGTH, "cause": CAUSE_LENGTH, "fix": TEXT_LENGTH}
            bad = [
                key
                for key, (low, high) in limits.items()
                if not isinstance(text[key], str) or not low <= len(text[key].strip()) <= high
            ]
            if bad or not isinstance(text["source"], str):
                self.report(found.line, f"{where}: {', '.join(bad) or 'source'} out of bounds")
                continue
            parts = (text["title"], text["cause"], text["fix"], text["source"])
            done.append((str(language), Translation(*(p.strip() for p in parts))))
        return tuple(done)

    def slots(self) -> Slots | None:
        """Templates filled from the paste: known placeholders, a text per client."""
        found = self.fields.get("slots")
        if found is None:
            return None
        value = found.value
        if not isinstance(value, dict) or not value or set(value) - set(SLOT_KEYS):
            self.report(found.line, f"'slots' is a mapping of {', '.join(SLOT_KEYS)}")
            return None
        texts = {key: value[key] for key in ("cause", "fix") if key in value}
        clients = value.get("clients", {})
        if not isinstance(clients, dict):
            self.report(found.line, "'slots: clients' maps a client name to a fix step")
            return None
        texts |= {f"clients: {name}": text for name, text in clients.items()}
        ok = True
        for where, text in texts.items():
            if not isinstance(text, str) or not TIP_LENGTH[0] <= len(text) <= TIP_LENGTH[1]:
                self.report(found.line, f"'slots: {where}' must be text of 1 to 300 characters")
                ok = False
                continue
            try:
                unknown = placeholders(text) - set(PLACEHOLDERS)
            except ValueError as error:
                self.report(found.line, f"'slots: {where}': {error} (write braces as {{{{ }}}})")
                ok = False
                continue
            if unknown:
                self.report(
                    found.line,
                    f"'slots: {where}' names {', '.join(sorted(unknown))}: the paste's values "
                    f"are {', '.join(PLACEHOLDERS)}",
                )
                ok = False
        if not ok:
            return None
        pairs = tuple((str(name), text) for name, text in clients.items())
        return Slots(value.get("cause", ""), value.get("fix", ""), pairs)

    def speaks_to_users(self, values: dict[str, Any]) -> None:
        """A user-facing field that talks about the tables the entry comes from is reported."""
        for key in USER_FACING:
            value = values.get(key)
            texts = [(self.fields[key].line, value)] if isinstance(value, str) else value or []
            for line, text in texts:
                said = next((p for p in MODERATOR_PHRASES if p in text.lower()), None)
                if said:
                    self.report(
                        line,
                        f"'{key}' says {said!r}: users read it, and where a reading comes from "
                        "is for moderators — move that to 'notes'",
                    )

    def cause(self) -> str | None:
        """Users read the cause; a short answer shows its first sentence alone."""
        text = self.text(
            "cause",
            CAUSE_LENGTH,
            "users read it: keep it at most {max}, and move notes for "
            "moderators (history, other spellings, which library raises what) to 'notes'",
        )
        if text is None:
            return None
        sentence = first_sentence(text)
        if len(sentence) > FIRST_SENTENCE:
            self.report(
                self.fields["cause"].line,
                f"the first sentence of 'cause' is {len(sentence)} characters; a short answer "
                f"shows it alone, so keep it at most {FIRST_SENTENCE} — end it sooner with '. '",
            )
            return None
        return text

    def url(self, key: str) -> str | None:
        found = self.fields.get(key)
        if found is None:
            return None
        value = self._string(found.line, f"'{key}'", key, found.value, (1, URL_MAX), "")
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc or any(c.isspace() for c in value):
            self.report(
                found.line,
                f"'{key}' must be an https:// link without spaces, not {value!r} — {HELP[key]}",
            )
            return None
        return value

    def email(self, key: str) -> str | None:
        found = self.fields.get(key)
        if found is None:
            return None
        value = self._string(found.line, f"'{key}'", key, found.value, (3, 254), "")
        if value is not None and not _EMAIL.fullmatch(for_re2(value)):
            self.report(found.line, f"'{key}' must be an email address like support@fireworks.ai")
            return None
        return value

    def texts(
        self, key: str, count: tuple[int, int | None], length: tuple[int, int | None]
    ) -> list[tuple[int, str]] | None:
        found = self.fields.get(key)
        if found is None:
            return None
        items = self._list(found, count)
        if items is None:
            return None
        kept: list[tuple[int, str]] = []
        seen: dict[str, int] = {}
        for index, value in enumerate(items):
            line = found.item_line(index)
            label = f"{key} item {index + 1}"
            text = self._string(line, label, key, value, length, "keep each at most {max}")
            if text is None:
                continue
            first = seen.setdefault(_normal(text), index + 1)
            if first != index + 1:
                self.report(line, f"{label} repeats item {first} — remove one of them")
                continue
            kept.append((line, text))
        return kept

    def aliases(self) -> list[tuple[int, str]] | None:
        kept = self.texts("aliases", (0, None), ALIAS_LENGTH)
        for line, alias in kept or ():
            if not _words(alias):
                self.report(line, f"alias {alias!r} has no letters or digits — write words")
        return kept

    def patterns(self) -> list[tuple[int, Pattern]] | None:
        found = self.fields.get("patterns")
        if found is None:
            return None
        items = self._list(found, (0, None))
        if items is None:
            return None
        kept: list[tuple[int, Pattern]] = []
        for index, value in enumerate(items):
            line = found.item_line(index)
            label = f"patterns item {index + 1}"
            pattern = self._pattern(line, label, value)
            if pattern is not None:
                kept.append((line, pattern))
        return kept

    def _pattern(self, line: int, label: str, value: object) -> Pattern | None:
        if isinstance(value, dict):
            if set(value) != {"regex"}:
                self.report(
                    line,
                    f"{label} must be a plain string or a mapping with the single key 'regex',"
                    f" not keys {', '.join(map(str, value))}",
                )
                return None
            source = self._string(line, f"{label} regex", "patterns", value["regex"], (1, None), "")
            if source is None:
                return None
            pattern, reason = compile_pattern(source)
            if reason is not None:
                self.report(line, f"{label}: regex {source!r} {reason}")
            return pattern
        literal = self._string(line, label, "patterns", value, (1, None), "")
        if literal is None:
            return None
        if len(literal) < LITERAL_MIN:
            self.report(
                line,
                f"{label} {literal!r} is {len(literal)} characters; a literal pattern needs at "
                f"least {LITERAL_MIN} so it cannot match unrelated messages — lengthen it, or "
                "make it an alias if it is a phrase people type",
            )
            return None
        return Pattern(literal)

    def _list(self, found: Field, count: tuple[int, int | None]) -> list | None:
        key, value = found.key, found.value
        if not isinstance(value, list):
            self.report(
                found.line,
                f"'{key}' must be a list with one '- item' per line, not {_kind(value)}",
            )
            return None
        low, high = count
        if len(value) < low:
            self.report(
                found.line,
                f"'{key}' has {len(value)} items; it needs at least {low} — add {HELP[key]}",
            )
        if high is not None and len(value) > high:
            self.report(
                found.line, f"'{key}' has {len(value)} items; keep at most {high} — remove some"
            )
        return value

    def _string(
        self,
        line: int,
        label: str,
        key: str,
        value: object,
        length: tuple[int, int | None],
        too_long: str,
    ) -> str | None:
        if value is None:
            self.report(line, f"{label} is empty — write {HELP[key]}")
            return None
        if not isinstance(value, str):
            self.report(line, f"{label} must be text, not {_kind(value)} — put it in quotes")
            return None
        if PLACEHOLDER in value:
            optional = ", or delete it" if key in (*_OPTIONAL_LISTS, *MODERATOR_ONLY) else ""
            self.report(
                line, f"fill in {label}: {HELP[key]} (it still says {PLACEHOLDER}){optional}"
            )
            return None
        text = value.strip()
        low, high = length
        if len(text) < low:
            self.report(
                line, f"{label} is {len(text)} characters; write at least {low}: {HELP[key]}"
            )
            return None
        if high is not None and len(text) > high:
            reason = too_long.format(max=high) if too_long else f"the limit is {high}"
            self.report(line, f"{label} is {len(text)} characters; {reason} — shorten it")
            return None
        return text
