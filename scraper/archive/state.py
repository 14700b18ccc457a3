"""The crawl's memory between runs, under ``state/``: failed articles and cut-short listing walks."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scraper.archive.files import write_atomic


class PendingArticles:
    """Articles whose fetch failed, kept in ``state/pending.json`` until a run gets them.

    A scheduled run stops walking the listing at archived digests, so a digest that failed
    on page 3 would otherwise never be looked at again. They are kept by path (with its
    query), never by host: a mirror or test server that moves to another port between runs
    still gets them, resolved against the run's base URL, and nothing read back from the
    state file can name another host or scheme.
    """

    def __init__(self, root: str | os.PathLike[str]):
        self.path = Path(root) / "state" / "pending.json"
        self.paths: dict[str, set[str]] = {}
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self.paths = {
                    str(source): {p for p in map(self.path_of, entries) if p}
                    for source, entries in data.items()
                    if isinstance(entries, list)
                }
            except (OSError, ValueError, AttributeError):
                self.paths = {}
        self._dirty = False

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
        """The pending paths of a source; join them to the run's base URL."""
        return sorted(self.paths.get(source, ()))

    def failed(self, source: str, url: str) -> None:
        path = self.path_of(url)
        if path and path not in self.paths.setdefault(source, set()):
            self.paths[source].add(path)
            self._dirty = True

    def done(self, source: str, url: str) -> None:
        path = self.path_of(url)
        if path in self.paths.get(source, ()):
            self.paths[source].discard(path)
            self._dirty = True

    def clear(self, source: str | None = None) -> int:
        """Forget the pending articles (of one source): how many were forgotten."""
        names = [source] if source else list(self.paths)
        count = sum(len(self.paths.pop(name, ())) for name in names)
        self._dirty = self._dirty or bool(count)
        return count

    def save(self) -> None:
        if not self._dirty:
            return
        data = {source: sorted(paths) for source, paths in sorted(self.paths.items()) if paths}
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
