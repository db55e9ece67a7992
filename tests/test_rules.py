"""The rule tables as data: the user's rule files (setting ``rules``) extend the shipped tables
without touching the package, and a bad row is refused with its file, row and allowed values."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.config import load_settings
from sitroom.errors import ConfigError
from sitroom.pipeline import Sitroom
from sitroom.rules import TABLES, load_rules, shipped_path

# "strafe" is in no shipped table: the sentence names no event until a user teaches it one.
REPORT = "Gunmen strafed a crowded bus near Maiduguri on Tuesday.\n"


def events_of(tmp_path: Path, config: str) -> list[tuple[str, str | None, str | None]]:
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    env = {"HOME": str(tmp_path), "SITROOM_CONFIG": str(tmp_path / "config.toml")}
    settings = load_settings(env, overrides={"db": f"sqlite:///{tmp_path / 'sitroom.db'}"})
    app = Sitroom(settings)
    app.ingest([str(tmp_path / "report.txt")])
    return [(e["event_type"], e["mode"], e["acled_sub_event_type"]) for e in app.store.iter_events()]


def test_a_trigger_word_in_a_users_rule_file_changes_the_events(tmp_path: Path) -> None:
    rules = tmp_path / "my_triggers.tsv"
    rules.write_text(
        "# my trigger words\nkind\tkey\tvalue\tmode\tweight\nverb\tstrafe\tASSAULT\tfirearms\t1.0\n"
    )
    (tmp_path / "shipped").mkdir()
    (tmp_path / "taught").mkdir()
    assert events_of(tmp_path / "shipped", "") == []
    assert events_of(tmp_path / "taught", f'rules = ["{rules}"]\n') == [("ASSAULT", "firearms", "Attack")]


def test_a_users_row_replaces_the_shipped_row_of_its_key(tmp_path: Path) -> None:
    path = tmp_path / "weaker.tsv"
    path.write_text("kind\tkey\tvalue\tmode\tweight\nverb\tarrest\tASSAULT\t\t0.2\n", encoding="utf-8")
    assert load_rules().triggers.verbs["arrest"].event_type == "COERCE"
    assert load_rules([str(path)]).triggers.verbs["arrest"].event_type == "ASSAULT"


def test_each_load_reads_the_files_afresh(tmp_path: Path) -> None:
    path = tmp_path / "verbs.tsv"
    path.write_text("verb\troles\nmutter\tspeech\n", encoding="utf-8")
    assert "mutter" in load_rules([str(path)]).cues.speech_verbs
    path.write_text("verb\troles\nwhisper\tspeech\n", encoding="utf-8")
    cues = load_rules([str(path)]).cues
    assert "whisper" in cues.speech_verbs and "mutter" not in cues.speech_verbs


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "kind\tkey\tvalue\tmode\tweight\nverb\tbomb\tBOMBING\t\t1\n",
            r"bad.tsv: row 2: 'bomb' names 'BOMBING', not a PLOVER type \(AGREE",
        ),
        (
            "verb\troles\nsay\tspeech gossip\n",
            r"bad.tsv: row 2: needs a verb and its roles, from speech, cognition",
        ),
        (
            "list\tword\tvalue\n# c\nhedge_adverb\tmaybe\tperhaps\n",
            r"bad.tsv: row 3: 'maybe': the hedge lists need a value from reportedly",
        ),
        (
            "label\tpattern\tweight\nAttack\t(unclosed\t1\n",
            r"bad.tsv: row 2: pattern '\(unclosed' or weight '1' is not usable",
        ),
        (
            "word\tkind\nfled\tpast\n",
            r"bad.tsv: its first row \('word', 'kind'\) is no table's header; use one of triggers: kind <TAB> key",
        ),
        (
            "kind\tkey\tvalue\tmode\tweight\nverb\tbomb\tASSAULT\t\t1\textra\n",
            r"bad.tsv: row 2: 6 cells, the triggers table has 5 columns",
        ),
        (
            "list\tword\nfacility\tcar park\n",
            r"bad.tsv: row 2: needs a list \(generic, facility, facility_org, stop, place_noun, town_noun, area_noun, place_prep, noun_prep, within_prep, site_prep\) and one word",
        ),
        (
            "list\tname\tplace\ncountry_alias\tSham\tSyria\n",
            r"bad.tsv: row 2: needs a list \(country_alias, us_state, ca_province, demonym\), a name and its place",
        ),
    ],
)
def test_a_bad_row_names_its_file_row_and_the_allowed_values(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_rules([str(path)])


def test_a_missing_rule_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigError, match=r"rule file .*nowhere.tsv: cannot read it .*check the `rules` setting"
    ):
        load_rules([str(tmp_path / "nowhere.tsv")])


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_shipped_table_documents_its_columns(table) -> None:  # type: ignore[no-untyped-def]
    text = shipped_path(table).read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert "Columns (tab-separated)" in comments
    assert all(column in comments for column in table.header)


def test_the_documentation_names_every_table() -> None:
    docs = (Path(__file__).parents[1] / "docs" / "rules.md").read_text(encoding="utf-8")
    assert all(table.file in docs for table in TABLES)


def test_a_users_actor_words_compose_a_new_role(tmp_path: Path) -> None:
    from sitroom.read.actors import resolve_actor_text
    from sitroom.read.lexicon import load_lexicon

    path = tmp_path / "actor_words.tsv"
    path.write_text("list\tword\tsector\tinter\nhead\tconstables\tCOP\t1\n", encoding="utf-8")
    shipped = resolve_actor_text("Malian constables", load_lexicon(load_rules().actor_words))
    taught = resolve_actor_text("Malian constables", load_lexicon(load_rules([str(path)]).actor_words))
    assert shipped is None or shipped.sector is None
    assert taught is not None and (taught.country, taught.sector, taught.acled_inter) == ("MLI", "COP", 1)


def test_a_users_speaker_words_add_to_a_kind(tmp_path: Path) -> None:
    from sitroom.events.speakers import classify_speaker

    path = tmp_path / "kinds.tsv"
    path.write_text("kind\tpattern\nmedia\tpodcasters?\n", encoding="utf-8")
    assert classify_speaker("a podcaster", load_rules().cues.speaker_kinds) is None
    assert classify_speaker("a podcaster", load_rules([str(path)]).cues.speaker_kinds) == "media"


def test_a_users_country_words_name_a_country(tmp_path: Path) -> None:
    from sitroom.read.actors import resolve_actor_text
    from sitroom.read.lexicon import load_lexicon

    path = tmp_path / "countries.tsv"
    path.write_text("country\tadjectives\tnames\nMLI\tMalian\tMali|Bamako|Koulouba\n", encoding="utf-8")
    shipped = load_lexicon(load_rules().actor_words)
    taught = load_lexicon(load_rules([str(path)]).actor_words)
    assert shipped.country_of("Koulouba") is None
    assert taught.country_of("Koulouba") == "MLI"
    actor = resolve_actor_text("Koulouba officials", taught)
    assert actor is not None and actor.name == "Malian officials"


def test_a_users_size_words_count_a_new_kind_of_casualty(tmp_path: Path) -> None:
    from sitroom.events.size import find_size

    path = tmp_path / "size.tsv"
    path.write_text(
        "list\tphrase\tvalue\nvictim\tmaimed\tinjured\nvague\tscores upon scores\t40\n", encoding="utf-8"
    )
    sentence = "Scores upon scores of villagers were maimed."
    assert find_size(sentence, load_rules().size_words).injured is None
    injured = find_size(sentence, load_rules([str(path)]).size_words).injured
    assert injured is not None and (injured.min, injured.max) == (40, None)


def test_every_table_has_its_own_header() -> None:
    assert len({table.header for table in TABLES}) == len(TABLES)


def test_a_facility_word_in_a_users_rule_file_places_a_depot_in_the_town(tmp_path: Path) -> None:
    """place_words.tsv: "depot" is no shipped facility word, so "Royal Depot" stays unresolved;
    a user's row makes it a facility, placed at the town the document is about."""
    import spacy
    from spacy.tokens import Doc

    from sitroom.read.gazetteer import load_gazetteer
    from sitroom.read.places import resolve_places

    tokens = ["Shells", "hit", "the", "Royal", "Depot", "in", "Homs", "."]
    ents = ["O", "O", "O", "B-FAC", "I-FAC", "O", "B-GPE", "O"]
    vocab = spacy.blank("en").vocab  # lower-case forms come from the language's vocabulary
    doc = Doc(vocab, words=tokens, spaces=[True] * 6 + [False, False], ents=ents)
    path = tmp_path / "my_places.tsv"
    path.write_text("# my facility words\nlist\tword\nfacility\tdepot\n", encoding="utf-8")
    gazetteer = load_gazetteer(load_rules().gazetteer_names)

    def depot(files: list[str]) -> tuple[str, bool, str | None]:
        place = resolve_places(doc, gazetteer, load_rules(files).place_words)[0]
        return place.text, place.resolved, place.source

    assert depot([]) == ("Royal Depot", False, "unresolved")
    assert depot([str(path)]) == ("Royal Depot", True, "focus:geonames")
