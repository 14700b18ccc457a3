"""Exports: the same week on both portals is linked and exported once; CSV by digest or by section."""

from __future__ import annotations

import csv
import io
import json

from scraper.archive import Archive
from scraper.archive.exports import one_per_week
from tests.conftest import crawl_portal, load_expected, run_cli


def record(key, source, week=("2024-03-04", "2024-03-10"), published="2024-03-11T09:00:00+07:00"):
    return {"key": key, "source": source, "canonical_url": f"https://{source}/{key}", "week_start": week[0],
            "week_end": week[1], "digest_key": f"{week[0]}/{week[1]}", "published_at": published,
            "content_hash": key, "also_published_at": [], "sections": [], "documents": []}  # fmt: skip


def test_same_week_on_both_portals_is_linked_and_exported_once(tmp_path):
    store = Archive(tmp_path)
    store.merge([record("vanphong:1", "vanphong.langson.gov.vn"), record("langson:x", "langson.gov.vn"),
                 record("vanphong:2", "vanphong.langson.gov.vn", ("2023-01-02", "2023-01-08"))])  # fmt: skip
    by_key = {r["key"]: r for r in store.iter_records()}
    assert by_key["vanphong:1"]["also_published_at"] == ["https://langson.gov.vn/langson:x"]
    assert by_key["langson:x"]["also_published_at"] == ["https://vanphong.langson.gov.vn/vanphong:1"]
    assert by_key["vanphong:2"]["also_published_at"] == []

    kept = one_per_week(sorted(by_key.values(), key=lambda r: r["key"]))
    assert sorted(r["key"] for r in kept) == ["langson:x", "vanphong:2"]
    done = run_cli("export", "--out", str(tmp_path), "--one-per-week")
    assert sorted(json.loads(line)["key"] for line in done.stdout.splitlines()) == ["langson:x", "vanphong:2"]


def test_csv_export_one_row_per_digest_or_per_section(portal, tmp_path):
    assert crawl_portal(portal, tmp_path).returncode == 0
    expected = load_expected()
    done = run_cli("export", "--out", str(tmp_path), "--format", "csv")
    assert done.returncode == 0 and done.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(done.stdout.lstrip("\ufeff"))))
    assert len(rows) == len(expected)
    assert {r["title"] for r in rows} == {e["title"] for e in expected}
    done = run_cli("export", "--out", str(tmp_path), "--format", "csv", "--sections")
    rows = list(csv.DictReader(io.StringIO(done.stdout.lstrip("\ufeff"))))
    assert len(rows) == sum(len(e["sections"]) for e in expected)
    assert {r["heading"] for r in rows} == {s["heading"] for e in expected for s in e["sections"]}
