"""Settings from a TOML file and the environment, checked as the flags are.

Flags beat the environment, which beats the config file (``--config FILE`` or
``$LANGSON_ARCHIVE_CONFIG``, keys at the top level or under ``[langson-archive]``).
The values become the defaults of every command (``set_defaults``), so a flag given on
the command line still wins.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from scraper.cli import options
from scraper.cli.options import UsageError

# option name -> environment variable
ENV_OPTIONS = {
    "out": "LANGSON_ARCHIVE_OUT",
    "delay": "LANGSON_ARCHIVE_DELAY",
    "contact": "LANGSON_ARCHIVE_CONTACT",
    "log_file": "LANGSON_ARCHIVE_LOG_FILE",
    "log_level": "LANGSON_ARCHIVE_LOG_LEVEL",
    "exit_codes": "LANGSON_ARCHIVE_EXIT_CODES",
}
CONFIG_KEYS = {*ENV_OPTIONS, "base_url", "source"}

# Every configurable option checked as its flag is (the file and the environment included).
CHECKS: dict[str, Callable[[str], Any]] = {
    "out": options.out_dir,
    "delay": options.delay,
    "log_level": options.log_level,
    "exit_codes": options.choice("exit_codes", ["simple", "detailed"]),
    "source": options.choice("source", options.SOURCE_CHOICES),
}


def config_path(argv: Sequence[str]) -> str | None:
    """``--config FILE`` from the arguments (read before parsing: it sets the parser's defaults)."""
    path = os.environ.get(options.CONFIG_ENV)
    for i, arg in enumerate(argv):
        if arg == "--config" and i + 1 < len(argv):
            path = argv[i + 1]
        elif arg.startswith("--config="):
            path = arg.split("=", 1)[1]
    return path


def load_config(argv: Sequence[str]) -> dict[str, Any]:
    """The raw values of the config file, then the environment (unchecked)."""
    values: dict[str, Any] = {}
    path = config_path(argv)
    if path:
        if sys.version_info >= (3, 11):
            import tomllib
        else:
            import tomli as tomllib
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(f"config {path}: {exc.strerror}") from None
        except ValueError as exc:
            raise UsageError(f"config {path}: {exc}") from None
        section = data.get("langson-archive", data)
        unknown = sorted(set(section) - CONFIG_KEYS)
        if unknown:
            raise UsageError(f"config {path}: unknown key {unknown[0]!r} (known: {', '.join(sorted(CONFIG_KEYS))})")
        values.update({k.replace("-", "_"): v for k, v in section.items()})
    for name, env in ENV_OPTIONS.items():
        if os.environ.get(env):
            values[name] = os.environ[env]
    return values


def checked(values: dict[str, Any]) -> dict[str, Any]:
    """The values as the flags' own types would give them; a bad one is a UsageError."""
    result: dict[str, Any] = {}
    try:
        for name, value in values.items():
            if name == "base_url":
                if not isinstance(value, dict):
                    raise argparse.ArgumentTypeError("base_url must be a table of SOURCE = URL")
                result[name] = [options.base_url(f"{k}={v}") for k, v in value.items()]
                continue
            if name == "delay" and isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str):
                raise argparse.ArgumentTypeError(f"{name} must be a string, not {type(value).__name__} ({value!r})")
            result[name] = CHECKS.get(name, str)(value)
    except argparse.ArgumentTypeError as exc:
        raise UsageError(f"configuration: {exc}") from None
    return result


def apply_config(commands: Mapping[str, argparse.ArgumentParser], argv: Sequence[str]) -> None:
    """Make config-file and environment values the defaults of every command."""
    values = checked(load_config(argv))
    for sub in commands.values():
        sub.set_defaults(**values)
