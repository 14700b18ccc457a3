"""The dated JSON Lines archive on disk.

Layout under the archive root (``--out``)::

    digests/2024/2024-03.jsonl   records whose week starts in March 2024
    digests/undated.jsonl        records with no readable week and no publication date

One record per digest (by ``key``), UTF-8, not ASCII-escaped, one JSON object per line,
sorted by week then key. Files are replaced atomically (temp file, fsync, rename), so a
crash leaves either the old file or the new one, never half of one. An existing line that
is not valid JSON stops the run with its file and line number: nothing is rewritten over
data the program cannot read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import signal
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scraper.archive.files import fsync_dir, stage, write_atomic
from scraper.archive.index import INDEX_FILE, ArchiveIndex, extracted, fingerprint, remove_index, stamp_of, warn

RECORDS_DIR = "digests"
MIN_YEAR, MAX_YEAR = 1900, 2199  # the years a record's dates may name (loosely: catches 0001 and 9999)
CAPTURES_DIR = "captures"  # the runs' WARC files (scraper/archive/captures.py writes them)
OPEN_SUFFIX = ".open"  # of a capture file while its run is writing it
MANIFEST = "manifest.json"


def capture_files(archive_root: str | os.PathLike[str]) -> list[Path]:
    """Every WARC file of the archive, oldest run first (names start with the run's time)."""
    root = Path(archive_root) / CAPTURES_DIR
    if not root.is_dir():
        return []
    files = [p for p in root.rglob("*") if p.name.endswith((".warc.gz", ".warc.gz" + OPEN_SUFFIX, ".warc"))]
    return sorted(files, key=lambda p: p.name)


class ArchiveError(Exception):
    """The archive cannot be read or written; the message is one line for the user."""


@dataclass
class MergeResult:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    files_written: list[str] = field(default_factory=list)


_DAY_FIELDS = ("week_start", "week_end", "published_at", "crawled_at", "gone_since")


def _wrong_shape(record: dict[str, Any]) -> str | None:
    """What makes a JSON object unusable as a record by the archive's own code (None when usable).

    The full schema is ``validate``'s job; this is what reading, filing and merging rely on.
    """
    if not isinstance(record["key"], str):
        return "key is not a string"
    for name in ("url", "canonical_url", "source", "title"):
        if name in record and not isinstance(record[name], str):
            return f"{name} is not a string"
    for name in _DAY_FIELDS:
        value = record.get(name)
        if value is not None and not (isinstance(value, str) and _ISO_DAY.match(value)):
            return f"{name} is not an ISO date"
        if isinstance(value, str) and not MIN_YEAR <= int(value[:4]) <= MAX_YEAR:
            return f"{name} {value[:10]} is out of the years {MIN_YEAR}-{MAX_YEAR}"
    return None


def record_day(record: dict[str, Any]) -> str | None:
    """The date a record is filed under: its week's start, else its publication day."""
    if record.get("week_start"):
        return record["week_start"]
    published = record.get("published_at")
    return published[:10] if isinstance(published, str) and len(published) >= 10 else None


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def partition_for(record: dict[str, Any]) -> str:
    """The archive file a record belongs in; only a well-formed date ever becomes a path."""
    day = record_day(record)
    if not day or not _ISO_DAY.fullmatch(day):
        return f"{RECORDS_DIR}/undated.jsonl"
    return f"{RECORDS_DIR}/{day[:4]}/{day[:7]}.jsonl"


def overlaps(record: dict[str, Any], date_from: dt.date | None, date_to: dt.date | None) -> bool:
    """Whether a record's week overlaps [date_from, date_to] (open ends allowed).

    A record without a readable week is placed by its publication day.
    """
    if date_from is None and date_to is None:
        return True
    start = record.get("week_start") or record_day(record)
    if not start:
        return False
    end = record.get("week_end") or start
    if date_from and end < date_from.isoformat():
        return False
    if date_to and start > date_to.isoformat():
        return False
    return True


def export_order(record: dict[str, Any]) -> tuple[str, str]:
    """The order of records in a partition file and in ``export``: by week (else publication time), then key."""
    return (record.get("week_start") or record.get("published_at") or "", record.get("key") or "")


# Characters str.splitlines() (and older JavaScript) breaks a line at that JSON leaves raw: escaped,
# so one archive line is one record for any reader.
_LINE_BREAKERS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def dumps(record: dict[str, Any]) -> str:
    text = json.dumps(record, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    return text.translate(_LINE_BREAKERS) if "\u2028" in text or "\u2029" in text or "\x85" in text else text


_PARTITION = re.compile(rf"{RECORDS_DIR}/(?:undated|\d{{4}}/\d{{4}}-\d{{2}})\.jsonl")
_STAGED = re.compile(r"\.[\w.-]+\.tmp")
JOURNAL = ".commit.json"  # in the archive root while a multi-file change is being put in place
RW_LOCK = ".readers.lock"  # readers hold it shared, a commit exclusive: a reader sees a change whole
_FAULT = os.environ.get("LANGSON_ARCHIVE_FAULT", "")  # test hooks: "kill-mid-commit", "pause-mid-commit"


class Archive:
    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)

    @contextlib.contextmanager
    def _rw_lock(self, mode: int) -> Iterator[None]:
        if not self.root.is_dir():
            yield
            return
        try:
            handle = (self.root / RW_LOCK).open("a")
        except OSError:  # a read-only archive: nobody can be writing it
            yield
            return
        with handle:
            fcntl.flock(handle.fileno(), mode)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    @contextlib.contextmanager
    def reading(self) -> Iterator[Archive]:
        """Hold the archive still while reading it: a commit in progress is waited for, one a
        killed process left half done is completed first."""
        if (self.root / JOURNAL).exists():
            try:
                with self._rw_lock(fcntl.LOCK_EX):
                    self.recover()
            except OSError:
                pass  # not ours to repair (read-only): read what is there
        with self._rw_lock(fcntl.LOCK_SH):
            yield self

    def recover(self) -> bool:
        """Complete a multi-file change a killed process left half done (its journal says which).

        Every new file was on disk before the journal was written, so the change is rolled
        forward: the archive holds either the whole change or none of it. True when there was one.
        """
        journal = self.root / JOURNAL
        if not journal.exists():
            return False
        try:
            entries = json.loads(journal.read_text(encoding="utf-8"))["replace"]
            steps = [(str(final), staged) for final, staged in entries]
        except (OSError, ValueError, KeyError, TypeError):
            raise ArchiveError(
                f"{journal}: unreadable commit journal; move it away to read the archive as it is"
            ) from None
        for final, staged in steps:  # only partition files and their staged copies, never a path elsewhere
            ok = _PARTITION.fullmatch(final) and (staged is None or (
                isinstance(staged, str) and Path(staged).parent == Path(final).parent
                and _STAGED.fullmatch(Path(staged).name)))  # fmt: skip
            if not ok:
                raise ArchiveError(f"{journal}: names {final!r}, not a partition of this archive")
        for final, staged in steps:
            target = self.root / final
            if staged is None:
                target.unlink(missing_ok=True)
            elif (self.root / staged).exists():
                os.replace(self.root / staged, target)
        for folder in {(self.root / final).parent for final, _ in steps}:
            fsync_dir(folder)
        self.write_manifest()
        journal.unlink()
        return True

    def _commit(self, staged: list[tuple[str, str | None]]) -> None:
        """Put staged files in place (None: remove the file) as one change.

        A journal names every step before the first one is taken: a process killed part-way is
        completed by :meth:`recover` (run by the next writer or reader). Readers wait meanwhile.
        The manifest is part of the change, so its checksums always match the files.
        """
        write_atomic(self.root / JOURNAL, json.dumps({"replace": staged}).encode("utf-8"))
        with self._rw_lock(fcntl.LOCK_EX):
            for number, (final, tmp) in enumerate(staged):
                if tmp is None:
                    (self.root / final).unlink(missing_ok=True)
                else:
                    os.replace(self.root / tmp, self.root / final)
                if number == 0 and len(staged) > 1 and _FAULT in ("kill-mid-commit", "pause-mid-commit"):
                    if _FAULT == "kill-mid-commit":
                        os.kill(os.getpid(), signal.SIGKILL)
                    time.sleep(2.0)  # a reader started now must wait, then see the change whole
            for folder in {(self.root / final).parent for final, _ in staged}:
                fsync_dir(folder)
            self.write_manifest()
            (self.root / JOURNAL).unlink()

    @property
    def records_dir(self) -> Path:
        return self.root / RECORDS_DIR

    def partitions(self) -> list[Path]:
        if not self.records_dir.is_dir():
            return []
        return sorted(p for p in self.records_dir.rglob("*.jsonl") if not p.name.startswith("."))

    def read_partition(self, path: Path) -> list[dict[str, Any]]:
        records = []
        try:
            with path.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if not line.strip():
                        continue
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise ArchiveError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
                    if not isinstance(record, dict) or not record.get("key"):
                        raise ArchiveError(f"{path}:{number}: not an archive record")
                    wrong = _wrong_shape(record)
                    if wrong:
                        raise ArchiveError(f"{path}:{number}: not an archive record ({wrong})")
                    records.append(record)
        except UnicodeDecodeError as exc:
            raise ArchiveError(f"{path}: not UTF-8 ({exc.reason})") from None
        except OSError as exc:
            raise ArchiveError(f"{path}: {exc.strerror}") from None
        return records

    def iter_records(self) -> Iterator[dict[str, Any]]:
        """Every record, one partition in memory at a time (no commit is put in place meanwhile)."""
        with self.reading():
            for path in self.partitions():
                yield from self.read_partition(path)

    def iter_partitions(self) -> Iterator[list[dict[str, Any]]]:
        """Each partition's records in export order: undated first, then by week and key.

        Memory stays at one partition, whatever the size of the archive.
        """
        with self.reading():  # a record moving between months is seen once, not 0 or 2 times
            paths = self.partitions()
            paths.sort(key=lambda p: (p.name != "undated.jsonl", p.as_posix()))
            for path in paths:
                yield sorted(self.read_partition(path), key=export_order)

    def _scan(self, wanted: set[str]) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
        """One pass over the archive: each key's partition, and the whole record of the ``wanted`` keys."""
        where: dict[str, str] = {}
        records: dict[str, dict[str, Any]] = {}
        with self.reading():
            for path in self.partitions():
                rel = path.relative_to(self.root).as_posix()
                for record in self.read_partition(path):
                    key = record["key"]
                    where[key] = rel
                    if key in wanted:
                        records[key] = record
        return where, records

    def remove_stale_temporaries(self) -> list[Path]:
        """Delete the temporary files a killed run left behind (only called under the run lock)."""
        removed = []
        for tmp in self.root.rglob(".*.tmp") if self.root.is_dir() else ():
            try:
                tmp.unlink()
                removed.append(tmp)
            except OSError:
                continue
        return removed

    def index(self) -> ArchiveIndex:
        """What a run needs to know of every archived record: the index kept in ``state/``, brought up to date.

        Only the partitions changed since the index last saw them are read (see
        :mod:`scraper.archive.index`); an index that cannot be used is rebuilt, in memory
        for this run when it cannot be written. An unreadable partition raises ArchiveError.
        """
        path = self.root / INDEX_FILE
        index = ArchiveIndex.open(path) if self.root.is_dir() else ArchiveIndex()  # no archive: nothing kept
        try:
            self.update_index(index)
        except sqlite3.Error as exc:  # damaged in a way opening it did not show, or no room to write it
            index.close()
            warn(f"{path}: the archive's index cannot be used ({exc}); reading the archive instead")
            remove_index(path)  # the next run builds it again
            index = ArchiveIndex()
            self.update_index(index)
        index.reload = self.update_index
        return index

    def update_index(self, index: ArchiveIndex) -> None:
        """Bring ``index`` up to date: read again the partitions whose stamp changed, forget removed ones.

        The stamp is taken before the file is read: a change made meanwhile is seen by the next run.
        """
        error: ArchiveError | None = None
        with self.reading():
            known = index.stamps()
            current = {p.relative_to(self.root).as_posix(): stamp_of(p) for p in self.partitions()}
            with index.batch():
                for part in sorted(known.keys() - current.keys()):
                    index.drop_partition(part)
                for part, stamp in sorted(current.items()):
                    if known.get(part) == stamp:
                        continue
                    try:
                        records = self.read_partition(self.root / part)
                    except ArchiveError as exc:  # what was read so far is kept; the run stops
                        error = exc
                        break
                    index.replace_partition(part, records, stamp)
        if error is not None:
            raise error

    def known_paths(self) -> dict[str, str]:
        """URL path -> key for every archived digest, by the URL fetched and the canonical one.

        A listing that links a digest by a path alias (no key in the URL) is matched here,
        so a scheduled run does not fetch it again.
        """
        paths: dict[str, str] = {}
        for record in self.iter_records():
            for name in ("url", "canonical_url"):
                if isinstance(record.get(name), str):
                    paths[urlsplit(record[name]).path] = record["key"]
        return paths

    def _read_keys(self, parts: set[str], wanted: set[str]) -> dict[str, dict[str, Any]]:
        """The whole records of the ``wanted`` keys, read from the partitions that hold them."""
        records: dict[str, dict[str, Any]] = {}
        with self.reading():
            for part in sorted(parts):
                path = self.root / part
                for record in self.read_partition(path) if path.is_file() else []:
                    if record["key"] in wanted:
                        records[record["key"]] = record
        return records

    def merge(
        self,
        incoming: Iterable[dict[str, Any]],
        index: ArchiveIndex | None = None,
        fingerprints: Sequence[str | None] | None = None,
    ) -> MergeResult:
        """Add new records and replace changed ones; rewrite only the partitions touched.

        A record counts as changed when any extracted field differs (a better extractor
        changes records too); fetch details (``url``, ``crawled_at``) alone do not. When
        the page content itself changed, ``revision`` goes up by one and
        ``previous_content_hash`` names the version replaced; ``first_seen_at`` is kept.
        Digests of the same week on both portals are linked through ``also_published_at``.

        The archive is streamed: only the incoming records, the records they replace and
        one partition at a time are held in memory, plus each key's partition name (without
        ``index``; with it, each key's partition is a query to the index, which is kept current).
        ``fingerprints``, one per incoming record (None: not known), are those the crawl's
        parser worker computed, so the crawl's own process does not compute them again.
        """
        incoming = list(incoming)
        wanted = {record["key"] for record in incoming}
        same: set[str] = set()  # keys whose stored record the index shows to be the incoming one
        known: dict[str, str] = {}  # fingerprints, computed once, told to the index with the records
        where: MutableMapping[str, str]
        if index is None:
            where, stored = self._scan(wanted)
        else:  # the run's index says where each key is and what it holds: only changed ones are read again
            where = _Where(index)
            differ = set()
            for n, r in enumerate(incoming):
                entry = index.entries.get(r["key"])
                given = fingerprints[n] if fingerprints is not None and n < len(fingerprints) else None
                known[r["key"]] = given or fingerprint(r)  # of what was extracted: bookkeeping added below keeps it
                if entry is None or entry.fingerprint != known[r["key"]]:
                    differ.add(r["key"])
            same, changed = wanted - differ, differ
            stored = self._read_keys({where[k] for k in changed if k in where}, changed)
        result = MergeResult()
        replaced: dict[str, dict[str, Any]] = {}
        touched: set[str] = set()
        for record in incoming:
            key = record["key"]
            if key in same and key not in replaced:
                result.unchanged.append(key)
                continue
            old = replaced.get(key) or stored.get(key)
            part = partition_for(record)
            if old is None:
                record = {**record, "revision": 1, "previous_content_hash": None,
                          "first_seen_at": record.get("crawled_at")}  # fmt: skip
                result.new.append(key)
            elif extracted(old) == extracted(record):
                result.unchanged.append(key)
                continue
            else:
                content_changed = old.get("content_hash") != record.get("content_hash")
                revision = int(old.get("revision") or 1)
                record = {
                    **record,
                    "revision": revision + 1 if content_changed else revision,
                    "previous_content_hash": old.get("content_hash")
                    if content_changed
                    else old.get("previous_content_hash"),
                    "first_seen_at": old.get("first_seen_at") or old.get("crawled_at"),
                }
                result.updated.append(key)
                touched.add(where[key])
            replaced[key] = record
            where[key] = part
            touched.add(part)
        result.files_written = self._rewrite_partitions(touched, where, replaced, index, known)
        return result

    def _rewrite_partitions(
        self,
        parts: set[str],
        where: Mapping[str, str],
        replaced: dict[str, dict[str, Any]],
        index: ArchiveIndex | None = None,
        fingerprints: Mapping[str, str] | None = None,
    ) -> list[str]:
        """Rewrite each of ``parts``, one at a time, with the ``replaced`` records in place.

        A record whose key now lives elsewhere (its week changed) leaves the partition;
        an emptied partition is removed. Files are replaced atomically. The ``index``, when
        given, is told what each rewritten partition now holds (a second run reads none of them).
        """
        arriving: dict[str, list[dict[str, Any]]] = {}
        for key, record in replaced.items():
            arriving.setdefault(where[key], []).append(record)
        staged: list[tuple[str, str | None]] = []
        written: dict[str, list[dict[str, Any]]] = {}
        try:
            for part in sorted(parts):  # one partition in memory at a time, each staged on disk
                path = self.root / part
                # a record stays unless replaced or known to live elsewhere: a key an index missed is kept
                kept = [
                    r for r in (self.read_partition(path) if path.is_file() else [])
                    if where.get(r["key"], part) == part and r["key"] not in replaced
                ]  # fmt: skip
                records = sorted(kept + arriving.get(part, []), key=export_order)
                _link_across_sources(records)
                written[part] = records
                if records:
                    tmp = stage(path, "".join(dumps(r) + "\n" for r in records).encode("utf-8"))
                    staged.append((part, tmp.relative_to(self.root).as_posix()))
                elif path.exists():
                    staged.append((part, None))
            if staged:
                self._commit(staged)
        except BaseException:
            for _, staged_tmp in staged:
                if staged_tmp and (self.root / staged_tmp).exists() and not (self.root / JOURNAL).exists():
                    (self.root / staged_tmp).unlink()
            raise
        if index is not None and staged:
            self._reindex(index, written, fingerprints or {})
        return sorted(parts)

    def _reindex(
        self, index: ArchiveIndex, written: dict[str, list[dict[str, Any]]], fingerprints: Mapping[str, str]
    ) -> None:
        """Tell the run's index what the partitions just rewritten hold (with their new stamps)."""
        try:
            with index.batch():
                for part, records in written.items():
                    path = self.root / part
                    if records and path.is_file():
                        index.replace_partition(part, records, stamp_of(path), fingerprints)
                    else:
                        index.drop_partition(part)
        except (sqlite3.Error, OSError) as exc:  # the old stamps stay: the next run reads these partitions again
            warn(f"{self.root / INDEX_FILE}: the archive's index not updated ({exc}); the next run updates it")

    def mark_gone(self, gone: dict[str, str], day: str) -> list[str]:
        """Flag archived digests the site no longer serves (``gone_since``); never delete them."""
        where, stored = self._scan(set(gone))
        marked = [key for key in gone if key in stored and not stored[key].get("gone_since")]
        if marked:
            replaced = {key: {**stored[key], "gone_since": day} for key in marked}
            self._rewrite_partitions({where[key] for key in marked}, where, replaced)
            self.write_manifest()
        return marked

    def write_manifest(self, last_run: dict[str, Any] | None = None) -> dict[str, Any]:
        """``manifest.json``: each archive and capture file with its size and sha256, and the last run.

        Entries of files whose size and modification time did not change are reused, so
        the cost of a run does not grow with the size of the archive's history.
        """
        path = self.root / MANIFEST
        previous: dict[str, Any] = {}
        if path.is_file():
            try:
                previous = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                previous = {}
            if not isinstance(previous, dict):  # damaged: rebuilt from the files
                previous = {}
        listed = [*(previous.get("files") or []), *(previous.get("captures") or [])]
        entries = [f for f in listed if isinstance(f, dict)]
        known = {f["path"]: f for f in entries if isinstance(f.get("path"), str)}

        def describe(file: Path, count_records: bool) -> dict[str, Any]:
            rel = file.relative_to(self.root).as_posix()
            stat = file.stat()
            old = known.get(rel)
            if old and old.get("bytes") == stat.st_size and old.get("mtime_ns") == stat.st_mtime_ns:
                return old
            if file.name.endswith(OPEN_SUFFIX):  # a run is still writing it: its checksum comes when it closes
                return {"path": rel, "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns, "open": True}
            digest, lines = hashlib.sha256(), 0
            with file.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
                    lines += chunk.count(b"\n")
            entry: dict[str, Any] = {"path": rel, "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                                     "sha256": digest.hexdigest()}  # fmt: skip
            if count_records:
                entry["records"] = lines
            return entry

        from scraper import SCHEMA_VERSION

        files = [describe(p, True) for p in self.partitions()]
        manifest = {
            "manifest_version": 1,
            "schema_version": SCHEMA_VERSION,
            "updated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "records": sum(f["records"] for f in files),
            "files": files,
            "captures": [describe(p, False) for p in capture_files(self.root)],
            "last_run": last_run if last_run is not None else previous.get("last_run"),
        }
        write_atomic(path, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        return manifest


class _Where(MutableMapping[str, str]):
    """Each key's partition: the run's index, with the moves of this merge on top (nothing loaded whole)."""

    def __init__(self, index: ArchiveIndex):
        self._index = index
        self._moved: dict[str, str] = {}

    def __getitem__(self, key: str) -> str:
        if key in self._moved:
            return self._moved[key]
        entry = self._index.entries.get(key)
        if entry is None:
            raise KeyError(key)
        return str(entry.partition)

    def __setitem__(self, key: str, partition: str) -> None:
        self._moved[key] = partition

    def __delitem__(self, key: str) -> None:
        raise TypeError("the index's partitions are not removed through a merge")

    def __iter__(self) -> Iterator[str]:
        return iter(set(self._index.keys()) | set(self._moved))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _link_across_sources(records: list[dict[str, Any]]) -> None:
    """Set ``also_published_at`` on digests of one week published on both portals.

    Both copies of a week share its ``digest_key`` and so its partition (partitions go by
    week start): linking one partition's records, in place, is linking the archive's.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        if record.get("digest_key"):
            groups.setdefault(record["digest_key"], []).append(record)
    for number, record in enumerate(records):
        group = groups.get(record.get("digest_key") or "", [])
        others = sorted(r["canonical_url"] for r in group if r.get("source") != record.get("source"))
        if record.get("also_published_at", []) != others:
            records[number] = {**record, "also_published_at": others}
