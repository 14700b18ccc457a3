"""Publication dates as Vietnamese provincial portals print them.

Portals write dates day-first (``04/03/2024`` is 4 March, never April 3), in local time
without an offset, often with Vietnamese month words (``01 tháng Tư năm 2019``) and times
such as ``15h42``, ``15 giờ 42`` or ``3:42 CH`` (chiều = PM, SA = sáng = AM). General parsers
(dateutil, dateparser) guess month-first and misread these, so this module scans the folded
text (lower case, no diacritics) for a few explicit patterns instead. Results are ISO 8601 in
Vietnam time (+07:00), seconds precision; values carrying another offset are converted.

Choices: a two-digit year is accepted only with ``/`` (``04/03/24``): 90-99 → 1990s, else
2000s. ``GMT+7``/``UTC+7`` labels are dropped as noise (the value is already local). A time is
attached to a date only when it sits right before or after it (separated by punctuation,
``lúc``, ``ngày``, a weekday); a date alone is midnight.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

from scraper.pages.text import fold

VN_TZ = dt.timezone(dt.timedelta(hours=7))
MIN_YEAR, MAX_YEAR = 1990, 2100  # a year outside is a misread, never accepted

_MONTH_WORDS = {"mot": 1, "gieng": 1, "hai": 2, "ba": 3, "tu": 4, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8}
_MONTH_WORDS |= {"chin": 9, "muoi": 10, "muoi mot": 11, "muoi hai": 12, "chap": 12}
_WORDS = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
_PM, _AM = ("pm", "ch", "chieu", "toi"), ("am", "sa", "sang")

# 2024-02-26, 2024-02-26T15:42:00.000+0700, 2024/02/26 15:42
_ISO = re.compile(
    r"(?<!\d)(?P<y>\d{4})(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"
    r"(?:[t ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?\s*(?P<tz>z|[+-]\d{2}:?\d{2})?(?!\d))?"
)
# 26/02/2024, 04-03-2024, 04.03.2024, 04/03/24 (not 412/UBND, not 25/4, not 01/01/2019/QĐ)
_DMY = re.compile(
    r"(?<![\w/.])(?<!\d-)(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\w/]|[.-]\d)"
)
# 01 tháng 4 năm 2019, 1 Tháng Tư, 2019, 01 Th4 2019, 01 T4/2019
_VN = re.compile(
    rf"(?<![\d/.])(?P<d>\d{{1,2}})\s*(?:thang\s*(?P<m>\d{{1,2}}|{_WORDS})|th?\.?\s*(?P<m2>\d{{1,2}}))(?!\w)"
    r"\s*[,/-]?\s*(?:nam\s*)?(?P<y>\d{4})(?!\d)"
)
# 15:42, 15:42:07, 15h42, 15g42, 15 giờ 42 phút, 3:42 PM, 3:42 CH
_TIME = re.compile(
    r"(?<![\d:.])(?P<H>\d{1,2})(?::|\s*(?:gio|h|g)\s*)(?P<M>\d{2})(?::(?P<S>\d{2}))?(?!\d)"
    r"(?:\s*(?:phut|p)(?![a-z]))?(?:\s*(?P<ap>am|pm|sa|ch|sang|chieu|toi)(?![a-z]))?"
)
# What may stand between a date and its time: punctuation (a minutes' mark too: "21h05'"), "lúc",
# "vào", "ngày", "giờ", a weekday.
_GAP = re.compile(r"(?:[\s,;:|()\[\]/\-–—•·'’′]|luc|vao|ngay|gio|thu (?:hai|ba|tu|nam|sau|bay)|chu nhat|cn|t[2-7])*")
# English month names, as some CMSs write metadata: "8 Dec 2025", "December 8, 2025"
_EN_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_EN_SUFFIXES = (
    r"(?:(?<=jan)uary|(?<=feb)ruary|(?<=mar)ch|(?<=apr)il|(?<=jun)e|(?<=jul)y|(?<=aug)ust"
    r"|(?<=sep)t?(?:ember)?|(?<=oct)ober|(?<=nov)ember|(?<=dec)ember)?"
)


def _en_month(group: str) -> str:
    return rf"(?P<{group}>{'|'.join(_EN_MONTHS)}){_EN_SUFFIXES}\.?(?![a-z])"


_EN_ORDINAL = r"(?:st|nd|rd|th)?"
_EN = re.compile(
    rf"(?<![\w/.])(?:(?P<d>\d{{1,2}}){_EN_ORDINAL}\s+{_en_month('mon')}"
    rf"|{_en_month('mon2')}\s+(?P<d2>\d{{1,2}}){_EN_ORDINAL}),?\s+(?P<y>\d{{4}})(?!\d)"
)
# the zone closing an e-mail/RSS stamp ("-0000", zone unknown, is not one)
_RFC2822_ZONE = re.compile(r"\d:\d{2}(?::\d{2})?\s+(?:[+-](?!0000)\d{4}|gmt|ut|utc|z)\s*$", re.IGNORECASE)
_NOISE = re.compile(r"\(?(?<![a-z])(?:gmt|utc)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?\)?")


def _date(m: re.Match[str]) -> dt.date | None:
    month = m["m"] or m.groupdict().get("m2") or ""
    year = int(m["y"])
    if len(m["y"]) == 2:
        if m.groupdict().get("sep") != "/":
            return None
        year += 1900 if year >= 90 else 2000
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, int(month) if month.isdigit() else _MONTH_WORDS[month], int(m["d"]))
    except (ValueError, KeyError):
        return None


def _clock(m: re.Match[str]) -> dt.time | None:
    hour, minute, second = int(m["H"]), int(m["M"]), int(m["S"] or 0)
    ampm = m.groupdict().get("ap")
    if ampm in _PM and hour < 12:
        hour += 12
    elif ampm in _AM and hour == 12:
        hour = 0
    return dt.time(hour, minute, second) if hour < 24 and minute < 60 and second < 60 else None


def _adjacent_time(text: str, start: int, end: int) -> dt.time | None:
    """The time printed right after the date, else right before it."""
    after = _TIME.search(text, end)
    if after and _GAP.fullmatch(text, end, after.start()) and (found := _clock(after)):
        return found
    earlier = list(_TIME.finditer(text, 0, start))
    before = earlier[-1] if earlier else None
    if before and _GAP.fullmatch(text, before.end(), start):
        return _clock(before)
    return None


def _offset(value: str | None) -> dt.tzinfo:
    if not value:
        return VN_TZ
    if value == "z":
        return dt.timezone.utc
    sign = -1 if value[0] == "-" else 1
    return dt.timezone(sign * dt.timedelta(hours=int(value[1:3]), minutes=int(value[-2:])))


def _scan(value: str | None) -> str | None:
    text = _NOISE.sub(" ", fold(value or ""))
    found = [m for rx in (_ISO, _DMY, _VN) for m in rx.finditer(text)]
    for m in sorted(found, key=lambda m: m.start()):
        if (date := _date(m)) is None:
            continue
        try:
            if m.re is _ISO and m["H"]:
                if (time := _clock(m)) is None:
                    continue
                stamp = dt.datetime.combine(date, time, _offset(m["tz"]))
            else:
                stamp = dt.datetime.combine(date, _adjacent_time(text, m.start(), m.end()) or dt.time(), VN_TZ)
        except ValueError:  # an offset of 24 hours or more
            continue
        return stamp.astimezone(VN_TZ).isoformat(timespec="seconds")
    return None


def _rfc2822(value: str) -> str | None:
    """An e-mail or RSS style stamp ("Mon, 08 Dec 2025 02:15:00 GMT"), zone and all."""
    if not _RFC2822_ZONE.search(value):  # the parser reads a missing zone, or "PM", as UTC
        return None
    parts = email.utils.parsedate_tz(value.strip())
    if not parts or parts[9] is None:
        return None
    try:
        stamp = dt.datetime.fromtimestamp(email.utils.mktime_tz(parts), VN_TZ)
    except (OverflowError, ValueError, OSError):
        return None
    return stamp.isoformat(timespec="seconds") if MIN_YEAR <= stamp.year <= MAX_YEAR else None


def _english(value: str) -> str | None:
    """A date with an English month name ("8 Dec 2025", "December 8, 2025 09:15"), in Vietnam time."""
    text = fold(value)
    if not (m := _EN.search(text)):
        return None
    year, month = int(m["y"]), _EN_MONTHS.index(m["mon"] or m["mon2"]) + 1
    try:
        day = dt.date(year, month, int(m["d"] or m["d2"]))
    except ValueError:
        return None
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    stamp = dt.datetime.combine(day, _adjacent_time(text, m.start(), m.end()) or dt.time(), VN_TZ)
    return stamp.isoformat(timespec="seconds")


def parse_datetime(value: str | None) -> str | None:
    """An attribute value or short date element as ISO 8601 with the +07:00 offset, or None.

    Metadata may also be written the e-mail/RSS way or with English month names; visible text
    is not read that way (``find_visible_date``)."""
    return _scan(value) or (_rfc2822(value) or _english(value) if value else None)


def find_visible_date(text: str | None) -> str | None:
    """The first plausible date (with its adjacent time) in a longer visible string, or None.

    E.g. ``Cập nhật lúc 15:42 ngày 04/03/2024`` or ``Đăng ngày: Thứ Hai, 01/04/2019 - 16:20 | Lượt xem: 120``.
    """
    return _scan(text)
