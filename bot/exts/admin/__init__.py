"""Moderators' commands (reload, report, status) and the bot's operations."""
