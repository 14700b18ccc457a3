"""``status`` and ``clear-pending``: counts, newest week, the weeks missing, the last run, what failed."""

from __future__ import annotations

import json

from tests.conftest import crawl_portal, load_expected, run_cli


def test_status_reports_counts_newest_week_gaps_and_last_run(portal, tmp_path):
    assert crawl_portal(portal, tmp_path).returncode == 0
    done = run_cli("status", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    langson = [e for e in load_expected() if e["site"] == "langson"]
    newest = max((e for e in langson if e["week_start"]), key=lambda e: e["week_start"])
    assert f"langson.gov.vn: {len(langson)} digests" in done.stdout
    assert f"newest week {newest['week_start']}/{newest['week_end']}" in done.stdout
    assert "weeks missing" in done.stdout and "last run: new" in done.stdout
    data = json.loads(run_cli("status", "--out", str(tmp_path), "--json").stdout)
    assert data["sources"]["langson.gov.vn"]["digests"] == len(langson)


def test_missing_weeks_counts_a_holiday_digest_as_two_weeks():
    from scraper.archive.status import missing_weeks

    records = [{"week_start": "2025-01-06", "week_end": "2025-01-12"},
               {"week_start": "2025-01-27", "week_end": "2025-02-09"},  # two weeks
               {"week_start": "2025-02-17", "week_end": "2025-02-23"}]  # fmt: skip
    assert [d.isoformat() for d in missing_weeks(records)] == ["2025-01-13", "2025-01-20", "2025-02-10"]


def test_clear_pending_forgets_them(tmp_path):
    state = tmp_path / "state"
    state.mkdir(parents=True)
    (state / "pending.json").write_text(
        json.dumps({"vanphong": ["http://127.0.0.1:9/vi/node/1", "javascript:alert(1)", "/vi/node/2"]}), "utf-8"
    )
    status = run_cli("status", "--out", str(tmp_path))
    assert "/vi/node/1" in status.stdout and "javascript" not in status.stdout  # old entries read by path
    done = run_cli("clear-pending", "--out", str(tmp_path))
    assert done.returncode == 0 and "2 pending articles forgotten" in done.stdout
    assert "failed and are fetched first" not in run_cli("status", "--out", str(tmp_path)).stdout
