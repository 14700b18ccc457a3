"""Downloader middlewares: retries that back off, and conditional listing requests."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from scraper.archive import write_atomic
from scraper.crawl.failures import DecodingFailed, tls_refused
from scraper.crawl.stats import total
from scraper.pages.html import opens_as_markup
from scraper.pages.listing import bare_host

logger = logging.getLogger(__name__)

VALIDATORS_FILE = "state/http-validators.json"
DEFAULT_PORTS = {"http": 80, "https": 443}


def _unresolved() -> tuple[type[Exception], ...]:
    from twisted.internet.error import DNSLookupError

    try:  # Scrapy 2.13+ raises its own
        from scrapy.exceptions import CannotResolveHostError
    except ImportError:
        return (DNSLookupError,)
    return (DNSLookupError, CannotResolveHostError)


_UNRESOLVED = _unresolved()


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries (5xx, 408, 429, timeouts, resets), waiting longer before each try.

    The n-th retry waits ``RETRY_BACKOFF_BASE * 2**(n-1)`` seconds, at most
    ``RETRY_BACKOFF_MAX``: a struggling server gets room to recover.
    """

    def __init__(self, settings: Any):
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    # ``spider`` (here and in process_exception) only matches RetryMiddleware's signature: optional, so never passed.
    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if response.status in (429, 503):
            wait = retry_after(response.headers.get("Retry-After"))
            if wait is not None:
                request.meta["retry_after"] = wait
        return super().process_response(request, response)

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> Request | Response | None:
        if isinstance(exception, _UNRESOLVED):  # a name that does not resolve now will not in 2 s either
            self.crawler.stats.inc_value("retry/dns_not_retried")
            return None
        if tls_refused(exception):  # a handshake OpenSSL refused (no TLS there, an old protocol) is refused again
            self.crawler.stats.inc_value("retry/tls_not_retried")
            return None
        return super().process_exception(request, exception)

    def _retry(self, request: Request, reason: Any) -> Request | None:
        retry = super()._retry(request, reason)
        if retry is not None:
            attempt = int(retry.meta.get("retry_times", 1))
            # the server's Retry-After is honoured, within the same cap as the backoff
            wait = max(self.base * 2 ** (attempt - 1), float(request.meta.pop("retry_after", 0) or 0))
            retry.meta["backoff_delay"] = min(wait, self.cap)
            retry.meta.pop("retry_after", None)
        return retry

    async def process_request(self, request: Request) -> None:
        delay = request.meta.pop("backoff_delay", 0)
        if delay:
            self.crawler.stats.inc_value("retry/backoff_seconds", delay)
            await asyncio.sleep(delay)
        return None


class LenientCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, for a server that declares a Content-Encoding its body is not in.

    A page sent as it is under ``Content-Encoding: gzip`` (a proxy that decoded it, a misconfigured
    server) failed with "Not a gzipped file (b'<!')" and stayed pending for ever, though its
    bytes, kept in the capture, are the whole page (``reparse`` read them). A body that opens as
    markup is read as it is (``http/false_content_encoding`` in the stats, one INFO line); any
    other body that does not decode fails with the declared coding named. A body inflating past
    the size limit is still refused.
    """

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest:
            raise
        except Exception as exc:  # zlib, gzip, brotli and zstd raise their own: any failure to decode
            declared = b", ".join(response.headers.getlist("Content-Encoding")).decode("latin-1")
            if not opens_as_markup(response.body):
                raise DecodingFailed(f"the body is not in its declared Content-Encoding {declared} ({exc})") from exc
            if self.stats:
                self.stats.inc_value("http/false_content_encoding")
            logger.info("%s: sent as Content-Encoding %s but not encoded: read as it is", response.url, declared)
            headers = response.headers.copy()
            del headers["Content-Encoding"]
            return response.replace(headers=headers)


def retry_after(value: bytes | str | None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


def _is_robots_txt(request: Request) -> bool:
    """The robots.txt request Scrapy's RobotsTxtMiddleware sends itself."""
    return bool(request.meta.get("dont_obey_robotstxt")) and urlsplit(request.url).path == "/robots.txt"


class GateRedirectMiddleware(RedirectMiddleware):
    """Scrapy's redirects, and an article's redirect is followed even to a URL already fetched.

    A load balancer or anti-DDoS gate answers the first request with a cookie and a redirect to
    the same URL, or to a gate page that sets it and leads back; an article's old address (a slug
    that followed an edited title) redirects to the new one the listing already led to. Scrapy's
    duplicate filter would drop the way there as already seen, and the page would never come
    (reported as lost). ``REDIRECT_MAX_TIMES`` still ends a true loop.
    """

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        followed = super()._redirect(redirected, request, reason)
        if followed.url in followed.meta["redirect_urls"] or followed.meta.get("page_kind") == "article":
            followed.dont_filter = True
        return followed


class RobotsServerErrorMiddleware:
    """RFC 9309: a robots.txt that answers a server error (after its retries) disallows everything.

    Scrapy parses whatever body comes back, so a robots.txt answering 503 allowed the whole
    site. This sits between the retries and the engine and turns that answer into "Disallow: /"
    for the run, with a warning and a stat the run report reads.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsServerErrorMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status < 500 or not _is_robots_txt(request):
            return response
        netloc = urlsplit(request.url).netloc
        self.crawler.stats.inc_value(f"robotstxt/server_error/{netloc}")
        logger.warning("robots.txt of %s answered %d: nothing is fetched from it this run (RFC 9309)", netloc,
                       response.status)  # fmt: skip
        return response.replace(status=200, body=b"User-agent: *\nDisallow: /\n")


class CrawlDelayMiddleware:
    """The pause a site's robots.txt asks for (``Crawl-delay``, ``Request-rate``), honoured per host.

    Scrapy reads robots.txt for its rules only. A host that asks for more than the configured
    delay gets what it asks for, up to ``ROBOTS_MAX_CRAWL_DELAY`` seconds (a warning when capped):
    the delay is raised on the host's download slot when a request comes in and again after
    AutoThrottle adjusts the slot from a response (its handler is connected first, and the next
    request is scheduled after both), so AutoThrottle never takes it below. ±50 % jitter still
    applies.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.cap = crawler.settings.getfloat("ROBOTS_MAX_CRAWL_DELAY", 60.0)
        self.user_agent = crawler.settings.get("USER_AGENT") or "*"
        self.delays: dict[str, float] = {}  # host -> the delay its robots.txt asks for, capped
        crawler.signals.connect(self._downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlDelayMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        self._keep_delay(request)

    def _downloaded(self, response: Response, request: Request, **_: Any) -> None:
        self._keep_delay(request)

    def _keep_delay(self, request: Request) -> None:
        if not self.delays:  # nearly every run: no robots.txt asked for more than the configured delay
            return
        delay = self.delays.get(urlsplit(request.url).hostname or "")
        engine = self.crawler.engine
        if delay is None or engine is None:
            return
        downloader = engine.downloader
        slot = downloader.slots.get(request.meta.get("download_slot") or downloader.get_slot_key(request))
        if slot is not None and slot.delay < delay:
            slot.delay = delay

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status != 200 or not _is_robots_txt(request):
            return response
        parts = urlsplit(request.url)
        asked = robots_delay(response.body, self.user_agent)
        if asked is None or asked <= self.crawler.settings.getfloat("DOWNLOAD_DELAY"):
            return response
        host = parts.hostname or ""
        self.delays[host] = min(asked, self.cap)
        self.crawler.stats.set_value(f"robotstxt/crawl_delay/{parts.netloc}", self.delays[host])
        if asked > self.cap:
            logger.warning("robots.txt of %s asks for %g s between requests: %g s are kept "
                           "(ROBOTS_MAX_CRAWL_DELAY)", parts.netloc, asked, self.cap)  # fmt: skip
        else:
            logger.info("robots.txt of %s asks for %g s between requests: honoured", parts.netloc, asked)
        return response


def robots_delay(body: bytes, user_agent: str) -> float | None:
    """The seconds between requests a robots.txt asks ``user_agent`` for (Crawl-delay, Request-rate), or None."""
    from protego import Protego  # Scrapy's robots.txt parser

    try:
        robots = Protego.parse(body.decode("utf-8", errors="replace"))
        delay = robots.crawl_delay(user_agent)
        rate = robots.request_rate(user_agent)
    except Exception:  # a robots.txt too broken to read asks for nothing; Scrapy's own reading says so
        return None
    asked = [float(delay)] if delay is not None and float(delay) > 0 else []
    if rate is not None and rate.requests > 0:
        asked.append(rate.seconds / rate.requests)
    return max(asked) if asked else None


class ConditionalRequestMiddleware:
    """If-None-Match / If-Modified-Since on listing pages, from what the last clean run saw.

    A 304 means the listing did not change since then: nothing new to look for. Validators
    are only saved for a source whose run had no errors and whose walk completed, so a failed
    page or a cut-short walk is never hidden behind a 304 on the next run. Requests marked
    ``conditional`` in ``meta`` take part.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.path = Path(crawler.settings.get("ARCHIVE_DIR", "output")) / VALIDATORS_FILE
        self.enabled = crawler.settings.getbool("CONDITIONAL_REQUESTS", True)
        self.saved: dict[str, dict[str, str]] = {}
        self.seen: dict[str, dict[str, str]] = {}
        if self.path.is_file():
            try:
                saved = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                saved = None
            if isinstance(saved, dict):
                self.saved = {url: v for url, v in saved.items() if isinstance(v, dict)}
            else:
                logger.warning("%s unreadable: sending unconditional requests", self.path)
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if not (self.enabled and request.meta.get("conditional")):
            return None
        known = self.saved.get(request.url, {})
        if known.get("etag"):
            request.headers.setdefault("If-None-Match", known["etag"])
        if known.get("last_modified"):
            request.headers.setdefault("If-Modified-Since", known["last_modified"])
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if self.enabled and request.meta.get("conditional") and response.status == 200:
            validators = {
                "etag": (response.headers.get("ETag") or b"").decode("latin-1"),
                "last_modified": (response.headers.get("Last-Modified") or b"").decode("latin-1"),
                "source": request.meta.get("source", ""),
            }
            if validators["etag"] or validators["last_modified"]:
                self.seen[request.url] = validators
        return response

    def close(self) -> None:
        stats = self.crawler.stats.get_stats()
        if stats.get("archive/error"):  # the run's digests were not archived: the next run must look again
            return
        incomplete_walks = getattr(self.crawler.spider, "incomplete_walks", None)
        incomplete = incomplete_walks() if incomplete_walks is not None else set()
        # a listing that lists oldest first may be unchanged on its first page with new digests on its last:
        # its first page's 304 would say "nothing new" wrongly, so its validators are dropped
        oldest_first = set(getattr(self.crawler.spider, "oldest_first", ()))
        clean = {
            url: v
            for url, v in self.seen.items()
            if not total(stats, f"errors/{v['source']}/") and v["source"] not in incomplete | oldest_first
        }
        kept = {url: v for url, v in self.saved.items() if v.get("source") not in oldest_first}
        if not clean and kept == self.saved:
            return
        try:
            write_atomic(self.path, json.dumps({**kept, **clean}, indent=1).encode("utf-8"))
        except OSError as exc:
            logger.warning("could not save HTTP validators: %s", exc)


class OffOrigin(IgnoreRequest):
    """A request (a redirect, robots.txt, a stored URL) that would leave the configured origins."""


def origin(url: str) -> tuple[str, str, int]:
    """scheme, host and port: the boundary a crawl keeps to (a hostname alone is not enough)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return parts.scheme, (parts.hostname or ""), port or DEFAULT_PORTS.get(parts.scheme, 0)


def same_site(url: str, base_url: str) -> bool:
    """Whether ``url`` is on the site of ``base_url`` under another name or scheme: with or without
    "www.", or moved from http to https (default ports only). A site that starts redirecting so
    is the same server; any other host, port or a move back to http is not."""
    bare_a, bare_b = bare_host(urlsplit(url).hostname), bare_host(urlsplit(base_url).hostname)
    if not bare_a or bare_a != bare_b:
        return False
    (scheme_a, _, port_a), (scheme_b, _, port_b) = origin(url), origin(base_url)
    if (scheme_a, port_a) == (scheme_b, port_b):
        return True
    return (scheme_b, port_b, scheme_a, port_a) == ("http", 80, "https", 443)


class OriginGuardMiddleware:
    """Refuse every request outside the origins of the spider's base URLs.

    Scrapy's offsite filter compares host names, so a redirect to another port of the same
    address, or to a ``javascript:`` URL, would be followed. This runs before robots.txt is
    fetched and again for every redirect (redirects come back through the middlewares). The same
    site under another name or scheme (:func:`same_site`: "www.", http to https) is followed,
    and the run says so once per origin, so that the operator can set the new base URL.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.moved: set[tuple[str, str, int]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OriginGuardMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        base_urls = getattr(spider, "base_urls", None)
        if not base_urls:
            return None
        allowed = {origin(url) for url in base_urls.values()}
        where = origin(request.url)
        if where in allowed:
            return None
        source = next((name for name, base in base_urls.items() if same_site(request.url, base)), None)
        if source is None:
            self.crawler.stats.inc_value("offsite/origin_refused")
            raise OffOrigin(f"{request.url} is outside the configured origins")
        self.crawler.stats.inc_value("offsite/same_site_followed")
        note = getattr(spider, "note_degraded", None)
        if where not in self.moved and note is not None:
            self.moved.add(where)
            scheme, host, port = where
            new_base = f"{scheme}://{host}" + ("" if DEFAULT_PORTS.get(scheme) == port else f":{port}")
            what = f"the site answers as {new_base}, followed as the same site (set --base-url {source}={new_base})"
            note(source, what, request.url)
        return None
