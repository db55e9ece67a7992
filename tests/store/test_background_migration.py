"""Migration 0009 (issue 19): events stored before it get their ``background`` flag (column
and record) from their records, so the default listing leaves out the history they tell."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from sitroom.store import Store
from sitroom.store import schema as t
from sitroom.store.filters import EventFilter
from tests.factories import analysis_of, make_article, make_mention
from tests.store.test_search import _migrate


def test_the_migration_marks_the_history_stored_before_it(store: Store) -> None:
    text = "Residents recalled that artillery killed 40 civilians in Ariha on 5 June 1967."
    article, sighting = make_article(text, "https://example.org/1967", published="2026-01-08T09:00:00+00:00")
    war = make_mention(article, text, when=date(1967, 6, 5))
    news_text = "Shelling hit Ariha on Thursday."
    news_article, news_sighting = make_article(news_text, "https://example.org/news")
    news = make_mention(news_article, news_text)
    store.write_articles(
        [(article, sighting), (news_article, news_sighting)],
        {article.id: analysis_of(article, war), news_article.id: analysis_of(news_article, news)},
    )
    _migrate(store, "0008")  # the store as it was: no background column, records without the field
    with store.engine.begin() as conn:
        for row in conn.execute(select(t.event_mentions.c.id, t.event_mentions.c.record)).all():
            record = {k: v for k, v in row.record.items() if k != "background"}
            conn.execute(
                update(t.event_mentions).where(t.event_mentions.c.id == row.id).values(record=record)
            )
    _migrate(store, "head")
    assert [r["id"] for r in store.iter_events()] == [news.id]
    (old,) = store.iter_events(EventFilter(background="only"))
    assert old["id"] == war.id and old["background"] is True
