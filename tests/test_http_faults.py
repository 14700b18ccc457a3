"""Faults injected through the fixture portal's real HTTP server.

Redirects off the host or in a loop, empty answers, failing listing pages, timeouts, resets,
cut or oversized bodies and wrong charset declarations: each is retried, refused or read
right, reported, and the rest of the site is archived all the same.
"""

from __future__ import annotations

import pytest

from tests.conftest import PORTAL, crawl_portal, digest_paths, export, load_expected, run_cli


def test_redirect_off_the_host_is_refused_and_the_rest_is_archived(portal, tmp_path):
    path = digest_paths("vanphong")[0]
    portal["vanphong"].routes[path] = {"redirect": "http://127.0.0.2:9/stolen"}
    done = crawl_portal(portal, tmp_path, "--source", "vanphong")
    assert done.returncode == 3 and "partial failure" in done.stdout
    assert "not following article off the configured origins: http://127.0.0.2:9/stolen" in done.stderr
    assert len(export(tmp_path)) == len(digest_paths("vanphong")) - 1


def test_a_site_that_moves_to_www_is_followed_as_the_same_site_and_the_run_says_so(portal, tmp_path):
    """Every page answers a 301 to "www." of its host: the same server, so the crawl goes on there and
    the run is degraded with the base URL to set; another port on that name is still refused."""
    site = portal["langson"]
    port = site.url.rsplit(":", 1)[1]
    for path, route in list(site.routes.items()):
        site.routes[path] = {**route, "to_www": True}
    args = ("--source", "langson", "--base-url", f"langson=http://localhost:{port}", "--out", str(tmp_path),
            "--delay", "0", "-s", "TWISTED_DNS_RESOLVER=tests.mockserver.LoopbackResolver")  # fmt: skip
    done = run_cli("crawl", *args)
    assert done.returncode == 0 and "degraded" in done.stdout, done.stderr
    assert f"the site answers as http://www.localhost:{port}, followed as the same site" in done.stderr
    assert f"--base-url langson=http://www.localhost:{port}" in done.stderr
    records = export(tmp_path)
    assert len(records) == len(digest_paths("langson"))
    assert all(r["url"].startswith(f"http://www.localhost:{port}/") for r in records)

    moved = digest_paths("langson")[0]
    site.routes[moved] = {"redirect": f"http://www.localhost:{int(port) + 1}{moved}"}  # the name, not the port
    done = run_cli("crawl", *args, "--from", "2000-01-01", "--to", "2100-01-01")
    assert done.returncode == 3, done.stderr
    assert f"off the configured origins: http://www.localhost:{int(port) + 1}{moved} is outside" in done.stderr


def test_redirect_loop_ends_as_a_reported_error(portal, tmp_path):
    path = digest_paths("vanphong")[0]
    portal["vanphong"].routes[path] = {"redirect": path}
    done = crawl_portal(portal, tmp_path, "--source", "vanphong")
    assert done.returncode == 3 and "partial failure" in done.stdout
    assert portal["vanphong"].requests.count(path) <= 6  # REDIRECT_MAX_TIMES bounds it
    assert len(export(tmp_path)) == len(digest_paths("vanphong")) - 1
    assert path in (tmp_path / "state" / "pending.json").read_text()  # tried again next run


@pytest.mark.parametrize("gate", [True, "/gate"], ids=["same-url", "via-a-gate-page"])
def test_a_cookie_gate_that_redirects_back_to_the_page_is_passed(portal, tmp_path, gate):
    """A load balancer's or anti-DDoS gate's cookie is kept, as a browser keeps it: no redirect loop."""
    for path in (digest_paths("langson")[0], "/chi-dao-dieu-hanh-noi-bat"):
        portal["langson"].routes[path] = {**portal["langson"].routes[path], "cookie_gate": gate}
        portal["langson"].routes[f"/gate?next={path}"] = {"gate_back": path}
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 0, done.stderr
    assert len(export(tmp_path)) == len(digest_paths("langson"))
    assert portal["langson"].requests.count("/chi-dao-dieu-hanh-noi-bat") == 2  # the gate, then the page
    assert portal["langson"].requests.count(digest_paths("langson")[0]) == 1  # the gate's cookie was kept


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


@pytest.mark.parametrize("fault", [{"truncate": 3000}, {"broken_chunks": 3000}], ids=["short-body", "broken-chunks"])
def test_truncated_body_is_not_archived_as_a_short_record(portal, tmp_path, fault):
    path, route = article_route(portal, "langson")
    portal["langson"].routes[path] = {**route, **fault}
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 3, done.stderr
    assert path not in {"/" + r["url"].split("/", 3)[3] for r in export(tmp_path)}
    assert portal["langson"].requests.count(path) == 4  # retried, as a reset is
    failed = [line for line in done.stderr.splitlines() if "failed to fetch article" in line]
    assert len(failed) == 1 and "data loss" in failed[0], done.stderr  # says what happened, not a bare class


@pytest.mark.parametrize(("status", "words"), [(404, "HTTP 404 Not Found"), (410, "HTTP 410 Gone"),
                                               (403, "HTTP 403 Forbidden"), (599, "HTTP 599")])  # fmt: skip
def test_a_digest_url_answering_an_http_error_is_reported_with_its_status_and_kept_pending(
    portal, tmp_path, status, words
):
    path, _ = article_route(portal, "langson")
    portal["langson"].routes[path] = {"status": status}
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 3, done.stderr
    assert f"failed to fetch article {portal['langson'].url}{path}: {words}" in done.stderr
    assert "non-200" not in done.stderr
    assert path in (tmp_path / "state" / "pending.json").read_text()
    assert len(export(tmp_path)) == len(digest_paths("langson")) - 1


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


def test_a_file_where_a_digest_was_linked_is_named_kept_pending_and_read_once_it_is_a_page(portal, tmp_path):
    """A PDF, or an image with no Content-Type, at a digest URL: said what it is, never handed to the parser."""
    (pdf_path, route), (image_path, _) = article_route(portal, "langson", 0), article_route(portal, "langson", 1)
    portal["langson"].routes[pdf_path] = {"data": b"%PDF-1.7\n1 0 obj".hex(), "content_type": "application/pdf"}
    portal["langson"].routes[image_path] = {"data": b"\xff\xd8\xff\xe0\x00\x10JFIF".hex(), "content_type": ""}
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 0 and "degraded" in done.stdout, done.stderr
    assert "digest URLs answering with no web page (a PDF file), not archived" in done.stderr
    assert "digest URLs answering with no web page (a JPEG image), not archived" in done.stderr
    assert "trafilatura" not in done.stderr  # no parser ran on a file
    assert len(export(tmp_path)) == len(digest_paths("langson")) - 2
    pending = (tmp_path / "state" / "pending.json").read_text()
    assert pdf_path in pending and image_path in pending

    portal["langson"].routes[pdf_path] = route  # the page is back: the next run archives it
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert pdf_path in {"/" + r["url"].split("/", 3)[3] for r in export(tmp_path)}


def test_a_maintenance_page_at_a_digest_url_is_reported_and_tried_again_next_run(portal, tmp_path):
    """A 200 that is no digest where the listing links one: never skipped in silence, and got next run."""
    path = digest_paths("langson")[0]
    route = portal["langson"].routes[path]
    portal["langson"].routes[path] = {
        "text": "<html><head><title>Bảo trì</title></head><body><h1>Hệ thống đang được bảo trì</h1>"
        "<p>Xin vui lòng quay lại sau ít phút.</p></body></html>"
    }
    done = crawl_portal(portal, tmp_path, "--source", "langson", "--exit-codes", "detailed")
    assert done.returncode == 5, done.stderr  # degraded
    warnings = [line for line in done.stderr.splitlines() if line.startswith("langson-archive: warning:")]
    assert any("did not read as digests" in line and path in line for line in warnings), warnings
    assert len(export(tmp_path)) == len(digest_paths("langson")) - 1
    assert path in (tmp_path / "state" / "pending.json").read_text(encoding="utf-8")
    portal["langson"].routes[path] = route  # the site is back
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 0, done.stderr
    assert "1 new" in done.stdout.strip().splitlines()[-1]
    assert len(export(tmp_path)) == len(digest_paths("langson"))
    assert path not in (tmp_path / "state" / "pending.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("fault", [{"cut": 9000}, {"short_length": 9000}], ids=["closed-mid-page", "short-length"])
def test_a_digest_page_cut_short_unannounced_is_kept_pending_not_archived_half(portal, tmp_path, fault):
    """No transport error says so: the page's missing closing tags do. Got whole next run."""
    path = digest_paths("langson")[0]
    route = portal["langson"].routes[path]
    portal["langson"].routes[path] = {**route, **fault}
    done = crawl_portal(portal, tmp_path, "--source", "langson", "--exit-codes", "detailed")
    assert done.returncode == 5, done.stderr  # degraded
    assert any("cut short in transfer" in line and path in line for line in done.stderr.splitlines()), done.stderr
    assert path not in {"/" + r["url"].split("/", 3)[3] for r in export(tmp_path)}
    assert len(export(tmp_path)) == len(digest_paths("langson")) - 1
    assert path in (tmp_path / "state" / "pending.json").read_text(encoding="utf-8")
    rebuilt = run_cli("reparse", "--out", str(tmp_path))  # its capture holds the cut page: not rebuilt either
    assert "cut short in transfer" in rebuilt.stderr
    assert len(export(tmp_path)) == len(digest_paths("langson")) - 1
    portal["langson"].routes[path] = route  # the next transfer is whole
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 0, done.stderr
    assert len(export(tmp_path)) == len(digest_paths("langson"))


def _listing_page_degrades_the_run(portal, tmp_path, path: str, fault: dict, says: str) -> dict:
    """Serve ``fault`` at a langson listing page and crawl: the run is degraded and says where; the page's
    route is returned, to be put back."""
    route = portal["langson"].routes[path]
    portal["langson"].routes[path] = fault
    done = crawl_portal(portal, tmp_path, "--source", "langson", "--exit-codes", "detailed")
    assert done.returncode == 5, done.stderr  # degraded, and says where
    assert any(says in line and path in line for line in done.stderr.splitlines()), done.stderr
    return route


def _next_run_gets_the_rest(portal, tmp_path, path: str, route: dict) -> None:
    portal["langson"].routes[path] = route  # the site is back
    portal["langson"].requests.clear()
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 0, done.stderr
    assert path in portal["langson"].requests
    assert len(export(tmp_path)) == len(digest_paths("langson"))


def test_a_listing_page_cut_short_is_walked_again_next_run_not_taken_for_the_last(portal, tmp_path):
    """A listing page cut before its pager would end the walk there, leaving older digests out unsaid."""
    page1 = "/chi-dao-dieu-hanh-noi-bat"
    route = portal["langson"].routes[page1]
    html = (PORTAL / "langson" / "pages" / route["file"]).read_bytes()
    cut = {**route, "cut": html.rindex(b"pagination")}
    route = _listing_page_degrades_the_run(portal, tmp_path, page1, cut, "cut short in transfer")
    _next_run_gets_the_rest(portal, tmp_path, page1, route)


def test_a_listing_page_served_as_a_maintenance_page_is_walked_again_next_run(portal, tmp_path):
    """A 200 with no digest link and no pager mid-walk: the next run goes on from that page, leaving no gap."""
    page2 = "/chi-dao-dieu-hanh-noi-bat?page=2"
    maintenance = {"text": "<html><body><h1>Hệ thống đang được bảo trì</h1></body></html>"}
    route = _listing_page_degrades_the_run(portal, tmp_path, page2, maintenance, "no digest link")
    first = {r["canonical_url"] for r in export(tmp_path)}
    assert 0 < len(first) < len(digest_paths("langson"))  # page 1's digests only
    _next_run_gets_the_rest(portal, tmp_path, page2, route)  # page 2 again, though page 1 holds archived digests only


def test_digests_robots_txt_forbids_are_not_fetched_but_the_run_says_so_and_keeps_them(portal, tmp_path):
    portal["langson"].routes["/robots.txt"] = {"text": "User-agent: *\nDisallow: /chi-dao-dieu-hanh-noi-bat/\n"}
    done = crawl_portal(portal, tmp_path, "--source", "langson", "--exit-codes", "detailed")
    assert done.returncode == 5, done.stderr  # degraded: not an error, but the archive lacks them
    assert "robots.txt" in [line for line in done.stderr.splitlines() if "langson-archive: warning:" in line][0]
    articles = [p for p in digest_paths("langson") if p.startswith("/chi-dao-dieu-hanh-noi-bat/")]
    assert articles and not any(p in portal["langson"].requests for p in articles)  # nothing forbidden was asked
    pending = (tmp_path / "state" / "pending.json").read_text(encoding="utf-8")
    assert all(p in pending for p in articles)
    portal["langson"].routes["/robots.txt"] = {"text": "User-agent: *\nDisallow: /admin/\n"}  # allowed again
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 0, done.stderr
    assert len(export(tmp_path)) == len(digest_paths("langson"))


def test_a_digest_url_that_keeps_answering_404_is_given_up_then_asked_for_again_on_request(portal, tmp_path):
    """A broken link on the portal must not make every scheduled run a partial failure for years."""
    import json

    path, route = article_route(portal, "langson")
    portal["langson"].routes[path] = {"status": 404}
    site = portal["langson"]
    give_up = ("--source", "langson", "-s", "PENDING_GIVE_UP_RUNS=2", "-s", "PENDING_GIVE_UP_DAYS=0")
    first = crawl_portal(portal, tmp_path, *give_up)
    assert first.returncode == 3 and "gave up" not in first.stderr, first.stderr
    assert f"{path} (HTTP 404 Not Found, 1 run)" in run_cli("status", "--out", str(tmp_path)).stdout  # why, how often
    second = crawl_portal(portal, tmp_path, *give_up)
    assert second.returncode == 3, second.stderr
    warning = [line for line in second.stderr.splitlines() if "gave up on 1 article " in line]
    assert len(warning) == 1 and f"{site.url}{path}: HTTP 404 Not Found on 2 runs in a row" in warning[0], warning
    asked = site.requests.count(path)

    third = crawl_portal(portal, tmp_path, *give_up, "--exit-codes", "detailed")
    assert third.returncode == 4, third.stderr  # nothing new, and no failure: the link is given up
    assert site.requests.count(path) == asked  # not asked for, though the listing still links it
    assert "1 article given up earlier not asked for" in third.stdout and "gave up" not in third.stderr
    status = json.loads(run_cli("status", "--out", str(tmp_path), "--json").stdout)
    assert status["pending"] == {} and [e["path"] for e in status["given_up"]["langson"]] == [path]
    assert status["given_up"]["langson"][0]["last_error"] == "HTTP 404 Not Found"
    assert "articles given up after failing on every run" in run_cli("status", "--out", str(tmp_path)).stdout

    portal["langson"].routes[path] = route  # the link is mended
    retried = crawl_portal(portal, tmp_path, *give_up, "--retry-given-up")
    assert retried.returncode == 0 and "1 new" in retried.stdout, retried.stderr
    assert path in {"/" + r["url"].split("/", 3)[3] for r in export(tmp_path)}
    assert json.loads(run_cli("status", "--out", str(tmp_path), "--json").stdout)["given_up"] == {}


def test_a_digest_url_failing_with_server_errors_is_never_given_up(portal, tmp_path):
    path, _ = article_route(portal, "langson")
    portal["langson"].routes[path] = {"status": 503}
    for _ in range(3):
        done = crawl_portal(portal, tmp_path, "--source", "langson", "-s", "PENDING_GIVE_UP_RUNS=2",
                            "-s", "PENDING_GIVE_UP_DAYS=0")  # fmt: skip
        assert done.returncode == 3 and "gave up" not in done.stderr, done.stderr
    assert portal["langson"].requests.count(path) == 3 * 4  # asked for on every run, with its retries


def test_https_to_a_server_that_speaks_no_tls_fails_at_once_with_the_reason_in_words(portal, tmp_path):
    """A TLS handshake the server cannot answer is refused again on a retry: one try, and lines that say why
    (not the repr of the Twisted failure that wraps OpenSSL's error)."""
    import json

    port = portal["langson"].url.rsplit(":", 1)[1]
    done = run_cli("crawl", "--source", "langson", "--base-url", f"langson=https://127.0.0.1:{port}",
                   "--out", str(tmp_path), "--delay", "0")  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "twisted.python.failure" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("langson-archive: error: no listing page could be fetched (langson: TLS handshake failed")
    assert "is the site served over http?" in last
    report = json.loads(next((tmp_path / "runs").rglob("*.json")).read_text(encoding="utf-8"))
    assert report["requests"] == 2  # robots.txt and the listing page, neither retried
    assert len([line for line in done.stderr.splitlines() if " ERROR: " in line]) == 2, done.stderr


def test_a_connection_reset_is_reported_in_words(portal, tmp_path):
    path, route = article_route(portal, "langson")
    portal["langson"].routes[path] = {**route, "reset": True}
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 3, done.stderr
    assert "twisted.python.failure" not in done.stderr, done.stderr
    failed = [
        line for line in done.stderr.splitlines() if f"failed to fetch article {portal['langson'].url}{path}" in line
    ]
    assert len(failed) == 1 and "no answer came (Connection" in failed[0], done.stderr


def test_a_page_sent_under_a_content_encoding_it_is_not_in_is_read_as_it_is(portal, tmp_path):
    """A server (or a proxy that decoded the page) declaring gzip or br for a page sent plain: browsers fail on it,
    the crawl left it pending for ever though the bytes are the whole page. Bytes that are no page still fail."""
    expected = {e["path"]: e for e in load_expected() if e["site"] == "langson"}
    (gzip_path, route), (br_path, route2) = article_route(portal, "langson", 0), article_route(portal, "langson", 1)
    broken, _ = article_route(portal, "langson", 2)
    portal["langson"].routes[gzip_path] = {**route, "false_encoding": "gzip"}
    portal["langson"].routes[br_path] = {**route2, "false_encoding": "br"}
    portal["langson"].routes[broken] = {"data": bytes(range(1, 200)).hex(), "false_encoding": "gzip"}
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 3, done.stderr  # the bytes that are no page
    failed = [line for line in done.stderr.splitlines() if "failed to fetch article" in line]
    assert len(failed) == 1 and broken in failed[0], done.stderr
    assert "the body is not in its declared Content-Encoding gzip" in failed[0]
    by_path = {"/" + r["url"].split("/", 3)[3]: r for r in export(tmp_path)}
    for path in (gzip_path, br_path):
        assert by_path[path]["text"] == expected[path]["text"]
