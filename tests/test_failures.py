"""A failed fetch's reason in words (``scraper.crawl.failures``), whatever Twisted and Scrapy wrap it in."""

from __future__ import annotations

import pytest
from OpenSSL import SSL
from scrapy.exceptions import DownloadFailedError
from twisted.internet.error import ConnectionDone, ConnectionLost, TimeoutError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from scraper.crawl.failures import describe, reason_of, tls_refused


def failure_of(exc: BaseException) -> Failure:
    try:
        raise exc
    except BaseException:
        return Failure()


def scrapy_wrapped(inner: BaseException) -> DownloadFailedError:
    """As Scrapy 2.19's download handler raises it: ``DownloadFailedError(str(e)) from e``."""
    try:
        raise DownloadFailedError(str(inner)) from inner
    except DownloadFailedError as exc:
        return exc


def tls(*reasons: str) -> SSL.Error:
    return SSL.Error([("SSL routines", "", reason) for reason in reasons])


CASES = [
    pytest.param(ResponseNeverReceived([failure_of(tls("wrong version number"))]),
                 "TLS handshake failed: wrong version number (no TLS on that port: is the site served over http?)",
                 True, id="tls-on-a-plain-port"),
    pytest.param(scrapy_wrapped(ResponseNeverReceived([failure_of(tls("unsafe legacy renegotiation disabled"))])),
                 "TLS handshake failed: unsafe legacy renegotiation disabled (the server offers only an old TLS this "
                 "machine's OpenSSL refuses)", True, id="old-tls-through-scrapys-wrapper"),
    pytest.param(ResponseNeverReceived([failure_of(tls("certificate verify failed", "certificate verify failed"))]),
                 "TLS handshake failed: certificate verify failed (the site's certificate)", True, id="certificate"),
    pytest.param(scrapy_wrapped(ResponseNeverReceived([failure_of(ConnectionDone())])),
                 "no answer came (Connection was closed cleanly.)", False, id="closed-before-answering"),
    pytest.param(ResponseFailed([failure_of(ConnectionLost("reset by peer"))]),
                 "the answer broke off (Connection to the other side was lost in a non-clean fashion: reset by peer.)",
                 False, id="broke-off"),
    pytest.param(TimeoutError(), "User timeout caused connection failure.", False, id="plain-exception"),
]  # fmt: skip


@pytest.mark.parametrize(("exc", "words", "refused"), CASES)
def test_a_failed_fetch_is_described_in_words(exc, words, refused):
    assert describe(exc) == words
    assert tls_refused(exc) is refused
    assert "Failure" not in reason_of(failure_of(exc))
