"""The curated list of Lạng Sơn's agencies (``agencies.json``): canonical names, abbreviations, validity.

Loaded once; matching is by the longest alias at a position, with letter case and the old
or new tone-mark placement ignored ("Uỷ ban"/"Ủy ban", "sở y tế"/"Sở Y tế").
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Agency:
    name: str
    kind: str
    aliases: tuple[str, ...]
    valid_from: str | None = None
    valid_to: str | None = None
    succeeded_by: str | None = None


# Old and new tone-mark placement ("hoà"/"hòa", "uỷ"/"ủy") in a syllable's last two letters:
# both spellings are official, so matching moves the mark to the first vowel, one for one.
_NEW_PLACEMENT = {old: new for old, new in zip(
    "oà oá oả oã oạ oè oé oẻ oẽ oẹ uỳ uý uỷ uỹ uỵ".split(), "òa óa ỏa õa ọa òe óe ỏe õe ọe ùy úy ủy ũy ụy".split(),
    strict=True)}  # fmt: skip
# "quý" is spelt one way: no "q" before the pair (checked after it, so the scan keeps a fast start)
_OLD_PLACEMENT = re.compile("(?:" + "|".join(_NEW_PLACEMENT) + r")(?<!q..)(?!\w)")


def fold(text: str) -> str:
    """Lower case and one tone-mark placement, character for character (positions are kept); the
    Icelandic eth that text converted from old Vietnamese encodings carries is read as "đ"."""
    lower = text.lower()
    if "ð" in lower:
        lower = lower.replace("ð", "đ")
    return _OLD_PLACEMENT.sub(lambda m: _NEW_PLACEMENT[m.group()], lower)


def _key(text: str) -> str:
    return fold(unicodedata.normalize("NFC", " ".join(text.split())))


@cache
def agencies() -> tuple[Agency, ...]:
    data = json.loads(resources.files("scraper.sites").joinpath("agencies.json").read_text(encoding="utf-8"))
    return tuple(
        Agency(
            name=entry["name"],
            kind=entry.get("kind", ""),
            aliases=tuple(entry.get("aliases") or ()),
            valid_from=entry.get("valid_from"),
            valid_to=entry.get("valid_to"),
            succeeded_by=entry.get("succeeded_by"),
        )
        for entry in data["agencies"]
    )


@cache
def alias_table() -> dict[str, Agency]:
    """Every name and alias (folded: case, spacing, old/new tone-mark placement) → its agency."""
    table: dict[str, Agency] = {}
    for agency in agencies():
        for alias in (agency.name, *agency.aliases):
            table.setdefault(_key(alias), agency)
    return table


def lookup(phrase: str) -> Agency | None:
    return alias_table().get(_key(phrase))


def match_key(text: str) -> str:
    """The folded form ``lookup`` compares; for scanning a text for aliases."""
    return _key(text)
