"""The checks the page objects apply to a block of text (``scraper.pages.checks``), one rule per row."""

from __future__ import annotations

import pytest

from scraper.pages.blocks import Block
from scraper.pages.checks import is_byline, looks_like_lead
from scraper.pages.html import cut_short


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


@pytest.mark.parametrize(
    ("source", "cut"),
    [
        (b"<!DOCTYPE html><html><head></head><body><p>Whole.</p></body></html>", False),
        (b"<html><body><p>Cut in the mid", True),
        (b"<html><body><p>Only the body closed.</p></body>", False),
        (b"<HTML><BODY><P>Old capitals.</P></BODY></HTML>", False),
        (b"<HTML><BODY><P>Old capitals, cut", True),
        (b"<html><body><p>Closed.</p></body></html>" + b"<script>var x = 1;</script>" * 5000, False),
        (b"<p>A fragment: not judged", False),
        (b"", False),
    ],
)
def test_a_page_cut_short_in_transfer(source, cut):
    assert cut_short(source) is cut
