"""How much of a message is read, matched, quoted and stored: every cut of a paste, named once.

Each name says what it cuts, so no two cuts share a name (an "excerpt" kept in the store and
one printed by `eval` are different cuts). Discord's own caps (a message's 2,000 characters,
an embed's fields) are Discord's, and live with the rendering that keeps within them
(`bot.core.render`).
"""

from __future__ import annotations

MIB = 1024 * 1024

# Reading a message
ATTACHMENT_BYTES = MIB  # a text attachment read whole; a bigger one is skipped
PASTE_BYTES = MIB  # a linked paste's raw text, read whole; a bigger one is skipped
LOG_ATTACHMENTS = 3  # log-like attachments explained: a traceback split over more is not one
REPOST_BYTES = 8 * MIB  # a redacted re-post's file: within Discord's smallest upload limit

# Matching
HEAD_CHARS = 8_000  # a huge paste is matched on its head and its (more telling) tail
TAIL_CHARS = 24_000
MESSAGE_STRING_CHARS = 300  # an error message string quoted from an envelope, as evidence

# Quoting the paste back
SUPPORT_ERROR_CHARS = 300  # the error line in the checklist for support@fireworks.ai
PICTURE_QUOTE_CHARS = 120  # "Read from your screenshot: ..."
PICTURE_QUOTE_LEAD = 30  # characters of the line quoted before the evidence
MODEL_NAME_CHARS = 100  # a model name as the paste wrote it, cut before it is kept or shown

# Storing and reporting
STORED_EXCERPT_CHARS = 500  # what a stored decision keeps of the paste
STORED_EVIDENCE_CHARS = 200  # what one stored piece of evidence quotes of the paste
EVAL_EXCERPT_CHARS = 80  # a missed case's text in `python -m bot eval`
