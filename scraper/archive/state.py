"""The crawl's memory between runs, under ``state/``: failed articles and cut-short listing walks."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scraper.archive.files import write_atomic

# A pending article is given up after failing on this many runs in a row with an answer that
# waiting will not change (a 404, a file, a page that is no digest) over at least this many days.
GIVE_UP_RUNS = 5
GIVE_UP_DAYS = 14


@dataclass
class PendingEntry:
    """What the runs know of one failed article: how often and how it failed, and whether they gave up."""

    failures: int = 0  # runs in which fetching or reading it failed
    first_failed: str | None = None  # ISO days
    last_failed: str | None = None
    last_error: str | None = None  # the last failure, in words ("HTTP 404 Not Found")
    lasting_runs: int = 0  # runs in a row, up to the last, whose failure was an answer (see GIVE_UP_RUNS)
    lasting_since: str | None = None  # the first of those runs
    given_up: str | None = None  # the day the runs stopped asking for it

    @classmethod
    def read(cls, item: Any) -> tuple[str | None, PendingEntry]:
        """``(path, entry)`` from a state file's item: a path or URL (as earlier versions wrote them), or an object."""
        if not isinstance(item, dict):
            return PendingArticles.path_of(item), cls()
        count = item.get("failures")
        runs = item.get("lasting_runs")
        return PendingArticles.path_of(item.get("path")), cls(
            failures=count if isinstance(count, int) and count > 0 else 0,
            first_failed=_iso_day(item.get("first_failed")),
            last_failed=_iso_day(item.get("last_failed")),
            last_error=item["last_error"] if isinstance(item.get("last_error"), str) else None,
            lasting_runs=runs if isinstance(runs, int) and runs > 0 else 0,
            lasting_since=_iso_day(item.get("lasting_since")),
            given_up=_iso_day(item.get("given_up")),
        )

    def as_json(self, path: str) -> dict[str, Any]:
        return {"path": path, **{k: v for k, v in asdict(self).items() if v}}


def _iso_day(value: Any) -> str | None:
    try:
        return dt.date.fromisoformat(value).isoformat() if isinstance(value, str) else None
    except ValueError:
        return None


class PendingArticles:
    """Articles whose fetch failed, kept in ``state/pending.json`` until a run gets them.

    A scheduled run stops walking the listing at archived digests, so a digest that failed
    on page 3 would otherwise never be looked at again. They are kept by path (with its
    query), never by host: a mirror or test server that moves to another port between runs
    still gets them, resolved against the run's base URL, and nothing read back from the
    state file can name another host or scheme.

    An article the server keeps answering with something that is no digest (a 404, a file,
    an error page) would make every scheduled run a partial failure for years: after
    ``give_up_runs`` such runs in a row over at least ``give_up_days`` days it is given up.
    The runs stop asking for it (``status`` lists it; ``crawl --retry-given-up`` asks again).
    A server error or a timeout never gives up: the server may come back.
    """

    def __init__(
        self, root: str | os.PathLike[str], give_up_runs: int = GIVE_UP_RUNS, give_up_days: int = GIVE_UP_DAYS
    ):
        self.path = Path(root) / "state" / "pending.json"
        self.give_up_runs = give_up_runs
        self.give_up_days = give_up_days
        self.entries: dict[str, dict[str, PendingEntry]] = {}
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                for source, items in data.items():
                    if isinstance(items, list):
                        read = (PendingEntry.read(item) for item in items)
                        self.entries[str(source)] = {path: entry for path, entry in read if path}
            except (OSError, ValueError, AttributeError):
                self.entries = {}
        self._counted: set[tuple[str, str]] = set()  # (source, path) whose failure this run counted
        self._dirty = False

    @property
    def paths(self) -> dict[str, set[str]]:
        """Every pending path by source, given up or not."""
        return {source: set(entries) for source, entries in self.entries.items()}

    @staticmethod
    def path_of(url: Any) -> str | None:
        """The path and query of a URL (entries written before 0.2 hold whole URLs)."""
        if not isinstance(url, str):
            return None
        parts = urlsplit(url.strip())
        if parts.scheme not in ("", "http", "https") or not parts.path.startswith("/"):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def for_source(self, source: str) -> list[str]:
        """The paths of a source the next run asks for (not given up); join them to the run's base URL."""
        return sorted(p for p, entry in self.entries.get(source, {}).items() if not entry.given_up)

    def given_up(self, source: str) -> list[str]:
        """The paths of a source the runs gave up on."""
        return sorted(p for p, entry in self.entries.get(source, {}).items() if entry.given_up)

    def failed(
        self, source: str, url: str, error: str | None = None, lasting: bool = False, today: dt.date | None = None
    ) -> bool:
        """Keep an article pending; with ``error``, count a failure of this run (once a run).

        ``lasting``: the server answered, with something waiting will not change. Returns
        True when this failure gives the article up.
        """
        path = self.path_of(url)
        if not path:
            return False
        entry = self.entries.setdefault(source, {}).get(path)
        if entry is None:
            entry = self.entries[source][path] = PendingEntry()
            self._dirty = True
        if error is None or (source, path) in self._counted:
            return False
        self._counted.add((source, path))
        day = (today or dt.date.today()).isoformat()
        entry.failures += 1
        entry.first_failed = entry.first_failed or day
        entry.last_failed, entry.last_error = day, error
        entry.lasting_runs = entry.lasting_runs + 1 if lasting else 0
        entry.lasting_since = (entry.lasting_since or day) if lasting else None
        self._dirty = True
        if entry.given_up or not self.give_up_runs or entry.lasting_runs < self.give_up_runs:
            return False
        assert entry.lasting_since is not None
        if (dt.date.fromisoformat(day) - dt.date.fromisoformat(entry.lasting_since)).days < self.give_up_days:
            return False
        entry.given_up = day
        return True

    def entry(self, source: str, url: str) -> PendingEntry | None:
        path = self.path_of(url)
        return self.entries.get(source, {}).get(path) if path else None

    def done(self, source: str, url: str) -> None:
        path = self.path_of(url)
        if path in self.entries.get(source, {}):
            del self.entries[source][path]
            self._dirty = True

    def clear(self, source: str | None = None) -> int:
        """Forget the pending articles (of one source), given up or not: how many were forgotten."""
        names = [source] if source else list(self.entries)
        count = sum(len(self.entries.pop(name, ())) for name in names)
        self._dirty = self._dirty or bool(count)
        return count

    def save(self) -> None:
        if not self._dirty:
            return
        data = {
            source: [entries[path].as_json(path) for path in sorted(entries)]
            for source, entries in sorted(self.entries.items())
            if entries
        }
        write_atomic(self.path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


class WalkState:
    """Where each source's listing walks were cut short, in ``state/walks.json``.

    A scheduled run stops at archived digests; after an interrupted run, a listing page that
    failed or the page guard, the older pages were never walked and no later run would reach
    them. Each cut-short walk is kept as the path of the next listing page and its number;
    the next scheduled run, once it has joined the archive, goes on from each in turn.
    """

    def __init__(self, root: str | os.PathLike[str]):
        self.path = Path(root) / "state" / "walks.json"
        self.resume: dict[str, list[tuple[str, int, int]]] = {}  # (path, page number, deepest page walked)
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                for source, entries in data.items():
                    points = [
                        (PendingArticles.path_of(e.get("next_page")), e.get("page"), e.get("deepest", 0))
                        for e in entries
                    ]
                    self.resume[str(source)] = [
                        (p, n, d) for p, n, d in points if p and isinstance(n, int) and n > 0 and isinstance(d, int)
                    ]
            except (OSError, ValueError, AttributeError, TypeError):
                self.resume = {}
        self._dirty = False

    def set(self, source: str, points: list[tuple[str, int, int]]) -> None:
        points = list(dict.fromkeys(points))
        if self.resume.get(source, []) != points:
            self.resume[source] = points
            self._dirty = True

    def save(self) -> None:
        if not self._dirty:
            return
        data = {
            source: [{"next_page": path, "page": page, "deepest": deep} for path, page, deep in points]
            for source, points in sorted(self.resume.items())
            if points
        }
        write_atomic(self.path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
