"""``python -m scraper.demo``: see ``scraper/demo/__init__.py``."""

import sys

from scraper.demo import main

sys.exit(main())
