"""Find the official documents a digest cites.

Numbers come in three shapes: administrative ``855/VP-KGVX``, normative with a year
``07/2023/NQ-HĐND`` and party ``28-CT/TW``; hand-typed text adds stray spaces
(``51 /KH-UBND``), which are removed from the stored number.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TypedDict

from scraper.pages.scanning import Anchored
from scraper.pages.text import normalize_line, without_lookalikes

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
    "Kết luận",
    "Chương trình",
    "Đề án",
    "Quy chế",
    "Quy định",
    "Văn bản",  # "Văn bản số 3506/UBND-NC": an official letter cited by its generic name
    "Bộ luật",
    "Luật",  # "Luật số 55/2014/QH13": the number's symbol is the legislature's, no kind code
    "Pháp lệnh",
)
# Types written short, as hand-typed text does ("QĐ số 379/QĐ-UBND"): only before "số" and a number.
ABBREVIATED_TYPES = {
    "QĐ": "Quyết định", "CV": "Công văn", "KH": "Kế hoạch", "NQ": "Nghị quyết", "NĐ": "Nghị định",
    "CT": "Chỉ thị", "TB": "Thông báo", "TT": "Thông tư", "BC": "Báo cáo", "TTr": "Tờ trình", "HD": "Hướng dẫn",
    "KL": "Kết luận", "CĐ": "Công điện", "VB": "Văn bản",
}  # fmt: skip

# Look-alikes (``without_lookalikes``) are read as "Đ" and "-" in a cited number, an identifier
_DASH = "\\-‐‑–—"


def _spellings(name: str) -> tuple[str, ...]:
    """A type's name as found in text: both capitalisations, each also with the eth for "Đ"."""
    names = (name, name[0].lower() + name[1:])
    return names + tuple(n.replace("Đ", "Ð").replace("đ", "ð") for n in names if "Đ" in n or "đ" in n)


# Both capitalisations of each word, no IGNORECASE: a case-blind scan of a long text costs
# several times more, and ALL-CAPS citations do not occur in running text.
_TYPE = "|".join(re.escape(v) for t in DOCUMENT_TYPES for v in _spellings(t))
# Code segments start upper case or with a digit ("QĐ-TTg"); spaces are tolerated around "/"
# ("51 /KH-UBND") and on one side of a hyphen only before an all-capitals code ("NQ- HĐND",
# "UBND -KT"), so a following " - ngày" or "- Ngày", or a dash between two clauses ("… 12/UBND-KT
# – UBND tỉnh giao"), is never read as part of a number.
_NUMBER = (
    rf"\d+[A-Z]?(?:(?:\s*/\s*|[{_DASH}]|(?:\s[{_DASH}]|[{_DASH}]\s)(?=[A-ZĐÐ]{{2,}}(?![a-zà-ỹđð])))"
    r"[0-9A-ZĐÐ][0-9A-Za-zĐđÐð]*(?:[.][0-9A-ZĐÐ]+)*)+"
)
_DATE = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"  # "28/2/2024", "28-02-2024", "28.02.2024"
_DATE_WORDS = r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"
# The issue date may follow after a comma, in parentheses, or in words ("ngày 23 tháng 02 năm 2024").
_ISSUED = rf"(?:\s*,?\s*\(?\s*(?:[Bb]an hành\s+)?[Nn]gày\s*(?:{_DATE}|{_DATE_WORDS}))?"
# a colon may open a list under the type: "các Quyết định: số 100/QĐ-UBND, số 101/QĐ-UBND ngày …"
_CITATION = re.compile(rf"\b({_TYPE})(?:\s*:)?\s+(?:[Ss]ố\s*:?\s*)?({_NUMBER}){_ISSUED}")
_ABBREVIATED = re.compile(
    rf"\b({'|'.join(a for t in ABBREVIATED_TYPES for a in {t, t.replace('Đ', 'Ð')})})\s+số\s*:?\s*({_NUMBER}){_ISSUED}"
)
# More numbers of the same type: "Quyết định số 100/QĐ-UBND, 101/QĐ-UBND ngày …", "… và số 102/QĐ-UBND"
_ALSO = re.compile(rf"\s*(?:,|và|;)\s*(?:số\s*)?(?=\d)({_NUMBER}){_ISSUED}")
# Tried only where a type's name stands: found by its letters after the first (either case).
_FIRST_LETTERS = "".join(dict.fromkeys(n[0] for t in DOCUMENT_TYPES for n in _spellings(t)))
_CITATION_AT = Anchored(
    _CITATION, tuple(dict.fromkeys(t[1:] for t in DOCUMENT_TYPES)), _FIRST_LETTERS, opens=_FIRST_LETTERS
)
# the same with the eth's spellings as anchors too: a scan more per anchor, so only where an eth stands
_CITATION_ETH_AT = Anchored(
    _CITATION,
    tuple(dict.fromkeys(n[1:] for t in DOCUMENT_TYPES for n in _spellings(t))),
    _FIRST_LETTERS,
    opens=_FIRST_LETTERS,
)
_ABBREVIATED_AT = Anchored(_ABBREVIATED, ("số",), "".join(set("".join(ABBREVIATED_TYPES) + "Ð")), lead_space=True)


_HAS_NUMBER = re.compile(r"\d\s*[/-]")  # no citation without one: most sections are skipped at once
_SPACE = re.compile(r"\s+")
_SYMBOL_LETTER = re.compile(r"[A-ZĐ]")
_SYMBOL_SEP = re.compile(r"[-/]")
_YEAR_FIRST = re.compile(r"\d{4}-")


class Document(TypedDict):
    type: str
    number: str
    date: str | None


def canonical_number(number: str) -> str:
    """A cited number as stored: no spaces, look-alike letters and dashes read as "Đ" and "-"."""
    return without_lookalikes(_SPACE.sub("", normalize_line(number)))


def _canonical_type(found: str) -> str:
    found = without_lookalikes(found)
    if found in ABBREVIATED_TYPES:
        return ABBREVIATED_TYPES[found]
    for name in DOCUMENT_TYPES:
        if name.lower() == found.lower():
            return name
    return found


def extract_documents(text: str | None) -> list[Document]:
    """Each cited document once, in order of first mention, with its date when given."""
    if not text or not _HAS_NUMBER.search(text):
        return []
    found: dict[tuple[str, str], Document] = {}
    line = normalize_line(text)
    matches = list((_CITATION_ETH_AT if "ð" in line or "Ð" in line else _CITATION_AT).finditer(line))
    if " số" in line:  # "QĐ số …": rare, and never without "số"
        matches = sorted([*matches, *_ABBREVIATED_AT.finditer(line)], key=lambda m: m.start())
    for match in matches:
        kind = _canonical_type(match.group(1))
        _add_citation(found, kind, match.groups()[1:])
        also = _ALSO.match(line, match.end())
        while also and _SYMBOL_LETTER.search(also.group(1)):  # "…, 2/3 số xã": a fraction, no number
            _add_citation(found, kind, also.groups())
            also = _ALSO.match(line, also.end())
    return list(found.values())


def _add_citation(found: dict[tuple[str, str], Document], kind: str, groups: tuple[str | None, ...]) -> None:
    """One cited number (and its date, when given) of type ``kind``; the first mention keeps its place."""
    number, day, month, year, word_day, word_month, word_year = groups
    assert number is not None
    day, month, year = (day, month, year) if day else (word_day, word_month, word_year)
    number = without_lookalikes(_SPACE.sub("", number))  # the line is normalized already
    date = None
    if day and month and year:
        try:
            date = dt.date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            date = None
    key = (kind, number)
    if key not in found:
        found[key] = {"type": kind, "number": number, "date": date}
    elif found[key]["date"] is None and date:
        found[key]["date"] = date


# The kinds a symbol can start with (Nghị định 30/2020/NĐ-CP, Appendix III, and party usage);
# a symbol starting with anything else is an official letter (công văn), kind "CV".
KIND_CODES = ("QĐ", "KH", "NQ", "CT", "TB", "BC", "TTr", "HD", "CĐ", "NĐ", "TT", "KL", "QC", "CTr", "ĐA", "TTLT",
              "QyĐ", "TC", "GM", "PA", "QyC")  # fmt: skip
_KINDS_FOLDED = {k.upper().replace("Đ", "D"): k for k in KIND_CODES}
_PARTY = re.compile(r"^(\d+[A-Za-z]?)-([A-Za-zĐđ]+)/([A-Za-zĐđ]+)$")
_ADMIN = re.compile(r"^(\d+[A-Za-z]?)/(?:(\d{4})/)?(.+)$")


class DocumentParts(TypedDict):
    number: str
    serial: str
    year: int | None
    symbol: str
    kind_code: str | None
    issuer: str | None
    is_party: bool
    doc_id: str


def _fold_id(text: str) -> str:
    return text.replace("Đ", "D").replace("đ", "d").upper()


def parse_document_number(number: str, date: str | None = None, fallback_year: int | None = None) -> DocumentParts:
    """A document number's parts and an id shared by every mention of the document.

    ``date`` is the cited issue date (ISO), ``fallback_year`` the digest's year: an
    administrative number restarts each year, so its id needs one ("51/KH-UBND@2024").
    """
    number = canonical_number(number)
    year: int | None = None
    party = _PARTY.match(number)
    if party:
        serial, kind, issuer = party.groups()
        symbol = f"{kind}/{issuer}"
        kind_code: str | None = _KINDS_FOLDED.get(_fold_id(kind), kind)
        doc_id = _fold_id(number)
    else:
        admin = _ADMIN.match(number)
        serial, in_number, symbol = admin.groups() if admin else (number.split("/")[0], None, "")
        parts = [p for p in _SYMBOL_SEP.split(symbol) if p]
        first = _KINDS_FOLDED.get(_fold_id(parts[0])) if parts else None
        if first:
            kind_code, issuer = first, (parts[1] if len(parts) > 1 else None)
        else:
            # an official letter's symbol names its issuer only; a number with a year and no kind
            # code is a law's or an ordinance's ("55/2014/QH13"): no kind to give
            kind_code, issuer = ("CV" if not in_number else None, parts[0]) if parts else (None, None)
        if in_number:
            year = int(in_number)
            doc_id = _fold_id(number)
        else:
            if date and _YEAR_FIRST.match(date):
                year = int(date[:4])
            id_year = year if year is not None else fallback_year
            doc_id = f"{_fold_id(number)}@{id_year if id_year is not None else '?'}"
    if year is None and party and date and _YEAR_FIRST.match(date):
        year = int(date[:4])
    return {"number": number, "serial": serial, "year": year, "symbol": symbol, "kind_code": kind_code,
            "issuer": issuer, "is_party": bool(party), "doc_id": doc_id}  # fmt: skip


class CitedDocument(Document, DocumentParts):
    """A cited document as the record keeps it: type, number and date as cited, and the number's parts."""


def cite_documents(text: str | None, fallback_year: int | None = None) -> list[CitedDocument]:
    """The documents a text cites, each with its parts and ``doc_id``."""
    cited: list[CitedDocument] = []
    for document in extract_documents(text):
        parts = parse_document_number(document["number"], document["date"], fallback_year)
        cited.append({**document, **parts})
    return cited
