"""A synthetic langson.gov.vn of any number of weekly digests, for the crawl benchmarks.

Pages are rendered by the fixture generator's templates (``tests/fixtures/make_fixtures.py``,
the project's own invented text, chrome included), one digest per week going back from a
fixed Monday, ten to a listing page as on the portal. ``write_site`` can be called again
with more digests on the same folder: the new weeks appear at the top of the listing and
every older digest keeps its URL, as when the portal publishes new digests.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from functools import cache
from pathlib import Path
from types import ModuleType

from bench.common import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "make_fixtures.py"
PER_PAGE = 10
FIRST_MONDAY = dt.date(1996, 1, 1)  # digest 0's week; 2,000 weeks later is 2034 (dates before 1990 are misreads)


@cache
def fixtures() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def digest(number: int, days_apart: int = 7) -> dict:
    """Digest ``number`` (0 = the oldest): a fixture digest's body moved to its own week.

    Digests start ``days_apart`` days apart: a week each by default; closer for sites of more
    digests than weeks fit before 2100 (a later year is a misread to the date parser).
    """
    fx = fixtures()
    templates = [d for d in fx.LANGSON if d["key"] != "c"]  # "c" repeats its lead in the body on purpose
    d = dict(templates[number % len(templates)])  # top-level fields change; the body is shared
    start = FIRST_MONDAY + dt.timedelta(days=number * days_apart)
    end = start + dt.timedelta(days=6)
    d.pop("alt_prefix", None)
    d["title"] = f"{fx.T_LS}(từ ngày {start:%d/%m} đến ngày {end:%d/%m/%Y})"
    d["published"] = f"{end + dt.timedelta(days=1):%Y-%m-%d}T09:30"
    d["path"] = f"{fx.LS_LIST}/{fx.slugify(d['title']).rstrip('-')}-{number}.html"
    d["file"] = f"d{number}.html"
    return d


def write_site(
    folder: Path, count: int, first: int = 0, days_apart: int = 7, oldest_first: bool = False
) -> dict[str, dict]:
    """Write (or extend) a site of digests ``first``…``first+count-1`` and return its routes.

    Digest ``n`` covers the ``n``-th week after ``FIRST_MONDAY``, so the newest is the
    highest number. Listing pages are rewritten (newest first, or ``oldest_first``); existing
    article pages are kept.
    """
    fx = fixtures()
    site = folder / "langson"
    pages = site / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    newest_first = [digest(n, days_apart) for n in range(first + count - 1, first - 1, -1)]
    hot = newest_first[:4]
    routes: dict[str, dict] = {"/robots.txt": {"text": fx.ROBOTS}}
    for i, d in enumerate(newest_first):
        if not (pages / d["file"]).exists():
            related = newest_first[i + 1 : i + 4]
            page = fx.ls_article(d, fx.ls_body(d), related, hot, 5000 + i)
            (pages / d["file"]).write_text(page, encoding="utf-8")
        routes[d["path"]] = {"file": d["file"]}
    total = (len(newest_first) + PER_PAGE - 1) // PER_PAGE
    listed = newest_first[::-1] if oldest_first else newest_first
    for page in range(1, total + 1):
        chunk = listed[(page - 1) * PER_PAGE : page * PER_PAGE]
        (pages / f"listing-{page}.html").write_text(fx.ls_listing(chunk, page, total, hot), encoding="utf-8")
        routes[f"{fx.LS_LIST}?page={page}"] = {"file": f"listing-{page}.html"}
    routes[fx.LS_LIST] = {"file": "listing-1.html"}
    (site / "routes.json").write_text(json.dumps(routes, ensure_ascii=False), encoding="utf-8")
    return routes
