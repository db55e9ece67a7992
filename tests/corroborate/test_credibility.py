"""Admiralty grading and the outlet reliability table."""

from __future__ import annotations

import pytest

from sitroom.corroborate.credibility import grade_credibility, load_outlets, parse_outlets
from sitroom.errors import ConfigError
from sitroom.models import Contradiction

HEADER = "outlet\tdomains\treliability\tcountry\tgroup\tnotes\n"
DEAD = Contradiction("dead", ("7", "9"))
PERPETRATOR = Contradiction("perpetrator", ("A", "B"))


@pytest.mark.parametrize("letter", list("ABCDEF"))
@pytest.mark.parametrize("hedged", [False, True])
def test_a_single_source_is_never_confirmed(letter, hedged):
    grade = grade_credibility(
        independent_sources=1, reliabilities=[letter], all_hedged=hedged, contradictions=()
    )
    assert grade != 1
    assert 2 <= grade <= 4


@pytest.mark.parametrize(
    ("sources", "letters", "hedged", "contradictions", "denied", "expected"),
    [
        (2, "BF", False, (), False, 1),  # corroborated, one usually reliable outlet
        (3, "FFF", False, (), False, 1),  # three independent unjudged sources
        (2, "FF", False, (), False, 2),  # two unjudged sources only
        (2, "BF", True, (), False, 2),  # every report hedged
        (3, "FFF", False, (DEAD,), False, 2),  # a disputed toll
        (3, "BFF", False, (DEAD, PERPETRATOR), False, 3),  # toll and perpetrator disputed
        (1, "B", False, (), False, 2),
        (1, "F", False, (), False, 3),
        (1, "F", True, (), False, 4),  # "reportedly"
        (1, "D", False, (), False, 4),
        (2, "BF", False, (), True, 5),  # one report denies it happened
        (0, "", False, (), False, 6),
    ],
)
def test_grading_rules(sources, letters, hedged, contradictions, denied, expected):
    grade = grade_credibility(
        independent_sources=sources,
        reliabilities=list(letters),
        all_hedged=hedged,
        contradictions=contradictions,
        denied=denied,
    )
    assert grade == expected


def test_all_hypothetical_cannot_be_judged():
    assert (
        grade_credibility(
            independent_sources=2,
            reliabilities="BB",
            all_hedged=False,
            contradictions=(),
            all_hypothetical=True,
        )
        == 6
    )


def test_shipped_table_loads_and_finds_outlets_by_name_and_domain():
    table = load_outlets()
    assert table.find("daily sabah").group == table.find("Anadolu Agency").group
    assert table.find(None, "https://www.reuters.com/world/x").name == "Reuters"
    assert table.find(None, "https://edition.bbc.co.uk/news").name == "BBC"
    assert table.find("Unknown Gazette", "https://gazette.example/") is None
    assert all(row.reliability in "ABCDEF" for row in table.outlets)


def test_unlisted_outlet_is_unjudged_and_its_own_source(articles):
    table = parse_outlets(HEADER + "Wire\twire.example\tB\t\tWire Group\t\n")
    assert table.reliability(articles["a8-aleppo"]) == "F"
    assert table.source_key(articles["a8-aleppo"]) == "outlet:aleppo today desk"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name\tdomains\n", "the header must be"),
        (HEADER + "Wire\twire.example\tG\t\t\t\n", "reliability letter A-F"),
        (HEADER + "\twire.example\tB\t\t\t\n", "need an outlet name"),
    ],
)
def test_bad_tables_are_rejected_with_the_line(text, message):
    with pytest.raises(ConfigError, match=message):
        parse_outlets(text, "my-outlets.tsv")


def test_find_matches_domains_and_subdomains_first_row_first():
    from sitroom.corroborate.credibility import Outlet, OutletTable

    table = OutletTable(
        (
            Outlet("Regional Desk", ("north.wire.example",), "C"),
            Outlet("Wire", ("wire.example",), "B"),
            Outlet("Wire Again", ("wire.example",), "E"),
            Outlet("wire", ("other.example",), "D"),
        )
    )
    assert table.find(None, "https://wire.example/a").name == "Wire"
    assert table.find(None, "https://www.live.wire.example/a").name == "Wire"
    # a subdomain row listed first wins over its parent domain's row, as in the table's order
    assert table.find(None, "https://north.wire.example/a").name == "Regional Desk"
    assert table.find(None, "https://notwire.example/a") is None
    assert table.find("  WIRE ", "https://other.example/").name == "Wire"  # the name first, its first row
    assert table.find("Unlisted", "https://x.north.wire.example/").name == "Regional Desk"


def test_a_spread_of_compatible_figures_does_not_lower_the_grade():
    spread = Contradiction("dead", ("7+", "9"), disputed=False, reports=(("m1", "7+"), ("m2", "9")))
    assert (
        grade_credibility(
            independent_sources=2, reliabilities=("A", "F"), all_hedged=False, contradictions=(spread,)
        )
        == 1
    )
    disputed = Contradiction("dead", ("7", "9"))
    assert (
        grade_credibility(
            independent_sources=2, reliabilities=("A", "F"), all_hedged=False, contradictions=(disputed,)
        )
        == 2
    )
