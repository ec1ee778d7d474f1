"""What fwerror knows how to do with an error: extraction, matching, redaction, rendering.

Nothing here imports discord or reads `knowledge/` (that is `bot.knowledge`), so the bot, the
CLI and the tests all share it.
"""
