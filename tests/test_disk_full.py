"""Disk full during a crawl, then space back: one error line, the archive as it was, then complete.

Needs a small tmpfs, so root; skipped elsewhere.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.conftest import crawl_portal, export, load_expected, run_cli


@pytest.fixture
def small_disk(tmp_path):
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=120k", "tmpfs", str(mount_point)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_disk_full_then_space_back(portal, small_disk):
    out = small_disk / "archive"
    done = crawl_portal(portal, out)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == "langson-archive: error: [Errno 28] No space left on device"
    assert not list(out.rglob(".*.tmp"))  # nothing half-written left behind
    subprocess.run(["mount", "-o", "remount,size=20m", str(small_disk)], check=True)  # space is back
    for _ in range(2):
        done = crawl_portal(portal, out)
        assert done.returncode == 0, done.stderr
    assert sorted(r["canonical_url"] for r in export(out)) == sorted(e["canonical_url"] for e in load_expected())
    assert run_cli("validate", "--out", str(out)).returncode == 0


def test_disk_full_during_a_reparse_leaves_the_archive_as_it_was(portal, small_disk):
    subprocess.run(["mount", "-o", "remount,size=20m", str(small_disk)], check=True)
    out = small_disk / "archive"
    assert crawl_portal(portal, out).returncode == 0
    before = {p.relative_to(out): p.read_bytes() for p in (out / "digests").rglob("*.jsonl")}
    for path in (out / "digests").rglob("*.jsonl"):  # every record will differ, so reparse rewrites every file
        path.write_text(path.read_text(encoding="utf-8").replace('"revision":1', '"revision":1,"gone_since":null'),
                        encoding="utf-8")  # fmt: skip
    damaged = {p.relative_to(out): p.read_bytes() for p in (out / "digests").rglob("*.jsonl")}
    assert damaged != before
    filler = small_disk / "filler"
    with filler.open("wb") as handle:  # take every byte that is left
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    done = run_cli("reparse", "--out", str(out))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("langson-archive: error: ")
    assert {p.relative_to(out): p.read_bytes() for p in (out / "digests").rglob("*.jsonl")} == damaged
