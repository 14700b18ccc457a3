"""Directives as data: who is told to do what, with whom, by when, under which document.

Each section of a digest is one directive of the provincial People's Committee. Its text says
so in a few stock phrasings, read here by rules and the curated agency list
(``scraper/sites/agencies.json``): "giao X chủ trì, phối hợp với Y", "yêu cầu X …", "đề nghị
X …", "trước ngày 05/3/2024", "hoàn thành trong tháng 7/2023", "đồng chí …, Chủ tịch UBND
tỉnh". Stock Vietnamese NER labels agencies, document numbers and dates alike as places, so
it is no help here. An agency missing from the list but of an agency's shape ("Sở …", "Ban
…", "UBND huyện …") is kept, flagged ``known: false``. The rules are in the README
("Directives"); the table-driven tests show each phrasing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from scraper.pages.documents import CitedDocument, cite_documents
from scraper.pages.scanning import Anchored
from scraper.pages.text import normalize_line, without_lookalikes
from scraper.sites.agencies import Agency, alias_table, fold

_fold = fold  # lower case and one tone-mark placement, position for position


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str
    as_written: str
    known: bool

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "as_written": self.as_written, "known": self.known}


@cache
def _alias_index() -> tuple[dict[str, Agency], dict[str, int], frozenset[str]]:
    """Every folded alias, per first word the most words an alias starting with it has, and the
    word-prefixes of aliases that more words follow (past one of those no longer alias can match)."""
    exact = dict(alias_table())
    longest: dict[str, int] = {}
    heads: set[str] = set()
    for alias in exact:
        words = alias.split(" ")
        longest[words[0]] = max(longest.get(words[0], 0), len(words))
        heads.update(" ".join(words[:count]) for count in range(1, len(words)))
    return exact, longest, frozenset(heads)


_TOKEN = re.compile(r"\S+")
_WORD = re.compile(r"[\wĐđ&]+", re.UNICODE)
# An agency's shape: a head word (capitalised, so "ban hành" is never "Ban") and a name of
# capitalised words and the few lower-case words official names use.
_HEADS = ("Sở", "Ban", "Ủy ban", "Uỷ ban", "UBND", "Trung tâm", "Chi cục", "Cục", "Văn phòng", "Thanh tra",
          "Công an", "Bộ Chỉ huy", "Kho bạc", "Đài", "Báo", "Phòng", "Tỉnh đoàn", "Liên đoàn", "Bảo hiểm xã hội",
          "Ngân hàng", "Hội", "Viện", "Hạt", "Đội")  # fmt: skip
_HEAD = re.compile("(?:" + "|".join(re.escape(h) for h in sorted(_HEADS, key=len, reverse=True)) + r")(?=\s)")
_NAME_WORDS = {"và", "-", "&", "tỉnh", "huyện", "thành", "phố", "xã", "phường", "thị", "trấn", "cửa", "khẩu"}
_PLACE_WORDS = frozenset(("tỉnh", "huyện", "thành", "thị", "xã", "phường"))
_LOCAL = re.compile(r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?:huyện|thành phố|xã|phường|thị trấn)\s+")
_ROLE_PREFIX = re.compile(r"(?:Giám đốc|Thủ trưởng|Chủ tịch|Trưởng ban|Trưởng|Chánh Văn phòng|Chánh)\s+(?=\S)")


def _known_at(text: str, fold: str, pos: int) -> Mention | None:
    """The longest known name starting at ``pos``, compared word by word (a dictionary lookup per length).

    Words are added while what is read so far begins a longer alias; the last that names an agency wins.
    """
    exact, longest, heads = _alias_index()
    first = _TOKEN.match(fold, pos)
    if not first:
        return None
    most = longest.get(first.group().rstrip(",;.:)"), 0)
    if not most:
        return None
    found: tuple[Agency, int] | None = None
    token: re.Match[str] | None = first
    tokens = _TOKEN.finditer(fold, first.end())
    for count in range(most):
        if token is None:
            break
        end = token.end()
        candidate = fold[pos:end]
        agency = exact.get(candidate)
        if agency is None:
            trimmed = candidate.rstrip(",;.:)")
            agency, end = exact.get(trimmed), pos + len(trimmed)
        if agency is not None:
            found = (agency, end)
        if candidate not in heads or count + 1 >= most:
            break
        token = next(tokens, None)
    if found is None:
        return None
    agency, end = found
    return Mention(pos, end, agency.name, text[pos:end], True)


# Lower-case words (and two-word phrases) that end an agency's name: the verbs and links that
# follow one in a directive. Single words only where no official name uses them inside.
_STOP_PHRASES = set(
    "thẩm định|kiểm tra|rà soát|tham mưu|chủ trì|phối hợp|hướng dẫn|tổ chức|triển khai|thực hiện|xây dựng|báo cáo|"
    "theo dõi|chỉ đạo|đôn đốc|khẩn trương|tiếp tục|tăng cường|bố trí|cập nhật|hoàn thành|nghiên cứu|xem xét|đề xuất|"
    "tập trung|quản lý|giải quyết|cung cấp|ban hành|sửa chữa|bổ sung|xử lý|đẩy nhanh|kịp thời|phân công|thông báo|"
    "tuyên truyền|vận động|giám sát|huy động|bảo đảm|đảm bảo|tiếp nhận|duy trì|hỗ trợ|đánh giá|tổng hợp|yêu cầu|"
    "chủ động|tích cực|rà|khẩn|có|được|đã|sẽ|cần|phải|để|với|tại|trên|về|của|cho|trong|theo|ngay|sớm|khi|nếu|mà|"
    "thì|là|các|những|này|đó|trình|lập|làm|ký|giao|nắm|dừng|mở|đưa|ra|vào|lên|từ|đến|nhằm|gửi|nộp|chuẩn|"
    "sớm|khắc phục|kiểm đếm|phát động|phấn đấu|chịu trách nhiệm|hoàn tất".split("|")
)
_MAX_NAME_WORDS = 12  # "Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn tỉnh" has 11 after its head
# A comma inside a fixed phrase of official names and titles ("Ban Chỉ đạo phòng, chống dịch bệnh
# tỉnh", "phòng, chống tham nhũng, tiêu cực"): it does not end the name.
_INNER_COMMA = re.compile(r"(?:(?<=\b[Pp]hòng)|(?<=\btham nhũng)),(?=\s+(?:chống|tiêu cực)\b)")


# A committee named by its duty, often in lower case: "Ban tổ chức các lễ hội", "Ban quản lý chợ".
_COMMITTEE_DUTY = re.compile(r"\s+(?:tổ chức|quản lý|chỉ đạo|chỉ huy|điều hành|vận động)(?=[\s,;.:)]|$)")
# What ends a committee's lower-case name besides the usual verbs: "Ban tổ chức hội chợ không để …"
_COMMITTEE_STOPS = frozenset(("không", "chưa", "cũng", "đều", "luôn"))


def _shape_at(text: str, pos: int) -> Mention | None:
    local = _LOCAL.match(text, pos)
    head = local or _HEAD.match(text, pos)
    if not head:
        return None
    if text.startswith(("UBND", "Ủy ban nhân dân", "Uỷ ban nhân dân"), pos) and not local:
        return None  # UBND tỉnh gives the orders; only district and commune committees are agencies here
    end = head.end()
    words: list[tuple[int, int]] = []
    duty = _COMMITTEE_DUTY.match(text, end) if head.group() == "Ban" else None
    if duty:
        words.append((end, duty.end()))
        end = duty.end()
    for number, word in enumerate(_TOKEN.finditer(text, end)):
        token = word.group().rstrip(",;.:)")
        if not token or number >= _MAX_NAME_WORDS:
            break
        lower = not token[0].isupper()
        if number == 0 and lower and token not in _PLACE_WORDS and not local and not duty:
            return None  # "Ban hành", "Sở tại": no name ("Công an huyện …" has one)
        if duty and token in _COMMITTEE_STOPS:
            break
        if lower and token not in _NAME_WORDS and not (duty and number == 0 and token == "các"):
            if token in _STOP_PHRASES:
                break
            following = _TOKEN.search(text, word.end())
            two = (f"{word.group()} {following.group()}" if following else word.group()).rstrip(",;.:)")
            if two in _STOP_PHRASES:
                break
        if token == "và" and (_HEAD.match(text, word.end() + 1) or _LOCAL.match(text, word.end() + 1)):
            break  # "Sở Nội vụ và UBND huyện …": two agencies
        if words and text[words[-1][0] : words[-1][1]] == "tỉnh" and lower:
            break  # "Sở Y tế tỉnh" ends there
        words.append((word.start(), word.start() + len(token)))
        if token != word.group() and not _INNER_COMMA.match(text, word.start() + len(token)):
            break  # punctuation closes the name
    while words and text[words[-1][0] : words[-1][1]] in ("và", "-", "&"):
        words.pop()
    if not words:
        return None
    stop = words[-1][1]
    phrase = normalize_line(text[pos:stop])
    return Mention(pos, stop, phrase, text[pos:stop], False)


def _agency_at(text: str, fold: str, pos: int) -> Mention | None:
    """The agency named at ``pos``: the longest known name, else one of an agency's shape."""
    role = _ROLE_PREFIX.match(text, pos)
    if role:  # "Giám đốc Sở Y tế", "Chủ tịch UBND các huyện": the agency is meant
        found = _known_at(text, fold, role.end()) or _shape_at(text, role.end())
        if found:
            return found
    return _known_at(text, fold, pos) or _shape_at(text, pos)


_JOIN = re.compile(r"\s*(?:,\s*và|,|;|và)\s+")


class _Scan:
    """A section's text, folded once, with the agency found at each position remembered."""

    def __init__(self, text: str):
        self.text = text
        self.fold = _fold(text)
        self.memo: dict[int, Mention | None] = {}

    def agency_at(self, pos: int) -> Mention | None:
        if pos not in self.memo:
            self.memo[pos] = _agency_at(self.text, self.fold, pos)
        return self.memo[pos]


# One head word for a list of names: "các Sở: Tài chính, Nội vụ", "UBND các huyện: Cao Lộc, Lộc Bình".
_SHARED_HEAD = re.compile(
    r"(?:các (?P<so>[Ss]ở)|(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân) các (?P<local>huyện|xã|thành phố|phường))"
    r"(?:\s*:\s*|\s+(?=[A-ZĐ]))"
)


_SHARED_OPENINGS = ("các ", "UBND", "Ủy ban", "Uỷ ban")


def _shared_head_list(scan: _Scan, pos: int) -> list[Mention]:
    """The agencies of a list under one head word, each named as the head and its item ("Sở Tài chính")."""
    shared = _SHARED_HEAD.match(scan.text, pos)
    if not shared:
        return []
    head = "Sở" if shared["so"] else f"UBND {shared['local']}"
    text, at = scan.text, shared.end()
    found: list[Mention] = []
    while True:
        whole = f"{head} {text[at:]}"
        mention = _known_at(whole, _fold(whole), 0) or _shape_at(whole, 0)
        if mention is None or mention.end <= len(head) + 1:
            return found
        end = at + mention.end - len(head) - 1
        found.append(Mention(at, end, mention.name, text[at:end], mention.known))
        join = _JOIN.match(text, end)
        if not join:
            return found
        at = join.end()


# "các chủ đầu tư và UBND …", "các cơ quan: Sở A, Sở B": up to the first agency (a colon opens the list)
_SKIP_TO_AGENCY = re.compile(r"[^,;.:]{1,40}?(?::\s*|,\s*|\s+và\s+)")


def agencies_from(scan: _Scan, pos: int, skip_first: bool = False) -> list[Mention]:
    """The agencies listed from ``pos`` on, joined by commas, "và" or semicolons.

    ``skip_first``: the list may open with others than agencies ("yêu cầu các chủ đầu tư và
    UBND các huyện …"): a short first item that names no agency is passed over.
    """
    text = scan.text
    # nearly every list has no shared head word: a plain prefix test before the pattern
    if text.startswith(_SHARED_OPENINGS, pos) and (shared := _shared_head_list(scan, pos)):
        return shared
    found: list[Mention] = []
    first = scan.agency_at(pos)
    if first is None and skip_first:
        skip = _SKIP_TO_AGENCY.match(text, pos)
        if skip and scan.agency_at(skip.end()):
            pos = skip.end()
    while True:
        mention = scan.agency_at(pos)
        if mention is None:
            return found
        found.append(mention)
        join = _JOIN.match(text, mention.end)
        if not join:
            return found
        pos = join.end()


# Triggers are searched in the folded (lower-case) text: an IGNORECASE scan costs several times more.
_ORDERS = ("giao", "yêu cầu", "đề nghị", "ủy quyền cho", "uỷ quyền cho")  # the words that tell an agency to act
_LEAD = re.compile(r"\b(?:giao nhiệm vụ cho|giao nhiệm vụ|giao cho|giao|yêu cầu|đề nghị|[ủu][yỷ] quyền cho)\s+")
# "X (được giao) chủ trì", "X có trách nhiệm chủ trì"
_LEADS_ITSELF = re.compile(r"\s+(?:được giao\s+|có trách nhiệm\s+)?(?:là cơ quan\s+|làm\s+)?chủ trì\b")
# "Trưởng Ban Tổ chức … chủ trì": a person chairs, no agency is told to lead
_TITLE_BEFORE = re.compile(r"(?:Trưởng|Phó|Giám đốc|Chủ tịch|Bí thư|Chánh|Thủ trưởng)\s+$")
_NAME_START = re.compile(r"(?:^|(?<=[\s,;(]))(?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ]|các\s)")
# "phối hợp (chặt chẽ) (cùng) với (:) Y", "có sự phối hợp của Y"
_PARTNER = re.compile(r"\b(?:sự phối hợp của|phối hợp(?:\s+chặt chẽ)?(?:\s+(?:với|cùng với|cùng))?:?)\s+")
# "UBND tỉnh giao: Sở Công Thương chủ trì; Sở Tài chính, Cục Thuế tỉnh phối hợp": partners named
# first, opening a clause of a sentence that gives an order ("Các xã phối hợp …" alone is told nothing)
_PARTNERS_FIRST = " phối hợp"
_PARTNERS_FIRST_NOT = (" với", " cùng", " chặt")  # "X phối hợp với Y": X acts with Y, it assists no one
_CLAUSE_ENDS = (";", ":")
_AFTER_LEAD = "chủ trì,"  # "Giao Sở A chủ trì, Sở B phối hợp": the partners' clause after the lead's
# The same scans, tried only where the words they open with (or end on) stand.
_LEAD_AT = Anchored(_LEAD, _ORDERS)
# "chỉ đạo X" tells X to act only when the province's leadership directs (a department directing its
# units, "Sở … chỉ đạo Ban quản lý …", is no order of the committee); X must be an agency.
_DIRECTS = "chỉ đạo"
_DIRECTS_THEN = (" ", ": ")  # the text is normalized: single spaces; "chỉ đạo: Sở Y tế …" too
_NOT_DIRECTED = ("của ", "tại ", "về ", "(")  # "chỉ đạo của …", "chỉ đạo (Công văn …)": no agency told
_PROVINCE_LEADERSHIP = re.compile(r"\b(?:ubnd tỉnh|ủy ban nhân dân tỉnh|uỷ ban nhân dân tỉnh|chủ tịch|đồng chí)\b")
_LEADS_ITSELF_AT = Anchored(
    _LEADS_ITSELF, ("chủ trì",), "là cơ quan làm được giao có trách nhiệm", lead_space=True, opens=" "
)
_PARTNER_AT = Anchored(_PARTNER, ("phối hợp",), "sự", lead_space=True)


def _unique(mentions: list[Mention]) -> list[dict[str, Any]]:
    seen: dict[str, Mention] = {}
    for mention in sorted(mentions, key=lambda m: m.start):
        seen.setdefault(mention.name, mention)
    return [m.as_dict() for m in seen.values()]


def _leads(scan: _Scan) -> list[Mention]:
    text, fold = scan.text, scan.fold
    found: list[Mention] = []
    if any(order in fold for order in _ORDERS):  # a plain search first: most text has none
        found = [m for trigger in _LEAD_AT.finditer(fold) for m in agencies_from(scan, trigger.end(), skip_first=True)]
    at = fold.find(_DIRECTS)  # "Chủ tịch UBND tỉnh chỉ đạo Sở Y tế …": directed by the province's leadership
    while at >= 0:
        after = at + len(_DIRECTS)
        then = next((sep for sep in _DIRECTS_THEN if fold.startswith(sep, after)), None)
        after += len(then or "")
        if then and not fold.startswith(_NOT_DIRECTED, after):
            clause_start = max(fold.rfind(".", 0, at), fold.rfind(";", 0, at), fold.rfind("\n", 0, at))
            if _PROVINCE_LEADERSHIP.search(fold, clause_start + 1, at):
                found.extend(agencies_from(scan, after))
        at = fold.find(_DIRECTS, after)
    for verb in _LEADS_ITSELF_AT.finditer(fold):  # "X chủ trì": the agency named just before
        window = max(0, verb.start() - 70)  # a name, or two, before "chủ trì"
        # names start with a capital or "các": only there can a list of agencies begin
        for start in (window + m.start() for m in _NAME_START.finditer(text[window : verb.start()])):
            listed = agencies_from(scan, start)
            if listed and listed[-1].end == verb.start() and not _TITLE_BEFORE.search(text, 0, listed[0].start):
                found.extend(listed)
                break
    return found


def _partners_first(scan: _Scan) -> list[Mention]:
    """The agencies that open a clause ending in "phối hợp" (not "phối hợp với") in a sentence that
    gives an order, or right after a lead's "chủ trì,": told to assist."""
    text, fold = scan.text, scan.fold
    found: list[Mention] = []
    at = fold.find(_PARTNERS_FIRST)
    while at >= 0:
        after = at + len(_PARTNERS_FIRST)
        if not fold.startswith(_PARTNERS_FIRST_NOT, after):
            window = max(0, at - 90)  # a name or a few before "phối hợp"
            for start in (window + m.start() for m in _NAME_START.finditer(text[window:at])):
                listed = agencies_from(scan, start)
                if listed and listed[-1].end == at:
                    before = text[: listed[0].start].rstrip()
                    sentence = fold[max(before.rfind(". "), before.rfind("\n")) + 1 : len(before)]
                    after_order = before.endswith(_CLAUSE_ENDS) and any(order in sentence for order in _ORDERS)
                    if after_order or sentence.endswith(_AFTER_LEAD):  # a lead named: the roles are assigned
                        found.extend(listed)
                    break
        at = fold.find(_PARTNERS_FIRST, after)
    return found


# ---- deadlines -------------------------------------------------------------------------------

_HAS_DIGIT = re.compile(r"\d")
# "15/3", "15/3/2024"; with dots or hyphens only as a whole date ("15.3.2024", "12-3-2024")
_DAY = r"(\d{1,2})(?:\s*/\s*|[.-](?=\d{1,2}[.-]\d{4}\b))(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?"
_DAY_WORDS = r"(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?"
_HOUR = r"\d{1,2}\s*(?:giờ|h|g)(?:\s*\d{2}(?:\s*phút)?)?,?"  # "trước 17 giờ ngày …", "trước 15h00, ngày …"
# "trước thứ Sáu, ngày 15/3", "trước 17h00 thứ Sáu (15/3/2024)" (folded: lower case)
_WEEKDAY = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)"
_BY_DAY = re.compile(
    r"\b(?:(?:thời gian|thời hạn)\s+hoàn thành\s+(?:là\s+)?|hoàn thành(?:\s+xong)?\s+|xong\s+)?"
    r"(?:trước|(?:chậm|muộn) nhất(?:\s+(?:vào|là))?|không (?:quá|muộn hơn)"
    r"|(?:thời\s+)?hạn(?:\s+(?:chót|cuối|hoàn thành|thực hiện|báo cáo|gửi|nộp))?(?:\s+là)?:?)\s+"
    rf"(?:{_HOUR}\s+)?(?:{_WEEKDAY}\s*,?\s*\(?\s*)?(?:ngày\s+)?(?:{_DAY}|{_DAY_WORDS})",
)
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PERIOD = (
    r"(?:tháng\s+(\d{1,2})(?:\s*/\s*(\d{4})|\s+năm\s+(\d{4}))?"
    r"|quý\s+(iv|iii|ii|i|[1-4])(?:\s*/\s*(\d{4})|\s+năm\s+(\d{4}))?"
    r"|năm\s+(\d{4}))"
)
_IN_PERIOD = re.compile(rf"\b(?:hoàn thành(?:\s+xong)?\s+)?(?:trong|trước|ngay trong)\s+{_PERIOD}")
_BY_DAY_AT = Anchored(
    _BY_DAY,
    ("trước", "chậm nhất", "muộn nhất", "hạn", "không quá", "không muộn hơn"),
    "thời gian hạn hoàn thành là xong",
    lead_space=True,
    opens="thxckm",
)
_IN_PERIOD_AT = Anchored(_IN_PERIOD, ("trong", "trước", "ngay trong"), "hoàn thành xong", lead_space=True, opens="htn")
_COMPLETES = re.compile(
    r"\b(?:hoàn thành|xong|(?<!chương )(?<!lộ )(?<!quy )trình|báo cáo|bàn giao|phủ sóng"
    r"|đưa vào (?:sử dụng|vận hành|khai thác)|giải ngân|nộp|gửi"
    r"|thanh toán|chi trả|đạt|khánh thành)\b",
)

# A deadline counted from an event: "trong thời hạn 10 ngày (làm việc) kể từ ngày nhận được văn bản",
# "chậm nhất sau 15 ngày". Its day depends on the event, so it has no date; the text says it.
_WITHIN = re.compile(
    r"(?:trong (?:thời hạn|vòng)|chậm nhất (?:là )?sau)\s+(?:không quá\s+)?\d{1,3}\s+"
    r"(?:ngày(?:\s+làm việc)?|tuần|tháng)"
    r"(?:\s*,?\s+(?:kể\s+)?từ\s+(?:khi|ngày)\s[^,;.\n]{1,80}(?=[,;.\n]|$))?"
)
_WITHIN_WORDS = ("trong thời hạn", "trong vòng", "chậm nhất sau", "chậm nhất là sau")
# A recurring deadline ("trước ngày 20 hằng tháng", "trước ngày 15 của tháng cuối quý"): no one date either
_RECURRING = re.compile(r"trước ngày \d{1,2}\s+(?:(?:hằng|hàng|mỗi)\s+(?:tháng|quý)|của tháng cuối quý)")


def _infer_year(month: int, day: int, week: tuple[dt.date, dt.date] | None) -> int | None:
    """The year of a date written without one: the week's, or the next if that would be long past."""
    if week is None:
        return None
    start, end = week
    year = end.year
    try:
        if dt.date(year, month, day) < start - dt.timedelta(days=60):
            year += 1
    except ValueError:
        return year
    return year


def _iso(year: int | None, month: int, day: int) -> str | None:
    if year is None:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _last_day(year: int | None, month: int) -> str | None:
    if year is None or not 1 <= month <= 12:
        return None
    return dt.date(year, month, calendar.monthrange(year, month)[1]).isoformat()


def deadlines(text: str, week: tuple[dt.date, dt.date] | None, fold: str | None = None) -> list[dict[str, Any]]:
    """The deadlines a text sets, in order; ``fold`` is ``_fold(text)`` when the caller has it."""
    fold = _fold(text) if fold is None else fold
    found: list[tuple[int, dict[str, Any]]] = []
    if not _HAS_DIGIT.search(fold):
        return []
    by_day = "trước" in fold or "chậm nhất" in fold or "muộn" in fold or "hạn" in fold or "không quá" in fold
    for m in _BY_DAY_AT.finditer(fold) if by_day else ():
        day, month, year = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        d, mo = int(day), int(month)
        y = int(year) if year else _infer_year(mo, d, week)
        end = m.end() + (text[m.end() : m.end() + 1] == ")" and "(" in text[m.start() : m.end()])
        found.append((m.start(), {"date": _iso(y, mo, d), "text": text[m.start() : end]}))
    in_period = ("trong" in fold or "trước" in fold) and ("tháng" in fold or "quý" in fold or "năm" in fold)
    for m in _IN_PERIOD_AT.finditer(fold) if in_period else ():
        clause_start = max(fold.rfind(".", 0, m.start()), fold.rfind(";", 0, m.start())) + 1
        if not m.group().startswith("hoàn thành") and not _COMPLETES.search(fold, clause_start, m.start()):
            continue  # "trong năm 2024" that only says when something happens
        month, m_year, m_year2, quarter, q_year, q_year2, year_only = m.groups()
        if month:
            y = int(m_year or m_year2) if (m_year or m_year2) else _infer_year(int(month), 28, week)
            date = _last_day(y, int(month))
        elif quarter:
            last_month = _QUARTERS[quarter] * 3
            y = int(q_year or q_year2) if (q_year or q_year2) else _infer_year(last_month, 28, week)
            date = _last_day(y, last_month)
        else:
            date = f"{int(year_only):04d}-12-31"
        found.append((m.start(), {"date": date, "text": text[m.start() : m.end()]}))
    for m in _WITHIN.finditer(fold) if any(word in fold for word in _WITHIN_WORDS) else ():
        if m.group().startswith("trong vòng") and " từ " not in m.group():
            clause = max(fold.rfind(".", 0, m.start()), fold.rfind(";", 0, m.start())) + 1
            ends = (i for i in (fold.find(".", m.end()), fold.find(";", m.end())) if i >= 0)
            clause_end = min(ends, default=len(fold))
            if not _COMPLETES.search(fold, clause, clause_end):
                continue  # "trong vòng 10 ngày qua" that only says how long something took
        found.append((m.start(), {"date": None, "text": text[m.start() : m.end()]}))
    if "trước ngày" in fold and ("tháng" in fold or "quý" in fold):
        found += [(m.start(), {"date": None, "text": text[m.start() : m.end()]}) for m in _RECURRING.finditer(fold)]
    return [entry for _, entry in sorted(found, key=lambda f: f[0])]


# ---- leaders ---------------------------------------------------------------------------------

_ROLE = (
    r"(?:Phó\s+)?Chủ tịch(?:\s+Thường trực)?\s+(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+tỉnh"
    r"|[Ll]ãnh đạo\s+(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+tỉnh"
)
_ROLE_RE = re.compile(_ROLE)
_PERSON_NAME = r"(?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][^\s,;.]*\s*){2,5}"
# "đồng chí X", "đ/c X"; "Ông X", "Bà X" only with the roles that follow the name ("Ông X, Phó Chủ tịch UBND tỉnh")
_NAMED = re.compile(rf"\b(?:[Đđ]ồng chí|[Đđ]/c|(?P<title>Ông|Bà))\s+(?P<name>{_PERSON_NAME})")
_NAMED_AT = Anchored(_NAMED, ("ồng chí", "/c", "Ông", "Bà"), "Đđ", opens="ĐđÔB")
# the holder's name after a role ("Chủ tịch UBND tỉnh Hồ Tiến Thiệu"); the province's name is none
_HOLDER = re.compile(r"[ \t]+(?!Lạng Sơn\b)((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][a-zà-ỹđ]+[ \t]*){2,4})(?=[^\w]|$)")
_ROLE_AT = Anchored(_ROLE_RE, ("Chủ tịch", "ãnh đạo"), "PhóLl", lead_space=True, opens="PCLl")
_TITLE_WORDS = re.compile(
    r"(?:Phó\s+)?(?:Chủ tịch|Bí thư|Ủy viên|Uỷ viên|Giám đốc|Trưởng|Chánh|Đại biểu|Thường trực|Phó Bí thư|Tổng)"
)
_CLAUSE_VERB = re.compile(
    r"\s+(?:chủ trì|yêu cầu|đã|ký|chỉ đạo|nhấn mạnh|đề nghị|giao|phát biểu|làm việc|kiểm tra|dự|có|tại|đến|thăm"
    r"|cho biết|khẳng định|kết luận|ghi nhận|đánh giá|trao|tặng|đi)\b"
)


_COMMITTEE = re.compile(r"(?:ủy|uỷ) ban nhân dân")


def _role_key(role: str) -> str:
    """A role compared with another: case, spacing and the committee's full or short name aside."""
    return _COMMITTEE.sub("ubnd", " ".join(role.lower().split()))


_BREAK = re.compile(r"[,;.]|$")


def _clause_end(text: str, start: int) -> int:
    """Where the clause from ``start`` ends: the next comma, semicolon or full stop, past commas of fixed phrases."""
    found = _BREAK.search(text, start)
    while found and found.start() < len(text) and _INNER_COMMA.match(text, found.start()):
        found = _BREAK.search(text, found.start() + 1)
    return found.start() if found else len(text)


# An official named as the one reported to, proposed to or advised ("báo cáo Chủ tịch UBND tỉnh",
# "trình lãnh đạo UBND tỉnh") or as the owner of a thing ("lịch trực của lãnh đạo UBND tỉnh") gives
# no order; one whose direction, conclusion or decision is cited ("ý kiến chỉ đạo của …") does.
_RECIPIENT_BEFORE = re.compile(
    r"\b(?:báo cáo|trình|gửi|xin ý kiến|xin chủ trương|đề xuất|tham mưu|kiến nghị)(?:\s+(?:cho|đến|lên|với))?\s*$"
)
_OWNER_BEFORE = re.compile(r"\bcủa\s*$")
_ORDER_BEFORE = re.compile(
    r"\b(?:chỉ đạo|ý kiến|kết luận|yêu cầu|đề nghị|quyết định|phê duyệt|ủy quyền|uỷ quyền|chủ trương|thừa lệnh|"
    r"thông báo|công văn|công điện|chỉ thị)\s+của\s*$"
)


def _gives_no_order(folded: str, start: int) -> bool:
    """Whether the official named at ``start`` is only the object of the sentence (see above).
    ``folded`` is the section's lower-case text, position for position."""
    before = folded[max(0, start - 40) : start]
    if _RECIPIENT_BEFORE.search(before):
        return True
    return bool(_OWNER_BEFORE.search(before)) and not _ORDER_BEFORE.search(before)


def leaders(text: str, folded: str | None = None) -> list[str]:
    folded = text.lower() if folded is None else folded
    if "đồng chí" not in folded and "chủ tịch" not in folded and "lãnh đạo" not in folded:
        return []
    spans: list[tuple[int, int]] = []
    passive: list[tuple[int, int]] = []  # officials named as only the object: neither they nor their roles count
    for m in _NAMED_AT.finditer(text):
        if (role_first := _ROLE_RE.match(text, m.start("name"))) is not None:  # "đồng chí Phó Chủ tịch UBND tỉnh X"
            end = _with_holder(text, role_first.end())
            (passive if _gives_no_order(folded, m.start()) else spans).append((m.start(), end))
            continue
        end = m.end()
        while True:  # ", Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh": the roles that follow the name
            role = re.match(r"\s*,\s*", text[end:])
            if not role or not _TITLE_WORDS.match(text, end + role.end()):
                break
            stop = end + role.end()
            candidate_end = _clause_end(text, stop)
            verb = _CLAUSE_VERB.search(text, stop, candidate_end)
            end = verb.start() if verb else candidate_end
            if verb:
                break
        if m.group("title") and end == m.end():
            continue  # "Ông", "Bà" with no role after the name: anyone, not an official
        (passive if _gives_no_order(folded, m.start()) else spans).append((m.start(), len(text[:end].rstrip())))
    # a role a named official holds is that official when the section names it alone as well
    named_roles = {_role_key(role) for start, stop in spans for role in text[start:stop].split(",")[1:]}
    for m in _ROLE_AT.finditer(text):
        inside = any(start <= m.start() < stop for start, stop in spans + passive)
        if not inside and _role_key(m.group()) not in named_roles and not _gives_no_order(folded, m.start()):
            spans.append((m.start(), _with_holder(text, m.end())))
    names: list[str] = []
    for start, stop in sorted(spans):
        name = normalize_line(text[start:stop]).rstrip(" ,")
        if name not in names:
            names.append(name)
    return names


def _with_holder(text: str, role_end: int) -> int:
    """Where a role ends with its holder's name when one follows it ("… UBND tỉnh Đoàn Thu Hà")."""
    holder = _HOLDER.match(text, role_end)
    return role_end + len(holder.group().rstrip()) if holder else role_end


def _cited_in(body: str, cited: list[CitedDocument]) -> list[str]:
    """The ids of the digest's documents whose number this section's text holds, in order of mention."""
    if not cited:
        return []
    if "/" not in body and "-" not in body and all("/" in d["number"] or "-" in d["number"] for d in cited):
        return []  # a document number holds one of them: most sections cite none
    # the body is normalized (single spaces); the numbers are stored with no spaces and look-alikes read
    compact = without_lookalikes(body.replace(" ", ""))
    found: list[tuple[int, str]] = []
    for document in cited:
        start = compact.find(document["number"])
        while start > 0 and compact[start - 1].isdigit():  # "1/KH-UBND" inside "21/KH-UBND"
            start = compact.find(document["number"], start + 1)
        if start >= 0:
            found.append((start, document["doc_id"]))
    return list(dict.fromkeys(doc_id for _, doc_id in sorted(found)))


def parse_directive(
    heading: str,
    text: str,
    week_start: dt.date | None = None,
    week_end: dt.date | None = None,
    fallback_year: int | None = None,
    cited: list[CitedDocument] | None = None,
) -> dict[str, Any]:
    """The directive of one section: lead and partner agencies, deadlines, leaders, documents cited.

    ``fallback_year`` (default: the week's) completes the ids of documents cited without a year;
    ``cited``, the digest's documents, saves reading the citations again (and gives every
    section the same id for a document the digest dates only once).
    """
    body = normalize_line(f"{heading}. {text}" if heading else text)
    scan = _Scan(body)
    week = (week_start, week_end) if week_start and week_end else None
    partners = (
        [m for trigger in _PARTNER_AT.finditer(scan.fold) for m in agencies_from(scan, trigger.end())]
        + _partners_first(scan)
        if ("phối hợp" in scan.fold)
        else []
    )
    partner_names = {p.name for p in partners}
    leads = [m for m in _leads(scan) if m.name not in partner_names]
    fallback = fallback_year if fallback_year is not None else week_end.year if week_end else None
    if cited is None:
        documents = list(dict.fromkeys(d["doc_id"] for d in cite_documents(body, fallback)))
    else:
        documents = _cited_in(body, cited)
    return {
        "lead_agencies": _unique(leads),
        "partner_agencies": _unique(partners),
        "deadlines": deadlines(body, week, scan.fold),
        "leaders": leaders(body, scan.fold),
        "documents": documents,
    }
