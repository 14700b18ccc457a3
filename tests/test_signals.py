"""Stopping a crawl — Ctrl-C, a systemd stop, a listing page that fails — never leaves a gap.

Each test runs the real command line against the loopback portal and, after the stop,
ordinary scheduled runs; every digest must end up archived exactly once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT, base_url_args, crawl_portal, export, load_expected, run_cli, wait_for


def _slow_articles(portal, seconds: float = 0.4) -> None:
    for site in portal.values():
        for path, route in list(site.routes.items()):
            if "file" in route and ("/node/" in path or path.endswith(".html")):
                site.routes[path] = {**route, "content_type": "text/html; charset=utf-8", "sleep": seconds}


def _start(portal, out) -> subprocess.Popen:
    args = ["crawl", *base_url_args(portal), "--out", str(out), "--delay", "0"]
    return subprocess.Popen([sys.executable, "-m", "scraper.cli", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


def _wait_for_articles(portal, count: int) -> None:
    wait_for(
        lambda: sum(1 for s in portal.values() for p in s.requests if "/node/" in p or p.endswith(".html")) >= count
    )


def _captured_digests(out) -> set[str]:
    """The fixture digests whose response the crawl has already written to its capture file, by path."""
    from scraper.archive.captures import iter_captures

    digests = {e["path"] for e in load_expected()}
    return {urlsplit(c.url).path for c in iter_captures(out, decode=False)} & digests


def _wait_for_a_capture(out) -> set[str]:
    """Until a digest's response is in the run's capture file; which ones are.

    A request the server has seen is not yet fetched: its response may still be on its way to
    the capture when a second signal stops the crawl at once (README, "What happens when…"),
    and on a busy machine every response can be. A fetch counts once it reached the capture.
    """
    wait_for(lambda: _captured_digests(out), what="the crawl never captured a digest")
    return _captured_digests(out)


def _last_run(out) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["last_run"]


def _complete_afterwards(portal, out) -> None:
    """Two ordinary runs later, every digest is archived exactly once, the archive validates and
    nothing is left pending (articles rebuilt from the captures are not owed any more)."""
    for site in portal.values():
        for route in site.routes.values():
            route.pop("sleep", None)
    for _ in range(2):
        done = crawl_portal(portal, out)
        assert done.returncode == 0, done.stderr
    records = export(out)
    assert sorted(r["canonical_url"] for r in records) == sorted(e["canonical_url"] for e in load_expected())
    assert run_cli("validate", "--out", str(out)).returncode == 0
    status = run_cli("status", "--out", str(out), "--json")
    assert json.loads(status.stdout)["pending"] == {}, status.stdout


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_gracefully_archives_what_was_fetched_and_the_next_runs_fill_the_gap(
    portal, tmp_path, sig, code
):
    _slow_articles(portal)
    proc = _start(portal, tmp_path)
    _wait_for_articles(portal, 3)
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    assert "ERROR" not in stderr and "Traceback" not in stderr  # unfetched pages are not failures
    assert "interrupted" in stdout.strip().splitlines()[-1]
    report = _last_run(tmp_path)
    assert report["outcome"] == "interrupted" and report["errors"] == 0
    archived = export(tmp_path)
    assert 0 < len(archived) < len(load_expected())  # what was fetched is kept, and the run was cut short
    _complete_afterwards(portal, tmp_path)


@pytest.mark.parametrize(
    ("article_seconds", "articles_before", "between_signals"),
    [
        pytest.param(1.0, 4, 0.2, id="slow-pages"),
        # faster than the capture batches' 0.25 s and than the parser's results: the crawl hangs
        # up on its parser worker with results unread, and the worker must go quietly
        pytest.param(0.1, 6, 0.05, id="fast-pages"),
    ],
)
def test_a_second_signal_stops_at_once_and_nothing_fetched_is_lost(
    portal, tmp_path, article_seconds, articles_before, between_signals
):
    _slow_articles(portal, article_seconds)
    proc = _start(portal, tmp_path)
    _wait_for_articles(portal, articles_before)
    captured = _wait_for_a_capture(tmp_path)
    proc.send_signal(signal.SIGINT)
    time.sleep(between_signals)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    assert not list((tmp_path / "captures").rglob("*.open"))  # the run's captures were recovered and closed
    rebuilt = {urlsplit(r["url"]).path for r in export(tmp_path)}
    assert captured <= rebuilt, f"fetched but not rebuilt from the captures: {captured - rebuilt}; {stderr}"
    _complete_afterwards(portal, tmp_path)


def test_a_listing_page_that_fails_once_is_walked_by_the_next_run(portal, tmp_path):
    site = portal["langson"]
    page2 = "/chi-dao-dieu-hanh-noi-bat?page=2"
    original = site.routes[page2]
    site.routes[page2] = {"status": 503}
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 3, done.stderr  # partial
    walks = json.loads((tmp_path / "state" / "walks.json").read_text(encoding="utf-8"))
    assert walks["langson"][0]["next_page"] == page2
    site.routes[page2] = original  # the server is back
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 0, done.stderr
    langson = {e["canonical_url"] for e in load_expected() if e["site"] == "langson"}
    assert langson <= {r["canonical_url"] for r in export(tmp_path)}
    assert not (tmp_path / "state" / "walks.json").exists() or "langson" not in json.loads(
        (tmp_path / "state" / "walks.json").read_text(encoding="utf-8")
    )


def test_kill_9_then_the_next_run_recovers_the_captures_and_completes_the_walk(portal, tmp_path):
    _slow_articles(portal, 0.3)
    proc = _start(portal, tmp_path)
    _wait_for_articles(portal, 5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert list((tmp_path / "captures").rglob("*.open"))  # the killed run's pages are only there
    for site in portal.values():
        for route in site.routes.values():
            route.pop("sleep", None)
    done = crawl_portal(portal, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "recovered an interrupted run's captures" in done.stderr
    assert sorted(r["canonical_url"] for r in export(tmp_path)) == sorted(e["canonical_url"] for e in load_expected())
    assert not list((tmp_path / "captures").rglob("*.open"))


def test_kill_9_after_a_walk_went_on_leaves_its_resume_point_that_far(portal, tmp_path):
    """The resume point is written before each next listing page is read, however soon after the last.

    Here langson's walk writes one first; vanphong's first page, a little slower, is read just after,
    its digests archived, and the crawl is killed with the second page's articles in flight. A resume
    point left at vanphong's first page would send the next run's walk there, where every digest is
    archived, and it would stop short of the second page.
    """
    vanphong = portal["vanphong"]
    vanphong.routes["/vi/chi-dao-dieu-hanh"] = {**vanphong.routes["/vi/chi-dao-dieu-hanh"], "sleep": 0.5}
    second_page = {"/vi/node/45377", "/vi/node/44810"}  # the digests the second listing page links to
    for path in second_page:
        vanphong.routes[path] = {**vanphong.routes[path], "content_type": "text/html; charset=utf-8", "sleep": 60}
    first_page = {e["path"] for e in load_expected() if e["site"] == "vanphong"} - second_page
    proc = _start(portal, tmp_path)
    wait_for(lambda: second_page & set(vanphong.requests) and first_page <= _captured_digests(tmp_path))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    _complete_afterwards(portal, tmp_path)
