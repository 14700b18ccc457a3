"""``langson-archive probe`` against loopback servers: which strategy read each field, and its exit status."""

from __future__ import annotations

import socket

import pytest

from tests import mockserver
from tests.conftest import REDESIGN, base_url_args, run_cli


def probe(servers, *extra: str):
    return run_cli("probe", *base_url_args(servers), "--delay", "0", *extra)


def test_probe_of_the_reference_templates_says_ok_and_exits_0(portal):
    done = probe(portal, "--limit", "2")
    assert done.returncode == 0, done.stderr
    assert "PAST TEMPLATE" not in done.stdout
    assert done.stdout.count("  article ") == 4  # two digests per source
    assert "body           template:vhv-2024" in done.stdout
    assert "body           template:drupal8-2017" in done.stdout
    for site in portal.values():  # polite and bounded: robots.txt, one listing page, N articles
        assert len(site.requests) == 4, site.requests


def test_probe_of_a_redesign_names_the_strategies_and_failed_checks_and_exits_5():
    servers = mockserver.start(REDESIGN)
    try:
        done = probe(servers, "--limit", "3")
    finally:
        for site in servers.values():
            site.stop()
    assert done.returncode == 5, done.stderr
    assert "PAST TEMPLATE" in done.stdout
    assert "links          generic:digest-like-link" in done.stdout
    assert "next_page      generic:" in done.stdout
    assert "check failed: template:" in done.stdout and "holds the headline" in done.stdout
    assert "published_at   generic:" in done.stdout
    assert done.stderr.strip().splitlines()[-1].startswith("langson-archive probe: ")


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_probe_that_fetches_nothing_exits_1_with_one_line(closed_port):
    done = run_cli("probe", "--source", "langson", "--base-url", f"langson=http://127.0.0.1:{closed_port}",
                   "--delay", "0", "--timeout", "2")  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == "langson-archive probe: error: nothing could be fetched"


def test_probe_says_why_a_page_failed_in_words(portal):
    """https to a server that speaks plain http: the report names the TLS failure, not Twisted's repr."""
    port = portal["langson"].url.rsplit(":", 1)[1]
    done = run_cli("probe", "--source", "langson", "--base-url", f"langson=https://127.0.0.1:{port}", "--delay", "0")
    assert done.returncode == 1, done.stderr
    assert "[FAILED]" in done.stdout and "TLS handshake failed: wrong version number" in done.stdout, done.stdout
    assert "twisted.python.failure" not in done.stdout + done.stderr
