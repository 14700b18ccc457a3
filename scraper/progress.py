"""Progress bars on stderr that fit the terminal and never interleave with log lines.

tqdm draws the bar; its width follows the terminal (or ``$COLUMNS``) at every redraw. While a bar is
shown, every console log handler writes through ``tqdm.write``, which clears the bar,
prints the whole log line and draws the bar again below it. Used by the crawl's
progress extension and by ``reparse``; shown only on a terminal or with ``--progress``,
so cron mail and log files stay quiet.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from tqdm import tqdm
from tqdm.utils import disp_trim


class _Above:
    """A stream for log handlers: each write goes above the bars drawn on ``stream``."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        tqdm.write(text, file=self.stream, end="")
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def _console_handlers(stream: TextIO) -> list[logging.StreamHandler]:
    consoles = {id(s) for s in (stream, sys.stderr, sys.__stderr__, sys.stdout) if s is not None}
    return [
        h
        for h in logging.getLogger().handlers
        if type(h) is logging.StreamHandler and id(h.stream) in consoles  # not file handlers
    ]


@contextlib.contextmanager
def logs_above(stream: TextIO) -> Iterator[None]:
    """Route the console log handlers through tqdm while a bar is on ``stream``."""
    swapped = [(handler, handler.setStream(_Above(stream))) for handler in _console_handlers(stream)]
    try:
        yield
    finally:
        for handler, original in swapped:
            handler.setStream(original)


def terminal_columns(stream: TextIO) -> int:
    """The width of the terminal ``stream`` is on, else ``$COLUMNS``, else 80."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return shutil.get_terminal_size().columns


class _Bar(tqdm):
    """A tqdm bar that always fits: the width is read at every redraw (a resized window, ``$COLUMNS``
    where stderr is no terminal) and a bar with no known total is trimmed too."""

    @property
    def format_dict(self) -> dict[str, Any]:
        values = dict(super().format_dict)
        values["ncols"] = max(terminal_columns(self.fp) - 1, 10)  # the last column would wrap on some terminals
        return values

    @staticmethod
    def format_meter(*args: Any, **kwargs: Any) -> str:
        text: str = tqdm.format_meter(*args, **kwargs)
        ncols = kwargs.get("ncols")
        return disp_trim(text, ncols) if ncols else text


UNKNOWN_TOTAL = "{desc}: {n_fmt}{unit} [{elapsed}{postfix}]"  # no rate: pages per second mean little here


def progress_bar(total: int | None, description: str, unit: str, stream: TextIO | None = None) -> tqdm:
    return _Bar(
        total=total,
        desc=description,
        unit=unit,
        file=stream or sys.stderr,
        mininterval=0.5,
        leave=True,
        bar_format=None if total else UNKNOWN_TOTAL,
    )
