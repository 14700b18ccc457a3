"""``state/pending.json``: failed articles, how they failed, and when the runs give up on them.

A digest URL that keeps answering 404 (a broken link on the portal) must not make every
scheduled run a partial failure for years; a server that is down for a while must not make
the archive give up on what it will serve again.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from scraper.archive.state import PendingArticles

DAY = dt.date(2026, 3, 2)
URL = "http://127.0.0.1:8000/vi/tin/chi-dao-tuan-1.html"


def fail_runs(root, failures, runs=3, days=7):
    """One run per (day offset, lasting) in ``failures``, each a fresh process's state: what each run returned."""
    given_up = []
    for offset, lasting in failures:
        state = PendingArticles(root, give_up_runs=runs, give_up_days=days)
        given_up.append(state.failed("langson", URL, "HTTP 404 Not Found", lasting, DAY + dt.timedelta(days=offset)))
        state.save()
    return given_up


@pytest.mark.parametrize(
    ("failures", "expected"),
    [
        # three answers in a row over a week: given up by the third
        ([(0, True), (3, True), (7, True)], [False, False, True]),
        # three runs, but within a week: not yet
        ([(0, True), (1, True), (2, True)], [False, False, False]),
        # a week, but two runs: not yet
        ([(0, True), (8, True)], [False, False]),
        # a server error between resets the streak: the third answer after it is two in a row
        ([(0, True), (3, True), (5, False), (7, True), (9, True)], [False, False, False, False, False]),
        # then one more answer a week after the streak began
        ([(0, False), (1, True), (4, True), (8, True)], [False, False, False, True]),
        # server errors for ever: never
        ([(d, False) for d in range(0, 60, 6)], [False] * 10),
    ],
    ids=["answers-over-a-week", "too-soon", "too-few-runs", "streak-reset", "after-reset", "server-errors"],
)
def test_an_article_is_given_up_only_after_answers_on_enough_runs_over_enough_days(tmp_path, failures, expected):
    assert fail_runs(tmp_path, failures) == expected
    state = PendingArticles(tmp_path)
    assert (state.given_up("langson") == ["/vi/tin/chi-dao-tuan-1.html"]) == any(expected)
    assert (state.for_source("langson") == []) == any(expected)  # a given-up article is not asked for


def test_a_failure_counts_once_a_run_and_a_checkpoint_counts_none(tmp_path):
    state = PendingArticles(tmp_path, give_up_runs=2, give_up_days=0)
    state.failed("langson", URL)  # in flight at a checkpoint: pending, no failure
    assert state.entry("langson", URL).failures == 0
    for _ in range(3):  # the same run failing it again (a retry from the pending list and from the listing)
        assert not state.failed("langson", URL, "HTTP 404 Not Found", True, DAY)
    assert state.entry("langson", URL).failures == 1
    state.save()
    again = PendingArticles(tmp_path, give_up_runs=2, give_up_days=0)
    assert again.failed("langson", URL, "HTTP 404 Not Found", True, DAY)


def test_zero_runs_never_gives_up(tmp_path):
    assert fail_runs(tmp_path, [(d, True) for d in range(0, 100, 10)], runs=0) == [False] * 10


def test_the_state_keeps_what_it_knows_and_reads_older_and_damaged_files(tmp_path):
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "pending.json").write_text(
        json.dumps(
            {
                "vanphong": ["http://127.0.0.1:9/vi/node/1", "javascript:alert(1)", "/vi/node/2"],  # older: paths
                "langson": [
                    {
                        "path": "/a.html",
                        "failures": 4,
                        "first_failed": "2026-01-05",
                        "last_error": "HTTP 410 Gone",
                        "lasting_runs": 4,
                        "lasting_since": "2026-01-05",
                        "given_up": "2026-01-26",
                    },  # fmt: skip
                    {"path": "/b.html", "failures": "many", "first_failed": "yesterday", "given_up": 5},
                    {"path": "ftp://x/c.html"},
                    {"failures": 2},
                ],
            }
        ),
        "utf-8",
    )
    state = PendingArticles(tmp_path)
    assert state.for_source("vanphong") == ["/vi/node/1", "/vi/node/2"]
    assert state.given_up("langson") == ["/a.html"] and state.for_source("langson") == ["/b.html"]
    assert state.entry("langson", "/b.html").failures == 0  # unreadable values are unknown, not errors
    assert state.entry("langson", "/b.html").first_failed is None
    state.done("vanphong", "/vi/node/1")
    state.save()
    saved = json.loads((tmp_path / "state" / "pending.json").read_text(encoding="utf-8"))
    assert saved["langson"][0] == {"path": "/a.html", "failures": 4, "first_failed": "2026-01-05",
                                   "last_error": "HTTP 410 Gone", "lasting_runs": 4, "lasting_since": "2026-01-05",
                                   "given_up": "2026-01-26"}  # fmt: skip
    assert saved["vanphong"] == [{"path": "/vi/node/2"}]
    assert PendingArticles(tmp_path).clear() == 3  # given up or not


def test_done_forgets_a_given_up_article(tmp_path):
    assert fail_runs(tmp_path, [(0, True), (4, True), (8, True)])[-1]
    state = PendingArticles(tmp_path)
    state.done("langson", URL)  # got at last (a range run, or --retry-given-up)
    state.save()
    assert PendingArticles(tmp_path).paths == {}


def test_the_crawl_settings_default_to_the_state_defaults():
    from scraper import settings
    from scraper.archive.state import GIVE_UP_DAYS, GIVE_UP_RUNS

    assert (settings.PENDING_GIVE_UP_RUNS, settings.PENDING_GIVE_UP_DAYS) == (GIVE_UP_RUNS, GIVE_UP_DAYS)
