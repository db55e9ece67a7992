"""Outlet grades kept in the store win over the outlet table (merge_outlets, Sitroom.outlets)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.config import Settings
from sitroom.corroborate.credibility import Outlet, OutletTable, merge_outlets
from sitroom.models import OutletGrade
from sitroom.pipeline import Sitroom
from sitroom.store import Store

TABLE = OutletTable(
    (
        Outlet("Reuters", ("reuters.com",), "B", "GBR", "Reuters", "wire"),
        Outlet("Daily Sabah", ("dailysabah.com",), "F", "TUR", "Anadolu Agency"),
    )
)


def test_a_grade_replaces_the_letter_and_keeps_the_fields_it_leaves_out() -> None:
    merged = merge_outlets(TABLE, [OutletGrade("reuters", "A")])
    assert merged.outlets[0] == Outlet("reuters", ("reuters.com",), "A", "GBR", "Reuters", "wire")
    assert merged.outlets[1] == TABLE.outlets[1] and len(merged.outlets) == 2
    assert merged.find(None, "https://www.reuters.com/world/x").reliability == "A"  # type: ignore[union-attr]


def test_an_empty_string_clears_a_field_and_given_fields_win() -> None:
    merged = merge_outlets(
        TABLE,
        [OutletGrade("Daily Sabah", "D", country="", group="Turkuvaz", domains=("sabah.com.tr",), notes="n")],
    )
    assert merged.outlets[1] == Outlet("Daily Sabah", ("sabah.com.tr",), "D", None, "Turkuvaz", "n")


def test_a_grade_of_an_unlisted_outlet_is_added_after_the_table() -> None:
    merged = merge_outlets(TABLE, [OutletGrade("Frontline Monitor", "C", country="SYR")])
    assert merged.outlets[:2] == TABLE.outlets
    assert merged.outlets[2] == Outlet("Frontline Monitor", (), "C", "SYR", None, "")
    assert merged.find("frontline monitor").reliability == "C"  # type: ignore[union-attr]


def test_the_store_keeps_one_grade_per_name_whatever_the_case(store: Store) -> None:
    assert store.outlet_grades() == []
    store.write_outlet_grade(
        OutletGrade("Frontline Monitor", "C", country="SYR", domains=("fm.example", "fm.example.org"))
    )
    store.write_outlet_grade(OutletGrade("Reuters", "A", group=""))
    store.write_outlet_grade(OutletGrade("frontline monitor", "B"))
    assert store.outlet_grades() == [
        OutletGrade("Reuters", "A", group=""),
        OutletGrade("frontline monitor", "B"),
    ]


@pytest.mark.parametrize("grade", ["A", "E"])
def test_sitroom_outlets_reads_the_stored_grades_at_once(tmp_path: Path, grade: str) -> None:
    app = Sitroom(Settings(db=f"sqlite:///{tmp_path / 'o.db'}"))
    assert app.outlets.find("Reuters").reliability == "B"  # type: ignore[union-attr]
    app.store.write_outlet_grade(OutletGrade("Reuters", grade))
    row = app.outlets.find("Reuters")
    assert row is not None and row.reliability == grade and row.group == "Reuters"
    app.store.close()
