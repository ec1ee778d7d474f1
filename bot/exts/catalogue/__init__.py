"""Browsing the knowledge: `/fwerror-list`, its pages and its entry menu."""
