"""``scrapy crawl digests`` runs the same lifecycle as ``langson-archive crawl``."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

from scraper.archive.lock import ArchiveLock
from tests.conftest import ROOT, export, load_expected


def scrapy_crawl(out, bases: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "digests", "-a", f"base_urls={bases}",
         "-s", f"ARCHIVE_DIR={out}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
         "-s", "RETRY_TIMES=0", "-s", "LOG_LEVEL=WARNING"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip


def _bases(portal) -> str:
    return ",".join(f"{site.name}={site.url}" for site in portal.values())


def test_scrapy_crawl_writes_a_run_report_and_the_summary_line(portal, tmp_path):
    done = scrapy_crawl(tmp_path, _bases(portal))
    assert done.returncode == 0, done.stderr
    assert "langson-archive crawl ok (new digests)" in done.stdout
    assert len(export(tmp_path)) == len(load_expected())
    reports = list((tmp_path / "runs").rglob("*.json"))
    assert len(reports) == 1
    assert json.loads(reports[0].read_text(encoding="utf-8"))["outcome"] == "new"


def test_scrapy_crawl_with_the_lock_held_sends_nothing_and_exits_75(portal, tmp_path):
    with ArchiveLock(tmp_path):
        done = scrapy_crawl(tmp_path, _bases(portal))
    assert done.returncode == 75
    assert done.stderr.strip().splitlines()[-1].startswith("langson-archive: ")
    assert all(not site.requests for site in portal.values())


def test_scrapy_crawl_where_every_request_fails_exits_1(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens there once closed
    done = scrapy_crawl(tmp_path, f"langson=http://127.0.0.1:{port},vanphong=http://127.0.0.1:{port}")
    assert done.returncode == 1, done.stdout
    assert "langson-archive crawl failed" in done.stdout


def test_the_page_guard_is_a_warning_and_the_next_run_walks_on(portal, tmp_path):
    bases = _bases(portal)
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "digests", "-a", f"base_urls={bases}", "-a", "source=langson",
         "-s", f"ARCHIVE_DIR={tmp_path}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
         "-s", "LOG_LEVEL=WARNING", "-s", "LISTING_MAX_PAGES=1"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    warning = [line for line in done.stderr.splitlines() if line.startswith("langson-archive: warning:")]
    assert len(warning) == 1 and "page guard" in warning[0], done.stderr
    walks = json.loads((tmp_path / "state" / "walks.json").read_text(encoding="utf-8"))
    assert walks["langson"][0]["page"] == 2
    done = scrapy_crawl(tmp_path, bases)  # no guard this time: it goes on from page 2
    assert done.returncode == 0, done.stderr
    langson = {e["canonical_url"] for e in load_expected() if e["site"] == "langson"}
    assert langson <= {r["canonical_url"] for r in export(tmp_path)}
