"""A record moving to another month's file is never lost or doubled: kill -9, concurrent exports.

The move rewrites two files. A journal names both before either is replaced, the next
reader or writer completes a change a killed process left half done, and readers wait
while a change is put in place. Faults are injected into a real crawl subprocess with
``LANGSON_ARCHIVE_FAULT``.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import PORTAL, ROOT, base_url_args, crawl_portal, export, load_expected, run_cli


def _manifest_matches(out: Path) -> None:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    on_disk = {p.relative_to(out).as_posix() for p in (out / "digests").rglob("*.jsonl")}
    assert set(listed) == on_disk
    for rel, digest in listed.items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == digest, rel


def _exactly_once(out: Path) -> dict[str, dict]:
    records = export(out)
    keys = [r["key"] for r in records]
    assert len(keys) == len(set(keys)), "a key exported twice"
    return {r["key"]: r for r in records}


def _move_a_digest_to_another_month(portal, tmp_path) -> dict:
    """Serve one archived digest with a title a month later: a range rerun moves its record."""
    want = next(e for e in load_expected() if e["site"] == "langson" and e["week_start"] == "2024-02-19")
    site = portal["langson"]
    html = (PORTAL / "langson" / "pages" / site.routes[want["path"]]["file"]).read_text(encoding="utf-8")
    moved = tmp_path / "moved.html"
    moved.write_text(html.replace("từ ngày 19/02 đến ngày 25/02/2024", "từ ngày 18/03 đến ngày 24/03/2024"), "utf-8")
    site.routes[want["path"]] = {"file": os.path.relpath(moved, PORTAL / "langson" / "pages")}
    return want


def _range_rerun(portal, out: Path, fault: str) -> subprocess.Popen:
    args = ["crawl", *base_url_args(portal), "--out", str(out), "--delay", "0", "--source", "langson",
            "--from", "2024-01-01", "--to", "2024-12-31"]  # fmt: skip
    env = {**os.environ, "LANGSON_ARCHIVE_FAULT": fault}
    return subprocess.Popen([sys.executable, "-m", "scraper.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def test_kill_9_between_the_two_file_replacements_of_a_move(portal, tmp_path):
    out = tmp_path / "archive"
    assert crawl_portal(portal, out).returncode == 0
    want = _move_a_digest_to_another_month(portal, tmp_path)
    proc = _range_rerun(portal, out, "kill-mid-commit")
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL  # killed with one of the two files replaced
    assert (out / ".commit.json").exists()
    records = _exactly_once(out)  # the export completes the move first
    key = "langson:" + want["path"].rsplit("/", 1)[1][: -len(".html")]
    assert records[key]["week_start"] == "2024-03-18"
    assert not (out / ".commit.json").exists()
    assert run_cli("validate", "--out", str(out)).returncode == 0
    _manifest_matches(out)
    assert len(records) == len(load_expected())


def test_an_export_during_a_move_sees_the_record_exactly_once(portal, tmp_path):
    out = tmp_path / "archive"
    assert crawl_portal(portal, out).returncode == 0
    _move_a_digest_to_another_month(portal, tmp_path)
    proc = _range_rerun(portal, out, "pause-mid-commit")
    deadline = time.monotonic() + 60
    while not (out / ".commit.json").exists():  # the move is under way: one file replaced, one not
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.01)
    records = _exactly_once(out)
    assert len(records) == len(load_expected())
    proc.communicate(timeout=60)
    assert proc.returncode == 0
    _manifest_matches(out)


def test_validate_reports_a_key_present_twice(portal, tmp_path):
    out = tmp_path / "archive"
    assert crawl_portal(portal, out, "--source", "vanphong").returncode == 0
    first = next((out / "digests").rglob("*.jsonl"))
    line = first.read_text(encoding="utf-8").splitlines()[0]
    other = out / "digests" / "1999" / "1999-01.jsonl"
    other.parent.mkdir(parents=True)
    other.write_text(line + "\n", encoding="utf-8")
    done = run_cli("validate", "--out", str(out))
    assert done.returncode == 1
    assert "one record per digest" in done.stdout


def test_kill_9_at_random_moments_of_first_crawls_and_range_reruns(portal, tmp_path):
    rng = random.Random(20261129)
    for site in portal.values():  # slow pages, so a kill can land anywhere in the run
        for path, route in list(site.routes.items()):
            if "file" in route and path != "/robots.txt":
                site.routes[path] = {**route, "content_type": "text/html; charset=utf-8", "sleep": 0.05}
    out = tmp_path / "archive"
    archived: set[str] = set()
    for round_ in range(6):
        extra = [] if round_ % 2 == 0 else ["--from", "2018-01-01", "--to", "2030-12-31"]
        args = ["crawl", *base_url_args(portal), "--out", str(out), "--delay", "0", *extra]
        proc = subprocess.Popen([sys.executable, "-m", "scraper.cli", *args], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(0.3, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        if not out.exists():
            continue
        records = _exactly_once(out)  # every file parses, no key twice
        assert archived <= set(records)  # nothing archived before is ever lost
        archived = set(records)
        if (out / "digests").is_dir():
            assert run_cli("validate", "--out", str(out)).returncode == 0
        if (out / "manifest.json").exists():
            _manifest_matches(out)
    for site in portal.values():
        for route in site.routes.values():
            route.pop("sleep", None)
    done = crawl_portal(portal, out)
    assert done.returncode == 0, done.stderr
    assert sorted(_exactly_once(out)) == sorted(
        {"langson:" + e["path"].rsplit("/", 1)[1][: -len(".html")] if e["site"] == "langson"
         else "vanphong:" + e["path"].rsplit("/", 1)[1] for e in load_expected()}
    )  # fmt: skip
