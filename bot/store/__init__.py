"""The persistent store: decisions, feedback, escalations and once-only claims.

SQLite by default (a file, WAL mode) or PostgreSQL (`pip install "fwerror[postgres]"`), both
through SQLAlchemy's async engine. Nothing here imports discord: the bot, the CLI's `report`
and the tests all use it the same way. Only redacted text is ever written.
"""
