"""Find the official documents a digest cites.

Numbers come in three shapes: administrative ``855/VP-KGVX``, normative with a year
``07/2023/NQ-HĐND`` and party ``28-CT/TW``; hand-typed text adds stray spaces
(``51 /KH-UBND``), which are removed from the stored number.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TypedDict

from scraper.pages.text import normalize_line

DOCUMENT_TYPES = (
    "Công văn",
    "Công điện",
    "Quyết định",
    "Kế hoạch",
    "Nghị quyết",
    "Nghị định",
    "Chỉ thị",
    "Thông báo",
    "Thông tư",
    "Báo cáo",
    "Tờ trình",
    "Hướng dẫn",
)

_TYPE = "|".join(re.escape(t) for t in DOCUMENT_TYPES)
# Code segments start upper case or with a digit ("QĐ-TTg"); spaces are tolerated around "/"
# only ("51 /KH-UBND"), so a following " - ngày" is never read as part of a number.
_NUMBER = r"\d+[A-Z]?(?:(?:\s*/\s*|-)[0-9A-ZĐ][0-9A-Za-zĐđ]*(?:[.][0-9A-ZĐ]+)*)+"
_DATE = r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})"
_CITATION = re.compile(
    rf"\b(?i:({_TYPE}))\s+(?i:số\s*:?\s*)?({_NUMBER})(?:\s*,?\s*(?i:ban hành\s+)?(?i:ngày)\s*{_DATE})?"
)


class Document(TypedDict):
    type: str
    number: str
    date: str | None


def _canonical_type(found: str) -> str:
    for name in DOCUMENT_TYPES:
        if name.lower() == found.lower():
            return name
    return found


def extract_documents(text: str | None) -> list[Document]:
    """Each cited document once, in order of first mention, with its date when given."""
    if not text:
        return []
    found: dict[tuple[str, str], Document] = {}
    for match in _CITATION.finditer(normalize_line(text)):
        kind, number, day, month, year = match.groups()
        number = re.sub(r"\s+", "", number)
        date = None
        if day:
            try:
                date = dt.date(int(year), int(month), int(day)).isoformat()
            except ValueError:
                date = None
        key = (_canonical_type(kind), number)
        if key not in found:
            found[key] = {"type": key[0], "number": number, "date": date}
        elif found[key]["date"] is None and date:
            found[key]["date"] = date
    return list(found.values())
