"""A crawl merges its records a batch at a time: every digest archived, the same as one merge."""

from __future__ import annotations

import pytest

from bench.site import write_site
from tests import mockserver
from tests.conftest import export, run_cli

FETCH_DETAILS = ("crawled_at", "first_seen_at")
DIGESTS = 60  # weekly digests: four or five share each month's partition, so batches meet in files


@pytest.fixture
def weekly_site(tmp_path):
    write_site(tmp_path / "portal", DIGESTS)
    site = mockserver.start(tmp_path / "portal")["langson"]
    yield site
    site.stop()


def _crawl(site, out, batch: int):
    # first in, first out: each listing page's articles are fetched (and merged) before the next page
    return run_cli("crawl", "--source", "langson", "--base-url", f"langson={site.url}", "--out", str(out),
                   "--delay", "0", "-s", f"ARCHIVE_BATCH={batch}",
                   "-s", "SCHEDULER_MEMORY_QUEUE=scrapy.squeues.FifoMemoryQueue")  # fmt: skip


def _records(out) -> list[dict]:
    return sorted(({k: v for k, v in r.items() if k not in FETCH_DETAILS} for r in export(out)), key=lambda r: r["key"])


def test_batches_of_two_archive_what_one_merge_archives(weekly_site, tmp_path):
    for name, batch in (("batched", 2), ("whole", 1000)):
        done = _crawl(weekly_site, tmp_path / name, batch)
        assert done.returncode == 0, done.stderr
        # the run's own merged records are not "archived before": the walk is complete, not a gap
        assert "crawl ok (new digests)" in done.stdout, done.stdout + done.stderr
    batched, whole = _records(tmp_path / "batched"), _records(tmp_path / "whole")
    assert len(batched) == DIGESTS
    assert batched == whole  # a partition written by two batches keeps the records of both
    assert len(list((tmp_path / "batched" / "digests").rglob("*.jsonl"))) < DIGESTS // 3


def test_a_rerun_after_batched_merges_fetches_no_article_again(weekly_site, tmp_path):
    out = tmp_path / "a"
    assert _crawl(weekly_site, out, 3).returncode == 0
    before = len(weekly_site.requests)
    done = _crawl(weekly_site, out, 3)
    assert done.returncode == 0, done.stderr
    assert not [p for p in weekly_site.requests[before:] if p.endswith(".html")]
