import sys

from tools.paste_factory.generate import main

sys.exit(main())
