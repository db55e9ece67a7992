"""Event size: dead, injured, displaced and arrested as conservative ranges with the original words.

Conventions (ACLED's, for vague counts): "dozens" -> at least 12, "hundreds" -> at least 100,
"thousands" -> at least 1,000, "scores" -> at least 20 (a score is 20), "several" -> at least 3,
"multiple"/"a number of"/"some"/"a few" -> at least 2. Qualifiers: "at least N" and "N or more"
-> min N; "more than/over N" -> min N + 1; "up to/nearly/almost/fewer than N" -> max only
(no minimum is claimed); "about/around/some/roughly N" -> min = max = N, the words kept.
The text of every count is kept verbatim in ``Count.text``. The words (numbers, vague
quantities, what happened to the people) are the rule table ``sitroom/data/size_words.tsv``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sitroom.models import Count, Size

if TYPE_CHECKING:
    from sitroom.rules import Row

# Qualifiers of a count; their meaning is :func:`to_count`'s.
_QUAL = r"at\s+least|more\s+than|over|nearly|almost|about|around|roughly|some|up\s+to|as\s+many\s+as|fewer\s+than|less\s+than|approximately|an\s+estimated"
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s(?:million|thousand))?"
_NOUN_GAP = r"(?:[\w'’-]+\s+){0,5}?"
_BE = r"(?:(?:were|was|have\s+been|had\s+been|are|is|being|reportedly|been|also|later)\s+){0,3}"
KINDS = ("dead", "injured", "displaced", "arrested")
SIZE_LISTS = ("number", "scale", "vague", "victim", "verb", "not_people")


@dataclass(frozen=True, eq=False)
class SizeWords:
    """The words of ``sitroom/data/size_words.tsv`` and the patterns built from them."""

    units: Mapping[str, int]
    scales: Mapping[str, int]
    vague_min: Mapping[str, int]
    before: Mapping[str, re.Pattern[str]]  # kind -> "seven civilians were killed"
    after: Mapping[str, re.Pattern[str]]  # kind -> "killing seven"
    toll: re.Pattern[str]  # "the death toll rose to 9"
    not_people: re.Pattern[str]  # "40 km", "28 trucks"


def parse_size_words(rows: Sequence[Row]) -> SizeWords:
    """Build :class:`SizeWords` from the rows of ``size_words.tsv`` (a user's number, scale or
    vague word replaces the shipped one; patterns add to their kind, tried in the table's order)."""
    values: dict[str, dict[str, int]] = {"number": {}, "scale": {}, "vague": {}}
    patterns: dict[str, dict[str, list[str]]] = {"victim": {}, "verb": {}, "not_people": {}}
    for row in rows:
        name, word, value = row.cells
        if name not in SIZE_LISTS or not word:
            raise row.error(f"unknown list {name!r} or no word; lists: {', '.join(SIZE_LISTS)}")
        if name in values:
            if not value.isdigit():
                raise row.error(f"{word!r}: a {name} word needs a whole number as its value, not {value!r}")
            values[name][word.lower()] = int(value)
            continue
        if (name == "not_people") == bool(value) or (value and value not in KINDS):
            raise row.error(
                f"{word!r}: victim and verb rows need a kind ({', '.join(KINDS)}), not_people rows none"
            )
        try:
            re.compile(word)
        except re.error as exc:
            raise row.error(f"{word!r} is not a regular expression: {exc}") from exc
        patterns[name].setdefault(value, []).append(word)
    units, scales, vague = values["number"], values["scale"], values["vague"]
    unit_words = "|".join(sorted(units, key=len, reverse=True))
    tens_units = "|".join(k for k in units if k not in {"a", "an"})
    word_number = rf"(?:(?:{unit_words})(?:[\s-](?:{tens_units}))?(?:\s(?:{'|'.join(scales)}))?)"
    vague_words = "|".join(re.escape(v) for v in sorted(vague, key=len, reverse=True))
    number = rf"(?:(?P<qual>{_QUAL})\s+)?(?P<num>{_DIGITS}|{vague_words}|{word_number})(?:\s+of)?(?P<ormore>\s+or\s+more)?"
    victims, verbs = patterns["victim"], patterns["verb"]
    return SizeWords(
        units=units,
        scales=scales,
        vague_min=vague,
        before={
            k: re.compile(rf"\b{number}\s+{_NOUN_GAP}{_BE}(?:{'|'.join(victims.get(k, ['(?!)']))})\b", re.I)
            for k in KINDS
        },
        after={k: re.compile(rf"\b(?:{'|'.join(verbs.get(k, ['(?!)']))})\s+{number}\b", re.I) for k in KINDS},
        toll=re.compile(rf"\bdeath\s+toll\s+(?:\w+\s+){{0,3}}?(?:to|of|at)\s+{number}\b", re.I),
        not_people=re.compile(rf"^(?:{'|'.join(patterns['not_people'].get('', ['(?!)']))})\b", re.I),
    )


def parse_number(words: str, size_words: SizeWords) -> tuple[int | None, bool]:
    """A number from digits or words: (value, vague)."""
    text = re.sub(r"\s+", " ", words.strip().lower()).removesuffix(" of")
    if text in size_words.vague_min:
        return size_words.vague_min[text], True
    digits = text.replace(",", "")
    factor = 1
    for scale, value in size_words.scales.items():
        if digits.endswith(" " + scale):
            digits, factor = digits[: -len(scale) - 1], value
    try:
        return int(float(digits) * factor), False
    except ValueError:
        pass
    total = current = 0
    for part in re.split(r"[\s-]+", text):
        if part in size_words.units:
            current += size_words.units[part]
        elif part in size_words.scales:
            current = max(current, 1) * size_words.scales[part]
            if size_words.scales[part] >= 1000:
                total, current = total + current, 0
        else:
            return None, False
    return (total + current) or None, False


def to_count(
    qualifier: str | None, number: str, or_more: bool, text: str, size_words: SizeWords
) -> Count | None:
    value, vague = parse_number(number, size_words)
    if value is None:
        return None
    qual = re.sub(r"\s+", " ", (qualifier or "").lower())
    if vague or or_more or qual in {"at least", "as many as"}:
        return (
            Count(min=value, max=None, text=text)
            if qual != "as many as"
            else Count(min=None, max=value, text=text)
        )
    if qual in {"more than", "over"}:
        return Count(min=value + 1, max=None, text=text)
    if qual in {"nearly", "almost", "up to", "fewer than", "less than"}:
        return Count(min=None, max=value if qual not in {"fewer than", "less than"} else value - 1, text=text)
    return Count(min=value, max=value, text=text)


def _conservative(a: Count | None, b: Count) -> Count:
    """Keep the count with the larger minimum (e.g. an updated toll in the same sentence)."""
    if a is None or (b.min or 0) > (a.min or 0):
        return b
    return a


def find_size(sentence: str, size_words: SizeWords) -> Size:
    """Counts of dead, injured, displaced and arrested people stated in one sentence, by the
    size words (:attr:`sitroom.rules.Rules.size_words`)."""
    size = Size()
    for kind in KINDS:
        found: Count | None = None
        patterns = [size_words.before[kind], size_words.after[kind]] + (
            [size_words.toll] if kind == "dead" else []
        )
        for pattern in patterns:
            for match in pattern.finditer(sentence):
                if size_words.not_people.match(sentence[match.end("num") :].lstrip()):
                    continue
                count = to_count(
                    match.group("qual"),
                    match.group("num"),
                    bool(match.group("ormore")),
                    match.group(0),
                    size_words,
                )
                if count is not None:
                    found = _conservative(found, count)
        if found is not None:
            size = replace(size, **{kind: found})
    return size
