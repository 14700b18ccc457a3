"""Day-first, local-time (+07:00) date parsing for Vietnamese portals (scraper.pages.dates)."""

from __future__ import annotations

import unicodedata

import pytest

from scraper.pages.dates import find_visible_date, parse_datetime

NFD = unicodedata.normalize("NFD", "Thứ Hai, ngày 1 tháng Tư năm 2019 lúc 16 giờ 20")

# (id, input, expected) — each case is checked against both functions.
ACCEPTED = [
    # ISO 8601
    ("iso-offset", "2024-02-26T15:42:00+07:00", "2024-02-26T15:42:00+07:00"),
    ("iso-utc", "2024-02-26T08:42:00Z", "2024-02-26T15:42:00+07:00"),
    ("iso-other-offset", "2024-02-26T10:42:00+02:00", "2024-02-26T15:42:00+07:00"),
    ("iso-negative-offset", "2024-02-25T23:42:00-05:00", "2024-02-26T11:42:00+07:00"),
    ("iso-naive", "2024-02-26T15:42:00", "2024-02-26T15:42:00+07:00"),
    ("iso-date-only", "2024-02-26", "2024-02-26T00:00:00+07:00"),
    ("iso-space-no-seconds", "2024-02-26 15:42", "2024-02-26T15:42:00+07:00"),
    ("iso-millis-compact-offset", "2024-02-26T15:42:00.000+0700", "2024-02-26T15:42:00+07:00"),
    ("iso-micros", "2024-02-26T15:42:07.123456+07:00", "2024-02-26T15:42:07+07:00"),
    ("iso-slashes", "2024/02/26", "2024-02-26T00:00:00+07:00"),
    # numeric, day-first
    ("time-pipe-date", "15:42:00 | 26/02/2024", "2024-02-26T15:42:00+07:00"),
    ("weekday-date-dash-time", "Thứ Hai, 01/04/2019 - 16:20", "2019-04-01T16:20:00+07:00"),
    ("dashes-day-first", "04-03-2024 15:42", "2024-03-04T15:42:00+07:00"),
    ("dots-day-first", "04.03.2024", "2024-03-04T00:00:00+07:00"),
    ("single-digits", "4/3/2024", "2024-03-04T00:00:00+07:00"),
    ("slashes-day-first", "04/03/2024", "2024-03-04T00:00:00+07:00"),
    ("two-digit-year", "04/03/24", "2024-03-04T00:00:00+07:00"),
    ("two-digit-year-1990s", "15/08/98", "1998-08-15T00:00:00+07:00"),
    ("leap-day", "29/02/2024", "2024-02-29T00:00:00+07:00"),
    ("min-year", "01/01/1990", "1990-01-01T00:00:00+07:00"),
    ("max-year", "31/12/2100", "2100-12-31T00:00:00+07:00"),
    # Vietnamese month words
    ("thang-digit-comma", "01 Tháng 4, 2019", "2019-04-01T00:00:00+07:00"),
    ("thang-digit-nam", "01 tháng 4 năm 2019", "2019-04-01T00:00:00+07:00"),
    ("ngay-thang-nam", "ngày 01 tháng 04 năm 2019", "2019-04-01T00:00:00+07:00"),
    ("weekday-ngay-thang-time", "Thứ Hai, ngày 1 tháng 4 năm 2019 16:20", "2019-04-01T16:20:00+07:00"),
    ("thang-tu-word", "1 Tháng Tư, 2019", "2019-04-01T00:00:00+07:00"),
    ("thang-bon-word", "1 tháng bốn năm 2019", "2019-04-01T00:00:00+07:00"),
    ("thang-gieng", "15 tháng Giêng năm 2020", "2020-01-15T00:00:00+07:00"),
    ("thang-mot", "15 Tháng Một, 2020", "2020-01-15T00:00:00+07:00"),
    ("thang-hai", "15 tháng Hai năm 2020", "2020-02-15T00:00:00+07:00"),
    ("thang-ba", "15 tháng ba năm 2020", "2020-03-15T00:00:00+07:00"),
    ("thang-nam-nam", "15 tháng năm năm 2020", "2020-05-15T00:00:00+07:00"),
    ("thang-sau", "15 tháng Sáu năm 2020", "2020-06-15T00:00:00+07:00"),
    ("thang-bay", "15 tháng Bảy năm 2020", "2020-07-15T00:00:00+07:00"),
    ("thang-tam", "15 tháng Tám năm 2020", "2020-08-15T00:00:00+07:00"),
    ("thang-chin", "15 tháng Chín năm 2020", "2020-09-15T00:00:00+07:00"),
    ("thang-muoi", "15 tháng Mười năm 2020", "2020-10-15T00:00:00+07:00"),
    ("thang-muoi-mot", "15 Tháng Mười Một, 2020", "2020-11-15T00:00:00+07:00"),
    ("thang-muoi-hai", "15 tháng mười hai năm 2020", "2020-12-15T00:00:00+07:00"),
    ("thang-12-digits", "15 tháng 12 năm 2020", "2020-12-15T00:00:00+07:00"),
    ("short-th", "01 Th4, 2019", "2019-04-01T00:00:00+07:00"),
    ("short-t", "01 T4 2019", "2019-04-01T00:00:00+07:00"),
    # time forms, before and after the date
    ("time-seconds-after", "26/02/2024 15:42:07", "2024-02-26T15:42:07+07:00"),
    ("time-h", "15h42 ngày 26/02/2024", "2024-02-26T15:42:00+07:00"),
    ("time-g", "26/02/2024 15g42", "2024-02-26T15:42:00+07:00"),
    ("time-gio", "26/02/2024 lúc 15 giờ 42", "2024-02-26T15:42:00+07:00"),
    ("time-gio-phut", "15 giờ 42 phút, ngày 26/02/2024", "2024-02-26T15:42:00+07:00"),
    ("time-minutes-mark-before-date", "Đăng lúc: 15h42' ngày 26/02/2024", "2024-02-26T15:42:00+07:00"),
    ("time-minutes-mark-after-date", "26/02/2024, 15h42’", "2024-02-26T15:42:00+07:00"),
    ("time-pm", "26/02/2024 3:42 PM", "2024-02-26T15:42:00+07:00"),
    ("time-am", "26/02/2024 9:05 AM", "2024-02-26T09:05:00+07:00"),
    ("time-12-am", "26/02/2024 12:05 AM", "2024-02-26T00:05:00+07:00"),
    ("time-12-pm", "26/02/2024 12:05 PM", "2024-02-26T12:05:00+07:00"),
    ("time-ch", "3:42 CH 26/02/2024", "2024-02-26T15:42:00+07:00"),
    ("time-sa", "26/02/2024 9:05 SA", "2024-02-26T09:05:00+07:00"),
    ("time-chieu-already-24h", "26/02/2024 15:42 chiều", "2024-02-26T15:42:00+07:00"),
    ("time-invalid-ignored", "26/02/2024 25:61", "2024-02-26T00:00:00+07:00"),
    # timezone labels, Unicode, case
    ("gmt-paren", "26/02/2024 15:42 (GMT+7)", "2024-02-26T15:42:00+07:00"),
    ("gmt-colon", "15:42 GMT+07:00 26/02/2024", "2024-02-26T15:42:00+07:00"),
    ("utc-plus", "26/02/2024 15:42 UTC+7", "2024-02-26T15:42:00+07:00"),
    ("nfd", NFD, "2019-04-01T16:20:00+07:00"),
    ("nbsp", "01\u00a0tháng\u00a04\u00a0năm\u00a02019\u00a016:20", "2019-04-01T16:20:00+07:00"),
    ("upper-case", "NGÀY 01 THÁNG TƯ NĂM 2019", "2019-04-01T00:00:00+07:00"),
]

REJECTED = [
    ("none", None),
    ("empty", ""),
    ("letters", "abc"),
    ("day-32", "32/01/2024"),
    ("not-leap", "29/02/2023"),
    ("month-13", "15/13/2024"),
    ("year-0001", "01/01/0001"),
    ("year-9999", "01/01/9999"),
    ("year-before-min", "31/12/1989"),
    ("year-after-max", "01/01/2101"),
    ("iso-year-9999", "9999-01-01T00:00:00Z"),
    ("document-number", "Số 412/UBND-KGVX"),
    ("document-number-year", "Số 12/2019/QĐ-UBND"),
    ("no-year", "25/4"),
    ("year-only", "2024"),
    ("time-only", "15:42"),
    ("month-year-only", "tháng 4 năm 2019"),
    ("two-digit-year-dots", "1.2.10"),
    ("unknown-month-word", "01 tháng abc năm 2019"),
]

VISIBLE = [
    ("updated-at", "Cập nhật lúc 15:42 ngày 04/03/2024", "2024-03-04T15:42:00+07:00"),
    ("byline-views", "Đăng ngày: Thứ Hai, 01/04/2019 - 16:20 | Lượt xem: 120", "2019-04-01T16:20:00+07:00"),
    (
        "publication-before-document-date",
        "Đăng lúc 16:20 ngày 01/04/2019. Theo Công văn số 12/UBND ngày 28/03/2019",
        "2019-04-01T16:20:00+07:00",
    ),
    (
        "publication-words-before-document-date",
        "Ngày 1 tháng 4 năm 2019, UBND tỉnh ban hành Quyết định số 379/QĐ-UBND ngày 28/3/2019 lúc 9:00",
        "2019-04-01T00:00:00+07:00",
    ),
    (
        "document-number-then-date",
        "Số 412/UBND-KGVX, Lạng Sơn, ngày 05 tháng 3 năm 2024",
        "2024-03-05T00:00:00+07:00",
    ),
    ("skips-invalid-first", "Mã 32/13/2024 - Đăng ngày 02/01/2024 08:15", "2024-01-02T08:15:00+07:00"),
    ("far-time-not-attached", "04/03/2024 Tin nhanh trong ngày 15:42", "2024-03-04T00:00:00+07:00"),
    ("views-not-a-time", "Đăng ngày 04/03/2024 | Lượt xem: 120", "2024-03-04T00:00:00+07:00"),
    ("iso-in-text", "datePublished: 2024-02-26T08:42:00Z, sửa 2024-03-01", "2024-02-26T15:42:00+07:00"),
]


def _ids(cases):
    return [case[0] for case in cases]


@pytest.mark.parametrize("func", [parse_datetime, find_visible_date], ids=["parse_datetime", "find_visible_date"])
@pytest.mark.parametrize(("case_id", "value", "expected"), ACCEPTED, ids=_ids(ACCEPTED))
def test_accepted(func, case_id, value, expected):
    assert func(value) == expected


@pytest.mark.parametrize("func", [parse_datetime, find_visible_date], ids=["parse_datetime", "find_visible_date"])
@pytest.mark.parametrize(("case_id", "value"), REJECTED, ids=_ids(REJECTED))
def test_rejected(func, case_id, value):
    assert func(value) is None


@pytest.mark.parametrize(("case_id", "text", "expected"), VISIBLE, ids=_ids(VISIBLE))
def test_find_visible_date_in_longer_text(case_id, text, expected):
    assert find_visible_date(text) == expected


# the publication dates as the two portals print them
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-04T15:42:00+07:00", "2024-03-04T15:42:00+07:00"),
        ("2024-03-04T08:42:00Z", "2024-03-04T15:42:00+07:00"),
        ("2024-03-04T15:42:00", "2024-03-04T15:42:00+07:00"),
        ("16:27:00 | 19/01/2026", "2026-01-19T16:27:00+07:00"),
        ("Thứ Hai, 01/04/2019 - 16:20", "2019-04-01T16:20:00+07:00"),
        ("Thứ Hai, 1/4/2019", "2019-04-01T00:00:00+07:00"),
        ("31/02/2024", None),
        ("không có ngày", None),
        ("", None),
    ],
)
def test_parse_published(value, expected):
    assert parse_datetime(value) == expected


# metadata only: a stamp written the e-mail/RSS way or with English month names
METADATA = [
    ("rfc2822-gmt", "Mon, 04 Mar 2024 08:42:00 GMT", "2024-03-04T15:42:00+07:00"),
    ("rfc2822-offset", "Mon, 4 Mar 2024 15:42:07 +0700", "2024-03-04T15:42:07+07:00"),
    ("rfc2822-other-offset", "Sun, 03 Mar 2024 23:42 -0500", "2024-03-04T11:42:00+07:00"),
    ("rfc2822-zone-unknown-is-local", "Mon, 04 Mar 2024 15:42:00 -0000", "2024-03-04T15:42:00+07:00"),
    ("english-day-month", "4 Mar 2024", "2024-03-04T00:00:00+07:00"),
    ("english-month-day", "March 4, 2024 15:42", "2024-03-04T15:42:00+07:00"),
    ("english-abbrev-dot-pm", "Mar. 4, 2024 3:42 PM", "2024-03-04T15:42:00+07:00"),
    ("english-ordinal", "4th March 2024", "2024-03-04T00:00:00+07:00"),
    ("english-sept", "Sept 4, 2024", "2024-09-04T00:00:00+07:00"),
]
METADATA_REJECTED = [
    ("not-a-month", "Decimal 4, 2024"),
    ("english-no-such-day", "31 Feb 2024"),
    ("rfc2822-year-9999", "Mon, 04 Mar 9999 08:42:00 GMT"),
    ("english-year-before-min", "4 Mar 1890"),
]


@pytest.mark.parametrize(("case_id", "value", "expected"), METADATA, ids=_ids(METADATA))
def test_metadata_in_other_conventions(case_id, value, expected):
    assert parse_datetime(value) == expected
    assert find_visible_date(f"Đăng ngày {value}") is None  # a Vietnamese page's visible text is not read so


@pytest.mark.parametrize(("case_id", "value"), METADATA_REJECTED, ids=_ids(METADATA_REJECTED))
def test_metadata_in_other_conventions_rejected(case_id, value):
    assert parse_datetime(value) is None
