"""A code followed by a word in a script the lists of `statuses.yaml` don't cover.

"got 429 images" is a count, so after a code that opens a message the next word must be a
follower ("429 again", "429 от fireworks"). The followers and units are written in a few
scripts; a word of any other script (Arabic, Bengali, Thai) is one they can't judge, so the
code stands. A word of a covered script still has to be a follower.
"""

import pytest

from bot.core.matcher import diagnose
from bot.core.model import Knowledge
from bot.core.statuses import script


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("503 لما أستخدم الموديل deepseek-r1 على fireworks، هل الخدمة متوقفة؟", "503"),
        ("429 কেন আসছে? আমি মিনিটে মাত্র ১০টা রিকোয়েস্ট পাঠাচ্ছি।", "429"),
        ("502 ตลอดเลยตั้งแต่เช้า จาก fireworks", "502"),
    ],
)
def test_a_code_before_a_word_of_an_uncovered_script_is_a_status(
    knowledge: Knowledge, text: str, code: str
) -> None:
    assert diagnose(text, knowledge, "passive").code == code


def test_a_covered_script_still_needs_a_follower(knowledge: Knowledge) -> None:
    # Latin: "images" is no follower, the number is a count
    assert diagnose("429 images generated today, nice", knowledge, "passive").action == "ignore"


def test_script_names_the_alphabet() -> None:
    assert script("ل") == "ARABIC"
    assert script("a") == "LATIN"
    assert script("к") == "CYRILLIC"
    assert script("১") == "?"  # a digit is no word of any script
