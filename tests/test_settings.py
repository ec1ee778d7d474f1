"""Settings: defaults, `.env` under the environment, and errors that name the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import Rate, Settings, SettingsError, load_settings


def test_defaults_leave_only_the_token_required(tmp_path: Path) -> None:
    settings = load_settings({}, dotenv=tmp_path / "missing.env")
    assert settings == Settings(database_url="sqlite:///fwerror.db")  # the store is on
    assert settings.user_rate == Rate(1, 30.0)
    assert len(settings.disabled_features()) == 5


def test_every_setting_is_read(tmp_path: Path) -> None:
    env = {
        "DISCORD_TOKEN": " abc ",
        "FWERROR_HELP_CHANNEL_IDS": "1, 2,,3",
        "FWERROR_SUPPORT_ROLE_ID": "4",
        "FWERROR_ESCALATION_CHANNEL_ID": "5",
        "FWERROR_MODERATOR_ROLE_ID": "6",
        "FWERROR_GUILD_ID": "7",
        "FWERROR_KNOWLEDGE_DIR": str(tmp_path),
        "FWERROR_LOG_LEVEL": "debug",
        "FWERROR_DELETE_LEAKED_KEYS": "off",
        "FWERROR_USER_RATE": "2/10",
        "FWERROR_CHANNEL_RATE": "30/60",
        "FWERROR_COMMAND_RATE": "3/15.5",
        "FWERROR_DATABASE_URL": "postgresql://fwerror@db/fwerror",
        "FWERROR_RETENTION_DAYS": "30",
    }
    settings = load_settings(env, dotenv=None)
    assert settings == Settings(
        token="abc",
        help_channel_ids=frozenset({1, 2, 3}),
        support_role_id=4,
        escalation_channel_id=5,
        moderator_role_id=6,
        guild_id=7,
        knowledge_dir=tmp_path,
        log_level="DEBUG",
        delete_leaked_keys=False,
        user_rate=Rate(2, 10.0),
        channel_rate=Rate(30, 60.0),
        command_rate=Rate(3, 15.5),
        database_url="postgresql://fwerror@db/fwerror",
        retention_days=30,
    )
    assert settings.disabled_features() == []


def test_the_environment_wins_over_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# comment\n\nexport DISCORD_TOKEN='from-file'\nFWERROR_GUILD_ID=\"9\"\n",
        encoding="utf-8",
    )
    settings = load_settings({"DISCORD_TOKEN": "from-env"}, dotenv=dotenv)
    assert (settings.token, settings.guild_id) == ("from-env", 9)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FWERROR_HELP_CHANNEL_IDS", "12,abc"),
        ("FWERROR_SUPPORT_ROLE_ID", "@support"),
        ("FWERROR_ESCALATION_CHANNEL_ID", "#queue"),
        ("FWERROR_MODERATOR_ROLE_ID", "-1"),
        ("FWERROR_GUILD_ID", "1e9"),
        ("FWERROR_LOG_LEVEL", "LOUD"),
        ("FWERROR_DELETE_LEAKED_KEYS", "maybe"),
        ("FWERROR_USER_RATE", "1 per 30"),
        ("FWERROR_CHANNEL_RATE", "0/60"),
        ("FWERROR_COMMAND_RATE", "5/-1"),
    ],
)
def test_a_malformed_setting_is_named(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value}, dotenv=None)


def test_a_malformed_dotenv_line_is_located(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("DISCORD_TOKEN=x\nnot a setting\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"\.env:2:"):
        load_settings({}, dotenv=dotenv)


def test_running_with_a_malformed_setting_exits_2_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("DISCORD_TOKEN", "x")
    monkeypatch.setenv("FWERROR_USER_RATE", "fast")
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "FWERROR_USER_RATE must look like COUNT/SECONDS" in err
