"""What operators see: decision logs, log formats, health and metrics, the one-worker lock.

Features call `bot.observability.hooks` once per decision; nothing here imports a feature.
"""
