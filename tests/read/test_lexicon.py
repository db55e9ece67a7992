"""The actor lexicon: shipped rows, user files, lookups and loader errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.errors import ConfigError
from sitroom.read.lexicon import HEADER, load_lexicon
from sitroom.rules import load_rules

WORDS = load_rules().actor_words

HEADER_LINE = "\t".join(HEADER)


def write(tmp_path: Path, *rows: str, header: str = HEADER_LINE) -> str:
    path = tmp_path / "mine.tsv"
    path.write_text("\n".join(["# my actors", header, *rows]) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("text", "name", "country", "sector"),
    [
        ("MIT", "National Intelligence Organization (Türkiye)", "TUR", "SPY"),
        (
            "the National Intelligence Organization",
            "National Intelligence Organization (Türkiye)",
            "TUR",
            "SPY",
        ),
        ("PKK", "Kurdistan Workers' Party", None, "REB"),
        ("the SDF", "Syrian Democratic Forces", "SYR", "REB"),
        ("syrian interior ministry", "Ministry of Interior (Syria)", "SYR", "COP"),
        ("Da’esh", "Islamic State", None, "REB"),
        ("ICRC", "International Committee of the Red Cross", "NGO", "NGO"),
        ("UN Security Council", "United Nations Security Council", "IGO", "IGO"),
    ],
)
def test_lookup_finds_shipped_actors(text: str, name: str, country: str | None, sector: str) -> None:
    entry = load_lexicon(WORDS).lookup(text)
    assert entry is not None
    assert (entry.name, entry.country, entry.sector) == (name, country, sector)


def test_one_word_aliases_are_case_sensitive() -> None:
    lexicon = load_lexicon(WORDS)
    assert lexicon.lookup("MIT") is not None
    assert lexicon.lookup("mit") is None
    assert lexicon.lookup("is") is None


def test_shipped_lexicon_is_large_and_coded() -> None:
    entries = load_lexicon(WORDS).entries
    assert len(entries) >= 300
    assert all(e.acled_inter is None or 1 <= e.acled_inter <= 8 for e in entries)


def test_country_words() -> None:
    lexicon = load_lexicon(WORDS)
    assert [lexicon.country_of(w) for w in ("Syrian", "Türkiye", "U.S.", "Kurdish", "Ankara")] == [
        "SYR",
        "TUR",
        "USA",
        None,
        "TUR",
    ]


def test_ruler_patterns_match_acronyms_exactly_and_names_in_any_case() -> None:
    patterns = load_lexicon(WORDS).ruler_patterns()
    mit = [p for p in patterns if p.get("id") == "National Intelligence Organization (Türkiye)"]
    assert {"ORTH": "MIT"} in [token for p in mit for token in p["pattern"]]
    assert {p["label"] for p in patterns} >= {"ORG", "NORP", "PERSON"}


def test_user_file_adds_and_overrides(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Local Defence Brigade\tLDB|Local Defence Brigade\tSYR\tUAF\t3\tORG",
        "Syrian Democratic Forces\tSDF\tSYR\tMIL\t2\t",
    )
    lexicon = load_lexicon(WORDS, [path])
    added = lexicon.lookup("LDB")
    assert added is not None and added.sector == "UAF" and added.origin.endswith("mine.tsv:3")
    replaced = lexicon.lookup("SDF")
    assert replaced is not None and replaced.sector == "MIL"


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        (["X\tX\tXYZ\tGOV\t1\tORG"], HEADER_LINE, "mine.tsv:3: country 'XYZ'"),
        (["X\tX\tSYR\tTERRORIST\t1\tORG"], HEADER_LINE, "mine.tsv:3: unknown sector 'TERRORIST'"),
        (["X\tX\tSYR\tGOV\t9\tORG"], HEADER_LINE, "mine.tsv:3: inter '9'"),
        (["X\tX\tSYR\tGOV\t1\tGPE"], HEADER_LINE, "mine.tsv:3: ner 'GPE'"),
        (["X\tX"], HEADER_LINE, "mine.tsv:3: expected 6 tab-separated columns"),
        (["\tX\tSYR\tGOV\t1\tORG"], HEADER_LINE, "mine.tsv:3: the name column is empty"),
        (["X\tX\tSYR\tGOV\t1\tORG"], "name\tcountry", "mine.tsv:2: the first row must be the header"),
    ],
)
def test_malformed_user_file_names_file_and_line(
    tmp_path: Path, rows: list[str], header: str, message: str
) -> None:
    path = write(tmp_path, *rows, header=header)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        load_lexicon(WORDS, [path])


def test_missing_user_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nowhere\.tsv"):
        load_lexicon(WORDS, [str(tmp_path / "nowhere.tsv")])
