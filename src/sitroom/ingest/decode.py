"""Bytes to text: refuse binary data, undo gzip safely, find the right character set.

Every failure raises :class:`~sitroom.errors.DecodeError` with a one-line message that
names the item and the reason, and one of these codes (stored with the rejection):

``binary``     the bytes are a known binary format or look like one (NUL or control bytes)
``gzip``       a truncated or corrupt gzip stream
``too-large``  the decompressed size passes the caller's cap

Decoding itself never fails on a wrong or missing declaration: the declared charsets are
tried in the order of the HTML standard (byte order mark, transport ``Content-Type``, then
``<meta charset>`` / ``http-equiv``), then UTF-8, then UTF-8 with replacement characters when
the bytes are mostly valid UTF-8 (a page that declares UTF-8 needs fewer valid characters for
that), then charset-normalizer's guess, and at the very end UTF-8 with replacement characters.
"""

from __future__ import annotations

import codecs
import functools
import re
import zlib

import charset_normalizer

from sitroom.errors import DecodeError

# Leading bytes of formats that are never a news page. Gzip is here too: a compressed
# page must be opened with gunzip_bytes first, so finding one at this point is an error.
MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data (left compressed)"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"(\xb5/\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"\x00asm", "a WebAssembly module"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 audio file"),
    (b"fLaC", "a FLAC audio file"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
RIFF_MAGIC = b"RIFF"  # WAV, AVI, WebP: "RIFF" + size + kind
MP4_MAGIC = b"ftyp"  # ISO media (MP4, MOV, HEIC) at offset 4

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# How much of the start is inspected for binary content and for a <meta> declaration.
# The HTML standard's prescan reads 1024 bytes; real pages put the declaration after long
# inline scripts, so we look further.
SNIFF_BYTES = 64 * 1024
META_SCAN_BYTES = 16 * 1024
# Share of control bytes (not tab, newline, carriage return, form feed, escape) above which
# data is not text. Calibrated on the dev pages of article-extraction and pubdate (all 0.0)
# against images and archives (well above 0.1).
MAX_CONTROL_SHARE = 0.02
# Text never holds NUL bytes, but a stray one in a saved page is a glitch, not a format:
# more than one in a thousand bytes is binary (UTF-16 without a BOM, images, archives).
MAX_NUL_SHARE = 0.001

# A page that is valid UTF-8 but for a few broken sequences is UTF-8: guessing another
# charset would garble every correct character to mend a few. This many well-formed
# non-ASCII characters per broken one is taken as "a few" (a cp1252 page has almost none).
UTF8_GOOD_PER_BAD = 10
# A page that declares UTF-8 is taken at its word when it is mostly valid UTF-8: at least this
# many well-formed non-ASCII characters per broken sequence (a cp1252 page mislabelled UTF-8
# has almost none; guessing a code page for the whole page garbles every "é" to mend a few
# stray bytes).
UTF8_DECLARED_GOOD_PER_BAD = 1

# Control characters that XML, and so lxml, refuses in text (it raises on them): a page never
# needs them. Vertical tab and form feed are whitespace and become spaces; the rest go.
_XML_INCOMPATIBLE: dict[int, str | None] = {
    **dict.fromkeys(range(0x00, 0x09)),
    **dict.fromkeys((0x0B, 0x0C), " "),
    **dict.fromkeys(range(0x0E, 0x20)),
}
_CONTROL_BYTES = bytes(b for b in range(1, 32) if b not in b"\t\n\r\x0c\x1b") + b"\x7f"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)

# The HTML standard decodes these labels with the superset codec; browsers do too,
# so pages written for browsers rely on it.
_WHATWG_SUPERSETS = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}
_GZIP_CHUNK = 64 * 1024
_HIGH_BYTES = bytes(range(128, 256))


def detect_binary(data: bytes) -> str | None:
    """Why ``data`` is not text (a short phrase), or None when it may be text."""
    for magic, what in MAGIC_NUMBERS:
        if data.startswith(magic):
            return f"it is {what}"
    if data[:4] == RIFF_MAGIC and len(data) >= 12:
        return "it is a RIFF media file"
    if data[4:8] == MP4_MAGIC:
        return "it is an ISO media file (MP4/MOV)"
    sample = data[:SNIFF_BYTES]
    if not sample or _find_bom(sample):
        return None
    nuls = sample.count(b"\x00")
    if nuls > MAX_NUL_SHARE * len(sample):
        return f"it contains NUL bytes ({nuls} in the first {len(sample)})"
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls / len(sample) > MAX_CONTROL_SHARE:
        return f"{controls / len(sample):.0%} of its first bytes are control characters"
    return None


def decode_bytes(data: bytes, origin: str, content_type: str | None = None) -> str:
    """Decode a document's bytes to text, refusing binary data.

    ``content_type`` is the transport's header value (``text/html; charset=...``) when
    there is one. Raises :class:`DecodeError` (code ``binary``) for binary data; a wrong
    or missing charset declaration never raises.
    """
    reason = detect_binary(data)
    if reason is not None:
        raise DecodeError(f"{origin}: not a text document: {reason}", code="binary")
    return _decode_text(data, content_type).translate(_XML_INCOMPATIBLE)


def _decode_text(data: bytes, content_type: str | None) -> str:
    bom = _find_bom(data)
    if bom is not None:
        return data[len(bom[0]) :].decode(bom[1], errors="replace")
    declared = _declared_encodings(data, content_type)
    for encoding in declared:
        text = _try_decode(data, encoding)
        if text is not None:
            return text
    text = _try_decode(data, "utf-8")
    if text is not None:
        return text
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = len(lenient) - len(lenient.encode("ascii", "ignore")) - bad
    per_bad = UTF8_DECLARED_GOOD_PER_BAD if "utf-8" in declared else UTF8_GOOD_PER_BAD
    if good >= per_bad * bad:
        return lenient  # UTF-8 with a few broken sequences (a cut multi-byte character ...)
    best = charset_normalizer.from_bytes(data[: SNIFF_BYTES * 4]).best()
    if best is not None:
        return data.decode(best.encoding, errors="replace")
    return data.decode("utf-8", errors="replace")


def gunzip_bytes(data: bytes, origin: str, max_bytes: int) -> bytes:
    """Decompress gzip ``data`` (several members allowed) without passing ``max_bytes``.

    Raises :class:`DecodeError` with code ``gzip`` for a truncated or corrupt stream and
    ``too-large`` when the decompressed size would pass ``max_bytes``.
    """
    out: list[bytes] = []
    size = 0
    rest = data
    while rest:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        chunk_in = rest
        try:
            while chunk_in:
                piece = inflater.decompress(chunk_in, _GZIP_CHUNK)
                size += len(piece)
                if size > max_bytes:
                    raise DecodeError(
                        f"{origin}: decompressed size passes the limit of {max_bytes} bytes", code="too-large"
                    )
                out.append(piece)
                chunk_in = inflater.unconsumed_tail
            if not inflater.eof:
                raise DecodeError(f"{origin}: truncated gzip stream (the file ends early)", code="gzip")
        except zlib.error as err:
            raise DecodeError(f"{origin}: corrupt gzip data ({err})", code="gzip") from err
        rest = inflater.unused_data.lstrip(b"\x00")  # some writers pad members with NULs
    return b"".join(out)


def _find_bom(data: bytes) -> tuple[bytes, str] | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return bom, encoding
    return None


def _declared_encodings(data: bytes, content_type: str | None) -> list[str]:
    """Codec names declared by the transport and by the page, known codecs only, in order."""
    labels: list[str] = []
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match:
            labels.append(match.group(1))
    labels.extend(m.decode("ascii", "replace") for m in _META_CHARSET.findall(data[:META_SCAN_BYTES]))
    encodings: list[str] = []
    for label in labels:
        encoding = _normalise_encoding(label)
        if encoding and encoding not in encodings:
            encodings.append(encoding)
    return encodings


def _normalise_encoding(label: str) -> str | None:
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return None  # without a BOM such a declaration is a copy-paste from a template
    return _WHATWG_SUPERSETS.get(name, name)


def _try_decode(data: bytes, encoding: str) -> str | None:
    """Strict decode; a single-byte declaration loses to valid non-ASCII UTF-8.

    Any byte string decodes in a single-byte charset, so a page declaring ``latin-1`` that
    is really UTF-8 would turn into mojibake; text in a single-byte charset is almost never
    valid UTF-8 by accident.
    """
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    if encoding != "utf-8" and _is_single_byte(encoding) and not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return text
    return text


@functools.lru_cache(maxsize=64)
def _is_single_byte(encoding: str) -> bool:
    """True for codecs that map each byte to one character (cp1252, koi8-r ...)."""
    return len(_HIGH_BYTES.decode(encoding, errors="replace")) == len(_HIGH_BYTES)
