"""Side-by-side benchmark: the project's digest parser vs trafilatura alone, on the same pages.

    .venv/bin/python -m bench.extraction [--rounds N] [--mirror DIR] [--json PATH] [--check]

Quality is scored against gold records on two page sets: the project's own fixture pages
(tests/fixtures) and, when present, the shared acceptance mirror (../shared/portal/mirror,
read at run time only). Speed is the median per-page time of each system over the same pages,
timed in alternating rounds after one warm-up pass.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bench.common import ROOT
from bench.common import machine as machine_line

if TYPE_CHECKING:
    from scraper.pages.documents import Document

FIXTURES = ROOT / "tests" / "fixtures"
DEMO_PORTAL = ROOT / "scraper" / "demo" / "portal"
DEFAULT_MIRROR = ROOT / ".." / "shared" / "portal" / "mirror"
SITES = ("langson", "vanphong")
LIVE_HOSTS = {"langson": "https://langson.gov.vn", "vanphong": "https://vanphong.langson.gov.vn"}
HOST_TO_SITE = {urlsplit(base).netloc: site for site, base in LIVE_HOSTS.items()}
VN_TZ = dt.timezone(dt.timedelta(hours=7))
MIN_SPEED_RATIO = 10.0  # trafilatura / project, measured in the same run
MAX_FLOOR_RATIO = 3.0  # project / lxml parsing the page and nothing more, measured in the same run

# The chrome strings listed in the portal README.
KNOWN_CHROME = (
    "Cổng thông tin điện tử",
    "Tăng tương phản",
    "Giảm tương phản",
    "Đọc bài",
    "Tổng số điểm của bài viết",
    "Click để đánh giá bài viết",
    "Tin liên quan",
    "Tin nổi bật",
    "Nhảy đến nội dung",
    "Skip to main content",
    "Quyết tâm thực hiện thắng lợi",
    "Tin mới",
    "Thống kê truy cập",
    "Bản quyền thuộc",
)


# --------------------------------------------------------------------------- scoring (as the acceptance check)


def norm(s: Any) -> str:
    """NFC, whitespace collapsed, stripped; non-strings become ""."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s if isinstance(s, str) else "")).strip()


def tokens(s: Any) -> list[str]:
    """Lower-cased word tokens of the normalized text."""
    return re.findall(r"\w+", norm(s).lower())


def f1(pred: Any, gold: Any) -> float:
    """Token F1 over multisets; both empty counts as a perfect match."""
    p, g = Counter(tokens(pred)), Counter(tokens(gold))
    if not p and not g:
        return 1.0
    common = sum((p & g).values())
    if not common:
        return 0.0
    prec, rec = common / sum(p.values()), common / sum(g.values())
    return 2 * prec * rec / (prec + rec)


def _instant(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VN_TZ)


def _local_day(value: str | None) -> str | None:
    """The calendar day (in Vietnam) of an ISO timestamp, or a bare YYYY-MM-DD as given."""
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    instant = _instant(value)
    return instant.astimezone(VN_TZ).date().isoformat() if instant else None


# --------------------------------------------------------------------------- pages


@dataclass
class Page:
    """One page with its gold record."""

    set_name: str
    site: str
    url: str
    html: bytes
    gold: dict[str, Any]

    @property
    def label(self) -> str:
        path = urlsplit(self.url).path
        return f"{self.site}:{path if len(path) <= 60 else '…' + path[-59:]}"


def _routes(site_dir: Path) -> dict[str, Any]:
    return json.loads((site_dir / "routes.json").read_text(encoding="utf-8"))


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_fixture_pages(notes: list[str]) -> list[Page] | None:
    """The fixture pages with their gold records; None when the fixtures are missing."""
    portal, gold_file = DEMO_PORTAL, FIXTURES / "expected.jsonl"
    if not gold_file.is_file() or not all((portal / s / "routes.json").is_file() for s in SITES):
        return None
    routes = {s: _routes(portal / s) for s in SITES}
    pages: list[Page] = []
    for gold in _read_jsonl(gold_file):
        site, path = gold["site"], gold["path"]
        route = routes.get(site, {}).get(path)
        if not route or "file" not in route:
            notes.append(f"fixtures: no file route for {site}:{path}, skipped")
            continue
        html = (portal / site / "pages" / route["file"]).read_bytes()
        pages.append(Page("fixtures", site, LIVE_HOSTS[site] + path, html, gold))
    return pages


def load_mirror_pages(mirror: Path, notes: list[str]) -> list[Page]:
    """The acceptance mirror's digest pages with their gold records (empty when absent)."""
    gold_file = mirror / "expected.jsonl"
    if not gold_file.is_file() or not all((mirror / s / "routes.json").is_file() for s in SITES):
        notes.append(f"mirror: not found at {mirror}, skipped")
        return []
    routes = {s: _routes(mirror / s) for s in SITES}
    pages: list[Page] = []
    for gold in _read_jsonl(gold_file):
        parts = urlsplit(gold["url"])
        site = HOST_TO_SITE.get(parts.netloc) or HOST_TO_SITE.get(gold.get("source", ""))
        key = parts.path + (f"?{parts.query}" if parts.query else "")
        route = routes.get(site or "", {}).get(key)
        if not site or not route or "file" not in route:
            notes.append(f"mirror: no file route for {gold['url']}, skipped")
            continue
        html = (mirror / site / "pages" / route["file"]).read_bytes()
        pages.append(Page("mirror", site, gold["url"], html, gold))
    return pages


# Every attribute a template or a generic strategy could key on: classes, ids, microdata, RDFa and
# Open Graph. What is left is tags and text: the generic strategies' worst case.
_MARKUP_HOOKS = re.compile(
    rb"""\s(?:class|id|itemprop|itemscope|itemtype|property|about|typeof|datatype|role)(?:=(?:"[^"]*"|'[^']*'))?""",
    re.I,
)


def classless(page: Page) -> Page:
    """The page with every class, id, microdata and RDFa attribute removed (the same text and tags)."""
    return Page(f"{page.set_name}, class-less", page.site, page.url, _MARKUP_HOOKS.sub(b"", page.html), page.gold)


# --------------------------------------------------------------------------- the two systems


@dataclass
class Output:
    """What a system produced for one page, in the gold record's terms (None: not produced)."""

    text: str = ""
    title: str | None = None
    week: tuple[str | None, str | None] = (None, None)
    published: str | None = None
    sections: list[str] | None = None
    documents: list[Document] = field(default_factory=list)
    note: str = ""
    past_template: list[str] | None = None  # the project's fields answered past the site's template


def run_project(page: Page) -> Any:
    """The project's parser on the page bytes, as the crawler calls it."""
    from scraper.pages import parse_digest
    from scraper.sites.profiles import PROFILES

    return parse_digest(page.url, page.html, PROFILES[page.site])


def run_trafilatura(page: Page) -> Any:
    """trafilatura alone, default settings, with metadata."""
    import trafilatura

    return trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)


def project_output(result: Any) -> Output:
    """The project's Extraction as an Output."""
    if not result.is_digest or result.record is None:
        return Output(note=f"not a digest: {result.reason}")
    rec = result.record
    return Output(
        text=rec.get("text") or "",
        title=rec.get("title"),
        week=(rec.get("week_start"), rec.get("week_end")),
        published=rec.get("published_at"),
        sections=[s.get("heading", "") for s in rec.get("sections") or []],
        documents=rec.get("documents") or [],
        note="" if rec.get("extraction_method") == "site-profile" else f"method: {rec.get('extraction_method')}",
        past_template=[f for f, s in rec["extraction_strategies"].items() if not s.startswith("template:")],
    )


def trafilatura_output(doc: Any) -> Output:
    """trafilatura's Document as an Output; week and documents derived with the project's helpers."""
    from scraper.pages.documents import extract_documents
    from scraper.pages.titles import parse_week_range

    if doc is None:
        return Output(note="trafilatura returned nothing")
    if isinstance(doc, dict):
        title, date, text = doc.get("title"), doc.get("date"), doc.get("text")
    else:
        title, date, text = doc.title, doc.date, doc.text
    week = parse_week_range(title)
    return Output(
        text=text or "",
        title=title,
        week=(week[0].isoformat(), week[1].isoformat()) if week else (None, None),
        published=date,
        sections=None,
        documents=list(extract_documents(text)),
    )


SYSTEMS: dict[str, tuple[Callable[[Page], Any], Callable[[Any], Output]]] = {
    "project": (run_project, project_output),
    "trafilatura": (run_trafilatura, trafilatura_output),
}


# --------------------------------------------------------------------------- quality


def score(page: Page, out: Output, system: str) -> dict[str, Any]:
    """Per-page figures of one system's output against the gold record."""
    gold = page.gold
    gold_text = norm(gold.get("text"))
    out_text = norm(out.text)
    lines = [norm(line) for line in out.text.split("\n")]
    stray = [line for line in lines if line and line not in gold_text]
    chrome = [c for c in KNOWN_CHROME if c in out_text and c not in gold_text]
    row: dict[str, Any] = {
        "page": page.label,
        "text_f1": f1(out.text, gold.get("text")),
        "chrome_lines": len(stray),
        "chrome_line_samples": [s[:80] for s in stray[:3]],
        "known_chrome": chrome,
        "title_ok": out.title is not None and norm(out.title) == norm(gold.get("title")),
        "week_ok": out.week == (gold.get("week_start"), gold.get("week_end")),
        "published_day_ok": _local_day(out.published) is not None
        and _local_day(out.published) == _local_day(gold.get("published_at")),
        "published_instant_ok": (
            _instant(out.published) is not None and _instant(out.published) == _instant(gold.get("published_at"))
            if system == "project"
            else None
        ),
        "sections_ok": out.sections is not None
        and [norm(h) for h in out.sections] == [norm(s.get("heading")) for s in gold.get("sections") or []],
        "documents_ok": (
            {(d.get("type"), d.get("number"), d.get("date")) for d in out.documents}
            == {(d.get("type"), d.get("number"), d.get("date")) for d in gold["documents"]}
            if gold.get("documents") is not None
            else None  # gold without a document list: not scored (as in the acceptance check)
        ),
        "published_out": out.published,
        "note": out.note,
        "past_template": out.past_template,
    }
    if "must_contain" in gold or "must_not_contain" in gold:
        row["must_not_contain_leaks"] = [s for s in gold.get("must_not_contain") or [] if norm(s) in out_text]
        row["must_contain_misses"] = [s for s in gold.get("must_contain") or [] if norm(s) not in out_text]
    return row


FIELDS = ("title_ok", "week_ok", "published_day_ok", "published_instant_ok", "sections_ok", "documents_ok")


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Aggregates over one page set for one system."""
    f1s = [r["text_f1"] for r in rows]
    worst = min(rows, key=lambda r: r["text_f1"]) if rows else None
    summary: dict[str, Any] = {
        "pages": len(rows),
        "text_f1_mean": statistics.fmean(f1s) if f1s else None,
        "text_f1_min": min(f1s) if f1s else None,
        "text_f1_min_page": worst["page"] if worst else None,
        "chrome_lines_total": sum(r["chrome_lines"] for r in rows),
        "pages_with_chrome_lines": sum(1 for r in rows if r["chrome_lines"]),
        "known_chrome_total": sum(len(r["known_chrome"]) for r in rows),
        "pages_with_known_chrome": sum(1 for r in rows if r["known_chrome"]),
        "pages_past_template": sum(1 for r in rows if r["past_template"]),
    }
    if rows and "must_not_contain_leaks" in rows[0]:
        summary["must_not_contain_leaks"] = sum(len(r["must_not_contain_leaks"]) for r in rows)
        summary["must_contain_misses"] = sum(len(r["must_contain_misses"]) for r in rows)
    for name in FIELDS:
        values = [r[name] for r in rows if r[name] is not None]
        summary[name] = sum(values) / len(values) if values else None
        summary[f"{name}_scored"] = len(values)
    return summary


def evaluate(pages: list[Page]) -> dict[str, list[dict[str, Any]]]:
    """Per-page scores of each system."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in SYSTEMS}
    for page in pages:
        for name, (run, convert) in SYSTEMS.items():
            try:
                out = convert(run(page))
            except Exception as exc:  # a crash scores as empty output, and is reported
                out = Output(note=f"error: {type(exc).__name__}: {exc}")
            rows[name].append(score(page, out, name))
    return rows


# --------------------------------------------------------------------------- speed


def _time_pass(run: Callable[[Page], Any], pages: list[Page]) -> float:
    start = time.perf_counter()
    for page in pages:
        run(page)
    return time.perf_counter() - start


def time_systems(pages: list[Page], rounds: int) -> dict[str, Any]:
    """Median per-page ms of each system over alternating rounds, after one warm-up pass each."""
    runs = {name: run for name, (run, _) in SYSTEMS.items()}
    runs["lxml parse"] = _parse_floor  # what any extractor pays before reading a field
    runs["body text only"] = _body_text_only  # a reference, not a target: what bounds the ratio
    for run in runs.values():
        _time_pass(run, pages)
    per_page: dict[str, list[float]] = {name: [] for name in runs}
    order = list(runs)
    for i in range(rounds):
        for name in order if i % 2 == 0 else reversed(order):
            per_page[name].append(_time_pass(runs[name], pages) * 1000 / len(pages))
    medians = {name: statistics.median(values) for name, values in per_page.items()}
    return {
        "pages": len(pages),
        "rounds": rounds,
        "ms_per_page_median": medians,
        "ms_per_page_rounds": per_page,
        "ratio_trafilatura_over_project": medians["trafilatura"] / medians["project"] if medians["project"] else None,
        "ratio_project_over_parse_floor": medians["project"] / medians["lxml parse"] if medians["lxml parse"] else None,
        "ratio_body_text_only_over_parse_floor": (
            medians["body text only"] / medians["lxml parse"] if medians["lxml parse"] else None
        ),
    }


def _parse_floor(page: Page) -> Any:
    """The floor under any extraction: lxml parsing the page, nothing read out of it."""
    import lxml.html

    return lxml.html.document_fromstring(page.html)


_BODY_LINES = ("p", "li", "h2", "h3", "h4", "td")


def _body_text_only(page: Page) -> Any:
    """The least a body extractor pays: the parse, the template's body container, its lines' text, the hash.

    No headline, lead, date, identity, images, citations or directives; no check of the container
    and no fallback. It shows how much of the parse-floor budget reading the body alone takes.
    """
    import hashlib

    from scraper.pages.html import parse_html, select
    from scraper.pages.text import normalize_line
    from scraper.sites.profiles import PROFILES

    doc = parse_html(page.html)
    selectors = (sel for template in PROFILES[page.site].templates for sel in template.body)
    body = next((found[0] for sel in selectors if (found := select(doc, sel))), doc)
    lines = (normalize_line(" ".join(el.itertext())) for el in body.iter(*_BODY_LINES))
    text = "\n".join(line for line in lines if line)
    blob = json.dumps({"text": text}, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


# The page object's steps in the order ``extract`` first needs them; "the record" is the rest of it.
_PARTS = ("parse", "headline", "lead", "body", "content", "published", "identity", "the record", "freeing the tree")


def time_parts(pages: list[Page], rounds: int) -> dict[str, float]:
    """Median ms a page of each step of the project's parser, and of its directive analysis and
    citation finding timed again on their own over the same records' sections and text."""
    from scraper.pages.digest import DigestPage
    from scraper.pages.directives import parse_directive
    from scraper.pages.documents import cite_documents
    from scraper.sites.profiles import PROFILES

    def one_round() -> dict[str, float]:
        spent = dict.fromkeys((*_PARTS, "of the record: directives", "of the record: citations"), 0.0)
        for page in pages:
            started = time.perf_counter()
            digest = DigestPage(page.url, page.html, PROFILES[page.site])
            marks = [started, time.perf_counter()]
            for attribute in ("headline", "lead_element", "body", "content", "published", "identity"):
                getattr(digest, attribute)  # cached properties: each computed here, once
                marks.append(time.perf_counter())
            record = digest.extract().record
            marks.append(time.perf_counter())
            del digest  # the tree freed: lxml's part of the cost, not the next page's parse
            marks.append(time.perf_counter())
            for name, (a, b) in zip(_PARTS, itertools.pairwise(marks), strict=True):
                spent[name] += b - a
            if not record:
                continue
            week = [dt.date.fromisoformat(d) if d else None for d in (record["week_start"], record["week_end"])]
            year = week[1].year if week[1] else None
            started = time.perf_counter()
            cited = cite_documents(record["text"], year)
            between = time.perf_counter()
            for section in record["sections"]:
                parse_directive(section["heading"], section["text"], week[0], week[1], year, cited)
            spent["of the record: citations"] += between - started
            spent["of the record: directives"] += time.perf_counter() - between
        return {name: seconds * 1000 / len(pages) for name, seconds in spent.items()}

    one_round()
    rounds_ms = [one_round() for _ in range(rounds)]
    return {name: statistics.median(r[name] for r in rounds_ms) for name in rounds_ms[0]}


# --------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    """The machine line shared by every benchmark, and the versions of the libraries compared."""
    import trafilatura
    from lxml import etree

    return {"machine": machine_line(), "trafilatura": trafilatura.__version__, "lxml": etree.__version__}


def _pct(summary: dict[str, Any], name: str) -> str:
    value, scored = summary[name], summary[f"{name}_scored"]
    return "n/a" if value is None else f"{round(value * scored)}/{scored} ({value * 100:.0f} %)"


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def quality_table(set_name: str, summaries: dict[str, dict[str, Any]]) -> list[str]:
    """A Markdown table for one page set."""
    p, t = summaries["project"], summaries["trafilatura"]
    n = p["pages"]
    lines = [
        f"### {set_name} ({n} pages)",
        "",
        "| metric | project | trafilatura | note |",
        "|---|---:|---:|---|",
        f"| body text token F1, mean | {_f(p['text_f1_mean'])} | {_f(t['text_f1_mean'])} | |",
        f"| body text token F1, min | {_f(p['text_f1_min'])} | {_f(t['text_f1_min'])} | |",
        f"| output lines not in gold text (pages) | {p['chrome_lines_total']} ({p['pages_with_chrome_lines']}) "
        f"| {t['chrome_lines_total']} ({t['pages_with_chrome_lines']}) | total lines (pages affected) |",
        f"| known chrome strings left (pages) | {p['known_chrome_total']} ({p['pages_with_known_chrome']}) "
        f"| {t['known_chrome_total']} ({t['pages_with_known_chrome']}) | README list, not in gold |",
    ]
    if "must_not_contain_leaks" in p:
        lines += [
            f"| `must_not_contain` leaks | {p['must_not_contain_leaks']} | {t['must_not_contain_leaks']} | |",
            f"| `must_contain` misses | {p['must_contain_misses']} | {t['must_contain_misses']} | |",
        ]
    lines += [
        f"| title exact | {_pct(p, 'title_ok')} | {_pct(t, 'title_ok')} | |",
        f"| week range exact | {_pct(p, 'week_ok')} | {_pct(t, 'week_ok')} | trafilatura: derived ¹ |",
        f"| published day | {_pct(p, 'published_day_ok')} | {_pct(t, 'published_day_ok')} | trafilatura: its `date` |",
        f"| published instant | {_pct(p, 'published_instant_ok')} | n/a | trafilatura gives a day only |",
        f"| section headings exact | {_pct(p, 'sections_ok')} | n/a (0/{n}) | trafilatura has no sections |",
        f"| cited documents exact | {_pct(p, 'documents_ok')} | {_pct(t, 'documents_ok')} | trafilatura: derived ² |",
        f"| pages with a field read past the site's template | {p['pages_past_template']} | n/a | "
        "`extraction_strategies` not `template:…` |",
        "",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; see the module docstring."""
    ap = argparse.ArgumentParser(prog="python -m bench.extraction", description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=20, help="timed rounds per system (default 20)")
    ap.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR, help="acceptance mirror folder")
    ap.add_argument("--json", type=Path, metavar="PATH", help="also write every figure as JSON")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 unless as accurate, 10x trafilatura's speed, within 3x the parse floor")  # fmt: skip
    args = ap.parse_args(argv)
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")

    notes: list[str] = []
    fixture_pages = load_fixture_pages(notes)
    if not fixture_pages:
        print(f"error: fixture pages not found under {FIXTURES}", file=sys.stderr)
        return 1
    sets = {"fixtures": fixture_pages}
    mirror_pages = load_mirror_pages(args.mirror.resolve(), notes)
    if mirror_pages:
        sets["mirror"] = mirror_pages
    # the same pages stripped of their markup hooks: quality of the generic strategies, not timed
    stripped = {f"{name}, class-less": [classless(page) for page in pages] for name, pages in sets.items()}

    info = machine()
    print("# Extraction benchmark: project parser vs trafilatura alone")
    print()
    print(f"Machine: {info['machine']}; trafilatura {info['trafilatura']}, lxml {info['lxml']}")
    print()

    results: dict[str, Any] = {"machine": info, "sets": {}, "notes": notes}
    for set_name, pages in {**sets, **stripped}.items():
        rows = evaluate(pages)
        summaries = {name: summarize(r) for name, r in rows.items()}
        results["sets"][set_name] = {"summary": summaries, "pages": rows}
        print("\n".join(quality_table(set_name, summaries)))
    print("¹ week range: the project's `scraper.pages.titles.parse_week_range` applied to trafilatura's title.")
    print("² documents: the project's `scraper.pages.documents.extract_documents` applied to trafilatura's text.")
    print()

    all_pages = [page for pages in sets.values() for page in pages]
    speed = time_systems(all_pages, args.rounds)
    speed["project_parts_ms_median"] = parts = time_parts(all_pages, args.rounds)
    results["speed"] = speed
    med = speed["ms_per_page_median"]
    print(f"### speed ({speed['pages']} pages, {speed['rounds']} alternating rounds after a warm-up)")
    print()
    print("| system | ms per page (median) |")
    print("|---|---:|")
    print(f"| project | {med['project']:.2f} |")
    print(f"| trafilatura | {med['trafilatura']:.2f} |")
    print(f"| lxml parse only (the floor) | {med['lxml parse']:.2f} |")
    print(f"| body text only (parse, body container, its lines, hash; a reference) | {med['body text only']:.2f} |")
    print(f"| ratio trafilatura / project | {speed['ratio_trafilatura_over_project']:.1f}× |")
    print(f"| ratio project / lxml parse floor | {speed['ratio_project_over_parse_floor']:.1f}× |")
    print(f"| ratio body text only / lxml parse floor | {speed['ratio_body_text_only_over_parse_floor']:.1f}× |")
    print()
    print("Where the project's time goes (ms a page, median of the rounds; directives and citations are")
    print("part of the record and timed again on their own):")
    print()
    print("| step | ms per page |")
    print("|---|---:|")
    for name, ms in parts.items():
        print(f"| {name} | {ms:.3f} |")
    print()

    findings: list[str] = []
    for set_name, data in results["sets"].items():
        for prow, trow in zip(data["pages"]["project"], data["pages"]["trafilatura"], strict=True):
            if prow["text_f1"] < trow["text_f1"]:
                findings.append(
                    f"{set_name} {prow['page']}: project F1 {prow['text_f1']:.3f} < trafilatura {trow['text_f1']:.3f}"
                )
            missed = [name.removesuffix("_ok") for name in FIELDS if prow[name] is False]
            if missed:
                findings.append(f"{set_name} {prow['page']}: project wrong on {', '.join(missed)}")
            if trow["published_day_ok"] is False:
                findings.append(f"{set_name} {trow['page']}: trafilatura date {trow['published_out']!r}")
            if prow["note"] and not (set_name in stripped and prow["note"] == "method: generic"):  # as intended
                findings.append(f"{set_name} {prow['page']}: project {prow['note']}")
            if trow["note"]:
                findings.append(f"{set_name} {trow['page']}: trafilatura {trow['note']}")
    if notes or findings:
        print("Notes:")
        for line in notes + findings:
            print(f"- {line}")
        print()

    failures: list[str] = []
    if args.check:
        for set_name, data in results["sets"].items():
            p, t = data["summary"]["project"]["text_f1_mean"], data["summary"]["trafilatura"]["text_f1_mean"]
            if p < t:
                failures.append(f"{set_name}: project mean text F1 {p:.3f} < trafilatura {t:.3f}")
            past = data["summary"]["project"]["pages_past_template"]
            if past and set_name in sets:  # the fixtures and the mirror are the reference markup of the templates
                failures.append(f"{set_name}: {past} pages needed a strategy past the site's template")
        ratio = speed["ratio_trafilatura_over_project"]
        if ratio is None or ratio < MIN_SPEED_RATIO:
            failures.append(f"speed: trafilatura/project ratio {ratio or 0:.1f} < {MIN_SPEED_RATIO}")
        floor = speed["ratio_project_over_parse_floor"]
        if floor is None or floor > MAX_FLOOR_RATIO:
            failures.append(f"speed: project/lxml parse floor ratio {floor or 0:.1f} > {MAX_FLOOR_RATIO}")
        results["check"] = {"failures": failures}

    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"JSON written to {args.json}")

    if args.check:
        for failure in failures:
            print(f"CHECK FAILED: {failure}")
        if failures:
            return 1
        print(f"CHECK PASSED: project at least as accurate as trafilatura, ≥ {MIN_SPEED_RATIO:.0f}× faster, "
              f"≤ {MAX_FLOOR_RATIO:.0f}× the parse floor")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
