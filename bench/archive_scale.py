"""Archive scale: export, status and a crawl's merge on archives of 5,000 to 20,000 records.

    .venv/bin/python -m bench.archive_scale [--sizes 5000,10000,20000] [--json PATH] [--check]

Records are real parser output (the project's fixture pages through ``parse_digest``),
copied to one week each, the two portals publishing every week, so partitions hold what
the live archive's do (about nine records a month). Each command runs in a child process;
its peak resident memory is that process's own (``wait4``). Memory that stays flat from
5,000 to 20,000 records shows the archive is streamed, not loaded; the last column loads
every record into a list, for comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.common import CLI, child, machine, run_measured, table
from bench.extraction import load_fixture_pages
from scraper.archive import Archive
from scraper.pages import content_hash, parse_digest
from scraper.pages.text import normalize_strings
from scraper.sites.profiles import PROFILES

FIRST_MONDAY = dt.date(1900, 1, 1)
FLAT_TOLERANCE_MIB = 20.0  # peak memory may grow this much from the smallest to the largest archive


def templates() -> dict[str, list[dict[str, Any]]]:
    """Parser output for each fixture digest page, by site."""
    found: dict[str, list[dict[str, Any]]] = {}
    for page in load_fixture_pages([]) or []:
        result = parse_digest(page.url, page.html, PROFILES[page.site])
        assert result.record is not None
        found.setdefault(page.site, []).append(normalize_strings(result.record))
    return found


def synthetic(number: int, pool: dict[str, list[dict[str, Any]]], revision: str = "") -> dict[str, Any]:
    """Record ``number``: even numbers from langson.gov.vn, odd from vanphong, two per week."""
    site = ("langson", "vanphong")[number % 2]
    base = pool[site][(number // 2) % len(pool[site])]
    start = FIRST_MONDAY + dt.timedelta(weeks=number // 2)
    end = start + dt.timedelta(days=6)
    url = f"{base['canonical_url'].rsplit('/', 1)[0]}/bench-{number}"
    record = {**base, "key": f"{site}:bench-{number}", "url": url, "canonical_url": url,
              "week_start": start.isoformat(), "week_end": end.isoformat(), "digest_key": f"{start}/{end}",
              "published_at": f"{end + dt.timedelta(days=1)}T09:00:00+07:00", "text": base["text"] + revision,
              "crawled_at": "2026-11-01T00:00:00+00:00"}  # fmt: skip
    record["content_hash"] = content_hash(record)
    return record


def build(root: Path, size: int, pool: dict[str, list[dict[str, Any]]]) -> None:
    Archive(root).merge(synthetic(n, pool) for n in range(size))
    Archive(root).write_manifest()


def merge_a_run(root: str, size: int) -> None:
    """What a weekly crawl merges: the next 10 digests, and one older digest changed."""
    pool = templates()
    result = Archive(root).merge([synthetic(n, pool) for n in range(size, size + 10)] +
                                 [synthetic(size // 2, pool, revision=" (sửa)")])  # fmt: skip
    assert len(result.new) == 10 and len(result.updated) == 1, result


def load_everything(root: str) -> None:
    """The non-streaming way, for comparison: every record in one list."""
    records = [json.loads(line) for path in Archive(root).partitions() for line in path.open(encoding="utf-8")]
    assert records


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.archive_scale", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="5000,10000,20000", help="archive sizes in records (default 5000,10000,20000)")
    ap.add_argument("--json", type=Path, metavar="PATH", help="also write every figure as JSON")
    ap.add_argument("--check", action="store_true", help="exit 1 unless peak memory stays flat across sizes")
    args = ap.parse_args(argv)
    try:
        sizes = sorted({int(s) for s in args.sizes.split(",")})
    except ValueError:
        ap.error("--sizes takes whole numbers separated by commas")
    if not sizes or sizes[0] < 2:
        ap.error("--sizes must be at least 2")

    pool = templates()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="langson-bench-") as tmp:
        for size in sizes:
            root = Path(tmp) / str(size)
            build(root, size, pool)
            mib = sum(p.stat().st_size for p in Archive(root).partitions()) / 2**20
            commands = {
                "export": [*CLI, "export", "--out", str(root)],
                "export --format csv": [*CLI, "export", "--out", str(root), "--format", "csv"],
                "export --one-per-week": [*CLI, "export", "--out", str(root), "--one-per-week"],
                "status": [*CLI, "status", "--out", str(root)],
                "merge (a run: 10 new, 1 changed)": child(
                    f"from bench.archive_scale import merge_a_run; merge_a_run({str(root)!r}, {size})"
                ),
                "load every record (not streamed)": child(
                    f"from bench.archive_scale import load_everything; load_everything({str(root)!r})"
                ),
            }
            row: dict[str, Any] = {"records": size, "archive_mib": round(mib, 1), "commands": {}}
            for name, command in commands.items():
                done = run_measured(command, stdout_path=Path(tmp) / "stdout")
                if done.returncode != 0:
                    raise SystemExit(f"bench.archive_scale: {name} failed: {done.stderr.strip()[-400:]}")
                row["commands"][name] = {"seconds": round(done.seconds, 2), "peak_rss_mib": round(done.peak_rss_mib, 1)}
            exported = sum(1 for _ in (Path(tmp) / "stdout").open(encoding="utf-8"))
            row["exported_records_last_command"] = exported
            rows.append(row)

    names = list(rows[0]["commands"])
    print("# Archive scale benchmark\n")
    print(f"Machine: {machine()}\n")
    print("Seconds and peak resident memory (MiB) of each command, in its own process:\n")
    headers = ["records (JSONL size)"] + names
    body = [[f"{r['records']:,} ({r['archive_mib']:.0f} MiB)"] +
            [f"{r['commands'][n]['seconds']:.2f} s, {r['commands'][n]['peak_rss_mib']:.0f} MiB" for n in names]
            for r in rows]  # fmt: skip
    print(table(headers, body))
    growth = {
        n: rows[-1]["commands"][n]["peak_rss_mib"] - rows[0]["commands"][n]["peak_rss_mib"]
        for n in names
        if not n.startswith("load every")
    }
    print(f"\nPeak memory growth from {rows[0]['records']:,} to {rows[-1]['records']:,} records: "
          + ", ".join(f"{n} {g:+.0f} MiB" for n, g in growth.items()))  # fmt: skip
    if args.json:
        result = {"machine": machine(), "sizes": rows, "growth_mib": growth}
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.check and len(rows) > 1:
        grown = [n for n, g in growth.items() if g > FLAT_TOLERANCE_MIB]
        if grown:
            print(f"CHECK FAILED: peak memory grew by more than {FLAT_TOLERANCE_MIB:.0f} MiB: {', '.join(grown)}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
