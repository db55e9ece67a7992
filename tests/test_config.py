"""Settings: defaults -> file -> environment -> flags, validated once, all documented."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from sitroom.config import Settings, load_settings
from sitroom.errors import ConfigError

DOCS = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def test_every_setting_is_documented() -> None:
    documented = set(re.findall(r"^\| `(\w+)` \|", DOCS.read_text(), flags=re.M))
    assert documented == {f.name for f in fields(Settings)}


def test_layers_override_in_order(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('db = "sqlite:///file.db"\nworkers = 3\nbatch_size = 10\n')
    env = {"SITROOM_CONFIG": str(config), "SITROOM_WORKERS": "2", "SITROOM_LEXICON": "a.tsv:b.tsv"}
    settings = load_settings(env, overrides={"batch_size": 5, "db": None})
    assert settings.db == "sqlite:///file.db"  # file (flag not given)
    assert settings.workers == 2  # environment beats file
    assert settings.batch_size == 5  # flag beats file
    assert settings.lexicon == ("a.tsv", "b.tsv")


def test_default_store_is_a_local_sqlite_file(tmp_path: Path) -> None:
    settings = load_settings({"XDG_DATA_HOME": str(tmp_path), "HOME": str(tmp_path)})
    assert settings.db == f"sqlite:///{tmp_path / 'sitroom' / 'sitroom.db'}"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SITROOM_WORKERS": "many"}, "workers"),
        ({"SITROOM_WORKERS": "0"}, "workers must be at least 1"),
        ({"SITROOM_DB": "just-a-path.db"}, "not an SQLAlchemy URL"),
        ({"SITROOM_ALLOW_PRIVATE": "perhaps"}, "allow_private"),
        ({"SITROOM_CONFIG": "/nonexistent/sitroom.toml"}, "does not exist"),
    ],
)
def test_bad_settings_are_config_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(env)


def test_unknown_file_key_is_reported(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("colour = 'red'\n")
    with pytest.raises(ConfigError, match="unknown setting"):
        load_settings({"SITROOM_CONFIG": str(config)})


def test_fetch_deadline_reaches_the_fetch_policy(tmp_path: Path) -> None:
    from sitroom.pipeline import Sitroom

    settings = load_settings(env={"HOME": str(tmp_path)}, overrides={"fetch_deadline": "45"})
    assert Sitroom(settings).fetch_policy().deadline == 45  # the store is opened lazily: none here


def test_fetch_deadline_below_the_network_timeout_is_refused() -> None:
    with pytest.raises(ConfigError, match="fetch_deadline"):
        load_settings(env={"HOME": "/nonexistent"}, overrides={"fetch_timeout": "20", "fetch_deadline": "5"})
