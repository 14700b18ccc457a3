"""export --format wacz: the raw captures as a WACZ file that py-wacz's validator accepts."""

from __future__ import annotations

import json
import zipfile

import pytest

from tests.conftest import export, run_cli

wacz_main = pytest.importorskip("wacz.main", reason="py-wacz is a dev dependency (pip install -e '.[dev]')")


def test_the_wacz_validates_and_lists_every_digest_as_a_page(crawled, tmp_path):
    target = tmp_path / "digests.wacz"
    done = run_cli("export", "--out", str(crawled), "--format", "wacz", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # the library's progress goes to stderr
    assert wacz_main.main(["validate", "-f", str(target)]) == 0
    with zipfile.ZipFile(target) as packed:
        names = packed.namelist()
        pages = [json.loads(line) for line in packed.read("pages/pages.jsonl").decode("utf-8").splitlines()]
    captures = sorted(p.name for p in (crawled / "captures").rglob("*.warc.gz"))
    assert sorted(n.rsplit("/", 1)[-1] for n in names if n.startswith("archive/")) == captures
    assert pages[0]["format"] == "json-pages-1.0"
    assert {p["url"] for p in pages[1:]} == {r["url"] for r in export(crawled)}
    assert all(p["ts"].endswith("Z") and p["title"] for p in pages[1:])


def test_wacz_needs_a_file_and_captures(crawled, tmp_path):
    assert run_cli("export", "--out", str(crawled), "--format", "wacz").returncode == 2
    empty = tmp_path / "empty"
    (empty / "digests").mkdir(parents=True)
    done = run_cli("export", "--out", str(empty), "--format", "wacz", "-o", str(tmp_path / "x.wacz"))
    assert done.returncode == 1 and "no capture files" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not (tmp_path / "x.wacz").exists()


def test_a_page_is_listed_at_its_captures_time_not_its_records():
    """The record is made after the response came in (a second later at times); a replay finds a page
    only at its capture's exact WARC-Date."""
    from scraper.archive.wacz import pages_list

    url = "http://127.0.0.1:8000/bai.html"
    records = [{"url": url, "crawled_at": "2026-12-07T18:33:45+00:00", "title": "Tuần"},
               {"url": url + "?x", "crawled_at": "2026-12-07T18:40:00+00:00", "title": "Khác"}]  # fmt: skip
    captured = {url: ["2026-11-30T09:00:00.5Z", "2026-12-07T18:33:44.998707Z"]}  # last week's, then this run's
    assert pages_list(records, captured) == [
        {"url": url, "ts": "2026-12-07T18:33:44Z", "title": "Tuần"},
        {"url": url + "?x", "ts": "2026-12-07T18:40:00Z", "title": "Khác"},  # no capture: the record's time
    ]
