"""The gazetteer: sources indexed, names normalised, user TSV files checked line by line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sitroom.errors import ConfigError
from sitroom.read.gazetteer import (
    TSV_COLUMNS,
    distance_km,
    load_gazetteer,
    normalise_name,
    read_gazetteer_tsv,
)
from sitroom.rules import load_rules

HEADER = "\t".join(TSV_COLUMNS)


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer(load_rules().gazetteer_names)


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("U.S.", "USA"),
        ("US", "USA"),
        ("Britain", "GBR"),
        ("UK", "GBR"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Syria", "SYR"),
        ("Russia", "RUS"),
        ("Iran", "IRN"),
        ("South Korea", "KOR"),
        ("Syrian Arab Republic", "SYR"),
    ],
)
def test_country_aliases(gazetteer, name, iso3):
    assert any(e.kind == "country" and e.country == iso3 for e in gazetteer.lookup(name))


def test_admin1_units_have_names_and_points(gazetteer):
    texas = [e for e in gazetteer.lookup("Texas") if e.kind == "admin1"]
    assert texas and texas[0].country == "USA"
    assert distance_km(texas[0].lat, texas[0].lon, 31.0, -99.0) < 200
    idlib = [e for e in gazetteer.lookup("Idlib") if e.kind == "admin1"]
    assert idlib and idlib[0].country == "SYR"
    assert [e.name for e in gazetteer.lookup("Calif.")] == ["California"]


def test_curated_places_and_demonyms(gazetteer):
    (maqsoud,) = gazetteer.lookup("Sheikh Maksoud")
    assert maqsoud.precision == "neighbourhood" and maqsoud.source
    assert gazetteer.demonym("Syrian").country == "SYR"
    assert gazetteer.demonym("American").country == "USA"


def test_normalise_name_folds_accents_case_and_articles():
    assert normalise_name("The  Gaza Strip") == "gaza strip"
    assert normalise_name("Türkiye") == normalise_name("TURKIYE")
    assert normalise_name("Sheikh Maqsoud’s") == "sheikh maqsoud's"


def test_ruler_patterns_are_labelled_and_skip_common_words(gazetteer):
    stop = load_rules().place_words.stop
    patterns = {p["pattern"]: p["label"] for p in gazetteer.ruler_patterns(stop)}
    assert patterns["Aleppo"] == "GPE"
    assert patterns["Sheikh Maksoud"] == "LOC"
    assert patterns["White House"] == "FAC"
    assert patterns["Syria"] == "GPE"
    for word in ("Of", "Mobile", "Reading", "David", "South"):
        assert word not in patterns
    assert {p["label"] for p in gazetteer.ruler_patterns(stop)} <= {"GPE", "LOC", "FAC"}


def test_a_stop_name_in_a_users_rule_file_gets_no_ruler_pattern(gazetteer, tmp_path: Path):
    """place_words.tsv's stop list: "Aleppo" is a pattern of the entity ruler until a user's
    row names it a stop name."""
    path = tmp_path / "my_places.tsv"
    path.write_text("list\tword\nstop\tAleppo\n", encoding="utf-8")
    shipped = {p["pattern"] for p in gazetteer.ruler_patterns(load_rules().place_words.stop)}
    taught = {p["pattern"] for p in gazetteer.ruler_patterns(load_rules([str(path)]).place_words.stop)}
    assert "Aleppo" in shipped and "Aleppo" not in taught
    assert shipped - taught == {"Aleppo", "ALEPPO"}  # and its dateline form


def test_user_file_is_read(tmp_path: Path):
    path = tmp_path / "mine.tsv"
    row = "camp-x\tCamp X\tX Camp\tcamp\tsite\t34.5\t36.1\tLBN\t\t\tapproximate: our field team"
    path.write_text(f"# my places\n{HEADER}\n{row}\n", encoding="utf-8")
    (entry,) = read_gazetteer_tsv(path)
    assert (entry.id, entry.name, entry.aliases, entry.country) == (
        "sitroom:camp-x",
        "Camp X",
        ("X Camp",),
        "LBN",
    )
    assert (
        load_gazetteer(load_rules().gazetteer_names, [str(path)]).lookup("X Camp")[0].id == "sitroom:camp-x"
    )


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("a\tb\n", 1, "header"),
        (f"{HEADER}\nx\tX\t\tcamp\tsite\t34.5\n", 2, "expected 11"),
        (f"{HEADER}\nx\tX\t\tcamp\tsite\tnorth\t36\tLBN\t\t\tsrc\n", 2, "decimal degrees"),
        (f"{HEADER}\n\nx\tX\t\tcamp\tsite\t34\t360\tLBN\t\t\tsrc\n", 3, "out of range"),
        (f"{HEADER}\nx\tX\t\tvillage\tsite\t34\t36\tLBN\t\t\tsrc\n", 2, "kind must be"),
        (f"{HEADER}\nx\tX\t\tcamp\tsite\t34\t36\tLBN\t\t\t\n", 2, "source are required"),
    ],
)
def test_malformed_user_file_names_file_and_line(tmp_path: Path, body, line, message):
    path = tmp_path / "bad.tsv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        read_gazetteer_tsv(path)
    assert f"{path}:{line}:" in str(error.value)
    assert message in str(error.value)


def test_built_gazetteer_is_kept_on_disk_and_reads_back_the_same(gazetteer):
    from sitroom.read.gazetteer import _read_cache, cache_path

    path = cache_path(load_rules().gazetteer_names, ())
    if not path.exists():
        pytest.skip(f"{path.parent} not writable here: the gazetteer was built in the process")
    kept = _read_cache(path)
    assert kept is not None and len(kept.entries) == len(gazetteer.entries)
    assert [e.id for e in kept.lookup("Aleppo")] == [e.id for e in gazetteer.lookup("Aleppo")]


def test_cache_file_name_follows_the_user_files(tmp_path):
    from sitroom.read.gazetteer import _read_cache, cache_path

    path = tmp_path / "extra.tsv"
    path.write_text("\t".join(TSV_COLUMNS) + "\n", encoding="utf-8")
    names = load_rules().gazetteer_names
    first = cache_path(names, [str(path)])
    path.write_text("\t".join(TSV_COLUMNS) + "\n# changed\n", encoding="utf-8")
    assert cache_path(names, [str(path)]) != first != cache_path(names, ())
    fewer = replace(names, country_aliases=names.country_aliases[1:])
    assert cache_path(fewer, ()) != cache_path(names, ())  # the names key the file too
    assert _read_cache(tmp_path / "missing.pickle") is None


def test_cache_folder_keeps_only_the_most_recently_used_files(tmp_path):
    import os

    from sitroom.read.gazetteer import prune_cache

    files = [tmp_path / f"gazetteer-{n}.pickle" for n in range(6)]
    for age, path in enumerate(files):
        path.write_bytes(b"x")
        os.utime(path, (1000 - age, 1000 - age))  # gazetteer-0 is the newest
    other = tmp_path / "notes.txt"
    other.write_text("kept")
    prune_cache(tmp_path, keep=files[5], most=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "gazetteer-0.pickle",
        "gazetteer-1.pickle",
        "gazetteer-5.pickle",
        "notes.txt",
    ]


def test_names_in_a_users_rule_file_reach_the_built_gazetteer(tmp_path: Path, monkeypatch):
    """gazetteer_names.tsv: a user's country alias, state abbreviation and demonym are names of
    the built gazetteer (built afresh in a child process: the names key the cached file)."""
    from sitroom.read.gazetteer import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    path = tmp_path / "my_names.tsv"
    path.write_text(
        "list\tname\tplace\ncountry_alias\tSham\tSYR\nus_state\tTex.\tTX\ndemonym\tLevantine\tcountry:LBN\n",
        encoding="utf-8",
    )
    shipped = load_gazetteer(load_rules().gazetteer_names)
    assert not shipped.lookup("Sham") and not shipped.lookup("Tex.") and shipped.demonym("Levantine") is None
    taught = load_gazetteer(load_rules([str(path)]).gazetteer_names)
    assert [e.id for e in taught.lookup("Sham")] == ["country:SYR"]
    assert [e.id for e in taught.lookup("Tex.")] == ["admin1:US.TX"]
    demonym = taught.demonym("Levantine")
    assert demonym is not None and demonym.id == "country:LBN"
