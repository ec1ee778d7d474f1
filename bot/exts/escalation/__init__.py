"""Handing a failure to humans: the queue and its cases, votes on answers, and forget-me."""
