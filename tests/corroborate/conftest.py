"""A small corpus the team wrote: reports of a few incidents in north-east Syria.

Incident Q (Qamishli market, 2026-01-05): an Anadolu Agency wire story, Daily Sabah's
"with AA" copy, a third outlet's verbatim reprint, an independent Reuters report with a
higher death toll, and a Hawar News report that blames another actor.
Incident M (Manbij, same day, same type, 300 km away): Reuters (in the same article as its
Qamishli report) and AP. Incident W (Qamishli again, two weeks later): one hedged report.
Incident A (Aleppo): one unhedged report from an outlet not in the table.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from sitroom.models import Actor, Article, Claim, Count, EventMention, Evidence, Place, Size, sha256_hex

CAPTURED = datetime(2026, 1, 6, 12, 0, tzinfo=UTC)

WIRE = (
    "QAMISHLI, Syria (AA) - Seven civilians were killed on Monday when an explosive-laden vehicle "
    "blew up near the vegetable market in the city of Qamishli in north-eastern Syria, security "
    "sources said. The blast damaged dozens of shops and set several cars on fire, according to "
    "the sources, who spoke on condition of anonymity. Local officials said the market had been "
    "crowded with shoppers at the time of the explosion. Ambulances took the wounded to the "
    "national hospital, where doctors said some were in a critical condition."
)
SABAH = (
    "Seven civilians were killed on Monday when an explosive-laden vehicle blew up near the "
    "vegetable market in the city of Qamishli in north-eastern Syria, security sources said. The "
    "blast damaged dozens of shops and set several cars on fire, according to the sources, who "
    "spoke on condition of anonymity. Local officials said the market had been crowded with "
    "shoppers at the time of the explosion. Ambulances took the wounded to the national hospital, "
    "where doctors said some were in a critical condition. Daily Sabah with AA"
)
REUTERS = (
    "A car bomb tore through a crowded market in the Syrian border city of Qamishli on Monday, "
    "killing nine people and wounding at least twenty, a local health official told Reuters. "
    "Separately, artillery fire hit the outskirts of Manbij, killing two farmers, residents said."
)
HAWAR = (
    "The Autonomous Administration accused Turkish-backed factions of the car bombing that hit "
    "the market of Qamishli on Monday, saying seven people lost their lives in the attack."
)
AP = (
    "Shells struck farmland outside Manbij on Monday, killing two farmers, according to residents "
    "reached by phone. No group said it had fired the rounds."
)
LATER = (
    "A roadside bomb reportedly exploded in Qamishli on Tuesday, wounding three people, according "
    "to unconfirmed accounts shared by local activists."
)
REPRINT = WIRE.replace("Seven civilians were killed on Monday", "At least seven civilians died Monday") + (
    " The city lies on the border with Turkey."
)
ALEPPO = "A shell fired from the western countryside struck the Sheikh Maqsoud district of Aleppo on Monday."


def make_article(key: str, text: str, outlet: str | None, url: str | None, published: str) -> Article:
    digest = sha256_hex(text)
    return Article(
        id=key,
        text=text,
        sha256=digest,
        raw_sha256=digest,
        origin=url or key,
        captured_at=CAPTURED,
        url=url,
        outlet=outlet,
        title=None,
        published=published,
        language="en",
    )


QAMISHLI = Place("Qamishli", "Qamishli", lat=37.0522, lon=41.2317, country="SYR", precision="city")
QAMISHLI_MARKET = Place(
    "vegetable market", "Qamishli market", lat=37.0500, lon=41.2250, country="SYR", precision="site"
)
MANBIJ = Place("Manbij", "Manbij", lat=36.5281, lon=37.9549, country="SYR", precision="city")
ALEPPO_PLACE = Place("Aleppo", "Aleppo", lat=36.2021, lon=37.1343, country="SYR", precision="city")

UNKNOWN_BOMBER = Actor("unidentified attackers", "unidentified armed group", sector="REB")
TURKISH_BACKED = Actor("Turkish-backed factions", "Syrian National Army", country="SYR", sector="REB")
CIVILIANS = Actor("civilians", "civilians (Syria)", country="SYR", sector="CVL")


def make_mention(
    key: str,
    article: Article,
    *,
    event_type: str = "ASSAULT",
    when: date | None = date(2026, 1, 5),
    place: Place | None = QAMISHLI,
    actor: tuple[Actor, ...] = (),
    recipient: tuple[Actor, ...] = (CIVILIANS,),
    dead: Count | None = None,
    injured: Count | None = None,
    speaker: str | None = None,
    hedge: str | None = None,
    start: int = 0,
) -> EventMention:
    return EventMention(
        id=key,
        article_id=article.id,
        event_type=event_type,
        mode=None,
        evidence=Evidence(article.id, article.text[start : start + 80], start, start + 80),
        attribution=Claim(
            speaker=speaker,
            speaker_type=None,
            cue="said" if speaker else None,
            hedge=hedge,
            direct_quote=False,
            chain=(article.outlet or "", *([speaker] if speaker else [])),
        ),
        status="occurred",
        actor=actor,
        recipient=recipient,
        date=when,
        date_precision="day" if when else None,
        location=place,
        size=Size(dead=dead, injured=injured),
    )


@pytest.fixture(scope="session")
def articles() -> dict[str, Article]:
    made = [
        make_article(
            "a1-aa",
            WIRE,
            "Anadolu Agency",
            "https://www.aa.com.tr/en/qamishli-blast",
            "2026-01-05T14:00:00+03:00",
        ),
        make_article(
            "a2-sabah",
            SABAH,
            "Daily Sabah",
            "https://www.dailysabah.com/qamishli",
            "2026-01-05T15:10:00+03:00",
        ),
        make_article(
            "a3-reprint",
            WIRE,
            None,
            "https://news.example.org/2026/01/05/qamishli",
            "2026-01-05T16:00:00+00:00",
        ),
        make_article(
            "a4-reuters",
            REUTERS,
            "Reuters",
            "https://www.reuters.com/world/syria-qamishli",
            "2026-01-05T13:00:00+00:00",
        ),
        make_article("a5-hawar", HAWAR, "Hawar News Agency", None, "2026-01-06T09:00:00+03:00"),
        make_article(
            "a6-ap", AP, None, "https://apnews.com/article/manbij-shelling", "2026-01-05T18:00:00+00:00"
        ),
        make_article("a7-later", LATER, "Syria Live Blog", None, "2026-01-20T10:00:00+00:00"),
        make_article("a8-aleppo", ALEPPO, "Aleppo Today Desk", None, "2026-01-05T10:00:00+00:00"),
    ]
    return {article.id: article for article in made}


@pytest.fixture(scope="session")
def mentions(articles: dict[str, Article]) -> tuple[EventMention, ...]:
    a = articles
    seven = Count(7, 7, "Seven")
    return (
        make_mention(
            "m1",
            a["a1-aa"],
            place=QAMISHLI_MARKET,
            actor=(UNKNOWN_BOMBER,),
            dead=seven,
            speaker="security sources",
        ),
        make_mention(
            "m2",
            a["a2-sabah"],
            place=QAMISHLI_MARKET,
            actor=(UNKNOWN_BOMBER,),
            dead=seven,
            speaker="security sources",
        ),
        make_mention(
            "m3",
            a["a3-reprint"],
            place=QAMISHLI_MARKET,
            actor=(UNKNOWN_BOMBER,),
            dead=Count(7, None, "At least seven"),
            speaker="security sources",
        ),
        make_mention(
            "m4",
            a["a4-reuters"],
            dead=Count(9, 9, "nine"),
            injured=Count(20, None, "at least twenty"),
            speaker="local health official",
        ),
        make_mention(
            "m5", a["a4-reuters"], place=MANBIJ, dead=Count(2, 2, "two"), speaker="residents", start=150
        ),
        make_mention(
            "m6",
            a["a5-hawar"],
            actor=(TURKISH_BACKED,),
            dead=seven,
            speaker="Autonomous Administration",
            when=None,
        ),
        make_mention("m7", a["a6-ap"], place=MANBIJ, dead=Count(2, 2, "two"), speaker="residents"),
        make_mention(
            "m8",
            a["a7-later"],
            when=date(2026, 1, 20),
            injured=Count(3, 3, "three"),
            speaker="local activists",
            hedge="reportedly",
        ),
        make_mention("m9", a["a8-aleppo"], place=ALEPPO_PLACE, event_type="ASSAULT"),
    )


EXPECTED_CLUSTERS = {
    ("m1", "m2", "m3", "m4", "m6"),  # Qamishli market bombing
    ("m5", "m7"),  # Manbij shelling, same day, 300 km away
    ("m8",),  # Qamishli, two weeks later
    ("m9",),  # Aleppo
}


@pytest.fixture(scope="session")
def corpus() -> SimpleNamespace:
    """The corpus' texts, places, actors and the mention factory, for tests that build their own."""
    return SimpleNamespace(
        WIRE=WIRE,
        REPRINT=REPRINT,
        REUTERS=REUTERS,
        HAWAR=HAWAR,
        QAMISHLI=QAMISHLI,
        QAMISHLI_MARKET=QAMISHLI_MARKET,
        MANBIJ=MANBIJ,
        ALEPPO=ALEPPO_PLACE,
        TURKISH_BACKED=TURKISH_BACKED,
        UNKNOWN_BOMBER=UNKNOWN_BOMBER,
        EXPECTED_CLUSTERS=EXPECTED_CLUSTERS,
        make_mention=make_mention,
    )
