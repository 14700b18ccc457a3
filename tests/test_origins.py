"""The boundary is scheme + host + port: nothing is requested off the configured origins."""

from __future__ import annotations

import pytest

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
