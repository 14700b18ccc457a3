"""Search: Vietnamese-aware matching, document numbers as one term, filters, ranking, snippets, upkeep."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil

import pytest

from scraper.search import SearchIndex, fold_aligned
from tests.conftest import export, run_cli


def record(key, title, text, week=("2024-03-04", "2024-03-10"), source="langson.gov.vn", documents=(), agencies=()):
    directive = {"lead_agencies": [{"name": a, "as_written": a, "known": True} for a in agencies],
                 "partner_agencies": [], "deadlines": [], "leaders": [], "documents": []}  # fmt: skip
    return {"key": key, "title": title, "text": text, "source": source, "week_start": week[0], "week_end": week[1],
            "published_at": None, "documents": [{"type": "Quyết định", "number": n, "date": None} for n in documents],
            "sections": [{"heading": "Mục", "text": text, "directive": directive}]}  # fmt: skip


RECORDS = [
    record("t:1", "Tuần một", "Thu hút đầu tư vào khu kinh tế cửa khẩu."),
    record("t:2", "Tuần hai", "Sửa chữa đường tỉnh 226 sau mưa lũ."),
    record("t:3", "Tuần ba", "Làm đẹp đô thị, xây dựng bến đò mới, trả đương nhiên."),
    record("t:4", "Tuần bốn", "Tổ chức hoà giải ở cơ sở tại các thôn."),
    record("t:5", "Tuần năm", "Kết quả hòa giải ở cơ sở năm 2023."),
    record(
        "t:6", "Tuần sáu", "Triển khai Quyết định số 379/QĐ-UBND ngày 05/3/2024 về giá đất.", documents=["379/QĐ-UBND"]
    ),
    record("t:7", "Tuần bảy", "Thực hiện Quyết định số 1379/QĐ-UBND về quy hoạch.", documents=["1379/QĐ-UBND"]),
    record(
        "t:8",
        "Phòng chống cháy rừng mùa khô",
        "Nội dung khác.",
        week=("2019-01-07", "2019-01-13"),
        source="vanphong.langson.gov.vn",
        agencies=["Sở Nông nghiệp và Phát triển nông thôn"],
    ),
    record("t:9", "Tuần chín", "Nhắc lại việc phòng chống cháy rừng.", week=("2024-12-02", "2024-12-08")),
    record("t:10", "Tuần mười", "Tập huấn giáo viên của Sở Giáo dục và Ðào tạo."),  # the eth of old encodings
]


@pytest.fixture
def index(tmp_path):
    search = SearchIndex(tmp_path)
    assert search.update(RECORDS)["added"] == len(RECORDS)
    return search


def keys(results):
    return [r.key for r in results]


@pytest.mark.parametrize(
    ("query", "exact", "expected"),
    [
        ("dau tu", False, ["t:1"]),  # no diacritics finds "đầu tư"
        ("DAU TU", False, ["t:1"]),
        ("duong tinh", False, ["t:2"]),  # "d" matches "đ"
        ("duong", False, ["t:2", "t:3"]),  # "đường" and "đương" both fold to it
        ("đường", True, ["t:2"]),  # --exact keeps them apart
        ("đương", True, ["t:3"]),
        ("do", False, ["t:3"]),  # "đô" and "đò"
        ("hoa giai", False, ["t:4", "t:5"]),
        ("hoà giải", True, ["t:4", "t:5"]),  # old and new tone-mark placement match each other
        ("hòa giải", True, ["t:4", "t:5"]),
        ("hoa giai", True, []),  # --exact: no diacritics is not the same word
        ("dao tao", False, ["t:10"]),  # the eth folds as "đ" does
        ("đào tạo", True, ["t:10"]),
    ],
)
def test_matching_rules(index, query, exact, expected):
    assert sorted(keys(index.search(query, exact=exact))) == expected


@pytest.mark.parametrize("query", ["379/QĐ-UBND", "379/QD-UBND", "379 /QĐ-UBND", "379 / QD - UBND", "379/qđ-ubnd"])
def test_a_document_number_is_one_term_whatever_its_spacing_or_spelling(index, query):
    assert keys(index.search(query)) == ["t:6"]  # never the 1379/QĐ-UBND of t:7


def test_a_document_number_and_words_together(index):
    assert keys(index.search("379/QĐ-UBND gia dat")) == ["t:6"]
    assert keys(index.search("379/QĐ-UBND quy hoach")) == []


def test_filters_by_week_source_and_agency(index):
    assert keys(index.search("chay rung")) == ["t:8", "t:9"]  # the title match ranks first
    assert keys(index.search("chay rung", date_from=dt.date(2024, 1, 1))) == ["t:9"]
    assert keys(index.search("chay rung", date_to=dt.date(2019, 12, 31))) == ["t:8"]
    assert keys(index.search("chay rung", source="vanphong.langson.gov.vn")) == ["t:8"]
    assert keys(index.search("chay rung", agency="so nong nghiep")) == ["t:8"]
    assert keys(index.search("chay rung", agency="Sở Y tế")) == []


def test_the_snippet_is_the_published_text_with_the_match_marked(index):
    (result,) = index.search("dau tu")
    assert "«đầu tư»" in result.snippet and result.title == "Tuần một"
    (result,) = index.search("379 /QD-UBND")
    assert "«379/QĐ-UBND»" in result.snippet


def test_the_index_follows_the_archive_incrementally(index):
    changed = [dict(r) for r in RECORDS[1:]]
    changed[0] = {**changed[0], "text": "Sửa chữa cầu treo."}
    assert index.update(changed) == {"added": 0, "updated": 1, "removed": 1, "unchanged": len(RECORDS) - 2}
    assert keys(index.search("dau tu")) == [] and keys(index.search("cau treo")) == ["t:2"]


def test_folding_keeps_every_position():
    text = "Hoà giải, ĐƯỜNG tỉnh, Uỷ ban"
    assert len(fold_aligned(text)) == len(text) and fold_aligned(text) == "hoa giai, duong tinh, uy ban"


def test_a_crawl_leaves_the_index_to_search_which_prints_key_week_title_and_snippet(crawled, tmp_path):
    out = tmp_path / "copy"
    shutil.copytree(crawled, out)
    report = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["last_run"]
    assert not SearchIndex(out).exists() and "search_index" not in report  # a crawl does not index
    done = run_cli("search", "le hoi", "--out", str(out))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("1. Chỉ đạo, điều hành nổi bật") and "«lễ hội»" in done.stdout
    assert " · 20" in lines[1] and lines[1].strip().startswith(("langson:", "vanphong:"))
    assert SearchIndex(out).update() == {"added": 0, "updated": 0, "removed": 0, "unchanged": len(export(crawled))}


def test_search_rebuilds_a_deleted_index_and_says_when_nothing_matches(crawled, tmp_path):
    out = tmp_path / "copy"
    shutil.copytree(crawled, out)
    assert run_cli("search", "le hoi", "--out", str(out)).returncode == 0
    (out / "index" / "search.sqlite").unlink()
    rows = run_cli("search", "hop tac xa", "--out", str(out), "--json")
    assert rows.returncode == 0 and all(json.loads(line)["key"] for line in rows.stdout.splitlines())
    none = run_cli("search", "khong co chu nay dau", "--out", str(out))
    assert none.returncode == 1 and none.stdout == ""
    assert len(none.stderr.strip().splitlines()) == 1 and "no digest matches" in none.stderr


def test_an_unchanged_archive_is_not_read_again_and_a_changed_one_is(crawled, tmp_path, monkeypatch):
    from scraper.archive import Archive

    out = tmp_path / "copy"
    shutil.copytree(crawled, out)
    index = SearchIndex(out)
    index.update()

    def no_reading(self, path):
        raise AssertionError(f"read {path.name} again")

    monkeypatch.setattr(Archive, "read_partition", no_reading)
    assert index.update()["unchanged"] == len(export(crawled))
    partition = sorted((out / "digests").rglob("*.jsonl"))[0]
    partition.write_bytes(partition.read_bytes())  # same records, a new write
    os.utime(partition, ns=(1, 1))
    with pytest.raises(AssertionError, match="again"):
        index.update()


def test_an_update_reads_only_the_month_files_that_changed_and_follows_a_record_across_months(tmp_path, monkeypatch):
    from scraper.archive import Archive

    Archive(tmp_path).merge(RECORDS)
    index = SearchIndex(tmp_path)
    assert index.update()["added"] == len(RECORDS)
    read: list[str] = []
    original = Archive.read_partition
    monkeypatch.setattr(Archive, "read_partition", lambda self, path: read.append(path.name) or original(self, path))
    moved = {**RECORDS[1], "week_start": "2024-12-02", "week_end": "2024-12-08", "text": "Cầu treo mới."}
    Archive(tmp_path).merge([moved])  # from March's month file to December's
    read.clear()
    assert index.update() == {"added": 0, "updated": 1, "removed": 0, "unchanged": len(RECORDS) - 1}
    assert sorted(read) == ["2024-03.jsonl", "2024-12.jsonl"]
    assert keys(index.search("cau treo")) == ["t:2"] and keys(index.search("duong tinh")) == []
    read.clear()
    assert index.update()["unchanged"] == len(RECORDS) and read == []


def test_a_search_that_must_index_many_month_files_says_so_once(tmp_path):
    from scraper.archive import Archive

    weeks = [(f"{2020 + m // 12}-{m % 12 + 1:02d}-06", f"{2020 + m // 12}-{m % 12 + 1:02d}-12") for m in range(30)]
    Archive(tmp_path).merge(
        record(f"t:{n}", f"Tuần {n}", "Thu hút đầu tư vào khu kinh tế.", week=week) for n, week in enumerate(weeks)
    )
    first = run_cli("search", "dau tu", "--out", str(tmp_path), "--limit", "1")
    assert first.returncode == 0, first.stderr
    assert first.stderr.splitlines() == [
        "langson-archive search: indexing 30 month files changed since the last search"
    ]
    again = run_cli("search", "dau tu", "--out", str(tmp_path), "--limit", "1")
    assert again.returncode == 0 and again.stderr == "" and again.stdout == first.stdout
