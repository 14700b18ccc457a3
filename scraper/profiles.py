"""The portals as data.

Each source is one :class:`SiteProfile`: where its listing lives, how it paginates, how
its article URLs look, and where title, lead, body and date sit in its template. A new
template version is a new profile entry (or more selectors in a tuple), not a branch in
code. Selectors are tried in order; the first that matches wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit


@dataclass(frozen=True)
class SiteProfile:
    name: str  # short id used on the command line
    source: str  # the value of a record's ``source`` field: the live host
    base_url: str  # the live site; ``--base-url`` overrides it per run
    listing_path: str
    first_page: int  # the page number the bare listing URL shows (Drupal counts from 0)
    page_param: str
    article_path: re.Pattern[str]  # what an article URL's path looks like
    key_pattern: re.Pattern[str]  # one group: what identifies an article across URL variants
    # "{key}" template for the canonical path when the page names none; None keeps the
    # fetched path on the live host.
    canonical_path: str | None
    listing_link_selectors: tuple[str, ...]
    next_page_selectors: tuple[str, ...]
    title_selectors: tuple[str, ...]
    lead_selectors: tuple[str, ...]
    body_selectors: tuple[str, ...]
    published_selectors: tuple[str, ...]  # "css" for text, "css@attr" for an attribute
    attachment_selectors: tuple[str, ...] = ()
    max_pages: int = 500  # a guard against pagers that never end

    def listing_url(self, base_url: str, page: int | None = None) -> str:
        """The listing page URL; ``None`` or the first page is the bare listing path."""
        parts = urlsplit(base_url.rstrip("/") + self.listing_path)
        query = "" if page is None or page == self.first_page else urlencode({self.page_param: page})
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))

    def is_article_url(self, url: str) -> bool:
        return bool(self.article_path.search(urlsplit(url).path))

    def record_key(self, url: str) -> str | None:
        """The identity of an article whatever URL variant it was reached by."""
        match = self.key_pattern.search(urlsplit(url).path)
        return f"{self.name}:{match.group(1)}" if match else None

    def canonical_url(self, url: str) -> str:
        """The live-site URL of an article, rebuilt from its key (or its path)."""
        path = urlsplit(url).path
        match = self.key_pattern.search(path)
        if match and self.canonical_path:
            path = self.canonical_path.format(key=match.group(1))
        return self.base_url.rstrip("/") + path


LANGSON = SiteProfile(
    name="langson",
    source="langson.gov.vn",
    base_url="https://langson.gov.vn",
    listing_path="/chi-dao-dieu-hanh-noi-bat",
    first_page=1,
    page_param="page",
    article_path=re.compile(r"/chi-dao-dieu-hanh-noi-bat/[^/]+\.html$"),
    key_pattern=re.compile(r"/([^/]+)\.html$"),
    canonical_path=None,
    listing_link_selectors=(
        "section.Article-News-List-default article h2 a[href]",
        ".col-left article.list-news-one .title a[href]",
        "#page-content .col-left a[href]",
    ),
    next_page_selectors=(
        "ul.pagination a[title='Trang sau']",
        "a[rel=next]",
        "ul.pagination li.active + li a",
    ),
    title_selectors=("h1.title-detail", "h1[itemprop=headline]", "article h1"),
    lead_selectors=("div.brief", "[itemprop=description]"),
    body_selectors=("div.content-detail", "[itemprop=articleBody]"),
    published_selectors=(
        "meta[itemprop=datePublished]@content",
        "meta[property='article:published_time']@content",
        "article .post-date",
        ".post-date",
    ),
    attachment_selectors=("div.content-detail a[href]", ".attach-file a[href]"),
)

VANPHONG = SiteProfile(
    name="vanphong",
    source="vanphong.langson.gov.vn",
    base_url="https://vanphong.langson.gov.vn",
    listing_path="/vi/chi-dao-dieu-hanh",
    first_page=0,
    page_param="page",
    article_path=re.compile(r"^(?:/index\.php)?(?:/(?:vi|en))?/node/\d+/?$"),
    key_pattern=re.compile(r"/node/(\d+)/?$"),
    canonical_path="/vi/node/{key}",
    listing_link_selectors=(
        ".view-content .views-row .views-field-title a[href]",
        "main .views-row a[href]",
        "main a[href]",
    ),
    next_page_selectors=("li.pager__item--next a", "a[rel=next]"),
    title_selectors=("h1.page-title", "main h1", "article h1"),
    lead_selectors=(".field--name-field-tom-tat",),
    body_selectors=(".node__content .field--name-body", "article .field--name-body"),
    published_selectors=(
        "meta[property='article:published_time']@content",
        ".node__meta .field--name-created",
        ".field--name-created",
    ),
    attachment_selectors=(".field--type-file a[href]", ".field--name-field-file a[href]"),
)

PROFILES: dict[str, SiteProfile] = {p.name: p for p in (LANGSON, VANPHONG)}
