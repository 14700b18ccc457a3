import pytest

from scraper.pages.documents import extract_documents

CASES = [
    ("theo Công văn số 855/VP-KGVX, ngày 28/2/2024 của Văn phòng",
     [("Công văn", "855/VP-KGVX", "2024-02-28")]),
    ("Quyết định số 379/QĐ-UBND ngày 27/02/2024 về việc", [("Quyết định", "379/QĐ-UBND", "2024-02-27")]),
    ("thực hiện Kế hoạch số 51 /KH-UBND, ngày 01/03/2024", [("Kế hoạch", "51/KH-UBND", "2024-03-01")]),
    ("Nghị quyết số 07/2023/NQ-HĐND của HĐND tỉnh", [("Nghị quyết", "07/2023/NQ-HĐND", None)]),
    ("quán triệt Chỉ thị số 28-CT/TW của Ban Bí thư", [("Chỉ thị", "28-CT/TW", None)]),
    ("theo Quyết định số 893/QĐ-TTg của Thủ tướng", [("Quyết định", "893/QĐ-TTg", None)]),
    ("Kế hoạch số 12/KH-UBND - ngày 3/3/2024", [("Kế hoạch", "12/KH-UBND", None)]),
    ("Thông báo 45/TB-VP ngày 5/6/2022", [("Thông báo", "45/TB-VP", "2022-06-05")]),
    # the same document twice is listed once, keeping the date from wherever it was given
    ("Công văn số 1/UBND-TH. Sau đó, Công văn số 1/UBND-TH ngày 2/1/2024 nhắc lại",
     [("Công văn", "1/UBND-TH", "2024-01-02")]),
    # an impossible date is not invented
    ("Quyết định số 9/QĐ-UBND ngày 31/02/2024", [("Quyết định", "9/QĐ-UBND", None)]),
    # nbsp and zero-width characters around the number
    ("Công văn số\u00a0855\u200b/VP-KGVX ngày 28/2/2024", [("Công văn", "855/VP-KGVX", "2024-02-28")]),
    # cited by the generic "Văn bản", and the other kinds a digest cites
    ("theo Văn bản số 3310/UBND-NC, ngày 14/05/2024 của UBND tỉnh", [("Văn bản", "3310/UBND-NC", "2024-05-14")]),
    ("thực hiện Kết luận số 121-KL/TW ngày 24/01/2025", [("Kết luận", "121-KL/TW", "2025-01-24")]),
    ("Đề án số 07/ĐA-UBND ngày 3/4/2024 về chuyển đổi số", [("Đề án", "07/ĐA-UBND", "2024-04-03")]),
    ("Chương trình số 15/CTr-UBND và Quy chế số 2/QC-UBND", [("Chương trình", "15/CTr-UBND", None), ("Quy chế", "2/QC-UBND", None)]),
    # a stray space after the hyphen before an all-capitals code, but never before a word
    ("Nghị quyết số 12/2024/NQ- HĐND ngày 10/7/2024", [("Nghị quyết", "12/2024/NQ-HĐND", "2024-07-10")]),
    ("Kế hoạch số 12/KH-UBND- Ngày hội việc làm", [("Kế hoạch", "12/KH-UBND", None)]),
    # the issue date in words, or in parentheses
    ("Quyết định số 286/QĐ-UBND, ngày 23 tháng 02 năm 2024", [("Quyết định", "286/QĐ-UBND", "2024-02-23")]),
    ("Chỉ thị 04/CT-UBND (ngày 21/02/2024) về phòng cháy", [("Chỉ thị", "04/CT-UBND", "2024-02-21")]),
    # a type written short, only before "số" and a number
    ("căn cứ QĐ số 379/QĐ-UBND ngày 27/02/2024 của UBND tỉnh", [("Quyết định", "379/QĐ-UBND", "2024-02-27")]),
    ("theo CV số 855/VP-KGVX", [("Công văn", "855/VP-KGVX", None)]),
    ("tỷ lệ hồ sơ KH số hóa đạt 80%", []),
    # laws and ordinances: the symbol is the legislature's
    ("Luật số 55/2014/QH13 và Pháp lệnh số 02/2022/UBTVQH15", [("Luật", "55/2014/QH13", None),
                                                              ("Pháp lệnh", "02/2022/UBTVQH15", None)]),
    ("Luật Đất đai năm 2024 có hiệu lực", []),
    # several numbers under one type, the date given once at the end belongs to the last
    ("các Quyết định số 100/QĐ-UBND, 101/QĐ-UBND ngày 05/3/2024", [("Quyết định", "100/QĐ-UBND", None),
                                                                   ("Quyết định", "101/QĐ-UBND", "2024-03-05")]),
    ("các Quyết định: số 100/QĐ-UBND, số 101/QĐ-UBND ngày 15/3/2024", [("Quyết định", "100/QĐ-UBND", None),
                                                                       ("Quyết định", "101/QĐ-UBND", "2024-03-15")]),
    ("theo các Kế hoạch: 51/KH-UBND, 52/KH-UBND", [("Kế hoạch", "51/KH-UBND", None), ("Kế hoạch", "52/KH-UBND", None)]),
    ("Quyết định: 100 người được khen thưởng", []),
    ("Công văn số 855/VP-KGVX và số 856/VP-KGVX ngày 28/2/2024", [("Công văn", "855/VP-KGVX", None),
                                                                 ("Công văn", "856/VP-KGVX", "2024-02-28")]),
    ("Kế hoạch số 51/KH-UBND, 2/3 số xã đã hoàn thành", [("Kế hoạch", "51/KH-UBND", None)]),
    ("Quyết định số 379/QĐ-UBND ngày 27/02/2024, 28/02/2024 là hạn nộp", [("Quyết định", "379/QĐ-UBND", "2024-02-27")]),
    ("Quyết định số 379/QĐ-UBND ngày 27-02-2024 và Công văn số 8/VP-KT ngày 01.3.2024",
     [("Quyết định", "379/QĐ-UBND", "2024-02-27"), ("Công văn", "8/VP-KT", "2024-03-01")]),
    # look-alikes from old encodings and word processors: the eth for "Đ", dashes for the hyphen
    ("Quyết định số 2145/QÐ-UBND ngày 05/12/2025", [("Quyết định", "2145/QĐ-UBND", "2025-12-05")]),
    ("theo Quyết ðịnh số 12/QÐ-UBND và Nghị ðịnh số 30/2020/NÐ-CP", [("Quyết định", "12/QĐ-UBND", None),
                                                                  ("Nghị định", "30/2020/NĐ-CP", None)]),
    ("căn cứ QÐ số 379/QĐ-UBND", [("Quyết định", "379/QĐ-UBND", None)]),
    ("Văn bản số 3456/UBND–KGVX ngày 01/12/2025", [("Văn bản", "3456/UBND-KGVX", "2025-12-01")]),
    ("Kết luận số 123—KL/TU và Công văn số 7/VP‑KT", [("Kết luận", "123-KL/TU", None), ("Công văn", "7/VP-KT", None)]),
    ("Văn bản số 12/UBND -KT ngày 1/12/2025", [("Văn bản", "12/UBND-KT", "2025-12-01")]),
    # a dash between two clauses is no part of the number
    ("Văn bản số 12/UBND-KT – UBND tỉnh giao Sở Tài chính", [("Văn bản", "12/UBND-KT", None)]),
    ("Văn bản số 12/UBND – UBND tỉnh giao Sở Tài chính", [("Văn bản", "12/UBND", None)]),
    ("các văn bản hướng dẫn của Bộ, ngành", []),
    ("tăng 15/20 chỉ tiêu, đạt 30% kế hoạch năm", []),
    ("", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_extract_documents(text, expected):
    got = [(d["type"], d["number"], d["date"]) for d in extract_documents(text)]
    assert got == expected


def test_documents_keep_order_of_first_mention():
    text = "Kế hoạch số 2/KH-UBND; Công văn số 1/VP-TH; Nghị quyết số 3/2020/NQ-HĐND"
    assert [d["number"] for d in extract_documents(text)] == ["2/KH-UBND", "1/VP-TH", "3/2020/NQ-HĐND"]
