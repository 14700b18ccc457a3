"""Golden pages: each case a folder, parsed with no crawler running.

``tests/fixtures/pages/<case>/`` holds ``page.html``, ``meta.json`` (the URL it was fetched
at, the site, the kind of page, the template version it starts from, and what drifted) and
``expected.json``. ``<site>-reference-*`` cases are the fixture digests as the reference
templates render them: every field must come from the template. The others are plausible
redesigns (written by ``tests/fixtures/make_drift.py``): they state which fields needed a
strategy past the template and the warnings the record must carry. Every digest case lists
lines its text must and must not contain.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.pages import METHOD_SITE, WARNING_CODES, parse_digest, parse_listing
from scraper.sites.profiles import PROFILES
from tests.conftest import PORTAL, as_published, load_expected

CASES = Path(__file__).resolve().parent / "fixtures" / "pages"


def _meta(case: Path) -> dict:
    return json.loads((case / "meta.json").read_text("utf-8"))


def _cases(kind: str) -> list[Path]:
    return sorted(p for p in CASES.iterdir() if _meta(p)["kind"] == kind)


def _load(case: Path) -> tuple[dict, str, dict]:
    expected = json.loads((case / "expected.json").read_text("utf-8"))
    return _meta(case), (case / "page.html").read_text("utf-8"), expected


def test_every_fixture_digest_has_a_reference_case_and_every_case_names_a_known_template():
    references = [case for case in _cases("digest") if _meta(case)["drift"] is None]
    assert len(references) == len(load_expected()) == 12
    for case in CASES.iterdir():
        meta = _meta(case)
        assert meta["template"] in {t.name for t in PROFILES[meta["site"]].templates}, case.name
        assert meta["url"].startswith("http://")


@pytest.mark.parametrize("case", _cases("digest"), ids=lambda p: p.name)
def test_golden_digest_page(case):
    meta, html, want = _load(case)
    result = parse_digest(meta["url"], html, PROFILES[meta["site"]])
    assert result.is_digest, result.reason
    record = result.record
    for name, value in want["fields"].items():
        assert as_published(name, record[name]) == value, name
    strategies = record["extraction_strategies"]
    template = f"template:{meta['template']}"  # "template:vhv-2024/first-bold-paragraph" is the template too
    past_template = {name for name, strategy in strategies.items() if strategy.split("/", 1)[0] != template}
    assert past_template == set(want["not_template"]), strategies
    assert set(want["warnings"]) <= set(record["extraction_warnings"])
    assert set(record["extraction_warnings"]) <= set(WARNING_CODES)
    for field in want["not_template"]:  # every fallback is flagged with a code
        assert any(code.startswith(f"{field}.") for code in record["extraction_warnings"]), field
    for line in want["must_contain"]:
        assert line in record["text"]
    for line in want["must_not_contain"]:
        assert line not in record["text"], line
    if meta["drift"] is None:
        assert record["extraction_method"] == METHOD_SITE
    if want.get("lead_once"):
        assert record["text"].count(record["summary"]) == 1
    if want["fields"].get("byline"):
        assert all(want["fields"]["byline"] not in s["heading"] + s["text"] for s in record["sections"])


@pytest.mark.parametrize("case", _cases("listing"), ids=lambda p: p.name)
def test_golden_listing_page(case):
    meta, html, want = _load(case)
    page = parse_listing(meta["url"], html, PROFILES[meta["site"]])
    assert [link.url for link in page.links] == want["links"]
    assert page.next_url == want["next_url"]
    assert ("links" in want["not_template"]) == any(not s.startswith("template:") for s in page.link_strategies)
    assert ("next" in want["not_template"]) == (not page.next_strategy.startswith("template:"))


def page_of(site: str, path: str) -> str:
    routes = json.loads((PORTAL / site / "routes.json").read_text(encoding="utf-8"))
    return (PORTAL / site / "pages" / routes[path]["file"]).read_text(encoding="utf-8")


def test_non_digest_pages_in_the_listings_are_recognised():
    skipped = 0
    expected = load_expected()
    for site in PROFILES:
        routes = json.loads((PORTAL / site / "routes.json").read_text(encoding="utf-8"))
        digests = {e["path"] for e in expected if e["site"] == site}
        for path, route in routes.items():
            if "file" not in route or path in digests or not PROFILES[site].is_article_url(path):
                continue
            result = parse_digest("http://127.0.0.1:8080" + path, page_of(site, path), PROFILES[site])
            if path.startswith(("/en/", "/index.php/")):
                continue  # another URL of a digest node
            assert not result.is_digest, path
            skipped += 1
    assert skipped >= 3


def test_attachment_after_the_body_is_listed_not_in_text():
    record = parse_digest("http://127.0.0.1:8080/vi/node/47215", page_of("vanphong", "/vi/node/47215"),
                          PROFILES["vanphong"]).record  # fmt: skip
    assert record is not None
    assert [a["url"].rsplit("/", 1)[-1] for a in record["attachments"]] == ["ke-hoach.pdf"]
    assert "ke-hoach.pdf" not in record["text"]
