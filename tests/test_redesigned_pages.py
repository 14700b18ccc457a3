"""Template drift: golden pages of plausible redesigns, each read with no crawler running.

Each case is a folder under ``tests/fixtures/pages/`` (``page.html``, ``meta.json`` with
the URL, site and what changed, ``expected.json``), written by
``tests/fixtures/make_drift.py`` from the project's own fixture digests. A digest case
states the record's fields, which fields must have needed a strategy past the template,
the warning codes the record must carry, and lines that must (not) be in ``text``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.pages import WARNING_CODES, parse_digest, parse_listing
from scraper.sites.profiles import PROFILES

CASES = Path(__file__).resolve().parent / "fixtures" / "pages"


def _cases(kind: str) -> list[Path]:
    return sorted(p for p in CASES.iterdir() if json.loads((p / "meta.json").read_text("utf-8"))["kind"] == kind)


def _load(case: Path) -> tuple[dict, str, dict]:
    meta = json.loads((case / "meta.json").read_text("utf-8"))
    expected = json.loads((case / "expected.json").read_text("utf-8"))
    return meta, (case / "page.html").read_text("utf-8"), expected


@pytest.mark.parametrize("case", _cases("digest"), ids=lambda p: p.name)
def test_drifted_digest_page(case):
    meta, html, want = _load(case)
    result = parse_digest(meta["url"], html, PROFILES[meta["site"]])
    assert result.is_digest, result.reason
    record = result.record
    for name, value in want["fields"].items():
        assert record[name] == value, name
    strategies = record["extraction_strategies"]
    past_template = {name for name, strategy in strategies.items() if not strategy.startswith("template:")}
    assert past_template == set(want["not_template"]), strategies
    assert set(want["warnings"]) <= set(record["extraction_warnings"])
    assert set(record["extraction_warnings"]) <= set(WARNING_CODES)
    for field in want["not_template"]:  # every fallback is flagged with a code
        assert any(code.startswith(f"{field}.") for code in record["extraction_warnings"]), field
    for line in want["must_contain"]:
        assert line in record["text"]
    for line in want["must_not_contain"]:
        assert line not in record["text"], line
    if want.get("lead_once"):
        assert record["text"].count(record["summary"]) == 1
    if want["fields"].get("byline"):
        assert all(want["fields"]["byline"] not in s["heading"] + s["text"] for s in record["sections"])


@pytest.mark.parametrize("case", _cases("listing"), ids=lambda p: p.name)
def test_drifted_listing_page(case):
    meta, html, want = _load(case)
    page = parse_listing(meta["url"], html, PROFILES[meta["site"]])
    assert [link.url for link in page.links] == want["links"]
    assert page.next_url == want["next_url"]
    assert ("links" in want["not_template"]) == any(not s.startswith("template:") for s in page.link_strategies)
    assert ("next" in want["not_template"]) == (not page.next_strategy.startswith("template:"))
