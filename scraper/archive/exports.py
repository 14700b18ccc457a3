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
    """One record per ``digest_key``: one still on its site before one gone from it, then the preferred
    source's, else the earliest published.

    Records with no readable week are all kept (they cannot be matched safely).
    """

    def rank(record: dict[str, Any]) -> tuple[bool, int, str]:
        source = record.get("source")
        order = SOURCE_PREFERENCE.index(source) if source in SOURCE_PREFERENCE else len(SOURCE_PREFERENCE)
        return bool(record.get("gone_since")), order, record.get("published_at") or ""

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


DIRECTIVE_COLUMNS = ["key", "source", "week_start", "week_end", "section", "heading", "lead_agencies",
                     "partner_agencies", "earliest_deadline", "deadlines", "leaders", "documents"]  # fmt: skip
DOCUMENT_COLUMNS = ["doc_id", "number", "type", "kind_code", "issuer", "year", "is_party", "date", "citations",
                    "first_week", "last_week", "cited_by"]  # fmt: skip


def earliest_deadline(directive: dict[str, Any]) -> str | None:
    """The first date a directive sets (ISO), or None."""
    return min((d["date"] for d in directive["deadlines"] if d.get("date")), default=None)


def _names(agencies: Iterable[dict[str, Any]]) -> list[str]:
    return [a["name"] + ("" if a.get("known", True) else " (?)") for a in agencies]


def directive_rows(records: Iterable[dict[str, Any]], missing: list[str]) -> Iterable[dict[str, Any]]:
    """One row per directive (section); keys of records written before schema 1.2 go to ``missing``."""
    for record in records:
        for number, section in enumerate(record.get("sections") or [], 1):
            directive = section.get("directive")
            if directive is None:
                if not missing or missing[-1] != record.get("key"):
                    missing.append(str(record.get("key")))
                continue
            yield {
                "key": record.get("key"), "source": record.get("source"), "week_start": record.get("week_start"),
                "week_end": record.get("week_end"), "section": number, "heading": section.get("heading"),
                "lead_agencies": _names(directive["lead_agencies"]),
                "partner_agencies": _names(directive["partner_agencies"]),
                "earliest_deadline": earliest_deadline(directive),
                "deadlines": [d["text"] for d in directive["deadlines"]],
                "leaders": directive["leaders"], "documents": directive["documents"],
            }  # fmt: skip


def document_index(records: Iterable[dict[str, Any]], missing: list[str]) -> list[dict[str, Any]]:
    """One row per distinct cited document (by ``doc_id``) with every digest that cites it."""
    index: dict[str, dict[str, Any]] = {}
    for record in records:
        week = record.get("week_start") or (record.get("published_at") or "")[:10] or None
        for document in record.get("documents") or []:
            if "doc_id" not in document:
                if not missing or missing[-1] != record.get("key"):
                    missing.append(str(record.get("key")))
                continue
            row = index.setdefault(document["doc_id"], {
                "doc_id": document["doc_id"], "number": document["number"], "type": document["type"],
                "kind_code": document.get("kind_code"), "issuer": document.get("issuer"),
                "year": document.get("year"), "is_party": document.get("is_party"), "date": document.get("date"),
                "citations": 0, "first_week": week, "last_week": week, "cited_by": [],
            })  # fmt: skip
            row["citations"] += 1
            row["date"] = row["date"] or document.get("date")
            if record.get("key") not in row["cited_by"]:
                row["cited_by"].append(record.get("key"))
            if week:
                row["first_week"] = min(filter(None, (row["first_week"], week)))
                row["last_week"] = max(filter(None, (row["last_week"], week)))
    return sorted(index.values(), key=lambda r: (-r["citations"], r["doc_id"]))


def write_rows(rows: Iterable[dict[str, Any]], columns: list[str], out: TextIO) -> int:
    """CSV (UTF-8 with a byte-order mark) of dict rows; list cells joined with "; ". The rows written."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        cells = [row.get(c) for c in columns]
        writer.writerow(["; ".join(map(str, v)) if isinstance(v, list) else "" if v is None else v for v in cells])
        count += 1
    return count
