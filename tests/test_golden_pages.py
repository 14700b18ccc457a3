"""Golden pages: each fixture digest parsed with no crawler running, field by field."""

from __future__ import annotations

import json

import pytest

from scraper.pages import METHOD_SITE, parse_digest
from scraper.sites.profiles import PROFILES
from tests.conftest import GOLDEN_FIELDS, PORTAL, load_expected

EXPECTED = load_expected()
FIELDS = GOLDEN_FIELDS


def page_of(site: str, path: str) -> str:
    routes = json.loads((PORTAL / site / "routes.json").read_text(encoding="utf-8"))
    return (PORTAL / site / "pages" / routes[path]["file"]).read_text(encoding="utf-8")


@pytest.mark.parametrize("want", EXPECTED, ids=[f"{e['site']}{e['path'][-40:]}" for e in EXPECTED])
def test_golden_page(want):
    result = parse_digest("http://127.0.0.1:8080" + want["path"], page_of(want["site"], want["path"]),
                          PROFILES[want["site"]])  # fmt: skip
    assert result.is_digest, result.reason
    record = result.record
    for name in FIELDS:
        assert record[name] == want[name], name
    for needle in want["must_contain"]:
        assert needle in record["text"]
    for needle in want["must_not_contain"]:
        assert needle not in record["text"]
    assert record["extraction_method"] == METHOD_SITE


def test_non_digest_pages_in_the_listings_are_recognised():
    skipped = 0
    for site in PROFILES:
        routes = json.loads((PORTAL / site / "routes.json").read_text(encoding="utf-8"))
        digests = {e["path"] for e in EXPECTED if e["site"] == site}
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
    (want,) = [e for e in EXPECTED if e["path"] == "/vi/node/47215"]
    record = parse_digest("http://127.0.0.1:8080" + want["path"], page_of("vanphong", want["path"]),
                          PROFILES["vanphong"]).record  # fmt: skip
    assert [a["url"].rsplit("/", 1)[-1] for a in record["attachments"]] == ["ke-hoach.pdf"]
    assert "ke-hoach.pdf" not in record["text"]
