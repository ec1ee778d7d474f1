"""What a message's pictures add to it, sure or unsure (plain data: no engine needed)."""

from __future__ import annotations

from bot.core.explain import explain
from bot.knowledge.load import load_knowledge
from bot.message_text import MessageText
from bot.pictures import picture_quote, unsure_notice, with_pictures
from bot.prepared_message import prepare_message
from bot.screenshots.reading import LOW_CONFIDENCE, Reading

PASTE = "openai.RateLimitError: Error code: 429 - {'error': {'message': 'rate limit exceeded'}}"
KEY = "fw_" + "FAKETEST" * 3  # shaped like a Fireworks key; not one


def test_a_sure_reading_is_explained_with_the_text_and_quoted() -> None:
    text = with_pictures(MessageText("any idea?"), (Reading(PASTE, 0.97),))
    assert text.logs == f"any idea?\n\n{PASTE}"
    assert text.everything == "any idea?"  # what Discord holds: a picture is contained apart
    result = explain(text.logs, load_knowledge(), "passive")
    assert result.decision.code == "429"
    assert picture_quote(result, prepare_message(text).trusted_pictures).startswith(
        "Read from your screenshot: `openai.RateLimit"
    )
    assert unsure_notice(text.pictures) == ""


def test_an_unsure_reading_is_not_explained_but_shown_back_in_explicit_mode() -> None:
    unsure = Reading(PASTE, LOW_CONFIDENCE - 0.1)
    text = with_pictures(MessageText(""), (unsure,))
    assert text.logs == ""  # passive mode has nothing to answer
    assert explain(text.logs, load_knowledge(), "passive").reply is None
    notice = unsure_notice(text.pictures)
    assert "couldn't read your screenshot clearly" in notice and "429" in notice
    assert "paste the error as text" in notice


def test_a_key_in_a_picture_is_scanned_and_never_quoted() -> None:
    said = f"export FIREWORKS_API_KEY={KEY}\n{PASTE}"
    text = with_pictures(MessageText(""), (Reading(said, 0.95),))
    assert KEY in text.pictured  # searched for secrets by the caller
    result = explain(text.logs, load_knowledge(), "passive")
    assert KEY not in picture_quote(result, prepare_message(text).trusted_pictures)
    assert KEY not in result.redaction.text


def test_a_key_typed_at_a_prompt_is_still_scanned() -> None:
    shown = Reading(PASTE, 0.95, whole=f"$ export FIREWORKS_API_KEY={KEY}\n{PASTE}")
    text = with_pictures(MessageText(""), (shown,))
    assert KEY in text.pictured and KEY not in text.logs


def test_a_refused_picture_adds_nothing() -> None:
    text = MessageText("hi")
    assert with_pictures(text, (Reading(refused="not a PNG, JPEG, WebP or GIF"),)).logs == "hi"
