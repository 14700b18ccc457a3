"""Argument types and the option groups the commands share.

Every type raises ``argparse.ArgumentTypeError`` with a message that names the value and
says what would be accepted: the parser turns it into one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from scraper.sites.profiles import PROFILES

SOURCE_CHOICES = [*PROFILES, "all"]
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
MAX_SECONDS = 3600.0  # a delay or timeout beyond an hour is a typo, not a plan
CONFIG_ENV = "LANGSON_ARCHIVE_CONFIG"


class UsageError(Exception):
    """Bad command-line input; the message is shown as one line."""


def date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None


def base_url(text: str) -> tuple[str, str]:
    name, sep, url = text.partition("=")
    if not sep or name not in PROFILES:
        raise argparse.ArgumentTypeError(f"{text!r}: use SOURCE=URL with SOURCE one of {', '.join(PROFILES)}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"{text!r}: {url!r} is not an http(s) URL")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise argparse.ArgumentTypeError(f"{text!r}: give the site's root (scheme://host[:port]), no path or query")
    try:
        _ = parts.port
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: the port is not a number from 0 to 65535") from None
    return name, url.rstrip("/")


def delay(text: str) -> float:
    """Seconds, 0 to an hour: nan and inf are refused (Twisted would wait forever)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or not 0 <= value <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of seconds from 0 to {MAX_SECONDS:.0f}")
    return value


def timeout(text: str) -> float:
    value = delay(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: a timeout must be more than 0 seconds")
    return value


def size(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of bytes") from None
    if value < 1024:
        raise argparse.ArgumentTypeError(f"{text!r}: a response limit below 1024 bytes would refuse every page")
    return value


def out_dir(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("--out needs a folder name")
    return text


def log_level(text: str) -> str:
    level = text.upper()
    if level not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(f"{text!r}: choose from {', '.join(LOG_LEVELS)}")
    return level


def choice(name: str, choices: Sequence[str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in choices:
            raise argparse.ArgumentTypeError(f"{name} {value!r}: choose from {', '.join(choices)}")
        return value

    return check


_SETTING_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


def scrapy_setting(text: str) -> tuple[str, str]:
    """``-s KEY=VALUE``, as ``scrapy crawl`` takes it: an upper-case setting name and its value."""
    name, sep, value = text.partition("=")
    if not sep or not _SETTING_NAME.fullmatch(name):
        raise argparse.ArgumentTypeError(f"{text!r}: use NAME=VALUE with an upper-case Scrapy setting NAME")
    return name, value


def add_archive_options(sub: argparse.ArgumentParser, ranged: bool = True) -> None:
    """``--out`` and ``--config`` of every command; ``--source``/``--from``/``--to`` where a range applies."""
    sub.add_argument("--out", type=out_dir, default="output", metavar="DIR", help="archive root (default: output)")
    sub.add_argument("--config", metavar="FILE", help=f"TOML settings file (also ${CONFIG_ENV})")
    if ranged:
        sub.add_argument("--source", choices=SOURCE_CHOICES, default="all", help="which portal (default: all)")
        sub.add_argument("--from", dest="date_from", type=date, metavar="YYYY-MM-DD",
                         help="keep digests whose week ends on or after this day")  # fmt: skip
        sub.add_argument("--to", dest="date_to", type=date, metavar="YYYY-MM-DD",
                         help="keep digests whose week starts on or before this day")  # fmt: skip


def add_fetch_options(sub: argparse.ArgumentParser) -> None:
    """The options of every command that fetches pages."""
    sub.add_argument("--base-url", action="append", type=base_url, default=[], metavar="SOURCE=URL",
                     help="fetch SOURCE from URL instead of the live host (a mirror or test server)")  # fmt: skip
    sub.add_argument("--delay", type=delay, default=None, metavar="SECONDS",
                     help="seconds between requests to one host (default 1, with AutoThrottle); "
                     "0 is for local mirrors and test servers only, never for the live portals")  # fmt: skip
    sub.add_argument("--log-level", default="WARNING", type=log_level, metavar="LEVEL",
                     help="log detail on stderr: DEBUG, INFO, WARNING (default) or ERROR, any case")  # fmt: skip
    sub.add_argument("--log-file", metavar="FILE", help="write the log to FILE (size-rotated) instead of stderr")
    sub.add_argument("--log-max-bytes", type=int, default=5_000_000, metavar="N",
                     help="rotate the log file at N bytes (default 5 MB)")  # fmt: skip
    sub.add_argument("--log-backups", type=int, default=5, metavar="K", help="rotated log files kept (default 5)")
    sub.add_argument("--contact", metavar="EMAIL", help="contact address in the User-Agent")
    sub.add_argument("--timeout", type=timeout, default=None, metavar="SECONDS",
                     help="give up on a response after SECONDS (default 30); it is then retried")  # fmt: skip
    sub.add_argument("-s", "--set", dest="settings", action="append", type=scrapy_setting, default=[],
                     metavar="NAME=VALUE",
                     help="set a Scrapy setting, as `scrapy crawl -s` does (repeatable; beats the flags)")  # fmt: skip


def add_progress_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                     help="show a progress bar on stderr (default: only when stderr is a terminal)")  # fmt: skip


def check_range(args: argparse.Namespace) -> None:
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise UsageError(f"--from {args.date_from} is after --to {args.date_to}")


def check_writable(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a directory")
    probe = out
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UsageError(f"--out {out}: not writable")


ARCHIVE_PARTS = ("digests", "manifest.json", "captures", "state", "runs")


def require_archive(out: str | Path) -> None:
    """Commands that read an archive refuse a folder that is not one (exit 2).

    A mistyped ``--out`` that names some other existing folder (the home folder, ``.``) would
    otherwise read as an empty archive: an empty export and a status of nothing, exit 0.
    """
    if not Path(out).is_dir():
        raise UsageError(f"--out {out}: no archive there")
    if not any((Path(out) / part).exists() for part in ARCHIVE_PARTS):
        raise UsageError(f"--out {out}: no archive there (none of {', '.join(ARCHIVE_PARTS)})")
