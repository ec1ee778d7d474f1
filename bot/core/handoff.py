"""What the bot did, or will do, about humans for one answer: said in every reply.

The core picks the handoff a decision implies with everything configured; the Discord layer
narrows it to what this server can do (no support role, no queue, a private answer with no
message to open a thread on), so the reply never promises a ping nobody sends.
"""

from __future__ import annotations

from enum import Enum


class Handoff(Enum):
    PINGED = "pinged"  # support pinged in a thread on the message
    QUEUED = "queued"  # posted to the moderators' queue, nobody pinged
    NOBODY = "nobody"  # nobody here is on call: the checklist is the way to support
    OFFER_QUEUE = "offer_queue"  # nothing sent yet; the button queues it (a user-side fix)
    OFFER_PING = "offer_ping"  # nothing sent yet; the button pings support

    @property
    def with_human(self) -> bool:
        """Whether the case already reached a human, so the button has nothing left to do."""
        return self in (Handoff.PINGED, Handoff.QUEUED)


HANDOFF_LINES = {
    Handoff.PINGED: "I've pinged support in a thread on your message: they'll answer there.",
    Handoff.QUEUED: "I've put this in the moderators' queue; nobody was pinged.",
    Handoff.NOBODY: "Nobody in this server is on call: email support with the list below.",
    Handoff.OFFER_QUEUE: (
        "Nobody has been told. If this doesn't fix it, **Talk to a human** puts it in the "
        "moderators' queue."
    ),
    Handoff.OFFER_PING: (
        "Nobody has been told yet. Paste the error text here, or press **Talk to a human** "
        "and I'll ping support."
    ),
}
BUTTON_LABELS = {
    Handoff.PINGED: "Support pinged",
    Handoff.QUEUED: "In the moderators' queue",
}
HANDOFF_FIELD = "What happens now"


def narrowed(handoff: Handoff, *, can_ping: bool, can_queue: bool) -> Handoff:
    """`handoff` (picked with everything configured) as this server can carry it out."""
    return handoff_for(
        handoff is Handoff.PINGED,
        handoff is Handoff.OFFER_QUEUE,
        can_ping=can_ping,
        can_queue=can_queue,
    )


def handoff_for(
    pages_support: bool, user_side: bool, *, can_ping: bool, can_queue: bool
) -> Handoff:
    """The handoff a decision gets where `can_ping` (a role, and a message to thread on) and
    `can_queue` (a moderators' queue) say what this server can do."""
    if pages_support:
        if can_ping:
            return Handoff.PINGED
        return Handoff.QUEUED if can_queue else Handoff.NOBODY
    if user_side:
        return Handoff.OFFER_QUEUE if can_queue else Handoff.NOBODY
    return Handoff.OFFER_PING if can_ping or can_queue else Handoff.NOBODY
