"""Markup nested hundreds or thousands of elements deep, crawled over loopback: every word is kept.

libxml2 stops reading at 256 (or, with huge_tree, 2048) levels and drops the rest of the page;
a body that comes out almost empty on a full-size page is reported, never archived.
"""

from __future__ import annotations

import json
import os
import re

import pytest

from tests.conftest import PORTAL, as_published, crawl_portal, export, load_expected


def _serve(portal, tmp_path, path: str, html: str, name: str) -> None:
    site = portal["langson"]
    page = tmp_path / name
    page.write_text(html, encoding="utf-8")
    site.routes[path] = {"file": os.path.relpath(page, PORTAL / "langson" / "pages")}


def _original(portal, want) -> str:
    site = portal["langson"]
    return (PORTAL / "langson" / "pages" / site.routes[want["path"]]["file"]).read_text(encoding="utf-8")


@pytest.mark.parametrize("depth", [300, 3000])
def test_a_body_nested_deep_is_archived_whole(portal, tmp_path, depth):
    want = next(e for e in load_expected() if e["site"] == "langson" and e["week_start"])
    html = _original(portal, want)
    opening = re.search(r'<div class="content-detail[^>]*>', html)
    assert opening
    end = html.index("</div>", opening.end())  # the body's own closing tag (its paragraphs hold no div)
    nested = html[: opening.end()] + "<div>" * depth + html[opening.end() : end] + "</div>" * depth + html[end:]
    _serve(portal, tmp_path, want["path"], nested, f"deep-{depth}.html")
    done = crawl_portal(portal, tmp_path / "a", "--source", "langson", "--exit-codes", "detailed")
    assert done.returncode == 0, done.stderr
    record = next(r for r in export(tmp_path / "a") if r["canonical_url"] == want["canonical_url"])
    assert record["text"] == want["text"]
    assert as_published("sections", record["sections"]) == want["sections"]


def test_a_body_that_came_out_almost_empty_is_reported_not_archived(portal, tmp_path):
    want = next(e for e in load_expected() if e["site"] == "langson" and e["week_start"])
    html = _original(portal, want)
    opening = re.search(r'<div class="content-detail[^>]*>', html)
    end = html.index("</div>", opening.end())
    filler = "<!-- " + "x" * 30_000 + " -->"  # a full-size page whose body holds two words
    emptied = html[: opening.end()] + "<p>Xem thêm</p>" + html[end:] + filler
    _serve(portal, tmp_path, want["path"], emptied, "emptied.html")
    done = crawl_portal(portal, tmp_path / "a", "--source", "langson", "--exit-codes", "detailed")
    assert done.returncode == 5, done.stderr  # degraded
    assert "almost empty" in done.stderr
    assert want["canonical_url"] not in {r["canonical_url"] for r in export(tmp_path / "a")}
    report = json.loads((tmp_path / "a" / "manifest.json").read_text(encoding="utf-8"))["last_run"]
    assert report["outcome"] == "degraded"
    assert want["path"] in (tmp_path / "a" / "state" / "pending.json").read_text(encoding="utf-8")  # tried again
