"""Where a message's text comes from besides its content: its attachments and the paste sites
it links to, each behind one `Provider` (find the sources in a message, then fetch one)."""
