"""Page parsing: pure functions of (url, html, site profile).

No crawler is needed to run these; the spider only hands responses over. Article pages
are read with the site profile's selectors first; when the expected body markup is
missing, trafilatura extracts the main content and the record says so
(``extraction_method`` and ``extraction_warnings``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from .documents import extract_documents
from .profiles import SiteProfile
from .textnorm import fold, normalize_line
from .titles import is_digest_title, parse_week_range

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "1.0"
VN_TZ = dt.timezone(dt.timedelta(hours=7))

METHOD_SITE = "site-profile"
METHOD_FALLBACK = "trafilatura-fallback"

_BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "aside", "main", "blockquote", "pre",
    "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
    "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "address", "center", "form",
    "caption", "details", "summary",
}  # fmt: skip
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIP_TAGS = {"script", "style", "noscript", "iframe", "button", "input", "select", "textarea", "svg",
              "object", "embed", "template", "head", "title", "meta", "link"}  # fmt: skip
_BOLD_TAGS = {"b", "strong"}
_ITALIC_TAGS = {"i", "em", "cite"}
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*italic", re.I)
_ATTACHMENT_EXT = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|zip|rar|7z)(?:$|\?)", re.I)
_LEAD_HINT = "noi dung chinh"  # folded "nội dung chính", the lead's usual closing words
_MAX_HEADING_CHARS = 400


@dataclass
class Block:
    """One line of body text (a paragraph, a list item or a ``<br>``-separated run)."""

    text: str
    bold: bool = False
    italic: bool = False
    heading_tag: bool = False
    in_caption: bool = False
    images: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ListingLink:
    url: str
    title: str


@dataclass
class ListingPage:
    links: list[ListingLink]
    next_url: str | None


@dataclass
class Extraction:
    """The result of reading one article page."""

    is_digest: bool
    record: dict[str, Any] | None = None
    reason: str = ""


# --------------------------------------------------------------------------- helpers


def _parse_html(html: str | bytes) -> etree._Element:
    """An lxml tree; text is given decoded (Scrapy already chose the charset).

    libxml2's HTML parser never loads external entities or DTDs; ``no_network`` makes
    sure of it.
    """
    if isinstance(html, str):
        html = html.encode("utf-8")
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True)
    return lxml.html.document_fromstring(html or b"<html></html>", parser=parser)


@functools.cache
def _compiled(css: str) -> CSSSelector | None:
    """Each profile selector is translated to XPath once, not once per page."""
    try:
        return CSSSelector(css, translator="html")
    except Exception:  # a bad selector in a profile must not stop a crawl
        logger.warning("invalid selector %r", css)
        return None


def _select(doc: etree._Element, selector: str) -> list[Any]:
    css, _, attr = selector.partition("@")
    compiled = _compiled(css)
    if compiled is None:
        return []
    found = compiled(doc)
    if attr:
        return [el.get(attr) for el in found if el.get(attr)]
    return found


def _first(doc: etree._Element, selectors: tuple[str, ...]) -> Any | None:
    for selector in selectors:
        found = _select(doc, selector)
        if found:
            return found[0]
    return None


def _text_of(el: Any) -> str:
    if isinstance(el, str):
        return normalize_line(el)
    return normalize_line(" ".join(el.itertext()))


def _same_site(url: str, page_url: str) -> bool:
    return urlsplit(url).netloc == urlsplit(page_url).netloc


# --------------------------------------------------------------------------- listing pages


def parse_listing(url: str, html: str | bytes, profile: SiteProfile) -> ListingPage:
    """The article links of one listing page, in page order, and the next page's URL.

    Only links to the same host that look like article URLs are kept; which of them are
    digests is decided later on the article page itself.
    """
    doc = _parse_html(html)
    links: list[ListingLink] = []
    for selector in profile.listing_link_selectors:
        seen: set[str] = set()
        for anchor in _select(doc, selector):
            href = urljoin(url, anchor.get("href", "").strip())
            if not _same_site(href, url) or not profile.is_article_url(href):
                continue
            key = profile.record_key(href) or href
            if key in seen:
                continue
            seen.add(key)
            links.append(ListingLink(url=href.split("#")[0], title=_text_of(anchor) or anchor.get("title", "")))
        if links:
            break
    next_url = None
    for selector in profile.next_page_selectors:
        for anchor in _select(doc, selector):
            href = urljoin(url, anchor.get("href", "").strip())
            if href and href != url and _same_site(href, url):
                next_url = href
                break
        if next_url:
            break
    return ListingPage(links=links, next_url=next_url)


# --------------------------------------------------------------------------- body blocks


class _BlockWriter:
    """Turns an element tree into :class:`Block` lines, remembering inline formatting."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.blocks: list[Block] = []
        self._frags: list[tuple[str, bool, bool]] = []
        self._images: list[dict[str, str]] = []
        self._heading = False
        self._caption = False

    def add(self, text: str | None, bold: bool, italic: bool) -> None:
        if text:
            self._frags.append((text, bold, italic))

    def flush(self) -> None:
        text = normalize_line("".join(t for t, _, _ in self._frags))
        visible = [(b, i) for t, b, i in self._frags if normalize_line(t)]
        if text or self._images:
            self.blocks.append(
                Block(
                    text=text,
                    bold=bool(visible) and all(b for b, _ in visible),
                    italic=bool(visible) and all(i for _, i in visible),
                    heading_tag=self._heading,
                    in_caption=self._caption,
                    images=self._images,
                )
            )
        self._frags, self._images, self._heading = [], [], False

    def visit(self, el: Any, bold: bool = False, italic: bool = False, caption: bool = False) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIP_TAGS or not tag:
            return
        if tag == "br":
            self.flush()
            return
        if tag == "img":
            src = el.get("src") or el.get("data-src") or ""
            if src:
                self._images.append({"src": urljoin(self.base_url, src), "alt": normalize_line(el.get("alt"))})
            return
        style = el.get("style") or ""
        is_block = tag in _BLOCK_TAGS
        if is_block:
            self.flush()
        bold = bold or tag in _BOLD_TAGS or tag in _HEADING_TAGS or bool(_BOLD_STYLE.search(style))
        italic = italic or tag in _ITALIC_TAGS or bool(_ITALIC_STYLE.search(style))
        caption = caption or tag == "figcaption" or "caption" in (el.get("class") or "").lower()
        if tag in _HEADING_TAGS:
            self._heading = True
        self._caption = caption
        self.add(el.text, bold, italic)
        for child in el:
            self.visit(child, bold, italic, caption)
            self._caption = caption
            if tag in _HEADING_TAGS:
                self._heading = True
            self.add(child.tail, bold, italic)
        if is_block:
            self.flush()


def body_blocks(el: Any, base_url: str) -> list[Block]:
    writer = _BlockWriter(base_url)
    writer.add(el.text, False, False)
    for child in el:
        writer.visit(child)
        writer.add(child.tail, False, False)
    writer.flush()
    return writer.blocks


# --------------------------------------------------------------------------- dates


_DMY = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_HM = re.compile(r"(\d{1,2})\s*[:hg]\s*(\d{2})(?:\s*:\s*(\d{2}))?")


def parse_published(value: str | None) -> str | None:
    """ISO 8601 with the +07:00 offset from an ISO attribute or a visible Vietnamese date.

    Visible dates are day-first ("16:27:00 | 19/01/2026", "Thứ Hai, 01/04/2019 - 16:20")
    and in local time; ISO values with another offset are converted to +07:00.
    """
    if not value:
        return None
    value = normalize_line(value)
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None:
        date = _DMY.search(value)
        if not date:
            return None
        rest = value[: date.start()] + " " + value[date.end() :]
        clock = _HM.search(rest)
        try:
            parsed = dt.datetime(
                int(date.group(3)),
                int(date.group(2)),
                int(date.group(1)),
                int(clock.group(1)) if clock else 0,
                int(clock.group(2)) if clock else 0,
                int(clock.group(3) or 0) if clock else 0,
            )
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=VN_TZ)
    return parsed.astimezone(VN_TZ).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- article pages


def _find_title(doc: Any, profile: SiteProfile, warnings: list[str]) -> str:
    el = _first(doc, profile.title_selectors)
    if el is not None and _text_of(el):
        return _text_of(el)
    for h1 in doc.iter("h1"):
        if is_digest_title(_text_of(h1)):
            warnings.append("title: profile selectors missed, used a digest-like <h1>")
            return _text_of(h1)
    for value in _select(doc, "meta[property='og:title']@content") + [_text_of(t) for t in doc.iter("title")]:
        title = re.split(r"\s+(?:\||-|–)\s+(?=[^|–-]*$)", normalize_line(value))[0]
        if title:
            warnings.append("title: profile selectors missed, used og:title/<title>")
            return title
    return ""


def _fallback_blocks(html: str | bytes, url: str) -> list[Block]:
    """The main content as trafilatura sees it, turned into the same blocks."""
    import trafilatura  # imported lazily: it is the slow path

    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    extracted = trafilatura.extract(
        html,
        url=url,
        output_format="html",
        include_formatting=True,
        include_images=True,
        include_tables=True,
        include_comments=False,
        favor_precision=True,
    )
    if not extracted:
        return []
    root = _parse_html(extracted)
    body = root.find("body")
    return body_blocks(body if body is not None else root, url)


def _same_text(a: str, b: str) -> bool:
    return bool(a) and fold(a).rstrip(" .") == fold(b).rstrip(" .")


def _is_caption(block: Block, previous: Block | None) -> bool:
    if block.in_caption:
        return True
    after_image = previous is not None and bool(previous.images) and not previous.text
    if not (after_image or block.images) or len(block.text) >= 300:  # most blocks stop here, unfolded
        return False
    return block.italic or fold(block.text[:20]).startswith(("anh:", "anh minh hoa", "anh "))


def _looks_like_lead(block: Block) -> bool:
    return block.bold and (";" in block.text or _LEAD_HINT in fold(block.text) or len(block.text) > 250)


def _is_heading(block: Block) -> bool:
    return (block.heading_tag or block.bold) and 0 < len(block.text) <= _MAX_HEADING_CHARS


def content_hash(record: dict[str, Any]) -> str:
    """A digest of what the page says (not of when or where it was fetched)."""
    payload = {k: record.get(k) for k in ("title", "published_at", "summary", "sections", "text")}
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return "sha256:" + hashlib.sha256(blob).hexdigest()


def parse_digest(
    url: str,
    html: str | bytes,
    profile: SiteProfile,
    *,
    crawled_at: str | None = None,
) -> Extraction:
    """Read one article page into a digest record, or say why it is not a digest."""
    doc = _parse_html(html)
    warnings: list[str] = []
    title = _find_title(doc, profile, warnings)
    if not title:
        return Extraction(False, reason="no headline")
    if not is_digest_title(title):
        return Extraction(False, reason=f"headline is not a weekly digest: {title[:80]!r}")

    method = METHOD_SITE
    body_el = _first(doc, profile.body_selectors)
    if body_el is not None:
        blocks = body_blocks(body_el, url)
    else:
        method = METHOD_FALLBACK
        warnings.append("body: profile selectors missed, used trafilatura")
        blocks = _fallback_blocks(html, url)
    if not any(b.text for b in blocks):
        warnings.append("body: no text found")

    lead_el = _first(doc, profile.lead_selectors)
    summary = _text_of(lead_el) if lead_el is not None else ""

    images: list[dict[str, str]] = []
    kept: list[Block] = []
    previous: Block | None = None
    for block in blocks:
        if block.images:
            images.extend({**img, "caption": ""} for img in block.images)
        if block.text and _is_caption(block, previous):
            if images:
                images[-1]["caption"] = block.text
        elif block.text and (kept or not _same_text(block.text, title)):
            kept.append(block)
        previous = block
    # The lead may be repeated as the body's first line, or be only there.
    if kept and summary and _same_text(kept[0].text, summary):
        kept.pop(0)
    elif kept and not summary and _looks_like_lead(kept[0]):
        summary = kept.pop(0).text
        warnings.append("summary: no lead element, used the first bold paragraph")

    preamble: list[str] = []
    sections: list[dict[str, str]] = []
    lines: list[str] = []
    for block in kept:
        if _is_heading(block):
            if sections:
                sections[-1]["text"] = "\n".join(lines)
            sections.append({"heading": block.text, "text": ""})
            lines = []
        elif sections:
            lines.append(block.text)
        else:
            preamble.append(block.text)
    if sections:
        sections[-1]["text"] = "\n".join(lines)

    text_lines = [summary] if summary else []
    text_lines += preamble
    for section in sections:
        text_lines.append(section["heading"])
        if section["text"]:
            text_lines.append(section["text"])
    text = "\n".join(text_lines)

    week = parse_week_range(title)
    if week is None:
        warnings.append("week: title has no readable date range")

    published_at = None
    for selector in profile.published_selectors + (
        "meta[property='article:published_time']@content",
        "meta[itemprop=datePublished]@content",
    ):
        for value in _select(doc, selector):
            published_at = parse_published(value if isinstance(value, str) else _text_of(value))
            if published_at:
                break
        if published_at:
            break
    if published_at is None:
        warnings.append("published_at: no date found")

    canonical = None
    for href in _select(doc, "link[rel=canonical]@href"):
        candidate = urljoin(url, href.strip())
        if profile.is_article_url(candidate) and profile.record_key(candidate) == profile.record_key(url):
            canonical = candidate
    if canonical is None:
        canonical = profile.canonical_url(url)

    attachments: list[dict[str, str]] = []
    scopes = [body_el] if body_el is not None else []
    for selector in profile.attachment_selectors:
        scopes.extend(_select(doc, selector))
    seen_links: set[str] = set()
    for scope in scopes:
        anchors = [scope] if scope.tag == "a" else scope.iter("a")
        for anchor in anchors:
            href = urljoin(url, (anchor.get("href") or "").strip())
            if _ATTACHMENT_EXT.search(href) and href not in seen_links:
                seen_links.add(href)
                attachments.append({"url": href, "text": _text_of(anchor)})

    record: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "key": profile.record_key(canonical) or profile.record_key(url) or canonical,
        "url": url,
        "canonical_url": canonical,
        "source": profile.source,
        "title": title,
        "week_start": week[0].isoformat() if week else None,
        "week_end": week[1].isoformat() if week else None,
        "published_at": published_at,
        "summary": summary or None,
        "sections": sections,
        "documents": extract_documents(text),
        "text": text,
        "images": images,
        "attachments": attachments,
        "digest_key": f"{week[0].isoformat()}/{week[1].isoformat()}" if week else None,
        "also_published_at": [],
        "extraction_method": method,
        "extraction_warnings": warnings,
        "crawled_at": crawled_at,
    }
    record["content_hash"] = content_hash(record)
    return Extraction(True, record=record)
