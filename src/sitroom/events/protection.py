"""Civilian protection: which protection concerns a sentence about an event raises.

Kinds (INTERFACES.md): evacuation, corridor, protected_site (with the site: hospital, school,
shelter, place of worship, camp, ...), human_shields, civilian_casualties, displacement,
aid_access. Cues are read from the evidence sentence; ``civilian_casualties`` also needs a
count of dead or injured with civilians named as victims (or a civilian recipient).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitroom.models import Actor, Size

_EVACUATION = re.compile(r"\bevacuat(?:e|ed|es|ing|ion|ions)\b", re.I)
_CORRIDOR = re.compile(
    r"\b(?:humanitarian\s+corridors?|corridors?|safe\s+passage|safe\s+route|humanitarian\s+pause)\b", re.I
)
_HUMAN_SHIELDS = re.compile(r"\bhuman\s+shields?\b|\bas\s+shields\b", re.I)
_DISPLACEMENT = re.compile(
    r"\b(?:displac(?:ed|ement|ing)|fled\s+(?:their\s+homes|the\s+(?:town|city|village|area|fighting))|forced\s+(?:to\s+flee|from\s+their\s+homes)|uprooted|refugees?|IDPs?)\b",
    re.I,
)
_AID = re.compile(
    r"\b(?:humanitarian\s+(?:access|aid|assistance|convoys?|arrangement|supplies)|aid\s+(?:convoys?|trucks?|deliveries|agencies|workers?)|convoys?\s+(?:of|carrying)\s+(?:aid|food|medical)|relief\s+(?:supplies|convoys?)|border\s+crossing|crossing\s+(?:reopened|closed)|food\s+and\s+medical\s+supplies)\b",
    re.I,
)
_CIVILIAN_VICTIMS = re.compile(
    r"\b(?:civilians?|residents?|children|women|villagers|patients|worshippers|students|families|passers-by|shoppers|displaced\s+people|aid\s+workers?|journalists?|medics?|doctors?|nurses?)\b",
    re.I,
)
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
_SITE_PATTERNS = tuple((name, re.compile(rf"\b(?:{pattern})\b", re.I)) for name, pattern in SITES)
# Markets are civilian objects but not specially protected sites in IHL; reported as the site
# of civilian harm without raising protected_site.
NOT_PROTECTED = {"market"}


@dataclass(frozen=True)
class Protection:
    kinds: tuple[str, ...]
    site: str | None


def cue_offsets(sentence: str) -> dict[str, int]:
    """Where in ``sentence`` each text-cued kind is first named (civilian casualties, which
    need a count, are not text-cued)."""
    found: dict[str, int] = {}
    for kind, pattern in (
        ("evacuation", _EVACUATION),
        ("corridor", _CORRIDOR),
        ("human_shields", _HUMAN_SHIELDS),
        ("displacement", _DISPLACEMENT),
        ("aid_access", _AID),
    ):
        if match := pattern.search(sentence):
            found[kind] = match.start()
    for name, pattern in _SITE_PATTERNS:
        if name not in NOT_PROTECTED and (match := pattern.search(sentence)):
            found.setdefault("protected_site", match.start())
    return found


def find_protection(sentence: str, size: Size, recipients: tuple[Actor, ...] = ()) -> Protection:
    """The civilian-protection kinds of an event stated in ``sentence``."""
    kinds: list[str] = []
    if _EVACUATION.search(sentence):
        kinds.append("evacuation")
    if _CORRIDOR.search(sentence):
        kinds.append("corridor")
    site = next((name for name, pattern in _SITE_PATTERNS if pattern.search(sentence)), None)
    if site is not None and site not in NOT_PROTECTED:
        kinds.append("protected_site")
    if _HUMAN_SHIELDS.search(sentence):
        kinds.append("human_shields")
    harmed = size.dead is not None or size.injured is not None
    civilian_recipient = any(a.sector == "CVL" or a.acled_inter == 7 for a in recipients)
    if harmed and (civilian_recipient or _CIVILIAN_VICTIMS.search(sentence)):
        kinds.append("civilian_casualties")
    if size.displaced is not None or _DISPLACEMENT.search(sentence):
        kinds.append("displacement")
    if _AID.search(sentence):
        kinds.append("aid_access")
    return Protection(kinds=tuple(kinds), site=site)
