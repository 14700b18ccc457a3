"""What went wrong with a fetch, in words: one readable reason instead of Twisted's failure reprs.

Twisted wraps a connection's failures (a TLS handshake refused, a connection lost mid-answer)
in ``ResponseNeverReceived``/``ResponseFailed``, whose message is the list of their reprs
(``[<twisted.python.failure.Failure OpenSSL.SSL.Error: [('SSL routines', '', 'wrong version
number')]>]``). The spider's error lines, Scrapy's retry and robots.txt lines and the retry
policy all read them through here.
"""

from __future__ import annotations

import http
from typing import Any

from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure


def _wrapper(exc: BaseException) -> BaseException | None:
    """The Twisted wrapper holding a fetch's failures (``reasons``), found through Scrapy's own
    wrapping (``DownloadFailedError`` raised from ``ResponseFailed``), or None."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            break
        if getattr(seen, "reasons", None):
            return seen
        seen = seen.__cause__
    return None


def _wrapped(exc: BaseException) -> list[Any]:
    wrapper = _wrapper(exc)
    return list(getattr(wrapper, "reasons", None) or ()) if wrapper is not None else []


class DecodingFailed(Exception):
    """A body that does not decode from the Content-Encoding it was sent under (and is no page as it is)."""


def _causes(exc: BaseException) -> list[BaseException]:
    """The exceptions a Twisted wrapper holds, or the exception itself."""
    reasons = _wrapped(exc)
    if not reasons:
        return [exc]
    return [r.value if isinstance(r, Failure) and r.value is not None else r for r in reasons]


def _is_tls_error(exc: BaseException) -> bool:
    try:
        from OpenSSL import SSL
    except ImportError:  # pragma: no cover - Scrapy depends on pyOpenSSL
        return False
    return isinstance(exc, SSL.Error)


def tls_refused(exc: BaseException) -> bool:
    """Whether a fetch failed in the TLS handshake (OpenSSL's error): the same next time, so not retried."""
    return any(_is_tls_error(cause) for cause in _causes(exc))


def _tls_reason(exc: BaseException) -> str:
    entries = exc.args[0] if exc.args and isinstance(exc.args[0], list) else []
    reasons = [str(entry[2]) for entry in entries if isinstance(entry, tuple) and len(entry) == 3 and entry[2]]
    reason = "; ".join(dict.fromkeys(reasons)) or str(exc) or "no reason given"
    hint = ""
    if "wrong version number" in reason or "packet length too long" in reason:
        hint = " (no TLS on that port: is the site served over http?)"
    elif "certificate" in reason:
        hint = " (the site's certificate)"
    elif "legacy" in reason or "unsupported protocol" in reason or "version too low" in reason:
        hint = " (the server offers only an old TLS this machine's OpenSSL refuses)"
    return f"TLS handshake failed: {reason}{hint}"


def _describe_one(exc: BaseException) -> str:
    if _is_tls_error(exc):
        return _tls_reason(exc)
    message = str(exc).strip()
    return message or type(exc).__name__


def describe(exc: Any) -> str:
    """One line for an exception a fetch failed with (a Twisted wrapper's causes, each in words)."""
    if not isinstance(exc, BaseException):
        return str(exc)
    causes = _causes(exc)
    if causes == [exc]:
        return _describe_one(exc)
    said = "; ".join(dict.fromkeys(_describe_one(cause) for cause in causes)) or type(exc).__name__
    if all(_is_tls_error(cause) for cause in causes):
        return said
    wrapper = type(_wrapper(exc)).__name__
    if wrapper == "ResponseNeverReceived":  # "Connection was closed cleanly" alone reads as no fault
        return f"no answer came ({said})"
    if wrapper == "ResponseFailed":
        return f"the answer broke off ({said})"
    return said


def reason_of(failure: Failure) -> str:
    """What went wrong, in words: the status of an HTTP error ("HTTP 404 Not Found"), not Scrapy's
    "Ignoring non-200 response"; a TLS or connection failure, not a list of reprs."""
    response = getattr(failure.value, "response", None)
    if failure.check(HttpError) and response is not None:
        try:
            phrase = http.HTTPStatus(response.status).phrase
        except ValueError:
            phrase = "(no standard meaning)"
        return f"HTTP {response.status} {phrase}"
    name = failure.type.__name__ if failure.type else "error"
    if name == "ResponseDataLossError":  # Scrapy gives it no message
        return "the answer broke off before its announced end (data loss)"
    if isinstance(failure.value, BaseException) and _wrapped(failure.value):  # a broken answer's causes
        return describe(failure.value)
    return failure.getErrorMessage() or name


def is_lasting(failure: Failure, refused: bool) -> bool:
    """Whether a failed fetch was an answer that waiting will not change: an HTTP client error (not
    408 or 429, which ask to come back later), a body that is not in its declared Content-Encoding,
    or (``refused``) a redirect loop or a body over the size limit."""
    if refused or failure.check(DecodingFailed):
        return True
    response = getattr(failure.value, "response", None)
    client_error = response is not None and 400 <= response.status < 500 and response.status not in (408, 425, 429)
    return bool(failure.check(HttpError)) and client_error
