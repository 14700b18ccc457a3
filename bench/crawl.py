"""Crawl cost as ratios measured in one run: the project against a bare Scrapy spider, and more.

    .venv/bin/python -m bench.crawl [--digests 2000] [--rounds 3] [--memory-digests 8000] [--json PATH] [--check]

Serves ``bench.site`` (2,000 digests by default, ten per listing page) with the project's
test server in this process and runs every command in a child process, so each figure is
a command's own wall time and peak resident memory. Every target is a ratio of two
figures measured in this invocation, never an absolute rate: a busy machine slows both
sides of a ratio alike.

1. **crawl / bare Scrapy**: the project's first crawl into an empty archive (``--delay 0``)
   and ``bench.bare`` (a spider that fetches exactly the same URLs with the same
   politeness settings and does nothing else), alternating for ``--rounds`` pairs; the
   figure is the median of the pairs' ratios. Target ≤ 1.25.
2. **reparse / (WARC read + extraction)**: ``reparse`` rebuilding every digest from the
   captures, against a child process that reads every capture once and runs the page
   parser on each digest, alternating for ``--rounds`` pairs; the median of the pairs' ratios.
   Target ≤ 1.5.
3. **peak memory**: the first crawl at ``--digests`` and at ``--memory-digests`` digests;
   target: the larger crawl's peak within ``FLAT_MEMORY`` of the smaller's.
4. **reruns** after the site gained nothing, 1 and 10 new digests: how many requests each made.
5. **what bounds the crawl** (no target): in each pair's round, the same first crawl with WARC
   captures off, with the item pipelines off (nothing archived) and with both off, so the cost
   of each part is a difference of figures measured side by side.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.common import CLI, child, machine, run_measured, table
from bench.site import write_site
from scraper.demo.server import start

MAX_CRAWL_RATIO = 1.25  # project crawl / bare Scrapy
MAX_REPARSE_RATIO = 1.5  # reparse / (WARC read + extraction)
FLAT_MEMORY = 1.15  # peak memory at --memory-digests / at --digests
# The crawl with parts of it off (Scrapy settings), to show what each part costs.
VARIANTS = {
    "captures off": ["-s", "CAPTURES_ENABLED=False"],
    "item pipelines off": ["-s", "ITEM_PIPELINES={}"],
    "both off": ["-s", "CAPTURES_ENABLED=False", "-s", "ITEM_PIPELINES={}"],
}


def crawl(url: str, out: Path, *extra: str) -> dict[str, Any]:
    args = [*CLI, "crawl", "--source", "langson", "--base-url", f"langson={url}", "--out", str(out),
            "--delay", "0", "-s", "LISTING_MAX_PAGES=100000", *extra]  # fmt: skip
    done = run_measured(args)
    if done.returncode != 0:
        raise SystemExit(f"bench.crawl: the crawl failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    return {"seconds": done.seconds, "peak_rss_mib": done.peak_rss_mib, "summary": done.stdout.strip()}


def bare(urls_file: Path) -> dict[str, Any]:
    done = run_measured([sys.executable, "-m", "bench.bare", str(urls_file)])
    if done.returncode != 0:
        raise SystemExit(f"bench.crawl: the bare spider failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    return {"seconds": done.seconds, "peak_rss_mib": done.peak_rss_mib, "summary": done.stdout.strip()}


def read_and_extract(root: str) -> None:
    """The floor under ``reparse``: every capture read once, the parser run on each article page."""
    from scraper.archive.captures import iter_captures
    from scraper.pages import parse_digest
    from scraper.sites.profiles import PROFILES

    pages = digests = 0
    for capture in iter_captures(root):
        pages += 1
        if capture.kind == "article" and capture.status == 200:
            digests += parse_digest(capture.url, capture.html, PROFILES[capture.source]).is_digest
    print(f"read {pages} captures, {digests} digests extracted")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.crawl", description=__doc__.splitlines()[0])
    ap.add_argument("--digests", type=int, default=2000, help="digests on the synthetic site (default 2000)")
    ap.add_argument("--rounds", type=int, default=3, help="project/bare pairs, alternating (default 3)")
    ap.add_argument("--memory-digests", type=int, default=8000,
                    help="a second site for the memory figure (default 8000; 0 skips it)")  # fmt: skip
    ap.add_argument("--json", type=Path, metavar="PATH", help="also write every figure as JSON")
    ap.add_argument("--check", action="store_true", help="exit 1 when a ratio misses its target")
    args = ap.parse_args(argv)
    if args.digests < 1 or args.rounds < 1:
        ap.error("--digests and --rounds must be at least 1")
    if args.memory_digests and args.memory_digests <= args.digests:
        ap.error("--memory-digests must be more than --digests (or 0)")

    results: dict[str, Any] = {"machine": machine(), "digests": args.digests}
    with tempfile.TemporaryDirectory(prefix="langson-bench-") as tmp:
        portal, urls_file = Path(tmp) / "portal", Path(tmp) / "urls.txt"
        routes = write_site(portal, args.digests)
        site = start(portal)["langson"]
        try:
            pairs: list[dict[str, Any]] = []
            out = Path(tmp) / "archive-0"
            for round_ in range(args.rounds):
                out = Path(tmp) / f"archive-{round_}"
                pair: dict[str, Any] = {}
                # the first pair runs the project first: its requests are the bare spider's URL list
                for side in ("project", "bare") if round_ % 2 == 0 else ("bare", "project"):
                    before = len(site.requests)
                    if side == "project":
                        pair[side] = crawl(site.url, out)
                        paths = site.requests[before:]
                        if round_ == 0:
                            urls = [site.url.rstrip("/") + p for p in paths if p != "/robots.txt"]
                            urls_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
                    else:
                        pair[side] = bare(urls_file)
                    pair[side]["requests"] = len(site.requests) - before
                pair["ratio"] = pair["project"]["seconds"] / pair["bare"]["seconds"]
                pair["variants"] = {
                    name: crawl(site.url, Path(tmp) / f"variant-{round_}-{n}", *extra)
                    for n, (name, extra) in enumerate(VARIANTS.items())
                }
                pairs.append(pair)
            results["pairs"] = pairs
            results["crawl_ratio"] = statistics.median(p["ratio"] for p in pairs)
            first = pairs[0]["project"]

            reruns = []
            digests = args.digests
            for new in (0, 1, 10):
                if new:
                    routes = write_site(portal, digests + new)  # earlier digests keep their pages and URLs
                    site.routes.clear()
                    site.routes.update(routes)
                digests += new
                before = len(site.requests)
                rerun = crawl(site.url, out)
                rerun.update(new_digests=new, requests=len(site.requests) - before, paths=site.requests[before:])
                reruns.append(rerun)
            results["reruns"] = reruns

            # as many alternating pairs as the crawl's: one pair is at the mercy of whatever else the machine runs
            rebuilds = []
            commands = {
                "floor": child(f"from bench.crawl import read_and_extract; read_and_extract({str(out)!r})"),
                "reparse": [*CLI, "reparse", "--out", str(out)],
            }
            for round_ in range(args.rounds):
                runs = {side: run_measured(commands[side])
                        for side in (("floor", "reparse") if round_ % 2 == 0 else ("reparse", "floor"))}  # fmt: skip
                done, floor = runs["reparse"], runs["floor"]
                if done.returncode != 0 or floor.returncode != 0:
                    raise SystemExit(f"bench.crawl: reparse failed: {(done.stderr + floor.stderr).strip()[-500:]}")
                rebuilds.append((done, floor))
            results["reparse_pairs"] = [{"reparse": d.seconds, "floor": f.seconds, "ratio": d.seconds / f.seconds}
                                        for d, f in rebuilds]  # fmt: skip
            done, floor = rebuilds[0]
            results["reparse"] = {"seconds": statistics.median(d.seconds for d, _ in rebuilds),
                                  "peak_rss_mib": max(d.peak_rss_mib for d, _ in rebuilds), "digests": digests,
                                  "summary": done.stdout.strip().splitlines()[-1]}  # fmt: skip
            results["read_and_extract"] = {"seconds": statistics.median(f.seconds for _, f in rebuilds),
                                           "summary": floor.stdout.strip()}  # fmt: skip
            results["reparse_ratio"] = statistics.median(p["ratio"] for p in results["reparse_pairs"])
        finally:
            site.stop()

        memory = [{"digests": args.digests, "peak_rss_mib": first["peak_rss_mib"], "seconds": first["seconds"]}]
        if args.memory_digests:
            # as many digests per year as fit before 2100, so every page is read by the site's template
            write_site(portal / "large", args.memory_digests, days_apart=max(1, min(7, 36000 // args.memory_digests)))
            large = start(portal / "large")["langson"]
            try:
                big = crawl(large.url, Path(tmp) / "archive-large")
            finally:
                large.stop()
            memory.append({"digests": args.memory_digests, "peak_rss_mib": big["peak_rss_mib"],
                           "seconds": big["seconds"], "summary": big["summary"]})  # fmt: skip
        results["memory"] = memory
        results["memory_ratio"] = memory[-1]["peak_rss_mib"] / memory[0]["peak_rss_mib"]

    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    failed = []
    if results["crawl_ratio"] > MAX_CRAWL_RATIO:
        failed.append(f"crawl takes {results['crawl_ratio']:.2f}× bare Scrapy (target ≤ {MAX_CRAWL_RATIO})")
    if results["reparse_ratio"] > MAX_REPARSE_RATIO:
        failed.append(f"reparse takes {results['reparse_ratio']:.2f}× WARC read + extraction "
                      f"(target ≤ {MAX_REPARSE_RATIO})")  # fmt: skip
    if len(memory) > 1 and results["memory_ratio"] > FLAT_MEMORY:
        failed.append(f"peak memory grows {results['memory_ratio']:.2f}× from {memory[0]['digests']} to "
                      f"{memory[-1]['digests']} digests (target ≤ {FLAT_MEMORY})")  # fmt: skip
    if args.check and failed:
        print("CHECK FAILED: " + "; ".join(failed))
        return 1
    return 0


def report(results: dict[str, Any]) -> None:
    pairs, reruns, memory = results["pairs"], results["reruns"], results["memory"]
    print("# Crawl benchmark\n")
    print(f"Machine: {results['machine']}\n")
    print(f"Synthetic portal: {results['digests']} digests, 10 per listing page, served on 127.0.0.1 by "
          "scraper.demo.server in this process; every command in a child process, crawls with "
          "`--delay 0`.\n")  # fmt: skip
    print(table(["pair", "requests", "project crawl s", "bare Scrapy s", "ratio"], [
        [i + 1, p["project"]["requests"], f"{p['project']['seconds']:.2f}", f"{p['bare']['seconds']:.2f}",
         f"{p['ratio']:.2f}×"] for i, p in enumerate(pairs)]))  # fmt: skip
    print(f"\n**crawl / bare Scrapy: {results['crawl_ratio']:.2f}×** (median of {len(pairs)} pairs; "
          f"target ≤ {MAX_CRAWL_RATIO}×)\n")  # fmt: skip
    bare_s = statistics.median(p["bare"]["seconds"] for p in pairs)
    medians = {"as shipped": statistics.median(p["project"]["seconds"] for p in pairs)}
    for name, extra in VARIANTS.items():
        label = f"{name} ({' '.join(extra[1::2])})"
        medians[label] = statistics.median(p["variants"][name]["seconds"] for p in pairs)
    rows = [[name, f"{seconds:.2f}", f"{seconds / bare_s:.2f}×"] for name, seconds in medians.items()]
    rows.append(["bare Scrapy, same URLs", f"{bare_s:.2f}", "1.00×"])
    print("What bounds the crawl (no target): the same first crawl with parts of it off, in the same rounds.\n")
    print(table(["first crawl", "seconds (median)", "/ bare"], rows))
    print()
    reparse = results["reparse"]
    print(table(["offline rebuild pair", "digests", "reparse s", "WARC read + extraction s (the floor)", "ratio"], [
        [i + 1, reparse["digests"], f"{p['reparse']:.2f}", f"{p['floor']:.2f}", f"{p['ratio']:.2f}×"]
        for i, p in enumerate(results["reparse_pairs"])]))  # fmt: skip
    ratio = results["reparse_ratio"]
    pairs_n = len(results["reparse_pairs"])
    print(f"\nreparse peak memory {reparse['peak_rss_mib']:.0f} MiB. **reparse / (WARC read + extraction): "
          f"{ratio:.2f}×** (median of {pairs_n} pairs; target ≤ {MAX_REPARSE_RATIO}×)\n")  # fmt: skip
    print(
        table(
            ["first crawl of", "seconds", "peak memory"],
            [[f"{m['digests']:,} digests", f"{m['seconds']:.1f}", f"{m['peak_rss_mib']:.0f} MiB"] for m in memory],
        )
    )
    if len(memory) > 1:
        print(f"\n**peak memory {memory[-1]['digests']:,} / {memory[0]['digests']:,} digests: "
              f"{results['memory_ratio']:.2f}×** (target ≤ {FLAT_MEMORY}×)\n")  # fmt: skip
    print(table(["rerun after", "requests", "seconds", "what was fetched"], [
        [f"{r['new_digests']} new", r["requests"], f"{r['seconds']:.1f}", _fetched(r["paths"])] for r in reruns
    ]))  # fmt: skip
    print()
    for r in [pairs[0]["project"], *reruns, reparse]:
        print(f"- {r['summary']}")


def _fetched(paths: list[str]) -> str:
    robots = sum(p == "/robots.txt" for p in paths)
    listing = sum("?page=" in p or p.endswith("noi-bat") for p in paths)
    articles = len(paths) - robots - listing
    return f"{robots} robots.txt, {listing} listing, {articles} articles"


if __name__ == "__main__":
    sys.exit(main())
