"""Document numbers split into their parts (spec: directives.md, "Documents").

Table-driven: each row is a number as cited, the issue date and fallback year it is parsed with,
and the whole expected dict.
"""

import pytest

from scraper.pages.documents import parse_document_number


def parts(number, serial, year, symbol, kind_code, issuer, is_party, doc_id):
    return {
        "number": number,
        "serial": serial,
        "year": year,
        "symbol": symbol,
        "kind_code": kind_code,
        "issuer": issuer,
        "is_party": is_party,
        "doc_id": doc_id,
    }


CASES = [
    # --- administrative: a công văn has no kind in its symbol -> "CV"; issuer is the first part
    pytest.param("855/VP-KGVX", "2024-02-28", None,
                 parts("855/VP-KGVX", "855", 2024, "VP-KGVX", "CV", "VP", False, "855/VP-KGVX@2024"),
                 id="cong-van-VP-KGVX"),
    pytest.param("15/UBND-KT", "2023-05-10", None,
                 parts("15/UBND-KT", "15", 2023, "UBND-KT", "CV", "UBND", False, "15/UBND-KT@2023"),
                 id="cong-van-UBND-KT"),
    pytest.param("1120 /UBND-KGVX", None, 2024,
                 parts("1120/UBND-KGVX", "1120", None, "UBND-KGVX", "CV", "UBND", False, "1120/UBND-KGVX@2024"),
                 id="stray-space-cong-van-fallback-year"),
    # --- administrative with a kind
    pytest.param("51 /KH-UBND", "2024-03-05", None,
                 parts("51/KH-UBND", "51", 2024, "KH-UBND", "KH", "UBND", False, "51/KH-UBND@2024"),
                 id="stray-space-KH-spec-example"),
    pytest.param("379/QĐ-UBND", "2024-02-27", None,
                 parts("379/QĐ-UBND", "379", 2024, "QĐ-UBND", "QĐ", "UBND", False, "379/QD-UBND@2024"),
                 id="QĐ-UBND"),
    # "QD" spelling: kind_code is returned as "QĐ"; number/symbol stay as written; same doc_id as "QĐ"
    pytest.param("379/QD-UBND", "2024-02-27", None,
                 parts("379/QD-UBND", "379", 2024, "QD-UBND", "QĐ", "UBND", False, "379/QD-UBND@2024"),
                 id="QD-spelling"),
    pytest.param("1234/QĐ-TTg", "2023-10-12", None,
                 parts("1234/QĐ-TTg", "1234", 2023, "QĐ-TTg", "QĐ", "TTg", False, "1234/QD-TTG@2023"),
                 id="QĐ-TTg-upper-cased-id"),
    pytest.param("1234 / QĐ - TTg", "2023-10-12", None,
                 parts("1234/QĐ-TTg", "1234", 2023, "QĐ-TTg", "QĐ", "TTg", False, "1234/QD-TTG@2023"),
                 id="spaces-around-slash-and-dash"),
    pytest.param("2409/QĐ-UBND", "2023-12-29", 2024,
                 parts("2409/QĐ-UBND", "2409", 2023, "QĐ-UBND", "QĐ", "UBND", False, "2409/QD-UBND@2023"),
                 id="date-year-wins-over-fallback"),
    pytest.param("09/CĐ-UBND", "2024-09-07", None,
                 parts("09/CĐ-UBND", "09", 2024, "CĐ-UBND", "CĐ", "UBND", False, "09/CD-UBND@2024"),
                 id="cong-dien-CĐ"),
    pytest.param("318/TB-UBND", None, 2024,
                 parts("318/TB-UBND", "318", None, "TB-UBND", "TB", "UBND", False, "318/TB-UBND@2024"),
                 id="TB-year-from-fallback"),
    pytest.param("27/TB-VP", "2023-06-30", None,
                 parts("27/TB-VP", "27", 2023, "TB-VP", "TB", "VP", False, "27/TB-VP@2023"),
                 id="TB-VP"),
    pytest.param("12/KH-BCĐ", "2022-04-01", None,
                 parts("12/KH-BCĐ", "12", 2022, "KH-BCĐ", "KH", "BCĐ", False, "12/KH-BCD@2022"),
                 id="KH-BCĐ"),
    pytest.param("03/CT-UBND", "2024-01-15", None,
                 parts("03/CT-UBND", "03", 2024, "CT-UBND", "CT", "UBND", False, "03/CT-UBND@2024"),
                 id="administrative-chi-thi-not-party"),
    pytest.param("86/TTr-SNV", "2024-04-02", None,
                 parts("86/TTr-SNV", "86", 2024, "TTr-SNV", "TTr", "SNV", False, "86/TTR-SNV@2024"),
                 id="TTr-mixed-case"),
    pytest.param("04/CTr-UBND", "2021-01-08", None,
                 parts("04/CTr-UBND", "04", 2021, "CTr-UBND", "CTr", "UBND", False, "04/CTR-UBND@2021"),
                 id="CTr-mixed-case"),
    pytest.param("112/BC-UBND", "2024-05-20", None,
                 parts("112/BC-UBND", "112", 2024, "BC-UBND", "BC", "UBND", False, "112/BC-UBND@2024"),
                 id="BC"),
    pytest.param("17/HD-SYT", "2022-08-11", None,
                 parts("17/HD-SYT", "17", 2022, "HD-SYT", "HD", "SYT", False, "17/HD-SYT@2022"),
                 id="HD"),
    pytest.param("06/ĐA-UBND", "2023-03-03", None,
                 parts("06/ĐA-UBND", "06", 2023, "ĐA-UBND", "ĐA", "UBND", False, "06/DA-UBND@2023"),
                 id="ĐA-folded"),
    # no date, no fallback year: "@?"
    pytest.param("15/UBND-KT", None, None,
                 parts("15/UBND-KT", "15", None, "UBND-KT", "CV", "UBND", False, "15/UBND-KT@?"),
                 id="no-year-at-all"),
    pytest.param("318/TB-UBND", None, None,
                 parts("318/TB-UBND", "318", None, "TB-UBND", "TB", "UBND", False, "318/TB-UBND@?"),
                 id="no-year-at-all-TB"),
    # --- normative: the year is inside the number, no "@YEAR"
    pytest.param("07/2023/NQ-HĐND", None, None,
                 parts("07/2023/NQ-HĐND", "07", 2023, "NQ-HĐND", "NQ", "HĐND", False, "07/2023/NQ-HDND"),
                 id="normative-NQ-HĐND"),
    pytest.param("45/2020/NĐ-CP", None, None,
                 parts("45/2020/NĐ-CP", "45", 2020, "NĐ-CP", "NĐ", "CP", False, "45/2020/ND-CP"),
                 id="normative-NĐ-CP"),
    pytest.param("20/2024/QĐ-UBND", None, 2025,
                 parts("20/2024/QĐ-UBND", "20", 2024, "QĐ-UBND", "QĐ", "UBND", False, "20/2024/QD-UBND"),
                 id="normative-QĐ-year-in-number-beats-fallback"),
    pytest.param("03/2024/TT-BTC", "2024-01-31", None,
                 parts("03/2024/TT-BTC", "03", 2024, "TT-BTC", "TT", "BTC", False, "03/2024/TT-BTC"),
                 id="normative-TT-BTC-with-date"),
    # --- party documents: serial-KIND/ISSUER, never "@YEAR"
    pytest.param("28-CT/TW", None, None,
                 parts("28-CT/TW", "28", None, "CT/TW", "CT", "TW", True, "28-CT/TW"),
                 id="party-CT-TW"),
    pytest.param("28 - CT/TW", None, 2024,
                 parts("28-CT/TW", "28", None, "CT/TW", "CT", "TW", True, "28-CT/TW"),
                 id="party-spaces-fallback-year-not-appended"),
    pytest.param("55/2014/QH13", None, None,
                 parts("55/2014/QH13", "55", 2014, "QH13", None, "QH13", False, "55/2014/QH13"),
                 id="law-QH13-no-kind-code"),
    pytest.param("05-NQ/TU", "2021-07-20", None,
                 parts("05-NQ/TU", "05", 2021, "NQ/TU", "NQ", "TU", True, "05-NQ/TU"),
                 id="party-NQ-TU-with-date"),
    pytest.param("35-KL/TW", None, None,
                 parts("35-KL/TW", "35", None, "KL/TW", "KL", "TW", True, "35-KL/TW"),
                 id="party-KL-TW"),
]  # fmt: skip


@pytest.mark.parametrize(("number", "date", "fallback_year", "expected"), CASES)
def test_parse_document_number(number, date, fallback_year, expected):
    assert parse_document_number(number, date=date, fallback_year=fallback_year) == expected


SAME_DOCUMENT = [
    pytest.param(["379/QĐ-UBND", "379 /QD-UBND", "379/QD - UBND"], "2024-02-27", None, "379/QD-UBND@2024",
                 id="QĐ-vs-QD-and-spacing"),
    pytest.param(["51/KH-UBND", "51 /KH-UBND", "51 / KH-UBND"], None, 2024, "51/KH-UBND@2024",
                 id="spacing-with-fallback-year"),
    pytest.param(["07/2023/NQ-HĐND", "07/2023/NQ-HDND", "07 /2023/ NQ-HĐND"], None, None, "07/2023/NQ-HDND",
                 id="normative-HĐND-vs-HDND"),
    pytest.param(["1234/QĐ-TTg", "1234/QD-TTg", "1234/QĐ-TTG"], "2023-10-12", None, "1234/QD-TTG@2023",
                 id="case-and-Đ-folded"),
]  # fmt: skip


@pytest.mark.parametrize(("spellings", "date", "fallback_year", "doc_id"), SAME_DOCUMENT)
def test_one_document_cited_differently_has_one_doc_id(spellings, date, fallback_year, doc_id):
    ids = {parse_document_number(s, date=date, fallback_year=fallback_year)["doc_id"] for s in spellings}
    assert ids == {doc_id}
