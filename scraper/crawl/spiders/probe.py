"""``langson-archive probe``: fetch a source's first listing page and newest digests, and say how they read.

For an operator before the first crawl of the live sites and after any redesign: which
strategy answered each field of each page and which checks failed. Nothing is archived.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from scraper.crawl.failures import reason_of
from scraper.pages import CONTENT_WARNINGS, DigestPage, parse_listing
from scraper.sites.profiles import PROFILES, SiteProfile

from .digests import _might_be_digest, failed_request, page_text


@dataclass
class PageReport:
    url: str
    kind: str  # "listing" or "article"
    strategies: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    failed_checks: list[str] = field(default_factory=list)
    note: str = ""  # a listing's link count, a page that is not a digest, a fetch error
    error: bool = False

    @property
    def past_template(self) -> bool:
        guessed = [w for w in self.warnings if w not in CONTENT_WARNINGS]
        past = any(not s.startswith("template:") and s != "none" for s in self.strategies.values())
        return self.error or past or bool(guessed or self.failed_checks)


class ProbeSpider(scrapy.Spider):
    name = "probe"

    def __init__(self, source: str = "all", base_urls: dict[str, str] | None = None, limit: int = 3, **kwargs: Any):
        super().__init__(**kwargs)
        names = list(PROFILES) if source in (None, "", "all") else [source]
        self.profiles: list[SiteProfile] = [PROFILES[n] for n in names]
        self.base_urls = {p.name: (base_urls or {}).get(p.name, p.base_url).rstrip("/") for p in self.profiles}
        self.limit = int(limit)
        self.reports: dict[str, list[PageReport]] = {p.name: [] for p in self.profiles}

    async def start(self) -> AsyncIterator[Any]:
        for profile in self.profiles:
            url = profile.listing_url(self.base_urls[profile.name])
            yield self._request(url, self.parse_listing, profile, "listing")

    def _request(self, url: str, callback: Any, profile: SiteProfile, kind: str) -> scrapy.Request:
        meta = {"source": profile.name, "page_kind": kind}
        return scrapy.Request(url, callback=callback, errback=self.on_error, cb_kwargs={"profile": profile}, meta=meta)

    def parse_listing(self, response: Response, profile: SiteProfile) -> Any:
        page = parse_listing(response.url, page_text(response), profile)
        links = ", ".join(f"{count} by {strategy}" for strategy, count in page.link_strategies.items()) or "none"
        report = PageReport(response.url, "listing", note=f"digest links: {links}; next page: {page.next_url or '-'}")
        generic = [strategy for strategy in page.link_strategies if not strategy.startswith("template:")]
        links = generic[0] if generic else next(iter(page.link_strategies), "none")
        report.strategies = {"links": links, "next_page": page.next_strategy}
        if not page.links:
            report.error = True
            report.note += " (no digest link found)"
        self.reports[profile.name].append(report)
        chosen = [link for link in page.links if _might_be_digest(link.title)][: self.limit]
        for link in chosen:
            yield self._request(link.url, self.parse_article, profile, "article")

    def parse_article(self, response: Response, profile: SiteProfile) -> None:
        page = DigestPage(response.url, page_text(response), profile)
        result = page.extract()
        report = PageReport(response.url, "article")
        if result.unusable:
            report.note, report.error = result.reason, True
        elif not result.is_digest or result.record is None:
            report.note = f"not a digest: {result.reason}"
        else:
            report.strategies = result.record["extraction_strategies"]
            report.warnings = result.record["extraction_warnings"]
            report.note = result.record["title"]
        report.failed_checks = page.rejected
        self.reports[profile.name].append(report)

    def on_error(self, failure: Failure) -> None:
        request = failed_request(failure)
        source = request.meta.get("source", "")
        self.reports.setdefault(source, []).append(
            PageReport(request.url, request.meta.get("page_kind", "page"), note=reason_of(failure), error=True)
        )


def format_probe(reports: dict[str, list[PageReport]], base_urls: dict[str, str]) -> list[str]:
    lines = []
    for source, pages in reports.items():
        lines.append(f"{source} ({base_urls.get(source, '')})")
        for page in pages:
            flag = "FAILED" if page.error else "PAST TEMPLATE" if page.past_template else "ok"
            lines.append(f"  {page.kind} {page.url}  [{flag}]")
            if page.note:
                lines.append(f"    {page.note}")
            for name, strategy in page.strategies.items():
                lines.append(f"    {name:<14} {strategy}")
            if page.warnings:
                lines.append(f"    warnings: {', '.join(page.warnings)}")
            for why in page.failed_checks:
                lines.append(f"    check failed: {why}")
        if not pages:
            lines.append("  nothing fetched (robots.txt or the host refused?)")
    return lines
