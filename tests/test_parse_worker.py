"""Pages are parsed in a worker process: same records, the parser's log kept, a dead worker survived."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.site import write_site
from scraper.crawl.parsing import PageParser
from scraper.sites.profiles import PROFILES
from tests import mockserver
from tests.conftest import PORTAL, ROOT, base_url_args, export, load_expected

FETCH_DETAILS = ("crawled_at", "first_seen_at")


def _page(entry: dict) -> str:
    import json

    routes = json.loads((PORTAL / entry["site"] / "routes.json").read_text(encoding="utf-8"))
    return (PORTAL / entry["site"] / "pages" / routes[entry["path"]]["file"]).read_text(encoding="utf-8")


def _parse_all(workers: int, pages: list[tuple[str, str, str]], shares: list | None = None) -> list:
    """Every page parsed, all handed over at once; ``shares`` gets how many each worker was given."""

    async def run() -> list:
        parser = PageParser(workers)
        try:
            tasks = [asyncio.ensure_future(parser.parse(url, html, PROFILES[site], "2026-01-01T00:00:00+00:00"))
                     for site, url, html in pages]  # fmt: skip
            await asyncio.sleep(0)
            if shares is not None:
                shares.extend(len(channel.waiting) for channel in parser.channels)
            return await asyncio.gather(*tasks)
        finally:
            parser.close()

    return asyncio.run(run())


@pytest.mark.parametrize("workers", [1, 2])
def test_worker_processes_give_the_records_the_crawl_process_gives(workers):
    entries = load_expected()[:6]
    pages = [(e["site"], e["canonical_url"], _page(e)) for e in entries]
    shares: list[int] = []
    in_worker, in_process = _parse_all(workers, pages, shares), _parse_all(0, pages)
    assert shares == [len(pages) // workers] * workers  # each page to the least busy worker
    assert [p.extraction for p in in_worker] == [p.extraction for p in in_process]
    assert all(p.extraction.is_digest for p in in_worker)
    assert [p.rejected for p in in_worker] == [p.rejected for p in in_process]


def test_what_the_parser_logs_in_the_worker_is_logged_by_the_crawl(caplog):
    entry = next(e for e in load_expected() if e["site"] == "langson")
    html = _page(entry)
    start = html.index("<body")
    deep = html[:start] + "<div>" * 3000 + html[start:]  # past what libxml2 reads: the parser says so
    with caplog.at_level(logging.INFO, logger="scraper"):
        (parsed,) = _parse_all(1, [("langson", entry["canonical_url"], deep)])
    assert parsed.log, "the worker sent back no log records"
    assert any(r.name == "scraper.pages.html" and "nested deeper" in r.getMessage() for r in caplog.records)


def test_a_crawl_whose_parser_worker_is_killed_goes_on_and_archives_every_digest(portal, tmp_path):
    out = tmp_path / "a"
    env = {**os.environ, "LANGSON_ARCHIVE_FAULT": "kill-parse-worker"}  # SIGKILL on the worker's third page
    done = subprocess.run(
        [sys.executable, "-m", "scraper.cli", "crawl", *base_url_args(portal), "--out", str(out), "--delay", "0",
         "-s", "PARSE_WORKERS=1"],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "page parser's worker process died" in done.stderr
    want = sorted(e["canonical_url"] for e in load_expected())
    assert sorted(r["canonical_url"] for r in export(out)) == want


def test_records_are_the_same_whether_pages_are_parsed_in_a_worker_or_not(portal, tmp_path):
    records = {}
    for workers in ("0", "1"):
        out = tmp_path / workers
        done = subprocess.run(
            [sys.executable, "-m", "scraper.cli", "crawl", *base_url_args(portal), "--out", str(out), "--delay", "0",
             "-s", f"PARSE_WORKERS={workers}"],
            capture_output=True, text=True, timeout=120, cwd=ROOT,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        records[workers] = sorted(({k: v for k, v in r.items() if k not in FETCH_DETAILS} for r in export(out)),
                                  key=lambda r: r["key"])  # fmt: skip
    assert records["0"] == records["1"] and len(records["0"]) == len(load_expected())


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def test_a_crawl_killed_outright_leaves_no_parser_worker_behind(tmp_path):
    write_site(tmp_path / "portal", 400)
    site = mockserver.start(tmp_path / "portal")["langson"]
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "scraper.cli", "crawl", "--source", "langson", "--base-url",
             f"langson={site.url}", "--out", str(tmp_path / "a"), "--delay", "0", "-s", "PARSE_WORKERS=1"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while len(site.requests) < 20:  # article pages are being parsed: the worker is up
            assert proc.poll() is None and time.monotonic() < deadline, "the crawl ended before it was killed"
            time.sleep(0.05)
        workers = _children(proc.pid)
        assert workers, "no worker process found"
        proc.kill()
        proc.wait()
        while any(Path(f"/proc/{pid}").exists() and _state(pid) != "Z" for pid in workers):
            assert time.monotonic() < deadline + 30, f"worker processes outlived the crawl: {workers}"
            time.sleep(0.1)
    finally:
        site.stop()


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_reparse_whose_parser_worker_is_killed_rebuilds_every_digest(crawled, tmp_path):
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(crawled, out)
    for path in (out / "digests").rglob("*.jsonl"):  # every record will be rebuilt and found unchanged
        assert path.stat().st_size
    env = {**os.environ, "LANGSON_ARCHIVE_FAULT": "kill-parse-worker"}  # SIGKILL on the worker's third page
    done = subprocess.run([sys.executable, "-m", "scraper.cli", "reparse", "--out", str(out)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "worker process died" in done.stderr
    assert f"{len(load_expected())} digests" in done.stdout, done.stdout


def test_a_machine_that_cannot_start_a_worker_parses_in_the_calling_process(monkeypatch, caplog):
    import scraper.pages.workers as workers

    def no_processes(*args, **kwargs):
        raise OSError("sem_open is not available")

    def no_socket_pairs(*args, **kwargs):
        raise OSError("socketpair is not permitted")

    monkeypatch.setattr(workers, "ProcessPoolExecutor", no_processes)  # reparse's pool
    monkeypatch.setattr(workers, "socket", SimpleNamespace(socketpair=no_socket_pairs))  # the crawl's channel
    entry = load_expected()[0]
    with caplog.at_level(logging.WARNING):
        (parsed,) = _parse_all(1, [(entry["site"], entry["canonical_url"], _page(entry))])
        pool = workers.ParserPool(1)
        pages = [(0, entry["canonical_url"], _page(entry), PROFILES[entry["site"]], "2026-01-01T00:00:00+00:00")]
        ((tag, again),) = list(pool.parse_in_order(pages))
    assert parsed.extraction.is_digest and again.extraction == parsed.extraction and tag == 0
    assert "cannot start a page parser process (socketpair is not permitted)" in caplog.text
    assert "cannot start a page parser process (sem_open is not available)" in caplog.text


def test_pages_sent_faster_than_the_worker_parses_come_back_in_order_and_an_error_stays_with_its_page():
    """Sixty pages at once fill the socket (the loop sends the rest); a page that fails fails alone."""
    from scraper.pages.workers import ParserChannel

    entries = load_expected()
    pages = [(e["canonical_url"], _page(e), PROFILES[e["site"]]) for e in entries] * (60 // len(entries) + 1)
    broken = 7  # its html is not a string: the parser raises, in the worker as here

    async def run() -> list:
        channel = ParserChannel()
        try:
            calls = [
                channel.parse(url, None if n == broken else html, profile, None, None)  # type: ignore[arg-type]
                for n, (url, html, profile) in enumerate(pages[:60])
            ]
            tasks = [asyncio.ensure_future(call) for call in calls]
            await asyncio.sleep(0)  # every page handed to the channel
            behind = channel.writing  # more than the socket takes: the loop sends the rest as the worker reads
            results = await asyncio.gather(*tasks, return_exceptions=True)
            return [behind, *results]
        finally:
            channel.close()

    behind, *results = asyncio.run(run())
    assert behind
    assert isinstance(results[broken], Exception) and not isinstance(results[broken], asyncio.CancelledError)
    rest = [r for n, r in enumerate(results) if n != broken]
    assert all(r.extraction.is_digest for r in rest)
    assert [r.extraction.record["canonical_url"] for r in rest] == [
        url for n, (url, _, _) in enumerate(pages[:60]) if n != broken
    ]


def test_a_closed_channel_leaves_no_worker_behind():
    from scraper.pages.workers import ParserChannel

    async def run() -> ParserChannel:
        channel = ParserChannel()
        entry = load_expected()[0]
        await channel.parse(entry["canonical_url"], _page(entry), PROFILES[entry["site"]], None, None)
        channel.close()
        return channel

    channel = asyncio.run(run())
    assert not channel.process.is_alive() and channel.process.exitcode == 0


def test_a_profile_arriving_afresh_with_every_page_does_not_pile_up(monkeypatch):
    """In the worker each page brings its profile unpickled, a new object: what is kept per profile stays bounded."""
    import pickle

    import scraper.pages.workers as workers
    from scraper.pages import checks

    monkeypatch.setattr(workers, "_collector", workers._Collect())
    entry = next(e for e in load_expected() if e["site"] == "langson")
    html = _page(entry)
    for _ in range(200):
        profile = pickle.loads(pickle.dumps(PROFILES["langson"]))
        assert workers._parse_in_worker(entry["canonical_url"], html, profile, None).extraction.is_digest
        checks._chrome_of(profile)  # a profile the worker did not keep still may not pile up
    assert len(checks._CHROME) <= checks._CHROME_MAX


def test_a_page_the_worker_never_finishes_fails_alone_and_a_new_worker_parses_the_rest(monkeypatch):
    """A pattern backtracking for ever cannot be interrupted: the worker is killed and replaced."""
    from scraper.pages.workers import ParseTimeout

    entries = [e for e in load_expected()][:5]
    stuck = entries[1]["canonical_url"]
    monkeypatch.setenv("LANGSON_ARCHIVE_FAULT", f"hang-parse-worker:{stuck}")  # read by the spawned worker

    class Stats(dict):
        def inc_value(self, key: str) -> None:
            self[key] = self.get(key, 0) + 1

    stats = Stats()

    async def run() -> list:
        parser = PageParser(1, stats, timeout=1.0)
        try:
            calls = [parser.parse(e["canonical_url"], _page(e), PROFILES[e["site"]], None) for e in entries]
            return await asyncio.wait_for(asyncio.gather(*calls, return_exceptions=True), 60)  # not a hung test
        finally:
            parser.close()

    started = time.monotonic()
    results = asyncio.run(run())
    assert time.monotonic() - started < 30, "the stuck page held the parser up"
    assert isinstance(results[1], ParseTimeout)
    assert [r.extraction.record["canonical_url"] for n, r in enumerate(results) if n != 1] == [
        e["canonical_url"] for n, e in enumerate(entries) if n != 1
    ]
    assert stats == {"parse/worker_restarted": 1}  # a new worker, not parsing in the crawl's process


def test_a_crawl_with_a_page_that_never_parses_archives_the_rest_and_says_which(portal, tmp_path):
    entry = next(e for e in load_expected() if e["site"] == "langson")
    path = entry["canonical_url"].split("/", 3)[3]
    env = {**os.environ, "LANGSON_ARCHIVE_FAULT": f"hang-parse-worker:{path}"}
    done = subprocess.run(
        [sys.executable, "-m", "scraper.cli", "crawl", *base_url_args(portal), "--out", str(tmp_path), "--delay", "0",
         "-s", "PARSE_WORKERS=1", "-s", "PARSE_TIMEOUT=2"],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=env,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr  # partial: one digest could not be read
    assert "Traceback" not in done.stderr
    assert "took longer than 2 s to parse (PARSE_TIMEOUT)" in done.stderr and path in done.stderr
    want = sorted(e["canonical_url"] for e in load_expected())
    assert sorted(r["canonical_url"] for r in export(tmp_path)) == [u for u in want if u != entry["canonical_url"]]
    again = subprocess.run(
        [sys.executable, "-m", "scraper.cli", "crawl", *base_url_args(portal), "--out", str(tmp_path), "--delay", "0"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr  # the page is tried again, and parses
    assert sorted(r["canonical_url"] for r in export(tmp_path)) == want


def test_reparse_gives_up_a_page_that_never_parses_keeps_its_record_and_rebuilds_the_rest(crawled, tmp_path):
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(crawled, out)
    before = {r["key"]: r for r in export(out)}
    entry = next(e for e in load_expected() if e["site"] == "vanphong")
    path = entry["canonical_url"].split("/", 3)[3]
    env = {**os.environ, "LANGSON_ARCHIVE_FAULT": f"hang-parse-worker:{path}"}
    done = subprocess.run([sys.executable, "-m", "scraper.cli", "reparse", "--out", str(out), "--parse-timeout", "2"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "could not parse" in done.stderr and path in done.stderr and "not rebuilt" in done.stderr
    assert f"{len(load_expected()) - 1} digests" in done.stdout and "1 not parsed in time" in done.stdout, done.stdout
    assert {r["key"]: r for r in export(out)} == before  # the stuck page's record too, as it was


def test_the_crawl_and_reparse_share_one_parse_timeout_default():
    """The crawl's PARSE_TIMEOUT setting and reparse's --parse-timeout default are one number."""
    import argparse

    from scraper import settings
    from scraper.cli.commands import reparse

    parser = argparse.ArgumentParser()
    reparse.add_arguments(parser)
    assert settings.PARSE_TIMEOUT == parser.get_default("parse_timeout") > 0
