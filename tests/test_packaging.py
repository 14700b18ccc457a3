"""The installed package stands on its own: the demo, its portal and the record schema are package data.

The wheel is built and installed without the network (``--no-deps``, no build isolation: the
dependencies are this environment's) into a folder of its own, and run from outside the
source tree, so nothing can be read from a checkout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    wheels = tmp_path_factory.mktemp("wheels")
    target = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
    build = subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT)],
                           capture_output=True, text=True, timeout=300)  # fmt: skip
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("langson_archive-*.whl")
    install = subprocess.run([*pip, "install", "--no-deps", "--no-index", "--target", str(target), str(wheel)],
                             capture_output=True, text=True, timeout=300)  # fmt: skip
    assert install.returncode == 0, install.stderr
    return wheel, target


def run_installed(target, cwd, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONSAFEPATH": "1"}  # never the checkout
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=300, cwd=cwd, env=env)


def test_the_wheel_carries_the_demo_portal_and_the_schema_and_no_tests(installed):
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "scraper/records/record.schema.json" in names
    for portal in ("portal", "redesign"):
        for site in ("langson", "vanphong"):
            assert f"scraper/demo/{portal}/{site}/routes.json" in names
            assert any(n.startswith(f"scraper/demo/{portal}/{site}/pages/") and n.endswith(".html") for n in names)
    assert not any(n.startswith("tests/") for n in names)


def test_the_demo_runs_from_the_installed_package(installed, tmp_path):
    _, target = installed
    where = run_installed(target, tmp_path, "-c", "import scraper; print(scraper.__file__)")
    assert where.stdout.startswith(str(target)), where.stdout + where.stderr
    done = run_installed(target, tmp_path, "-m", "scraper.demo", "--out", str(tmp_path / "demo"))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "12 new" in done.stdout and "nothing new" in done.stdout  # first crawl, then the rerun
    assert "(exit 5)" in done.stdout  # the redesign: probe and crawl say they guessed
    records = [json.loads(line) for p in (tmp_path / "demo" / "digests").rglob("*.jsonl") for line in p.open()]
    assert len(records) == 12


def test_the_installed_command_line_validates_records_with_the_packaged_schema(installed, tmp_path):
    _, target = installed
    assert run_installed(target, tmp_path, "-m", "scraper.demo", "--out", str(tmp_path / "demo")).returncode == 0
    done = run_installed(target, tmp_path, "-m", "scraper.cli", "validate", "--out", str(tmp_path / "demo"))
    assert done.returncode == 0 and "12/12 records valid" in done.stdout, done.stdout + done.stderr
