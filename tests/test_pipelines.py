import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from pipelines.dedupe import DedupePipeline
from pipelines.normalize import NormalizePipeline
from pipelines.validate import ValidatePipeline
from scraper.pages import parse_digest
from scraper.sites.profiles import VANPHONG

PAGE = """<html><body><h1 class="page-title">Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần
(từ ngày 1/4- 7/4/2019)</h1><span class="field--name-created">Thứ Ba, 09/04/2019 - 13:10</span>
<div class="field--name-field-tom-tat"><p><strong>Việc một; việc hai.</strong></p></div>
<div class="field--name-body"><p><strong>Việc một</strong></p><p>Câu.</p></div></body></html>"""


def crawler():
    return get_crawler()


def digest(path="/vi/node/7"):
    return parse_digest("http://127.0.0.1:1" + path, PAGE, VANPHONG).record


def test_valid_record_passes_and_invalid_one_is_dropped_and_counted():
    c = crawler()
    pipeline = ValidatePipeline.from_crawler(c)
    good = digest()
    assert pipeline.process_item(good) is good
    bad = {**digest(), "published_at": "09/04/2019"}
    with pytest.raises(DropItem):
        pipeline.process_item(bad)
    assert c.stats.get_value("validate/invalid") == 1


def test_same_node_under_other_urls_is_one_record():
    c = crawler()
    pipeline = DedupePipeline.from_crawler(c)
    pipeline.process_item(digest("/vi/node/7"))
    for path in ("/en/node/7", "/index.php/en/node/7", "/node/7"):
        with pytest.raises(DropItem):
            pipeline.process_item(digest(path))
    assert c.stats.get_value("dedupe/duplicates") == 3


def test_normalize_counts_records_it_had_to_fix():
    c = crawler()
    pipeline = NormalizePipeline.from_crawler(c)
    clean = digest()
    assert pipeline.process_item(clean) == clean
    assert c.stats.get_value("normalize/records_changed") is None
    fixed = pipeline.process_item({**clean, "summary": "Việc\u00a0một "})
    assert fixed["summary"] == "Việc một"
    assert c.stats.get_value("normalize/records_changed") == 1


def test_a_record_prepared_in_the_parser_worker_is_acted_on_not_checked_again(monkeypatch):
    """The crawl yields PreparedRecord items: each pipeline counts and acts on what prepare_record found."""
    import pipelines.validate
    from pipelines.archive import ArchivePipeline
    from scraper.archive import fingerprint
    from scraper.records.prepare import prepare_for_merge, prepare_record

    def not_again(record):
        raise AssertionError("checked again in the crawl's process")

    monkeypatch.setattr(pipelines.validate, "check_record", not_again)
    c = crawler()
    steps = [NormalizePipeline.from_crawler(c), ValidatePipeline.from_crawler(c), DedupePipeline.from_crawler(c)]
    good = prepare_record({**digest(), "title": digest()["title"] + "\u200b"})  # normalizing had work to do
    item = good
    for step in steps:
        item = step.process_item(item)
    assert item is good and c.stats.get_value("normalize/records_changed") == 1
    bad = prepare_record({**digest("/vi/node/8"), "published_at": "09/04/2019"})
    assert bad.problems
    with pytest.raises(DropItem):
        steps[1].process_item(bad)
    assert c.stats.get_value("validate/invalid") == 1
    with pytest.raises(DropItem):
        steps[2].process_item(prepare_record(digest()))  # the same key again
    archive = ArchivePipeline.from_crawler(get_crawler(settings_dict={"ARCHIVE_DIR": "unused"}))
    archive.process_item(good)
    assert [record for record, _ in archive.held] == [good.record]
    archive.process_item(prepare_for_merge(digest("/vi/node/9")))  # as the crawl's worker prepares it
    assert archive.held[1][1] == fingerprint(archive.held[1][0])  # its fingerprint goes to the merge
