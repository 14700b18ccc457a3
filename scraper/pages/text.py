"""Text normalization for archive strings.

The archive keeps text as published: NFC only, no re-spacing of tokens (so document
numbers like ``379/QĐ-UBND`` survive). Invisible characters and odd spaces that editors
and word processors leave behind are removed or turned into plain spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache

# Zero-width and formatting characters that carry no text.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c]")
# Every Unicode space separator (nbsp, thin, ideographic...), tabs and the Unicode line and
# paragraph separators (inside a line, and line breaks to str.splitlines) become a plain space.
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v\r\u2028\u2029\x85]")
_RUNS = re.compile(r" {2,}")
# Any character the two above replace: most text has none, and one search costs less than two.
_ODD = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c"
                  "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v\r\u2028\u2029\x85]")  # fmt: skip
# A character that shows: neither whitespace nor one of the invisible ones above.
VISIBLE = re.compile("[^\\s\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c]")
# Combining marks: every Vietnamese tone and vowel mark decomposes into this block.
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _normal_already(text: str) -> bool:
    """Whether normalizing would change nothing: true of nearly every string the parser gives back.

    The record pipelines normalize every string again (defence in depth); these checks run in C.
    """
    return (
        unicodedata.is_normalized("NFC", text)
        and _ODD.search(text) is None
        and "  " not in text
        and "\n\n" not in text
        and " \n" not in text
        and "\n " not in text
        and not text[0].isspace()
        and not text[-1].isspace()
    )


# Look-alikes that text converted from old Vietnamese encodings or through a word processor carries:
# the Icelandic eth for "Đ" ("QÐ-UBND", "ðến"), dashes and non-breaking hyphens for the hyphen
# ("UBND–KGVX"). Matching reads them as the letter and the hyphen; the text keeps them as published.
_ETH = {"Ð": "Đ", "ð": "đ"}
_LOOKALIKES = {False: str.maketrans(_ETH), True: str.maketrans({**_ETH, "‐": "-", "‑": "-", "–": "-", "—": "-"})}
_LOOKALIKE_CHARS = {False: "Ðð", True: "Ðð‐‑–—"}
_LOOKALIKE = {dashes: re.compile(f"[{chars}]") for dashes, chars in _LOOKALIKE_CHARS.items()}


def without_lookalikes(text: str, dashes: bool = True) -> str:
    """``text`` with the look-alike letters (and dashes, unless ``dashes`` is False: a week range's
    dash may be its separator) read as "Đ" and "-". A per-character translation is slow: it is only
    done when one is there; a pattern finds it fastest in a short string, plain searches in a long one."""
    chars = _LOOKALIKE_CHARS[dashes]
    found = _LOOKALIKE[dashes].search(text) if len(text) < 64 else any(c in text for c in chars)
    return text.translate(_LOOKALIKES[dashes]) if found else text


def normalize_line(text: str | None) -> str:
    """One line of text: NFC, invisible characters removed, whitespace collapsed."""
    if not text:
        return ""
    if "\n" not in text and _normal_already(text):
        return text
    text = unicodedata.normalize("NFC", text)
    if _ODD.search(text):
        text = _SPACES.sub(" ", _INVISIBLE.sub("", text))
    text = text.replace("\n", " ")
    return (_RUNS.sub(" ", text) if "  " in text else text).strip()


def normalize_block(text: str | None) -> str:
    """Multi-line text: each line normalized, empty lines dropped, lines kept."""
    if not text:
        return ""
    if _normal_already(text):
        return text
    lines = (normalize_line(line) for line in text.replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


@cache
def _fold_char(char: str) -> str:
    folded = _MARKS.sub("", unicodedata.normalize("NFD", char.lower())).replace("đ", "d").replace("ð", "d")
    return folded[:1] or char


def fold_aligned(text: str) -> str:
    """:func:`fold` one character for each of ``text``'s (NFC) characters, whitespace untouched.

    Positions in the folded text are positions in the original: a snippet is cut from the
    published text around a match found in the folded one.
    """
    return "".join(_fold_char(c) for c in text)


def fold(text: str) -> str:
    """Search-friendly form: lower case, no diacritics, đ→d (and the Icelandic eth that text converted
    from old Vietnamese encodings carries for it, "Ðào tạo").

    Used only for matching (old and new tone-mark placement, NFD input, case), never
    stored in place of the published text.
    """
    stripped = _MARKS.sub("", unicodedata.normalize("NFD", text.lower())).replace("đ", "d")
    return normalize_line(stripped.replace("ð", "d") if "ð" in stripped else stripped)


def normalize_strings(value):
    """Apply :func:`normalize_line` to every string in a JSON-like value.

    Multi-line fields (``text`` and section ``text``) keep their line breaks.
    """
    if isinstance(value, str):
        return normalize_block(value) if "\n" in value else normalize_line(value)
    if isinstance(value, list):
        return [normalize_strings(v) for v in value]
    if isinstance(value, dict):
        return {k: normalize_strings(v) for k, v in value.items()}
    return value


def decode_page(body: bytes, declared: str | None, decode: Callable[[], str]) -> str:
    """A page's text; a body that is valid UTF-8 is read as UTF-8 whatever was declared.

    Small servers often declare a wrong charset (or none); Vietnamese UTF-8 read as
    ISO-8859-1 would turn every headline into mojibake, and valid UTF-8 with non-ASCII
    bytes is practically never anything else. ``decode`` is the usual decoding otherwise.
    """
    if (declared or "").lower().replace("_", "-") not in ("utf-8", "utf8") and not body.isascii():
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return decode()
