"""One run, one read of the archive, one id for its capture file and its report."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections import Counter

from tests.conftest import ROOT, base_url_args, crawl_portal

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
    done = subprocess.run([sys.executable, "-c", COUNTING_CRAWL, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "0 new, 0 updated" in done.stdout  # nothing to rewrite: the index is the only read
    reads = Counter(json.loads(done.stderr.rsplit("READS ", 1)[1]))
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
