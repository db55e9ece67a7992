"""Bytes to text: binary refusal, gzip safety, charset detection."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from sitroom.errors import DecodeError
from sitroom.ingest.decode import decode_bytes, detect_binary, gunzip_bytes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
FRENCH = "Les secours évacuent le quartier après l'incendie « à deux heures »"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (gzip.compress(b"<html><body>compressed</body></html>"), "gzip"),
        (b"<html>" + b"\x00" * 40 + b"</html>", "NUL"),
        (bytes(range(1, 9)) * 200, "control"),
    ],
)
def test_binary_data_is_refused_with_the_item_and_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError) as caught:
        decode_bytes(data, "inbox/report.html")
    assert caught.value.code == "binary"
    assert caught.value.message.startswith("inbox/report.html: ")
    assert reason in caught.value.message
    assert "\n" not in caught.value.message


def test_text_with_one_stray_nul_byte_is_accepted() -> None:
    data = b"<p>" + b"word " * 2000 + b"\x00</p>"
    assert detect_binary(data) is None
    assert "\x00" not in decode_bytes(data, "page.html")


def test_latin1_page_without_a_declaration_is_detected() -> None:
    text = decode_bytes((FIXTURES / "latin1-no-charset.html").read_bytes(), "latin1.html")
    assert "évacuent" in text and "préfecture" in text and "« Nous" in text
    assert "Ã" not in text  # no mojibake


def test_declared_charset_from_meta_and_from_content_type() -> None:
    data = f"<html><head><meta charset='windows-1252'></head><body>{FRENCH}</body></html>".encode("cp1252")
    assert FRENCH in decode_bytes(data, "a.html")
    bare = f"<p>{FRENCH}</p>".encode("cp1252")
    assert FRENCH in decode_bytes(bare, "b.html", content_type="text/html; charset=ISO-8859-1")


def test_http_equiv_declaration_is_read() -> None:
    text = "Привет, мир: новости дня"
    data = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r"></head>'
        f"<body>{text}</body></html>"
    ).encode("koi8-r")
    assert text in decode_bytes(data, "ru.html")


def test_utf8_page_mislabelled_as_latin1_is_read_as_utf8() -> None:
    data = f'<meta charset="iso-8859-1"><p>{FRENCH}</p>'.encode()
    assert FRENCH in decode_bytes(data, "wrong-label.html")


def test_latin1_page_mislabelled_as_utf8_does_not_crash() -> None:
    data = f'<meta charset="utf-8"><p>{FRENCH} {FRENCH}</p>'.encode("cp1252")
    text = decode_bytes(data, "wrong-label.html")
    assert "évacuent" in text


def test_utf8_with_a_cut_character_keeps_the_rest() -> None:
    data = ("Ελληνικά νέα " * 20).encode() + "é".encode()[:1]
    text = decode_bytes(data, "cut.txt")
    assert text.startswith("Ελληνικά νέα")


@pytest.mark.parametrize(("bom", "codec"), [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le")])
def test_byte_order_mark_wins(bom: bytes, codec: str) -> None:
    assert decode_bytes(bom + FRENCH.encode(codec), "bom.txt") == FRENCH


def test_gunzip_round_trip_and_several_members() -> None:
    data = gzip.compress(b"<html>one</html>") + gzip.compress(b"<p>two</p>")
    assert gunzip_bytes(data, "page.html.gz", 1000) == b"<html>one</html><p>two</p>"


def test_truncated_gzip_is_refused() -> None:
    data = gzip.compress(b"<html><body>" + b"news " * 5000 + b"</body></html>")
    with pytest.raises(DecodeError) as caught:
        gunzip_bytes(data[: len(data) // 2], "feed/page.html.gz", 10**6)
    assert caught.value.code == "gzip"
    assert "feed/page.html.gz" in caught.value.message and "truncated" in caught.value.message


def test_corrupt_gzip_is_refused() -> None:
    data = bytearray(gzip.compress(b"<html>" * 100))
    data[12:20] = b"garbage!"
    with pytest.raises(DecodeError) as caught:
        gunzip_bytes(bytes(data), "bad.html.gz", 10**6)
    assert caught.value.code == "gzip"


def test_gzip_bomb_stops_at_the_size_cap() -> None:
    data = gzip.compress(b"\x20" * 5_000_000)
    with pytest.raises(DecodeError) as caught:
        gunzip_bytes(data, "bomb.html.gz", 1_000_000)
    assert caught.value.code == "too-large"
