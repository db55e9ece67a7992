"""Recognising time expressions in English news text with regular expressions.

:func:`scan_timexes` finds the spans; :mod:`sitroom.read.dates` resolves them against the
publication date. Each pattern is a named rule whose named groups carry what the resolver
needs (``month``, ``day``, ``year``, ``rel``, ``unit``, ``num``, ``mod``, ``part`` ...).
Spans follow TimeML's extent conventions: a leading "on"/"in"/"for" is left out, modifiers
("early", "nearly", "the past") and "ago" are kept.

Patterns are compiled once at import (cheap); the tense word table (``tense_words.tsv``) is a
rule table (:mod:`sitroom.rules`), compiled by :func:`past_verb_pattern`. The word lists are
the project's own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from sitroom.rules import Row

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
SMALL_NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "a dozen": 12,
    "a couple of": 2, "a couple": 2, "couple of": 2,
}  # fmt: skip
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "a hundred": 100, "one hundred": 100,
}  # fmt: skip
VAGUE_NUMBERS = ("a few", "few", "several", "many", "some", "dozens of", "hundreds of")
ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
}  # fmt: skip

MODIFIERS: dict[str, str] = {
    "early": "early", "earlier": "early", "the beginning of": "early", "the start of": "early",
    "the first half of": "early", "late": "late", "later": "late", "the end of": "late",
    "the second half of": "late", "mid": "mid", "the middle of": "mid", "the rest of": "rest",
    "the remainder of": "rest",
}  # fmt: skip
PARTS: dict[str, str] = {
    "morning": "TMO",
    "afternoon": "TAF",
    "evening": "TEV",
    "night": "TNI",
    "tonight": "TNI",
}
REFERENCES: dict[str, str] = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF", "current": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "presently": "PRESENT_REF", "at present": "PRESENT_REF",
    "these days": "PRESENT_REF", "recently": "PAST_REF", "lately": "PAST_REF",
    "the past": "PAST_REF", "the future": "FUTURE_REF",
}  # fmt: skip
UNIT_CODES: dict[str, str] = {
    "second": "TS", "minute": "TM", "hour": "TH", "day": "D", "week": "W", "fortnight": "W", "month": "M",
    "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE", "centurie": "CE",
}  # fmt: skip
SET_ADVERBS: dict[str, str] = {
    "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W", "monthly": "P1M",
    "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H",
}  # fmt: skip
SEASONS: dict[str, tuple[str, int]] = {
    "spring": ("SP", 3), "summer": ("SU", 6), "fall": ("FA", 9), "autumn": ("FA", 9), "winter": ("WI", 12),
}  # fmt: skip
HOLIDAYS: dict[str, tuple[int, int]] = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24), "new year's day": (1, 1),
    "new year's eve": (12, 31),
}  # fmt: skip
DECADE_WORDS = ("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties")
SHIFTS: dict[str, int] = {
    "last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1, "following": 1,
}  # fmt: skip

_MONTH = (
    r"(?P<month>Jan(?:uary|\.)|Feb(?:ruary|\.)|Mar(?:ch|\.)|Apr(?:il|\.)|May|June|July|Jun\.|Jul\."
    r"|Aug(?:ust|\.)|Sep(?:t(?:ember|\.)?|\.)|Oct(?:ober|\.)|Nov(?:ember|\.)|Dec(?:ember|\.))"
)
_MONTH_FULL = (
    r"(?P<month>January|February|March|April|June|July|August|September|October|November|December"
    r"|(?<=in )May|(?<=of )May|(?<=since )May|(?<=until )May|(?<=by )May|(?<=early )May|(?<=late )May"
    r"|(?<=mid-)May|(?<=last )May|(?<=next )May|(?<=this )May)"
)
_WEEKDAY = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_NUM_WORD = "|".join(sorted((*SMALL_NUMBERS, *VAGUE_NUMBERS), key=len, reverse=True))
_TENS_WORD = "|".join(sorted(TENS, key=len, reverse=True))
_UNIT_WORD = r"one|two|three|four|five|six|seven|eight|nine"
_NUM = (
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})*(?:\.\d+)?|(?:{_TENS_WORD})(?:[- ](?:{_UNIT_WORD})\b)?"
    rf"(?:(?: and)? a half)?|(?:{_NUM_WORD})(?: and a half)?)"
)
# "quarter of" is a fraction ("a quarter of the vote"), not three months.
_UNIT = (
    r"(?P<unit>seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|quarters?(?!\s+of\b)|years?|decades?"
    r"|century|centuries)"
)
_DURATION_MOD = (
    r"(?P<mod>nearly|almost|about|around|approximately|roughly|some|more than|over|at least|less than"
    r"|under|up to|just over|just under|fewer than|no more than|the better part of)"
)
_PERIOD_MOD = (
    r"(?P<mod>early|late|earlier|later|mid|the end of|the beginning of|the start of|the middle of"
    r"|the first half of|the second half of|the rest of|the remainder of)"
)
_PART = r"(?P<part>morning|afternoon|evening|night)"
_SEASON = r"(?P<season>spring|summer|fall|autumn|winter)"
_YEAR_GUARD = r"(?<![$€£#\d.,/:])(?<!\d-)"
# A number in the year range followed by what it counts is a count ("2000 troops").
_COUNTED = (
    r"years?|months?|days?|people|persons|troops|soldiers|civilians|fighters|militants|refugees|families"
    r"|homes|houses|buildings|votes|voters|prisoners|detainees|residents|students|children|women|men"
    r"|workers|members|deaths|dead|casualties|dollars|euros|pounds|tons|tonnes|km|kilometers|kilometres"
    r"|miles|meters|metres|feet|rounds|rockets|missiles|shells|vehicles|tanks|cases|pages|words"
)
_YEAR_TAIL = (
    r"(?![\d,]\d|\.\d|\s*(?:%|percent|per cent)|[:/-]\d|-(?:year|month|day|week)"
    rf"|\s+(?:more\s+|other\s+)?(?:{_COUNTED})\b)"
)

# Order matters only for ties in span length (earlier rule wins).
RULE_PATTERNS: dict[str, str] = {
    "iso_datetime": r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?:[ T](?P<hour>[0-2]\d):(?P<minute>[0-5]\d)(?::[0-5]\d)?)?\b",
    "numeric_date": r"(?<![\d/])(?P<month>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>\d\d(?:\d\d)?)(?:\s+(?P<hour>[0-2]\d):(?P<minute>[0-5]\d)(?::[0-5]\d)?)?(?![\d/])",
    "compact_date": r"\b(?P<year>(?:19|20)\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)\b",
    "month_day": rf"(?:{_WEEKDAY},?\s+)?(?:(?i:(?P<mod>early|late|mid))[\s-]+)?\b{_MONTH}\s+{_DAY}(?:(?:\s*,\s*|\s+){_YEAR}\b)?",
    "day_month": rf"(?:{_WEEKDAY},?\s+)?(?:the\s+)?\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?",
    "month_year": (
        rf"(?:(?i:{_PERIOD_MOD})[\s-]+)?\b{_MONTH}(?:(?:\s+of)?,?\s+{_YEAR}\b"
        r"|\s+(?P<rel>this|last|next) year\b)"
    ),
    "month": rf"(?:(?i:{_PERIOD_MOD}|(?P<rel>last|next|this|past|coming))[\s-]+)?\b{_MONTH_FULL}\b(?!\s+\d)",
    "weekday": (
        rf"(?:(?i:(?P<mod>early|late|earlier|later))(?:\s+on)?\s+)?(?:(?i:(?P<rel>last|next|this|past|coming))\s+)?"
        rf"\b{_WEEKDAY}(?!s)(?:(?:\s+|,\s*)(?i:{_PART}|(?P<overnight>overnight))\b)?"
    ),
    "relative_day": (
        r"(?i:(?:(?P<mod>early|late|earlier|later)\s+)?\b(?P<rel>yesterday|today|tomorrow|tonight|last night"
        rf"|this {_PART})(?:\s+(?P<part2>morning|afternoon|evening|night))?)\b"
    ),
    "relative_period": (
        rf"(?i:(?:{_PERIOD_MOD}[\s-]+(?:in\s+)?)?\b(?:the\s+)?(?P<rel>last|this|next|past|previous|coming|current|following)"
        rf"\s+(?:{_SEASON}|(?P<unit>week|weekend|month|quarter|year|decade|century|fiscal year)))\b(?!-)"
    ),
    "in_the_period": r"(?i:\b(?P<mod>earlier|later) in the (?P<unit>week|month|year|day))\b",
    "offset": rf"(?i:(?:{_DURATION_MOD}\s+(?!the\b))?\b{_NUM}[\s-]+{_UNIT}\s+(?P<dir>ago|earlier|later|from now|hence))\b",
    "year": (
        rf"(?:(?i:{_PERIOD_MOD}|(?P<fiscal>fiscal|the year|calendar))[\s-]+)?{_YEAR_GUARD}\b{_YEAR}\b{_YEAR_TAIL}"
        r"(?i:(?P<after>\s+(?:or later|and beyond|onwards?)))?"
    ),
    "decade": (
        rf"(?i:(?:the\s+)?(?:(?P<mod>early|late|mid)[\s-]+)?{_YEAR_GUARD}\b(?P<decade>1[5-9]\d0|20\d0)'?s)\b"
        r"|(?i:the\s+(?:(?P<mod2>early|late|mid)[\s-]+)?['‘’](?P<decade2>\d0)s)\b"
    ),
    "decade_words": (
        r"(?i:\bthe\s+(?:(?P<mod>early|late|mid)[\s-]+)?"
        r"(?P<decw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b"
    ),
    "year_words": (
        r"(?i:\b(?:the year\s+)?(?P<yw>nineteen[- ](?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
        r"|seventeen|eighteen|nineteen|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
        r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?)"
        r"|two thousand(?:(?: and)? (?:one|two|three|four|five|six|seven|eight|nine|ten))?))\b"
        r"(?!\s+(?:people|dollars|troops|soldiers|years|percent)\b)"
    ),
    "century": r"(?i:\b(?:the\s+)?(?P<ord>\d+(?:st|nd|rd|th)|\w+th|twenty-first)[\s-]+century)\b",
    "quarter": (
        rf"(?i:\b(?:the\s+)?(?:(?P<yq>{_YEAR}|this year's|last year's|next year's|year-ago|year-earlier)\s+)?"
        r"(?:(?P<fiscal>fiscal)\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th"
        r"|(?:last|final)(?=[\s-]+(?:quarter|half)\s+of\b))[\s-]+(?P<unit>quarter|half)"
        r"(?:\s+of\s+(?:(?:fiscal|the)\s+)?(?P<yof>(?:19|20)\d\d|this year|last year|next year))?)\b(?!-\w)"
        r"|(?i:\bthe\s+(?P<rq>latest|most recent|year-earlier|year-ago|comparable|previous|prior) (?:quarter|period))\b"
        r"|(?i:\bthe quarter)\b(?!-)"
    ),
    "season": (
        rf"(?i:(?:(?P<rel>this|last|next|past|coming)\s+|the\s+(?:(?P<mod>early|late)\s+)?)?\b{_SEASON}"
        rf"(?:\s+(?:of\s+)?{_YEAR}))\b|(?i:(?:(?P<mod2>early|late|mid)[\s-]+)?(?P<rel2>this|last|next|coming)\s+"
        r"(?P<season2>spring|summer|fall|autumn|winter))\b"
        r"|(?i:\bthe\s+(?:(?P<mod3>early|late)\s+)?(?P<season3>spring|summer|autumn|winter))\b(?!\s+of\b)"
    ),
    "this_period": (
        r"(?i:\b(?:(?P<mod>the end of|the beginning of|the start of|the middle of|the rest of)\s+)?"
        r"the\s+(?:(?P<adj>full|fiscal|current|calendar|latest fiscal)\s+)?(?P<unit>year|week|weekend|month))\b"
        r"(?![- ]\w)"
        r"|(?i:\b(?P<ye>year[- ]end|year's end))\b|(?i:\b(?P<ya>year-earlier|year-ago))\b"
    ),
    "holiday": r"\b(?P<holiday>Christmas(?: Day| Eve)?|New Year's(?: Day| Eve)|Thanksgiving(?: Day)?)\b",
    "reference": (
        r"(?i:\b(?P<ref>right now|now|currently|current|nowadays|presently|at present|these days|recently|lately"
        r"|the past|the future))\b(?!\s+(?:years?|months?|weeks?|days?)\b)"
        r"|(?i:\b(?P<vague>(?:the\s+)?(?:recent|past|coming)\s+(?:years|months|weeks|days|decades)))\b"
    ),
    "set": (
        rf"(?i:\b(?:every|each)\s+(?:other\s+)?(?:{_NUM}\s+)?(?P<unit>day|week|month|year|morning|night|evening|weekend)s?)\b"
        r"|(?i:\b(?P<adverb>daily|weekly|monthly|annually|yearly|hourly|nightly|biweekly))\b"
        r"|(?i:(?:(?<=once )|(?<=twice )|(?<=times )|(?<=percent )|(?<=% ))(?:a|per) (?P<unit2>day|week|month|year))\b"
        r"|(?i:\bper (?P<unit3>day|week|month|year))\b"
        rf"|\b(?P<wd>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days)(?:\s+(?i:{_PART}s?))?\b"
    ),
    "duration": (
        rf"(?i:(?:{_DURATION_MOD}\s+(?!the\b))?\b(?:the\s+(?P<det>past|last|next|first|previous|coming|final|following|latest)\s+"
        rf"|(?P<the>the)\s+)?{_NUM}[\s-]+{_UNIT})\b(?![- ]old\b|-)"
    ),
    "vague_duration": (
        r"(?i:\b(?:(?P<det>the past|the last|the next)\s+)?"
        r"(?P<unit>years|months|weeks|days|decades|hours))\b(?![- ]old\b)"
    ),
    "clock": (
        r"(?i:(?:(?P<mod>about|around|approximately|shortly after|shortly before|just after|just before)\s+)?"
        r"\b(?P<hour>[01]?\d)(?:[:.](?P<minute>[0-5]\d))?\s*(?P<ampm>a\.m\.?|p\.m\.?|am\b|pm\b|o'clock\b)"
        r"(?:\s*\(?(?:[ECMP][SD]T|GMT|UTC)\b\)?)?)"
        r"|(?i:\b(?P<hour24>[01]?\d|2[0-3]):?(?P<minute24>[0-5]\d)\s*(?:GMT|UTC|hrs|hours local time|local time)\b)"
        r"|(?i:\b(?P<named>noon|midnight|midday))\b"
    ),
}

# Every expression starts a word; saying so first lets the engine skip mid-word positions fast.
RULES: dict[str, re.Pattern[str]] = {
    name: re.compile(rf"\b(?=\w)(?:{p})") for name, p in RULE_PATTERNS.items()
}
_RULE_RANK = {name: rank for rank, name in enumerate(RULE_PATTERNS)}

_ADJECTIVAL = re.compile(
    r"the (?:fiscal )?[\w]+-(?:quarter|year|month|week|day|hour|minute)s?$", re.IGNORECASE
)

# A clock time joins a day expression when only these words stand between them.
_JOINER = re.compile(r"\s*(?:,\s*)?(?:(?:on|at|of)\s+)?$", re.IGNORECASE)
DAY_RULES = frozenset(
    {"iso_datetime", "numeric_date", "compact_date", "month_day", "day_month", "weekday", "relative_day"}
)


@dataclass(frozen=True)
class Hit:
    """A recognised span and the named groups its rule captured, as written."""

    rule: str
    start: int
    end: int
    groups: dict[str, str]
    clock: Hit | None = None  # a time of day joined to a day expression


def scan_timexes(text: str) -> list[Hit]:
    """Find time expressions in ``text``: the longest non-overlapping rule matches, in order."""
    found: list[Hit] = []
    for name, pattern in RULES.items():
        for m in pattern.finditer(text):
            start, end = _trim(text, m.start(), m.end())
            if end > start:
                groups = {k: v for k, v in m.groupdict().items() if v is not None}
                found.append(Hit(name, start, end, groups))
    found.sort(key=lambda h: (h.start - h.end, _RULE_RANK[h.rule], h.start))
    chosen: list[Hit] = []
    taken: list[tuple[int, int]] = []
    for hit in found:
        if all(hit.end <= s or hit.start >= e for s, e in taken):
            chosen.append(hit)
            taken.append((hit.start, hit.end))
    chosen.sort(key=lambda h: h.start)
    return _join_clock_times(text, chosen)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop the surrounding spaces some optional groups leave."""
    while start < end and text[start].isspace():
        start += 1
    if _ADJECTIVAL.match(text, start, end):  # "the two-week" -> "two-week", as TimeML marks it
        start += 4
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _join_clock_times(text: str, hits: list[Hit]) -> list[Hit]:
    """Join "9 a.m. Tuesday" / "Tuesday at 9 a.m." into one expression carrying the time.

    A time is first offered to the day after it, then to the day before it.
    """
    for clock_first in (True, False):
        out: list[Hit] = []
        i = 0
        while i < len(hits):
            hit = hits[i]
            nxt = hits[i + 1] if i + 1 < len(hits) else None
            clock, day = (hit, nxt) if clock_first else (nxt, hit)
            if (
                nxt is not None
                and clock is not None
                and day is not None
                and clock.rule == "clock"
                and day.rule in DAY_RULES
                and day.clock is None
                and _JOINER.match(text[hit.end : nxt.start])
            ):
                out.append(Hit(day.rule, hit.start, nxt.end, day.groups, clock=clock))
                i += 2
                continue
            out.append(hit)
            i += 1
        hits = out
    return hits


def parse_number(words: str) -> int | None:
    """The integer a number phrase names ("nearly" is not part of it); None when vague."""
    w = words.lower().replace(",", "").strip()
    half = w.endswith("a half")
    if half:
        w = w.removesuffix("a half").removesuffix(" and ").strip()
    value: int | None
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        value = round(float(w))
    elif w in SMALL_NUMBERS:
        value = SMALL_NUMBERS[w]
    else:
        parts = re.split(r"[- ]", w)
        if parts and parts[0] in TENS:
            value = TENS[parts[0]] + sum(SMALL_NUMBERS.get(p, 0) for p in parts[1:])
        else:
            value = None
    return value


def parse_clock(g: dict[str, str]) -> str | None:
    """HH:MM from the groups of a "clock" match (24:00 for midnight); None when out of range."""
    if "named" in g:
        return {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}[g["named"].lower()]
    if "hour24" in g:
        return f"{int(g['hour24']):02d}:{g['minute24']}"
    hour, minute = int(g["hour"]), int(g.get("minute", "0"))
    ampm = g.get("ampm", "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}" if hour < 24 else None


# --- tense of the sentence around an expression -----------------------------------

# Words that put the sentence around an expression in the future. "would", "until" and
# "next" are left out: reported speech, "up until Thursday" and "next to" are about the past.
_FUTURE = re.compile(
    r"\b(?:will|won't|shall|going to|is due|are due|scheduled|expected to|is set to|are set to"
    r"|upcoming|is to|are to|plans? to|planned to|planning to)\b|'ll\b",
    re.IGNORECASE,
)
# A past-tense verb right before the expression ("said Friday", "announced on Wednesday")
# dates the telling, which is past whatever the rest of the sentence says; "will be paid
# Dec. 14" and "to be completed Nov. 1" are not.
_TOLD_BEFORE = re.compile(
    r"(?<!\bbe )(?<!\bto )\b(?:said|told|met|held|made|took|gave|saw|won|lost|left|began|fell|rose|\w+ed)"
    r"(?:\s+on)?\s+$",
    re.IGNORECASE,
)
# A deadline word right before it puts the expression ahead ("by Jan. 14", "payable Dec. 15",
# "as soon as Tuesday").
_DUE_BEFORE = re.compile(
    r"\b(?:by|as soon as|as early as|no later than|payable|effective|expires?)\s+(?:on\s+)?$", re.IGNORECASE
)
# A past-tense verb earlier in the sentence ("Protesters marched to the square on Friday, and
# more rallies are expected") tells the expression as past when the future words come only
# after it: the words of the tense word table (``tense_words.tsv``).
_TENSE_ROLES = ("past", "not_past")


def past_verb_pattern(rows: Sequence[Row]) -> re.Pattern[str]:
    """A past-tense verb, from the tense word table's rows (a later row for a word replaces an
    earlier one): lower case and not after an article, so "Armed men" and "the displaced" are
    no verbs; not "to be published"; none of the table's "not_past" words."""
    roles: dict[str, str] = {}
    for row in rows:
        word, role = row.cells
        if not re.fullmatch(r"[a-z]+", word) or role not in _TENSE_ROLES:
            raise row.error(
                f"needs a lower-case word and a role ({', '.join(_TENSE_ROLES)}); got {list(row.cells)!r}"
            )
        roles[word] = role
    past = [word for word, role in roles.items() if role == "past"]
    not_past = [word for word, role in roles.items() if role == "not_past"]
    return re.compile(
        r"(?<!\bthe )(?<!\ba )(?<!\ban )(?<!\bbe )(?<!\bto )(?<!\bbeen )\b"
        rf"(?!(?:{'|'.join(not_past)})\b)(?:{'|'.join((*past, '[a-z]+ed'))})\b"
    )


_SENTENCE_END = re.compile(r"[.!?][\"'”’`)]*\s+(?=[\"“‘(`']*[A-Z])|\n")
# How far either side of an expression its sentence is searched for tense words.
SENTENCE_WINDOW = 160


Tense = Literal["past", "future", "unknown"]


def tense_of(text: str, start: int, end: int, past_verb: re.Pattern[str]) -> Tense:
    """ "past" when a past-tense verb tells ``text[start:end]`` ("said Friday"), "future" after
    a deadline word ("by Jan. 14") or when its sentence speaks of the future, except where the
    future words come only after it and a past-tense verb before it ("marched on Friday, and
    more rallies are expected": past), else "unknown"."""
    before = text[max(0, start - 40) : start]
    if _TOLD_BEFORE.search(before):
        return "past"
    if _DUE_BEFORE.search(before):
        return "future"
    left = text[max(0, start - SENTENCE_WINDOW) : start]
    right = text[end : end + SENTENCE_WINDOW]
    ends = list(_SENTENCE_END.finditer(left))
    if ends:
        left = left[ends[-1].end() :]
    first_end = _SENTENCE_END.search(right)
    if first_end:
        right = right[: first_end.start()]
    if _FUTURE.search(left):
        return "future"
    if _FUTURE.search(right):
        return "past" if past_verb.search(left) else "future"
    return "unknown"
