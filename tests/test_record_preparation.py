"""One way to prepare a record: the crawl's pipelines and ``reparse`` give the same record."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from pipelines.normalize import NormalizePipeline
from pipelines.validate import ValidatePipeline
from scraper.archive import fingerprint
from scraper.pages import parse_digest
from scraper.records.prepare import prepare_for_merge, prepare_record
from scraper.records.schema import content_hash
from scraper.sites.profiles import VANPHONG

# Our own sentence in the Drupal template; "\u00a0" and a decomposed "ộ" are what normalizing fixes.
PAGE = """<html><body><h1 class="page-title">Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần
(từ ngày 6/5- 12/5/2019)</h1><span class="field--name-created">Thứ Hai, 13/05/2019 - 09:20</span>
<div class="field--name-field-tom-tat"><p><strong>Trồng rừng; nước sạch.</strong></p></div>
<div class="field--name-body"><p><strong>Trồng rừng</strong></p><p>Giao Sở Nông nghiệp rà soát.</p>
<p><strong>Nước sạch</strong></p><p>Yêu cầu các huyện báo cáo.</p></div></body></html>"""


def parsed() -> dict:
    record = parse_digest("http://127.0.0.1:1/vi/node/77", PAGE, VANPHONG).record
    assert record is not None
    return record


def through_pipelines(record: dict) -> dict:
    crawler = get_crawler()
    item = NormalizePipeline.from_crawler(crawler).process_item(record)
    return ValidatePipeline.from_crawler(crawler).process_item(item)


def test_pipelines_and_prepare_record_give_the_same_record():
    raw = parsed()
    raw["sections"][0]["text"] = raw["sections"][0]["text"].replace(" ", "\u00a0", 1)
    raw["summary"] = raw["summary"].replace("ộ", "o\u0323\u0302")
    prepared = prepare_record(dict(raw))
    assert prepared.valid and prepared.normalized
    assert prepared.record == through_pipelines(dict(raw))
    assert "\u00a0" not in prepared.record["sections"][0]["text"]
    assert prepared.record["content_hash"] == content_hash(prepared.record)  # of the text as archived
    assert prepared.partition == "digests/2019/2019-05.jsonl"
    assert prepared.fingerprint is None  # reparse merges without the run's index: no use for it
    for_merge = prepare_for_merge(dict(raw))
    assert for_merge.record == prepared.record and for_merge.partition == prepared.partition
    assert for_merge.fingerprint == fingerprint(prepared.record)  # the archive index's, for the merge to reuse


def test_an_untouched_record_is_not_counted_as_normalized():
    prepared = prepare_record(parsed())
    assert prepared.valid and not prepared.normalized


def test_an_invalid_record_has_problems_and_no_partition_and_the_pipeline_drops_it():
    bad = {**parsed(), "week_end": "2019-04-30"}  # before its week_start
    prepared = prepare_record(dict(bad))
    assert not prepared.valid and prepared.partition is None and prepare_for_merge(dict(bad)).fingerprint is None
    assert any("week_start is after week_end" in p for p in prepared.problems)
    with pytest.raises(DropItem):
        through_pipelines(dict(bad))
