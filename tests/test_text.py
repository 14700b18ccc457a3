import unicodedata

import pytest

from scraper.pages.text import fold, normalize_block, normalize_line, normalize_strings

NFD_HOA = unicodedata.normalize("NFD", "Hòa")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Quyết\u00a0định  số\t12 ", "Quyết định số 12"),
        ("Kế\u200b hoạch\ufeff", "Kế hoạch"),
        (NFD_HOA, "Hòa"),
        ("a\u2009b\u202fc\u3000d", "a b c d"),
        ("một\u2028hai\u2029ba\x85bốn", "một hai ba bốn"),  # line separators str.splitlines() breaks at
        ("soft\u00adhyphen", "softhyphen"),
        ("379/QĐ-UBND", "379/QĐ-UBND"),  # never re-spaced
        ("hoà và hòa", "hoà và hòa"),  # both tone-mark placements kept as published
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_line(raw, expected):
    got = normalize_line(raw)
    assert got == expected
    assert unicodedata.is_normalized("NFC", got)


def test_normalize_block_keeps_lines_drops_empty_ones():
    assert normalize_block("một \n\n \u00a0\n  hai  ba\r\nbốn") == "một\nhai ba\nbốn"


def test_fold_unifies_tone_mark_placement_and_case():
    assert fold("Hoà") == fold("HÒA") == fold(NFD_HOA.lower()) == "hoa"
    assert fold("Uỷ ban") == fold("Ủy ban") == "uy ban"
    assert fold("Đạo") == "dao"
    assert fold("Ðạo") == fold("ÐẠO") == "dao"  # the Icelandic eth of text from old encodings


def test_normalize_strings_walks_json():
    value = {"a": " x\u00a0 y ", "b": [{"c": "m\n\n n"}], "n": 3, "z": None}
    assert normalize_strings(value) == {"a": "x y", "b": [{"c": "m\nn"}], "n": 3, "z": None}


@pytest.mark.parametrize(
    ("body", "declared", "expected"),
    [
        ("Chỉ đạo".encode(), "iso-8859-1", "Chỉ đạo"),  # wrong declaration: the UTF-8 body wins
        ("Chỉ đạo".encode(), None, "Chỉ đạo"),  # no declaration
        ("Chỉ đạo".encode(), "utf-8", "fallback"),  # declared right: the usual decoding
        ("Chỉ đạo".encode("cp1258", errors="replace"), "cp1258", "fallback"),  # not UTF-8: the usual decoding
        (b"plain ascii", "iso-8859-1", "fallback"),
    ],
)
def test_decode_page_prefers_valid_utf8(body, declared, expected):
    from scraper.pages.text import decode_page

    assert decode_page(body, declared, lambda: "fallback") == expected


def _normalize_line_slowly(text: str) -> str:
    """What normalize_line does, with no shortcut: the reference for the fast path."""
    import unicodedata

    from scraper.pages import text as module

    text = unicodedata.normalize("NFC", text)
    text = module._SPACES.sub(" ", module._INVISIBLE.sub("", text)).replace("\n", " ")
    return module._RUNS.sub(" ", text).strip()


def test_the_already_normal_shortcut_changes_no_result():
    """Random strings of the characters normalizing cares about: the shortcut never answers differently."""
    import random

    from scraper.pages.text import normalize_block, normalize_line

    pieces = [*"ab đĐ\n\r\t ọ", "\u00a0", "\u200b", "o\u0301", "  ", "\n\n", " \n", "\n "]
    rng = random.Random(16)
    for _ in range(50_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        assert normalize_line(text) == _normalize_line_slowly(text), repr(text)
        lines = (_normalize_line_slowly(line) for line in text.replace("\r\n", "\n").split("\n"))
        assert normalize_block(text) == "\n".join(line for line in lines if line), repr(text)
