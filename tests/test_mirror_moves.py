"""The mirror (or test server) moves between runs: nothing of its host stays in the archive."""

from __future__ import annotations

import json

from scraper import devserver
from tests.conftest import PORTAL, crawl_portal, export


def _hosts_in(record: dict) -> set[str]:
    blob = json.dumps({k: v for k, v in record.items() if k != "url"}, ensure_ascii=False)
    return {host for host in ("127.0.0.1", "localhost") if host in blob}


def test_rerun_from_another_port_finds_every_digest_unchanged(tmp_path):
    first = devserver.start(PORTAL)
    try:
        assert crawl_portal(first, tmp_path).returncode == 0
    finally:
        for site in first.values():
            site.stop()
    before = {r["key"]: r for r in export(tmp_path)}
    assert before and not [k for k, r in before.items() if _hosts_in(r)]  # only `url` names the mirror
    moved = devserver.start(PORTAL)  # new ports
    try:
        done = crawl_portal(moved, tmp_path, "--from", "2000-01-01", "--to", "2100-01-01")
    finally:
        for site in moved.values():
            site.stop()
    assert done.returncode == 0, done.stderr
    assert "0 new, 0 updated" in done.stdout
    after = {r["key"]: r for r in export(tmp_path)}
    assert {k: r["revision"] for k, r in after.items()} == {k: r["revision"] for k, r in before.items()}
