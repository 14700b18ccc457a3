"""Shared test helpers: the fixture portal served on loopback and the CLI in a subprocess.

Each crawl runs in its own process: Twisted's reactor cannot be restarted.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from scraper import demo
from tests import mockserver

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PORTAL = demo.PORTAL  # the fixture portal ships as the demo's package data
REDESIGN = demo.REDESIGN
ROOT = Path(__file__).resolve().parent.parent


def load_expected() -> list[dict]:
    lines = (FIXTURES / "expected.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def digest_paths(site: str) -> list[str]:
    """The fixture digests' paths on one site, newest first."""
    return [e["path"] for e in load_expected() if e["site"] == site]


def requests_of(servers) -> list[tuple[str, str]]:
    """Every (site, path) the mock servers were asked for, in order per site."""
    return [(site.name, path) for site in servers.values() for path in site.requests]


def run_cli(*args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scraper.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def wait_for(condition: Callable[[], object], timeout: float = 30.0, what: str = "the crawl never got there") -> None:
    """Poll ``condition`` until it holds; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def export(out: Path, *args: str) -> list[dict]:
    done = run_cli("export", "--out", str(out), *args)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


@pytest.fixture
def portal():
    """The fixture portal, one server per site, with a fresh request log for each test."""
    servers = mockserver.start(PORTAL)
    yield servers
    for site in servers.values():
        site.stop()


def base_url_args(servers) -> list[str]:
    return [arg for site in servers.values() for arg in ("--base-url", f"{site.name}={site.url}")]


def as_published(name: str, value):
    """A record's field as the golden files state it: sections by heading and text, documents by type,
    number and date (the directives and the numbers' parts have tests of their own)."""
    if name == "sections" and isinstance(value, list):
        return [{"heading": s["heading"], "text": s["text"]} for s in value]
    if name == "documents" and isinstance(value, list):
        return [{"type": d["type"], "number": d["number"], "date": d["date"]} for d in value]
    return value


# The record fields every golden fixture states exactly.
GOLDEN_FIELDS = ("source", "canonical_url", "title", "week_start", "week_end", "published_at", "summary",
                 "sections", "documents", "text")  # fmt: skip


def pending_paths(out: Path) -> dict[str, list[str]]:
    """The paths ``state/pending.json`` keeps, by source (each entry also says how it failed)."""
    state = json.loads((out / "state" / "pending.json").read_text(encoding="utf-8"))
    return {source: [entry["path"] for entry in entries] for source, entries in state.items()}


def crawl_portal(servers, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """``langson-archive crawl`` of the fixture portal into ``out``, with no delay."""
    return run_cli("crawl", *base_url_args(servers), "--out", str(out), "--delay", "0", *extra)


@pytest.fixture(scope="session")
def crawled(tmp_path_factory):
    """The fixture portal crawled once for the whole run: tests read it, or copy it before changing it."""
    servers = mockserver.start(PORTAL)
    out = tmp_path_factory.mktemp("crawled")
    try:
        done = crawl_portal(servers, out)
        assert done.returncode == 0, done.stderr
    finally:
        for site in servers.values():
            site.stop()
    return out
