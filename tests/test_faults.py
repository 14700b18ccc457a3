"""Faults injected through the fixture portal's real HTTP server (first part of issue #5)."""

from __future__ import annotations

import os
import re

from tests.conftest import PORTAL, crawl_portal, export, load_expected, run_cli


def digest_paths(site):
    return [e["path"] for e in load_expected() if e["site"] == site]


def test_redirect_off_the_host_is_refused_and_the_rest_is_archived(portal, tmp_path):
    path = digest_paths("vanphong")[0]
    portal["vanphong"].routes[path] = {"redirect": "http://127.0.0.2:9/stolen"}
    done = crawl_portal(portal, tmp_path, "--source", "vanphong")
    assert done.returncode == 3 and "partial failure" in done.stdout
    assert f"no page came back for {portal['vanphong'].url}{path}" in done.stderr
    assert len(export(tmp_path)) == len(digest_paths("vanphong")) - 1


def test_redirect_loop_ends_as_a_reported_error(portal, tmp_path):
    path = digest_paths("vanphong")[0]
    portal["vanphong"].routes[path] = {"redirect": path}
    done = crawl_portal(portal, tmp_path, "--source", "vanphong")
    assert done.returncode == 3 and "partial failure" in done.stdout
    assert portal["vanphong"].requests.count(path) <= 6  # REDIRECT_MAX_TIMES bounds it
    assert len(export(tmp_path)) == len(digest_paths("vanphong")) - 1
    assert path in (tmp_path / "state" / "pending.json").read_text()  # tried again next run


def test_empty_200_at_a_digest_url_is_skipped_not_archived(portal, tmp_path):
    path = digest_paths("langson")[0]
    portal["langson"].routes[path] = {"text": ""}
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 0, done.stderr
    assert path not in {"/" + r["url"].split("/", 3)[3] for r in export(tmp_path)}
    assert len(export(tmp_path)) == len(digest_paths("langson")) - 1


def test_failing_listing_page_is_retried_then_reported(portal, tmp_path):
    portal["vanphong"].routes["/vi/chi-dao-dieu-hanh?page=1"] = {"status": 503}
    done = crawl_portal(portal, tmp_path, "--source", "vanphong")
    assert done.returncode == 3
    assert portal["vanphong"].requests.count("/vi/chi-dao-dieu-hanh?page=1") == 4
    assert len(export(tmp_path)) >= 1  # page 0's digests are archived all the same


def article_route(portal, site, index=0):
    path = digest_paths(site)[index]
    return path, dict(portal[site].routes[path])


def test_timeout_is_retried_then_reported_and_the_rest_archived(portal, tmp_path):
    path, route = article_route(portal, "langson")
    portal["langson"].routes[path] = {**route, "sleep": 2}
    done = crawl_portal(portal, tmp_path, "--source", "langson", "--timeout", "0.5")
    assert done.returncode == 3, done.stderr
    assert portal["langson"].requests.count(path) == 4
    assert len(export(tmp_path)) == len(digest_paths("langson")) - 1


def test_connection_reset_is_retried_then_reported(portal, tmp_path):
    path, route = article_route(portal, "langson")
    portal["langson"].routes[path] = {**route, "reset": True}
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 3, done.stderr
    # 1 + 3 retries; Twisted may resend once on a reused connection, so at most twice that
    assert 4 <= portal["langson"].requests.count(path) <= 8
    assert len(export(tmp_path)) == len(digest_paths("langson")) - 1


def test_truncated_body_is_not_archived_as_a_short_record(portal, tmp_path):
    path, route = article_route(portal, "langson")
    portal["langson"].routes[path] = {**route, "truncate": 3000}
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 3, done.stderr
    assert path not in {"/" + r["url"].split("/", 3)[3] for r in export(tmp_path)}


def test_response_over_the_size_limit_is_refused(portal, tmp_path):
    path, route = article_route(portal, "langson")
    portal["langson"].routes[path] = {**route, "content_type": "text/html; charset=utf-8", "pad": 200_000}
    done = crawl_portal(portal, tmp_path, "--source", "langson", "--max-size", "100000")
    assert done.returncode == 3, done.stderr
    assert len(export(tmp_path)) == len(digest_paths("langson")) - 1


def test_wrong_or_missing_charset_declaration_still_reads_utf8(portal, tmp_path):
    expected = {e["path"]: e for e in load_expected() if e["site"] == "langson"}
    first, route = article_route(portal, "langson", 0)
    second, route2 = article_route(portal, "langson", 1)
    portal["langson"].routes[first] = {**route, "content_type": "text/html; charset=iso-8859-1"}
    portal["langson"].routes[second] = {**route2, "content_type": "text/html"}
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 0, done.stderr
    by_path = {"/" + r["url"].split("/", 3)[3]: r for r in export(tmp_path)}
    for path in (first, second):
        assert by_path[path]["title"] == expected[path]["title"]
        assert by_path[path]["text"] == expected[path]["text"]


def test_digest_deleted_from_the_site_is_kept_and_marked_gone(portal, tmp_path):
    assert crawl_portal(portal, tmp_path, "--source", "vanphong").returncode == 0
    victim = next(e for e in load_expected() if e["site"] == "vanphong" and e["week_start"])
    site = portal["vanphong"]
    del site.routes[victim["path"]]  # the page now answers 404 ...
    for listing in ("/vi/chi-dao-dieu-hanh", "/vi/chi-dao-dieu-hanh?page=0", "/vi/chi-dao-dieu-hanh?page=1"):
        route = site.routes[listing]  # ... and the listing no longer links it
        html = (PORTAL / "vanphong" / "pages" / route["file"]).read_text(encoding="utf-8")
        patched = tmp_path / f"listing-{abs(hash(listing))}.html"
        row = re.compile(rf'<a href="{re.escape(victim["path"])}"[^>]*>.*?</a>')
        patched.write_text(row.sub("", html), encoding="utf-8")
        site.routes[listing] = {"file": os.path.relpath(patched, PORTAL / "vanphong" / "pages")}
    done = crawl_portal(
        portal, tmp_path, "--source", "vanphong", "--from", victim["week_start"], "--to", victim["week_end"]
    )
    assert done.returncode == 0, done.stderr
    assert victim["path"] in site.requests  # looked up although the listing no longer shows it
    records = {r["canonical_url"]: r for r in export(tmp_path)}
    assert len(records) == len(digest_paths("vanphong"))  # nothing lost
    assert records[victim["canonical_url"]]["gone_since"]
    assert records[victim["canonical_url"]]["text"] == victim["text"]
    assert all("gone_since" not in r for url, r in records.items() if url != victim["canonical_url"])
    assert run_cli("validate", "--out", str(tmp_path)).returncode == 0


def test_listing_that_shifts_while_walked_doubles_nothing(portal, tmp_path):
    site = portal["langson"]
    page1 = (PORTAL / "langson" / "pages" / site.routes["/chi-dao-dieu-hanh-noi-bat"]["file"]).read_text("utf-8")
    page2_route = site.routes["/chi-dao-dieu-hanh-noi-bat?page=2"]
    page2 = (PORTAL / "langson" / "pages" / page2_route["file"]).read_text("utf-8")
    # a new digest went up between the two requests: page 1's last item now also opens page 2
    last_item = page1[page1.rindex("<article") : page1.index("</article>", page1.rindex("<article")) + 10]
    shifted = page2.replace("<article", last_item + "\n<article", 1)
    patched = tmp_path / "listing-2-shifted.html"
    patched.write_text(shifted, encoding="utf-8")
    site.routes["/chi-dao-dieu-hanh-noi-bat?page=2"] = {"file": os.path.relpath(patched, PORTAL / "langson" / "pages")}
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 0, done.stderr
    records = export(tmp_path)
    assert len(records) == len({r["key"] for r in records}) == len(digest_paths("langson"))
    article_requests = [p for p in site.requests if p.endswith(".html")]
    assert len(article_requests) == len(set(article_requests))  # each page fetched once


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
