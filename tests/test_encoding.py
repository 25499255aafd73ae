"""The encoding layer: BOMs, UTF-8, legacy code pages it can tell apart, clear refusals."""

from __future__ import annotations

import codecs
import os
import random

import pytest

from docstore.readers.encoding import UNDETERMINED, decode_bytes
from docstore.readers.errors import ReaderError

ENGLISH = (
    "“It’s a fine day,” said the minister — before the talks in Brussels began. "
    "The delegation’s members weren’t sure what to expect; nobody had briefed them. "
    "“We’ll see,” one aide said… and the doors closed."
)
RUSSIAN = (
    "Президент Беларуси Александр Лукашенко провёл переговоры с Владимиром Путиным в Сочи. "
    "Стороны обсудили поставки нефти и газа, а также вопросы интеграции в рамках "
    "Союзного государства. Следующая встреча пройдёт в Минске."
)
FRENCH = (
    "Le président français a rencontré à Genève les représentants des deux pays. "
    "Après une longue réunion, la délégation a déclaré être très satisfaite des échanges. "
    "Les négociations reprendront à Paris l'été prochain."
)
GERMAN = (
    "Die Bundesregierung äußerte sich am Dienstag zu den Gesprächen in München. "
    "Außenminister Müller sagte, die Lösung müsse für alle Beteiligten tragfähig sein. "
    "Über weitere Schritte werde nächste Woche entschieden."
)
SPANISH = (
    "El presidente español se reunió ayer con su homólogo portugués en Madrid. "
    "¿Habrá acuerdo? Según fuentes del Gobierno, las conversaciones continuarán "
    "en Lisboa el próximo año."
)


@pytest.mark.parametrize("text", [ENGLISH, RUSSIAN, FRENCH])
@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
        lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
        lambda t: t.encode("utf-16"),
        lambda t: t.encode("utf-32"),
    ],
    ids=["utf8", "utf8-bom", "utf16le", "utf16be", "utf16-native", "utf32"],
)
def test_unicode_encodings(text: str, encode) -> None:  # type: ignore[no-untyped-def]
    assert decode_bytes(encode(text), "a.txt") == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (ENGLISH, "cp1252"),
        (RUSSIAN, "cp1251"),
        (RUSSIAN, "koi8-r"),
        (FRENCH, "latin-1"),
        (FRENCH, "cp1252"),
        (GERMAN, "latin-1"),
        (SPANISH, "latin-1"),
    ],
)
def test_legacy_single_byte(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode_bytes(data, "a.txt") == text


def test_typographic_apostrophes_are_kept() -> None:
    assert "Belarus’ stance" in decode_bytes("Belarus’ stance".encode(), "a.txt")


def test_nfc_normalization() -> None:
    decomposed = "Mu\u0308ller in Gene\u0300ve"
    assert decode_bytes(decomposed.encode(), "a.txt") == "Müller in Genève"


def test_declared_encoding_is_used_when_not_utf8() -> None:
    data = RUSSIAN[:60].encode("cp1251")
    assert decode_bytes(data, "a.html", declared="windows-1251") == RUSSIAN[:60]


def test_wrong_utf8_declaration_falls_back_to_detection() -> None:
    assert decode_bytes(FRENCH.encode("latin-1"), "a.html", declared="utf-8") == FRENCH


def test_nul_bytes_are_binary() -> None:
    with pytest.raises(ReaderError, match="binary"):
        decode_bytes(b"PK\x03\x04\x00\x00\x08\x00 some zip", "a.txt")


def test_nul_characters_inside_utf16_are_binary() -> None:
    with pytest.raises(ReaderError, match="binary"):
        decode_bytes("abc\x00def".encode("utf-16"), "a.txt")


def test_many_control_characters_are_binary() -> None:
    with pytest.raises(ReaderError, match="binary"):
        decode_bytes(bytes(range(1, 9)) * 20 + b"text", "a.txt")


def test_a_stray_control_character_is_dropped() -> None:
    assert decode_bytes(b"A long enough line of text.\x1a", "a.txt") == (
        "A long enough line of text."
    )


def test_invalid_utf16_is_an_error() -> None:
    with pytest.raises(ReaderError, match="UTF-16"):
        decode_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8a\x00", "a.txt")


def test_random_bytes_are_refused_clearly() -> None:
    rng = random.Random(7)
    for _ in range(50):
        data = bytes(rng.randrange(1, 256) for _ in range(400))
        with pytest.raises(ReaderError) as info:
            decode_bytes(data, "blob.txt")
        assert str(info.value).startswith("blob.txt: ")


def test_undetermined_message() -> None:
    data = os.urandom(0) + bytes(range(0x80, 0x100)) * 3
    with pytest.raises(ReaderError) as info:
        decode_bytes(data, "x.txt")
    assert str(info.value) == f"x.txt: {UNDETERMINED}"
