"""Event size: dead, injured, displaced and arrested as conservative ranges with the original words.

Conventions (ACLED's, for vague counts): "dozens" -> at least 12, "hundreds" -> at least 100,
"thousands" -> at least 1,000, "scores" -> at least 20 (a score is 20), "several" -> at least 3,
"multiple"/"a number of"/"some"/"a few" -> at least 2. Qualifiers: "at least N" and "N or more"
-> min N; "more than/over N" -> min N + 1; "up to/nearly/almost/fewer than N" -> max only
(no minimum is claimed); "about/around/some/roughly N" -> min = max = N, the words kept.
The text of every count is kept verbatim in ``Count.text``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sitroom.models import Count, Size

UNITS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
# Vague quantities: conservative minimums (ACLED's convention where it has one).
VAGUE_MIN = {
    "dozens": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1_000,
    "tens of thousands": 10_000,
    "hundreds of thousands": 100_000,
    "millions": 1_000_000,
    "several": 3,
    "multiple": 2,
    "many": 2,
    "numerous": 2,
    "a number of": 2,
    "a few": 2,
    "few": 2,
    "some": 2,
    "a dozen": 12,
    "dozen": 12,
    "a handful of": 2,
}

_UNIT_WORDS = "|".join(sorted(UNITS, key=len, reverse=True))
_TENS_UNITS = "|".join(k for k in UNITS if k not in {"a", "an"})
_SCALE_WORDS = "|".join(SCALES)
_WORD_NUMBER = rf"(?:(?:{_UNIT_WORDS})(?:[\s-](?:{_TENS_UNITS}))?(?:\s(?:{_SCALE_WORDS}))?)"
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s(?:million|thousand))?"
_VAGUE = "|".join(re.escape(v) for v in sorted(VAGUE_MIN, key=len, reverse=True))
_QUAL = r"at\s+least|more\s+than|over|nearly|almost|about|around|roughly|some|up\s+to|as\s+many\s+as|fewer\s+than|less\s+than|approximately|an\s+estimated"
NUMBER = (
    rf"(?:(?P<qual>{_QUAL})\s+)?(?P<num>{_DIGITS}|{_VAGUE}|{_WORD_NUMBER})(?:\s+of)?(?P<ormore>\s+or\s+more)?"
)

KIND_WORDS = {
    "dead": r"killed|dead|died|deaths?|fatalities|lost\s+their\s+lives|slain|massacred|executed|bodies",
    "injured": r"injured|wounded|hurt|injuries|casualties",
    "displaced": r"displaced|fled(?:\s+their\s+homes)?|forced\s+(?:to\s+flee|from\s+their\s+homes)|uprooted|homeless",
    "arrested": r"arrested|detained|rounded\s+up|taken\s+into\s+custody|abducted|kidnapped|captured|held",
}
_NOUN_GAP = r"(?:[\w'’-]+\s+){0,5}?"
_BE = r"(?:(?:were|was|have\s+been|had\s+been|are|is|being|reportedly|been|also|later)\s+){0,3}"

# "seven civilians were killed", "12 dead", "at least 40 people have been displaced"
_PATTERNS_BEFORE = {
    k: re.compile(rf"\b{NUMBER}\s+{_NOUN_GAP}{_BE}(?:{w})\b", re.I) for k, w in KIND_WORDS.items()
}
# "killing seven", "killed multiple Syrian security personnel", "arrested dozens of people"
_VERB_FIRST = {
    "dead": r"killing|killed|kills|kill",
    "injured": r"injuring|wounding|injured|wounded|injures|wounds",
    "displaced": r"displacing|displaced|displaces",
    "arrested": r"arresting|arrested|detaining|detained|abducting|abducted|kidnapped|arrests|detains",
}
_PATTERNS_AFTER = {k: re.compile(rf"\b(?:{v})\s+{NUMBER}\b", re.I) for k, v in _VERB_FIRST.items()}
# "the death toll rose to 9", "death toll of at least 30"
_TOLL = re.compile(rf"\bdeath\s+toll\s+(?:\w+\s+){{0,3}}?(?:to|of|at)\s+{NUMBER}\b", re.I)
_NOT_PEOPLE = re.compile(
    r"^(?:years?|months?|weeks?|days?|hours?|minutes?|km|kilometers?|kilometres?|miles?|percent|per\s+cent|%|tons?|trucks?|rockets?|missiles?|drones?|shells?|buildings?|homes|houses|vehicles?)\b",
    re.I,
)


def parse_number(words: str) -> tuple[int | None, bool]:
    """A number from digits or words: (value, vague)."""
    text = re.sub(r"\s+", " ", words.strip().lower()).removesuffix(" of")
    if text in VAGUE_MIN:
        return VAGUE_MIN[text], True
    digits = text.replace(",", "")
    factor = 1
    for scale, value in SCALES.items():
        if digits.endswith(" " + scale):
            digits, factor = digits[: -len(scale) - 1], value
    try:
        return int(float(digits) * factor), False
    except ValueError:
        pass
    total = current = 0
    for part in re.split(r"[\s-]+", text):
        if part in UNITS:
            current += UNITS[part]
        elif part in SCALES:
            current = max(current, 1) * SCALES[part]
            if SCALES[part] >= 1000:
                total, current = total + current, 0
        else:
            return None, False
    return (total + current) or None, False


def to_count(qualifier: str | None, number: str, or_more: bool, text: str) -> Count | None:
    value, vague = parse_number(number)
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


def find_size(sentence: str) -> Size:
    """Counts of dead, injured, displaced and arrested people stated in one sentence."""
    size = Size()
    for kind in KIND_WORDS:
        found: Count | None = None
        patterns = [_PATTERNS_BEFORE[kind], _PATTERNS_AFTER[kind]] + ([_TOLL] if kind == "dead" else [])
        for pattern in patterns:
            for match in pattern.finditer(sentence):
                if _NOT_PEOPLE.match(sentence[match.end("num") :].lstrip()):
                    continue
                count = to_count(
                    match.group("qual"), match.group("num"), bool(match.group("ormore")), match.group(0)
                )
                if count is not None:
                    found = _conservative(found, count)
        if found is not None:
            size = replace(size, **{kind: found})
    return size
