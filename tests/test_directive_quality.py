"""Against the hand-written annotations, directive extraction keeps its measured quality.

The same measurement as ``make bench`` (bench/directives.py): the fixture digests' 36 sections
and 40 sections written for it, annotated by hand from the text.
"""

from __future__ import annotations

import pytest

from bench.directives import CHECKED, TARGET, cases, measure


@pytest.fixture(scope="module")
def scores():
    return measure(cases())[0]


@pytest.mark.parametrize("field", CHECKED)
def test_precision_and_recall_reach_the_target(scores, field):
    assert scores[field]["precision"] >= TARGET, scores[field]
    assert scores[field]["recall"] >= TARGET, scores[field]
    assert scores[field]["annotated"] >= 40  # enough annotations for the figure to mean something


def test_every_annotated_section_is_measured():
    sections = cases()
    assert len(sections) == 76
    assert len({(c.get("id"), c.get("path"), c.get("section")) for c in sections}) == 76
