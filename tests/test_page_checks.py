"""The checks the page objects apply to a block of text (``scraper.pages.checks``), one rule per row."""

from __future__ import annotations

import pytest

from scraper.pages.blocks import Block
from scraper.pages.checks import is_byline, looks_like_lead


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (Block("Văn phòng UBND tỉnh", bold=True, right=True), True),
        (Block("Trung tâm Thông tin - Văn phòng UBND tỉnh", bold=True), True),
        (Block("Nguồn: VP UBND tỉnh", italic=True), True),
        (Block("Hoàng Lan (tổng hợp)", italic=True), True),
        (Block("Minh Anh", right=True), True),
        (Block("Sở Tư pháp", bold=True), True),
        (Block("Sở Y tế tăng cường kiểm tra an toàn thực phẩm dịp cuối năm", bold=True), False),
        (Block("Tăng cường phòng, chống cháy rừng", bold=True), False),
        (Block("Văn phòng UBND tỉnh tổng hợp báo cáo trước ngày 15/3.", right=False), False),
        (Block("Việc một; việc hai", bold=True, right=True), False),
        (Block("x" * 150, right=True), False),
    ],
    ids=lambda v: v.text[:30] if isinstance(v, Block) else str(v),
)
def test_closing_byline(block, expected):
    assert is_byline(block) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Việc một; Việc hai; Việc ba là những nội dung chính trong chỉ đạo điều hành nổi bật tuần qua.", True),
        ("Bảo đảm an toàn giao thông dịp lễ; Triển khai kế hoạch thu ngân sách năm 2024", True),
        ("Là nội dung chính trong chỉ đạo, điều hành tuần qua", True),
        ("UBND tỉnh ban hành Công văn số 12/UBND-KT ngày 04/3/2024.", False),
        ("Mục một; hai", False),  # too short to be a week's list
    ],
)
def test_what_a_lead_looks_like(text, expected):
    assert looks_like_lead(text) is expected
