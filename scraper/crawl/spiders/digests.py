"""The crawl: walk each source's listing page by page and hand article pages to the parser.

The spider only schedules requests and decides how far to walk; reading pages is done by
the page objects in :mod:`scraper.pages`.

How far the listing is walked:

* scheduled run (no date range): until a listing page brings no digest that is not
  already archived; archived digests are not fetched again;
* date range (``date_from``/``date_to``): until a page whose oldest digest week ends before
  the range (the listing is newest first, so later pages hold only older digests); every
  digest whose week overlaps the range is fetched and re-extracted.

The run is *degraded* (``self.degraded``, in the run report and on stderr) when a page
needed a strategy past the site's template, a listing page brought no digest link, or a
scheduled walk over an existing archive ended without reaching an archived digest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Mapping, Set
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from scraper.archive import Archive, ArchiveIndex, PendingArticles, WalkState, overlaps, partition_for
from scraper.archive.state import GIVE_UP_DAYS, GIVE_UP_RUNS
from scraper.crawl.failures import is_lasting, reason_of
from scraper.crawl.middlewares import OffOrigin
from scraper.crawl.parsing import PageParser
from scraper.pages import CONTENT_WARNINGS, parse_listing
from scraper.pages.html import not_a_page
from scraper.pages.text import decode_page, fold
from scraper.pages.titles import is_digest_title, parse_week_range
from scraper.pages.workers import ParseTimeout
from scraper.records.prepare import PreparedRecord
from scraper.sites.profiles import PROFILES, SiteProfile, url_path

ARTICLE_PRIORITY = 10  # over listing pages (0)
# What a digest URL answered that waiting will not change (see PendingArticles): counted towards giving it up
ANSWERED = frozenset({"not_a_page", "empty_body", "not_digest_as_linked"})
WALK_LOOKAHEAD = 5  # listing pages a walk may read past its saved resume point before saving another
# Listing pages in a row without a digest a scheduled run walks past (a listing that mixes digests with
# other news); a first crawl or a range run walks on to the listing's end
DIGESTLESS_PAGES = 3


def _as_date(value: Any) -> dt.date | None:
    if value in (None, "") or isinstance(value, dt.date):
        return value or None
    return dt.date.fromisoformat(str(value))


def page_text(response: Response) -> str:
    return decode_page(response.body, getattr(response, "encoding", None), lambda: response.text)


def _oldest_first(weeks: list[tuple[dt.date, dt.date] | None]) -> bool:
    """Whether a listing page's digests run from the oldest week to the newest (three or more)."""
    ends = [week[1] for week in weeks if week]
    return len(ends) >= 3 and ends[0] < ends[-1] and all(a <= b for a, b in zip(ends, ends[1:], strict=False))


def failed_request(failure: Failure) -> scrapy.Request:
    """The request an errback's failure is for."""
    # Scrapy sets ``request`` on the Failure it hands an errback; Twisted's Failure type does not declare it.
    request: scrapy.Request = failure.request  # type: ignore[attr-defined]
    return request


def _might_be_digest(link_text: str) -> bool:
    """A cheap pre-filter on listing link text; the page's own headline decides."""
    if not link_text:
        return True
    folded = fold(link_text)
    return "noi bat" in folded or "chi dao" in folded


class DigestSpider(scrapy.Spider):
    name = "digests"

    def __init__(
        self,
        source: str = "all",
        base_urls: dict[str, str] | str | None = None,
        date_from: str | dt.date | None = None,
        date_to: str | dt.date | None = None,
        archive_dir: str | None = None,
        archive_index: ArchiveIndex | None = None,
        retry_given_up: bool | str = False,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        # articles given up in earlier runs are asked for again (`-a retry_given_up=1` through `scrapy crawl`)
        self.retry_given_up = retry_given_up not in (False, "", "0", "false", "False", "no")
        names = list(PROFILES) if source in (None, "", "all") else [s.strip() for s in str(source).split(",")]
        unknown = [n for n in names if n not in PROFILES]
        if unknown:
            raise ValueError(f"unknown source {unknown[0]!r} (choose from {', '.join(PROFILES)} or all)")
        self.profiles: list[SiteProfile] = [PROFILES[n] for n in names]
        if isinstance(base_urls, str):  # `scrapy crawl -a base_urls=langson=URL,vanphong=URL`
            base_urls = dict(item.split("=", 1) for item in base_urls.split(",") if item)
        self.base_urls = {p.name: (base_urls or {}).get(p.name, p.base_url).rstrip("/") for p in self.profiles}
        self.date_from = _as_date(date_from)
        self.date_to = _as_date(date_to)
        self.archive_dir = archive_dir
        # The archive as the run found it, read once (by the run's lifecycle, or here at the start)
        self.archive_index: ArchiveIndex | None = archive_index if isinstance(archive_index, ArchiveIndex) else None
        self.known_keys: Set[str] = frozenset()
        self.known_paths: Mapping[str, str] = {}  # URL path -> key of archived digests (aliases included)
        self.visited: dict[str, set[str]] = {p.name: set() for p in self.profiles}  # listing URLs fetched
        self.reached_archive: set[str] = set()  # sources whose walk met an archived digest
        self.oldest_first: set[str] = set()  # sources whose listing lists its digests oldest first
        self.degraded: dict[str, list[Any]] = {}  # what had to be guessed -> [count, example]
        # The listing page each source's walk would fetch next: None once the walk is complete.
        # Whatever is left at the end (a signal, a failed page, the page guard) is saved in
        # state/walks.json and the next scheduled run goes on from there.
        self.walk_next: dict[str, tuple[str, int] | None] = {}
        # cut-short walks of earlier runs, by source: (path, page number, deepest page it reached)
        self.resume: dict[str, list[tuple[str, int, int]]] = {}
        self.deepest: dict[str, int] = {}  # the deepest listing page walked, by source
        # by source: the deepest listing page the walk may read before it saves progress again
        self.promised: dict[str, int] = {}
        self.pages_walked: dict[str, int] = {}  # listing pages walked this run (the page guard counts these)
        self.resuming_through: dict[str, int] = {}  # a resumed walk does not stop at archived pages up to this
        self.scheduled: set[str] = set()
        self.listed: dict[str, set[str]] = {}  # by source: keys of the links the run's listing pages brought
        self.digestless: dict[str, int] = {}  # by source: listing pages in a row that brought no digest link
        self.archived_now: set[str] = set()  # keys of the records this run yielded (merged as it goes)
        self.sources_archived: set[str] = set()  # sources with digests archived before this run
        # article URL -> source, until the page is parsed or reported failed; whatever is left at the
        # end was dropped silently on the way (a redirect loop or an off-host redirect) and is reported.
        self.outstanding: dict[str, str] = {}
        self.parser = PageParser(0)  # the crawl's, with PARSE_WORKERS, once it starts
        # Only the configured hosts are ever requested (Scrapy's offsite filter).
        self.allowed_domains = sorted({urlsplit(u).hostname or "" for u in self.base_urls.values()})

    @property
    def ranged(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> DigestSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.check_archived_in_range, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[Any]:
        self.parser = PageParser(
            self.settings.getint("PARSE_WORKERS", 0), self.crawler.stats, self.settings.getfloat("PARSE_TIMEOUT", 0)
        )
        archive_dir = self.archive_dir or self.settings.get("ARCHIVE_DIR")
        self.gone: dict[str, str] = {}  # key -> URL of archived digests the site no longer has
        self.given_up_keys: set[str] = set()  # of articles given up in earlier runs: not asked for
        self.given_up_now: list[str] = []  # what this run gave up, in words
        self.weeks_now: dict[tuple[str, str, str], str] = {}  # (source, week start, end) -> key yielded this run
        self.liveness_checked = False
        if archive_dir and self.archive_index is None:
            self.archive_index = Archive(archive_dir).index()
        if not self.ranged and self.archive_index is not None:
            self.known_keys = self.archive_index.keys()
            self.known_paths = self.archive_index.paths
            self.sources_archived = {p.name for p in self.profiles if self.archive_index.has_source(p.name)}
        give_up = (self.settings.getint("PENDING_GIVE_UP_RUNS", GIVE_UP_RUNS),
                   self.settings.getint("PENDING_GIVE_UP_DAYS", GIVE_UP_DAYS))  # fmt: skip
        self.pending = PendingArticles(archive_dir, *give_up) if archive_dir else None
        self.walks = WalkState(archive_dir) if archive_dir and not self.ranged else None
        if self.walks:
            self.resume = {p.name: list(self.walks.resume.get(p.name, [])) for p in self.profiles}
        if self.pending and not self.ranged:
            # articles that failed in an earlier run are fetched again, wherever they sit in the listing;
            # those archived since (rebuilt from a stopped run's captures) are no longer owed
            for profile in self.profiles:
                given_up = self.pending.given_up(profile.name)
                if given_up and not self.retry_given_up:
                    self._skip_given_up(profile, given_up)
                retried = self.pending.for_source(profile.name) + (given_up if self.retry_given_up else [])
                for path in retried:
                    url = self.base_urls[profile.name] + path
                    key = profile.record_key(url) or url
                    if self._archived(profile, url):
                        self.pending.done(profile.name, url)
                        self.crawler.stats.inc_value(f"article/{profile.name}/pending_archived_since")
                    elif key not in self.scheduled:
                        self.scheduled.add(key)
                        self.crawler.stats.inc_value(f"article/{profile.name}/retried_from_earlier_run")
                        yield self._article_request(profile, url)
        for profile in self.profiles:
            url = profile.listing_url(self.base_urls[profile.name])
            yield self._listing_request(profile, url, 1, conditional=not self.ranged)

    def _skip_given_up(self, profile: SiteProfile, paths: list[str]) -> None:
        """Articles given up in earlier runs are not asked for, from the pending list or the listing."""
        assert self.pending is not None
        skipped = 0
        for path in paths:
            url = self.base_urls[profile.name] + path
            if self._archived(profile, url):  # archived meanwhile (a range run): no longer owed
                self.pending.done(profile.name, url)
                continue
            self.given_up_keys.add(profile.record_key(url) or url)
            skipped += 1
        if skipped:
            self.crawler.stats.inc_value(f"article/{profile.name}/given_up_skipped", skipped)
            self.logger.info("%s: not asking for %d articles given up in earlier runs (`status` lists them; "
                             "`crawl --retry-given-up` asks again)", profile.name, skipped)  # fmt: skip

    def _listing_request(
        self,
        profile: SiteProfile,
        url: str,
        number: int,
        conditional: bool = False,
        guessed: bool = False,
        unfiltered: bool = False,
    ) -> scrapy.Request:
        self.visited[profile.name].add(url)
        self.walk_next[profile.name] = (url, number)
        meta: dict[str, Any] = {"page_kind": "listing", "source": profile.name, "guessed": guessed}
        if conditional:  # a scheduled run asks "changed since last time?" (304 = nothing new)
            meta.update(conditional=True, handle_httpstatus_list=[304])
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.on_error,
            cb_kwargs={"profile": profile, "number": number},
            meta=meta,
            dont_filter=unfiltered,
        )

    def note_degraded(self, source: str, what: str, where: str) -> None:
        """Remember something the run had to guess; counted per source in the stats."""
        entry = self.degraded.setdefault(f"{source}: {what}", [0, where])
        entry[0] += 1
        self.crawler.stats.inc_value(f"degraded/{source}/{what.split(' (')[0].replace(' ', '_')}")
        if entry[0] == 1:  # the run's one warning line sums these up at the end
            self.logger.info("%s: %s (%s)", source, what, where)

    def _archived(self, profile: SiteProfile, url: str) -> str | None:
        """The key of a digest archived before this run that a link leads to, by key or by URL path (aliases).

        The run's own records are merged into the archive (and its index) as it goes: they do not count.
        """
        key = profile.record_key(url)
        found = key if key in self.known_keys else self.known_paths.get(url_path(url))
        return None if found is None or found in self.archived_now else found

    def parse_listing(self, response: Response, profile: SiteProfile, number: int) -> Any:
        stats = self.crawler.stats
        if response.status == 304:
            stats.inc_value(f"listing/{profile.name}/not_modified")
            self.reached_archive.add(profile.name)
            self.logger.info("%s: listing not modified since the last clean run", profile.name)
            yield from self._walk_done(profile, number, listing_read=False)
            return
        guessed = response.meta.get("guessed", False)
        stats.inc_value(f"listing/{profile.name}/pages")
        page = parse_listing(
            response.url, page_text(response), profile, page_number=number, visited=self.visited[profile.name]
        )
        if page.cut_short:  # its pager, and the links after the cut, are missing: not the listing's end
            stats.inc_value(f"listing/{profile.name}/cut_short")
            self.walk_next[profile.name] = (response.url, number)  # the next run reads this page again
            self.note_degraded(profile.name, "a listing page ended before </html> (cut short in transfer; the "
                               "next run walks on from there)", response.url)  # fmt: skip
            return
        for strategy, count in page.link_strategies.items():
            stats.inc_value(f"listing/{profile.name}/links/{strategy}", count)
            if not strategy.startswith("template:"):
                self.note_degraded(profile.name, "listing links found only by the generic scan", response.url)
        if not page.links:
            if guessed:
                self.logger.info("%s: guessed listing page %s holds no digest link: the listing ends", profile.name,
                                 response.url)  # fmt: skip
                yield from self._walk_done(profile, number)
                return
            if page.next_url is None or page.next_guessed:  # an error or maintenance page served with 200
                self.walk_next[profile.name] = (response.url, number)  # the next run reads this page again
                self.note_degraded(profile.name, "a listing page brought no digest link and no next page (the next "
                                   "run walks on from there)", response.url)  # fmt: skip
                return
            self.note_degraded(profile.name, "a listing page brought no digest link", response.url)
        weeks = [parse_week_range(link.title) for link in page.links]  # each title read once
        if profile.name not in self.oldest_first and _oldest_first(weeks):
            # new digests come last: a walk that stopped at the first archived one would never reach them
            self.oldest_first.add(profile.name)
            self.note_degraded(profile.name, "the listing lists its digests oldest first (new ones come last): "
                               "walked to its end", response.url)  # fmt: skip
        fresh = 0  # digest-like links this run had not seen before
        keys = [profile.record_key(link.url) or link.url for link in page.links]
        seen = self.listed.setdefault(profile.name, set())  # every link the run's listing pages brought
        unseen = set(keys) - seen
        seen |= unseen
        repeated = bool(page.links) and not unseen
        if repeated and not guessed and number > 1:  # the pager leads to the same links again
            self.note_degraded(profile.name, "a listing page brought only links of earlier pages (its pager "
                               "leads nowhere new?): the walk ends there", response.url)  # fmt: skip
        new = 0  # of those, ones not in the archive
        week_ends: list[dt.date] = []  # of the page's digest links that give a week
        for link, week, key in zip(page.links, weeks, keys, strict=True):
            if key in self.scheduled:
                continue
            if key in self.given_up_keys:
                stats.inc_value(f"listing/{profile.name}/skipped_given_up")
                continue
            if not _might_be_digest(link.title):
                stats.inc_value(f"listing/{profile.name}/skipped_not_digest")
                continue
            fresh += 1
            if week:
                week_ends.append(week[1])
            if self.ranged:
                probe = {"week_start": week[0].isoformat(), "week_end": week[1].isoformat()} if week else None
                if probe and not overlaps(probe, self.date_from, self.date_to):
                    stats.inc_value(f"listing/{profile.name}/skipped_out_of_range")
                    continue
            elif self._archived(profile, link.url):
                stats.inc_value(f"listing/{profile.name}/skipped_archived")
                self.reached_archive.add(profile.name)
                continue
            new += 1
            self.scheduled.add(key)
            yield self._article_request(profile, link.url, link.title)
        self.digestless[profile.name] = 0 if fresh else self.digestless.get(profile.name, 0) + 1
        if page.next_url and not page.next_strategy.startswith("template:"):
            if page.next_guessed:
                self.logger.info("%s: no pager found on %s; trying %s", profile.name, response.url, page.next_url)
            else:
                self.note_degraded(profile.name, f"next listing page found by {page.next_strategy}", response.url)
        self.deepest[profile.name] = max(self.deepest.get(profile.name, 0), number)
        self.pages_walked[profile.name] = self.pages_walked.get(profile.name, 0) + 1
        if page.next_url is None:
            self.logger.info("%s: listing ends at page %d (no next page)", profile.name, number)
            # the listing goes on, but not by a link: older digests are out of reach when the walk needed them
            if page.next_unfollowable and self._walk_on(profile, number, fresh, new, week_ends, repeated):
                self.note_degraded(profile.name, "the listing's next page is a script control the crawler cannot "
                                   "follow; the walk ends there", response.url)  # fmt: skip
        elif self._walk_on(profile, number, fresh, new, week_ends, repeated):
            request = self._listing_request(profile, page.next_url, number + 1, guessed=page.next_guessed)
            if number + 1 > self.promised.get(profile.name, 0):  # before that page can be read
                self._checkpoint(profile.name, number + 1)
            yield request
            return
        elif self.pages_walked[profile.name] >= self._max_pages(profile):  # cut short: the next run goes on
            self.walk_next[profile.name] = (page.next_url, number + 1)
            self.note_degraded(profile.name, f"the listing is deeper than the page guard ({self._max_pages(profile)} "
                               "pages a run); the next run walks on from there", page.next_url)  # fmt: skip
            return
        yield from self._walk_done(profile, number, (page.next_url, number + 1) if page.next_url else None)

    def _max_pages(self, profile: SiteProfile) -> int:
        """The page guard: the profile's, or ``LISTING_MAX_PAGES`` (a setting) when given."""
        return self.settings.getint("LISTING_MAX_PAGES", 0) or profile.max_pages

    def _walk_done(
        self, profile: SiteProfile, number: int, next_page: tuple[str, int] | None = None, listing_read: bool = True
    ) -> Any:
        """The walk joined the archive or the listing's end: go on where an earlier walk was cut short.

        ``number`` is the page the walk stopped at and ``next_page`` the listing page after it, if
        any; ``listing_read`` is False when that page was not read (a 304).
        """
        name = profile.name
        self.walk_next[name] = None
        self.resuming_through.pop(name, None)
        while self.resume.get(name):
            path, page, deepest = self.resume[name].pop(0)
            url = self.base_urls[name] + path
            unfiltered = False
            if url in self.visited[name]:
                # this run's walk went through that page (Scrapy would drop a second request for it):
                # go on from where the walk stopped, unless it stopped past every page the cut walk reached
                if not listing_read:
                    unfiltered = True  # not read this run: read it again
                elif next_page is None or next_page[0] in self.visited[name] or deepest <= number:
                    self.logger.info("%s: this run's walk covered the walk cut short at page %d", name, page)
                    continue
                else:
                    url, page = next_page
            # up to the deepest page the cut-short walk reached, pages may be archived already (their
            # articles were fetched out of order): the walk only joins the archive past it
            self.resuming_through[name] = deepest
            self.logger.info("%s: an earlier walk was cut short; going on from page %d (%s)", name, page, url)
            self.crawler.stats.inc_value(f"listing/{name}/resumed")
            yield self._listing_request(profile, url, page, unfiltered=unfiltered)
            return
        self._walk_ended(profile, number)

    def incomplete_walks(self) -> set[str]:
        """Sources whose walk was cut short this run (their listing validators must not be saved)."""
        cut = {name for name, next_page in self.walk_next.items() if next_page is not None}
        return cut | {name for name, points in self.resume.items() if points}

    def _walk_ended(self, profile: SiteProfile, number: int) -> None:
        """A scheduled walk over an existing archive must reach it; otherwise digests may be missing."""
        has_archive = profile.name in self.sources_archived
        if not self.ranged and has_archive and profile.name not in self.reached_archive:
            digestless = self.digestless.get(profile.name, 0) >= DIGESTLESS_PAGES
            why = f" after {DIGESTLESS_PAGES} pages in a row without a digest" if digestless else ""
            self.note_degraded(
                profile.name,
                f"the listing walk ended at page {number}{why} without reaching an archived digest (a possible gap)",
                self.base_urls[profile.name],
            )

    def _article_request(self, profile: SiteProfile, url: str, link_title: str = "") -> scrapy.Request:
        request = scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            cb_kwargs={"profile": profile},
            meta={"page_kind": "article", "source": profile.name, "link_title": link_title},
            # a listing page's articles before the next listing page: the newest digests are archived
            # first, and the requests waiting in the scheduler (memory) stay a page's worth, however deep
            priority=ARTICLE_PRIORITY,
        )
        # by the URL as requested (a Vietnamese slug percent-encoded): the answer names it so
        self.outstanding[request.url] = profile.name
        return request

    def _walk_on(
        self, profile: SiteProfile, number: int, fresh: int, new: int, week_ends: list[dt.date], repeated: bool = False
    ) -> bool:
        """Whether the listing walk goes on past page ``number``.

        A range walk stops at a page whose digests, taken as a whole (three in four), end before
        the range: an old digest pinned at the top of every page must not end it. A page whose
        links bring no digest (other news, in a listing that mixes them) is walked past: older
        digests may follow (a scheduled run, up to ``DIGESTLESS_PAGES`` of them in a row: new digests come
        first). ``repeated``: every link of the page came on an earlier page of the run.
        """
        reason = None
        scheduled = not self.ranged and profile.name in self.sources_archived
        if repeated:
            reason = "no link earlier pages did not bring"
        elif scheduled and self.digestless[profile.name] >= DIGESTLESS_PAGES:
            reason = f"{DIGESTLESS_PAGES} pages in a row without a digest"
        elif self.pages_walked.get(profile.name, 0) >= self._max_pages(profile):
            reason = f"page limit {self._max_pages(profile)} reached"
        elif profile.name in self.oldest_first:
            # a week ending 21 days (the longest digest) after the range's end starts after it
            late = self.date_to and all(end - dt.timedelta(days=21) > self.date_to for end in week_ends)
            if self.ranged and week_ends and late:
                reason = "past the end of the date range (the listing is oldest first)"
        elif self.ranged:
            before = [end for end in week_ends if self.date_from and end < self.date_from]
            if week_ends and len(before) * 4 >= len(week_ends) * 3:
                reason = "past the start of the date range"
        elif fresh and new == 0 and number > self.resuming_through.get(profile.name, 0):
            reason = "reached digests already archived"
        if reason:
            self.logger.info("%s: listing walk stops at page %d: %s", profile.name, number, reason)
            return False
        return True

    async def parse_article(self, response: Response, profile: SiteProfile) -> AsyncIterator[PreparedRecord]:
        stats = self.crawler.stats
        first_url = (response.meta.get("redirect_urls") or [response.url])[0]
        crawled_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        if what := not_a_page(response.body, (response.headers.get("Content-Type") or b"").decode("latin-1")):
            # the file a digest was made from, an image, a download: nothing to read, and no parser's guess
            self.outstanding.pop(first_url, None)
            self._kept_pending(profile.name, first_url, response.url, "not_a_page",
                               f"digest URLs answering with no web page ({what}), not archived", what)  # fmt: skip
            return
        try:
            parsed = await self.parser.parse(response.url, page_text(response), profile, crawled_at)
        except ParseTimeout as exc:  # the next run tries again: a page that never parses costs one timeout a run
            self._failed(
                profile.name,
                "article",
                first_url,
                "article_parse_timeout",
                "could not parse %s: %s (PARSE_TIMEOUT); its worker was killed",
                response.url,
                exc,
                why="parsing took longer than PARSE_TIMEOUT",
                lasting=True,  # the same bytes backtrack the same way
            )
            return
        self.outstanding.pop(first_url, None)  # only now: a run stopped meanwhile keeps the page pending
        result = parsed.extraction
        if result.empty_body:
            self._kept_pending(profile.name, first_url, response.url, "empty_body",
                               "digest pages whose body came out almost empty, not archived")  # fmt: skip
            return
        if result.cut_short:
            what = "digest pages that ended before </html> (cut short in transfer), not archived"
            self._kept_pending(profile.name, first_url, response.url, "cut_short", what)
            return
        # the listing names a digest here, but the page is none: an error or maintenance page served
        # with 200, or a headline the parser no longer finds
        if not result.is_digest and is_digest_title(response.meta.get("link_title")):
            self._kept_pending(profile.name, first_url, response.url, "not_digest_as_linked",
                               "pages linked as digests did not read as digests")  # fmt: skip
            return
        if self.pending:
            self.pending.done(profile.name, first_url)
        if not result.is_digest:
            stats.inc_value(f"article/{profile.name}/not_digest")
            self.logger.info("skipped %s: %s", response.url, result.reason)
            return
        record = result.record
        assert record is not None
        for field, strategy in record["extraction_strategies"].items():
            stats.inc_value(f"extraction/{profile.name}/{field}/{strategy}")
        for rejected in parsed.rejected:
            self.logger.info("%s: body candidate %s", response.url, rejected)
        guesses = [w for w in record["extraction_warnings"] if w not in CONTENT_WARNINGS]
        if record["extraction_warnings"]:
            stats.inc_value(f"article/{profile.name}/with_warnings")
            self.logger.info("%s: %s", response.url, ", ".join(record["extraction_warnings"]))
        for code in guesses:
            self.note_degraded(profile.name, f"digests read past the template ({code})", response.url)
        if self.ranged and not overlaps(record, self.date_from, self.date_to):
            stats.inc_value(f"article/{profile.name}/out_of_range")
            return
        stats.inc_value(f"article/{profile.name}/digests")
        self.archived_now.add(record["key"])
        moved_from = response.meta.get("archived_key")
        if moved_from and moved_from != record["key"]:  # its address now leads to another digest: gone from it
            self.gone[moved_from] = first_url
            stats.inc_value(f"article/{profile.name}/gone")
            self.logger.warning("archived digest %s now leads to %s: marked gone from its address", first_url,
                                record["key"])  # fmt: skip
        self._check_week_taken(profile, record)
        yield parsed.prepared  # the record prepared in the worker: the pipelines count and act on what it found

    def _check_week_taken(self, profile: SiteProfile, record: dict[str, Any]) -> None:
        """A second digest of one portal for one week, under another key, is said when it is new to the
        archive: the page was published again, or its address changed (a slug follows an edited title),
        and the archive now holds both (``status`` lists such weeks from then on)."""
        if not (record.get("week_start") and record.get("week_end")):
            return
        week = (record["source"], record["week_start"], record["week_end"])
        others = {self.weeks_now.setdefault(week, record["key"])}
        if self.archive_index is not None:
            if record["key"] in self.archive_index.keys():  # archived before: said when it was new
                return
            others.update(self.archive_index.same_week(partition_for(record), *week))
        others.discard(record["key"])
        if others:
            self.crawler.stats.inc_value(f"article/{profile.name}/week_archived_twice")
            self.note_degraded(profile.name, "digests for a week the archive already holds under another address "
                               "(published again, or its URL changed? both are kept)",
                               f"{record['url']} and {', '.join(sorted(others))}")  # fmt: skip

    def check_archived_in_range(self) -> None:
        """Once the listing is done, look up archived digests in range that it no longer lists.

        A digest deleted from the site stays in the archive; the record gets ``gone_since``.
        """
        if not self.ranged or self.liveness_checked or self.archive_index is None:
            return
        self.liveness_checked = True
        names = {p.source: p for p in self.profiles}
        scheduled = 0
        for key, entry in self.archive_index.entries.items():
            profile = names.get(entry.source)
            if profile is None or key in self.scheduled or key in self.archived_now:
                continue
            if not overlaps(entry.dates, self.date_from, self.date_to):
                continue
            path = urlsplit(entry.canonical_url).path
            request = self._article_request(profile, self.base_urls[profile.name] + path)
            request.meta["archived_key"] = key
            self.scheduled.add(key)
            self.crawler.engine.crawl(request)
            scheduled += 1
        if scheduled:
            self.logger.info("checking %d archived digests in range that the listing no longer shows", scheduled)
            raise DontCloseSpider

    def closed(self, reason: str) -> None:
        self.parser.close()
        self.crawler.stats.set_value(
            "degraded/notes", [f"{what}: {count}x, e.g. {where}" for what, (count, where) in self.degraded.items()]
        )
        archive_dir = self.archive_dir or self.settings.get("ARCHIVE_DIR")
        if self.gone and archive_dir:
            Archive(archive_dir).mark_gone(self.gone, dt.date.today().isoformat())
        interrupted = reason == "shutdown"  # a signal: what was not fetched is not a failure
        for url, source in sorted(self.outstanding.items()):
            if not interrupted:
                self._failed(source, "article", url, "article_lost",
                             "no page came back for %s (a redirect loop or a redirect off the host?)", url,
                             why="no page came back")  # fmt: skip
                continue
            self.crawler.stats.inc_value(f"interrupted/{source}/articles_not_fetched")
            if self.pending:
                self.pending.failed(source, url)
        self._save_progress(final=True)

    def _save_progress(self, final: bool = False) -> None:
        """Write the pending articles and the walks' resume points (``state/``).

        Also done during the walk (see :meth:`_checkpoint`): a run killed at any moment leaves
        the next one a resume point no further than where it got, reaching as far as the walk
        could have read, and every article scheduled before it among the pending ones (those
        archived meanwhile are skipped by key). ``final``: the run has stopped reading pages,
        so each walk's reach is the deepest page it read.
        """
        if self.pending:
            self.pending.save()
        if self.walks:
            for profile in self.profiles:
                cut = self.walk_next.get(profile.name)
                deepest = max(self.deepest.get(profile.name, 0), self.resuming_through.get(profile.name, 0),
                              0 if final else self.promised.get(profile.name, 0))  # fmt: skip
                points = [(cut[0], cut[1], max(deepest, cut[1] - 1))] if cut else []
                points += self.resume.get(profile.name, [])  # earlier cut-short walks not reached this run
                paths = [(PendingArticles.path_of(url), page, deep) for url, page, deep in points]  # by path
                self.walks.set(profile.name, [(path, page, deep) for path, page, deep in paths if path])
                if paths:
                    self.crawler.stats.set_value(f"walk/{profile.name}/resume_from", paths[0][0])
            self.walks.save()

    def _checkpoint(self, source: str, page: int) -> None:
        """A scheduled walk goes on to a listing page past the last one its saved progress allows for.

        What is in flight becomes pending until fetched, and the source's resume point is saved
        with the walk's reach set ``WALK_LOOKAHEAD`` pages past ``page``: the walk reads no page
        beyond that before it saves again. A resume point must never lag behind the walk: a run
        killed after reading pages past its reach would leave them with digests archived out of
        order, and the next run's walk would stop at them, short of the gaps. (A kill costs the
        next run at most those few listing pages read again.)
        """
        self.promised[source] = page + WALK_LOOKAHEAD - 1
        if self.ranged:
            return
        if self.pending:
            for url, owner in self.outstanding.items():
                self.pending.failed(owner, url)
        try:
            self._save_progress()
        except OSError as exc:  # a full disk: the end of the run says so
            self.logger.warning("could not save the walk's progress: %s", exc)

    def on_error(self, failure: Failure) -> list[scrapy.Request] | None:
        request = failed_request(failure)
        kind = request.meta.get("page_kind", "page")
        source = request.meta.get("source", "unknown")
        first_url = (request.meta.get("redirect_urls") or [request.url])[0]
        self.outstanding.pop(first_url, None)
        if failure.check(OffOrigin):  # redirected off the configured origins: the page was not got
            self._failed(
                source,
                kind,
                first_url,
                f"{kind}_off_origin",
                "not following %s off the configured origins: %s",
                kind,
                failure.getErrorMessage(),
                why="redirected off the configured origins",
                lasting=True,
            )
            return None
        # refused for its size, or redirected in a loop past REDIRECT_MAX_TIMES: a failed fetch
        failed = any(why in failure.getErrorMessage() for why in ("DOWNLOAD_MAXSIZE", "max redirections"))
        # robots.txt or the offsite rule said no: policy, not failure (HttpError is an IgnoreRequest too)
        if failure.check(IgnoreRequest) and not failure.check(HttpError) and not failed:
            self.crawler.stats.inc_value(f"skipped/{source}/{kind}_refused")
            self.logger.warning("not fetching %s %s: %s", kind, request.url, failure.getErrorMessage())
            # not an error, but digests the archive lacks: the run says so, and an article stays pending
            # (asking robots.txt again costs no request; the next run fetches it once it is allowed)
            what = f"{kind} pages not fetched by policy ({failure.getErrorMessage()})"
            if kind == "article":
                self._kept_pending(source, first_url, request.url, None, what)
            else:
                self.note_degraded(source, what, request.url)
            return None
        response = getattr(failure.value, "response", None)
        if request.meta.get("guessed") and response is not None and response.status in (404, 410):
            self.logger.info("%s: guessed listing page %s does not exist: the listing ends", source, request.url)
            profile, number = request.cb_kwargs["profile"], request.cb_kwargs["number"]
            return list(self._walk_done(profile, number - 1))
        if request.meta.get("archived_key") and response is not None and response.status in (404, 410):
            self.gone[request.meta["archived_key"]] = request.url
            self.crawler.stats.inc_value(f"article/{source}/gone")
            self.logger.warning("archived digest no longer on the site (%d): %s", response.status, request.url)
            return None
        reason = reason_of(failure)
        self._failed(source, kind, first_url, kind, "failed to fetch %s %s: %s", kind, request.url, reason,
                     why=reason, lasting=is_lasting(failure, failed))  # fmt: skip
        return None

    def _kept_pending(
        self, source: str, first_url: str, where: str, stat: str | None, what: str, why: str | None = None
    ) -> None:
        """An article this run could not archive though nothing failed: counted (``article/SOURCE/STAT``),
        said in the run's warning, and kept pending so that the next run tries it again."""
        if stat:
            self.crawler.stats.inc_value(f"article/{source}/{stat}")
        self.note_degraded(source, f"{what} (kept pending: the next run tries again)", where)
        if stat:  # a page that was got: its failure counts (robots.txt's refusal is policy, not a failure)
            self._count_failure(source, first_url, why or stat.replace("_", " "), stat in ANSWERED)
        elif self.pending:
            self.pending.failed(source, first_url)

    def _failed(
        self,
        source: str,
        kind: str,
        first_url: str,
        error: str,
        message: str,
        *args: object,
        why: str | None = None,
        lasting: bool = False,
    ) -> None:
        """A page not got or not parsed: counted in ``errors/SOURCE/ERROR``, one error line, and an
        article stays pending (the next run tries it again); ``why`` and ``lasting`` as for
        :meth:`PendingArticles.failed` (``why`` defaults to ``ERROR``)."""
        self.outstanding.pop(first_url, None)
        self.crawler.stats.inc_value(f"errors/{source}/{error}")
        self.logger.error(message, *args)
        if kind == "listing":  # the run's last line says why, when no listing page came
            self.crawler.stats.set_value(f"listing_failure/{source}", why or error)
        if kind == "article":
            self._count_failure(source, first_url, why or error, lasting)

    def _count_failure(self, source: str, first_url: str, why: str, lasting: bool) -> None:
        """Keep a failed article pending, and say so once the runs give it up."""
        if not self.pending or not self.pending.failed(source, first_url, why, lasting):
            return
        entry = self.pending.entry(source, first_url)
        assert entry is not None
        self.crawler.stats.inc_value(f"article/{source}/given_up")
        note = f"{first_url}: {why} on {entry.lasting_runs} runs in a row since {entry.lasting_since}"
        self.given_up_now.append(note)
        self.crawler.stats.set_value("pending/given_up_now", list(self.given_up_now))
        self.logger.info("giving up on %s; the next runs do not ask for it (`crawl --retry-given-up` does)", note)
