"""Time expressions: recognition and resolution against the publication date (rules only,
no spaCy model except the one marked test)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sitroom.models import DateMention
from sitroom.read.dates import find_dates
from sitroom.read.timex_rules import parse_number, scan_timexes, tense_of
from sitroom.rules import load_rules

PAST_VERB = load_rules().past_verb
SATURDAY = date(2026, 1, 10)  # the seed's publication date
WEDNESDAY = date(2026, 1, 14)


def only(text: str, anchor: date = SATURDAY) -> DateMention:
    mentions = find_dates(text, anchor, PAST_VERB)
    assert len(mentions) == 1, mentions
    return mentions[0]


@pytest.mark.parametrize(
    ("text", "anchor", "span", "timeml", "precision"),
    [
        # the seed
        ("Tensions rose sharply on Jan. 5, 2026.", SATURDAY, "Jan. 5, 2026", "2026-01-05", "day"),
        (
            "Officials said the talks, under a March 10 agreement, had aimed at a deal.",
            SATURDAY,
            "March 10",
            "2025-03-10",
            "day",
        ),
        (
            "prompting the ministry to plan a limited military operation beginning Jan. 5.",
            SATURDAY,
            "Jan. 5",
            "2026-01-05",
            "day",
        ),
        # weekdays: the most recent one on or before the anchor, the anchor day included
        ("Fighting broke out on Monday.", SATURDAY, "Monday", "2026-01-05", "day"),
        ("Shelling resumed Tuesday.", SATURDAY, "Tuesday", "2026-01-06", "day"),
        ("The convoy arrived Saturday.", SATURDAY, "Saturday", "2026-01-10", "day"),
        ("Rebels said Friday they had withdrawn.", SATURDAY, "Friday", "2026-01-09", "day"),
        ("The army said Sunday it had withdrawn.", WEDNESDAY, "Sunday", "2026-01-11", "day"),
        ("last Saturday", SATURDAY, "last Saturday", "2026-01-03", "day"),
        ("Talks will resume next Tuesday.", SATURDAY, "next Tuesday", "2026-01-13", "day"),
        ("The council will meet on Tuesday.", SATURDAY, "Tuesday", "2026-01-13", "day"),
        ("The council meets Sunday.", SATURDAY, "Sunday", "2026-01-11", "day"),
        # hedged and parts of days: the day, the modifier kept
        ("Clashes erupted late on Sunday night.", WEDNESDAY, "late on Sunday night", "2026-01-11TNI", "day"),
        ("Drones struck early on Tuesday.", WEDNESDAY, "early on Tuesday", "2026-01-13", "day"),
        ("Gunfire was heard Monday night.", WEDNESDAY, "Monday night", "2026-01-12TNI", "day"),
        ("The strike hit at 9 a.m. Monday.", WEDNESDAY, "9 a.m. Monday", "2026-01-12T09:00", "day"),
        # relative days, weeks, months, years
        ("yesterday", SATURDAY, "yesterday", "2026-01-09", "day"),
        ("today", SATURDAY, "today", "2026-01-10", "day"),
        ("two days ago", SATURDAY, "two days ago", "2026-01-08", "day"),
        ("last week", SATURDAY, "last week", "2026-W01", "week"),
        ("this week", SATURDAY, "this week", "2026-W02", "week"),
        ("last month", SATURDAY, "last month", "2025-12", "month"),
        ("this year", SATURDAY, "this year", "2026", "year"),
        ("It was built in 2019.", SATURDAY, "2019", "2019", "year"),
        ("in early March 2024", SATURDAY, "early March 2024", "2024-03", "month"),
        ("the third quarter", SATURDAY, "the third quarter", "2025-Q3", "year"),
        ("last summer", SATURDAY, "last summer", "2025-SU", "year"),
        # year boundaries
        ("Monday", date(2026, 1, 3), "Monday", "2025-12-29", "day"),
        ("last week", date(2026, 1, 3), "last week", "2025-W52", "week"),
        ("The siege began Dec. 30.", date(2026, 1, 3), "Dec. 30", "2025-12-30", "day"),
        ("The dividend is payable Jan. 2.", date(2025, 12, 30), "Jan. 2", "2026-01-02", "day"),
        ("next year", date(2025, 12, 30), "next year", "2026", "year"),
        ("Elections will be held in March.", SATURDAY, "March", "2026-03", "month"),
        ("The offensive started in March.", SATURDAY, "March", "2025-03", "month"),
        ("last February", date(2026, 3, 5), "last February", "2025-02", "month"),
        # written-out and numeric
        ("10/26/89", date(1989, 11, 2), "10/26/89", "1989-10-26", "day"),
        ("Monday, Oct. 26:", date(1998, 10, 25), "Monday, Oct. 26", "1998-10-26", "day"),
        ("nineteen ninety-six", date(1998, 2, 27), "nineteen ninety-six", "1996", "year"),
    ],
)
def test_dates_resolve_against_the_anchor(text, anchor, span, timeml, precision):
    mention = only(text, anchor)
    assert (mention.text, mention.timeml, mention.precision) == (span, timeml, precision)
    assert text[mention.start : mention.end] == span
    assert mention.value is not None and mention.kind in ("date", "time")


def test_value_is_the_first_day_of_the_precision_unit():
    assert only("last week").value == date(2025, 12, 29)
    assert only("last month").value == date(2025, 12, 1)
    assert only("the third quarter").value == date(2025, 1, 1)


@pytest.mark.parametrize(
    ("text", "modifier"),
    [("late on Sunday night", "late"), ("early on Tuesday", "early"), ("mid-1996", "mid"), ("Tuesday", None)],
)
def test_hedges_are_kept_as_modifiers(text, modifier):
    assert only(text, WEDNESDAY).modifier == modifier


@pytest.mark.parametrize(
    ("text", "kind", "span", "timeml", "modifier"),
    [
        ("after nearly 10 months of negotiations", "duration", "nearly 10 months", "P10M", "nearly"),
        ("The war lasted three years.", "duration", "three years", "P3Y", None),
        ("They were held for two weeks.", "duration", "two weeks", "P2W", None),
        ("over the past three months", "duration", "the past three months", "P3M", None),
        ("within 24 hours", "duration", "24 hours", "PT24H", None),
        ("fighting that has gone on for years", "duration", "years", "PXY", None),
        ("Patrols pass every week.", "set", "every week", "P1W", None),
        ("The report is published annually.", "set", "annually", "P1Y", None),
        ("The situation is now calm.", "date", "now", "PRESENT_REF", None),
        ("in recent years", "date", "recent years", "PAST_REF", None),
    ],
)
def test_durations_sets_and_references_have_no_date(text, kind, span, timeml, modifier):
    mention = only(text)
    assert (mention.kind, mention.text, mention.timeml, mention.modifier) == (kind, span, timeml, modifier)
    assert mention.value is None and mention.precision is None


@pytest.mark.parametrize(
    ("text", "span", "timeml", "value", "precision"),
    [
        ("during the 1990s", "the 1990s", "199", date(1990, 1, 1), "decade"),
        ("in the sixties", "the sixties", "196", date(1960, 1, 1), "decade"),
        ("a 14th-century plague", "14th-century", "13", date(1300, 1, 1), "century"),
    ],
)
def test_a_decade_or_century_is_dated_to_its_first_year(text, span, timeml, value, precision):
    """History (issue 19): an event told by its decade or century takes its first year, at
    that precision, and so is background (sitroom.background); the TimeML value is unchanged."""
    mention = only(text)
    assert (mention.text, mention.timeml, mention.value, mention.precision) == (
        span,
        timeml,
        value,
        precision,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Officials may meet the delegation.",
        "About 2,000 people fled.",
        "A 25-year-old man was killed.",
        "A second attack followed.",
        "They march toward the city.",
        "He paid $1999 for it.",
        "The 2000 votes were counted.",
    ],
)
def test_things_that_are_not_time_expressions(text):
    assert [m.text for m in find_dates(text, SATURDAY, PAST_VERB)] == []


def test_several_mentions_come_in_text_order_with_offsets():
    text = "Shelling resumed on Tuesday after a lull since Dec. 28; last week 40 people died within two days."
    mentions = find_dates(text, SATURDAY, PAST_VERB)
    assert [m.text for m in mentions] == ["Tuesday", "Dec. 28", "last week", "two days"]
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert [m.kind for m in mentions] == ["date", "date", "date", "duration"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The army said Friday that it will withdraw.", "past"),
        ("The council will meet on Friday.", "future"),
        ("The talks are scheduled to resume Friday.", "future"),
        ("Fighting stopped on Friday.", "past"),
        ("Fighting on Friday killed ten.", "unknown"),
        ("It was quiet. The council will meet next month. Fighting on Friday killed ten.", "unknown"),
    ],
)
def test_tense_of_the_sentence(text, expected):
    start = text.index("Friday")
    assert tense_of(text, start, start + len("Friday"), PAST_VERB) == expected


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("10", 10),
        ("ten", 10),
        ("twenty-four", 24),
        ("a", 1),
        ("a couple of", 2),
        ("1,000", 1000),
        ("several", None),
    ],
)
def test_parse_number(words, value):
    assert parse_number(words) == value


def test_scan_joins_a_clock_time_to_the_day_after_it():
    text = "Sirens sounded late on Sunday night, 9 a.m. Monday."
    hits = scan_timexes(text)
    assert [text[h.start : h.end] for h in hits] == ["late on Sunday night", "9 a.m. Monday"]
    assert hits[1].clock is not None


def test_doc_entities_the_rules_miss_are_resolved_with_dateparser():
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Span

    nlp = spacy.blank("en")
    text = "The truce held until Jan 5 despite shelling."
    doc = nlp(text)
    doc.ents = [Span(doc, 4, 6, label="DATE")]  # "Jan 5": no period, which the rules require
    assert find_dates(text, SATURDAY, PAST_VERB) == ()
    mention = only_from(find_dates(text, SATURDAY, PAST_VERB, doc=doc))
    assert (mention.text, mention.value, mention.precision) == ("Jan 5", date(2026, 1, 5), "day")


def only_from(mentions: tuple[DateMention, ...]) -> DateMention:
    assert len(mentions) == 1, mentions
    return mentions[0]


@pytest.mark.shared
def test_seed_dates(seed_dir):
    expected = json.loads((seed_dir / "aleppo-2026-01.expected.json").read_text(encoding="utf-8"))
    text = (seed_dir / "aleppo-2026-01.txt").read_text(encoding="utf-8")
    anchor = date.fromisoformat(expected["article"]["published"])
    mentions = find_dates(text, anchor, PAST_VERB)
    found = {(m.text, m.timeml) for m in mentions}
    for item in expected["dates"]:
        assert (item["text"], item["value"]) in found
    nearly = [m for m in mentions if "10 months" in m.text]
    assert len(nearly) == 1 and nearly[0].kind == "duration" and nearly[0].value is None


@pytest.mark.model
@pytest.mark.shared
def test_seed_dates_with_the_spacy_doc(seed_dir):
    from sitroom.read.nlp import load_model

    text = (seed_dir / "aleppo-2026-01.txt").read_text(encoding="utf-8")
    doc = load_model()(text)
    with_doc = find_dates(text, SATURDAY, PAST_VERB, doc=doc)
    rules_only = {(m.start, m.end) for m in find_dates(text, SATURDAY, PAST_VERB)}
    assert rules_only <= {(m.start, m.end) for m in with_doc}
    assert ("March 10", date(2025, 3, 10)) in {(m.text, m.value) for m in with_doc}


@pytest.mark.parametrize(
    ("text", "timeml", "value"),
    [
        ("The bomb exploded on a Friday afternoon, during lunch.", "XXXX-WXX-5", None),
        ("One Sunday in spring, gunmen attacked the church.", "XXXX-WXX-7", None),
        # the day of the anchor's week, as TimeML has it
        ("About 500 people attended a Sunday service.", "2026-01-04", date(2026, 1, 4)),
        ("Gunmen attacked the church on Sunday.", "2026-01-04", date(2026, 1, 4)),
    ],
)
def test_on_a_weekday_is_any_such_day_not_the_reports(text, timeml, value):
    found = find_dates(text, date(2026, 1, 10), PAST_VERB, look_ahead=False)  # as articles are read
    (mention,) = [m for m in found if m.kind == "date"]
    assert (mention.timeml, mention.value) == (timeml, value)
