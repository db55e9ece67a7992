"""The JSON shapes users see (docs/interfaces.md), made from the typed records, and back.

``event_record`` is the one place that builds the event record; the store keeps it as the
mention's ``record`` and ``mention_from_record`` turns it back into an
:class:`~sitroom.models.EventMention` for the cross-article stages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sitroom.background import record_is_background
from sitroom.models import (
    Actor,
    Article,
    Claim,
    Contradiction,
    Count,
    EventCluster,
    EventMention,
    Evidence,
    Place,
    Site,
    Size,
)


def article_record(article: Article) -> dict[str, Any]:
    """The article record of ``sitroom articles --format jsonl`` and ``GET /api/articles``."""
    return {
        "id": article.id,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "outlet": article.outlet,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "language": article.language,
        "text": article.text,
        "sha256": article.sha256,
        "raw_sha256": article.raw_sha256,
        "captured_at": article.captured_at.isoformat(),
        "origin": article.origin,
        "extractor": article.extractor,
    }


def entity_record(actor: Actor) -> dict[str, Any]:
    return {
        "text": actor.text,
        "name": actor.name,
        "country": actor.country,
        "sector": actor.sector,
        "acled_inter": actor.acled_inter,
        "members": list(actor.members),
        "label": actor.label,
        "start": actor.start,
        "end": actor.end,
    }


def place_record(place: Place) -> dict[str, Any]:
    return {
        "text": place.text,
        "name": place.name,
        "lat": place.lat,
        "lon": place.lon,
        "country": place.country,
        "admin1": place.admin1,
        "precision": place.precision,
        "geonameid": place.geonameid,
        "start": place.start,
        "end": place.end,
        "source": place.source,
        "site": (
            {"text": place.site.text, "start": place.site.start, "end": place.site.end}
            if place.site
            else None
        ),
    }


def _count(count: Count | None) -> dict[str, Any] | None:
    return None if count is None else {"min": count.min, "max": count.max, "text": count.text}


def event_record(
    mention: EventMention, article: Article, cluster: EventCluster | None = None
) -> dict[str, Any]:
    """The event record of docs/interfaces.md for one mention (with its cluster's figures)."""
    record = {
        "id": mention.id,
        "event_type": mention.event_type,
        "mode": mention.mode,
        "context": list(mention.context),
        "acled_event_type": mention.acled_event_type,
        "acled_sub_event_type": mention.acled_sub_event_type,
        "status": mention.status,
        "actor": [entity_record(a) for a in mention.actor],
        "recipient": [entity_record(a) for a in mention.recipient],
        "date": mention.date.isoformat() if mention.date else None,
        "date_precision": mention.date_precision,
        "date_source": mention.date_source,
        # a location without coordinates stays in the record as unresolved text
        "location": place_record(mention.location) if mention.location else None,
        "size": {
            "dead": _count(mention.size.dead),
            "injured": _count(mention.size.injured),
            "displaced": _count(mention.size.displaced),
            "arrested": _count(mention.size.arrested),
        },
        "civilian_protection": list(mention.civilian_protection),
        "protected_site": mention.protected_site,
        "evidence": {
            "article_id": mention.evidence.article_id,
            "url": article.url or article.canonical_url,
            "outlet": article.outlet,
            "published": article.published,
            "sentence": mention.evidence.sentence,
            "start": mention.evidence.start,
            "end": mention.evidence.end,
        },
        "attribution": {
            "speaker": mention.attribution.speaker,
            "speaker_type": mention.attribution.speaker_type,
            "cue": mention.attribution.cue,
            "hedge": mention.attribution.hedge,
            "direct_quote": mention.attribution.direct_quote,
            "chain": list(mention.attribution.chain),
        },
        "confidence": round(mention.confidence, 3),
    }
    record["background"] = record_is_background(record)
    return with_cluster(record, cluster)


def _actor(d: dict[str, Any]) -> Actor:
    return Actor(
        text=d["text"],
        name=d["name"],
        start=d.get("start", -1),
        end=d.get("end", -1),
        country=d.get("country"),
        sector=d.get("sector"),
        acled_inter=d.get("acled_inter"),
        members=tuple(d.get("members") or ()),
        label=d.get("label"),
    )


def _place(d: dict[str, Any] | None) -> Place | None:
    if d is None:
        return None
    return Place(
        text=d["text"],
        name=d["name"],
        start=d.get("start", -1),
        end=d.get("end", -1),
        lat=d.get("lat"),
        lon=d.get("lon"),
        country=d.get("country"),
        admin1=d.get("admin1"),
        precision=d.get("precision"),
        geonameid=d.get("geonameid"),
        source=d.get("source", "unresolved"),
        site=Site(site["text"], site["start"], site["end"]) if (site := d.get("site")) else None,
    )


def _from_count(d: dict[str, Any] | None) -> Count | None:
    return None if d is None else Count(min=d.get("min"), max=d.get("max"), text=d.get("text", ""))


def mention_from_record(record: dict[str, Any]) -> EventMention:
    """Rebuild the mention an event record was made from (cluster fields are not part of it)."""
    ev, att, size = record["evidence"], record["attribution"], record["size"]
    return EventMention(
        id=record["id"],
        article_id=ev["article_id"],
        event_type=record["event_type"],
        mode=record["mode"],
        evidence=Evidence(
            article_id=ev["article_id"], sentence=ev["sentence"], start=ev["start"], end=ev["end"]
        ),
        attribution=Claim(
            speaker=att["speaker"],
            speaker_type=att["speaker_type"],
            cue=att["cue"],
            hedge=att["hedge"],
            direct_quote=att["direct_quote"],
            chain=tuple(att["chain"]),
        ),
        context=tuple(record.get("context") or ()),
        acled_event_type=record.get("acled_event_type"),
        acled_sub_event_type=record.get("acled_sub_event_type"),
        status=record["status"],
        actor=tuple(_actor(a) for a in record["actor"]),
        recipient=tuple(_actor(a) for a in record["recipient"]),
        date=date.fromisoformat(record["date"]) if record.get("date") else None,
        date_precision=record.get("date_precision"),
        # records stored before date_source existed: a date there was always the text's
        date_source=record.get("date_source") or ("text" if record.get("date") else None),
        location=_place(record.get("location")),
        size=Size(
            dead=_from_count(size.get("dead")),
            injured=_from_count(size.get("injured")),
            displaced=_from_count(size.get("displaced")),
            arrested=_from_count(size.get("arrested")),
        ),
        civilian_protection=tuple(record.get("civilian_protection") or ()),
        protected_site=record.get("protected_site"),
        confidence=float(record.get("confidence", 0.5)),
    )


def with_cluster(record: dict[str, Any], cluster: EventCluster | None) -> dict[str, Any]:
    """The record with a (new) cluster's figures."""
    return {
        **record,
        "cluster_id": cluster.id if cluster else None,
        "independent_sources": cluster.independent_sources if cluster else 1,
        "contradictions": contradiction_records(cluster.contradictions) if cluster else [],
        "credibility": cluster.credibility if cluster else None,
    }


def contradiction_records(contradictions: Sequence[Contradiction]) -> list[dict[str, Any]]:
    """Contradictions as records: field, values, disputed and each report's value."""
    return [
        {
            "field": c.field,
            "values": list(c.values),
            "disputed": c.disputed,
            "reports": [{"id": key, "value": value} for key, value in c.reports],
        }
        for c in contradictions
    ]


def cluster_record(cluster: EventCluster) -> dict[str, Any]:
    return {
        "id": cluster.id,
        "mention_ids": list(cluster.mention_ids),
        "independent_sources": cluster.independent_sources,
        "outlets": list(cluster.outlets),
        "speakers": list(cluster.speakers),
        "contradictions": contradiction_records(cluster.contradictions),
        "credibility": cluster.credibility,
        "credibility_basis": cluster.credibility_basis,
        "dead": _count(cluster.dead),
        "not_counted": cluster.not_counted,
    }


def cluster_from_record(d: dict[str, Any]) -> EventCluster:
    return EventCluster(
        id=d["id"],
        mention_ids=tuple(d["mention_ids"]),
        independent_sources=d["independent_sources"],
        outlets=tuple(d.get("outlets") or ()),
        speakers=tuple(d.get("speakers") or ()),
        contradictions=tuple(
            Contradiction(
                c["field"],
                tuple(c["values"]),
                disputed=c.get("disputed", True),
                reports=tuple((r["id"], r["value"]) for r in c.get("reports") or ()),
            )
            for c in d.get("contradictions") or ()
        ),
        credibility=d.get("credibility"),
        credibility_basis=d.get("credibility_basis") or "",
        dead=_from_count(d.get("dead")),
        not_counted=d.get("not_counted") or "",
    )
