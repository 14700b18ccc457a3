"""Body text as lines (:class:`Block`), remembering the formatting that gives them a role.

Bodies are typed into a WYSIWYG editor or pasted from a word processor: any mix of
``<p>``, ``<div>``, ``<br>`` and ``<span>`` soup. A block is one paragraph, list item or
``<br>``-separated run; whether it is bold, italic, a heading tag, a caption or
right-aligned is what tells a directive heading, a photo caption and a closing byline apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urljoin

from scraper.pages.text import normalize_line

from .html import class_words, tag_of

BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "aside", "main", "blockquote", "pre",
    "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
    "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "address", "center", "form",
    "caption", "details", "summary",
}  # fmt: skip
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SKIP_TAGS = {"script", "style", "noscript", "iframe", "button", "input", "select", "textarea", "svg",
             "object", "embed", "template", "head", "title", "meta", "link"}  # fmt: skip
_BOLD_TAGS = {"b", "strong"}
_ITALIC_TAGS = {"i", "em", "cite"}
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*italic", re.I)
_RIGHT_STYLE = re.compile(r"text-align\s*:\s*right", re.I)
_BYLINE_WORDS = frozenset({"author", "byline", "signature", "tacgia", "nguon", "source"})
# A fragment with anything but whitespace and invisible characters in it.
_VISIBLE = re.compile("[^\\s\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c]")


@dataclass
class Block:
    """One line of body text."""

    text: str
    bold: bool = False
    italic: bool = False
    heading_tag: bool = False
    in_caption: bool = False
    right: bool = False  # right-aligned, as closing bylines are
    byline_class: bool = False  # inside an element whose class says author/byline/source
    images: list[dict[str, str]] = field(default_factory=list)


def _is_right(el: Any, style: str) -> bool:
    if _RIGHT_STYLE.search(style) or (el.get("align") or "").lower() == "right":
        return True
    return bool(class_words(el) & {"right"}) and "text" in class_words(el)  # "text-right"


class _BlockWriter:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.blocks: list[Block] = []
        self._frags: list[tuple[str, bool, bool]] = []
        self._images: list[dict[str, str]] = []
        self._heading = False
        self._caption = False
        self._right = False
        self._byline = False

    def add(self, text: str | None, bold: bool, italic: bool) -> None:
        if text:
            self._frags.append((text, bold, italic))

    def flush(self) -> None:
        text = normalize_line("".join(t for t, _, _ in self._frags))
        visible = [(b, i) for t, b, i in self._frags if _VISIBLE.search(t)]
        if text or self._images:
            self.blocks.append(
                Block(
                    text=text,
                    bold=bool(visible) and all(b for b, _ in visible),
                    italic=bool(visible) and all(i for _, i in visible),
                    heading_tag=self._heading,
                    in_caption=self._caption,
                    right=self._right,
                    byline_class=self._byline,
                    images=self._images,
                )
            )
        self._frags, self._images, self._heading = [], [], False

    def open(self, el: Any, ctx: _Context) -> _Context | None:
        """Start an element: the context of its children, or None when it has none to read."""
        tag = tag_of(el)
        if tag in SKIP_TAGS or not tag:
            return None
        if tag == "br":
            self.flush()
            return None
        if tag == "img":
            src = el.get("src") or el.get("data-src") or ""
            if src:
                self._images.append({"src": urljoin(self.base_url, src), "alt": normalize_line(el.get("alt"))})
            return None
        style = el.get("style") or ""
        is_block = tag in BLOCK_TAGS
        right = ctx.right
        if is_block:
            self.flush()
            right = _is_right(el, style) or (right and "text-align" not in style.lower())
        inner = _Context(
            bold=ctx.bold or tag in _BOLD_TAGS or tag in HEADING_TAGS or bool(_BOLD_STYLE.search(style)),
            italic=ctx.italic or tag in _ITALIC_TAGS or bool(_ITALIC_STYLE.search(style)),
            caption=ctx.caption or tag == "figcaption" or "caption" in (el.get("class") or "").lower(),
            right=right,
            byline=ctx.byline or bool(el.get("class") and class_words(el) & _BYLINE_WORDS),
            heading=tag in HEADING_TAGS,
            block=is_block,
        )
        self.resume(inner)
        self.add(el.text, inner.bold, inner.italic)
        return inner

    def resume(self, ctx: _Context) -> None:
        """Back in an element after a child: its caption/alignment/byline state holds again."""
        self._caption, self._right, self._byline = ctx.caption, ctx.right, ctx.byline
        if ctx.heading:
            self._heading = True


class _Context(NamedTuple):
    """What an element passes on to what it contains."""

    bold: bool = False
    italic: bool = False
    caption: bool = False
    right: bool = False
    byline: bool = False
    heading: bool = False
    block: bool = False


def body_blocks(el: Any, base_url: str) -> list[Block]:
    """The lines of an element, in document order.

    The walk keeps its own stack rather than recursing, so no nesting depth (word-processor
    markup can be hundreds of elements deep) cuts a body short.
    """
    writer = _BlockWriter(base_url)
    root = _Context()
    writer.add(el.text, False, False)
    # ("open", element, context it sits in) | ("close", context of the element) | ("tail", element, context around it)
    stack: list[tuple[str, Any, _Context]] = []
    for child in reversed(el):
        stack += [("tail", child, root), ("open", child, root)]
    while stack:
        action, node, ctx = stack.pop()
        if action == "open":
            inner = writer.open(node, ctx)
            if inner is None:
                continue
            stack.append(("close", node, inner))
            for child in reversed(node):
                stack += [("tail", child, inner), ("open", child, inner)]
        elif action == "close":
            if ctx.block:
                writer.flush()
        else:
            writer.resume(ctx)
            writer.add(node.tail, ctx.bold, ctx.italic)
    writer.flush()
    return writer.blocks
