"""Configuration of an unattended run: config file, then environment, then flags; the README's cron example."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, run_cli


def test_config_file_then_environment_then_flags(portal, tmp_path):
    config = tmp_path / "archive.toml"
    bases = "\n".join(f'{s.name} = "{s.url}"' for s in portal.values())
    config.write_text(
        f'out = "{tmp_path / "from-file"}"\ndelay = 0\ncontact = "ops@example.org"\n[base_url]\n{bases}\n'
    )
    done = subprocess.run([sys.executable, "-m", "scraper.cli", "crawl", "--config", str(config)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "from-file" / "manifest.json").exists()
    assert any("ops@example.org" in ua for ua in portal["langson"].user_agents)

    env = {"LANGSON_ARCHIVE_CONFIG": str(config), "LANGSON_ARCHIVE_OUT": str(tmp_path / "from-env")}
    done = subprocess.run([sys.executable, "-m", "scraper.cli", "crawl"], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, env={**os.environ, **env})  # fmt: skip
    assert done.returncode == 0 and (tmp_path / "from-env" / "manifest.json").exists()

    done = subprocess.run([sys.executable, "-m", "scraper.cli", "crawl", "--out", str(tmp_path / "from-flag")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, env={**os.environ, **env})  # fmt: skip
    assert done.returncode == 0 and (tmp_path / "from-flag" / "manifest.json").exists()


@pytest.mark.parametrize("content", ['delay = "soon"', "colour = 3", "not toml ["])
def test_bad_config_is_one_line(tmp_path, content):
    config = tmp_path / "bad.toml"
    config.write_text(content)
    done = run_cli("crawl", "--config", str(config), "--out", str(tmp_path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_readme_cron_example_works_as_written(portal, tmp_path):
    """The README's config file and crontab command, pointed at the fixture portal."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("    # /etc/langson-archive.toml\n", 1)[1].split("\n\n", 1)[0]
    config_text = "\n".join(line[4:] for line in block.splitlines())
    config_text = config_text.replace("/srv/langson-archive", str(tmp_path)) + "\ndelay = 0\n[base_url]\n"
    config_text += "\n".join(f'{s.name} = "{s.url}"' for s in portal.values()) + "\n"
    config = tmp_path / "langson-archive.toml"
    config.write_text(config_text, encoding="utf-8")
    cron_line = next(line for line in readme.splitlines() if "* * *" in line and "crawl --config" in line)
    command = cron_line.split("&& ", 1)[1].replace("/etc/langson-archive.toml", str(config))
    command = command.replace(".venv/bin/langson-archive", f"{sys.executable} -m scraper.cli")
    done = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 1 and "ok (new digests)" in done.stdout
    assert (tmp_path / "log" / "crawl.log").exists()
    again = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert again.returncode == 4  # exit_codes = "detailed" in the example: nothing new
