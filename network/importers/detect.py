"""From uploaded bytes to text, and from text to a format — by content, not by file name."""

import codecs
import re

from network.importers import MAX_BYTES
from network.importers.errors import (
    BINARY,
    BINARY_KIND,
    EMPTY,
    MIXED_ENCODING,
    TOO_LARGE,
    UNKNOWN_FORMAT,
    UTF16_BROKEN,
    ZIP_ARCHIVE,
    ImportRejected,
)
from network.models import Source

# Magic numbers of files people pick by mistake instead of their contacts export.
_MAGIC = (
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"%PDF", "PDF"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7-Zip"),
    (b"\xd0\xcf\x11\xe0", "Office"),
    (b"SQLite format 3", "SQLite"),
    (b"\x7fELF", "ELF"),
)
# A well-formed UTF-8 multi-byte sequence: seen in a file that is not UTF-8 throughout, it
# tells a damaged UTF-8 file from a genuine Latin-1 one.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s*")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252/Latin-1; binary refused."""
    if len(data) > MAX_BYTES:
        raise ImportRejected(TOO_LARGE, max_mb=MAX_BYTES // (1024 * 1024))
    # isspace() rather than strip(): no copy of a file that may be 5 MB.
    if not data or data.isspace():
        raise ImportRejected(EMPTY)
    if data.startswith(b"PK\x03\x04"):
        raise ImportRejected(ZIP_ARCHIVE)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise ImportRejected(BINARY_KIND, kind=kind)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Outlook's and Excel's "Unicode text", and Google's older CSV export.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportRejected(UTF16_BROKEN) from None
    elif b"\x00" in data:
        raise ImportRejected(BINARY)
    else:
        text = _decode_8bit(data)
    text = text.removeprefix("\ufeff")
    if not text or text.isspace():
        raise ImportRejected(EMPTY)
    sample = text[:65536]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):  # a stray control character is no proof
        raise ImportRejected(BINARY)
    return text


def _decode_8bit(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if data.startswith(codecs.BOM_UTF8) or _UTF8_SEQUENCE.search(data):
            line = data.count(b"\n", 0, error.start) + 1
            raise ImportRejected(MIXED_ENCODING, line=line) from None
    try:
        return data.decode("cp1252")  # what Windows and old phones call "ANSI" or Latin-1
    except UnicodeDecodeError:
        return data.decode("latin-1")  # the five bytes cp1252 leaves undefined


def detect_format(text: str) -> Source:
    """vCard when the first text is BEGIN:VCARD; else the CSV whose header we recognise."""
    from network.importers.csv_formats import find_header

    first = _SPACES.match(text).end()  # not text.lstrip(): that copies the whole file
    head = text[first : first + 11].upper()
    if head == "BEGIN:VCARD":
        return Source.VCARD
    found = find_header(text)
    if found is None:
        raise ImportRejected(UNKNOWN_FORMAT)
    return found.source
