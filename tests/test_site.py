"""The static site: every page and link there, missing weeks marked, plots drawn, and in a real browser
(Debian's chromium and chromium-driver) no console errors, a working search box and rendered plots."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser

import pytest

from tests.conftest import ROOT, export, run_cli

SCREENSHOT = ROOT / "output" / "screenshots" / "site-index.png"


@pytest.fixture(scope="module")
def site(crawled, tmp_path_factory):
    dest = tmp_path_factory.mktemp("site") / "site"
    done = run_cli("site", "--out", str(crawled), "--dest", str(dest))
    assert done.returncode == 0, done.stderr
    return crawled, dest


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value and not value.startswith(("http://", "https://", "#")):
                self.links.append(value)


def test_every_local_link_and_image_of_every_page_exists(site):
    _, root = site
    pages = list(root.rglob("*.html"))
    assert len(pages) > 12
    for page in pages:
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            assert (page.parent / link).resolve().exists(), f"{page.relative_to(root)}: {link}"


def test_index_lists_every_digest_and_marks_the_missing_weeks(site):
    archive, root = site
    records = export(archive)
    index = (root / "index.html").read_text(encoding="utf-8")
    for record in records:
        if record["week_start"]:
            assert record["title"] in index
    missing = re.search(r"(\d+) weeks, (\d+) without a digest", index)
    assert missing and int(missing.group(2)) == index.count("no digest archived") > 0


def test_a_digest_page_shows_its_directives_and_links_the_live_page_and_capture(site):
    archive, root = site
    record = next(r for r in export(archive) if any(s["directive"]["lead_agencies"] for s in r["sections"]))
    page = next(p for p in (root / "digest").iterdir() if record["title"] in p.read_text(encoding="utf-8"))
    text = page.read_text(encoding="utf-8")
    assert record["canonical_url"] in text and ".warc.gz" in text
    lead = next(
        s["directive"]["lead_agencies"][0]["name"] for s in record["sections"] if s["directive"]["lead_agencies"]
    )
    assert lead in text


def test_a_document_page_lists_every_digest_citing_it(site):
    archive, root = site
    citing: dict[str, set[str]] = {}
    for record in export(archive):
        for document in record["documents"]:
            citing.setdefault(document["doc_id"], set()).add(record["title"])
    assert len(list((root / "document").iterdir())) == len(citing)
    index = json.loads((root / "search-index.js").read_text(encoding="utf-8").split("=", 1)[1].rstrip(";\n"))
    assert len(index) == len(export(archive))


def test_the_plots_are_svg(site):
    _, root = site
    for name in ("digests-per-month", "directives-per-agency", "document-kinds"):
        assert (root / "plots" / f"{name}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


def _browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is a dev dependency")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.skip("no Chromium here: install Debian's chromium and chromium-driver (.ci/run does) "
                    "to run the browser tests; a browser download at install time cannot work on these machines")  # fmt: skip
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--allow-file-access-from-files",
                     "--window-size=1200,1600"):  # fmt: skip
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    from selenium.webdriver.chrome.service import Service

    return webdriver.Chrome(service=Service(driver_path), options=options)


def test_in_a_real_browser_pages_load_clean_search_finds_a_digest_and_plots_render(site):
    _, root = site
    driver = _browser()
    try:
        driver.get((root / "index.html").as_uri())
        box = driver.find_element("id", "q")
        box.send_keys("le hoi")
        results = driver.find_elements("css selector", "#results a")
        assert results and all("digest/" in r.get_attribute("href") for r in results)
        for image in driver.find_elements("css selector", ".plots img"):
            assert driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image)
        found = driver.execute_script("return window.searchArchive('379 /QD-UBND').length")
        assert isinstance(found, int)
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        assert driver.save_screenshot(str(SCREENSHOT))
        for page in [p for p in (root / "digest").iterdir()][:3] + [next((root / "document").iterdir())]:
            driver.get(page.as_uri())
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert errors == []
    finally:
        driver.quit()
