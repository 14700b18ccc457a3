"""Incremental runs over loopback: a rerun asks only for what may have changed.

Unchanged listings answer 304, an article that failed is fetched by the next run, a range
run walks only as far as its range and rewrites only the month files it touches, and a digest
deleted from the site stays in the archive, marked gone.
"""

from __future__ import annotations

import json
import os
import re

import pytest

from tests.conftest import PORTAL, crawl_portal, digest_paths, export, load_expected, requests_of, run_cli

crawl = crawl_portal


def clear(portal):
    for site in portal.values():
        site.requests.clear()
        site.not_modified.clear()


def test_unchanged_listing_answers_304_and_rerun_sends_one_request_per_source(portal, tmp_path):
    assert crawl(portal, tmp_path).returncode == 0
    clear(portal)
    done = crawl(portal, tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(requests_of(portal)) == sorted(
        [("langson", "/robots.txt"), ("langson", "/chi-dao-dieu-hanh-noi-bat"),
         ("vanphong", "/robots.txt"), ("vanphong", "/vi/chi-dao-dieu-hanh")]
    )  # fmt: skip
    assert [s.not_modified for s in portal.values()] == [["/chi-dao-dieu-hanh-noi-bat"], ["/vi/chi-dao-dieu-hanh"]]
    assert "0 new" in done.stdout


def test_failed_article_is_retried_with_backoff_reported_and_fetched_next_run(portal, tmp_path):
    expected = [e for e in load_expected() if e["site"] == "langson"]
    deep = expected[-1]["path"]  # on the last listing page
    good_route = portal["langson"].routes[deep]
    portal["langson"].routes[deep] = {"status": 503}
    done = crawl(portal, tmp_path)
    assert done.returncode == 3 and "partial failure" in done.stdout
    assert portal["langson"].requests.count(deep) == 4  # first try + 3 retries
    (report_path,) = list((tmp_path / "runs").rglob("*.json"))
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["outcome"] == "partial" and report["errors"] == 1
    assert report["error_detail"] == {"errors/langson/article": 1}
    assert len(export(tmp_path)) == len(load_expected()) - 1

    portal["langson"].routes[deep] = good_route
    clear(portal)
    done = crawl(portal, tmp_path)
    assert done.returncode == 0 and "1 new" in done.stdout
    assert ("langson", deep) in requests_of(portal)
    assert len(export(tmp_path)) == len(load_expected())
    assert not (tmp_path / "state" / "pending.json").read_text().strip("{}\n ")


def test_range_crawl_walks_the_listing_only_until_past_the_range(portal, tmp_path):
    newest = max((e for e in load_expected() if e["site"] == "langson" and e["week_start"]),
                 key=lambda e: e["week_start"])  # fmt: skip
    done = crawl(portal, tmp_path, "--source", "langson", "--from", newest["week_start"], "--to", newest["week_end"])
    assert done.returncode == 0, done.stderr
    listing_requests = [p for _, p in requests_of(portal) if "noi-bat?" in p or p.endswith("noi-bat")]
    assert listing_requests == ["/chi-dao-dieu-hanh-noi-bat"]  # page 2 is all older: never asked for
    assert [r["canonical_url"] for r in export(tmp_path)] == [newest["canonical_url"]]
    # the researcher's rerun refetches and re-extracts what is in range
    clear(portal)
    assert crawl(portal, tmp_path, "--source", "langson", "--from", newest["week_start"]).returncode == 0
    assert ("langson", newest["path"]) in requests_of(portal)


def test_range_rerun_rewrites_only_the_partitions_it_touches(portal, tmp_path):
    assert crawl(portal, tmp_path).returncode == 0
    records = {r["key"]: r for r in export(tmp_path)}
    dated = sorted((r for r in records.values() if r["week_start"]), key=lambda r: r["week_start"])
    inside, outside = dated[-1], dated[0]
    # both look as if an older extractor had written them
    for record in (inside, outside):
        part = next(p for p in (tmp_path / "digests").rglob("*.jsonl") if record["key"] in p.read_text("utf-8"))
        stale = {**record, "documents": []}
        part.write_text(json.dumps(stale, ensure_ascii=False) + "\n", encoding="utf-8")
    mtimes = {p: p.stat().st_mtime_ns for p in (tmp_path / "digests").rglob("*.jsonl")}

    done = crawl(portal, tmp_path, "--from", inside["week_start"], "--to", inside["week_end"])
    assert done.returncode == 0, done.stderr
    assert "1 updated" in done.stdout
    after = {r["key"]: r for r in export(tmp_path)}
    assert after[inside["key"]]["documents"] == inside["documents"]
    assert after[outside["key"]]["documents"] == []  # outside the range: left alone
    changed = [p for p in mtimes if p.stat().st_mtime_ns != mtimes[p]]
    assert [p.name for p in changed] == [f"{inside['week_start'][:7]}.jsonl"]


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


@pytest.mark.parametrize("old_answers", ["404", "a redirect to the new address"])
def test_a_digest_whose_address_changed_is_kept_twice_said_and_one_per_week_keeps_the_live_copy(
    portal, tmp_path, old_answers
):
    """An edited title gives a VHV article a new slug: the new address is a digest the archive lacks, the old one
    answers 404 or redirects there. Both records are kept, the run and status say so, and a range run marks the old
    one gone."""
    assert crawl_portal(portal, tmp_path, "--source", "langson").returncode == 0
    site = portal["langson"]
    old = digest_paths("langson")[1]
    new = old.replace(".html", "sua-tieu-de.html")
    pages = PORTAL / "langson" / "pages"
    site.routes[new] = {"text": (pages / site.routes[old]["file"]).read_text(encoding="utf-8").replace(old, new)}
    site.routes[old] = {"status": 404} if old_answers == "404" else {"redirect": new}
    for listing in ("/chi-dao-dieu-hanh-noi-bat", "/chi-dao-dieu-hanh-noi-bat?page=1"):
        html = (pages / site.routes[listing]["file"]).read_text(encoding="utf-8")
        assert old in html
        site.routes[listing] = {"text": html.replace(old, new)}
    done = crawl_portal(portal, tmp_path, "--source", "langson", "--exit-codes", "detailed")
    assert done.returncode == 5, done.stderr  # degraded: the archive now holds the week twice
    warning = [line for line in done.stderr.splitlines() if "already holds under another address" in line]
    assert len(warning) == 1 and new in warning[0] and "langson:" in warning[0], done.stderr
    records = export(tmp_path)
    assert len(records) == len(digest_paths("langson")) + 1  # nothing dropped
    twice = [r for r in records if r["url"].endswith((old, new))]
    week = f"{twice[0]['week_start']}/{twice[0]['week_end']}"
    status = json.loads(run_cli("status", "--out", str(tmp_path), "--json").stdout)
    assert [info["weeks_twice"] for info in status["sources"].values()] == [{week: sorted(r["key"] for r in twice)}]
    assert f"week {week} has 2 digests" in run_cli("status", "--out", str(tmp_path)).stdout

    ranged = crawl_portal(portal, tmp_path, "--source", "langson", "--from", twice[0]["week_start"],
                          "--to", twice[0]["week_end"])  # fmt: skip
    assert ranged.returncode == 0, ranged.stderr
    assert "already holds under another address" not in ranged.stderr  # said once, when the copy was new
    kept = [r for r in export(tmp_path, "--one-per-week") if f"{r['week_start']}/{r['week_end']}" == week]
    assert [r["url"] for r in kept] == [f"{site.url}{new}"]  # the copy still on the site
    gone = [r for r in export(tmp_path) if r["url"].endswith(old)]
    assert gone[0]["gone_since"]


def test_a_digest_linked_by_a_vietnamese_slug_is_known_by_its_link_whatever_its_spelling(portal, tmp_path):
    """A link may spell a slug as it reads ("chỉ-đạo"), decomposed, or percent-encoded as it is requested: the
    page is one. Before, a rerun did not know the archived digest by its link and fetched it again every run."""
    import unicodedata
    from urllib.parse import quote

    site = portal["langson"]
    old = digest_paths("langson")[1]
    slug = "/chi-dao-dieu-hanh-noi-bat/chỉ-đạo-điều-hành-tuần-27-01-đến-09-02-2025.html"
    encoded = quote(slug)  # the path the server sees
    pages = PORTAL / "langson" / "pages"
    html = (
        (pages / site.routes[old]["file"]).read_text(encoding="utf-8").replace(old, unicodedata.normalize("NFD", slug))
    )
    site.routes[encoded] = {"text": html}  # its canonical link decomposed
    listings = ("/chi-dao-dieu-hanh-noi-bat", "/chi-dao-dieu-hanh-noi-bat?page=1")
    for listing in listings:
        text = (pages / site.routes[listing]["file"]).read_text(encoding="utf-8")
        site.routes[listing] = {"text": text.replace(old, slug)}  # linked as it reads
    assert crawl_portal(portal, tmp_path, "--source", "langson").returncode == 0
    assert site.requests.count(encoded) == 1
    keys = {r["key"] for r in export(tmp_path)}
    assert f"langson:{quote('chỉ-đạo-điều-hành-tuần-27-01-đến-09-02-2025')}" in keys

    for listing in listings:  # page 1 changed: the walk reads it, and stops at the archived digests
        site.routes[listing] = {"text": site.routes[listing]["text"] + "<!-- tin mới -->"}
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 0 and "0 new" in done.stdout, done.stdout + done.stderr
    assert site.requests.count(encoded) == 1  # known by its link: not fetched again
