"""The ``langson-archive`` command line.

``main`` parses and dispatches; ``parser`` builds the parser from ``commands/`` (one module
per command); ``options`` holds the argument types and shared option groups, ``config``
the TOML file and environment, ``scrapy_run`` what the fetching commands share (Scrapy
settings, ``-s NAME=VALUE``, logging, signals). Bad input ends with one line on stderr and
a non-zero exit, never a traceback.
"""

from scraper.cli.main import main

__all__ = ["main"]
