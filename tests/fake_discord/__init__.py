"""A fake Discord (REST, gateway, attachment files) that a real discord.py client connects to."""

from tests.fake_discord.client import redirected, running
from tests.fake_discord.rest import Recorded
from tests.fake_discord.server import FakeDiscord

__all__ = ["FakeDiscord", "Recorded", "redirected", "running"]
