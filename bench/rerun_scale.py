"""Idle rerun at scale: a scheduled crawl that finds nothing new, on archives of 2,000 to 80,000 records.

    .venv/bin/python -m bench.rerun_scale [--sizes 2000,20000,80000] [--repeat 3] [--json PATH] [--check]

A small synthetic portal (``bench.site``, served on loopback by ``scraper.demo.server`` in this
process) is crawled once into an archive; the archive then grows to each size with synthetic
records (``bench.archive_scale.synthetic``: real parser output, eight digests a week from 1900 on
so that 80,000 fit in the years a record may name), merged through ``Archive.merge`` as a crawl
merges. At each size one warm-up idle rerun is run (it brings the run's derived files up to date),
then ``--repeat`` idle reruns are timed, each the real command line in a child process::

    langson-archive crawl --source langson --base-url langson=URL --out OUT --delay 0

The portal publishes nothing new, so each rerun asks for robots.txt and the first listing page
and stops. Its *local work* (what the run does with the archive, without Scrapy's start-up
and the two requests) is timed on its own in a child process: the lifecycle's preparation
(``prepare_archive``: recover, temporaries, open captures, the archive's index), the lookups of
the first listing page's digests, the merge of nothing and the end of the run (search index,
data package, manifest). ``--check`` fails when the largest archive's idle rerun takes more
than ``TOLERANCE`` times the smallest's: a rerun's cost must not grow with the archive.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.archive_scale import child, synthetic, templates
from bench.common import CLI, machine, run_measured, table
from bench.site import digest, write_site
from scraper.archive import Archive
from scraper.demo.server import start
from scraper.pages import content_hash
from scraper.sites.profiles import PROFILES

SITE_DIGESTS = 30  # on the portal: three listing pages
PER_WEEK = 8  # synthetic records a week (four per portal), so 80,000 records span 1900-2091
FIRST_MONDAY = dt.date(1900, 1, 1)
TOLERANCE = 1.5  # the largest archive's idle rerun may take this many times the smallest's
LOCAL_TARGET_S = 1.0  # reported, not checked: the local work at the largest size


def record(number: int, pool: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Synthetic record ``number`` moved to week ``number // PER_WEEK`` after 1900-01-01."""
    base = synthetic(number, pool)
    start = FIRST_MONDAY + dt.timedelta(weeks=number // PER_WEEK)
    end = start + dt.timedelta(days=6)
    rec = {**base, "week_start": start.isoformat(), "week_end": end.isoformat(), "digest_key": f"{start}/{end}",
           "published_at": f"{end + dt.timedelta(days=1)}T09:00:00+07:00"}  # fmt: skip
    rec["content_hash"] = content_hash(rec)
    return rec


def grow(root: Path, have: int, size: int, pool: dict[str, list[dict[str, Any]]]) -> None:
    """Merge synthetic records ``have``…``size-1`` into the archive (in batches: memory stays small)."""
    archive = Archive(root)
    for first in range(have, size, 10_000):
        archive.merge(record(n, pool) for n in range(first, min(size, first + 10_000)))
    archive.write_manifest()


def local_work(root: str, keys: list[str], paths: list[str]) -> None:
    """An idle rerun's work on the archive, timed in this process; seconds printed as JSON."""
    import time

    from scraper.archive.lock import ArchiveLock
    from scraper.crawl.lifecycle import prepare_archive, refresh_data_package

    out = Path(root)
    started = time.perf_counter()
    with ArchiveLock(out):
        index = prepare_archive(out)
        prepared = time.perf_counter()
        known = index.keys()
        found = sum(key in known for key in keys) + sum(index.paths.get(p) is not None for p in paths)
        assert found == len(keys) + len(paths), (found, keys, paths)
        assert any(k.startswith("langson:") for k in known)  # the spider's "has this source an archive" check
        result = Archive(out).merge([], index=index)
        assert not result.files_written
        refresh_data_package(out, changed=False)
        Archive(out).write_manifest()
    done = time.perf_counter()
    print(json.dumps({"seconds": done - started, "prepare_s": prepared - started}))


def crawl(url: str, out: Path) -> float:
    args = [*CLI, "crawl", "--source", "langson", "--base-url", f"langson={url}", "--out", str(out), "--delay", "0"]
    done = run_measured(args)
    if done.returncode != 0:
        raise SystemExit(f"bench.rerun_scale: the crawl failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    return done.seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.rerun_scale", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="2000,20000,80000", help="archive sizes in records (default 2000,20000,80000)")
    ap.add_argument("--repeat", type=int, default=3, help="timed idle reruns at each size; the median is shown")
    ap.add_argument("--json", type=Path, metavar="PATH", help="also write every figure as JSON")
    ap.add_argument(
        "--check",
        action="store_true",
        help=f"exit 1 when the largest archive's idle rerun takes over {TOLERANCE}x the smallest's",
    )
    args = ap.parse_args(argv)
    try:
        sizes = sorted({int(s) for s in args.sizes.split(",")})
    except ValueError:
        ap.error("--sizes takes whole numbers separated by commas")
    if not sizes or sizes[0] <= SITE_DIGESTS:
        ap.error(f"--sizes must be more than {SITE_DIGESTS} (the portal's own digests)")
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    pool = templates()
    newest = [digest(n) for n in range(SITE_DIGESTS - 1, SITE_DIGESTS - 11, -1)]  # the first listing page
    paths = [d["path"] for d in newest]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="langson-bench-") as tmp:
        portal, out = Path(tmp) / "portal", Path(tmp) / "archive"
        write_site(portal, SITE_DIGESTS)
        site = start(portal)["langson"]
        try:
            crawl(site.url, out)  # the portal's digests are archived: a rerun finds nothing new
            keys = [str(PROFILES["langson"].record_key(site.url + path)) for path in paths]
            have = SITE_DIGESTS
            for size in sizes:
                grow(out, have, size, pool)
                have = size
                warm_up = crawl(site.url, out)
                before = len(site.requests)
                seconds = [crawl(site.url, out) for _ in range(args.repeat)]
                requests = (len(site.requests) - before) // args.repeat
                local = []
                for _ in range(args.repeat):
                    done = run_measured(child(f"from bench.rerun_scale import local_work; "
                                              f"local_work({str(out)!r}, {keys!r}, {paths!r})"))  # fmt: skip
                    if done.returncode != 0:
                        raise SystemExit(f"bench.rerun_scale: local work failed: {done.stderr.strip()[-500:]}")
                    local.append(json.loads(done.stdout.strip().splitlines()[-1]))
                mib = sum(p.stat().st_size for p in Archive(out).partitions()) / 2**20
                rows.append({
                    "records": json.loads((out / "manifest.json").read_text(encoding="utf-8"))["records"],
                    "partitions": len(Archive(out).partitions()),
                    "archive_mib": round(mib, 1),
                    "warm_up_s": round(warm_up, 3),
                    "rerun_s": round(statistics.median(seconds), 3),
                    "rerun_runs_s": [round(s, 3) for s in seconds],
                    "requests": requests,
                    "local_s": round(statistics.median(x["seconds"] for x in local), 4),
                    "local_prepare_s": round(statistics.median(x["prepare_s"] for x in local), 4),
                })  # fmt: skip
        finally:
            site.stop()

    first, last = rows[0], rows[-1]
    ratio = last["rerun_s"] / first["rerun_s"]
    local_ratio = last["local_s"] / first["local_s"] if first["local_s"] else float("inf")
    print("# Idle rerun benchmark\n")
    print(f"Machine: {machine()}\n")
    print(f"An idle scheduled rerun (`crawl --source langson --delay 0`, the portal unchanged: robots.txt and "
          f"the first listing page) on archives of each size; median of {args.repeat} runs after one warm-up. "
          "Local work: the run's archive work alone, in-process.\n")  # fmt: skip
    print(table(
        ["records (JSONL size, partitions)", "warm-up rerun", "idle rerun", "requests", "local work",
         "of which the archive's index"],
        [[f"{r['records']:,} ({r['archive_mib']:.0f} MiB, {r['partitions']:,})", f"{r['warm_up_s']:.2f} s",
          f"{r['rerun_s']:.2f} s", r["requests"], f"{r['local_s']:.3f} s", f"{r['local_prepare_s']:.3f} s"]
         for r in rows],
    ))  # fmt: skip
    print(f"\nIdle rerun, largest / smallest archive: {ratio:.2f}x (tolerance {TOLERANCE}x); local work "
          f"{local_ratio:.2f}x; local work at {last['records']:,} records: {last['local_s']:.3f} s "
          f"({'under' if last['local_s'] < LOCAL_TARGET_S else 'NOT under'} {LOCAL_TARGET_S:.0f} s)")  # fmt: skip
    if args.json:
        result = {"machine": machine(), "sizes": rows, "ratio": ratio, "local_ratio": local_ratio,
                  "tolerance": TOLERANCE}  # fmt: skip
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.check and len(rows) > 1 and ratio > TOLERANCE:
        print(f"CHECK FAILED: the idle rerun at {last['records']:,} records took {ratio:.2f}x the one at "
              f"{first['records']:,} (tolerance {TOLERANCE}x)")  # fmt: skip
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
