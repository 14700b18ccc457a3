"""Body text as lines (:class:`Block`), remembering the formatting that gives them a role.

Bodies are typed into a WYSIWYG editor or pasted from a word processor: any mix of
``<p>``, ``<div>``, ``<br>`` and ``<span>`` soup. A block is one paragraph, list item or
``<br>``-separated run; whether it is bold, italic, a heading tag, a caption or
right-aligned is what tells a directive heading, a photo caption and a closing byline apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import urljoin

from scraper.pages.text import VISIBLE, normalize_line

from .html import class_words

BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "aside", "main", "blockquote", "pre",
    "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
    "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "address", "center", "form",
    "caption", "details", "summary",
}  # fmt: skip
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# What a reader never sees as text: code, forms, embedded players (a <video>'s text is the fallback
# for browsers that cannot play it), document metadata.
SKIP_TAGS = {"script", "style", "noscript", "iframe", "button", "input", "select", "textarea", "svg",
             "object", "embed", "template", "head", "title", "meta", "link", "video", "audio", "canvas",
             "noembed", "noframes", "datalist"}  # fmt: skip
_BOLD_TAGS = {"b", "strong"}
_ITALIC_TAGS = {"i", "em", "cite"}
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*italic", re.I)
_RIGHT_STYLE = re.compile(r"text-align\s*:\s*right", re.I)
_CENTER_STYLE = re.compile(r"text-align\s*:\s*center", re.I)
# Hidden by its style, as Readability judges it: its text is not part of the page a reader sees.
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Classes of a photo's caption: "caption", "image_desc", "img-note", "chu-thich"...
_CAPTION_CLASS = re.compile(r"caption|(?:image|img|photo|pic|hinh|anh)[-_]?(?:desc|note)|chu[-_]?thich", re.I)
_BYLINE_WORDS = frozenset({"author", "byline", "signature", "tacgia", "nguon", "source"})


@dataclass
class Block:
    """One line of body text."""

    text: str
    bold: bool = False
    italic: bool = False
    heading_tag: bool = False
    in_caption: bool = False
    right: bool = False  # right-aligned, as closing bylines are
    centered: bool = False  # centred, as photo captions often are
    byline_class: bool = False  # inside an element whose class says author/byline/source
    images: list[dict[str, str]] = field(default_factory=list)
    # The length of the bold words that open a line otherwise plain ("<b>Mục một.</b> Câu a."):
    # a heading run into its paragraph, when a page has no heading of its own line.
    run_in: int = 0


@lru_cache(maxsize=4096)
def _style_flags(style: str) -> tuple[bool, bool, bool, bool, bool, bool]:
    """(bold, italic, right-aligned, sets text-align, centred, hidden) of an inline style.

    Cached: a page repeats a few styles.
    """
    return (
        bool(_BOLD_STYLE.search(style)),
        bool(_ITALIC_STYLE.search(style)),
        bool(_RIGHT_STYLE.search(style)),
        "text-align" in style.lower(),
        bool(_CENTER_STYLE.search(style)),
        bool(_HIDDEN_STYLE.search(style)),
    )


_NO_STYLE = (False, False, False, False, False, False)


# Where lazy-loading scripts keep the real picture, the src holding a placeholder until it scrolls in
_LAZY_SOURCES = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-url", "data-echo")
_PLACEHOLDER = re.compile(
    r"^data:|(?:^|[/_.-])(?:blank|spacer|pixel|transparent|loading|lazy|placeholder|grey|1x1)"
    r"[\w-]*\.(?:gif|png|svg|jpe?g|webp)(?:$|\?)",
    re.IGNORECASE,
)


def image_source(img: Any) -> str:
    """An image's picture: its ``src``, or the lazy loader's ``data-src``/``data-original``/… when the
    ``src`` is missing or a placeholder (a ``data:`` URI, ``blank.gif``), or the first of a ``srcset``."""
    src = (img.get("src") or "").strip()
    if src and not _PLACEHOLDER.search(src):
        return src
    for name in _LAZY_SOURCES:
        if lazy := (img.get(name) or "").strip():
            return lazy
    srcset = (img.get("data-srcset") or img.get("srcset") or "").strip()
    if srcset:
        return srcset.split(",")[0].split()[0]
    return "" if src.startswith("data:") else src


class _Context(NamedTuple):
    """What an element passes on to what it contains."""

    bold: bool = False
    italic: bool = False
    caption: bool = False
    right: bool = False
    byline: bool = False
    heading: bool = False
    block: bool = False
    centered: bool = False


_CONTEXTS: dict[tuple[bool, ...], _Context] = {}


def _context(*flags: bool) -> _Context:
    """The context with these flags, made once: every element opens one."""
    found = _CONTEXTS.get(flags)
    if found is None:
        found = _CONTEXTS[flags] = _Context(*flags)
    return found


class _BlockWriter:
    """Collects an element's text into blocks as :func:`body_blocks` walks it."""

    def __init__(self, base_url: str, skip: frozenset[Any] = frozenset()):
        self.base_url = base_url
        self.skip = skip  # elements not read (a share bar left inside the body)
        self.blocks: list[Block] = []
        self._frags: list[tuple[str, bool, bool]] = []
        self._images: list[dict[str, str]] = []
        self._heading = False
        self._ctx = _context()  # the element being read: its caption/alignment/byline state

    def flush(self) -> None:
        frags = self._frags
        if not frags and not self._images:  # most flushes: a block's edge with nothing read since the last
            self._heading = False
            return
        joined = frags[0][0] if len(frags) == 1 else "".join(t for t, _, _ in frags)
        run_in = 0
        if not joined or joined.isspace():  # the whitespace between blocks, or only images
            text, bold, italic = "", False, False
        else:
            text = normalize_line(joined)
            styles = {(b, i) for _, b, i in frags}
            if len(styles) == 1:  # one style throughout: the visible fragments have it, if any shows
                bold, italic = next(iter(styles))
                bold, italic = bool(text) and bold, bool(text) and italic
            else:
                visible = [(b, i) for t, b, i in frags if VISIBLE.search(t)]
                bold = bool(visible) and all(b for b, _ in visible)
                italic = bool(visible) and all(i for _, i in visible)
                run_in = 0 if bold else _run_in(frags, text)
        if text or self._images:
            ctx = self._ctx
            self.blocks.append(
                Block(
                    text=text,
                    bold=bold,
                    italic=italic,
                    heading_tag=self._heading,
                    in_caption=ctx.caption,
                    right=ctx.right,
                    centered=ctx.centered,
                    byline_class=ctx.byline,
                    images=self._images,
                    run_in=run_in,
                )
            )
        self._frags, self._images, self._heading = [], [], False

    def open(self, el: Any, ctx: _Context) -> _Context | None:
        """Start an element: the context of its children, or None when it has none to read."""
        tag = el.tag
        if not isinstance(tag, str):
            return None
        tag = tag.lower()
        if tag in SKIP_TAGS or not tag or (self.skip and el in self.skip):
            return None
        if tag == "br":
            self.flush()
            return None
        if tag == "img":
            src = image_source(el)
            if src:
                self._images.append({"src": urljoin(self.base_url, src), "alt": normalize_line(el.get("alt"))})
            return None
        style = el.get("style")
        bold_style, italic_style, right_style, aligned, center_style, hidden = (
            _style_flags(style) if style else _NO_STYLE
        )
        if hidden or el.get("hidden") is not None:
            return None
        css_class = el.get("class")
        is_block = tag in BLOCK_TAGS
        right, centered = ctx.right, ctx.centered
        if is_block:
            self.flush()
            align = el.get("align")
            align = align.lower() if align else ""
            if right_style or align == "right":
                right, centered = True, False
            elif (css_class or el.get("id")) and {"right", "text"} <= class_words(el):  # "text-right"
                right, centered = True, False
            elif center_style or align == "center" or tag == "center":
                right, centered = False, True
            else:
                right, centered = right and not aligned, centered and not aligned
        heading = tag in HEADING_TAGS
        inner = _context(
            ctx.bold or heading or tag in _BOLD_TAGS or bold_style,
            ctx.italic or tag in _ITALIC_TAGS or italic_style,
            ctx.caption or tag == "figcaption" or bool(css_class and _CAPTION_CLASS.search(css_class)),
            right,
            ctx.byline or bool(css_class and class_words(el) & _BYLINE_WORDS),
            heading,
            is_block,
            centered,
        )
        self._ctx = inner
        if heading:
            self._heading = True
        if el.text:
            self._frags.append((el.text, inner.bold, inner.italic))
        return inner

    def walk(self, el: Any) -> None:
        """Read ``el``'s content, keeping its own stack: no nesting depth cuts a body short."""
        root = self._ctx
        frags = self._frags
        if el.text:
            frags.append((el.text, False, False))
        # (children still to read, their context, the element they belong to, the context around it)
        stack: list[tuple[Iterator[Any], _Context, Any, _Context]] = [(iter(el), root, None, root)]
        while stack:
            frame = stack[-1]
            children, ctx = frame[0], frame[1]
            for child in children:
                inner = self.open(child, ctx)
                if inner is not None:
                    stack.append((iter(child), inner, child, ctx))
                    break
                self._resume(ctx, child.tail)
            else:
                stack.pop()
                _, inner, node, outer = frame
                if node is not None:
                    if inner.block:
                        self.flush()
                    self._resume(outer, node.tail)
        self.flush()

    def _resume(self, ctx: _Context, tail: str | None) -> None:
        """Back in an element after a child: its state holds again, and the child's tail is its text."""
        self._ctx = ctx
        if ctx.heading:
            self._heading = True
        if tail:
            self._frags.append((tail, ctx.bold, ctx.italic))


def _run_in(frags: list[tuple[str, bool, bool]], text: str) -> int:
    """The length in ``text`` of the bold words opening a line, when they end in "." or ":" (0 if none)."""
    opening = []
    for fragment, bold, _ in frags:
        if not bold:
            if VISIBLE.search(fragment):
                break
        opening.append(fragment)
    words = normalize_line("".join(opening))
    if not words or len(words) >= len(text) or not words.endswith((".", ":")) or not text.startswith(words):
        return 0
    return len(words)


def body_blocks(el: Any, base_url: str, skip: frozenset[Any] = frozenset()) -> list[Block]:
    """The lines of an element, in document order; the elements in ``skip`` and what they hold are left out."""
    writer = _BlockWriter(base_url, skip)
    writer.walk(el)
    return writer.blocks
