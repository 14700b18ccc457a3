"""The archive as one SQLite database, for Datasette, sqlite-utils, DuckDB or pandas.

Tables: ``digests`` (one row per record, with a full-text index ``digests_fts`` over the
published and the folded text), ``sections``, ``directives``, ``directive_agencies`` (one row
per agency named in a directive, lead or partner), ``documents`` (one row per distinct cited
document) and ``citations`` (which digest cites which document). A metadata file for
Datasette describes every table and column. The database is derived from the JSON Lines
archive, which stays the archive of record.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scraper import SCHEMA_VERSION, __version__
from scraper.archive.exports import earliest_deadline
from scraper.archive.files import atomic_path, write_atomic
from scraper.pages.text import fold_aligned

TABLES: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "digests": (
        "One row per archived digest (record), as in the JSON Lines archive.",
        {
            "id": ("INTEGER PRIMARY KEY", "row number (the full-text index's key)"),
            "key": ("TEXT UNIQUE NOT NULL", "stable identity: langson:<slug> or vanphong:<node id>"),
            "source": ("TEXT", "langson.gov.vn or vanphong.langson.gov.vn"),
            "canonical_url": ("TEXT", "the page's canonical live URL"),
            "title": ("TEXT", "the headline"),
            "week_start": ("TEXT", "first day of the week covered (ISO date), null when the title gives none"),
            "week_end": ("TEXT", "last day of the week covered (ISO date)"),
            "published_at": ("TEXT", "publication time, ISO 8601 with +07:00"),
            "summary": ("TEXT", "the lead: the week's directives separated by ';'"),
            "text": ("TEXT", "lead, then each heading and its paragraphs, one per line"),
            "digest_key": ("TEXT", "the week as START/END, shared by both portals' copies"),
            "extraction_method": ("TEXT", "site-profile, generic or trafilatura-fallback"),
            "revision": ("INTEGER", "1 for the first version, +1 each time the content changed"),
            "schema_version": ("TEXT", "the record schema version it was written with"),
        },
    ),
    "sections": (
        "One row per section (directive) of a digest, in page order.",
        {
            "key": ("TEXT NOT NULL", "the digest (digests.key)"),
            "section": ("INTEGER NOT NULL", "1-based position in the digest"),
            "heading": ("TEXT", "the section's heading"),
            "text": ("TEXT", "the section's paragraphs, one per line"),
        },
    ),
    "directives": (
        "What each section directs: who leads, with whom, by when, under which documents.",
        {
            "key": ("TEXT NOT NULL", "the digest (digests.key)"),
            "section": ("INTEGER NOT NULL", "1-based position of the section"),
            "week_start": ("TEXT", "the digest's week"),
            "earliest_deadline": ("TEXT", "the earliest deadline date (ISO), if any"),
            "deadlines": ("TEXT", "JSON array of {date, text} as written"),
            "leaders": ("TEXT", "JSON array of the officials named, as written"),
            "documents": ("TEXT", "JSON array of the doc_ids the section cites"),
        },
    ),
    "directive_agencies": (
        "One row per agency a directive names.",
        {
            "key": ("TEXT NOT NULL", "the digest (digests.key)"),
            "section": ("INTEGER NOT NULL", "1-based position of the section"),
            "week_start": ("TEXT", "the digest's week"),
            "role": ("TEXT", "lead or partner"),
            "agency": ("TEXT", "canonical name from the curated list, or the phrase as written when unknown"),
            "as_written": ("TEXT", "the phrase in the text"),
            "known": ("INTEGER", "1 when the agency is in the curated list"),
        },
    ),
    "documents": (
        "One row per distinct cited document.",
        {
            "doc_id": ("TEXT PRIMARY KEY", "the same for every mention of the document"),
            "number": ("TEXT", "the number as cited, stray spaces removed"),
            "type": ("TEXT", "Quyết định, Kế hoạch, Công văn, ..."),
            "kind_code": ("TEXT", "QĐ, KH, NQ, CT, TB, ... or CV for an official letter"),
            "issuer": ("TEXT", "UBND, HĐND, TTg, VP, TW, ..."),
            "year": ("INTEGER", "year of issue when known"),
            "is_party": ("INTEGER", "1 for a party document (28-CT/TW)"),
            "date": ("TEXT", "issue date (ISO) when a citation gives it"),
        },
    ),
    "citations": (
        "Which digest cites which document.",
        {
            "key": ("TEXT NOT NULL", "the digest (digests.key)"),
            "doc_id": ("TEXT NOT NULL", "the document (documents.doc_id)"),
        },
    ),
}


def _create(db: sqlite3.Connection) -> None:
    for table, (_, columns) in TABLES.items():
        db.execute(f"CREATE TABLE {table} ({', '.join(f'{c} {t}' for c, (t, _) in columns.items())})")
    db.execute("CREATE VIRTUAL TABLE digests_fts USING fts5(title, text, title_folded, text_folded, "
               "content='', tokenize='unicode61 remove_diacritics 0')")  # fmt: skip


def _rows(db: sqlite3.Connection, records: Iterable[dict[str, Any]], older: list[str]) -> int:
    count = 0
    for record in records:
        count += 1
        if any("directive" not in s for s in record.get("sections") or []):
            older.append(str(record.get("key")))
        values = {c: record.get(c) for c in TABLES["digests"][1] if c != "id"}
        cursor = db.execute(f"INSERT INTO digests ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                            list(values.values()))  # fmt: skip
        title, text = str(record.get("title") or ""), str(record.get("text") or "")
        db.execute("INSERT INTO digests_fts(rowid, title, text, title_folded, text_folded) VALUES (?, ?, ?, ?, ?)",
                   (cursor.lastrowid, title, text, fold_aligned(title), fold_aligned(text)))  # fmt: skip
        key, week = record.get("key"), record.get("week_start")
        for number, section in enumerate(record.get("sections") or [], 1):
            db.execute("INSERT INTO sections VALUES (?, ?, ?, ?)", (key, number, section.get("heading"),
                                                                       section.get("text")))  # fmt: skip
            directive = section.get("directive")
            if not directive:
                continue
            db.execute("INSERT INTO directives VALUES (?, ?, ?, ?, ?, ?, ?)", (
                key, number, week, earliest_deadline(directive), json.dumps(directive["deadlines"], ensure_ascii=False),
                json.dumps(directive["leaders"], ensure_ascii=False), json.dumps(directive["documents"]),
            ))  # fmt: skip
            for role in ("lead", "partner"):
                for agency in directive[f"{role}_agencies"]:
                    row = (key, number, week, role, agency["name"], agency["as_written"], int(agency["known"]))
                    db.execute("INSERT INTO directive_agencies VALUES (?, ?, ?, ?, ?, ?, ?)", row)
        for document in record.get("documents") or []:
            if "doc_id" not in document:
                continue
            db.execute("INSERT OR IGNORE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (
                document["doc_id"], document["number"], document["type"], document.get("kind_code"),
                document.get("issuer"), document.get("year"), int(bool(document.get("is_party"))), document.get("date"),
            ))  # fmt: skip
            db.execute("UPDATE documents SET date = COALESCE(date, ?) WHERE doc_id = ?",
                       (document.get("date"), document["doc_id"]))  # fmt: skip
            db.execute("INSERT INTO citations SELECT ?, ? WHERE NOT EXISTS "
                       "(SELECT 1 FROM citations WHERE key = ? AND doc_id = ?)",
                       (key, document["doc_id"], key, document["doc_id"]))  # fmt: skip
    return count


def metadata(database: str) -> dict[str, Any]:
    """Datasette metadata: what each table and column holds, and the full-text index."""
    tables: dict[str, Any] = {
        name: {"description": description, "columns": {c: text for c, (_, text) in columns.items()}}
        for name, (description, columns) in TABLES.items()
    }
    tables["digests"].update(fts_table="digests_fts", fts_pk="id", sort_desc="week_start")
    return {
        "title": "Lạng Sơn People's Committee weekly digests",
        "description": f"Exported by langson-archive {__version__} (record schema {SCHEMA_VERSION}) from the JSON "
        "Lines archive of the weekly digests 'Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần'.",
        "source": "langson.gov.vn and vanphong.langson.gov.vn",
        "databases": {database: {"tables": tables}},
    }


def write_database(path: Path, records: Iterable[dict[str, Any]], older: list[str] | None = None) -> int:
    """Write the database (and ``<name>.metadata.json`` beside it) atomically; the digests written.

    The keys of records written before schema 1.2 (no directives, no document parts) go to ``older``.
    """
    older = [] if older is None else older
    with atomic_path(path) as tmp:
        db = sqlite3.connect(tmp)
        try:
            _create(db)
            with db:
                count = _rows(db, records, older)
            db.execute("VACUUM")
        finally:
            db.close()
    meta = path.with_name(path.stem + ".metadata.json")
    write_atomic(meta, (json.dumps(metadata(path.stem), ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return count
