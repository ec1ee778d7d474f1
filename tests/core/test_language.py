"""Answers in the reader's language (issue 19): a report written in Chinese, Spanish,
Portuguese or Japanese was matched well and answered in English only."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.explain import explain
from bot.core.language import detect, prose
from bot.core.render import render_short_embed
from bot.core.translation import english_source
from bot.knowledge.check import check_knowledge
from bot.knowledge.load import load_knowledge
from tests.knowledge.knowledge_fixtures import RATE_LIMIT, write_knowledge

KNOWLEDGE = load_knowledge()
ERROR = (
    "openai.RateLimitError: Error code: 429 - {'error': {'message': 'rate limit exceeded, "
    "please try again later'}}"
)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (f"一直报 429, 怎么办?\n{ERROR}", "zh"),
        (f"このエラーが出ます。どうすればいいですか\n{ERROR}", "ja"),
        (f"hola, me sale este error cuando llamo a la API:\n{ERROR}", "es"),
        (f"olá, não sei por que dá esse erro:\n{ERROR}", "pt"),
        (f"getting this error when I call the API, any idea?\n{ERROR}", "en"),
        (ERROR, "en"),  # the error's own words are English whatever the reader speaks
        ("429", "en"),
    ],
)
def test_the_language_is_read_from_the_prose(text: str, language: str) -> None:
    assert detect(text, KNOWLEDGE.words) == language


def test_prose_leaves_out_the_error_frames_and_code() -> None:
    text = f"hola\n{ERROR}\n    at f (file:///a.mjs:1:2)\nlogger.error('x')\n```\ncode\n```"
    assert prose(text) == "hola"


@pytest.mark.parametrize(
    ("intro", "language", "title_starts"),
    [
        ("一直报 429, 怎么办?", "zh", "429 请求过多"),
        ("hola, me sale este error cuando llamo a la API:", "es", "429 Too Many Requests: límite"),
        ("olá, não sei por que dá esse erro:", "pt", "429 Too Many Requests: limite de taxa"),
        ("このエラーが出ます。どうすればいいですか", "ja", "429 Too Many Requests: サーバーレス"),
    ],
)
def test_a_429_is_answered_in_the_readers_language(
    intro: str, language: str, title_starts: str
) -> None:
    reply = explain(f"{intro}\n{ERROR}", KNOWLEDGE, "passive").reply
    assert reply is not None and reply.entry_id == "429-rate-limit"
    assert reply.language == language and reply.title.startswith(title_starts)
    short = render_short_embed(reply)
    # The error line is quoted as pasted, untranslated.
    assert "RateLimitError: Error code: 429" in short["description"]


def test_a_chinese_short_answer_cuts_its_cause_at_the_chinese_full_stop() -> None:
    reply = explain(f"一直报 429, 怎么办?\n{ERROR}", KNOWLEDGE, "passive").reply
    assert reply is not None
    cause = render_short_embed(reply)["description"].split("\n\n")[-1]
    assert cause.endswith("。") and cause.count("。") == 1


def test_an_entry_without_that_translation_answers_in_english() -> None:
    reply = explain("一直报 502, 怎么办? 502 Bad Gateway", KNOWLEDGE, "passive").reply
    assert reply is not None and reply.entry_id == "502-bad-gateway"
    assert reply.language == "en" and reply.title == KNOWLEDGE.by_id["502-bad-gateway"].title


def _translated(source: str) -> dict:
    text = {
        "source": source,
        "title": "429 请求过多",
        "cause": "原因" * 12,
        "fix": "- 修复步骤" * 5,
    }
    return {**RATE_LIMIT, "translations": {"zh": text}}


def test_check_flags_a_translation_older_than_its_english(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, (_translated("0123456789ab"),))
    problems = [p for p in check_knowledge(directory) if "older than the English" in p.message]
    [problem] = problems
    assert problem.file.name == "429-rate-limit.yaml" and "'zh'" in problem.message


def test_a_current_translation_passes_check_and_a_stale_one_is_not_used(tmp_path: Path) -> None:
    now = english_source(RATE_LIMIT["title"], RATE_LIMIT["cause"], RATE_LIMIT["fix"])
    fresh = write_knowledge(tmp_path / "fresh", (_translated(now),))
    assert not [p for p in check_knowledge(fresh) if "translation" in p.message]
    stale = load_knowledge(write_knowledge(tmp_path / "stale", (_translated("0" * 12),)))
    assert stale.entries[0].translation_in("zh") is None
    assert load_knowledge(fresh).entries[0].translation_in("zh") is not None


def test_the_words_around_a_translated_answer_are_translated_too() -> None:
    reply = explain(f"一直报 429, 怎么办?\n{ERROR}", KNOWLEDGE, "passive").reply
    assert reply is not None
    said = {f["name"]: f["value"] for f in render_short_embed(reply)["fields"]}
    assert said["接下来会怎样"].startswith("还没有通知任何人")
    assert (
        said["链接"].startswith("[文档](")
        and "[状态页](https://status.fireworks.ai)" in said["链接"]
    )
    assert "解决方法" in said


def test_labels_for_a_language_no_entry_speaks_are_refused(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, (RATE_LIMIT,))
    (directory / "languages").mkdir()
    (directory / "languages" / "labels.yaml").write_text("fr:\n  Fix: Correctif\n")
    assert any("maps a language" in p.message for p in check_knowledge(directory))
