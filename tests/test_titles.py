import datetime as dt

import pytest

from scraper.pages.titles import is_digest_title, parse_week_range

D = dt.date
PREFIX = "Chỉ đạo, điều hành nổi bật của UBND tỉnh"

WEEKS = [
    # the variants seen on the live sites
    (f"{PREFIX} trong tuần qua (từ ngày 25/3- 31/3/2019)", D(2019, 3, 25), D(2019, 3, 31)),
    (f"{PREFIX} trong tuần (ngày 07/9 đến ngày 13/9/2020)", D(2020, 9, 7), D(2020, 9, 13)),
    (f"{PREFIX} trong tuần (ngày 24/5 đến ngày 30/5/2021)", D(2021, 5, 24), D(2021, 5, 30)),
    (f"{PREFIX} trong tuần (từ ngày 28/8 đến ngày 03/9/2023)", D(2023, 8, 28), D(2023, 9, 3)),
    (f"{PREFIX} trong tuần (từ ngày 26/02 đến ngày 03/03/2024)", D(2024, 2, 26), D(2024, 3, 3)),
    (f"{PREFIX} trong tuần (từ ngày 21/10 đến hết ngày 27/10/2024", D(2024, 10, 21), D(2024, 10, 27)),
    (f"{PREFIX}, lãnh đạo UBND tỉnh trong tuần (từ ngày 12/01/2026 - 18/01/2026)", D(2026, 1, 12), D(2026, 1, 18)),
    # a week starting in December and ending in January takes the previous year
    (f"{PREFIX} trong tuần (từ ngày 30/12 đến ngày 05/01/2025)", D(2024, 12, 30), D(2025, 1, 5)),
    (f"{PREFIX} trong tuần (từ ngày 29/12/2025 - 04/01/2026)", D(2025, 12, 29), D(2026, 1, 4)),
    # a two-week holiday digest
    (f"{PREFIX} trong tuần (từ ngày 27/01 đến ngày 09/02/2025)", D(2025, 1, 27), D(2025, 2, 9)),
    # padding, dashes, dots, a two-digit year, no "ngày"
    (f"{PREFIX} trong tuần ( từ ngày  6/5 – 12/5/2019 )", D(2019, 5, 6), D(2019, 5, 12)),
    (f"{PREFIX} trong tuần (từ 01.04 đến 07.04.2024)", D(2024, 4, 1), D(2024, 4, 7)),
    (f"{PREFIX} trong tuần (từ ngày 8/4-14/4/19)", D(2019, 4, 8), D(2019, 4, 14)),
    # rarer spellings: the start's day alone, hyphenated dates, dates in words, the end without a year
    (f"{PREFIX} trong tuần (từ ngày 14 đến ngày 20/7/2025)", D(2025, 7, 14), D(2025, 7, 20)),
    (f"{PREFIX} trong tuần (từ 14-20/7/2025)", D(2025, 7, 14), D(2025, 7, 20)),
    (f"{PREFIX} trong tuần (từ ngày 28 đến ngày 4/5/2025)", D(2025, 4, 28), D(2025, 5, 4)),
    (f"{PREFIX} trong tuần (từ ngày 29 - 4/1/2026)", D(2025, 12, 29), D(2026, 1, 4)),
    (f"{PREFIX} trong tuần từ ngày 06-10-2025 đến 12-10-2025", D(2025, 10, 6), D(2025, 10, 12)),
    (f"{PREFIX} trong tuần (từ 06-10 - 12-10-2025)", D(2025, 10, 6), D(2025, 10, 12)),
    (f"{PREFIX} trong tuần (từ 06-10–12-10-2025)", D(2025, 10, 6), D(2025, 10, 12)),  # an en dash between them
    (f"{PREFIX} trong tuần từ ngày 28 tháng 4 đến ngày 4 tháng 5 năm 2025", D(2025, 4, 28), D(2025, 5, 4)),
    (f"{PREFIX} trong tuần (từ ngày 29/12/2025 đến ngày 4/1)", D(2025, 12, 29), D(2026, 1, 4)),
    # the year after "năm", the start's day alone before a date in words, weekdays naming the days
    (f"{PREFIX} trong tuần (từ ngày 01/12 đến ngày 07/12 năm 2025)", D(2025, 12, 1), D(2025, 12, 7)),
    (f"{PREFIX} trong tuần (từ ngày 29/12 năm 2025 đến ngày 04/01 năm 2026)", D(2025, 12, 29), D(2026, 1, 4)),
    (f"{PREFIX} trong tuần (từ ngày 01 đến ngày 07 tháng 12 năm 2025)", D(2025, 12, 1), D(2025, 12, 7)),
    (f"{PREFIX} trong tuần (từ thứ Hai, ngày 29/12/2025 đến Chủ nhật, ngày 04/01/2026)",
     D(2025, 12, 29), D(2026, 1, 4)),
    (f"{PREFIX} trong tuần (từ thứ 2 ngày 1/12 đến thứ 6 ngày 5/12/2025)", D(2025, 12, 1), D(2025, 12, 5)),
    # the Icelandic eth of text converted from old encodings, for "Đ"/"đ"
    ("Chỉ ðạo, ðiều hành nổi bật của UBND tỉnh trong tuần (từ ngày 01/12 ðến ngày 07/12/2025)",
     D(2025, 12, 1), D(2025, 12, 7)),
    # decomposed Unicode and old-style tone marks
    ("Chi\u0309 đạo, điều ha\u0300nh nổi bật của UBND tỉnh trong tuần (từ ngày 4/9 đến ngày 10/9/2023)",
     D(2023, 9, 4), D(2023, 9, 10)),
]  # fmt: skip


@pytest.mark.parametrize(("title", "start", "end"), WEEKS)
def test_week_range_variants(title, start, end):
    assert parse_week_range(title) == (start, end)


@pytest.mark.parametrize(
    "title",
    [
        f"{PREFIX} trong tuần (đợt đầu tháng 7)",  # no dates at all
        f"{PREFIX} trong tuần (từ ngày 31/2 đến ngày 06/3/2024)",  # no 31 February
        f"{PREFIX} trong tuần (từ ngày 01/01 đến ngày 28/02/2024)",  # far too long for a digest
        f"{PREFIX} trong tuần (từ ngày 12/3 đến ngày 05/3/2024)",  # ends before it starts
        f"{PREFIX} trong tuần (từ ngày 01/01 đến ngày 07/01/0001)",  # year 0001 is not 2001
        f"{PREFIX} trong tuần (từ ngày 01/01 đến ngày 07/01/9999)",  # nor is 9999 a week of the digest
        f"{PREFIX} trong tuần 2 tháng 7/2025",  # a week's number is not its dates
        f"{PREFIX} trong tuần (từ ngày 2 đến ngày 28/7/2025)",  # the start's day alone, far too long
        f"{PREFIX} trong tuần (từ ngày 20 tháng 7 đến ngày 14 tháng 7 năm 2025)",  # ends before it starts
        "",
        None,
    ],
)
def test_unreadable_week_is_none_not_a_guess(title):
    assert parse_week_range(title) is None


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (f"{PREFIX} trong tuần (từ ngày 26/02 đến ngày 03/03/2024)", True),
        ("CHỈ ĐẠO, ĐIỀU HÀNH NỔI BẬT CỦA UBND TỈNH TRONG TUẦN (TỪ NGÀY 1/4- 7/4/2019)", True),
        (
            "Chỉ đạo, điều hành nổi bật của UBND tỉnh, lãnh đạo UBND tỉnh trong tuần (từ ngày 12/01/2026)",
            True,
        ),
        ("CHỈ ÐẠO, ÐIỀU HÀNH NỔI BẬT CỦA UBND TỈNH TRONG TUẦN (TỪ NGÀY 1/4- 7/4/2019)", True),  # the eth for Đ
        ("Lịch công tác tuần của Thường trực UBND tỉnh", False),
        ("Chỉ đạo, điều hành nổi bật", False),  # the category name, not a digest
        ("Hội nghị trực tuyến tổng kết công tác năm 2021", False),
        ("", False),
    ],
)
def test_is_digest_title(title, expected):
    assert is_digest_title(title) is expected
