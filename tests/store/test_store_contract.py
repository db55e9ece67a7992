"""The storage contract, run on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from sqlalchemy import text

from sitroom.errors import StoreError
from sitroom.models import Rejection
from sitroom.store import IngestOutcome, Store
from sitroom.store.store import ArticleFilter
from tests.factories import NOW, make_article


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from sitroom.store.store import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def test_migrations_are_recorded_and_idempotent(store: Store) -> None:
    assert store.revision() == head_revision()
    store.migrate()
    assert store.revision() == head_revision()


def test_article_round_trip_keeps_text_and_provenance(store: Store) -> None:
    item = make_article("Shelling hit a market.\n\nSeven were killed.", "https://a.example/1")
    assert store.write_articles([item]) == [IngestOutcome.STORED]
    got = store.article(item[0].id)
    assert got == item[0]
    assert got is not None and got.text[got.text.index("Seven") :] == "Seven were killed."


def test_same_report_twice_is_stored_once(store: Store) -> None:
    item = make_article("Shelling hit a market.", "https://a.example/1")
    store.write_articles([item])
    assert store.write_articles([item]) == [IngestOutcome.KNOWN]
    assert store.count("articles") == 1
    assert store.count("sightings") == 1


def test_syndicated_copy_is_a_new_sighting_not_a_new_article(store: Store) -> None:
    article, sighting = make_article("Shelling hit a market.", "https://a.example/1")
    copy = replace(sighting, origin="https://b.example/2", url="https://b.example/2", outlet="Levant Daily")
    assert store.write_articles([(article, sighting), (article, copy)]) == [
        IngestOutcome.STORED,
        IngestOutcome.SIGHTING,
    ]
    assert store.count("articles") == 1
    assert [s.outlet for s in store.sightings(article.id)] == ["Demo Wire", "Levant Daily"]


def test_rejections_are_recorded_once_with_reason(store: Store) -> None:
    rejection = Rejection("bad.html", "bad.html: binary data (a PNG image)", "binary", NOW, "ab" * 32)
    store.write_articles([rejection])
    store.write_articles([rejection])
    assert store.rejections() == [rejection]


def test_a_failing_batch_leaves_nothing_half_written(store: Store) -> None:
    good = make_article("First report.", "https://a.example/1")
    store.write_articles([good])
    second = make_article("Second report.", "https://a.example/2")
    third, sighting = make_article("Third report.", "https://a.example/3")
    orphan = replace(sighting, article_id="a-missing")  # violates the foreign key: the batch fails
    with pytest.raises(StoreError):
        store.write_articles([second, (third, orphan)])
    assert store.count("articles") == 1
    assert store.article(good[0].id) == good[0]


def test_articles_newest_first_with_filters(store: Store) -> None:
    old = make_article("Old report.", "https://a.example/old", published="2025-12-01T00:00:00+00:00")
    new = make_article("New report.", "https://b.example/new", outlet="City Herald", published="2026-01-11")
    store.write_articles([old, new])
    assert [a.id for a in store.articles()] == [new[0].id, old[0].id]
    assert [a.id for a in store.articles(ArticleFilter(outlet="City Herald"))] == [new[0].id]
    assert [a.id for a in store.iter_articles(batch=1)] == sorted([old[0].id, new[0].id])


def test_planner_statistics_are_refreshed_after_a_tenth_of_the_events_changed(
    store: Store, monkeypatch, caplog
) -> None:
    """PostgreSQL: the store ANALYZEs its tables itself (autovacuum may be off or behind a
    bulk load, and the API's plans depend on them); SQLite keeps none."""
    from sitroom.store import store as module
    from tests.factories import analysis_of, make_article, make_mention

    def write(n: int) -> None:
        article, sighting = make_article(f"Report {n}: shelling hit Ariha.", f"https://wire.example/{n}")
        store.write_articles(
            [(article, sighting)],
            {article.id: analysis_of(article, make_mention(article, "shelling hit Ariha"))},
        )

    def analysed() -> bool:
        with store.engine.connect() as conn:
            return bool(
                conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stats WHERE tablename = 'event_mentions'"
                        " AND schemaname = current_schema()"
                    )
                ).scalar_one()
            )

    if store.engine.dialect.name == "sqlite":
        write(1)
        assert store.refresh_statistics(force=True) is False
        return
    with store.engine.connect() as conn:  # the joint (lat, lon) statistics of migration 0004
        assert conn.execute(
            text(
                "SELECT stxkind FROM pg_statistic_ext WHERE stxname = 'st_event_mentions_latlon'"
                " AND stxnamespace = current_schema()::regnamespace"
            )
        ).scalar_one() == ["m"]
    write(1)
    assert not analysed()  # 1 changed row, under the threshold of 1,000
    monkeypatch.setattr(module, "STATISTICS_MIN_ROWS", 2)
    for n in range(2, 4):  # the server's counts reach the writer within a second or so
        write(n)
    deadline = time.monotonic() + 10
    while not analysed() and time.monotonic() < deadline:
        time.sleep(0.2)
        store.refresh_statistics()
    assert analysed()
    assert store.refresh_statistics() is False  # nothing changed since
    # a failure after a batch landed is a warning, not an error: the batch stands
    monkeypatch.setattr(module, "STATISTICS_TABLES", ("no_such_table",))
    with caplog.at_level("WARNING", logger="sitroom.store.store"):
        assert store.refresh_statistics(force=True) is False
    assert "cannot refresh the planner statistics" in caplog.text


def test_a_pooled_connection_closed_by_the_server_is_replaced(store: Store, monkeypatch) -> None:
    """PostgreSQL: a connection idle past PING_AFTER_IDLE_S is checked before it is lent, and
    one the server closed meanwhile (a restart, an idle timeout) is replaced, not used."""
    if store.engine.dialect.name == "sqlite":
        pytest.skip("an SQLite connection is a file handle: nothing to close it")
    from sitroom.store import store as module

    with store.engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with store.engine.connect() as conn:  # the same pooled connection, in steady use
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() == pid
    monkeypatch.setattr(module, "PING_AFTER_IDLE_S", 0.0)
    import psycopg

    from tests.conftest import PG_URL

    with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)
    time.sleep(0.2)
    assert store.count("articles") == 0
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
