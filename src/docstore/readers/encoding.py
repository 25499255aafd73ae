"""Turn file bytes into NFC text, or say clearly why not.

Order of trust: a byte-order mark, then strict UTF-8, then an encoding the page declares
(HTML `<meta charset>`), then charset-normalizer, accepted only when its guess is clean.
A wrong guess would put mojibake into the database under a stable content hash, so an
unsure guess is an error, not a best effort.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from docstore.readers.errors import ReaderError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0/C1 controls other than the whitespace ones; a few stray ones (a DOS EOF mark) are
# dropped, many mean the bytes are not text.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_MAX_CONTROL_RATIO = 0.01
# charset-normalizer's "mess" score: above this the decoded text reads as mojibake.
_MAX_CHAOS = 0.1
UNDETERMINED = "not valid UTF-8 and the encoding could not be determined reliably"


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> str:
    """Decode to NFC text; `declared` is an encoding named by the document itself."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise ReaderError(source, f"invalid {encoding.upper()} ({exc.reason})") from None
            return _finish(text, source)
    if b"\x00" in data:
        raise ReaderError(source, "binary content (NUL bytes), not a text document")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_declared(data, declared) or _guess_legacy(data, source)
    return _finish(text, source)


def decode_text(data: bytes, source: str, declared: str | None = None) -> str:
    """`decode_bytes`, refusing text that is only whitespace: what text readers call."""
    text = decode_bytes(data, source, declared)
    if not text.strip():
        raise ReaderError(source, "the file holds only whitespace")
    return text


def _finish(text: str, source: str) -> str:
    if "\x00" in text:
        raise ReaderError(source, "binary content (NUL characters), not a text document")
    controls = len(_CONTROL.findall(text))
    if controls:
        if controls > max(1, len(text) * _MAX_CONTROL_RATIO):
            raise ReaderError(source, "binary content (control characters), not a text document")
        text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def _decode_declared(data: bytes, declared: str | None) -> str | None:
    if not declared:
        return None
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None
    if name in ("utf-8", "ascii"):
        return None  # already failed as UTF-8: the declaration is wrong, so guess
    try:
        return data.decode(name)
    except UnicodeDecodeError:
        return None


def _guess_legacy(data: bytes, source: str) -> str:
    """charset-normalizer proposes; a plausibility score decides, refusing ties.

    Single-byte code pages decode any bytes without error and often with equally low
    "mess", so French in Latin-1 also reads as clean-looking cp1250 ("à" as "ŕ"). Each
    candidate is scored by characters that rarely occur in real text and by words that
    mix scripts; the best must be clearly better than every differing alternative.
    """
    from charset_normalizer import from_bytes

    chaos = {m.encoding: m.chaos for m in from_bytes(data) if _document_encoding(m.encoding)}
    encodings = [e for e, mess in chaos.items() if mess <= _MAX_CHAOS]
    encodings += [e for e in _FALLBACK_ENCODINGS if e not in encodings]
    scored: list[tuple[int, float, str]] = []
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        scored.append((_implausibility(text), chaos.get(encoding, 1.0), text))
    if not scored:
        raise ReaderError(source, UNDETERMINED)
    scored.sort(key=lambda item: item[:2])
    best_score, best_chaos, best = scored[0]
    rivals = [t for score, mess, t in scored[1:] if (score, mess) == (best_score, best_chaos)]
    non_ascii = sum(1 for ch in best if ord(ch) > 127)
    if any(t != best for t in rivals) or best_score * 50 > non_ascii:
        raise ReaderError(source, UNDETERMINED)
    return best


def _document_encoding(name: str) -> bool:
    # Windows, ISO 8859 and KOI8 code pages; DOS and old Mac code pages are rare in
    # documents and their box-drawing and accented letters make false readings likely.
    return name.startswith(("cp125", "iso8859", "latin", "koi8"))


_FALLBACK_ENCODINGS = ("cp1252", "cp1251", "cp1250")
# Non-ASCII characters common in news text in the languages whose legacy code pages are
# widespread: Western and Central European Latin letters, Cyrillic, Greek, typography.
_PLAUSIBLE = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœŒ"
    "ąćęłńśźżĄĆĘŁŃŚŹŻčďěňřšťůžČĎĚŇŘŠŤŮŽőűŐŰğışĞİŞăîșțşţĂÎȘȚŞŢ"
    "¡¿«»°£€§©®±·½¼¾ºª\xa0\xad–—‘’‚“”„†‡•…‰‹›™№"
)
_CYRILLIC_OR_GREEK = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"\w+")


def _implausibility(text: str) -> int:
    odd = sum(
        1
        for ch in text
        if ord(ch) > 127 and ch not in _PLAUSIBLE and not _CYRILLIC_OR_GREEK.match(ch)
    )
    mixed = sum(
        1
        for word in _WORD.findall(text)
        if _CYRILLIC_OR_GREEK.search(word) and _LATIN_LETTER.search(word)
    )
    return odd + mixed
