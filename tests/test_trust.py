"""Issue #3: raw captures, offline re-extraction, manifest, linking across portals, CSV."""

from __future__ import annotations

import csv
import hashlib
import io
import json

from warcio.archiveiterator import ArchiveIterator

from scraper.archive import Archive
from scraper.archive.exports import one_per_week
from tests.conftest import crawl_portal, export, load_expected, run_cli

BOOKKEEPING = {"url", "crawled_at", "first_seen_at", "revision", "previous_content_hash"}


def crawl(portal, out, *extra):
    done = crawl_portal(portal, out, *extra)
    assert done.returncode == 0, done.stderr
    return done


def extracted(records):
    return {r["key"]: {k: v for k, v in r.items() if k not in BOOKKEEPING} for r in records}


def test_every_response_is_captured_as_warc_with_headers(portal, tmp_path):
    crawl(portal, tmp_path)
    (warc,) = list((tmp_path / "captures").rglob("*.warc.gz"))
    responses, requests = {}, {}
    with warc.open("rb") as handle:
        for record in ArchiveIterator(handle):
            uri = record.rec_headers.get_header("WARC-Target-URI")
            if record.rec_type == "response":
                responses[uri] = record.http_headers.get_header("Content-Type")
                assert record.content_stream().read()
            elif record.rec_type == "request":
                requests[uri] = record.http_headers.get_header("User-Agent")
    fetched = {f"{site.url}{path}" for site in portal.values() for path in site.requests}
    assert set(responses) == fetched == set(requests)
    assert all(ua and "langson-archive" in ua for ua in requests.values())
    assert any("text/html" in (ctype or "") for ctype in responses.values())


def test_reparse_rebuilds_records_from_captures_only(portal, tmp_path):
    crawl(portal, tmp_path)
    before = extracted(export(tmp_path))
    for site in portal.values():  # from here on the sites are gone: reparse must not need them
        site.stop()

    # Simulate records written by an older, worse extractor, and a lost partition.
    parts = sorted((tmp_path / "digests").rglob("*.jsonl"))
    damaged = json.loads(parts[0].read_text(encoding="utf-8"))
    damaged["documents"], damaged["sections"] = [], damaged["sections"][:1]
    parts[0].write_text(json.dumps(damaged, ensure_ascii=False) + "\n", encoding="utf-8")
    lost = json.loads(parts[1].read_text(encoding="utf-8"))["key"]
    parts[1].unlink()
    untouched = {p: p.stat().st_mtime_ns for p in parts[2:]}

    done = run_cli("reparse", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert f"changed {damaged['key']}" in done.stdout
    assert f"added {lost}" in done.stdout
    assert "1 added, 1 changed" in done.stdout
    assert extracted(export(tmp_path)) == before
    assert {p: p.stat().st_mtime_ns for p in parts[2:]} == untouched  # only touched partitions rewritten


def test_manifest_lists_each_file_with_count_and_sha256(portal, tmp_path):
    crawl(portal, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    files = {f["path"]: f for f in manifest["files"]}
    on_disk = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "digests").rglob("*.jsonl"))
    assert sorted(files) == on_disk
    for rel, entry in files.items():
        data = (tmp_path / rel).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["records"] == data.count(b"\n")
    assert manifest["records"] == len(load_expected())
    assert [c["path"].endswith(".warc.gz") for c in manifest["captures"]] == [True]
    assert manifest["last_run"]["new"] == len(load_expected()) and manifest["last_run"]["errors"] == 0


def test_range_rerun_rewrites_only_the_partitions_it_touches(portal, tmp_path):
    crawl(portal, tmp_path)
    records = {r["key"]: r for r in export(tmp_path)}
    dated = sorted((r for r in records.values() if r["week_start"]), key=lambda r: r["week_start"])
    inside, outside = dated[-1], dated[0]
    # both look as if an older extractor had written them
    for record in (inside, outside):
        part = next(p for p in (tmp_path / "digests").rglob("*.jsonl") if record["key"] in p.read_text("utf-8"))
        stale = {**record, "documents": []}
        part.write_text(json.dumps(stale, ensure_ascii=False) + "\n", encoding="utf-8")
    mtimes = {p: p.stat().st_mtime_ns for p in (tmp_path / "digests").rglob("*.jsonl")}

    done = crawl(portal, tmp_path, "--from", inside["week_start"], "--to", inside["week_end"])
    assert "1 updated" in done.stdout
    after = {r["key"]: r for r in export(tmp_path)}
    assert after[inside["key"]]["documents"] == inside["documents"]
    assert after[outside["key"]]["documents"] == []  # outside the range: left alone
    changed = [p for p in mtimes if p.stat().st_mtime_ns != mtimes[p]]
    assert [p.name for p in changed] == [f"{inside['week_start'][:7]}.jsonl"]


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
    crawl(portal, tmp_path)
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


def test_crawled_archive_validates_against_the_published_schema(portal, tmp_path):
    crawl(portal, tmp_path)
    done = run_cli("validate", "--out", str(tmp_path))
    assert done.returncode == 0 and f"{len(load_expected())}/{len(load_expected())} records valid" in done.stdout


def write_warc(path, captures):
    """A WARC file of (url, date, html) responses, as the capture middleware writes them."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, date, html in captures:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], "HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode("utf-8")),
                                               http_headers=headers, warc_headers_dict={"WARC-Date": date})  # fmt: skip
            writer.write_record(record)


def test_reparse_uses_the_newest_capture_of_each_page_whatever_the_file_order(tmp_path):
    from scraper.records.reparse import reparse
    from tests.conftest import PORTAL

    gold = next(e for e in load_expected() if e["site"] == "langson")
    routes = json.loads((PORTAL / "langson" / "routes.json").read_text(encoding="utf-8"))
    page = (PORTAL / "langson" / "pages" / routes[gold["path"]]["file"]).read_text(encoding="utf-8")
    phrase = gold["must_contain"][0]
    assert page.count(phrase) == 1
    edited = page.replace(phrase, "một câu đã được sửa lại")
    url = "https://langson.gov.vn" + gold["path"]
    # the later run's file holds the older capture: the capture date decides, not the file name
    write_warc(tmp_path / "captures/2025/20250101T000000Z-1.warc.gz", [(url, "2024-03-20T00:00:00Z", edited)])
    write_warc(tmp_path / "captures/2025/20250201T000000Z-2.warc.gz", [(url, "2024-03-10T00:00:00Z", page)])

    report = reparse(tmp_path)
    assert (report.captures, report.digests) == (2, 1)
    (record,) = Archive(tmp_path).iter_records()
    assert "một câu đã được sửa lại" in record["text"] and phrase not in record["text"]
    assert record["crawled_at"] == "2024-03-20T00:00:00+00:00"
