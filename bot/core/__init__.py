"""What fwerror knows about errors: knowledge, extraction, matching, redaction, rendering.

Nothing here imports discord, so the bot, the CLI and the tests all share it.
"""
