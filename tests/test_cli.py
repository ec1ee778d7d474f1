"""The command line as a user runs it: python -m bot ..."""

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main, read_head_and_tail
from tests.knowledge.knowledge_fixtures import alias_bomb

ROOT = Path(__file__).resolve().parent.parent
RATE_LIMITED = (
    "openai.RateLimitError: Error code: 429 - {'error': {'message': "
    "'rate limit exceeded, please try again later'}}"
)


def run(*args: str, stdin: bytes | None = None, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def decision(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["explain", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_explain_prints_a_readable_answer() -> None:
    result = run("explain", RATE_LIMITED)
    assert result.returncode == 0
    out = result.stdout.decode()
    assert "429" in out and "**Fix:**" in out


def test_explain_json_for_a_429(capsys: pytest.CaptureFixture[str]) -> None:
    got = decision(capsys, RATE_LIMITED)
    assert got["action"] == "answer"
    assert got["code"] == "429"
    assert got["entry"] == "429-rate-limit"
    assert got["escalate"] is False
    assert 0 < got["confidence"] <= 1
    assert got["evidence"]


def test_a_520_escalates(capsys: pytest.CaptureFixture[str]) -> None:
    got = decision(capsys, "openai.InternalServerError: Error code: 520 - error code: 520")
    assert (got["action"], got["code"], got["escalate"]) == ("escalate", "520", True)


def test_unknown_text_escalates_in_explicit_mode(capsys: pytest.CaptureFixture[str]) -> None:
    got = decision(capsys, "the build is purple today")
    assert (got["action"], got["code"], got["entry"]) == ("escalate", None, None)


def test_passive_mode_ignores_chatter(capsys: pytest.CaptureFixture[str]) -> None:
    got = decision(capsys, "--mode", "passive", "thanks all, see you tomorrow")
    assert got["action"] == "ignore"


def test_stdin_binary_and_huge_input_are_handled() -> None:
    paste = b"\x00\xff\xfe" * 1000 + b"\nError code: 502 Bad Gateway\n" + b"x" * 2_000_000
    result = run("explain", "--json", "-", stdin=paste)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["code"] == "502"


def test_a_leaked_key_is_warned_about_and_never_printed() -> None:
    key = "fw_" + "Zq4" * 9
    result = run("explain", f"Authorization: Bearer {key}\nError code: 401")
    assert result.returncode == 0
    assert key not in result.stdout.decode() + result.stderr.decode()
    assert "revoke" in result.stderr.decode().lower()


def test_no_token_explains_how_to_start() -> None:
    result = run(env={"DISCORD_TOKEN": ""})
    assert result.returncode == 2
    err = result.stderr.decode()
    assert "DISCORD_TOKEN" in err and "explain" in err
    assert "Traceback" not in err


def test_a_malformed_setting_is_named() -> None:
    result = run(env={"DISCORD_TOKEN": "x", "FWERROR_HELP_CHANNEL_IDS": "12,abc"})
    assert result.returncode == 2
    assert "FWERROR_HELP_CHANNEL_IDS" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


def test_broken_knowledge_is_reported_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "tips.yaml").write_text("support_email: [unclosed\n")
    result = run("explain", "--knowledge", str(tmp_path), "429")
    assert result.returncode == 2
    assert "tips.yaml:" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


def test_check_passes_on_the_shipped_knowledge() -> None:
    result = run("check")
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    assert "OK:" in result.stdout.decode()


def test_eval_meets_the_bar_on_the_corpus() -> None:
    corpus = sorted(str(p) for p in (ROOT / "tests" / "corpus").glob("*.jsonl"))
    assert len(corpus) >= 2
    result = run("eval", *corpus, "--json", "--min-accuracy", "0.97")
    assert result.returncode == 0, result.stdout.decode()[-3000:]
    summary = json.loads(result.stdout)
    assert summary["accuracy"] >= 0.97


def test_stdin_over_8_mib_keeps_the_error_at_its_end() -> None:
    """A 10 MB paste: the head and the tail are read (as in Discord), so the 502 is found."""
    paste = b"INFO: retrying request\n" * 450_000 + b"openai.APIStatusError: Error code: 502\n"
    assert len(paste) > 10_000_000
    result = run("explain", "--json", "-", stdin=paste)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["code"] == "502"
    assert "reading its first 4 MiB and its last 4 MiB" in result.stderr.decode()


def test_head_and_tail_of_a_stream_hold_bounded_memory() -> None:
    data = bytes(range(256)) * 40_000  # 10 MB, larger than head + tail + one chunk
    head, tail, skipped = read_head_and_tail(io.BytesIO(data), 1000, 3000)
    assert (head, tail, skipped) == (data[:1000], data[-3000:], len(data) - 4000)
    short = read_head_and_tail(io.BytesIO(b"abc"), 1000, 3000)
    assert short == (b"abc", b"", 0)


@pytest.mark.parametrize(
    ("added", "at", "fragment"),
    [
        (alias_bomb(), "&a0", "anchor '&a0': anchors (&) and aliases (*) are not allowed"),
        ("  - ? [lol, lol]\n    : none\n", "? [", "a key must be a plain word, not a list"),
    ],
)
def test_check_refuses_aliases_and_complex_keys_at_their_line(
    tmp_path: Path, added: str, at: str, fragment: str
) -> None:
    directory = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", directory)
    prose = directory / "signals" / "prose.yaml"
    text = prose.read_text(encoding="utf-8")
    text += added
    prose.write_text(text, encoding="utf-8")

    result = run("check", "--knowledge", str(directory))

    assert result.returncode != 0
    where = f"signals/prose.yaml:{text[: text.index(at)].count(chr(10)) + 1}: "
    assert f"{where}{fragment}" in result.stdout.decode() + result.stderr.decode()


def test_explain_prints_no_escape_sequence_from_the_paste() -> None:
    # OSC 52 (set the clipboard), CSI erase (also as C1 controls) and a bidi override, inside
    # the error line the answer quotes.
    paste = (
        "\x1b]52;c;ZmFrZQ==\x07openai.InternalServerError: Error code: 500 \x1b[2K\u202e "
        "\x9b2J\x9d52;c;ZmFrZQ==\x9c x"
    )
    result = run("explain", paste)
    assert result.returncode == 0
    out = result.stdout.decode()
    assert "- Error: `" in out and "InternalServerError: Error code: 500" in out
    assert not any(char in out for char in "\x1b\x07\u202e\x9b\x9d\x9c")
