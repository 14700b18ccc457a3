"""Export shapes: one record per week across portals, and CSV for spreadsheets."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

# When both portals published the same week, export keeps the provincial portal's copy.
SOURCE_PREFERENCE = ("langson.gov.vn", "vanphong.langson.gov.vn")

DIGEST_COLUMNS = ["key", "source", "canonical_url", "title", "week_start", "week_end", "published_at", "summary",
                  "sections", "documents", "text", "also_published_at", "extraction_method", "revision"]  # fmt: skip
SECTION_COLUMNS = ["key", "source", "canonical_url", "week_start", "week_end", "published_at", "section",
                   "heading", "text"]  # fmt: skip


def one_per_week(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per ``digest_key``: the preferred source's, else the earliest published.

    Records with no readable week are all kept (they cannot be matched safely).
    """

    def rank(record: dict[str, Any]) -> tuple[int, str]:
        source = record.get("source")
        order = SOURCE_PREFERENCE.index(source) if source in SOURCE_PREFERENCE else len(SOURCE_PREFERENCE)
        return order, record.get("published_at") or ""

    best: dict[str, dict[str, Any]] = {}
    for record in records:
        key = record.get("digest_key")
        if key and (key not in best or rank(record) < rank(best[key])):
            best[key] = record
    return [r for r in records if not r.get("digest_key") or best[r["digest_key"]] is r]


def _documents_cell(documents: Iterable[dict[str, Any]]) -> str:
    return "; ".join(
        f"{d.get('type')} {d.get('number')}" + (f" ({d['date']})" if d.get("date") else "") for d in documents
    )


def write_csv(records: Iterable[dict[str, Any]], out: TextIO, sections: bool = False) -> int:
    """CSV with a header row, UTF-8 with a byte-order mark so spreadsheets read the accents; the rows written."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    rows = 0
    if sections:
        writer.writerow(SECTION_COLUMNS)
        for r in records:
            for number, section in enumerate(r.get("sections") or [], 1):
                rows += 1
                writer.writerow([r.get("key"), r.get("source"), r.get("canonical_url"), r.get("week_start"),
                                 r.get("week_end"), r.get("published_at"), number, section.get("heading"),
                                 section.get("text")])  # fmt: skip
        return rows
    writer.writerow(DIGEST_COLUMNS)
    for r in records:
        row = {**r, "sections": len(r.get("sections") or []), "documents": _documents_cell(r.get("documents") or []),
               "also_published_at": " ".join(r.get("also_published_at") or [])}  # fmt: skip
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in DIGEST_COLUMNS])
        rows += 1
    return rows
