"""One writer at a time: an advisory lock on the archive folder.

An overlapping cron run (or a researcher's run on the same folder) finds the lock held
and stops at once, before any request, with its own exit status. The lock is released
by the kernel when the process ends, even after kill -9: no stale lock files to clean.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from pathlib import Path
from typing import IO

LOCK_FILE = ".lock"


class LockHeld(Exception):
    """Another process holds the archive's lock; the message says which."""


class ArchiveLock:
    def __init__(self, root: str | os.PathLike[str]):
        self.path = Path(root) / LOCK_FILE
        self.handle: IO[str] | None = None

    def acquire(self) -> ArchiveLock:
        from scraper.archive import ArchiveError

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = self.path.open("a+", encoding="utf-8")
        except OSError as exc:
            raise ArchiveError(f"{self.path}: {exc.strerror}") from None
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise LockHeld(f"{self.path.parent} is being written by {holder}") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {dt.datetime.now().isoformat(timespec='seconds')}\n")
        handle.flush()
        self.handle = handle
        return self

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle.fileno(), fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None

    def __enter__(self) -> ArchiveLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
