"""The ``langson-archive`` command line.

    langson-archive crawl  [--source S] [--from D] [--to D] [--base-url S=URL]... [--out DIR] [--delay SEC]
    langson-archive export [--out DIR] [--from D] [--to D] [--source S]
    langson-archive validate [--out DIR]

Bad input ends with one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scraper import __version__
from scraper.archive import Archive, ArchiveError, dumps, overlaps, partition_for
from scraper.archive.exports import one_per_week, write_csv
from scraper.archive.lock import ArchiveLock, LockHeld
from scraper.crawl.lifecycle import (
    EXIT_DEGRADED,
    EXIT_FAILED,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_USAGE,
    finish_crawl,
    new_run_id,
    prepare_archive,
    recover_captures,
    run_report,
    save_report,
)
from scraper.sites.profiles import PROFILES

SOURCE_CHOICES = [*PROFILES, "all"]


class UsageError(Exception):
    """Bad command-line input; the message is shown as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as argparse does, with our prefix
        self.exit(EXIT_USAGE, f"langson-archive: error: {message}\n")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None


def _base_url(text: str) -> tuple[str, str]:
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


MAX_SECONDS = 3600.0  # a delay or timeout beyond an hour is a typo, not a plan


def _delay(text: str) -> float:
    """Seconds, 0 to an hour: nan and inf are refused (Twisted would wait forever)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or not 0 <= value <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of seconds from 0 to {MAX_SECONDS:.0f}")
    return value


def _timeout(text: str) -> float:
    value = _delay(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: a timeout must be more than 0 seconds")
    return value


def _size(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of bytes") from None
    if value < 1024:
        raise argparse.ArgumentTypeError(f"{text!r}: a response limit below 1024 bytes would refuse every page")
    return value


def _out(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("--out needs a folder name")
    return text


def _log_level(text: str) -> str:
    level = text.upper()
    if level not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(f"{text!r}: choose from {', '.join(LOG_LEVELS)}")
    return level


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


CONFIG_ENV = "LANGSON_ARCHIVE_CONFIG"
# option name -> environment variable; flags beat the environment, which beats the config file
ENV_OPTIONS = {
    "out": "LANGSON_ARCHIVE_OUT",
    "delay": "LANGSON_ARCHIVE_DELAY",
    "contact": "LANGSON_ARCHIVE_CONTACT",
    "log_file": "LANGSON_ARCHIVE_LOG_FILE",
    "log_level": "LANGSON_ARCHIVE_LOG_LEVEL",
    "exit_codes": "LANGSON_ARCHIVE_EXIT_CODES",
}
CONFIG_KEYS = {*ENV_OPTIONS, "base_url", "source"}


def load_config(argv: Sequence[str] | None) -> dict[str, Any]:
    """Settings from the config file (``--config FILE`` or $LANGSON_ARCHIVE_CONFIG), then the environment."""
    args = list(sys.argv[1:] if argv is None else argv)
    path = os.environ.get(CONFIG_ENV)
    for i, arg in enumerate(args):
        if arg == "--config" and i + 1 < len(args):
            path = args[i + 1]
        elif arg.startswith("--config="):
            path = arg.split("=", 1)[1]
    values: dict[str, Any] = {}
    if path:
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            import tomli as tomllib  # type: ignore[no-redef]
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(f"config {path}: {exc.strerror}") from None
        except ValueError as exc:
            raise UsageError(f"config {path}: {exc}") from None
        section = data.get("langson-archive", data)
        unknown = sorted(set(section) - CONFIG_KEYS)
        if unknown:
            raise UsageError(f"config {path}: unknown key {unknown[0]!r} (known: {', '.join(sorted(CONFIG_KEYS))})")
        values.update({k.replace("-", "_"): v for k, v in section.items()})
    for name, env in ENV_OPTIONS.items():
        if os.environ.get(env):
            values[name] = os.environ[env]
    return values


def _choice(name: str, choices: Sequence[str]) -> Any:
    def check(value: str) -> str:
        if value not in choices:
            raise argparse.ArgumentTypeError(f"{name} {value!r}: choose from {', '.join(choices)}")
        return value

    return check


# Every configurable option checked as its flag is (the file and the environment included).
_CONFIG_CHECKS: dict[str, Any] = {
    "out": _out,
    "delay": _delay,
    "log_level": _log_level,
    "exit_codes": _choice("exit_codes", ["simple", "detailed"]),
    "source": _choice("source", SOURCE_CHOICES),
}


def apply_config(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> None:
    """Make config-file and environment values the defaults of every sub-command that has the option."""
    values = load_config(argv)
    if not values:
        return
    try:
        for name, value in list(values.items()):
            if name == "base_url":
                continue
            if name == "delay" and isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str):
                raise argparse.ArgumentTypeError(f"{name} must be a string, not {type(value).__name__} ({value!r})")
            values[name] = _CONFIG_CHECKS.get(name, str)(value)
        if "base_url" in values:
            table = values["base_url"]
            if not isinstance(table, dict):
                raise argparse.ArgumentTypeError("base_url must be a table of SOURCE = URL")
            values["base_url"] = [_base_url(f"{k}={v}") for k, v in table.items()]
    except argparse.ArgumentTypeError as exc:
        raise UsageError(f"configuration: {exc}") from None
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        for sub in action.choices.values():
            known = {a.dest for a in sub._actions}
            sub.set_defaults(**{k: v for k, v in values.items() if k in known})


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="langson-archive",
        description="Archive the Lạng Sơn People's Committee weekly digests "
        "('Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần') as dated JSON Lines.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    def common(sub: argparse.ArgumentParser, ranged: bool = True) -> None:
        sub.add_argument("--out", type=_out, default="output", metavar="DIR", help="archive root (default: output)")
        sub.add_argument("--config", metavar="FILE", help=f"TOML settings file (also ${CONFIG_ENV})")
        if ranged:
            sub.add_argument("--source", choices=SOURCE_CHOICES, default="all", help="which portal (default: all)")
            sub.add_argument(
                "--from",
                dest="date_from",
                type=_date,
                metavar="YYYY-MM-DD",
                help="keep digests whose week ends on or after this day",
            )
            sub.add_argument(
                "--to",
                dest="date_to",
                type=_date,
                metavar="YYYY-MM-DD",
                help="keep digests whose week starts on or before this day",
            )

    def fetch_options(sub: argparse.ArgumentParser) -> None:
        """The options of every command that fetches pages."""
        sub.add_argument(
            "--base-url",
            action="append",
            type=_base_url,
            default=[],
            metavar="SOURCE=URL",
            help="fetch SOURCE from URL instead of the live host (a mirror or test server)",
        )
        sub.add_argument(
            "--delay",
            type=_delay,
            default=None,
            metavar="SECONDS",
            help="seconds between requests to one host (default 1, with AutoThrottle); "
            "0 is for local mirrors and test servers only, never for the live portals",
        )
        sub.add_argument(
            "--log-level",
            default="WARNING",
            type=_log_level,
            metavar="LEVEL",
            help="log detail on stderr: DEBUG, INFO, WARNING (default) or ERROR, any case",
        )
        sub.add_argument("--log-file", metavar="FILE", help="write the log to FILE (size-rotated) instead of stderr")
        sub.add_argument(
            "--log-max-bytes",
            type=int,
            default=5_000_000,
            metavar="N",
            help="rotate the log file at N bytes (default 5 MB)",
        )
        sub.add_argument("--log-backups", type=int, default=5, metavar="K", help="rotated log files kept (default 5)")
        sub.add_argument("--contact", metavar="EMAIL", help="contact address in the User-Agent")
        sub.add_argument(
            "--timeout",
            type=_timeout,
            default=None,
            metavar="SECONDS",
            help="give up on a response after SECONDS (default 30); it is then retried",
        )

    crawl = commands.add_parser(
        "crawl",
        help="fetch new digests (or a date range) into the archive",
        description="Walk each portal's listing and archive the digests. Without --from/--to only "
        "digests not yet archived are fetched; with a range every digest whose week overlaps it "
        "is fetched again and re-extracted.",
    )
    common(crawl)
    fetch_options(crawl)
    crawl.add_argument(
        "--max-size",
        type=_size,
        default=None,
        metavar="BYTES",
        help="refuse responses larger than BYTES (default 10 MiB)",
    )
    crawl.add_argument(
        "--exit-codes",
        choices=["simple", "detailed"],
        default="simple",
        help="simple: 0 whether or not anything was new; detailed: 0 new digests, "
        "4 nothing new, 5 degraded (3 partial failure, 1 failed, 75 locked in both)",
    )
    crawl.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show progress on stderr (default: only when stderr is a terminal)",
    )

    probe = commands.add_parser(
        "probe",
        help="fetch the first listing page and the newest digests; show which strategy read each field",
        description="Politely fetch each source's first listing page and its N newest digests (nothing is "
        "archived) and print, per page and field, which strategy answered (the site's template, a generic "
        "strategy or trafilatura) and which checks failed. Exit 0 when the template answered everything, "
        "5 when anything fell past it, 1 when nothing could be fetched. Run it before the first crawl of "
        "the live sites and after any redesign.",
    )
    probe.add_argument("--source", choices=SOURCE_CHOICES, default="all", help="which portal (default: all)")
    probe.add_argument("--config", metavar="FILE", help=f"TOML settings file (also ${CONFIG_ENV})")
    probe.add_argument("--limit", type=int, default=3, metavar="N", help="digests to read per source (default 3)")
    fetch_options(probe)

    export = commands.add_parser(
        "export",
        help="print archived records on stdout (JSON Lines, or CSV)",
        description="Print every archived record once, sorted by week. --one-per-week keeps one record "
        "per week when both portals published it (the langson.gov.vn copy, the provincial portal "
        "of record; the other's URL stays in also_published_at).",
    )
    common(export)
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl", help="output format (default jsonl)")
    export.add_argument(
        "--sections", action="store_true", help="CSV with one row per section instead of one per digest"
    )
    export.add_argument("--one-per-week", action="store_true", help="one record per week across both portals")

    status = commands.add_parser("status", help="digests per source and year, newest week, gaps, last run")
    common(status, ranged=False)
    status.add_argument("--json", action="store_true", help="print the status as JSON")

    clear = commands.add_parser(
        "clear-pending",
        help="forget the articles that failed and would be fetched first by the next run",
        description="Forget the pending articles (state/pending.json) that `status` lists: for a page "
        "gone for good. Without --source, of both sources.",
    )
    common(clear, ranged=False)
    clear.add_argument("--source", choices=list(PROFILES), default=None, help="only this portal's")

    reparse = commands.add_parser(
        "reparse",
        help="rebuild every record from the stored captures with the current extractor (no network)",
    )
    common(reparse, ranged=False)

    validate = commands.add_parser("validate", help="check every archived record against the schema")
    common(validate, ranged=False)
    return parser


def _check_range(args: argparse.Namespace) -> None:
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise UsageError(f"--from {args.date_from} is after --to {args.date_to}")


def _check_writable(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a directory")
    probe = out
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UsageError(f"--out {out}: not writable")


def _configure_logging(settings: Any, args: argparse.Namespace) -> None:
    """Scrapy's log on stderr, or in a size-rotated file with --log-file."""
    settings.set("LOG_LEVEL", args.log_level, priority="cmdline")
    if not args.log_file:
        settings.set("LOG_INSTALL_ROOT_HANDLER", True, priority="cmdline")
        return
    import logging
    from logging.handlers import RotatingFileHandler

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


def run_crawl(args: argparse.Namespace) -> int:
    _check_range(args)
    out = Path(args.out)
    _check_writable(out)
    with ArchiveLock(out):
        index = prepare_archive(out)
        return _crawl_locked(args, out, index)


def _scrapy_settings(args: argparse.Namespace, out: Path | None) -> Any:
    """Scrapy's settings for a run: the project's polite defaults, then the flags."""
    from scrapy.settings import Settings

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
    settings.set("PROGRESS", progress and out is not None, priority="cmdline")
    _configure_logging(settings, args)
    return settings


_TRACEBACK_LOGGERS = (
    "scrapy.downloadermiddlewares.robotstxt",
    "scrapy.core.scraper",
    "scrapy.core.engine",
    "scrapy.core.downloader",
    "scrapy.utils.signal",
    "scrapy.utils.defer",
    "twisted",
)


class _NoTraceback:
    """A log filter: on stderr, Scrapy's errors are one line each (tracebacks only at DEBUG)."""

    def filter(self, record: Any) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


def _one_line_errors(args: argparse.Namespace) -> None:
    import logging

    if args.log_file or args.log_level == "DEBUG":
        return
    # Scrapy's root handler is replaced when the crawl starts, so the filter goes on the loggers
    # that attach tracebacks to their errors.
    for name in _TRACEBACK_LOGGERS:
        logging.getLogger(name).addFilter(_NoTraceback())


def _crawl_locked(args: argparse.Namespace, out: Path, index: Any) -> int:
    from scrapy.crawler import CrawlerProcess

    from scraper.crawl.spiders.digests import DigestSpider

    settings = _scrapy_settings(args, out)
    run_id = new_run_id()
    settings.set("RUN_ID", run_id, priority="cmdline")  # the capture file and the report share it
    started_at = dt.datetime.now(dt.timezone.utc)
    started = time.monotonic()
    process = CrawlerProcess(settings)
    _one_line_errors(args)
    crawler = process.create_crawler(DigestSpider)
    process.crawl(
        crawler,
        source=args.source,
        base_urls=dict(args.base_url),
        date_from=args.date_from,
        date_to=args.date_to,
        archive_dir=str(out),
        archive_index=index,
    )
    received = _stop_on_signals(process)
    process.start(install_signal_handlers=False)
    stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
    recovered = recover_captures(out) if received else 0  # stopped at once: the run's records are in its captures
    report = run_report(stats, started_at, time.monotonic() - started, source=args.source,
                        date_from=args.date_from, date_to=args.date_to)  # fmt: skip
    report["run_id"] = run_id
    if received:
        report.update(outcome="interrupted", signal=signal.Signals(received[0]).name, recovered=recovered)
    save_report(out, report)
    return finish_crawl(report, out, args.exit_codes)


def _stop_on_signals(process: Any) -> list[int]:
    """SIGINT/SIGTERM: stop after the pages in flight and archive what was fetched; a second one stops at once.

    Returns the list the signals received are appended to.
    """
    from twisted.internet import reactor

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


def _require_archive(out: str | Path) -> None:
    """Commands that read an archive refuse a folder that is not there (exit 2)."""
    if not Path(out).is_dir():
        raise UsageError(f"--out {out}: no archive there")


def _selected(args: argparse.Namespace) -> Iterator[dict[str, Any]]:
    """The records ``export`` prints, in order, streamed one partition at a time."""
    sources = None if args.source == "all" else {PROFILES[args.source].source}
    for partition in Archive(args.out).iter_partitions():
        records = [
            r for r in partition
            if (sources is None or r.get("source") in sources) and overlaps(r, args.date_from, args.date_to)
        ]  # fmt: skip
        # both portals' copies of a week share a partition, so choosing per partition is exact
        yield from one_per_week(records) if args.one_per_week else records


def run_export(args: argparse.Namespace) -> int:
    _check_range(args)
    if args.sections and args.format != "csv":
        raise UsageError("--sections needs --format csv")
    _require_archive(args.out)
    records = _selected(args)
    out = sys.stdout
    if args.format == "csv":
        write_csv(records, out, sections=args.sections)
    else:
        for record in records:
            out.write(dumps(record) + "\n")
    out.flush()
    return EXIT_OK


def run_probe(args: argparse.Namespace) -> int:
    from scrapy.crawler import CrawlerProcess

    from scraper.crawl.spiders.probe import ProbeSpider, format_probe

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    settings = _scrapy_settings(args, None)
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    middlewares = {**settings.getdict("DOWNLOADER_MIDDLEWARES"), "scraper.crawl.capture.WarcCaptureMiddleware": None}
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")  # nothing is archived, not even pages
    settings.set("CONDITIONAL_REQUESTS", False, priority="cmdline")
    process = CrawlerProcess(settings)
    _one_line_errors(args)
    crawler = process.create_crawler(ProbeSpider)
    process.crawl(crawler, source=args.source, base_urls=dict(args.base_url), limit=args.limit)
    process.start()
    spider = crawler.spider
    reports = spider.reports if spider is not None else {}
    base_urls = spider.base_urls if spider is not None else {}
    for line in format_probe(reports, base_urls):
        print(line)
    pages = [page for pages in reports.values() for page in pages]
    past = [page for page in pages if page.past_template]
    if not pages or all(page.error for page in pages):
        print("langson-archive probe: error: nothing could be fetched", file=sys.stderr)
        return EXIT_FAILED
    if past:
        print(
            f"langson-archive probe: {len(past)} of {len(pages)} pages needed strategies past the site's template "
            "(see 'When a portal changes its template' in the README)",
            file=sys.stderr,
        )
        return EXIT_DEGRADED
    print(f"langson-archive probe: ok, every field of {len(pages)} pages answered by the site's template")
    return EXIT_OK


def run_clear_pending(args: argparse.Namespace) -> int:
    from scraper.archive import PendingArticles

    _require_archive(args.out)
    with ArchiveLock(args.out):
        pending = PendingArticles(args.out)
        count = pending.clear(args.source)
        pending.save()
    print(f"langson-archive clear-pending: {count} pending articles forgotten")
    return EXIT_OK


def run_reparse(args: argparse.Namespace) -> int:
    from scraper.records.reparse import reparse

    _require_archive(args.out)
    started = time.monotonic()
    with ArchiveLock(args.out):
        report = reparse(args.out)
    merge = report.merge
    for key in merge.updated:
        print(f"changed {key}")
    for key in merge.new:
        print(f"added {key}")
    print(
        f"langson-archive reparse: {report.captures} captured pages, {report.digests} digests: "
        f"{len(merge.new)} added, {len(merge.updated)} changed, {len(merge.unchanged)} unchanged, "
        f"{len(report.invalid)} invalid; {len(merge.files_written)} files rewritten in "
        f"{time.monotonic() - started:.1f} s"
    )
    return EXIT_FAILED if report.invalid else EXIT_OK


def run_validate(args: argparse.Namespace) -> int:
    from scraper.records.schema import validate_record

    _require_archive(args.out)
    parts = ("digests", "manifest.json", "captures", "state", "runs")
    if not any((Path(args.out) / part).exists() for part in parts):
        raise UsageError(f"--out {args.out}: no archive there (none of {', '.join(parts)})")
    archive = Archive(args.out)
    bad = total = 0
    seen: dict[str, Path] = {}  # key -> the file it was first found in
    with archive.reading():
        for path in archive.partitions():
            for number, record in enumerate(archive.read_partition(path), 1):
                total += 1
                problems = validate_record(record)
                rel = path.relative_to(archive.root).as_posix()
                if not problems and partition_for(record) != rel:
                    problems.append(f"filed in {rel}, but its week belongs in {partition_for(record)}")
                key = record.get("key") if isinstance(record, dict) else None
                if isinstance(key, str) and key in seen:
                    problems.append(f"key {key} is also in {seen[key]}: one record per digest")
                elif isinstance(key, str):
                    seen[key] = path
                if problems:
                    bad += 1
                    print(f"{path}: record {number} ({record.get('url')}): {'; '.join(problems)}")
    print(f"{total - bad}/{total} records valid")
    return EXIT_FAILED if bad else EXIT_OK


def run_status(args: argparse.Namespace) -> int:
    from scraper.archive.status import build_status, format_status

    _require_archive(args.out)
    status = build_status(args.out)
    print(json.dumps(status, ensure_ascii=False, indent=2) if args.json else format_status(status))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    for number, arg in enumerate(sys.argv[1:] if argv is None else argv, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:  # bytes the locale could not decode: they would break every message
            print(f"langson-archive: error: argument {number} is not valid UTF-8", file=sys.stderr)
            return EXIT_USAGE
    parser = build_parser()
    try:
        apply_config(parser, argv)
    except UsageError as exc:
        print(f"langson-archive: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    args = parser.parse_args(argv)
    handlers = {"crawl": run_crawl, "export": run_export, "validate": run_validate, "reparse": run_reparse,
                "status": run_status, "probe": run_probe, "clear-pending": run_clear_pending}  # fmt: skip
    try:
        return handlers[args.command](args)
    except LockHeld as exc:
        print(f"langson-archive: {exc}; not starting (exit {EXIT_LOCKED})", file=sys.stderr)
        return EXIT_LOCKED
    except (UsageError, ArchiveError) as exc:
        print(f"langson-archive: error: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, UsageError) else EXIT_FAILED
    except OSError as exc:  # a full disk, a file that vanished: the archive is as it was (atomic commits)
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"langson-archive: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("langson-archive: interrupted", file=sys.stderr)
        return 130
