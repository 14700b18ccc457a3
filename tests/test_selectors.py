"""Selecting with the page's source at hand finds exactly what a full scan finds; reading an element's text."""

from __future__ import annotations

import pytest

from scraper.pages import digest
from scraper.pages.html import page_source, parse_html, select, text_of
from scraper.pages.text import normalize_line
from scraper.sites.profiles import PROFILES
from tests.conftest import FIXTURES

_SELECTORS = sorted(
    {
        sel
        for profile in PROFILES.values()
        for template in profile.templates
        for field in ("title", "lead", "body", "published", "identity", "attachments", "listing_links", "pager")
        for sel in getattr(template, field) + template.next_page
    }
    | {sel for _, sel in digest._GENERIC_TITLE + digest._GENERIC_LEAD + digest._GENERIC_BODY}
    | set(digest._GENERIC_DATE_META)
    | {"script[type='application/ld+json']", "time[datetime]@datetime", "link[rel~=next]", "a[rel~=next]"}
)


def _pages() -> list[bytes]:
    return [path.read_bytes() for path in sorted((FIXTURES / "pages").glob("*/page.html"))]


@pytest.mark.parametrize("selector", _SELECTORS)
def test_a_selector_checked_against_the_source_finds_what_a_scan_finds(selector: str) -> None:
    for html in _pages():
        doc = parse_html(html)
        assert select(doc, selector, page_source(html)) == select(doc, selector)


@pytest.mark.parametrize(
    ("html", "selector", "found"),
    [
        (b'<div class="brief">x</div>', "div.brief", 1),
        (b'<div class="brief">x</div>', "div.sapo", 0),
        (b'<div class="br&#105;ef">x</div>', "div.brief", 1),  # a numeric reference: the source is not used
        (b'<div class="a b">x</div><p class="b">y</p>', ".a, p.b", 2),
        (b'<div itemprop="description">x</div>', "[itemprop=description]:not(meta)", 1),
        (b'<div class="xfjx">x</div>', ".xfjx", 1),
    ],
)
def test_the_source_check_never_hides_a_match(html: bytes, selector: str, found: int) -> None:
    doc = parse_html(html)
    assert len(select(doc, selector, page_source(html))) == found == len(select(doc, selector))


def test_a_source_with_numeric_references_or_nuls_is_not_used() -> None:
    assert page_source(b"<p>a &amp; b</p>") is not None
    assert page_source(b"<p>a &#38; b</p>") is None
    assert page_source(b"<p>a\0b</p>") is None


@pytest.mark.parametrize(
    "markup",
    [
        "<a href='/x'>  Chỉ đạo,\u00a0điều hành  </a>",  # text only: read without walking
        "<a href='/x'></a>",
        "<a href='/x'><b>Chỉ</b>đạo<!-- c --> nổi bật<br/>tuần</a>",  # children: their texts joined by spaces
        "<p>Một<!-- chú thích -->hai</p>",
    ],
)
def test_text_of_reads_every_element_as_its_texts_joined_by_spaces(markup):
    doc = parse_html(f"<html><body>{markup}</body></html>".encode())
    for el in doc.iter():  # comments too
        assert text_of(el) == normalize_line(" ".join(el.itertext()))
