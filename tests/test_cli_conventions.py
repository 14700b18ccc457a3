"""The command line follows the conventions users know from other tools.

``--version``; a description in every command's ``--help``; ``-s NAME=VALUE`` passes Scrapy
settings through; ``export -o FILE`` replaces the file atomically; ``show KEY`` pretty-prints
one record; progress bars fit the terminal's width and never share a line with a log record.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from scraper.cli.commands import COMMANDS
from tests.conftest import ROOT, base_url_args, crawl_portal, run_cli


def exported(out: Path) -> list[dict]:
    done = run_cli("export", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_version_names_the_installed_package_and_the_schema():
    done = run_cli("--version")
    assert done.returncode == 0
    assert done.stdout.strip().startswith(f"langson-archive {version('langson-archive')} (record schema ")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.NAME)
def test_every_command_describes_itself_in_its_help(command):
    assert command.DESCRIPTION and command.DESCRIPTION != command.HELP
    done = run_cli(command.NAME, "--help")
    assert done.returncode == 0
    flat = " ".join(done.stdout.split())
    assert " ".join(command.DESCRIPTION.split()[:8]) in flat  # the description, not only the usage line


def test_the_command_list_shows_every_command_with_its_help():
    done = run_cli("--help")
    flat = " ".join(done.stdout.split())
    for command in COMMANDS:
        assert command.NAME in flat and " ".join(command.HELP.split()[:4]) in flat


def test_dash_s_passes_a_scrapy_setting_through(portal, tmp_path):
    done = crawl_portal(portal, tmp_path, "-s", "USER_AGENT=settings-pass-through/1.0", "--set", "RETRY_TIMES=0")
    assert done.returncode == 0, done.stderr
    seen = set().union(*(site.user_agents for site in portal.values()))
    assert seen == {"settings-pass-through/1.0"}


def test_dash_s_beats_the_flags_and_warns_about_an_unknown_name(portal, tmp_path):
    done = crawl_portal(portal, tmp_path, "--contact", "a@example.invalid", "-s", "USER_AGENT=wins/2",
                        "-s", "NO_SUCH_SETTING=1")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert set().union(*(site.user_agents for site in portal.values())) == {"wins/2"}
    assert "-s NO_SUCH_SETTING: not a Scrapy or project setting" in done.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [("user_agent=x", "upper-case Scrapy setting"), ("NOEQUALS", "use NAME=VALUE"), ("ARCHIVE_DIR=/x", "use --out")],
)
def test_a_bad_dash_s_is_one_line_and_exit_2(value, message, tmp_path):
    done = run_cli("crawl", "--out", str(tmp_path), "-s", value, "--base-url", "langson=http://127.0.0.1:9")
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_export_to_a_file_matches_stdout_and_says_how_many(crawled, tmp_path):
    target = tmp_path / "all.jsonl"
    done = run_cli("export", "--out", str(crawled), "-o", str(target))
    assert done.returncode == 0, done.stderr
    records = exported(crawled)
    assert [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()] == records
    assert f"{len(records)} records written to {target}" in done.stderr
    assert done.stdout == ""
    csv_target = tmp_path / "sections.csv"
    done = run_cli("export", "--out", str(crawled), "--format", "csv", "--sections", "--output", str(csv_target))
    assert done.returncode == 0, done.stderr
    with csv_target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) - 1 == sum(len(r["sections"]) for r in records)


def test_a_failed_export_leaves_the_previous_file_and_no_temporary(crawled, tmp_path):
    out = tmp_path / "archive"
    subprocess.run(["cp", "-a", str(crawled), str(out)], check=True)
    partitions = sorted((out / "digests").rglob("*.jsonl"))
    assert len(partitions) > 1
    with partitions[-1].open("a", encoding="utf-8") as handle:  # the last partition read: the export fails late
        handle.write("{not json\n")
    target = tmp_path / "exports" / "all.jsonl"
    target.parent.mkdir()
    target.write_text("the previous export\n", encoding="utf-8")
    done = run_cli("export", "--out", str(out), "-o", str(target))
    assert done.returncode == 1
    assert "not valid JSON" in done.stderr or "line" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in target.parent.iterdir()] == ["all.jsonl"]


def test_export_into_a_missing_folder_is_refused(crawled, tmp_path):
    done = run_cli("export", "--out", str(crawled), "-o", str(tmp_path / "nowhere" / "x.jsonl"))
    assert done.returncode == 2 and "no folder" in done.stderr


def test_show_pretty_prints_one_record_by_key_or_url(crawled):
    record = exported(crawled)[0]
    by_key = run_cli("show", record["key"], "--out", str(crawled))
    assert by_key.returncode == 0, by_key.stderr
    assert json.loads(by_key.stdout) == record
    assert by_key.stdout.startswith("{\n  ")  # indented
    assert record["title"] in by_key.stdout  # Vietnamese as is, not \u-escaped
    by_url = run_cli("show", record["canonical_url"], "--out", str(crawled))
    assert by_url.stdout == by_key.stdout
    title = run_cli("show", record["key"], "--out", str(crawled), "--field", "title")
    assert title.stdout.strip() == record["title"]


def test_show_of_an_unknown_key_exits_1_naming_close_keys(crawled):
    key = exported(crawled)[0]["key"]
    done = run_cli("show", key + "x", "--out", str(crawled))
    assert done.returncode == 1 and done.stdout == ""
    assert "no record with key or URL" in done.stderr and key in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
LOG_LINE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def run_with_terminal_size(*args: str, columns: int) -> subprocess.CompletedProcess[str]:
    """The command with its output as bytes decoded as is: text mode would turn each carriage return into a newline."""
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "24"}
    done = subprocess.run([sys.executable, "-m", "scraper.cli", *args], capture_output=True, timeout=180, cwd=ROOT,
                          env=env)  # fmt: skip
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def segments(stderr: str) -> list[str]:
    """What a terminal would show of each write: the text after the last carriage return of each line."""
    return [ANSI.sub("", line.split("\r")[-1]) for line in stderr.split("\n")]


def bar_frames(stderr: str, name: str) -> list[str]:
    return [ANSI.sub("", part) for line in stderr.split("\n") for part in line.split("\r") if name in part]


def assert_never_interleaved(stderr: str, name: str) -> int:
    """Every log line starts a line of its own; no bar frame carries log text. Returns the log lines seen."""
    logs = 0
    for part in (p for line in stderr.split("\n") for p in line.split("\r")):
        if LOG_LINE.search(part):
            assert LOG_LINE.match(part) and name not in part, repr(part)
            logs += 1
    for shown in segments(stderr):
        if name in shown:
            assert shown.lstrip().startswith(name), repr(shown)
    return logs


def test_crawl_progress_fits_the_terminal_and_logs_go_above_it(portal, tmp_path):
    done = run_with_terminal_size("crawl", *base_url_args(portal), "--out", str(tmp_path), "--delay", "0",
                                  "--progress", "--log-level", "INFO", columns=64)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    frames = bar_frames(done.stderr, "langson-archive crawl")
    assert frames, done.stderr[-2000:]
    assert max(len(f.rstrip()) for f in frames) <= 64
    assert re.search(r"\b12 digests\b", frames[-1])  # the last frame counts what was fetched
    assert assert_never_interleaved(done.stderr, "langson-archive crawl") > 5


def test_no_progress_bar_without_a_terminal_unless_asked(portal, tmp_path):
    done = run_with_terminal_size("crawl", *base_url_args(portal), "--out", str(tmp_path), "--delay", "0", columns=64)
    assert done.returncode == 0
    assert "langson-archive crawl" not in done.stderr and "\r" not in done.stderr


def test_reparse_progress_fits_the_terminal(crawled, tmp_path):
    out = tmp_path / "archive"
    subprocess.run(["cp", "-a", str(crawled), str(out)], check=True)
    done = run_with_terminal_size("reparse", "--out", str(out), "--progress", "--log-level", "INFO", columns=50)
    assert done.returncode == 0, done.stderr
    frames = bar_frames(done.stderr, "langson-archive reparse")
    assert frames and max(len(f.rstrip()) for f in frames) <= 50
    assert re.search(r"(\d+)/\1\b", frames[-1])  # every page read: done/total
    assert_never_interleaved(done.stderr, "langson-archive reparse")
    assert "langson-archive reparse:" in done.stdout
