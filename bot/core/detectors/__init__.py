"""Detectors: each a small pure function from a paste (and the signals) to typed evidence.

`bot.core.extract` runs them all. Adding a detector means copying a neighbour; what a
detector looks for lives in `knowledge/signals/`, only the grammar of where it looks is here.
"""
