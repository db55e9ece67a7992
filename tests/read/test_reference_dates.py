"""Year-less dates in an article are the most recent occurrence not after its reference
date: the publication day, else the capture day of a text that gives none."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sitroom.errors import ConfigError
from sitroom.models import Article
from sitroom.read.reader import find_article_dates
from sitroom.read.timex_rules import tense_of
from sitroom.rules import load_rules

PAST_VERB = load_rules().past_verb

SATURDAY = date(2026, 1, 10)
CAPTURED = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


def article(text: str, published: date | None, captured: datetime = CAPTURED) -> Article:
    iso = published.isoformat() if published else None
    return Article(
        id="a1", text=text, sha256="", raw_sha256="", origin="test", captured_at=captured, published=iso
    )


def value_of(text: str, anchor: date | None, expression: str, captured: datetime = CAPTURED) -> date | None:
    mentions = find_article_dates(text, article(text, anchor, captured), PAST_VERB)
    (mention,) = [m for m in mentions if m.text == expression]
    return mention.value


@pytest.mark.parametrize(
    ("text", "anchor", "expression", "expected"),
    [
        ("The truce of Jan. 1 held for a week.", date(2026, 1, 10), "Jan. 1", date(2026, 1, 1)),
        ("The truce of Jan. 1 held for a week.", date(2025, 12, 20), "Jan. 1", date(2025, 1, 1)),
        ("Shelling on Dec. 24 killed three.", date(2025, 11, 30), "Dec. 24", date(2024, 12, 24)),
        ("Protests in January were dispersed.", date(2025, 12, 20), "January", date(2025, 1, 1)),
        # "on Friday" in an article published on Saturday is the day before, whatever
        # else its sentence says about the future
        ("The market was closed on Friday.", SATURDAY, "Friday", date(2026, 1, 9)),
        (
            "Protesters marched to the square on Friday, and more rallies are expected to follow.",
            SATURDAY,
            "Friday",
            date(2026, 1, 9),
        ),
        # the day after the anchor, untold, is six days before it, not tomorrow
        ("Gunmen stormed a checkpoint Sunday.", SATURDAY, "Sunday", date(2026, 1, 4)),
        ("last month", SATURDAY, "last month", date(2025, 12, 1)),
    ],
)
def test_year_less_dates_are_the_last_occurrence_not_after_the_anchor(text, anchor, expression, expected):
    assert value_of(text, anchor, expression) == expected


@pytest.mark.parametrize(
    ("text", "expression", "expected"),
    [
        ("The dividend is payable Jan. 2.", "Jan. 2", date(2026, 1, 2)),
        ("The council will meet on Tuesday.", "Tuesday", date(2026, 1, 13)),
        ("Officials said the talks will resume Tuesday.", "Tuesday", date(2026, 1, 13)),
    ],
)
def test_a_date_told_as_future_stays_ahead(text, expression, expected):
    anchor = date(2025, 12, 30) if "payable" in text else SATURDAY
    assert value_of(text, anchor, expression) == expected


@pytest.mark.parametrize(
    ("text", "expression"),
    [("The truce of Jan. 1 held for a week.", "Jan. 1"), ("Gunmen stormed a checkpoint Sunday.", "Sunday")],
)
def test_without_a_publication_date_the_capture_day_is_the_reference(text, expression):
    captured = datetime(2025, 12, 20, 9, 30, tzinfo=UTC)  # a Saturday
    value = value_of(text, None, expression, captured)
    assert value is not None and value <= captured.date()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Protesters marched to the square on Friday, and more rallies are expected to follow.", "past"),
        ("Protesters planned a rally on Friday and were planning to march.", "future"),
        ("He added that guidelines to be published on Friday will decide.", "future"),
        ("Armed men on Friday will escort the convoy.", "future"),
    ],
)
def test_a_past_verb_before_the_expression_outweighs_future_words_after_it(text, expected):
    start = text.index("Friday")
    assert tense_of(text, start, start + len("Friday"), PAST_VERB) == expected


def test_the_tense_word_table_names_each_row_s_role(tmp_path):
    path = tmp_path / "tense_words.tsv"
    # a user's rows replace the shipped rows of the same words
    path.write_text("# header\nword\trole\nfled\tnot_past\nplanned\tpast\n", encoding="utf-8")
    past_verb = load_rules([str(path)]).past_verb
    assert past_verb.search("they planned") and not past_verb.search("they fled")
    assert PAST_VERB.search("they fled") and not PAST_VERB.search("they planned")
    path.write_text("word\trole\nFled\tsometimes\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"row 2: needs a lower-case word and a role \(past, not_past\)"):
        load_rules([str(path)])
