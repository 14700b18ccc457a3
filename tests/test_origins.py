"""The boundary is scheme + host + port: nothing is requested off the configured origins."""

from __future__ import annotations

import pytest

from scraper.crawl.middlewares import same_site
from tests import mockserver
from tests.conftest import PORTAL, crawl_portal, export, load_expected


@pytest.fixture
def elsewhere():
    """The same pages on another port of the same address: another origin."""
    servers = mockserver.start(PORTAL)
    yield servers["vanphong"]
    for site in servers.values():
        site.stop()


def test_a_redirect_to_another_port_of_the_same_address_is_not_followed(portal, elsewhere, tmp_path):
    victim = next(e for e in load_expected() if e["site"] == "vanphong")
    portal["vanphong"].routes[victim["path"]] = {"redirect": elsewhere.url + victim["path"]}
    done = crawl_portal(portal, tmp_path, "--source", "vanphong")
    assert done.returncode == 3, done.stderr  # reported, kept pending
    assert "outside the configured origins" in done.stderr and "Traceback" not in done.stderr
    assert elsewhere.requests == []
    assert victim["canonical_url"] not in {r["canonical_url"] for r in export(tmp_path)}


def test_robots_txt_redirected_to_another_port_is_not_fetched(portal, elsewhere, tmp_path):
    portal["vanphong"].routes["/robots.txt"] = {"redirect": elsewhere.url + "/robots.txt"}
    done = crawl_portal(portal, tmp_path, "--source", "vanphong")
    assert "Traceback" not in done.stderr
    assert elsewhere.requests == []


@pytest.mark.parametrize(
    ("url", "base", "same"),
    [
        ("https://www.langson.gov.vn/a.html", "https://langson.gov.vn", True),  # "www." added
        ("https://langson.gov.vn/a.html", "https://www.langson.gov.vn/", True),  # or dropped
        ("https://langson.gov.vn/a.html", "http://langson.gov.vn", True),  # moved to https
        ("https://www.langson.gov.vn/a.html", "http://langson.gov.vn", True),  # both at once
        ("http://langson.gov.vn/a.html", "https://langson.gov.vn", False),  # back to http: not followed
        ("https://langson.gov.vn:8443/a.html", "https://langson.gov.vn", False),  # another port
        ("http://www.localhost:8001/a", "http://localhost:8000", False),
        ("http://www.localhost:8000/a", "http://localhost:8000", True),
        ("https://mail.langson.gov.vn/a.html", "https://langson.gov.vn", False),  # another host of the domain
        ("https://langson.gov.vn.evil.example/a", "https://langson.gov.vn", False),
        ("https://vanphong.langson.gov.vn/a", "https://langson.gov.vn", False),
        ("javascript:void(0)", "https://langson.gov.vn", False),
    ],
)
def test_the_same_site_under_another_name_or_scheme(url, base, same):
    assert same_site(url, base) is same
