"""Where a run's chatter goes: a rotated log file rather than stderr, a progress bar only when asked."""

from __future__ import annotations

from tests.conftest import crawl_portal

crawl = crawl_portal


def test_progress_only_when_asked_or_on_a_terminal(portal, tmp_path):
    quiet = crawl(portal, tmp_path / "a")
    assert "listing pages," not in quiet.stderr
    shown = crawl(portal, tmp_path / "b", "--progress")
    assert "langson-archive crawl: 12 digests" in shown.stderr and "listing pages" in shown.stderr


def test_log_file_is_rotated_and_stderr_stays_quiet(portal, tmp_path):
    log = tmp_path / "logs" / "crawl.log"
    done = crawl(portal, tmp_path / "a", "--log-file", str(log), "--log-level", "DEBUG", "--log-max-bytes", "4000")
    assert done.returncode == 0
    assert log.exists() and (tmp_path / "logs" / "crawl.log.1").exists()
    assert "DEBUG" not in done.stderr and "[scrapy" not in done.stderr
