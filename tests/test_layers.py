"""The tree is the architecture: each package imports only the layers below it, and nothing imports the tests.

sites ← pages ← archive ← records ← crawl, pipelines ← cli;  demo and progress stand alone
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {  # package -> the project packages its modules may import (besides itself and `scraper`)
    "sites": set(),
    "pages": {"sites"},
    "archive": {"pages"},
    "records": {"sites", "pages", "archive"},
    "search": {"sites", "pages", "archive"},
    "crawl": {"sites", "pages", "archive", "records", "progress", "search"},
    "pipelines": {"pages", "archive", "records"},
    "site": {"pages", "archive", "search"},
    "cli": {"sites", "pages", "archive", "records", "crawl", "progress", "search", "site"},
    "demo": set(),
    "progress": set(),
    "settings": set(),
}


def layer_of(path: Path) -> str:
    rel = path.relative_to(ROOT)
    if rel.parts[0] == "pipelines":
        return "pipelines"
    return rel.parts[1].removesuffix(".py")


def imported(path: Path) -> set[str]:
    """The project modules a file imports, at the top or inside functions."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {n for n in names if n.split(".")[0] in ("scraper", "pipelines", "tests")}


def target_layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] in ("pipelines", "tests"):
        return parts[0]
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else None  # None: the `scraper` root itself


SOURCES = sorted(p for d in ("scraper", "pipelines") for p in (ROOT / d).rglob("*.py") if p.name != "__init__.py"
                 or p.parent.name != "scraper")  # fmt: skip


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_import_only_the_layers_below(path):
    layer = layer_of(path)
    assert layer in ALLOWED, f"{path}: a new top-level module or package needs its place in ALLOWED"
    wrong = sorted(
        module
        for module in imported(path)
        if (target := target_layer(module)) is not None and target != layer and target not in ALLOWED[layer]
    )
    assert not wrong, f"{layer} may not import {wrong}"


def test_the_check_can_see_a_violation(tmp_path):
    bad = tmp_path / "scraper" / "pages" / "x.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("def f():\n    from scraper.crawl.lifecycle import run_report\n", encoding="utf-8")
    assert "scraper.crawl.lifecycle" in imported(bad)
    assert target_layer("scraper.crawl.lifecycle") == "crawl" not in ALLOWED["pages"]
