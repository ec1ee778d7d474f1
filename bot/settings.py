"""Typed settings, read once from the environment or a `.env` file.

A missing optional setting switches its feature off (the bot logs one warning per feature);
a malformed one stops start-up with a message that names it. Every value is checked here,
before anything uses it, so a bad setting can't surface later as a traceback. An unknown
`FWERROR_*` name gets a warning with the nearest known name, since a typo would otherwise
switch a feature off in silence.
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.sources.sites import DEFAULT_HOSTS as DEFAULT_PASTE_HOSTS


class SettingsError(ValueError):
    """A setting is present but unusable; the message names it and says what is expected."""


@dataclass(frozen=True, slots=True)
class Rate:
    """At most `count` events per `seconds`, e.g. one passive answer per user per 30 s."""

    count: int
    seconds: float


@dataclass(frozen=True, slots=True)
class Settings:
    token: str | None = None
    help_channel_ids: frozenset[int] = frozenset()
    support_role_id: int | None = None
    escalation_channel_id: int | None = None
    moderator_role_id: int | None = None
    guild_id: int | None = None
    knowledge_dir: Path | None = None
    log_level: str = "INFO"
    delete_leaked_keys: bool = True
    user_rate: Rate = field(default_factory=lambda: Rate(1, 30.0))
    channel_rate: Rate = field(default_factory=lambda: Rate(20, 60.0))
    command_rate: Rate = field(default_factory=lambda: Rate(5, 60.0))
    log_format: str = "text"
    metrics_port: int | None = None  # None: no health or metrics endpoint; 0 (tests): any free
    metrics_host: str = "127.0.0.1"
    human_rate: Rate = field(default_factory=lambda: Rate(3, 600.0))
    button_rate: Rate = field(default_factory=lambda: Rate(10, 60.0))  # every button, per user
    # Said once at start-up (unknown names); not part of what the settings are.
    warnings: tuple[str, ...] = field(default=(), compare=False)
    database_url: str | None = None  # None: no store, claims in memory (load_settings: SQLite)
    retention_days: int = 90
    # Paste sites whose links are read like attachments (bot.sources.sites); empty: none.
    paste_hosts: frozenset[str] = field(default_factory=lambda: DEFAULT_PASTE_HOSTS)
    # A wave (bot.core.incidents): COUNT distinct people reporting one trouble within SECONDS.
    incident_wave: Rate = field(default_factory=lambda: Rate(3, 600.0))
    status_page_url: str | None = None  # an Atlassian Statuspage summary.json; None: not read
    # OCR processes reading screenshots (bot.screenshots); 0: pictures are not read.
    screenshot_workers: int = 1

    def disabled_features(self) -> list[str]:
        """One warning per optional feature that is off because its setting is missing."""
        notes = []
        if not self.help_channel_ids:
            notes.append("FWERROR_HELP_CHANNEL_IDS is not set: the help-channel listener is off.")
        if self.support_role_id is None:
            notes.append("FWERROR_SUPPORT_ROLE_ID is not set: escalations won't ping a role.")
        if self.escalation_channel_id is None:
            notes.append("FWERROR_ESCALATION_CHANNEL_ID is not set: no moderator queue posts.")
        if self.moderator_role_id is None:
            notes.append(
                "FWERROR_MODERATOR_ROLE_ID is not set: only Manage Server can reload knowledge."
            )
        if self.guild_id is None:
            notes.append("FWERROR_GUILD_ID is not set: commands sync globally (can take an hour).")
        return notes


NAMES = (
    "DISCORD_TOKEN",
    "FWERROR_HELP_CHANNEL_IDS",
    "FWERROR_SUPPORT_ROLE_ID",
    "FWERROR_ESCALATION_CHANNEL_ID",
    "FWERROR_MODERATOR_ROLE_ID",
    "FWERROR_GUILD_ID",
    "FWERROR_KNOWLEDGE_DIR",
    "FWERROR_LOG_LEVEL",
    "FWERROR_DELETE_LEAKED_KEYS",
    "FWERROR_USER_RATE",
    "FWERROR_CHANNEL_RATE",
    "FWERROR_COMMAND_RATE",
    "FWERROR_HUMAN_RATE",
    "FWERROR_BUTTON_RATE",
    "FWERROR_LOG_FORMAT",
    "FWERROR_METRICS_PORT",
    "FWERROR_METRICS_HOST",
    "FWERROR_DATABASE_URL",
    "FWERROR_RETENTION_DAYS",
    "FWERROR_PASTE_HOSTS",
    "FWERROR_INCIDENT_WAVE",
    "FWERROR_STATUS_PAGE_URL",
    "FWERROR_SCREENSHOT_WORKERS",
)
PREFIX = "FWERROR_"
NEAR, CLOSE = 0.6, 0.85  # similarity for a "did you mean", and to warn about a name without PREFIX
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
# Discord ids are unsigned 64-bit snowflakes: at most 20 digits.
SNOWFLAKE_DIGITS = 20
SNOWFLAKE_MAX = 2**64 - 1
MAX_RATE_COUNT = 1_000_000  # "no limit" in benchmarks; a bound keeps int() from huge input
MAX_RATE_SECONDS = 7 * 24 * 3600.0
DOTENV_BYTES = 1024 * 1024  # a settings file is a few hundred bytes
SHOWN = 30  # characters of a bad value quoted back

_SNOWFLAKE = re.compile(rf"[0-9]{{1,{SNOWFLAKE_DIGITS}}}")
_COUNT = re.compile(r"[0-9]{1,7}")
_SECONDS = re.compile(r"[0-9]{1,9}(?:\.[0-9]*)?|\.[0-9]+")
# Digits are ASCII 0-9 only: str.isdigit() takes '²', and int() Arabic-Indic or fullwidth digits.
_WHOLE = re.compile(r"[0-9]{1,9}")
_HOST = re.compile(r"[A-Za-z0-9.:-]{1,253}")
_STATUS_URL = re.compile(r"https?://[A-Za-z0-9.:\[\]-]{1,253}(?:/[!#-~]{0,500})?")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INLINE_COMMENT = re.compile(r"\s+#.*", re.DOTALL)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Printable ASCII without spaces or quotes: anything else was pasted along with the token.
_TOKEN = re.compile(r"[!#-&(-~]+")


# The .env file


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a UTF-8 file; blank lines, `#` comments and `export ` are allowed."""
    try:
        if not path.is_file():
            return {}
        with path.open("rb") as file:
            data = file.read(DOTENV_BYTES + 1)
    except OSError as error:
        raise SettingsError(f"{path} can't be read: {error.strerror or error}") from None
    if len(data) > DOTENV_BYTES:
        raise SettingsError(f"{path} is over {DOTENV_BYTES // 1024} KiB: it isn't a settings file")
    values: dict[str, str] = {}
    for number, line in enumerate(_LINE_BREAK.split(_dotenv_text(path, data)), 1):
        pair = _pair(path, number, line)
        if pair is not None:
            values[pair[0]] = pair[1]
    return values


def _dotenv_text(path: Path, data: bytes) -> str:
    """The file as text; UTF-16 (PowerShell's `>`) and binary files are refused by name."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(data):
        raise SettingsError(
            f"{path} is saved as UTF-16 (Windows PowerShell's default): save it as UTF-8 "
            "(in Notepad: Save As -> Encoding: UTF-8), then start again"
        )
    if b"\0" in data:
        raise SettingsError(f"{path} holds NUL bytes, so it isn't text: write it as UTF-8 text")
    try:
        return data.decode("utf-8-sig")  # Notepad may start the file with a byte-order mark
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SettingsError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[error.start]:02x}): save it as UTF-8"
        ) from None


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: ASCII text with a NUL in every other byte."""
    half = len(data) // 2
    return half > 0 and max(data[0::2].count(0), data[1::2].count(0)) >= half / 2


def _pair(path: Path, number: int, line: str) -> tuple[str, str] | None:
    text = line.strip()
    if not text or text.startswith("#"):
        return None
    if text.startswith("export") and text[6:7].isspace():
        text = text[6:].lstrip()
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep:
        raise SettingsError(f"{path}:{number}: expected KEY=VALUE, but the line has no '='")
    if not _KEY.fullmatch(key):
        raise SettingsError(f"{path}:{number}: {key[:SHOWN]!r} is not a setting name")
    return key, _value(path, number, key, value)


def _value(path: Path, number: int, key: str, raw: str) -> str:
    """Quoted values are kept whole; an unquoted one ends at ` #` (a comment)."""
    text = raw.lstrip()
    if text[:1] not in ("'", '"'):
        return _INLINE_COMMENT.sub("", raw).strip()
    end = text.find(text[0], 1)
    if end < 0:
        raise SettingsError(f"{path}:{number}: {key}'s value opens a quote that never closes")
    rest = text[end + 1 :]
    if rest.strip() and not _INLINE_COMMENT.match(rest):
        raise SettingsError(f"{path}:{number}: {key} has text after its closing quote")
    return text[1:end]


def unknown_names(names: Iterable[str], source: str) -> list[str]:
    """A warning for each unknown `FWERROR_*` name, and for a near miss of any setting's name."""
    notes = []
    for name in names:
        if name in NAMES:
            continue
        near = difflib.get_close_matches(name.upper(), NAMES, n=1, cutoff=NEAR)
        ours = name.upper().startswith(PREFIX)
        if not ours and not (near and _closeness(name, near[0]) >= CLOSE):
            continue
        hint = f"did you mean {near[0]}?" if near else ".env.example lists every setting."
        notes.append(f"{name[:60]} (in {source}) is not a setting, so it is ignored: {hint}")
    return notes


def _closeness(name: str, known: str) -> float:
    return difflib.SequenceMatcher(None, name.upper(), known).ratio()


# Values


def _snowflake(name: str, raw: str) -> int:
    value = int(raw) if _SNOWFLAKE.fullmatch(raw) else 0
    if not 0 < value <= SNOWFLAKE_MAX:
        raise SettingsError(
            f"{name} must be a Discord id (up to {SNOWFLAKE_DIGITS} digits 0-9, from Developer "
            f"Mode -> Copy ID), got {raw[:SHOWN]!r}"
        )
    return value


def _id(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    return _snowflake(name, raw) if raw else None


def _ids(env: Mapping[str, str], name: str) -> frozenset[int]:
    parts = [part.strip() for part in env.get(name, "").split(",")]
    return frozenset(_snowflake(name, part) for part in parts if part)


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise SettingsError(f"{name} must be true or false, got {raw[:SHOWN]!r}")


def _rate(env: Mapping[str, str], name: str, default: Rate) -> Rate:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    count, sep, seconds = (part.strip() for part in raw.partition("/"))
    if sep and _COUNT.fullmatch(count) and _SECONDS.fullmatch(seconds):
        rate = Rate(int(count), float(seconds))
        if 1 <= rate.count <= MAX_RATE_COUNT and 0 < rate.seconds <= MAX_RATE_SECONDS:
            return rate
    raise SettingsError(
        f"{name} must look like COUNT/SECONDS (e.g. 1/30): COUNT a whole number from 1 to "
        f"{MAX_RATE_COUNT:,}, SECONDS a number above 0 and at most {MAX_RATE_SECONDS:.0f} "
        f"(a week), got {raw[:SHOWN]!r}"
    )


def _log_level(env: Mapping[str, str]) -> str:
    raw = env.get("FWERROR_LOG_LEVEL", "").strip()
    level = raw.upper() or "INFO"
    if level not in LOG_LEVELS:
        raise SettingsError(
            f"FWERROR_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {raw[:SHOWN]!r}"
        )
    return level


def _directory(env: Mapping[str, str], name: str) -> Path | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        path = Path(raw).expanduser()
        if path.is_dir():
            return path
    except (OSError, RuntimeError, ValueError):  # a name too long, an unknown ~user, a NUL
        pass
    raise SettingsError(
        f"{name} must be a directory holding the knowledge, got {raw[:60]!r}: point it at "
        "one, or leave it empty for the knowledge shipped with the bot"
    )


def _token(env: Mapping[str, str]) -> str | None:
    token = env.get("DISCORD_TOKEN", "").strip()
    if token and not _TOKEN.fullmatch(token):
        # Never quote the token back: the message may end up in a shared log.
        raise SettingsError(
            "DISCORD_TOKEN holds a space, a quote or a character that no token has: paste it "
            "exactly as Developer Portal -> your app -> Bot -> Reset Token shows it"
        )
    return token or None


def _log_format(env: Mapping[str, str]) -> str:
    raw = env.get("FWERROR_LOG_FORMAT", "").strip().lower() or "text"
    if raw not in LOG_FORMATS:
        raise SettingsError(f"FWERROR_LOG_FORMAT must be text or json, got {raw[:30]!r}")
    return raw


def _whole(env: Mapping[str, str], name: str, low: int, high: int, what: str) -> int | None:
    """A whole number from `low` to `high` written in ASCII digits, or None when unset."""
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not _WHOLE.fullmatch(raw) or not low <= int(raw) <= high:
        raise SettingsError(
            f"{name} must be {what}: a whole number from {low} to {high} in digits 0-9, "
            f"got {raw[:SHOWN]!r}"
        )
    return int(raw)


def _port(env: Mapping[str, str], name: str) -> int | None:
    return _whole(env, name, 1, 65535, "a port number")


def _host(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not _HOST.fullmatch(raw):
        raise SettingsError(f"{name} must be an IP address or a host name, got {raw[:30]!r}")
    return raw


def _database_url(env: Mapping[str, str]) -> str | None:
    from bot.store.url import DEFAULT_DATABASE_URL, DatabaseUrlError, engine_url

    name = "FWERROR_DATABASE_URL" if env.get("FWERROR_DATABASE_URL", "").strip() else "DATABASE_URL"
    raw = env.get(name, "").strip() or DEFAULT_DATABASE_URL
    if raw.lower() in ("none", "off", "memory"):
        return None
    try:
        engine_url(raw)
    except DatabaseUrlError as error:
        raise SettingsError(f"{name}: {error}") from None
    return raw


def _retention_days(env: Mapping[str, str]) -> int:
    days = _whole(env, "FWERROR_RETENTION_DAYS", 1, 36500, "a number of days")
    return 90 if days is None else days


def _paste_hosts(env: Mapping[str, str]) -> frozenset[str]:
    raw = env.get("FWERROR_PASTE_HOSTS", "").strip().lower()
    if not raw:
        return DEFAULT_PASTE_HOSTS
    if raw == "none":
        return frozenset()
    hosts = frozenset(host.strip() for host in raw.split(",") if host.strip())
    unknown = sorted(hosts - DEFAULT_PASTE_HOSTS)
    if unknown:
        raise SettingsError(
            f"FWERROR_PASTE_HOSTS: {', '.join(h[:SHOWN] for h in unknown[:3])} is not a paste "
            f"site fwerror can read; choose among {', '.join(sorted(DEFAULT_PASTE_HOSTS))}, "
            "or write none"
        )
    return hosts


def _wave(env: Mapping[str, str]) -> Rate:
    wave = _rate(env, "FWERROR_INCIDENT_WAVE", Rate(3, 600.0))
    if wave.count < 2:  # one person is a report, not a wave
        raise SettingsError(
            f"FWERROR_INCIDENT_WAVE must count at least 2 people (e.g. 3/600), got {wave.count}"
        )
    return wave


def _status_page_url(env: Mapping[str, str]) -> str | None:
    raw = env.get("FWERROR_STATUS_PAGE_URL", "").strip()
    if not raw:
        return None
    if not _STATUS_URL.fullmatch(raw):
        raise SettingsError(
            "FWERROR_STATUS_PAGE_URL must be an http(s) URL of a status page's summary.json "
            f"(e.g. https://status.example.com/api/v2/summary.json), got {raw[:60]!r}"
        )
    return raw


MAX_SCREENSHOT_WORKERS = 16


def _screenshot_workers(env: Mapping[str, str]) -> int:
    workers = _whole(
        env,
        "FWERROR_SCREENSHOT_WORKERS",
        0,
        MAX_SCREENSHOT_WORKERS,
        "a number of processes (0: screenshots off)",
    )
    return 1 if workers is None else workers


def load_settings(
    environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
) -> Settings:
    """Settings from `.env` overlaid by the real environment (which wins)."""
    environ = os.environ if environ is None else environ
    from_file = read_dotenv(dotenv) if dotenv else {}
    env = {**from_file, **environ}
    notes = unknown_names(from_file, str(dotenv)) + unknown_names(environ, "the environment")
    return Settings(
        token=_token(env),
        help_channel_ids=_ids(env, "FWERROR_HELP_CHANNEL_IDS"),
        support_role_id=_id(env, "FWERROR_SUPPORT_ROLE_ID"),
        escalation_channel_id=_id(env, "FWERROR_ESCALATION_CHANNEL_ID"),
        moderator_role_id=_id(env, "FWERROR_MODERATOR_ROLE_ID"),
        guild_id=_id(env, "FWERROR_GUILD_ID"),
        knowledge_dir=_directory(env, "FWERROR_KNOWLEDGE_DIR"),
        log_level=_log_level(env),
        delete_leaked_keys=_bool(env, "FWERROR_DELETE_LEAKED_KEYS", True),
        user_rate=_rate(env, "FWERROR_USER_RATE", Rate(1, 30.0)),
        channel_rate=_rate(env, "FWERROR_CHANNEL_RATE", Rate(20, 60.0)),
        command_rate=_rate(env, "FWERROR_COMMAND_RATE", Rate(5, 60.0)),
        log_format=_log_format(env),
        metrics_port=_port(env, "FWERROR_METRICS_PORT"),
        metrics_host=_host(env, "FWERROR_METRICS_HOST", "127.0.0.1"),
        human_rate=_rate(env, "FWERROR_HUMAN_RATE", Rate(3, 600.0)),
        button_rate=_rate(env, "FWERROR_BUTTON_RATE", Rate(10, 60.0)),
        warnings=tuple(dict.fromkeys(notes)),
        database_url=_database_url(env),
        retention_days=_retention_days(env),
        paste_hosts=_paste_hosts(env),
        incident_wave=_wave(env),
        status_page_url=_status_page_url(env),
        screenshot_workers=_screenshot_workers(env),
    )
