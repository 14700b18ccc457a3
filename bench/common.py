"""What every benchmark prints: the machine, timing of child processes, tables."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "scraper.cli"]


def machine() -> str:
    """One line naming the machine, so a figure is never quoted without it."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}; Python {platform.python_version()} on {platform.system()}"


@dataclass
class Measured:
    returncode: int
    seconds: float
    peak_rss_mib: float
    stdout: str
    stderr: str


def child(code: str) -> list[str]:
    """A Python child process running ``code`` with the project importable."""
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); {code}"]


def run_measured(args: list[str], stdout_path: Path | None = None) -> Measured:
    """Run a command; its wall time and its own peak resident memory (through ``bench/peak.py``)."""
    with tempfile.TemporaryDirectory() as tmp:
        out_path = stdout_path or Path(tmp) / "stdout"
        err_path, peak_path = Path(tmp) / "stderr", Path(tmp) / "peak"
        launcher = [sys.executable, str(ROOT / "bench" / "peak.py"), str(peak_path)]
        with out_path.open("wb") as out, err_path.open("wb") as err:
            started = time.perf_counter()
            returncode = subprocess.run(launcher + args, cwd=ROOT, stdout=out, stderr=err).returncode
            seconds = time.perf_counter() - started
        peak_kib = int(peak_path.read_text()) if peak_path.is_file() else 0
        stdout = "" if stdout_path else out_path.read_text(encoding="utf-8", errors="replace")
        stderr = err_path.read_text(encoding="utf-8", errors="replace")
    return Measured(returncode, seconds, peak_kib / 1024, stdout, stderr)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table, ready to paste into the README."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
