"""Incidents end to end: a wave of one server-side error makes one card, one ping, and answers
that say others are seeing it; other errors are answered as usual. Time is the tracker's
clock, moved forward by the test (no sleeps)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from bot.bot import FwerrorBot
from bot.cli import main
from bot.core.incidents import Report
from bot.settings import Rate
from bot.store.store import Store, make_engine
from tests.exts.conftest import CALLBACK, FOLLOWUP, SERVER_ERROR_PASTE
from tests.exts.test_admin import admin
from tests.fake_discord import FakeDiscord, payloads
from tests.fake_discord.payloads import JSON, MessageFlag
from tests.fake_status_page import INCIDENT, FakeStatusPage
from tests.learning.conftest import World
from tests.learning.test_two_workers import Worker, replied

OVERLOADED = (
    "openai.InternalServerError: Error code: 503 - {'error': {'object': 'error', 'type': "
    "'internal_server_error', 'message': 'Service Overloaded'}}"
)
BAD_KEY = (
    "openai.AuthenticationError: Error code: 401 - {'error': {'object': 'error', 'type': "
    "'invalid_request_error', 'message': 'The API key you provided is invalid.'}}"
)
OTHERS = "people reported this error"
PEOPLE = 8
SECOND_WAVE = Rate(2, 600.0)  # the second person makes a wave: "the first gets the usual answer"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def person(fake: FakeDiscord, name: str) -> JSON:
    """A new member of the guild who can post in the help channel."""
    user = payloads.user(fake.world.new_id(), name)
    fake.world.users[user["id"]] = user
    fake.world.members[(fake.guild.id, user["id"])] = payloads.member(user, [])
    return user


def role_pings(fake: FakeDiscord, role: JSON) -> list:
    """Every message the bot sent that pinged the support role."""
    return [
        r
        for r in fake.requests
        if r.method == "POST"
        and isinstance(r.json, dict)
        and f"<@&{role['id']}>" in (r.json.get("content") or "")
        and int(role["id"]) in (r.json.get("allowed_mentions") or {}).get("roles", [])
    ]


def open_incidents(bot: FwerrorBot) -> tuple[float, dict[str, float]]:
    """`fwerror_open_incidents`, and `fwerror_incident_reports` by entry, as scraped now."""
    families = {f.name: f for f in bot.metrics.registry.collect()}
    [count] = families["fwerror_open_incidents"].samples
    per_entry = families["fwerror_incident_reports"].samples
    return count.value, {s.labels["entry"]: s.value for s in per_entry}


def fields(message: JSON) -> dict[str, str]:
    [embed] = message["embeds"]
    return {f["name"]: f["value"] for f in embed["fields"]}


@contextlib.asynccontextmanager
async def wave_lock_held(postgres_url: str, trouble: str) -> AsyncIterator[None]:
    """Another worker holding the lock a batch of `trouble`'s reports takes, as one counting
    its own batch does: this worker's batch waits for it."""
    elsewhere = make_engine(postgres_url)
    try:
        async with elsewhere.begin() as held:
            wave = func.hashtext(f"fwerror wave {trouble}")
            await held.execute(select(func.pg_advisory_xact_lock(wave)))
            yield
    finally:
        await elsewhere.dispose()


async def card_reads(fake: FakeDiscord, card_id: str, reports: str, within: float = 20) -> JSON:
    """The card once its Reports field reads `reports` (edits land after the answers), waiting
    as long as the test's other requests may take on a loaded machine."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        card = fake.world.messages[card_id]
        if fields(card)["Reports"] == reports:
            return card
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"the card reads {fields(card)['Reports']}, not {reports}")
        await fake.settle(0.05)


async def test_a_wave_of_503s_makes_one_card_one_ping_and_says_others_see_it(
    world: World,
) -> None:
    fake, clock = world.fake, Clock()
    queue = rf"/channels/{world.queue['id']}/messages"
    async with world.bot(incident_wave=SECOND_WAVE) as bot:
        bot.waves.clock = clock
        # FWERROR_STATUS_PAGE_URL unset: no poller, no task, nothing fetched.
        assert bot.status_page is None
        assert not [t for t in asyncio.all_tasks() if t.get_name() == "fwerror status page"]
        people = [person(fake, f"user{n}") for n in range(5)]
        answers = []
        for n, author in enumerate(people):
            _, reply = await world.answered(f"{OVERLOADED}\n(run {n})", author=author)
            answers.append(reply)
            if n == 1:  # the card is posted before the later reports, which edit it
                posted = await fake.wait_for_request("POST", queue)
            if n == 2:  # a 401 in the middle of the wave: answered as usual
                _, other = await world.answered(BAD_KEY, author=people[0])
                assert "401" in other["embeds"][0]["title"]
                assert OTHERS not in (other["content"] or "")
            clock.now += 25  # five reports within two minutes
        assert OTHERS not in (answers[0]["content"] or "")
        for n, reply in enumerate(answers[1:], start=2):
            assert f"**{n} {OTHERS}" in reply["content"]
            assert "most likely on Fireworks' side" in reply["content"]
            assert "<https://status.fireworks.ai>" in reply["content"]
            assert "503" in reply["embeds"][0]["title"]  # the fix advice stays

        card = await card_reads(fake, posted.response["id"], "5")
        assert fields(card)["People"] == "5"
        assert len(fields(card)["Jump to"].splitlines()) == 5
        cards = [r for r in fake.requests if r.method == "POST" and r.path == queue]
        assert len(cards) == 1
        assert len(role_pings(fake, world.support_role)) == 1
        card_path = f"{queue}/{card['id']}"
        edits = [r for r in fake.requests if r.method == "PATCH" and r.path == card_path]
        assert edits and all(r.json["allowed_mentions"] == {"parse": []} for r in edits)

        assert open_incidents(bot) == (1.0, {"503-service-unavailable": 5.0})

        # Eleven minutes later the wave is over: a sixth report is handled as usual again.
        clock.now += 11 * 60
        _, sixth = await world.answered(OVERLOADED, author=person(fake, "late"))
        assert OTHERS not in (sixth["content"] or "")
        await fake.settle(0.2)
        assert len([r for r in fake.requests if r.method == "POST" and r.path == queue]) == 1
        assert fields(fake.world.messages[card["id"]])["Reports"] == "5"
        assert open_incidents(bot) == (0.0, {})  # the wave is over


async def test_a_closed_incident_stays_closed_for_its_window(world: World) -> None:
    fake, clock = world.fake, Clock()
    queue = rf"/channels/{world.queue['id']}/messages"
    async with world.bot(incident_wave=SECOND_WAVE, delete_leaked_keys=False) as bot:
        bot.waves.clock = clock
        for n in range(2):
            await world.answered(OVERLOADED, author=person(fake, f"first{n}"))
        card = (await fake.wait_for_request("POST", queue)).response
        close, dismiss = (c["custom_id"] for c in card["components"][0]["components"])
        assert close.startswith("fwerror:incident:close:")
        assert dismiss == close.replace(":close:", ":dismiss:")

        # alice has neither role: refused, privately; the owner (Manage Server) may.
        await fake.click_button(card, close)
        refused = await fake.wait_for_request("POST", CALLBACK)
        assert refused.json["data"]["flags"] == MessageFlag.EPHEMERAL
        await fake.click_button(card, close, user=fake.world.owner)
        await fake.wait_for_request("POST", CALLBACK)
        for _ in range(100):
            if fields(fake.world.messages[card["id"]])["Status"].startswith("Closed by"):
                break
            await fake.settle(0.05)
        closed = fake.world.messages[card["id"]]
        assert fields(closed)["Status"] == f"Closed by <@{fake.world.owner['id']}>"
        assert all(b.get("disabled") for b in closed["components"][0]["components"])

        clock.now += 60  # same wave: no new card, no notice, the card unchanged
        _, later = await world.answered(OVERLOADED, author=person(fake, "third"))
        assert OTHERS not in (later["content"] or "")
        await fake.settle(0.2)
        assert len([r for r in fake.requests if r.method == "POST" and r.path == queue]) == 1
        assert fields(fake.world.messages[card["id"]])["Reports"] == "2"
        assert len(role_pings(fake, world.support_role)) == 1


async def test_waves_are_counted_across_a_restart(world: World) -> None:
    """The store keeps the reports: two before a restart and one after make a wave of 3."""
    fake, clock = world.fake, Clock()
    queue = rf"/channels/{world.queue['id']}/messages"
    async with world.bot() as bot:
        bot.waves.clock = clock
        for n in range(2):
            _, reply = await world.answered(OVERLOADED, author=person(fake, f"before{n}"))
            assert OTHERS not in (reply["content"] or "")
    async with world.bot() as bot:
        bot.waves.clock = clock
        clock.now += 30
        _, reply = await world.answered(OVERLOADED, author=person(fake, "after"))
        assert f"**3 {OTHERS}" in reply["content"]
        card = await fake.wait_for_request("POST", queue)
        assert fields(card.json)["People"] == "3"


async def test_memory_only_counts_people_not_messages(world: World) -> None:
    """FWERROR_DATABASE_URL=none: one worker still senses waves; one person pasting three
    times is one person."""
    fake, clock = world.fake, Clock()
    async with world.bot(database_url=None) as bot:
        assert bot.store.store is None
        bot.waves.clock = clock
        alice = person(fake, "repeater")
        for n in range(3):
            _, reply = await world.answered(f"{OVERLOADED}\nattempt {n}", author=alice)
            assert OTHERS not in (reply["content"] or "")
            clock.now += 10
        _, second = await world.answered(OVERLOADED, author=person(fake, "bob"))
        assert OTHERS not in (second["content"] or "")
        _, third = await world.answered(OVERLOADED, author=person(fake, "carol"))
        assert f"**3 {OTHERS}" in third["content"]


async def test_two_workers_on_one_postgres_make_one_card(world: World, postgres_url: str) -> None:
    """Both workers get every message; each answers the ones it claims, so the reports of one
    wave arrive at both, racing: still one card, one ping, and the card counts them all."""
    fake = world.fake
    queue = rf"/channels/{world.queue['id']}/messages"
    world.settings = replace(world.settings, database_url=postgres_url)
    second = Worker(world)
    second.start()
    try:
        assert await asyncio.to_thread(second.ready.wait, 20) and second.error is None
        async with world.bot() as first:
            pastes = [
                await fake.post_message(f"{OVERLOADED}\n(job {n})", author=person(fake, f"w{n}"))
                for n in range(PEOPLE)
            ]
            answers = rf"/channels/{fake.guild.text_channel['id']}/messages"
            replies = [await fake.wait_for_request("POST", answers, timeout=20) for _ in pastes]
            posted = await fake.wait_for_request("POST", queue, timeout=20)
            card = await card_reads(fake, posted.response["id"], str(PEOPLE))
            await fake.settle(0.5)
            mine = replied(first)
    finally:
        second.done.set()
        await asyncio.to_thread(second.join, 20)
    assert second.error is None
    print(f"reports answered: {mine} by one worker, {second.replied} by the other")
    assert mine + second.replied == PEOPLE
    assert sorted(str(r.json["message_reference"]["message_id"]) for r in replies) == sorted(
        p["id"] for p in pastes
    )
    assert len([r for r in fake.requests if r.method == "POST" and r.path == queue]) == 1
    assert len(role_pings(fake, world.support_role)) == 1
    assert fields(fake.world.messages[card["id"]])["People"] == str(PEOPLE)


async def test_a_report_the_store_counts_after_the_deadline_still_reaches_the_card(
    world: World, postgres_url: str
) -> None:
    """Another worker holds the trouble's wave lock past the deadline: the third report is
    answered and acted on by this worker's count, and once the store counts it, late, the card
    says 3 (before, that late count reached no one and the card stayed at 2)."""
    fake, clock = world.fake, Clock()
    queue = rf"/channels/{world.queue['id']}/messages"
    async with world.bot(incident_wave=SECOND_WAVE, database_url=postgres_url) as bot:
        bot.waves.clock = clock
        for n in range(2):
            await world.answered(f"{OVERLOADED}\n(run {n})", author=person(fake, f"p{n}"))
            clock.now += 10
        card = (await fake.wait_for_request("POST", queue)).response
        await card_reads(fake, card["id"], "2")
        fake.forget_requests()
        card_path = f"{queue}/{card['id']}"
        async with wave_lock_held(postgres_url, "503-service-unavailable"):
            _, reply = await world.answered(OVERLOADED, author=person(fake, "late"))
            assert f"**3 {OTHERS}" in reply["content"]  # this worker's count, on time
            # Past the deadline, this worker's count edits the card: the store holds 2 yet.
            edit = await fake.wait_for_request("PATCH", card_path, timeout=10)
            assert fields(edit.json)["Reports"] == "2"
        await card_reads(fake, card["id"], "3", within=10)
        assert len([r for r in fake.requests if r.method == "POST" and r.path == queue]) == 1
        assert len(role_pings(fake, world.support_role)) == 1


async def test_status_page_in_wave_answers_admin_status_incidents_and_report(
    world: World, status_server: FakeStatusPage, capsys: pytest.CaptureFixture[str]
) -> None:
    fake, clock = world.fake, Clock()
    status_server.serve(INCIDENT)
    settings = {"incident_wave": SECOND_WAVE, "status_page_url": status_server.url}
    async with world.bot(**settings) as bot:
        assert bot.status_page is not None
        for _ in range(100):  # the poller's first reading, in the background
            if bot.status_page.reading is not None:
                break
            await fake.settle(0.02)
        bot.waves.clock = clock
        await world.answered(OVERLOADED, author=person(fake, "one"))
        _, reply = await world.answered(OVERLOADED, author=person(fake, "two"))
        assert (
            "Status page: **Major Service Outage** · Elevated 503s on serverless"
            in reply["content"]
        )
        await fake.wait_for_request("POST", rf"/channels/{world.queue['id']}/messages")

        await admin(fake, "status", fake.world.owner)
        status = await fake.wait_for_request("POST", CALLBACK)
        [embed] = status.json["data"]["embeds"]
        shown = {f["name"]: f["value"] for f in embed["fields"]}["Status page"]
        assert shown.startswith("Status page: **Major Service Outage**")

        await admin(fake, "incidents", fake.world.owner)
        await fake.wait_for_request("POST", CALLBACK)
        listed = (await fake.wait_for_request("POST", FOLLOWUP)).json["content"]
        assert "503-service-unavailable  open: 2 reports from 2 people" in listed
    hits = len(status_server.hits)
    assert hits >= 1  # read in the background, once a minute: the answers didn't fetch it

    url = world.settings.database_url or ""
    assert await asyncio.to_thread(main, ["report", "--database", url]) == 0
    printed = capsys.readouterr().out
    assert "Incidents (waves of one server-side error): 1" in printed
    assert "503-service-unavailable  open: 2 reports from 2 people" in printed


async def test_an_open_wave_holds_back_520_escalations_until_not_an_incident(world: World) -> None:
    """A 520 escalates on its own (thread, ping); once it is a wave, the card replaces that;
    after "Not an incident" the wave's reports escalate on their own again."""
    fake, clock = world.fake, Clock()
    queue = rf"/channels/{world.queue['id']}/messages"
    threads = r"/channels/\d+/messages/\d+/threads"
    role = world.support_role
    async with world.bot(incident_wave=SECOND_WAVE) as bot:
        bot.waves.clock = clock
        await world.answered(SERVER_ERROR_PASTE, author=person(fake, "first"))
        await fake.wait_for_request("POST", threads)  # escalated as today
        await fake.wait_for_request("POST", predicate=lambda r: r in role_pings(fake, role))
        escalation = await fake.wait_for_request("POST", queue)
        assert escalation.json["embeds"][0]["title"].startswith("Needs a human:")

        clock.now += 30
        _, reply = await world.answered(SERVER_ERROR_PASTE, author=person(fake, "second"))
        assert f"**2 {OTHERS}" in reply["content"]
        card = (await fake.wait_for_request("POST", queue)).response
        assert card["embeds"][0]["title"] == "Incident: 520-unknown-error"
        await fake.expect_no_request("POST", threads)  # the card, not a thread of its own
        assert len(role_pings(fake, role)) == 2  # the first 520's, the card's

        dismiss = card["components"][0]["components"][1]["custom_id"]
        await fake.click_button(card, dismiss, user=fake.world.owner)
        await fake.wait_for_request("POST", CALLBACK)
        for _ in range(100):
            if fields(fake.world.messages[card["id"]])["Status"].startswith("Not an incident"):
                break
            await fake.settle(0.05)
        assert fields(fake.world.messages[card["id"]])["Status"] == (
            f"Not an incident by <@{fake.world.owner['id']}>"
        )

        clock.now += 30
        _, later = await world.answered(SERVER_ERROR_PASTE, author=person(fake, "third"))
        assert OTHERS not in (later["content"] or "")
        await fake.wait_for_request("POST", threads)  # handled as today again
        await fake.wait_for_request("POST", predicate=lambda r: r in role_pings(fake, role))
        assert len(role_pings(fake, role)) == 3


async def test_a_wave_only_the_store_has_seen_is_added_to_the_answer(world: World) -> None:
    """Another worker's reports (written to the store after this bot started, so not in its
    memory): the answer goes out on this worker's count, without the wave's notice; the
    store's count (three people) then edits the notice in and the card replaces the
    escalation."""
    fake, clock = world.fake, Clock()
    queue = rf"/channels/{world.queue['id']}/messages"
    async with world.bot() as bot:
        bot.waves.clock = clock
        elsewhere = Store(world.settings.database_url)
        await elsewhere.open()
        try:
            others = [
                Report(n, 9_000 + n, "503-service-unavailable", clock.now - 60 + n, None, "")
                for n in (1, 2)
            ]
            await elsewhere.report_waves(others, bot.waves.rules)
        finally:
            await elsewhere.close()
        paste, reply = await world.answered(OVERLOADED, author=person(fake, "third"))
        assert OTHERS not in (reply["content"] or "")  # this worker has seen one person
        path = rf"/channels/{paste['channel_id']}/messages/{reply['id']}"
        edit = await fake.wait_for_request("PATCH", path)
        assert f"**3 {OTHERS}" in edit.json["content"]
        assert edit.json["allowed_mentions"] == {"parse": []}
        card = await fake.wait_for_request("POST", queue)
        assert card.json["embeds"][0]["title"] == "Incident: 503-service-unavailable"

        # Once this worker sees the wave too, a count that differs from the store's is left.
        for name in ("fourth", "fifth"):
            clock.now += 10
            paste, reply = await world.answered(OVERLOADED, author=person(fake, name))
        assert f"**3 {OTHERS}" in reply["content"]  # this worker's three; the store has five
        path = rf"/channels/{paste['channel_id']}/messages/{reply['id']}"
        await fake.expect_no_request("PATCH", path)
