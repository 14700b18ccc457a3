"""An anchored scan finds exactly what ``finditer`` finds, on the fixtures' text and on random text."""

from __future__ import annotations

import json
import random

import pytest

from scraper.pages import directives, documents
from scraper.pages.scanning import Anchored
from scraper.sites.agencies import fold
from tests.conftest import FIXTURES

# Pieces of text around every anchor: the anchors themselves, their lead words, words that
# hold them ("bàn giao", "hạn chế"), odd whitespace, punctuation, digits and dates.
_PIECES = (
    "giao", "giao nhiệm vụ cho", "giao cho", "yêu cầu", "đề nghị", "bàn giao", "phối hợp", "chặt chẽ", "với",
    "chủ trì", "là cơ quan", "làm", "là", "trước", "chậm nhất", "vào", "hạn", "chót", "thời gian", "thời hạn",
    "hoàn thành", "xong", "không quá", "trong", "ngay trong", "ngày", "tháng", "quý", "iv", "năm", "2024", "5/3",
    "05 / 3 / 2024", "12", "7/2023", "Đồng chí", "đồng chí", "ồng chí", "Nguyễn Văn A", "Phó", "Chủ tịch",
    "Thường trực", "UBND", "Ủy ban nhân dân", "tỉnh", "lãnh đạo", "Lãnh đạo", "Công văn", "công văn", "Kế hoạch",
    "Quyết định", "số", "số:", "51 /KH-UBND", "855/VP-KGVX", "07/2023/NQ-HĐND", "28-CT/TW", "ban hành", "Ngày",
    "Sở Y tế", "xhạn", "trướcx", "q", "_", ",", ".", ";", "(", ")", " ", "  ", "\t", "\u2028", "\x1c", "\u00a0",
)  # fmt: skip

_SCANS = {
    "lead": directives._LEAD_AT,
    "leads itself": directives._LEADS_ITSELF_AT,
    "partner": directives._PARTNER_AT,
    "by day": directives._BY_DAY_AT,
    "in period": directives._IN_PERIOD_AT,
    "named": directives._NAMED_AT,
    "role": directives._ROLE_AT,
    "citation": documents._CITATION_AT,
}


def _found(matches) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in matches]


def _texts() -> list[str]:
    rng = random.Random(16)
    texts = []
    for _ in range(8000):
        pieces = rng.choices(_PIECES, k=rng.randint(1, 14))
        texts.append("".join(p + rng.choice(("", " ", " ", "  ", "\n")) for p in pieces))
    for line in (FIXTURES / "expected.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts += [record["text"] or "", *(s["text"] for s in record.get("sections") or [])]
    return texts + [fold(t) for t in texts]


@pytest.mark.parametrize("name", sorted(_SCANS))
def test_an_anchored_scan_finds_what_finditer_finds(name: str) -> None:
    scan: Anchored = _SCANS[name]
    for text in _texts():
        assert _found(scan.finditer(text)) == _found(scan.pattern.finditer(text)), text
        for pos in (1, len(text) // 2):
            assert _found(scan.finditer(text, pos)) == _found(scan.pattern.finditer(text, pos)), (text, pos)
