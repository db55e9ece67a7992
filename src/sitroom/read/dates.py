"""Time expressions resolved against the publication date.

:func:`find_dates` recognises expressions with the rules of :mod:`sitroom.read.timex_rules`
(plus, when a parsed ``Doc`` is given, spaCy's DATE/TIME entities the rules missed) and
resolves each one against the anchor, the article's publication date:

- dates get a ``value`` (the first day of the unit named by ``precision``) and a TimeML
  value: "Jan. 5" -> 2026-01-05 (day), "last week" -> 2026-W01 (week), "the third quarter"
  -> 2025-Q3 (precision year), "the 1990s" -> 199 (1990-01-01, precision decade), "the 14th
  century" -> 13 (1300-01-01, precision century);
- reference words ("now", "recently", "the future") keep PRESENT_REF/PAST_REF/FUTURE_REF
  and no value;
- durations ("nearly 10 months") and sets ("every week") never get a date value.

News conventions decide the unstated year or week (:func:`sitroom.read.timex_rules.tense_of`
reads the sentence):

- a weekday is the most recent one on or before the anchor; in a sentence about the future
  ("will", "scheduled", "plans to") the next one on or after it; "last"/"next" Friday skip
  the anchor day; "on a Friday" or "one Sunday" is any such day, with no value;
- a month-day or month without a year is the most recent one; in a sentence about the future
  the nearer of last and next; told in the past ("said Jan. 12") the last;
- ``look_ahead`` adds the newswire conventions for an expression told neither way: a month-day
  (month) within :data:`DAYS_AHEAD` (:data:`MONTHS_AHEAD`) after the anchor is the coming one
  ("payable Dec. 15"), and the weekday right after it is tomorrow. They fit TimeML's gold
  values, which name what a date refers to, plans included; without them (how articles are
  read, :func:`sitroom.read.reader.find_article_dates`) a year-less date told neither way is
  never after the anchor, since a report tells what has happened by its date;
- "last week" is the ISO week before the anchor's, "last month"/"last year" the calendar ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from sitroom.models import DateMention, DatePrecision
from sitroom.read.timex_rules import (
    DECADE_WORDS,
    HOLIDAYS,
    MODIFIERS,
    MONTHS,
    ORDINALS,
    PARTS,
    REFERENCES,
    SEASONS,
    SET_ADVERBS,
    SHIFTS,
    UNIT_CODES,
    WEEKDAYS,
    Hit,
    Tense,
    parse_clock,
    parse_number,
    scan_timexes,
    tense_of,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

# With ``look_ahead``, a month-day or month without a year that falls this soon after the
# publication date is the coming one ("payable Dec. 15"), even without a future verb. Calibrated
# on TimeML dev (TBAQ): 45 days for month-days, 1 month for months; the seed's "March 10"
# in a January article stays last year's.
DAYS_AHEAD = 45
MONTHS_AHEAD = 1


@dataclass(frozen=True)
class _Context:
    text: str
    anchor: date
    look_ahead: bool
    past_verb: re.Pattern[str]

    def tense(self, hit: Hit) -> Tense:
        return tense_of(self.text, hit.start, hit.end, self.past_verb)

    def future(self, hit: Hit) -> bool:
        return self.tense(hit) == "future"


def find_dates(
    text: str,
    anchor: date,
    past_verb: re.Pattern[str],
    *,
    doc: Doc | None = None,
    look_ahead: bool = True,
) -> tuple[DateMention, ...]:
    """Time expressions in ``text`` resolved against ``anchor`` (the publication date), in order.

    With ``doc`` (spaCy, same text), DATE/TIME entities that no rule found are added and
    resolved with dateparser; the rules alone work on plain text. Without ``look_ahead``, a
    year-less date or weekday is after the anchor only when told as future ("will meet on
    Tuesday", "by Jan. 14"); with it, also when it falls just after the anchor (TimeML's
    conventions, see the module docstring).
    """
    ctx = _Context(text, anchor, look_ahead, past_verb)
    mentions = [m for hit in scan_timexes(text) if (m := _resolve(hit, ctx)) is not None]
    if doc is not None:
        mentions.extend(_resolve_entities(doc, anchor, mentions))
        mentions.sort(key=lambda m: m.start)
    return tuple(mentions)


def _resolve(hit: Hit, ctx: _Context) -> DateMention | None:
    mention = _RESOLVERS[hit.rule](hit, ctx)
    if mention is None or hit.clock is None or mention.value is None:
        return mention
    clock = parse_clock(hit.clock.groups)
    if clock is None:
        return mention
    base = (mention.timeml or mention.value.isoformat())[:10]
    return replace(mention, kind="time", timeml=f"{base}T{clock}")


# --- building mentions ----------------------------------------------------------------


def _mention(hit: Hit, ctx: _Context, **fields: Any) -> DateMention:
    return DateMention(text=ctx.text[hit.start : hit.end], start=hit.start, end=hit.end, **fields)


def _on_day(hit: Hit, ctx: _Context, day: date, part: str | None = None) -> DateMention:
    timeml = day.isoformat() + PARTS.get(part or "", "")
    return _mention(hit, ctx, value=day, precision="day", timeml=timeml, modifier=_modifier(hit))


def _in_week(hit: Hit, ctx: _Context, day: date, weekend: bool = False) -> DateMention:
    year, week, _ = day.isocalendar()
    timeml = f"{year}-W{week:02d}" + ("-WE" if weekend else "")
    monday = day - timedelta(days=day.weekday())
    return _mention(hit, ctx, value=monday, precision="week", timeml=timeml, modifier=_modifier(hit))


def _in_month(hit: Hit, ctx: _Context, year: int, month: int) -> DateMention:
    return _mention(
        hit, ctx, value=date(year, month, 1), precision="month", timeml=f"{year:04d}-{month:02d}",
        modifier=_modifier(hit),
    )  # fmt: skip


def _in_year(hit: Hit, ctx: _Context, year: int, timeml: str | None = None) -> DateMention:
    """A year, or a named part of it (quarter, half, season) whose TimeML value says which."""
    modifier = "after" if "after" in hit.groups else _modifier(hit)
    return _mention(
        hit, ctx, value=date(year, 1, 1), precision="year", timeml=timeml or f"{year:04d}", modifier=modifier
    )


def _in_decade(hit: Hit, ctx: _Context, timeml: str) -> DateMention:
    """A decade ("199": the 1990s) or century ("13": the 14th century) by its TimeML value,
    dated to its first year: history, which events take as their date (sitroom.background)."""
    decade = len(timeml) == 3
    first = int(timeml) * (10 if decade else 100)
    return _mention(
        hit, ctx, value=date(max(first, 1), 1, 1), precision="decade" if decade else "century",
        timeml=timeml, modifier=_modifier(hit),
    )  # fmt: skip


def _vague(hit: Hit, ctx: _Context, timeml: str) -> DateMention:
    return _mention(hit, ctx, timeml=timeml, modifier=_modifier(hit))


def _modifier(hit: Hit) -> str | None:
    # mod2, mod3: the same group in a rule's other alternatives
    word = hit.groups.get("mod") or hit.groups.get("mod2") or hit.groups.get("mod3")
    return MODIFIERS.get(word.lower(), word.lower()) if word else None


# --- calendar arithmetic --------------------------------------------------------------


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _choose(candidates: list[date], anchor: date, tense: Tense, ahead_days: int) -> date:
    """In a future sentence the nearer candidate; in a told past the most recent one on or
    before the anchor; otherwise that one too, unless one falls within ``ahead_days`` after it
    (0: never)."""
    past = [d for d in candidates if d <= anchor]
    ahead = [d for d in candidates if d > anchor]
    if not past:
        return ahead[0]
    if ahead and tense == "unknown" and (ahead[0] - anchor).days <= ahead_days:
        return ahead[0]
    if ahead and tense == "future" and (ahead[0] - anchor) <= (anchor - past[-1]):
        return ahead[0]
    return past[-1]


def _month_day(month: int, day: int, hit: Hit, ctx: _Context) -> date | None:
    years = range(ctx.anchor.year - 1, ctx.anchor.year + 2)
    candidates = [d for y in years if (d := _safe_date(y, month, day)) is not None]
    weekday = hit.groups.get("wd")
    if weekday:
        matching = [d for d in candidates if d.weekday() == WEEKDAYS[weekday.lower()]]
        candidates = matching or candidates
    if not candidates:
        return None
    return _choose(candidates, ctx.anchor, ctx.tense(hit), DAYS_AHEAD if ctx.look_ahead else 0)


def _two_digit_year(value: str, anchor: date) -> int:
    if len(value) == 4:
        return int(value)
    year = 2000 + int(value)
    return year if year <= anchor.year + 10 else year - 100


# --- one resolver per rule ------------------------------------------------------------


def _resolve_numeric(hit: Hit, ctx: _Context) -> DateMention | None:
    g = hit.groups
    month, day = int(g["month"]), int(g["day"])
    if month > 12 >= day:  # day-first writing (10/26 cannot be day-first; 26/10 must be)
        month, day = day, month
    found = _safe_date(_two_digit_year(g["year"], ctx.anchor), month, day)
    if found is None:
        return None
    mention = _on_day(hit, ctx, found)
    if "hour" in g:
        return replace(mention, kind="time", timeml=f"{found.isoformat()}T{g['hour']}:{g['minute']}")
    return mention


def _resolve_month_day(hit: Hit, ctx: _Context) -> DateMention | None:
    g = hit.groups
    month, day = MONTHS[g["month"].lower().rstrip(".")], int(g["day"])
    found = _safe_date(int(g["year"]), month, day) if "year" in g else _month_day(month, day, hit, ctx)
    return _on_day(hit, ctx, found) if found else None


def _resolve_month_year(hit: Hit, ctx: _Context) -> DateMention | None:
    g = hit.groups
    year = int(g["year"]) if "year" in g else ctx.anchor.year + SHIFTS[g["rel"].lower()]
    return _in_month(hit, ctx, year, MONTHS[g["month"].lower().rstrip(".")])


def _resolve_month(hit: Hit, ctx: _Context) -> DateMention | None:
    month = MONTHS[hit.groups["month"].lower().rstrip(".")]
    anchor = ctx.anchor
    rel = hit.groups.get("rel", "").lower()
    if rel in ("last", "past"):
        # "last February" said in March is a year ago: the month just gone is "in February"
        year = anchor.year if month < anchor.month - 1 else anchor.year - 1
    elif rel in ("next", "coming"):
        year = anchor.year if month > anchor.month else anchor.year + 1
    elif rel == "this":
        year = anchor.year
    else:
        months = [date(y, month, 1) for y in range(anchor.year - 1, anchor.year + 2)]
        this_month = anchor.replace(day=1)
        ahead_days = 31 * MONTHS_AHEAD if ctx.look_ahead else 0
        year = _choose(months, this_month, ctx.tense(hit), ahead_days).year
    return _in_month(hit, ctx, year, month)


def _resolve_weekday(hit: Hit, ctx: _Context) -> DateMention | None:
    anchor = ctx.anchor
    weekday = WEEKDAYS[hit.groups["wd"].lower()]
    if _INDEFINITE.search(ctx.text[max(0, hit.start - 8) : hit.start]):
        # "on a Friday afternoon", "one Sunday": some such day, not one of the anchor's week
        return _vague(hit, ctx, f"XXXX-WXX-{weekday + 1}")
    back = (anchor.weekday() - weekday) % 7
    rel = hit.groups.get("rel", "").lower()
    if rel in ("last", "past"):
        day = anchor - timedelta(days=back or 7)
    elif rel in ("next", "coming"):
        day = anchor + timedelta(days=(7 - back) % 7 or 7)
    elif (tense := ctx.tense(hit)) == "future" or (back == 6 and tense == "unknown" and ctx.look_ahead):
        # untold, the day after the anchor is "tomorrow" far more often than six days ago (TimeML dev)
        day = anchor + timedelta(days=(7 - back) % 7)
    else:
        day = anchor - timedelta(days=back)
    part = hit.groups.get("part", "night" if "overnight" in hit.groups else "").lower()
    return _on_day(hit, ctx, day, part)


# "On a" or "one" before a weekday makes it any such day ("on a Friday afternoon", "one
# Sunday"); "attended a Sunday service" is still the last Sunday (TimeML's gold).
_INDEFINITE = re.compile(r"\b(?:on\s+an?|one)\s+$", re.IGNORECASE)


def _resolve_relative_day(hit: Hit, ctx: _Context) -> DateMention | None:
    rel = hit.groups["rel"].lower()
    offsets = {"yesterday": -1, "last night": -1, "tomorrow": 1}
    day = ctx.anchor + timedelta(days=offsets.get(rel, 0))
    part = hit.groups.get("part2") or hit.groups.get("part") or ("night" if "night" in rel else "")
    return _on_day(hit, ctx, day, part.lower())


def _resolve_relative_period(hit: Hit, ctx: _Context) -> DateMention | None:
    g = hit.groups
    shift = SHIFTS[g["rel"].lower()]
    anchor = ctx.anchor
    if "season" in g:
        return _resolve_season_shift(hit, ctx, g["season"].lower(), shift)
    unit = g["unit"].lower()
    if unit in ("week", "weekend"):
        if unit == "weekend" and shift == 0 and anchor.weekday() < 5 and not ctx.future(hit):
            shift = -1  # "this weekend" said on a weekday of a past story: the one just gone
        return _in_week(hit, ctx, anchor + timedelta(weeks=shift), weekend=unit == "weekend")
    if unit == "month":
        return _in_month(hit, ctx, *_add_months(anchor.year, anchor.month, shift))
    if unit == "quarter":
        year, month = _add_months(anchor.year, anchor.month, 3 * shift)
        return _in_year(hit, ctx, year, f"{year}-Q{(month - 1) // 3 + 1}")
    if unit in ("year", "fiscal year"):
        return _in_year(hit, ctx, anchor.year + shift)
    if unit == "decade":
        return _in_decade(hit, ctx, str(anchor.year // 10 + shift))
    return _in_decade(hit, ctx, str(anchor.year // 100 + shift))


def _resolve_in_the_period(hit: Hit, ctx: _Context) -> DateMention | None:
    """The period that holds the anchor: "earlier in the year", "the week", "year-end"."""
    g, anchor = hit.groups, ctx.anchor
    if "ye" in g:  # "year-end": December, as the closest unit that holds it
        return replace(_in_month(hit, ctx, anchor.year, 12), modifier="late")
    if "ya" in g:
        return _in_year(hit, ctx, anchor.year - 1)
    unit = g["unit"].lower()
    if unit == "weekend":
        future = ctx.future(hit)
        saturday = anchor + timedelta(
            days=(5 - anchor.weekday()) % 7 if future else -((anchor.weekday() - 5) % 7)
        )
        return _in_week(hit, ctx, saturday, weekend=True)
    if unit == "day":
        return _on_day(hit, ctx, anchor)
    if unit == "week":
        return _in_week(hit, ctx, anchor)
    if unit == "month":
        return _in_month(hit, ctx, anchor.year, anchor.month)
    return _in_year(hit, ctx, anchor.year)


def _resolve_offset(hit: Hit, ctx: _Context) -> DateMention | None:
    g = hit.groups
    sign = 1 if g["dir"].lower() in ("later", "from now", "hence") else -1
    count = parse_number(g["num"])
    if count is None:
        return _vague(hit, ctx, "FUTURE_REF" if sign > 0 else "PAST_REF")
    unit = g["unit"].lower().rstrip("s")
    anchor, n = ctx.anchor, sign * count
    if unit in ("second", "minute", "hour"):
        return _on_day(hit, ctx, anchor)
    if unit in ("day", "week", "fortnight"):
        days = {"day": 1, "week": 7, "fortnight": 14}[unit] * n
        moved = anchor + timedelta(days=days)
        return _on_day(hit, ctx, moved) if unit == "day" else _in_week(hit, ctx, moved)
    if unit in ("month", "quarter"):
        year, month = _add_months(anchor.year, anchor.month, n * (3 if unit == "quarter" else 1))
        return _in_month(hit, ctx, year, month)
    years = n * {"year": 1, "decade": 10}.get(unit, 100)
    return _in_year(hit, ctx, anchor.year + years)


def _resolve_year(hit: Hit, ctx: _Context) -> DateMention | None:
    return _in_year(hit, ctx, int(hit.groups["year"]))


def _resolve_decade(hit: Hit, ctx: _Context) -> DateMention | None:
    g = hit.groups
    if "decade" in g:
        return _in_decade(hit, ctx, g["decade"][:3])
    digit = int(g["decade2"][0])
    century = ctx.anchor.year // 100 - (1 if digit * 10 > ctx.anchor.year % 100 else 0)
    return _in_decade(hit, ctx, f"{century}{digit}")


def _resolve_decade_words(hit: Hit, ctx: _Context) -> DateMention | None:
    digit = DECADE_WORDS.index(hit.groups["decw"].lower()) + 2
    century = ctx.anchor.year // 100 - (1 if digit * 10 > ctx.anchor.year % 100 else 0)
    return _in_decade(hit, ctx, f"{century}{digit}")


def _resolve_year_words(hit: Hit, ctx: _Context) -> DateMention | None:
    words = hit.groups["yw"].lower()
    if words.startswith("nineteen"):
        rest = parse_number(words[len("nineteen") :].strip(" -"))
        return _in_year(hit, ctx, 1900 + rest) if rest is not None else None
    tail = words.removeprefix("two thousand").removeprefix(" and").strip()
    return _in_year(hit, ctx, 2000 + (parse_number(tail) or 0))


def _resolve_century(hit: Hit, ctx: _Context) -> DateMention | None:
    ordinal = hit.groups["ord"].lower()
    words = {"eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21}
    number = int(digits.group()) if (digits := re.match(r"\d+", ordinal)) else words.get(ordinal)
    return _in_decade(hit, ctx, f"{number - 1:02d}") if number else None


def _resolve_quarter(hit: Hit, ctx: _Context) -> DateMention | None:
    g, anchor = hit.groups, ctx.anchor
    current_q = (anchor.month - 1) // 3 + 1
    last_done = (anchor.year, current_q - 1) if current_q > 1 else (anchor.year - 1, 4)
    if "ord" not in g:
        kind = g.get("rq", "latest").lower()
        year, q = last_done
        if kind in ("year-earlier", "year-ago"):
            year -= 1
        elif kind in ("previous", "prior"):
            year, q = (year, q - 1) if q > 1 else (year - 1, 4)
        return _in_year(hit, ctx, year, f"{year}-Q{q}")
    letter = "Q" if g["unit"].lower() == "quarter" else "H"
    said = (g.get("yof") or g.get("yq") or "").lower()
    number = ORDINALS.get(g["ord"].lower(), 4 if letter == "Q" else 2)  # "the last half of 1989"
    if said in ("year-ago", "year-earlier"):
        year = anchor.year - 1
    elif said[:4].isdigit():
        year = int(said[:4])
    elif said:
        year = anchor.year + SHIFTS[said.split()[0].removesuffix("'s")]
    else:
        start_month = (number - 1) * (3 if letter == "Q" else 6) + 1
        year = anchor.year
        if start_month > anchor.month and not ctx.future(hit):
            year -= 1
    return _in_year(hit, ctx, year, f"{year}-{letter}{number}")


def _season_starts(anchor: date) -> list[tuple[date, str, int]]:
    return sorted(
        (date(y, month, 1), code, y)
        for y in range(anchor.year - 2, anchor.year + 2)
        for code, month in set(SEASONS.values())
    )


def _resolve_season_shift(hit: Hit, ctx: _Context, season: str, shift: int) -> DateMention | None:
    code = SEASONS[season][0]
    starts = _season_starts(ctx.anchor)
    current = max(i for i, (start, _, _) in enumerate(starts) if start <= ctx.anchor)
    same = [i for i, (_, c, _) in enumerate(starts) if c == code]
    if shift < 0:
        index = max(i for i in same if i < current)
    elif shift > 0:
        index = min(i for i in same if i > current)
    else:  # "this summer": the anchor's own, even when still to come or already gone
        index = current if current in same else next(i for i in same if starts[i][2] == ctx.anchor.year)
    year = starts[index][2]
    return _in_year(hit, ctx, year, f"{year}-{code}")


def _resolve_season(hit: Hit, ctx: _Context) -> DateMention | None:
    g = hit.groups
    if "year" in g:
        code = SEASONS[g["season"].lower()][0]
        return _in_year(hit, ctx, int(g["year"]), f"{g['year']}-{code}")
    if "season2" in g:
        return _resolve_season_shift(hit, ctx, g["season2"].lower(), SHIFTS[g["rel2"].lower()])
    if "season3" in g:
        return _resolve_season_shift(hit, ctx, g["season3"].lower(), 0)
    return _resolve_season_shift(hit, ctx, g["season"].lower(), SHIFTS[g.get("rel", "this").lower()])


def _resolve_holiday(hit: Hit, ctx: _Context) -> DateMention | None:
    name = hit.groups["holiday"].lower()
    years = range(ctx.anchor.year - 1, ctx.anchor.year + 2)
    if name.startswith("thanksgiving"):  # the fourth Thursday of November (US)
        candidates = [date(y, 11, 22) + timedelta(days=(3 - date(y, 11, 22).weekday()) % 7) for y in years]
    else:
        month, day = HOLIDAYS[name]
        candidates = [date(y, month, day) for y in years]
    ahead_days = DAYS_AHEAD if ctx.look_ahead else 0
    return _on_day(hit, ctx, _choose(candidates, ctx.anchor, ctx.tense(hit), ahead_days))


def _resolve_reference(hit: Hit, ctx: _Context) -> DateMention | None:
    if "vague" in hit.groups:  # "recent years", "the coming months"
        return _vague(hit, ctx, "FUTURE_REF" if "coming" in hit.groups["vague"].lower() else "PAST_REF")
    return _vague(hit, ctx, REFERENCES[hit.groups["ref"].lower()])


def _resolve_duration(hit: Hit, ctx: _Context) -> DateMention | None:
    g = hit.groups
    unit = g["unit"].lower().rstrip("s")
    if unit == "second" and g.get("num", "").lower() in ("a", "an"):
        return None  # "a second attack"
    count = parse_number(g["num"]) if "num" in g else None
    amount = "X" if count is None else str(count * (2 if unit == "fortnight" else 1))
    if "half" in g.get("num", "") and count is not None:
        amount = f"{count}.5"
    code = UNIT_CODES[unit]
    timeml = f"PT{amount}{code[1]}" if code.startswith("T") else f"P{amount}{code}"
    return _mention(hit, ctx, kind="duration", timeml=timeml, modifier=_modifier(hit))


def _resolve_set(hit: Hit, ctx: _Context) -> DateMention | None:
    g = hit.groups
    if "adverb" in g:
        timeml = SET_ADVERBS[g["adverb"].lower()]
    elif "wd" in g:
        day = WEEKDAYS[g["wd"].lower().removesuffix("s")] + 1
        timeml = f"XXXX-WXX-{day}"
    else:
        unit = (g.get("unit") or g.get("unit2") or g.get("unit3") or "day").lower()
        count = parse_number(g["num"]) if "num" in g else 1
        code = UNIT_CODES.get(unit, "D")
        timeml = f"P{count or 'X'}{code}" if unit not in ("weekend",) else "P1W"
    return _mention(hit, ctx, kind="set", timeml=timeml)


def _resolve_clock(hit: Hit, ctx: _Context) -> DateMention | None:
    clock = parse_clock(hit.groups)
    if clock is None:
        return None
    timeml = f"{ctx.anchor.isoformat()}T{clock}"
    return _mention(
        hit, ctx, kind="time", value=ctx.anchor, precision="day", timeml=timeml, modifier=_modifier(hit)
    )


_RESOLVERS: dict[str, Callable[[Hit, _Context], DateMention | None]] = {
    "iso_datetime": _resolve_numeric,
    "numeric_date": _resolve_numeric,
    "compact_date": _resolve_numeric,
    "month_day": _resolve_month_day,
    "day_month": _resolve_month_day,
    "month_year": _resolve_month_year,
    "month": _resolve_month,
    "weekday": _resolve_weekday,
    "relative_day": _resolve_relative_day,
    "relative_period": _resolve_relative_period,
    "in_the_period": _resolve_in_the_period,
    "offset": _resolve_offset,
    "year": _resolve_year,
    "decade": _resolve_decade,
    "decade_words": _resolve_decade_words,
    "year_words": _resolve_year_words,
    "this_period": _resolve_in_the_period,
    "century": _resolve_century,
    "quarter": _resolve_quarter,
    "season": _resolve_season,
    "holiday": _resolve_holiday,
    "reference": _resolve_reference,
    "set": _resolve_set,
    "duration": _resolve_duration,
    "vague_duration": _resolve_duration,
    "clock": _resolve_clock,
}


# --- spaCy entities the rules missed ----------------------------------------------------

_PERIODS: dict[str, DatePrecision] = {
    "day": "day",
    "time": "day",
    "week": "week",
    "month": "month",
    "year": "year",
}


_WORDY = re.compile(r"[A-Za-z]{3,}")


@lru_cache(maxsize=8)
def _date_parser(anchor: date) -> Any:
    """dateparser reading English relative to ``anchor`` (imported here: it is slow to load)."""
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": datetime(anchor.year, anchor.month, anchor.day),
        "PREFER_DATES_FROM": "past",
        "RETURN_TIME_AS_PERIOD": True,
    }
    return DateDataParser(languages=["en"], settings=settings)


def _resolve_entities(doc: Doc, anchor: date, found: list[DateMention]) -> list[DateMention]:
    """DATE/TIME entities no rule covered, resolved by dateparser; unresolvable ones are left out."""
    taken = [(m.start, m.end) for m in found]
    out: list[DateMention] = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        start, end = ent.start_char, ent.end_char
        if any(start < e and s < end for s, e in taken) or not _WORDY.search(ent.text):
            continue  # covered, or a bare number: spaCy tags ages ("Smith, 52,") as DATE
        data = _date_parser(anchor).get_date_data(ent.text)
        if data.date_obj is None or data.period not in _PERIODS:
            continue
        precision = _PERIODS[data.period]
        day = data.date_obj.date()
        timeml = {"day": day.isoformat(), "week": "{}-W{:02d}".format(*day.isocalendar()[:2]),
                  "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[precision]  # fmt: skip
        value = {"day": day, "week": day - timedelta(days=day.weekday()),
                 "month": day.replace(day=1), "year": date(day.year, 1, 1)}[precision]  # fmt: skip
        kind: Literal["date", "time"] = "time" if ent.label_ == "TIME" else "date"
        out.append(
            DateMention(ent.text, start, end, kind=kind, value=value, precision=precision, timeml=timeml)
        )
    return out
