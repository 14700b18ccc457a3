"""What the fetching commands (``crawl``, ``probe``) share: Scrapy's settings, logging and signals."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from scrapy.settings import Settings

from scraper import __version__
from scraper.cli.options import UsageError

logger = logging.getLogger(__name__)


def known_setting(name: str, settings: Settings) -> bool:
    from scrapy.settings import default_settings

    return hasattr(default_settings, name) or name in settings


def scrapy_settings(args: argparse.Namespace, out: Path | None) -> Settings:
    """Scrapy's settings for a run: the project's polite defaults, then the flags, then ``-s``."""
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    if out is not None:
        settings.set("ARCHIVE_DIR", str(out), priority="cmdline")
    if args.contact:
        settings.set("USER_AGENT", f"langson-archive/{__version__} (archiving bot; contact: {args.contact})", "cmdline")
    if args.delay is not None:
        settings.set("DOWNLOAD_DELAY", args.delay, priority="cmdline")
        settings.set("AUTOTHROTTLE_START_DELAY", max(args.delay, 0.1), priority="cmdline")
        settings.set("RETRY_BACKOFF_BASE", 2 * args.delay if args.delay else 0.05, priority="cmdline")
        if args.delay == 0:
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
            settings.set("DOWNLOAD_DELAY_JITTER", 0, priority="cmdline")
    if args.timeout:
        settings.set("DOWNLOAD_TIMEOUT", args.timeout, priority="cmdline")
    if getattr(args, "max_size", None):
        settings.set("DOWNLOAD_MAXSIZE", args.max_size, priority="cmdline")
        settings.set("DOWNLOAD_WARNSIZE", min(args.max_size, settings.getint("DOWNLOAD_WARNSIZE")), "cmdline")
    progress = args.progress if getattr(args, "progress", None) is not None else sys.stderr.isatty()
    settings.set("PROGRESS", bool(progress) and out is not None, priority="cmdline")
    configure_logging(settings, args)
    for name, value in args.settings:
        if name == "ARCHIVE_DIR":
            raise UsageError("-s ARCHIVE_DIR: use --out, which also takes the archive's lock")
        if not known_setting(name, settings):
            print(f"langson-archive: warning: -s {name}: not a Scrapy or project setting (passed through)",
                  file=sys.stderr)  # fmt: skip
        settings.set(name, value, priority="cmdline")
    return settings


def configure_logging(settings: Settings, args: argparse.Namespace) -> None:
    """Scrapy's log on stderr, or in a size-rotated file with --log-file."""
    settings.set("LOG_LEVEL", args.log_level, priority="cmdline")
    if not args.log_file:
        settings.set("LOG_INSTALL_ROOT_HANDLER", True, priority="cmdline")
        return
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    log_file = Path(args.log_file)
    if log_file.is_dir():
        raise UsageError(f"--log-file {log_file}: is a folder")
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)  # a new log folder is made, as cron setups expect
    except OSError as exc:
        raise UsageError(f"--log-file {log_file}: cannot make its folder ({exc.strerror})") from None
    try:
        handler = RotatingFileHandler(
            log_file, maxBytes=args.log_max_bytes, backupCount=args.log_backups, encoding="utf-8"
        )
    except OSError as exc:
        raise UsageError(f"--log-file {log_file}: {exc.strerror}") from None
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    handler.setLevel(args.log_level)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(args.log_level)


_TRACEBACK_LOGGERS = (
    "scrapy.downloadermiddlewares.robotstxt",
    "scrapy.downloadermiddlewares.retry",
    "scrapy.core.scraper",
    "scrapy.core.engine",
    "scrapy.core.downloader",
    "scrapy.utils.signal",
    "scrapy.utils.defer",
    "twisted",
)


class _NoTraceback(logging.Filter):
    """On stderr, Scrapy's errors are one line each (tracebacks only at DEBUG), their reasons in words
    (a TLS handshake refused, not the repr of the Twisted failure that wraps it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        if isinstance(record.args, dict):
            from scraper.crawl.failures import describe  # here: every command's start-up imports this module

            for name in ("reason", "f_exception"):  # the retry and robots.txt middlewares' lines
                if isinstance(record.args.get(name), BaseException):
                    record.args = {**record.args, name: describe(record.args[name])}
        return True


def one_line_errors(args: argparse.Namespace) -> None:
    if args.log_file or args.log_level == "DEBUG":
        return
    # Scrapy's root handler is replaced when the crawl starts, so the filter goes on the loggers
    # that attach tracebacks to their errors.
    for name in _TRACEBACK_LOGGERS:
        logging.getLogger(name).addFilter(_NoTraceback())


def stop_on_signals(process: Any) -> list[int]:
    """SIGINT/SIGTERM: stop after the pages in flight and archive what was fetched; a second one stops at once.

    Returns the list the signals received are appended to.
    """
    from twisted.internet import reactor as installed

    reactor: Any = installed  # the running reactor; Twisted types the module, not the instance
    received: list[int] = []

    def handler(signum: int, _frame: Any) -> None:
        received.append(signum)
        if len(received) == 1:
            print(
                f"langson-archive: {signal.Signals(signum).name}: stopping after the pages in flight and archiving "
                "what was fetched (send it again to stop at once)",
                file=sys.stderr,
            )
            reactor.callFromThread(process.stop)
        elif len(received) == 2:
            print("langson-archive: stopping at once; what was fetched is rebuilt from the captures", file=sys.stderr)
            reactor.callFromThread(reactor.stop)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, handler)
    return received
