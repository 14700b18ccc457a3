"""The listing page object: a page of a portal's digest listing, read without fetching.

Digest links: the template's selectors, then a generic scan of every same-host link in the
page's own content (menus, sidebars, pagers and "Tin liên quan" panels left out) whose text
or target looks like a digest — link text cut short with "…" included. The article page
itself still decides what is a digest. Next page: the template's pager, then ``rel=next``,
then next-page link text ("Sau", "Trang sau", "Tiếp", "›", "»"), then numbered page links,
then a link to this listing whose URL carries the next page number (a pager that leads back only
marks the last page), then the page number in the URL pattern (a guess: a missing page there
ends the walk).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from scraper.pages.text import fold
from scraper.pages.titles import is_digest_title
from scraper.sites.profiles import SiteProfile

from . import checks
from .html import cut_short, page_source, parse_html, select, text_of

_NEXT_TEXT = frozenset(
    {"sau", "trang sau", "tiep", "tiep theo", "trang tiep", "xem tiep", "next", "›", "»", ">", ">>", "sau »",
     "sau ›", "trang sau »", "trang sau ›", "tiep »", "tiep ›", "next »", "next ›"}
)  # fmt: skip
_NOT_NEXT = re.compile(r"\b(?:dau|truoc|cuoi|first|prev|previous|last)\b")
_ASSET = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|css|js|pdf|docx?|xlsx?|zip|rar|mp4|mp3)$", re.I)
# A page number in a listing URL: ?page=N (or p, trang, pg), /page/N, /trang/N, /trang-N, /p/N.
_QUERY_PAGE = re.compile(r"(?:^|&)(page|p|trang|pg|paged)=(\d+)")
_PATH_PAGE = re.compile(r"(/(?:page|trang|p)[/-])(\d+)(/?)$")
_DIGEST_SLUG = "chi-dao-dieu-hanh-noi-bat"


@dataclass
class ListingLink:
    url: str
    title: str
    strategy: str = ""


@dataclass
class ListingPage:
    links: list[ListingLink]
    next_url: str | None
    next_strategy: str = "none"  # which strategy found the next page ("template:…", "generic:…")
    link_strategies: dict[str, int] = field(default_factory=dict)  # strategy -> links it alone found
    # no next page found, but a next-page control that is a script ("javascript:__doPostBack(…)")
    next_unfollowable: bool = False
    # the page ends before its closing tags (cut in transfer): its pager and last links may be missing
    cut_short: bool = False

    @property
    def next_guessed(self) -> bool:
        return self.next_strategy == "generic:url-pattern"


def looks_like_digest_link(text: str, href: str) -> bool:
    """A link a digest may hide behind: its (possibly truncated) text, or its slug."""
    return _digest_like(fold(text), href)


def _digest_like(folded: str, href: str) -> bool:
    """:func:`looks_like_digest_link` of a text already folded."""
    if "chi dao" in folded and ("dieu hanh" in folded or "noi bat" in folded or folded.endswith(("…", "..."))):
        return True
    return _DIGEST_SLUG in urlsplit(href).path.lower() and bool(folded) and "chi dao" in folded[:20]


def _same_host(url: str, page_url: str) -> bool:
    return urlsplit(url).netloc == urlsplit(page_url).netloc


def _clean(href: str, page_url: str, live_host: str = "") -> str:
    """The link made absolute, without its fragment or tracking parameters (``utm_*``, ``fbclid``…).

    A link to the page's own site by another scheme or with(out) "www." ("http://…" on an https
    portal, as old CMS pages write them) is put on the page's origin, so the crawl's same-origin
    rule does not refuse the site's own pages; so is a link to the site's live host (``live_host``,
    bare) on a page of a mirror or an archived copy, so a crawl pointed at a copy stays on it.
    """
    joined = urljoin(page_url, href.strip()).split("#")[0]
    parts, page = urlsplit(joined), urlsplit(page_url)
    query = _without_tracking(parts.query) if parts.query else ""
    moved = (parts.scheme, parts.netloc) != (page.scheme, page.netloc) and parts.scheme in ("http", "https")
    if moved and bare_host(parts.hostname) in (bare_host(page.hostname), live_host) and parts.port in (None, 80, 443):
        return urlunsplit((page.scheme, page.netloc, parts.path, query, ""))
    return joined if query == parts.query else urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


# Parameters that say where a click came from, never which page: "?utm_source=zalo", "?fbclid=…".
_TRACKING = re.compile(r"^(?:utm_[a-z_]*|fbclid|gclid|dclid|msclkid|zarsrc|_ga|_gl|mc_cid|mc_eid)$", re.I)


def _without_tracking(query: str) -> str:
    kept = [pair for pair in query.split("&") if pair and not _TRACKING.match(pair.split("=", 1)[0])]
    return "&".join(kept)


def bare_host(host: str | None) -> str:
    """A host name without its "www.": the same site either way."""
    host = host or ""
    return host[4:] if host.startswith("www.") else host


def _link_title(anchor: Any) -> str:
    text = text_of(anchor)
    attribute = anchor.get("title")
    if not attribute:
        return text
    title = text_of(attribute)
    return title if len(title) > len(text) and looks_like_digest_link(title, "") else text or title


# Menus, footers and pagers repeat their link texts on every listing page: each is folded once a crawl.
_folded_link_text = functools.lru_cache(maxsize=4096)(fold)


def _template_links(
    doc: Any, url: str, profile: SiteProfile, source: bytes | None, clean: Callable[[str], str]
) -> tuple[list[ListingLink], str]:
    host = urlsplit(url).netloc
    for template in profile.templates:
        for selector in template.listing_links:
            links, seen = [], set()
            for anchor in select(doc, selector, source):
                href = clean(anchor.get("href", ""))
                if urlsplit(href).netloc != host or not profile.is_article_url(href):
                    continue
                key = profile.record_key(href) or href
                if key not in seen:
                    seen.add(key)
                    links.append(ListingLink(href, _link_title(anchor), f"template:{template.name}"))
            if links:
                return links, f"template:{template.name}"
    return [], "none"


def _generic_links(doc: Any, url: str, profile: SiteProfile, clean: Callable[[str], str]) -> list[ListingLink]:
    """Every digest-like link of the page's own content.

    A link's text is read first: a digest's says "chỉ đạo" (see :func:`looks_like_digest_link`),
    and the many links that do not (menus, footers, other news) cost no URL parsing.
    """
    page = urlsplit(url)
    listing = page.path.rstrip("/")
    links, seen = [], set()
    regions: dict[Any, bool] = {}
    for anchor in doc.iter("a"):
        title = _link_title(anchor)
        folded = _folded_link_text(title)
        if "chi dao" not in folded:
            continue
        href = clean(anchor.get("href") or "")
        parts = urlsplit(href)
        if parts.scheme not in ("http", "https") or parts.netloc != page.netloc or _ASSET.search(parts.path):
            continue
        if parts.path.rstrip("/") in (listing, profile.listing_path.rstrip("/")) or href in seen:
            continue
        if not _digest_like(folded, href) or checks.in_other_region(anchor, regions):
            continue
        seen.add(href)
        links.append(ListingLink(href, title, "generic:digest-like-link"))
    return links


_TITLE_HOLDERS = ("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "p", "span", "div", "td", "li")
_MAX_ITEM_TITLE = 300  # characters: a title, not a block of items
_ITEM_LEVELS = 4  # how far up from a title its item's link may sit


def _item_links(doc: Any, url: str, profile: SiteProfile, clean: Callable[[str], str]) -> list[ListingLink]:
    """Digests listed by a headline in plain text with a link elsewhere in its item ("Xem chi tiết", a
    picture): the item's one article link, titled by the headline. Tried only when no link says "chỉ đạo"."""
    page = urlsplit(url)
    listing = {page.path.rstrip("/"), profile.listing_path.rstrip("/")}
    links, seen = [], set()
    regions: dict[Any, bool] = {}
    for holder in doc.iter(*_TITLE_HOLDERS):
        text = text_of(holder)
        if not text or len(text) > _MAX_ITEM_TITLE or not is_digest_title(text) or holder.find(".//a") is not None:
            continue
        if any(text_of(child) == text for child in holder if isinstance(child.tag, str)):
            continue  # the innermost element holding the headline is the one read
        if checks.in_other_region(holder, regions):
            continue
        href = _item_article(holder, page.netloc, listing, clean)
        if href and href not in seen:
            seen.add(href)
            links.append(ListingLink(href, text, "generic:item-title"))
    return links


def _item_article(holder: Any, host: str, listing: set[str], clean: Callable[[str], str]) -> str | None:
    """The one article the smallest block around ``holder`` links (up to ``_ITEM_LEVELS`` up), or None
    once a block links several: that is past the item."""
    item = holder.getparent()
    for _ in range(_ITEM_LEVELS):
        if item is None:
            return None
        hrefs = (clean(anchor.get("href") or "") for anchor in item.iter("a"))
        targets = {href for href in hrefs if _is_article_href(href, host, listing)}
        if len(targets) == 1:
            return targets.pop()
        if targets:
            return None
        item = item.getparent()
    return None


def _is_article_href(href: str, host: str, listing: set[str]) -> bool:
    """A link to a page of the listing's own site, not a file and not the listing itself."""
    parts = urlsplit(href)
    on_site = parts.scheme in ("http", "https") and parts.netloc == host
    return on_site and not _ASSET.search(parts.path) and parts.path.rstrip("/") not in listing


def _numbered_next(doc: Any, url: str, page_number: int, clean: Callable[[str], str]) -> str | None:
    """The link to the page after the current one among numbered page links."""
    current = None
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        words = {w for w in (el.get("class") or "").lower().split()}
        marked = words & {"active", "current", "is-active", "selected"} or el.get("aria-current")
        digits = text_of(el)
        if marked and digits.isdigit():
            current = int(digits)
            break
    numbered = []
    for anchor in doc.iter("a"):
        digits = text_of(anchor)
        if digits.isdigit() and anchor.get("href") and not checks.is_widget(anchor):
            numbered.append((int(digits), clean(anchor.get("href"))))
    after = current if current is not None else page_number
    higher = sorted((n, href) for n, href in numbered if n > after and href != url)
    return higher[0][1] if higher else None


def _page_in_url(url: str, path: str, first_page: int) -> int | None:
    """The page number a listing URL at ``path`` shows (the bare path shows ``first_page``); None elsewhere."""
    parts = urlsplit(url)
    match = _PATH_PAGE.search(parts.path)
    if match:
        return int(match.group(2)) if parts.path[: match.start()] == path.rstrip("/") else None
    if parts.path.rstrip("/") != path.rstrip("/"):
        return None
    query = _QUERY_PAGE.search(parts.query)
    return int(query.group(2)) if query else first_page


def _this_page(url: str, profile: SiteProfile, page_number: int) -> tuple[int | None, int]:
    """The page this is: its number in the URL (None when the URL gives none) and as a pager labels it
    (from 1; the walk's count when the URL gives none)."""
    current = _page_in_url(url, urlsplit(url).path, profile.first_page)
    return current, current - profile.first_page + 1 if current is not None else page_number


def _pager_links(doc: Any, url: str, first_page: int, clean: Callable[[str], str]) -> dict[int, str]:
    """The page number of every link on the page to another page of this listing (its pager)."""
    path = urlsplit(url).path
    found: dict[int, str] = {}
    for anchor in doc.iter("a"):
        href = anchor.get("href")
        if not href or checks.is_widget(anchor):
            continue
        href = clean(href)
        if href != url and _same_host(href, url) and (number := _page_in_url(href, path, first_page)) is not None:
            found.setdefault(number, href)
    return found


def _url_pattern_next(url: str) -> str | None:
    parts = urlsplit(url)
    match = _QUERY_PAGE.search(parts.query)
    if match:
        query = parts.query[: match.start(2)] + str(int(match.group(2)) + 1) + parts.query[match.end(2) :]
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    match = _PATH_PAGE.search(parts.path)
    if match:
        path = parts.path[: match.start(2)] + str(int(match.group(2)) + 1) + match.group(3)
        return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
    return None


def _next_page(
    doc: Any,
    url: str,
    profile: SiteProfile,
    page_number: int,
    visited: set[str],
    source: bytes | None,
    clean: Callable[[str], str],
) -> tuple[str | None, str]:
    def fresh(href: str | None) -> str | None:
        if not href:
            return None
        href = clean(href)
        return href if href != url and href not in visited and _same_host(href, url) else None

    for template in profile.templates:
        for selector in template.next_page:
            for anchor in select(doc, selector, source):
                if found := fresh(anchor.get("href")):
                    return found, f"template:{template.name}"
        if any(select(doc, selector, source) for selector in template.pager):
            return None, f"template:{template.name}"  # the template's pager is there and has no next page
    for selector in ("link[rel~=next]", "a[rel~=next]"):
        for el in select(doc, selector, source):
            if found := fresh(el.get("href")):
                return found, "generic:rel-next"
    for anchor in doc.iter("a"):
        label = fold(text_of(anchor))
        hint = fold(f"{anchor.get('title') or ''} {anchor.get('aria-label') or ''}")
        if (label in _NEXT_TEXT or fold(anchor.get("title") or "") in _NEXT_TEXT) and not _NOT_NEXT.search(hint):
            if found := fresh(anchor.get("href")):
                return found, "generic:next-text"
    current, shown = _this_page(url, profile, page_number)
    if found := fresh(_numbered_next(doc, url, shown, clean)):
        return found, "generic:page-numbers"
    # links to this listing's own pages, told apart by the page number in their URL (a pager of icons)
    pager = _pager_links(doc, url, profile.first_page, clean) if current is not None else {}
    if current is not None and (found := fresh(pager.get(current + 1))):
        return found, "generic:page-url"
    if current is not None and len(pager) >= 1 and all(number < current for number in pager):
        return None, "generic:page-url"  # a pager that leads back only: this is the last page
    if found := fresh(_url_pattern_next(url)):
        return found, "generic:url-pattern"
    return None, "none"


def parse_listing(
    url: str, html: str | bytes, profile: SiteProfile, *, page_number: int = 1, visited: set[str] | None = None
) -> ListingPage:
    """The digest links of one listing page, in page order, and the next page's URL.

    ``page_number`` counts the pages walked (1 for the first); ``visited`` holds the
    listing URLs already fetched, so a generic pager never walks back.
    """
    source = html.encode("utf-8") if isinstance(html, str) else html
    doc = parse_html(source)
    page = page_source(source)
    live_host = bare_host(urlsplit(profile.base_url).hostname)
    # the same links are read by both scans
    clean = functools.cache(functools.partial(_clean, page_url=url, live_host=live_host))
    links, strategy = _template_links(doc, url, profile, page, clean)
    known = {profile.record_key(link.url) or link.url for link in links}
    generic = _generic_links(doc, url, profile, clean)
    generic_only = [g for g in generic if (profile.record_key(g.url) or g.url) not in known]
    counts = {strategy: len(links)} if links else {}
    if generic_only:
        counts["generic:digest-like-link"] = len(generic_only)
    elif not links and (generic_only := _item_links(doc, url, profile, clean)):
        counts["generic:item-title"] = len(generic_only)
    next_url, next_strategy = _next_page(doc, url, profile, page_number, set(visited or ()) | {url}, page, clean)
    unfollowable = next_url is None and _script_next(doc, url, profile, page_number)
    return ListingPage(links + generic_only, next_url, next_strategy, counts, unfollowable, cut_short(source))


_SCRIPT_HREF = re.compile(r"^\s*(?:javascript:|#\s*$)", re.I)


def _script_next(doc: Any, url: str, profile: SiteProfile, page_number: int) -> bool:
    """Whether the page has a next-page control the crawler cannot follow: a script link labelled
    as the next page, or with the next page's number (an ASP.NET pager posts back)."""
    _, shown = _this_page(url, profile, page_number)
    for anchor in doc.iter("a"):
        href = anchor.get("href")
        if href is not None and not _SCRIPT_HREF.match(href):
            continue
        if href is None and not anchor.get("onclick"):
            continue
        label = fold(text_of(anchor))
        if label in _NEXT_TEXT or label == str(shown + 1):
            return True
    return False
