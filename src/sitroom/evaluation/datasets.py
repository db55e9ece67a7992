"""Where a stage's gold files are: found by format under ``--data``, whatever their names.

``--data`` is a folder, searched with its subfolders, or one file. Each stage declares the
:class:`DataFormat` of its gold files (a suffix and a cheap sniff of the file's beginning:
a TSV header holding the columns it reads, the keys of the first JSON record, an XML
element); :func:`find_data` returns every file of that format and fails with one line
naming the path and the format when there is none. Files a gold file names (an extraction
page, a pubdate page, a PolNeAR text) are looked up by name with :class:`Companions`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitroom.errors import EvalError

# Characters read to sniff a file: a JSON sniff decodes the first record whole, and the
# longest record of the dev gold files (an article-extraction page) has 266,213.
SNIFF_CHARS = 1024 * 1024
# Found files are listed by name in the first line printed up to this many, else counted.
LISTED_FILES = 3
_BRAT_LINE = re.compile(r"(?:[A-Z]\d+|#\d*|\*)\t")
_JSON_KEY = re.compile(r'\s*\{\s*"(?:[^"\\]|\\.)*"\s*:\s*')


@dataclass(frozen=True)
class DataFormat:
    """A kind of gold file: what it is called in messages, its suffixes and its sniff."""

    description: str
    suffixes: tuple[str, ...]
    sniff: Callable[[str], bool]
    layout: str  # the ../shared/data folder laid out this way, for messages

    def holds(self, path: Path) -> bool:
        """Whether ``path`` has one of the suffixes and its beginning passes the sniff."""
        if path.suffix.lower() not in self.suffixes:
            return False
        try:
            with path.open(encoding="utf-8", errors="replace", newline="") as handle:
                return self.sniff(handle.read(SNIFF_CHARS))
        except OSError:
            return False


def tsv_table(description: str, columns: Sequence[str], layout: str) -> DataFormat:
    """A tab-separated table whose header holds ``columns`` (in any order, among others)."""
    wanted = set(columns)

    def sniff(head: str) -> bool:
        return wanted <= set(head.partition("\n")[0].rstrip("\r").split("\t"))

    return DataFormat(description, (".tsv", ".tab"), sniff, layout)


def json_records(
    description: str, keys: Sequence[str], layout: str, *, keyed: bool = False, without: Sequence[str] = ()
) -> DataFormat:
    """JSON whose first record holds ``keys`` and none of ``without``.

    The first record is the file's first JSON value (a lone object, or the first line of
    JSON Lines); with ``keyed``, the first value of the object that opens the file (an
    object of id -> record).
    """

    def sniff(head: str) -> bool:
        start = len(head) - len(head.lstrip())
        if keyed:
            match = _JSON_KEY.match(head)
            if match is None:
                return False
            start = match.end()
        try:
            record, _ = json.JSONDecoder().raw_decode(head, start)
        except json.JSONDecodeError:
            return False
        return isinstance(record, dict) and set(keys) <= set(record) and not set(without) & set(record)

    return DataFormat(description, (".json", ".jsonl", ".ndjson"), sniff, layout)


def xml_element(description: str, tag: str, suffixes: tuple[str, ...], layout: str) -> DataFormat:
    """An XML file with a ``<tag>`` element near its beginning."""
    element = re.compile(rf"<{re.escape(tag)}[\s>]")
    return DataFormat(description, suffixes, lambda head: element.search(head) is not None, layout)


def brat_standoff(description: str, layout: str) -> DataFormat:
    """BRAT standoff annotations: ``.ann`` files whose lines start with an id and a tab, or empty."""
    return DataFormat(
        description, (".ann",), lambda head: not head or _BRAT_LINE.match(head) is not None, layout
    )


def find_data(data: Path, data_format: DataFormat) -> list[Path]:
    """Every file of ``data_format`` at ``data`` (a folder with its subfolders, or one file), sorted."""
    expected = f"{data_format.description}, laid out like ../shared/data/{data_format.layout}"
    if not data.exists():
        raise EvalError(f"{data} not found: --data takes a folder or a file holding {expected}")
    if data.is_file():
        if not data_format.holds(data):
            raise EvalError(f"{data} is not {expected}")
        return [data]
    found = sorted(path for path in data.rglob("*") if path.is_file() and data_format.holds(path))
    if not found:
        raise EvalError(f"{data}: no {expected}, in this folder or its subfolders")
    return found


def data_folder(data: Path) -> Path:
    """The folder of ``--data``: itself, or the given file's folder (where its companions are)."""
    return data if data.is_dir() else data.parent


def name_files(paths: Sequence[Path], data: Path) -> str:
    """The files read, for the first line a stage prints: their paths, or a count under ``data``."""
    if len(paths) <= LISTED_FILES:
        return ", ".join(str(path) for path in paths)
    return f"{len(paths)} files under {data}"


@dataclass(frozen=True)
class Companions:
    """The files under a data folder by name, for gold files that name the pages or texts they score."""

    root: Path
    by_name: dict[str, list[Path]]

    @classmethod
    def under(cls, data: Path) -> Companions:
        """Index the files under :func:`data_folder` of ``data``."""
        root = data_folder(data)
        by_name: dict[str, list[Path]] = {}
        for path in sorted(root.rglob("*")):
            if path.is_file():
                by_name.setdefault(path.name, []).append(path)
        return cls(root, by_name)

    def find(self, name: str, named_in: Path) -> Path:
        """The file called ``name`` nearest to ``named_in`` (the gold file naming it)."""
        paths = self.by_name.get(name)
        if not paths:
            raise EvalError(
                f"{name} (named in {named_in}) not found under {self.root}: put it in the data folder"
            )
        return max(paths, key=lambda path: _shared_parts(path, named_in))


def _shared_parts(path: Path, other: Path) -> int:
    shared = 0
    for mine, theirs in zip(path.parts, other.parts, strict=False):
        if mine != theirs:
            break
        shared += 1
    return shared


def files_sha256(paths: Sequence[Path]) -> str:
    """The SHA-256 of the files' bytes, in order: what a trained model records of its data."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_json(path: Path) -> Any:
    """A whole JSON file, or an EvalError naming it."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvalError(f"{path}: cannot read it as JSON ({exc})") from exc
