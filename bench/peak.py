"""Run a command and write its peak resident memory (KiB) to a file.

    python bench/peak.py REPORT_FILE COMMAND [ARG]...

Linux keeps a process's peak RSS across ``execve``, and a child forked from a large
process starts with that process's memory counted: measured straight from the benchmark,
every command would show at least the benchmark's own size. This launcher is small, so
the figure it reports is the command's.
"""

import os
import subprocess
import sys


def main() -> int:
    report, command = sys.argv[1], sys.argv[2:]
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    with open(report, "w", encoding="ascii") as handle:
        handle.write(str(usage.ru_maxrss))
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
