"""Reading HTML: one parser configuration, compiled selectors, element text."""

from __future__ import annotations

import functools
import logging
import re
from html.parser import HTMLParser
from typing import Any

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from scraper.pages.text import fold, normalize_line

logger = logging.getLogger(__name__)


def parse_html(html: str | bytes) -> etree._Element:
    """An lxml tree; text is given decoded (Scrapy already chose the charset).

    libxml2's HTML parser never loads external entities or DTDs; ``no_network`` makes
    sure of it. It stops reading at 256 levels of nesting (2048 with ``huge_tree``) and
    drops the rest of the page; word-processor markup can be that deep, so such a page is
    read again by :class:`_FlatBuilder`, which keeps every word whatever the depth.
    """
    if isinstance(html, str):
        html = html.encode("utf-8")
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, huge_tree=True)
    doc = lxml.html.document_fromstring(html or b"<html></html>", parser=parser)
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        logger.info("markup nested deeper than libxml2 reads: flattening it")
        builder = _FlatBuilder()
        builder.feed(html.decode("utf-8", errors="replace"))
        builder.close()
        return builder.root
    return doc


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_MAX_DEPTH = 200  # past it only the tags that carry meaning open elements; wrappers are dropped
# Tags that say what their text is (a paragraph, bold, a heading, a caption, a table cell...).
_MEANINGFUL = {"p", "b", "strong", "i", "em", "u", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "a",
               "table", "thead", "tbody", "tr", "td", "th", "figure", "figcaption", "blockquote", "sub", "sup",
               "script", "style"}  # fmt: skip


class _FlatBuilder(HTMLParser):
    """A tree from any HTML, flattened below ``_MAX_DEPTH``: deeper wrappers are dropped, their text kept.

    A wrapper dropped that way leaves a ``<br>`` so its text stays its own line; past twice the
    depth every tag is dropped.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = lxml.html.Element("html")
        self.stack = [self.root]
        self.dropped: list[str] = []

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> Any:
        try:
            el = etree.SubElement(self.stack[-1], tag)
        except ValueError:  # not a tag name libxml2 accepts
            return None
        for name, value in attrs:
            try:
                el.set(name, value or "")
            except ValueError:
                continue
        return el

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self._element(tag, attrs)
        elif len(self.stack) >= 2 * _MAX_DEPTH or (len(self.stack) >= _MAX_DEPTH and tag not in _MEANINGFUL):
            self.dropped.append(tag)
            etree.SubElement(self.stack[-1], "br")
        elif (el := self._element(tag, attrs)) is not None:
            self.stack.append(el)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.dropped:
            del self.dropped[len(self.dropped) - 1 - self.dropped[::-1].index(tag)]
            etree.SubElement(self.stack[-1], "br")
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


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


_CLASS_SPLIT = re.compile(r"[\s_-]+")


def class_words(el: Any) -> set[str]:
    """The words of an element's class and id ("block_share pull-right" → block, share, pull, right)."""
    value = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return set(_CLASS_SPLIT.split(value)) - {""}


def folded_equal(a: str, b: str) -> bool:
    return bool(a) and fold(a).rstrip(" .:") == fold(b).rstrip(" .:")
