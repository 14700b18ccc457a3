"""Faults injected through the fixture portal's real HTTP server (first part of issue #5)."""

from __future__ import annotations

from tests.conftest import crawl_portal, export, load_expected


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
