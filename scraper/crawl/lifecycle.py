"""The run lifecycle shared by ``langson-archive crawl`` and ``scrapy crawl digests``.

Before the crawl (under the archive's lock): complete a commit a killed run left half done,
prove the archive readable, remove stale temporaries and archive the pages of a killed run's
open capture file. After it: one run report (``runs/YYYY/…json`` and the manifest's
``last_run``), one summary line on stdout, and the exit status.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scraper.archive import Archive, ArchiveError, ArchiveIndex, write_atomic
from scraper.crawl.stats import total

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_NOTHING_NEW = 4  # only with --exit-codes detailed
EXIT_DEGRADED = 5  # only with --exit-codes detailed: archived, but something had to be guessed
EXIT_LOCKED = 75  # EX_TEMPFAIL: another run holds the archive; try again later
EXIT_SIGINT = 130  # 128 + the signal: stopped by Ctrl-C, what was fetched is archived
EXIT_SIGTERM = 143


CRAWL_GC_THRESHOLD = 5000  # allocations between young-generation collections while the crawl runs (Python: 700)


@contextlib.contextmanager
def fewer_collections(threshold: int = CRAWL_GC_THRESHOLD) -> Iterator[None]:
    """Run the crawl with the cyclic garbage collector's young generation collected less often.

    Each request and response allocates hundreds of short-lived objects (Deferreds, headers,
    middleware generators); at Python's default the collector ran ~600 times in a crawl of
    2,000 digests and took 0.45 s of the crawl's thread, 0.11 s at 5,000, with the older
    generations' settings (and so their share of memory) unchanged.
    """
    before = gc.get_threshold()
    gc.set_threshold(max(threshold, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def prepare_archive(out: Path) -> ArchiveIndex:
    """What a run does first, holding the lock: the archive's index, read once.

    Raises ArchiveError for an unreadable archive, before any request is sent.
    """
    for part in ("digests", "captures", "state", "runs"):
        if (out / part).exists() and not (out / part).is_dir():
            raise ArchiveError(f"{out / part}: exists and is not a folder")
    archive = Archive(out)
    archive.recover()  # a commit a killed run left half done is completed first
    archive.remove_stale_temporaries()
    recover_captures(out)  # a run killed before it could archive: its pages are in its captures
    return archive.index()


def new_run_id() -> str:
    """The run's id: its capture file and its report are named after it."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + f"-{os.getpid()}"


def recover_captures(out: Path) -> int:
    """Merge the digests of capture files a run left open (killed, or stopped at once): how many."""
    from scraper.records.reparse import recover_open_captures

    try:
        report = recover_open_captures(out)
    except (ArchiveError, OSError) as exc:
        print(f"langson-archive: warning: could not recover an interrupted run's captures: {exc}", file=sys.stderr)
        return 0
    if report is None:
        return 0
    merge = report.merge
    cut = f"; {len(report.damaged)} damaged records skipped (cut when the run stopped)" if report.damaged else ""
    print(
        f"langson-archive: recovered an interrupted run's captures: {len(merge.new)} new, {len(merge.updated)} "
        f"updated digests from {report.captures} captured pages{cut}",
        file=sys.stderr,
    )
    return len(merge.new) + len(merge.updated)


LISTING_FAILURE = "listing_failure/"  # + source: why the source's last listing page failed (a stat)


def run_report(
    stats: dict[str, Any],
    started_at: dt.datetime,
    seconds: float,
    *,
    source: str = "all",
    date_from: dt.date | str | None = None,
    date_to: dt.date | str | None = None,
) -> dict[str, Any]:
    """The JSON run report kept in the archive (``runs/YYYY/<time>.json``) and the manifest."""
    errors = total(stats, "errors/")
    reached = total(stats, "listing/", ("/pages", "/not_modified"))
    new, updated, unchanged = (stats.get(f"archive/{k}", 0) for k in ("new", "updated", "unchanged"))
    degraded = list(stats.get("degraded/notes") or [])
    if stats.get("finish_reason") == "shutdown" and not stats.get("archive/error"):
        outcome = "interrupted"  # stopped by a signal: what was fetched is archived
    elif stats.get("archive/error") or reached == 0:
        outcome = "failed"
    elif errors:
        outcome = "partial"
    elif degraded:
        outcome = "degraded"
    else:
        outcome = "new" if new or updated else "nothing-new"
    return {
        "command": "crawl",
        "outcome": outcome,
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "duration_s": round(seconds, 3),
        "source": source,
        "date_from": str(date_from) if date_from else None,
        "date_to": str(date_to) if date_to else None,
        "requests": stats.get("downloader/request_count", 0),
        "listing_pages": total(stats, "listing/", "/pages"),
        "listing_not_modified": total(stats, "listing/", "/not_modified"),
        "new": new,
        "updated": updated,
        "unchanged": unchanged,
        "errors": errors,
        "error_detail": {k: v for k, v in stats.items() if k.startswith("errors/")},
        "degraded": degraded,
        "given_up_now": list(stats.get("pending/given_up_now") or []),
        "given_up_skipped": total(stats, "article/", "/given_up_skipped"),
        "strategies": {k.removeprefix("extraction/"): v for k, v in stats.items() if k.startswith("extraction/")},
        "archive_error": stats.get("archive/error"),
        "robots_unavailable": sorted(k.rsplit("/", 1)[1] for k in stats if k.startswith("robotstxt/server_error/")),
        "listing_failures": {k.split("/", 1)[1]: v for k, v in sorted(stats.items()) if k.startswith(LISTING_FAILURE)},
        "captures": stats.get("captures/file"),
    }


def refresh_data_package(out: Path, changed: bool = True) -> None:
    """``datapackage.json`` for the archive's month files as they now are (a failure is a warning).

    When the run changed nothing, a package that still describes the month files is kept: it
    names every month file, so writing it costs what the archive's size does.
    """
    from scraper.records.package import data_package_current, write_data_package

    try:
        if not changed and data_package_current(out):
            return
        write_data_package(out)
    except OSError as exc:
        print(f"langson-archive: warning: datapackage.json not written: {exc}", file=sys.stderr)


def save_report(out: Path, report: dict[str, Any]) -> None:
    """``runs/YYYY/<run id>.json`` and the manifest's ``last_run``: the run's one manifest write.

    The search index is not touched: ``search`` brings it up to date when it runs, reading
    only the month files changed since, so a crawl never pays for indexing what nobody searched.
    """
    if out.is_dir() and not report.get("archive_error"):
        changed = bool(report.get("new") or report.get("updated") or report.get("recovered"))
        refresh_data_package(out, changed)
    run_id = report.get("run_id") or new_run_id()
    path = out / "runs" / run_id[:4] / f"{run_id}.json"
    try:
        write_atomic(path, (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        Archive(out).write_manifest(last_run=report)
    except (OSError, ArchiveError) as exc:
        print(f"langson-archive: warning: run report not saved: {exc}", file=sys.stderr)


def _articles(count: int) -> str:
    return f"{count} article{'' if count == 1 else 's'}"


def finish_crawl(report: dict[str, Any], out: Path, exit_codes: str) -> int:
    """Print the one-line summary and choose the exit status."""
    outcome = report["outcome"]
    label = {
        "interrupted": "interrupted",
        "new": "ok (new digests)",
        "nothing-new": "ok (nothing new)",
        "partial": "partial failure",
        "degraded": "degraded (see the warning)",
    }.get(outcome, outcome)
    n = report.get("given_up_skipped") or 0
    skipped = f"{_articles(n)} given up earlier not asked for; " if n else ""
    pages = f"{report['listing_pages']} listing pages"
    if report["listing_not_modified"]:
        pages += f" ({report['listing_not_modified']} more unchanged since the last run)"
    print(
        f"langson-archive crawl {label}: {report['new']} new, {report['updated']} updated, "
        f"{report['unchanged']} unchanged digests; {pages}, {report['requests']} requests, "
        f"{report['errors']} errors in {report['duration_s']:.1f} s; {skipped}archive {out}"
    )
    given_up = report.get("given_up_now") or []
    if given_up:  # once, in the run that gives up: later runs say it on stdout and in `status`
        more = f"; {len(given_up) - 3} more in the run report" if len(given_up) > 3 else ""
        print(
            f"langson-archive: warning: gave up on {_articles(len(given_up))} that kept answering no digest: "
            f"{'; '.join(given_up[:3])}{more}; the next runs do not ask for them (`status` lists them, "
            "`crawl --retry-given-up` asks again)",
            file=sys.stderr,
        )
    notes = report.get("degraded") or []
    if notes:
        more = f"; {len(notes) - 4} more in the run report" if len(notes) > 4 else ""
        print(
            "langson-archive: warning: degraded run, digests may be missing or misread: "
            f"{'; '.join(notes[:4])}{more} (run `langson-archive probe`; README: 'When a portal changes its template')",
            file=sys.stderr,
        )
    if outcome == "interrupted":
        return EXIT_SIGTERM if report.get("signal") == "SIGTERM" else EXIT_SIGINT
    if outcome == "failed":
        failures = "; ".join(f"{source}: {why}" for source, why in (report.get("listing_failures") or {}).items())
        reason = report["archive_error"] or "no listing page could be fetched" + (f" ({failures})" if failures else "")
        if not report["archive_error"] and report.get("robots_unavailable"):
            reason = (f"robots.txt of {', '.join(report['robots_unavailable'])} answered a server error: "
                      "nothing may be fetched this run (RFC 9309)")  # fmt: skip
        print(f"langson-archive: error: {reason}", file=sys.stderr)
        return EXIT_FAILED
    if outcome == "partial":  # stderr too: cron mails only stderr, and a log file may hold the rest
        print(
            f"langson-archive: warning: partial failure: {report['errors']} pages failed after their retries "
            f"(kept pending; details in the run report {report.get('run_id') or ''})".rstrip(),
            file=sys.stderr,
        )
        return EXIT_PARTIAL
    if outcome == "nothing-new" and exit_codes == "detailed":
        return EXIT_NOTHING_NEW
    if outcome == "degraded" and exit_codes == "detailed":
        return EXIT_DEGRADED
    return EXIT_OK
