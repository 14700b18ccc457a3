"""``validate`` checks what the schema promises, and the rules between fields it cannot state."""

from __future__ import annotations

import json
import shutil

import pytest

from scraper.records.schema import content_hash
from tests import mockserver
from tests.conftest import PORTAL, crawl_portal, load_expected, run_cli


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    servers = mockserver.start(PORTAL)
    out = tmp_path_factory.mktemp("validate") / "archive"
    try:
        assert crawl_portal(servers, out, "--source", "vanphong").returncode == 0
    finally:
        for site in servers.values():
            site.stop()
    return out


def _rehash(record: dict) -> dict:
    record["content_hash"] = content_hash(record)
    return record


CORRUPTIONS = {
    "published_at not a date-time": (lambda r: _rehash({**r, "published_at": "yesterday"}), "published_at"),
    "url not a URL": (lambda r: {**r, "url": "javascript:alert(1)"}, "url"),
    "image src not a URL": (lambda r: {**r, "images": [{"src": "file:///etc/passwd"}]}, "images"),
    "a week of 40 days": (lambda r: {**r, "week_end": "2099-01-01"}, ""),
    "week_start after week_end": (
        lambda r: {**r, "week_start": r["week_end"], "week_end": r["week_start"]},
        "after week_end",
    ),  # fmt: skip
    "content hash that does not match": (lambda r: {**r, "text": r["text"] + " thêm"}, "content_hash"),
    "digest_key of another week": (lambda r: {**r, "digest_key": "2001-01-01/2001-01-07"}, "digest_key"),
}


@pytest.mark.parametrize("case", list(CORRUPTIONS))
def test_validate_reports_what_breaks_the_contract(crawled, tmp_path, case):
    out = tmp_path / "archive"
    shutil.copytree(crawled, out)
    path = sorted((out / "digests").rglob("*.jsonl"))[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    corrupt, message = CORRUPTIONS[case]
    lines[0] = json.dumps(corrupt(json.loads(lines[0])), ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run_cli("validate", "--out", str(out))
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    # a problem the schema states is listed; a line the archive cannot use at all stops it (FILE:LINE)
    problem = [line for line in (done.stdout + done.stderr).splitlines() if str(path) in line]
    assert len(problem) == 1 and message in problem[0], done.stdout + done.stderr


def test_validate_reports_a_record_filed_in_the_wrong_month(crawled, tmp_path):
    out = tmp_path / "archive"
    shutil.copytree(crawled, out)
    first, second = sorted((out / "digests").rglob("*.jsonl"))[:2]
    second.write_text(second.read_text(encoding="utf-8") + first.read_text(encoding="utf-8"), encoding="utf-8")
    first.unlink()
    done = run_cli("validate", "--out", str(out))
    assert done.returncode == 1 and "but its week belongs in" in done.stdout


def test_validate_passes_a_crawled_archive(crawled):
    done = run_cli("validate", "--out", str(crawled))
    assert done.returncode == 0 and done.stdout.strip().endswith("records valid")


def test_crawled_archive_validates_against_the_published_schema(portal, tmp_path):
    assert crawl_portal(portal, tmp_path).returncode == 0
    done = run_cli("validate", "--out", str(tmp_path))
    assert done.returncode == 0 and f"{len(load_expected())}/{len(load_expected())} records valid" in done.stdout
