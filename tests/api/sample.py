"""A small store of hand-built events for the API, dashboard and export tests (no NLP needed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sitroom.models import Actor, Contradiction, Count, EventCluster, Place
from sitroom.store import Store
from tests.factories import HTS, analysis_of, make_article, make_mention

WIRE = "Shelling hit a market in Ariha on Thursday, killing seven civilians. Officials said the army fired."
MONITOR = "Nine civilians were killed in Ariha, a monitor said. The ministry blamed HTS for the blast."
EVAC = "About 400 civilians were evacuated from Sheikh Maksoud through a corridor to the Al-Razi hospital."
PROTEST = "Hundreds protested in Hasakah province against the fighting, organisers said."
HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> Gunmen attacked a checkpoint near Ariha.'
HASAKAH = Place(
    "Hasakah province",
    "Al-Hasakah",
    lat=36.5,
    lon=40.75,
    country="SYR",
    admin1="Al-Hasakah",
    precision="admin1",
    source="admin1",
)
RAZI = Place(
    "Al-Razi hospital",
    "Al-Razi hospital",
    lat=36.2163,
    lon=37.1389,
    country="SYR",
    admin1="Aleppo",
    precision="site",
    source="gazetteer:razi",
)
PROTESTERS = Actor(
    "Hundreds", "Protesters (Syria)", country="SYR", sector="CVL", acled_inter=6, source="composed"
)
GUNMEN = Actor(
    "Gunmen",
    "Unidentified armed group (Syria)",
    country="SYR",
    sector="REB",
    acled_inter=3,
    source="composed",
)


@dataclass(frozen=True)
class Sample:
    """Ids of what :func:`populate` stored."""

    wire: str
    monitor: str
    evac: str
    protest: str
    hostile: str
    cluster: str
    wire_article: str

    @property
    def all(self) -> set[str]:
        return {self.wire, self.monitor, self.evac, self.protest, self.hostile}


def populate(store: Store) -> Sample:
    """Five events in five articles; the wire and monitor reports form one disputed cluster."""
    wire, s1 = make_article(WIRE, "https://demowire.example/1")
    monitor, s2 = make_article(MONITOR, "https://monitor.example/2", outlet="Frontline Monitor")
    evac, s3 = make_article(
        EVAC, "https://aid.example/3", outlet="Aid Bulletin", published="2026-01-09T14:00:00+00:00"
    )
    protest, s4 = make_article(
        PROTEST, "https://herald.example/4", outlet="City Herald", published="2026-01-11T12:45:00+00:00"
    )
    hostile, s5 = make_article(
        HOSTILE, "https://hostile.example/5", outlet="Hostile Page", published="2026-01-05T08:00:00+00:00"
    )
    m1 = make_mention(
        wire,
        "Shelling hit a market in Ariha on Thursday, killing seven civilians.",
        dead=Count(7, 7, "seven"),
    )
    m2 = make_mention(
        monitor,
        "Nine civilians were killed in Ariha, a monitor said.",
        actor=(HTS,),
        dead=Count(9, 9, "Nine"),
        speaker="a monitor",
    )
    m3 = make_mention(
        evac, EVAC, event_type="RETREAT", mode="access", actor=(), when=date(2026, 1, 9), where=RAZI,
        protection=("evacuation", "corridor", "protected_site"), speaker=None,
    )  # fmt: skip
    m4 = make_mention(
        protest, PROTEST, event_type="PROTEST", mode="demonstrate", actor=(PROTESTERS,), recipient=(),
        when=date(2026, 1, 11), where=HASAKAH, speaker="organisers",
    )  # fmt: skip
    m5 = make_mention(
        hostile,
        "Gunmen attacked a checkpoint near Ariha.",
        actor=(GUNMEN,),
        recipient=(),
        when=date(2026, 1, 5),
        where=None,
        speaker=None,
    )
    store.write_articles(
        [(wire, s1), (monitor, s2), (evac, s3), (protest, s4), (hostile, s5)],
        {
            a.id: analysis_of(a, m)
            for a, m in ((wire, m1), (monitor, m2), (evac, m3), (protest, m4), (hostile, m5))
        },
    )
    cluster = EventCluster(
        id="ev-ariha", mention_ids=(m1.id, m2.id), independent_sources=2, outlets=("Demo Wire", "Frontline Monitor"),
        speakers=("local health officials", "a monitor"), contradictions=(Contradiction("dead", ("7", "9")),), credibility=2,
    )  # fmt: skip
    store.write_clusters([cluster])
    return Sample(m1.id, m2.id, m3.id, m4.id, m5.id, cluster.id, wire.id)
