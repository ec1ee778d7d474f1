"""Developer tools that are not part of the bot (the paste factory)."""
