"""Settings: defaults, `.env` under the environment, and errors that name the setting."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import NAMES, Rate, Settings, SettingsError, load_settings, read_dotenv


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
        "FWERROR_HUMAN_RATE": "2/120",
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
        human_rate=Rate(2, 120.0),
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


# Break 9: values that used to crash with a traceback, or were accepted though broken.

ROOT = Path(__file__).resolve().parent.parent
UTF16_ENV = "DISCORD_TOKEN=abc\r\nFWERROR_GUILD_ID=7\r\n"


def start(cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot` in `cwd` (its .env, if any), with only `env` as settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("FWERROR_", "DISCORD_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


BAD_VALUES = [
    ("FWERROR_GUILD_ID", "\u00b2"),  # str.isdigit() says yes, int() says no
    ("FWERROR_HELP_CHANNEL_IDS", "1,\u00b2"),
    ("FWERROR_SUPPORT_ROLE_ID", "9" * 5000),  # int() refuses over 4,300 digits
    ("FWERROR_MODERATOR_ROLE_ID", "\u0661\u0662"),  # Arabic-Indic digits: int() accepts them
    ("FWERROR_ESCALATION_CHANNEL_ID", str(2**64)),  # 20 digits, past the snowflake range
    ("FWERROR_GUILD_ID", "0"),
    ("FWERROR_USER_RATE", "1/nan"),
    ("FWERROR_CHANNEL_RATE", "1/inf"),
    ("FWERROR_COMMAND_RATE", "1/1e999"),
    ("FWERROR_HUMAN_RATE", "1/" + "9" * 400),
    ("FWERROR_USER_RATE", "\u0661/30"),
    ("FWERROR_USER_RATE", "1_0/30"),
    ("FWERROR_CHANNEL_RATE", "1000001/60"),
    ("FWERROR_COMMAND_RATE", "1/604801"),
    ("FWERROR_LOG_LEVEL", "x" * 5000),
    ("FWERROR_KNOWLEDGE_DIR", "a" * 5000),  # Path.is_dir() raises "File name too long"
    ("FWERROR_KNOWLEDGE_DIR", "/no/such/knowledge"),
    ("DISCORD_TOKEN", "abc # note"),
    ("DISCORD_TOKEN", "Bot abc"),
    ("FWERROR_METRICS_PORT", "\u00b2"),
    ("FWERROR_METRICS_PORT", "9" * 5000),
    ("FWERROR_METRICS_HOST", "h\u00e9te"),
    ("FWERROR_LOG_FORMAT", "x" * 5000),
    ("FWERROR_RETENTION_DAYS", "\u00b2"),  # was a traceback and exit 1
]

# Where each numeric setting takes a number ({}); a new setting must be listed in one of these.
NUMERIC = {
    "FWERROR_HELP_CHANNEL_IDS": ("{}", "1,{}"),
    "FWERROR_SUPPORT_ROLE_ID": ("{}",),
    "FWERROR_ESCALATION_CHANNEL_ID": ("{}",),
    "FWERROR_MODERATOR_ROLE_ID": ("{}",),
    "FWERROR_GUILD_ID": ("{}",),
    "FWERROR_USER_RATE": ("{}/30", "1/{}"),
    "FWERROR_CHANNEL_RATE": ("{}/30", "1/{}"),
    "FWERROR_COMMAND_RATE": ("{}/30", "1/{}"),
    "FWERROR_HUMAN_RATE": ("{}/30", "1/{}"),
    "FWERROR_BUTTON_RATE": ("{}/30", "1/{}"),
    "FWERROR_INCIDENT_WAVE": ("{}/30", "2/{}"),  # COUNT is at least 2
    "FWERROR_METRICS_PORT": ("{}",),
    "FWERROR_RETENTION_DAYS": ("{}",),
    "FWERROR_SCREENSHOT_WORKERS": ("{}",),
}
NOT_NUMERIC = {
    "DISCORD_TOKEN",
    "FWERROR_KNOWLEDGE_DIR",
    "FWERROR_LOG_LEVEL",
    "FWERROR_DELETE_LEAKED_KEYS",
    "FWERROR_LOG_FORMAT",
    "FWERROR_METRICS_HOST",
    "FWERROR_DATABASE_URL",
    "FWERROR_PASTE_HOSTS",
    "FWERROR_STATUS_PAGE_URL",
}
# Digits str.isdigit() or int() accept that aren't 0-9: superscript, Arabic-Indic, fullwidth,
# mathematical bold, Devanagari; and shapes int() or float() read that no setting means.
NOT_DIGITS = [
    "\u00b2",
    "\u0663",
    "\uff13",
    "\U0001d7d3",
    "\u0969",
    "3\u00b2",
    "1e3",
    "-1",
    "0x1f",
    "1_0",
]


def test_every_setting_is_sorted_numeric_or_not() -> None:
    assert set(NUMERIC) | NOT_NUMERIC == set(NAMES) and not set(NUMERIC) & NOT_NUMERIC


@pytest.mark.parametrize("digits", NOT_DIGITS)
@pytest.mark.parametrize("name", sorted(NUMERIC))
def test_a_number_in_other_digits_is_a_settings_error_naming_it(name: str, digits: str) -> None:
    for template in NUMERIC[name]:
        with pytest.raises(SettingsError, match=name):
            load_settings({name: template.format(digits)}, dotenv=None)


@pytest.mark.parametrize(("name", "value"), BAD_VALUES)
def test_a_bad_value_is_a_settings_error_naming_it(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value}, dotenv=None)


@pytest.mark.parametrize(("name", "value"), BAD_VALUES)
def test_a_bad_value_stops_python_m_bot_with_status_2(
    tmp_path: Path, name: str, value: str
) -> None:
    result = start(tmp_path, **{name: value})
    assert result.returncode == 2, result.stderr
    assert name in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "abc" not in result.stderr  # a malformed token is never echoed


def test_ids_of_20_digits_within_the_snowflake_range_are_read() -> None:
    settings = load_settings(
        {"FWERROR_GUILD_ID": str(2**64 - 1), "FWERROR_HELP_CHANNEL_IDS": "1, 1234567890123456789"},
        dotenv=None,
    )
    assert settings.guild_id == 2**64 - 1
    assert settings.help_channel_ids == {1, 1234567890123456789}


def test_rates_are_positive_finite_numbers() -> None:
    settings = load_settings(
        {
            "FWERROR_USER_RATE": " 2 / 0.5 ",
            "FWERROR_CHANNEL_RATE": "1000000/604800",
            "FWERROR_HUMAN_RATE": "1/600",
        },
        dotenv=None,
    )
    assert (settings.user_rate, settings.human_rate) == (Rate(2, 0.5), Rate(1, 600.0))
    assert settings.channel_rate == Rate(1_000_000, 604_800.0)


def test_a_dotenv_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_bytes(codecs.BOM_UTF8 + b"DISCORD_TOKEN=abc\nFWERROR_GUILD_ID=7\n")
    settings = load_settings({}, dotenv=dotenv)
    assert (settings.token, settings.guild_id) == ("abc", 7)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_dotenv_is_refused_with_how_to_save_it(tmp_path: Path, encoding: str) -> None:
    (tmp_path / ".env").write_bytes(UTF16_ENV.encode(encoding))  # "utf-16" writes a BOM
    with pytest.raises(SettingsError, match=r"UTF-16.*save it as UTF-8"):
        load_settings({}, dotenv=tmp_path / ".env")
    result = start(tmp_path)
    assert result.returncode == 2
    assert "save it as UTF-8" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            b"DISCORD_TOKEN=abc\nFWERROR_GUILD_ID=caf\xe9\n",
            r"\.env:2: not UTF-8 text \(byte 0xe9\)",
            id="latin-1",
        ),
        pytest.param(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4, "NUL bytes", id="binary"),
        pytest.param(b"DISCORD_TOKEN=" + b"a" * (2 * 1024 * 1024), "over 1024 KiB", id="huge"),
    ],
)
def test_a_dotenv_that_is_not_utf8_text_is_refused(
    tmp_path: Path, data: bytes, message: str
) -> None:
    (tmp_path / ".env").write_bytes(data)
    with pytest.raises(SettingsError, match=message):
        load_settings({}, dotenv=tmp_path / ".env")
    result = start(tmp_path)
    assert result.returncode == 2 and ".env" in result.stderr
    assert "Traceback" not in result.stderr


def test_inline_comments_are_stripped_from_unquoted_values_only(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "DISCORD_TOKEN=abc # note\n"
        "FWERROR_LOG_LEVEL=debug\t# loud while we test\n"
        "FWERROR_HELP_CHANNEL_IDS= # none yet\n"
        "FWERROR_GUILD_ID='7'   # quoted, then a comment\n"
        'FWERROR_KNOWLEDGE_DIR="' + str(tmp_path) + '"\n',
        encoding="utf-8",
    )
    settings = load_settings({}, dotenv=dotenv)
    assert settings.token == "abc"
    assert settings.log_level == "DEBUG"
    assert settings.help_channel_ids == frozenset()
    assert settings.guild_id == 7
    assert settings.knowledge_dir == tmp_path


def test_a_hash_inside_quotes_or_glued_to_text_stays(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("A=\"x # y\"\nB='#z'\nC=abc#def\nD=#e\n", encoding="utf-8")
    assert read_dotenv(dotenv) == {"A": "x # y", "B": "#z", "C": "abc#def", "D": "#e"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("DISCORD_TOKEN='abc", r"\.env:2: DISCORD_TOKEN's value opens a quote that never closes"),
        ('FWERROR_GUILD_ID="7"8', r"\.env:2: FWERROR_GUILD_ID has text after its closing quote"),
        ("MY SETTING=1", r"\.env:2: 'MY SETTING' is not a setting name"),
    ],
)
def test_a_malformed_dotenv_value_is_located(tmp_path: Path, line: str, message: str) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"# settings\n{line}\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=message):
        load_settings({}, dotenv=dotenv)


def test_unknown_fwerror_names_get_a_did_you_mean(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("FWERROR_USER_RATES=1/30\nDISCORD_TOKN=abc\nOTHER_TOOL=1\n", encoding="utf-8")
    settings = load_settings({"FWERROR_GUILD": "7", "HOME": "/root"}, dotenv=dotenv)
    assert settings.warnings == (
        f"FWERROR_USER_RATES (in {dotenv}) is not a setting, so it is ignored: "
        "did you mean FWERROR_USER_RATE?",
        f"DISCORD_TOKN (in {dotenv}) is not a setting, so it is ignored: "
        "did you mean DISCORD_TOKEN?",
        "FWERROR_GUILD (in the environment) is not a setting, so it is ignored: "
        "did you mean FWERROR_GUILD_ID?",
    )
    assert settings.guild_id is None  # ignored, as the warning says


def test_python_m_bot_warns_about_an_unknown_name(tmp_path: Path) -> None:
    result = start(tmp_path, FWERROR_HELP_CHANNELS="1")
    assert result.returncode == 2  # no token: it stops, but warns first
    assert (
        "FWERROR_HELP_CHANNELS (in the environment) is not a setting, so it is ignored: "
        "did you mean FWERROR_HELP_CHANNEL_IDS?"
    ) in result.stderr
    assert "DISCORD_TOKEN is not set" in result.stderr


def test_a_bom_dotenv_token_is_found_by_python_m_bot(tmp_path: Path) -> None:
    """The token is read, so start-up goes on to load the (here missing) knowledge."""
    (tmp_path / ".env").write_bytes(
        codecs.BOM_UTF8 + f"DISCORD_TOKEN=abc\nFWERROR_KNOWLEDGE_DIR={tmp_path}\n".encode()
    )
    result = start(tmp_path)
    assert result.returncode == 2
    assert "DISCORD_TOKEN is not set" not in result.stderr
    assert "tips.yaml: missing" in result.stderr


def test_every_setting_is_documented_in_env_example_and_the_readme() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = {line.partition("=")[0] for line in example.splitlines() if "=" in line[:40]}
    assert documented >= set(NAMES)
    assert all(f"| `{name}` |" in readme for name in NAMES)
    assert not load_settings({}, dotenv=ROOT / ".env.example").warnings


def test_incident_wave_is_people_per_seconds_and_at_least_two() -> None:
    env = {"FWERROR_DATABASE_URL": "none"}
    assert load_settings(env, None).incident_wave == Rate(3, 600.0)
    assert load_settings({**env, "FWERROR_INCIDENT_WAVE": "5/300"}, None).incident_wave == Rate(
        5, 300.0
    )
    for bad, said in (("1/600", "at least 2 people"), ("3 per 10 min", "COUNT/SECONDS")):
        with pytest.raises(SettingsError, match=said):
            load_settings({**env, "FWERROR_INCIDENT_WAVE": bad}, None)
