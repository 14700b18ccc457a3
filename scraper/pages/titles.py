"""Recognise digest headlines and read the week they cover.

Titles are typed by hand: padding, separators and the year vary, the closing parenthesis
is sometimes missing, and the year usually appears only on the end date. A tolerant
regex beats a general date parser here (dateparser reads 03/04 month-first).
"""

from __future__ import annotations

import datetime as dt
import re

from scraper.pages.text import fold, normalize_line

# A digest headline: "Chỉ đạo, điều hành nổi bật của UBND tỉnh ... trong tuần ...", matched
# on the folded form so tone-mark placement, case and NFD input do not matter.
_DIGEST_FOLDED = re.compile(r"chi dao\W+dieu hanh\W+noi bat\b.*\btuan\b")

_DAY_MONTH = r"(\d{1,2})\s*[/.]\s*(\d{1,2})"
_YEAR = r"(\d{4}|\d{2})"
_START = rf"{_DAY_MONTH}(?:\s*[/.]\s*{_YEAR})?"
_END = rf"{_DAY_MONTH}\s*[/.]\s*{_YEAR}"
_SEP = r"\s*(?:-|–|—|~|đến(?:\s+hết)?(?:\s+ngày)?|tới(?:\s+ngày)?)\s*(?:ngày\s*)?"
_RANGE = re.compile(rf"{_START}{_SEP}{_END}", re.IGNORECASE)

MIN_YEAR, MAX_YEAR = 1990, 2100  # the digests began in 2017; outside this a year is misread
MAX_SPAN_DAYS = 21  # a two-week holiday digest is the longest seen; anything longer is a misread


def is_digest_title(title: str | None) -> bool:
    """True when a headline names the weekly digest (not any other news)."""
    if not title:
        return False
    return bool(_DIGEST_FOLDED.search(fold(title)))


def _year(text: str) -> int:
    """A two-digit year is this century's; a four-digit one is as written ("0001" is not 2001)."""
    year = int(text)
    return year + 2000 if len(text) <= 2 else year


def parse_week_range(title: str | None) -> tuple[dt.date, dt.date] | None:
    """The (start, end) dates a digest title covers, or None when it cannot be read.

    The range is searched after the word "tuần" when present, so dates elsewhere in a
    title are not taken for the week. A start without a year takes the end's year, or
    the year before when that would put the start after the end (30/12 - 05/01/2025).
    """
    if not title:
        return None
    text = normalize_line(title)
    anchor = re.search(r"tuần", text, re.IGNORECASE)
    match = _RANGE.search(text, anchor.end() if anchor else 0) or _RANGE.search(text)
    if not match:
        return None
    d1, m1, y1, d2, m2, y2 = match.groups()
    try:
        end = dt.date(_year(y2), int(m2), int(d2))
        start_year = _year(y1) if y1 else end.year
        start = dt.date(start_year, int(m1), int(d1))
        if not y1 and start > end:
            start = dt.date(start_year - 1, int(m1), int(d1))
    except ValueError:
        return None
    if not MIN_YEAR <= end.year <= MAX_YEAR:
        return None  # a typo ("0001", "9999"), never a week of the digest
    if start > end or (end - start).days > MAX_SPAN_DAYS:
        return None
    return start, end
