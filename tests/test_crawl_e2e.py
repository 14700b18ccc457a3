"""A real crawl over loopback against the fixture portal, counting every request."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from collections import Counter

from scraper import SCHEMA_VERSION
from tests.conftest import GOLDEN_FIELDS, ROOT, as_published, crawl_portal, export, load_expected

FIELDS = GOLDEN_FIELDS
crawl = crawl_portal


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def all_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from all_strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from all_strings(item)


def test_full_crawl_archives_every_digest_and_nothing_else(portal, tmp_path):
    expected = {(e["site"], e["path"]): e for e in load_expected()}
    done = crawl(portal, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Deprecat" not in done.stderr  # Scrapy API drift shows up here first
    assert "crawl ok" in done.stdout and f"{len(expected)} new" in done.stdout

    records = export(tmp_path)
    by_path = {}
    for record in records:
        site = "langson" if record["source"] == "langson.gov.vn" else "vanphong"
        by_path[(site, path_of(record["url"]))] = record
    assert set(by_path) == set(expected)
    for key, want in expected.items():
        got = by_path[key]
        for name in FIELDS:
            assert as_published(name, got[name]) == want[name], f"{key} {name}"
        for needle in want["must_contain"]:
            assert needle in got["text"], f"{key} lacks {needle!r}"
        for needle in want["must_not_contain"]:
            assert needle not in got["text"], f"{key} has {needle!r}"
        assert all(unicodedata.is_normalized("NFC", s) for s in all_strings(got))
        assert not any(c in s for s in all_strings(got) for c in "\u00a0\u200b\ufeff")

    # every article page fetched once, every listing page once, robots.txt once per host
    for site in portal.values():
        counts = Counter(site.requests)
        assert counts["/robots.txt"] == 1
        assert max(counts.values()) == 1, counts.most_common(3)
        articles = {p for (s, p) in expected if s == site.name}
        assert articles <= set(counts)


def test_rerun_fetches_only_the_first_listing_page(portal, tmp_path):
    assert crawl(portal, tmp_path).returncode == 0
    archived = sorted(r["key"] for r in export(tmp_path))
    files = {p: p.read_bytes() for p in tmp_path.rglob("*.jsonl")}
    for site in portal.values():
        site.requests.clear()

    done = crawl(portal, tmp_path)
    assert done.returncode == 0, done.stderr
    assert " 0 new, 0 updated" in done.stdout
    assert sorted(r["key"] for r in export(tmp_path)) == archived
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.jsonl")} == files  # untouched
    requests = [r for site in portal.values() for r in site.requests]
    assert len(requests) == 4, requests  # robots.txt + first listing page, per site


def test_date_range_crawl_keeps_only_overlapping_weeks(portal, tmp_path):
    expected = load_expected()
    weeks = sorted((e["week_start"], e["week_end"]) for e in expected if e["week_start"])
    lo, hi = weeks[1][0], weeks[-2][1]

    def in_range(e):  # a digest with no readable week is placed by its publication day
        start, end = e["week_start"] or e["published_at"][:10], e["week_end"] or e["published_at"][:10]
        return end >= lo and start <= hi

    want = {e["canonical_url"] for e in expected if in_range(e)}
    assert 0 < len(want) < len(expected)
    done = crawl(portal, tmp_path, "--from", lo, "--to", hi)
    assert done.returncode == 0, done.stderr
    got = {r["canonical_url"] for r in export(tmp_path)}
    assert got == want
    # export filters the same way on an archive holding everything
    assert {r["canonical_url"] for r in export(tmp_path, "--from", lo, "--to", hi)} == want


def test_export_filters_by_source(portal, tmp_path):
    assert crawl(portal, tmp_path).returncode == 0
    only = export(tmp_path, "--source", "vanphong")
    assert only and {r["source"] for r in only} == {"vanphong.langson.gov.vn"}


def test_scrapy_crawl_works_too(portal, tmp_path):
    bases = ",".join(f"{site.name}={site.url}" for site in portal.values())
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "digests", "-a", f"base_urls={bases}",
         "-s", f"ARCHIVE_DIR={tmp_path}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
         "-s", "LOG_LEVEL=WARNING"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(export(tmp_path)) == len(load_expected())
    assert all(json.loads(json.dumps(r))["schema_version"] == SCHEMA_VERSION for r in export(tmp_path))
