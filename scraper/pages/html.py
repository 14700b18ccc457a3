"""Reading HTML: one parser configuration, compiled selectors, element text."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import lxml.html
from cssselect import parser as css_parser
from lxml import etree
from lxml.cssselect import CSSSelector

from scraper.pages.text import VISIBLE, fold, normalize_line

logger = logging.getLogger(__name__)


def parse_html(html: str | bytes) -> etree._Element:
    """An lxml tree; text is given decoded (Scrapy already chose the charset).

    libxml2's HTML parser never loads external entities or DTDs; ``no_network`` makes
    sure of it. It stops reading at 256 levels of nesting (2048 with ``huge_tree``) and
    drops the rest of the page; word-processor markup can be that deep, so such a page is
    read again by :class:`_FlatBuilder`, which keeps every word whatever the depth.

    The parser is lxml's plain one, not ``lxml.html``'s: its per-element class lookup is a
    Python call each time an element is touched, five times the cost of reading the page's
    elements; nothing here uses the ``HtmlElement`` extras.
    """
    if isinstance(html, str):
        html = html.encode("utf-8")
    parser = etree.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, huge_tree=True)
    doc = etree.fromstring(html or b"<html></html>", parser)
    if doc is None:  # as lxml.html.document_fromstring says of a page with no element
        raise etree.ParserError("Document is empty")
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


# ASCII letters, digits and "-": no named character reference stands for one (the others give
# punctuation, whitespace or non-ASCII; ``&fjlig;`` gives "fj", so that pair is left out), so an
# attribute value holding them spells them out in the page's source, unless it uses numeric references.
_RUN = re.compile(r"[A-Za-z0-9-]+")


def _words(tree: Any) -> tuple[str, ...]:
    """The class names and attribute values an element matching ``tree`` must have."""
    words: list[str] = []
    while tree is not None:
        if isinstance(tree, css_parser.CombinedSelector):
            words += _words(tree.subselector)
        elif isinstance(tree, css_parser.Class):
            words.append(tree.class_name)
        elif isinstance(tree, css_parser.Hash):
            words.append(tree.id)
        elif isinstance(tree, css_parser.Attrib) and tree.value is not None and not tree.flag:
            if tree.operator in ("=", "~=", "|=", "^=", "$=", "*=") and tree.value.value:
                words.append(tree.value.value)
        tree = getattr(tree, "selector", None)  # a negation, pseudo-class or function: only its subject counts
    return tuple(words)


@functools.cache
def _spelled_runs(css: str) -> tuple[tuple[bytes, ...], ...] | None:
    """Per selector of the list, the runs of text its match needs the source to spell; None: unknown."""
    try:
        selectors = css_parser.parse(css)
    except Exception:
        return None
    return tuple(
        tuple(
            run.encode()
            for word in _words(sel.parsed_tree)
            for piece in word.split("fj")
            for run in _RUN.findall(piece)
        )
        for sel in selectors
    )


_OPENINGS = tuple(f"<{t}".encode() for t in ("html", "body", "HTML", "BODY", "Html", "Body"))
_CLOSINGS = tuple(f"</{t}".encode() for t in ("html", "body", "HTML", "BODY", "Html", "Body"))


def cut_short(source: bytes) -> bool:
    """Whether a document that opens ``<html>`` or ``<body>`` never closes either: its transfer ended early.

    A server that closes the connection mid-page without announcing a length, or announces too
    short a length, hands over a page the client cannot tell from a whole one; its missing closing
    tags can. A fragment with neither opening tag is not judged.
    """
    if not any(tag in source for tag in _OPENINGS):
        return False
    return all(source.rfind(tag) < 0 for tag in _CLOSINGS)  # from the end, where a closing tag stands


# Files a server may hand over where a page was linked, by their first bytes
_FILE_MAGIC = {
    b"%PDF-": "a PDF file",
    b"PK\x03\x04": "a ZIP file (or a Word/Excel document)",
    b"\xd0\xcf\x11\xe0": "an old Word/Excel document",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"{\\rtf": "an RTF document",
    b"\x1f\x8b": "a gzip file",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
}
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a]")
# Content-Types a web page may come with, rightly or not (a misconfigured server's too)
_PAGE_TYPES = ("text/", "application/xhtml", "application/xml", "application/octet-stream", "application/unknown")
_MARKUP_START = re.compile(r"\s*<\s*(?:!doctype|!--|\?xml|html|head|body|meta|title|div|table|p\b)", re.IGNORECASE)


def opens_as_markup(body: bytes) -> bool:
    """Whether a body opens as a web page does (a doctype, a comment, ``<html>``, ``<div>``…), past a
    byte-order mark and blank lines."""
    return bool(_MARKUP_START.match(body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").decode("latin-1")))


def not_a_page(body: bytes, content_type: str | None) -> str | None:
    """What a response is when it is no web page (``"a PDF file"``, ``"application/msword"``), else None.

    Where a listing links a digest, a server may hand over the file the digest was made from, an
    image or a download. Told by the file's first bytes (a known file's signature, or control bytes
    and no tag), or by a Content-Type no page comes with when the body does not open as markup
    either (a page served with a wrong type still reads).
    """
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    for magic, what in _FILE_MAGIC.items():
        if head.startswith(magic):
            return what
    if head[4:8] == b"ftyp":
        return "a video (MP4)"
    if b"<" not in head and len(_CONTROL_BYTES.findall(head)) >= 4:  # bytes no text has, and no tag
        return "binary data"
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    if not kind or kind.startswith(_PAGE_TYPES) or opens_as_markup(head):
        return None
    return kind


def page_source(html: bytes) -> bytes | None:
    """The source :func:`select` may check selectors against; None when its attribute values may not spell
    their text (numeric character references, NULs, a UTF-16 byte-order mark)."""
    if b"\0" in html or html.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    amp = html.find(b"&")  # a page has a few; each found at memchr speed, where a search for "&#" is slow
    while amp >= 0:
        if html[amp + 1 : amp + 2] == b"#":
            return None
        amp = html.find(b"&", amp + 1)
    return html


def select(root: Any, selector: str, source: bytes | None = None) -> list[Any]:
    """Elements matching ``css``, or attribute values with ``css@attr``.

    ``source``, from :func:`page_source` for the page ``root`` was parsed from, saves the scan of
    a selector that names a class or value the source never spells: such a selector (most of the
    templates' and the generic strategies' on any one page) cannot match, and a plain search of
    the source costs a fraction of libxml2 scanning every element.
    """
    css, _, attr = selector.partition("@")
    if source is not None:
        runs = _spelled_runs(css)
        if runs is not None and not any(all(run in source for run in sel) for sel in runs):
            return []
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
    if not len(el):  # most elements asked for (links, headings) hold text only
        return normalize_line(el.text) if isinstance(el.tag, str) else ""
    return normalize_line(" ".join(el.itertext()))


def has_text(el: Any) -> bool:
    """Whether :func:`text_of` an element is not empty, without building it: some of its text shows."""
    return any(VISIBLE.search(text) for text in el.itertext())


def tag_of(el: Any) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


_CLASS_SPLIT = re.compile(r"[\s_-]+")


def class_words(el: Any) -> set[str]:
    """The words of an element's class and id ("block_share pull-right" → block, share, pull, right)."""
    value = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return set(_CLASS_SPLIT.split(value)) - {""}


def folded_equal(a: str, b: str, folded: Callable[[str], str] = fold) -> bool:
    """Equal but for case, diacritics and closing punctuation; ``folded`` may remember what it folded."""
    return bool(a) and folded(a).rstrip(" .:") == folded(b).rstrip(" .:")
