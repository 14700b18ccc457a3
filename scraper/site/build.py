"""Build the static site: pages, plots and the client-side search index."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scraper import __version__
from scraper.archive.captures import iter_captures
from scraper.pages.text import fold_aligned

STATIC = Path(__file__).resolve().parent / "static"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold_aligned(text)).strip("-")[:120] or "x"


def _e(value: Any) -> str:
    return html.escape(str(value if value is not None else ""))


def _page(title: str, body: str, depth: int = 0) -> str:
    up = "../" * depth
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title><link rel="stylesheet" href="{up}style.css"></head>
<body><header><a href="{up}index.html">Lạng Sơn — chỉ đạo, điều hành nổi bật</a></header>
<main>{body}</main>
<footer>langson-archive {_e(__version__)} · built {dt.date.today().isoformat()}</footer></body></html>
"""


def _mondays(first: dt.date, last: dt.date) -> list[dt.date]:
    day = first - dt.timedelta(days=first.weekday())
    weeks = []
    while day <= last:
        weeks.append(day)
        day += dt.timedelta(days=7)
    return weeks


def _covered(records: list[dict[str, Any]]) -> dict[dt.date, dict[str, Any]]:
    """Monday → the record covering that week (a two-week digest covers both)."""
    weeks: dict[dt.date, dict[str, Any]] = {}
    for record in records:
        if not record.get("week_start") or not record.get("week_end"):
            continue
        start, end = dt.date.fromisoformat(record["week_start"]), dt.date.fromisoformat(record["week_end"])
        for monday in _mondays(start, end):
            weeks.setdefault(monday, record)
    return weeks


def _digest_page(record: dict[str, Any], root: Path, captures: dict[str, Path]) -> str:
    parts = [f"<h1>{_e(record['title'])}</h1>",
             f"<p class=meta>{_e(record.get('week_start'))} – {_e(record.get('week_end'))} · {_e(record.get('source'))}"
             f" · <a href=\"{_e(record.get('canonical_url'))}\">trang gốc (live page)</a>"]  # fmt: skip
    capture = captures.get(record.get("url") or "")
    if capture:
        parts.append(f' · <a href="{_e(capture)}">bản lưu (capture, WARC)</a>')
    parts.append("</p>")
    if record.get("summary"):
        parts.append(f"<p class=lead>{_e(record['summary'])}</p>")
    for number, section in enumerate(record.get("sections") or [], 1):
        parts.append(f"<section><h2>{number}. {_e(section['heading'])}</h2>")
        parts += [f"<p>{_e(line)}</p>" for line in section["text"].split("\n")]
        directive = section.get("directive")
        if directive:
            rows = []
            for label, key in (("Chủ trì / lead", "lead_agencies"), ("Phối hợp / partners", "partner_agencies")):
                names = [a["name"] + ("" if a["known"] else " (?)") for a in directive[key]]
                if names:
                    rows.append(f"<dt>{label}</dt><dd>{_e('; '.join(names))}</dd>")
            if directive["deadlines"]:
                deadlines = "; ".join(f"{d['text']} ({d['date'] or '?'})" for d in directive["deadlines"])
                rows.append(f"<dt>Thời hạn / deadlines</dt><dd>{_e(deadlines)}</dd>")
            if directive["documents"]:
                links = ", ".join(f'<a href="../document/{slug(d)}.html">{_e(d)}</a>' for d in directive["documents"])
                rows.append(f"<dt>Văn bản / documents</dt><dd>{links}</dd>")
            if rows:
                parts.append(f"<dl class=directive>{''.join(rows)}</dl>")
        parts.append("</section>")
    return _page(record["title"], "".join(parts), depth=1)


def build_site(out: Path, records: Iterable[dict[str, Any]], archive_root: Path) -> dict[str, int]:
    """Write the site into ``out`` (replacing what a previous build left there)."""
    records = sorted(records, key=lambda r: (r.get("week_start") or r.get("published_at") or "", r["key"]))
    if out.exists():
        shutil.rmtree(out)
    (out / "digest").mkdir(parents=True)
    (out / "document").mkdir()
    (out / "plots").mkdir()
    shutil.copy(STATIC / "style.css", out / "style.css")
    shutil.copy(STATIC / "search.js", out / "search.js")
    capture_link: dict[
        str, Path
    ] = {}  # the URL fetched -> the capture file holding its newest response, relative to digest/
    for capture in iter_captures(archive_root, decode=False):
        capture_link[capture.url] = Path(os.path.relpath(Path(capture.file).resolve(), (out / "digest").resolve()))
    citing: dict[str, list[dict[str, Any]]] = defaultdict(list)
    documents: dict[str, dict[str, Any]] = {}
    for record in records:
        (out / "digest" / f"{slug(record['key'])}.html").write_text(
            _digest_page(record, archive_root, capture_link), encoding="utf-8")  # fmt: skip
        for document in record.get("documents") or []:
            if "doc_id" in document:
                documents.setdefault(document["doc_id"], document)
                citing[document["doc_id"]].append(record)
    for doc_id, document in documents.items():
        items = "".join(
            f'<li><a href="../digest/{slug(r["key"])}.html">{_e(r["title"])}</a></li>' for r in citing[doc_id]
        )
        body = (f"<h1>{_e(document['type'])} {_e(document['number'])}</h1><p class=meta>{_e(doc_id)}"
                f" · {_e(document.get('date') or '')}</p><h2>Trích dẫn trong / cited in</h2>"
                f"<ul>{items}</ul>")  # fmt: skip
        (out / "document" / f"{slug(doc_id)}.html").write_text(_page(doc_id, body, depth=1), encoding="utf-8")
    from scraper.site.plots import write_plots

    write_plots(out / "plots", records)
    _write_index(out, records)
    _write_search_index(out, records)
    return {"digests": len(records), "documents": len(documents)}


def _write_index(out: Path, records: list[dict[str, Any]]) -> None:
    weeks = _covered(records)
    parts = ["<h1>Chỉ đạo, điều hành nổi bật của UBND tỉnh Lạng Sơn</h1>",
             "<form id=search onsubmit=\"return false\"><input id=q type=search "
             "placeholder=\"Tìm (không dấu cũng được): dau tu, 379/QĐ-UBND…\" autocomplete=off>"
             "<ol id=results></ol></form>",
             "<h2>Biểu đồ / plots</h2><div class=plots>"]  # fmt: skip
    for name, alt in (("digests-per-month", "digests per month"), ("directives-per-agency", "directives per agency"),
                      ("document-kinds", "cited document kinds per year")):  # fmt: skip
        parts.append(f'<figure><img src="plots/{name}.svg" alt="{alt}"><figcaption>{alt}</figcaption></figure>')
    parts.append("</div>")
    if weeks:
        mondays = _mondays(min(weeks), max(weeks))
        missing = sum(1 for m in mondays if m not in weeks)
        parts.append(f"<h2>Các tuần / weeks</h2><p class=meta>{len(mondays)} weeks, {missing} without a digest "
                     "(marked —)</p>")  # fmt: skip
        by_year: dict[int, list[dt.date]] = defaultdict(list)
        for monday in mondays:
            by_year[monday.year].append(monday)
        for year in sorted(by_year, reverse=True):
            items = []
            for monday in reversed(by_year[year]):
                record = weeks.get(monday)
                if record:
                    items.append(f"<li><a href=\"digest/{slug(record['key'])}.html\">{monday.isoformat()}</a> "
                                 f"{_e(record['title'])}</li>")  # fmt: skip
                else:
                    items.append(f"<li class=missing>{monday.isoformat()} — no digest archived</li>")
            parts.append(f"<details{' open' if year == mondays[-1].year else ''}><summary>{year}</summary>"
                         f"<ul class=weeks>{''.join(items)}</ul></details>")  # fmt: skip
    undated = [r for r in records if not r.get("week_start")]
    if undated:
        listed = "".join(f'<li><a href="digest/{slug(r["key"])}.html">{_e(r["title"])}</a></li>' for r in undated)
        parts.append(f"<h2>Không rõ tuần / no readable week</h2><ul>{listed}</ul>")
    parts.append('<script src="search-index.js"></script><script src="search.js"></script>')
    (out / "index.html").write_text(_page("Lạng Sơn weekly digests", "".join(parts)), encoding="utf-8")


def _write_search_index(out: Path, records: list[dict[str, Any]]) -> None:
    entries = [{"href": f"digest/{slug(r['key'])}.html", "title": r["title"], "week": r.get("week_start") or "",
                "folded": fold_aligned(f"{r['title']} {r.get('text') or ''}"),
                "docs": [re.sub(r"[^0-9a-z]", "", fold_aligned(d["number"])) for d in r.get("documents") or []]}
               for r in records]  # fmt: skip
    (out / "search-index.js").write_text("window.SEARCH_INDEX = " + json.dumps(entries, ensure_ascii=False) + ";\n",
                                         encoding="utf-8")  # fmt: skip
