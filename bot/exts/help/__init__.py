"""Answering people: the help-channel listener, the Explain error menu and `/fwerror`."""
