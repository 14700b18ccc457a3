"""The archive is a citable Frictionless data package that the frictionless library validates."""

from __future__ import annotations

import json
import shutil

import pytest

from scraper.records.package import MEANINGS
from scraper.records.schema import record_schema
from tests.conftest import run_cli

frictionless = pytest.importorskip("frictionless", reason="frictionless is a dev dependency (pip install -e '.[dev]')")


def test_a_crawl_leaves_a_valid_data_package_of_every_month_file(crawled):
    package = json.loads((crawled / "datapackage.json").read_text(encoding="utf-8"))
    files = sorted(p.relative_to(crawled).as_posix() for p in (crawled / "digests").rglob("*.jsonl"))
    assert sorted(r["path"] for r in package["resources"]) == files
    report = frictionless.validate(str(crawled / "datapackage.json"))
    assert report.valid, report.flatten(["title", "type", "message"])[:5]
    rows = sum(task.stats["rows"] for task in report.tasks)
    assert rows == sum(len(p.read_text(encoding="utf-8").splitlines()) for p in (crawled / "digests").rglob("*.jsonl"))


def test_every_field_of_the_record_schema_is_described(crawled):
    package = json.loads((crawled / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["schema"] for r in package["resources"]} == {"digests.tableschema.json"}  # one schema, shared
    schema = json.loads((crawled / "digests.tableschema.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in schema["fields"]}
    assert list(fields) == list(record_schema()["properties"])
    assert all(fields[name]["description"] for name in fields) and set(MEANINGS) == set(fields)
    assert fields["week_start"]["type"] == "date" and fields["published_at"]["type"] == "datetime"


def test_a_record_that_breaks_the_types_makes_the_package_invalid(crawled, tmp_path):
    out = tmp_path / "archive"
    shutil.copytree(crawled, out)
    partition = sorted((out / "digests").rglob("*.jsonl"))[0]
    records = [json.loads(line) for line in partition.read_text(encoding="utf-8").splitlines()]
    records[0]["week_start"] = "the first week of March"
    partition.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    report = frictionless.validate(str(out / "datapackage.json"))
    assert not report.valid
    assert any(e.type == "type-error" for task in report.tasks for e in task.errors)


def test_the_citation_template_is_written_once_and_kept(crawled, tmp_path):
    citation = (crawled / "CITATION.cff").read_text(encoding="utf-8")
    assert "cff-version: 1.2.0" in citation and "type: dataset" in citation and "<" in citation
    out = tmp_path / "archive"
    shutil.copytree(crawled, out)
    (out / "CITATION.cff").write_text("cff-version: 1.2.0\ntitle: filled in by the operator\n", encoding="utf-8")
    assert run_cli("reparse", "--out", str(out)).returncode == 0
    assert (out / "CITATION.cff").read_text(encoding="utf-8").endswith("filled in by the operator\n")
