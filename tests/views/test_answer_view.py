"""The "Talk to a human" custom_id stays within Discord's 100 characters and reads back."""

from __future__ import annotations

import re

from bot.views.answer import HUMAN_TEMPLATE, HumanButton

BIGGEST_ID = 2**64 - 1  # a snowflake is 64 bits: 20 digits


def test_the_offers_custom_id_fits_discords_limit_and_reads_back() -> None:
    button = HumanButton(BIGGEST_ID, BIGGEST_ID, key=BIGGEST_ID - 1, answer_id=BIGGEST_ID - 2)
    custom_id = button.item.custom_id
    assert custom_id is not None and len(custom_id) <= 100
    match = re.fullmatch(HUMAN_TEMPLATE, custom_id)
    assert match is not None
    assert (int(match["key"]), int(match["answer_id"])) == (BIGGEST_ID - 1, BIGGEST_ID - 2)


def test_an_answers_custom_id_from_before_still_reads() -> None:
    match = re.fullmatch(HUMAN_TEMPLATE, "fwerror:human:10:20")
    assert match is not None
    assert (match["channel_id"], match["message_id"], match["key"]) == ("10", "20", None)
