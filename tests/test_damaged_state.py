"""Damaged state is survivable: every command carries on (with a warning) or stops with FILE: what.

Each case damages a copy of a crawled archive and runs every command in a subprocess: the
exit is 0 or 1, never a traceback, and an error is one line naming the file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import base_url_args, crawl_portal, run_cli


def _first_partition(out: Path) -> Path:
    return sorted((out / "digests").rglob("*.jsonl"))[0]


def _retype(out: Path, old: str, new: str) -> None:
    path = _first_partition(out)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


DAMAGE = {
    "manifest is garbage": lambda out: (out / "manifest.json").write_text("garbage{", encoding="utf-8"),
    "manifest is a list": lambda out: (out / "manifest.json").write_text("[1, 2]", encoding="utf-8"),
    "pending has the wrong shape": lambda out: (out / "state" / "pending.json").write_text('{"vanphong": "x"}'),
    "walks has the wrong shape": lambda out: (out / "state" / "walks.json").write_text("[1]"),
    "validators have the wrong shape": lambda out: (out / "state" / "http-validators.json").write_text("[1]"),
    "captures is a file": lambda out: (shutil.rmtree(out / "captures"), (out / "captures").write_text("x")),
    ".lock is a folder": lambda out: ((out / ".lock").unlink(), (out / ".lock").mkdir()),
    "a record's title is a number": lambda out: _retype(out, '"title":"', '"title":5,"x":"'),
    "a record's key is a number": lambda out: _retype(out, '"key":"', '"key":5,"y":"'),
    "a week in year 9999": lambda out: _retype(out, '"week_start":"20', '"week_start":"99'),
}
# Damage a command must stop at, naming the file; for the rest every command carries on.
STOPS = {
    "captures is a file": ("captures", {"crawl"}),
    ".lock is a folder": (".lock", {"crawl", "reparse"}),
    "a record's title is a number": ("title is not a string", {"crawl", "export", "status", "validate", "reparse"}),
    "a record's key is a number": ("key is not a string", {"crawl", "export", "status", "validate", "reparse"}),
    "a week in year 9999": ("out of the years", {"crawl", "export", "status", "validate", "reparse"}),
}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    from tests import mockserver
    from tests.conftest import PORTAL

    servers = mockserver.start(PORTAL)
    out = tmp_path_factory.mktemp("crawled") / "archive"
    try:
        assert crawl_portal(servers, out).returncode == 0
        (out / "state").mkdir(exist_ok=True)
        yield out, servers
    finally:
        for site in servers.values():
            site.stop()


@pytest.mark.parametrize("case", list(DAMAGE))
def test_every_command_survives_damaged_state(crawled, tmp_path, case):
    base, servers = crawled
    out = tmp_path / "archive"
    shutil.copytree(base, out)
    DAMAGE[case](out)
    stop_text, stopping = STOPS.get(case, ("", set()))
    commands = {
        "crawl": ["crawl", *base_url_args(servers), "--out", str(out), "--delay", "0"],
        "export": ["export", "--out", str(out)],
        "status": ["status", "--out", str(out)],
        "validate": ["validate", "--out", str(out)],
        "reparse": ["reparse", "--out", str(out)],
    }
    for name, args in commands.items():
        done = run_cli(*args)
        assert "Traceback" not in done.stderr, (name, done.stderr)
        if name in stopping:
            assert done.returncode == 1, (name, done.stderr)
            last = done.stderr.strip().splitlines()[-1]
            assert last.startswith("langson-archive: error: ") and stop_text in last, (name, last)
        else:
            assert done.returncode == 0, (name, done.stdout, done.stderr)


def test_a_capture_record_with_no_target_uri_is_skipped(crawled, tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    base, _ = crawled
    out = tmp_path / "archive"
    shutil.copytree(base, out)
    extra = out / "captures" / "2026" / "19990101T000000Z-1.warc.gz"
    extra.parent.mkdir(parents=True, exist_ok=True)
    with extra.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record("http://x/", "response", payload=__import__("io").BytesIO(b"<p>x</p>"),
                                           http_headers=http)  # fmt: skip
        record.rec_headers.remove_header("WARC-Target-URI")
        writer.write_record(record)
    done = run_cli("reparse", "--out", str(out))
    # a malformed record is a damaged one: skipped with one warning, the rest rebuilt, and reparse says
    # it could not read everything (exit 1, as for any damaged capture record)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    (warning,) = [line for line in done.stderr.splitlines() if "damaged record" in line]
    assert extra.name in warning and "1 damaged capture records skipped" in done.stdout
