"""``python -m scraper.cli``: the ``langson-archive`` command."""

import sys

from scraper.cli import main

if __name__ == "__main__":  # the crawl's page parser worker (spawned) imports this module too
    sys.exit(main())
