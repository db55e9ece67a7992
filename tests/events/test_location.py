"""An event's place keeps the site its clause names, and takes no place that says where a
participant is or comes from, nor the article's town when the sentence sets another act abroad
(issue 19; sentences of our own)."""

from __future__ import annotations

import pytest

from sitroom.api.schemas import Place as PlaceSchema
from sitroom.cli import place_label
from sitroom.models import EventMention
from sitroom.records import event_record, mention_from_record
from tests.events.test_event_places import events_of
from tests.factories import make_article

pytestmark = pytest.mark.model

# An article set in one town: its unplaced acts are there (the article's focus).
SET_IN_ARIHA = "Shelling hit the old market in Ariha, in Idlib province, on Monday. "
# An article whose first sentence names no town: no focus.
NO_TOWN = "Investigators gave no details on Tuesday. "


def event_in(text: str, event_type: str, words: str) -> EventMention:
    (event,) = [e for e in events_of(text) if e.event_type == event_type and words in e.evidence.sentence][:1]
    return event


@pytest.mark.parametrize(
    ("text", "site", "name", "country"),
    [
        # the site beside the town it is in: coordinates stay the town's
        ("Gunmen stormed a police station in Kandahar on Monday.", "police station", "Kandahār", "AFG"),
        # a site named by a street the gazetteer does not know: the site alone
        (
            "A bomb exploded outside a restaurant on Harbour Street, officials said.",
            "restaurant on Harbour Street",
            "Harbour Street",
            None,
        ),
        # a name ending in a place noun the gazetteer lacks: a site in the country named
        (
            "Six soldiers were killed in a Taliban attack near Tarbak Airfield in Afghanistan on Monday.",
            "Tarbak Airfield in Afghanistan",
            "Afghanistan",
            "AFG",
        ),
        # a village near a town: the village is the site, the town the place
        (
            "An air strike killed three people in a village near Maarat al-Numan in southern Idlib.",
            "village near Maarat al-Numan in southern Idlib",
            "Maarat al-Numan",
            "SYR",
        ),
    ],
)
def test_the_site_the_clause_names_is_kept_beside_the_place(text, site, name, country):
    event = event_in(text, "ASSAULT", "")
    where = event.location
    assert where is not None and where.site is not None
    assert (where.site.text, text[where.site.start : where.site.end]) == (site, site)
    assert (where.name, where.country) == (name, country)


def test_a_town_before_an_act_is_where_it_happened():
    event = event_in("The Mombasa bombing killed nine people, officials said.", "ASSAULT", "Mombasa")
    assert event.location is not None
    assert (event.location.name, event.location.country, event.location.source) == (
        "Mombasa",
        "KEN",
        "geonames",
    )


@pytest.mark.parametrize(
    ("text", "event_type", "words"),
    [
        # where a person comes from
        (
            NO_TOWN + "A man from Lyon was wounded when a bomb exploded, officials said.",
            "ASSAULT",
            "man from",
        ),
        # where the people searching are, not where the bomb went off
        (
            NO_TOWN + "Police in Lyon were searching for a man who planted the bomb that wounded six people.",
            "ASSAULT",
            "Police in",
        ),
        # a place of a clause no act is in, beside the act's ("reporters who had gathered in X")
        (
            NO_TOWN
            + "Two guards were killed on Monday, officials told reporters who had gathered in Geneva.",
            "ASSAULT",
            "gathered",
        ),
    ],
)
def test_a_participants_place_is_not_the_acts(text, event_type, words):
    assert event_in(text, event_type, words).location is None


def test_no_article_town_for_an_act_beside_one_abroad():
    text = SET_IN_ARIHA + "Gunmen killed two guards on Tuesday, days after protests against the war in Yemen."
    assert event_in(text, "ASSAULT", "guards").location is None
    # with no place abroad in its sentence, the act is at the article's town
    text = SET_IN_ARIHA + "Gunmen killed two guards on Tuesday, officials said."
    where = event_in(text, "ASSAULT", "guards").location
    assert where is not None and (where.country, where.source.startswith("focus:")) == ("SYR", True)


def test_the_site_travels_with_the_event_record():
    text = "Gunmen stormed a police station in Kandahar on Monday."
    event = event_in(text, "ASSAULT", "")
    article, _ = make_article(text, "https://example.org/kandahar")
    record = event_record(event, article)
    assert record["location"]["site"] == {"text": "police station", "start": 17, "end": 31}
    assert PlaceSchema.model_validate(record["location"]).site is not None
    assert mention_from_record(record).location == event.location


@pytest.mark.parametrize(
    ("site", "label"),
    [
        ("police station", "police station, Kandahar (AFG)"),
        ("school in Kandahar", "Kandahar (AFG)"),  # the site names the town: the town
    ],
)
def test_the_cli_lists_the_site_before_the_town(site, label):
    place = {"name": "Kandahar", "admin1": "Kandahar", "country": "AFG", "precision": "city"}
    assert place_label({**place, "site": {"text": site, "start": 0, "end": len(site)}}) == label


def test_a_name_the_gazetteer_lacks_is_an_unresolved_place():
    where = event_in("Two soldiers were killed in Zarqa Wells on Monday.", "ASSAULT", "").location
    assert where is not None
    assert (where.text, where.resolved, where.source) == ("Zarqa Wells", False, "unresolved")
    # an organisation or a date is no place
    assert event_in("Three men were arrested in Congress on Monday.", "COERCE", "").location is None
