"""The checks the page objects apply to a block of text (``scraper.pages.checks``), one rule per row."""

from __future__ import annotations

import pytest

from scraper.pages.blocks import Block
from scraper.pages.checks import is_byline, looks_like_lead
from scraper.pages.html import cut_short, not_a_page


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


PAGE = "<!DOCTYPE html><html><body><p>Một trang.</p></body></html>".encode()


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (PAGE, "text/html; charset=utf-8", None),
        (PAGE, "application/pdf", None),  # a page with a wrong type still reads
        (b"\xef\xbb\xbf\r\n  " + PAGE, "image/png", None),  # after a byte-order mark and blank lines
        (b"<!-- ghi chu --><html><body>x</body></html>", "application/msword", None),
        (b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00", "text/html; charset=utf-16", None),  # UTF-16: a text type
        (b"Trang dang bao tri", "text/plain", None),  # text: the parser judges it
        (b"", "", None),
        (b"\x00\x01binary", "application/octet-stream", None),  # a generic type: the parser judges it
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>>", "application/pdf", "a PDF file"),
        (b"%PDF-1.4 body", "text/html", "a PDF file"),  # the file's own bytes outweigh its type
        (b"%PDF-1.4 body", "", "a PDF file"),
        (b"PK\x03\x04\x14\x00word/document.xml", "application/vnd.openxmlformats-officedocument"
         ".wordprocessingml.document", "a ZIP file (or a Word/Excel document)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword", "an old Word/Excel document"),
        (b"\x89PNG\r\n\x1a\n", "image/png", "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "", "a JPEG image"),
        (b"GIF89a", "image/gif", "a GIF image"),
        (b"\x00\x00\x00\x18ftypmp42", "video/mp4", "a video (MP4)"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "text/html", "a gzip file"),  # still compressed, under a page's type
        (b"\x00\x01\x02\x03\x10\x11data with no tag", "text/html", "binary data"),
        (b"\x00\x01\x02\x03<html><body>x</body></html>", "text/html", None),  # a tag: the parser judges it
        (b"Service Unavailable\x00", "text/html", None),  # text with a stray NUL is text
        (b"\x1aE\xdf\xa3webm", "video/webm", "video/webm"),  # no magic known: its type says it
        (b"x = 1 <p>not at the start", "application/zip", "application/zip"),  # only a page's opening counts
        (b"{\\rtf1\\ansi", "application/rtf", "an RTF document"),
    ],
)  # fmt: skip
def test_what_is_no_web_page(body, content_type, expected):
    assert not_a_page(body, content_type) == expected
