"""Rebuilding lines from OCR boxes and undoing OCR confusions: plain Python, no engine needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.matcher import diagnose
from bot.knowledge.load import load_knowledge
from bot.knowledge.screenshots import Confusions, ScreenshotSignalsError, load_confusions
from bot.screenshots.engine import Box
from bot.screenshots.lines import rebuild
from bot.screenshots.normalise import normalise

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def box(text: str, left: float, top: float, width: float | None = None, height: float = 20) -> Box:
    width = width if width is not None else 10 * len(text)
    return Box(text, left, top, left + width, top + height, 0.9)


def test_rows_are_read_top_to_bottom_and_left_to_right_whatever_the_engine_order() -> None:
    boxes = [
        box("Error code: 429", 200, 41),
        box("Traceback (most recent call last):", 0, 0),
        box("openai.RateLimitError:", 0, 40),
    ]
    assert rebuild(boxes).text == (
        "Traceback (most recent call last):\nopenai.RateLimitError: Error code: 429"
    )


def test_two_panels_side_by_side_are_read_one_after_the_other() -> None:
    boxes = [
        box("main.py", 0, 0),
        box("Traceback (most recent call last):", 600, 0),
        box("client.py", 0, 30),
        box("openai.APIStatusError: Error code: 502", 600, 30),
    ]
    assert rebuild(boxes).text.splitlines() == [
        "main.py",
        "client.py",
        "Traceback (most recent call last):",
        "openai.APIStatusError: Error code: 502",
    ]


def test_a_line_the_terminal_wrapped_is_joined_again() -> None:
    boxes = [
        box("openai.RateLimitError: Error code: 429 - {'error': {'message': 'rate lim", 0, 0, 800),
        box("it exceeded'}}", 0, 30, 140),
        box(
            "requests.exceptions.HTTPError: 503 Server Error: Service Unavailable for u", 0, 60, 800
        ),
        box("rl: https://api.fireworks.ai/inference/v1", 0, 90, 400),
    ]
    assert rebuild(boxes).text.splitlines() == [
        "openai.RateLimitError: Error code: 429 - {'error': {'message': 'rate limit exceeded'}}",
        "requests.exceptions.HTTPError: 503 Server Error: Service Unavailable for url: "
        "https://api.fireworks.ai/inference/v1",
    ]


def test_short_rows_that_end_together_are_not_wraps() -> None:
    boxes = [box("<head><title>502</title>", 0, 0, 240), box("<body>", 0, 30, 60)]
    boxes += [box("<h1>Bad Gateway</h1>!!!!", 0, 60, 240), box("</html>", 0, 90, 70)]
    assert len(rebuild(boxes).text.splitlines()) == 4


def test_one_long_line_alone_is_not_taken_for_a_wrap() -> None:
    boxes = [box("C:\\app> python main.py", 0, 0, 200), box("a long line of output", 0, 30, 900)]
    boxes.append(box("C:\\app>", 0, 60, 70))
    assert rebuild(boxes).text.splitlines()[-1] == "C:\\app>"


def test_a_tilted_photo_is_levelled_before_rows_are_formed() -> None:
    slope = 0.06  # about 3.4 degrees: rows drift 60 px down over 1,000 px

    def tilted(text: str, left: float, row_top: float, width: float) -> Box:
        top = row_top + slope * left
        return Box(text, left, top, left + width, top + 20 + slope * width, 0.9, slope)

    boxes = [
        tilted("openai.RateLimitError:", 0, 0, 400),
        tilted("Error code: 429", 420, 0, 300),
        tilted("Traceback (most recent call last):", 0, 30, 600),
        tilted("File main.py, line 3", 620, 30, 400),
    ]
    assert rebuild(boxes).text.splitlines() == [
        "openai.RateLimitError: Error code: 429",
        "Traceback (most recent call last): File main.py, line 3",
    ]


def test_a_short_box_keeps_its_row_beside_a_long_tilted_line() -> None:
    # The engine's boxes of a phone photo of a Windows console (corpus shot-0230): a long
    # line's bounds start at its highest corner, 35 px above its middle; taken for its top,
    # the prompt above it was read as the long line's end.
    boxes = [
        Box("c:\\users\\dev\\app>pythonmain.py", 51, 4, 349, 45, 0.9, 0.061),
        Box(
            'Post "https://api.fireworks.ai/inference/v1/chat/completions',
            49,
            26,
            1357,
            120,
            0.9,
            0.054,
        ),
        Box("buildingFRom scratch,soprobablynoca-certificates?", 49, 48, 548, 98, 0.9, 0.054),
        Box("c:\\users\\dev\\app>", 49, 68, 210, 100, 0.9, 0.069),
    ]
    assert rebuild(boxes).text.splitlines() == [
        "c:\\users\\dev\\app>pythonmain.py",
        'Post "https://api.fireworks.ai/inference/v1/chat/completions',
        "buildingFRom scratch,soprobablynoca-certificates?",
        "c:\\users\\dev\\app>",
    ]


def test_confidence_is_weighted_by_characters() -> None:
    sure = Box("openai.RateLimitError: Error code: 429", 0, 0, 400, 20, 1.0)
    unsure = Box("x", 0, 30, 10, 50, 0.0)
    assert rebuild([sure, unsure]).confidence == pytest.approx(38 / 39)


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("openai.InternalServerError: Errorcode:5o4", "openai.InternalServerError: Error code:504"),
        ("GET /inference/vl/models is 2oo", "GET /inference/v1/models is 200"),
        ("InternalserverError: 5OO", "InternalServerError: 500"),
        ("<title>502Bad Gateway</title>", "<title>502 Bad Gateway</title>"),
        ("HTTP/2502\nserver: cloudflare", "HTTP/2 502\nserver: cloudflare"),
        ("HTTP 4l3\uff0cpayload too large", "HTTP 413, payload too large"),  # full-width comma,
        (
            "tls:failed to verify certificate:x509:certificate",
            "tls: failed to verify certificate: x509: certificate",
        ),
        ("building FROM scratch,so probably", "building FROM scratch, so probably"),
    ],
)
def test_shipped_confusions_undo_what_the_engine_misreads(read: str, fixed: str) -> None:
    assert normalise(read, load_confusions(KNOWLEDGE)) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "hello world, too cool",
        "llama-v3p1-8b-instruct",
        "see 1.5s",
        "version v2.0.1",
        "GET https://api.fireworks.ai/inference/v1",
        "C:\\Users\\dev\\app> python main.py",
        "2026-11-30 09:29:59,107 INFO",
        "max_tokens=1,000",
    ],
)
def test_words_and_versions_keep_their_letters(text: str) -> None:
    assert normalise(text, load_confusions(KNOWLEDGE)) == text


def test_a_colon_glued_to_the_next_word_gets_the_answer_the_typed_line_gets() -> None:
    knowledge = load_knowledge()
    read = (
        'Post "https://api.fireworks.ai/inference/v1/chat/completions":tls:failed to verify'
        " certificate:x509:certificate signed by unknown authority"
    )
    assert diagnose(read, knowledge, "passive").action == "escalate"
    decision = diagnose(normalise(read, load_confusions(KNOWLEDGE)), knowledge, "passive")
    assert decision.action == "answer"
    assert decision.entry is not None and decision.entry.id == "tls-certificate-failed"


def test_a_misread_code_gets_the_answer_the_typed_code_gets() -> None:
    knowledge = load_knowledge()
    misread = "openai.InternalServerError: Errorcode:5o4 - Gateway Timeout"
    fixed = normalise(misread, load_confusions(KNOWLEDGE))
    assert diagnose(misread, knowledge, "passive").code != "504"
    assert diagnose(fixed, knowledge, "passive").code == "504"


def test_a_malformed_confusions_file_names_itself(tmp_path: Path) -> None:
    (tmp_path / "signals").mkdir()
    path = tmp_path / "signals" / "screenshots.yaml"
    path.write_text("digits:\n  oo: '0'\n")
    with pytest.raises(ScreenshotSignalsError, match="one letter to one digit"):
        load_confusions(tmp_path)
    path.write_text("colours: {}\n")
    with pytest.raises(ScreenshotSignalsError, match=r"screenshots\.yaml"):
        load_confusions(tmp_path)


def test_without_the_file_nothing_is_changed(tmp_path: Path) -> None:
    assert load_confusions(tmp_path) == Confusions({}, {}, ())


def test_check_reports_a_malformed_confusions_file(tmp_path: Path) -> None:
    import shutil

    from bot.knowledge.check import check_knowledge

    shutil.copytree(KNOWLEDGE, tmp_path / "knowledge")
    (tmp_path / "knowledge" / "signals" / "screenshots.yaml").write_text("digits: [o]\n")
    problems = [str(p) for p in check_knowledge(tmp_path / "knowledge")]
    assert any("screenshots.yaml" in p and "must map text to text" in p for p in problems)


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("Tasktimedoutafter30 seconds", "Task timed out after 30 seconds"),
        ("HTTP 503 ServiceUnavailable", "HTTP 503 Service Unavailable"),
        ("unexpected status 582 Bad Gateway", "unexpected status 502 Bad Gateway"),
        (
            "certificateverifyfailed: unable to get local issuer",
            "certificate verify failed: unable to get local issuer",
        ),
    ],
)
def test_the_knowledge_phrases_are_respaced_and_their_codes_trusted(read: str, fixed: str) -> None:
    from bot.screenshots.vocabulary import apply, vocabulary

    assert apply(read, vocabulary(load_knowledge())) == fixed


@pytest.mark.parametrize(
    "text",
    ["it took 582 requests to notice", "status 404 Bad Gateway", "llama3 is fast", "badge 200"],
)
def test_text_the_vocabulary_does_not_cover_is_left_alone(text: str) -> None:
    from bot.screenshots.vocabulary import apply, vocabulary

    assert apply(text, vocabulary(load_knowledge())) == text


def test_shell_prompt_lines_are_left_out_of_what_a_picture_says() -> None:
    from bot.screenshots.reading import reading
    from bot.screenshots.worker import Found

    rows = [
        "user@dev:~/app$ python main.py",
        "same here, 403 on my lora even though I can see it in the dashboard",
        "C:\\Users\\dev\\app> python main.py",
        "% python3 main.py",
        "user@dev:~/app$",
    ]
    boxes = tuple(box(text, 0, 30 * i) for i, text in enumerate(rows))
    read = reading(Found(boxes), load_confusions(KNOWLEDGE))
    said = read.text
    assert said == "same here, 403 on my lora even though I can see it in the dashboard"
    assert read.whole.splitlines() == rows  # searched for secrets: a key typed at a prompt
    knowledge = load_knowledge()
    assert diagnose(said, knowledge, "passive").code == "403"
    assert diagnose("\n".join(rows), knowledge, "passive").action == "ignore"


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("Getting 4@3Forbidden when I call", "Getting 403 Forbidden when I call"),
        ("HTTP 5o2 Bad Gateway", "HTTP 502 Bad Gateway"),
        ("openai.RateimitErrnr: Error code: 429", "openai.RateLimitError: Error code: 429"),
        ("IntetnalServerEtror: 500", "InternalServerError: 500"),
        ("lnternalServerError: 500", "InternalServerError: 500"),
    ],
)
def test_misread_codes_and_class_names_are_read_as_the_knowledge_spells_them(
    read: str, fixed: str
) -> None:
    from bot.screenshots.vocabulary import apply, vocabulary

    digits = load_confusions(KNOWLEDGE).digits
    assert apply(read, vocabulary(load_knowledge()), digits) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "raise HttpException(500)",  # another class, two letters off HttpIOException
        "client.onConnectTimeout = retry",
        "openai.BadRequestError: Error code: 400",  # a name, not `Bad Request` run together
        "openai.InternalServerError: Error code: 500",
        "HTTP 409 Conflict",
        "user@dev 403 Forbidden",
        "Sob Bad Gateway",  # no real digit: not a code
    ],
)
def test_names_and_codes_already_right_or_unknown_are_left_alone(text: str) -> None:
    from bot.screenshots.vocabulary import apply, vocabulary

    digits = load_confusions(KNOWLEDGE).digits
    assert apply(text, vocabulary(load_knowledge()), digits) == text


def test_a_misread_code_before_its_reason_gets_the_answer_the_typed_line_gets() -> None:
    from bot.screenshots.reading import reading
    from bot.screenshots.vocabulary import vocabulary
    from bot.screenshots.worker import Found

    knowledge = load_knowledge()
    typed = "Getting 403 Forbidden when I call it. The docs say 403 can mean the model is wrong?"
    read = typed.replace("403 Forbidden", "4@3Forbidden")
    assert diagnose(read, knowledge, "passive").action == "ignore"
    picture = reading(Found((box(read, 0, 0),)), load_confusions(KNOWLEDGE), vocabulary(knowledge))
    decision = diagnose(picture.text, knowledge, "passive")
    assert decision.code == diagnose(typed, knowledge, "passive").code == "403"


def test_a_line_typed_to_a_model_is_not_read_as_the_posters_words() -> None:
    """A playground shows the prompt above the error: the reading leaves the prompt out. ('a
    haiku about' once read as a quote there; the cue now holds only for a status the words are
    about, as in 'a poem about HTTP 418', so the whole text is answered too.)"""
    from bot.screenshots.reading import reading
    from bot.screenshots.vocabulary import vocabulary
    from bot.screenshots.worker import Found

    knowledge = load_knowledge()
    rows = ["Playground", "Write a haiku about rate limits", "APIError: 408 Request Timeout"]
    assert diagnose("\n".join(rows), knowledge, "passive").code == "408"
    boxes = tuple(box(text, 0, 40 * i) for i, text in enumerate(rows))
    said = reading(Found(boxes), load_confusions(KNOWLEDGE), vocabulary(knowledge)).text
    assert said == "Playground\nAPIError: 408 Request Timeout"
    assert diagnose(said, knowledge, "passive").code == "408"


@pytest.mark.parametrize(
    "line",
    ["Write me a 429 haiku", "explain", "writes fine"],  # a number, one word, not the word
)
def test_an_instruction_line_with_a_number_or_no_sentence_is_kept(line: str) -> None:
    from bot.screenshots.reading import reading
    from bot.screenshots.worker import Found

    boxes = (box(line, 0, 0), box("APIError: 408 Request Timeout", 0, 40))
    said = reading(Found(boxes), load_confusions(KNOWLEDGE)).text
    assert said.splitlines()[0] == line


def test_malformed_instructions_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "signals").mkdir()
    (tmp_path / "signals" / "screenshots.yaml").write_text("instructions: {write: 1}\n")
    with pytest.raises(ScreenshotSignalsError, match="'instructions' must be a list of words"):
        load_confusions(tmp_path)


def test_a_lone_row_cut_inside_a_word_is_joined_to_its_tail() -> None:
    """A console wraps at its last column: `...Payment Requi` / `red"}}`. A row that merely
    is the longest, followed by a row of its own words or a prompt, stays apart."""
    long = 'litellm.BadRequestError: {"error": {"message": "Payment Requi'
    width = 10 * len(long)
    cut = [box(long, 0, 0), box('red"}}', 0, 30), box("what does this mean?", 0, 60)]
    assert rebuild(cut).text.splitlines() == [long + 'red"}}', "what does this mean?"]
    whole = long.replace("Requi", "Required")
    for after in ("sending 12 images", "user@dev:~/app$"):
        rows = [box(whole, 0, 0, width), box(after, 0, 30)]
        assert rebuild(rows).text.splitlines() == [whole, after]


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("my deployment returms 429 when I push", "my deployment returns 429 when I push"),
        ("setting the limit to 429", "setting the limit to 429"),  # s for g: no lookalike
        ("we reused 429 keys", "we reused 429 keys"),  # a letter added is another word
        ("it returms nothing", "it returms nothing"),  # no status in the line
    ],
)
def test_a_report_word_is_mended_only_by_a_lookalike_letter_in_a_line_with_a_status(
    read: str, fixed: str
) -> None:
    from bot.screenshots.vocabulary import apply, vocabulary

    confusions = load_confusions(KNOWLEDGE)
    words = vocabulary(load_knowledge())
    assert apply(read, words, confusions.digits, confusions.letters) == fixed


def test_malformed_letters_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "signals").mkdir()
    (tmp_path / "signals" / "screenshots.yaml").write_text("letters: {rn: m}\n")
    with pytest.raises(ScreenshotSignalsError, match="'letters' must map one letter"):
        load_confusions(tmp_path)


@pytest.mark.parametrize(
    ("line", "prompt"),
    [
        ("$export FIREWORKS_API_KEY=fw_FAKE_TEST", True),  # the space after $ not read
        ("%python3 main.py", True),
        ("$ python main.py", True),
        ("$HOME/bin/run", False),  # a variable, not a prompt
        ("50% of calls fail with 429", False),
    ],
)
def test_a_prompt_is_known_when_the_engine_drops_its_space(line: str, prompt: bool) -> None:
    from bot.screenshots.lines import PROMPT

    assert (PROMPT.match(line) is not None) == prompt
