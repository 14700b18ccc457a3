"""Reading the crawl's Scrapy stats, the same way wherever a figure is reported."""

from __future__ import annotations

from typing import Any


def total(stats: dict[str, Any], prefix: str = "", suffix: str | tuple[str, ...] = "") -> int:
    """The sum of the counters whose names start with ``prefix`` and end with ``suffix``."""
    return sum(v for k, v in stats.items() if k.startswith(prefix) and k.endswith(suffix) and isinstance(v, int))
