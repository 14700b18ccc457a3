"""What the server says about itself is honoured: robots.txt answering 5xx, Retry-After."""

from __future__ import annotations

import re

from tests.conftest import crawl_portal, load_expected, pending_paths


def test_robots_txt_answering_503_disallows_everything_for_the_run(portal, tmp_path):
    portal["vanphong"].routes["/robots.txt"] = {"status": 503}
    done = crawl_portal(portal, tmp_path, "--source", "vanphong")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert "robots.txt" in last and "RFC 9309" in last, last
    assert set(portal["vanphong"].requests) == {"/robots.txt"}  # nothing else was requested


def test_retry_after_is_honoured_within_the_cap(portal, tmp_path):
    victim = next(e for e in load_expected() if e["site"] == "vanphong")
    portal["vanphong"].routes[victim["path"]] = {"status": 503, "headers": {"Retry-After": "2"}}
    done = crawl_portal(portal, tmp_path, "--source", "vanphong", "--log-level", "INFO")
    assert done.returncode == 3, done.stderr  # still failing after the retries: reported, pending
    waited = re.search(r"'retry/backoff_seconds': ([0-9.]+)", done.stderr)
    assert waited and float(waited.group(1)) >= 3 * 2.0  # three retries, each after the 2 s asked for
    assert portal["vanphong"].requests.count(victim["path"]) == 4


def test_a_gzip_bomb_is_refused_reported_kept_pending_and_never_inflated_by_reparse(portal, tmp_path):

    from tests.conftest import run_cli

    victim = next(e for e in load_expected() if e["site"] == "vanphong")
    portal["vanphong"].routes[victim["path"]] = {"gzip_bomb": 64 * 1024 * 1024}  # 64 MiB of zeros, 64 KiB sent
    done = crawl_portal(portal, tmp_path, "--source", "vanphong")
    assert done.returncode == 3, done.stderr  # an error, not a policy skip
    assert "Traceback" not in done.stderr
    assert pending_paths(tmp_path) == {"vanphong": [victim["path"]]}
    reparse = run_cli("reparse", "--out", str(tmp_path))  # the capture holds the bomb as sent
    assert reparse.returncode == 0 and "Traceback" not in reparse.stderr, reparse.stderr
    assert "inflates past" in reparse.stderr  # read up to the cap, not inflated whole


def test_a_crawl_delay_robots_txt_asks_for_is_kept_between_requests(portal, tmp_path):
    """Crawl-delay is honoured per host even with --delay 0 (and AutoThrottle adjusting the slot)."""
    site = portal["vanphong"]
    site.routes["/robots.txt"] = {"text": "User-agent: *\nCrawl-delay: 0.6\nDisallow: /admin/\n"}
    done = crawl_portal(portal, tmp_path, "--source", "vanphong", "--delay", "0", "--log-level", "INFO")
    assert done.returncode == 0, done.stderr
    after_robots = site.arrivals[1:]
    gaps = [b - a for a, b in zip(after_robots, after_robots[1:], strict=False)]
    assert len(gaps) >= 4 and min(gaps) >= 0.6 * 0.5 - 0.02, gaps  # the delay, less its ±50 % jitter
    assert "asks for 0.6 s between requests: honoured" in done.stderr


def test_a_crawl_delay_past_the_cap_is_capped_with_a_warning(portal, tmp_path):
    site = portal["vanphong"]
    site.routes["/robots.txt"] = {"text": "User-agent: *\nCrawl-delay: 86400\n"}
    done = crawl_portal(portal, tmp_path, "--source", "vanphong", "--delay", "0", "-s", "ROBOTS_MAX_CRAWL_DELAY=0.2")
    assert done.returncode == 0, done.stderr
    assert "asks for 86400 s between requests: 0.2 s are kept (ROBOTS_MAX_CRAWL_DELAY)" in done.stderr
