"""Bad input gets one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import pytest

from scraper.archive import Archive
from tests.conftest import run_cli


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crawl", "--from", "2024-13-01"], "is not a date"),
        (["crawl", "--from", "01/03/2024"], "is not a date"),
        (["crawl", "--from", "2024-03-10", "--to", "2024-03-01"], "is after --to"),
        (["crawl", "--source", "hanoi"], "invalid choice"),
        (["crawl", "--base-url", "hanoi=http://127.0.0.1:1"], "SOURCE=URL"),
        (["crawl", "--base-url", "langson=ftp://x"], "not an http(s) URL"),
        (["crawl", "--delay", "-1"], "from 0 to 3600"),
        (["crawl", "--delay", "nan"], "from 0 to 3600"),
        (["crawl", "--delay", "inf"], "from 0 to 3600"),
        (["crawl", "--timeout", "nan"], "from 0 to 3600"),
        (["crawl", "--timeout", "0"], "more than 0 seconds"),
        (["crawl", "--max-size", "0"], "below 1024 bytes"),
        (["crawl", "--max-size", "-5"], "below 1024 bytes"),
        (["crawl", "--max-size", "lots"], "not a number of bytes"),
        (["crawl", "--log-level", "LOUD"], "choose from DEBUG"),
        (["probe", "--delay", "nan"], "from 0 to 3600"),
        (["crawl", "--delay", "soon"], "not a number"),
        (["export", "--from", "2024-03-10", "--to", "2024-03-01"], "is after --to"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(args, message, tmp_path):
    done = run_cli(*args, "--out", str(tmp_path / "archive")) if args[0] != "frobnicate" else run_cli(*args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("usage:")]
    assert len(lines) == 1 and message in lines[0], done.stderr


def test_out_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    done = run_cli("crawl", "--out", str(target))
    assert done.returncode == 2 and "not a directory" in done.stderr and "Traceback" not in done.stderr


def test_export_of_missing_archive_says_so(tmp_path):
    done = run_cli("export", "--out", str(tmp_path / "nowhere"))
    assert done.returncode == 2 and "no archive there" in done.stderr


def test_corrupt_archive_line_stops_crawl_before_fetching_and_keeps_file(tmp_path):
    part = tmp_path / "digests" / "2024" / "2024-03.jsonl"
    part.parent.mkdir(parents=True)
    part.write_text('{"key": "langson:a"}\n{broken\n', encoding="utf-8")
    done = run_cli("crawl", "--out", str(tmp_path), "--base-url", "langson=http://127.0.0.1:9", "--source", "langson")
    assert done.returncode == 1
    assert "2024-03.jsonl:2: not valid JSON" in done.stderr and "Traceback" not in done.stderr
    assert part.read_text(encoding="utf-8") == '{"key": "langson:a"}\n{broken\n'


def test_validate_reports_bad_records(tmp_path):
    Archive(tmp_path).merge([{"key": "langson:a", "title": "", "week_start": "2024-03-04"}])
    done = run_cli("validate", "--out", str(tmp_path))
    assert done.returncode == 1
    assert "0/1 records valid" in done.stdout and "title" in done.stdout


def test_help_says_delay_zero_is_for_mirrors():
    done = run_cli("crawl", "--help")
    assert done.returncode == 0 and "0 is for local mirrors" in " ".join(done.stdout.split())


def test_out_below_a_file_is_refused_before_any_request(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = run_cli("crawl", "--out", str(blocker / "archive"), "--base-url", "langson=http://127.0.0.1:9")
    assert done.returncode == 2 and "not writable" in done.stderr and "Traceback" not in done.stderr


def test_export_reports_a_corrupt_line_and_changes_nothing(tmp_path):
    part = tmp_path / "digests" / "2024" / "2024-03.jsonl"
    part.parent.mkdir(parents=True)
    content = '{"key": "langson:a"}\n\x00garbage\n{"key": "langson:b"}\n'
    part.write_text(content, encoding="utf-8")
    for command in ("export", "validate", "status", "reparse"):
        done = run_cli(command, "--out", str(tmp_path))
        assert done.returncode == 1, (command, done.stderr)
        assert done.stderr.strip().endswith("2024-03.jsonl:2: not valid JSON (Expecting value)"), command
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert part.read_text(encoding="utf-8") == content


def test_out_empty_is_refused():
    done = run_cli("crawl", "--out", "")
    assert done.returncode == 2 and "--out needs a folder name" in done.stderr and "Traceback" not in done.stderr


def test_lowercase_log_level_is_accepted(tmp_path):
    done = run_cli("crawl", "--log-level", "info", "--from", "2024-03-10", "--to", "2024-03-01", "--out", str(tmp_path))
    assert "is after --to" in done.stderr  # parsed past --log-level: the range is what is refused


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("out = 5", "out must be a string"),
        ('contact = ["a", "b"]', "contact must be a string"),
        ('source = "hanoi"', "source 'hanoi': choose from"),
        ('log_level = "LOUD"', "choose from DEBUG"),
        ('exit_codes = "fancy"', "exit_codes 'fancy': choose from"),
        ('delay = "nan"', "from 0 to 3600"),
    ],
)
def test_config_values_are_checked_like_flags(config, message, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(config + "\n", encoding="utf-8")
    done = run_cli("crawl", "--config", str(path), "--out", str(tmp_path / "archive"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], done.stderr


def test_environment_values_are_checked_like_flags(tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {**os.environ, "LANGSON_ARCHIVE_LOG_LEVEL": "loud"}
    done = subprocess.run([sys.executable, "-m", "scraper.cli", "crawl", "--out", str(tmp_path)], env=env,
                          capture_output=True, text=True, cwd=ROOT, timeout=60)  # fmt: skip
    assert done.returncode == 2 and "choose from DEBUG" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "command",
    [["validate"], ["export"], ["status"], ["show", "langson:x"], ["search", "đường"], ["reparse"], ["clear-pending"]],
)
def test_a_command_that_reads_an_archive_refuses_a_folder_that_is_none(tmp_path, command):
    """A mistyped --out naming another folder must not read as an empty archive (an empty export, exit 0)."""
    (tmp_path / "notes.txt").write_text("not an archive", encoding="utf-8")
    done = run_cli(*command, "--out", str(tmp_path))
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "no archive there" in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/mirror/", "http://127.0.0.1:9/?page=1", "http://127.0.0.1:99999"])
def test_base_url_with_a_path_query_or_bad_port_is_refused(url, tmp_path):
    done = run_cli("crawl", "--base-url", f"langson={url}", "--out", str(tmp_path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len([line for line in done.stderr.splitlines() if line.strip()]) == 1


def test_an_unusable_log_file_is_refused(tmp_path):
    (tmp_path / "a-file").write_text("x")
    for log_file, message in ((tmp_path, "is a folder"), (tmp_path / "a-file" / "crawl.log", "cannot make its folder")):
        done = run_cli("crawl", "--log-file", str(log_file), "--base-url", "langson=http://127.0.0.1:9",
                       "--source", "langson", "--out", str(tmp_path / "archive"))  # fmt: skip
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_an_argument_that_is_not_utf8_is_refused(tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    args = [sys.executable.encode(), b"-m", b"scraper.cli", b"export", b"--out", str(tmp_path).encode() + b"/\xff"]
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    done = subprocess.run(args, capture_output=True, cwd=ROOT, env=env, timeout=60)
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2 and "not valid UTF-8" in stderr and "Traceback" not in stderr


def test_a_host_that_does_not_resolve_fails_quietly(tmp_path):
    done = run_cli("crawl", "--source", "langson", "--base-url", "langson=http://no-such-host.invalid",
                   "--out", str(tmp_path), "--delay", "0")  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) <= 4, lines  # one line or two per unreachable host, and the outcome
    assert "Gave up retrying" not in done.stderr  # a name that does not resolve is not retried
