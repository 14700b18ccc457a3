"""kill -9 in the middle of a crawl: the archive stays valid and the next run completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from tests.conftest import ROOT, base_url_args, crawl_portal, export, load_expected, run_cli, wait_for


# kill when the server has seen: the first listing page, 2 article requests, 6 article requests
@pytest.mark.parametrize("articles_seen", [0, 2, 6])
def test_kill_9_mid_crawl_loses_nothing_and_next_run_completes(portal, tmp_path, articles_seen):
    assert crawl_portal(portal, tmp_path, "--source", "vanphong").returncode == 0
    before = {r["key"]: r for r in export(tmp_path)}
    for path, route in list(portal["langson"].routes.items()):
        if "file" in route and path.endswith(".html"):
            portal["langson"].routes[path] = {**route, "content_type": "text/html; charset=utf-8", "sleep": 0.5}

    args = ["crawl", *base_url_args(portal), "--out", str(tmp_path), "--delay", "0"]
    proc = subprocess.Popen([sys.executable, "-m", "scraper.cli", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    site = portal["langson"]
    wait_for(lambda: sum(p.endswith(".html") for p in site.requests) >= articles_seen and site.requests)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL  # it really was killed mid-way, not finished

    after = {r["key"]: r for r in export(tmp_path)}  # every file still parses
    assert set(before) <= set(after)
    assert all(after[k]["content_hash"] == before[k]["content_hash"] for k in before)
    assert run_cli("validate", "--out", str(tmp_path)).returncode == 0
    assert not list((tmp_path / "digests").rglob(".*.tmp"))

    done = crawl_portal(portal, tmp_path)  # the lock died with the killed process
    assert done.returncode == 0, done.stderr
    assert len(export(tmp_path)) == len(load_expected())
    reparse = run_cli("reparse", "--out", str(tmp_path))  # a capture file cut by the kill is still readable
    assert reparse.returncode == 0, reparse.stderr
