"""Finding a pattern's matches without trying it at every position of a text.

Python's regex engine scans fast only for a pattern that opens with literal text; one that
opens with ``\\b``, a lookbehind, ``\\s+`` or an optional phrase is tried at every position
(some 20 µs for a 500-character section, per pattern, per section). :class:`Anchored` gives
the same matches as ``pattern.finditer`` by looking for the words every match must contain
(plain substring search) and trying the pattern only where such a match can begin.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


class Anchored:
    """``pattern.finditer`` by its anchors: each match holds one of ``anchors``, and only
    characters of ``lead`` (and whitespace, when ``lead_space``) stand in it before that anchor.

    ``opens``, when given, holds every character a match can begin with (" ": any whitespace);
    the pattern is tried only there.
    """

    def __init__(
        self,
        pattern: re.Pattern[str],
        anchors: tuple[str, ...],
        lead: str = "",
        *,
        lead_space: bool = False,
        opens: str | None = None,
    ):
        self.pattern = pattern
        self.anchors = anchors
        self.lead = frozenset(lead)
        self.lead_space = lead_space
        self.opens = None if opens is None else frozenset(opens)
        self.opens_space = opens is not None and " " in opens

    def _anchor_positions(self, text: str, pos: int) -> list[int]:
        found: list[int] = []
        for anchor in self.anchors:
            at = text.find(anchor, pos)
            while at >= 0:
                found.append(at)
                at = text.find(anchor, at + 1)
        if len(self.anchors) > 1:
            found.sort()
        return found

    def _lead_start(self, text: str, at: int) -> int:
        """The first position a match holding the anchor at ``at`` could start from."""
        lead, space = self.lead, self.lead_space
        while at > 0 and (text[at - 1] in lead or (space and text[at - 1].isspace())):
            at -= 1
        return at

    def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match[str]]:
        """The matches ``self.pattern.finditer(text, pos)`` gives, in order."""
        end, tried = pos, pos - 1  # matches resume at ``end``; positions up to ``tried`` failed
        opens, space = self.opens, self.opens_space
        for at in self._anchor_positions(text, pos):
            if at < end or at <= tried:
                continue
            start = max(self._lead_start(text, at) if self.lead or self.lead_space else at, end, tried + 1)
            for candidate in range(start, at + 1):
                if opens is not None and text[candidate] not in opens and not (space and text[candidate].isspace()):
                    continue
                match = self.pattern.match(text, candidate)
                if match:
                    yield match
                    end = match.end()
                    break
            tried = max(tried, at)
