"""Typed settings, read once from the environment or a `.env` file.

A missing optional setting switches its feature off (the bot logs one warning per feature);
a malformed one stops start-up with a message that names it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


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
    database_url: str | None = None  # None: no store, claims in memory (load_settings: SQLite)
    retention_days: int = 90

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


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; blank lines, comments and `export ` prefixes are allowed."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        if not sep or not key.strip():
            raise SettingsError(f"{path}:{number}: expected KEY=VALUE, got {line[:40]!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def _id(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise SettingsError(f"{name} must be a Discord id (digits only), got {raw[:30]!r}")
    return int(raw)


def _ids(env: Mapping[str, str], name: str) -> frozenset[int]:
    raw = env.get(name, "").strip()
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    bad = [p for p in parts if not p.isdigit()]
    if bad:
        raise SettingsError(f"{name} must be comma-separated Discord ids, got {bad[0][:30]!r}")
    return frozenset(int(p) for p in parts)


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw[:30]!r}")


def _rate(env: Mapping[str, str], name: str, default: Rate) -> Rate:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    count, sep, seconds = raw.partition("/")
    try:
        rate = Rate(int(count), float(seconds))
    except ValueError:
        rate = None
    if not sep or rate is None or rate.count < 1 or rate.seconds <= 0:
        raise SettingsError(f"{name} must look like COUNT/SECONDS (e.g. 1/30), got {raw[:30]!r}")
    return rate


def _log_format(env: Mapping[str, str]) -> str:
    raw = env.get("FWERROR_LOG_FORMAT", "").strip().lower() or "text"
    if raw not in LOG_FORMATS:
        raise SettingsError(f"FWERROR_LOG_FORMAT must be text or json, got {raw[:30]!r}")
    return raw


def _port(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise SettingsError(f"{name} must be a port number from 1 to 65535, got {raw[:30]!r}")
    return int(raw)


def _host(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not all(c.isalnum() or c in ".-:" for c in raw):
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
    raw = env.get("FWERROR_RETENTION_DAYS", "").strip()
    if not raw:
        return 90
    if not raw.isdigit() or not 1 <= int(raw) <= 36500:
        raise SettingsError(
            f"FWERROR_RETENTION_DAYS must be a whole number of days, got {raw[:30]!r}"
        )
    return int(raw)


def load_settings(
    environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
) -> Settings:
    """Settings from `.env` overlaid by the real environment (which wins)."""
    env = {
        **(read_dotenv(dotenv) if dotenv else {}),
        **(os.environ if environ is None else environ),
    }
    level = env.get("FWERROR_LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise SettingsError(
            f"FWERROR_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}"
        )
    knowledge = env.get("FWERROR_KNOWLEDGE_DIR", "").strip()
    return Settings(
        token=env.get("DISCORD_TOKEN", "").strip() or None,
        help_channel_ids=_ids(env, "FWERROR_HELP_CHANNEL_IDS"),
        support_role_id=_id(env, "FWERROR_SUPPORT_ROLE_ID"),
        escalation_channel_id=_id(env, "FWERROR_ESCALATION_CHANNEL_ID"),
        moderator_role_id=_id(env, "FWERROR_MODERATOR_ROLE_ID"),
        guild_id=_id(env, "FWERROR_GUILD_ID"),
        knowledge_dir=Path(knowledge) if knowledge else None,
        log_level=level,
        delete_leaked_keys=_bool(env, "FWERROR_DELETE_LEAKED_KEYS", True),
        user_rate=_rate(env, "FWERROR_USER_RATE", Rate(1, 30.0)),
        channel_rate=_rate(env, "FWERROR_CHANNEL_RATE", Rate(20, 60.0)),
        command_rate=_rate(env, "FWERROR_COMMAND_RATE", Rate(5, 60.0)),
        log_format=_log_format(env),
        metrics_port=_port(env, "FWERROR_METRICS_PORT"),
        metrics_host=_host(env, "FWERROR_METRICS_HOST", "127.0.0.1"),
        database_url=_database_url(env),
        retention_days=_retention_days(env),
    )
