"""Every component's custom_id format is pinned: a message posted before an upgrade keeps its
buttons, and a restarted bot must read them as it wrote them. Changing a template or a format
here means every old answer in Discord loses its buttons."""

from __future__ import annotations

import discord
import pytest

from bot.views.answer import HumanButton, MoreButton, VoteButton, answer_view
from bot.views.base import NEVER, Stateful
from bot.views.catalogue import EntryPicker, PageButton
from bot.views.incident import IncidentButton, card_view
from bot.views.queue import QueueButton, queue_view
from tests.test_button_rate import _components

TEMPLATES = {
    HumanButton: (
        r"fwerror:human:(?P<channel_id>[0-9]+):(?P<message_id>[0-9]+)"
        r"(?::(?P<key>[0-9]+):(?P<answer_id>[0-9]+))?"
    ),
    VoteButton: r"fwerror:vote:(?P<vote>[yn]):(?P<channel_id>[0-9]+):(?P<message_id>[0-9]+)",
    MoreButton: r"fwerror:more:(?P<entry_id>[a-z0-9-]{1,64})",
    QueueButton: r"fwerror:queue:(?P<action>claim|resolve):(?P<key>[0-9]+)",
    IncidentButton: r"fwerror:incident:(?P<action>close|dismiss):(?P<key>[0-9]+)",
    PageButton: r"fwerror:list:(?P<page>[0-9]{1,4})",
    EntryPicker: r"fwerror:pick:(?P<page>[0-9]{1,4})",
}

Style = discord.ButtonStyle
# (component, its custom_id, label, style) as the bot has always written them.
EXAMPLES = [
    (HumanButton(10, 20), "fwerror:human:10:20", "Talk to a human", Style.secondary),
    (
        HumanButton(10, 0, key=30, answer_id=40),
        "fwerror:human:10:0:30:40",
        "Talk to a human",
        Style.secondary,
    ),
    (VoteButton(True, 10, 20), "fwerror:vote:y:10:20", "Helped", Style.success),
    (VoteButton(False, 10, 0), "fwerror:vote:n:10:0", "Didn't help", Style.secondary),
    (MoreButton("429-rate-limit"), "fwerror:more:429-rate-limit", "More", Style.primary),
    (MoreButton("-", "More (English)"), "fwerror:more:-", "More (English)", Style.primary),
    (QueueButton("claim", 5), "fwerror:queue:claim:5", "Claim", Style.primary),
    (QueueButton("resolve", 5), "fwerror:queue:resolve:5", "Resolved", Style.success),
    (IncidentButton("close", 7), "fwerror:incident:close:7", "Close", Style.success),
    (
        IncidentButton("dismiss", 7),
        "fwerror:incident:dismiss:7",
        "Not an incident",
        Style.secondary,
    ),
    (PageButton(2, "Next"), "fwerror:list:2", "Next", Style.secondary),
    (PageButton(-1, "Previous"), "fwerror:list:0", "Previous", Style.secondary),
]


def test_every_component_class_is_pinned() -> None:
    registered = {
        cls for cls in _components() if cls.__discord_ui_compiled_template__.pattern != NEVER
    }
    assert registered == set(TEMPLATES)
    for cls, template in TEMPLATES.items():
        assert cls.__discord_ui_compiled_template__.pattern == template, cls.__name__


@pytest.mark.parametrize(("component", "custom_id", "label", "style"), EXAMPLES)
async def test_a_component_writes_its_custom_id_and_reads_it_back(
    component: Stateful, custom_id: str, label: str, style: discord.ButtonStyle
) -> None:
    item = component.item
    assert (item.custom_id, item.label, item.style) == (custom_id, label, style)
    match = component.template.fullmatch(custom_id)
    assert match is not None
    again = await type(component).from_custom_id(None, item, match)  # type: ignore[arg-type]
    assert again.item.custom_id == custom_id
    assert {k: v for k, v in vars(again).items() if k != "item"} == {
        k: v for k, v in vars(component).items() if k != "item"
    }


async def test_the_page_menu_reads_back_its_page() -> None:
    picker = EntryPicker(3)
    assert picker.item.custom_id == "fwerror:pick:3"
    match = picker.template.fullmatch("fwerror:pick:3")
    assert match is not None
    again = await EntryPicker.from_custom_id(None, picker.item, match)  # type: ignore[arg-type]
    assert again.item.custom_id == "fwerror:pick:3"


def _ids(view: discord.ui.View) -> list[tuple[str, bool]]:
    items = [item for row in view.to_components() for item in row["components"]]
    return [(item["custom_id"], item.get("disabled", False)) for item in items]


def test_the_views_carry_the_same_components() -> None:
    assert _ids(answer_view(10, 20, more="429-rate-limit")) == [
        ("fwerror:human:10:20", False),
        ("fwerror:vote:y:10:20", False),
        ("fwerror:vote:n:10:20", False),
        ("fwerror:more:429-rate-limit", False),
    ]
    assert _ids(queue_view(5, claimed=True)) == [
        ("fwerror:queue:claim:5", True),
        ("fwerror:queue:resolve:5", False),
    ]
    assert _ids(card_view(7, done=True)) == [
        ("fwerror:incident:close:7", True),
        ("fwerror:incident:dismiss:7", True),
    ]
