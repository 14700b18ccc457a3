"""Raw captures and ``reparse``: every response is kept as WARC, and the records are rebuilt from it alone."""

from __future__ import annotations

import io
import json

from warcio.archiveiterator import ArchiveIterator

from scraper.archive import Archive
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


def _article_offsets(warc):
    """(offset, length, url) of each article response record in a capture file."""
    found = []
    with warc.open("rb") as handle:
        records = ArchiveIterator(handle)
        for record in records:
            kind = record.rec_headers.get_header("Langson-Archive-Page-Kind")
            if record.rec_type == "response" and kind == "article":
                url = record.rec_headers.get_header("WARC-Target-URI")
                records.read_to_end()
                found.append((records.get_record_offset(), records.get_record_length(), url))
    return found


def test_a_corrupt_capture_record_is_skipped_never_rebuilt_cut_short_and_the_rest_is_read(portal, tmp_path):
    crawl(portal, tmp_path)
    before = extracted(export(tmp_path))
    (warc,) = list((tmp_path / "captures").rglob("*.warc.gz"))
    articles = _article_offsets(warc)
    offset, length, damaged_url = articles[len(articles) // 2]  # one in the middle of the file
    data = bytearray(warc.read_bytes())
    data[offset + length // 2 : offset + length // 2 + 64] = bytes(64)  # a corrupt block inside its body
    warc.write_bytes(bytes(data))
    done = run_cli("reparse", "--out", str(tmp_path))  # over the archive: nothing may change for the worse
    assert done.returncode == 1, done.stderr
    assert "1 damaged capture records skipped" in done.stdout and not done.stdout.startswith("changed")
    assert all(c.isprintable() or c == "\n" for c in done.stderr)  # no raw bytes of the damage
    assert "Error -3" not in done.stderr and "Traceback" not in done.stderr  # warcio's own noise is not let out
    assert f"a damaged record at byte {offset} skipped" in done.stderr  # where, in one line
    assert extracted(export(tmp_path)) == before
    for part in (tmp_path / "digests").rglob("*.jsonl"):  # rebuilt from the captures alone
        part.unlink()
    done = run_cli("reparse", "--out", str(tmp_path))
    assert done.returncode == 1, done.stderr
    after = extracted(export(tmp_path))
    assert len(after) == len(before) - 1  # every record but the damaged one, read past the damage
    assert all(after[key] == before[key] for key in after)  # none of them cut short
    assert damaged_url not in {r["url"] for r in export(tmp_path)}
