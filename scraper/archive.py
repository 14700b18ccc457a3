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

import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RECORDS_DIR = "digests"


class ArchiveError(Exception):
    """The archive cannot be read or written; the message is one line for the user."""


@dataclass
class MergeResult:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    files_written: list[str] = field(default_factory=list)


def record_day(record: dict[str, Any]) -> str | None:
    """The date a record is filed under: its week's start, else its publication day."""
    if record.get("week_start"):
        return record["week_start"]
    published = record.get("published_at")
    return published[:10] if isinstance(published, str) and len(published) >= 10 else None


def partition_for(record: dict[str, Any]) -> str:
    day = record_day(record)
    if not day:
        return f"{RECORDS_DIR}/undated.jsonl"
    return f"{RECORDS_DIR}/{day[:4]}/{day[:7]}.jsonl"


def overlaps(record: dict[str, Any], date_from: dt.date | None, date_to: dt.date | None) -> bool:
    """Whether a record's week overlaps [date_from, date_to] (open ends allowed).

    A record without a readable week is placed by its publication day.
    """
    if date_from is None and date_to is None:
        return True
    start = record.get("week_start") or record_day(record)
    end = record.get("week_end") or start
    if not start:
        return False
    if date_from and end < date_from.isoformat():
        return False
    if date_to and start > date_to.isoformat():
        return False
    return True


def _sort_key(record: dict[str, Any]) -> tuple[str, str]:
    return (record_day(record) or "", record.get("key") or "")


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=False, separators=(",", ":"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers only ever see a whole file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; archive files are for sharing
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


class Archive:
    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)

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
                    records.append(record)
        except UnicodeDecodeError as exc:
            raise ArchiveError(f"{path}: not UTF-8 ({exc.reason})") from None
        except OSError as exc:
            raise ArchiveError(f"{path}: {exc.strerror}") from None
        return records

    def iter_records(self) -> Iterator[dict[str, Any]]:
        for path in self.partitions():
            yield from self.read_partition(path)

    def load(self) -> dict[str, tuple[str, dict[str, Any]]]:
        """Every record by key, with the partition it lives in."""
        index: dict[str, tuple[str, dict[str, Any]]] = {}
        for path in self.partitions():
            rel = path.relative_to(self.root).as_posix()
            for record in self.read_partition(path):
                index[record["key"]] = (rel, record)
        return index

    def known_keys(self) -> set[str]:
        return set(self.load())

    def merge(self, incoming: Iterable[dict[str, Any]]) -> MergeResult:
        """Add new records and replace changed ones; rewrite only the partitions touched.

        A record whose content changed keeps its history: ``revision`` counts versions and
        ``previous_content_hash`` names the one it replaced; ``first_seen_at`` is kept.
        """
        index = self.load()
        result = MergeResult()
        touched: set[str] = set()
        for record in incoming:
            key = record["key"]
            old = index.get(key)
            part = partition_for(record)
            if old is None:
                record = {**record, "revision": 1, "previous_content_hash": None,
                          "first_seen_at": record.get("crawled_at")}  # fmt: skip
                result.new.append(key)
            elif old[1].get("content_hash") == record.get("content_hash"):
                result.unchanged.append(key)
                continue
            else:
                previous = old[1]
                record = {
                    **record,
                    "revision": int(previous.get("revision") or 1) + 1,
                    "previous_content_hash": previous.get("content_hash"),
                    "first_seen_at": previous.get("first_seen_at") or previous.get("crawled_at"),
                }
                result.updated.append(key)
                touched.add(old[0])
            index[key] = (part, record)
            touched.add(part)
        by_part: dict[str, list[dict[str, Any]]] = {part: [] for part in touched}
        for part, record in index.values():
            if part in by_part:
                by_part[part].append(record)
        for part in sorted(by_part):
            path = self.root / part
            records = sorted(by_part[part], key=_sort_key)
            if not records:
                path.unlink(missing_ok=True)
                continue
            data = "".join(dumps(r) + "\n" for r in records).encode("utf-8")
            write_atomic(path, data)
            result.files_written.append(part)
        return result
