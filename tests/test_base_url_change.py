"""The mirror (or test server) moves between runs: nothing of its host stays in the archive."""

from __future__ import annotations

import json

from tests import mockserver
from tests.conftest import PORTAL, crawl_portal, export, load_expected, pending_paths, run_cli


def _hosts_in(record: dict) -> set[str]:
    blob = json.dumps({k: v for k, v in record.items() if k != "url"}, ensure_ascii=False)
    return {host for host in ("127.0.0.1", "localhost") if host in blob}


def test_rerun_from_another_port_finds_every_digest_unchanged(tmp_path):
    first = mockserver.start(PORTAL)
    try:
        assert crawl_portal(first, tmp_path).returncode == 0
    finally:
        for site in first.values():
            site.stop()
    before = {r["key"]: r for r in export(tmp_path)}
    assert before and not [k for k, r in before.items() if _hosts_in(r)]  # only `url` names the mirror
    moved = mockserver.start(PORTAL)  # new ports
    try:
        done = crawl_portal(moved, tmp_path, "--from", "2000-01-01", "--to", "2100-01-01")
    finally:
        for site in moved.values():
            site.stop()
    assert done.returncode == 0, done.stderr
    assert "0 new, 0 updated" in done.stdout
    after = {r["key"]: r for r in export(tmp_path)}
    assert {k: r["revision"] for k, r in after.items()} == {k: r["revision"] for k, r in before.items()}


def test_an_article_that_failed_is_fetched_from_the_mirror_at_its_new_port(tmp_path):
    want = next(e for e in load_expected() if e["site"] == "vanphong" and e["week_start"])
    first = mockserver.start(PORTAL)
    try:
        first["vanphong"].routes[want["path"]] = {"status": 500}  # fails through every retry
        done = crawl_portal(first, tmp_path, "--source", "vanphong")
    finally:
        for site in first.values():
            site.stop()
    assert done.returncode == 3, done.stderr  # partial: kept pending
    assert "langson-archive: warning: partial failure" in done.stderr  # cron mails stderr
    assert pending_paths(tmp_path) == {"vanphong": [want["path"]]}  # by path: no host, no port
    assert "127.0.0.1" not in (tmp_path / "state" / "pending.json").read_text(encoding="utf-8")
    status = run_cli("status", "--out", str(tmp_path))
    assert want["path"] in status.stdout
    moved = mockserver.start(PORTAL)  # the mirror moved; the page is back
    try:
        done = crawl_portal(moved, tmp_path, "--source", "vanphong")
        fetched = list(moved["vanphong"].requests)
    finally:
        for site in moved.values():
            site.stop()
    assert done.returncode == 0, done.stderr
    assert want["path"] in fetched
    assert want["canonical_url"] in {r["canonical_url"] for r in export(tmp_path)}
    assert (
        not (tmp_path / "state" / "pending.json").exists()
        or json.loads((tmp_path / "state" / "pending.json").read_text(encoding="utf-8")) == {}
    )
