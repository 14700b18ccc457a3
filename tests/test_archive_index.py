"""The archive's persistent index (``state/archive-index.sqlite``): a run reads only what changed.

Its answers are checked against a full scan of the partitions; its upkeep by counting the
partitions read. An idle rerun over a real crawl's archive is shown not to read a partition
by damaging one where only reading it could tell.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scraper.archive import Archive, fingerprint
from scraper.archive.index import INDEX_FILE
from scraper.crawl.lifecycle import prepare_archive, refresh_data_package
from scraper.records.package import PACKAGE_FILE, data_package_current, write_data_package
from tests.conftest import crawl_portal


def record(key, week=("2024-03-04", "2024-03-10"), text="Câu.", url=None, canonical=None, **extra):
    slug = key.split(":", 1)[1]
    return {
        "key": key, "title": "T", "source": "langson.gov.vn" if key.startswith("langson:") else "vanphong.langson.gov.vn",
        "url": url or f"http://mirror.test/tin/{slug}", "canonical_url": canonical or f"https://portal.test/{slug}",
        "week_start": week[0], "week_end": week[1], "published_at": f"{week[0]}T09:00:00+07:00", "text": text,
        "crawled_at": "2024-03-12T00:00:00+00:00", **extra,
    }  # fmt: skip


RECORDS = [
    record("langson:a"),
    record("langson:b", week=("2024-04-01", "2024-04-07")),
    record("vanphong:1", week=("2019-03-25", "2019-03-31"), url="http://mirror.test/vi/node/1"),
    record("vanphong:2", week=(None, None), published_at=None, canonical="https://portal.test/alias-2"),
    record("langson:c", week=("2024-03-18", "2024-03-24"), text="Khác."),
]


def full_scan(root: Path) -> tuple[dict, dict]:
    """What the index must answer, read the slow way: every partition, in order."""
    entries, paths = {}, {}
    archive = Archive(root)
    for path in archive.partitions():
        part = path.relative_to(root).as_posix()
        for rec in archive.read_partition(path):
            dates = {k: rec.get(k) for k in ("week_start", "week_end", "published_at")}
            entries[rec["key"]] = (part, rec.get("source") or "", urlsplit(rec.get("url") or "").path,
                                   rec.get("canonical_url") or "", dates, fingerprint(rec))  # fmt: skip
            for name in ("url", "canonical_url"):
                if rec.get(name):
                    paths[urlsplit(rec[name]).path] = rec["key"]
    return entries, paths


def answers(index) -> tuple[dict, dict]:
    entries = {key: (e.partition, e.source, e.url_path, e.canonical_url, e.dates, e.fingerprint)
               for key, e in index.entries.items()}  # fmt: skip
    return entries, dict(index.paths.items())


def assert_same_as_scan(index, root: Path) -> None:
    entries, paths = full_scan(root)
    assert answers(index) == (entries, paths)
    assert set(index.keys()) == set(entries) and len(index.keys()) == len(entries)
    for key, expected in entries.items():  # lookups one by one, as the spider and the merge make them
        assert key in index.keys() and key in index.entries
        assert index.entries[key].fingerprint == expected[5]
    for path, key in paths.items():
        assert index.paths.get(path) == key
    assert "langson:nope" not in index.keys() and index.entries.get("langson:nope") is None
    assert index.paths.get("/nope") is None


@pytest.fixture
def reads(monkeypatch):
    """The partitions read (by name) from now on."""
    seen: list[str] = []
    original = Archive.read_partition

    def spy(self, path):
        seen.append(Path(path).name)
        return original(self, path)

    monkeypatch.setattr(Archive, "read_partition", spy)
    return seen


def test_the_index_answers_as_a_full_scan_and_is_kept_in_state(tmp_path, reads):
    Archive(tmp_path).merge(RECORDS)
    index = Archive(tmp_path).index()
    assert (tmp_path / INDEX_FILE).is_file()
    assert_same_as_scan(index, tmp_path)
    assert index.paths.get("/vi/node/1") == "vanphong:1" and index.paths.get("/alias-2") == "vanphong:2"
    assert index.has_source("vanphong") and not index.has_source("van")
    reads.clear()
    again = Archive(tmp_path).index()  # nothing changed: nothing is read, the answers are the same
    assert reads == []
    assert_same_as_scan(again, tmp_path)


def test_a_partition_changed_behind_the_index_is_read_again(tmp_path, reads):
    store = Archive(tmp_path)
    store.merge(RECORDS)
    store.index().close()
    march = tmp_path / "digests" / "2024" / "2024-03.jsonl"
    lines = march.read_text(encoding="utf-8").splitlines()
    edited = [line.replace('"Câu."', '"Câu đã sửa tay."') for line in lines]
    edited.append(json.dumps(record("langson:new", text="Mới"), ensure_ascii=False))
    march.write_text("\n".join(edited) + "\n", encoding="utf-8")  # edited in place: same inode
    (tmp_path / "digests" / "2019" / "2019-03.jsonl").unlink()
    reads.clear()
    index = store.index()
    assert reads == ["2024-03.jsonl"]  # the others kept their stamps
    assert "langson:new" in index.keys() and "vanphong:1" not in index.keys()
    assert index.paths.get("/vi/node/1") is None
    assert_same_as_scan(index, tmp_path)


def test_a_partition_edited_to_the_same_size_is_read_again(tmp_path, reads):
    store = Archive(tmp_path)
    store.merge(RECORDS)
    store.index().close()
    april = tmp_path / "digests" / "2024" / "2024-04.jsonl"
    text = april.read_text(encoding="utf-8")
    april.write_text(text.replace('"T"', '"X"'), encoding="utf-8")  # one byte, same length
    reads.clear()
    index = store.index()
    assert reads == ["2024-04.jsonl"]
    assert_same_as_scan(index, tmp_path)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty tables"])
def test_a_damaged_index_is_rebuilt_with_a_warning(tmp_path, capsys, damage):
    store = Archive(tmp_path)
    store.merge(RECORDS)
    store.index().close()
    path = tmp_path / INDEX_FILE
    if damage == "garbage":
        path.write_bytes(b"this is not a database at all" * 200)
    elif damage == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[:100] + b"\0" * (len(data) - 100))  # the header survives, the pages do not
    else:
        db = sqlite3.connect(path)
        db.executescript("DROP TABLE entries; CREATE TABLE entries (junk TEXT);")
        db.close()
    capsys.readouterr()
    index = store.index()
    assert "warning" in capsys.readouterr().err
    assert_same_as_scan(index, tmp_path)
    index.close()
    again = store.index()  # the file is good again: no warning the next time
    assert capsys.readouterr().err == ""
    assert_same_as_scan(again, tmp_path)


def test_a_missing_or_older_index_is_rebuilt_quietly(tmp_path, capsys, reads):
    store = Archive(tmp_path)
    store.merge(RECORDS)
    store.index().close()
    db = sqlite3.connect(tmp_path / INDEX_FILE)
    db.execute("UPDATE meta SET value = '0' WHERE name = 'format'")
    db.commit()
    db.close()
    reads.clear()
    index = store.index()
    assert sorted(reads) == sorted(p.name for p in store.partitions())  # every partition read again
    assert_same_as_scan(index, tmp_path)
    index.close()
    (tmp_path / INDEX_FILE).unlink()
    assert_same_as_scan(store.index(), tmp_path)
    assert capsys.readouterr().err == ""


def test_an_index_that_cannot_be_written_is_built_in_memory(tmp_path, capsys):
    Archive(tmp_path).merge(RECORDS)
    (tmp_path / "state").mkdir()
    (tmp_path / INDEX_FILE).mkdir()  # a folder where the file should be
    index = Archive(tmp_path).index()
    assert "warning" in capsys.readouterr().err
    assert_same_as_scan(index, tmp_path)


def test_merge_keeps_the_index_current_so_the_next_run_reads_nothing(tmp_path, reads):
    store = Archive(tmp_path)
    store.merge(RECORDS)
    index = store.index()
    result = store.merge(
        [
            record("langson:a", text="Câu đã sửa."),  # changed in place
            record("langson:b", week=("2024-05-06", "2024-05-12")),  # moved to May: April is emptied
            record("langson:n", week=("2024-03-11", "2024-03-17"), canonical="https://portal.test/new-alias"),
            record("langson:c", week=("2024-03-18", "2024-03-24"), text="Khác."),  # unchanged
        ],
        index=index,
    )
    assert result.new == ["langson:n"] and sorted(result.updated) == ["langson:a", "langson:b"]
    assert result.unchanged == ["langson:c"]
    assert not (tmp_path / "digests" / "2024" / "2024-04.jsonl").exists()
    assert_same_as_scan(index, tmp_path)  # the run's own index, right after its merge
    assert index.entries["langson:b"].partition == "digests/2024/2024-05.jsonl"
    assert index.paths.get("/new-alias") == "langson:n"
    reads.clear()
    again = Archive(tmp_path).index()
    assert reads == []
    assert_same_as_scan(again, tmp_path)


def test_a_merge_takes_the_fingerprints_its_records_were_prepared_with(tmp_path, monkeypatch):
    from scraper.archive import index as index_module
    from scraper.archive import store as store_module

    store = Archive(tmp_path)
    store.merge(RECORDS)
    index = store.index()
    incoming = [record("langson:n", week=("2024-03-11", "2024-03-17")), record("langson:a", text="Câu đã sửa.")]
    given = [fingerprint(r) for r in incoming]  # as the crawl's parser worker computes them
    computed: list[str] = []

    def counted(r):
        computed.append(r["key"])
        return fingerprint(r)

    monkeypatch.setattr(store_module, "fingerprint", counted)
    monkeypatch.setattr(index_module, "fingerprint", counted)
    result = store.merge(incoming, index=index, fingerprints=given)
    assert result.new == ["langson:n"] and result.updated == ["langson:a"]
    assert "langson:n" not in computed and "langson:a" not in computed  # neither on the merge nor in the index
    assert_same_as_scan(index, tmp_path)  # and the index holds what a scan computes


def test_a_merge_of_nothing_reads_nothing(tmp_path, reads):
    store = Archive(tmp_path)
    store.merge(RECORDS)
    index = store.index()
    reads.clear()
    result = store.merge([], index=index)
    again = store.merge([record("langson:a")], index=index)  # re-extracted unchanged: known by its fingerprint
    assert reads == [] and result.files_written == [] and again.unchanged == ["langson:a"]


def test_an_unreadable_partition_still_stops_the_run(tmp_path):
    store = Archive(tmp_path)
    store.merge(RECORDS)
    store.index().close()
    march = tmp_path / "digests" / "2024" / "2024-03.jsonl"
    march.write_text(march.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    from scraper.archive import ArchiveError

    with pytest.raises(ArchiveError, match="2024-03.jsonl:3: not valid JSON"):
        store.index()
    with pytest.raises(ArchiveError):  # and again: its old stamp was kept, so it is read again
        store.index()


def test_an_idle_rerun_reads_no_partition(portal, tmp_path, reads):
    out = tmp_path / "out"
    first = crawl_portal(portal, out)
    assert first.returncode == 0, first.stderr
    assert (out / INDEX_FILE).is_file()  # built by the first run, kept current by its merge
    # The run's local work, in this process: no partition is read.
    reads.clear()
    index = prepare_archive(out)
    assert Archive(out).merge([], index=index).files_written == []
    refresh_data_package(out, changed=False)
    Archive(out).write_manifest()
    assert reads == []
    assert data_package_current(out)  # and so not written again
    index.close()
    # The real command: a partition damaged where only reading it could tell (same size, inode
    # and modification time) does not stop an idle rerun, which never reads it.
    part = sorted((out / "digests").rglob("*.jsonl"))[0]
    stat = part.stat()
    data = part.read_bytes()
    with part.open("r+b") as handle:
        handle.write(b"#" + data[1:2])  # the first line is no longer JSON
    os.utime(part, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (part.stat().st_size, part.stat().st_ino, part.stat().st_mtime_ns) == (stat.st_size, stat.st_ino,
                                                                                   stat.st_mtime_ns)  # fmt: skip
    rerun = crawl_portal(portal, out)
    assert rerun.returncode == 0, rerun.stderr
    assert "ok (nothing new)" in rerun.stdout
    # the same damage where the stamp shows a change: the rerun reads the partition and stops
    os.utime(part, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    stopped = crawl_portal(portal, out)
    assert stopped.returncode == 1 and "not valid JSON" in stopped.stderr


def test_an_idle_run_keeps_a_current_data_package_and_rewrites_a_stale_one(tmp_path):
    store = Archive(tmp_path)
    store.merge(RECORDS)
    write_data_package(tmp_path)
    package = tmp_path / PACKAGE_FILE
    assert data_package_current(tmp_path)
    written = package.stat().st_mtime_ns
    refresh_data_package(tmp_path, changed=False)
    assert package.stat().st_mtime_ns == written  # nothing changed: not written again
    store.merge([record("langson:z", week=("2023-01-02", "2023-01-08"))])  # a new month file
    assert not data_package_current(tmp_path)
    refresh_data_package(tmp_path, changed=False)
    names = [r["path"] for r in json.loads(package.read_text(encoding="utf-8"))["resources"]]
    assert "digests/2023/2023-01.jsonl" in names and data_package_current(tmp_path)
    package.write_text(package.read_text(encoding="utf-8").replace("written by langson-archive", "by an older"),
                       encoding="utf-8")  # fmt: skip
    assert not data_package_current(tmp_path)  # another version wrote it
