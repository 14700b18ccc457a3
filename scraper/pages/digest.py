"""The digest page object: one article page read field by field, never fetched here.

In the spirit of web-poet and Fundus, :class:`DigestPage` is built from (url, html, site
profile) and has one method per field. Each field tries an ordered list of strategies:

1. ``template:<version>`` — the site's template versions (data in :mod:`scraper.sites.profiles`),
   newest first;
2. ``generic:<name>`` — markup any news page may have: microdata, Open Graph,
   ``<time datetime>``, visible dates in the common Vietnamese formats, ``<title>`` minus
   the site's suffix, the innermost container holding the article text;
3. ``trafilatura`` — its main-content and metadata extraction, the last resort.

What a strategy returns is checked (see :mod:`scraper.pages.checks`) and a candidate that
fails is passed over. The record names the strategy that answered each field
(``extraction_strategies``) and lists a warning code for every fallback
(``extraction_warnings``; the codes are listed in :data:`WARNING_CODES`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from scraper import SCHEMA_VERSION
from scraper.pages.directives import parse_directive
from scraper.pages.documents import cite_documents
from scraper.pages.hashing import content_hash
from scraper.pages.text import fold, normalize_line
from scraper.pages.titles import is_digest_title, parse_week_range
from scraper.sites.profiles import SiteProfile

from . import checks
from .blocks import HEADING_TAGS, Block, body_blocks
from .dates import VN_TZ, find_visible_date, parse_datetime
from .html import class_words, cut_short, folded_equal, has_text, page_source, parse_html, select, tag_of, text_of

logger = logging.getLogger(__name__)


METHOD_SITE = "site-profile"
METHOD_GENERIC = "generic"
METHOD_FALLBACK = "trafilatura-fallback"

TEMPLATE, GENERIC, TRAFILATURA = "template", "generic", "trafilatura"

# Every warning code a record can carry, and what it means (also in the README).
WARNING_CODES = {
    "title.generic": "the headline came from generic markup (an <h1>, microdata, og:title or <title>)",
    "title.trafilatura": "the headline came from trafilatura's metadata",
    "lead.generic": "the lead came from generic markup (microdata, a lead-like class, a paragraph after the headline)",
    "lead.from_body": "no lead element: the body's first paragraph looked like a lead and was taken as it",
    "lead.missing": "no lead found",
    "body.narrowed": "a body selector matched a wider container (chrome, widgets or the headline in it); "
    "the innermost container holding the article text was used",
    "body.rejected": "a body candidate held chrome, widgets or the headline and was passed over",
    "body.generic": "the body came from generic markup (microdata, a common class, the densest text block)",
    "body.trafilatura": "the body came from trafilatura's main-content extraction",
    "body.panel_cut": "the body container went on with a related-articles panel; the body ends before its title",
    "body.widgets_left_out": "the body container held a widget showing more than its labels or the site's chrome "
    "(a vote with its prompt, a comment form); it was left out of the text",
    "body.empty": "no body text found",
    "published_at.generic": "the publication date came from generic markup or a visible date",
    "published_at.trafilatura": "the publication date came from trafilatura (day only)",
    "published_at.missing": "no publication date found",
    "published_at.outside_week": "the publication date is before the headline's week or over 60 days after it: "
    "one of the two may be misread",
    "canonical_url.generic": "the page's identity came from generic markup (og:url, Drupal node id) or its path",
    "canonical_url.foreign_host": "the page named a canonical URL on another host; it was ignored",
    "week.unreadable": "the headline gives no readable date range (week_start/week_end are null)",
    "sections.run_in": "no heading stood on a line of its own: the bold words opening paragraphs were read as headings",
    "sections.capitals": "no heading was bold or a heading tag: short lines in capitals were read as headings",
    "sections.none": "the body has text but no section heading was found (sections is empty)",
}
# Warnings that describe the page's content rather than a guess about its markup.
CONTENT_WARNINGS = frozenset({"week.unreadable", "body.panel_cut", "published_at.outside_week"})

T = TypeVar("T")


@dataclass
class Answer(Generic[T]):
    """A field's value and the strategy that found it (``template:…``, ``generic:…``, ``trafilatura``)."""

    value: T
    strategy: str

    @property
    def kind(self) -> str:
        return self.strategy.split(":", 1)[0]


@dataclass
class Extraction:
    """The result of reading one article page."""

    is_digest: bool
    record: dict[str, Any] | None = None
    reason: str = ""
    empty_body: bool = False  # a digest headline over a body that came out almost empty: not archived
    cut_short: bool = False  # a digest headline on a page that ends before its closing tags: not archived

    @property
    def unusable(self) -> bool:
        """A digest's page that cannot make its record (yet): not archived, tried again."""
        return self.empty_body or self.cut_short


@dataclass
class _Content:
    summary: str
    preamble: list[str] = field(default_factory=list)
    sections: list[dict[str, str]] = field(default_factory=list)
    byline: str | None = None
    images: list[dict[str, str]] = field(default_factory=list)


_GENERIC_TITLE = (
    ("generic:itemprop-headline", "[itemprop=headline]"),
    ("generic:og-title", "meta[property='og:title']@content"),
)
_GENERIC_LEAD = (
    ("generic:microdata", "[itemprop=description]:not(meta)"),
    ("generic:lead-class", ".sapo, .lead, .summary, .article-summary, .news-summary, .brief, "
     ".field--name-field-tom-tat, .field--name-field-summary, .field--name-field-sapo"),
)  # fmt: skip
_GENERIC_BODY = (
    ("generic:microdata", "[itemprop=articleBody]"),
    ("generic:body-class", ".field--name-body, .article-body, .article-content, .entry-content, .post-content, "
     ".news-content, .detail-content, .content-detail, .news-detail, .detail-body, .noidung, .node__content"),
)  # fmt: skip
_GENERIC_DATE_META = (
    "meta[property='article:published_time']@content",
    "meta[itemprop=datePublished]@content",
    "[itemprop=datePublished]@datetime",
    "[itemprop=datePublished]@content",
    "meta[name=pubdate]@content",
    "meta[name=publishdate]@content",
    "meta[name='dc.date']@content",
    "meta[name='DC.date.issued']@content",
    "meta[property='og:published_time']@content",
)
_DATE_WORDS = frozenset(
    {"date", "time", "created", "published", "publish", "post", "posted", "pubdate", "ngay", "thoigian",
     "submitted", "meta", "update", "updated", "datetime", "ngaydang"}
)  # fmt: skip
_DATE_SKIP_WORDS = frozenset({"related", "involve", "sidebar", "aside", "footer", "menu", "nav", "hot", "comment"})
_HEADLINE_HOLDERS = ("p", "div", "span", "strong", "b", "td", "a")
_CONTAINERS = ("div", "section", "article", "main", "td", "center")
_PARAGRAPHS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "ul", "ol"}
_BLOCKS = ("div", "p", "section", "article", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
           "center")  # fmt: skip
# Inline markup: its text is the line it stands in ("<strong>Heading</strong><br>text<br>…").
_INLINE = {"strong", "b", "em", "i", "u", "span", "a", "font", "br", "img", "sup", "sub", "small", "mark"}
_ATTACHMENT_EXT = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|zip|rar|7z)(?:$|\?)", re.I)
# A file is linked (a), or shown in the page by an embedded viewer (iframe, embed, object)
_FILE_HOLDERS = ("a", "iframe", "embed", "object")
_VIEWER_PARAMS = ("file", "url", "src", "doc", "pdf")  # "/pdfjs/web/viewer.html?file=/files/a.pdf"


def _linked_file(page_url: str, holder: Any) -> str | None:
    """The file an element links or embeds, as an absolute URL; a viewer's file, not the viewer."""
    raw = (holder.get("href") or holder.get("src") or holder.get("data") or "").strip()
    if not raw or raw.startswith(("javascript:", "mailto:", "#")):
        return None
    url = urljoin(page_url, raw)
    query = urlsplit(url).query
    if query:
        for name, value in parse_qsl(query):
            if name.lower() in _VIEWER_PARAMS and _ATTACHMENT_EXT.search(value):
                return urljoin(page_url, value)
    return url if _ATTACHMENT_EXT.search(url) else None


_MAX_HEADING_CHARS = 400
_MIN_BODY_CHARS = 80
_MIN_LEAD_CHARS, _MAX_LEAD_CHARS = 60, 1500
_MIN_LEAD_WORDS = 12  # a sapo of whole sentences, not a caption or a date line
_LEAD_LOOKAHEAD = 20  # paragraphs and blocks after the headline where a sapo may stand
_DATE_LOOKAHEAD = 40  # elements after the headline where its date line may stand
_PUBLISHED_WITHIN = dt.timedelta(days=14)  # after its week's last day, a digest is surely out
_MAX_TITLE_CHARS = 400
_MAX_PLAIN_CAPTION = 160  # a photo's caption in plain type, with no closing stop
# A digest lists several directives: a body under this many characters on a full-size page
# means the page was cut or misread, and is reported rather than archived.
_MIN_BODY_TEXT = 40
_REAL_PAGE_BYTES = 20_000


def _is_caption(block: Block, previous: Block | None) -> bool:
    if block.in_caption:
        return True
    after_image = previous is not None and bool(previous.images) and not previous.text
    if not (after_image or block.images) or len(block.text) >= 300:  # most blocks stop here, unfolded
        return False
    if block.italic or fold(block.text[:20]).startswith(("anh:", "anh minh hoa", "anh ")):
        return True
    # A plain line under a photo: centred, or short and no sentence (a heading would be bold).
    return not (block.bold or block.heading_tag) and (
        block.centered or (len(block.text) <= _MAX_PLAIN_CAPTION and block.text[-1] not in ".;:!?…")
    )


def _is_heading(block: Block) -> bool:
    return (block.heading_tag or block.bold) and 0 < len(block.text) <= _MAX_HEADING_CHARS


class DigestPage:
    """One article page of a site, read field by field. Never fetches."""

    def __init__(self, url: str, html: str | bytes, profile: SiteProfile):
        self.url = url
        self.html = html
        self.profile = profile
        source = html.encode("utf-8") if isinstance(html, str) else html
        self._bytes = source
        self.doc = parse_html(source)
        self._source = page_source(source)
        self.warnings: list[str] = []
        self.rejected: list[str] = []  # "strategy: why" for every candidate passed over
        self._panel_cut_in: set[Any] = set()  # body candidates whose lines were cut at a related-articles panel
        self._widgets_left_out_of: set[Any] = set()  # body candidates whose walk left out a widget with text
        self._folds: dict[str, str] = {}

    def live_url(self, url: str) -> str:
        """A URL on the host the page was fetched from, moved to the site's live host.

        A crawl from a mirror must not leave the mirror's host and port in the archive.
        """
        parts, fetched = urlsplit(url), urlsplit(self.url)
        if parts.netloc != fetched.netloc:
            return url
        live = urlsplit(self.profile.base_url)
        return urlunsplit((live.scheme, live.netloc, parts.path, parts.query, parts.fragment))

    def _warn(self, code: str) -> None:
        if code not in self.warnings:
            self.warnings.append(code)

    def _fold(self, text: str) -> str:
        """:func:`fold`, once per text of the page: the headline and lead are compared again and again."""
        found = self._folds.get(text)
        if found is None:
            found = self._folds[text] = fold(text)
        return found

    def _headline_goes_on(self, opening: list[Block], text: str, headline: str) -> bool:
        """Whether ``text`` after the ``opening`` lines still spells the headline from its start (a
        headline repeated in the body over two lines: "… trong tuần" / "(từ ngày …)")."""
        so_far = self._fold(" ".join([*(b.text for b in opening), text])).rstrip(" .:")
        return bool(so_far) and self._fold(headline).startswith(so_far)

    def _select(self, selector: str) -> list[Any]:
        """:func:`select` with the page's source, which rules out most selectors without a scan."""
        return select(self.doc, selector, self._source)

    def _templated(self, attr: str) -> list[tuple[str, str]]:
        return [(f"template:{t.name}", sel) for t in self.profile.templates for sel in getattr(t, attr)]

    # ------------------------------------------------------------------ trafilatura, lazily

    @cached_property
    def _trafilatura_metadata(self) -> Any:
        from trafilatura import extract_metadata

        try:
            return extract_metadata(self._html_text, default_url=self.url)
        except Exception as exc:  # a last resort must not break the page
            logger.debug("trafilatura metadata failed on %s: %s", self.url, exc)
            return None

    @property
    def _html_text(self) -> str:
        return self.html.decode("utf-8", errors="replace") if isinstance(self.html, bytes) else self.html

    # ------------------------------------------------------------------ headline

    def _plausible_title(self, text: str) -> bool:
        if not text or len(text) > _MAX_TITLE_CHARS:
            return False
        return not checks.chrome_in([text], self.profile)

    def _strip_site_suffix(self, value: str) -> str:
        value = normalize_line(value)
        suffixes = {fold(s) for s in self.profile.title_suffixes}
        for sep in (" | ", " – ", " - ", " :: "):
            if sep in value:
                head, tail = value.rsplit(sep, 1)
                if sep == " | " or fold(tail) in suffixes:
                    return head.strip()
        return value

    @cached_property
    def headline(self) -> Answer[str]:
        self.headline_element: Any = None  # where the headline stands, when it is an element of the page
        for strategy, selector in self._templated("title"):
            for el in self._select(selector):
                text = text_of(el)
                if self._plausible_title(text):
                    self.headline_element = el
                    return Answer(text, strategy)
        candidates: list[tuple[str, Any]] = []
        h1s = [h for h in self.doc.iter("h1") if not checks.in_other_region(h)]
        candidates += [("generic:h1", h) for h in h1s if is_digest_title(text_of(h))]
        candidates += [(s, v) for s, sel in _GENERIC_TITLE for v in self._select(sel)]
        candidates += [("generic:h1", h) for h in h1s]
        candidates += [("generic:title", self._strip_site_suffix(text_of(t))) for t in self.doc.iter("title")]
        for strategy, found in candidates:
            text = text_of(found)
            if self._plausible_title(text):
                self._warn("title.generic")
                self.headline_element = self._standing(text) if isinstance(found, str) else found
                return Answer(text, strategy)
        meta = self._trafilatura_metadata
        title = normalize_line(getattr(meta, "title", None) or "")
        if title:
            self._warn("title.trafilatura")
            return Answer(title, TRAFILATURA)
        return Answer("", "none")

    def _standing(self, headline: str) -> Any | None:
        """The element that shows a headline read from metadata (``<title>``, ``og:title``), if one does.

        Where the headline stands tells where the sapo and the date line are: a heading first, then
        any element whose text is the headline, outside menus, sidebars and panels.
        """
        if len(headline) < 20:
            return None
        for tags in (HEADING_TAGS, _HEADLINE_HOLDERS):
            for el in self.doc.iter(*tags):
                text = text_of(el)
                if (
                    abs(len(text) - len(headline)) <= 3
                    and folded_equal(text, headline, self._fold)
                    and not checks.in_other_region(el)
                ):
                    return el
        return None

    @cached_property
    def week(self) -> tuple[dt.date, dt.date] | None:
        """The week the headline covers (read once: the publication date's checks need it too)."""
        return parse_week_range(self.headline.value)

    # ------------------------------------------------------------------ lead element

    @cached_property
    def lead_element(self) -> Answer[str | None]:
        """The lead from its own element; a lead inside the body is found by :meth:`content`."""
        headline = self.headline.value
        for strategies, code in ((self._templated("lead"), None), (_GENERIC_LEAD, "lead.generic")):
            for strategy, selector in strategies:
                for el in self._select(selector):
                    text = text_of(el)
                    if (
                        len(text) < 20
                        or folded_equal(text, headline, self._fold)
                        or checks.chrome_in([text], self.profile)
                    ):
                        continue
                    if code:
                        self._warn(code)
                    return Answer(text, strategy)
        return Answer(None, "none")

    def _lead_after_headline(self) -> str | None:
        """A lead no class names and the body does not open with: the first paragraph of whole sentences
        (or of the lead's shape) among the elements between the headline and the body, in document
        order (a sapo's usual place)."""
        headline, body = getattr(self, "headline_element", None), getattr(self, "body_element", None)
        if headline is None or body is None:
            return None
        for el in headline.xpath("following::*[self::p or self::div][position() <= $n]", n=_LEAD_LOOKAHEAD):
            if el is body or body in el.iterancestors():
                return None  # the body comes first: what follows is its text
            if (
                body in el.iterdescendants()
                or checks.is_widget(el)
                or (tag_of(el) == "div" and el.find(".//p") is not None)
            ):
                continue  # a container: its paragraphs come next
            text = text_of(el)
            # outside the body and before it, whole sentences are the sapo even without the lead's formula
            sentences = text.endswith((".", "…", "!")) and len(text.split()) >= _MIN_LEAD_WORDS
            if _MIN_LEAD_CHARS <= len(text) <= _MAX_LEAD_CHARS and (sentences or checks.looks_like_lead(text)):
                return None if checks.chrome_in([text], self.profile) else text
        return None

    # ------------------------------------------------------------------ body

    def _checked(self, el: Any) -> tuple[list[Block], list[str]]:
        classes = checks.classes_inside(el)
        widgets, skipped = checks.holds_widgets(el, classes), None
        inside = checks.left_out_inside(el, self._chrome) if widgets or checks.holds_trails(el, classes) else None
        if inside is not None:
            widgets = False  # a share bar, a rating, a breadcrumb or the keywords inside the body: left out
            skipped, guessed = inside
            if guessed:
                self._widgets_left_out_of.add(el)
        blocks = body_blocks(el, self.url, frozenset(skipped)) if skipped else body_blocks(el, self.url)
        cut = checks.panel_start(blocks)
        if cut is not None:  # a "Tin liên quan" list inside the body container, after the text: not the article
            blocks = blocks[:cut]
            self._panel_cut_in.add(el)
        blocks = checks.without_trailing_widget_lines(blocks)  # "Chia sẻ | In bài" after the text
        lead = self.lead_element.value or ""
        return blocks, checks.body_problems(el, blocks, self.headline.value, self.profile, lead, self._fold, widgets)

    def _chrome(self, text: str) -> bool:
        """Whether a text is the site's own chrome (its profile's phrases and lines)."""
        return bool(checks.chrome_in([text], self.profile))

    def _narrowed(self, el: Any) -> tuple[Any, list[Block]] | None:
        """The container inside ``el`` that holds the most article text and passes every check."""
        inner = [d for d in el.iterdescendants(*_CONTAINERS) if not checks.is_widget(d)]
        inner.sort(key=lambda d: len(text_of(d)), reverse=True)
        for candidate in inner[:12]:
            if len(text_of(candidate)) < _MIN_BODY_CHARS:
                break
            blocks, problems = self._checked(candidate)
            if not problems:
                return candidate, blocks
        return None

    def _densest(self) -> Any | None:
        """The container with the most paragraph text directly inside it, outside page chrome."""
        best, best_score = None, 0
        regions: dict[Any, bool] = {}
        for el in self.doc.iter(*_CONTAINERS):
            score = _own_text_length(el)
            # on a tie the inner one: a wrapper whose only text is one div used as a paragraph is not the body
            better = score > best_score or (score == best_score and best is not None and el.getparent() is best)
            if better and not checks.in_other_region(el, regions):
                best, best_score = el, score
        return best if best_score >= _MIN_BODY_CHARS else None

    def _body_candidates(self) -> Any:
        for strategy, selector in self._templated("body"):
            for el in self._select(selector):
                yield strategy, el
        for strategy, selector in _GENERIC_BODY:
            for el in self._select(selector):
                yield strategy, el
        densest = self._densest()
        if densest is not None:
            yield "generic:densest-text", densest

    @cached_property
    def body(self) -> Answer[list[Block]]:
        """The body's lines, from the first candidate container that passes the checks."""
        self.body_element: Any = None
        seen: set[Any] = set()  # elements, not their id(): a freed lxml proxy's id is reused
        for strategy, el in self._body_candidates():
            if el in seen or not has_text(el):
                continue
            seen.add(el)
            blocks, problems = self._checked(el)
            if not any(b.text for b in blocks):
                continue
            if problems:
                narrowed = self._narrowed(el)
                if narrowed is None:
                    self.rejected.append(f"{strategy}: {'; '.join(problems)}")
                    self._warn("body.rejected")
                    continue
                el, blocks = narrowed
                self._warn("body.narrowed")
                self.rejected.append(f"{strategy}: {'; '.join(problems)} (narrowed to <{tag_of(el)}>)")
            if not strategy.startswith("template:"):
                self._warn("body.generic")
            if el in self._panel_cut_in:
                self._warn("body.panel_cut")
            if el in self._widgets_left_out_of:
                self._warn("body.widgets_left_out")
            self.body_element = el
            return Answer(blocks, strategy)
        blocks = self._trafilatura_blocks()
        self._warn("body.trafilatura")
        if not any(b.text for b in blocks):
            self._warn("body.empty")
        return Answer(blocks, TRAFILATURA)

    def _trafilatura_blocks(self) -> list[Block]:
        import trafilatura  # the slow path, imported only when needed

        extracted = trafilatura.extract(
            self._html_text,
            url=self.url,
            output_format="html",
            include_formatting=True,
            include_images=True,
            include_tables=True,
            include_comments=False,
            favor_precision=True,
        )
        if not extracted:
            return []
        root = parse_html(extracted)
        body = root.find("body")
        return body_blocks(body if body is not None else root, self.url)

    # ------------------------------------------------------------------ lead, sections, byline

    @cached_property
    def content(self) -> _Content:
        """The body's lines sorted into lead, preamble, sections, byline and image captions."""
        headline = self.headline.value
        lead = self.lead_element
        summary = lead.value or ""
        self.lead_strategy = lead.strategy
        images: list[dict[str, str]] = []
        kept: list[Block] = []
        previous: Block | None = None
        opening: list[Block] = []  # lines opening the body that may be the headline repeated over two or more
        for block in self.body.value:
            if block.images:
                images.extend({**img, "src": self.live_url(img["src"]), "caption": ""} for img in block.images)
            if block.text and _is_caption(block, previous):
                if images:
                    images[-1]["caption"] = block.text
            elif block.text and not kept and headline and self._headline_goes_on(opening, block.text, headline):
                opening.append(block)
                if folded_equal(" ".join(b.text for b in opening), headline, self._fold):
                    opening.clear()  # the headline repeated as the body's first line(s)
            elif block.text:
                kept.extend(opening)
                opening.clear()
                kept.append(block)
            previous = block
        kept = checks.without_trailing_widget_lines(kept + opening)  # trafilatura's lines too
        if kept and summary and folded_equal(kept[0].text, summary, self._fold):
            kept.pop(0)  # the lead repeated as the body's first line
        elif kept and not summary and checks.looks_like_lead(kept[0].text):
            first = kept[0]
            template_rule = first.bold and any(t.lead_first_bold_paragraph for t in self.profile.templates)
            if template_rule and self.body.kind == TEMPLATE:
                self.lead_strategy = f"{self.body.strategy}/first-bold-paragraph"
            else:
                self.lead_strategy = "generic:body-first-paragraph"
                self._warn("lead.from_body")
            summary = kept.pop(0).text
        if not summary and (summary := self._lead_after_headline() or ""):
            self.lead_strategy = "generic:after-headline"
            self._warn("lead.generic")
        if not summary:
            self._warn("lead.missing")
        byline = None
        if kept and checks.is_byline(kept[-1]) and (len(kept) > 1 or not _is_heading(kept[-1]) or kept[-1].right):
            byline = kept.pop().text
        content = _Content(summary=summary, byline=byline, images=images)
        _sort_into_sections(content, [(_is_heading(b), b.text) for b in kept])
        if not content.sections and sum(1 for b in kept if b.run_in) >= 2:
            # no heading on a line of its own, but paragraphs opening with bold words: "<b>Mục một.</b> …"
            lines: list[tuple[bool, str]] = []
            for b in kept:
                if b.run_in:
                    lines += [(True, b.text[: b.run_in].strip()), (False, b.text[b.run_in :].strip())]
                else:
                    lines.append((False, b.text))
            content.preamble = []
            _sort_into_sections(content, lines)
            self._warn("sections.run_in")
        if not content.sections and sum(1 for b in kept if _is_capitals_line(b.text)) >= 2:
            content.preamble = []
            _sort_into_sections(content, [(_is_capitals_line(b.text), b.text) for b in kept])
            self._warn("sections.capitals")
        if not content.sections and kept:
            self._warn("sections.none")
        return content

    @property
    def lead(self) -> str | None:
        return self.content.summary or None

    @property
    def sections(self) -> list[dict[str, str]]:
        return self.content.sections

    @property
    def byline(self) -> str | None:
        return self.content.byline

    @property
    def images(self) -> list[dict[str, str]]:
        return self.content.images

    @property
    def text(self) -> str:
        content = self.content
        lines = [content.summary] if content.summary else []
        lines += content.preamble
        for section in content.sections:
            lines.append(section["heading"])
            if section["text"]:
                lines.append(section["text"])
        return "\n".join(lines)

    # ------------------------------------------------------------------ publication date

    def _visible_date_elements(self) -> Any:
        body = getattr(self, "body_element", None)
        for el in self.doc.iter():
            if not isinstance(el.tag, str) or tag_of(el) in ("script", "style", "meta", "html", "body"):
                continue
            words = class_words(el)
            if not (words & _DATE_WORDS) or words & _DATE_SKIP_WORDS:
                continue
            if body is not None and (el is body or body in el.iterancestors()):
                continue
            ancestors = list(el.iterancestors())
            if any(tag_of(a) in ("aside", "footer", "nav") or class_words(a) & _DATE_SKIP_WORDS for a in ancestors):
                continue
            yield el

    @cached_property
    def published(self) -> Answer[str | None]:
        for strategy, selector in self._templated("published"):
            for value in self._select(selector):
                parsed = parse_datetime(value) if isinstance(value, str) else find_visible_date(text_of(value))
                if parsed:
                    return Answer(parsed, strategy)
        found = self._generic_published()
        if found.value:
            self._warn("published_at.generic")
            return found
        meta = self._trafilatura_metadata
        day = parse_datetime(getattr(meta, "date", None) or "")
        # htmldate also reads dates out of the text: the documents' dates in the body, other articles'
        # dates in a related-articles panel or sidebar
        if day and not self._date_in_body(day) and not self._date_in_other_regions(day):
            self._warn("published_at.trafilatura")
            return Answer(day, TRAFILATURA)
        self._warn("published_at.missing")
        return Answer(None, "none")

    @staticmethod
    def _day_pattern(iso: str) -> re.Pattern[str]:
        year, month, day = (int(part) for part in iso[:10].split("-"))
        return re.compile(rf"(?<!\d)0?{day}\s*[/.-]\s*0?{month}\s*[/.-]\s*{year}")

    def _date_in_body(self, iso: str) -> bool:
        return bool(self._day_pattern(iso).search("\n".join(b.text for b in self.body.value)))

    def _date_in_other_regions(self, iso: str) -> bool:
        """Whether the day stands in page chrome (a related-articles panel, a sidebar, the site's header)
        and is no plausible day to publish the headline's week (from its first day to two weeks after)."""
        week = self.week
        if week and week[0] <= dt.date.fromisoformat(iso[:10]) <= week[1] + _PUBLISHED_WITHIN:
            return False
        pattern = self._day_pattern(iso)
        for el in self.doc.iter(*_CONTAINERS, *checks.REGION_TAGS):
            if tag_of(el) == "header" and any(tag_of(a) == "article" for a in el.iterancestors()):
                continue  # an article's own header: where its date stands
            if checks.is_other_region(el) and pattern.search(text_of(el)):
                return True
        return False

    def _generic_published(self) -> Answer[str | None]:
        for selector in _GENERIC_DATE_META:
            for value in self._select(selector):
                if parsed := parse_datetime(value):
                    return Answer(parsed, "generic:meta")
        for script in self._select("script[type='application/ld+json']"):
            if parsed := parse_datetime(_json_ld_date(script.text or "")):
                return Answer(parsed, "generic:json-ld")
        for value in self._select("time[datetime]@datetime"):
            if parsed := parse_datetime(value):
                return Answer(parsed, "generic:time-element")
        _ = self.body  # the body is known first, so dates inside it (document dates) are never taken
        for el in self._visible_date_elements():
            text = text_of(el)
            if 0 < len(text) <= 120 and (parsed := find_visible_date(text)):
                return Answer(parsed, "generic:visible-date")
        for el in self._near_headline():
            text = text_of(el)
            if is_digest_title(text):  # the headline repeated: its week is no publication date
                continue
            if parsed := find_visible_date(text):
                return Answer(parsed, "generic:near-headline")
        return Answer(None, "none")

    def _near_headline(self) -> Any:
        """Short elements around the headline, outside the body: where a byline date stands.

        First those between the headline and the body, in document order; then those of the smallest
        element holding both, and up to two levels out (the date may stand in the article's header,
        beside the block holding the headline); never in page chrome, nor the headline itself."""
        headline, body = getattr(self, "headline_element", None), getattr(self, "body_element", None)
        if headline is None or body is None:
            return
        # elements, not their id(): an lxml proxy no longer referenced is freed and its id reused
        skip: set[Any] = {body, headline}  # the headline's week is no publication date either
        seen: set[Any] = set(headline.iterancestors())  # nor is that of an element holding the headline
        following = headline.xpath("following::*[position() <= $n]", n=_DATE_LOOKAHEAD)
        yield from self._short_elements(following, skip, seen, until=body)
        article = next((a for a in headline.iterancestors() if body in a.iterdescendants()), None)
        for _ in range(3):
            if article is None or tag_of(article) in ("body", "html") or checks.in_other_region(article):
                return
            yield from self._short_elements(article.iterdescendants(), skip, seen)
            article = article.getparent()

    @staticmethod
    def _short_elements(elements: Any, skip: set[Any], seen: set[Any], until: Any = None) -> Any:
        """The short elements (a date's line) among ``elements``, past skipped subtrees, each once."""
        for el in elements:
            if el is until:
                return
            if not isinstance(el.tag, str) or tag_of(el) in ("script", "style"):
                continue
            if el in skip or el.getparent() in skip:
                skip.add(el)  # the body's subtree: its dates are the documents' dates
                continue
            if class_words(el) & _DATE_SKIP_WORDS or checks.is_widget(el):
                skip.add(el)
                continue
            if el in seen:
                continue
            if tag_of(el) != "header" and checks.is_other_region(el):  # an article's header holds its date
                skip.add(el)
                continue
            seen.add(el)
            if len(el) <= 3 and 0 < len(text_of(el)) <= 80:
                yield el

    # ------------------------------------------------------------------ identity

    def _identity_from(self, href: str, strategy: str) -> Answer[tuple[str, str]] | None:
        candidate = urljoin(self.url, href.strip())
        parts, live = urlsplit(candidate), urlsplit(self.profile.base_url)
        if parts.scheme not in ("http", "https"):
            return None
        if parts.hostname not in (urlsplit(self.url).hostname, live.hostname):
            self._warn("canonical_url.foreign_host")
            return None
        key = self.profile.record_key(candidate)
        own = self.profile.record_key(self.url)
        if key is None or (own is not None and own != key):
            return None
        return Answer((key, self.profile.canonical_url(candidate)), strategy)

    @cached_property
    def identity(self) -> Answer[tuple[str, str]]:
        """(key, canonical URL on the live host): the same digest under any URL is one record."""
        for strategy, selector in self._templated("identity"):
            for href in self._select(selector):
                if found := self._identity_from(href, strategy):
                    return found
        own_key = self.profile.record_key(self.url)
        if own_key:
            return Answer((own_key, self.profile.canonical_url(self.url)), "template:url")
        generic = [("generic:og-url", v) for v in self._select("meta[property='og:url']@content")]
        generic += [("generic:shortlink", v) for v in self._select("link[rel=shortlink]@href")]
        node_ids = self._select("[data-history-node-id]@data-history-node-id")
        generic += [("generic:drupal-node", f"/node/{v}") for v in node_ids]
        generic += [("generic:drupal-node", v) for v in self._select("article[about]@about")]
        for script in self._select("script[data-drupal-selector='drupal-settings-json']"):
            if match := re.search(r'"currentPath"\s*:\s*"(node\\?/\d+)"', script.text or ""):
                generic.append(("generic:drupal-node", "/" + match.group(1).replace("\\/", "/")))
        for strategy, href in generic:
            if found := self._identity_from(href, strategy):
                self._warn("canonical_url.generic")
                return found
        path = urlsplit(self.url).path
        self._warn("canonical_url.generic")
        key = f"{self.profile.name}:{path.strip('/') or '/'}"
        return Answer((key, self.profile.base_url.rstrip("/") + path), "generic:url-path")

    # ------------------------------------------------------------------ images, attachments

    def attachments(self) -> list[dict[str, str]]:
        scopes = [self.body_element] if getattr(self, "body_element", None) is not None else []
        for _, selector in self._templated("attachments"):
            scopes.extend(self._select(selector))
        seen: set[str] = set()
        found = []
        for scope in scopes:
            for holder in [scope] if scope.tag in _FILE_HOLDERS else scope.iter(*_FILE_HOLDERS):
                href = _linked_file(self.url, holder)
                if href and (href := self.live_url(href)) not in seen:
                    seen.add(href)
                    found.append({"url": href, "text": text_of(holder) or normalize_line(holder.get("title"))})
        return found

    # ------------------------------------------------------------------ the record

    def strategies(self) -> dict[str, str]:
        return {
            "title": self.headline.strategy,
            "lead": self.lead_strategy,
            "body": self.body.strategy,
            "published_at": self.published.strategy,
            "canonical_url": self.identity.strategy,
        }

    def extract(self, crawled_at: str | None = None) -> Extraction:
        """The digest record, or why this page is not a digest."""
        title = self.headline.value
        if not title:
            return Extraction(False, reason="no headline")
        if not is_digest_title(title):
            return Extraction(False, reason=f"headline is not a weekly digest: {title[:80]!r}")
        if cut_short(self._bytes):
            reason = f"the page ends before </html> ({len(self._bytes) // 1024} KB read): cut short in transfer"
            return Extraction(True, reason=reason, cut_short=True)
        text = self.text
        body_chars = len(text) - len(self.content.summary)
        if body_chars < _MIN_BODY_TEXT and len(self.html) >= _REAL_PAGE_BYTES:
            reason = f"the body came out almost empty ({body_chars} characters of a {len(self.html) // 1024} KB page)"
            return Extraction(True, reason=reason, empty_body=True)
        week = self.week
        if week is None:
            self._warn("week.unreadable")
        published_at = self.published.value
        if week and published_at and not _plausibly_published(published_at, week):
            self._warn("published_at.outside_week")
        days: tuple[dt.date | None, dt.date | None] = week if week else (None, None)
        # an administrative number restarts each year: its id takes the year of the week (or publication)
        fallback_year = week[1].year if week else int(published_at[:4]) if published_at else None
        cited = cite_documents(text, fallback_year)
        key, canonical = self.identity.value
        strategies = self.strategies()
        body_kind = self.body.kind
        all_template = all(s.startswith("template:") or s == "none" for s in strategies.values())
        method = METHOD_FALLBACK if body_kind == TRAFILATURA else METHOD_SITE if all_template else METHOD_GENERIC
        record: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "key": key,
            "url": self.url,
            "canonical_url": canonical,
            "source": self.profile.source,
            "title": title,
            "week_start": week[0].isoformat() if week else None,
            "week_end": week[1].isoformat() if week else None,
            "published_at": published_at,
            "summary": self.lead,
            "sections": [
                {
                    **section,
                    "directive": parse_directive(
                        section["heading"], section["text"], days[0], days[1], fallback_year, cited
                    ),
                }
                for section in self.sections
            ],
            "documents": cited,
            "text": text,
            "byline": self.byline,
            "images": self.images,
            "attachments": self.attachments(),
            "digest_key": f"{week[0].isoformat()}/{week[1].isoformat()}" if week else None,
            "also_published_at": [],
            "extraction_method": method,
            "extraction_strategies": strategies,
            "extraction_warnings": list(self.warnings),
            "crawled_at": crawled_at,
        }
        record["content_hash"] = content_hash(record)
        return Extraction(True, record=record)


_LATE_AFTER_WEEK = dt.timedelta(days=60)  # a digest goes out days after its week; past this, a date is suspect


def _plausibly_published(published_at: str, week: tuple[dt.date, dt.date]) -> bool:
    """Whether a digest of ``week`` can have been published then: not before the week, nor months after it."""
    day = dt.datetime.fromisoformat(published_at).astimezone(VN_TZ).date()
    return week[0] <= day <= week[1] + _LATE_AFTER_WEEK


def _is_capitals_line(text: str) -> bool:
    """A short line in capitals ("TĂNG CƯỜNG PHÒNG, CHỐNG DỊCH"): a heading on a page that bolds none."""
    return 0 < len(text) <= _MAX_HEADING_CHARS and text.isupper() and sum(c.isalpha() for c in text) >= 4


def _sort_into_sections(content: _Content, lines: list[tuple[bool, str]]) -> None:
    """Headings and their lines into ``content.sections``; lines before the first heading into its preamble."""
    text: list[str] = []
    for is_heading, line in lines:
        if is_heading:
            if content.sections:
                content.sections[-1]["text"] = "\n".join(text)
            content.sections.append({"heading": line, "text": ""})
            text = []
        elif content.sections:
            text.append(line)
        else:
            content.preamble.append(line)
    if content.sections:
        content.sections[-1]["text"] = "\n".join(text)


def _own_text_length(el: Any) -> int:
    """How much text stands directly in ``el``: its paragraphs (or divs used as paragraphs), and the
    lines between inline markup and line breaks (a body written as "<strong>…</strong><br>…<br>")."""
    total = len((el.text or "").strip())
    for child in el:
        tag = tag_of(child)
        if tag in _PARAGRAPHS or tag in _INLINE:
            total += len(text_of(child))
        elif tag == "div" and _is_line_block(child):
            total += _own_text_length(child)  # measured as the div itself is: a tie goes to the inner one
        total += len((child.tail or "").strip())
    return total


def _is_line_block(el: Any) -> bool:
    """A <div> used as a paragraph: text and inline markup only, no block inside."""
    return next(el.iterdescendants(*_BLOCKS), None) is None


def _json_ld_date(text: str) -> str | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            if isinstance(item.get("datePublished"), str):
                return item["datePublished"]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def parse_digest(url: str, html: str | bytes, profile: SiteProfile, *, crawled_at: str | None = None) -> Extraction:
    """Read one article page into a digest record, or say why it is not a digest."""
    return DigestPage(url, html, profile).extract(crawled_at)
