"""Issue #4: scheduled and researcher runs against a local server that counts requests."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from scrapy.settings import Settings

from scraper.archive.lock import ArchiveLock
from scraper.crawl.middlewares import BackoffRetryMiddleware
from tests.conftest import ROOT, crawl_portal, export, load_expected, run_cli

crawl = crawl_portal


def requests_of(portal):
    return [(site.name, path) for site in portal.values() for path in site.requests]


def clear(portal):
    for site in portal.values():
        site.requests.clear()
        site.not_modified.clear()


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


def test_unchanged_listing_answers_304_and_rerun_sends_one_request_per_source(portal, tmp_path):
    assert crawl(portal, tmp_path).returncode == 0
    clear(portal)
    done = crawl(portal, tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(requests_of(portal)) == sorted(
        [("langson", "/robots.txt"), ("langson", "/chi-dao-dieu-hanh-noi-bat"),
         ("vanphong", "/robots.txt"), ("vanphong", "/vi/chi-dao-dieu-hanh")]
    )  # fmt: skip
    assert [s.not_modified for s in portal.values()] == [["/chi-dao-dieu-hanh-noi-bat"], ["/vi/chi-dao-dieu-hanh"]]
    assert "0 new" in done.stdout


def test_failed_article_is_retried_with_backoff_reported_and_fetched_next_run(portal, tmp_path):
    expected = [e for e in load_expected() if e["site"] == "langson"]
    deep = expected[-1]["path"]  # on the last listing page
    good_route = portal["langson"].routes[deep]
    portal["langson"].routes[deep] = {"status": 503}
    done = crawl(portal, tmp_path)
    assert done.returncode == 3 and "partial failure" in done.stdout
    assert portal["langson"].requests.count(deep) == 4  # first try + 3 retries
    (report_path,) = list((tmp_path / "runs").rglob("*.json"))
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["outcome"] == "partial" and report["errors"] == 1
    assert report["error_detail"] == {"errors/langson/article": 1}
    assert len(export(tmp_path)) == len(load_expected()) - 1

    portal["langson"].routes[deep] = good_route
    clear(portal)
    done = crawl(portal, tmp_path)
    assert done.returncode == 0 and "1 new" in done.stdout
    assert ("langson", deep) in requests_of(portal)
    assert len(export(tmp_path)) == len(load_expected())
    assert not (tmp_path / "state" / "pending.json").read_text().strip("{}\n ")


def test_backoff_doubles_and_is_capped():
    from scrapy import Request
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(settings_dict={"RETRY_BACKOFF_BASE": 2.0, "RETRY_BACKOFF_MAX": 5.0, "RETRY_TIMES": 5})
    crawler.spider = crawler._create_spider("x")
    mw = BackoffRetryMiddleware.from_crawler(crawler)
    request, delays = Request("http://127.0.0.1:1/"), []
    for _ in range(4):
        request = mw._retry(request, "503")
        delays.append(request.meta["backoff_delay"])
    assert delays == [2.0, 4.0, 5.0, 5.0]
    assert Settings({"RETRY_TIMES": 1}).getint("RETRY_TIMES") == 1


def test_run_report_and_manifest_say_what_happened(portal, tmp_path):
    assert crawl(portal, tmp_path).returncode == 0
    (path,) = list((tmp_path / "runs").rglob("*.json"))
    report = json.loads(path.read_text(encoding="utf-8"))
    assert report["outcome"] == "new" and report["new"] == len(load_expected())
    assert report["requests"] == len(requests_of(portal)) and report["errors"] == 0
    assert report["duration_s"] > 0
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["last_run"] == report


def test_range_crawl_walks_the_listing_only_until_past_the_range(portal, tmp_path):
    newest = max((e for e in load_expected() if e["site"] == "langson" and e["week_start"]),
                 key=lambda e: e["week_start"])  # fmt: skip
    done = crawl(portal, tmp_path, "--source", "langson", "--from", newest["week_start"], "--to", newest["week_end"])
    assert done.returncode == 0, done.stderr
    listing_requests = [p for _, p in requests_of(portal) if "noi-bat?" in p or p.endswith("noi-bat")]
    assert listing_requests == ["/chi-dao-dieu-hanh-noi-bat"]  # page 2 is all older: never asked for
    assert [r["canonical_url"] for r in export(tmp_path)] == [newest["canonical_url"]]
    # the researcher's rerun refetches and re-extracts what is in range
    clear(portal)
    assert crawl(portal, tmp_path, "--source", "langson", "--from", newest["week_start"]).returncode == 0
    assert ("langson", newest["path"]) in requests_of(portal)


def test_status_reports_counts_newest_week_gaps_and_last_run(portal, tmp_path):
    assert crawl(portal, tmp_path).returncode == 0
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


def test_progress_only_when_asked_or_on_a_terminal(portal, tmp_path):
    quiet = crawl(portal, tmp_path / "a")
    assert "listing pages," not in quiet.stderr
    shown = crawl(portal, tmp_path / "b", "--progress")
    assert "digests fetched" in shown.stderr and "listing pages" in shown.stderr


def test_log_file_is_rotated_and_stderr_stays_quiet(portal, tmp_path):
    log = tmp_path / "logs" / "crawl.log"
    done = crawl(portal, tmp_path / "a", "--log-file", str(log), "--log-level", "DEBUG", "--log-max-bytes", "4000")
    assert done.returncode == 0
    assert log.exists() and (tmp_path / "logs" / "crawl.log.1").exists()
    assert "DEBUG" not in done.stderr and "[scrapy" not in done.stderr


def test_config_file_then_environment_then_flags(portal, tmp_path):
    config = tmp_path / "archive.toml"
    bases = "\n".join(f'{s.name} = "{s.url}"' for s in portal.values())
    config.write_text(
        f'out = "{tmp_path / "from-file"}"\ndelay = 0\ncontact = "ops@example.org"\n[base_url]\n{bases}\n'
    )
    done = subprocess.run([sys.executable, "-m", "scraper.cli", "crawl", "--config", str(config)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "from-file" / "manifest.json").exists()
    assert any("ops@example.org" in ua for ua in portal["langson"].user_agents)

    env = {"LANGSON_ARCHIVE_CONFIG": str(config), "LANGSON_ARCHIVE_OUT": str(tmp_path / "from-env")}
    done = subprocess.run([sys.executable, "-m", "scraper.cli", "crawl"], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, env={**os.environ, **env})  # fmt: skip
    assert done.returncode == 0 and (tmp_path / "from-env" / "manifest.json").exists()

    done = subprocess.run([sys.executable, "-m", "scraper.cli", "crawl", "--out", str(tmp_path / "from-flag")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, env={**os.environ, **env})  # fmt: skip
    assert done.returncode == 0 and (tmp_path / "from-flag" / "manifest.json").exists()


@pytest.mark.parametrize("content", ['delay = "soon"', "colour = 3", "not toml ["])
def test_bad_config_is_one_line(tmp_path, content):
    config = tmp_path / "bad.toml"
    config.write_text(content)
    done = run_cli("crawl", "--config", str(config), "--out", str(tmp_path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_readme_cron_example_works_as_written(portal, tmp_path):
    """The README's config file and crontab command, pointed at the fixture portal."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("    # /etc/langson-archive.toml\n", 1)[1].split("\n\n", 1)[0]
    config_text = "\n".join(line[4:] for line in block.splitlines())
    config_text = config_text.replace("/srv/langson-archive", str(tmp_path)) + "\ndelay = 0\n[base_url]\n"
    config_text += "\n".join(f'{s.name} = "{s.url}"' for s in portal.values()) + "\n"
    config = tmp_path / "langson-archive.toml"
    config.write_text(config_text, encoding="utf-8")
    cron_line = next(line for line in readme.splitlines() if "* * *" in line and "crawl --config" in line)
    command = cron_line.split("&& ", 1)[1].replace("/etc/langson-archive.toml", str(config))
    command = command.replace(".venv/bin/langson-archive", f"{sys.executable} -m scraper.cli")
    done = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 1 and "ok (new digests)" in done.stdout
    assert (tmp_path / "log" / "crawl.log").exists()
    again = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert again.returncode == 4  # exit_codes = "detailed" in the example: nothing new


def test_polite_defaults():
    from scraper import settings

    assert settings.ROBOTSTXT_OBEY is True
    assert settings.DOWNLOAD_DELAY >= 1 and settings.AUTOTHROTTLE_ENABLED
    assert settings.CONCURRENT_REQUESTS_PER_DOMAIN == 1
    assert settings.RETRY_TIMES >= 2 and 503 in settings.RETRY_HTTP_CODES
    assert "langson-archive" in settings.USER_AGENT and "contact" in settings.USER_AGENT


def test_robots_txt_is_obeyed(portal, tmp_path):
    blocked = next(e["path"] for e in load_expected() if e["site"] == "vanphong")
    portal["vanphong"].routes["/robots.txt"] = {"text": f"User-agent: *\nDisallow: {blocked}\n"}
    done = crawl(portal, tmp_path, "--source", "vanphong")
    assert done.returncode == 0, done.stderr
    assert blocked not in portal["vanphong"].requests
    assert blocked not in {"/" + r["url"].split("/", 3)[3] for r in export(tmp_path)}
