"""``python -m scraper.cli``: the ``langson-archive`` command."""

import sys

from scraper.cli import main

sys.exit(main())
