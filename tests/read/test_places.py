"""Place resolution: namesakes chosen by context, unknown names kept unresolved, the seed's places."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitroom.read.gazetteer import distance_km, load_gazetteer
from sitroom.read.places import ResolutionContext, choose_entry, resolve_places
from sitroom.rules import load_rules

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed"


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer(load_rules().gazetteer_names)


@pytest.fixture(scope="module")
def words():
    return load_rules().place_words


def context(gazetteer, countries=(), admin1s=(), outlet=None):
    return ResolutionContext(gazetteer, frozenset(countries), frozenset(admin1s), outlet)


def near(found, lat, lon, km):
    """Whether a place or gazetteer entry lies within ``km`` of (lat, lon)."""
    return found is not None and found.lat is not None and distance_km(found.lat, found.lon, lat, lon) <= km


def test_country_aliases_resolve_to_countries(gazetteer):
    for name, iso3 in [("U.S.", "USA"), ("Türkiye", "TUR"), ("Britain", "GBR"), ("Syria", "SYR")]:
        entry = choose_entry(name, context(gazetteer))
        assert entry is not None and entry.country == iso3 and entry.precision == "country"


def test_places_of_a_hand_built_doc_carry_their_offsets_and_source(gazetteer, words):
    """What the reader gets for each place entity: its text and offsets, and for a country
    the country source and no admin1."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    tokens = ["Shelling", "in", "Aleppo", "drew", "protests", "from", "Türkiye", "."]
    ents = ["O", "O", "B-GPE", "O", "O", "O", "B-GPE", "O"]
    doc = Doc(Vocab(), words=tokens, spaces=[True] * 6 + [False, False], ents=ents)
    aleppo, turkey = resolve_places(doc, gazetteer, words)
    assert doc.text[aleppo.start : aleppo.end] == aleppo.text == "Aleppo" and aleppo.precision == "city"
    assert near(aleppo, 36.20, 37.16, 15) and aleppo.source == "geonames" and aleppo.admin1
    assert doc.text[turkey.start : turkey.end] == turkey.text == "Türkiye"
    assert (turkey.country, turkey.precision) == ("TUR", "country")
    assert turkey.source == "country" and turkey.admin1 is None


def test_ambiguous_names_follow_the_document(gazetteer):
    assert near(choose_entry("Paris", context(gazetteer)), 48.86, 2.35, 20)
    in_texas = context(gazetteer, countries={"USA"}, admin1s={("USA", "Texas")})
    paris = choose_entry("Paris", in_texas)
    assert paris is not None and paris.admin1 == "Texas" and near(paris, 33.66, -95.56, 20)
    assert choose_entry("Georgia", context(gazetteer)).precision == "country"
    assert near(choose_entry("Washington", context(gazetteer)), 38.9, -77.04, 20)


def test_city_preferred_over_its_namesake_province(gazetteer):
    aleppo = choose_entry("Aleppo", context(gazetteer))
    assert aleppo.precision == "city" and aleppo.geonameid and near(aleppo, 36.20, 37.16, 15)
    assert near(choose_entry("New York", context(gazetteer)), 40.71, -74.0, 20)
    province = choose_entry("Idlib Province", context(gazetteer))
    assert province.precision == "admin1" and province.country == "SYR"


def test_admin1_names_and_abbreviations(gazetteer):
    texas = choose_entry("Texas", context(gazetteer))
    assert (texas.precision, texas.country, texas.admin1) == ("admin1", "USA", "Texas")
    assert choose_entry("N.J.", context(gazetteer)).admin1 == "New Jersey"


def test_qualified_name_uses_its_qualifier(gazetteer):
    paris = choose_entry("Paris, Texas", context(gazetteer))
    assert paris.admin1 == "Texas"


def test_other_names_of_the_document_vote_for_a_namesake(gazetteer):
    # Alone, "Nelson" is the biggest Nelson (New Zealand); beside Castlegar, a town found only in
    # British Columbia, it is Nelson, B.C., though no country or province is named.
    alone = choose_entry("Nelson", context(gazetteer))
    assert alone is not None and alone.country != "CAN"
    voted = choose_entry("Nelson", context(gazetteer).with_votes(["Nelson", "Castlegar", "Victoria"]))
    assert voted is not None and voted.country == "CAN" and voted.admin1 == "British Columbia"
    # A name's own candidates never vote for it.
    assert choose_entry("Nelson", context(gazetteer).with_votes(["Nelson"])) == alone


def test_countries_sit_at_geonames_points(gazetteer):
    # GeoNames puts Canada in northern Alberta and Japan at Tokyo (data/country_points.tsv).
    assert near(choose_entry("Canada", context(gazetteer)), 60.11, -113.64, 5)
    assert near(choose_entry("Japan", context(gazetteer)), 35.69, 139.75, 5)


def test_unknown_and_far_small_namesakes_stay_unresolved(gazetteer):
    assert choose_entry("Blorptown", context(gazetteer)) is None
    # A village of a few thousand people in another country is not guessed for a Syrian story.
    small = [e for e in gazetteer.lookup("Qandil") if e.kind == "city"]
    assert all(e.population < 20_000 for e in small)
    qandil = choose_entry("Qandil", context(gazetteer, countries={"SYR"}))
    assert qandil.country == "IRQ"
    # Nor a small admin unit: Long Island, Bahamas (a few thousand people) in a US story.
    assert [e.country for e in gazetteer.lookup("Long Island") if e.kind == "admin1"] == ["BHS"]
    assert choose_entry("Long Island", context(gazetteer, countries={"USA"})) is None
    assert choose_entry("Long Island", context(gazetteer, countries={"BHS"})).admin1 == "Long Island"


def test_county_follows_the_state_the_article_names(gazetteer):
    # Montgomery County, Maryland is the most populous of 18; in an Iowa story it is Iowa's.
    alone = choose_entry("Montgomery County", context(gazetteer, countries={"USA"}))
    assert alone is not None and alone.admin1 != "Iowa"
    in_iowa = choose_entry("Montgomery County", context(gazetteer, {"USA"}, {("USA", "Iowa")}))
    assert in_iowa is not None and in_iowa.precision == "admin2" and in_iowa.admin1 == "Iowa"


@pytest.fixture(scope="module")
def nlp(gazetteer, words):
    from sitroom.read.nlp import build_nlp

    return build_nlp(gazetteer.ruler_patterns(words.stop), disable=["lemmatizer"])


@pytest.mark.model
def test_facilities_lie_in_the_town_the_article_is_about(gazetteer, nlp, words):
    text = (
        "HOMS - Shells hit the Al-Amal School and Clock Tower Square in Homs on Monday, "
        "residents said. Homs has been quiet since March."
    )
    places = {p.text: p for p in resolve_places(nlp(text), gazetteer, words)}
    for name in ("Al-Amal School", "Clock Tower Square"):
        place = places[name]
        assert place.name == "Homs" and place.precision == "city" and place.source == "focus:geonames"
        assert text[place.start : place.end] == name
    # A place name inside a facility's name is not where it is; a small town of the same
    # name (Washington Square, Pennsylvania) is not either.
    text = "They met at Washington Square in New Orleans. New Orleans was quiet that night."
    square = next(
        p for p in resolve_places(nlp(text), gazetteer, words) if p.start == text.index("Washington")
    )
    assert square.text == "Washington Square" and square.name == "New Orleans"
    # Without a town to stand in, a facility stays unresolved.
    lone = resolve_places(nlp("Shells hit the Al-Amal School on Monday."), gazetteer, words)
    assert [p.resolved for p in lone if p.text == "Al-Amal School"] == [False]


@pytest.mark.model
def test_a_name_in_a_list_takes_the_precision_of_the_others(gazetteer, nlp, words):
    text = "Job growth was fastest in Utah, Washington, Colorado and Idaho, the report said."
    washington = next(p for p in resolve_places(nlp(text), gazetteer, words) if p.text == "Washington")
    assert washington.precision == "admin1" and washington.admin1 == "Washington"
    alone = next(p for p in resolve_places(nlp("The talks were held in Washington."), gazetteer, words))
    assert alone.precision == "city" and alone.admin1 != "Washington"


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        ("Fighting continued in Idlib province on Monday.", "Idlib", "Idlib"),
        ("Gunmen kidnapped 20 students in Kaduna state, Nigeria.", "Kaduna", "Kaduna"),
        ("Shelling hit the Donetsk region overnight.", "Donetsk", "Donetsk"),
        ("Washington state police arrested two men.", "Washington", "Washington"),
    ],
)
def test_a_name_before_a_unit_word_is_that_province_or_state(gazetteer, nlp, words, text, name, admin1):
    (place,) = [p for p in resolve_places(nlp(text), gazetteer, words) if p.text == name]
    assert (place.precision, place.admin1) == ("admin1", admin1)
    assert text[place.start : place.end] == name  # the span stays the name's
    # the town alone, without the unit word
    (town,) = [p for p in resolve_places(nlp(f"Fighting continued in {name} on Monday."), gazetteer, words)]
    assert town.precision == "city"


@pytest.mark.model
def test_seed_places_resolved_from_the_text(gazetteer, words):
    text_path = SEED / "aleppo-2026-01.txt"
    if not text_path.exists():
        pytest.skip("../shared/seed not present")
    from sitroom.read.nlp import build_nlp

    nlp = build_nlp(gazetteer.ruler_patterns(words.stop), disable=["lemmatizer"])
    text = text_path.read_text(encoding="utf-8")
    places = resolve_places(nlp(text), gazetteer, words, outlet_country="TUR")
    expected = json.loads((SEED / "aleppo-2026-01.expected.json").read_text(encoding="utf-8"))["places"]
    for gold in expected:
        found = [p for p in places if p.text in gold["mention"]]
        assert found, f"{gold['mention']} not found in {[p.text for p in places]}"
        for place in found:
            assert text[place.start : place.end] == place.text
            assert place.country == gold["country"]
            assert near(place, gold["lat"], gold["lon"], gold["tolerance_km"]), place
    assert all(p.text != "Syrian" for p in places)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        # a hyphenated name is one name, never its last part ("Numan" is a town in Nigeria)
        ("Shelling hit a farm near Maarat al-Numan on Monday.", "Maarat al-Numan", "SYR"),
        # the longer name the gazetteer knows before its first word ("San" is a town in Mali)
        ("Agents met at the port of entry in San Ysidro, California, on Monday.", "San Ysidro", "USA"),
        # the Arabic article English leaves out ("Al Qamishli" in GeoNames)
        ("Hundreds of people marched in Qamishli on Friday.", "Qamishli", "SYR"),
    ],
)
def test_multi_word_names_are_matched_whole(gazetteer, nlp, words, text, name, country):
    places = resolve_places(nlp(text), gazetteer, words)
    assert [(p.text, p.country) for p in places if p.precision != "admin1"] == [(name, country)]


@pytest.mark.model
def test_a_famous_city_is_meant_unless_its_namesakes_state_is_named(gazetteer, nlp, words):
    # a U.S. report naming the U.S. is no evidence for Warsaw, Indiana: its state must be named
    text = (
        "WASHINGTON (AP) - A former official told investigators in Washington that the U.S. "
        "ambassador met an aide in Warsaw in September."
    )
    (warsaw,) = [
        p for p in resolve_places(nlp(text), gazetteer, words, outlet_country="USA") if p.text == "Warsaw"
    ]
    assert warsaw.country == "POL"
    text = text.replace("in Warsaw", "in Warsaw, Indiana,")
    (warsaw,) = [
        p for p in resolve_places(nlp(text), gazetteer, words, outlet_country="USA") if p.text == "Warsaw"
    ]
    assert (warsaw.country, warsaw.admin1) == ("USA", "Indiana")
