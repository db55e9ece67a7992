"""``sitroom show`` says what an event's grade rests on and tells a spread of figures that
can all be right from a contradiction."""

from __future__ import annotations

from click.testing import CliRunner

from sitroom.cli import cli
from sitroom.models import Contradiction, EventCluster
from sitroom.store import open_store
from tests.api.sample import populate


def test_show_gives_the_grade_basis_and_the_spread(db_url: str) -> None:
    store = open_store(db_url)
    try:
        sample = populate(store)
        store.write_clusters(
            [
                EventCluster(
                    id=sample.cluster,
                    mention_ids=(sample.wire, sample.monitor),
                    independent_sources=2,
                    contradictions=(
                        Contradiction(
                            "dead",
                            ("7+", "9"),
                            disputed=False,
                            reports=((sample.wire, "7+"), (sample.monitor, "9")),
                        ),
                    ),
                    credibility=1,
                    credibility_basis="2 independent sources: Demo Wire, Frontline Monitor",
                )
            ]
        )
    finally:
        store.close()
    result = CliRunner().invoke(cli, ["show", sample.wire, "--db", db_url], catch_exceptions=False)
    assert result.exit_code == 0
    assert "graded on: 2 independent sources: Demo Wire, Frontline Monitor" in result.stdout
    assert "figures differ: dead: 7+ / 9" in result.stdout and "contradiction:" not in result.stdout
