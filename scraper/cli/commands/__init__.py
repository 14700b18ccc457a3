"""One module per command: ``NAME``, ``HELP`` (one line for the command list), ``DESCRIPTION``
(for the command's ``--help``), ``add_arguments(parser)`` and ``run(args) -> exit status``."""

from scraper.cli.commands import clear_pending, crawl, export, probe, reparse, search, show, site, status, validate

COMMANDS = (crawl, probe, export, show, search, site, status, validate, reparse, clear_pending)
