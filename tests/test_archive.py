import json
import os

import pytest

from scraper.archive import Archive, ArchiveError, overlaps, partition_for
from scraper.archive import files as archive_mod
from scraper.archive import store as archive_store


def record(key="langson:a", week=("2024-03-04", "2024-03-10"), text="Câu.", **extra):
    base = {
        "key": key, "title": "T", "week_start": week[0], "week_end": week[1],
        "published_at": "2024-03-11T09:00:00+07:00", "text": text,
        "content_hash": f"sha256:{hash(text) & 0xFFFF:064x}", "crawled_at": "2024-03-12T00:00:00+00:00",
    }  # fmt: skip
    return {**base, **extra}


def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_partitions_by_week_start_then_publication_day():
    assert partition_for(record()) == "digests/2024/2024-03.jsonl"
    assert partition_for(record(week=(None, None))) == "digests/2024/2024-03.jsonl"
    assert partition_for(record(week=(None, None), published_at=None)) == "digests/undated.jsonl"
    # a week from 30/12 to 05/01 is filed under the December it starts in
    assert partition_for(record(week=("2024-12-30", "2025-01-05"))) == "digests/2024/2024-12.jsonl"


def test_merge_new_unchanged_updated(tmp_path):
    store = Archive(tmp_path)
    first = store.merge([record(), record("vanphong:1", ("2019-03-25", "2019-03-31"))])
    assert sorted(first.new) == ["langson:a", "vanphong:1"]
    assert sorted(first.files_written) == ["digests/2019/2019-03.jsonl", "digests/2024/2024-03.jsonl"]

    again = store.merge([record()])
    assert again.unchanged == ["langson:a"] and again.files_written == []

    changed = store.merge([record(text="Câu đã sửa.", crawled_at="2024-04-01T00:00:00+00:00")])
    assert changed.updated == ["langson:a"]
    (stored,) = lines(tmp_path / "digests/2024/2024-03.jsonl")
    assert stored["text"] == "Câu đã sửa."
    assert stored["revision"] == 2
    assert stored["previous_content_hash"] == record()["content_hash"]
    assert stored["first_seen_at"] == "2024-03-12T00:00:00+00:00"
    assert len(list(store.iter_records())) == 2


def test_record_moves_partition_when_its_week_changes(tmp_path):
    store = Archive(tmp_path)
    store.merge([record(week=(None, None), published_at=None)])
    store.merge([record(text="new")])
    assert not (tmp_path / "digests/undated.jsonl").exists()
    assert [r["key"] for r in store.iter_records()] == ["langson:a"]


def test_archive_is_utf8_not_escaped(tmp_path):
    Archive(tmp_path).merge([record(text="Quyết định số 379/QĐ-UBND")])
    raw = (tmp_path / "digests/2024/2024-03.jsonl").read_text(encoding="utf-8")
    assert "Quyết định số 379/QĐ-UBND" in raw and "\\u" not in raw


def test_one_archive_line_is_one_record_for_any_line_splitter(tmp_path):
    """U+2028, U+2029 and U+0085 are left raw by JSON; str.splitlines() (and old JavaScript) break at them."""
    value = "Quyết định\u2028số\u2029379\x85/QĐ-UBND"
    Archive(tmp_path).merge([record(title=value)])
    raw = (tmp_path / "digests/2024/2024-03.jsonl").read_text(encoding="utf-8")
    assert len(raw.splitlines()) == 1 and "Quyết định" in raw
    assert json.loads(raw.splitlines()[0])["title"] == value  # the value itself is as given


def test_crash_between_temp_write_and_rename_keeps_previous_file(tmp_path, monkeypatch):
    store = Archive(tmp_path)
    store.merge([record()])
    path = tmp_path / "digests/2024/2024-03.jsonl"
    before = path.read_bytes()

    def crash(src, dst):
        raise OSError("simulated crash before rename")

    monkeypatch.setattr(archive_mod.os, "replace", crash)
    with pytest.raises(OSError):
        store.merge([record(text="changed")])
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left behind


def test_corrupt_line_is_reported_with_file_and_line_and_nothing_is_rewritten(tmp_path):
    store = Archive(tmp_path)
    store.merge([record(), record("langson:b")])
    path = tmp_path / "digests/2024/2024-03.jsonl"
    good = path.read_text(encoding="utf-8").splitlines()
    path.write_text(good[0] + "\n{not json\n" + good[1] + "\n", encoding="utf-8")
    damaged = path.read_bytes()
    with pytest.raises(ArchiveError, match=r"2024-03\.jsonl:2: not valid JSON"):
        store.merge([record("langson:c")])
    assert path.read_bytes() == damaged


@pytest.mark.parametrize(
    ("week", "date_from", "date_to", "expected"),
    [
        (("2024-03-04", "2024-03-10"), "2024-03-10", None, True),  # overlaps on its last day
        (("2024-03-04", "2024-03-10"), "2024-03-11", None, False),
        (("2024-03-04", "2024-03-10"), None, "2024-03-04", True),
        (("2024-03-04", "2024-03-10"), None, "2024-03-03", False),
        (("2024-12-30", "2025-01-05"), "2025-01-01", "2025-01-31", True),
        ((None, None), "2024-03-11", "2024-03-11", True),  # placed by its publication day
    ],
)
def test_overlaps(week, date_from, date_to, expected):
    import datetime as dt

    as_date = lambda s: dt.date.fromisoformat(s) if s else None  # noqa: E731
    assert overlaps(record(week=week), as_date(date_from), as_date(date_to)) is expected


def test_write_atomic_creates_parents(tmp_path):
    target = tmp_path / "a" / "b" / "c.jsonl"
    archive_mod.write_atomic(target, b"x\n")
    mask = os.umask(0)
    os.umask(mask)
    assert target.read_bytes() == b"x\n"
    assert os.stat(target).st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.parametrize(
    "week_start", ["../../../etc/2024-03-04", "2024/../../x", "/tmp/2024-03-04", "2024-03-04\n", "20240304"]
)
def test_nothing_from_a_record_can_write_outside_the_archive(tmp_path, week_start):
    rec = record(week=(week_start, "2024-03-10"), published_at="../../evil")
    assert partition_for(rec) == "digests/undated.jsonl"
    Archive(tmp_path / "a").merge([rec])
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written and all(p.is_relative_to(tmp_path / "a") for p in written)


def test_export_streams_one_partition_at_a_time_in_global_order(tmp_path, monkeypatch):
    store = Archive(tmp_path)
    records = [
        record("langson:z", week=("2024-03-25", "2024-03-31")),
        record("langson:b", week=("2024-03-04", "2024-03-10")),
        record("langson:a", week=("2024-03-04", "2024-03-10")),
        record("vanphong:9", week=("2019-12-30", "2020-01-05")),
        record("langson:u", week=(None, None), published_at=None),
        record("langson:p", week=(None, None), published_at="2024-03-05T08:00:00+07:00"),
    ]
    store.merge(records)
    reads = []
    original = Archive.read_partition
    monkeypatch.setattr(Archive, "read_partition", lambda self, path: reads.append(path.name) or original(self, path))
    stream = store.iter_partitions()
    first = next(stream)
    assert [r["key"] for r in first] == ["langson:u"] and reads == ["undated.jsonl"]  # nothing else read yet
    keys = [r["key"] for r in first] + [r["key"] for part in stream for r in part]
    assert keys == [r["key"] for r in sorted(records, key=archive_store.export_order)]
    assert keys == ["langson:u", "vanphong:9", "langson:a", "langson:b", "langson:p", "langson:z"]


def test_merge_keeps_only_the_replaced_records_not_the_archive(tmp_path, monkeypatch):
    store = Archive(tmp_path)
    store.merge([record(f"langson:{n}", week=(f"2024-{m:02d}-04", f"2024-{m:02d}-10")) for n, m in
                 zip("abcdef", range(1, 7), strict=True)])  # fmt: skip
    scans = []
    original = Archive._scan

    def spy(self, wanted):
        where, held = original(self, wanted)
        scans.append((len(where), sorted(held)))
        return where, held

    monkeypatch.setattr(Archive, "_scan", spy)
    result = store.merge([record("langson:c", week=("2024-03-04", "2024-03-10"), text="sửa"), record("langson:n")])
    assert scans == [(6, ["langson:c"])]  # an index of six keys, one whole record kept
    assert result.updated == ["langson:c"] and result.new == ["langson:n"]
    assert result.files_written == ["digests/2024/2024-03.jsonl"]
    assert len(list(store.iter_records())) == 7


def test_moving_a_record_to_another_week_relinks_both_partitions(tmp_path):
    def both(key, source, week, **extra):
        return record(key, week=week, source=source, canonical_url=f"https://{source}/{key}",
                      digest_key=f"{week[0]}/{week[1]}", also_published_at=[], **extra)  # fmt: skip

    store = Archive(tmp_path)
    march, april = ("2024-03-04", "2024-03-10"), ("2024-04-01", "2024-04-07")
    store.merge([both("langson:a", "langson.gov.vn", march), both("vanphong:1", "vanphong.langson.gov.vn", march),
                 both("vanphong:2", "vanphong.langson.gov.vn", april)])  # fmt: skip
    linked = {r["key"]: r["also_published_at"] for r in store.iter_records()}
    assert linked == {"langson:a": ["https://vanphong.langson.gov.vn/vanphong:1"],
                      "vanphong:1": ["https://langson.gov.vn/langson:a"], "vanphong:2": []}  # fmt: skip
    # a better extractor reads langson:a's week as April's: it moves, and the links follow
    result = store.merge([both("langson:a", "langson.gov.vn", april, text="x")])
    assert result.files_written == ["digests/2024/2024-03.jsonl", "digests/2024/2024-04.jsonl"]
    linked = {r["key"]: r["also_published_at"] for r in store.iter_records()}
    assert linked == {"vanphong:1": [], "langson:a": ["https://vanphong.langson.gov.vn/vanphong:2"],
                      "vanphong:2": ["https://langson.gov.vn/langson:a"]}  # fmt: skip
