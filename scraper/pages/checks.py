"""Checks on what a strategy returned, so a selector that matched the wrong element is caught.

A body candidate must not hold the headline, the site's chrome or share/rating/print
widgets; the lead is recognised by what leads look like; a closing byline is metadata.
The same rules tell page chrome (menus, sidebars, "Tin liên quan" panels) from the
page's own content for the generic listing scan.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from scraper.pages.text import fold
from scraper.pages.titles import is_digest_title, parse_week_range
from scraper.sites.profiles import SiteProfile

from .blocks import Block
from .html import class_words, folded_equal, tag_of, text_of

# Class or id words of widgets that never belong in a body.
WIDGET_WORDS = frozenset(
    {"share", "sharing", "social", "rating", "ratings", "rate", "star", "stars", "vote", "print", "bookmark",
     "comment", "comments", "toolbar", "tools", "like", "zalo", "facebook", "twitter", "sharebar", "addthis"}
)  # fmt: skip
# Lines that are a widget's label when they stand alone (folded).
WIDGET_LINES = frozenset(
    {"chia se", "in bai", "in bai viet", "gui email", "gui bai", "danh gia", "danh gia bai viet", "binh luan",
     "facebook", "zalo", "twitter", "luu", "doc bai", "nghe doc bai", "ban in", "in trang", "a- a a+"}
)  # fmt: skip
# Headings of panels that list other articles (folded).
PANEL_TITLES = frozenset(
    {"tin lien quan", "tin noi bat", "tin moi", "tin khac", "cac tin khac", "xem nhieu", "tin xem nhieu",
     "bai viet lien quan", "tin da dua", "tin cung chuyen muc", "doc nhieu", "tin doc nhieu", "xem them",
     "doc them", "tin tuc lien quan", "cac tin lien quan", "bai lien quan", "tin bai lien quan",
     "cac bai viet lien quan", "cac bai viet khac", "bai viet khac", "tin tuc khac", "tin bai khac", "tin cung loai",
     "cac tin da dua", "tin da dang", "co the ban quan tam", "ban co the quan tam"}
)  # fmt: skip
# Class or id words of page regions that are not the page's own content.
REGION_WORDS = frozenset(
    {"sidebar", "aside", "related", "involve", "menu", "nav", "navbar", "navigation", "breadcrumb", "breadcrumbs",
     "pathway", "footer", "header", "banner", "pager", "pagination", "paging", "hot", "lienquan", "topbar"}
)  # fmt: skip
REGION_TAGS = frozenset({"header", "nav", "footer", "aside"})

LEAD_HINT = "noi dung chinh"  # folded "nội dung chính", the lead's usual closing words
# Offices and sources that close a digest (folded); an agency name alone is short.
_BYLINE_START = re.compile(r"^(?:van phong|vp |trung tam|ban bien tap|bbt|nguon|theo |tin:|bai:|tin, anh|bai, anh)")
_BYLINE_AGENCY = re.compile(r"^(?:so|phong|ban|ubnd) [^,;:.]{2,34}$")
_BYLINE_END = re.compile(r"(?:tong hop\)?|\(tong hop\))$")
MAX_BYLINE_CHARS = 120


_WIDGET_CLASS = re.compile(rf"(?:^|[\s_-])(?:{'|'.join(sorted(WIDGET_WORDS))})(?:$|[\s_-])", re.I)
_WIDGETS_INSIDE = etree.XPath("boolean(.//button | .//input | .//select | .//form)")
_CLASSES_INSIDE = etree.XPath(".//@class | .//@id")


def is_widget(el: Any) -> bool:
    return bool(class_words(el) & WIDGET_WORDS) or tag_of(el) in {"button", "input", "select", "form"}


def classes_inside(el: Any) -> str:
    """The class and id values of the elements inside ``el``, joined (for the checks below)."""
    return " | ".join(_CLASSES_INSIDE(el))


def holds_widgets(el: Any, classes: str | None = None) -> bool:
    """Whether any element inside ``el`` is a widget (one XPath query and one regex, not a walk)."""
    return bool(_WIDGETS_INSIDE(el)) or bool(_WIDGET_CLASS.search(classes_inside(el) if classes is None else classes))


# Class or id words of a page's own trails and lists that a template may put inside the body
# (a breadcrumb above the text, the keywords or a pager under it): never the article's text.
TRAIL_WORDS = frozenset(
    {"breadcrumb", "breadcrumbs", "pathway", "pager", "pagination", "paging", "tags", "keywords", "tagcloud"}
)
_TRAIL_CLASS = re.compile(rf"(?:^|[\s_-])(?:{'|'.join(sorted(TRAIL_WORDS))})(?:$|[\s_-])", re.I)
_NAV_INSIDE = etree.XPath("boolean(.//nav)")
_MAX_TRAIL = 300


def holds_trails(el: Any, classes: str | None = None) -> bool:
    """Whether ``el`` holds a breadcrumb, keyword list, pager or ``<nav>`` (by class, id or tag)."""
    return bool(_NAV_INSIDE(el)) or bool(_TRAIL_CLASS.search(classes_inside(el) if classes is None else classes))


def left_out_inside(el: Any, site_chrome: Callable[[str], bool] = lambda _: False) -> tuple[list[Any], bool] | None:
    """What the walk of a body candidate leaves out: its trails (see :data:`TRAIL_WORDS`) and its widgets,
    as a share or print bar, a rating or a comment form a site's template puts inside the body; and
    whether any of those widgets showed more than widget labels ("Chia sẻ Zalo", "In bài") or the
    site's known chrome (``site_chrome``: its rating's prompt), or held a form (leaving it out is then
    a guess the record says).

    None when a widget holds a text's worth (a wrapper of paragraphs named like a widget): then the
    candidate is not the body alone.
    """
    found: list[Any] = []
    more = False
    stack = list(el)
    while stack:
        child = stack.pop()
        if not isinstance(child.tag, str):
            continue
        if (tag_of(child) == "nav" or class_words(child) & TRAIL_WORDS) and not _longer_than(child, _MAX_TRAIL):
            found.append(child)  # a trail is short: a long one is a wrapper named oddly, read on
        elif is_widget(child):
            if _longer_than(child, _MAX_TRAIL):
                return None
            text = text_of(child)
            shows_more = bool(text) and not is_widget_line(text) and not site_chrome(text)
            more = more or tag_of(child) in {"form", "select"} or shows_more
            found.append(child)
        else:
            stack.extend(child)
    return found, more


# ASCII whitespace; every other ASCII character of a text stays a character of its normalized form.
_ASCII_SPACE = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"


def _longer_than(el: Any, limit: int) -> bool:
    """Whether :func:`text_of` ``el`` surely has ``limit`` characters or more, read only that far.

    Its printable ASCII characters are counted: normalizing keeps each of them (composition
    only folds marks into the character before them), so their number is a lower bound.
    """
    count = 0
    for text in el.itertext():
        count += len(text.encode("ascii", "ignore").translate(None, _ASCII_SPACE))
        if count >= limit:
            return True
    return False


def _panel_title(el: Any) -> bool:
    """Whether a container opens with the heading of a panel listing other articles."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if len(child) > 3 or _longer_than(child, 40):  # a heading is a small element, with a short text
            return False
        head = text_of(child)
        return bool(head) and len(head) < 40 and fold(head).rstrip(" :") in PANEL_TITLES
    return False


def is_other_region(node: Any) -> bool:
    """Whether ``node`` itself is a header, menu, sidebar, footer, pager or related-articles panel."""
    words = class_words(node)
    return (
        tag_of(node) in REGION_TAGS
        or bool(words & REGION_WORDS)
        or ("col" in words and "right" in words)
        or _panel_title(node)
    )


def in_other_region(el: Any, memo: dict[Any, bool] | None = None) -> bool:
    """Whether an element sits in a header, menu, sidebar, footer, pager or related-articles panel.

    ``memo`` keeps each ancestor's answer across the links of one page.
    """
    memo = {} if memo is None else memo
    for node in el.iterancestors():
        if node not in memo:
            memo[node] = is_other_region(node)
        if memo[node]:
            return True
    return False


_Chrome = tuple[tuple[str, ...], frozenset[str], frozenset[int]]
# Per profile object, with the profile kept so its id stays its own: hashing a frozen profile
# hashes every field and template, on each of the several checks a page makes.
_CHROME: dict[int, tuple[SiteProfile, _Chrome]] = {}
_CHROME_MAX = 64


def _chrome_of(profile: SiteProfile) -> _Chrome:
    """The site's chrome, folded once: phrases, lines that are chrome alone, and those lines' lengths."""
    known = _CHROME.get(id(profile))
    if known is not None and known[0] is profile:
        return known[1]
    alone = frozenset({fold(p) for p in profile.chrome_lines} | WIDGET_LINES | PANEL_TITLES)
    chrome = (tuple(p.lower() for p in profile.chrome_phrases), alone, frozenset(len(a) for a in alone))
    if len(_CHROME) >= _CHROME_MAX:  # profiles made afresh (unpickled in a worker) must not pile up
        _CHROME.clear()
    _CHROME[id(profile)] = (profile, chrome)
    return chrome


def chrome_in(lines: list[str], profile: SiteProfile) -> list[str]:
    """The chrome a body's lines hold: the site's phrases anywhere, its chrome lines alone.

    Folding is the costly part, so a line is folded only when its length could match; phrases
    are matched in lower case (lines are NFC already, and the phrases carry no variant tone marks).
    """
    phrases, alone, lengths = _chrome_of(profile)
    found = [line for line in lines if len(line.rstrip(" :")) in lengths and fold(line).rstrip(" :") in alone]
    if phrases:
        text = " ".join(lines).lower()
        if any(p in text for p in phrases):
            found += [line for line in lines if any(p in line.lower() for p in phrases)]
    return found


_PANEL_TITLE_LENGTHS = frozenset(len(t) for t in PANEL_TITLES)


_PANEL_TITLE_MAX = max(_PANEL_TITLE_LENGTHS) + 2  # with a colon and a space


def panel_start(blocks: list[Block]) -> int | None:
    """Where a related-articles panel inside the body starts, after the text.

    Its title line ("Tin liên quan:"), or else the first of the digest headlines that close the
    body (a "see also" list with no title, or one whose title is not known).
    """
    for index in range(2, len(blocks)):
        text = blocks[index].text
        if len(text) > _PANEL_TITLE_MAX or not text:  # nearly every line: longer than any panel title
            continue
        text = text.rstrip(" :")
        if (
            len(text) in _PANEL_TITLE_LENGTHS
            and fold(text) in PANEL_TITLES
            and sum(bool(b.text) for b in blocks[:index]) >= 2
        ):
            return index
    return _listed_digests_start(blocks)


_MAX_LISTED_TITLE = 300  # a digest headline with its date, as a list of articles shows it
_MAX_LIST_LABEL = 40  # "Xem thêm:", "Các tuần trước:"
_LIST_BULLETS = "-–—•·*+>» \t"


def _is_listed_digest(text: str) -> bool:
    """A line that is a digest's headline, as a list of articles shows it (bullet, headline, date)."""
    if len(text) > _MAX_LISTED_TITLE:
        return False
    text = text.lstrip(_LIST_BULLETS)
    return fold(text[:12]).startswith("chi dao") and is_digest_title(text) and parse_week_range(text) is not None


def _listed_digests_start(blocks: list[Block]) -> int | None:
    """The first of the digest headlines that close the body (with the label just above them), or None."""
    start = end = _text_end(blocks)
    while start and blocks[start - 1].text and _is_listed_digest(blocks[start - 1].text):
        start -= 1
    if start == end:
        return None
    label = blocks[start - 1].text if start else ""
    if label.endswith(":") and len(label) <= _MAX_LIST_LABEL:
        start -= 1
    return start if sum(bool(b.text) for b in blocks[:start]) >= 2 else None


# Labels of the links a widget line strings together ("Chia sẻ Facebook | In bài", "In trang - Quay lại").
_LABELS = WIDGET_LINES | {
    "quay lai",
    "tro ve",
    "tro lai",
    "len dau trang",
    "dau trang",
    "in",
    "email",
    "gui",
    "chia se facebook",
    "ve dau trang",
    "tro ve dau trang",
    "ve trang truoc",
    "in bai nay",
    "gui ban be",
    "gui cho ban be",
    "gui bai viet",
    "luu bai viet",
    "luu tin",
    "gop y",
    "phan hoi",
    "dong",
    "dong cua so",
    "print",
    "share",
    "top",
    "back",
}
_LABEL_SIZES = tuple(range(max(len(label.split()) for label in _LABELS), 0, -1))  # longest label first
_LABEL_SEPARATORS = re.compile(r"[|·•/\-–—,;:]+")


_WIDGET_LINE_MAX = 60  # a bar of a few labels; a line of text is longer


def is_widget_line(text: str) -> bool:
    """A line made of widget labels only: a share/print/back bar left inside the body."""
    if len(text) > _WIDGET_LINE_MAX:
        return False
    words = _LABEL_SEPARATORS.sub(" ", fold(text)).split()
    at = 0
    while at < len(words):
        for size in _LABEL_SIZES:
            if at + size <= len(words) and " ".join(words[at : at + size]) in _LABELS:
                at += size
                break
        else:
            return False
    return bool(words)


# A page's own data shown under an article, never the article (folded): "Từ khóa: …", "Lượt xem: 1.234"
_META_LINE = re.compile(r"(?:tu khoa|tags?|keywords?|(?:so )?luot (?:xem|doc|truy cap)|so lan xem)\s*:")
_MAX_META_LINE = 200
# A breadcrumb trail opening the body: "Trang chủ > Chỉ đạo điều hành", "Trang chủ / Tin tức / …" (folded)
_BREADCRUMB = re.compile(r"trang chu\s*(?:[>/»›|→-]|$)")
_MAX_BREADCRUMB = 120


def _is_trailing_chrome(text: str) -> bool:
    if not text:
        return True
    if len(text) <= _MAX_META_LINE and _META_LINE.match(fold(text[:16])):
        return True
    return is_widget_line(text)


def _text_end(blocks: list[Block]) -> int:
    """Where the lines end once trailing widget bars, keyword and view-count lines and empty lines are
    left off (images kept)."""
    end = len(blocks)
    while end and not blocks[end - 1].images and _is_trailing_chrome(blocks[end - 1].text):
        end -= 1
    return end


def without_trailing_widget_lines(blocks: list[Block]) -> list[Block]:
    """The lines from the first that is not a breadcrumb trail, up to the last one that is not a widget
    bar, a keyword or view-count line (or empty), images kept."""
    end = _text_end(blocks)
    start = 0
    while start < end and not blocks[start].images and not blocks[start].text:
        start += 1
    first = blocks[start].text if start < end else ""
    if len(first) <= _MAX_BREADCRUMB and _BREADCRUMB.match(fold(first[:12])):
        start += 1
    else:
        start = 0
    return blocks if (start, end) == (0, len(blocks)) else blocks[start:end]


def body_problems(
    el: Any,
    blocks: list[Block],
    headline: str,
    profile: SiteProfile,
    lead: str = "",
    folded: Callable[[str], str] = fold,
    widgets: bool | None = None,
) -> list[str]:
    """Why a body candidate is not (only) the article body; empty when it passes.

    A copy of the lead as the body's first line is allowed (editors repeat it; it is dropped).
    ``folded`` is :func:`~scraper.pages.text.fold`, or one that remembers the page's headline and lead;
    ``widgets``: whether the candidate holds widgets the walk did not leave out (None: look).
    """
    problems = []
    texts = [b.text for b in blocks if b.text]
    if lead and any(folded_equal(t, lead, folded) for t in texts[1:] if abs(len(t) - len(lead)) <= 3):
        problems.append("repeats the lead")
    near = [t for t in texts[1:] if abs(len(t) - len(headline)) <= 3]  # fold only what could be the headline
    if any(folded_equal(text_of(h), headline, folded) for h in el.iter("h1")) or any(
        folded_equal(t, headline, folded) for t in near
    ):
        problems.append("holds the headline")
    if holds_widgets(el) if widgets is None else widgets:
        problems.append("holds share/rating/print widgets")
    chrome = chrome_in(texts, profile)
    if chrome:
        problems.append(f"holds page chrome ({chrome[0][:40]!r})")
    return problems


def looks_like_lead(text: str) -> bool:
    """A lead lists the week's directives separated by ";", or ends with the usual formula."""
    folded = fold(text)
    return LEAD_HINT in folded or (text.count(";") >= 1 and len(text) >= 60)


def is_byline(block: Block) -> bool:
    """A closing line naming the office: short, right-aligned, or bold/italic with an office's words."""
    text = block.text
    if not text or len(text) > MAX_BYLINE_CHARS or ";" in text or text.endswith(":") or block.images:
        return False
    if block.right or block.byline_class:
        return True
    if not (block.bold or block.italic) or len(text) > 80:
        return False
    folded = fold(text)
    return bool(_BYLINE_START.search(folded) or _BYLINE_END.search(folded) or _BYLINE_AGENCY.match(folded))
