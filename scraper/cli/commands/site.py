"""``langson-archive site``: a static, offline-browsable site of the archive."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scraper.archive import Archive
from scraper.cli import options
from scraper.cli.options import UsageError
from scraper.crawl.lifecycle import EXIT_OK

NAME = "site"
HELP = "build a static site of the archive: weeks by year, digests, documents, plots, search"
DESCRIPTION = (
    "Write a static site of the archive that works from file:// with no server: an index by year and "
    "week with the weeks that have no digest marked, one page per digest (lead, directives with their "
    "agencies, deadlines and documents, links to the live page and its capture), one page per cited "
    "document with every digest citing it, three SVG plots (digests per month with gaps, directives per "
    "agency over the years, cited document kinds per year) and a search box over a prebuilt index "
    "(no diacritics needed). --dest is replaced whole on each build."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_archive_options(parser, ranged=False)
    parser.add_argument("--dest", metavar="DIR", help="where the site goes (default: <archive>/site)")


def run(args: argparse.Namespace) -> int:
    from scraper.site import build_site

    options.require_archive(args.out)
    root = Path(args.out)
    dest = Path(args.dest) if args.dest else root / "site"
    if dest.exists() and not (dest / "index.html").exists() and any(dest.iterdir()):
        raise UsageError(f"--dest {dest}: a folder that holds something else than a site; not replacing it")
    if dest.resolve() in (root.resolve(), *root.resolve().parents):
        raise UsageError(f"--dest {dest}: would replace the archive")
    built = build_site(dest, Archive(root).iter_records(), root)
    print(f"langson-archive site: {built['digests']} digests and {built['documents']} documents in "
          f"{dest / 'index.html'}", file=sys.stderr)  # fmt: skip
    return EXIT_OK
