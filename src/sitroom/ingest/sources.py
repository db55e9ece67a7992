"""Expand ``sitroom ingest SOURCE...`` into a stream of raw documents.

Sources: files (``.html``, ``.htm``, ``.html.gz``, ``.txt``, ``.jsonl``, ``.rss``/``.atom``/``.xml``
feeds), folders (recursively, in sorted order), ``-`` (JSONL on stdin), ``http(s)://`` URLs
(a page or an RSS/Atom feed). Everything is a generator: a JSONL file or feed of any
length is read line by line / entry by entry, so memory stays flat.

A bad item never stops the stream: it is yielded as a :class:`Rejection` naming the item
and the reason, and the caller stores it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

from sitroom.errors import InputError, SourceError, describe_failure
from sitroom.ingest.decode import gunzip_bytes
from sitroom.ingest.feeds import FEED_SUFFIXES, FeedEntry, looks_like_feed, parse_feed
from sitroom.ingest.fetch import Fetched, FetchPolicy, fetch
from sitroom.models import RawDocument, Rejection, SourceHints, sha256_hex

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
TEXT_SUFFIXES = (".txt", ".txt.gz")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz")
KNOWN_SUFFIXES = HTML_SUFFIXES + TEXT_SUFFIXES + JSONL_SUFFIXES + FEED_SUFFIXES

Item = RawDocument | Rejection
DocKind = Literal["html", "text"]
Fetcher = Callable[[str, FetchPolicy], Fetched]


@dataclass(frozen=True)
class SourceOptions:
    policy: FetchPolicy
    fetcher: Fetcher = fetch


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def reject(origin: str, error: InputError, data: bytes | None = None) -> Rejection:
    return Rejection(
        origin=origin,
        reason=error.message,
        code=error.code,
        captured_at=now_utc(),
        raw_sha256=sha256_hex(data) if data is not None else None,
    )


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in sorted(KNOWN_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def iter_sources(
    sources: Iterable[str], options: SourceOptions, stdin: IO[bytes] | None = None
) -> Iterator[Item]:
    """Yield a raw document or a rejection for every item the sources hold.

    Raises :class:`SourceError` only when ``-`` is given without a standard input.
    """
    for source in sources:
        if source == "-":
            if stdin is None:
                raise SourceError("'-' given but no standard input is available")
            lines = read_bounded_lines(stdin, options.policy.max_bytes)
            yield from _guarded("stdin", _iter_jsonl_lines(lines, "stdin", options))
        elif source.startswith(("http://", "https://")):
            yield from _guarded(source, _iter_url(source, options))
        else:
            path = Path(source).absolute()
            if not path.exists():
                yield reject(source, InputError(f"{source}: no such file or folder", code="missing"))
            elif path.is_dir():
                for child in folder_files(path):
                    yield from _guarded(str(child), _iter_file(child, options))
            else:
                yield from _guarded(str(path), _iter_file(path, options))


def _guarded(origin: str, items: Iterator[Item]) -> Iterator[Item]:
    """``items``; should reading them raise unexpectedly (a bug in a parser on some odd input),
    a rejection of ``origin`` with code ``acquire-failed`` instead, and the next source is read."""
    try:
        yield from items
    except Exception as exc:
        reason = f"{origin}: reading failed ({describe_failure(exc)}); please report it with the input"
        yield Rejection(origin, reason, "acquire-failed", now_utc())


def folder_files(path: Path) -> list[Path]:
    """The files of a folder (its subfolders too) that ingest reads, in the order it reads them."""
    return sorted(p for p in path.rglob("*") if p.is_file() and _suffix(p) in KNOWN_SUFFIXES)


def count_items(sources: Iterable[str], max_bytes: int) -> int | None:
    """How many items :func:`iter_sources` yields for ``sources`` (a progress bar's total):
    one a page or text file (or missing path), one a non-blank JSONL line. None where that is
    not known before reading: standard input, URLs, feeds (their entries), compressed JSONL."""
    total = 0
    for source in sources:
        if source == "-" or source.startswith(("http://", "https://")):
            return None
        path = Path(source)
        for file in folder_files(path) if path.is_dir() else [path]:
            suffix = _suffix(file)
            if suffix in FEED_SUFFIXES or suffix == ".jsonl.gz":
                return None
            if suffix in JSONL_SUFFIXES and file.is_file():
                with file.open("rb") as handle:
                    lines = read_bounded_lines(handle, max_bytes)
                    total += sum(1 for line in lines if isinstance(line, int) or line.strip()) or 1
            else:
                total += 1
    return total


def _iter_url(url: str, options: SourceOptions, hints: SourceHints | None = None) -> Iterator[Item]:
    try:
        got = options.fetcher(url, options.policy)
    except InputError as exc:
        yield reject(url, exc)
        return
    if looks_like_feed(got.data, got.content_type):
        yield from _iter_feed(got.data, got.url, options)
        return
    kind: DocKind = "text" if got.content_type == "text/plain" else "html"
    yield RawDocument(
        origin=url,
        data=got.data,
        captured_at=now_utc(),
        kind=kind,
        content_type=got.content_type,
        hints=hints or SourceHints(url=got.url),
    )


def _iter_feed(data: bytes, origin: str, options: SourceOptions) -> Iterator[Item]:
    try:
        _title, entries = parse_feed(data, origin)
    except InputError as exc:
        yield reject(origin, exc, data)
        return
    for index, entry in enumerate(entries, start=1):
        yield from iter_entry(entry, f"{origin}#entry{index}", options)


def iter_entry(entry: FeedEntry, origin: str, options: SourceOptions) -> Iterator[Item]:
    """The document of one feed entry: its inline HTML, else its page fetched (a rejection
    when that fails); nothing when it has neither."""
    if entry.inline_html is not None:
        yield RawDocument(
            origin=origin,
            data=entry.inline_html.encode("utf-8"),
            captured_at=now_utc(),
            kind="html",
            content_type="text/html",
            hints=entry.hints,
        )
    elif entry.link:
        yield from _iter_url(entry.link, options, hints=entry.hints)


def _read_file(path: Path, options: SourceOptions) -> bytes:
    size = path.stat().st_size
    cap = options.policy.max_bytes
    if size > cap:
        raise InputError(
            f"{path}: {size:,} bytes exceeds the {cap:,}-byte cap (setting max_bytes)", code="too-large"
        )
    data = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        data = gunzip_bytes(data, str(path), cap)
    return data


def _iter_file(path: Path, options: SourceOptions) -> Iterator[Item]:
    origin = str(path)
    suffix = _suffix(path)
    if suffix in JSONL_SUFFIXES:
        if suffix.endswith(".gz"):
            try:
                data = _read_file(path, options)
            except InputError as exc:
                yield reject(origin, exc)
                return
            yield from _iter_jsonl_lines(iter(data.splitlines(keepends=True)), origin, options)
            return
        try:
            size = path.stat().st_size
        except OSError as exc:
            yield reject(origin, InputError(f"{origin}: cannot read ({exc.strerror})", code="io"))
            return
        if size == 0:
            yield reject(origin, InputError(f"{origin}: empty file", code="empty"))
            return
        with path.open("rb") as handle:
            yield from _iter_jsonl_lines(
                read_bounded_lines(handle, options.policy.max_bytes), origin, options
            )
        return
    try:
        data = _read_file(path, options)
    except InputError as exc:
        yield reject(origin, exc)
        return
    except OSError as exc:
        yield reject(origin, InputError(f"{origin}: cannot read ({exc.strerror})", code="io"))
        return
    if suffix in FEED_SUFFIXES and looks_like_feed(data):
        yield from _iter_feed(data, origin, options)
        return
    if suffix in {".rss", ".atom"}:
        yield reject(
            origin,
            InputError(f"{origin}: not an RSS/Atom feed (no feed root element)", code="not-a-feed"),
            data,
        )
        return
    kind: DocKind = "text" if suffix in TEXT_SUFFIXES else "html"
    yield RawDocument(origin=origin, data=data, captured_at=now_utc(), kind=kind, hints=SourceHints())


def _str_or_none(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    return _without_surrogates(str(value)) if value not in (None, "") else None


def _without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (JSON's ``"\\ud800"`` escapes allow them, UTF-8 does
    not: the store could not write them) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


_SURROGATE = re.compile("[\ud800-\udfff]")
# Bytes read at a time while skipping the rest of an over-long JSONL line.
SKIP_CHUNK = 1024 * 1024


def read_bounded_lines(handle: IO[bytes], cap: int) -> Iterator[bytes | int]:
    """The lines of ``handle`` (newline kept), never holding more than ``cap`` + 1 bytes of
    one: a line longer than ``cap`` comes as its length in bytes, read past in chunks."""
    while line := handle.readline(cap + 1):
        if len(line) <= cap:
            yield line
            continue
        size = len(line)
        while not line.endswith(b"\n") and (line := handle.readline(min(cap + 1, SKIP_CHUNK))):
            size += len(line)
        yield size


def _iter_jsonl_lines(lines: Iterable[bytes | int], origin: str, options: SourceOptions) -> Iterator[Item]:
    """One item per JSONL line; ``lines`` gives an over-long line as its length in bytes
    (:func:`read_bounded_lines`)."""
    cap = options.policy.max_bytes
    for number, line in enumerate(lines, start=1):
        where = f"{origin}:{number}"
        size = line if isinstance(line, int) else len(line)
        if size > cap:
            message = f"{where}: line of {size:,} bytes exceeds the {cap:,}-byte cap (setting max_bytes)"
            yield reject(where, InputError(message, code="too-large"))
            continue
        assert isinstance(line, bytes)
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            yield reject(where, InputError(f"{where}: malformed JSON ({exc})", code="bad-json"), line)
            continue
        if not isinstance(record, dict):
            yield reject(where, InputError(f"{where}: expected a JSON object", code="bad-json"), line)
            continue
        hints = SourceHints(
            url=_str_or_none(record, "url"),
            outlet=_str_or_none(record, "outlet"),
            title=_str_or_none(record, "title"),
            published=_str_or_none(record, "published"),
            author=_str_or_none(record, "author"),
        )
        html, text = record.get("html"), record.get("text")
        kind: DocKind
        if isinstance(html, str) and html.strip():
            body, kind = _without_surrogates(html), "html"
        elif isinstance(text, str) and text.strip():
            body, kind = _without_surrogates(text), "text"
        elif hints.url and "html" not in record and "text" not in record:  # only a URL: fetch the page
            yield from _iter_url(hints.url, options, hints=hints)
            continue
        else:
            yield reject(
                where,
                InputError(f"{where}: needs a non-empty 'html' or 'text' string", code="bad-json"),
                line,
            )
            continue
        yield RawDocument(
            origin=where,
            data=body.encode("utf-8"),
            captured_at=now_utc(),
            kind=kind,
            content_type="text/html" if kind == "html" else "text/plain",
            hints=hints,
        )
