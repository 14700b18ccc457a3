"""End to end over loopback: a redesigned portal is archived whole, and the run says it guessed.

``scraper/demo/redesign/`` is the fixture portal after a plausible redesign of both
sites (written by ``tests/fixtures/make_drift.py``): a new listing skin with link text cut
short, path-based and next-only pagers, Drupal path aliases, body classes on wrappers,
leads inside the body, other date formats and closing bylines. On the ordinary fixture portal,
one page whose body markup changed is read the same way, and a listing whose pager vanished
ends the walk as a possible gap; both runs say so.
"""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest

from tests import mockserver
from tests.conftest import FIXTURES, PORTAL, REDESIGN, as_published, crawl_portal, export, load_expected, run_cli

FIELDS = ("source", "key", "canonical_url", "title", "week_start", "week_end", "published_at", "summary", "sections",
          "documents", "text", "byline")  # fmt: skip


@pytest.fixture
def redesigned():
    servers = mockserver.start(REDESIGN)
    yield servers
    for site in servers.values():
        site.stop()


def _expected() -> dict[str, dict]:
    lines = (FIXTURES / "redesign-expected.jsonl").read_text(encoding="utf-8").splitlines()
    return {e["key"]: e for e in map(json.loads, filter(None, lines))}


def _warning_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("langson-archive: warning:")]


def test_redesigned_portal_is_archived_whole_and_the_run_ends_degraded(redesigned, tmp_path):
    want = _expected()
    done = crawl_portal(redesigned, tmp_path, "--exit-codes", "detailed")
    assert done.returncode == 5, done.stderr  # degraded, with --exit-codes detailed
    summary = done.stdout.strip().splitlines()[-1]
    assert "degraded" in summary and f"{len(want)} new" in summary
    (warning,) = _warning_lines(done.stderr)  # one line saying what and where ...
    assert "generic scan" in warning and "langson" in warning and "vanphong" in warning
    assert not [line for line in done.stderr.splitlines() if "WARNING" in line]  # ... and no other
    records = {r["key"]: r for r in export(tmp_path)}
    assert set(records) == set(want)  # every digest, nothing else (news items are skipped)
    for key, expected in want.items():
        for name in FIELDS:
            assert as_published(name, records[key][name]) == expected[name], (key, name)
        assert set(expected["warnings"]) <= set(records[key]["extraction_warnings"]), key
    report = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["last_run"]
    assert report["outcome"] == "degraded" and report["degraded"]
    assert any(k.startswith("langson/published_at/generic:") for k in report["strategies"])
    status = run_cli("status", "--out", str(tmp_path))
    assert "degraded:" in status.stdout
    # guessed and walked pages were fetched once each; nothing past the last page was an error
    assert report["errors"] == 0 and not report["error_detail"]


def test_rerun_over_a_redesign_fetches_no_archived_digest_again(redesigned, tmp_path):
    assert crawl_portal(redesigned, tmp_path).returncode == 0
    for site in redesigned.values():  # the first listing page changed (no 304): the walk must look
        first = site.routes[{"langson": "/chi-dao-dieu-hanh-noi-bat", "vanphong": "/vi/chi-dao-dieu-hanh"}[site.name]]
        site.routes[site.name == "langson" and "/chi-dao-dieu-hanh-noi-bat" or "/vi/chi-dao-dieu-hanh"] = {
            "file": first["file"], "content_type": "text/html; charset=utf-8", "pad": 1}  # fmt: skip
        site.requests.clear()
    done = crawl_portal(redesigned, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "0 new, 0 updated" in done.stdout
    for site in redesigned.values():  # digests linked by alias or new path are known by their path
        assert len(site.requests) == 2, site.requests  # robots.txt and the first listing page


def test_scheduled_walk_that_never_reaches_the_archive_is_a_possible_gap(portal, tmp_path):
    expected = [e for e in map(json.loads, (FIXTURES / "expected.jsonl").read_text("utf-8").splitlines())]
    oldest = min((e for e in expected if e["site"] == "langson" and e["week_start"]), key=lambda e: e["week_start"])
    done = crawl_portal(portal, tmp_path, "--source", "langson", "--from", oldest["week_start"], "--to",
                        oldest["week_end"])  # fmt: skip
    assert done.returncode == 0, done.stderr
    site = portal["langson"]
    html = (PORTAL / "langson" / "pages" / site.routes["/chi-dao-dieu-hanh-noi-bat"]["file"]).read_text("utf-8")
    cut = tmp_path / "listing-without-pager.html"  # the pager vanished: the walk cannot go on
    cut.write_text(re.sub(r'<div class="default-pagination".*?</div>', "", html, flags=re.S), encoding="utf-8")
    site.routes["/chi-dao-dieu-hanh-noi-bat"] = {"file": os.path.relpath(cut, PORTAL / "langson" / "pages")}
    done = crawl_portal(portal, tmp_path, "--source", "langson", "--exit-codes", "detailed")
    assert done.returncode == 5, done.stderr
    (warning,) = _warning_lines(done.stderr)
    assert "without reaching an archived digest" in warning


def test_reparse_rebuilds_digests_fetched_at_aliases_and_new_paths(redesigned, tmp_path):
    assert crawl_portal(redesigned, tmp_path).returncode == 0
    before = {r["key"]: r for r in export(tmp_path)}
    shutil.rmtree(tmp_path / "digests")  # a lost archive: only the captures are left
    done = run_cli("reparse", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    after = {r["key"]: r for r in export(tmp_path)}
    assert set(after) == set(before)
    for key, record in after.items():
        assert record["text"] == before[key]["text"] and record["canonical_url"] == before[key]["canonical_url"]


def test_changed_body_markup_is_read_generically_and_the_run_says_so(portal, tmp_path):
    want = next(e for e in load_expected() if e["site"] == "langson" and e["week_start"])
    site = portal["langson"]
    html = (PORTAL / "langson" / "pages" / site.routes[want["path"]]["file"]).read_text(encoding="utf-8")
    assert 'class="content-detail' in html
    changed = tmp_path / "new-template.html"
    changed.write_text(html.replace('class="content-detail', 'class="noi-dung-bai-viet').replace(
        'itemprop="articleBody"', ""), encoding="utf-8")  # fmt: skip
    site.routes[want["path"]] = {"file": os.path.relpath(changed, PORTAL / "langson" / "pages")}
    done = crawl_portal(portal, tmp_path / "a", "--source", "langson", "--log-level", "WARNING")
    assert done.returncode == 0, done.stderr  # simple exit codes: archived
    assert "body.generic" in done.stderr  # flagged in the log ...
    assert "degraded" in done.stdout.splitlines()[-1]  # ... in the summary line ...
    warning = [line for line in done.stderr.splitlines() if line.startswith("langson-archive: warning:")]
    assert len(warning) == 1 and want["path"] in warning[0]  # ... in one line saying where
    record = next(r for r in export(tmp_path / "a") if r["canonical_url"] == want["canonical_url"])
    assert record["extraction_method"] == "generic"  # ... and in the record
    assert record["extraction_strategies"]["body"].startswith("generic:")
    assert record["text"] == want["text"]
    assert record["title"] == want["title"] and record["week_start"] == want["week_start"]
    assert want["must_contain"][0] in record["text"]
    assert all(chrome not in record["text"] for chrome in ("Tăng tương phản", "Tổng số điểm", "Tin liên quan"))


def test_a_pager_that_posts_back_ends_the_walk_and_the_run_says_so(portal, tmp_path):
    site = portal["langson"]
    html = (PORTAL / "langson" / "pages" / site.routes["/chi-dao-dieu-hanh-noi-bat"]["file"]).read_text("utf-8")
    script = html.replace('href="/chi-dao-dieu-hanh-noi-bat?page=2"', "href=\"javascript:__doPostBack('pager','2')\"")
    assert script != html
    changed = tmp_path / "listing-postback.html"
    changed.write_text(script, encoding="utf-8")
    site.routes["/chi-dao-dieu-hanh-noi-bat"] = {"file": os.path.relpath(changed, PORTAL / "langson" / "pages")}
    done = crawl_portal(portal, tmp_path / "a", "--source", "langson", "--exit-codes", "detailed")
    assert done.returncode == 5, done.stderr  # degraded: older digests are out of reach, and it says so
    (warning,) = _warning_lines(done.stderr)
    assert "script control the crawler cannot follow" in warning and "/chi-dao-dieu-hanh-noi-bat" in warning
    assert "/chi-dao-dieu-hanh-noi-bat?page=2" not in site.requests
    # a scheduled run that stops at archived digests on the first page needs no second page: not degraded
    site.routes["/chi-dao-dieu-hanh-noi-bat"]["pad"] = 1  # changed since (no 304): the page is read again
    site.routes["/chi-dao-dieu-hanh-noi-bat"]["content_type"] = "text/html; charset=utf-8"
    done = crawl_portal(portal, tmp_path / "a", "--source", "langson", "--exit-codes", "detailed")
    assert done.returncode == 4, done.stderr  # nothing new, nothing guessed
    assert "/chi-dao-dieu-hanh-noi-bat" in site.requests and not _warning_lines(done.stderr)
