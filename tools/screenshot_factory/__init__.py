"""Draw the labelled pastes as the screenshots people post (see generate.py)."""
