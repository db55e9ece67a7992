"""An event mention is never dated after its article's reference date (publication, else
capture day): a later date of its sentence is a plan's, never the event's. An event its text
leaves undated is dated at its report's day with precision "week" (ACLED's convention),
marked ``date_source`` "report" (or "capture" without a publication date)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache

import pytest

from sitroom.corroborate.tolls import is_background
from sitroom.events.extract import date_event, extract_events
from sitroom.models import Article, EventMention
from sitroom.read.reader import Resources, find_article_dates, load_resources, read_doc
from sitroom.rules import load_rules

PAST_VERB = load_rules().past_verb

CAPTURED = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


def article(text: str, published: str | None) -> Article:
    return Article(
        id="a1", text=text, sha256="", raw_sha256="", origin="test", captured_at=CAPTURED, published=published
    )


def dated(text: str, published: str, trigger: str) -> date | None:
    mentions = find_article_dates(text, article(text, published), PAST_VERB)
    when = date_event(mentions, text.index(trigger), date.fromisoformat(published))
    return when.value if when else None


@pytest.mark.parametrize(
    ("text", "published", "trigger", "expected"),
    [
        ("The next year, the Taliban released two videos of the hostages.", "2019-11-19", "released", None),
        ("He said it would be provided next year.", "2019-11-20", "provided", None),
        ("Modi pledged to double renewable production by 2022.", "2019-11-08", "pledged", None),
        ("Talks will resume on Tuesday.", "2026-01-10", "resume", None),
        ("Rebels shelled the town on Friday.", "2026-01-10", "shelled", date(2026, 1, 9)),
        ("Rebels shelled the town last year.", "2019-11-19", "shelled", date(2018, 1, 1)),
        ("Rebels have shelled the town this year.", "2019-11-19", "shelled", date(2019, 1, 1)),
        # a year-less date is the most recent one not after the report
        ("Rebels shelled the town on Jan. 1.", "2019-12-20", "shelled", date(2019, 1, 1)),
        ("Rebels shelled the town on Dec. 21.", "2019-12-20", "shelled", date(2018, 12, 21)),
        # a decade or a century dates its event to its first year (precision decade/century)
        ("Rebels shelled the town in the 1990s.", "2019-11-19", "shelled", date(1990, 1, 1)),
        ("A 14th-century plague killed millions.", "2019-11-19", "killed", date(1300, 1, 1)),
    ],
)
def test_a_date_after_the_article_never_dates_its_event(text, published, trigger, expected):
    assert dated(text, published, trigger) == expected


def test_the_nearest_date_after_the_article_is_not_replaced_by_another():
    text = "After the truce of Jan. 5, the rebels vowed to attack again next week."
    assert dated(text, "2026-01-10", "attack") is None


@lru_cache(maxsize=1)
def resources() -> Resources:
    return load_resources(load_rules())


def events_of(text: str, published: str | None) -> tuple[EventMention, ...]:
    res = resources()
    (doc,) = res.parser.parse([text])
    record = article(text, published)
    return extract_events(doc, record, read_doc(doc, record, res), res.lexicon, res.rules)


@pytest.mark.model
def test_the_next_year_in_a_2019_article_dates_no_occurred_event_in_2020():
    text = (
        "Militants kidnapped the couple in Afghanistan in 2012. "
        "The next year, the Taliban released two videos of the hostages."
    )
    events = events_of(text, "2019-11-19T10:00:00+00:00")
    assert events
    assert all(e.date is None or e.date <= date(2019, 11, 19) for e in events)
    assert not [e for e in events if e.date is not None and e.date.year == 2020]


@pytest.mark.model
def test_on_friday_in_a_saturday_article_dates_the_event_the_day_before():
    text = "Government forces shelled the city of Aleppo on Friday, and more attacks are expected to follow."
    events = events_of(text, "2026-01-10")
    shelling = [e for e in events if e.evidence.sentence.startswith("Government forces shelled")]
    assert shelling and shelling[0].date == date(2026, 1, 9)


@pytest.mark.model
def test_without_a_publication_date_no_event_is_dated_after_its_capture():
    text = "Gunmen attacked a checkpoint near Aleppo on Jan. 1, killing three soldiers."
    events = events_of(text, None)
    assert events
    assert all(e.date is not None and e.date <= CAPTURED.date() for e in events)


@pytest.mark.model
@pytest.mark.parametrize(
    ("published", "day", "source"),
    [("2026-01-10T08:00:00+00:00", date(2026, 1, 10), "report"), (None, CAPTURED.date(), "capture")],
)
def test_an_event_its_text_leaves_undated_is_dated_at_its_report_within_the_week(published, day, source):
    text = "Gunmen attacked a checkpoint near Aleppo, killing three soldiers."
    events = events_of(text, published)
    assert events
    assert {(e.date, e.date_precision, e.date_source) for e in events} == {(day, "week", source)}


@pytest.mark.model
def test_a_date_of_the_text_is_marked_as_the_texts():
    text = "Government forces shelled the city of Aleppo on Friday."
    (shelling,) = [e for e in events_of(text, "2026-01-10") if e.event_type == "ASSAULT"]
    assert (shelling.date, shelling.date_precision, shelling.date_source) == (date(2026, 1, 9), "day", "text")


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "precision"),
    [
        ("Mongol armies attacked the city of Aleppo in the 13th century, killing thousands.", "century"),
        ("Rebels shelled the town of Aleppo in the 1990s, killing dozens.", "decade"),
    ],
)
def test_history_told_by_its_decade_or_century_is_background(text, precision):
    (event, *_) = events_of(text, "2019-11-19T10:00:00+00:00")
    assert (event.date_precision, event.date_source) == (precision, "text")
    assert is_background(event, date(2019, 11, 19))


@pytest.mark.model
def test_a_plans_date_leaves_the_event_at_its_reports_day_not_after():
    text = "Rebels vowed to attack the town again next week."
    events = events_of(text, "2026-01-10")
    assert events
    assert all((e.date, e.date_source) == (date(2026, 1, 10), "report") for e in events)


HISTORY_LEDE = (
    "The Rolando bombing was an attack on 13 September 1974 at a cafe in Madrid, which killed "
    "13 people. The explosion caused significant damage to the building. Police later arrested "
    "three men."
)


@pytest.mark.model
def test_an_article_that_opens_with_history_dates_its_undated_acts_to_that_story():
    events = events_of(HISTORY_LEDE, "2019-11-19T10:00:00+00:00")
    later = [e for e in events if "Police later" in e.evidence.sentence or "damage" in e.evidence.sentence]
    assert later
    assert {(e.date, e.date_precision, e.date_source) for e in later} == {(date(1974, 1, 1), "year", "story")}
    # history, not this week's news: background, and not placed by the article's town
    assert all(is_background(e, date(2019, 11, 19)) for e in later)
    assert all(e.location is None for e in later)


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        # a date that names which allegation, not when the act happened
        "Sweden has dropped its investigation into a 2010 rape allegation. Police later arrested three men.",
        # news: the opening dates its act this week
        "Rebels shelled the town on Friday, as they had in 1995. Police later arrested three men.",
    ],
)
def test_an_article_that_opens_with_news_dates_its_undated_acts_at_its_report(text):
    events = events_of(text, "2019-11-19T10:00:00+00:00")
    (arrest,) = [e for e in events if "Police later" in e.evidence.sentence]
    assert (arrest.date, arrest.date_precision, arrest.date_source) == (date(2019, 11, 19), "week", "report")


@pytest.mark.model
def test_a_story_of_history_ends_where_the_text_comes_to_the_news():
    text = (
        "In 2014, gunmen killed 40 people in the village. Survivors protested in the village on "
        "Sunday. Police arrested three protesters."
    )
    events = events_of(text, "2019-11-19T10:00:00+00:00")
    (arrest,) = [e for e in events if e.event_type == "COERCE" and "Police arrested" in e.evidence.sentence]
    assert (arrest.date, arrest.date_source) == (date(2019, 11, 19), "report")


@pytest.mark.model
def test_a_day_without_a_year_in_a_story_of_history_is_of_the_storys_year():
    text = HISTORY_LEDE + " On 15 September, the group claimed the bombing."
    events = events_of(text, "2019-11-19T10:00:00+00:00")
    claimed = [e for e in events if "15 September" in e.evidence.sentence]
    assert claimed
    assert {(e.date, e.date_precision, e.date_source) for e in claimed} == {
        (date(1974, 9, 15), "day", "text")
    }
