"""Every button and menu the bot posts, one module per view, on one scaffold (`base`)."""
