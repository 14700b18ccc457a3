"""The compiled schema (the fast path) and jsonschema agree on every record: same verdict, jsonschema's messages."""

from __future__ import annotations

import copy

import pytest

from scraper.pages import parse_digest
from scraper.records.schema import _validator, schema_problems
from scraper.sites.profiles import VANPHONG

PAGE = """<html><body><h1 class="page-title">Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần
(từ ngày 8/7- 14/7/2019)</h1><span class="field--name-created">Thứ Hai, 15/07/2019 - 08:00</span>
<div class="field--name-field-tom-tat"><p><strong>Giao thông nông thôn.</strong></p></div>
<div class="field--name-body"><p><strong>Giao thông nông thôn</strong></p>
<p>Giao Sở Giao thông vận tải chủ trì, phối hợp với UBND các huyện hoàn thành trước ngày 30/9/2019.</p></div>
</body></html>"""


def valid_record() -> dict:
    record = parse_digest("http://127.0.0.1:1/vi/node/9", PAGE, VANPHONG).record
    assert record is not None
    return record


def jsonschema_messages(record) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or 'record'}: {e.message}" for e in _validator().iter_errors(record)]


def section(**directive) -> dict:
    base = {"lead_agencies": [], "partner_agencies": [], "deadlines": [], "leaders": [], "documents": []}
    return {"heading": "Một mục", "text": "Nội dung.", "directive": {**base, **directive}}


def test_a_record_with_a_directive_passes_both():
    record = {**valid_record(), "sections": [section()]}
    assert schema_problems(record) == [] == jsonschema_messages(record)


MUTATIONS = {
    "bad date": lambda r: r.update(week_start="8/7/2019"),
    "wrong type": lambda r: r.update(title=7),
    "unknown field": lambda r: r.update(colour="blue"),
    "missing field": lambda r: r.pop("key"),
    "bad directive": lambda r: r.update(sections=[section(lead_agencies=[{"name": "", "known": True}])]),
    "bad deadline date": lambda r: r.update(sections=[section(deadlines=[{"date": "2019-9-30", "text": "x"}])]),
    "bad document": lambda r: r["documents"].append({"type": "Công văn", "number": "1 /A", "date": None}),
    "not an object": lambda r: r.clear(),
}


def test_a_valid_record_passes_both():
    record = valid_record()
    assert schema_problems(record) == [] == jsonschema_messages(record)


@pytest.mark.parametrize("mutate", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_a_broken_record_fails_both_with_jsonschemas_messages(mutate):
    record = copy.deepcopy(valid_record())
    mutate(record)
    assert schema_problems(record) == jsonschema_messages(record) != []
