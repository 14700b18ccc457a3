"""End to end over loopback: the fixture portal with every markup hook removed is archived the same.

Every page of ``scraper/demo/portal`` is served again with each ``class``, ``id``, microdata,
RDFa and Open Graph attribute removed (as ``bench.extraction`` scores its class-less copies):
no template selector, lead or body class, or date metadata can answer, so the listing walk and
every field of every record come from the generic strategies. The records must equal the
golden ones, the walk must end on the last listing page without guessing one more, and the run
must say it read past the templates.
"""

from __future__ import annotations

import json
import shutil

import pytest

from bench.extraction import _MARKUP_HOOKS
from tests import mockserver
from tests.conftest import GOLDEN_FIELDS, PORTAL, as_published, crawl_portal, export, load_expected


@pytest.fixture
def classless_portal(tmp_path):
    copy = tmp_path / "portal"
    shutil.copytree(PORTAL, copy)
    for page in copy.glob("*/pages/*.html"):
        page.write_bytes(_MARKUP_HOOKS.sub(b"", page.read_bytes()))
    servers = mockserver.start(copy)
    yield servers
    for site in servers.values():
        site.stop()


def test_a_portal_without_markup_hooks_is_archived_as_the_templates_read_it(classless_portal, tmp_path):
    page = next((PORTAL / "langson" / "pages").glob("article-*.html")).read_text(encoding="utf-8")
    assert 'class="' in page and 'itemprop="' in page  # the originals have the hooks the copies lose
    want = {e["canonical_url"]: e for e in load_expected()}
    done = crawl_portal(classless_portal, tmp_path / "out", "--exit-codes", "detailed")
    assert done.returncode == 5, done.stderr  # degraded: read past the templates, and said so
    assert "degraded" in done.stdout.strip().splitlines()[-1]
    records = {r["canonical_url"]: r for r in export(tmp_path / "out")}
    assert set(records) == set(want)
    for url, expected in want.items():
        for name in GOLDEN_FIELDS:
            assert as_published(name, records[url][name]) == expected[name], (url, name)
        assert records[url]["extraction_method"] == "generic", url
    # the last listing page's pager leads back only: the walk ends there, guessing no further page
    assert "/chi-dao-dieu-hanh-noi-bat?page=3" not in classless_portal["langson"].requests
    report = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["last_run"]
    assert report["outcome"] == "degraded" and report["errors"] == 0
