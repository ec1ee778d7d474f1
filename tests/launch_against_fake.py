"""Test-only launcher: `python -m tests.launch_against_fake` is `python -m bot`, aimed at a fake.

FAKE_DISCORD_ORIGIN (e.g. http://127.0.0.1:PORT) replaces discord.com for REST and the gateway,
so the real entry point, signal handling included, runs against tests/fake_discord.
"""

import os
import sys

import discord
import yarl

from bot.cli import main

if __name__ == "__main__":
    origin = os.environ["FAKE_DISCORD_ORIGIN"]
    discord.http.Route.BASE = f"{origin}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(
        origin.replace("http", "ws", 1) + "/gateway"
    )
    sys.exit(main([]))
