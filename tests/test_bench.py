"""The benchmarks stay runnable, and the figures they exist for hold at a small size.

The full-size runs are ``make bench``; here the incremental request counts are checked
exactly (they do not depend on the machine) and the other scripts on tiny inputs.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import socket
import subprocess
import sys

from bench.site import write_site
from tests import mockserver
from tests.conftest import ROOT


def run_bench(module: str, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout)  # fmt: skip


def test_synthetic_site_grows_at_the_top_and_keeps_older_urls(tmp_path):
    first = write_site(tmp_path, 25)
    grown = write_site(tmp_path, 26)
    assert set(first) - {"/chi-dao-dieu-hanh-noi-bat?page=3"} <= set(grown)
    assert len([p for p in grown if p.endswith(".html")]) == 26
    newest = (tmp_path / "langson" / "pages" / "listing-1.html").read_text(encoding="utf-8")
    assert "25.html" in newest and "15.html" not in newest  # ten to a page, newest first


def test_crawl_bench_counts_requests_of_first_crawl_and_reruns(tmp_path):
    report = tmp_path / "crawl.json"
    done = run_bench("bench.crawl", "--digests", "25", "--rounds", "2", "--memory-digests", "40", "--json",
                     str(report))  # fmt: skip
    assert done.returncode == 0, done.stderr
    figures = json.loads(report.read_text(encoding="utf-8"))
    for pair in figures["pairs"]:  # the bare spider fetched exactly what the project's crawl fetched
        assert pair["project"]["requests"] == pair["bare"]["requests"] == 1 + 3 + 25  # robots, 3 listings, digests
        assert pair["ratio"] == pair["project"]["seconds"] / pair["bare"]["seconds"]
        variants = pair["variants"]  # the same crawl with parts of it off: they really were off
        assert "25 new" in variants["captures off"]["summary"] and "0 new" in variants["both off"]["summary"]
        assert "0 new" in variants["item pipelines off"]["summary"]
    # nothing new: robots.txt and a 304 for the first listing page; then the new articles and
    # one listing page past them to see that the walk has reached archived digests
    assert [(r["new_digests"], r["requests"]) for r in figures["reruns"]] == [(0, 2), (1, 4), (10, 13)]
    assert [m["digests"] for m in figures["memory"]] == [25, 40]
    rebuilds = figures["reparse_pairs"]  # as many reparse/floor pairs as crawl pairs, the ratio their median
    assert len(rebuilds) == 2 and all(p["ratio"] == p["reparse"] / p["floor"] for p in rebuilds)
    assert figures["reparse_ratio"] == (rebuilds[0]["ratio"] + rebuilds[1]["ratio"]) / 2
    assert "crawl / bare Scrapy" in done.stdout and "reparse / (WARC read + extraction)" in done.stdout
    assert "| both off (CAPTURES_ENABLED=False ITEM_PIPELINES={}) |" in done.stdout
    bad = run_bench("bench.crawl", "--digests", "25", "--memory-digests", "10")
    assert bad.returncode == 2 and "--memory-digests" in bad.stderr and "Traceback" not in bad.stderr


def test_archive_scale_bench_exports_every_record(tmp_path):
    report = tmp_path / "scale.json"
    done = run_bench("bench.archive_scale", "--sizes", "40,80", "--json", str(report))
    assert done.returncode == 0, done.stderr
    figures = json.loads(report.read_text(encoding="utf-8"))
    assert [row["records"] for row in figures["sizes"]] == [40, 80]
    assert all(cmd["peak_rss_mib"] > 5 for row in figures["sizes"] for cmd in row["commands"].values())
    bad = run_bench("bench.archive_scale", "--sizes", "x")
    assert bad.returncode == 2 and "whole numbers" in bad.stderr and "Traceback" not in bad.stderr


def test_extraction_bench_scores_the_fixture_pages(tmp_path):
    report = tmp_path / "extraction.json"
    done = run_bench("bench.extraction", "--rounds", "1", "--mirror", str(tmp_path / "none"), "--json", str(report))
    assert done.returncode == 0, done.stderr
    assert "### fixtures (12 pages)" in done.stdout and "ratio trafilatura / project" in done.stdout
    speed = json.loads(report.read_text(encoding="utf-8"))["speed"]
    floor, body_only, project = (speed["ms_per_page_median"][k] for k in ("lxml parse", "body text only", "project"))
    assert speed["ratio_body_text_only_over_parse_floor"] == body_only / floor
    assert "ratio body text only / lxml parse floor" in done.stdout
    parts = speed["project_parts_ms_median"]
    assert set(parts) >= {"parse", "body", "the record", "of the record: directives", "of the record: citations"}
    assert all(ms > 0 for ms in parts.values()), parts  # every step ran on these digests
    # the same pages with every class, id and microdata attribute removed: the generic strategies alone
    assert "### fixtures, class-less (12 pages)" in done.stdout
    stripped = json.loads(report.read_text(encoding="utf-8"))["sets"]["fixtures, class-less"]["summary"]["project"]
    assert stripped["pages_past_template"] == 12
    assert stripped["text_f1_min"] >= 0.99 and stripped["sections_ok"] == stripped["published_instant_ok"] == 1.0


def test_class_less_copies_keep_text_and_tags_and_lose_every_markup_hook():
    from bench.extraction import Page, classless

    html = (
        '<div class="content-detail" id="x1" itemprop="articleBody" role="main"><p class=\'a\'>Dòng một.</p>'
        '<meta property="og:title" content="Tiêu đề"></div>'
    ).encode()
    stripped = classless(Page("t", "langson", "https://langson.gov.vn/x", html, {})).html
    assert stripped == '<div><p>Dòng một.</p><meta content="Tiêu đề"></div>'.encode()


def test_the_body_text_reference_reads_the_body_and_nothing_else():
    """The reference must read the article's lines (else it would flatter the bound), not the page's chrome."""
    from bench.extraction import Page, _body_text_only

    html = (
        "<html><body><nav><p>Trang chủ</p></nav><div class='content-detail'>"
        "<p>Dòng một của bài.</p><p>Dòng hai của bài.</p></div></body></html>"
    ).encode()
    plain = _body_text_only(Page("t", "langson", "https://langson.gov.vn/x", html, {}))
    expected = json.dumps({"text": "Dòng một của bài.\nDòng hai của bài."}, ensure_ascii=False).encode()
    assert plain == hashlib.sha256(expected).hexdigest()


def test_test_server_answers_keep_alive_requests_without_nagle_delay(tmp_path):
    """Two writes per response met the client's delayed ACK: about 40 ms a request.

    Checked on the server's side of the connection, not with a clock: every request comes in
    over one kept-alive connection, and that connection's socket has Nagle's algorithm off.
    """
    routes = write_site(tmp_path, 5)
    site = mockserver.start(tmp_path)["langson"]
    connections = []  # TCP_NODELAY of each connection the server accepted

    class Recording(site.server.RequestHandlerClass):
        def setup(self):
            super().setup()
            connections.append(self.connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    site.server.RequestHandlerClass = Recording
    articles = [p for p in routes if p.endswith(".html")] * 6
    try:
        host, port = site.server.server_address[:2]
        connection = http.client.HTTPConnection(host, port)
        for path in articles:
            connection.request("GET", path)
            response = connection.getresponse()
            assert response.status == 200 and response.read()
        connection.close()
    finally:
        site.stop()
    assert site.requests == articles  # 30 requests, every one answered
    assert len(connections) == 1, connections  # all on one keep-alive connection ...
    assert connections[0] != 0  # ... with Nagle's algorithm off
