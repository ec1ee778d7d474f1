"""Reading, checking and writing `knowledge/`: the entries, the signals files, calibration,
languages and client markers, validated with `file:line` errors, scaffolded and reloaded.

It builds the typed values of `bot.core` (which never imports this package), so the matching
core stays a library that is handed its knowledge.
"""
