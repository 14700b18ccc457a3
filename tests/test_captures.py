"""The crawl's WARC files: records warcio reads back with their digests checked, pairs linked."""

from __future__ import annotations

import gzip
import sys

import pytest
from warcio.archiveiterator import ArchiveIterator

from scraper.crawl import capture
from tests.conftest import load_expected


def test_every_capture_has_correct_digests_and_each_request_names_its_response(crawled):
    (warc,) = sorted((crawled / "captures").rglob("*.warc.gz"))
    responses: dict[str, str] = {}
    requests: list[tuple[str, str]] = []
    with warc.open("rb") as handle:
        records = ArchiveIterator(handle, check_digests="raise")  # a wrong digest raises
        for record in records:
            record.content_stream().read()  # digests are checked as the record is read through
            headers = record.rec_headers
            uri = headers.get_header("WARC-Target-URI")
            if record.rec_type == "response":
                responses[headers.get_header("WARC-Record-ID")] = uri
                assert headers.get_header("WARC-Date").endswith("Z")
                assert record.http_headers.get_statuscode()
            elif record.rec_type == "request":
                requests.append((uri, headers.get_header("WARC-Concurrent-To")))
                assert record.http_headers.protocol.split()[0] in ("GET", "HEAD")
    assert requests and len(requests) == len(responses)
    assert all(responses.get(concurrent) == uri for uri, concurrent in requests)
    fetched = set(responses.values())
    assert all(any(url.endswith(e["path"]) for url in fetched) for e in load_expected())


@pytest.mark.parametrize("backend", ["isal", "zlib"])
def test_each_gzip_backend_writes_members_warcio_reads_with_digests(tmp_path, backend, monkeypatch):
    if backend == "zlib":
        monkeypatch.setitem(sys.modules, "isal", None)  # as on a machine without python-isal
    chosen = capture.gzip_backend()
    assert chosen.name == backend
    path = tmp_path / "run.warc.gz"
    body = "<html><body><p>Tuần này: Sở Tài chính chủ trì.</p></body></html>".encode() * 40
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    with path.open("ab") as handle:
        writer = capture.CaptureWriter(handle, chosen)
        writer.start()
        writer.put(
            "https://example.test/a",
            capture.PendingRecord("response", "https://example.test/a", "<urn:uuid:1>", "2026-11-30T00:00:00Z",
                                  head, body),
            capture.PendingRecord("request", "https://example.test/a", "<urn:uuid:2>", "2026-11-30T00:00:00Z",
                                  b"GET /a HTTP/1.1\r\nHost: example.test\r\n\r\n", b"",
                                  [("WARC-Concurrent-To", "<urn:uuid:1>")]),
        )  # fmt: skip
        writer.close()
    with path.open("rb") as handle:
        records = [(r.rec_type, r.content_stream().read()) for r in ArchiveIterator(handle, check_digests="raise")]
    assert records == [("response", body), ("request", b"")]
    assert gzip.decompress(path.read_bytes()).count(b"WARC/1.1\r\n") == 2  # two members, any gzip reader
    assert writer.failures.empty()


def test_the_run_log_names_the_compressor_its_captures_use(tmp_path, caplog, monkeypatch):
    from scrapy.utils.test import get_crawler

    monkeypatch.setitem(sys.modules, "isal", None)  # the fallback is said, not silent
    with caplog.at_level("INFO", logger="scraper.crawl.capture"):
        middleware = capture.WarcCaptureMiddleware(get_crawler(settings_dict={"ARCHIVE_DIR": str(tmp_path)}))
        middleware.close()
    assert "gzip members by zlib, level 6" in caplog.text


def _fetch(n: int) -> tuple[str, capture.PendingRecord]:
    url = f"https://example.test/trang-{n}"
    body = f"<p>Trang {n}: Sở Xây dựng báo cáo.</p>".encode()
    return url, capture.PendingRecord("response", url, f"<urn:uuid:{n}>", "2026-11-30T00:00:00Z", b"HTTP/1.1 200 OK\r\n\r\n",
                                      body)  # fmt: skip


@pytest.mark.parametrize(
    ("batch", "linger", "waiting"), [(2, 3600.0, [1, 0, 1]), (16, 0.0, [0, 0, 0]), (1, 3600.0, [0, 0, 0])]
)
def test_fetches_are_handed_over_in_batches_and_all_written_in_order(tmp_path, batch, linger, waiting):
    """A batch is handed over when full or when ``linger`` has passed; ``close`` writes what waits."""
    path = tmp_path / "run.warc.gz"
    with path.open("ab") as handle:
        writer = capture.CaptureWriter(handle, batch=batch, linger=linger)
        left = []
        for n in range(3):
            writer.put(*_fetch(n))
            left.append(len(writer.pending))
        assert left == waiting
        writer.start()
        writer.close()
    with path.open("rb") as handle:
        uris = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(handle, check_digests="raise")]
    assert uris == [_fetch(n)[0] for n in range(3)]


def test_fetches_left_waiting_are_handed_over_when_the_crawl_goes_quiet(tmp_path):
    """The middleware schedules a hand-over on the reactor: a quiet crawl does not keep captures back."""
    from scrapy.utils.test import get_crawler

    class Reactor:  # records what the middleware schedules; no reactor runs in this test
        def __init__(self) -> None:
            self.delays: list[float] = []

        def schedule(self, delay: float) -> None:
            self.delays.append(delay)

        def cancel(self) -> None:
            pass

    middleware = capture.WarcCaptureMiddleware(get_crawler(settings_dict={"ARCHIVE_DIR": str(tmp_path)}))
    try:
        scheduled = middleware.later
        middleware.later = reactor = Reactor()
        middleware.thread.linger = 3600.0
        middleware._hand_over_later()
        assert reactor.delays == []  # nothing waits: nothing scheduled
        middleware.thread.put(*_fetch(1))
        middleware._hand_over_later()
        assert middleware.thread.pending and reactor.delays == [3600.0]
        scheduled()  # what the reactor runs CAPTURE_LINGER seconds later
        assert not middleware.thread.pending
    finally:
        middleware.close()
    (warc,) = (tmp_path / "captures").rglob("*.warc.gz")
    with warc.open("rb") as handle:
        uris = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(handle)]
    assert _fetch(1)[0] in uris


def test_a_crawl_stopped_at_once_writes_every_fetch_waiting_and_leaves_the_file_open(tmp_path):
    """The reactor stops with the spider open (a second Ctrl-C): the run's records are rebuilt from this file."""
    from scrapy.utils.test import get_crawler

    middleware = capture.WarcCaptureMiddleware(get_crawler(settings_dict={"ARCHIVE_DIR": str(tmp_path)}))
    middleware.thread.linger = 3600.0
    for n in range(3):
        middleware.thread.put(*_fetch(n))
    assert len(middleware.thread.pending) == 3
    middleware.stopped_at_once()  # what the reactor's "before shutdown" trigger runs
    middleware.close()  # the spider is never closed after it; were it, nothing would change
    assert not middleware.thread.is_alive()
    (warc,) = (tmp_path / "captures").rglob("*.warc.gz*")
    assert warc.name.endswith(".open")  # for the crawl's recovery
    with warc.open("rb") as handle:
        uris = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(handle, check_digests="raise")]
    assert uris[1:] == [_fetch(n)[0] for n in range(3)]  # after the run's warcinfo
