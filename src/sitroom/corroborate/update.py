"""Keep the stored clusters up to date as articles arrive (stage 5 against the store).

New mentions only touch clusters near them in time: the mentions dated within
``WINDOW_DAYS`` of the new ones (and the whole clusters those belong to) are clustered
again with :func:`~sitroom.corroborate.clusters.cluster_mentions`, and only those clusters
are rewritten. The window is far wider than any date tolerance between two linked mentions,
so this agrees with clustering everything except where a chain of links reaches past the
window; ``sitroom recluster`` recomputes every cluster from scratch.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sitroom.corroborate.clusters import cluster_mentions, event_date
from sitroom.corroborate.credibility import OutletTable
from sitroom.models import Article, EventMention
from sitroom.records import mention_from_record
from sitroom.store import Store

# Wider than the largest date tolerance between two linked mentions (month precision: 31
# days) plus the week a publication date stands for.
WINDOW_DAYS = 45


def update_clusters(store: Store, new: Sequence[EventMention], outlets: OutletTable) -> int:
    """Recluster around ``new`` (already stored); return how many clusters were written."""
    articles: dict[str, Article] = {}
    for mention in new:
        if mention.article_id not in articles:
            article = store.article(mention.article_id)
            if article is not None:
                articles[article.id] = article
    days = [d for d, _ in (event_date(m, articles) for m in new) if d is not None]
    if not days:
        return 0
    lo, hi = min(days) - timedelta(days=WINDOW_DAYS), max(days) + timedelta(days=WINDOW_DAYS)
    records = store.mention_records_near(lo, hi)
    mentions = [mention_from_record(r) for r in records]
    for mention in mentions:
        if mention.article_id not in articles:
            article = store.article(mention.article_id)
            if article is not None:
                articles[article.id] = article
    old = {r["cluster_id"] for r in records if r.get("cluster_id")}
    clusters = cluster_mentions(mentions, articles, outlets=outlets)
    store.write_clusters(clusters, dissolved=sorted(old - {c.id for c in clusters}))
    return len(clusters)
