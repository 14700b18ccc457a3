"""export --format sqlite: the archive as one database that Datasette serves, searchable, described."""

from __future__ import annotations

import asyncio
import json
import sqlite3

import pytest

from tests.conftest import export, run_cli

datasette_app = pytest.importorskip("datasette.app", reason="datasette is a dev dependency (pip install -e '.[dev]')")


@pytest.fixture(scope="module")
def database(crawled, tmp_path_factory):
    out = crawled
    path = tmp_path_factory.mktemp("database") / "digests.db"
    done = run_cli("export", "--out", str(out), "--format", "sqlite", "-o", str(path))
    assert done.returncode == 0, done.stderr
    assert "12 digests written" in done.stderr and "warning" not in done.stderr
    return out, path


def test_every_table_holds_what_the_archive_holds(database):
    out, path = database
    records = export(out)
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM digests").fetchone()[0] == len(records)
    assert db.execute("SELECT count(*) FROM sections").fetchone()[0] == sum(len(r["sections"]) for r in records)
    assert db.execute("SELECT count(*) FROM directives").fetchone()[0] == sum(len(r["sections"]) for r in records)
    leads = sum(len(s["directive"]["lead_agencies"]) for r in records for s in r["sections"])
    assert db.execute("SELECT count(*) FROM directive_agencies WHERE role = 'lead'").fetchone()[0] == leads
    ids = {d["doc_id"] for r in records for d in r["documents"]}
    assert {row[0] for row in db.execute("SELECT doc_id FROM documents")} == ids
    citations = {(r["key"], d["doc_id"]) for r in records for d in r["documents"]}
    assert set(db.execute("SELECT key, doc_id FROM citations")) == citations


def test_datasette_serves_it_with_full_text_search_and_the_descriptions(database):
    _, path = database
    meta = json.loads(path.with_name("digests.metadata.json").read_text(encoding="utf-8"))

    async def fetch():
        ds = datasette_app.Datasette([str(path)], metadata=meta)
        rows = await ds.client.get("/digests/digests.json?_shape=array&_size=max")
        found = await ds.client.get('/digests/digests.json?_shape=array&_searchmode=raw&_search=text_folded:"dau tu"')
        tables = await ds.client.get("/digests.json")
        described = await ds.client.get("/-/metadata.json")
        return rows, found, tables, described

    rows, found, tables, described = asyncio.run(fetch())
    assert rows.status_code == 200 and len(rows.json()) == 12
    assert found.status_code == 200 and found.json()  # the folded columns: no diacritics needed
    assert all("đầu tư" in r["text"].lower() for r in found.json())
    names = {t["name"] for t in tables.json()["tables"]}
    assert {"digests", "sections", "directives", "directive_agencies", "documents", "citations"} <= names
    columns = described.json()["databases"]["digests"]["tables"]["documents"]["columns"]
    assert columns["doc_id"].startswith("the same for every mention")


def test_sqlite_needs_a_file(database):
    out, _ = database
    done = run_cli("export", "--out", str(out), "--format", "sqlite")
    assert done.returncode == 2 and "give -o FILE" in done.stderr
