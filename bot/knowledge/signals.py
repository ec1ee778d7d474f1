"""The vocabulary the detectors read, loaded from `knowledge/signals/*.yaml`.

Python keeps only grammar (how a status is printed, tracebacks, JSON bodies); every word list
lives in these files, so a moderator teaches the bot a new exception class or transport phrase
with one YAML line. Problems are reported as `file:line` like entry problems.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core.linear_re import Regex, RegexError, compile_linear, literal
from bot.core.ocr import OcrRules
from bot.core.paste import Chain
from bot.core.statuses import StatusWords
from bot.core.vocabulary import NONE, SERVER_ERROR, UNKNOWN, SignalExample, Signals, Term
from bot.core.words import alnum_runs, letter_runs
from bot.knowledge.validate import Problem
from bot.knowledge.yaml_lines import Document, Field, YamlError, read_mapping

SIGNALS_DIR = "signals"
EXCEPTIONS = "exceptions.yaml"
TRANSPORT = "transport.yaml"
PROXIES = "proxies.yaml"
ENVELOPES = "envelopes.yaml"
PROSE = "prose.yaml"
REASONS = "reasons.yaml"
STATUSES = "statuses.yaml"
WRAPPING = "wrapping.yaml"
PARAPHRASES = "paraphrases.yaml"
OCR = "ocr.yaml"
MARKERS = "markers.yaml"
SERVICES = "services.yaml"
OCR_KEYS = ("status_digits", "word_letters", "words", "joined", "from_picture")
FILES = (
    EXCEPTIONS,
    TRANSPORT,
    PROXIES,
    ENVELOPES,
    PROSE,
    REASONS,
    STATUSES,
    WRAPPING,
    PARAPHRASES,
    OCR,
    MARKERS,
    SERVICES,
)
WRAPPING_LISTS = ("inner", "outer", "outer_after", "retries")
MARKER_LISTS = (
    "class_endings",
    "chain_openers",
    "chain_tags",
    "key_unset",
    "blocking",
    "passed_through",
    "local_replies",
    "meshes",
    "dropped",
    "proxy_names",
    "told_after_code",
)
MARKERS_AS_WRITTEN = ("class_endings", "chain_openers", "chain_tags")  # compared case and all
STATUS_LISTS = (
    "common_reasons",
    "followers",
    "units",
    "unit_words",
    "shout_endings",
    "receiving",
    "returning",
    "articles",
    "determiners",
    "openers",
    "everything",
    "arriving",
    "branches",
    "pointers",
    "described",
    "shown_in",
    "showing",
    "status_nouns",
)

EXAMPLES = "examples"  # the one key every signals file may hold besides its own lines
CODE_RANGE = (400, 599)
PROSE_LISTS = (
    "report_words",
    "report_stems",
    "report_phrases",
    "resolved",
    "not_resolved",
    "thanks",
    "new_failure",
    "not_fireworks",
    "siblings",
    "own_system",
    "own_gateway",
    "gateways",
    "gateway_replies",
    "gateway_refusals",
    "fronting",
    "fireworks_names",
    "gateway_codes",
    "fireworks_answered",
    "teaching",
    "hypothetical",
    "question_words",
    "how_to",
    "failing",
    "failing_what",
    "misspelt_failing",
    "not_misspelt",
    "error_nouns",
    "persistence",
    "receiving",
    "own_things",
    "not_own_before",
    "owned",
    "model_behaviour",
    "no_errors",
    "error_topics_after",
    "error_topics_before",
    "quoting",
    "past",
    "asks_meaning",
    "before_response",
    "ongoing",
    "negations",
    "outage",
    "api_context",
    "status_topics",
)
SERVICE_LISTS = ("services", "elsewhere", "wrapped_fireworks", "parties", "strangers")
SERVICE_LISTS += ("party_places", "someone_else", "me_too")
# `services.yaml`'s grammar names a catalogue by a placeholder: `{service}` is any of `services`
PLACEHOLDERS = {
    "{service}": "services",
    "{party}": "parties",
    "{stranger}": "strangers",
    "{place}": "party_places",
}
_CLASS_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
MAX_PHRASE = 100
REGEX_KEY = "regex:"  # a phrase written as `"regex: timeout of \\d+ ?ms exceeded": client-timeout`


def _list(item: Field | None) -> list[Any]:
    return item.value if item is not None and isinstance(item.value, list) else []


def signals_dir(knowledge_dir: Path) -> Path:
    """`<knowledge>/signals`, else the bundled one (a test directory may hold entries only)."""
    own = knowledge_dir / SIGNALS_DIR
    return own if own.is_dir() else default_bundled() / SIGNALS_DIR


def default_bundled() -> Path:
    """The knowledge directory shipped with the code: the checkout's, else the wheel's."""
    import bot

    package = Path(bot.__file__).parent
    checkout = package.parent / "knowledge"
    return checkout if checkout.is_dir() else package / "_knowledge"


def load_signals(
    directory: Path, entries: Mapping[str, str], strict: bool = True
) -> tuple[Signals, list[Problem]]:
    """Read every signals file in `directory`; `entries` maps entry ids to their codes.

    Not `strict` (the bundled signals lent to a directory of entries only): a signal naming
    an entry the directory doesn't have means `unknown`, as if the entry had been deleted.
    """
    problems: list[Problem] = []
    documents: dict[str, Document] = {}
    for name in FILES:
        path = directory / name
        try:
            documents[name] = read_mapping(path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            problems.append(Problem(path, None, f"missing — {_PURPOSE[name]}"))
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(path, None, f"can't be read: {error}"))
        except YamlError as error:
            problems.append(Problem(path, error.line, error.message))
    reader = _Reader(directory, entries, problems, strict)
    exceptions = reader.mapping(documents.get(EXCEPTIONS), EXCEPTIONS, reader.exception)
    transport = reader.mapping(documents.get(TRANSPORT), TRANSPORT, reader.phrase)
    proxies = reader.mapping(documents.get(PROXIES), PROXIES, reader.phrase)
    envelopes = reader.mapping(documents.get(ENVELOPES), ENVELOPES, reader.envelope)
    prose = reader.prose(documents.get(PROSE))
    reasons = reader.mapping(documents.get(REASONS), REASONS, reader.reason)
    statuses = reader.status_words(documents.get(STATUSES), reasons)
    wrapping = reader.lists(documents.get(WRAPPING), WRAPPING, WRAPPING_LISTS)
    paraphrases = reader.mapping(documents.get(PARAPHRASES), PARAPHRASES, reader.paraphrase)
    known = [term.text for term in [*transport, *reasons] if term.pattern is None] + list(
        prose.get("report_words", ())
    )
    ocr = reader.ocr(documents.get(OCR), known)
    markers = reader.markers(documents.get(MARKERS))
    services = reader.services(documents.get(SERVICES))
    signals = Signals(
        exceptions={term.text: term for term in exceptions},
        transport=tuple(transport),
        proxies=tuple(proxies),
        envelopes={term.text: term for term in envelopes},
        statuses=statuses,
        examples=tuple(ex for name in FILES for ex in reader.examples(documents.get(name), name)),
        inner=tuple(reader.words(wrapping["inner"], WRAPPING)),
        outer=tuple(reader.words(wrapping["outer"], WRAPPING)),
        outer_after=tuple(reader.words(wrapping["outer_after"], WRAPPING)),
        retries=tuple(reader.words(wrapping["retries"], WRAPPING)),
        paraphrases=tuple(
            sorted(((t.text, t.meaning) for t in paraphrases), key=lambda p: -len(p[0]))
        ),
        ocr=ocr,
        directory=directory,
        **prose,
        **markers,
        **services,
    )
    return signals, problems


_PURPOSE = {
    EXCEPTIONS: "write one 'ClassName: 429' line per exception class (see knowledge/README.md)",
    TRANSPORT: "write one 'phrase: entry-id' line per transport phrase (see knowledge/README.md)",
    PROXIES: "write one 'phrase: entry-id' line per proxy name (see knowledge/README.md)",
    ENVELOPES: "write one 'NAME: 404' line per envelope code (see knowledge/README.md)",
    PROSE: "write the prose word lists (see knowledge/README.md)",
    REASONS: "write one 'reason phrase: 404' line per phrase (see knowledge/README.md)",
    STATUSES: "write the status word lists (see knowledge/README.md)",
    WRAPPING: "write the 'inner', 'outer' and 'retries' words (see knowledge/README.md)",
    PARAPHRASES: "write one 'phrase: canonical words' line each (see knowledge/README.md)",
    OCR: "write the look-alike characters and joined words of OCR (see knowledge/README.md)",
    MARKERS: "write the fixed words of tracebacks, keys and proxies (see knowledge/README.md)",
    SERVICES: "write the other services' names and their grammar (see knowledge/README.md)",
}


@dataclass(slots=True)
class _Reader:
    directory: Path
    entries: Mapping[str, str]
    problems: list[Problem]
    strict: bool = True

    def report(self, name: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.directory / name, line, message))

    def mapping(self, document: Document | None, name: str, check: Any) -> list[Term]:
        if document is None:
            return []
        for repeated in document.repeated:
            self.report(name, repeated.line, f"'{repeated.key}' is written twice — keep one line")
        terms = []
        for item in document.fields.values():
            if item.key == EXAMPLES:
                continue
            term = check(name, item)
            if term is not None:
                terms.append(term)
        return terms

    def meaning(self, name: str, item: Field, allowed: tuple[str, ...]) -> str | None:
        value = item.value
        text = str(value).strip() if isinstance(value, (int, str)) else ""
        if isinstance(value, bool) or not text:
            self.report(name, item.line, f"'{item.key}' needs a meaning after the colon")
            return None
        if text.isdigit():
            low, high = CODE_RANGE
            if low <= int(text) <= high:
                return text
            self.report(name, item.line, f"{text} is not an HTTP error status ({low} to {high})")
            return None
        if text in allowed or text in self.entries:
            return text
        if not self.strict and UNKNOWN in allowed:
            return UNKNOWN
        choices = [*allowed, *self.entries]
        close = difflib.get_close_matches(text, choices, n=1)
        hint = f" — did you mean '{close[0]}'?" if close else ""
        kinds = " or ".join(["a status code", "an entry id", *(f"'{a}'" for a in allowed)])
        self.report(name, item.line, f"'{text}' is not {kinds}{hint}")
        return None

    def exception(self, name: str, item: Field) -> Term | None:
        meaning = self.meaning(name, item, (UNKNOWN, SERVER_ERROR))
        if not item.key or not set(item.key) <= _CLASS_CHARS or item.key[0].isdigit():
            self.report(
                name,
                item.line,
                f"'{item.key}' is not a class name — write it as the client prints it, "
                "without the module (RateLimitError, not openai.RateLimitError)",
            )
            return None
        return Term(item.key, meaning, name, item.line) if meaning else None

    def phrase(self, name: str, item: Field) -> Term | None:
        meaning = self.meaning(name, item, (UNKNOWN,))
        if meaning and meaning.isdigit():
            self.report(
                name,
                item.line,
                f"'{item.key}' names a status code; a phrase here means an error with no "
                "status — name an entry with no status (code: none), or 'unknown'",
            )
            return None
        text = item.key.strip().lower()
        if text.startswith(REGEX_KEY):
            pattern = self.pattern(name, item.line, item.key.strip()[len(REGEX_KEY) :].strip())
            return Term(text, meaning, name, item.line, pattern) if meaning and pattern else None
        if len(text) < 3 or len(text) > MAX_PHRASE:
            self.report(name, item.line, f"'{item.key}' must be 3..{MAX_PHRASE} characters")
            return None
        return Term(text, meaning, name, item.line) if meaning else None

    def paraphrase(self, name: str, item: Field) -> Term | None:
        """`exceeds the maximum allowed size: too large`: both sides as the matcher's words."""
        phrase = " ".join(alnum_runs(item.key.lower()))
        value = item.value if isinstance(item.value, str) else ""
        canonical = " ".join(alnum_runs(value.lower()))
        if not phrase or not canonical or phrase == canonical:
            self.report(
                name,
                item.line,
                f"'{item.key}' needs other words after the colon: the canonical phrase it means",
            )
            return None
        return Term(phrase, canonical, name, item.line)

    def ocr(self, document: Document | None, known: Iterable[str]) -> OcrRules:
        """`ocr.yaml`: look-alike characters, the words a mended word may become, joined words."""
        if document is None:
            return OcrRules()
        for key in sorted(set(document.fields) - set(OCR_KEYS) - {EXAMPLES}):
            self.report(OCR, document.fields[key].line, f"unknown key '{key}'")
        fields = {key: document.fields.get(key) for key in OCR_KEYS}
        digits: dict[str, str] = {}
        for seen, meant in self.pairs(fields["status_digits"]):
            if len(seen) != 1 or seen.isdigit() or len(meant) != 1 or not meant.isdigit():
                self.report(
                    OCR,
                    fields["status_digits"].line,
                    f"'{seen}: {meant}' must map "  # type: ignore[union-attr]
                    'one letter to one digit, like "O": "0"',
                )
                continue
            digits[seen] = meant
        letters: list[tuple[str, tuple[str, ...]]] = []
        for seen, meant in self.pairs(fields["word_letters"], many=True):
            letters.append((seen.lower(), tuple(m.lower() for m in meant)))
        words = {str(w).strip().lower() for w in _list(fields["words"])}
        pairs: set[tuple[str, str]] = set()
        for phrase in known:
            runs = [run.strip("'") for run in letter_runs(phrase)]
            words.update(runs)
            pairs.update(itertools.pairwise(runs))  # never joined: "connection refused"
        joined: list[tuple[str, str]] = []
        for glued, spaced in self.pairs(fields["joined"]):
            if glued.lower() != spaced.replace(" ", "").lower() or " " not in spaced:
                self.report(
                    OCR,
                    fields["joined"].line,
                    f"'{glued}: {spaced}' must be the same "  # type: ignore[union-attr]
                    "letters written apart, like 'errorcode: error code'",
                )
                continue
            joined.append((glued.lower(), spaced.lower()))
        told = tuple(str(w).strip().lower() for w in _list(fields["from_picture"]))
        return OcrRules(
            digits, tuple(letters), frozenset(words), tuple(joined), told, frozenset(pairs)
        )

    def pairs(self, item: Field | None, many: bool = False) -> list[tuple[str, Any]]:
        """A mapping's `key: value` pairs as strings (`many`: a value may be a list)."""
        if item is None:
            return []
        if not isinstance(item.value, dict):
            self.report(OCR, item.line, f"'{item.key}' must be a mapping of 'key: value' lines")
            return []
        found: list[tuple[str, Any]] = []
        for key, value in item.value.items():
            values = value if isinstance(value, list) else [value]
            if not values or not all(isinstance(v, (str, int)) and str(v) for v in values):
                self.report(OCR, item.line, f"'{key}' needs a value after the colon")
                continue
            texts = [str(v) for v in values]
            found.append((str(key), texts if many else texts[0]))
        return found

    def envelope(self, name: str, item: Field) -> Term | None:
        meaning = self.meaning(name, item, ())
        if not item.key.isupper() or not set(item.key) <= _CLASS_CHARS:
            self.report(name, item.line, f"'{item.key}' must be upper case, like NOT_FOUND")
            return None
        if meaning and not meaning.isdigit():
            self.report(name, item.line, f"'{item.key}' must mean a status code, like 404")
            return None
        return Term(item.key, meaning, name, item.line) if meaning else None

    def examples(self, document: Document | None, name: str) -> list[SignalExample]:
        """`examples:` items, each `- text: ...` with `expect: ...`; every one is checked."""
        item = document.fields.get(EXAMPLES) if document else None
        if item is None:
            return []
        if not isinstance(item.value, list):
            self.report(name, item.line, "'examples' must be a list of '- text: ... expect: ...'")
            return []
        found = []
        for index, value in enumerate(item.value):
            line = item.item_line(index)
            if not isinstance(value, dict) or set(value) != {"text", "expect"}:
                self.report(
                    name, line, "write an example as '- text: <paste>' and 'expect: <what>'"
                )
                continue
            text, expect = value["text"], str(value["expect"]).strip()
            known = expect in (UNKNOWN, NONE) or expect in self.entries
            if expect.isdigit():
                known = CODE_RANGE[0] <= int(expect) <= CODE_RANGE[1]
            if not known and not self.strict:
                continue  # borrowed signals: this directory lacks the entry
            if not isinstance(text, str) or not text.strip() or not known:
                close = difflib.get_close_matches(expect, [UNKNOWN, NONE, *self.entries], n=1)
                hint = f" — did you mean '{close[0]}'?" if close else ""
                self.report(
                    name,
                    line,
                    f"example {index + 1}: expect a status code, an entry id, 'unknown' or "
                    f"'none', and a non-empty text{hint}",
                )
                continue
            found.append(SignalExample(text, expect, name, line))
        return found

    def reason(self, name: str, item: Field) -> Term | None:
        meaning = self.meaning(name, item, ())
        if meaning and not meaning.isdigit():
            self.report(name, item.line, f"'{item.key}' must mean a status code, like 404")
            return None
        text = " ".join(item.key.lower().split())
        if len(text) < 3:
            self.report(name, item.line, f"'{item.key}' must be at least 3 characters")
            return None
        return Term(text, meaning, name, item.line) if meaning else None

    def status_words(self, document: Document | None, reasons: list[Term]) -> StatusWords:
        """`statuses.yaml`, with the reason phrases (each also written as a class name)."""
        table = {term.text: term.meaning for term in reasons}
        table |= {text.replace(" ", ""): code for text, code in table.items() if " " in text}
        lists = self.lists(document, STATUSES, STATUS_LISTS)
        words = {key: self.words(lists[key], STATUSES) for key in STATUS_LISTS}
        return StatusWords(
            table,
            common_reasons=frozenset(words["common_reasons"]),
            followers=frozenset(words["followers"]),
            units=tuple(words["units"]),
            unit_words=frozenset(words["unit_words"]),
            shout_endings=tuple(words["shout_endings"]),
            receiving=tuple(words["receiving"]),
            returning=tuple(words["returning"]),
            articles=tuple(words["articles"]),
            determiners=tuple(words["determiners"]),
            openers=tuple(words["openers"]),
            everything=tuple(words["everything"]),
            arriving=tuple(words["arriving"]),
            branches=tuple(words["branches"]),
            shown_in=tuple(words["shown_in"]),
            showing=tuple(words["showing"]),
            status_nouns=tuple(words["status_nouns"]),
            pointers=frozenset(words["pointers"]),
            described=frozenset(words["described"]),
        )

    def lists(
        self, document: Document | None, name: str, keys: tuple[str, ...]
    ) -> dict[str, list[Any]]:
        """Each named list of a lists file, as (line, item) pairs; a problem for each misfit."""
        lists: dict[str, list[Any]] = {key: [] for key in keys}
        if document is None:
            return lists
        for key in sorted(set(document.fields) - set(keys) - {EXAMPLES}):
            close = difflib.get_close_matches(key, keys, n=1)
            hint = f" — did you mean '{close[0]}'?" if close else ""
            self.report(name, document.fields[key].line, f"unknown list '{key}'{hint}")
        for key in keys:
            item = document.fields.get(key)
            if item is None:
                self.report(name, None, f"missing list '{key}'")
            elif not isinstance(item.value, list):
                self.report(name, item.line, f"'{key}' must be a list of phrases")
            else:
                lists[key] = [(item.item_line(i), v) for i, v in enumerate(item.value)]
        return lists

    def prose(self, document: Document | None) -> dict[str, Any]:
        if document is None:
            return {}
        lists = self.lists(document, PROSE, PROSE_LISTS)
        return {
            "report_words": frozenset(self.words(lists["report_words"])),
            "report_stems": tuple(self.words(lists["report_stems"])),
            "report_phrases": tuple(self.words(lists["report_phrases"])),
            "not_resolved": tuple(self.words(lists["not_resolved"])),
            "thanks": frozenset(self.words(lists["thanks"])),
            "siblings": tuple(self.words(lists["siblings"])),
            "resolved": self.regex(lists["resolved"]),
            "new_failure": self.regex(lists["new_failure"]),
            "not_fireworks": self.regex(lists["not_fireworks"]),
            "own_system": self.regex(lists["own_system"]),
            "own_gateway": self.regex(lists["own_gateway"]),
            "gateways": self.regex(lists["gateways"]),
            "gateway_replies": self.regex(lists["gateway_replies"]),
            "gateway_refusals": self.regex(lists["gateway_refusals"]),
            "fronting": self.regex(lists["fronting"]),
            "fireworks_names": self.regex(lists["fireworks_names"]),
            "gateway_codes": frozenset(self.words(lists["gateway_codes"])),
            "fireworks_answered": self.regex(lists["fireworks_answered"]),
            "teaching": self.regex(lists["teaching"]),
            "hypothetical": self.regex(lists["hypothetical"]),
            "question": self.regex(lists["question_words"], opening=True),
            "how_to": self.regex(lists["how_to"], opening=True),
            "failing": self.regex(lists["failing"]),
            "failing_what": self.regex(lists["failing_what"]),
            "misspelt_failing": tuple(self.words(lists["misspelt_failing"])),
            "not_misspelt": frozenset(self.words(lists["not_misspelt"])),
            "error_nouns": self.regex(lists["error_nouns"]),
            "persistence": self.regex(lists["persistence"]),
            "receiving": frozenset(self.words(lists["receiving"])),
            "own_things": frozenset(self.words(lists["own_things"])),
            "not_own_before": frozenset(self.words(lists["not_own_before"])),
            "owned": self.regex(lists["owned"]),
            "model_behaviour": self.regex(lists["model_behaviour"]),
            "no_errors": tuple(self.words(lists["no_errors"])),
            "error_topics_after": frozenset(self.words(lists["error_topics_after"])),
            "error_topics_before": tuple(self.words(lists["error_topics_before"])),
            "quoting": self.regex(lists["quoting"]),
            "past": self.regex(lists["past"]),
            "asks_meaning": self.regex(lists["asks_meaning"]),
            "before_response": self.regex(lists["before_response"]),
            "ongoing": self.regex(lists["ongoing"]),
            "negations": tuple(self.words(lists["negations"])),
            "outage": self.regex(lists["outage"]),
            "api_context": self.regex(lists["api_context"]),
            "status_topics": self.regex(lists["status_topics"]),
        }

    def services(self, document: Document | None) -> dict[str, Any]:
        """`services.yaml`: one grammar over a catalogue of names, each placeholder in a
        regex (`{service}`) standing for the whole catalogue, longest names first."""
        if document is None:
            return {}
        lists = self.lists(document, SERVICES, SERVICE_LISTS)
        names = {
            holder: "(?:"
            + "|".join(
                literal(n)
                for n in sorted(set(self.words(lists[key], SERVICES)), key=len, reverse=True)
            )
            + ")"
            for holder, key in PLACEHOLDERS.items()
        }

        def expanded(key: str) -> list[tuple[int, Any]]:
            out = []
            for line, value in lists[key]:
                if isinstance(value, dict) and set(value) == {"regex"}:
                    source = str(value["regex"])
                    for holder, alternation in names.items():
                        source = source.replace(holder, alternation)
                    value = {"regex": source}
                out.append((line, value))
            return out

        return {
            key: self.regex(expanded(key), name=SERVICES)
            for key in ("elsewhere", "wrapped_fireworks", "someone_else", "me_too")
        }

    def markers(self, document: Document | None) -> dict[str, Any]:
        """`markers.yaml`: class endings and chain openers as written, the rest lower case."""
        lists = self.lists(document, MARKERS, MARKER_LISTS)
        written = {key: tuple(self.as_written(lists[key])) for key in MARKERS_AS_WRITTEN}
        return {
            "class_endings": written["class_endings"],
            "chain": Chain(written["chain_openers"], written["chain_tags"]),
            "key_unset": tuple(self.words(lists["key_unset"], MARKERS)),
            "blocking": tuple(self.words(lists["blocking"], MARKERS)),
            "passed_through": tuple(self.words(lists["passed_through"], MARKERS)),
            "proxy_names": frozenset(self.words(lists["proxy_names"], MARKERS)),
            "local_replies": frozenset(self.words(lists["local_replies"], MARKERS)),
            "meshes": tuple(self.words(lists["meshes"], MARKERS)),
            "dropped": tuple(self.words(lists["dropped"], MARKERS)),
            "told_after_code": tuple(self.words(lists["told_after_code"], MARKERS)),
        }

    def as_written(self, items: Iterable[tuple[int, Any]]) -> list[str]:
        found = []
        for line, value in items:
            if isinstance(value, str) and value.strip():
                found.append(value.strip())
            else:
                self.report(MARKERS, line, "write the text here as it is printed")
        return found

    def words(self, items: Iterable[tuple[int, Any]], name: str = PROSE) -> list[str]:
        found = []
        for line, value in items:
            if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
                found.append(str(value).strip().lower())
            else:
                self.report(name, line, "write a phrase here (this list takes no regex)")
        return found

    def pattern(self, name: str, line: int, source: str) -> Regex | None:
        """A phrase written as RE2 (matched in lower case), or None with a problem."""
        try:
            compiled = compile_linear(source)
        except RegexError as error:
            self.report(name, line, f"regex does not compile with RE2: {error}")
            return None
        if compiled.search("") is not None:
            self.report(name, line, "regex matches empty text — it would match all")
            return None
        return compiled

    def regex(
        self, items: Iterable[tuple[int, Any]], opening: bool = False, name: str = PROSE
    ) -> Regex | None:
        """One RE2 alternation of the list: phrases as whole words, regexes as written."""
        parts = []
        for line, value in items:
            if isinstance(value, dict) and set(value) == {"regex"}:
                source = str(value["regex"])
                try:
                    compiled = compile_linear(source)
                except RegexError as error:
                    self.report(name, line, f"regex does not compile with RE2: {error}")
                    continue
                if compiled.search("") is not None:
                    self.report(name, line, "regex matches empty text — it would match all")
                    continue
                parts.append(f"(?:{source})\\b" if opening else f"(?:{source})")
            elif isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
                parts.append(whole_words(str(value).strip().lower()))
            else:
                self.report(name, line, "write a phrase, or '- regex: ...'")
        if not parts:
            return None
        body = "|".join(parts)
        # a phrase ends a word by itself (`whole_words`): "请问" has no ASCII boundary after it
        pattern = rf"^\W*(?:{body})" if opening else body
        compiled = compile_linear(pattern)
        if compiled.programsize > LARGE_PROGRAM:
            compiled = compile_linear(pattern, memory=LIST_MEMORY)
        return compiled


# RE2's memory for a list whose alternation is a large program (`failing`: hundreds of
# phrases and bounded repeats). With the default 8 MiB its DFA fills and is rebuilt on most
# messages, 63 us a message for that one search; with 64 MiB it is built once, 4 us, and the
# process holds about 17 MB more after the corpus. The other lists fit the default.
LIST_MEMORY = 64 << 20
LARGE_PROGRAM = 8_000  # RE2's program size; `failing` is about 9,600, the next 7,600


def whole_words(phrase: str) -> str:
    """A pattern for `phrase` with a word boundary at each edge that is a word character."""
    before = r"\b" if _ascii_word(phrase[:1]) else ""
    after = r"\b" if _ascii_word(phrase[-1:]) else ""
    return f"{before}{literal(phrase)}{after}"


def _ascii_word(char: str) -> bool:
    """RE2's `\\b` knows only ASCII words: "失败" or "échoue" get no boundary there."""
    return char.isascii() and char.isalnum()
