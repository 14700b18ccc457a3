"""The archive as a citable Frictionless data package: ``datapackage.json`` and a ``CITATION.cff`` template.

``datapackage.json`` (written after every reparse, and after every crawl unless it changed
nothing and the package still fits) describes each month file of the archive as a JSON Lines
resource with the record schema's fields, their types and meanings (in
``digests.tableschema.json`` and ``digests.dialect.json``, shared by every month file), so frictionless, Open
Data tools and data repositories read the archive as it is. The
``CITATION.cff`` template is written once and never overwritten: the operator fills in who
keeps the archive and how to cite it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from scraper import SCHEMA_VERSION, __version__
from scraper.archive import RECORDS_DIR, write_atomic
from scraper.records.schema import record_schema

PACKAGE_FILE = "datapackage.json"
# Every month file shares one table schema and one dialect: written once beside the package and
# named by each resource (a path is allowed there), so the package grows ~250 bytes a month file.
TABLE_SCHEMA_FILE = "digests.tableschema.json"
DIALECT_FILE = "digests.dialect.json"
CITATION_FILE = "CITATION.cff"

# The data dictionary: what each field means (the README's record schema table says the same).
MEANINGS = {
    "schema_version": "record schema version the record was written with",
    "key": "stable identity: langson:<slug> or vanphong:<node id>",
    "url": "the URL fetched (a mirror's when one was used)",
    "canonical_url": "the page's canonical live URL",
    "source": "langson.gov.vn or vanphong.langson.gov.vn",
    "title": "the headline",
    "week_start": "first day of the week covered, from the title; null when the title gives none",
    "week_end": "last day of the week covered",
    "published_at": "publication time, ISO 8601 with +07:00",
    "summary": "the lead: the week's directives separated by ';'",
    "sections": "one object per directive: heading, text, and the directive read from it (agencies, deadlines, "
    "leaders, documents)",
    "documents": "cited documents: type, number, date and the number's parts with a doc_id shared by every mention",
    "text": "lead, then each heading and its paragraphs, one per line",
    "images": "images in the body: src, alt, caption",
    "attachments": "linked files: url, text",
    "digest_key": "the week as START/END, shared by both portals' copies",
    "also_published_at": "canonical URLs of the same week's digest on the other portal",
    "extraction_method": "site-profile, generic or trafilatura-fallback",
    "extraction_warnings": "codes for what the parser had to work around",
    "extraction_strategies": "field -> the strategy that read it",
    "byline": "the closing line naming the office, never a section",
    "crawled_at": "when this version was fetched (UTC)",
    "content_hash": "sha256 of what the page says",
    "gone_since": "day a range rerun found the page deleted; the record is kept",
    "revision": "1 for the first version, +1 each time the content changed",
    "previous_content_hash": "the hash of the version this one replaced",
    "first_seen_at": "when the digest was first archived",
}
_REQUIRED = {"key", "url", "source", "title"}


def _field(name: str, spec: dict[str, Any]) -> dict[str, Any]:
    kinds = spec.get("type", "string")
    kinds = [k for k in (kinds if isinstance(kinds, list) else [kinds]) if k != "null"] or ["string"]
    kind = kinds[0]
    pattern = str(spec.get("pattern", ""))
    if kind == "string" and (spec.get("format") == "date" or pattern.startswith("^\\d{4}-\\d{2}-\\d{2}$")):
        kind = "date"
    elif kind == "string" and ("T\\d{2}" in pattern or name in ("crawled_at", "first_seen_at")):
        kind = "datetime"
    field: dict[str, Any] = {"name": name, "type": kind, "description": MEANINGS.get(name, "")}
    if name in _REQUIRED:
        field["constraints"] = {"required": True}
    if name == "key":
        field["constraints"]["unique"] = True
    return field


def table_schema() -> dict[str, Any]:
    """The Table Schema of every month file: the record schema's fields, types and meanings."""
    fields = [_field(name, spec) for name, spec in record_schema()["properties"].items()]
    return {"fields": fields, "primaryKey": ["key"]}


def dialect() -> dict[str, Any]:
    return {"json": {"keys": list(record_schema()["properties"])}}


def data_package(root: Path) -> dict[str, Any]:
    resources = []
    for path in sorted((root / RECORDS_DIR).rglob("*.jsonl")):
        rel = path.relative_to(root).as_posix()
        resources.append({
            "name": "digests-" + path.stem.lower(),
            "path": rel,
            "format": "jsonl",
            "mediatype": "application/jsonl",
            "encoding": "utf-8",
            "title": f"Digests whose week starts in {path.stem}" if path.stem != "undated" else "Undated digests",
            "dialect": DIALECT_FILE,
            "schema": TABLE_SCHEMA_FILE,
        })  # fmt: skip
    return {
        "profile": "data-package",
        "name": "langson-weekly-digests",
        "title": "Lạng Sơn People's Committee weekly digests (Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần)",
        "description": "One record per weekly digest published on langson.gov.vn and vanphong.langson.gov.vn: "
        "the week covered, the lead, each directive with the agencies tasked, deadlines and cited documents. "
        f"Record schema {SCHEMA_VERSION}; written by langson-archive {__version__}. See CITATION.cff to cite it.",
        "version": SCHEMA_VERSION,
        "created": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "homepage": "https://langson.gov.vn/",
        "sources": [
            {"title": "Cổng thông tin điện tử tỉnh Lạng Sơn", "path": "https://langson.gov.vn/"},
            {"title": "Văn phòng UBND tỉnh Lạng Sơn", "path": "https://vanphong.langson.gov.vn/"},
        ],
        "resources": resources,
    }


CITATION_TEMPLATE = """\
# A citation for this archive (https://citation-file-format.github.io). Written once by
# langson-archive and never overwritten: replace every value in <angle brackets>.
cff-version: 1.2.0
message: "If you use this archive, please cite it as below."
type: dataset
title: "Lạng Sơn People's Committee weekly digests, {first}–{last}"
version: "<archive version or date of the snapshot>"
date-released: "<YYYY-MM-DD>"
authors:
  - name: "<the organisation or person who keeps this archive>"
contact:
  - email: "<contact address>"
repository: "<where the archive is published>"
license: "<licence of the compilation; the texts remain the publishers'>"
abstract: >-
  Weekly digests "Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần" of the Lạng Sơn
  provincial People's Committee, crawled from langson.gov.vn and vanphong.langson.gov.vn,
  one JSON Lines record per digest (schema {schema}; see datapackage.json).
keywords:
  - Lạng Sơn
  - local government
  - Vietnam
"""


def data_package_current(root: Path) -> bool:
    """Whether ``datapackage.json`` already describes the archive's month files, as this version writes it.

    No file is read whole: a month file added or removed changes its folder's modification
    time, which the package's must be later than; the versions are in the package's first lines.
    """
    path = root / PACKAGE_FILE
    try:
        written = path.stat().st_mtime_ns
        for folder, _, _ in os.walk(root / RECORDS_DIR):
            if os.stat(folder).st_mtime_ns >= written:
                return False
        with path.open("rb") as handle:
            head = handle.read(8192).decode("utf-8", errors="ignore")
    except OSError:
        return False
    shared = all((root / name).is_file() for name in (TABLE_SCHEMA_FILE, DIALECT_FILE))
    return shared and f'"version": "{SCHEMA_VERSION}"' in head and f"written by langson-archive {__version__}." in head


def write_data_package(root: Path) -> Path:
    """``datapackage.json``, its table schema and dialect (always rewritten); ``CITATION.cff`` (once)."""
    package = data_package(root)
    for name, part in ((TABLE_SCHEMA_FILE, table_schema()), (DIALECT_FILE, dialect())):
        write_atomic(root / name, (json.dumps(part, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    write_atomic(root / PACKAGE_FILE, (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    citation = root / CITATION_FILE
    if not citation.exists():
        months = [r["path"].rsplit("/", 1)[-1].removesuffix(".jsonl") for r in package["resources"]]
        months = [m for m in months if m != "undated"] or ["<first>"]
        text = CITATION_TEMPLATE.format(first=months[0][:4], last=months[-1][:4], schema=SCHEMA_VERSION)
        write_atomic(citation, text.encode("utf-8"))
    return root / PACKAGE_FILE
