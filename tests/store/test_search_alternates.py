"""Place filters and full-text search know the GeoNames alternate names of places (issue 22):
"Halab" finds Aleppo's events, on both backends."""

from __future__ import annotations

import pytest

from sitroom.store import Store
from sitroom.store.filters import EventFilter
from sitroom.store.search import Term, also_known_as, name_key, postgresql_tsquery, sqlite_match
from tests.factories import ALEPPO, ARIHA, analysis_of, make_article, make_mention

ALEPPO_TEXT = "Shelling hit a bakery in the old city on Thursday, killing four civilians."
ARIHA_TEXT = "Shelling hit a market in Ariha on Thursday, killing seven civilians."


def populate(store: Store) -> dict[str, str]:
    made = {}
    for key, text, where in (("aleppo", ALEPPO_TEXT, ALEPPO), ("ariha", ARIHA_TEXT, ARIHA)):
        article, sighting = make_article(text, f"https://example.org/{key}")
        mention = make_mention(article, text, where=where)
        store.write_articles([(article, sighting)], {article.id: analysis_of(article, mention)})
        made[key] = mention.id
    return made


def found(store: Store, **kw: object) -> set[str]:
    return {r["id"] for r in store.events(EventFilter(**kw)).records}  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["Halab", "HALAB", "Ḥalab", "Alep", "Haleb", "Madinat Halab"])
def test_a_place_filter_finds_a_place_by_its_alternate_names(store: Store, name: str) -> None:
    ids = populate(store)
    assert found(store, place=name) == {ids["aleppo"]}
    assert store.count_events(EventFilter(place=name), group="event") == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Halab", {"aleppo"}),
        ("halab bakery", {"aleppo"}),  # every term still required
        ("halab market", set()),
        ('"madinat halab"', {"aleppo"}),
        ("shelling", {"aleppo", "ariha"}),
    ],
)
def test_a_search_word_finds_a_place_by_its_alternate_names(
    store: Store, query: str, expected: set[str]
) -> None:
    ids = populate(store)
    assert found(store, q=query) == {ids[k] for k in expected}


def test_only_names_that_are_no_place_s_own_name_stand_for_another() -> None:
    assert also_known_as(name_key("Halab")) == (name_key("Aleppo"),)
    assert also_known_as(name_key("Hims")) == (name_key("Homs"),)
    # Berea is one of Aleppo's old names and a town's own name (Kentucky, Ohio): itself only
    assert also_known_as(name_key("Berea")) == ()
    assert also_known_as(name_key("Aleppo")) == also_known_as("") == ()


def test_a_search_word_stands_for_big_places_only() -> None:
    """Any word may be an alternate name of some town: "market" is one of Marquette's (21,000
    people), "annd" of Anand's (keyed "and"). A place filter takes them, a search word not."""
    assert also_known_as(name_key("market")) == (name_key("Marquette"),)
    assert Term(("market",)).with_others().others == ()
    assert also_known_as("and") and Term(("and",)).with_others().others == ()  # too short
    assert Term(("hims",)).with_others().others == ((name_key("Homs"),),)


def test_query_texts_with_alternatives() -> None:
    terms = [
        Term(("halab",), others=(("alepo",),)),
        Term(("madinat", "halab"), others=(("alepo",),)),
        Term(("ba",), True),
    ]
    assert sqlite_match(terms) == '("halab" OR "alepo") AND ("madinat halab" OR "alepo") AND "ba"*'
    assert postgresql_tsquery(terms) == "('halab' | 'alepo') & ('madinat' <-> 'halab' | 'alepo') & ('ba':*)"
    # a prefix is not a name
    assert Term(("halab",), prefix=True).with_others().others == ()
    assert Term(("halab",)).with_others().others == (("alepo",),)
