"""Directives and cited documents leave the archive as rows: per directive, and as a citation index."""

from __future__ import annotations

import csv
import io
import json
import shutil

from scraper import SCHEMA_VERSION
from scraper.archive import Archive
from tests.conftest import export, run_cli


def rows(out, *args):
    done = run_cli("export", "--out", str(out), *args)
    assert done.returncode == 0, done.stderr
    return done


def test_one_row_per_directive_with_agencies_deadline_and_documents(crawled):
    records = export(crawled)
    done = rows(crawled, "--directives")
    got = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(got) == sum(len(r["sections"]) for r in records)
    by_heading = {row["heading"]: row for row in got}
    for record in records:
        for section in record["sections"]:
            row = by_heading[section["heading"]]
            directive = section["directive"]
            assert row["key"] == record["key"] and row["week_start"] == record["week_start"]
            assert row["lead_agencies"] == [
                a["name"] + ("" if a["known"] else " (?)") for a in directive["lead_agencies"]
            ]
            dates = sorted(d["date"] for d in directive["deadlines"] if d["date"])
            assert row["earliest_deadline"] == (dates[0] if dates else None)
            assert row["documents"] == directive["documents"]
    assert any(row["lead_agencies"] for row in got) and any(row["earliest_deadline"] for row in got)
    assert done.stderr == ""


def test_directives_as_csv_join_lists_with_semicolons(crawled):
    done = rows(crawled, "--directives", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(done.stdout.lstrip("\ufeff"))))
    assert table and set(table[0]) >= {"key", "heading", "lead_agencies", "partner_agencies", "earliest_deadline"}
    multi = [r for r in table if ";" in r["documents"]]
    assert all(all(part.strip() for part in r["documents"].split(";")) for r in multi)


def test_the_citation_index_has_one_row_per_document_and_every_citing_digest(crawled):
    records = export(crawled)
    done = rows(crawled, "--documents")
    index = [json.loads(line) for line in done.stdout.splitlines()]
    ids = [row["doc_id"] for row in index]
    assert len(ids) == len(set(ids))
    cited = {}
    for record in records:
        for document in record["documents"]:
            cited.setdefault(document["doc_id"], set()).add(record["key"])
    assert {row["doc_id"]: set(row["cited_by"]) for row in index} == cited
    assert sum(row["citations"] for row in index) == sum(len(r["documents"]) for r in records)
    assert [r["citations"] for r in index] == sorted((r["citations"] for r in index), reverse=True)


def test_records_before_schema_1_2_are_named_and_reparse_fills_them(crawled, tmp_path):
    out = tmp_path / "archive"
    shutil.copytree(crawled, out)
    store = Archive(out)
    for path in store.partitions():  # as an older version wrote them
        old = []
        for record in store.read_partition(path):
            record["schema_version"] = "1.1"
            record["sections"] = [{"heading": s["heading"], "text": s["text"]} for s in record["sections"]]
            record["documents"] = [{k: d[k] for k in ("type", "number", "date")} for d in record["documents"]]
            old.append(json.dumps(record, ensure_ascii=False))
        path.write_text("\n".join(old) + "\n", encoding="utf-8")
    before = run_cli("export", "--out", str(out), "--directives")
    assert before.returncode == 0 and before.stdout == ""
    assert "12 records were written before schema 1.2" in before.stderr and "reparse" in before.stderr
    assert run_cli("validate", "--out", str(out)).returncode == 0  # old records stay valid
    done = run_cli("reparse", "--out", str(out))
    assert done.returncode == 0, done.stderr
    after = rows(out, "--directives")
    rebuilt = export(out)
    assert after.stderr == ""
    assert len(after.stdout.splitlines()) == sum(len(r["sections"]) for r in rebuilt) > 0
    assert all(r["schema_version"] == SCHEMA_VERSION == "1.2" for r in rebuilt)
    assert [r["sections"] for r in rebuilt] == [r["sections"] for r in export(crawled)]
