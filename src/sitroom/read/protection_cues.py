"""Civilian-protection cues in a sentence's text: evacuation, corridors, protected sites, human
shields, displacement, aid access, and civilians named as victims.

Reading uses them to choose the sentences worth a dependency parse (:mod:`sitroom.read.selective`);
event extraction to say which protection concerns an event raises
(:mod:`sitroom.events.protection`).
"""

from __future__ import annotations

import re

EVACUATION = re.compile(r"\bevacuat(?:e|ed|es|ing|ion|ions)\b", re.I)
CORRIDOR = re.compile(
    r"\b(?:humanitarian\s+corridors?|corridors?|safe\s+passage|safe\s+route|humanitarian\s+pause)\b", re.I
)
HUMAN_SHIELDS = re.compile(r"\bhuman\s+shields?\b|\bas\s+shields\b", re.I)
DISPLACEMENT = re.compile(
    r"\b(?:displac(?:ed|ement|ing)|fled\s+(?:their\s+homes|the\s+(?:town|city|village|area|fighting))|forced\s+(?:to\s+flee|from\s+their\s+homes)|uprooted|refugees?|IDPs?)\b",
    re.I,
)
AID = re.compile(
    r"\b(?:humanitarian\s+(?:access|aid|assistance|convoys?|arrangement|supplies)|aid\s+(?:convoys?|trucks?|deliveries|agencies|workers?)|convoys?\s+(?:of|carrying)\s+(?:aid|food|medical)|relief\s+(?:supplies|convoys?)|border\s+crossing|crossing\s+(?:reopened|closed)|food\s+and\s+medical\s+supplies)\b",
    re.I,
)
CIVILIAN_VICTIMS = re.compile(
    r"\b(?:civilians?|residents?|children|women|villagers|patients|worshippers|students|families|passers-by|shoppers|displaced\s+people|aid\s+workers?|journalists?|medics?|doctors?|nurses?)\b",
    re.I,
)
# The wounded or dead of a happening ("took the wounded to a hospital", "casualties arrived").
CASUALTIES = re.compile(r"\b(?:wounded|injured|casualties|the\s+dead|bodies)\b", re.I)
# Protected sites and the name each is reported under (order: more specific first).
SITES: tuple[tuple[str, str], ...] = (
    (
        "hospital",
        r"hospitals?|clinics?|medical\s+(?:centres?|centers?|facilit(?:y|ies))|health\s+(?:centres?|centers?|facilit(?:y|ies))|field\s+hospital|ambulances?",
    ),
    ("school", r"schools?|universit(?:y|ies)|kindergartens?|colleges?|classrooms?"),
    ("shelter", r"shelters?|displacement\s+sites?|collective\s+centres?"),
    ("camp", r"(?:refugee|displacement|IDP|displaced)\s+camps?|camps?\s+for\s+(?:the\s+)?displaced"),
    ("place of worship", r"mosques?|churches|church|synagogues?|temples?|shrines?"),
    ("market", r"markets?|marketplace|bazaar"),
    (
        "aid facility",
        r"(?:aid|food)\s+(?:warehouses?|distribution\s+(?:points?|sites?)|convoys?)|bakery|bakeries",
    ),
)
SITE_PATTERNS = tuple((name, re.compile(rf"\b(?:{pattern})\b", re.I)) for name, pattern in SITES)
# Shelter as what one takes or seeks names no site ("allowed the group to take shelter there").
SHELTER_SOUGHT = re.compile(
    r"\b(?:tak(?:e|es|en|ing)|took|seek(?:s|ing)?|sought|find(?:s|ing)?|found)\s+shelter\b", re.I
)


def site_text(sentence: str) -> str:
    """``sentence`` with the phrases that name no site blanked (offsets kept)."""
    return SHELTER_SOUGHT.sub(lambda m: " " * len(m.group()), sentence)


# Markets are civilian objects but not specially protected sites in IHL; reported as the site
# of civilian harm without raising protected_site.
NOT_PROTECTED = {"market"}


def cue_offsets(sentence: str) -> dict[str, int]:
    """Where in ``sentence`` each text-cued kind is first named (civilian casualties, which
    need a count, are not text-cued)."""
    found: dict[str, int] = {}
    for kind, pattern in (
        ("evacuation", EVACUATION),
        ("corridor", CORRIDOR),
        ("human_shields", HUMAN_SHIELDS),
        ("displacement", DISPLACEMENT),
        ("aid_access", AID),
    ):
        if match := pattern.search(sentence):
            found[kind] = match.start()
    sites = site_text(sentence)
    for name, pattern in SITE_PATTERNS:
        if name not in NOT_PROTECTED and (match := pattern.search(sites)):
            found.setdefault("protected_site", match.start())
    return found
