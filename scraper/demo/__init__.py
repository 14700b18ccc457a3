"""The demo: the whole pipeline on a bundled copy of both portals, with no network.

``python -m scraper.demo`` (``make demo``) serves ``portal/`` (package data: both portals'
templates with the project's own text) on loopback, crawls it into ``output/demo`` with
the real command line, crawls again (nothing new), and shows what was archived. Then it
serves the same portal after a plausible redesign (``redesign/``): ``probe`` says which
fields fell past the template, and a crawl archives every digest and ends degraded,
saying why. The tests crawl the same two portals through their fault-injecting server.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from scraper.demo import server

HERE = Path(__file__).resolve().parent
PORTAL = HERE / "portal"
REDESIGN = HERE / "redesign"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "scraper.cli", *args]
    print("$ langson-archive " + " ".join(args), flush=True)
    return subprocess.run(command, capture_output=True, text=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scraper.demo", description=__doc__.split("\n\n")[0].strip('"'))
    parser.add_argument("--out", default="output/demo", help="where the demo archive goes (default: %(default)s)")
    args = parser.parse_args(argv)
    if not PORTAL.is_dir():
        print(f"demo: the bundled portal is missing from {PORTAL}", file=sys.stderr)
        return 1
    out = Path(args.out).resolve()
    shutil.rmtree(out, ignore_errors=True)
    servers = server.start(PORTAL)
    bases = [arg for site in servers.values() for arg in ("--base-url", f"{site.name}={site.url}")]
    try:
        for attempt in ("first crawl", "second crawl (nothing new)"):
            print(f"\n== {attempt}")
            done = _cli("crawl", "--source", "all", *bases, "--out", str(out), "--delay", "0")
            print(done.stdout.strip() or done.stderr.strip())
            if done.returncode not in (0, 3):
                print(done.stderr, file=sys.stderr)
                return done.returncode
        print("\n== archive files")
        for path in sorted(out.rglob("*.jsonl")):
            lines = path.read_text(encoding="utf-8").count("\n")
            print(f"  {path.relative_to(out)}: {lines} records")
        exported = _cli("export", "--out", str(out))
        records = [json.loads(line) for line in exported.stdout.splitlines() if line.strip()]
        print(f"\n== {len(records)} records exported; the newest one:")
        if records:
            newest = records[-1]
            shown = {k: newest[k] for k in ("title", "week_start", "week_end", "published_at", "source", "url")}
            shown["sections"] = [s["heading"] for s in newest["sections"]]
            shown["documents"] = newest["documents"]
            print(json.dumps(shown, ensure_ascii=False, indent=2))
    finally:
        for site in servers.values():
            site.stop()
    return _redesign(out.parent / "demo-redesign") if REDESIGN.is_dir() else 0


def _redesign(out: Path) -> int:
    shutil.rmtree(out, ignore_errors=True)
    servers = server.start(REDESIGN)
    bases = [arg for site in servers.values() for arg in ("--base-url", f"{site.name}={site.url}")]
    try:
        print("\n== the portal after a redesign: probe (exit 5: fields fell past the template)")
        done = _cli("probe", "--source", "vanphong", *bases, "--delay", "0", "--limit", "1")
        print(done.stdout.strip())
        print(f"(exit {done.returncode})")
        print("\n== the portal after a redesign: crawl (every digest archived, the run ends degraded)")
        done = _cli("crawl", *bases, "--out", str(out), "--delay", "0", "--exit-codes", "detailed")
        print(done.stdout.strip())
        print(done.stderr.strip())
        print(f"(exit {done.returncode})")
    finally:
        for site in servers.values():
            site.stop()
    return 0
