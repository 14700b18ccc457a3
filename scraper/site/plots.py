"""The site's plots, drawn with matplotlib as SVG (no browser-side charting library, works offline)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, never a window
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)


def _months(records: list[dict[str, Any]]) -> Counter[str]:
    return Counter((r.get("week_start") or r.get("published_at") or "")[:7] for r in records if r.get("week_start")
                   or r.get("published_at"))  # fmt: skip


def agency_counts(records: Iterable[dict[str, Any]]) -> dict[str, Counter[int]]:
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for record in records:
        year = int((record.get("week_start") or record.get("published_at") or "0000")[:4])
        for section in record.get("sections") or []:
            for agency in (section.get("directive") or {}).get("lead_agencies", []):
                counts[agency["name"]][year] += 1
    return counts


def write_plots(folder: Path, records: list[dict[str, Any]]) -> list[Path]:
    written = []
    per_month = _months(records)
    fig, ax = plt.subplots(figsize=(9, 3))
    if per_month:
        first, last = min(per_month), max(per_month)
        year, month = int(first[:4]), int(first[5:7])
        labels = []
        while f"{year:04d}-{month:02d}" <= last:
            labels.append(f"{year:04d}-{month:02d}")
            month, year = (1, year + 1) if month == 12 else (month + 1, year)
        values = [per_month.get(label, 0) for label in labels]
        ax.bar(range(len(labels)), values, color=["#2b6cb0" if v else "#e53e3e" for v in values])
        gaps = [i for i, v in enumerate(values) if not v]
        ax.scatter(gaps, [0.1] * len(gaps), marker="x", color="#e53e3e", label="no digest")
        step = max(1, len(labels) // 12)
        ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right", fontsize=7)
        if gaps:
            ax.legend(fontsize=7)
    ax.set_title("Digests per month (gaps marked)")
    written.append(_save(fig, folder / "digests-per-month.svg"))

    counts = agency_counts(records)
    top = sorted(counts, key=lambda a: -sum(counts[a].values()))[:8]
    fig, ax = plt.subplots(figsize=(9, 3.5))
    years = sorted({y for a in top for y in counts[a]})
    for agency in top:
        ax.plot(years, [counts[agency].get(y, 0) for y in years], marker="o", label=agency)
    ax.set_title("Directives per lead agency and year (top 8)")
    if top:
        ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1, 1))
    written.append(_save(fig, folder / "directives-per-agency.svg"))

    kinds: dict[int, Counter[str]] = {}
    for record in records:
        for document in record.get("documents") or []:
            year = document.get("year") or int((record.get("week_start") or record.get("published_at") or "0")[:4] or 0)
            kinds.setdefault(int(year), Counter())[document.get("kind_code") or "?"] += 1
    fig, ax = plt.subplots(figsize=(9, 3))
    all_kinds = sorted({k for c in kinds.values() for k in c})
    bottoms = [0] * len(kinds)
    ordered = sorted(kinds)
    for kind in all_kinds:
        values = [kinds[y].get(kind, 0) for y in ordered]
        ax.bar([str(y) for y in ordered], values, bottom=bottoms, label=kind)
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    ax.set_title("Cited documents per year, by kind")
    if all_kinds:
        ax.legend(fontsize=6, ncol=4)
    written.append(_save(fig, folder / "document-kinds.svg"))
    return written


def _save(fig: Any, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, format="svg", metadata={"Date": None})  # no build time inside: same data, same file
    plt.close(fig)
    return path
