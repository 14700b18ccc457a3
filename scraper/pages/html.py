"""Reading HTML: one parser configuration, compiled selectors, element text."""

from __future__ import annotations

import functools
import logging
import re
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from scraper.textnorm import fold, normalize_line

logger = logging.getLogger(__name__)


def parse_html(html: str | bytes) -> etree._Element:
    """An lxml tree; text is given decoded (Scrapy already chose the charset).

    libxml2's HTML parser never loads external entities or DTDs; ``no_network`` makes
    sure of it.
    """
    if isinstance(html, str):
        html = html.encode("utf-8")
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True)
    return lxml.html.document_fromstring(html or b"<html></html>", parser=parser)


@functools.cache
def compiled(css: str) -> CSSSelector | None:
    """Each selector is translated to XPath once, not once per page."""
    try:
        return CSSSelector(css, translator="html")
    except Exception:  # a bad selector in a profile must not stop a crawl
        logger.warning("invalid selector %r", css)
        return None


def select(root: Any, selector: str) -> list[Any]:
    """Elements matching ``css``, or attribute values with ``css@attr``."""
    css, _, attr = selector.partition("@")
    selector_fn = compiled(css)
    if selector_fn is None:
        return []
    found = selector_fn(root)
    if attr:
        return [el.get(attr) for el in found if el.get(attr)]
    return found


def text_of(el: Any) -> str:
    if el is None:
        return ""
    if isinstance(el, str):
        return normalize_line(el)
    return normalize_line(" ".join(el.itertext()))


def tag_of(el: Any) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def same_origin(url: str, other: str) -> bool:
    a, b = urlsplit(url), urlsplit(other)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc) or (
        a.netloc == b.netloc and {a.scheme, b.scheme} <= {"http", "https"}
    )


_CLASS_SPLIT = re.compile(r"[\s_-]+")


def class_words(el: Any) -> set[str]:
    """The words of an element's class and id ("block_share pull-right" → block, share, pull, right)."""
    value = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return set(_CLASS_SPLIT.split(value)) - {""}


def folded_equal(a: str, b: str) -> bool:
    return bool(a) and fold(a).rstrip(" .:") == fold(b).rstrip(" .:")
