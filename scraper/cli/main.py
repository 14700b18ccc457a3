"""``langson-archive``: parse, run one command, turn every expected failure into one line and an exit status."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from scraper.archive import ArchiveError
from scraper.archive.lock import LockHeld
from scraper.cli.config import apply_config
from scraper.cli.options import UsageError
from scraper.cli.parser import build_parser
from scraper.crawl.lifecycle import EXIT_FAILED, EXIT_LOCKED, EXIT_USAGE


def _not_utf8(argv: Sequence[str]) -> int | None:
    for number, arg in enumerate(argv, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:  # bytes the locale could not decode: they would break every message
            return number
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    bad = _not_utf8(args_in)
    if bad is not None:
        print(f"langson-archive: error: argument {bad} is not valid UTF-8", file=sys.stderr)
        return EXIT_USAGE
    parser, commands = build_parser()
    try:
        apply_config(commands, args_in)
    except UsageError as exc:
        print(f"langson-archive: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    args = parser.parse_args(args_in)
    try:
        status: int = args.run(args)
        return status
    except LockHeld as exc:
        print(f"langson-archive: {exc}; not starting (exit {EXIT_LOCKED})", file=sys.stderr)
        return EXIT_LOCKED
    except (UsageError, ArchiveError) as exc:
        print(f"langson-archive: error: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, UsageError) else EXIT_FAILED
    except BrokenPipeError:  # `export | head`: stop quietly, as other tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:  # a full disk, a file that vanished: the archive is as it was (atomic commits)
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"langson-archive: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("langson-archive: interrupted", file=sys.stderr)
        return 130
