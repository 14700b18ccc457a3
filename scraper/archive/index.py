"""What a run knows of the archive before it starts: every record's key, partition, URLs and dates.

The index is kept between runs in ``state/archive-index.sqlite`` (derived data, safe to delete):
per record its key, partition, source, URL path, canonical URL, dates and fingerprint; the URL
paths (fetched and canonical) that lead to each key; and each partition's stamp (size,
modification time, inode) as it was when its records were indexed. Opening the index stats the
partitions and reads again only those whose stamp changed (new, rewritten, edited, removed):
an idle rerun reads no partition at all, whatever the size of the archive, and every lookup is
a query, not a dictionary of the whole archive in memory. The JSON Lines partitions stay the
truth: an index that is missing, of an older format or damaged is rebuilt from them (a damaged
one with a warning on stderr), and one that cannot be written is built in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

INDEX_FILE = Path("state") / "archive-index.sqlite"
# The index's format: bump it when the tables or what ``fingerprint`` covers change (an index of
# another format is rebuilt from the partitions).
FORMAT = "1"

# Fields that describe a fetch or the archive's bookkeeping, not what was extracted.
_BOOKKEEPING = {"url", "crawled_at", "revision", "previous_content_hash", "first_seen_at", "also_published_at"}
_DATES = ("week_start", "week_end", "published_at")

Stamp = tuple[int, int, int]  # a partition's size, mtime_ns and inode: any change means "read it again"
T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS partitions (
    partition TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, inode INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entries (
    key TEXT NOT NULL, partition TEXT NOT NULL, source TEXT NOT NULL, url_path TEXT NOT NULL,
    canonical_url TEXT NOT NULL, week_start TEXT, week_end TEXT, published_at TEXT, fingerprint TEXT NOT NULL,
    PRIMARY KEY (key, partition)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entries_by_partition ON entries (partition);
CREATE TABLE IF NOT EXISTS paths (
    path TEXT NOT NULL, partition TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (path, partition)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS paths_by_partition ON paths (partition);
"""
_ENTRY = "key, partition, source, url_path, canonical_url, week_start, week_end, published_at, fingerprint"


def extracted(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in _BOOKKEEPING}


def fingerprint(record: dict[str, Any]) -> str:
    """A digest of what was extracted (not of fetch details or bookkeeping)."""
    blob = json.dumps(extracted(record), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def stamp_of(path: Path) -> Stamp:
    stat = path.stat()
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def warn(message: str) -> None:
    print(f"langson-archive: warning: {message}", file=sys.stderr)


@dataclass
class IndexEntry:
    partition: str
    source: str
    url_path: str
    canonical_url: str
    dates: dict[str, Any]  # week_start, week_end, published_at: enough for overlaps()
    fingerprint: str  # of what was extracted: an unchanged re-extraction is known without reading it again


def _entry(row: tuple[Any, ...]) -> IndexEntry:
    return IndexEntry(partition=row[1], source=row[2], url_path=row[3], canonical_url=row[4],
                      dates=dict(zip(_DATES, row[5:8], strict=True)), fingerprint=row[8])  # fmt: skip


class ArchiveIndex:
    """Every archived record's key, partition, URLs and dates, in SQLite (a file, or memory).

    ``entries`` (key -> :class:`IndexEntry`), ``paths`` (URL path -> key) and ``keys()`` are
    read-only views answering each lookup with a query. A key found in two partitions (a damaged
    archive; ``validate`` reports it) is answered from the later partition, as a full scan in
    partition order would. :meth:`scraper.archive.Archive.index` opens the archive's own index
    and brings it up to date; ``ArchiveIndex()`` is an empty one in memory.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.reload: Callable[[ArchiveIndex], None] | None = None  # fills a fresh index from the partitions
        self._batch = 0
        self.db = self._connect(path)
        self.entries = EntryView(self)
        self.paths = PathView(self)

    # -- opening ---------------------------------------------------------------------------

    @staticmethod
    def _connect(path: Path | None) -> sqlite3.Connection:
        db = sqlite3.connect(":memory:" if path is None else str(path), isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode = DELETE")
            version = None
            if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
                row = db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
                version = row[0] if row else None
            if version != FORMAT:  # new, or of another format: start empty (filled from the partitions)
                db.executescript(
                    "BEGIN; DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS partitions; DROP TABLE IF EXISTS entries;"
                    f"DROP TABLE IF EXISTS paths; {_SCHEMA}"
                    f"INSERT INTO meta VALUES ('format', '{FORMAT}'); COMMIT;"
                )
            db.execute("SELECT partition, size, mtime_ns, inode FROM partitions LIMIT 1").fetchall()
            db.execute(f"SELECT {_ENTRY} FROM entries LIMIT 1").fetchall()
            db.execute("SELECT path, partition, key FROM paths LIMIT 1").fetchall()
        except BaseException:
            db.close()
            raise
        return db

    @classmethod
    def open(cls, path: Path) -> ArchiveIndex:
        """The index kept at ``path``: rebuilt when damaged (with a warning), in memory when it cannot be kept."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return cls(path)
        except (sqlite3.Error, OSError) as exc:  # not a database, malformed, tables of the wrong shape
            warn(f"{path}: the archive's index is damaged ({exc}); rebuilding it from the archive")
        try:
            remove_index(path)
            return cls(path)
        except (sqlite3.Error, OSError) as exc:  # read-only, no room, not a file: this run does without it
            warn(f"{path}: the archive's index cannot be kept ({exc}); reading the archive instead")
        return cls(None)

    def close(self) -> None:
        self.db.close()

    # -- keeping it current ----------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction for the changes made in the block: all of them are kept, or none."""
        if self._batch:
            self._batch += 1
            try:
                yield
            finally:
                self._batch -= 1
            return
        self._guard(lambda: self.db.execute("BEGIN"))
        self._batch = 1
        try:
            yield
        except BaseException:
            self._batch = 0
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            raise
        self._batch = 0
        self._guard(lambda: self.db.execute("COMMIT"))

    def stamps(self) -> dict[str, Stamp]:
        """Each indexed partition's stamp as it was when its records were read."""
        rows = self._guard(
            lambda: self.db.execute("SELECT partition, size, mtime_ns, inode FROM partitions").fetchall()
        )
        return {part: (size, mtime, inode) for part, size, mtime, inode in rows}

    def drop_partition(self, partition: str) -> None:
        def run() -> None:
            for table in ("entries", "paths", "partitions"):
                self.db.execute(f"DELETE FROM {table} WHERE partition = ?", (partition,))

        self._guard(run)

    def replace_partition(
        self,
        partition: str,
        records: Iterable[dict[str, Any]],
        stamp: Stamp | None,
        fingerprints: Mapping[str, str] | None = None,
    ) -> None:
        """Index ``records`` as the whole content of ``partition`` (with its file's stamp).

        ``fingerprints``: those the caller computed already, by key (of these very records).
        """
        with self.batch():
            self.drop_partition(partition)
            for record in records:
                self.add(record, partition, (fingerprints or {}).get(record["key"]))
            if stamp is not None:
                self._guard(lambda: self.db.execute("INSERT INTO partitions VALUES (?, ?, ?, ?)", (partition, *stamp)))

    def add(self, record: dict[str, Any], partition: str, known_fingerprint: str | None = None) -> None:
        key = record["key"]
        url, canonical = str(record.get("url") or ""), str(record.get("canonical_url") or "")
        row = (key, partition, str(record.get("source") or ""), urlsplit(url).path, canonical,
               *(record.get(k) for k in _DATES), known_fingerprint or fingerprint(record))  # fmt: skip
        paths = [(urlsplit(value).path, partition, key) for value in (url, canonical) if value]

        def run() -> None:
            self.db.execute(f"INSERT OR REPLACE INTO entries ({_ENTRY}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
            self.db.executemany("INSERT OR REPLACE INTO paths VALUES (?, ?, ?)", paths)  # the later record wins

        self._guard(run)

    # -- lookups ---------------------------------------------------------------------------

    def keys(self) -> KeySet:
        return KeySet(self)

    def has_source(self, source: str) -> bool:
        """Whether any archived key is of ``source`` (``source:…``)."""
        query = "SELECT 1 FROM entries WHERE key >= ? AND key < ? LIMIT 1"
        return self._guard(lambda: self.db.execute(query, (f"{source}:", f"{source};")).fetchone()) is not None

    def same_week(self, partition: str, source: str, week_start: str, week_end: str) -> list[str]:
        """Keys of ``source``'s records for that week (in ``partition``, where a week's records all are)."""
        query = (
            "SELECT DISTINCT key FROM entries WHERE partition = ? AND source = ? AND week_start = ? AND week_end = ? "
            "ORDER BY key"
        )
        rows = self._guard(lambda: self.db.execute(query, (partition, source, week_start, week_end)).fetchall())
        return [row[0] for row in rows]

    def _get(self, key: str) -> IndexEntry | None:
        query = f"SELECT {_ENTRY} FROM entries WHERE key = ? ORDER BY partition DESC LIMIT 1"
        row = self._guard(lambda: self.db.execute(query, (key,)).fetchone())
        return _entry(row) if row else None

    def _iter(self) -> Iterator[tuple[str, IndexEntry]]:
        """Every key and its entry, by key; a key in two partitions once, from the later one."""
        rows = self._guard(lambda: self.db.execute(f"SELECT {_ENTRY} FROM entries ORDER BY key, partition"))
        last: tuple[Any, ...] | None = None
        for row in rows:
            if last is not None and last[0] != row[0]:
                yield last[0], _entry(last)
            last = row
        if last is not None:
            yield last[0], _entry(last)

    def _count(self) -> int:
        return int(self._guard(lambda: self.db.execute("SELECT count(DISTINCT key) FROM entries").fetchone())[0])

    def _path(self, path: str) -> str | None:
        query = "SELECT key FROM paths WHERE path = ? ORDER BY partition DESC LIMIT 1"
        row = self._guard(lambda: self.db.execute(query, (path,)).fetchone())
        return row[0] if row else None

    # -- damage found while running ----------------------------------------------------------

    def _guard(self, run: Callable[[], T]) -> T:
        """Run a query; an index found damaged now is rebuilt in memory (with a warning) and asked again."""
        try:
            return run()
        except sqlite3.OperationalError:
            raise
        except sqlite3.DatabaseError as exc:
            if self.path is None or self.reload is None or self._batch:
                raise
            warn(f"{self.path}: the archive's index is damaged ({exc}); reading the archive instead")
            self.db.close()
            remove_index(self.path)
            self.path = None
            self.db = self._connect(None)
            self.reload(self)
            return run()


def remove_index(path: Path) -> None:
    for name in (path, path.with_name(path.name + "-journal")):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


class KeySet(Set[str]):
    """Every archived key; ``key in keys`` is one query."""

    def __init__(self, index: ArchiveIndex):
        self._index = index

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._index._get(key) is not None

    def __iter__(self) -> Iterator[str]:
        rows = self._index._guard(lambda: self._index.db.execute("SELECT DISTINCT key FROM entries ORDER BY key"))
        return (key for (key,) in rows)

    def __len__(self) -> int:
        return self._index._count()


class EntryView(Mapping[str, IndexEntry]):
    """key -> :class:`IndexEntry`; each lookup is one query (``get`` and ``in`` are Mapping's, through it)."""

    def __init__(self, index: ArchiveIndex):
        self._index = index

    def __getitem__(self, key: str) -> IndexEntry:
        entry = self._index._get(key) if isinstance(key, str) else None
        if entry is None:
            raise KeyError(key)
        return entry

    def __iter__(self) -> Iterator[str]:
        return (key for key, _ in self._index._iter())

    def __len__(self) -> int:
        return self._index._count()

    def items(self) -> _Items:
        return _Items(self)


class _Items(ItemsView[str, IndexEntry]):
    """The entries' items in one query, not one per key."""

    def __init__(self, view: EntryView):
        super().__init__(view)
        self._view = view

    def __iter__(self) -> Iterator[tuple[str, IndexEntry]]:
        return self._view._index._iter()


class PathView(Mapping[str, str]):
    """URL path (fetched and canonical) -> key: a listing link by a path alias is matched."""

    def __init__(self, index: ArchiveIndex):
        self._index = index

    def __getitem__(self, path: str) -> str:
        key = self._index._path(path) if isinstance(path, str) else None
        if key is None:
            raise KeyError(path)
        return key

    def __iter__(self) -> Iterator[str]:
        rows = self._index._guard(lambda: self._index.db.execute("SELECT DISTINCT path FROM paths ORDER BY path"))
        return (path for (path,) in rows)

    def __len__(self) -> int:
        query = "SELECT count(DISTINCT path) FROM paths"
        return int(self._index._guard(lambda: self._index.db.execute(query).fetchone())[0])
