"""Hand-built incidents and stored events for the monitor tests (no NLP)."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

from sitroom.models import EventCluster, EventMention
from sitroom.monitor.incidents import Incident
from sitroom.store import Store
from tests.factories import ARIHA, SAA, analysis_of, make_article, make_mention


def incident(
    day: date | None,
    event_type: str = "ASSAULT",
    *,
    mode: str | None = None,
    status: str = "occurred",
    admin1: str | None = "Idlib",
    city: str | None = "Ariha",
    actors: tuple[str, ...] = ("Syrian Arab Army",),
    recipients: tuple[str, ...] = ("Hayat Tahrir al-Sham",),
    dead: int | None = None,
    protection: tuple[str, ...] = (),
    site: str | None = None,
    key: str = "",
) -> Incident:
    """An incident as if folded from the store (id made from its fields unless given)."""
    ident = key or f"i-{day}-{event_type}-{mode}-{status}-{city}-{dead}-{id(protection)}"
    return Incident(
        id=ident,
        day=day,
        dated_by="event" if day else None,
        event_type=event_type,
        mode=mode,
        status=status,
        country="SYR",
        admin1=admin1,
        city=city,
        place=city or admin1,
        actors=actors,
        recipients=recipients,
        dead=dead,
        civilian_protection=protection,
        protected_site=site,
        mention_ids=(f"m-{ident}",),
    )


def numbered(incidents: Sequence[Incident]) -> list[Incident]:
    """The same incidents with distinct ids (counted as distinct events)."""
    return [
        Incident(**{**i.__dict__, "id": f"{i.id}#{n}", "mention_ids": (f"m{n:05d}",)})
        for n, i in enumerate(incidents)
    ]


def store_mentions(store: Store, specs: Sequence[dict[str, object]]) -> list[EventMention]:
    """One article per spec (its text made unique), one mention each: spec keys are
    make_mention's keywords plus "text", "outlet" and "published"."""
    items, analyses, mentions = [], {}, []
    for n, spec in enumerate(specs):
        spec = dict(spec)
        text = str(spec.pop("text", f"Report {n}: forces shelled the town."))
        outlet = str(spec.pop("outlet", f"Outlet {n}"))
        published = spec.pop("published", "2026-01-08T16:05:00+00:00")
        article, sighting = make_article(
            text, f"https://news{n}.example/{n}", outlet=outlet, published=published
        )  # type: ignore[arg-type]
        spec.setdefault("actor", (SAA,))
        spec.setdefault("where", ARIHA)
        mention = make_mention(article, text, **spec)  # type: ignore[arg-type]
        items.append((article, sighting))
        analyses[article.id] = analysis_of(article, mention)
        mentions.append(mention)
    store.write_articles(items, analyses)
    return mentions


def cluster(cluster_id: str, mentions: Sequence[EventMention], sources: int = 2) -> EventCluster:
    return EventCluster(id=cluster_id, mention_ids=tuple(m.id for m in mentions), independent_sources=sources)


class Hook:
    """A webhook receiver on 127.0.0.1 (a free port): records bodies, answers ``status``."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, object]] = []
        self.status = 204
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                hook.bodies.append(json.loads(self.rfile.read(length)))
                self.send_response(hook.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
