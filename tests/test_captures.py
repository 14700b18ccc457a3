"""The crawl's WARC files: records warcio reads back with their digests checked, pairs linked."""

from __future__ import annotations

from warcio.archiveiterator import ArchiveIterator

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
