"""Recognise digest headlines and read the week they cover.

Titles are typed by hand: padding, separators and the year vary, the closing parenthesis
is sometimes missing, and the year usually appears only on the end date. A tolerant
regex beats a general date parser here (dateparser reads 03/04 month-first).
"""

from __future__ import annotations

import datetime as dt
import re

from scraper.pages.text import fold, normalize_line, without_lookalikes

# A digest headline: "Chỉ đạo, điều hành nổi bật của UBND tỉnh ... trong tuần ...", matched
# on the folded form so tone-mark placement, case and NFD input do not matter.
_DIGEST_FOLDED = re.compile(r"chi dao\W+dieu hanh\W+noi bat\b.*\btuan\b")

_DAY_MONTH = r"(\d{1,2})\s*[/.]\s*(\d{1,2})"
_YEAR = r"(\d{4}|\d{2})"
_YEAR_AFTER = r"(?:\s*[/.]\s*|\s+năm\s+)"  # "07/12/2025", "07/12 năm 2025"
_START = rf"{_DAY_MONTH}(?:{_YEAR_AFTER}{_YEAR})?"
_END = rf"{_DAY_MONTH}{_YEAR_AFTER}{_YEAR}"
# a weekday may name the end ("đến Chủ nhật, ngày 07/12/2025")
_WEEKDAY = r"(?:(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)\s*,?\s*)?"
_SEP = rf"\s*(?:-|–|—|~|đến(?:\s+hết)?(?:\s+ngày)?|tới(?:\s+ngày)?)\s*(?:ngày\s*)?{_WEEKDAY}(?:ngày\s*)?"
_RANGE = re.compile(rf"{_START}{_SEP}{_END}", re.IGNORECASE)
# Rarer spellings, tried in turn when the usual one is not there. A hyphen separates the two
# dates only with spaces round it when the dates use hyphens themselves ("06-10-2025 - 12-10-2025").
_WORD_SEP = r"\s*(?:–|—|~|\s-\s|đến(?:\s+hết)?(?:\s+ngày)?|tới(?:\s+ngày)?)\s*(?:ngày\s*)?"
_WORDS_DATE = r"(\d{1,2})\s+tháng\s+(\d{1,2})"
_OTHER_RANGES = (
    # "14 tháng 7 đến ngày 20 tháng 7 năm 2025"
    ("dmy", re.compile(rf"{_WORDS_DATE}(?:\s+năm\s+(\d{{4}}))?{_SEP}{_WORDS_DATE}\s+năm\s+(\d{{4}})", re.I)),
    # "06-10-2025 đến 12-10-2025", "06-10 - 12-10-2025"
    ("dmy", re.compile(rf"(\d{{1,2}})-(\d{{1,2}})(?:-(\d{{4}}))?{_WORD_SEP}(\d{{1,2}})-(\d{{1,2}})-(\d{{4}})", re.I)),
    # "14 - 20/7/2025", "từ ngày 14 đến ngày 20/7/2025": the start's month and year are the end's
    ("d", re.compile(rf"(?<![\d/.-])(\d{{1,2}}){_SEP}{_END}", re.I)),
    # "từ ngày 14 đến ngày 20 tháng 7 năm 2025"
    ("d", re.compile(rf"(?<![\d/.-])(\d{{1,2}}){_SEP}{_WORDS_DATE}\s+năm\s+(\d{{4}})", re.I)),
    # "29/12/2025 đến 4/1": the end's year is the start's, or the next
    ("dmy-dm", re.compile(rf"{_DAY_MONTH}\s*[/.]\s*(\d{{4}}){_SEP}{_DAY_MONTH}(?![\d/.])", re.I)),
)

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
    text = without_lookalikes(normalize_line(title), dashes=False)  # "ðến" as "đến"; "06-10–12-10" keeps its dash
    anchor = re.search(r"tuần", text, re.IGNORECASE)
    after = anchor.end() if anchor else 0
    match = _RANGE.search(text, after) or _RANGE.search(text)
    shape = "dmy"
    for other_shape, pattern in () if match else _OTHER_RANGES:
        if match := pattern.search(text, after) or pattern.search(text):
            shape = other_shape
            break
    if not match:
        return None
    try:
        start, end = _dates(shape, match.groups())
    except ValueError:
        return None
    if not MIN_YEAR <= end.year <= MAX_YEAR:
        return None  # a typo ("0001", "9999"), never a week of the digest
    if start > end or (end - start).days > MAX_SPAN_DAYS:
        return None
    return start, end


def _dates(shape: str, groups: tuple[str | None, ...]) -> tuple[dt.date, dt.date]:
    """Start and end from a range's groups; a part the start leaves out is the end's (or the other
    way round), moved back a month or a year when that would put the start after the end."""
    if shape == "d":  # start day only
        d1, d2, m2, y2 = groups
        end = dt.date(_year(y2 or ""), int(m2 or 0), int(d2 or 0))
        start_month, start_year = end.month, end.year
        if int(d1 or 0) > end.day:
            start_month, start_year = (12, end.year - 1) if end.month == 1 else (end.month - 1, end.year)
        return dt.date(start_year, start_month, int(d1 or 0)), end
    if shape == "dmy-dm":  # end without a year
        d1, m1, y1, d2, m2 = groups
        start = dt.date(_year(y1 or ""), int(m1 or 0), int(d1 or 0))
        end = dt.date(start.year, int(m2 or 0), int(d2 or 0))
        return start, end if end >= start else dt.date(start.year + 1, end.month, end.day)
    d1, m1, y1, d2, m2, y2 = groups
    end = dt.date(_year(y2 or ""), int(m2 or 0), int(d2 or 0))
    start_year = _year(y1) if y1 else end.year
    start = dt.date(start_year, int(m1 or 0), int(d1 or 0))
    if not y1 and start > end:
        start = dt.date(start_year - 1, int(m1 or 0), int(d1 or 0))
    return start, end
