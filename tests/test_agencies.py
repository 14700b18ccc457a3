"""The curated agency list is consistent data: unique names, real dates, successors that exist."""

from __future__ import annotations

import datetime as dt

import pytest

from scraper.sites.agencies import agencies, lookup, match_key


def test_every_name_and_alias_names_one_agency():
    seen: dict[str, str] = {}
    for agency in agencies():
        for alias in (agency.name, *agency.aliases):
            key = match_key(alias)
            assert seen.setdefault(key, agency.name) == agency.name, f"{alias!r}: {seen[key]} and {agency.name}"


def test_validity_dates_are_dates_in_order_and_successors_exist():
    names = {a.name for a in agencies()}
    for agency in agencies():
        start = dt.date.fromisoformat(agency.valid_from) if agency.valid_from else dt.date.min
        end = dt.date.fromisoformat(agency.valid_to) if agency.valid_to else dt.date.max
        assert start <= end, agency.name
        if agency.succeeded_by:
            assert agency.succeeded_by in names and agency.valid_to, agency.name


def test_the_2025_mergers_are_recorded():
    planning = lookup("Sở Kế hoạch và Đầu tư")
    assert (
        planning and planning.valid_to and planning.valid_to < "2025-03-02" and planning.succeeded_by == "Sở Tài chính"
    )
    merged = lookup("Sở Nông nghiệp và Môi trường")
    assert merged and merged.valid_from and merged.valid_from.startswith("2025-03")


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("sở Y tế", "Sở Y tế"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở Giáo dục và Ðào tạo", "Sở Giáo dục và Đào tạo"),  # the eth of text from old encodings
        ("Sở GD&ÐT", "Sở Giáo dục và Đào tạo"),
        ("Ủy ban nhân dân huyện Cao Lộc", lookup("UBND huyện Cao Lộc").name if lookup("UBND huyện Cao Lộc") else None),
        ("Uỷ ban nhân dân huyện Cao Lộc", lookup("UBND huyện Cao Lộc").name if lookup("UBND huyện Cao Lộc") else None),
    ],
)
def test_abbreviations_case_and_tone_mark_placement_find_the_canonical_name(written, canonical):
    assert canonical is not None
    found = lookup(written)
    assert found is not None and found.name == canonical
