"""Outages: many reports of one failure become one incident card instead of many pings."""
