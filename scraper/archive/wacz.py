"""The run's raw captures as one WACZ file, replayable in ReplayWeb.page (https://replayweb.page).

WACZ (Web Archive Collection Zipped) bundles the WARC files with a CDX index, a pages list
and a Frictionless ``datapackage.json``; the py-wacz library builds and validates it. The
pages list names each archived digest at the URL it was fetched from, with its title and the
time of its capture, so the replay opens on the digests rather than on robots.txt.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scraper.archive.store import OPEN_SUFFIX, capture_files


class WaczUnavailable(Exception):
    """py-wacz is not installed; the message says how to install it."""


def _warc_date(value: Any) -> str | None:
    """An ISO time as WARC-Date writes it (UTC, "Z", whole seconds): the form py-wacz reads."""
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def pages_list(records: Iterable[dict[str, Any]], captured: dict[str, list[str]] | None = None) -> list[dict[str, Any]]:
    """A page per record, at the time of its capture: the WARC-Date of the capture of its URL nearest
    its ``crawled_at`` (the record is made after the response came in, a second later at times, and
    a replay finds a page only at its capture's exact time); ``crawled_at`` when none was captured."""
    pages = []
    for record in records:
        ts = _warc_date(record.get("crawled_at"))
        if not record.get("url") or not ts:
            continue
        dates = [d for d in map(_warc_date, (captured or {}).get(record["url"], ())) if d]
        if dates:
            made = _seconds(ts)
            ts = min(dates, key=lambda d: (abs(_seconds(d) - made), d))
        pages.append({"url": record["url"], "ts": ts, "title": record.get("title")})
    return pages


def _seconds(warc_date: str) -> float:
    return dt.datetime.strptime(warc_date, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc).timestamp()


def _capture_dates(root: Path, files: set[str]) -> dict[str, list[str]]:
    """The WARC-Date of every successful capture of each URL in ``files``."""
    from scraper.archive.captures import iter_captures

    dates: dict[str, list[str]] = {}
    for capture in iter_captures(root, decode=False):
        if capture.file in files and capture.status == 200 and capture.date:
            dates.setdefault(capture.url, []).append(capture.date)
    return dates


def write_wacz(root: Path, records: Iterable[dict[str, Any]], path: Path, title: str) -> dict[str, int]:
    """Pack the archive's closed capture files and a pages list into ``path`` (atomically)."""
    try:
        from wacz.main import main as wacz_main
    except ImportError:
        raise WaczUnavailable("WACZ export needs py-wacz: pip install 'langson-archive[wacz]'") from None
    warcs = [str(p) for p in capture_files(root) if not p.name.endswith(OPEN_SUFFIX)]
    if not warcs:
        raise FileNotFoundError(f"{root}: no capture files to pack (crawl with captures on)")
    pages = pages_list(records, _capture_dates(root, set(warcs)))
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.name}.") as work:
        pages_file = Path(work) / "pages.jsonl"
        header = {"format": "json-pages-1.0", "id": "pages", "title": "Archived digests"}
        pages_file.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in [header, *pages]),
                              encoding="utf-8")  # fmt: skip
        built = Path(work) / path.name
        try:
            with contextlib.redirect_stdout(sys.stderr):  # py-wacz prints its progress
                status = wacz_main(["create", "-o", str(built), "-p", str(pages_file), "--title", title, *warcs])
        except Exception as exc:  # a third-party library's failure: one line, not its traceback
            raise OSError(f"py-wacz could not build {path.name}: {type(exc).__name__}: {exc}") from None
        if status not in (0, None) or not built.is_file():
            raise OSError(f"py-wacz could not build {path.name} (status {status})")
        os.replace(built, path)
    return {"captures": len(warcs), "pages": len(pages)}
