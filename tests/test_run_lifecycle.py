"""The run lifecycle: the archive's lock, one read of the archive, one run report, the exit status.

A range rerun reads each month file at most once (none when the archive's index is current); the capture file and the run report share the
run's id; a second run waits for the lock holder; detailed exit codes tell new digests from
nothing new; the run report, the manifest's ``last_run`` and the summary line say the same.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
from collections import Counter

from scraper.archive.lock import ArchiveLock
from scraper.crawl.lifecycle import run_report
from tests.conftest import ROOT, base_url_args, crawl_portal, load_expected, requests_of

crawl = crawl_portal


COUNTING_CRAWL = textwrap.dedent(
    """
    import json, sys
    from collections import Counter
    from scraper import archive
    reads = Counter()
    original = archive.Archive.read_partition
    def counted(self, path):
        reads[path.name] += 1
        return original(self, path)
    archive.Archive.read_partition = counted
    from scraper.cli import main
    code = main(sys.argv[1:])
    print("READS " + json.dumps(reads), file=sys.stderr)
    sys.exit(code)
    """
)


def test_a_range_rerun_reads_each_month_file_once(portal, tmp_path):
    assert crawl_portal(portal, tmp_path).returncode == 0
    args = ["crawl", *base_url_args(portal), "--out", str(tmp_path), "--delay", "0",
            "--from", "2000-01-01", "--to", "2100-01-01"]  # fmt: skip

    def counted_run() -> Counter:
        done = subprocess.run([sys.executable, "-c", COUNTING_CRAWL, *args], capture_output=True, text=True,
                              cwd=ROOT, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "0 new, 0 updated" in done.stdout  # nothing to rewrite: the index is the only read
        return Counter(json.loads(done.stderr.rsplit("READS ", 1)[1]))

    assert counted_run() == Counter()  # the index the first run kept is current: no month file is read
    (tmp_path / "state" / "archive-index.sqlite").unlink()
    reads = counted_run()  # without it, the index is rebuilt: each month file read once
    months = {p.name for p in (tmp_path / "digests").rglob("*.jsonl")}
    assert set(reads) == months
    assert set(reads.values()) == {1}, reads


def test_the_capture_file_and_the_run_report_share_the_run_id(portal, tmp_path):
    assert crawl_portal(portal, tmp_path).returncode == 0
    (report_path,) = (tmp_path / "runs").rglob("*.json")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    (capture,) = (tmp_path / "captures").rglob("*.warc.gz")
    assert report_path.stem == report["run_id"] == capture.name.removesuffix(".warc.gz")
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["last_run"]["run_id"] == report["run_id"]
    assert [c["path"] for c in manifest["captures"]] == [capture.relative_to(tmp_path).as_posix()]


def test_second_run_waits_for_the_lock_holder_and_sends_nothing(portal, tmp_path):
    with ArchiveLock(tmp_path):
        done = crawl(portal, tmp_path)
    assert done.returncode == 75
    assert "is being written by pid" in done.stderr and "Traceback" not in done.stderr
    assert requests_of(portal) == []
    assert crawl(portal, tmp_path).returncode == 0  # released: the next run goes ahead


def test_detailed_exit_codes_tell_new_from_nothing_new(portal, tmp_path):
    assert crawl(portal, tmp_path, "--exit-codes", "detailed").returncode == 0
    again = crawl(portal, tmp_path, "--exit-codes", "detailed")
    assert again.returncode == 4 and "ok (nothing new)" in again.stdout
    assert crawl(portal, tmp_path).returncode == 0  # simple codes: nothing new is still 0


def test_run_report_and_manifest_say_what_happened(portal, tmp_path):
    done = crawl(portal, tmp_path)
    assert done.returncode == 0, done.stderr
    (path,) = list((tmp_path / "runs").rglob("*.json"))
    report = json.loads(path.read_text(encoding="utf-8"))
    assert report["outcome"] == "new" and report["new"] == len(load_expected())
    assert report["requests"] == len(requests_of(portal)) and report["errors"] == 0
    # the duration is the clock's: checked for what the run did with it, not against a number of seconds
    assert isinstance(report["duration_s"], float)
    assert f" in {report['duration_s']:.1f} s;" in done.stdout  # the summary line says the same
    started_at = dt.datetime(2024, 3, 11, 9, 0, tzinfo=dt.timezone.utc)
    assert run_report({}, started_at, 12.3456)["duration_s"] == 12.346  # the seconds measured, to the millisecond
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["last_run"] == report


def test_the_crawl_collects_young_garbage_less_often_and_the_collector_is_as_before_afterwards():
    import gc

    from scraper.crawl.lifecycle import CRAWL_GC_THRESHOLD, fewer_collections

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        with fewer_collections():
            assert gc.get_threshold() == (CRAWL_GC_THRESHOLD, 10, 10)
        assert gc.get_threshold() == (700, 10, 10)
        gc.set_threshold(20000, 5, 5)  # set higher already by the caller: kept
        with fewer_collections():
            assert gc.get_threshold() == (20000, 5, 5)
    finally:
        gc.set_threshold(*before)
