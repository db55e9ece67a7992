"""events-e2e scores an event's place with the site its clause names, and prints beside it the
figure of the places named in the event's sentence (the article's focus not scored)."""

from __future__ import annotations

from typing import Any

from sitroom.evaluation.events_e2e import NAMED_PLACE, Tally, score_document, system_events

TEXT = "Gunmen stormed a police station in Kano. Two guards died."
GOLD = {
    "doc_id": "d1",
    "text": TEXT,
    "events": [
        {
            "class": "ASSAULT",
            "trigger": {"text": "stormed", "start": 7, "end": 14},
            "arguments": [{"role": "place", "text": "station", "start": 24, "end": 31}],
        },
        {"class": "ASSAULT", "trigger": {"text": "died", "start": 52, "end": 56}, "arguments": []},
    ],
}


def record(sentence: str, location: dict[str, Any] | None) -> dict[str, Any]:
    start = TEXT.index(sentence)
    return {
        "event_type": "ASSAULT",
        "evidence": {"sentence": sentence, "start": start},
        "actor": [],
        "recipient": [],
        "location": location,
    }


KANO = {"text": "Kano", "name": "Kano", "start": 35, "end": 39, "source": "geonames"}


def tally_of(records: list[dict[str, Any]]) -> Tally:
    tally = Tally()
    score_document(GOLD, system_events(records, TEXT, tally), tally)
    return tally


def test_a_place_is_found_by_its_site() -> None:
    site = {"text": "police station", "start": 17, "end": 31}
    first = "Gunmen stormed a police station in Kano."
    assert tally_of([record(first, KANO)]).arguments["place"].found == 0
    found = tally_of([record(first, {**KANO, "site": site})]).arguments["place"]
    assert (found.found, found.correct, found.system) == (1, 1, 1)


def test_the_named_figure_leaves_the_articles_focus_out() -> None:
    focus = {**KANO, "source": "focus:geonames"}
    tally = tally_of([record("Two guards died.", focus)])
    assert (tally.arguments["place"].system, tally.arguments[NAMED_PLACE].system) == (1, 0)
    assert tally.arguments[NAMED_PLACE].gold == tally.arguments["place"].gold == 1


def test_the_named_figure_keeps_the_site_of_an_event_in_the_focus_town() -> None:
    # the town is the dateline's, the site is the clause's own: the text names the site
    site = {"text": "police station", "start": 17, "end": 31}
    focus = {**KANO, "source": "focus:geonames", "site": site}
    named = tally_of([record("Gunmen stormed a police station in Kano.", focus)]).arguments[NAMED_PLACE]
    assert (named.found, named.correct, named.system) == (1, 1, 1)
