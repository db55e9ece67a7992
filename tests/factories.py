"""Hand-built records for tests (no NLP needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sitroom.models import (
    Actor,
    Analysis,
    Article,
    Claim,
    Count,
    EventMention,
    Evidence,
    Place,
    Reading,
    Sighting,
    Size,
    Span,
    article_id_for,
    sha256_hex,
)

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)

ARIHA = Place(
    "Ariha",
    "Ariha",
    lat=35.81,
    lon=36.61,
    country="SYR",
    admin1="Idlib",
    precision="city",
    geonameid=173811,
    source="geonames",
)
ALEPPO = Place(
    "Aleppo",
    "Aleppo",
    lat=36.20,
    lon=37.16,
    country="SYR",
    admin1="Aleppo",
    precision="city",
    geonameid=170063,
    source="geonames",
)
SAA = Actor(
    "Syrian government forces",
    "Syrian Arab Army",
    country="SYR",
    sector="MIL",
    acled_inter=1,
    source="composed",
)
HTS = Actor("Hayat Tahrir al-Sham", "Hayat Tahrir al-Sham", country="SYR", sector="REB", acled_inter=2)
CIVILIANS = Actor(
    "civilians", "Civilians (Syria)", country="SYR", sector="CVL", acled_inter=7, source="composed"
)


def make_article(
    text: str, url: str, outlet: str = "Demo Wire", published: str | None = "2026-01-08T16:05:00+00:00"
) -> tuple[Article, Sighting]:
    digest = sha256_hex(text)
    raw = sha256_hex(f"<html>{url}{text}</html>")
    article = Article(
        id=article_id_for(digest),
        text=text,
        sha256=digest,
        raw_sha256=raw,
        origin=url,
        captured_at=NOW,
        url=url,
        canonical_url=url,
        outlet=outlet,
        title=text.split(".")[0][:60],
        published=published,
        language="en",
        extractor="test/1",
    )
    return article, Sighting(article.id, url, url, outlet, raw, NOW, published)


def make_mention(
    article: Article,
    sentence: str,
    *,
    event_type: str = "ASSAULT",
    mode: str | None = "heavy-weapons",
    actor: tuple[Actor, ...] = (SAA,),
    recipient: tuple[Actor, ...] = (CIVILIANS,),
    when: date | None = date(2026, 1, 8),
    where: Place | None = ARIHA,
    dead: Count | None = None,
    speaker: str | None = "local health officials",
    hedge: str | None = None,
    protection: tuple[str, ...] = (),
    status: str = "occurred",
) -> EventMention:
    start = article.text.index(sentence)
    chain = (article.outlet or "?", speaker) if speaker else (article.outlet or "?",)
    return EventMention(
        id="m" + sha256_hex(f"{article.id}:{start}:{event_type}")[:15],
        article_id=article.id,
        event_type=event_type,
        mode=mode,
        evidence=Evidence(article.id, sentence, start, start + len(sentence)),
        attribution=Claim(
            speaker or article.outlet,
            "official" if speaker else "outlet",
            "said" if speaker else None,
            hedge,
            False,
            chain,
        ),
        status=status,  # type: ignore[arg-type]
        actor=actor,
        recipient=recipient,
        date=when,
        date_precision="day" if when else None,
        location=where,
        size=Size(dead=dead),
        civilian_protection=protection,
        protected_site="hospital" if "protected_site" in protection else None,
        confidence=0.8,
    )


def analysis_of(article: Article, *mentions: EventMention) -> Analysis:
    return Analysis(
        reading=Reading(article.id, sentences=(Span(0, len(article.text), article.text),)),
        events=tuple(mentions),
    )
