"""Crawl throughput and incremental cost against a synthetic portal served on loopback.

    .venv/bin/python -m bench.crawl [--digests 2000] [--json PATH] [--check]

Serves ``bench.site`` (2,000 digests by default, ten per listing page) with the project's
test server in this process, and runs the real command line in a child process:

1. a first crawl into an empty archive with ``--delay 0``: pages per second end to end
   (process start to exit, every HTTP request the server answered, WARC captures
   written), and the crawl's peak resident memory;
2. reruns after the site gained nothing, 1 and 10 new digests: how many requests each made;
3. ``reparse``: every digest rebuilt from the WARC captures of those runs, time and peak memory.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.common import CLI, machine, run_measured, table
from bench.site import write_site
from scraper.demo.server import start

TARGET_PAGES_PER_S = 150.0


def crawl(url: str, out: Path, *extra: str) -> dict[str, Any]:
    args = [*CLI, "crawl", "--source", "langson", "--base-url", f"langson={url}", "--out", str(out),
            "--delay", "0", *extra]  # fmt: skip
    done = run_measured(args)
    if done.returncode != 0:
        raise SystemExit(f"bench.crawl: the crawl failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    return {"seconds": done.seconds, "peak_rss_mib": done.peak_rss_mib, "summary": done.stdout.strip()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.crawl", description=__doc__.splitlines()[0])
    ap.add_argument("--digests", type=int, default=2000, help="digests on the synthetic site (default 2000)")
    ap.add_argument("--json", type=Path, metavar="PATH", help="also write every figure as JSON")
    ap.add_argument("--check", action="store_true", help=f"exit 1 below {TARGET_PAGES_PER_S:.0f} pages/s")
    args = ap.parse_args(argv)
    if args.digests < 1:
        ap.error("--digests must be at least 1")

    results: dict[str, Any] = {"machine": machine(), "digests": args.digests}
    with tempfile.TemporaryDirectory(prefix="langson-bench-") as tmp:
        portal, out = Path(tmp) / "portal", Path(tmp) / "archive"
        routes = write_site(portal, args.digests)
        site = start(portal)["langson"]
        try:
            first = crawl(site.url, out)
            served = len(site.requests)
            first.update(requests=served, pages_per_s=served / first["seconds"])
            results["first_crawl"] = first
            reruns = []
            for new in (0, 1, 10):
                if new:
                    routes = write_site(portal, args.digests + new)  # earlier digests keep their pages and URLs
                    site.routes.clear()
                    site.routes.update(routes)
                args.digests += new
                before = len(site.requests)
                rerun = crawl(site.url, out)
                rerun.update(new_digests=new, requests=len(site.requests) - before,
                             paths=site.requests[before:])  # fmt: skip
                reruns.append(rerun)
            results["reruns"] = reruns
            done = run_measured([*CLI, "reparse", "--out", str(out)])
            if done.returncode != 0:
                raise SystemExit(f"bench.crawl: reparse failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
            results["reparse"] = {"seconds": done.seconds, "peak_rss_mib": done.peak_rss_mib,
                                  "summary": done.stdout.strip().splitlines()[-1]}  # fmt: skip
        finally:
            site.stop()

    print("# Crawl benchmark\n")
    print(f"Machine: {results['machine']}\n")
    print(f"Synthetic portal: {results['digests']} digests, 10 per listing page, served on 127.0.0.1 "
          "by scraper.demo.server in this process; crawl in a child process with `--delay 0`.\n")  # fmt: skip
    print(table(["run", "requests", "seconds", "pages/s", "peak memory"], [[
        "first crawl", first["requests"], f"{first['seconds']:.1f}", f"{first['pages_per_s']:.0f}",
        f"{first['peak_rss_mib']:.0f} MiB"]]))  # fmt: skip
    print()
    reparse = results["reparse"]
    print(table(["offline rebuild", "digests", "seconds", "pages/s", "peak memory"], [[
        "reparse (every capture, no network)", args.digests, f"{reparse['seconds']:.1f}",
        f"{args.digests / reparse['seconds']:.0f}", f"{reparse['peak_rss_mib']:.0f} MiB"]]))  # fmt: skip
    print()
    print(table(["rerun after", "requests", "seconds", "what was fetched"], [
        [f"{r['new_digests']} new", r["requests"], f"{r['seconds']:.1f}", _fetched(r["paths"])] for r in reruns
    ]))  # fmt: skip
    print()
    for r in [first, *reruns, reparse]:
        print(f"- {r['summary']}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.check and first["pages_per_s"] < TARGET_PAGES_PER_S:
        print(f"CHECK FAILED: {first['pages_per_s']:.0f} pages/s < {TARGET_PAGES_PER_S:.0f}")
        return 1
    return 0


def _fetched(paths: list[str]) -> str:
    robots = sum(p == "/robots.txt" for p in paths)
    listing = sum("?page=" in p or p.endswith("noi-bat") for p in paths)
    articles = len(paths) - robots - listing
    return f"{robots} robots.txt, {listing} listing, {articles} articles"


if __name__ == "__main__":
    sys.exit(main())
