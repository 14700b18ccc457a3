"""The archive's manifest: every month file with its record count and SHA-256, the captures, the last run."""

from __future__ import annotations

import hashlib
import json

from tests.conftest import crawl_portal, load_expected


def test_manifest_lists_each_file_with_count_and_sha256(portal, tmp_path):
    assert crawl_portal(portal, tmp_path).returncode == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    files = {f["path"]: f for f in manifest["files"]}
    on_disk = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "digests").rglob("*.jsonl"))
    assert sorted(files) == on_disk
    for rel, entry in files.items():
        data = (tmp_path / rel).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["records"] == data.count(b"\n")
    assert manifest["records"] == len(load_expected())
    assert [c["path"].endswith(".warc.gz") for c in manifest["captures"]] == [True]
    assert manifest["last_run"]["new"] == len(load_expected()) and manifest["last_run"]["errors"] == 0
