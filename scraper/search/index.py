"""The search index: build, update incrementally, query with BM25 ranking and marked snippets."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scraper.archive import Archive, fingerprint, overlaps
from scraper.archive.index import stamp_of
from scraper.pages.text import fold_aligned
from scraper.sites.agencies import fold as tone_fold

INDEX_FILE = Path("index") / "search.sqlite"
INDEX_VERSION = "3"  # of the index's tables and folding; another value rebuilds it


def exact_form(text: str) -> str:
    """Lower case and one tone-mark placement, diacritics kept (``--exact``)."""
    return tone_fold(unicodedata.normalize("NFC", text))


_NUMBER_IN_TEXT = re.compile(r"\b\d+[A-Za-z]?(?:\s*[/-]\s*[0-9A-Za-zĐđ][0-9A-Za-zĐđ&.]*)+")


def document_token(number: str) -> str:
    """A document number as one search token, whatever its spacing or "QĐ"/"QD" spelling."""
    return re.sub(r"[^0-9a-z]", "", fold_aligned(number))


@dataclass
class SearchResult:
    key: str
    source: str
    week_start: str | None
    week_end: str | None
    published_at: str | None
    title: str
    snippet: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS records(
    id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, fingerprint TEXT NOT NULL, partition TEXT, source TEXT,
    week_start TEXT, week_end TEXT, published_at TEXT, title TEXT, text TEXT, agencies TEXT);
CREATE INDEX IF NOT EXISTS records_partition ON records(partition);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    title_folded, body_folded, title_exact, body_exact, docs,
    tokenize = "unicode61 remove_diacritics 0");
"""


def _agencies(record: dict[str, Any]) -> str:
    names = {
        a["name"]
        for s in record.get("sections") or []
        for role in ("lead_agencies", "partner_agencies")
        for a in (s.get("directive") or {}).get(role, [])
    }
    return "|".join(sorted(names))


class SearchIndex:
    def __init__(self, archive_root: str | Path):
        self.root = Path(archive_root)
        self.path = self.root / INDEX_FILE

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path)
        try:
            yield connection
        finally:
            connection.close()

    def exists(self) -> bool:
        return self.path.is_file()

    def update(
        self, records: Iterable[dict[str, Any]] | None = None, reading: Callable[[int], None] | None = None
    ) -> dict[str, int]:
        """Bring the index up to date with the archive: add, rewrite or drop what changed.

        Reading from the archive (no ``records`` given), only the month files that changed
        since the last update are read, so a run that added one digest costs one month file,
        whatever the archive's size; ``reading`` is told how many, before they are read.
        ``records`` stands for the whole archive.
        """
        archive = Archive(self.root)
        with self._connect() as db, archive.reading() if records is None else contextlib.nullcontext():
            version = None
            with contextlib.suppress(sqlite3.Error):
                row = db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
                version = row[0] if row else None
            if version != INDEX_VERSION:
                db.executescript("DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS records; DROP TABLE IF EXISTS fts;")
            db.executescript(_SCHEMA)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (INDEX_VERSION,))
            before: dict[str, list[int]] = {}
            with contextlib.suppress(ValueError, TypeError):
                row = db.execute("SELECT value FROM meta WHERE name = 'partitions'").fetchone()
                before = dict(json.loads(row[0])) if row else {}
            if records is None:
                # each month file with the archive index's stamp (size, mtime, inode): unchanged, not read
                paths = {path.relative_to(self.root).as_posix(): path for path in archive.partitions()}
                stamps = {name: list(stamp_of(path)) for name, path in paths.items()}
                stale = {name for name in stamps.keys() | before.keys() if stamps.get(name) != before.get(name)}
                if reading is not None and stale:
                    reading(len(stale & stamps.keys()))
                stale.add("")  # records a caller-given update left without a month file
                source: Iterable[tuple[dict[str, Any], str]] = (
                    (record, name)
                    for name, path in paths.items()
                    if name in stale
                    for record in archive.read_partition(path)
                )
                rows = db.execute(
                    f"SELECT id, key, fingerprint, partition FROM records WHERE partition IN "
                    f"({','.join('?' * len(stale))})",
                    sorted(stale),
                ).fetchall()
            else:
                stamps, source = {}, ((record, "") for record in records)
                rows = db.execute("SELECT id, key, fingerprint, partition FROM records").fetchall()
            known = {key: (rowid, fp) for rowid, key, fp, _ in rows}
            if records is None and not rows and stale == {""}:
                (total,) = db.execute("SELECT count(*) FROM records").fetchone()
                return {"added": 0, "updated": 0, "removed": 0, "unchanged": int(total)}  # nothing to write
            counts = {"added": 0, "updated": 0, "removed": 0, "unchanged": 0}
            seen: set[str] = set()
            with db:
                for record, partition in source:
                    key = record.get("key")
                    if not isinstance(key, str):
                        continue
                    seen.add(key)
                    fp = fingerprint(record)
                    if key in known and known[key][1] == fp:
                        counts["unchanged"] += 1
                        continue
                    if key in known:
                        self._delete(db, known[key][0])
                        counts["updated"] += 1
                    else:
                        # a record that moved in from an unchanged month file is not known by key here
                        # (with no month file indexed before, every row held is known)
                        moved = before and db.execute("SELECT id FROM records WHERE key = ?", (key,)).fetchone()
                        if moved:
                            self._delete(db, moved[0])
                        counts["added"] += 1
                    self._insert(db, record, fp, partition)
                for key in set(known) - seen:
                    self._delete(db, known[key][0])
                    counts["removed"] += 1
                if records is None:
                    (total,) = db.execute("SELECT count(*) FROM records").fetchone()
                    counts["unchanged"] = int(total) - counts["added"] - counts["updated"]
                db.execute("INSERT OR REPLACE INTO meta VALUES ('partitions', ?)", (json.dumps(stamps),))
        return counts

    @staticmethod
    def _delete(db: sqlite3.Connection, rowid: int) -> None:
        db.execute("DELETE FROM fts WHERE rowid = ?", (rowid,))
        db.execute("DELETE FROM records WHERE id = ?", (rowid,))

    @staticmethod
    def _insert(db: sqlite3.Connection, record: dict[str, Any], fp: str, partition: str) -> None:
        title, text = str(record.get("title") or ""), str(record.get("text") or "")
        numbers = [d.get("number", "") for d in record.get("documents") or []]  # every schema version has them
        tokens = " ".join(dict.fromkeys(document_token(n) for n in numbers if n))
        cursor = db.execute(
            "INSERT INTO records(key, fingerprint, partition, source, week_start, week_end, published_at, title,"
            " text, agencies) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record["key"], fp, partition, record.get("source"), record.get("week_start"), record.get("week_end"),
             record.get("published_at"), title, text, _agencies(record)),
        )  # fmt: skip
        db.execute(
            "INSERT INTO fts(rowid, title_folded, body_folded, title_exact, body_exact, docs)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (cursor.lastrowid, fold_aligned(title), fold_aligned(text), exact_form(title), exact_form(text), tokens),
        )

    def search(
        self,
        query: str,
        exact: bool = False,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        source: str | None = None,
        agency: str | None = None,
        limit: int = 20,
    ) -> list[SearchResult]:
        results: list[SearchResult] = []
        seen: set[str] = set()
        # the words together first ("dau tu" as in "đầu tư"), then every page holding them all
        for as_phrase in (True, False):
            match, terms = build_query(query, exact, as_phrase)
            if not match:
                return []
            for result in self._run(match, terms, exact, date_from, date_to, source, agency, limit - len(results)):
                if result.key not in seen:
                    seen.add(result.key)
                    results.append(result)
            if len(results) >= limit:
                break
        return results

    def _run(
        self,
        match: str,
        terms: list[str],
        exact: bool,
        date_from: dt.date | None,
        date_to: dt.date | None,
        source: str | None,
        agency: str | None,
        limit: int,
    ) -> list[SearchResult]:
        sql = (
            "SELECT r.key, r.source, r.week_start, r.week_end, r.published_at, r.title, r.text, r.agencies,"
            " bm25(fts, 4.0, 1.0, 4.0, 1.0, 2.0) AS score FROM fts JOIN records r ON r.id = fts.rowid"
            " WHERE fts MATCH ? ORDER BY score"
        )
        results: list[SearchResult] = []
        wanted_agency = fold_aligned(agency) if agency else None
        with self._connect() as db:
            for row in db.execute(sql, (match,)):
                key, src, start, end, published, title, text, agencies, score = row
                if source and src != source:
                    continue
                if not overlaps({"week_start": start, "week_end": end, "published_at": published}, date_from, date_to):
                    continue
                if wanted_agency and wanted_agency not in fold_aligned(agencies or ""):
                    continue
                results.append(SearchResult(key, src, start, end, published, title,
                                            snippet(text, terms, exact), -float(score)))  # fmt: skip
                if len(results) >= limit:
                    break
        return results


_PHRASE = re.compile(r'"([^"]+)"')
_WORDS = re.compile(r"\w+")


def build_query(query: str, exact: bool = False, as_phrase: bool = False) -> tuple[str, list[str]]:
    """An FTS5 MATCH expression (every word and phrase required) and the folded terms to mark.

    ``as_phrase``: the words outside quotes must also stand together, in order.
    """
    text = unicodedata.normalize("NFC", query)
    parts: list[str] = []
    terms: list[str] = []
    for number in _NUMBER_IN_TEXT.findall(text):
        token = document_token(number)
        if token:
            parts.append(f'docs : "{token}"')
            terms.append(fold_aligned(re.sub(r"\s+", "", number)))
    text = _NUMBER_IN_TEXT.sub(" ", text)
    form = exact_form if exact else fold_aligned
    columns = "{title_exact body_exact}" if exact else "{title_folded body_folded}"
    for phrase in _PHRASE.findall(text):
        words = _WORDS.findall(form(phrase))
        if words:
            parts.append(f'{columns} : "{" ".join(words)}"')
            terms.append(" ".join(words))
    words = _WORDS.findall(form(_PHRASE.sub(" ", text)))
    if as_phrase and len(words) > 1:
        parts.append(f'{columns} : "{" ".join(words)}"')
        terms.append(" ".join(words))
    else:
        for word in words:
            parts.append(f'{columns} : "{word}"')
            terms.append(word)
    return " AND ".join(parts), terms


def snippet(text: str, terms: list[str], exact: bool = False, width: int = 160) -> str:
    """The published text around the first match, the matched words marked «like this»."""
    folded = exact_form(text) if exact else fold_aligned(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        pattern = r"\b" + r"\W*".join(re.escape(w) for w in re.split(r"\s+|(?<=\d)(?=[a-z])|/|-", term) if w)
        spans += [(m.start(), m.end()) for m in re.finditer(pattern + r"\b", folded)]
    if not spans:
        return text[:width].replace("\n", " ") + ("…" if len(text) > width else "")
    spans.sort()
    first = spans[0][0]
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    out, pos = [], start
    for s, e in spans:
        if s < pos or e > end:
            continue
        out += [text[pos:s], "«", text[s:e], "»"]
        pos = e
    out.append(text[pos:end])
    body = "".join(out).replace("\n", " ")
    return ("…" if start else "") + body + ("…" if end < len(text) else "")
