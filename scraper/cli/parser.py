"""The argument parser, built from the command modules."""

from __future__ import annotations

import argparse
from typing import NoReturn

from scraper import SCHEMA_VERSION, __version__
from scraper.cli.commands import COMMANDS
from scraper.crawl.lifecycle import EXIT_USAGE


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, as argparse does, with our prefix
        self.exit(EXIT_USAGE, f"langson-archive: error: {message}\n")


def build_parser() -> tuple[Parser, dict[str, argparse.ArgumentParser]]:
    """The parser and, by name, each command's own parser (the config file sets their defaults)."""
    parser = Parser(
        prog="langson-archive",
        description="Archive the Lạng Sơn People's Committee weekly digests "
        "('Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần') as dated JSON Lines.",
        epilog="Run `langson-archive COMMAND --help` for a command's options. Exit status: 0 done, 1 failed, "
        "2 bad input, 3 partial, 75 another run holds the archive (see the README).",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__} (record schema {SCHEMA_VERSION})"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    parsers: dict[str, argparse.ArgumentParser] = {}
    for command in COMMANDS:
        sub = commands.add_parser(command.NAME, help=command.HELP, description=command.DESCRIPTION)
        command.add_arguments(sub)
        sub.set_defaults(run=command.run)
        parsers[command.NAME] = sub
    return parser, parsers
