"""Entry point: `python -m bot` runs the bot; `python -m bot explain ...` works offline."""

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main())
