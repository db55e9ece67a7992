"""The model's ``attribute_ruler``, its patterns matched with array operations.

The stock ``attribute_ruler`` (the tag map: POS and morphology from the fine-grained tag,
and exceptions for pronouns, auxiliaries and contractions) runs spaCy's ``Matcher`` over
179 patterns, and the ``IN``/``NOT_IN``/``REGEX`` predicates of a dozen of them are Python
calls at every token: on the development machine (Intel Xeon, 2.1 GHz) it took 2.6 s of the
19.8 s that the selective parse of the 92 dev pages took, more than the parser.
:class:`CompiledAttributeRuler` matches each pattern over the whole Doc at once (``numpy``
comparisons of the TAG, LOWER, DEP and IS_SPACE columns; regular expressions asked once per
distinct word) and sets the attributes with spaCy's own ``set_token_attrs``, in the ruler's
order (a later pattern overrides an earlier one), once per token with the merged attributes.
The result is the stock component's (tested on the dev pages). A ruler whose patterns use
anything else (other attributes, operators, longer patterns) is not compiled: the caller
keeps the stock component.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import numpy
from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# Sentence Docs matched at once (the Doc of a few hundred sentences is a few thousand words).
BATCH_DOCS = 256
_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_ARRAY = [TAG, LOWER, DEP, IS_SPACE]
Test = tuple[int, str, Any]  # (column, "eq" / "in" / "not_in" / "regex", value)


class NotCompilable(ValueError):
    """A pattern uses what :class:`CompiledAttributeRuler` does not match."""


class CompiledAttributeRuler:
    """An ``AttributeRuler``'s patterns and attributes, matched with array operations."""

    def __init__(self, ruler: Any) -> None:
        strings = ruler.vocab.strings
        self._rules: list[tuple[list[list[list[Test]]], int, dict[int, int]]] = []
        for number, (attrs, index) in enumerate(zip(ruler.attrs, ruler.indices, strict=True)):
            patterns = ruler.matcher.get(strings[str(number)])[1]
            compiled = [[_compile_token(token, strings) for token in pattern] for pattern in patterns]
            if any(not pattern or not -len(pattern) <= index < len(pattern) for pattern in compiled):
                raise NotCompilable(f"pattern {number}: index {index} outside the pattern")
            self._rules.append((compiled, index, dict(attrs)))
        self._merged: dict[tuple[int, ...], dict[int, int]] = {}

    def pipe(self, docs: Iterable[Doc], batch_size: int = BATCH_DOCS) -> Iterator[Doc]:
        """Match a batch of Docs at once: the selective parse passes one sentence a Doc, and
        the array operations per pattern cost more than the Matcher over one sentence."""
        stream = iter(docs)
        while batch := list(islice(stream, batch_size)):
            self._apply(batch)
            yield from batch

    def _apply(self, docs: list[Doc]) -> None:
        sizes = [len(doc) for doc in docs]
        n = sum(sizes)
        if not n:
            return
        columns = (
            numpy.concatenate([doc.to_array(_ARRAY).reshape(-1, len(_ARRAY)) for doc in docs])
            .astype("uint64")
            .T
        )
        owner = numpy.repeat(numpy.arange(len(docs)), sizes)  # the Doc of each position
        strings = docs[0].vocab.strings
        lowers: dict[int, str] = {}
        hits: list[list[int]] = [[] for _ in range(n)]
        for number, (patterns, index, _attrs) in enumerate(self._rules):
            for pattern in patterns:
                size = len(pattern)
                if size > n:
                    continue
                starts = n - size + 1
                # a match lies within one Doc
                found = owner[:starts] == owner[size - 1 :]
                for offset, tests in enumerate(pattern):
                    for column, kind, value in tests:
                        found &= _test(
                            strings, columns[column][offset : offset + starts], kind, value, lowers
                        )
                for start in numpy.flatnonzero(found):
                    hits[int(start) + (index if index >= 0 else size + index)].append(number)
        firsts = numpy.cumsum([0, *sizes])
        for doc, first, size in zip(docs, firsts.tolist(), sizes, strict=False):
            for i in range(size):
                if numbers := hits[first + i]:
                    set_token_attrs(doc[i], self._attrs(tuple(sorted(numbers))))

    def _attrs(self, numbers: tuple[int, ...]) -> dict[int, int]:
        merged = self._merged.get(numbers)
        if merged is None:
            merged = {}
            for number in numbers:
                merged.update(self._rules[number][2])
            self._merged[numbers] = merged
        return merged


def _compile_token(token: dict[str, Any], strings: Any) -> list[Test]:
    tests: list[Test] = []
    for key, value in token.items():
        column = _COLUMNS.get(key)
        if column is None:
            raise NotCompilable(f"attribute {key!r}")
        if key == "IS_SPACE":
            if not isinstance(value, bool):
                raise NotCompilable("IS_SPACE takes true or false")
            tests.append((column, "eq", int(value)))
        elif isinstance(value, str):
            tests.append((column, "eq", strings.add(value)))
        elif isinstance(value, dict) and len(value) == 1:
            ((op, arg),) = value.items()
            if op in ("IN", "NOT_IN"):
                tests.append(
                    (column, op.lower(), numpy.array(sorted(strings.add(v) for v in arg), dtype="uint64"))
                )
            elif op == "REGEX" and key == "LOWER":
                tests.append((column, "regex", re.compile(arg)))
            else:
                raise NotCompilable(f"{key}: {op}")
        else:
            raise NotCompilable(f"{key}: {value!r}")
    return tests


def _test(
    strings: Any, column: numpy.ndarray, kind: str, value: Any, lowers: dict[int, str]
) -> numpy.ndarray:
    if kind == "eq":
        return column == numpy.uint64(value)
    if kind == "in":
        return numpy.isin(column, value)
    if kind == "not_in":
        return ~numpy.isin(column, value)
    # a regular expression, asked once per distinct lower-case form (as spaCy does: re.search)
    distinct = numpy.unique(column)
    matching = [key for key in distinct.tolist() if value.search(lowers.setdefault(key, strings[key]))]
    return numpy.isin(column, numpy.array(matching, dtype="uint64"))
