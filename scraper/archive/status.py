"""``langson-archive status``: what the archive holds and how the last run went."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from scraper.archive import MANIFEST, Archive, PendingArticles


def missing_weeks(records: list[dict[str, Any]]) -> list[dt.date]:
    """Mondays between a source's first and last digest that no digest covers.

    A two-week holiday digest covers both of its weeks.
    """
    covered: set[dt.date] = set()
    for record in records:
        if not (record.get("week_start") and record.get("week_end")):
            continue
        day = dt.date.fromisoformat(record["week_start"])
        end = dt.date.fromisoformat(record["week_end"])
        while day <= end:
            covered.add(day - dt.timedelta(days=day.weekday()))
            day += dt.timedelta(days=7 if day.weekday() == 0 else 7 - day.weekday())
    if not covered:
        return []
    first, last = min(covered), max(covered)
    weeks = ((last - first).days // 7) + 1
    return [w for w in (first + dt.timedelta(weeks=i) for i in range(weeks)) if w not in covered]


def build_status(root: str | Path) -> dict[str, Any]:
    archive = Archive(root)
    by_source: dict[str, list[dict[str, Any]]] = {}
    for record in archive.iter_records():  # keep only the dates: status must not hold the archive's text
        dates = {k: record.get(k) for k in ("key", "week_start", "week_end", "published_at", "gone_since")}
        by_source.setdefault(record.get("source", "?"), []).append(dates)
    sources = {}
    for source, records in sorted(by_source.items()):
        years = Counter((r.get("week_start") or r.get("published_at") or "undated")[:4] for r in records)
        newest = max((r for r in records if r.get("week_start")), key=lambda r: r["week_start"], default=None)
        gaps = missing_weeks(records)
        by_week: dict[str, list[str]] = {}
        for r in records:
            if r.get("week_start") and r.get("week_end"):
                by_week.setdefault(f"{r['week_start']}/{r['week_end']}", []).append(
                    str(r.get("key")) + (f" (gone since {r['gone_since']})" if r.get("gone_since") else "")
                )
        sources[source] = {
            "digests": len(records),
            "per_year": dict(sorted(years.items())),
            "newest_week": f"{newest['week_start']}/{newest['week_end']}" if newest else None,
            "missing_weeks": [d.isoformat() for d in gaps],
            # a page published again, or whose address changed: the archive keeps both
            "weeks_twice": {week: sorted(keys) for week, keys in sorted(by_week.items()) if len(keys) > 1},
        }
    manifest_path = Path(root) / MANIFEST
    last_run = None
    if manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = None
        if isinstance(manifest, dict) and isinstance(manifest.get("last_run"), dict):
            last_run = manifest["last_run"]
    state = PendingArticles(root)
    pending = {source: paths for source in sorted(state.entries) if (paths := state.for_source(source))}
    given_up = {source: paths for source in sorted(state.entries) if (paths := state.given_up(source))}

    def detail(source: str, paths: list[str]) -> list[dict[str, Any]]:
        return [{"path": path, **asdict(state.entries[source][path])} for path in paths]

    return {
        "archive": str(root),
        "sources": sources,
        "pending": pending,
        "pending_detail": {source: detail(source, paths) for source, paths in pending.items()},
        "given_up": {source: detail(source, given) for source, given in given_up.items()},
        "last_run": last_run,
    }


def _failed_path(path: str, entry: dict[str, Any] | None) -> str:
    """A pending article's path with its last error and how many runs it failed on, when known."""
    if not entry or not entry.get("last_error"):
        return path
    runs = entry.get("failures") or 0
    return f"{path} ({entry['last_error']}, {runs} run{'' if runs == 1 else 's'})"


def format_status(status: dict[str, Any], max_gaps: int = 12) -> str:
    lines = [f"archive {status['archive']}"]
    for source, info in status["sources"].items():
        years = ", ".join(f"{y}: {n}" for y, n in info["per_year"].items())
        lines.append(f"{source}: {info['digests']} digests ({years}); newest week {info['newest_week']}")
        gaps = info["missing_weeks"]
        if gaps:
            shown = ", ".join(gaps[:max_gaps]) + (f" … ({len(gaps)} in all)" if len(gaps) > max_gaps else "")
            lines.append(f"  weeks missing (Mondays): {shown}")
        else:
            lines.append("  no week missing between the first and the newest digest")
        for week, keys in info.get("weeks_twice", {}).items():
            lines.append(f"  week {week} has {len(keys)} digests (published again, or its address changed): "
                         f"{', '.join(keys)}")  # fmt: skip
    details = status.get("pending_detail", {})
    for source, paths in status.get("pending", {}).items():
        why = {e["path"]: e for e in details.get(source, [])}
        shown = ", ".join(_failed_path(path, why.get(path)) for path in paths[:5])
        shown += f" … ({len(paths)} in all)" if len(paths) > 5 else ""
        lines.append(f"{source}: {len(paths)} articles failed and are fetched first by the next run: {shown}")
    for source, entries in status.get("given_up", {}).items():
        shown = ", ".join(f"{e['path']} ({e['last_error']}, since {e['lasting_since']})" for e in entries[:5])
        more = f" … ({len(entries)} in all)" if len(entries) > 5 else ""
        lines.append(f"{source}: {len(entries)} articles given up after failing on every run, not asked for "
                     f"(`crawl --retry-given-up` asks again): {shown}{more}")  # fmt: skip
    run = status["last_run"]
    if run:
        lines.append(
            f"last run: {run.get('outcome', '?')} at {run.get('finished_at', '?')}: {run.get('new', 0)} new, "
            f"{run.get('updated', 0)} updated, {run.get('errors', 0)} errors, {run.get('requests', 0)} requests"
        )
        for note in run.get("degraded") or []:
            lines.append(f"  degraded: {note}")
    else:
        lines.append("last run: none recorded")
    return "\n".join(lines)
